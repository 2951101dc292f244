/**
 * The sequencer lease of a PostgreSQL ledger (docs/SERVER.md §Standby and
 * takeover): a session-level advisory lock (`pg_try_advisory_lock`) held on a
 * connection of its own, outside the store's pool. PostgreSQL releases it
 * when that session ends, however it ends: a server killed with SIGKILL
 * loses its connection, and so the lock, at once; a standby polling
 * `renew()` then takes it.
 *
 * The key is fixed: a database holds one ledger (the schema `custody`), so
 * one lock per database. Whoever else uses advisory locks in that database
 * must avoid the pair (0x63757374 'cust', 1).
 *
 * Security assumption: the lease keeps honest servers apart; it is not what
 * keeps the log one history. The head-row lock does that for writes
 * (STORE_HEAD_MOVED), and the signing guard for checkpoints
 * (src/ledger/signing-guard.ts).
 */
import { Client } from 'pg';
import { type PostgresOptions, pgError, where } from './pg-connect.js';

/** What src/ledger/sequencer-lease.ts needs of a lease; this file's PostgresLease is the one there is. */
export interface SequencerLease {
  /** Whether this process holds the lease after the call (checks a held one; takes a free one). */
  renew(): Promise<boolean>;
  /** Gives the lease up, so another server may take it. */
  release(): Promise<void>;
  close(): Promise<void>;
  /** Why the last renew() could not reach the database (one line), or undefined when it could. */
  readonly unreachable?: string | undefined;
}

/**
 * What the store checks at every write (PostgresLogStore.fence): the token
 * this server was given when it took the lease, or undefined while it holds
 * none. A write whose token is not the stored one is refused.
 */
export type FencingToken = () => number | undefined;

const LOCK = [0x63757374, 1] as const;

export class PostgresLease implements SequencerLease {
  readonly #url: string;
  readonly #opts: PostgresOptions;
  #client: Client | undefined;
  #held = false;
  #token: number | undefined;
  #unreachable: string | undefined;

  constructor(url: string, opts: PostgresOptions = {}) {
    this.#url = url;
    this.#opts = opts;
  }

  /** Why the last renew() failed on the database (a one-line message naming it), or undefined. */
  get unreachable(): string | undefined {
    return this.#unreachable;
  }

  /**
   * The fencing token of the held lease, or undefined while none is held:
   * the value this server raised `custody.head.sequencer` to when it took the
   * lock. A later sequencer raises it again, so this one's writes are refused
   * even before it notices it lost the lock.
   */
  get token(): number | undefined {
    return this.#held ? this.#token : undefined;
  }

  /** What the last renew() said (false after release()). */
  get held(): boolean {
    return this.#held;
  }

  /**
   * Whether this process holds the lease after the call: a held lease is
   * checked (its session still answers), a free one taken if no other
   * session holds it. Never waits for the lock. A database that cannot be
   * reached gives false (and ends a held lease: its session is gone).
   */
  async renew(): Promise<boolean> {
    try {
      if (this.#held) {
        // A session that ended is a lost lease, reported once, even if the lock is free again:
        // another server may have held it since, so the caller must start over as a standby.
        if (!this.#client) throw new Error('the lease session ended');
        await this.#client.query('SELECT 1');
        this.#unreachable = undefined;
        return true;
      }
      const c = await this.#connection();
      const { rows } = await c.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [...LOCK]);
      if ((rows[0] as { ok?: unknown } | undefined)?.ok !== true) {
        this.#unreachable = undefined;
        return false;
      }
      // Raised under the head-row lock, so it waits for a write still in flight from the previous
      // sequencer, and every write after it sees the new token (the old one's are refused).
      const raised = await c.query(
        'UPDATE custody.head SET sequencer = sequencer + 1 WHERE id = 1 RETURNING sequencer',
      );
      const token = Number((raised.rows[0] as { sequencer?: unknown } | undefined)?.sequencer);
      if (!Number.isSafeInteger(token)) throw new Error('the ledger has no head row to fence');
      this.#token = token;
      this.#held = true;
      this.#unreachable = undefined;
      return true;
    } catch (e) {
      // Kept for the server's /healthz and its refusals: the database is down, not another sequencer up.
      const err = pgError(e, where(this.#url));
      this.#unreachable =
        err.code === 'LEDGER_UNAVAILABLE'
          ? err.message
          : `cannot use the PostgreSQL ledger at ${where(this.#url)}: ${err.message}`;
      await this.release();
      return false;
    }
  }

  /** Gives the lease up: ends its session, which releases the lock. */
  async release(): Promise<void> {
    const c = this.#client;
    this.#client = undefined;
    this.#held = false;
    this.#token = undefined;
    await c?.end().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.release();
  }

  async #connection(): Promise<Client> {
    if (this.#client) return this.#client;
    const c = new Client({
      connectionString: this.#url,
      connectionTimeoutMillis: this.#opts.connectMs ?? 10_000,
      keepAlive: true,
      application_name: 'custody sequencer lease',
    });
    // A session that breaks while idle is found by the next renew(); without a listener the
    // 'error' event would end the process.
    c.on('error', () => undefined);
    c.on('end', () => {
      if (this.#client === c) this.#client = undefined;
    });
    try {
      await c.connect();
    } catch (e) {
      throw pgError(e, where(this.#url));
    }
    this.#client = c;
    return c;
  }
}
