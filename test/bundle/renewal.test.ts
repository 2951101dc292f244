/**
 * Renewals appended to a bundle (docs/BUNDLE.md §Renewals; src/bundle/renewal.ts):
 * `refresh --append` keeps every field of the bundle and adds a freshness file
 * extending its newest checkpoint; the verifier follows the chain. A bundle
 * made under an Ed25519-only checkpoint, past the Ed25519 sunset, is renewed
 * by one appended dual-signed checkpoint made before the sunset.
 */
import { describe, expect, it } from 'vitest';
import { decodeBundleV2, encodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportFreshness } from '../../src/bundle/export-freshness.js';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { appendRenewal, latestCheckpoint } from '../../src/bundle/renewal.js';
import { mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { dualKeyWorld, growTo } from '../proofs/helpers.js';

const logPq = mlDsa44SignerFromSeed(sha256(new TextEncoder().encode('renewal log')));
const T2 = 1_900_000_000;
const DAY = 86_400_000;

async function world() {
  const { w, exhibit } = await dualKeyWorld(logPq, 7);
  const c1 = await signLogCheckpoint(w.view, w.log);
  const bundle = await exportBundle(w.view, exhibit, c1.note);
  return { w, exhibit: exhibit, bundle, c1 };
}

describe('renewals appended to a bundle', () => {
  it('keep every field of the bundle, chain from N to the newest checkpoint, and the verdict holds as of it', async () => {
    const { w, bundle, c1 } = await world();
    const trust = { authorityKeys: [w.authority.publicKey], quorum: 0 };
    await growTo(w, 10);
    const c2 = await signLogCheckpoint(w.view, w.log);
    const once = appendRenewal(bundle, await exportFreshness(w.view, bundle, c2.note));
    const [before, after] = [decodeBundleV2(bundle), decodeBundleV2(once)];
    expect({ ...after, renewals: undefined }).toEqual({ ...before, renewals: undefined });
    expect(latestCheckpoint(after)).toBe(c2.note);
    await growTo(w, 13);
    const c3 = await signLogCheckpoint(w.view, w.log);
    const twice = appendRenewal(once, await exportFreshness(w.view, once, c3.note));
    expect(decodeBundleV2(twice).renewals).toHaveLength(2);

    const v = await verifyBundleV2(twice, trust);
    expect(v.verdict).toBe('VERIFIED');
    expect(v).toMatchObject({ coveredSize: 13, refreshedFrom: c1.size });
    expect((await verifyBundleV2(once, trust)).coveredSize).toBe(10);
  });

  it('renewals out of order, or one whose consistency proof was damaged, fail', async () => {
    const { w, bundle } = await world();
    const trust = { authorityKeys: [w.authority.publicKey], quorum: 0 };
    await growTo(w, 10);
    const c2 = await signLogCheckpoint(w.view, w.log);
    const once = appendRenewal(bundle, await exportFreshness(w.view, bundle, c2.note));
    await growTo(w, 13);
    const c3 = await signLogCheckpoint(w.view, w.log);
    const twice = decodeBundleV2(appendRenewal(once, await exportFreshness(w.view, once, c3.note)));
    const swapped = encodeBundleV2({ ...twice, renewals: [...twice.renewals!].reverse() });
    const v = await verifyBundleV2(swapped, trust);
    expect(v.verdict).not.toBe('VERIFIED');
    expect(v.problems.map((p) => p.code)).toContain('FRESHNESS_MISMATCH');

    const r = twice.renewals![0]!;
    const damaged = r.slice();
    // A byte deep in the freshness body (its proofs and note): whatever it hits, no VERIFIED.
    for (const at of [r.length - 40, Math.floor(r.length / 2), 60]) {
      damaged.set(r);
      damaged[at] = damaged[at]! ^ 0x01;
      const bad = await verifyBundleV2(
        encodeBundleV2({ ...twice, renewals: [damaged, twice.renewals![1]!] }),
        trust,
      );
      expect(bad.verdict, `byte ${at}`).not.toBe('VERIFIED');
    }
  });

  it('past the Ed25519 sunset: an Ed25519-only bundle is UNANCHORED; renewed to a checkpoint dual-signed before it, VERIFIED', async () => {
    const { w, bundle } = await world();
    await growTo(w, 9);
    const c2 = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 });
    const Tb = (T2 + 3600) * 1000;
    const trust = {
      authorityKeys: [w.authority.publicKey],
      quorum: 0,
      distrust: { ed25519: Tb },
      now: Tb + 20 * 365 * DAY,
    };
    const old = await verifyBundleV2(bundle, trust);
    expect(old.verdict).toBe('UNANCHORED');
    expect(old.problems.map((p) => p.code)).toEqual(['ALGORITHM_SUNSET']);
    const renewed = appendRenewal(bundle, await exportFreshness(w.view, bundle, c2.note));
    const v = await verifyBundleV2(renewed, trust);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.checkpoint?.sunset?.anchoredBy?.time).toBe(new Date(T2 * 1000).toISOString());
  });
});
