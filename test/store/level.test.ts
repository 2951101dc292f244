/**
 * LevelLogStore: the conformance suite (with reopening), and what only the
 * LevelDB store does — opening modes, the exclusive lock (in this process and
 * from another one), the layout version, damaged derived data read back as
 * STORE_CORRUPT rather than a crash, the key layout of src/store/log-keys.ts,
 * and tamperWithPayload (the demo's insider).
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { NS } from '../../src/custody/records.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { encodeOpenings } from '../../src/format/openings.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { encodeHead } from '../../src/store/log-head.js';
import { K } from '../../src/store/log-keys.js';
import { LevelLogStore, tamperWithPayload } from '../../src/store/log-level.js';
import type { LogHead } from '../../src/store/log-store.js';
import { sealedFields } from '../../src/store/opening-seal.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { ACTORS, createCastLedger, digestOf, sign, submit } from '../reliability/lib/cast.js';
import { logStoreConformance } from './conformance.js';
import type { OpenOutcome } from './fixtures/open-ledger.js';

/** The canonical openings an entry of the layout test carries: one field, its salt and cleartext. */
const openingsOf = (index: number) =>
  encodeOpenings({ note: { salt: new Uint8Array(32).fill(index % 251), value: `note ${index}` } });

import {
  collect,
  EX_ONE,
  expectCustodyError,
  FakeLog,
  hash32,
  payloadBytes,
  removeTempDirs,
  statementId,
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

/** The LevelDB directory opened directly, bypassing LevelLogStore. */
async function withRaw<T>(dir: string, f: (db: RawDB) => Promise<T>): Promise<T> {
  const db = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: false,
  });
  await db.open();
  try {
    return await f(db);
  } finally {
    await db.close();
  }
}

/** A closed ledger directory holding 3 hand-built entries with one record. */
async function smallLedger(): Promise<{ dir: string; log: FakeLog }> {
  const dir = join(tempDir(), 'ledger');
  const store = await LevelLogStore.open(dir, 'create');
  const log = new FakeLog();
  await store.write(
    log.batch(3, { records: [{ ns: NS.exhibit, key: EX_ONE, bytes: encodeCanonical({ v: 1 }) }] }),
  );
  await store.close();
  return { dir, log };
}

const u64 = (n: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n));
  return b;
};
const key = (prefix: string, ...parts: Uint8Array[]) =>
  Uint8Array.from([prefix.charCodeAt(0), ...parts.flatMap((p) => [...p])]);
const last64 = (k: Uint8Array) =>
  Number(new DataView(k.buffer, k.byteOffset, k.byteLength).getBigUint64(k.length - 8));

logStoreConformance('LevelLogStore', async () => {
  const dir = join(tempDir(), 'ledger');
  let current = await LevelLogStore.open(dir, 'create');
  return {
    store: current,
    reopen: async () => {
      current = await LevelLogStore.open(dir, 'open');
      return current;
    },
    cleanup: async () => {
      await current.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('LevelLogStore', () => {
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
      const e = await expectCustodyError(LevelLogStore.open(dir, 'open'), 'LEDGER_NOT_FOUND');
      expect(e.category).toBe('unavailable');
      expect(e.message).toContain(dir);
      expect(existsSync(dir)).toBe(false);
    });

    it("'open' on an empty directory or one without a ledger is LEDGER_NOT_FOUND", async () => {
      await expectCustodyError(LevelLogStore.open(tempDir(), 'open'), 'LEDGER_NOT_FOUND');
      const other = tempDir();
      writeFileSync(join(other, 'notes.txt'), 'not a ledger');
      await expectCustodyError(LevelLogStore.open(other, 'open'), 'LEDGER_NOT_FOUND');
    });

    it("'create' on a non-empty directory is LEDGER_EXISTS and leaves it alone", async () => {
      const { dir, log } = await smallLedger();
      const e = await expectCustodyError(LevelLogStore.open(dir, 'create'), 'LEDGER_EXISTS');
      expect(e.category).toBe('input');
      const other = tempDir();
      writeFileSync(join(other, 'evidence.E01'), 'precious');
      await expectCustodyError(LevelLogStore.open(other, 'create'), 'LEDGER_EXISTS');
      const store = track(await LevelLogStore.open(dir, 'open'));
      expect(await store.readHead()).toEqual(log.head());
    });

    it("'create' makes a missing directory and marks layout version 3; the empty ledger opens", async () => {
      const dir = join(tempDir(), 'a', 'new-ledger');
      const store = await LevelLogStore.open(dir, 'create');
      expect(store.kind).toBe('leveldb');
      expect(store.dir).toBe(dir);
      expect(await store.readHead()).toBeUndefined();
      await store.close();
      expect(await withRaw(dir, (db) => db.get(K.version))).toEqual(new Uint8Array([3]));
      const again = track(await LevelLogStore.open(dir, 'open'));
      expect(await again.readHead()).toBeUndefined();
      // A ledger over the empty store waits for its genesis.
      expect((await LogLedger.open(again)).size).toBe(0);
    });
  });

  describe('exclusive access', () => {
    it('a second opener in the same process gets LEDGER_LOCKED; the first store keeps working', async () => {
      const { dir, log } = await smallLedger();
      const first = track(await LevelLogStore.open(dir, 'open'));
      const e = await expectCustodyError(LevelLogStore.open(dir, 'open'), 'LEDGER_LOCKED');
      expect(e.category).toBe('unavailable');
      // The owner file beside LevelDB's LOCK names the holder (here: this very process).
      expect(e.message).toMatch(
        new RegExp(
          `^ledger is in use by another process \\(.*\\); held by pid ${process.pid} \\(.*, since \\d{2}:\\d{2}:\\d{2} UTC\\)$`,
        ),
      );
      expect(e.message.startsWith(`ledger is in use by another process (${dir})`)).toBe(true);
      // 'create' on the (non-empty) locked directory is refused before any locking.
      await expectCustodyError(LevelLogStore.open(dir, 'create'), 'LEDGER_EXISTS');
      expect(await first.readHead()).toEqual(log.head());
      await first.write(log.batch(2));
      expect((await collect(first.items(0, 10))).length).toBe(5);
      await first.close();
      // Closing releases the lock.
      const second = track(await LevelLogStore.open(dir, 'open'));
      expect((await second.readHead())?.size).toBe(5);
    });

    it('an opener in another process gets LEDGER_LOCKED; once closed, it sees every write', async () => {
      const { dir, log } = await smallLedger();
      const first = track(await LevelLogStore.open(dir, 'open'));
      const outcome = await openInChild(dir);
      expect(outcome).toMatchObject({
        ok: false,
        code: 'LEDGER_LOCKED',
        category: 'unavailable',
        custody: true,
      });
      await first.write(log.batch(4));
      expect(await first.payload(6)).toEqual(payloadBytes(6));
      await first.close();
      expect(await openInChild(dir)).toEqual({ ok: true, size: 7 });
    });
  });

  describe('layout version', () => {
    it.each([
      ['version 1 (a format v1 ledger)', new Uint8Array([1])],
      ['version 2 (openings in clear)', new Uint8Array([2])],
      ['an unknown version', new Uint8Array([4])],
      ['version 0', new Uint8Array([0])],
      ['a two-byte version', new Uint8Array([3, 0])],
      ['an empty version', new Uint8Array(0)],
      ['no version', undefined],
    ])('%s is STORE_VERSION, and the failed open releases the lock', async (_label, version) => {
      const { dir, log } = await smallLedger();
      await withRaw(dir, async (db) => {
        if (version) await db.put(K.version, version);
        else await db.del(K.version);
      });
      const e = await expectCustodyError(LevelLogStore.open(dir, 'open'), 'STORE_VERSION');
      expect(e.category).toBe('unavailable');
      // Not left open (and locked) behind the error:
      await withRaw(dir, (db) => db.put(K.version, new Uint8Array([3])));
      const store = track(await LevelLogStore.open(dir, 'open'));
      expect(await store.readHead()).toEqual(log.head());
    });
  });

  describe('damaged derived data reads as STORE_CORRUPT, never as a crash or a wrong answer', () => {
    const head: LogHead = { size: 3, lastTime: 1, mapRoot: hash32('m'), mapSize: 3, mapRootLeaf: null };
    const fields = { size: 3, lastTime: 1, mapRoot: hash32('m'), mapSize: 3 };
    it.each([
      ['junk bytes', utf8('this is not msgpack at all')],
      ['a never-used msgpack byte', new Uint8Array([0xc1])],
      ['an empty value', new Uint8Array(0)],
      ['a truncated head', encodeHead(head).slice(0, -3)],
      ['a head with trailing bytes', Uint8Array.from([...encodeHead(head), 0])],
      ['a 31-byte map root', encodeCanonical({ ...fields, mapRoot: hash32('m').slice(0, 31) })],
      ['a string size', encodeCanonical({ ...fields, size: '3' })],
      ['a head without lastTime', encodeCanonical({ size: 3, mapRoot: hash32('m'), mapSize: 3 })],
      ['a malformed root leaf', encodeCanonical({ ...fields, mapRootLeaf: [hash32('p')] })],
      ['an array', encodeCanonical([3, hash32('h')])],
    ])('a head holding %s makes readHead and LogLedger.open throw STORE_CORRUPT', async (_label, junk) => {
      const { dir } = await smallLedger();
      await withRaw(dir, (db) => db.put(K.head, junk));
      const store = track(await LevelLogStore.open(dir, 'open'));
      const e = await expectCustodyError(store.readHead(), 'STORE_CORRUPT');
      expect(e.category).toBe('unavailable');
      await expectCustodyError(LogLedger.open(store), 'STORE_CORRUPT');
    });

    it('tree nodes of the wrong length, a damaged statement index row, a missing payload', async () => {
      const { dir, log } = await smallLedger();
      await withRaw(dir, async (db) => {
        await db.put(K.treeNode(0, 1), hash32('x').slice(0, 31));
        await db.put(K.treeNode(1, 0), new Uint8Array(0));
        await db.put(K.statement(statementId(2)), new Uint8Array([0, 2]));
        await db.del(K.payload(1));
      });
      const store = track(await LevelLogStore.open(dir, 'open'));
      expect(await store.node(0, 0)).toEqual(hashLeaf(log.entries[0]!.entry));
      await expectCustodyError(store.node(0, 1), 'STORE_CORRUPT');
      await expectCustodyError(store.node(1, 0), 'STORE_CORRUPT');
      await expectCustodyError(store.statementIndex(statementId(2)), 'STORE_CORRUPT');
      expect(await store.statementIndex(statementId(0))).toBe(0);
      // The entry whose payload is gone: the items stop with STORE_CORRUPT instead of pairing wrongly.
      await expectCustodyError(collect(store.items(0, 3)), 'STORE_CORRUPT');
      expect((await collect(store.items(2, 3))).map((i) => i.index)).toEqual([2]);
      // LogLedger.open loads the right edge of the tree (node 1/0 for size 3 is damaged).
      await expectCustodyError(LogLedger.open(store), 'STORE_CORRUPT');
    });

    it('a record that no longer decodes: the ledger refuses the statement that reads it (STORE_CORRUPT), writing nothing', async () => {
      const dir = join(tempDir(), 'ledger');
      const { ledger } = await createCastLedger(await LevelLogStore.open(dir, 'create'));
      const reg = sign({
        kind: 'register',
        signer: ACTORS.collector.signer,
        fields: { label: 'HDD-01', caseRef: 'NL-1', description: 'd', digests: digestOf('d'), size: 1 },
      });
      await submit(ledger, reg);
      await ledger.close();
      await withRaw(dir, (db) => db.put(K.record(NS.exhibit, reg.id), new Uint8Array([0xc1])));
      const again = track(await LogLedger.open(await LevelLogStore.open(dir, 'open')));
      const size = again.size;
      const transfer = sign({
        kind: 'transfer',
        signer: ACTORS.collector.signer,
        fields: { to: ACTORS.nlExaminer.id, reason: 'x' },
        exhibit: reg.id,
        after: reg.id,
      });
      await expect(submit(again, transfer)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
      expect(again.size).toBe(size);
      expect((await again.store.readHead())?.size).toBe(size);
    });
  });

  it('writes the key layout documented in src/store/log-keys.ts', async () => {
    const dir = join(tempDir(), 'ledger');
    const store = await LevelLogStore.open(dir, 'create');
    // LevelLogStore does not check that positions follow one another (the ledger
    // does): big positions show the fixed-width big-endian encoding.
    const indexes = [65536, 1, 2 ** 32 + 1, 10, 256, 2, 255];
    const exhibit = hash32('exhibit');
    const recKey = encodeCanonical(['NL-1', 'hdd-01', 0]);
    const mapHash = hash32('map node');
    const head: LogHead = {
      size: 2 ** 32 + 2,
      lastTime: 1_700_000_000_000,
      mapRoot: hash32('root'),
      mapSize: 9,
      mapRootLeaf: null,
    };
    await store.write({
      entries: indexes.map((index) => ({
        index,
        entry: utf8(`entry ${index}`),
        payload: payloadBytes(index),
        ...(index % 2 === 0 ? { openings: openingsOf(index) } : {}),
        id: statementId(index),
        exhibits: [exhibit],
      })),
      treeNodes: [
        { level: 0, index: 256, hash: hash32('n0') },
        { level: 3, index: 2 ** 32 + 7, hash: hash32('n3') },
        { level: 0, index: 2, hash: hash32('n0b') },
      ],
      mapNodes: [{ hash: mapHash, bytes: utf8('branch') }],
      records: [
        { ns: NS.label, key: recKey, bytes: utf8('label record') },
        { ns: NS.ledger, key: new Uint8Array(0), bytes: utf8('ledger record') },
      ],
      head,
    });
    await store.putCheckpoint(300, 'note ✓');
    await store.putCheckpoint(7, 'seven');
    const sorted = [...indexes].sort((a, b) => a - b);
    // Through the store: numeric order.
    expect((await collect(store.items(0, 2 ** 33))).map((e) => e.index)).toEqual(sorted);
    expect(await store.exhibitEvents(exhibit)).toEqual(sorted);
    expect(await store.statementIndex(statementId(2 ** 32 + 1))).toBe(2 ** 32 + 1);
    // Openings read back unsealed, through openings() and items().
    for (const i of sorted) expect(await store.openings(i)).toEqual(i % 2 === 0 ? openingsOf(i) : undefined);
    expect((await collect(store.items(0, 2 ** 33, { openings: true }))).map((e) => e.openings)).toEqual(
      sorted.map((i) => (i % 2 === 0 ? openingsOf(i) : undefined)),
    );
    await store.close();

    await withRaw(dir, async (db) => {
      const all = await db.iterator().all();
      const byPrefix = (c: string) => all.filter(([k]) => k[0] === c.charCodeAt(0));
      expect(new Set(all.map(([k]) => String.fromCharCode(k[0]!)))).toEqual(
        new Set(['E', 'P', 'O', 'n', 'M', 'R', 'S', 'x', 'c', 'H', 'V']),
      );
      // 'E' / 'P' / 'O' index:u64 BE -> entry, payload, openings; bytewise order is numeric order.
      for (const [p, value] of [
        ['E', (i: number) => utf8(`entry ${i}`)],
        ['P', payloadBytes],
      ] as const) {
        const rows = byPrefix(p);
        expect(rows.map(([k]) => k)).toEqual(sorted.map((i) => key(p, u64(i))));
        for (const [k, v] of rows) expect(v).toEqual(value(last64(k)));
      }
      // 'O' index:u64 -> the openings sealed (src/store/opening-seal.ts): never the cleartext.
      expect(byPrefix('O').map(([k]) => last64(k))).toEqual(sorted.filter((i) => i % 2 === 0));
      for (const [k, v] of byPrefix('O')) {
        expect(sealedFields(v)).toEqual(['note']);
        expect(Buffer.from(v).includes(Buffer.from(`note ${last64(k)}`))).toBe(false);
      }
      expect(byPrefix('E').find(([k]) => last64(k) === 2 ** 32 + 1)?.[0]).toEqual(
        Uint8Array.from([0x45, 0, 0, 0, 1, 0, 0, 0, 1]),
      );
      // 'n' level:u8 index:u64 -> node hash.
      expect(byPrefix('n')).toEqual([
        [key('n', Uint8Array.of(0), u64(2)), hash32('n0b')],
        [key('n', Uint8Array.of(0), u64(256)), hash32('n0')],
        [key('n', Uint8Array.of(3), u64(2 ** 32 + 7)), hash32('n3')],
      ]);
      // 'M' nodeHash -> branch bytes.
      expect(byPrefix('M')).toEqual([[key('M', mapHash), utf8('branch')]]);
      // 'R' u8(len ns) ns key -> record bytes (the ledger record's key is empty).
      expect(byPrefix('R')).toEqual([
        [key('R', Uint8Array.of(5), utf8('label'), recKey), utf8('label record')],
        [key('R', Uint8Array.of(6), utf8('ledger')), utf8('ledger record')],
      ]);
      // 'S' statementId -> index:u64.
      const s = byPrefix('S');
      expect(s.length).toBe(indexes.length);
      for (const i of indexes) expect(s).toContainEqual([key('S', statementId(i)), u64(i)]);
      // 'x' exhibitId index:u64 -> ''.
      expect(byPrefix('x')).toEqual(sorted.map((i) => [key('x', exhibit, u64(i)), new Uint8Array(0)]));
      // 'c' size:u64 -> UTF-8 note.
      expect(byPrefix('c')).toEqual([
        [key('c', u64(7)), utf8('seven')],
        [key('c', u64(300)), utf8('note ✓')],
      ]);
      // 'H' -> head, 'V' -> layout version 3.
      expect(byPrefix('H')).toEqual([[Uint8Array.of(0x48), encodeHead(head)]]);
      expect(byPrefix('V')).toEqual([[Uint8Array.of(0x56), Uint8Array.of(3)]]);
    });
  });

  describe('tamperWithPayload (the demo insider)', () => {
    it('rewrites one stored payload; verification names the entry', async () => {
      const dir = join(tempDir(), 'ledger');
      const { ledger } = await createCastLedger(await LevelLogStore.open(dir, 'create'));
      await ledger.close();
      await expectCustodyError(
        tamperWithPayload(dir, 99, (p) => p),
        'ENTRY_UNKNOWN',
      );
      await tamperWithPayload(dir, 3, (p) => {
        p[p.length - 1]! ^= 1;
        return p;
      });
      const store = track(await LevelLogStore.open(dir, 'open'));
      const r = await verifyLogStore(store);
      expect(r.report.ok).toBe(false);
      expect(r.report.problems).toContainEqual(
        expect.objectContaining({ code: 'PAYLOAD_HASH_MISMATCH', seq: 3 }),
      );
    });
  });
});
