/**
 * Key lifetimes over the whole ledger (src/verify/log-lifetimes.ts): a theft
 * revocation appended after statements by the stolen key flags them in the
 * whole-ledger verdict as a bundle does (SIGNER_REVOKED, SIGNER_COMPROMISED),
 * and a plain retirement after the key's last statement flags nothing.
 */
import { describe, expect, it } from 'vitest';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { foundedWorld, keyIdOfSigner, register, submit } from '../bundle/v2-helpers.js';

const codesAt = (problems: { code: string; seq: number | null }[]) =>
  problems.map((p) => `${p.code}@${p.seq}`).sort();

describe('key lifetimes in the whole-ledger verdict', () => {
  it('statements a later theft revocation declares invalid are reported at their entries', async () => {
    const w = await foundedWorld('whole lifetimes ');
    const n = { size: w.ledger.size, root: w.ledger.root() };
    const planted = await register(w, w.collector, 'HDD-77');
    const r = await submit(
      w,
      'revoke',
      w.authority,
      { key: keyIdOfSigner(w.collector), reason: 'key stolen', compromisedSince: n.size },
      { after: w.ledgerHead, seen: n },
    );
    w.ledgerHead = r.id;
    const { report } = await verifyLogStore(w.ledger.store, { trustedKeys: [w.authority.publicKey] });
    expect(report.ok).toBe(false);
    expect(codesAt(report.problems)).toEqual([
      `SIGNER_COMPROMISED@${planted.index}`,
      `SIGNER_REVOKED@${planted.index}`,
    ]);
    expect(report.problems.every((p) => p.exhibit?.startsWith('EX-'))).toBe(true);
  });

  it('a retirement after the key’s last statement flags nothing', async () => {
    const w = await foundedWorld('whole lifetimes ok ');
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
    const { report } = await verifyLogStore(w.ledger.store, { trustedKeys: [w.authority.publicKey] });
    expect([report.ok, report.problems]).toEqual([true, []]);
  });
});
