/**
 * A peer ledger's receipt (C2SP tlog-proof), judged against the tlog-policy
 * this ledger's authority recorded for that peer (docs/FEDERATION.md):
 * signed by a log key the policy names for the peer's origin, the entry
 * included in the checkpoint's tree, and the witnesses of the policy that
 * cosigned meeting its quorum (tlog-policy §Defining a witness group: the
 * policy's own names count, each once). Pure; never throws.
 */
import { verifyNote } from '../checkpoint/note.js';
import { quorumSatisfied } from '../checkpoint/tlog-policy-quorum.js';
import { parseTlogProof, type VerifiedTlogProof, verifyTlogProof } from '../checkpoint/tlog-proof.js';
import { parsePeerPolicy } from './peer-policy.js';

/**
 * The verified receipt, or why it is not one (a phrase that follows "the peer's receipt").
 * With `statement`, the entry must commit to it (its payloadHash is its SHA-256).
 */
export function peerReceipt(
  policyText: string,
  origin: string,
  receipt: string,
  statement?: Uint8Array,
): VerifiedTlogProof | string {
  try {
    const policy = parsePeerPolicy(policyText);
    const proof = parseTlogProof(receipt);
    let verified: VerifiedTlogProof | undefined;
    let why = 'is not signed by a log key its policy names';
    for (const log of policy.logs.filter((l) => l.verifier.name === origin)) {
      try {
        verified = verifyTlogProof(proof, { log: log.verifier, ...(statement ? { statement } : {}) });
        break;
      } catch (e) {
        why = e instanceof Error ? e.message : String(e);
      }
    }
    if (!verified) return why;
    const signed = new Set(
      verifyNote(proof.note, [
        ...policy.logs.map((l) => l.verifier),
        ...policy.witnesses.map((w) => w.verifier),
      ]).verified,
    );
    const names = new Set(policy.witnesses.filter((w) => signed.has(w.verifier)).map((w) => w.name));
    if (!quorumSatisfied(policy, names))
      return `checkpoint lacks the witness quorum of the peer's policy (${names.size} cosigned)`;
    return verified;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
