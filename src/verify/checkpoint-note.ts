/**
 * Checking a signed checkpoint note against a replayed log (pure).
 *
 * The log key is the one the replayed genesis names (docs/FORMAT.md §Kinds,
 * `logKey`; it never changes), signing under the ledger's origin; so a
 * checkpoint is trusted exactly as far as the log itself is (anchored by a
 * pinned key, or not). Witness cosignatures are checked against keys the
 * caller names, with a k-of-n quorum. Hostile notes give problems, never
 * exceptions.
 */

import { type Checkpoint, parseCheckpoint } from '../checkpoint/checkpoint.js';
import { ed25519NoteVerifier, type NoteVerifier, parseNote } from '../checkpoint/note.js';
import { verifyWithPolicy } from '../checkpoint/policy.js';
import { CustodyError } from '../errors.js';
import { type ProblemCode, problemCodeOf } from '../problem-codes.js';
import type { LedgerIdentity } from './log-checkpoints.js';
import type { Problem } from './report.js';

export interface CheckpointCheck {
  checkpoint: Checkpoint | null;
  /** The log key that signed it, if it verified. */
  signedBy: string | null;
  witnessesVerified: string[];
  quorum: number;
  problems: Problem[];
}

const problem = (code: ProblemCode, message: string): Problem => ({
  code,
  severity: 'error',
  seq: null,
  exhibit: null,
  message,
});

/** Only the body: lets the caller feed size and root to the replay before it knows the log keys. */
export function checkpointBody(noteText: string): Checkpoint | Problem {
  try {
    return parseCheckpoint(parseNote(noteText).text);
  } catch (e) {
    return problem(
      'CHECKPOINT_MALFORMED',
      `the checkpoint is not a valid signed note: ${(e as Error).message}`,
    );
  }
}

export function checkCheckpointNoteV2(
  noteText: string,
  ledger: LedgerIdentity | undefined,
  witnesses: readonly NoteVerifier[] = [],
  quorum = 0,
): CheckpointCheck {
  const out: CheckpointCheck = {
    checkpoint: null,
    signedBy: null,
    witnessesVerified: [],
    quorum,
    problems: [],
  };
  if (!ledger) {
    out.problems.push(
      problem('CHECKPOINT_UNVERIFIABLE', 'the checkpoint cannot be checked: the log has no accepted genesis'),
    );
    return out;
  }
  let log: NoteVerifier;
  try {
    log = ed25519NoteVerifier(ledger.origin, ledger.logKey.publicKey);
  } catch {
    out.problems.push(problem('CHECKPOINT_UNVERIFIABLE', 'the origin is not a valid key name'));
    return out;
  }
  try {
    const r = verifyWithPolicy(noteText, { log, witnesses, quorum });
    out.checkpoint = r.checkpoint;
    out.signedBy = `${ledger.origin} log key`;
    out.witnessesVerified = r.witnessesVerified;
    if (!r.quorumMet)
      out.problems.push(
        problem(
          'WITNESS_QUORUM',
          `${r.witnessesVerified.length} of the ${quorum} required witnesses cosigned the checkpoint`,
        ),
      );
  } catch (e) {
    const code = e instanceof CustodyError ? e.code : 'CHECKPOINT_INVALID';
    const message = `the checkpoint does not verify: ${(e as Error).message}`;
    // The note's and the policy's own codes pass through (NOTE_MALFORMED, POLICY_INVALID, …); one
    // the table does not know is the generic "could not be checked" code, never passed unclassified.
    if (code === 'NOTE_UNVERIFIED' || code === 'NOTE_BAD_SIGNATURE')
      out.problems.push(problem('CHECKPOINT_SIGNATURE_INVALID', message));
    else {
      const p = problemCodeOf(code, message, 'CHECKPOINT_INVALID');
      out.problems.push(problem(p.code, p.message));
    }
  }
  return out;
}
