import { execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Level } from 'level';
import { Packr, Unpackr } from 'msgpackr';
import { afterEach, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import type { ActorRecord, ExhibitRecord, StateHead } from '../../src/custody/state.js';
import { CustodyError } from '../../src/errors.js';
import type { AcceptBody } from '../../src/format/events.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { consistencyProof } from '../../src/merkle/proofs.js';
import { verifyConsistency } from '../../src/merkle/verify.js';
import { actorKey, exhibitKey, HEAD_KEY, nodeKey, VERSION_KEY } from '../../src/store/keys.js';
import { LevelStore } from '../../src/store/level.js';
import type { AppendBatch } from '../../src/store/store.js';
import { verifyLog } from '../../src/verify/verifier.js';
import { countingRandom, digestsOf, makeWorld, registerExhibit, steppingClock } from '../helpers/world.js';
import { storeConformance } from './conformance.js';
import type { OpenOutcome } from './fixtures/open-ledger.js';
import {
  ACTOR_IDS,
  actorRecord,
  collect,
  EXHIBIT_IDS,
  exhibitRecord,
  expectCustodyError,
  FakeLog,
  hash32,
  recordBytes,
  removeTempDirs,
  tempDir,
} from './helpers.js';

type RawDB = Level<Uint8Array, Uint8Array>;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PROBE = fileURLToPath(new URL('./fixtures/open-ledger.ts', import.meta.url));
const run = promisify(execFile);

/** Opens a ledger directory in a child process (node --import tsx) and reports the outcome. */
async function openInChild(dir: string): Promise<OpenOutcome> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', PROBE, dir], {
    cwd: ROOT,
    timeout: 30_000,
  });
  return JSON.parse(stdout.trim()) as OpenOutcome;
}

/** The LevelDB directory opened directly, bypassing LevelStore. */
async function raw(dir: string): Promise<RawDB> {
  const db = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: false,
  });
  await db.open();
  return db;
}

async function withRaw(dir: string, f: (db: RawDB) => Promise<void>): Promise<void> {
  const db = await raw(dir);
  try {
    await f(db);
  } finally {
    await db.close();
  }
}

/** A closed ledger directory holding 3 hand-built entries with one actor and one exhibit. */
async function smallLedger(): Promise<{ dir: string; log: FakeLog; batch: AppendBatch }> {
  const dir = tempDir();
  const store = await LevelStore.open(dir, 'create');
  const log = new FakeLog();
  const batch = log.batch(3, {
    actors: [actorRecord(ACTOR_IDS[0], 0)],
    exhibits: [exhibitRecord(EXHIBIT_IDS[0], 0, 2)],
  });
  await store.write(structuredClone(batch));
  await store.close();
  return { dir, log, batch };
}

const u64 = (n: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};
const key = (prefix: string, ...parts: Uint8Array[]) =>
  Uint8Array.from([prefix.charCodeAt(0), ...parts.flatMap((p) => [...p])]);
const seqOf = (k: Uint8Array) =>
  Number(new DataView(k.buffer, k.byteOffset, k.byteLength).getBigUint64(k.length - 8));
// State records are plain msgpack (src/store/codec.ts), decoded here independently of the codec.
const decoded = (v: Uint8Array): unknown => new Unpackr({ useRecords: false, mapsAsObjects: true }).unpack(v);

storeConformance('LevelStore', async () => {
  const dir = tempDir();
  let current = await LevelStore.open(dir, 'create');
  return {
    store: current,
    reopen: async () => {
      current = await LevelStore.open(dir, 'open');
      return current;
    },
    cleanup: async () => {
      await current.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('LevelStore', () => {
  const open: { close(): Promise<unknown> }[] = [];
  const track = <T extends { close(): Promise<unknown> }>(x: T): T => {
    open.push(x);
    return x;
  };
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) await x.close().catch(() => undefined);
    removeTempDirs();
  });

  describe('open modes', () => {
    it("'open' on a missing directory is LEDGER_NOT_FOUND and creates nothing", async () => {
      const dir = join(tempDir(), 'no-such-ledger');
      const e = await expectCustodyError(LevelStore.open(dir, 'open'), 'LEDGER_NOT_FOUND');
      expect(e.category).toBe('unavailable');
      expect(e.message).toContain(dir);
      expect(existsSync(dir)).toBe(false);
    });

    it("'open' on an empty directory or one without a ledger is LEDGER_NOT_FOUND", async () => {
      const empty = tempDir();
      expect((await expectCustodyError(LevelStore.open(empty, 'open'), 'LEDGER_NOT_FOUND')).category).toBe(
        'unavailable',
      );
      const other = tempDir();
      writeFileSync(join(other, 'notes.txt'), 'not a ledger');
      await expectCustodyError(LevelStore.open(other, 'open'), 'LEDGER_NOT_FOUND');
    });

    it("'create' on a non-empty directory is LEDGER_EXISTS and leaves it alone", async () => {
      const { dir, log } = await smallLedger();
      const e = await expectCustodyError(LevelStore.open(dir, 'create'), 'LEDGER_EXISTS');
      expect(e.category).toBe('input');
      const other = tempDir();
      writeFileSync(join(other, 'evidence.E01'), 'precious');
      await expectCustodyError(LevelStore.open(other, 'create'), 'LEDGER_EXISTS');
      const store = track(await LevelStore.open(dir, 'open'));
      expect(await store.readHead()).toEqual(log.head());
    });

    it("'create' makes a missing directory and marks the layout version", async () => {
      const dir = join(tempDir(), 'new-ledger');
      const store = track(await LevelStore.open(dir, 'create'));
      expect(store.kind).toBe('leveldb');
      expect(store.dir).toBe(dir);
      expect(await store.readHead()).toBeUndefined();
      await store.close();
      await withRaw(dir, async (db) => {
        expect(await db.get(VERSION_KEY)).toEqual(new Uint8Array([1]));
      });
      // An initialised but empty ledger can be opened.
      const again = track(await LevelStore.open(dir, 'open'));
      expect(await again.readHead()).toBeUndefined();
    });
  });

  describe('exclusive access', () => {
    it('a second opener in the same process gets LEDGER_LOCKED; the first store keeps working', async () => {
      const { dir, log } = await smallLedger();
      const first = track(await LevelStore.open(dir, 'open'));
      const e = await expectCustodyError(LevelStore.open(dir, 'open'), 'LEDGER_LOCKED');
      expect(e.category).toBe('unavailable');
      expect(e.message).toContain('ledger is in use by another process');
      expect(e.message).toContain(dir);
      // 'create' on the (non-empty) locked directory is refused before any locking.
      await expectCustodyError(LevelStore.open(dir, 'create'), 'LEDGER_EXISTS');

      expect(await first.readHead()).toEqual(log.head());
      await first.write(log.batch(2));
      expect((await first.readHead())?.size).toBe(5);
      expect((await collect(first.entries(0, 10))).length).toBe(5);
      await first.close();
      // Closing releases the lock.
      const second = track(await LevelStore.open(dir, 'open'));
      expect((await second.readHead())?.size).toBe(5);
    });

    it('an opener in another process gets LEDGER_LOCKED; the first store keeps working', async () => {
      const { dir, log } = await smallLedger();
      const first = track(await LevelStore.open(dir, 'open'));
      const outcome = await openInChild(dir);
      expect(outcome).toMatchObject({
        ok: false,
        code: 'LEDGER_LOCKED',
        category: 'unavailable',
        custody: true,
      });
      if (!outcome.ok) expect(outcome.message).toContain('ledger is in use by another process');

      await first.write(log.batch(4));
      expect(await first.readHead()).toEqual(log.head());
      expect(await first.entry(6)).toEqual(recordBytes(6));
      await first.close();
      // Once the first store is closed, another process can open the ledger and sees every write.
      expect(await openInChild(dir)).toEqual({ ok: true, size: 7 });
    });
  });

  describe('layout version', () => {
    it.each([
      ['an unknown version', new Uint8Array([2])],
      ['version 0', new Uint8Array([0])],
      ['a two-byte version', new Uint8Array([1, 0])],
      ['an empty version', new Uint8Array(0)],
      ['no version', undefined],
    ])('%s is STORE_VERSION, and the failed open releases the lock', async (_label, version) => {
      const { dir, log } = await smallLedger();
      await withRaw(dir, async (db) => {
        if (version) await db.put(VERSION_KEY, version);
        else await db.del(VERSION_KEY);
      });
      const e = await expectCustodyError(LevelStore.open(dir, 'open'), 'STORE_VERSION');
      expect(e.category).toBe('unavailable');
      // Not left open (and locked) behind the error:
      await withRaw(dir, (db) => db.put(VERSION_KEY, new Uint8Array([1])));
      const store = track(await LevelStore.open(dir, 'open'));
      expect(await store.readHead()).toEqual(log.head());
    });
  });

  describe('damaged derived records', () => {
    const head: StateHead = { size: 3, head: hash32('h'), lastTime: 1, origin: 'o', authority: 'a' };
    const canonical = (v: unknown) => new Packr({ useRecords: false, variableMapSize: true }).pack(v);
    it.each([
      ['junk bytes', utf8('this is not msgpack at all')],
      ['a never-used msgpack byte', new Uint8Array([0xc1])],
      ['an empty value', new Uint8Array(0)],
      ['a truncated head', canonical(head).slice(0, -3)],
      ['a head with trailing bytes', Uint8Array.from([...canonical(head), 0])],
      ['a 31-byte head hash', canonical({ ...head, head: hash32('h').slice(0, 31) })],
      ['a string size', canonical({ ...head, size: '3' })],
      ['a head without origin', canonical({ size: 3, head: hash32('h'), lastTime: 1, authority: 'a' })],
      ['an array', canonical([3, hash32('h')])],
    ])(
      'a head record holding %s makes readHead and Ledger.open throw STORE_CORRUPT',
      async (_label, junk) => {
        const { dir } = await smallLedger();
        await withRaw(dir, (db) => db.put(HEAD_KEY, junk));
        const store = track(await LevelStore.open(dir, 'open'));
        const e = await expectCustodyError(store.readHead(), 'STORE_CORRUPT');
        expect(e.category).toBe('unavailable');
        await expectCustodyError(Ledger.open(store), 'STORE_CORRUPT');
      },
    );

    it('damaged nodes, actor and exhibit records throw STORE_CORRUPT', async () => {
      const { dir, batch } = await smallLedger();
      const [actor, exhibit] = [ACTOR_IDS[0], EXHIBIT_IDS[0]];
      await withRaw(dir, async (db) => {
        await db.put(nodeKey(0, 1), hash32('x').slice(0, 31));
        await db.put(nodeKey(1, 0), new Uint8Array(0));
        await db.put(actorKey(actor), utf8('junk'));
        const x = { ...batch.exhibits[0]!, lastHash: new Uint8Array(5) } satisfies ExhibitRecord;
        await db.put(exhibitKey(exhibit), canonical(x));
      });
      const store = track(await LevelStore.open(dir, 'open'));
      expect(await store.node(0, 0)).toEqual(batch.nodes[0]!.hash);
      await expectCustodyError(store.node(0, 1), 'STORE_CORRUPT');
      await expectCustodyError(store.node(1, 0), 'STORE_CORRUPT');
      await expectCustodyError(store.actor(actor), 'STORE_CORRUPT');
      await expectCustodyError(collect(store.listActors()), 'STORE_CORRUPT');
      await expectCustodyError(store.exhibit(exhibit), 'STORE_CORRUPT');
      await expectCustodyError(collect(store.listExhibits()), 'STORE_CORRUPT');
      // Ledger.open loads the frontier (node 1/0 for size 3 is damaged).
      await expectCustodyError(Ledger.open(store), 'STORE_CORRUPT');
    });
  });

  it('writes the key layout documented in src/store/keys.ts', async () => {
    const dir = tempDir();
    const store = track(await LevelStore.open(dir, 'create'));
    const seqs = [65536, 1, 2 ** 32 + 1, 10, 256, 2, 255];
    const [actorId, exhibitId] = ['AC-ünïcode', 'EX-2026-ä'];
    const actor: ActorRecord = actorRecord(actorId, 1);
    const exhibit: ExhibitRecord = exhibitRecord(exhibitId, 1, 65536);
    const headRec: StateHead = {
      size: 2 ** 32 + 2,
      head: hash32('last'),
      lastTime: 1_700_000_000_000,
      origin: 'o',
      authority: actorId,
    };
    await store.write({
      entries: seqs.map((seq) => ({ seq, bytes: recordBytes(seq), exhibits: [exhibitId], actor: actorId })),
      nodes: [
        { level: 0, index: 256, hash: hash32('n0') },
        { level: 3, index: 2 ** 32 + 7, hash: hash32('n3') },
        { level: 0, index: 2, hash: hash32('n0b') },
      ],
      actors: [actor],
      exhibits: [exhibit],
      head: headRec,
    });
    await store.putCheckpoint(300, 'note ✓');
    await store.putCheckpoint(7, 'seven');
    const sorted = [...seqs].sort((a, b) => a - b);
    // Through the store: numeric order.
    expect((await collect(store.entries(0, 2 ** 33))).map((e) => e.seq)).toEqual(sorted);
    expect(await store.exhibitEvents(exhibitId)).toEqual(sorted);
    await store.close();

    await withRaw(dir, async (db) => {
      const all = await db.iterator().all();
      const byPrefix = (c: string) => all.filter(([k]) => k[0] === c.charCodeAt(0));
      expect(new Set(all.map(([k]) => String.fromCharCode(k[0]!)))).toEqual(
        new Set(['e', 'n', 'A', 'X', 'x', 'a', 'c', 'H', 'V']),
      );

      // 'e' seq:u64 BE -> record bytes; bytewise order is numeric order.
      const entries = byPrefix('e');
      expect(entries.map(([k]) => k.length)).toEqual(seqs.map(() => 9));
      expect(entries.map(([k]) => seqOf(k))).toEqual(sorted);
      for (const [k, v] of entries) {
        expect(k).toEqual(key('e', u64(seqOf(k))));
        expect(v).toEqual(recordBytes(seqOf(k)));
      }
      expect(entries.find(([k]) => seqOf(k) === 256)?.[0]).toEqual(
        Uint8Array.from([0x65, 0, 0, 0, 0, 0, 0, 1, 0]),
      );
      expect(entries.find(([k]) => seqOf(k) === 2 ** 32 + 1)?.[0]).toEqual(
        Uint8Array.from([0x65, 0, 0, 0, 1, 0, 0, 0, 1]),
      );

      // 'n' level:u8 index:u64 -> node hash.
      expect(byPrefix('n')).toEqual([
        [key('n', Uint8Array.of(0), u64(2)), hash32('n0b')],
        [key('n', Uint8Array.of(0), u64(256)), hash32('n0')],
        [key('n', Uint8Array.of(3), u64(2 ** 32 + 7)), hash32('n3')],
      ]);

      // 'A' actorId / 'X' exhibitId -> canonical msgpack state records.
      const actors = byPrefix('A');
      expect(actors.map(([k]) => k)).toEqual([key('A', utf8(actorId))]);
      expect(decoded(actors[0]![1])).toEqual(actor);
      const exhibits = byPrefix('X');
      expect(exhibits.map(([k]) => k)).toEqual([key('X', utf8(exhibitId))]);
      expect(decoded(exhibits[0]![1])).toEqual(exhibit);

      // 'x' exhibitId 0x00 seq:u64 and 'a' actorId 0x00 seq:u64 -> ''.
      expect(byPrefix('x')).toEqual(
        sorted.map((s) => [key('x', utf8(exhibitId), Uint8Array.of(0), u64(s)), new Uint8Array(0)]),
      );
      expect(byPrefix('a')).toEqual(
        sorted.map((s) => [key('a', utf8(actorId), Uint8Array.of(0), u64(s)), new Uint8Array(0)]),
      );

      // 'c' size:u64 -> UTF-8 note.
      expect(byPrefix('c')).toEqual([
        [key('c', u64(7)), utf8('seven')],
        [key('c', u64(300)), utf8('note ✓')],
      ]);

      // 'H' -> head, 'V' -> layout version 1.
      expect(byPrefix('H').map(([k, v]) => [k, decoded(v)])).toEqual([[Uint8Array.of(0x48), headRec]]);
      expect(byPrefix('V')).toEqual([[Uint8Array.of(0x56), Uint8Array.of(1)]]);
    });
  });

  describe('a Ledger over LevelStore', () => {
    it('survives close and reopen: size, root and state restored, appends continue with correct links', async () => {
      const dir = tempDir();
      const w = await makeWorld(await LevelStore.open(dir, 'create'));
      const { exhibit } = await registerExhibit(w);
      const x = exhibit!;
      await w.ledger.append(
        {
          kind: 'transfer',
          body: { exhibit: x, to: w.deCustodian.id, reason: 'EIO execution', legalBasis: 'EIO 2026/123' },
        },
        w.nlCollector.signer,
      );
      const size = w.ledger.size;
      const root = w.ledger.root().slice();
      const head = structuredClone(w.ledger.head);
      const state = await w.ledger.exhibit(x);
      const actors = await w.ledger.actors();
      expect(state).toMatchObject({ status: 'in-transit', pending: { to: w.deCustodian.id } });
      await w.ledger.close();
      await expectCustodyError(
        w.ledger.append({ kind: 'accept', body: { exhibit: x } }, w.deCustodian.signer),
        'LEDGER_CLOSED',
      );

      let i = 0;
      const ledger = track(
        await Ledger.open(await LevelStore.open(dir, 'open'), {
          clock: steppingClock(Date.UTC(2026, 2, 2, 9, 0, 0)),
          random: (n) => hash32(`after reopen ${i++}`).slice(0, n),
        }),
      );
      expect(ledger.size).toBe(size);
      expect(ledger.root()).toEqual(root);
      expect(ledger.head).toEqual(head);
      expect(ledger.origin).toBe('custody.test/nl-nfi');
      expect(await ledger.exhibit(x)).toEqual(state);
      expect(await ledger.actors()).toEqual(actors);

      const acc = await ledger.append(
        { kind: 'accept', body: { exhibit: x, digests: digestsOf('disk image bytes'), seal: 'intact' } },
        w.deCustodian.signer,
      );
      expect(acc.seq).toBe(size);
      const rec = await ledger.get(size);
      expect(rec.payload.prev).toEqual(head.head);
      expect(rec.payload.kind).toBe('accept');
      expect((rec.payload.body as AcceptBody).after).toEqual(state!.lastHash);
      expect(await ledger.exhibit(x)).toMatchObject({
        holder: w.deCustodian.id,
        status: 'held',
        lastSeq: size,
      });
      const reg = await registerExhibit({ ...w, ledger }, 'HDD-02', 'second disk');
      expect(reg.seq).toBe(size + 1);
      expect(reg.exhibit).not.toBe(x);

      // The old tree is a prefix of the new one, and the whole log verifies.
      const proof = await consistencyProof(ledger.store, size, ledger.size);
      expect(verifyConsistency(size, ledger.size, root, ledger.root(), proof)).toBe(true);
      const { report } = await verifyLog(ledger.records(), { trustedKeys: [w.authority.signer.publicKey] });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.anchored).toBe(true);
      expect(report.entries).toBe(size + 2);
      expect(report.root).toBe(Buffer.from(ledger.root()).toString('hex'));
    });

    it('Ledger.create refuses a store that already holds a ledger', async () => {
      const dir = tempDir();
      const w = await makeWorld(await LevelStore.open(dir, 'create'));
      await w.ledger.close();
      const store = track(await LevelStore.open(dir, 'open'));
      await expectCustodyError(
        Ledger.create(store, w.authority.signer, { origin: 'x', name: 'x', jurisdiction: 'NL', org: 'x' }),
        'LEDGER_EXISTS',
      );
      expect((await store.readHead())?.size).toBe(7);
    });

    it('Ledger.open on an initialised but empty store is LEDGER_EMPTY', async () => {
      const store = track(await LevelStore.open(tempDir(), 'create'));
      await expectCustodyError(Ledger.open(store), 'LEDGER_EMPTY');
    });

    // Regression: a drawn exhibit id that clashes with an existing exhibit that is
    // not in the ledger's cache (after a restart here, with the deterministic
    // `random` restarted) must be drawn again, never reused or refused.
    it('never reuses the id of an existing exhibit that is not cached', async () => {
      const dir = tempDir();
      const w = await makeWorld(await LevelStore.open(dir, 'create'));
      const first = await registerExhibit(w, 'HDD-01', 'disk one');
      await w.ledger.append(
        {
          kind: 'transfer',
          body: {
            exhibit: first.exhibit!,
            to: w.deCustodian.id,
            reason: 'EIO execution',
            legalBasis: 'EIO 1',
          },
        },
        w.nlCollector.signer,
      );
      await w.ledger.close();
      // Same deterministic id source as before the restart: its first id is taken.
      const ledger = track(
        await Ledger.open(await LevelStore.open(dir, 'open'), { random: countingRandom() }),
      );
      const before = await ledger.exhibit(first.exhibit!);
      const second = await registerExhibit({ ...w, ledger }, 'HDD-02', 'disk two').catch((e: unknown) => e);
      if (second instanceof CustodyError) expect(second.code).toBe('EXHIBIT_EXISTS');
      else expect(second).not.toMatchObject({ exhibit: first.exhibit });
      expect(await ledger.exhibit(first.exhibit!)).toEqual(before);
      const { report } = await verifyLog(ledger.records());
      expect(report.problems).toEqual([]);
    });
  });
});
