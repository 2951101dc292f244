/**
 * Verifier policy for witnessed checkpoints: the log's own signature is
 * mandatory, and at least `quorum` distinct configured witnesses must have
 * cosigned (tlog-cosignature: "Log clients can verify a quorum of cosignatures
 * to prevent split-view attacks before trusting an inclusion proof").
 *
 * Witnesses are identified by name and counted once each, however many lines
 * they added; the policy itself must name each witness once and give every
 * witness (and the log) a distinct public key, so one key can never count
 * twice. A signature line by a configured key that fails to verify rejects the
 * whole note (signed-note §Signatures: clients SHOULD), and unknown signature
 * lines are ignored.
 *
 * Error codes: POLICY_INVALID (input) for a malformed policy, plus those of
 * openCheckpoint and verifyNote.
 */
import { toHex } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { type Checkpoint, type OpenCheckpointOptions, openCheckpoint } from './checkpoint.js';
import { type NoteVerifier, verifyNote } from './note.js';

export interface CheckpointPolicy {
  /** The log key; its name must equal the checkpoint origin. */
  readonly log: NoteVerifier;
  /** Trusted witness (cosigner) keys, typically type 0x04. */
  readonly witnesses: readonly NoteVerifier[];
  /** Minimum number of distinct witnesses that must have cosigned (0..witnesses.length). */
  readonly quorum: number;
}

export interface PolicyResult {
  readonly checkpoint: Checkpoint;
  /** Names of the configured witnesses whose cosignature verified, in policy order. */
  readonly witnessesVerified: string[];
  readonly quorumMet: boolean;
}

const invalid = (message: string) => new CustodyError('POLICY_INVALID', message, 'input');

const keyOf = (v: NoteVerifier) => toHex(v.publicKey);

function checkPolicy(policy: CheckpointPolicy): void {
  const { witnesses, quorum } = policy;
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnesses.length) {
    throw invalid('quorum must be an integer between 0 and the number of witnesses');
  }
  const names = new Set<string>();
  const keys = new Set<string>([keyOf(policy.log)]);
  for (const w of witnesses) {
    if (names.has(w.name)) throw invalid(`witness ${w.name} is listed twice`);
    names.add(w.name);
    const k = keyOf(w);
    if (keys.has(k)) throw invalid(`witness ${w.name} shares its public key with the log or another witness`);
    keys.add(k);
  }
}

/**
 * Opens `noteText` as a checkpoint signed by `policy.log`, then verifies the
 * witness cosignatures and reports which witnesses signed and whether the
 * quorum is met. Throws for a missing/bad log signature or a bad signature by
 * any configured key; a short quorum is reported, not thrown.
 */
export function verifyWithPolicy(
  noteText: string,
  policy: CheckpointPolicy,
  opts: OpenCheckpointOptions = {},
): PolicyResult {
  checkPolicy(policy);
  const { checkpoint, note } = openCheckpoint(noteText, policy.log, opts);
  const { verified } = verifyNote(note, [policy.log, ...policy.witnesses]);
  const signed = new Set(verified);
  const witnessesVerified = policy.witnesses.filter((w) => signed.has(w)).map((w) => w.name);
  return { checkpoint, witnessesVerified, quorumMet: witnessesVerified.length >= policy.quorum };
}
