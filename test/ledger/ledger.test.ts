/**
 * The format v2 ledger as its users see it: statements signed at workstations
 * are submitted to a LogLedger, and what the CLI shows is read back through
 * LedgerView (holder and state, history, actors named from their openings,
 * labels, short ids). Appending, reopening and the agreement with the pure
 * sequencer are log-ledger.test.ts; the store contract is test/store.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { ids45, parse45 } from '../../src/format/short-id.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { ACTORS, AUTHORITY, createCastLedger, digestOf, sign, submit } from '../reliability/lib/cast.js';

const registration = (label: string) =>
  sign({
    kind: 'register',
    signer: ACTORS.collector.signer,
    fields: {
      label,
      caseRef: 'NL-2026-0042',
      description: `Seized ${label}`,
      digests: digestOf(`content of ${label}`),
      size: 10,
      location: 'Amsterdam',
    },
  });

describe('ledger', () => {
  it('records a cross-border custody history that verifies, and the view tells it', async () => {
    const { ledger } = await createCastLedger(new MemoryLogStore());
    const view = new LedgerView(ledger.store);
    const reg = registration('HDD-01');
    const x = reg.id;
    await submit(ledger, reg);
    const transfer = sign({
      kind: 'transfer',
      signer: ACTORS.collector.signer,
      fields: { to: ACTORS.deCustodian.id, reason: 'EIO execution', legalBasis: 'EIO 2026/123' },
      exhibit: x,
      after: x,
    });
    await submit(ledger, transfer);
    expect(await view.exhibit(x)).toMatchObject({
      state: 'pending',
      holder: ACTORS.collector.id,
      to: ACTORS.deCustodian.id,
    });
    const accept = sign({
      kind: 'accept',
      signer: ACTORS.deCustodian.signer,
      fields: { digests: digestOf('content of HDD-01'), seal: 'intact' },
      exhibit: x,
      after: transfer.id,
    });
    const last = await submit(ledger, accept);

    expect(await view.exhibit(x)).toEqual({
      v: 1,
      head: accept.id,
      at: last.index,
      holder: ACTORS.deCustodian.id,
      state: 'held',
      sha256: digestOf('content of HDD-01').sha256,
    });
    const history = await view.history(x);
    expect(history.map((s) => s.statement.kind)).toEqual(['register', 'transfer', 'accept']);
    // The registration's committed fields are read back from the openings stored beside it.
    expect(history[0]!.openings['description']?.value).toBe('Seized HDD-01');
    expect(history[0]!.openings['location']?.value).toBe('Amsterdam');
    expect(history[1]!.openings['reason']?.value).toBe('EIO execution');
    expect(await view.labels()).toEqual([{ id: x, label: 'HDD-01', caseRef: 'NL-2026-0042' }]);
    expect(await view.lookupShort('EX', parse45('EX', ids45('EX', x))!)).toEqual([x]);
    const actors = await view.actors();
    expect(actors.map((a) => [a.name, a.org]).sort()).toEqual(
      [['NFI authority', 'NFI'], ...Object.values(ACTORS).map((a) => [a.name, a.org])].sort(),
    );

    const { report } = await verifyLogStore(ledger.store, { trustedKeys: [AUTHORITY.signer.publicKey] });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, anchored: true, entries: ledger.size, exhibits: 1 });
    expect(report.root).toBe(toHex(ledger.root()));
  });

  it('refuses a transfer by someone who does not hold the exhibit, writing nothing', async () => {
    const { ledger } = await createCastLedger(new MemoryLogStore());
    const reg = registration('HDD-01');
    await submit(ledger, reg);
    const size = ledger.size;
    const root = toHex(ledger.root());
    const before = await new LedgerView(ledger.store).exhibit(reg.id);
    const err = await submit(
      ledger,
      sign({
        kind: 'transfer',
        signer: ACTORS.nlExaminer.signer,
        fields: { to: ACTORS.deCustodian.id, reason: 'x', legalBasis: 'MLA 1' },
        exhibit: reg.id,
        after: reg.id,
      }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CustodyError);
    expect(err).toMatchObject({ code: 'NOT_HOLDER', category: 'custody', details: { index: size } });
    expect(ledger.size).toBe(size);
    expect(toHex(ledger.root())).toBe(root);
    expect(await new LedgerView(ledger.store).exhibit(reg.id)).toEqual(before);
  });

  it('group-commits 50 concurrent registrations into contiguous entries that verify', async () => {
    const { ledger } = await createCastLedger(new MemoryLogStore(), { maxBatch: 16 });
    const start = ledger.size;
    const regs = Array.from({ length: 50 }, (_, i) => registration(`HDD-${i}`));
    const results = await Promise.all(regs.map((r) => submit(ledger, r)));
    expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => start + i),
    );
    const view = new LedgerView(ledger.store);
    for (const [i, r] of regs.entries())
      expect((await view.registration(r.id)).index).toBe(results[i]!.index);
    expect((await view.labels()).map((l) => l.label).sort()).toEqual(regs.map((_, i) => `HDD-${i}`).sort());
    const { report } = await verifyLogStore(ledger.store);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, exhibits: 50, entries: start + 50 });
  });
});
