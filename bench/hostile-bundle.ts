/**
 * Bounded work on hostile input (issue 24 item 8; docs/PERFORMANCE.md
 * §Hostile bundles): v2 bundles built at the decoder's limits
 * (BUNDLE_V2_LIMITS: the file, 200,000 entries, 100,000 records, 200,000
 * seen items, 64 hashes per proof, 65,536-byte payloads) so as to cost a
 * verifier as much as they can, each written to a file and verified by
 * verifyBundleV2 in a fresh process, which reports its time and its peak
 * resident memory. Target: every one refused (or verified) in under 30 s and
 * under 1 GiB.
 *
 *   node dist/bench/hostile-bundle.js [--quick] [--shape <name>]... [--scale <f>] [--keep <dir>]   (after npm run build)
 *
 * Also run by bench/run.ts (npm run bench): every shape in full mode, the
 * two costliest (QUICK_SHAPES) with --quick, always at the limits. --scale
 * builds the shapes at a fraction of the limits (to see how they scale).
 *
 * The shapes, built with encodeBundleV2 so that they decode, each filling
 * the file up to its limit with as many items as the count limits allow:
 *
 *   entries-bad-proofs     entries whose inclusion proofs have the full
 *                          length for the checkpoint's (claimed) size and do
 *                          not verify: every proof is hashed in full;
 *   entries-junk-payloads  entries proven in a real tree, genesis first,
 *                          each other payload junk that its entry commits to:
 *                          proven, hashed, refused by the decoder;
 *   records-junk-proofs    100,000 records, each with a map proof of as many
 *                          levels as fit that recomputes a wrong root;
 *   seen-junk-proofs       seen items, each with a consistency proof of the
 *                          full length for its size that fails;
 *   payloads-64k           entries with payloads of 65,536 bytes (the payload
 *                          limit), proven;
 *   statements-refused     proven, well-signed rotations (two signatures
 *                          each, the most a statement needs) by a key nobody
 *                          enrolled: each decoded, both signatures verified,
 *                          then refused (a problem each);
 *   statements-recorded    a ledger of its own, honestly replayed: one exhibit
 *                          with accepted examinations that each record a
 *                          digest mismatch (a warning each), its state records
 *                          proven: the largest bundle that VERIFIES;
 *   lineage-deep           likewise, the exhibit the 1,000th generation of
 *                          derived copies (the most ancestors the verifier
 *                          follows): every per-ancestor pass over every
 *                          statement.
 *
 * Not a test and not part of npm test: it takes minutes and measures.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BUNDLE_V2_LIMITS,
  type BundleV2,
  type BundleV2Entry,
  type BundleV2Record,
  type BundleV2Seen,
  compareRecordKeys,
  encodeBundleV2,
} from '../src/bundle/bundle-v2.js';
import { signCheckpoint } from '../src/checkpoint/checkpoint.js';
import { type Signer, signerFromSeed } from '../src/crypto/ed25519.js';
import { sha256 } from '../src/crypto/sha256.js';
import { admit } from '../src/custody/admit.js';
import { CustodyState } from '../src/custody/custody-state.js';
import { judge } from '../src/custody/judge.js';
import { type Namespace, NS } from '../src/custody/records.js';
import { type Canonical, encodeCanonical } from '../src/format/canonical.js';
import { encodeEntry, PAYLOAD_TYPES } from '../src/format/entry.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../src/format/key-id.js';
import { encodeMapProof, mapPath } from '../src/map/index.js';
import { hashLeaf } from '../src/merkle/hash.js';
import { MemoryNodeStore, MerkleFrontier } from '../src/merkle/index.js';
import { consistencyProof, inclusionProof, rootAt } from '../src/merkle/proofs.js';
import { verifyBundleV2 } from '../src/verify/bundle-v2.js';
import { benchStatement } from './v2-statement.js';

export const HOSTILE_TARGET_S = 30;
export const HOSTILE_TARGET_MB = 1024;
/** A shape still running after this long is stopped and reported at this time (target missed). */
const CHILD_TIMEOUT_MS = 600_000;

const ORIGIN = 'hostile.custody.example/bench';
const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const enc = new TextEncoder();
const seed = (label: string) => sha256(enc.encode(`custody hostile bench ${label}`));
const authority = signerFromSeed(seed('authority'));
const logSigner = signerFromSeed(seed('log'));
const typed = (s: Signer): Canonical => [KEY_TYPES.ed25519, s.publicKey];
const statementKeyId = (s: Signer) =>
  keyIdOf({ type: KEY_TYPES.ed25519, publicKey: s.publicKey }, KEY_PURPOSES.statement);

/** Deterministic junk: SHA-256 in counter mode (fast enough, repeatable). */
function junk(n: number, label: string): Uint8Array {
  const out = new Uint8Array(n);
  const prefix = `junk ${label} `;
  for (let i = 0, at = 0; at < n; i++, at += 32)
    out.set(sha256(enc.encode(prefix + i)).subarray(0, n - at), at);
  return out;
}

/** 1,024 distinct junk hashes, reused across proofs (the builder need not hold millions of objects). */
const POOL = Array.from({ length: 1024 }, (_, i) => sha256(enc.encode(`pool ${i}`)));
const pooled = (k: number, salt: number): Uint8Array[] =>
  Array.from({ length: k }, (_, j) => POOL[(salt * 31 + j * 17) & 1023]!);

/** An in-memory RFC 9162 tree of the entries appended so far (the library's own proof code). */
class Tree {
  readonly #nodes = new MemoryNodeStore();
  readonly #frontier = MerkleFrontier.empty();
  get size() {
    return this.#frontier.size;
  }
  append(entry: Uint8Array) {
    this.#nodes.put(this.#frontier.append(hashLeaf(entry)));
  }
  root(size = this.size) {
    return rootAt(this.#nodes, size);
  }
  inclusion(index: number, size = this.size) {
    return inclusionProof(this.#nodes, index, size);
  }
  consistency(from: number, size = this.size) {
    return consistencyProof(this.#nodes, from, size);
  }
}

const entryOf = (index: number, payload: Uint8Array, mapRoot: Uint8Array = POOL[0]!) =>
  encodeEntry({
    index,
    time: T0 + index,
    mapRoot,
    payloadType: PAYLOAD_TYPES.statement,
    payloadHash: sha256(payload),
  });

const checkpoint = (size: number, root: Uint8Array) =>
  signCheckpoint({ origin: ORIGIN, size, root }, ORIGIN, logSigner);

/** Canonical bytes of one item, to budget how many fit in the file. */
const sizeOf = (v: Canonical) => encodeCanonical(v).length;
const entryItemBytes = (e: BundleV2Entry) =>
  sizeOf({ index: e.index, entry: e.entry, payload: e.payload, proof: e.proof, openings: e.openings });

/** Room for the items: the file limit, less a margin for the header, checkpoint, tail and headers. */
const budget = (scale: number) => Math.floor(BUNDLE_V2_LIMITS.bytes * scale) - 64 * 1024;

function genesis() {
  return benchStatement(ORIGIN, T0, 'genesis', authority, {
    name: 'Hostile bench ledger',
    jurisdiction: 'NL',
    org: 'Bench',
    logKey: typed(logSigner),
  });
}

type Signed = ReturnType<typeof benchStatement>;

interface Built {
  bundle: BundleV2;
  /** What the shape is, as built (counts, sizes). */
  what: string;
}

/** Entries 0 … n − 1 in a real tree with their payloads (and openings), the tail being entry n − 1. */
async function provenBundle(
  payloads: { payload: Uint8Array; openings?: Uint8Array; mapRoot?: Uint8Array }[],
  extra: { records?: BundleV2Record[]; seen?: (t: Tree) => Promise<BundleV2Seen[]> } = {},
): Promise<BundleV2> {
  const tree = new Tree();
  const entries: Uint8Array[] = [];
  for (const [i, p] of payloads.entries()) {
    const e = entryOf(i, p.payload, p.mapRoot);
    entries.push(e);
    tree.append(e);
  }
  const n = tree.size;
  const items: BundleV2Entry[] = [];
  for (const [i, p] of payloads.entries()) {
    const item: BundleV2Entry = {
      index: i,
      entry: entries[i]!,
      payload: p.payload,
      proof: await tree.inclusion(i),
    };
    if (p.openings) item.openings = p.openings;
    items.push(item);
  }
  return {
    origin: ORIGIN,
    exhibit: POOL[1]!,
    checkpoint: checkpoint(n, await tree.root()),
    entries: items,
    tail: { index: n - 1, entry: entries[n - 1]!, proof: items[n - 1]!.proof },
    records: extra.records ?? [],
    seen: extra.seen ? await extra.seen(tree) : [],
  };
}

/**
 * The largest count ≤ max whose items fit in `room` bytes, an item of a
 * bundle of `count` items taking `bytesOf(count)` bytes (proofs grow with
 * the count, so a binary search rather than a division).
 */
function fitting(max: number, room: number, bytesOf: (count: number) => number): number {
  let lo = 1;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (mid * bytesOf(mid) <= room) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Hashes in an inclusion proof of a tree of n leaves (at most). */
const depth = (n: number) => Math.max(1, Math.ceil(Math.log2(n)));

/**
 * (a) As many entries as fit, each with an inclusion proof of the full length
 * for the checkpoint's (claimed) size that does not verify.
 */
async function entriesBadProofs(scale: number): Promise<Built> {
  const payload = new Uint8Array([0x2a]);
  // In a tree of 2^k ≥ count leaves every inclusion proof has k hashes.
  const itemBytes = (count: number) =>
    entryItemBytes({ index: count, entry: entryOf(count, payload), payload, proof: pooled(depth(count), 0) });
  const count = fitting(Math.round(BUNDLE_V2_LIMITS.entries * scale), budget(scale), itemBytes);
  const k = depth(count);
  const size = 2 ** k;
  const stride = Math.floor(size / count);
  const entries: BundleV2Entry[] = [];
  for (let i = 0; i < count; i++) {
    const index = i * stride;
    entries.push({ index, entry: entryOf(index, payload), payload, proof: pooled(k, i) });
  }
  return {
    bundle: {
      origin: ORIGIN,
      exhibit: POOL[1]!,
      checkpoint: checkpoint(size, POOL[2]!),
      entries,
      tail: { index: size - 1, entry: entryOf(size - 1, payload), proof: pooled(k, 7) },
      records: [],
      seen: [],
    },
    what: `${count} entries, each with a failing inclusion proof of ${k} hashes (checkpoint size 2^${k})`,
  };
}

/** (a) As many proven entries as fit, genesis first, each other payload junk its entry commits to. */
async function entriesJunkPayloads(scale: number): Promise<Built> {
  const g = genesis();
  const junkBytes = 100;
  const itemBytes = (count: number) =>
    entryItemBytes({
      index: count,
      entry: entryOf(count, g.bytes),
      payload: new Uint8Array(junkBytes),
      proof: pooled(depth(count), 0),
    });
  const count = fitting(Math.round(BUNDLE_V2_LIMITS.entries * scale), budget(scale), itemBytes);
  const base = junk(junkBytes + count, 'payloads');
  const payloads = [{ payload: g.bytes }];
  for (let i = 1; i < count; i++) payloads.push({ payload: base.subarray(i, i + junkBytes) });
  return {
    bundle: await provenBundle(payloads),
    what: `genesis and ${count - 1} proven entries with ${junkBytes}-byte junk payloads`,
  };
}

/**
 * (b) As many records as the limit allows, each with a map proof of as many
 * levels as fit (one sibling each: a node hash per level), then a wrong root.
 */
async function recordsJunkProofs(scale: number): Promise<Built> {
  const count = Math.round(BUNDLE_V2_LIMITS.records * scale);
  const g = genesis();
  const ns = NS.key;
  const record = junk(32, 'record');
  const recordOf = (i: number, levels: number): BundleV2Record => {
    const key = new Uint8Array(32);
    new DataView(key.buffer).setUint32(28, i);
    const path = mapPath(ns, key);
    const own = (d: number) => ((d & 1) === 0 ? path[d >>> 1]! >>> 4 : path[d >>> 1]! & 15);
    const proof = encodeMapProof({
      levels: Array.from({ length: levels }, (_, d) => ({
        bitmap: 1 << ((own(d) + 1) & 15),
        siblings: POOL[(i + d) & 1023]!,
      })),
      terminal: { kind: 'member', value: sha256(record) },
    });
    return { ns, key, record, proof };
  };
  let levels = 64;
  const item = (r: BundleV2Record) => sizeOf({ ns: r.ns, key: r.key, record: r.record, proof: r.proof });
  while (levels > 1 && item(recordOf(0, levels)) * count > budget(scale)) levels--;
  const records: BundleV2Record[] = [];
  for (let i = 0; i < count; i++) records.push(recordOf(i, levels));
  records.sort(compareRecordKeys);
  return {
    bundle: await provenBundle([{ payload: g.bytes }, { payload: new Uint8Array([0x2a]) }], { records }),
    what: `${count} records, each with a ${levels}-level map proof (${records[0]!.proof.length} bytes) that recomputes a wrong root`,
  };
}

/**
 * The number of hashes in PROOF(m, D[n]) (RFC 9162 §2.1.4.1): SUBPROOF's
 * recursion, counting instead of hashing.
 */
function consistencyLength(m: number, n: number): number {
  let count = 0;
  let b = true;
  for (;;) {
    if (m === n) return count + (b ? 0 : 1);
    let k = 1;
    while (k * 2 < n) k *= 2;
    count++;
    if (m <= k) n = k;
    else {
      m -= k;
      n -= k;
      b = false;
    }
  }
}

/**
 * (c) As many seen items as the limit allows (sizes 1, 2, …), each with a
 * consistency proof of the full length for its size that fails, against the
 * largest claimed checkpoint size whose proofs still fit in the file.
 */
async function seenJunkProofs(scale: number): Promise<Built> {
  const payload = new Uint8Array([0x2a]);
  const itemBytes = new Map<string, number>();
  /** Bytes of seen items of sizes 1 … count against a checkpoint of size 2^exp − 1, and their proof lengths. */
  const total = (count: number, exp: number) => {
    let sum = 0;
    const lengths: number[] = [];
    for (let m = 1; m <= count; m++) {
      const n = consistencyLength(m, 2 ** exp - 1);
      lengths.push(n);
      // An item's encoding depends on m only through the width of its integer.
      const key = `${n} ${m < 128 ? 1 : m < 256 ? 2 : m < 65536 ? 3 : 5}`;
      let b = itemBytes.get(key);
      if (b === undefined) {
        b = sizeOf({ size: m, root: POOL[0]!, proof: pooled(n, 0) });
        itemBytes.set(key, b);
      }
      sum += b;
    }
    return { sum, lengths };
  };
  let count = Math.round(BUNDLE_V2_LIMITS.entries * scale);
  const room = budget(scale);
  let exp = depth(count + 2);
  // Fewer items if even the shortest full-length proofs do not fit; then the longest proofs that do.
  while (total(count, exp).sum > room) count = Math.floor(count * 0.95);
  while (exp < 53 && total(count, exp + 1).sum <= room) exp++;
  const { lengths } = total(count, exp);
  const size = 2 ** exp - 1;
  const seen: BundleV2Seen[] = lengths.map((n, i) => ({
    size: i + 1,
    root: POOL[(i * 7) & 1023]!,
    proof: pooled(n, i),
  }));
  const hashes = lengths.reduce((a, b) => a + b, 0);
  return {
    bundle: {
      origin: ORIGIN,
      exhibit: POOL[1]!,
      checkpoint: checkpoint(size, POOL[2]!),
      entries: [{ index: 0, entry: entryOf(0, payload), payload, proof: pooled(exp, 0) }],
      tail: { index: size - 1, entry: entryOf(size - 1, payload), proof: pooled(exp, 1) },
      records: [],
      seen,
    },
    what: `${count} seen items with failing consistency proofs to size 2^${exp} − 1 (${hashes} hashes in all)`,
  };
}

/** (d) The file at its limit in payloads of the payload limit. */
async function payloads64k(scale: number): Promise<Built> {
  const n = BUNDLE_V2_LIMITS.payload;
  const g = genesis();
  const count = Math.floor(budget(scale) / (n + 800));
  const base = junk(n + count, 'big payloads');
  const payloads = [{ payload: g.bytes }];
  for (let i = 1; i < count; i++) payloads.push({ payload: base.subarray(i, i + n) });
  return {
    bundle: await provenBundle(payloads),
    what: `genesis and ${count - 1} proven entries with ${n}-byte junk payloads`,
  };
}

/**
 * (e) As many proven, well-signed statements as fit, each refused by the
 * rules only after both its signatures verified: rotations (signer and new
 * key, the most signatures a statement needs) by a key nobody enrolled.
 */
async function statementsRefused(scale: number): Promise<Built> {
  const g = genesis();
  const stranger = signerFromSeed(seed('stranger'));
  const next = signerFromSeed(seed('next'));
  // Entry 0 is genesis: the tree root at size 1 is its leaf hash, named by every rotation's seen.
  const root1 = hashLeaf(entryOf(0, g.bytes));
  const rotation = (i: number) =>
    benchStatement(
      ORIGIN,
      T0 + i,
      'rotate',
      stranger,
      { key: typed(next) },
      { after: g.id, seen: { size: 1, root: root1 } },
      [next],
    ).bytes;
  const itemBytes = (count: number) => {
    const payload = rotation(count);
    return entryItemBytes({
      index: count,
      entry: entryOf(count, payload),
      payload,
      proof: pooled(depth(count), 0),
    });
  };
  const count = fitting(Math.round(BUNDLE_V2_LIMITS.entries * scale), budget(scale), itemBytes);
  const payloads = [{ payload: g.bytes }];
  for (let i = 1; i < count; i++) payloads.push({ payload: rotation(i) });
  const bundle = await provenBundle(payloads, {
    seen: async (t) => [{ size: 1, root: root1, proof: await t.consistency(1) }],
  });
  return {
    bundle,
    what: `genesis and ${count - 1} proven rotations (${payloads[1]!.payload.length} bytes), each signed and co-signed, by a key never enrolled`,
  };
}

/**
 * A ledger of the bench's own, built honestly: each statement replayed
 * through admit + judge as the verifier will (signatures aside), its entry
 * carrying the map root after it, so that the state records can be proven
 * against the tail's map root and the bundle VERIFIES.
 */
class HonestLedger {
  readonly state = new CustodyState();
  readonly payloads: { payload: Uint8Array; openings?: Uint8Array; mapRoot: Uint8Array }[] = [];
  readonly tree = new Tree();
  readonly examiner = signerFromSeed(seed('examiner'));

  get size() {
    return this.payloads.length;
  }

  /** Replays `s` at the next index and appends its entry; throws if the rules refuse it. */
  async append(s: Signed): Promise<Signed> {
    const index = this.size;
    const a = admit(s.bytes, false);
    if ('violation' in a) throw new Error(`bench statement refused: ${a.violation.message}`);
    const seen = a.statement.seen;
    const at = seen
      ? { index, time: T0 + index, seenRoot: await this.tree.root(seen.size) }
      : { index, time: T0 + index };
    const o = judge(this.state, a, at);
    if (!o.ok) throw new Error(`bench statement refused at ${index}: ${o.violation.message}`);
    this.state.apply(o.writes);
    const mapRoot = this.state.map.root;
    const p: (typeof this.payloads)[number] = { payload: s.bytes, mapRoot };
    if (s.openings) p.openings = s.openings;
    this.payloads.push(p);
    this.tree.append(entryOf(index, s.bytes, mapRoot));
    return s;
  }

  /** Genesis and the enrolment of an examiner who may also register. */
  async found() {
    const g = await this.append(genesis());
    await this.append(
      benchStatement(
        ORIGIN,
        T0 + 1,
        'enrol',
        authority,
        {
          key: typed(this.examiner),
          purpose: KEY_PURPOSES.statement,
          roles: ['collector', 'examiner'],
          jurisdiction: 'NL',
          name: 'Examiner',
          org: 'Lab',
        },
        { after: g.id, seen: { size: 1, root: await this.tree.root(1) } },
      ),
    );
  }

  register(label: string, parent?: { id: Uint8Array; head: Uint8Array }): Promise<Signed> {
    return this.append(
      benchStatement(
        ORIGIN,
        T0 + this.size,
        'register',
        this.examiner,
        {
          label,
          caseRef: 'NL-2026-0042',
          description: `Seized ${label}`,
          digests: { sha256: sha256(enc.encode(`the evidence ${label}`)) },
          size: 1000,
        },
        parent ? { exhibit: parent.id, after: parent.head } : {},
      ),
    );
  }

  /** An examination of `exhibit` that records a digest other than the registered one. */
  examination(i: number, exhibit: Uint8Array, after: Uint8Array): Signed {
    return benchStatement(
      ORIGIN,
      T0 + i,
      'examine',
      this.examiner,
      { action: `Re-hashed the image (${i})`, digests: { sha256: sha256(enc.encode(`other bytes ${i}`)) } },
      { exhibit, after },
    );
  }

  /** Bytes of one examination item in a bundle of `count` entries (for fitting). */
  examinationBytes(count: number): number {
    const s = this.examination(count, POOL[0]!, POOL[1]!);
    const e: BundleV2Entry = {
      index: count,
      entry: entryOf(count, s.bytes),
      payload: s.bytes,
      proof: pooled(depth(count), 0),
    };
    if (s.openings) e.openings = s.openings;
    return entryItemBytes(e);
  }

  /** The bundle of `exhibit`: every entry, and the records the exporter would carry, proven. */
  async bundle(exhibit: Uint8Array, lineage: readonly Uint8Array[]): Promise<BundleV2> {
    const slots: [Namespace, Uint8Array][] = [
      [NS.ledger, new Uint8Array(0)],
      ...lineage.map((x): [Namespace, Uint8Array] => [NS.exhibit, x]),
      [NS.key, statementKeyId(authority)],
      [NS.key, statementKeyId(this.examiner)],
    ];
    const records = slots.map(([ns, key]): BundleV2Record => {
      const r: BundleV2Record = { ns, key, proof: encodeMapProof(this.state.map.prove(ns, key)) };
      const record = this.state.bytes(ns, key);
      if (record) r.record = record;
      return r;
    });
    records.sort(compareRecordKeys);
    const b = await provenBundle(this.payloads, {
      records,
      seen: async (t) => [{ size: 1, root: await t.root(1), proof: await t.consistency(1) }],
    });
    b.exhibit = exhibit;
    return b;
  }
}

/**
 * (e) An honest ledger: one exhibit and as many accepted examinations of it
 * as fit, each recording a digest mismatch (a warning each; the bookkeeping
 * of these was once quadratic, and spread 200,000 arguments onto the stack).
 */
async function statementsRecorded(scale: number): Promise<Built> {
  const l = new HonestLedger();
  const count = fitting(Math.round(BUNDLE_V2_LIMITS.entries * scale), budget(scale), (n) =>
    l.examinationBytes(n),
  );
  await l.found();
  const reg = await l.register('HDD-01');
  let head = reg.id;
  while (l.size < count) head = (await l.append(l.examination(l.size, reg.id, head))).id;
  return {
    bundle: await l.bundle(reg.id, [reg.id]),
    what: `genesis, an enrolment, a registration and ${count - 3} accepted examinations of it, each recording a digest mismatch`,
  };
}

/**
 * (f) An honest ledger whose exhibit is the 1,000th generation of derived
 * copies (the most ancestors the verifier follows), then as many accepted
 * examinations of it as fit: every per-ancestor pass (facts, timeline,
 * recorded integrity, records) runs over every statement.
 */
async function lineageDeep(scale: number): Promise<Built> {
  const l = new HonestLedger();
  const generations = Math.max(2, Math.round(1000 * scale));
  const count = fitting(
    Math.round(BUNDLE_V2_LIMITS.entries * scale),
    budget(scale) - generations * 2048,
    (n) => l.examinationBytes(n),
  );
  await l.found();
  const first = await l.register('HDD-01');
  const lineage = [first.id];
  let parent = { id: first.id, head: first.id };
  for (let i = 1; i < generations; i++) {
    const copy = await l.register(`HDD-01-C${i}`, parent);
    lineage.push(copy.id);
    parent = { id: copy.id, head: copy.id };
  }
  const x = parent.id;
  let head = x;
  while (l.size < count) head = (await l.append(l.examination(l.size, x, head))).id;
  return {
    bundle: await l.bundle(x, lineage.reverse()),
    what: `an exhibit derived through ${generations} generations of copies, and ${count - generations - 2} accepted examinations of it`,
  };
}

export const HOSTILE_SHAPES = {
  'entries-bad-proofs': entriesBadProofs,
  'entries-junk-payloads': entriesJunkPayloads,
  'records-junk-proofs': recordsJunkProofs,
  'seen-junk-proofs': seenJunkProofs,
  'payloads-64k': payloads64k,
  'statements-refused': statementsRefused,
  'statements-recorded': statementsRecorded,
  'lineage-deep': lineageDeep,
} as const satisfies Record<string, (scale: number) => Promise<Built>>;
export type HostileShape = keyof typeof HOSTILE_SHAPES;
/**
 * What --quick runs, at the limits: the slowest shape (signatures) and the
 * one with the most memory and the most per-exhibit work (a verified bundle).
 */
export const QUICK_SHAPES: readonly HostileShape[] = ['statements-refused', 'lineage-deep'];

/** What the verifying process reports (one JSON line on stdout). */
interface ChildReport {
  verifyS: number;
  maxRssMb: number;
  /** The process's resident set before the bundle was read: Node itself. */
  baseRssMb: number;
  verdict: string;
  problems: number;
  warnings: number;
  codes: Record<string, number>;
}

export interface HostileResult extends ChildReport {
  shape: HostileShape;
  what: string;
  bytes: number;
  buildS: number;
  /** The process was stopped at CHILD_TIMEOUT_MS (or died): the figures are lower bounds. */
  failed?: string;
}

const here = fileURLToPath(import.meta.url);

/** Builds each shape, writes it to `dir` and verifies it in a fresh process. */
export async function hostileBundles(
  opts: {
    /** Only QUICK_SHAPES (unless `shapes` names others). */
    quick?: boolean;
    shapes?: readonly HostileShape[] | undefined;
    /** A fraction of the limits (default 1: at the limits). */
    scale?: number | undefined;
    /** Keep the bundle files here (default: a temporary directory, removed). */
    dir?: string | undefined;
    onProgress?: (s: string) => void;
  } = {},
): Promise<HostileResult[]> {
  const scale = opts.scale ?? 1;
  const say = opts.onProgress ?? (() => {});
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'custody-hostile-'));
  mkdirSync(dir, { recursive: true });
  const out: HostileResult[] = [];
  try {
    const all = Object.keys(HOSTILE_SHAPES) as HostileShape[];
    for (const shape of opts.shapes ?? (opts.quick ? QUICK_SHAPES : all)) {
      const t = performance.now();
      const built = await HOSTILE_SHAPES[shape](scale);
      const bytes = encodeBundleV2(built.bundle);
      const buildS = (performance.now() - t) / 1000;
      if (bytes.length > BUNDLE_V2_LIMITS.bytes)
        throw new Error(`${shape}: ${bytes.length} bytes is over the limit`);
      const file = join(dir, `${shape}.bundle`);
      writeFileSync(file, bytes);
      say(
        `  ${shape}: ${built.what}; ${(bytes.length / 2 ** 20).toFixed(1)} MiB, built in ${buildS.toFixed(1)} s; verifying…`,
      );
      const r = measure(file);
      if (!opts.dir) rmSync(file);
      const result: HostileResult = { shape, what: built.what, bytes: bytes.length, buildS, ...r };
      say(
        `  ${shape}: ${result.verdict} in ${result.verifyS.toFixed(2)} s, peak RSS ${result.maxRssMb.toFixed(0)} MiB, ${result.problems} problems, ${result.warnings} warnings ${JSON.stringify(result.codes)}${result.failed ? ` (${result.failed})` : ''}`,
      );
      out.push(result);
    }
  } finally {
    if (!opts.dir) rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Verifies the bundle file in a fresh process: its time and the kernel's count of its peak memory. */
function measure(file: string): ChildReport & { failed?: string } {
  const key = Buffer.from(authority.publicKey).toString('base64');
  const r = spawnSync(process.execPath, [here, '--verify', file, key], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 1 << 24,
  });
  const line = r.stdout?.trim().split('\n').pop();
  if (r.status === 0 && line) return JSON.parse(line) as ChildReport;
  return {
    verifyS: CHILD_TIMEOUT_MS / 1000,
    maxRssMb: Number.NaN,
    baseRssMb: Number.NaN,
    verdict: 'none',
    problems: 0,
    warnings: 0,
    codes: {},
    failed: r.error ? String(r.error) : `exit ${r.status} ${r.signal ?? ''}: ${r.stderr.slice(-2000)}`,
  };
}

/** The child: read the file, verify it once with the bench authority pinned, report. */
async function child(file: string, key: string) {
  const baseRssMb = process.memoryUsage().rss / 2 ** 20;
  // A copy, as `custody verify-bundle` makes one (cli/commands/bundle.ts): the file's bytes count twice.
  const bytes = new Uint8Array(readFileSync(file));
  const t = performance.now();
  const v = await verifyBundleV2(bytes, {
    authorityKeys: [new Uint8Array(Buffer.from(key, 'base64'))],
    quorum: 0,
  });
  const verifyS = (performance.now() - t) / 1000;
  const codes: Record<string, number> = {};
  for (const p of [...v.problems, ...v.warnings]) codes[p.code] = (codes[p.code] ?? 0) + 1;
  const report: ChildReport = {
    verifyS,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    baseRssMb,
    verdict: v.verdict,
    problems: v.problems.length,
    warnings: v.warnings.length,
    codes,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (process.argv[1] === here) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--verify');
  if (at >= 0) await child(args[at + 1]!, args[at + 2]!);
  else {
    const shapes = args.flatMap((a, i) => (args[i - 1] === '--shape' ? [a as HostileShape] : []));
    for (const s of shapes)
      if (!(s in HOSTILE_SHAPES))
        throw new Error(`unknown shape ${s}: ${Object.keys(HOSTILE_SHAPES).join(', ')}`);
    const keep = args.indexOf('--keep');
    const scaleAt = args.indexOf('--scale');
    const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
    const quick = args.includes('--quick');
    const say = (s: string) => process.stderr.write(`${s}\n`);
    say(
      `hostile v2 bundles (${quick ? QUICK_SHAPES.join(' and ') : 'every shape'}, ${scale === 1 ? 'at the limits' : `at ${scale} of the limits`}; file limit ${BUNDLE_V2_LIMITS.bytes / 2 ** 20} MiB), node ${process.version}`,
    );
    const rs = await hostileBundles({
      quick,
      scale,
      shapes: shapes.length ? shapes : undefined,
      dir: keep >= 0 ? args[keep + 1] : undefined,
      onProgress: say,
    });
    const rows = rs.map((r) => [
      r.shape,
      `${(r.bytes / 2 ** 20).toFixed(1)} MiB`,
      `${r.verifyS.toFixed(2)} s`,
      `${r.maxRssMb.toFixed(0)} MiB`,
      r.verdict,
      String(r.problems + r.warnings),
      r.verifyS < HOSTILE_TARGET_S && r.maxRssMb < HOSTILE_TARGET_MB && !r.failed ? 'yes' : 'NO',
    ]);
    const head = [
      'shape',
      'file',
      'verify',
      'peak RSS',
      'verdict',
      'findings',
      `< ${HOSTILE_TARGET_S} s, < ${HOSTILE_TARGET_MB} MiB`,
    ];
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (r: string[]) => `${r.map((c, i) => c.padEnd(w[i]!)).join('  ')}\n`;
    process.stdout.write(line(head) + line(w.map((n) => '-'.repeat(n))) + rows.map(line).join(''));
  }
}
