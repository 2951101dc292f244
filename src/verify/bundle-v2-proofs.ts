/**
 * The cryptographic half of v2 bundle verification (docs/BUNDLE.md
 * §Verification, steps 2–5): the checkpoint's body and signature, each
 * entry's RFC 9162 inclusion proof against the checkpoint root and its
 * decoding, the tail entry (whose map root the records are proven against),
 * and the consistency proofs that tell the replay the tree root at each
 * `seen` size. Pure; every defect becomes a problem, nothing throws.
 */

import type { BundleV2 } from '../bundle/bundle-v2.js';
import { equalBytes } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { checkLogMlDsaLines } from '../checkpoint/dual-signed.js';
import { ed25519NoteVerifier, type ParsedNote, parseNote, verifyNote } from '../checkpoint/note.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError } from '../errors.js';
import { decodeEntry, type Entry, PAYLOAD_TYPES } from '../format/entry.js';
import { FormatError } from '../format/format-error.js';
import { KEY_TYPES, type TypedKey } from '../format/key-id.js';
import { hashLeaf } from '../merkle/hash.js';
import { verifyConsistency, verifyInclusion } from '../merkle/verify.js';
import { type ProblemCode, problemCodeOf } from '../problem-codes.js';
import type { Findings } from './bundle-v2-checks.js';

export interface CheckpointFacts {
  origin: string;
  size: number;
  root: Uint8Array;
  note: ParsedNote;
}

/** An entry proven in the checkpoint's tree, decoded, at its own index, with the payload it commits to. */
export interface ProvenEntry {
  index: number;
  entry: Entry;
  payload: Uint8Array;
  openings?: Uint8Array;
}

const message = (e: unknown) => (e instanceof Error ? e.message : 'unreadable');

/** An entry that does not decode: the decoder's code (a runtime string, narrowed), else ENTRY_MALFORMED. */
function undecodable(f: Findings, index: number, err: unknown) {
  const p: { code: ProblemCode; message: string } =
    err instanceof FormatError
      ? problemCodeOf(err.code, message(err))
      : { code: 'ENTRY_MALFORMED', message: message(err) };
  f.add(p.code, index, null, p.message);
}

/** Step 2: the checkpoint's body (tlog-checkpoint), of this bundle's origin, of size ≥ 1. */
export function readCheckpoint(b: BundleV2, f: Findings): CheckpointFacts | undefined {
  try {
    const note = parseNote(b.checkpoint);
    const cp = parseCheckpoint(note.text);
    if (cp.origin !== b.origin) {
      f.add(
        'CHECKPOINT_ORIGIN_MISMATCH',
        null,
        null,
        `the checkpoint is for ${cp.origin}, the bundle for ${b.origin}`,
      );
      return undefined;
    }
    if (cp.size === 0) {
      f.add('CHECKPOINT_MALFORMED', null, null, 'the checkpoint is of the empty log');
      return undefined;
    }
    return { origin: cp.origin, size: cp.size, root: cp.root, note };
  } catch (e) {
    f.add(
      'CHECKPOINT_MALFORMED',
      null,
      null,
      `the checkpoint is not a valid signed checkpoint: ${message(e)}`,
    );
    return undefined;
  }
}

/**
 * Step 6 (signature): the checkpoint is signed by the log key genesis names,
 * under the origin as key name (tlog-checkpoint §Signatures). Other signature
 * lines (witness cosignatures) are ignored here (signed-note §Signatures).
 */
export function checkpointSigned(cp: CheckpointFacts, logKey: TypedKey, f: Findings): boolean {
  if (logKey.type !== KEY_TYPES.ed25519) {
    f.add('CHECKPOINT_UNVERIFIABLE', null, null, `log keys of type ${logKey.type} are not verified here`);
    return false;
  }
  try {
    verifyNote(cp.note, [ed25519NoteVerifier(cp.origin, logKey.publicKey)]);
    return true;
  } catch (e) {
    // The codes of the whole-ledger verifier (ERRORS.md): no line by the log key, or one that fails.
    if (e instanceof CustodyError && e.code === 'NOTE_UNVERIFIED')
      f.add('CHECKPOINT_UNSIGNED', null, null, "the checkpoint carries no signature of the ledger's log key");
    else
      f.add(
        'CHECKPOINT_SIGNATURE_INVALID',
        null,
        null,
        "the log key's signature on the checkpoint does not verify",
      );
    return false;
  }
}

/** Steps 3–4: inclusion, decoding, index, payload hash and type, log time order. */
export function proveEntries(b: BundleV2, cp: CheckpointFacts | undefined, f: Findings): ProvenEntry[] {
  const out: ProvenEntry[] = [];
  let lastTime = 0;
  for (const e of b.entries) {
    if (
      !cp ||
      e.index >= cp.size ||
      !verifyInclusion(e.index, cp.size, hashLeaf(e.entry), e.proof, cp.root)
    ) {
      if (cp)
        f.add(
          'PROOF_INVALID',
          e.index,
          null,
          `entry ${e.index} is not proven to be in the log at size ${cp.size}`,
        );
      continue;
    }
    let entry: Entry;
    try {
      entry = decodeEntry(e.entry).entry;
    } catch (err) {
      undecodable(f, e.index, err);
      continue;
    }
    if (entry.index !== e.index) {
      f.add('ENTRY_INDEX_MISMATCH', e.index, null, `the entry at position ${e.index} says ${entry.index}`);
      continue;
    }
    if (entry.time < lastTime) f.add('ENTRY_TIME_REGRESSION', e.index, null, 'log time went backwards');
    lastTime = Math.max(lastTime, entry.time);
    if (!equalBytes(sha256(e.payload), entry.payloadHash)) {
      f.add(
        'PAYLOAD_HASH_MISMATCH',
        e.index,
        null,
        `entry ${e.index}: the payload is not the one the entry commits to`,
      );
      continue;
    }
    if (entry.payloadType !== PAYLOAD_TYPES.statement && entry.payloadType !== PAYLOAD_TYPES.foreign) {
      f.add(
        'PAYLOAD_TYPE_UNKNOWN',
        e.index,
        null,
        `payload type ${entry.payloadType} is not known to this verifier`,
      );
      continue;
    }
    const p: ProvenEntry = { index: e.index, entry, payload: e.payload };
    if (e.openings) p.openings = e.openings;
    out.push(p);
  }
  return out;
}

/** Step 5: the entry at N − 1, proven; its map root is the state the records are proven against. */
export function proveTail(b: BundleV2, cp: CheckpointFacts | undefined, f: Findings): Entry | undefined {
  if (!cp) return undefined;
  const t = b.tail;
  if (t.index !== cp.size - 1 || !verifyInclusion(t.index, cp.size, hashLeaf(t.entry), t.proof, cp.root)) {
    f.add(
      'TAIL_INVALID',
      t.index,
      null,
      `the tail is not proven to be entry ${cp.size - 1}, the checkpoint's last`,
    );
    return undefined;
  }
  try {
    const e = decodeEntry(t.entry).entry;
    if (e.index === t.index) return e;
    f.add('ENTRY_INDEX_MISMATCH', t.index, null, `the tail entry says it is entry ${e.index}`);
  } catch (err) {
    undecodable(f, t.index, err);
  }
  return undefined;
}

/** The tree root at each `seen` size whose consistency proof to (N, checkpoint root) verifies. */
export function proveSeen(
  b: BundleV2,
  cp: CheckpointFacts | undefined,
  f: Findings,
): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  if (!cp) return out;
  for (const s of b.seen) {
    if (verifyConsistency(s.size, cp.size, s.root, cp.root, s.proof)) out.set(s.size, s.root);
    else
      f.add(
        'SEEN_PROOF_INVALID',
        null,
        null,
        `the root given for size ${s.size} is not consistent with the checkpoint`,
      );
  }
  return out;
}

/**
 * Step 6b (docs/BUNDLE.md §Verification): a dual-signed checkpoint's ML-DSA-44
 * line by the log (docs/PROOFS.md §Dual-signed checkpoints). The log's
 * ML-DSA-44 keys are those the bundle's governance statements enrol for
 * purpose log and the replay accepted; a line by one that does not verify is
 * CHECKPOINT_SIGNATURE_INVALID. Returns the keys whose line verified.
 */
export function logMlDsaSigned(
  cp: CheckpointFacts,
  enrolled: readonly Uint8Array[],
  f: Findings,
): { publicKey: Uint8Array; timestamp: number }[] {
  const r = checkLogMlDsaLines(cp.note, cp.origin, enrolled);
  for (const x of r.invalid)
    f.add(
      'CHECKPOINT_SIGNATURE_INVALID',
      null,
      null,
      `the log's ML-DSA-44 signature on the checkpoint of size ${cp.size} does not verify: ${x.reason}`,
    );
  return r.verified;
}
