/**
 * The checkpoints a v2 ledger stores (docs/STORAGE.md §What is stored),
 * checked against the replayed log (docs/VERIFYING.md §Checkpoints).
 *
 * A checkpoint is a C2SP signed note (c2sp.org/tlog-checkpoint) whose origin
 * line is the ledger's origin and whose signature is by the log key the
 * genesis body names (FORMAT.md §Kinds and bodies: `logKey`; v2 has no
 * statement that changes it). Its root must be the replayed tree root at its
 * size: a signed root the entries do not reproduce is a rewritten history or
 * a forged checkpoint. Witness cosignatures are other signature lines and are
 * ignored here (signed-note §Signatures: unknown keys).
 *
 * Pure: no I/O. Hostile notes give problems, never exceptions.
 */
import { equalBytes } from '../bytes.js';
import { type Checkpoint, parseCheckpoint } from '../checkpoint/checkpoint.js';
import { checkLogMlDsaLines } from '../checkpoint/dual-signed.js';
import {
  ed25519NoteVerifier,
  type NoteVerifier,
  type ParsedNote,
  parseNote,
  verifyNote,
} from '../checkpoint/note.js';
import { KEY_TYPES, type TypedKey } from '../format/key-id.js';
import { EMPTY_ROOT } from '../merkle/hash.js';
import type { ProblemCode } from '../problem-codes.js';
import type { Problem } from './report.js';

/** A checkpoint as stored: the size it is stored under and the signed note. */
export interface StoredCheckpoint {
  size: number;
  note: string;
}

/** A root the log must have at a size (a checkpoint the caller verified earlier). */
export interface CheckpointExpectation {
  size: number;
  root: Uint8Array;
  /** What the root was seen in, for the message; default "a checkpoint seen earlier". */
  seenIn?: string;
}

/** Replayed tree roots by size; 0 is always known (the empty tree, RFC 9162 §2.1.1). */
export class RootsAt {
  readonly #roots = new Map<number, Uint8Array>([[0, EMPTY_ROOT]]);
  readonly wanted = new Set<number>();
  /** Sizes the stored checkpoints name (stored under, and in their text) and the expectations. */
  constructor(stored: readonly StoredCheckpoint[], expected: readonly CheckpointExpectation[]) {
    for (const c of stored) {
      this.wanted.add(c.size);
      const cp = parsed(c.note);
      if (!('problem' in cp)) this.wanted.add(cp.checkpoint.size);
    }
    for (const e of expected) this.wanted.add(e.size);
  }
  keep(size: number, root: () => Uint8Array): void {
    if (this.wanted.has(size)) this.#roots.set(size, root());
  }
  get(size: number): Uint8Array | undefined {
    return this.#roots.get(size);
  }
  /** The roots kept, by size. */
  entries(): [number, Uint8Array][] {
    return [...this.#roots].sort((a, b) => a[0] - b[0]);
  }
}

const problem = (code: ProblemCode, message: string): Problem => ({
  code,
  severity: 'error',
  seq: null,
  exhibit: null,
  message,
});

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

function parsed(note: string): { note: ParsedNote; checkpoint: Checkpoint } | { problem: string } {
  try {
    const n = parseNote(note);
    return { note: n, checkpoint: parseCheckpoint(n.text) };
  } catch (e) {
    return { problem: reason(e) };
  }
}

/** What the replay established about the ledger's identity; undefined when genesis was not accepted. */
export interface LedgerIdentity {
  origin: string;
  logKey: TypedKey;
  /** The log's ML-DSA-44 keys the authority enrolled (purpose log), in log order. */
  mlDsaLogKeys?: Uint8Array[];
}

/** Checks every stored checkpoint (codes CHECKPOINT_*; docs/ERRORS.md). */
export function checkStoredCheckpoints(
  stored: readonly StoredCheckpoint[],
  ledger: LedgerIdentity | undefined,
  roots: RootsAt,
  size: number,
): Problem[] {
  const out: Problem[] = [];
  let verifier: NoteVerifier | undefined;
  let unverifiable = ledger ? '' : 'no genesis was accepted, so the origin and the log key are unknown';
  if (ledger && ledger.logKey.type !== KEY_TYPES.ed25519)
    unverifiable = 'the log key is not an Ed25519 key, which this verifier cannot check';
  else if (ledger)
    try {
      verifier = ed25519NoteVerifier(ledger.origin, ledger.logKey.publicKey);
    } catch (e) {
      unverifiable = `the log key cannot verify notes: ${reason(e)}`;
    }
  for (const c of stored) {
    const at = `the checkpoint stored at size ${c.size}`;
    const p = parsed(c.note);
    if ('problem' in p) {
      out.push(problem('CHECKPOINT_MALFORMED', `${at} is not a valid checkpoint: ${p.problem}`));
      continue;
    }
    const cp = p.checkpoint;
    if (cp.size !== c.size)
      out.push(problem('CHECKPOINT_SIZE_MISMATCH', `${at} is of size ${cp.size}: it was moved`));
    if (!verifier || !ledger) {
      out.push(problem('CHECKPOINT_UNVERIFIABLE', `${at} cannot be checked: ${unverifiable}`));
      continue;
    }
    if (cp.origin !== ledger.origin) {
      out.push(problem('CHECKPOINT_ORIGIN_MISMATCH', `${at} is of ${cp.origin}, not of ${ledger.origin}`));
      continue;
    }
    // Only lines by the log key count (name = origin and its key id); others are witnesses or strangers.
    if (!p.note.signatures.some((s) => s.name === verifier.name && equalBytes(s.keyId, verifier.keyId))) {
      out.push(problem('CHECKPOINT_UNSIGNED', `${at} carries no signature by this ledger's log key`));
      continue;
    }
    try {
      verifyNote(p.note, [verifier]);
    } catch (e) {
      out.push(problem('CHECKPOINT_SIGNATURE_INVALID', `${at} does not verify: ${reason(e)}`));
      continue;
    }
    // A dual-signed checkpoint's ML-DSA-44 line by an enrolled log key must verify too.
    const pq = checkLogMlDsaLines(p.note, ledger.origin, ledger.mlDsaLogKeys ?? []);
    if (pq.invalid.length > 0) {
      const why = pq.invalid.map((x) => x.reason).join('; ');
      out.push(
        problem('CHECKPOINT_SIGNATURE_INVALID', `${at}: the log's ML-DSA-44 line does not verify: ${why}`),
      );
      continue;
    }
    // Signed by the log: now its root is a claim the entries must reproduce.
    if (cp.size > size)
      out.push(
        problem(
          'CHECKPOINT_BEYOND_LOG',
          `${at} covers ${cp.size} entries but the log has ${size}: entries were removed`,
        ),
      );
    else if (!equalBytes(roots.get(cp.size) ?? new Uint8Array(0), cp.root))
      out.push(
        problem(
          'CHECKPOINT_ROOT_MISMATCH',
          `${at} signs a root that the first ${cp.size} entries do not have: history was rewritten`,
        ),
      );
  }
  return out;
}

/** Roots the caller saw earlier (v1 codes CHECKPOINT_MISMATCH and LOG_TRUNCATED, same meaning). */
export function checkExpectations(
  expected: readonly CheckpointExpectation[],
  roots: RootsAt,
  size: number,
): Problem[] {
  const out: Problem[] = [];
  for (const e of expected) {
    const seenIn = e.seenIn ?? 'a checkpoint seen earlier';
    if (e.size > size)
      out.push(
        problem(
          'LOG_TRUNCATED',
          `${seenIn} shows ${e.size} entries but the log has only ${size}: entries were removed`,
        ),
      );
    else if (!equalBytes(roots.get(e.size) ?? new Uint8Array(0), e.root))
      out.push(
        problem(
          'CHECKPOINT_MISMATCH',
          `the first ${e.size} entries do not match ${seenIn}: history was rewritten`,
        ),
      );
  }
  return out;
}
