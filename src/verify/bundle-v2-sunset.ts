/**
 * Algorithm sunsets (docs/LONG-TERM.md §Sunsets; docs/VERIFYING.md §The
 * relying party's policy, `distrust`): the relying party may say that
 * Ed25519 is not trusted after a date D, for the day an attacker can forge
 * it (THREAT-MODEL.md §8).
 *
 * Rule. Once the verifier's clock is past D:
 *   - an Ed25519 cosignature line (witness or auditor, type 0x04) counts for
 *     nothing: anyone could have made it after D, and no later signature
 *     covers a cosignature line;
 *   - the checkpoint's content and order, and the Ed25519 signatures of the
 *     statements under it (and of the log's Ed25519 line), still count if a
 *     post-quantum signature that is still trusted vouched for that same
 *     checkpoint before D: the log's own ML-DSA-44 line, or a trusted
 *     witness's or auditor's ML-DSA-44 cosignature, dated before D. The tree
 *     then fixes every statement as it was before anyone could forge
 *     Ed25519, so their signatures were made before D too;
 *   - otherwise nothing post-quantum anchors it before D: ALGORITHM_SUNSET
 *     (UNANCHORED), never VERIFIED.
 *
 * Security assumption: ML-DSA-44 and SHA-256 still hold when the verifier
 * runs, and the date on an ML-DSA-44 line is its signer's word (the log's,
 * or a witness's the relying party trusts): a forger of Ed25519 alone cannot
 * make one.
 *
 * Pure: no I/O, no clock (the caller passes `now`).
 */
import type { BundleV2 } from '../bundle/bundle-v2.js';
import { equalBytes } from '../bytes.js';
import { mlDsaCosignatureTimestamp } from '../checkpoint/cosignature-mldsa.js';
import { checkLogMlDsaLines } from '../checkpoint/dual-signed.js';
import { type NoteVerifier, parseNote, SIG_TYPE_COSIGNATURE_MLDSA } from '../checkpoint/note.js';
import type { TlogPolicy } from '../checkpoint/tlog-policy.js';
import type { Findings } from './bundle-v2-checks.js';
import type { BundleV2Trust } from './bundle-v2-facts.js';

/** What the sunset rule found, for the report (absent when no sunset has passed). */
export interface SunsetFacts {
  /** The algorithm past its sunset, and the date (ISO). */
  readonly algorithm: 'Ed25519';
  readonly distrustedFrom: string;
  /** The post-quantum signature that anchored the checkpoint before the sunset, if one did. */
  readonly anchoredBy?: { readonly by: string; readonly time: string };
}

const isPq = (k: NoteVerifier) => k.type === SIG_TYPE_COSIGNATURE_MLDSA;

/**
 * The trust with every Ed25519 cosigner key left out, once Ed25519 is past
 * its sunset: its lines are then unknown keys, ignored (signed-note
 * §Signatures), and quorums count only post-quantum cosignatures. A
 * tlog-policy file keeps its groups and quorum; a witness left with no key
 * there is simply never counted.
 */
export function trustAfterSunset(trust: BundleV2Trust): BundleV2Trust {
  if (!ed25519Distrusted(trust)) return trust;
  const tlogPolicy: TlogPolicy | undefined = trust.tlogPolicy
    ? { ...trust.tlogPolicy, witnesses: trust.tlogPolicy.witnesses.filter((w) => isPq(w.verifier)) }
    : undefined;
  const all = [
    ...(trust.tlogPolicy?.witnesses.map((w) => w.verifier) ?? trust.witnesses ?? []),
    ...(trust.auditors ?? []),
  ];
  return {
    ...trust,
    distrustedCosigners: [...new Set(all.filter((k) => !isPq(k)).map((k) => k.name))],
    ...(trust.witnesses ? { witnesses: trust.witnesses.filter(isPq) } : {}),
    ...(trust.auditors ? { auditors: trust.auditors.filter(isPq) } : {}),
    ...(tlogPolicy ? { tlogPolicy } : {}),
  };
}

/** Whether the relying party distrusts Ed25519 as of its clock. */
export const ed25519Distrusted = (trust: BundleV2Trust): boolean => distrusted(trust, 'ed25519');

/** Whether the relying party's clock is past its sunset for `alg`. */
export function distrusted(trust: BundleV2Trust, alg: 'ed25519' | 'rsa' | 'ecdsa'): boolean {
  const d = trust.distrust?.[alg];
  return d !== undefined && trust.now !== undefined && trust.now >= d;
}

/** Whether any sunset has passed: only then do the post-quantum signatures' dates matter. */
export const anySunsetPassed = (trust: BundleV2Trust): boolean =>
  distrusted(trust, 'ed25519') || distrusted(trust, 'rsa') || distrusted(trust, 'ecdsa');

/** A post-quantum signature on a checkpoint, and the POSIX second it states. */
export interface PqSignature {
  by: string;
  time: number;
}

/**
 * Every verified post-quantum (ML-DSA-44) signature on the checkpoint of `b`,
 * earliest first: the log's own lines by its enrolled keys (`logMlDsaKeys`),
 * and the named witnesses' and auditors' cosignatures. Never throws.
 */
export function postQuantumSignatures(
  b: BundleV2,
  trust: BundleV2Trust,
  logMlDsaKeys: readonly Uint8Array[],
): PqSignature[] {
  const dated: PqSignature[] = [];
  try {
    const note = parseNote(b.checkpoint);
    for (const v of checkLogMlDsaLines(note, b.origin, logMlDsaKeys).verified)
      dated.push({ by: `the log's ML-DSA-44 key`, time: v.timestamp });
    const pqCosigners = [
      ...(trust.tlogPolicy ? trust.tlogPolicy.witnesses.map((w) => w.verifier) : (trust.witnesses ?? [])),
      ...(trust.auditors ?? []),
    ].filter(isPq);
    for (const k of pqCosigners)
      for (const s of note.signatures) {
        if (s.name !== k.name || !equalBytes(s.keyId, k.keyId) || !k.verify(note.text, s.signature)) continue;
        const t = mlDsaCosignatureTimestamp(s.signature);
        if (t !== undefined) dated.push({ by: k.name, time: t });
      }
  } catch {
    // A note that does not parse fails on its own code; it anchors nothing here.
  }
  return dated.sort((x, y) => x.time - y.time);
}

/** The earliest of `signatures` made before `sunset` (ms since 1970), if any. */
export const anchoredBefore = (signatures: readonly PqSignature[], sunset: number) =>
  signatures.find((d) => d.time * 1000 < sunset);

/**
 * Once Ed25519 is past its sunset: the earliest post-quantum signature on
 * the judged checkpoint dated before the sunset, or ALGORITHM_SUNSET.
 */
export function checkSunset(
  trust: BundleV2Trust,
  signatures: readonly PqSignature[],
  f: Findings,
): SunsetFacts | undefined {
  if (!ed25519Distrusted(trust)) return undefined;
  const sunset = trust.distrust!.ed25519!;
  const distrustedFrom = new Date(sunset).toISOString();
  const before = anchoredBefore(signatures, sunset);
  if (!before) {
    f.add(
      'ALGORITHM_SUNSET',
      null,
      null,
      `Ed25519 is not trusted from ${distrustedFrom} (the relying party's policy), and no post-quantum (ML-DSA-44) signature dated before then vouches for the checkpoint: refresh the bundle against a newer dual-signed or post-quantum cosigned checkpoint`,
    );
    return { algorithm: 'Ed25519', distrustedFrom };
  }
  return {
    algorithm: 'Ed25519',
    distrustedFrom,
    anchoredBy: { by: before.by, time: new Date(before.time * 1000).toISOString() },
  };
}
