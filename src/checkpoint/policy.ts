/**
 * Verifier policy for witnessed checkpoints: the log's own signature is
 * mandatory, and at least `quorum` distinct configured witnesses must have
 * cosigned (tlog-cosignature: "Log clients can verify a quorum of cosignatures
 * to prevent split-view attacks before trusting an inclusion proof").
 *
 * Witnesses are identified by name and counted once each, however many lines
 * they added and however many keys the policy gives them: a C2SP tlog-witness
 * witness publishes an Ed25519 cosigner key (type 0x04, cosignature/v1) and an
 * ML-DSA-44 one (type 0x06, subtree/v1) under the same name, and counts once if
 * any one of its keys cosigned. Every key (and the log's) must be distinct, and
 * a (name, key ID) pair, which is what matches a signature line to a key, may
 * appear only once, so one key can never count twice, and a witness with two
 * keys counts once. A signature line by a configured key that fails to verify rejects
 * the whole note (signed-note §Signatures: clients SHOULD), and unknown
 * signature lines are ignored.
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
  /**
   * Trusted witness (cosigner) keys, type 0x04 or 0x06. A witness may be listed with several
   * keys under its one name (typically its Ed25519 and its ML-DSA-44 key): it still counts once.
   */
  readonly witnesses: readonly NoteVerifier[];
  /**
   * Minimum number of distinct witnesses (names) that must have cosigned: 0 to the number of
   * distinct names in `witnesses`, which is fewer than witnesses.length when a name has two keys.
   */
  readonly quorum: number;
}

export interface PolicyResult {
  readonly checkpoint: Checkpoint;
  /**
   * Names of the configured witnesses of which at least one key's cosignature verified, each
   * name once, in policy order (of its first key): its length is what meets the quorum.
   */
  readonly witnessesVerified: string[];
  readonly quorumMet: boolean;
}

const invalid = (message: string) => new CustodyError('POLICY_INVALID', message, 'input');

const keyOf = (v: NoteVerifier) => toHex(v.publicKey);

function checkPolicy(policy: CheckpointPolicy): void {
  const { witnesses, quorum } = policy;
  const names = new Set<string>();
  const lines = new Set<string>();
  const keys = new Set<string>([keyOf(policy.log)]);
  for (const w of witnesses) {
    // The same name and key ID twice is refused, not deduplicated: with two different keys it is
    // ambiguous (which one verifies that witness's line?), and even as an exact copy it is a
    // mistake in the policy (a key pasted where another witness was meant) that a quorum counted
    // from the list's length would otherwise hide. An error says which entry to fix.
    const line = `${w.name}+${toHex(w.keyId)}`;
    if (lines.has(line)) throw invalid(`witness ${w.name} is listed twice with the key ID ${toHex(w.keyId)}`);
    lines.add(line);
    const k = keyOf(w);
    if (keys.has(k)) throw invalid(`witness ${w.name} shares its public key with the log or another witness`);
    keys.add(k);
    names.add(w.name);
  }
  // Witnesses are names: a quorum above the distinct names could never be met.
  if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > names.size) {
    throw invalid(
      `quorum must be an integer between 0 and the number of distinct witnesses (${names.size}${names.size < witnesses.length ? `, from ${witnesses.length} keys` : ''})`,
    );
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
  // One entry per name, whichever of its keys cosigned (one, or several): never two for a witness.
  const witnessesVerified = [...new Set(policy.witnesses.filter((w) => signed.has(w)).map((w) => w.name))];
  return { checkpoint, witnessesVerified, quorumMet: witnessesVerified.length >= policy.quorum };
}
