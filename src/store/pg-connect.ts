/**
 * Connecting to PostgreSQL for the ledger store (./log-postgres.ts): the URL
 * as shown in messages (never with its password), errors mapped to one-line
 * CustodyErrors, and the read-only snapshot connection.
 *
 * Security assumption: the URL may carry a password; it is passed to the
 * driver only, and every message names the database by `where()`, which
 * leaves the password out.
 */
import { Client, type PoolConfig } from 'pg';
import { CustodyError } from '../errors.js';

export type Row = Record<string, unknown>;

export interface PostgresOptions {
  /** Milliseconds a connection attempt may take (default 10,000). */
  connectMs?: number;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

export const corrupt = (message: string) => new CustodyError('STORE_CORRUPT', message, 'unavailable');

/** A bytea column's value (pg returns a Buffer); undefined for NULL. */
export const bytes = (v: unknown): Uint8Array | undefined => (v instanceof Uint8Array ? v : undefined);

/** A bigint column (pg returns int8 as a string) as a position: a safe, non-negative integer. */
export function position(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw corrupt(`${what} is damaged`);
  return n;
}

/** What the store reads through: the pool, or a snapshot's own connection. */
export interface Reader {
  query(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
}

/** The URL as messages show it: scheme, user, host, port and database, no password or options. */
export function where(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'a PostgreSQL database (URL not shown)';
  }
  const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
  return `${u.protocol}//${user}${u.host}${u.pathname}`;
}

/** A postgres:// or postgresql:// URL; anything else is a usage error, refused before connecting. */
export function checkUrl(url: string): void {
  let ok = false;
  try {
    const p = new URL(url).protocol;
    ok = p === 'postgres:' || p === 'postgresql:';
  } catch {
    ok = false;
  }
  if (!ok)
    throw new CustodyError('USAGE', 'a PostgreSQL ledger is named by a postgres:// URL', 'input', {
      url: where(url),
    });
}

/**
 * Pool and client settings: a connection attempt gives up after `connectMs`
 * (pg's default waits forever), and TCP keep-alive finds a connection to a
 * primary that vanished (failover) instead of waiting on it.
 */
export function poolConfig(url: string, opts: PostgresOptions): PoolConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: opts.connectMs ?? 10_000,
    keepAlive: true,
    max: opts.poolSize ?? 10,
    application_name: 'custody',
  };
}

const sqlstate = (e: unknown): string | undefined => {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
};

/** A server-side error (pg's DatabaseError carries a severity); anything else came from the transport. */
const fromServer = (e: unknown): boolean =>
  typeof (e as { severity?: unknown } | null)?.severity === 'string';

/**
 * Serialization failure (40001) or deadlock (40P01): the transaction was
 * rolled back by the server and may simply be run again. PostgreSQL itself
 * reports 40001 only at REPEATABLE READ or above; CockroachDB and YugabyteDB
 * report it at their default isolation too.
 */
export const isRetryable = (e: unknown): boolean =>
  fromServer(e) && (sqlstate(e) === '40001' || sqlstate(e) === '40P01');

/** Transport errors and the SQLSTATE classes that mean "the database cannot be used now". */
function unreachable(e: unknown): boolean {
  const code = sqlstate(e) ?? '';
  if (fromServer(e)) return /^(08|28|53|57|3D)/.test(code);
  if (/^E[A-Z]+$/.test(code)) return true; // ECONNREFUSED, ENOTFOUND, ETIMEDOUT, …
  const msg = e instanceof Error ? e.message : '';
  return /connect|terminat|timeout|Connection|closed/i.test(msg);
}

/** One line: Node's AggregateError (every address refused) has an empty message. */
function reason(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const inner = (e as { errors?: unknown[] }).errors?.[0];
  const text = e.message || (inner instanceof Error ? inner.message : '') || sqlstate(e) || e.name;
  return text.replace(/\s+/g, ' ').trim();
}

/** Any error of the driver as a CustodyError (category unavailable); CustodyErrors pass through. */
export function pgError(e: unknown, at: string): CustodyError {
  if (e instanceof CustodyError) return e;
  if (fromServer(e) && sqlstate(e) === '3D000')
    return new CustodyError(
      'LEDGER_NOT_FOUND',
      `no database ${at}: ${reason(e)}`,
      'unavailable',
      {},
      { cause: e },
    );
  if (unreachable(e))
    return new CustodyError(
      'LEDGER_UNAVAILABLE',
      `cannot use the PostgreSQL ledger at ${at}: ${reason(e)}`,
      'unavailable',
      {},
      { cause: e },
    );
  return new CustodyError('STORE_IO', `storage error: ${reason(e)}`, 'unavailable', {}, { cause: e });
}

/**
 * A snapshot's connection: its own client (not one of the pool's, which a
 * long-lived snapshot would take from the writers), in a REPEATABLE READ
 * READ ONLY transaction. PostgreSQL fixes the transaction's snapshot at its
 * first query, so the caller reads once right away (ledger-host.ts reads the
 * head at once) to pin it. The client's queries run one after another.
 */
export class SnapshotReader implements Reader {
  readonly #client: Client;
  #ready: Promise<void> | undefined;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(url: string, opts: PostgresOptions) {
    this.#client = new Client({
      connectionString: url,
      connectionTimeoutMillis: opts.connectMs ?? 10_000,
      keepAlive: true,
      application_name: 'custody snapshot',
    });
    // A connection lost while idle is reported by the next query; without a
    // listener, the 'error' event would end the process.
    this.#client.on('error', () => undefined);
  }

  async query(text: string, values?: unknown[]): Promise<{ rows: Row[] }> {
    if (this.#closed) throw new CustodyError('STORE_IO', 'the snapshot is closed', 'unavailable');
    this.#ready ??= (async () => {
      await this.#client.connect();
      await this.#client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    })();
    await this.#ready;
    // One at a time: pg queues concurrent queries on a client itself, but warns that it will
    // stop doing so (pg 9); a server reads several things of one snapshot at once.
    const run = this.#queue.then(() => this.#client.query(text, values));
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#ready) return;
    await this.#ready.catch(() => undefined);
    await this.#client.end().catch(() => undefined);
  }
}
