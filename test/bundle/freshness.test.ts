/**
 * Freshness files (docs/BUNDLE.md §Freshness: a newer checkpoint for a
 * bundle): a bundle made at checkpoint N, carried to a newer checkpoint M by a
 * consistency proof and map proofs at M, is VERIFIED as of M when nothing of
 * it changed; a later event of the exhibit makes it INCOMPLETE
 * (EXHIBIT_CHANGED_SINCE); a theft revocation made after N that covers a
 * bundled statement FAILS it (SIGNER_COMPROMISED); a file of a fork FAILS
 * (FRESH_CONSISTENCY_INVALID); and no mutation of the file is ever VERIFIED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportFreshnessV2 } from '../../src/bundle/export-freshness.js';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { decodeFreshness, encodeFreshness } from '../../src/bundle/freshness.js';
import { formatCosignerVkey, signCosignature, verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { formatNote, parseNote } from '../../src/checkpoint/note.js';
import { type BundleV2Trust, verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { seededSigner } from '../helpers/world.js';
import {
  bundleWorld,
  chain,
  checkpointOf,
  codesOf,
  expectVerified,
  flip,
  foundedWorld,
  keyIdOfSigner,
  pinAuthority,
  register,
  submit,
  type V2BundleWorld,
} from './v2-helpers.js';

const verifyFresh = (bundle: Uint8Array, fresh: Uint8Array, trust: BundleV2Trust) =>
  verifyBundleV2(bundle, trust, { fresh });

/** The bundle of `label` at the ledger's current size N. */
async function bundleNow(w: V2BundleWorld, label = 'HDD-01') {
  const n = w.ledger.size;
  return { n, bytes: await exportBundleV2(w.ledger.store, w.ids.get(label)!, await checkpointOf(w)) };
}

const freshNow = async (w: V2BundleWorld, bundle: Uint8Array, note?: string) =>
  exportFreshnessV2(w.ledger.store, decodeBundleV2(bundle), note ?? (await checkpointOf(w)));

describe('a bundle refreshed to a newer checkpoint', () => {
  it('no later event of the exhibit: VERIFIED as of M, though other exhibits and its signers moved on', async () => {
    const w = await bundleWorld('fresh ok ');
    const { n, bytes } = await bundleNow(w);
    // The collector signed HDD-01's history and signs again: its key record's `last` moves on.
    await register(w, w.collector, 'USB-09');
    const m = w.ledger.size;
    expect(m).toBeGreaterThan(n);
    const fresh = await freshNow(w, bytes);
    expect(encodeFreshness(decodeFreshness(fresh))).toEqual(fresh);
    const v = await verifyFresh(bytes, fresh, pinAuthority(w));
    expectVerified(v);
    expect([v.coveredSize, v.checkpoint?.size, v.refreshedFrom]).toEqual([m, m, n]);
    expect(v.checks.find((c) => c.id === 'history-complete')?.detail).toContain(
      `up to the checkpoint of size ${m}`,
    );
  });

  it('M = N: an empty consistency proof, VERIFIED as of N', async () => {
    const w = await bundleWorld('fresh same ');
    const { n, bytes } = await bundleNow(w);
    const fresh = await freshNow(w, bytes);
    expect(decodeFreshness(fresh).consistency).toEqual([]);
    const v = await verifyFresh(bytes, fresh, pinAuthority(w));
    expectVerified(v);
    expect(v.coveredSize).toBe(n);
  });

  it('cosigners are judged on the newer checkpoint: a witness who cosigned only M makes it VERIFIED', async () => {
    const w = await bundleWorld('fresh witness ');
    const { bytes } = await bundleNow(w);
    await register(w, w.collector, 'USB-10');
    const witness = seededSigner('fresh witness');
    const WITNESS = verifierFromVkey(formatCosignerVkey('witness.example', witness.publicKey));
    const p = parseNote(await checkpointOf(w));
    const T = 1_780_000_000;
    const note = formatNote(p.text, [
      ...p.signatures.map((s) => s.line),
      signCosignature(p.text, 'witness.example', witness, T),
    ]);
    const trust: BundleV2Trust = { authorityKeys: [w.authority.publicKey], witnesses: [WITNESS] };
    expect((await verifyBundleV2(bytes, trust)).verdict).toBe('UNWITNESSED');
    const v = await verifyFresh(bytes, await freshNow(w, bytes, note), trust);
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
    expect(v.checkpoint).toMatchObject({
      cosignedAt: new Date(T * 1000).toISOString(),
      cosignedBy: ['witness.example'],
    });
  });

  it('a later event of the exhibit: INCOMPLETE, EXHIBIT_CHANGED_SINCE at that event', async () => {
    const w = await bundleWorld('fresh later ');
    const { bytes } = await bundleNow(w);
    const later = await chain(w, 'HDD-01', 'examine', w.custodian, { action: 'Hashed again' });
    const v = await verifyFresh(bytes, await freshNow(w, bytes), pinAuthority(w));
    expect([v.verdict, codesOf(v)]).toEqual(['INCOMPLETE', ['EXHIBIT_CHANGED_SINCE']]);
    expect(v.problems[0]?.seq).toBe(later.index);
  });

  it('a theft revocation after N whose compromisedSince covers a bundled statement: FAILED, SIGNER_COMPROMISED', async () => {
    const w = await foundedWorld('fresh theft ');
    const planted = await register(w, w.collector, 'HDD-77');
    const { bytes } = await bundleNow(w, 'HDD-77');
    expect((await verifyBundleV2(bytes, pinAuthority(w))).verdict).toBe('VERIFIED');
    const r = await submit(
      w,
      'revoke',
      w.authority,
      { key: keyIdOfSigner(w.collector), reason: 'key stolen', compromisedSince: planted.index },
      { after: w.ledgerHead, seen: { size: w.ledger.size, root: w.ledger.root() } },
    );
    w.ledgerHead = r.id;
    const v = await verifyFresh(bytes, await freshNow(w, bytes), pinAuthority(w));
    expect([v.verdict, codesOf(v)]).toEqual(['FAILED', ['SIGNER_COMPROMISED']]);
    expect(v.problems[0]?.seq).toBe(planted.index);
  });

  it('a fork: the exporter refuses it (CHECKPOINT_MISMATCH), and a fork’s file FAILS (FRESH_CONSISTENCY_INVALID)', async () => {
    const a = await bundleWorld('fresh fork ');
    const b = await bundleWorld('fresh fork ');
    expect(a.ledger.root()).toEqual(b.ledger.root());
    await chain(a, 'HDD-01', 'examine', a.custodian, { action: 'the one history' });
    await chain(b, 'HDD-01', 'examine', b.custodian, { action: 'the other history' });
    const bundleA = (await bundleNow(a)).bytes;
    const bundleB = (await bundleNow(b)).bytes;
    await register(b, b.collector, 'USB-11');
    await expect(freshNow(b, bundleA)).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH' });
    const v = await verifyFresh(bundleA, await freshNow(b, bundleB), pinAuthority(a));
    expect(v.verdict).toBe('FAILED');
    expect(codesOf(v)).toContain('FRESH_CONSISTENCY_INVALID');
  });

  it('a file for another exhibit, or not a freshness file at all: FAILED', async () => {
    const w = await bundleWorld('fresh other ');
    const { bytes } = await bundleNow(w);
    const phone = (await bundleNow(w, 'PHONE-01')).bytes;
    const v = await verifyFresh(bytes, await freshNow(w, phone), pinAuthority(w));
    expect([v.verdict, codesOf(v)]).toEqual(['FAILED', ['FRESHNESS_MISMATCH']]);
    const junk = await verifyFresh(bytes, new Uint8Array([1, 2, 3]), pinAuthority(w));
    expect([junk.verdict, codesOf(junk)]).toEqual(['FAILED', ['FRESHNESS_MALFORMED']]);
    expect(() => decodeFreshness(bytes)).toThrow(expect.objectContaining({ code: 'FRESHNESS_MALFORMED' }));
  });

  it('no byte mutation of the freshness file is VERIFIED, and none throws', async () => {
    const w = await bundleWorld('fresh fuzz ');
    const { bytes } = await bundleNow(w);
    await register(w, w.collector, 'USB-12');
    const fresh = await freshNow(w, bytes);
    const trust = pinAuthority(w);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: fresh.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, mask) => {
          const v = await verifyFresh(bytes, flip(fresh, at, mask), trust);
          expect(v.verdict).not.toBe('VERIFIED');
        },
      ),
      { seed: 20260524, numRuns: 150 },
    );
    // Edits re-encoded canonically reach the deeper checks.
    const edit = async (change: (x: ReturnType<typeof decodeFreshness>) => void) => {
      const x = decodeFreshness(fresh);
      change(x);
      return codesOf(await verifyFresh(bytes, encodeFreshness(x), trust));
    };
    expect(await edit((x) => x.records.splice(0, 1))).toEqual(['RECORD_MISSING']);
    expect(await edit((x) => x.consistency.pop())).toEqual(['FRESH_CONSISTENCY_INVALID']);
    expect(await edit((x) => x.tail.proof.reverse())).toEqual(['TAIL_INVALID']);
    expect(await edit((x) => (x.checkpoint = x.checkpoint.replace('\n\n', '\n\n— x ')))).not.toEqual([]);
    // Truncations and trailing bytes too.
    for (const cut of [fresh.subarray(0, fresh.length - 1), Uint8Array.from([...fresh, 0])])
      expect((await verifyFresh(bytes, cut, trust)).verdict).not.toBe('VERIFIED');
  });
});
