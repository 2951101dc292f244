/**
 * When a bundle's checkpoint holds (docs/VERIFYING.md §The relying party's
 * policy): as of its newest counted cosignature, no later than the k-th
 * smallest counted witness timestamp, and within the relying party's
 * maximum age. A cosignature's time is its signer's clock; a zero timestamp
 * dates nothing (tlog-cosignature). Pure.
 */
import type { BundleV2 } from '../bundle/bundle-v2.js';
import { equalBytes } from '../bytes.js';
import { cosignatureTimestampOf } from '../checkpoint/cosignature.js';
import { type NoteVerifier, parseNote } from '../checkpoint/note.js';
import type { Findings } from './bundle-v2-checks.js';
import { witnessKeys } from './bundle-v2-cosigners.js';
import type { BundleV2Trust } from './bundle-v2-facts.js';

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
  const keys = [...witnessKeys(trust), ...(trust.auditors ?? [])].filter((k) => verified.includes(k.name));
  let best: { time: number; by: string[] } | undefined;
  try {
    for (const s of parseNote(b.checkpoint).signatures) {
      const k = keys.find((x) => x.name === s.name && equalBytes(x.keyId, s.keyId));
      const t = k ? cosignatureTimestampOf(k.type, s.signature) : undefined;
      if (t === undefined) continue;
      if (!best || t > best.time) best = { time: t, by: [s.name] };
      else if (t === best.time && !best.by.includes(s.name)) best.by.push(s.name);
    }
  } catch {
    return undefined;
  }
  return best;
}

/**
 * A time bound on the checkpoint (docs/LONG-TERM.md §Time): it existed no
 * later than the k-th smallest non-zero timestamp among the cosigners that
 * counted, each name once (its earliest line). With k the quorum, that bound
 * holds as long as fewer than k of them lie about time: at least one honest
 * witness saw the checkpoint by then. A zero timestamp (a `sign-subtree`
 * cosignature) dates nothing (tlog-cosignature), and is left out.
 */
export function existedNoLaterThan(
  b: BundleV2,
  trust: BundleV2Trust,
  verified: readonly string[],
  k: number,
): { time: number; k: number; of: number } | undefined {
  const keys = [...witnessKeys(trust), ...(trust.auditors ?? [])].filter((x) => verified.includes(x.name));
  // The lines of these cosigners were verified when the quorum was counted.
  return kthEarliest(b.checkpoint, keys, k, false);
}

/**
 * The k-th smallest non-zero timestamp on `note` among `keys`, each name once
 * (its earliest line), and how many names dated it. `verify`: check each
 * line's signature here (for a note whose cosigners were not counted yet).
 */
export function kthEarliest(
  note: string,
  keys: readonly NoteVerifier[],
  k: number,
  verify: boolean,
): { time: number; k: number; of: number } | undefined {
  if (k < 1) return undefined;
  const earliest = new Map<string, number>();
  try {
    const n = parseNote(note);
    for (const s of n.signatures) {
      const key = keys.find((x) => x.name === s.name && equalBytes(x.keyId, s.keyId));
      if (!key || (verify && !key.verify(n.text, s.signature))) continue;
      const t = cosignatureTimestampOf(key.type, s.signature);
      if (t === undefined || t === 0) continue;
      earliest.set(s.name, Math.min(t, earliest.get(s.name) ?? Number.POSITIVE_INFINITY));
    }
  } catch {
    return undefined;
  }
  const times = [...earliest.values()].sort((a, c) => a - c);
  const t = times[k - 1];
  return t === undefined ? undefined : { time: t, k, of: times.length };
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
