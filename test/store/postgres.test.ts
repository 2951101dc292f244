/**
 * PostgresLogStore against a throwaway PostgreSQL cluster of this file's own
 * (./pg-cluster.ts): the conformance suite (with reopening), and what only
 * this store does — opening modes, the schema version and its migrations,
 * one writer at a time under the head-row lock, rows tampered with in SQL
 * found as with LevelDB, erasure that deletes the key rows, snapshots, and a
 * database that cannot be reached. Skipped, with the reason in its name,
 * only where PostgreSQL's binaries are missing (.ci/run installs them).
 */
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NS } from '../../src/custody/records.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { decodeOpenings } from '../../src/format/openings.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { rootAt } from '../../src/merkle/proofs.js';
import { PostgresLogStore } from '../../src/store/log-postgres.js';
import { PostgresLease } from '../../src/store/pg-lease.js';
import { MIGRATIONS, migrate, PG_SCHEMA_VERSION } from '../../src/store/pg-schema.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { ACTORS, AUTHORITY, createCastLedger, digestOf, sign, submit } from '../reliability/lib/cast.js';
import { logStoreConformance } from './conformance.js';
import { collect, EX_ONE, expectCustodyError, FakeLog, hash32, statementId } from './helpers.js';
import { expectShelfContract } from './manifest-shelf.js';
import { PG_BIN, PG_SKIP_REASON, type PgCluster, startCluster } from './pg-cluster.js';

let cluster: PgCluster;
const trusted = { trustedKeys: [AUTHORITY.signer.publicKey] };

const register = (label: string) =>
  sign({
    kind: 'register',
    signer: ACTORS.collector.signer,
    fields: { label, caseRef: 'NL-1', description: label, digests: digestOf(label), size: 1 },
  });

describe.skipIf(!PG_BIN)(PG_BIN ? 'PostgresLogStore' : `PostgresLogStore, skipped: ${PG_SKIP_REASON}`, () => {
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  logStoreConformance('PostgresLogStore', async () => {
    const url = await cluster.createDatabase();
    let current = await PostgresLogStore.open(url, 'create');
    return {
      store: current,
      reopen: async () => {
        current = await PostgresLogStore.open(url, 'open');
        return current;
      },
      cleanup: () => current.close().catch(() => undefined),
    };
  });

  const open: { close(): Promise<unknown> }[] = [];
  const track = <T extends { close(): Promise<unknown> }>(x: T): T => {
    open.push(x);
    return x;
  };
  afterEach(async () => {
    for (const x of open.splice(0).reverse()) await x.close().catch(() => undefined);
  });

  /** A new database holding a closed ledger of 3 hand-built entries with one record. */
  async function smallLedger(): Promise<{ url: string; log: FakeLog }> {
    const url = await cluster.createDatabase();
    const store = await PostgresLogStore.open(url, 'create');
    const log = new FakeLog();
    await store.write(
      log.batch(3, { records: [{ ns: NS.exhibit, key: EX_ONE, bytes: encodeCanonical({ v: 1 }) }] }),
    );
    await store.close();
    return { url, log };
  }

  /**
   * A new database holding a real ledger (genesis, five enrolments) and one
   * registration at `at`: built once, then copied (CREATE DATABASE … TEMPLATE).
   */
  let cast: Promise<{ url: string; reg: ReturnType<typeof register>; at: number }> | undefined;
  async function castLedger() {
    cast ??= (async () => {
      const url = await cluster.createDatabase();
      const { ledger } = await createCastLedger(await PostgresLogStore.open(url, 'create'));
      const reg = register('HDD-01');
      const at = (await submit(ledger, reg)).index;
      await ledger.close();
      return { url, reg, at };
    })();
    const c = await cast;
    return { ...c, url: await cluster.createDatabase(c.url) };
  }

  describe('open modes', () => {
    it("'open' on a database without a ledger is LEDGER_NOT_FOUND and creates nothing", async () => {
      const url = await cluster.createDatabase();
      const e = await expectCustodyError(PostgresLogStore.open(url, 'open'), 'LEDGER_NOT_FOUND');
      expect(e.category).toBe('unavailable');
      expect(await cluster.sql(url, "SELECT 1 FROM pg_namespace WHERE nspname = 'custody'")).toEqual([]);
      // A database that does not exist at all.
      await expectCustodyError(PostgresLogStore.open(cluster.url('no_such_db'), 'open'), 'LEDGER_NOT_FOUND');
    });

    it("'create' on a database that holds a ledger is LEDGER_EXISTS and leaves it alone", async () => {
      const { url, log } = await smallLedger();
      const e = await expectCustodyError(PostgresLogStore.open(url, 'create'), 'LEDGER_EXISTS');
      expect(e.category).toBe('input');
      const store = track(await PostgresLogStore.open(url, 'open'));
      expect(store.kind).toBe('postgres');
      expect(await store.readHead()).toEqual(log.head());
    });

    it('names the database without its password, and refuses a URL that is not postgres://', async () => {
      const url = (await cluster.createDatabase()).replace('custody@', 'custody:s3cret@');
      const store = track(await PostgresLogStore.open(url, 'create'));
      expect(store.where).toBe(url.replace(':s3cret', ''));
      const e = await expectCustodyError(PostgresLogStore.open('mysql://x@localhost/db', 'open'), 'USAGE');
      expect(e.category).toBe('input');
    });
  });

  describe('schema version and migrations', () => {
    it(`'create' writes schema version ${PG_SCHEMA_VERSION} and every table, the opening keys in their own`, async () => {
      const { url } = await smallLedger();
      expect(await cluster.sql(url, 'SELECT schema_version FROM custody.meta')).toEqual([
        { schema_version: PG_SCHEMA_VERSION },
      ]);
      const tables = await cluster.sql(
        url,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'custody' ORDER BY 1",
      );
      expect(tables.map((t) => t['table_name'])).toEqual([
        'checkpoints',
        'entries',
        'exhibit_events',
        'head',
        'manifests',
        'map_nodes',
        'meta',
        'opening_keys',
        'openings',
        'records',
        'statements',
        'tree_nodes',
        'witness_state',
      ]);
    });

    it.each([
      ['a newer version', 'UPDATE custody.meta SET schema_version = schema_version + 1'],
      ['no version row', 'DELETE FROM custody.meta'],
      ['no meta table', 'DROP TABLE custody.meta'],
    ])('%s is STORE_VERSION, and nothing is left open', async (_label, change) => {
      const { url } = await smallLedger();
      await cluster.sql(url, change);
      const e = await expectCustodyError(PostgresLogStore.open(url, 'open'), 'STORE_VERSION');
      expect(e.category).toBe('unavailable');
    });

    it('migrations run in order in one transaction: a failing one leaves the database as it was', async () => {
      const { url } = await smallLedger();
      const next = [
        ...MIGRATIONS,
        { version: PG_SCHEMA_VERSION + 1, sql: ['ALTER TABLE custody.checkpoints ADD COLUMN added text'] },
      ];
      const inTx = async (f: (c: Client) => Promise<unknown>) => {
        const c = new Client({ connectionString: url });
        await c.connect();
        try {
          await c.query('BEGIN');
          await f(c);
          await c.query('COMMIT');
        } catch (e) {
          await c.query('ROLLBACK');
          throw e;
        } finally {
          await c.end();
        }
      };
      const columns = async () =>
        (
          await cluster.sql(
            url,
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'checkpoints' ORDER BY 1",
          )
        ).map((r) => r['column_name']);
      const broken = [...next, { version: PG_SCHEMA_VERSION + 2, sql: ['SELECT 1 / 0'] }];
      await expect(inTx((c) => migrate(c, url, broken))).rejects.toThrow(/division by zero/);
      expect(await columns()).toEqual(['note', 'size']);
      await inTx(async (c) => expect(await migrate(c, url, next)).toBe(PG_SCHEMA_VERSION));
      expect(await columns()).toEqual(['added', 'note', 'size']);
      expect(await cluster.sql(url, 'SELECT schema_version FROM custody.meta')).toEqual([
        { schema_version: PG_SCHEMA_VERSION + 1 },
      ]);
      // This program knows only the versions up to its own.
      await expectCustodyError(PostgresLogStore.open(url, 'open'), 'STORE_VERSION');
    });
  });

  describe('one writer at a time', () => {
    it('a server that lost the sequencer lock writes nothing once another took it (the fencing token)', async () => {
      const { url, log } = await smallLedger();
      const a = track(await PostgresLogStore.open(url, 'open'));
      const b = track(await PostgresLogStore.open(url, 'open'));
      const leaseA = track(new PostgresLease(url));
      const leaseB = track(new PostgresLease(url));
      a.fence(() => leaseA.token);
      b.fence(() => leaseB.token);
      expect(await leaseA.renew()).toBe(true);
      expect(await leaseB.renew()).toBe(false);
      await a.write(log.batch(1));
      const next = log.batch(1);
      // A standby holds no token: refused before anything is written.
      await expectCustodyError(b.write(structuredClone(next)), 'NOT_SEQUENCER');
      // A's lock session ends, but A has not noticed yet (its next renewal is a second away)
      // and its pool still reaches the database: the window the token closes.
      await cluster.sql(
        url,
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'custody sequencer lease' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)",
      );
      expect(await leaseB.renew()).toBe(true);
      expect(leaseB.token).toBeGreaterThan(leaseA.token ?? 0);
      const size = (await a.readHead())?.size;
      await expect(a.write(structuredClone(next))).rejects.toMatchObject({
        code: 'NOT_SEQUENCER',
        category: 'unavailable',
        message: expect.stringContaining('another server became the sequencer'),
      });
      expect((await a.readHead())?.size).toBe(size);
      await b.write(next);
      expect((await b.readHead())?.size).toBe(size! + 1);
      expect(await leaseA.renew()).toBe(false);
    });

    it('two stores write a batch at the same position: one lands, the other is STORE_HEAD_MOVED', async () => {
      const { url, log } = await smallLedger();
      const a = track(await PostgresLogStore.open(url, 'open'));
      const b = track(await PostgresLogStore.open(url, 'open'));
      for (let round = 0; round < 5; round++) {
        expect((await a.readHead())?.size).toBe((await b.readHead())?.size);
        const batch = log.batch(2);
        const results = await Promise.allSettled([a.write(batch), b.write(structuredClone(batch))]);
        const refused = results.filter((r) => r.status === 'rejected');
        expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
        expect(refused.length).toBe(1);
        expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
          code: 'STORE_HEAD_MOVED',
          category: 'unavailable',
        });
      }
      expect(await a.readHead()).toEqual(log.head());
      expect(await rootAt(a, log.size)).toEqual(log.roots[log.size]);
    });

    it('two ledgers on one database: one append lands, the other is refused, the tree verifies', async () => {
      const { url } = await castLedger();
      const one = track(await LogLedger.open(await PostgresLogStore.open(url, 'open')));
      const two = track(await LogLedger.open(await PostgresLogStore.open(url, 'open')));
      const size = one.size;
      expect(two.size).toBe(size);
      const [x, y] = [register('USB-01'), register('USB-02')];
      const results = await Promise.allSettled([submit(one, x), submit(two, y)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'STORE_HEAD_MOVED' });
      const check = track(await PostgresLogStore.open(url, 'open'));
      expect((await check.readHead())?.size).toBe(size + 1);
      let r = await verifyLogStore(check, trusted);
      expect(r.report.problems).toEqual([]);
      expect(r.report).toMatchObject({ ok: true, entries: size + 1 });
      // The refused ledger re-reads the head and appends after the other's entry.
      const loser = results[0]!.status === 'rejected' ? [one, x] : [two, y];
      expect((await submit(loser[0] as LogLedger, loser[1] as typeof x)).index).toBe(size + 1);
      r = await verifyLogStore(check, trusted);
      expect(r.report).toMatchObject({ ok: true, entries: size + 2 });
    });
  });

  it('a batch with a hole or a head that does not count it is STORE_GAP; nothing of it lands', async () => {
    const { url, log } = await smallLedger();
    const store = track(await PostgresLogStore.open(url, 'open'));
    const batch = log.batch(3);
    const holed = { ...batch, entries: [batch.entries[0]!, batch.entries[2]!] };
    await expectCustodyError(store.write(holed), 'STORE_GAP');
    await expectCustodyError(store.write({ ...batch, head: { ...batch.head, size: 7 } }), 'STORE_GAP');
    expect((await store.readHead())?.size).toBe(3);
    expect(await store.entry(3)).toBeUndefined();
    await store.write(batch);
    expect(await store.readHead()).toEqual(log.head());
  });

  it('restoreEntries puts a lost or changed entry back, below the head only', async () => {
    const { url, log } = await smallLedger();
    await cluster.sql(url, 'DELETE FROM custody.entries WHERE idx = 1');
    await cluster.sql(url, "UPDATE custody.entries SET payload = '\\x00' WHERE idx = 2");
    const store = track(await PostgresLogStore.open(url, 'open'));
    const back = [1, 2].map((i) => ({
      index: i,
      entry: log.entries[i]!.entry,
      payload: log.entries[i]!.payload,
    }));
    await store.restoreEntries(back);
    expect((await collect(store.items(0, 3))).map((e) => [e.entry, e.payload])).toEqual(
      log.entries.map((e) => [e.entry, e.payload]),
    );
    await expectCustodyError(store.restoreEntries([{ ...back[0]!, index: 3 }]), 'STORE_GAP');
    expect(await store.entry(3)).toBeUndefined();
  });

  describe('rows changed in SQL behind the ledger are found, as with LevelDB', () => {
    it.each([
      ['junk bytes', Buffer.from('this is not msgpack at all')],
      ['a never-used msgpack byte', Buffer.from([0xc1])],
      ['an empty value', Buffer.alloc(0)],
    ])('a head holding %s: readHead, write and LogLedger.open throw STORE_CORRUPT', async (_label, junk) => {
      const { url, log } = await smallLedger();
      await cluster.sql(url, 'UPDATE custody.head SET head = $1', [junk]);
      const store = track(await PostgresLogStore.open(url, 'open'));
      const e = await expectCustodyError(store.readHead(), 'STORE_CORRUPT');
      expect(e.category).toBe('unavailable');
      await expectCustodyError(store.write(log.batch(1)), 'STORE_CORRUPT');
      await expectCustodyError(LogLedger.open(store), 'STORE_CORRUPT');
    });

    it('a head row deleted: nothing can be appended (STORE_CORRUPT)', async () => {
      const { url, log } = await smallLedger();
      await cluster.sql(url, 'DELETE FROM custody.head');
      const store = track(await PostgresLogStore.open(url, 'open'));
      expect(await store.readHead()).toBeUndefined();
      await expectCustodyError(store.write(log.batch(1)), 'STORE_CORRUPT');
    });

    it('tree nodes of the wrong length and a negative statement position read as STORE_CORRUPT', async () => {
      const { url } = await smallLedger();
      await cluster.sql(
        url,
        'UPDATE custody.tree_nodes SET hash = substring(hash from 2) WHERE level = 0 AND idx = 1',
      );
      await cluster.sql(url, 'UPDATE custody.statements SET idx = -1 WHERE id = $1', [statementId(2)]);
      const store = track(await PostgresLogStore.open(url, 'open'));
      await expectCustodyError(store.node(0, 1), 'STORE_CORRUPT');
      await expectCustodyError(store.statementIndex(statementId(2)), 'STORE_CORRUPT');
      expect(await store.statementIndex(statementId(0))).toBe(0);
      await expectCustodyError(collect(store.statementRows()), 'STORE_CORRUPT');
    });

    it('an entry row beyond the head (a head rolled back): LogLedger.open refuses, no append overwrites it', async () => {
      const { url, log } = await smallLedger();
      const [next] = log.batch(1).entries;
      await cluster.sql(url, 'INSERT INTO custody.entries (idx, entry, payload) VALUES (3, $1, $2)', [
        next!.entry,
        next!.payload,
      ]);
      const store = track(await PostgresLogStore.open(url, 'open'));
      await expectCustodyError(LogLedger.open(store), 'STORE_CORRUPT');
    });

    it.each([
      [
        'a payload changed',
        'UPDATE custody.entries SET payload = payload || $1::bytea WHERE idx = $2',
        'PAYLOAD_HASH_MISMATCH',
      ],
      [
        'the last entry deleted',
        'DELETE FROM custody.entries WHERE idx = $2 AND $1::bytea IS NOT NULL',
        'STORE_HEAD_MISMATCH',
      ],
      [
        'an entry inside deleted',
        'DELETE FROM custody.entries WHERE idx = $2 - 2 AND $1::bytea IS NOT NULL',
        'ENTRY_MISSING',
      ],
      [
        'a tree node changed',
        'UPDATE custody.tree_nodes SET hash = $1 WHERE level = 0 AND idx = $2',
        'STORE_TREE_MISMATCH',
      ],
      [
        'a record changed',
        "UPDATE custody.records SET bytes = bytes || $1::bytea WHERE ns = 'exhibit' AND $2::bigint IS NOT NULL",
        'STORE_RECORD_MISMATCH',
      ],
      [
        'a record added',
        "INSERT INTO custody.records (ns, key, bytes) VALUES ('exhibit', $1, $1) ON CONFLICT DO NOTHING RETURNING $2::bigint",
        'STORE_RECORD_EXTRA',
      ],
      [
        'an exhibit event deleted',
        'DELETE FROM custody.exhibit_events WHERE idx = $2 AND $1::bytea IS NOT NULL',
        'STORE_EVENTS_MISMATCH',
      ],
      [
        'a statement index row moved',
        'UPDATE custody.statements SET idx = 0 WHERE idx = $2 AND $1::bytea IS NOT NULL',
        'STORE_INDEX_MISMATCH',
      ],
      [
        'a map branch deleted',
        'DELETE FROM custody.map_nodes WHERE $1::bytea IS NOT NULL AND $2::bigint IS NOT NULL',
        'STORE_MAP_MISMATCH',
      ],
      [
        'the head changed',
        'UPDATE custody.head SET head = NULL WHERE $1::bytea IS NOT NULL AND $2::bigint IS NOT NULL',
        'STORE_HEAD_MISSING',
      ],
    ])('%s: verify names it', async (_label, change, code) => {
      const { url, at } = await castLedger();
      await cluster.sql(url, change, [Buffer.from(hash32('tamper')), at]);
      const store = track(await PostgresLogStore.open(url, 'open'));
      const r = await verifyLogStore(store, trusted);
      expect(r.report.ok).toBe(false);
      expect(r.report.problems.map((p) => p.code)).toContain(code);
    });
  });

  describe('openings', () => {
    it('are stored sealed; erasure deletes the key rows, for good, and the rest still verifies', async () => {
      const { url, reg, at } = await castLedger();
      const fields = Object.keys(decodeOpenings(reg.openingBytes!));
      expect(fields.length).toBeGreaterThan(0);
      const sealed = await cluster.sql(url, 'SELECT sealed FROM custody.openings WHERE idx = $1', [at]);
      expect(Buffer.from(sealed[0]!['sealed'] as Uint8Array).includes('HDD-01')).toBe(false);
      const keys = async () =>
        (
          await cluster.sql(url, 'SELECT field FROM custody.opening_keys WHERE idx = $1 ORDER BY 1', [at])
        ).map((r) => r['field']);
      expect(await keys()).toEqual([...fields].sort());
      const store = track(await PostgresLogStore.open(url, 'open'));
      expect(await store.openings(at)).toEqual(reg.openingBytes);
      const [gone, ...kept] = fields;
      await store.eraseOpenings([{ index: at, fields: [gone!] }]);
      expect(await keys()).toEqual([...kept].sort());
      const left = await store.openings(at);
      expect(left && Object.keys(decodeOpenings(left))).toEqual(kept.length > 0 ? kept : undefined);
      const items = await collect(store.items(at, at + 1, { openings: true }));
      expect(items[0]?.openings).toEqual(left);
      const again = track(await PostgresLogStore.open(url, 'open'));
      expect(await again.openings(at)).toEqual(left);
      const r = await verifyLogStore(again, trusted);
      expect(r.report.problems).toEqual([]);
    });
  });

  describe('manifests (schema version 3)', () => {
    it('are kept by root in custody.manifests, once, whole', async () => {
      const { url } = await smallLedger();
      await expectShelfContract(track(await PostgresLogStore.open(url, 'open')));
      expect(await cluster.sql(url, 'SELECT count(*)::int AS n FROM custody.manifests')).toEqual([{ n: 2 }]);
    });
  });

  describe('snapshot()', () => {
    it('reads the store as of its first read; later batches are not seen; it refuses writes', async () => {
      const { url, log } = await smallLedger();
      const store = track(await PostgresLogStore.open(url, 'open'));
      const snap = track(store.snapshot());
      expect((await snap.readHead())?.size).toBe(3);
      await store.write(log.batch(2));
      expect((await store.readHead())?.size).toBe(5);
      expect((await snap.readHead())?.size).toBe(3);
      expect(await snap.entry(3)).toBeUndefined();
      expect((await collect(snap.items(0, 10))).length).toBe(3);
      await expectCustodyError(snap.write(log.batch(1)), 'STORE_READ_ONLY');
      // Checkpoints written through the snapshot go to the store.
      await snap.putCheckpoint(5, 'five');
      expect(await store.checkpoint(5)).toBe('five');
      await snap.close();
      expect((await store.readHead())?.size).toBe(5);
    });
  });

  describe('a database that cannot be used', () => {
    it('an unreachable server is one clear line, LEDGER_UNAVAILABLE, without the password', async () => {
      const dead = await cluster.createDatabase();
      const url = `postgres://custody:s3cret@127.0.0.1:1/${dead.split('/').pop()}`;
      const e = await expectCustodyError(PostgresLogStore.open(url, 'open'), 'LEDGER_UNAVAILABLE');
      expect(e.category).toBe('unavailable');
      expect(e.message).toMatch(
        /^cannot use the PostgreSQL ledger at postgres:\/\/custody@127\.0\.0\.1:1\/\S+: \S/,
      );
      expect(e.message).not.toContain('s3cret');
      expect(e.message).not.toContain('\n');
    });

    it('connections the server ends do not crash the process; the next read reconnects', async () => {
      const { url, log } = await smallLedger();
      const store = track(await PostgresLogStore.open(url, 'open'));
      const reads = () => Promise.all(Array.from({ length: 6 }, () => store.readHead()));
      // Several idle connections in the pool, all ended by the server at once.
      expect(await reads()).toEqual(Array(6).fill(log.head()));
      await cluster.sql(
        url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'custody'",
      );
      expect(await reads()).toEqual(Array(6).fill(log.head()));
      await store.write(log.batch(1));
      expect((await store.readHead())?.size).toBe(4);
    });
  });
});
