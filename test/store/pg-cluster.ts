/**
 * A throwaway PostgreSQL cluster for one test file (issue 30): `initdb` and
 * `pg_ctl` from Debian's package (/usr/lib/postgresql/<v>/bin) or PATH, a
 * temporary data directory and socket directory, trust authentication,
 * listening on 127.0.0.1 at a free port only, fsync off (a test cluster
 * needs no durability). `initdb` refuses to run as root, so as root both run
 * as the `postgres` user, who then owns the temporary directories.
 *
 * Each store gets a database of its own (CREATE DATABASE), so every test
 * starts from an empty ledger. stop() ends the cluster at once
 * (`pg_ctl stop -m immediate`) and removes its directories.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** The directory holding both `initdb` and `pg_ctl`, newest Debian version first, then PATH. */
export function findPgBin(): string | undefined {
  const debian = '/usr/lib/postgresql';
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(debian, v, 'bin'))
    : [];
  const path = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return [...versions, ...path].find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
}

export const PG_BIN = findPgBin();
export const PG_SKIP_REASON = PG_BIN
  ? undefined
  : "PostgreSQL's initdb and pg_ctl were not found (Debian: apt-get install postgresql; .ci/run installs it)";

/** The postgres user's ids (as root, the cluster runs as that user). */
async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error('no postgres user to run the cluster as');
  return { uid, gid };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PgCluster {
  readonly port: number;
  /** The URL of database `db` on this cluster. */
  url(db: string): string;
  /** A new database, empty or a copy of the one at `template` (which nothing may be connected to); its URL. */
  createDatabase(template?: string): Promise<string>;
  /** Runs SQL as the superuser on the database at `url` (tampering, inspection). */
  sql(url: string, text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Stops PostgreSQL (`pg_ctl stop -m <mode>`) but keeps its data: an outage, ended by restart(). */
  halt(mode: 'fast' | 'immediate'): Promise<void>;
  /** Starts the halted PostgreSQL again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'custody';

/**
 * Starts a throwaway cluster. Tests run it without fsync (its durability is
 * not what they test); `durable: true` keeps PostgreSQL's defaults (fsync,
 * full-page writes, synchronous commit), for benchmarks that compare it with
 * LevelDB, which syncs every batch.
 */
export async function startCluster(options: { durable?: boolean } = {}): Promise<PgCluster> {
  if (!PG_BIN) throw new Error(PG_SKIP_REASON);
  const bin = PG_BIN;
  const base = mkdtempSync(join(tmpdir(), 'custody-pg-'));
  const data = join(base, 'data');
  const sock = join(base, 'sock');
  mkdirSync(data, { mode: 0o700 });
  mkdirSync(sock, { mode: 0o700 });
  const root = process.getuid?.() === 0;
  if (root) {
    const { uid, gid } = await postgresIds();
    for (const d of [base, data, sock]) chownSync(d, uid, gid);
  }
  // As root: runuser -u postgres -- <tool> …; the tools start in the base directory, which postgres can read.
  const tool = (name: string, args: string[]) =>
    root
      ? run('runuser', ['-u', 'postgres', '--', join(bin, name), ...args], { cwd: base, timeout: 60_000 })
      : run(join(bin, name), args, { cwd: base, timeout: 60_000 });

  let started = false;
  const stop = async () => {
    if (started) await tool('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-s']).catch(() => undefined);
    started = false;
    rmSync(base, { recursive: true, force: true });
  };
  try {
    await tool('initdb', ['-D', data, '-A', 'trust', '-U', USER, '-E', 'UTF8', '--locale=C', '--no-sync']);
    let port = 0;
    const opts = () =>
      `-k ${sock} -p ${port} -c listen_addresses=127.0.0.1${options.durable ? '' : ' -c fsync=off -c full_page_writes=off'}`;
    const pgStart = () =>
      tool('pg_ctl', ['start', '-w', '-s', '-D', data, '-l', join(base, 'server.log'), '-o', opts()]);
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      try {
        await pgStart();
        started = true;
      } catch (e) {
        // Another process took the port between freePort() and the start: try another one.
        if (attempt >= 3) throw e;
      }
    }
    const url = (db: string) => `postgres://${USER}@127.0.0.1:${port}/${db}`;
    const sql = async (db: string, text: string, values: unknown[] = []) => {
      const c = new Client({ connectionString: db });
      await c.connect();
      try {
        return (await c.query(text, values)).rows as Record<string, unknown>[];
      } finally {
        await c.end();
      }
    };
    let n = 0;
    const create = async (template?: string) => {
      const name = `ledger_${++n}`;
      // FILE_COPY: about a third faster than the default WAL_LOG for an empty database.
      const from = template ? ` TEMPLATE ${new URL(template).pathname.slice(1)}` : '';
      for (let attempt = 1; ; attempt++) {
        try {
          await sql(url('postgres'), `CREATE DATABASE ${name}${from} STRATEGY FILE_COPY`);
          return url(name);
        } catch (e) {
          // 55006: the template's last connection, closed by the test, has not quite gone yet.
          if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    // The next empty database is made while the current test runs (CREATE DATABASE takes 0.2-0.3 s).
    let spare: Promise<string> | undefined;
    const take = () => {
      const next = spare ?? create();
      spare = create();
      spare.catch(() => undefined);
      return next;
    };
    return {
      port,
      url,
      sql,
      createDatabase: (template?: string) => (template ? create(template) : take()),
      halt: async (mode) => {
        // The spare database being made must not be cut off by the halt.
        await spare?.catch(() => undefined);
        await tool('pg_ctl', ['stop', '-w', '-D', data, '-m', mode, '-s']);
        started = false;
      },
      restart: async () => {
        await pgStart();
        started = true;
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
