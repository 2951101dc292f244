/**
 * The LedgerStore conformance suite (src/store/store.ts). Every store
 * implementation runs it: see memory.test.ts and level.test.ts.
 *
 * `make` returns a fresh, empty store; `reopen` (persistent stores only) opens
 * the same storage again after the test closed the current store; `cleanup`
 * closes whatever is still open and removes the storage.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { decodeRecord } from '../../src/format/record.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { inclusionProof, rootAt } from '../../src/merkle/proofs.js';
import { verifyInclusion } from '../../src/merkle/verify.js';
import type { LedgerStore } from '../../src/store/store.js';
import { verifyLog } from '../../src/verify/verifier.js';
import {
  ACTOR_IDS,
  actorRecord,
  collect,
  custodyScenario,
  EXHIBIT_IDS,
  exhibitRecord,
  expectCustodyError,
  FakeLog,
  hash32,
  snapshot,
  worldActorIds,
} from './helpers.js';

export interface StoreHarness {
  store: LedgerStore;
  reopen?: () => Promise<LedgerStore>;
  cleanup: () => Promise<void>;
}

const [ZULU, ALPHA, MIKE] = ACTOR_IDS;
const [EX_ONE, EX_TWO, EX_COPY] = EXHIBIT_IDS;
const ALL_IDS = { actors: [...ACTOR_IDS, 'AC-nobody'], exhibits: [...EXHIBIT_IDS, 'EX-nothing'] };

/**
 * Three hand-built batches: 3 + 1 + 6 entries. Actors are written in an order
 * unrelated to enrolledSeq and to their ids; batch 2 replaces an actor and an
 * exhibit record; batch 3 holds a derived registration (seq 6, an event of both
 * EX-one-copy and its parent EX-one).
 */
function threeBatches(log: FakeLog) {
  const b1 = log.batch(3, {
    actors: [actorRecord(MIKE, 2), actorRecord(ZULU, 0), actorRecord(ALPHA, 1)],
    exhibits: [exhibitRecord(EX_ONE, 0, 2)],
  });
  const b2 = log.batch(1, {
    actors: [actorRecord(ALPHA, 1, { revokedSeq: 3, revokeReason: 'key compromised' })],
    exhibits: [
      exhibitRecord(EX_ONE, 0, 3, {
        status: 'in-transit',
        pending: { from: ZULU, to: MIKE, seq: 3, legalBasis: 'EIO 1' },
      }),
    ],
  });
  const b3 = log.batch(6, {
    exhibits: [
      exhibitRecord(EX_ONE, 0, 6, { mismatches: [4], brokenSeals: [5] }),
      exhibitRecord(EX_COPY, 6, 8, { parent: EX_ONE }),
      exhibitRecord(EX_TWO, 7, 9),
    ],
    tag: (seq) => ({
      actor: seq === 6 ? MIKE : ZULU,
      exhibits:
        seq === 6 ? [EX_COPY, EX_ONE] : seq === 7 || seq === 9 ? [EX_TWO] : seq === 8 ? [EX_COPY] : [EX_ONE],
    }),
  });
  return [b1, b2, b3] as const;
}

export function storeConformance(name: string, make: () => Promise<StoreHarness>): void {
  describe(`LedgerStore conformance: ${name}`, () => {
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
      expect(await collect(store.entries(0, 100))).toEqual([]);
      expect(await store.actor(ZULU)).toBeUndefined();
      expect(await store.exhibit(EX_ONE)).toBeUndefined();
      expect(await collect(store.listActors())).toEqual([]);
      expect(await collect(store.listExhibits())).toEqual([]);
      expect(await store.exhibitEvents(EX_ONE)).toEqual([]);
      expect(await store.actorEntries(ZULU)).toEqual([]);
      expect(await store.checkpointSizes()).toEqual([]);
      expect(await store.checkpoint(1)).toBeUndefined();
      await expectCustodyError(store.node(0, 0), 'STORE_CORRUPT');
    });

    it('reads back a written batch exactly', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const batch = log.batch(3, {
        actors: [actorRecord(MIKE, 2), actorRecord(ZULU, 0, { roles: ['authority'] }), actorRecord(ALPHA, 1)],
        exhibits: [exhibitRecord(EX_ONE, 0, 2), exhibitRecord(EX_TWO, 1, 1, { parent: EX_ONE })],
      });
      const expected = structuredClone(batch);
      await store.write(batch);

      expect(await store.readHead()).toEqual(expected.head);
      for (const e of expected.entries) expect(await store.entry(e.seq)).toEqual(e.bytes);
      expect(await store.entry(3)).toBeUndefined();
      expect(await collect(store.entries(0, 3))).toEqual(
        expected.entries.map((e) => ({ seq: e.seq, bytes: e.bytes })),
      );
      for (const n of expected.nodes) expect(await store.node(n.level, n.index)).toEqual(n.hash);
      expect(expected.nodes.map((n) => `${n.level}/${n.index}`)).toEqual(['0/0', '0/1', '1/0', '0/2']);
      for (const a of expected.actors) expect(await store.actor(a.id)).toEqual(a);
      for (const x of expected.exhibits) expect(await store.exhibit(x.id)).toEqual(x);
      expect(await store.exhibit(EX_TWO)).toHaveProperty('parent', EX_ONE);
      expect(await store.actor(ZULU)).not.toHaveProperty('revokedSeq');
      expect(await store.exhibitEvents(EX_ONE)).toEqual([0, 2]);
      expect(await store.exhibitEvents(EX_TWO)).toEqual([0]);
      expect(await store.actorEntries(ZULU)).toEqual([0]);
      expect(await store.actorEntries(ALPHA)).toEqual([1]);
      expect(await store.actorEntries(MIKE)).toEqual([2]);
      expect(await collect(store.listActors())).toEqual([
        expected.actors[1],
        expected.actors[2],
        expected.actors[0],
      ]);
      const listed = await collect(store.listExhibits());
      expect(listed.sort((a, b) => a.registeredSeq - b.registeredSeq)).toEqual(expected.exhibits);
      expect(await rootAt(store, 3)).toEqual(log.roots[3]);
    });

    it('later batches replace state records whole, move the head and extend the indexes', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const [b1, b2, b3] = threeBatches(log);
      await store.write(b1);
      expect((await store.readHead())?.size).toBe(3);
      await store.write(b2);
      expect(await store.actor(ALPHA)).toEqual(b2.actors[0]);
      expect(await store.exhibit(EX_ONE)).toEqual(b2.exhibits[0]);
      await store.write(b3);
      expect(await store.readHead()).toEqual(log.head());
      expect(await store.actor(ALPHA)).toMatchObject({ revokedSeq: 3, revokeReason: 'key compromised' });
      expect(await store.exhibit(EX_ONE)).toEqual(b3.exhibits[0]);
      expect(await store.exhibit(EX_ONE)).not.toHaveProperty('pending');
      // The derived registration at seq 6 is an event of the copy and of its parent.
      expect(await store.exhibitEvents(EX_ONE)).toEqual([0, 2, 4, 5, 6]);
      expect(await store.exhibitEvents(EX_COPY)).toEqual([6, 8]);
      expect(await store.exhibitEvents(EX_TWO)).toEqual([0, 3, 7, 9]);
      expect(await store.exhibitEvents('EX-nothing')).toEqual([]);
      expect(await store.actorEntries(ZULU)).toEqual([0, 3, 4, 5, 7, 8, 9]);
      expect(await store.actorEntries(MIKE)).toEqual([2, 6]);
      expect((await collect(store.listActors())).map((a) => [a.id, a.enrolledSeq])).toEqual([
        [ZULU, 0],
        [ALPHA, 1],
        [MIKE, 2],
      ]);
      expect((await collect(store.listExhibits())).map((x) => x.id).sort()).toEqual([...EXHIBIT_IDS].sort());
      for (let size = 1; size <= 10; size++) expect(await rootAt(store, size)).toEqual(log.roots[size]);
    });

    it('entries(from, to) yields from <= seq < to in order, clipped to what exists', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      for (const b of threeBatches(log)) await store.write(b);
      const range = async (from: number, to: number) =>
        (await collect(store.entries(from, to))).map((e) => e.seq);
      expect(await range(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(await range(3, 7)).toEqual([3, 4, 5, 6]);
      expect(await range(0, 1)).toEqual([0]);
      expect(await range(9, 10)).toEqual([9]);
      expect(await range(8, 1000)).toEqual([8, 9]);
      expect(await range(5, 5)).toEqual([]);
      expect(await range(7, 3)).toEqual([]);
      expect(await range(10, 20)).toEqual([]);
      expect(await range(1000, 2000)).toEqual([]);
      for (const e of await collect(store.entries(2, 8))) expect(e.bytes).toEqual(log.records[e.seq]);
      // Several iterations may be open at once.
      const [a, b] = await Promise.all([collect(store.entries(0, 5)), collect(store.entries(5, 10))]);
      expect([...a, ...b].map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    it('node() of a missing node throws STORE_CORRUPT', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const batch = log.batch(3);
      await store.write(batch);
      for (const n of batch.nodes) expect(await store.node(n.level, n.index)).toEqual(n.hash);
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

    it('stores checkpoints by size and lists the sizes ascending', async () => {
      const { store } = await fresh();
      const note = (n: number) =>
        `custody.test/conformance\n${n}\nroot=${Buffer.from(hash32(String(n))).toString('base64')}\n\n— sig ✓\n`;
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

    it('returned data never aliases stored data, nor does the written batch', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const [b1, b2, b3] = threeBatches(log);
      await store.write(b1);
      await store.write(b2);
      const expected = structuredClone(b3);
      await store.write(b3);
      // Mutate everything the caller handed in.
      b3.entries[0]!.bytes.fill(0);
      b3.entries[0]!.exhibits.push('EX-mutated');
      b3.nodes[0]!.hash.fill(0);
      b3.exhibits[0]!.lastHash.fill(0);
      b3.exhibits[0]!.mismatches.push(99);
      b3.exhibits[0]!.digests.sha256.fill(0);
      b3.head.head.fill(0);
      b3.head.size = 999;

      // Mutate everything handed out.
      const before = await snapshot(store, ALL_IDS);
      (await store.readHead())!.head.fill(1);
      (await store.entry(4))!.fill(1);
      for (const e of await collect(store.entries(0, 10))) e.bytes.fill(1);
      (await store.node(0, 4)).fill(1);
      (await store.node(1, 2)).fill(1);
      const a = (await store.actor(ALPHA))!;
      a.publicKey.fill(1);
      a.roles.push('court');
      const x = (await store.exhibit(EX_ONE))!;
      x.lastHash.fill(1);
      x.digests.sha256.fill(1);
      x.mismatches.push(1);
      for (const l of await collect(store.listActors())) l.publicKey.fill(1);
      for (const l of await collect(store.listExhibits())) l.lastHash.fill(1);
      (await store.exhibitEvents(EX_ONE)).push(1000);
      (await store.actorEntries(ZULU)).push(1000);
      (await store.checkpointSizes()).push(1000);

      const after = await snapshot(store, ALL_IDS);
      expect(after).toEqual(before);
      expect(after.head).toEqual(expected.head);
      expect(after.entries[4]!.bytes).toEqual(expected.entries[0]!.bytes);
      expect(await store.node(0, 4)).toEqual(expected.nodes[0]!.hash);
      expect(await store.exhibit(EX_ONE)).toEqual(expected.exhibits[0]);
      expect(await store.exhibitEvents(EX_ONE)).toEqual([0, 2, 4, 5, 6]);
    });

    it('after close() every operation fails with a CustodyError', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      await store.write(
        log.batch(3, { actors: [actorRecord(ZULU, 0)], exhibits: [exhibitRecord(EX_ONE, 0, 2)] }),
      );
      await store.putCheckpoint(3, 'note');
      await store.close();
      const ops: [string, () => Promise<unknown>][] = [
        ['readHead', () => store.readHead()],
        ['write', () => store.write(log.batch(1))],
        ['entry', () => store.entry(0)],
        ['entries', () => collect(store.entries(0, 3))],
        ['node', () => store.node(0, 0)],
        ['actor', () => store.actor(ZULU)],
        ['exhibit', () => store.exhibit(EX_ONE)],
        ['listActors', () => collect(store.listActors())],
        ['listExhibits', () => collect(store.listExhibits())],
        ['exhibitEvents', () => store.exhibitEvents(EX_ONE)],
        ['actorEntries', () => store.actorEntries(ZULU)],
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
        expect((e as CustodyError).category, op).toBe('unavailable');
      }
    });

    it('round-trips a batch of 5,000 entries', async () => {
      const { store } = await fresh();
      const log = new FakeLog();
      const batch = log.batch(5000, {
        actors: Array.from({ length: 50 }, (_, i) =>
          actorRecord(`AC-${String(49 - i).padStart(3, '0')}`, i * 100),
        ),
      });
      expect(batch.nodes.length).toBe(9995);
      await store.write(batch);
      expect((await store.readHead())?.size).toBe(5000);
      const all = await collect(store.entries(0, 5000));
      expect(all.length).toBe(5000);
      // One assertion over all entries (5,000 toEqual calls on byte arrays take seconds).
      const wrong = all
        .filter((e, i) => e.seq !== i || !equalBytes(e.bytes, log.records[i]!))
        .map((e) => e.seq);
      expect(wrong).toEqual([]);
      expect((await collect(store.entries(4990, 6000))).map((e) => e.seq)).toEqual([
        4990, 4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999,
      ]);
      expect(await store.entry(4999)).toEqual(log.records[4999]);
      expect(await rootAt(store, 5000)).toEqual(log.roots[5000]);
      expect(await rootAt(store, 4321)).toEqual(log.roots[4321]);
      const proof = await inclusionProof(store, 1234, 5000);
      expect(verifyInclusion(1234, 5000, hashLeaf(log.records[1234]!), proof, log.roots[5000]!)).toBe(true);
      expect(await store.exhibitEvents(EX_ONE)).toEqual(log.exhibitSeqs(EX_ONE));
      expect((await store.exhibitEvents(EX_TWO)).length).toBe(1667);
      expect(await store.actorEntries(ALPHA)).toEqual(log.actorSeqs(ALPHA));
      expect((await collect(store.listActors())).map((a) => a.enrolledSeq)).toEqual(
        Array.from({ length: 50 }, (_, i) => i * 100),
      );
    });

    it('holds a real ledger: records, state, indexes and head agree with the ledger', async () => {
      const { store } = await fresh();
      const { w, parent, child, other, seqs } = await custodyScenario(store);
      const size = w.ledger.size;
      expect(size).toBe(15);
      expect(await store.readHead()).toEqual(w.ledger.head);
      expect(await rootAt(store, size)).toEqual(w.ledger.root());

      const recs = await collect(store.entries(0, size));
      expect(recs.map((r) => r.seq)).toEqual(Array.from({ length: size }, (_, i) => i));
      recs.forEach((r) => {
        expect(decodeRecord(r.bytes).payload.seq).toBe(r.seq);
      });
      for (const r of recs) expect(await store.node(0, r.seq)).toEqual(hashLeaf(r.bytes));
      const { report } = await verifyLog(store.entries(0, size), {
        trustedKeys: [w.authority.signer.publicKey],
      });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.root).toBe(Buffer.from(w.ledger.root()).toString('hex'));

      // Indexes: the derived registration is an event of both exhibits.
      expect(await store.exhibitEvents(parent)).toEqual([
        seqs.register,
        seqs.transfer,
        seqs.accept,
        seqs.derive,
      ]);
      expect(await store.exhibitEvents(child)).toEqual([seqs.derive, seqs.examine]);
      expect(await store.exhibit(child)).toMatchObject({
        parent,
        holder: w.nlExaminer.id,
        lastSeq: seqs.examine,
      });
      expect(await store.exhibit(parent)).toMatchObject({
        holder: w.nlExaminer.id,
        lastSeq: seqs.derive,
        events: 4,
      });
      expect(await store.actorEntries(w.authority.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await store.actorEntries(w.nlExaminer.id)).toEqual([seqs.accept, seqs.derive, seqs.examine]);
      expect(await store.actorEntries(w.nlCollector.id)).toEqual([seqs.register, seqs.transfer, 12, 13, 14]);
      expect(await store.actorEntries(w.frCourt.id)).toEqual([]);
      for (const x of other) expect((await store.exhibitEvents(x)).length).toBe(1);

      // listActors: ordered by enrolledSeq (actor ids are hashes, unrelated to that order).
      const actors = await collect(store.listActors());
      expect(actors.map((a) => a.id)).toEqual(worldActorIds(w));
      expect(actors.map((a) => a.enrolledSeq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect(await w.ledger.actors()).toEqual(actors);
      const exhibits = await w.ledger.exhibits();
      expect(exhibits.map((x) => x.id).sort()).toEqual([parent, child, ...other].sort());
      expect((await w.ledger.history(child, { ancestors: true })).map((r) => r.payload.seq)).toEqual([
        seqs.register,
        seqs.transfer,
        seqs.accept,
        seqs.derive,
        seqs.examine,
      ]);
    });

    it('persists everything across close and reopen (hand-built batches)', async (ctx) => {
      const h = await fresh();
      if (!h.reopen) return ctx.skip();
      const log = new FakeLog();
      for (const b of threeBatches(log)) await h.store.write(b);
      await h.store.putCheckpoint(4, 'four');
      await h.store.putCheckpoint(10, 'ten');
      const before = await snapshot(h.store, ALL_IDS);
      await h.store.close();
      const store = await h.reopen();
      const after = await snapshot(store, ALL_IDS);
      expect(after).toEqual(before);
      expect(after.entries.length).toBe(10);
      expect(after.nodes.length).toBe(18);
      // The reopened store carries on.
      await store.write(log.batch(2));
      expect(await store.readHead()).toEqual(log.head());
      expect(await rootAt(store, 12)).toEqual(log.roots[12]);
      expect(await store.exhibitEvents(EX_ONE)).toEqual([0, 2, 4, 5, 6, 10]);
    });

    it('persists a real ledger across close and reopen', async (ctx) => {
      const h = await fresh();
      if (!h.reopen) return ctx.skip();
      const { w, parent, child, other } = await custodyScenario(h.store);
      await h.store.putCheckpoint(w.ledger.size, 'checkpoint note');
      const ids = { actors: worldActorIds(w), exhibits: [parent, child, ...other] };
      const before = await snapshot(h.store, ids);
      const { size, root } = { size: w.ledger.size, root: w.ledger.root() };
      await w.ledger.close();
      const store = await h.reopen();
      expect(await snapshot(store, ids)).toEqual(before);
      const ledger = await Ledger.open(store);
      expect(ledger.size).toBe(size);
      expect(ledger.root()).toEqual(root);
      expect(ledger.head).toEqual(before.head);
    });
  });
}
