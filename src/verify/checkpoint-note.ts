/**
 * Checking a signed checkpoint note against a replayed log (pure).
 *
 * The log key is whichever actor with the `log` role (not revoked) signed the
 * note under the ledger's origin; so a checkpoint is trusted exactly as far as
 * the log itself is (anchored by a pinned authority key, or not). Witness
 * cosignatures are checked against keys the caller names, with a k-of-n quorum.
 * Hostile notes give problems, never exceptions.
 */

import { equalBytes } from '../bytes.js';
import { type Checkpoint, parseCheckpoint } from '../checkpoint/checkpoint.js';
import { ed25519NoteVerifier, type NoteVerifier, parseNote } from '../checkpoint/note.js';
import { verifyWithPolicy } from '../checkpoint/policy.js';
import type { ActorRecord } from '../custody/state.js';
import { CustodyError } from '../errors.js';
import type { Problem } from './report.js';

export interface CheckpointCheck {
  checkpoint: Checkpoint | null;
  /** Actor id of the log key that signed it, if one verified. */
  signedBy: string | null;
  witnessesVerified: string[];
  quorum: number;
  problems: Problem[];
}

/**
 * Whether an actor's key may sign a checkpoint of `size` entries: it has the log
 * role, and it was not revoked or retired (rotated out) before those entries —
 * a key taken out of service still vouches for the log as it was, never for
 * anything after (which a stolen retired key could otherwise forge).
 */
export function isLogKeyFor(a: ActorRecord, size: number): boolean {
  if (!a.roles.includes('log')) return false;
  const end = Math.min(a.revokedSeq ?? Number.POSITIVE_INFINITY, a.retiredSeq ?? Number.POSITIVE_INFINITY);
  return size <= end;
}

const problem = (code: string, message: string): Problem => ({
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

export function checkCheckpointNote(
  noteText: string,
  origin: string,
  actors: Iterable<ActorRecord>,
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
  let lines: { name: string; keyId: Uint8Array }[];
  try {
    lines = parseNote(noteText).signatures;
  } catch (e) {
    out.problems.push(
      problem('CHECKPOINT_MALFORMED', `the checkpoint is not a valid signed note: ${(e as Error).message}`),
    );
    return out;
  }
  let size = Number.POSITIVE_INFINITY;
  const body = checkpointBody(noteText);
  if ('size' in body) size = body.size;
  const candidates: [ActorRecord, NoteVerifier][] = [];
  for (const a of actors) {
    if (!isLogKeyFor(a, size)) continue;
    try {
      const v = ed25519NoteVerifier(origin, a.publicKey);
      if (lines.some((l) => l.name === origin && equalBytes(l.keyId, v.keyId))) candidates.push([a, v]);
    } catch {
      // An origin that is not a valid key name cannot have signed checkpoints.
    }
  }
  if (candidates.length === 0) {
    out.problems.push(
      problem(
        'CHECKPOINT_UNSIGNED',
        `the checkpoint carries no signature by a log key of ${origin || 'this ledger'}`,
      ),
    );
    return out;
  }
  for (const [actor, log] of candidates) {
    try {
      const r = verifyWithPolicy(noteText, { log, witnesses, quorum });
      out.checkpoint = r.checkpoint;
      out.signedBy = actor.id;
      out.witnessesVerified = r.witnessesVerified;
      if (!r.quorumMet)
        out.problems.push(
          problem(
            'WITNESS_QUORUM',
            `${r.witnessesVerified.length} of the ${quorum} required witnesses cosigned the checkpoint`,
          ),
        );
      return out;
    } catch (e) {
      const code = e instanceof CustodyError ? e.code : 'CHECKPOINT_INVALID';
      out.problems.push(
        problem(
          code === 'NOTE_UNVERIFIED' || code === 'NOTE_BAD_SIGNATURE' ? 'CHECKPOINT_SIGNATURE_INVALID' : code,
          `the checkpoint does not verify: ${(e as Error).message}`,
        ),
      );
      return out;
    }
  }
  return out;
}
