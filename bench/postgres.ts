/**
 * PostgreSQL against LevelDB, same run, same machine (issue 30;
 * docs/PERFORMANCE.md §PostgreSQL):
 *   pg.append_per_s            the concurrent-writer workload of append.entries_per_s
 *                              and server.append_per_s's local reference: whole exhibit
 *                              lives (10 statements each, signed before the timed phase)
 *                              submitted by 32 concurrent writers to a LogLedger in this
 *                              process, once on a LevelLogStore and once on a
 *                              PostgresLogStore: target ratio >= 0.3
 *   pg.verify_entries_per_s    `custody verify --ledger postgres://…` of that ledger against
 *                              `custody verify --ledger <dir>` of the LevelDB one (the same
 *                              number of entries): target ratio >= 0.8
 * PostgreSQL runs as a throwaway cluster on loopback (test/store/pg-cluster.ts) with its
 * durable defaults (fsync, full-page writes, synchronous_commit on), since LevelDB syncs
 * every batch too. Skipped, with the reason, where PostgreSQL's binaries are missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelLogStore } from '../src/store/log-level.js';
import { PostgresLogStore } from '../src/store/log-postgres.js';
import type { LogStore } from '../src/store/log-store.js';
import { PG_BIN, PG_SKIP_REASON, startCluster } from '../test/store/pg-cluster.js';
import { createWorld, signLife, submitLife } from './workload.js';

const WRITERS = 32;

export interface PgBench {
  entries: number;
  appendPerS: number;
  levelAppendPerS: number;
  verifyPerS: number;
  levelVerifyPerS: number;
}

/** Runs `work` on `n` concurrent loops that take items from one queue. */
async function pool<T>(items: readonly T[], n: number, work: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The append workload on `store`: entries per second, the ledger's size and its authority key. */
async function append(store: LogStore, lives: number) {
  const w = await createWorld(store);
  const signed = Array.from({ length: lives }, (_, i) => signLife(w, i));
  const t = performance.now();
  await pool(signed, WRITERS, (life) => submitLife(w, life, () => {}));
  const perS = (lives * 10) / ((performance.now() - t) / 1000);
  const size = w.ledger.size;
  const authority = Buffer.from(w.authority.publicKey).toString('base64');
  await w.ledger.close();
  return { perS, size, authority };
}

/** `custody verify` of a ledger (a directory or a URL) by the built CLI: entries per second. */
function verify(cli: string, ledger: string, trust: string, size: number): number {
  const t = performance.now();
  const v = spawnSync(process.execPath, [cli, 'verify', '--ledger', ledger, '--json', '--trust', trust], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const s = performance.now() - t;
  let report: { ok?: boolean; entries?: number } | undefined;
  try {
    report = JSON.parse(v.stdout) as typeof report;
  } catch {
    report = undefined;
  }
  if (v.status !== 0 || !report?.ok || report.entries !== size)
    throw new Error(
      `custody verify of ${ledger} failed (exit ${v.status}): ${v.stdout.slice(0, 500)} ${v.stderr}`,
    );
  return size / (s / 1000);
}

export async function benchPostgres(
  cli: string,
  lives: number,
  say: (s: string) => void,
): Promise<PgBench | { skipped: string }> {
  if (!PG_BIN) return { skipped: PG_SKIP_REASON ?? 'no PostgreSQL' };
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-pg-'));
  const cluster = await startCluster({ durable: true });
  try {
    const levelDir = join(dir, 'level');
    const level = await append(await LevelLogStore.open(levelDir, 'create'), lives);
    say(`  LevelDB: ${Math.round(level.perS)} entries/s`);
    const url = await cluster.createDatabase();
    const pg = await append(await PostgresLogStore.open(url, 'create'), lives);
    say(`  PostgreSQL: ${Math.round(pg.perS)} entries/s`);
    const levelVerifyPerS = verify(cli, levelDir, level.authority, level.size);
    const verifyPerS = verify(cli, url, pg.authority, pg.size);
    say(`  verify: LevelDB ${Math.round(levelVerifyPerS)}, PostgreSQL ${Math.round(verifyPerS)} entries/s`);
    return {
      entries: pg.size,
      appendPerS: pg.perS,
      levelAppendPerS: level.perS,
      verifyPerS,
      levelVerifyPerS,
    };
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `node dist/bench/postgres.js [lives]`: this part of the bench alone. */
if (process.argv[1]?.endsWith('postgres.js')) {
  const lives = Number(process.argv[2] ?? 2000);
  const cli = join(import.meta.dirname, '..', 'cli', 'main.js');
  const r = await benchPostgres(cli, lives, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
