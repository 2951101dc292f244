/**
 * The store read protocol (src/store/store-wire.ts) and its client
 * (src/store/log-remote.ts): paths round-trip and nothing else parses; a
 * RemoteLogStore whose transport answers in process from `answerStoreRead`
 * over a real ledger (bench/workload.ts) reads exactly what the store itself
 * gives, through LedgerView and the whole-ledger verifier; a transport that
 * answers from another snapshot, garbage, or LEDGER_MOVED is refused with the
 * right code; and the pinned snapshot hides what was appended after it until
 * repin().
 */
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, ORIGIN, type Signed, signLife, submitLife, type World } from '../../bench/workload.js';
import { toHex } from '../../src/bytes.js';
import { ed25519NoteVerifier } from '../../src/checkpoint/note.js';
import { CustodyError } from '../../src/errors.js';
import { type Canonical, encodeCanonical } from '../../src/format/canonical.js';
import { archiveLatestCheckpoint } from '../../src/ledger/archive.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { rootAt } from '../../src/merkle/proofs.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { LEDGER_MOVED, RemoteLogStore, type StoreTransport } from '../../src/store/log-remote.js';
import type { LogStore } from '../../src/store/log-store.js';
import {
  answerStoreRead,
  ITEMS_PAGE,
  openingIndexes,
  parseStorePath,
  type StoreRead,
  storePath,
} from '../../src/store/store-wire.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
// Also registers the byte-array equality tester (Buffers from LevelDB equal plain Uint8Arrays).
import { collect, EX_ONE, expectCustodyError, FakeLog, removeTempDirs, tempDir } from './helpers.js';

// ---------------------------------------------------------------- paths

const MAX = Number.MAX_SAFE_INTEGER;
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);
const uint = fc.oneof(fc.nat(1000), fc.maxSafeNat());
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const ns = fc
  .tuple(
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), maxLength: 31 }),
  )
  .map(([a, b]) => a + b);
const treeLevel = fc.nat(63);

const anyRead: fc.Arbitrary<StoreRead> = fc.oneof(
  fc.constantFrom<StoreRead>({ op: 'head' }, { op: 'statement-rows' }, { op: 'checkpoint-sizes' }),
  fc.record({ op: fc.constantFrom('entry' as const, 'payload' as const, 'openings' as const), index: uint }),
  fc
    .record({ from: uint, span: fc.nat(ITEMS_PAGE), openings: fc.boolean() })
    .map(({ from, span, openings }) => {
      // to - from <= ITEMS_PAGE, and to <= 2^53 - 1.
      const to = Math.min(MAX, from + span);
      return { op: 'items' as const, from: to - span, to, openings };
    }),
  fc.record({ op: fc.constant('map-node' as const), hash: bytes32 }),
  fc.record({ op: fc.constant('record' as const), ns, key: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ op: fc.constant('records' as const), ns }),
  fc.record({ op: fc.constant('tree-nodes' as const), level: treeLevel }),
  fc.record({ op: fc.constantFrom('statement-index' as const, 'exhibit-events' as const), id: bytes32 }),
  fc.record({ op: fc.constant('checkpoint' as const), size: uint }),
  fc.record({ op: fc.constant('node' as const), level: treeLevel, index: uint }),
);

describe('storePath and parseStorePath', () => {
  test.prop([anyRead], { numRuns: 500 })('parseStorePath(storePath(r)) is r', (r) => {
    const path = storePath(r);
    expect(path).not.toMatch(/^\/|\/\/|[^a-z0-9/-]/);
    expect(parseStorePath(path)).toEqual(r);
  });

  it('names each read as documented', () => {
    const h = new Uint8Array(32).fill(0xab);
    expect(storePath({ op: 'head' })).toBe('head');
    expect(storePath({ op: 'entry', index: 7 })).toBe('entry/7');
    expect(storePath({ op: 'items', from: 0, to: 512, openings: true })).toBe('items/0/512/openings');
    expect(storePath({ op: 'items', from: 3, to: 3, openings: false })).toBe('items/3/3');
    expect(storePath({ op: 'map-node', hash: h })).toBe(`map-node/${'ab'.repeat(32)}`);
    expect(storePath({ op: 'record', ns: 'ledger', key: new Uint8Array(0) })).toBe('record/ledger/');
    expect(storePath({ op: 'node', level: 63, index: MAX })).toBe(`node/63/${MAX}`);
    // The edges of the ranges parse.
    expect(parseStorePath(`entry/${MAX}`)).toEqual({ op: 'entry', index: MAX });
    expect(parseStorePath('record/ledger/')).toEqual({ op: 'record', ns: 'ledger', key: new Uint8Array(0) });
    expect(parseStorePath(`record/k/${'00'.repeat(512)}`)).toEqual({
      op: 'record',
      ns: 'k',
      key: new Uint8Array(512),
    });
    expect(parseStorePath(`records/a${'-'.repeat(31)}`)).toEqual({ op: 'records', ns: `a${'-'.repeat(31)}` });
    expect(parseStorePath('items/0/512')).toEqual({ op: 'items', from: 0, to: 512, openings: false });
  });

  const hex32 = 'ab'.repeat(32);
  it.each([
    // numbers: leading zeros, signs, too large, not decimal
    'entry/01',
    'entry/00',
    'entry/-1',
    'entry/+1',
    'entry/1.0',
    'entry/1e3',
    'entry/0x10',
    'entry/ 1',
    'entry/',
    'entry',
    `entry/${MAX + 1}`,
    'entry/99999999999999999',
    'checkpoint/007',
    'node/01/0',
    'node/0/01',
    // levels past the tree
    'tree-nodes/64',
    'node/64/0',
    // item ranges: backwards, longer than a page, zero-padded
    'items/5/4',
    `items/0/${ITEMS_PAGE + 1}`,
    `items/${MAX - ITEMS_PAGE - 1}/${MAX}`,
    'items/00/1',
    'items/0',
    'items/0/1/opening',
    'items/0/1/openings/x',
    'items/0/1/',
    // hex: odd length, not hex, too short or long for a hash, uppercase
    `map-node/${hex32.slice(1)}`,
    `map-node/${hex32.slice(2)}`,
    `map-node/${hex32}ab`,
    `map-node/${'zz'.repeat(32)}`,
    `map-node/${hex32.toUpperCase()}`,
    `statement-index/${'AB'.repeat(32)}`,
    `exhibit-events/${'ab'.repeat(31)}Ab`,
    'record/key/AB',
    'record/key/abc',
    `record/key/${'00'.repeat(513)}`,
    // namespaces
    'records/Key',
    'records/1key',
    'records/-key',
    `records/a${'b'.repeat(32)}`,
    'records/',
    'record/key',
    // extra segments, trailing slashes
    'head/x',
    'head/',
    'statement-rows/0',
    'checkpoint-sizes/',
    'entry/1/2',
    'payload/1/',
    `map-node/${hex32}/x`,
    'record/key/ab/',
    'records/key/x',
    'tree-nodes/0/0',
    'node/0/0/0',
    `exhibit-events/${hex32}/`,
    // unknown ops
    '',
    '/',
    '/head',
    'HEAD',
    'heads',
    'entries/0',
    'witness-state/x',
    '../head',
  ])('refuses %j', (path) => {
    expect(parseStorePath(path)).toBeUndefined();
  });

  it('uppercase hex is refused, not normalised: a path names one read only', () => {
    const lower = `map-node/${'ab'.repeat(32)}`;
    expect(parseStorePath(lower)).toEqual({ op: 'map-node', hash: new Uint8Array(32).fill(0xab) });
    expect(parseStorePath(lower.toUpperCase())).toBeUndefined();
    expect(parseStorePath(`map-node/${'aB'.repeat(32)}`)).toBeUndefined();
  });

  test.prop([anyRead, fc.string({ maxLength: 8 })], { numRuns: 300 })(
    'a path with anything appended is refused or is another read that prints back the same',
    (r, tail) => {
      const path = `${storePath(r)}${tail}`;
      const p = parseStorePath(path);
      // Whatever parses names itself: no two paths name the same read.
      if (p !== undefined) expect(storePath(p)).toBe(path);
    },
  );
});

describe('openingIndexes', () => {
  it('names the entries whose cleartext a read reveals, and only those', () => {
    expect(openingIndexes({ op: 'openings', index: 9 })).toEqual([9]);
    expect(openingIndexes({ op: 'items', from: 4, to: 8, openings: true })).toEqual([4, 5, 6, 7]);
    expect(openingIndexes({ op: 'items', from: 4, to: 4, openings: true })).toEqual([]);
    expect(openingIndexes({ op: 'items', from: 4, to: 8, openings: false })).toEqual([]);
    for (const r of [
      { op: 'entry', index: 9 },
      { op: 'payload', index: 9 },
      { op: 'head' },
      { op: 'record', ns: 'exhibit', key: new Uint8Array(32) },
      { op: 'records', ns: 'exhibit' },
      { op: 'exhibit-events', id: new Uint8Array(32) },
      { op: 'checkpoint', size: 9 },
    ] as StoreRead[])
      expect(openingIndexes(r)).toEqual([]);
  });

  test.prop([anyRead])('items with openings reveal exactly from..to-1', (r) => {
    const ix = openingIndexes(r);
    if (r.op === 'items' && r.openings)
      expect(ix).toEqual(Array.from({ length: r.to - r.from }, (_, i) => r.from + i));
    else if (r.op === 'openings') expect(ix).toEqual([r.index]);
    else expect(ix).toEqual([]);
  });
});

// ---------------------------------------------------------------- transports

/** A server's answer in process: the path is parsed as the server would, the body copied as HTTP would. */
async function answer(store: LogStore, path: string) {
  const r = parseStorePath(path);
  if (!r) throw new Error(`the client asked for a path the server cannot parse: ${path}`);
  const body = await answerStoreRead(store, r);
  return body && Uint8Array.from(body);
}

const headSize = async (store: LogStore) => (await store.readHead())?.size ?? 0;

/**
 * A transport over snapshots, as the ledger host keeps them: a read without
 * `at` takes the newest, one with `at` reads that snapshot, or LEDGER_MOVED
 * once it is released. A store without snapshots (memory) is read live.
 */
function snapshotTransport(store: LogStore) {
  const snaps = new Map<number, LogStore>();
  const calls: { path: string; at: number | undefined }[] = [];
  const t = {
    calls,
    async get(path: string, at?: number) {
      calls.push({ path, at });
      let snap: LogStore;
      let size: number;
      if (at === undefined) {
        snap = store.snapshot ? store.snapshot() : store;
        size = await headSize(snap);
        snaps.set(size, snap);
      } else {
        const s = snaps.get(at);
        if (!s) throw new CustodyError(LEDGER_MOVED, `snapshot ${at} is gone`, 'unavailable');
        snap = s;
        size = at;
      }
      return { body: await answer(snap, path), size };
    },
    async release() {
      for (const s of snaps.values()) if (s !== store) await s.close();
      snaps.clear();
    },
  };
  return t;
}

/** A server that answers from its live store but says it answered from the snapshot asked for. */
const liveTransport = (store: LogStore): StoreTransport => ({
  async get(path, at) {
    return { body: await answer(store, path), size: at ?? (await headSize(store)) };
  },
});

// ---------------------------------------------------------------- the world

interface Built {
  w: World;
  /** Registration ids (exhibit ids) of the lives submitted. */
  exhibits: Uint8Array[];
  /** The log record's index (an archived checkpoint). */
  recordAt: number;
  checkpointNotes: string[];
}

/** createWorld, four lives, a checkpoint, the checkpoint archived, two more lives and a checkpoint. */
async function buildWorld(store: LogStore): Promise<Built> {
  const w = await createWorld(store);
  const exhibits: Uint8Array[] = [];
  const live = async (n: number) => {
    const life = signLife(w, n);
    exhibits.push(life[0]!.id);
    await submitLife(w, life, () => undefined);
  };
  for (const n of [0, 1, 2, 16]) await live(n);
  const a = await signLogCheckpoint(w.view, w.log);
  const recordAt = (await archiveLatestCheckpoint(w.ledger, w.view)).submitted.index;
  for (const n of [3, 33]) await live(n);
  const b = await signLogCheckpoint(w.view, w.log);
  return { w, exhibits, recordAt, checkpointNotes: [a.note, b.note] };
}

let level: Built;
beforeAll(async () => {
  level = await buildWorld(await LevelLogStore.open(join(tempDir(), 'ledger'), 'create'));
});
afterAll(async () => {
  await level?.w.ledger.close();
  await level?.w.store.close();
  removeTempDirs();
});

// ---------------------------------------------------------------- conformance

describe('a RemoteLogStore over answerStoreRead reads what the store holds', () => {
  /** Both results, or both errors' codes. */
  const both = async <T>(f: (v: LedgerView) => Promise<T>, local: LedgerView, remote: LedgerView) => {
    const settle = (p: Promise<T>): Promise<{ value?: T; error?: string }> =>
      p.then(
        (value) => ({ value }),
        (e: unknown) => ({ error: e instanceof CustodyError ? e.code : String(e) }),
      );
    return [await settle(f(local)), await settle(f(remote))] as const;
  };

  it('LedgerView gives the same answers over the remote store as over the store itself', async () => {
    const { w, exhibits, recordAt } = level;
    const t = snapshotTransport(w.store);
    const remote = new LedgerView(new RemoteLogStore(t));
    const local = new LedgerView(w.store);
    const size = (await local.head()).size;
    expect(size).toBe(49 + 60 + 1);
    const same = async <T>(f: (v: LedgerView) => Promise<T>) => {
      const [a, b] = await both(f, local, remote);
      expect(b).toEqual(a);
      return a;
    };
    expect((await same((v) => v.head())).value).toMatchObject({ size });
    await same((v) => v.ledger());
    // The authority, the log key and 48 enrolled actors.
    expect((await same((v) => v.keys())).value).toHaveLength(50);
    expect((await same((v) => v.exhibits())).value).toHaveLength(exhibits.length);
    await same((v) => v.labels());
    await same((v) => v.actors());
    await same((v) => v.ledgerStatements());
    await same((v) => v.seen());
    await same((v) => v.recordPositions());
    for (const x of exhibits) {
      expect((await same((v) => v.history(x))).value).toHaveLength(10);
      await same((v) => v.registration(x));
      await same((v) => v.exhibit(x));
      await same((v) => v.holds(x));
    }
    // An exhibit that does not exist, and a statement index that does not.
    await same((v) => v.history(new Uint8Array(32)));
    expect((await same((v) => v.registration(new Uint8Array(32)))).error).toBe('STORE_CORRUPT');
    await same((v) => v.key(w.collectors[0]!.id));
    for (let i = 0; i < size; i++) await same((v) => v.entryAt(i));
    expect((await same((v) => v.statementAt(recordAt))).error).toBe('NOT_A_STATEMENT');
    expect((await same((v) => v.entryAt(size))).error).toBe('STORE_CORRUPT');

    // Checkpoints.
    expect((await same((v) => v.checkpointSizes())).value).toEqual([89, size]);
    await same((v) => v.checkpoints());
    await same((v) => v.latestCheckpoint());
    await same((v) => v.checkpoint(89));
    expect((await same((v) => v.checkpoint(90))).value).toBeUndefined();
    expect((await same((v) => v.checkpoint(size + 1))).value).toBeUndefined();

    // The tree: roots, leaves, proofs, receipts.
    for (const s of [1, 2, 3, 48, 49, 64, 89, 90, size - 1, size]) await same((v) => v.rootAt(s));
    for (const i of [0, 1, 48, 63, 64, recordAt, size - 1]) {
      await same((v) => v.leafHash(i));
      await same((v) => v.receipt(i));
      for (const s of [i + 1, 89, size]) if (s > i) await same((v) => v.inclusionProof(i, s));
    }
    for (const [a, b] of [
      [1, size],
      [3, 7],
      [48, 89],
      [64, 89],
      [89, size],
      [size, size],
    ] as const)
      await same((v) => v.consistencyProof(a, b));
    const logKey = ed25519NoteVerifier(ORIGIN, w.log.publicKey);
    const note = (await local.checkpoint(89))!;
    await same((v) => v.tlogReceipt(5, note, logKey));

    // Every read named the snapshot the first one took.
    const pinned = t.calls.filter((c) => c.at === undefined);
    expect(pinned.map((c) => c.path)).toEqual(['head']);
    expect(t.calls.length).toBeGreaterThan(100);
    expect(new Set(t.calls.slice(1).map((c) => c.at))).toEqual(new Set([size]));
    await t.release();
  });

  it('the raw store reads agree too: items with openings, records, tree nodes, statement rows', async () => {
    const { w, exhibits } = level;
    const t = snapshotTransport(w.store);
    const remote = new RemoteLogStore(t);
    const size = await headSize(w.store);
    expect(await collect(remote.items(0, MAX, { openings: true }))).toEqual(
      await collect(w.store.items(0, MAX, { openings: true })),
    );
    expect(await collect(remote.items(7, 60))).toEqual(await collect(w.store.items(7, 60)));
    for (const n of ['ledger', 'key', 'exhibit', 'label', 'digest', 'short', 'hold'])
      expect(await collect(remote.records(n))).toEqual(await collect(w.store.records(n)));
    for (const l of [0, 1, 3, 6, 7])
      expect(await collect(remote.treeNodes(l))).toEqual(await collect(w.store.treeNodes(l)));
    expect(await collect(remote.statementRows())).toEqual(await collect(w.store.statementRows()));
    for (const x of exhibits) {
      expect(await remote.exhibitEvents(x)).toEqual(await w.store.exhibitEvents(x));
      expect(await remote.statementIndex(x)).toEqual(await w.store.statementIndex(x));
    }
    expect(await remote.statementIndex(new Uint8Array(32))).toBeUndefined();
    expect(await remote.openings(49)).toEqual(await w.store.openings(49));
    expect(await remote.payload(size - 1)).toEqual(await w.store.payload(size - 1));
    // Past the head: nothing, as from the store.
    expect(await remote.entry(size)).toBeUndefined();
    expect(await w.store.entry(size)).toBeUndefined();
    // A node the tree does not have yet is STORE_CORRUPT from both.
    await expectCustodyError(remote.node(0, size), 'STORE_CORRUPT');
    await expectCustodyError(w.store.node(0, size), 'STORE_CORRUPT');
    // Read-only.
    await expectCustodyError(remote.putCheckpoint(), 'LEDGER_REMOTE_READ_ONLY');
    await t.release();
  });

  it('items pages through a long log, ITEMS_PAGE entries per read, and stops at the head', async () => {
    const store = new MemoryLogStore();
    const fake = new FakeLog();
    await store.write(fake.batch(2 * ITEMS_PAGE + 100));
    const size = fake.size;
    const t = snapshotTransport(store);
    const remote = new RemoteLogStore(t);
    expect(await collect(remote.items(0, MAX, { openings: true }))).toEqual(
      await collect(store.items(0, MAX, { openings: true })),
    );
    expect(t.calls.map((c) => c.path)).toEqual([
      'head',
      `items/0/${ITEMS_PAGE}/openings`,
      `items/${ITEMS_PAGE}/${2 * ITEMS_PAGE}/openings`,
      `items/${2 * ITEMS_PAGE}/${size}/openings`,
    ]);
    const mid = await collect(remote.items(ITEMS_PAGE - 3, ITEMS_PAGE + 4));
    expect(mid.map((it) => it.index)).toEqual(range(ITEMS_PAGE - 3, 7));
    expect(await collect(remote.items(size - 1, size + 50))).toHaveLength(1);
    expect(await collect(remote.items(size, size + 50))).toEqual([]);
    expect(await collect(remote.items(9, 9))).toEqual([]);
    for (const s of [1, ITEMS_PAGE, size]) expect(await rootAt(remote, s)).toEqual(fake.roots[s]);
    expect(await remote.exhibitEvents(EX_ONE)).toEqual(await store.exhibitEvents(EX_ONE));
  });

  it('verifyLogStore reports the remote store ok, exactly as the local one', async () => {
    const { w } = level;
    const t = snapshotTransport(w.store);
    const opts = { trustedKeys: [w.authority.publicKey] };
    const local = await verifyLogStore(w.store, opts);
    const remote = await verifyLogStore(new RemoteLogStore(t), opts);
    expect(local.report.problems).toEqual([]);
    expect(local.report.ok).toBe(true);
    expect(remote.report.problems).toEqual([]);
    expect(remote.report.ok).toBe(true);
    expect(remote.roots).toEqual(local.roots);
    expect(remote.archived).toEqual(local.archived);
    expect(remote.archived).toEqual([{ index: level.recordAt, size: 89, timestamped: false }]);
    expect(remote.ledger).toEqual(local.ledger);
    await t.release();
  });

  it('verifyLogStore over the remote store finds an entry the server damaged', async () => {
    const { w } = level;
    const flip = (b: Uint8Array) => {
      const out = Uint8Array.from(b);
      out[out.length - 1]! ^= 1;
      return out;
    };
    // The server flips a bit of entry 60's payload wherever it sends it.
    const damaged: StoreTransport = {
      async get(path, at) {
        const a = await liveTransport(w.store).get(path, at);
        const r = parseStorePath(path);
        if (r?.op === 'payload' && r.index === 60) return { ...a, body: flip(a.body!) };
        if (r?.op !== 'items' || r.from > 60 || r.to <= 60) return a;
        const page = await collect(w.store.items(r.from, r.to, { openings: r.openings }));
        const body = encodeCanonical(
          page.map((it) => ({ ...it, payload: it.index === 60 ? flip(it.payload) : it.payload })),
        );
        return { body, size: a.size };
      },
    };
    const remote = new RemoteLogStore(damaged);
    await expectCustodyError(new LedgerView(remote).entryAt(60), 'STORE_CORRUPT');
    expect((await new LedgerView(w.store).entryAt(60)).index).toBe(60);
    const r = await verifyLogStore(remote, { trustedKeys: [w.authority.publicKey] });
    expect(r.report.ok).toBe(false);
    expect(r.report.problems.some((p) => p.seq === 60)).toBe(true);
  });
});

// ---------------------------------------------------------------- refusals

describe('what the remote store refuses', () => {
  it('a head answered with another size than its own is STORE_CORRUPT', async () => {
    const { w } = level;
    for (const lie of [1, -1]) {
      const remote = new RemoteLogStore({
        async get(path, at) {
          const a = await liveTransport(w.store).get(path, at);
          return path === 'head' ? { ...a, size: a.size! + lie } : a;
        },
      });
      await expectCustodyError(remote.readHead(), 'STORE_CORRUPT');
      await expectCustodyError(remote.entry(0), 'STORE_CORRUPT');
    }
    // No size header at all.
    const none = new RemoteLogStore({
      async get(path) {
        return { body: await answer(w.store, path), size: undefined };
      },
    });
    await expectCustodyError(none.readHead(), 'STORE_CORRUPT');
  });

  it('any read answered from another snapshot than the one it named is STORE_CORRUPT', async () => {
    const { w, exhibits } = level;
    const reads: ((s: RemoteLogStore) => Promise<unknown>)[] = [
      (s) => s.entry(0),
      (s) => s.payload(0),
      (s) => s.openings(1),
      (s) => s.node(0, 0),
      (s) => s.mapNode(new Uint8Array(32)),
      (s) => s.record('ledger', new Uint8Array(0)),
      (s) => collect(s.records('key')),
      (s) => collect(s.items(0, 3)),
      (s) => collect(s.treeNodes(0)),
      (s) => collect(s.statementRows()),
      (s) => s.statementIndex(exhibits[0]!),
      (s) => s.exhibitEvents(exhibits[0]!),
      (s) => s.checkpoint(89),
      (s) => s.checkpointSizes(),
    ];
    for (const off of [1, -1, undefined]) {
      for (const read of reads) {
        const remote = new RemoteLogStore({
          async get(path, at) {
            const a = await liveTransport(w.store).get(path, at);
            if (at === undefined) return a;
            return { ...a, size: off === undefined ? undefined : at + off };
          },
        });
        await expectCustodyError(read(remote), 'STORE_CORRUPT');
      }
    }
  });

  const leafValue: fc.Arbitrary<Canonical> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.oneof(fc.nat(300), fc.maxSafeNat()),
    fc.string({ maxLength: 8 }),
    fc.uint8Array({ maxLength: 40 }),
  );
  const canonicalValue: fc.Arbitrary<Canonical> = fc.letrec<{ v: Canonical }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      leafValue,
      fc.array(tie('v'), { maxLength: 4 }),
      fc
        .array(
          fc.tuple(
            fc.constantFrom('index', 'entry', 'payload', 'openings', 'key', 'bytes', 'x', '__proto__'),
            tie('v'),
          ),
          { maxLength: 4 },
        )
        .map((kv) => Object.fromEntries(kv) as Canonical),
    ),
  })).v;
  const garbage = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    canonicalValue.map((v) => encodeCanonical(v)),
    fc.constant(undefined),
  );
  type Op = [string, (s: RemoteLogStore) => Promise<unknown>];
  const ops: Op[] = [
    ['records', (s) => collect(s.records('key'))],
    ['tree-nodes', (s) => collect(s.treeNodes(0))],
    ['statement-rows', (s) => collect(s.statementRows())],
    ['items', (s) => collect(s.items(0, 100, { openings: true }))],
    ['exhibit-events', (s) => s.exhibitEvents(new Uint8Array(32))],
    ['checkpoint-sizes', (s) => s.checkpointSizes()],
    ['statement-index', (s) => s.statementIndex(new Uint8Array(32))],
    ['checkpoint', (s) => s.checkpoint(89)],
    ['node', (s) => s.node(0, 0)],
    ['head', (s) => s.readHead()],
  ];

  test.prop([fc.constantFrom(...ops), garbage], { numRuns: 200 })(
    'garbage bodies are STORE_CORRUPT, never another exception',
    async ([op, read], body) => {
      const { w } = level;
      const remote = new RemoteLogStore({
        async get(path, at) {
          const a = await liveTransport(w.store).get(path, at);
          if (parseStorePath(path)?.op !== op) return a;
          // A garbage head is answered with the size it would claim, so only its body is wrong.
          return { body, size: a.size };
        },
      });
      let thrown: unknown;
      await read(remote).catch((e: unknown) => {
        thrown = e;
      });
      if (thrown !== undefined) {
        expect(thrown).toBeInstanceOf(CustodyError);
        expect((thrown as CustodyError).code).toBe('STORE_CORRUPT');
      }
    },
  );

  it('a list that is not a list, or a row of the wrong shape, is STORE_CORRUPT', async () => {
    const { w } = level;
    const answering = (op: string, value: Canonical | Uint8Array) =>
      new RemoteLogStore({
        async get(path, at) {
          const a = await liveTransport(w.store).get(path, at);
          return path.startsWith(op) ? { body: encodeCanonical(value), size: a.size } : a;
        },
      });
    const b = new Uint8Array(32);
    await expectCustodyError(collect(answering('records', {}).records('key')), 'STORE_CORRUPT');
    await expectCustodyError(collect(answering('records', [[b]]).records('key')), 'STORE_CORRUPT');
    await expectCustodyError(collect(answering('records', [['k', b]]).records('key')), 'STORE_CORRUPT');
    await expectCustodyError(collect(answering('tree-nodes', [[0, 'x']]).treeNodes(0)), 'STORE_CORRUPT');
    await expectCustodyError(collect(answering('statement-rows', [[0, b]]).statementRows()), 'STORE_CORRUPT');
    await expectCustodyError(answering('exhibit-events', ['1']).exhibitEvents(b), 'STORE_CORRUPT');
    await expectCustodyError(answering('checkpoint-sizes', [true]).checkpointSizes(), 'STORE_CORRUPT');
    await expectCustodyError(answering('statement-index', 'x').statementIndex(b), 'STORE_CORRUPT');
    await expectCustodyError(
      collect(answering('items', [{ index: 0, entry: b }]).items(0, 5)),
      'STORE_CORRUPT',
    );
    await expectCustodyError(
      collect(answering('items', [{ index: 0, entry: b, payload: b, openings: 'x' }]).items(0, 5)),
      'STORE_CORRUPT',
    );
    // A checkpoint note that is not UTF-8.
    const notUtf8 = new RemoteLogStore({
      async get(path, at) {
        const a = await liveTransport(w.store).get(path, at);
        return path.startsWith('checkpoint/') ? { body: Uint8Array.of(0xff, 0xfe), size: a.size } : a;
      },
    });
    await expectCustodyError(notUtf8.checkpoint(89), 'STORE_CORRUPT');
  });

  // The LogStore contract (items: from <= index < to, in order) and the
  // remote store's own (lists are clipped to the pinned size).
  it('items yields only the entries asked for: a page reaching past them is not believed', async () => {
    const { w } = level;
    const size = await headSize(w.store);
    const extra = new RemoteLogStore({
      async get(path, at) {
        const a = await liveTransport(w.store).get(path, at);
        const r = parseStorePath(path);
        if (r?.op !== 'items') return a;
        // One more item than asked for, numbered past the page (and past the snapshot).
        const page = (await collect(w.store.items(r.from, r.to))).map((it) => ({ ...it }));
        page.push({ ...page.at(-1)!, index: r.to });
        return { body: encodeCanonical(page), size: a.size };
      },
    });
    const got = await collect(extra.items(size - 3, size)).then(
      (items) => items.map((it) => it.index),
      (e: unknown) => (e instanceof CustodyError ? e.code : e),
    );
    expect([[size - 3, size - 2, size - 1], 'STORE_CORRUPT']).toContainEqual(got);
  });

  it('items yields only the entries asked for: a page of other entries is not believed', async () => {
    const { w } = level;
    const renumbered = new RemoteLogStore({
      async get(path, at) {
        const a = await liveTransport(w.store).get(path, at);
        const r = parseStorePath(path);
        if (r?.op !== 'items') return a;
        // The right number of items, but other entries than those asked for.
        const page = await collect(w.store.items(r.from + 1, r.to + 1));
        return { body: encodeCanonical(page.map((it) => ({ ...it }))), size: a.size };
      },
    });
    const got2 = await collect(renumbered.items(0, 3)).then(
      (items) => items.map((it) => it.index),
      (e: unknown) => (e instanceof CustodyError ? e.code : e),
    );
    expect([[0, 1, 2], 'STORE_CORRUPT']).toContainEqual(got2);
  });

  it('LEDGER_MOVED from the transport propagates with its code, and repin() reads again', async () => {
    const { w, exhibits } = level;
    let moved = true;
    const t = snapshotTransport(w.store);
    const remote = new RemoteLogStore({
      get(path, at) {
        if (moved && at !== undefined)
          return Promise.reject(new CustodyError(LEDGER_MOVED, 'the snapshot is gone', 'unavailable'));
        return t.get(path, at);
      },
    });
    const view = new LedgerView(remote);
    await expectCustodyError(remote.entry(0), LEDGER_MOVED);
    await expectCustodyError(remote.exhibitEvents(exhibits[0]!), LEDGER_MOVED);
    await expectCustodyError(collect(remote.items(0, 10)), LEDGER_MOVED);
    await expectCustodyError(view.ledger(), LEDGER_MOVED);
    await expectCustodyError(view.history(exhibits[0]!), LEDGER_MOVED);
    await expectCustodyError(view.entryAt(3), LEDGER_MOVED);
    // The snapshot released by the server: the real transport says so too.
    const gone = new RemoteLogStore(t);
    await gone.readHead();
    await t.release();
    await expectCustodyError(gone.entry(0), LEDGER_MOVED);
    gone.repin();
    expect(await gone.entry(0)).toEqual(await w.store.entry(0));
    moved = false;
    remote.repin();
    expect((await view.history(exhibits[0]!)).length).toBe(10);
    await t.release();
  });

  it('writes are refused: the remote store is read-only', async () => {
    const remote = new RemoteLogStore(liveTransport(level.w.store));
    for (const p of [
      remote.write({} as never),
      remote.eraseOpenings(),
      remote.restoreEntries(),
      remote.putCheckpoint(),
      remote.putWitnessState(),
    ])
      await expectCustodyError(p, 'LEDGER_REMOTE_READ_ONLY');
    expect(await remote.witnessState()).toBeUndefined();
  });
});

// ---------------------------------------------------------------- pinning

describe('the pinned snapshot', () => {
  /** Reads of entries and positions appended after `pinned` over `remote`. */
  async function expectPinnedAt(remote: RemoteLogStore, store: LogStore, pinned: number, later: Signed[]) {
    const grown = await headSize(store);
    expect(grown).toBeGreaterThan(pinned);
    expect((await remote.readHead())?.size).toBe(pinned);
    for (let i = pinned; i < grown; i++) {
      expect(await remote.entry(i)).toBeUndefined();
      expect(await remote.payload(i)).toBeUndefined();
      expect(await remote.openings(i)).toBeUndefined();
    }
    expect(await remote.entry(pinned - 1)).toEqual(await store.entry(pinned - 1));
    expect((await collect(remote.items(0, MAX))).map((it) => it.index)).toEqual(
      Array.from({ length: pinned }, (_, i) => i),
    );
    const reg = later[0]!.id;
    expect(await store.statementIndex(reg)).toBe(pinned);
    expect(await remote.statementIndex(reg)).toBeUndefined();
    expect(await store.exhibitEvents(reg)).toHaveLength(10);
    expect(await remote.exhibitEvents(reg)).toEqual([]);
    const rows = await collect(remote.statementRows());
    expect(rows.every((r) => r.index < pinned)).toBe(true);
    expect(rows).toHaveLength((await collect(store.statementRows())).filter((r) => r.index < pinned).length);
    const leaves = await collect(remote.treeNodes(0));
    expect(leaves.map((n) => n.index)).toEqual(Array.from({ length: pinned }, (_, i) => i));
    for (const l of [1, 2, 3])
      for (const n of await collect(remote.treeNodes(l)))
        expect((n.index + 1) * 2 ** l).toBeLessThanOrEqual(pinned);
    expect(await remote.checkpointSizes()).toEqual(
      (await store.checkpointSizes()).filter((s) => s <= pinned),
    );
    expect(await remote.checkpoint(grown)).toBeUndefined();
    await expectCustodyError(remote.node(0, pinned), 'STORE_CORRUPT');
  }

  async function expectRepinned(remote: RemoteLogStore, store: LogStore, later: Signed[]) {
    remote.repin();
    const grown = await headSize(store);
    expect((await remote.readHead())?.size).toBe(grown);
    expect(await remote.entry(grown - 1)).toEqual(await store.entry(grown - 1));
    expect(await remote.statementIndex(later[0]!.id)).toBe(grown - 10);
    expect(await remote.exhibitEvents(later[0]!.id)).toEqual(await store.exhibitEvents(later[0]!.id));
    expect(await remote.checkpointSizes()).toEqual(await store.checkpointSizes());
    expect(await remote.node(0, grown - 1)).toEqual(await store.node(0, grown - 1));
  }

  it('over LevelDB snapshots: what is appended after the first read stays unseen until repin()', async () => {
    const dir = join(tempDir(), 'pinned');
    const w = await createWorld(await LevelLogStore.open(dir, 'create'));
    await submitLife(w, signLife(w, 0), () => undefined);
    const t = snapshotTransport(w.store);
    const remote = new RemoteLogStore(t);
    const view = new LedgerView(remote);
    const pinned = (await view.head()).size;
    const exhibitsBefore = await view.exhibits();
    const later = signLife(w, 1);
    await submitLife(w, later, () => undefined);
    await signLogCheckpoint(w.view, w.log);
    await expectPinnedAt(remote, w.store, pinned, later);
    // The view reads the pinned state throughout.
    expect(await view.exhibits()).toEqual(exhibitsBefore);
    expect(await view.history(later[0]!.id)).toEqual([]);
    await expectRepinned(remote, w.store, later);
    expect(await view.exhibits()).toHaveLength(exhibitsBefore.length + 1);
    expect(await view.history(later[0]!.id)).toHaveLength(10);
    await t.release();
    await w.ledger.close();
    await w.store.close();
  });

  it('over a live store claiming the pinned size: the remote store clips what reaches past it', async () => {
    const store = new MemoryLogStore();
    const w = await createWorld(store);
    await submitLife(w, signLife(w, 0), () => undefined);
    await signLogCheckpoint(w.view, w.log);
    const remote = new RemoteLogStore(liveTransport(store));
    const pinned = (await remote.readHead())!.size;
    const later = signLife(w, 1);
    await submitLife(w, later, () => undefined);
    await signLogCheckpoint(w.view, w.log);
    await expectPinnedAt(remote, store, pinned, later);
    await expectRepinned(remote, store, later);
  });

  it('an empty server: no head, nothing to read', async () => {
    const remote = new RemoteLogStore(liveTransport(new MemoryLogStore()));
    expect(await remote.readHead()).toBeUndefined();
    expect(await remote.entry(0)).toBeUndefined();
    expect(await collect(remote.items(0, 10))).toEqual([]);
    await expectCustodyError(new LedgerView(remote).head(), 'LEDGER_EMPTY');
  });

  it('the head read fails: the next read after repin() takes a snapshot again', async () => {
    const { w } = level;
    let fail = true;
    const remote = new RemoteLogStore({
      get(path, at) {
        if (fail) return Promise.reject(new CustodyError('LEDGER_UNREACHABLE', 'down', 'unavailable'));
        return liveTransport(w.store).get(path, at);
      },
    });
    await expectCustodyError(remote.readHead(), 'LEDGER_UNREACHABLE');
    fail = false;
    remote.repin();
    expect((await remote.readHead())?.size).toBe(await headSize(w.store));
    expect(toHex((await remote.entry(0))!)).toBe(toHex((await w.store.entry(0))!));
  });
});
