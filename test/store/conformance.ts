/**
 * The LogStore conformance suite (src/store/log-store.ts). Every store
 * implementation runs it: see memory.test.ts and level.test.ts. (That both
 * answer alike for the same batches, side by side, is log-store.test.ts.)
 *
 * `make` returns a fresh, empty store; `reopen` (persistent stores only) opens
 * the same storage again after the test closed the current store; `cleanup`
 * closes whatever is still open and removes the storage.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/bytes.js';
import { NS } from '../../src/custody/records.js';
import { CustodyError } from '../../src/errors.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { inclusionProof, rootAt } from '../../src/merkle/proofs.js';
import { verifyInclusion } from '../../src/merkle/verify.js';
import type { LogStore } from '../../src/store/log-store.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { ACTORS, AUTHORITY, createCastLedger, digestOf, sign, submit } from '../reliability/lib/cast.js';
import {
  collect,
  EX_COPY,
  EX_NONE,
  EX_ONE,
  EX_TWO,
  expectCustodyError,
  FakeLog,
  hash32,
  type Ids,
  openingsOf,
  payloadBytes,
  snapshot,
  statementId,
} from './helpers.js';

export interface StoreHarness {
  store: LogStore;
  reopen?: () => Promise<LogStore>;
  cleanup: () => Promise<void>;
}

const rec = (v: number) => encodeCanonical({ v: 1, n: v });
const key = (label: string) => hash32(`key ${label}`);
const node = (label: string) => ({
  hash: hash32(`node ${label}`),
  bytes: new TextEncoder().encode(`branch ${label}`),
});
const LEAF = { path: hash32('root leaf path'), value: hash32('root leaf value') };

/**
 * Three hand-built batches: 3 + 1 + 6 entries. Batch 2 replaces one record and
 * removes another; batch 3 holds a derived registration (index 6, an event of
 * both EX_COPY and its parent EX_ONE) and a head whose map root is a leaf.
 */
function threeBatches(log: FakeLog) {
  const b1 = log.batch(3, {
    records: [
      { ns: NS.key, key: key('zulu'), bytes: rec(1) },
      { ns: NS.key, key: key('alpha'), bytes: rec(2) },
      { ns: NS.exhibit, key: EX_ONE, bytes: rec(3) },
    ],
    mapNodes: [node('a'), node('b')],
  });
  const b2 = log.batch(1, {
    records: [
      { ns: NS.key, key: key('alpha'), bytes: rec(20) },
      { ns: NS.key, key: key('zulu'), bytes: undefined },
    ],
    mapNodes: [node('c')],
  });
  const b3 = log.batch(6, {
    records: [
      { ns: NS.exhibit, key: EX_ONE, bytes: rec(30) },
      { ns: NS.exhibit, key: EX_COPY, bytes: rec(31) },
      { ns: NS.exhibit, key: EX_TWO, bytes: rec(32) },
    ],
    exhibits: (i) =>
      i === 6 ? [EX_COPY, EX_ONE] : i === 7 || i === 9 ? [EX_TWO] : i === 8 ? [EX_COPY] : [EX_ONE],
    head: { mapSize: 1, mapRootLeaf: LEAF },
  });
  return [b1, b2, b3] as const;
}

const IDS: Ids = {
  statements: [...Array.from({ length: 12 }, (_, i) => statementId(i)), hash32('never logged')],
  exhibits: [EX_ONE, EX_TWO, EX_COPY, EX_NONE],
  mapNodes: ['a', 'b', 'c', 'none'].map((l) => node(l).hash),
  records: [
    [NS.key, key('zulu')],
    [NS.key, key('alpha')],
    [NS.exhibit, EX_ONE],
    [NS.exhibit, EX_TWO],
    [NS.exhibit, EX_COPY],
    [NS.ledger, new Uint8Array(0)],
  ],
  namespaces: Object.values(NS),
};

export function logStoreConformance(name: string, make: () => Promise<StoreHarness>): void {
  describe(`LogStore conformance: ${name}`, () => {
    let harness: StoreHarness | undefined;
    const fresh = async (): Promise<StoreHarness> => {
      harness = await make();
      return harness;
    };
    afterEach(async () => {
      const h = harness;
      harness = undefined;
      if (h) await h.cleanup();
    });

    it('an empty store has no head and nothing in it', async () => {
      const { store } = await fresh();
      expect(await store.readHead()).toBeUndefined();
      expect(await store.entry(0)).toBeUndefined();
      expect(await store.payload(0)).toBeUndefined();
      expect(await store.openings(0)).toBeUndefined();
      expect(await collect(store.items(0, 100))).toEqual([]);
      expect(await store.mapNode(node('a').hash)).toBeUndefined();
      expect(await store.record(NS.exhibit, EX_ONE)).toBeUndefined();
      for (const ns of Object.values(NS)) expect(await collect(store.records(ns))).toEqual([]);
      expect(await store.statementIndex(statementId(0))).toBeUndefined();
      expect(await store.exhibitEvents(EX_ONE)).toEqual([]);
      expect(await store.checkpointSizes()).toEqual([]);
      expect(await store.checkpoint(1)).toBeUndefined();
      await expectCustodyError(store.node(0, 0), 'STORE_CORRUPT');
    });

    it('reads back a written batch exactly', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const [batch] = threeBatches(log);
      const expected = structuredClone(batch);
      await store.write(batch);

      expect(await store.readHead()).toEqual(expected.head);
      for (const e of expected.entries) {
        expect(await store.entry(e.index)).toEqual(e.entry);
        expect(await store.payload(e.index)).toEqual(e.payload);
        expect(await store.openings(e.index)).toEqual(e.openings);
        expect(await store.statementIndex(e.id!)).toBe(e.index);
      }
      // Openings only where the batch had them (entry 0 of every three).
      expect(await Promise.all([0, 1, 2].map(async (i) => (await store.openings(i)) !== undefined))).toEqual([
        true,
        false,
        false,
      ]);
      expect(await store.entry(3)).toBeUndefined();
      expect(await collect(store.items(0, 3))).toEqual(
        expected.entries.map((e) => ({ index: e.index, entry: e.entry, payload: e.payload })),
      );
      for (const n of expected.treeNodes) expect(await store.node(n.level, n.index)).toEqual(n.hash);
      expect(expected.treeNodes.map((n) => `${n.level}/${n.index}`)).toEqual(['0/0', '0/1', '1/0', '0/2']);
      for (const n of expected.mapNodes) expect(await store.mapNode(n.hash)).toEqual(n.bytes);
      for (const r of expected.records) expect(await store.record(r.ns, r.key)).toEqual(r.bytes);
      expect(await store.exhibitEvents(EX_ONE)).toEqual([0, 2]);
      expect(await store.exhibitEvents(EX_TWO)).toEqual([0]);
      expect(await rootAt(store, 3)).toEqual(log.roots[3]);
    });

    it('later batches replace and remove records, move the head and extend the indexes', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const [b1, b2, b3] = threeBatches(log);
      await store.write(b1);
      expect((await store.readHead())?.size).toBe(3);
      await store.write(b2);
      expect(await store.record(NS.key, key('alpha'))).toEqual(rec(20));
      expect(await store.record(NS.key, key('zulu'))).toBeUndefined();
      expect(await collect(store.records(NS.key))).toEqual([{ key: key('alpha'), bytes: rec(20) }]);
      await store.write(b3);
      // The head round-trips, with its map root leaf.
      expect(await store.readHead()).toEqual(log.head({ mapSize: 1, mapRootLeaf: LEAF }));
      expect(await store.record(NS.exhibit, EX_ONE)).toEqual(rec(30));
      // The derived registration at index 6 is an event of the copy and of its parent.
      expect(await store.exhibitEvents(EX_ONE)).toEqual([0, 2, 4, 5, 6]);
      expect(await store.exhibitEvents(EX_COPY)).toEqual([6, 8]);
      expect(await store.exhibitEvents(EX_TWO)).toEqual([0, 3, 7, 9]);
      expect(await store.exhibitEvents(EX_NONE)).toEqual([]);
      for (let i = 0; i < 10; i++) expect(await store.statementIndex(statementId(i))).toBe(i);
      for (const n of [...b1.mapNodes, ...b2.mapNodes]) expect(await store.mapNode(n.hash)).toEqual(n.bytes);
      for (let size = 1; size <= 10; size++) expect(await rootAt(store, size)).toEqual(log.roots[size]);
    });

    it("items(from, to, { openings: true }) carries each entry's stored openings, and only where there are some", async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      for (const b of threeBatches(log)) await store.write(b);
      for (const from of [0, 1, 4]) {
        const items = await collect(store.items(from, 10, { openings: true }));
        expect(items.map((e) => e.index)).toEqual(Array.from({ length: 10 - from }, (_, i) => from + i));
        for (const it of items) expect(it.openings).toEqual(await store.openings(it.index));
      }
      // Without the option, no openings are read.
      for (const it of await collect(store.items(0, 10))) expect(it.openings).toBeUndefined();
    });

    it('items(from, to) yields from <= index < to in order, clipped to what exists', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      for (const b of threeBatches(log)) await store.write(b);
      const range = async (from: number, to: number) =>
        (await collect(store.items(from, to))).map((e) => e.index);
      expect(await range(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await range(3, 7)).toEqual([3, 4, 5, 6]);
      expect(await range(0, 1)).toEqual([0]);
      expect(await range(9, 10)).toEqual([9]);
      expect(await range(8, Number.MAX_SAFE_INTEGER)).toEqual([8, 9]);
      expect(await range(5, 5)).toEqual([]);
      expect(await range(7, 3)).toEqual([]);
      expect(await range(10, 20)).toEqual([]);
      expect(await range(1000, 2000)).toEqual([]);
      for (const e of await collect(store.items(2, 8))) {
        expect(e.entry).toEqual(log.entries[e.index]!.entry);
        expect(e.payload).toEqual(payloadBytes(e.index));
      }
      // Several iterations may be open at once.
      const [a, b] = await Promise.all([collect(store.items(0, 5)), collect(store.items(5, 10))]);
      expect([...a, ...b].map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('node() of a missing node throws STORE_CORRUPT (unavailable)', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const batch = log.batch(3);
      await store.write(batch);
      for (const n of batch.treeNodes) expect(await store.node(n.level, n.index)).toEqual(n.hash);
      for (const [level, index] of [
        [0, 3],
        [1, 1],
        [2, 0],
        [0, 1_000_000],
      ] as const) {
        const e = await expectCustodyError(store.node(level, index), 'STORE_CORRUPT');
        expect(e.category).toBe('unavailable');
      }
    });

    it('records(ns) lists one namespace in bytewise key order; keys of any length', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      // Index keys are canonical arrays of varying length (src/custody/custody-state.ts).
      const keys = [
        encodeCanonical(['K', new Uint8Array([1, 2, 3, 4, 5, 0]), 0]),
        encodeCanonical(['K', new Uint8Array([1, 2, 3, 4, 5, 0]), 200]),
        encodeCanonical(['NL-1', 'hdd-01', 0]),
        new Uint8Array([0xff]),
        new Uint8Array([0x00]),
        new Uint8Array([0x00, 0x00]),
        hash32('a 32-byte key'),
      ];
      await store.write(
        log.batch(1, {
          records: [
            ...keys.map((k, i) => ({ ns: NS.short, key: k, bytes: rec(i) })),
            { ns: NS.label, key: keys[0]!, bytes: rec(99) },
          ],
        }),
      );
      const sorted = [...keys].sort(Buffer.compare);
      const listed = await collect(store.records(NS.short));
      expect(listed.map((r) => r.key)).toEqual(sorted);
      for (const r of listed) expect(r.bytes).toEqual(rec(keys.findIndex((k) => equalBytes(k, r.key))));
      expect(await collect(store.records(NS.label))).toEqual([{ key: keys[0], bytes: rec(99) }]);
      expect(await collect(store.records(NS.ledger))).toEqual([]);
      for (const [i, k] of keys.entries()) expect(await store.record(NS.short, k)).toEqual(rec(i));
      expect(await store.record(NS.digest, keys[0]!)).toBeUndefined();
    });

    it('stores checkpoints by size, lists the sizes ascending and replaces one in place', async () => {
      const { store } = await fresh();
      const note = (n: number) =>
        `custody.test/conformance\n${n}\n${Buffer.from(hash32(String(n))).toString('base64')}\n\n— sig ✓ Müller\n`;
      for (const n of [300, 2, 70_000, 1, 256, 2 ** 32 + 1]) await store.putCheckpoint(n, note(n));
      expect(await store.checkpointSizes()).toEqual([1, 2, 256, 300, 70_000, 2 ** 32 + 1]);
      expect(await store.checkpoint(256)).toBe(note(256));
      expect(await store.checkpoint(2 ** 32 + 1)).toBe(note(2 ** 32 + 1));
      expect(await store.checkpoint(3)).toBeUndefined();
      await store.putCheckpoint(256, 'replaced');
      expect(await store.checkpoint(256)).toBe('replaced');
      expect(await store.checkpointSizes()).toEqual([1, 2, 256, 300, 70_000, 2 ** 32 + 1]);
      // Checkpoints do not disturb the ledger data.
      expect(await store.readHead()).toBeUndefined();
    });

    it('a batch that cannot be written is refused whole: nothing of it lands', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const [b1, b2] = threeBatches(log);
      await store.write(b1);
      const before = await snapshot(store, IDS);
      // A head that cannot be encoded (negative size): the batch fails after its entries were staged.
      await expect(store.write({ ...b2, head: { ...b2.head, size: -1 } })).rejects.toThrow();
      expect(await snapshot(store, IDS)).toEqual(before);
      await store.write(b2);
      expect((await store.readHead())?.size).toBe(4);
    });

    it('after close() every operation fails with a CustodyError', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const [b1, b2] = threeBatches(log);
      await store.write(b1);
      await store.putCheckpoint(3, 'note');
      await store.close();
      const ops: [string, () => Promise<unknown>][] = [
        ['readHead', () => store.readHead()],
        ['write', () => store.write(b2)],
        ['entry', () => store.entry(0)],
        ['payload', () => store.payload(0)],
        ['openings', () => store.openings(0)],
        ['items', () => collect(store.items(0, 3))],
        ['node', () => store.node(0, 0)],
        ['mapNode', () => store.mapNode(node('a').hash)],
        ['record', () => store.record(NS.exhibit, EX_ONE)],
        ['records', () => collect(store.records(NS.key))],
        ['statementIndex', () => store.statementIndex(statementId(0))],
        ['exhibitEvents', () => store.exhibitEvents(EX_ONE)],
        ['putCheckpoint', () => store.putCheckpoint(4, 'x')],
        ['checkpoint', () => store.checkpoint(3)],
        ['checkpointSizes', () => store.checkpointSizes()],
      ];
      for (const [op, run] of ops) {
        const e = await run().then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(e, `${op} after close`).toBeInstanceOf(CustodyError);
      }
    });

    it('round-trips a batch of 5,000 entries with proofs from the stored tree', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const batch = log.batch(5000);
      expect(batch.treeNodes.length).toBe(9995);
      await store.write(batch);
      expect((await store.readHead())?.size).toBe(5000);
      const all = await collect(store.items(0, 5000));
      expect(all.length).toBe(5000);
      // One assertion over all entries (5,000 toEqual calls on byte arrays take seconds).
      const wrong = all
        .filter(
          (e, i) =>
            e.index !== i ||
            !equalBytes(e.entry, log.entries[i]!.entry) ||
            !equalBytes(e.payload, log.entries[i]!.payload),
        )
        .map((e) => e.index);
      expect(wrong).toEqual([]);
      expect((await collect(store.items(4990, 6000))).map((e) => e.index)).toEqual([
        4990, 4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999,
      ]);
      expect(await store.openings(4998)).toEqual(openingsOf(4998));
      expect(await store.openings(4999)).toBeUndefined();
      expect(await rootAt(store, 5000)).toEqual(log.roots[5000]);
      expect(await rootAt(store, 4321)).toEqual(log.roots[4321]);
      const proof = await inclusionProof(store, 1234, 5000);
      expect(verifyInclusion(1234, 5000, hashLeaf(log.entries[1234]!.entry), proof, log.roots[5000]!)).toBe(
        true,
      );
      expect(await store.exhibitEvents(EX_ONE)).toEqual(log.events(EX_ONE));
      expect((await store.exhibitEvents(EX_TWO)).length).toBe(1667);
      expect(await store.statementIndex(statementId(4321))).toBe(4321);
    });

    it('holds a real ledger: what a LogLedger wrote reads back, replays and verifies', async () => {
      const { store } = await fresh();
      const { ledger } = await createCastLedger(store);
      const reg = sign({
        kind: 'register',
        signer: ACTORS.collector.signer,
        fields: {
          label: 'HDD-01',
          caseRef: 'NL-1',
          description: 'Seized disk',
          digests: digestOf('disk'),
          size: 9,
        },
      });
      const transfer = sign({
        kind: 'transfer',
        signer: ACTORS.collector.signer,
        fields: { to: ACTORS.nlExaminer.id, reason: 'imaging' },
        exhibit: reg.id,
        after: reg.id,
      });
      const accept = sign({
        kind: 'accept',
        signer: ACTORS.nlExaminer.signer,
        fields: { digests: digestOf('disk'), seal: 'intact' },
        exhibit: reg.id,
        after: transfer.id,
      });
      const copy = sign({
        kind: 'register',
        signer: ACTORS.nlExaminer.signer,
        fields: {
          label: 'HDD-01 image',
          caseRef: 'NL-1',
          description: 'E01 image',
          digests: digestOf('e01'),
          size: 7,
        },
        exhibit: reg.id,
        after: accept.id,
      });
      const chain = [reg, transfer, accept, copy];
      const at: number[] = [];
      for (const s of chain) at.push((await submit(ledger, s)).index);
      // Three registrations at once: one group commit.
      const more = ['USB-01', 'USB-02', 'USB-03'].map((label) =>
        sign({
          kind: 'register',
          signer: ACTORS.collector.signer,
          fields: { label, caseRef: 'NL-1', description: label, digests: digestOf(label), size: 1 },
        }),
      );
      await Promise.all(more.map((s) => submit(ledger, s)));
      const size = ledger.size;
      expect(size).toBe(6 + 4 + 3);

      expect(await store.readHead()).toMatchObject({ size, mapRoot: ledger.mapRoot });
      expect(await rootAt(store, size)).toEqual(ledger.root());
      for (const [i, s] of chain.entries()) {
        expect(await store.statementIndex(s.id)).toBe(at[i]);
        expect(await store.payload(at[i]!)).toEqual(s.bytes);
        expect(await store.openings(at[i]!)).toEqual(s.openingBytes);
      }
      // The derived registration is an event of both exhibits.
      expect(await store.exhibitEvents(reg.id)).toEqual(at);
      expect(await store.exhibitEvents(copy.id)).toEqual([at[3]]);
      for (const s of more) expect((await store.exhibitEvents(s.id)).length).toBe(1);
      const items = await collect(store.items(0, size));
      expect(items.map((it) => it.index)).toEqual(Array.from({ length: size }, (_, i) => i));
      for (const it of items) expect(await store.node(0, it.index)).toEqual(hashLeaf(it.entry));

      const view = new LedgerView(store);
      expect((await view.exhibits()).map((x) => x.id).sort(Buffer.compare)).toEqual(
        [reg.id, copy.id, ...more.map((s) => s.id)].sort(Buffer.compare),
      );
      expect(await view.exhibit(copy.id)).toMatchObject({ parent: reg.id, holder: ACTORS.nlExaminer.id });
      expect((await view.history(reg.id)).map((s) => s.statement.kind)).toEqual([
        'register',
        'transfer',
        'accept',
        'register',
      ]);
      expect((await view.ledgerStatements()).map((s) => s.statement.kind)).toEqual([
        'genesis',
        ...Object.values(ACTORS).map(() => 'enrol'),
      ]);
      expect((await view.actors()).map((a) => a.name)).toEqual(
        expect.arrayContaining(Object.values(ACTORS).map((a) => a.name)),
      );

      const r = await verifyLogStore(store, { trustedKeys: [AUTHORITY.signer.publicKey] });
      expect(r.report.problems).toEqual([]);
      expect(r.report).toMatchObject({ ok: true, anchored: true, entries: size, exhibits: 5 });
      expect(r.report.root).toBe(Buffer.from(ledger.root()).toString('hex'));
    });

    it('persists everything across close and reopen, and the reopened store carries on', async (ctx) => {
      const h = await fresh();
      if (!h.reopen) return ctx.skip();
      const log = new FakeLog();
      for (const b of threeBatches(log)) await h.store.write(b);
      await h.store.putCheckpoint(4, 'four');
      await h.store.putCheckpoint(10, 'ten ✓');
      const before = await snapshot(h.store, IDS);
      await h.store.close();
      const store = await h.reopen();
      const after = await snapshot(store, IDS);
      expect(after).toEqual(before);
      expect(after.items.length).toBe(10);
      expect(after.nodes.length).toBe(18);
      await store.write(log.batch(2));
      expect(await store.readHead()).toEqual(log.head());
      expect(await rootAt(store, 12)).toEqual(log.roots[12]);
      expect(await store.exhibitEvents(EX_ONE)).toEqual([0, 2, 4, 5, 6, 10]);
    });
  });
}
