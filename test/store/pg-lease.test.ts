/**
 * The sequencer lease of a PostgreSQL ledger (src/store/pg-lease.ts): one
 * holder per database at a time; released when its session ends, however it
 * ends (here: the backend terminated, as when the holder's process is
 * killed); never waits; a database that cannot be reached holds nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresLogStore } from '../../src/store/log-postgres.js';
import { PostgresLease } from '../../src/store/pg-lease.js';
import { PG_BIN, PG_SKIP_REASON, type PgCluster, startCluster } from './pg-cluster.js';

let cluster: PgCluster;

/** A database holding an empty ledger schema (the lease raises the fencing token in its head row). */
async function ledgerDatabase(): Promise<string> {
  const url = await cluster.createDatabase();
  await (await PostgresLogStore.open(url, 'create')).close();
  return url;
}

describe.skipIf(!PG_BIN)(PG_BIN ? 'PostgresLease' : `PostgresLease, skipped: ${PG_SKIP_REASON}`, () => {
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('has one holder per database; another takes it once the holder releases it', async () => {
    const url = await ledgerDatabase();
    const other = await ledgerDatabase();
    const a = new PostgresLease(url);
    const b = new PostgresLease(url);
    const c = new PostgresLease(other);
    try {
      expect(await a.renew()).toBe(true);
      expect(await b.renew()).toBe(false);
      expect(await a.renew()).toBe(true);
      expect(await c.renew()).toBe(true); // another database, another lock
      await a.release();
      expect(a.held).toBe(false);
      expect(await b.renew()).toBe(true);
      expect(await a.renew()).toBe(false);
    } finally {
      for (const l of [a, b, c]) await l.close();
    }
  });

  it('is lost when its session ends, and the next holder takes it', async () => {
    const url = await ledgerDatabase();
    const a = new PostgresLease(url);
    const b = new PostgresLease(url);
    try {
      expect(await a.renew()).toBe(true);
      expect(await b.renew()).toBe(false);
      const ended = await cluster.sql(
        url,
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = 'custody sequencer lease' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)",
      );
      expect(ended).toEqual([{ pg_terminate_backend: true }]);
      // The holder finds out at its next renewal; the lock went with the session.
      expect(await a.renew()).toBe(false);
      expect(await b.renew()).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('holds nothing when the database cannot be reached, without waiting for it', async () => {
    const lease = new PostgresLease('postgres://custody@127.0.0.1:1/none', { connectMs: 2_000 });
    expect(await lease.renew()).toBe(false);
    expect(lease.held).toBe(false);
    await lease.close();
  });
});
