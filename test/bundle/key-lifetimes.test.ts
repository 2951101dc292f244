/**
 * Key lifetimes fixed by the tree (docs/CUSTODY-RULES.md §Key lifetimes), as
 * a bundle shows them: a revocation made against checkpoint n ends the key at
 * n, so a statement by that key at a position ≥ n is invalid in every bundle,
 * wherever the revocation itself was placed. An honest ledger never gets
 * there (REVOCATION_STALE) unless the revocation says so explicitly, as after
 * a theft; this is that case.
 */
import { describe, expect, it } from 'vitest';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import {
  checkpointOf,
  codesOf,
  foundedWorld,
  keyIdOfSigner,
  pinAuthority,
  register,
  submit,
  verify,
} from './v2-helpers.js';

describe('key lifetimes in a bundle', () => {
  it('a statement made after the checkpoint a (theft) revocation names is invalid in the bundle', async () => {
    const w = await foundedWorld('lifetimes ');
    const n = { size: w.ledger.size, root: w.ledger.root() };
    const planted = await register(w, w.collector, 'HDD-77');
    expect(planted.index).toBeGreaterThanOrEqual(n.size);
    const r = await submit(
      w,
      'revoke',
      w.authority,
      { key: keyIdOfSigner(w.collector), reason: 'key stolen', compromisedSince: n.size },
      { after: w.ledgerHead, seen: n },
    );
    w.ledgerHead = r.id;
    const bytes = await exportBundleV2(w.ledger.store, w.ids.get('HDD-77')!, await checkpointOf(w));
    const v = await verify(bytes, pinAuthority(w));
    expect(v.verdict).toBe('FAILED');
    expect(codesOf(v)).toEqual(['SIGNER_COMPROMISED', 'SIGNER_REVOKED']);
    expect(v.problems.find((p) => p.code === 'SIGNER_REVOKED')?.seq).toBe(planted.index);
  });

  it('an exhibit whose statements all came before the revocation’s checkpoint still verifies', async () => {
    const w = await foundedWorld('lifetimes ok ');
    await register(w, w.collector, 'HDD-78');
    const n = { size: w.ledger.size, root: w.ledger.root() };
    const r = await submit(
      w,
      'revoke',
      w.authority,
      { key: keyIdOfSigner(w.collector), reason: 'retired' },
      { after: w.ledgerHead, seen: n },
    );
    w.ledgerHead = r.id;
    const bytes = await exportBundleV2(w.ledger.store, w.ids.get('HDD-78')!, await checkpointOf(w));
    const v = await verify(bytes, pinAuthority(w));
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
  });
});
