/**
 * The cosignatures a v2 bundle's checkpoint carries, against what the relying
 * party asks for (docs/BUNDLE.md step 6, docs/VERIFYING.md §The relying
 * party's policy): witnesses (consistency, against split views), auditors
 * (PROOFS.md §Auditors: the log was replayed and every rule and map root
 * holds), as of when the newest verified cosignature dates the checkpoint, and
 * the maximum age of evidence. Pure.
 */
import type { BundleV2 } from '../bundle/bundle-v2.js';
import { equalBytes } from '../bytes.js';
import { cosignatureTimestamp } from '../checkpoint/cosignature.js';
import { ed25519NoteVerifier, type NoteVerifier, parseNote } from '../checkpoint/note.js';
import { verifyWithPolicy } from '../checkpoint/policy.js';
import type { TypedKey } from '../format/key-id.js';
import type { Findings } from './bundle-v2-checks.js';
import type { BundleV2Trust } from './bundle-v2-facts.js';

/**
 * Witness cosignatures on the checkpoint (C2SP tlog-cosignature), counted
 * against the caller's witness keys. Without witness keys the check is
 * "not-checked": the checkpoint then rests on the log key alone, and the
 * report says so.
 */
export function witnessQuorum(
  b: BundleV2,
  trust: BundleV2Trust,
  logKey: TypedKey | undefined,
  f: Findings,
): { verified: string[]; quorum: number } {
  const witnesses = trust.witnesses ?? [];
  const quorum = trust.quorum ?? witnesses.length;
  // Auditors asked for are cosigners besides the log too (their own check is auditorQuorum).
  const auditorsAsked = (trust.auditors?.length ?? 0) > 0 && trust.auditorQuorum !== 0;
  if (witnesses.length === 0 && auditorsAsked && trust.quorum === 0) {
    // An auditor is not a witness: it keeps no state across checkpoints, so it does not stand
    // against a split view. The witness check is not performed; the auditors' is AUDITOR_QUORUM.
    f.notChecked(
      'witness-quorum',
      'no witness was asked for (only auditors, who replay the log but keep no state against split views)',
    );
    return { verified: [], quorum: 0 };
  }
  if (witnesses.length === 0) {
    if (trust.quorum === 0) {
      f.notChecked(
        'witness-quorum',
        'no cosignature was asked for: the checkpoint rests on the log key alone',
      );
      f.add(
        'COSIGNATURE_NOT_ASKED',
        null,
        null,
        'no witness cosignature was asked for (--quorum 0): the checkpoint rests on the log key alone',
        'warning',
      );
    } else
      f.add(
        'COSIGNATURE_MISSING',
        null,
        null,
        'no witness key was given, and a cosignature besides the log’s is required by default: give --witness, or --quorum 0 to rest on the log key alone',
      );
    return { verified: [], quorum: trust.quorum === 0 ? 0 : 1 };
  }
  if (!logKey) {
    f.notChecked(
      'witness-quorum',
      'the checkpoint is not signed by the log key, so cosignatures were not counted',
    );
    return { verified: [], quorum };
  }
  return countCosigners(b, logKey, witnesses, quorum, f, 'WITNESS_QUORUM', 'witnesses', '');
}

/**
 * Auditor cosignatures (PROOFS.md §Auditors), counted like witnesses' against
 * the caller's auditor keys. None asked for: nothing is checked, and the
 * report says the state rests on the log key and witnesses only.
 */
export function auditorQuorum(
  b: BundleV2,
  trust: BundleV2Trust,
  logKey: TypedKey | undefined,
  f: Findings,
): { verified: string[]; quorum: number } {
  const auditors = trust.auditors ?? [];
  const quorum = trust.auditorQuorum ?? auditors.length;
  if (auditors.length === 0 || quorum === 0) return { verified: [], quorum: 0 };
  if (!logKey) return { verified: [], quorum };
  return countCosigners(
    b,
    logKey,
    auditors,
    quorum,
    f,
    'AUDITOR_QUORUM',
    'auditors',
    ': nobody the relying party trusts has replayed the log up to it',
  );
}

/**
 * How many of `keys` cosigned the checkpoint (signed-note signatures checked under the log
 * key), and the problem `code` if fewer than `quorum`: one counting for witnesses and auditors.
 */
function countCosigners(
  b: BundleV2,
  logKey: TypedKey,
  keys: readonly NoteVerifier[],
  quorum: number,
  f: Findings,
  code: 'WITNESS_QUORUM' | 'AUDITOR_QUORUM',
  who: 'witnesses' | 'auditors',
  why: string,
): { verified: string[]; quorum: number } {
  try {
    const r = verifyWithPolicy(b.checkpoint, {
      log: ed25519NoteVerifier(b.origin, logKey.publicKey),
      witnesses: [...keys],
      quorum,
    });
    if (!r.quorumMet)
      f.add(
        code,
        null,
        null,
        `${r.witnessesVerified.length} of the ${quorum} required ${who} cosigned the checkpoint${why}`,
      );
    return { verified: r.witnessesVerified, quorum };
  } catch (e) {
    const what = who === 'witnesses' ? 'witness' : 'auditor';
    f.add(
      code,
      null,
      null,
      `${what} cosignatures could not be checked: ${e instanceof Error ? e.message : String(e)}`,
    );
    return { verified: [], quorum };
  }
}

/**
 * As of when the verdict holds: the newest timestamp among the verified
 * cosignatures (witnesses' and auditors'), and who gave it. The log's own
 * signature carries no time; a cosignature's timestamp is its signer's clock
 * (tlog-cosignature), so this is "cosigned at time T by W", not a trusted time.
 */
export function cosignedAt(
  b: BundleV2,
  trust: BundleV2Trust,
  verified: readonly string[],
): { time: number; by: string[] } | undefined {
  const keys = [...(trust.witnesses ?? []), ...(trust.auditors ?? [])].filter((k) =>
    verified.includes(k.name),
  );
  let best: { time: number; by: string[] } | undefined;
  try {
    for (const s of parseNote(b.checkpoint).signatures) {
      const k = keys.find((x) => x.name === s.name && equalBytes(x.keyId, s.keyId));
      const t = k ? cosignatureTimestamp(s.signature) : undefined;
      if (t === undefined) continue;
      if (!best || t > best.time) best = { time: t, by: [s.name] };
      else if (t === best.time && !best.by.includes(s.name)) best.by.push(s.name);
    }
  } catch {
    return undefined;
  }
  return best;
}

/** The relying party's maximum age: evidence not shown fresh enough is INCOMPLETE, never VERIFIED. */
export function freshness(trust: BundleV2Trust, asOf: { time: number } | undefined, f: Findings) {
  if (trust.maxAgeMs === undefined) return;
  const now = trust.now;
  if (now === undefined || !asOf) {
    f.add(
      'EVIDENCE_TOO_OLD',
      null,
      null,
      'the relying party sets a maximum age, and no verified cosignature dates the checkpoint',
    );
    return;
  }
  const age = now - asOf.time * 1000;
  // A cosignature dated ahead of the verifier's clock (beyond five minutes) dates nothing.
  if (age < -300_000) {
    f.add(
      'EVIDENCE_TOO_OLD',
      null,
      null,
      'the newest cosignature is dated in the future: it cannot show the checkpoint is recent',
    );
    return;
  }
  if (age > trust.maxAgeMs)
    f.add(
      'EVIDENCE_TOO_OLD',
      null,
      null,
      `the checkpoint was last cosigned ${Math.floor(age / 86_400_000)} days ago, more than the ${Math.floor(trust.maxAgeMs / 86_400_000)} days the relying party accepts: ask for a bundle at a newer checkpoint`,
    );
}
