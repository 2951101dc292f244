import { describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { verifyLog } from '../../src/verify/verifier.js';
import { digestsOf, makeWorld, registerExhibit } from '../helpers/world.js';

async function records(w: Awaited<ReturnType<typeof makeWorld>>) {
  const out: { seq: number; bytes: Uint8Array }[] = [];
  for await (const r of w.ledger.records()) out.push(r);
  return out;
}

describe('ledger', () => {
  it('records a cross-border custody history that verifies', async () => {
    const w = await makeWorld();
    const reg = await registerExhibit(w);
    const x = reg.exhibit!;
    expect(x).toMatch(/^EX-/);
    await w.ledger.append(
      {
        kind: 'transfer',
        body: { exhibit: x, to: w.deCustodian.id, reason: 'EIO execution', legalBasis: 'EIO 2026/123' },
      },
      w.nlCollector.signer,
    );
    await w.ledger.append(
      { kind: 'accept', body: { exhibit: x, digests: digestsOf('disk image bytes'), seal: 'intact' } },
      w.deCustodian.signer,
    );
    const state = await w.ledger.exhibit(x);
    expect(state?.holder).toBe(w.deCustodian.id);
    expect(state?.status).toBe('held');
    expect(state?.mismatches).toEqual([]);
    const { report } = await verifyLog(await records(w), { trustedKeys: [w.authority.signer.publicKey] });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.anchored).toBe(true);
    expect(report.entries).toBe(w.ledger.size);
    expect(report.root).toBe(Buffer.from(w.ledger.root()).toString('hex'));
  });

  it('refuses a transfer by someone who does not hold the exhibit, writing nothing', async () => {
    const w = await makeWorld();
    const { exhibit } = await registerExhibit(w);
    const before = w.ledger.size;
    const err = await w.ledger
      .append(
        {
          kind: 'transfer',
          body: { exhibit: exhibit!, to: w.deCustodian.id, reason: 'x', legalBasis: 'MLA 1' },
        },
        w.nlExaminer.signer,
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CustodyError);
    expect((err as CustodyError).code).toBe('NOT_HOLDER');
    expect((err as CustodyError).category).toBe('custody');
    expect(w.ledger.size).toBe(before);
  });

  it('group-commits concurrent appends into a consistent chain', async () => {
    const w = await makeWorld();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => registerExhibit(w, `HDD-${i}`, `content ${i}`)),
    );
    const seqs = results.map((r) => r.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(50);
    const { report } = await verifyLog(await records(w));
    expect(report.ok).toBe(true);
    expect(report.exhibits).toBe(50);
  });
});
