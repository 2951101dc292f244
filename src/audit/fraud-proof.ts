/**
 * A fraud proof of a wrong state-map transition (docs/PROOFS.md §Fraud
 * proofs): compact evidence that the log key signed a tree in which entry p
 * carries a map root that the custody rules, applied to entry p's statement
 * and the state after entry p − 1, do not give.
 *
 * A witness cosignature says only "this tree is consistent with the ones I
 * saw" (C2SP tlog-cosignature); it says nothing about the map roots inside
 * the entries. Whoever holds the log key can therefore append an entry with
 * a false map root, and get it cosigned. An auditor who replays the log
 * catches it and, instead of cosigning, hands out this proof, which anyone
 * can check without the rest of the log:
 *
 *   file = "CUSTODY-FRAUD-PROOF/1\n" ‖ ONE canonical msgpack map
 *     v           1
 *     origin      the log's origin
 *     checkpoint  C2SP signed note of size N > p, signed by the log key
 *     genesis     {entry, payload, proof}: entry 0, whose body names the log key
 *     previous    {entry, proof}: entry p − 1, whose mapRoot is the state before
 *     index       p
 *     entry       entry p, and payload: its statement, and proof
 *     seen?       {size, root, proof}: the root the statement's `seen` names,
 *                 proven consistent with the checkpoint
 *     mapSize     keys in the map before p (informational: no hash covers it)
 *     nodes       [bin]: encodeNode() of the map branches, before p, on the
 *                 paths the statement touches (src/custody/touched.ts)
 *     records     [{ns, key, record}]: the records, before p, of the touched
 *                 keys the map holds
 *
 * Checking it (verifyFraudProof) takes the same code the ledger and every
 * verifier judge with: the touched records are read through a map opened at
 * the previous root over `nodes` (each node and record checked by hash), the
 * statement is admitted and judged at its placement, its writes applied (none
 * if refused), and the resulting root compared with the one entry p carries.
 * A proof that lacks a node or record it needs proves nothing (incomplete).
 *
 * Pure: no file, store or network access. Never throws on hostile bytes.
 */

import { equalBytes, toHex, utf8 } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { ed25519NoteVerifier, parseNote, verifyNote } from '../checkpoint/note.js';
import { sha256 } from '../crypto/sha256.js';
import { admit } from '../custody/admit.js';
import { CustodyState } from '../custody/custody-state.js';
import { judge, signerIdOf } from '../custody/judge.js';
import type { Placement } from '../custody/judgement.js';
import { touchedBy } from '../custody/touched.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { decodeEntry, type Entry, PAYLOAD_TYPES } from '../format/entry.js';
import { KEY_TYPES } from '../format/key-id.js';
import { wireKey } from '../format/kinds.js';
import { decodeNode, hashNode, StateMap } from '../map/index.js';
import { EMPTY_ROOT, hashLeaf } from '../merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../merkle/verify.js';

export const FRAUD_PROOF_MAGIC = 'CUSTODY-FRAUD-PROOF/1\n';
const MAGIC = utf8(FRAUD_PROOF_MAGIC);

/** Bounds of a decodable fraud proof: far above what one statement touches. */
export const FRAUD_PROOF_LIMITS = { bytes: 4 << 20, nodes: 4096, records: 1024, proof: 64 } as const;

export interface ProvenItem {
  entry: Uint8Array;
  proof: Uint8Array[];
}

export interface FraudProof {
  origin: string;
  checkpoint: string;
  genesis: ProvenItem & { payload: Uint8Array };
  previous: ProvenItem;
  index: number;
  entry: ProvenItem & { payload: Uint8Array };
  seen?: { size: number; root: Uint8Array; proof: Uint8Array[] };
  mapSize: number;
  nodes: Uint8Array[];
  records: { ns: string; key: Uint8Array; record: Uint8Array }[];
}

export function encodeFraudProof(p: FraudProof): Uint8Array {
  const item = (i: ProvenItem & { payload?: Uint8Array }) =>
    i.payload ? { entry: i.entry, payload: i.payload, proof: i.proof } : { entry: i.entry, proof: i.proof };
  const body = encodeCanonical({
    v: 1,
    origin: p.origin,
    checkpoint: p.checkpoint,
    genesis: item(p.genesis),
    previous: item(p.previous),
    index: p.index,
    entry: item(p.entry),
    seen: p.seen ? { size: p.seen.size, root: p.seen.root, proof: p.seen.proof } : undefined,
    mapSize: p.mapSize,
    nodes: p.nodes,
    records: p.records.map((r) => ({ ns: r.ns, key: r.key, record: r.record })),
  } satisfies Canonical);
  const out = new Uint8Array(MAGIC.length + body.length);
  out.set(MAGIC);
  out.set(body, MAGIC.length);
  return out;
}

class Malformed extends Error {}
const bad = (what: string): never => {
  throw new Malformed(what);
};
const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const bin = (v: unknown, what: string, len?: number): Uint8Array =>
  v instanceof Uint8Array && (len === undefined || v.length === len) ? v : bad(what);
const uint = (v: unknown, what: string): number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : bad(what);
const hashes = (v: unknown, what: string): Uint8Array[] =>
  Array.isArray(v) && v.length <= FRAUD_PROOF_LIMITS.proof ? v.map((h) => bin(h, what, 32)) : bad(what);
function fields(v: unknown, what: string, allowed: readonly string[]): Record<string, unknown> {
  if (!isMap(v)) return bad(`${what} is not a map`);
  for (const k of Object.keys(v)) if (!allowed.includes(k)) bad(`${what} has an unknown field ${k}`);
  return v;
}
function provenItem(v: unknown, what: string, withPayload: boolean) {
  const m = fields(v, what, withPayload ? ['entry', 'payload', 'proof'] : ['entry', 'proof']);
  const out = { entry: bin(m['entry'], `${what}.entry`), proof: hashes(m['proof'], `${what}.proof`) };
  return withPayload ? { ...out, payload: bin(m['payload'], `${what}.payload`) } : out;
}

/** Decodes strictly; throws Malformed (caught by verifyFraudProof) on anything else. */
function decodeFraudProof(bytes: Uint8Array): FraudProof {
  if (!(bytes instanceof Uint8Array) || bytes.length > FRAUD_PROOF_LIMITS.bytes) bad('too large');
  if (bytes.length < MAGIC.length || !equalBytes(bytes.subarray(0, MAGIC.length), MAGIC))
    bad('not a custody fraud proof (magic)');
  const d = decodeCanonical(bytes.subarray(MAGIC.length));
  if ('error' in d) return bad(`not one canonical MessagePack value (${d.error})`);
  const m = fields(d.value, 'the proof', [
    'v',
    'origin',
    'checkpoint',
    'genesis',
    'previous',
    'index',
    'entry',
    'seen',
    'mapSize',
    'nodes',
    'records',
  ]);
  if (m['v'] !== 1) bad('unknown version');
  if (typeof m['origin'] !== 'string' || typeof m['checkpoint'] !== 'string') bad('origin or checkpoint');
  const nodes = m['nodes'];
  const records = m['records'];
  if (!Array.isArray(nodes) || nodes.length > FRAUD_PROOF_LIMITS.nodes) bad('nodes');
  if (!Array.isArray(records) || records.length > FRAUD_PROOF_LIMITS.records) bad('records');
  const p: FraudProof = {
    origin: m['origin'] as string,
    checkpoint: m['checkpoint'] as string,
    genesis: provenItem(m['genesis'], 'genesis', true) as FraudProof['genesis'],
    previous: provenItem(m['previous'], 'previous', false),
    index: uint(m['index'], 'index'),
    entry: provenItem(m['entry'], 'entry', true) as FraudProof['entry'],
    mapSize: uint(m['mapSize'], 'mapSize'),
    nodes: (nodes as unknown[]).map((n) => bin(n, 'a node')),
    records: (records as unknown[]).map((r) => {
      const x = fields(r, 'a record', ['ns', 'key', 'record']);
      if (typeof x['ns'] !== 'string') bad('a record namespace');
      return {
        ns: x['ns'] as string,
        key: bin(x['key'], 'a record key'),
        record: bin(x['record'], 'a record'),
      };
    }),
  };
  if (m['seen'] !== undefined) {
    const s = fields(m['seen'], 'seen', ['size', 'root', 'proof']);
    p.seen = {
      size: uint(s['size'], 'seen.size'),
      root: bin(s['root'], 'seen.root', 32),
      proof: hashes(s['proof'], 'seen.proof'),
    };
  }
  return p;
}

export type FraudProofResult =
  | {
      /** The proof shows the log key signed a tree whose entry `index` carries a wrong map root. */
      proven: true;
      index: number;
      origin: string;
      size: number;
      /** The root entry `index` carries, and the one the rules give. */
      claimed: Uint8Array;
      correct: Uint8Array;
      /** The rules' verdict on the statement: accepted, or the code it is refused with. */
      outcome: string;
      /** The log's public key (genesis's logKey), which signed the checkpoint. */
      logKey: Uint8Array;
    }
  | { proven: false; reason: string };

const no = (reason: string): FraudProofResult => ({ proven: false, reason });

/** Verifies a fraud proof. Never throws. `proven: false` says why it proves nothing. */
export async function verifyFraudProof(bytes: Uint8Array): Promise<FraudProofResult> {
  let p: FraudProof;
  try {
    p = decodeFraudProof(bytes);
  } catch (e) {
    return no(`not a valid fraud proof: ${e instanceof Error ? e.message : 'unreadable'}`);
  }
  try {
    return await check(p);
  } catch (e) {
    // A node or record missing or damaged surfaces as a CustodyError from the map or the state.
    return no(`the proof is incomplete or damaged: ${e instanceof Error ? e.message : 'unreadable'}`);
  }
}

async function check(p: FraudProof): Promise<FraudProofResult> {
  const note = parseNote(p.checkpoint);
  const cp = parseCheckpoint(note.text);
  if (cp.origin !== p.origin) return no('the checkpoint is for another origin');
  const n = cp.size;
  if (!(p.index >= 1 && p.index < n)) return no('entry p must be inside the checkpoint, after genesis');
  const proven = (index: number, item: ProvenItem) =>
    verifyInclusion(index, n, hashLeaf(item.entry), item.proof, cp.root);
  if (!proven(0, p.genesis) || !proven(p.index - 1, p.previous) || !proven(p.index, p.entry))
    return no('an entry is not proven in the checkpoint’s tree');

  // The log key: genesis's, and the checkpoint must carry its signature.
  const g = decodeEntry(p.genesis.entry).entry;
  if (g.payloadType !== PAYLOAD_TYPES.statement || !equalBytes(sha256(p.genesis.payload), g.payloadHash))
    return no('genesis does not commit to the payload given');
  const ga = admit(p.genesis.payload);
  if ('violation' in ga || ga.statement.kind !== 'genesis' || ga.statement.origin !== p.origin)
    return no('entry 0 is not this log’s genesis');
  const logKey = wireKey(ga.statement.body['logKey']);
  if (logKey.type !== KEY_TYPES.ed25519) return no('the log key is of a type not verified here');
  try {
    verifyNote(note, [ed25519NoteVerifier(p.origin, logKey.publicKey)]);
  } catch {
    return no('the checkpoint is not signed by the log key genesis names');
  }

  const before: Entry = decodeEntry(p.previous.entry).entry;
  const e: Entry = decodeEntry(p.entry.entry).entry;
  if (before.index !== p.index - 1 || e.index !== p.index)
    return no('the entries are not at their positions');
  if (e.payloadType !== PAYLOAD_TYPES.statement || !equalBytes(sha256(p.entry.payload), e.payloadHash))
    return no('entry p does not commit to a statement given');

  // The state before p: a map at the previous root over the nodes given, and the records given.
  const nodes = new Map<string, Uint8Array>();
  for (const b of p.nodes) nodes.set(toHex(hashNode(decodeNode(b))), b);
  const records = new Map<string, Uint8Array>();
  for (const r of p.records) records.set(`${r.ns}/${toHex(r.key)}`, r.record);
  const map = StateMap.open(before.mapRoot, p.mapSize, null, {
    node: (h) => Promise.resolve(nodes.get(toHex(h))),
  });
  const state = new CustodyState({
    map,
    records: (ns, key) => Promise.resolve(records.get(`${ns}/${toHex(key)}`)),
  });

  let outcome = 'refused before the rules';
  const a = admit(p.entry.payload);
  if (!('violation' in a)) {
    const s = a.statement;
    // The rules compare `seen` with the log's root at that size: without that root, proven, the
    // statement would be judged refused (SEEN_MISMATCH) and an honest log falsely accused. So a
    // proof whose statement names a seen size inside the log must carry it, proven consistent
    // with the checkpoint (size 0: the empty tree's root); else it is incomplete.
    let seenRoot: Uint8Array | undefined;
    if (s.seen && s.seen.size <= p.index) {
      if (!p.seen || p.seen.size !== s.seen.size)
        return no('the proof is incomplete: it lacks the root of the checkpoint the statement names (seen)');
      const consistent =
        p.seen.size === 0
          ? equalBytes(p.seen.root, EMPTY_ROOT)
          : p.seen.size === n
            ? equalBytes(p.seen.root, cp.root)
            : verifyConsistency(p.seen.size, n, p.seen.root, cp.root, p.seen.proof);
      if (!consistent) return no('the seen root is not proven consistent with the checkpoint');
      seenRoot = p.seen.root;
    }
    const at: Placement = seenRoot
      ? { index: p.index, time: e.time, seenRoot }
      : { index: p.index, time: e.time };
    await state.prefetch(touchedBy(s, a.id, signerIdOf(s.signer.key)));
    const o = judge(state, a, at);
    if (o.ok) {
      state.apply(o.writes);
      outcome = 'accepted';
    } else outcome = o.violation.code;
  } else outcome = a.violation.code;
  const correct = state.map.root;
  if (equalBytes(correct, e.mapRoot)) return no('entry p carries the map root the rules give: no fraud');
  return {
    proven: true,
    index: p.index,
    origin: p.origin,
    size: n,
    claimed: e.mapRoot,
    correct,
    outcome,
    logKey: logKey.publicKey,
  };
}
