/**
 * Renewing a bundle in place (docs/BUNDLE.md §Renewals): `custody refresh
 * --append` adds a freshness file (./freshness.ts) to the bundle's
 * `renewals`. It appends and never rewrites: every field the bundle had,
 * its checkpoint and proofs included, stays byte for byte, and each renewal
 * extends the checkpoint before it (the bundle's, then the previous
 * renewal's). The verifier follows the chain from N to the newest
 * (src/verify/bundle-v2.ts), so one newer, stronger signature renews the
 * whole bundle (docs/LONG-TERM.md §Renewal).
 */
import { CustodyError } from '../errors.js';
import { BUNDLE_V2_LIMITS, type BundleV2, decodeBundleV2, encodeBundleV2 } from './bundle-v2.js';
import { decodeFreshness } from './freshness.js';

/** The newest checkpoint a bundle is proven to: its last renewal's, else its own. */
export function latestCheckpoint(b: BundleV2): string {
  const last = b.renewals?.[b.renewals.length - 1];
  return last ? decodeFreshness(last).checkpoint : b.checkpoint;
}

/** The bundle with `fresh` appended to its renewals (fresh must extend latestCheckpoint). */
export function appendRenewal(bundleBytes: Uint8Array, fresh: Uint8Array): Uint8Array {
  const b = decodeBundleV2(bundleBytes);
  const renewals = [...(b.renewals ?? []), fresh];
  if (renewals.length > BUNDLE_V2_LIMITS.renewals)
    throw new CustodyError(
      'BUNDLE_TOO_LARGE',
      `a bundle holds at most ${BUNDLE_V2_LIMITS.renewals} renewals: export a new one`,
      'input',
    );
  return encodeBundleV2({ ...b, renewals });
}
