import { describe, expect, it } from 'vitest';
import type { AcceptBody } from '../../src/format/events.js';
import { MemoryStore } from '../../src/store/memory.js';
import { verifyLog } from '../../src/verify/verifier.js';
import { makeWorld, registerExhibit } from '../helpers/world.js';
import { storeConformance } from './conformance.js';
import { collect, EXHIBIT_IDS, expectCustodyError, FakeLog } from './helpers.js';

storeConformance('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

describe('MemoryStore', () => {
  it('failNextWrite fails one write, changing nothing', async () => {
    const store = new MemoryStore();
    const log = new FakeLog();
    await store.write(log.batch(2));
    const diskFull = new Error('disk full');
    store.failNextWrite = diskFull;
    const head = await store.readHead();
    const attempt = log.batch(3);
    await expect(store.write(attempt)).rejects.toBe(diskFull);
    expect(store.failNextWrite).toBeUndefined();
    expect(await store.readHead()).toEqual(head);
    expect(await store.entry(2)).toBeUndefined();
    // The same batch goes through on retry.
    await store.write(attempt);
    expect((await store.readHead())?.size).toBe(5);
  });

  it('a failing write leaves the ledger unchanged, and the ledger carries on', async () => {
    const store = new MemoryStore();
    const w = await makeWorld(store);
    const { exhibit } = await registerExhibit(w);
    const x = exhibit!;
    const size = w.ledger.size;
    const root = w.ledger.root().slice();
    const head = structuredClone(w.ledger.head);
    const state = await w.ledger.exhibit(x);
    const events = await store.exhibitEvents(x);

    const diskFull = new Error('disk full');
    store.failNextWrite = diskFull;
    const transfer = () =>
      w.ledger.append(
        {
          kind: 'transfer',
          body: { exhibit: x, to: w.deCustodian.id, reason: 'EIO execution', legalBasis: 'EIO 2026/123' },
        },
        w.nlCollector.signer,
      );
    await expect(transfer()).rejects.toBe(diskFull);

    expect(w.ledger.size).toBe(size);
    expect(w.ledger.root()).toEqual(root);
    expect(w.ledger.head).toEqual(head);
    expect(await w.ledger.exhibit(x)).toEqual(state);
    expect(await store.exhibitEvents(x)).toEqual(events);
    expect(await store.readHead()).toEqual(head);
    expect(await store.entry(size)).toBeUndefined();

    // The same transfer now succeeds, at the seq the failed one would have had,
    // linked to the real predecessor; the receiver can accept it.
    const t = await transfer();
    expect(t.seq).toBe(size);
    const rec = await w.ledger.get(size);
    expect(rec.payload.prev).toEqual(head.head);
    const a = await w.ledger.append(
      { kind: 'accept', body: { exhibit: x, seal: 'intact' } },
      w.deCustodian.signer,
    );
    const acc = await w.ledger.get(a.seq);
    expect(acc.payload.kind).toBe('accept');
    expect((acc.payload.body as AcceptBody).after).toEqual(t.leafHash);
    expect(await w.ledger.exhibit(x)).toMatchObject({ holder: w.deCustodian.id, status: 'held', events: 3 });

    const { report } = await verifyLog(w.ledger.records(), { trustedKeys: [w.authority.signer.publicKey] });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.entries).toBe(size + 2);
    expect(report.root).toBe(Buffer.from(w.ledger.root()).toString('hex'));
  });

  it('a failed group commit rejects only its own drafts; the next batch commits', async () => {
    const store = new MemoryStore();
    const w = await makeWorld(store);
    const size = w.ledger.size;
    const diskFull = new Error('disk full');
    store.failNextWrite = diskFull;
    // The first append starts a commit on its own; the next two queue behind it.
    const results = await Promise.allSettled(
      [1, 2, 3].map((i) => registerExhibit(w, `HDD-${i}`, `content ${i}`)),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(results[0]).toMatchObject({ reason: diskFull });
    const seqs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.seq] : []));
    expect(seqs).toEqual([size, size + 1]);
    expect((await w.ledger.exhibits()).length).toBe(2);
    const { report } = await verifyLog(w.ledger.records());
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(size + 2);
  });

  // Regression: a batch refused for its sequence must write nothing.
  it('a batch refused for its sequence writes nothing', async () => {
    const store = new MemoryStore();
    const log = new FakeLog();
    const good = log.batch(3);
    const bad = structuredClone(good);
    bad.entries[2]!.seq = 5;
    await expectCustodyError(store.write(bad), 'STORE_SEQUENCE');
    expect(await store.readHead()).toBeUndefined();
    expect(await collect(store.entries(0, 10))).toEqual([]);
    expect(await store.exhibitEvents(EXHIBIT_IDS[0])).toEqual([]);
    await store.write(good);
    expect((await store.readHead())?.size).toBe(3);
  });
});
