/**
 * PostgreSQL implementation of LogStore (docs/STORAGE.md §PostgreSQL), with
 * the `pg` driver. Tables: ./pg-schema.ts; the rows of a batch: ./pg-write.ts.
 *
 * One batch is one transaction that first locks the head row
 * (`SELECT … FOR UPDATE`, the pattern of Tessera's sequencer) and refuses a
 * batch that does not start at the stored head's size (STORE_HEAD_MOVED):
 * two writers with the same view of the head can never both append, and
 * never interleave. write() resolves only after COMMIT returned, so an
 * acknowledged batch is as durable as the server's commit settings make it
 * (synchronous_commit, synchronous_standby_names: STORAGE.md).
 *
 * Security assumption: whoever can write the database directly bypasses
 * every check here, as with a LevelDB directory; `custody verify` replays the
 * entries and finds changed rows (test/store/postgres.test.ts).
 */
import { Pool } from 'pg';
import { utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError } from '../errors.js';
import { encodeOpenings } from '../format/openings.js';
import { decodeHead } from './log-head.js';
import type { LogBatch, LogHead, LogStore } from './log-store.js';
import type { ManifestShelf } from './manifest-shelf.js';
import { unsealOpenings } from './opening-seal.js';
import {
  bytes,
  checkUrl,
  corrupt,
  isRetryable,
  type PostgresOptions,
  pgError,
  poolConfig,
  position,
  type Reader,
  type Row,
  SnapshotReader,
  where,
} from './pg-connect.js';
import type { FencingToken } from './pg-lease.js';
import { createSchema, migrate } from './pg-schema.js';
import { prepareBatch, writeRows } from './pg-write.js';

export type { PostgresOptions } from './pg-connect.js';

/** How often a transaction that failed to serialize (40001) is run again before the error is reported. */
const MAX_ATTEMPTS = 5;
/** Rows per page of the iterators: memory stays bounded, however large the ledger. */
const PAGE = 1000;

export class PostgresLogStore implements LogStore, ManifestShelf {
  readonly kind = 'postgres' as const;
  /** The database as messages name it (no password). */
  readonly where: string;
  readonly #pool: Pool;
  readonly #url: string;
  readonly #opts: PostgresOptions;
  /** Where reads go: the pool, or a snapshot's own connection. */
  readonly #read: Reader;
  readonly #snap: SnapshotReader | undefined;
  #closed = false;
  #fence: FencingToken | undefined;

  private constructor(pool: Pool, url: string, opts: PostgresOptions, snap?: SnapshotReader) {
    this.#pool = pool;
    this.#url = url;
    this.#opts = opts;
    this.where = where(url);
    this.#snap = snap;
    this.#read = snap ?? pool;
  }

  /**
   * `create`: makes the ledger's schema in a database that has none
   * (LEDGER_EXISTS otherwise). `open`: opens an existing one
   * (LEDGER_NOT_FOUND without one), applying pending migrations, and refuses
   * a newer schema version (STORE_VERSION). A database that cannot be
   * reached is LEDGER_UNAVAILABLE, with the driver's reason.
   */
  static async open(url: string, mode: 'create' | 'open', opts: PostgresOptions = {}) {
    checkUrl(url);
    const pool = new Pool(poolConfig(url, opts));
    // An idle connection that breaks (the server restarts) is reported by the
    // next query that needs one; without a listener the event ends the process.
    pool.on('error', () => undefined);
    const store = new PostgresLogStore(pool, url, opts);
    try {
      await store.#tx(async (db) => {
        if (mode === 'create') await createSchema(db, store.where);
        else await migrate(db, store.where);
      });
      return store;
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw pgError(e, store.where);
    }
  }

  /**
   * A read-only view as of its first read (REPEATABLE READ, on a connection of
   * its own: SnapshotReader). Opening keys are read live, as LevelDB's
   * snapshot does: a field erased later is gone from the view too.
   * Checkpoints and witness state written through it go to the store itself.
   */
  snapshot(): PostgresLogStore {
    if (this.#snap) return this;
    this.#live();
    return new PostgresLogStore(this.#pool, this.#url, this.#opts, new SnapshotReader(this.#url, this.#opts));
  }

  #live(): void {
    if (this.#closed)
      throw new CustodyError('STORE_IO', `the store at ${this.where} is closed`, 'unavailable');
  }

  #writable(): void {
    this.#live();
    if (this.#snap)
      throw new CustodyError('STORE_READ_ONLY', 'a snapshot of the store is read-only', 'internal');
  }

  async #rows(text: string, values: unknown[] = [], via: Reader = this.#read): Promise<Row[]> {
    this.#live();
    try {
      return (await via.query(text, values)).rows;
    } catch (e) {
      throw pgError(e, this.where);
    }
  }

  async #one(text: string, values: unknown[]): Promise<Uint8Array | undefined> {
    const [row] = await this.#rows(text, values);
    return row ? bytes(Object.values(row)[0]) : undefined;
  }

  /**
   * Runs `f` in one transaction on one pooled connection, and runs it again
   * from the start on a serialization failure (40001: CockroachDB and
   * YugabyteDB report them; the server rolled everything back). Any other
   * error, COMMIT's included, is reported: after an error during COMMIT the
   * outcome is unknown, so the caller re-reads the head (LogLedger does).
   */
  async #tx<T>(f: (db: Reader) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      this.#live();
      const client = await this.#pool.connect().catch((e: unknown) => {
        throw pgError(e, this.where);
      });
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const out = await f(client);
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch((x: unknown) => {
          broken = x instanceof Error ? x : new Error(String(x));
        });
        if (!isRetryable(e) || attempt >= MAX_ATTEMPTS) throw pgError(e, this.where);
      } finally {
        client.release(broken);
      }
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }

  /**
   * Makes every later write check the sequencer's fencing token
   * (src/store/pg-lease.ts) under the head-row lock: a server that is not, or
   * no longer, the sequencer writes nothing. Without it (init, repair, tests)
   * writes are kept one history by the head-row lock alone.
   */
  fence(token: FencingToken): void {
    this.#fence = token;
  }

  /** The head row, locked until the transaction ends; its size (0 before the first batch). */
  async #lockHead(db: Reader): Promise<number> {
    const { rows } = await db.query('SELECT head, sequencer FROM custody.head WHERE id = 1 FOR UPDATE');
    if (rows.length === 0) throw corrupt(`the head row of the ledger at ${this.where} is missing`);
    if (this.#fence) {
      const mine = this.#fence();
      const stored = Number(rows[0]!['sequencer']);
      if (mine !== stored)
        throw new CustodyError(
          'NOT_SEQUENCER',
          mine === undefined
            ? `this server does not hold the sequencer lock of the ledger at ${this.where}; nothing was written`
            : `another server became the sequencer of the ledger at ${this.where} (fencing token ${stored}, this server's ${mine}); nothing was written`,
          'unavailable',
        );
    }
    const h = bytes(rows[0]!['head']);
    return h ? decodeHead(h).size : 0;
  }

  async readHead(): Promise<LogHead | undefined> {
    const h = await this.#one('SELECT head FROM custody.head WHERE id = 1', []);
    return h && decodeHead(h);
  }

  async write(batch: LogBatch): Promise<void> {
    this.#writable();
    const rows = prepareBatch(batch);
    await this.#tx(async (db) => {
      const size = await this.#lockHead(db);
      const first = rows.first ?? size;
      if (first !== size)
        throw new CustodyError(
          'STORE_HEAD_MOVED',
          `the batch starts at entry ${first}, but the ledger at ${this.where} holds ${size} entries: another writer appended; read the head again`,
          'unavailable',
        );
      if (rows.headSize !== size + rows.entries.length)
        throw new CustodyError('STORE_GAP', `the batch's head does not count its entries`, 'internal');
      await writeRows(db, rows);
    });
  }

  async restoreEntries(items: readonly { index: number; entry: Uint8Array; payload: Uint8Array }[]) {
    this.#writable();
    await this.#tx(async (db) => {
      const size = await this.#lockHead(db);
      for (const it of items)
        if (it.index >= size)
          throw new CustodyError('STORE_GAP', `entry ${it.index} is not in the stored log`, 'internal');
      await db.query(
        `INSERT INTO custody.entries (idx, entry, payload)
         SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])
         ON CONFLICT (idx) DO UPDATE SET entry = EXCLUDED.entry, payload = EXCLUDED.payload`,
        [items.map((i) => i.index), items.map((i) => i.entry), items.map((i) => i.payload)],
      );
    });
  }

  entry(i: number) {
    return this.#one('SELECT entry FROM custody.entries WHERE idx = $1', [i]);
  }
  payload(i: number) {
    return this.#one('SELECT payload FROM custody.entries WHERE idx = $1', [i]);
  }
  async openings(i: number) {
    const sealed = await this.#one('SELECT sealed FROM custody.openings WHERE idx = $1', [i]);
    if (!sealed) return undefined;
    return this.#unseal(i, sealed, await this.#keys(i, i));
  }

  /** The opening keys of entries from..to, read live even from a snapshot (erasure is final). */
  async #keys(from: number, to: number): Promise<Map<string, Uint8Array>> {
    const rows = await this.#rows(
      'SELECT idx, field, key FROM custody.opening_keys WHERE idx >= $1 AND idx <= $2',
      [from, to],
      this.#pool,
    );
    const out = new Map<string, Uint8Array>();
    for (const r of rows) {
      const k = bytes(r['key']);
      if (k) out.set(`${position(r['idx'], 'an opening key row')}/${String(r['field'])}`, k);
    }
    return out;
  }

  /**
   * The held fields of a sealed opening map (undefined when none is held).
   * One that does not open (changed behind the ledger, or moved to another
   * entry) is returned as stored, so that readers judge it where it is
   * (OPENINGS_MISMATCH), as LevelLogStore does.
   */
  #unseal(index: number, sealed: Uint8Array, keys: Map<string, Uint8Array>): Uint8Array | undefined {
    try {
      const opened = unsealOpenings(index, sealed, (f) => keys.get(`${index}/${f}`));
      return Object.keys(opened).length > 0 ? encodeOpenings(opened) : undefined;
    } catch (e) {
      if (e instanceof CustodyError && e.code === 'STORE_CORRUPT') return sealed;
      throw e;
    }
  }

  /**
   * Deletes the fields' keys (final for every reader of the database), then
   * rewrites the key table (VACUUM FULL) so that its live files no longer
   * hold the deleted rows. What WAL, replicas and backups keep: STORAGE.md.
   */
  async eraseOpenings(refs: readonly { index: number; fields: readonly string[] }[]) {
    this.#writable();
    const pairs = refs.flatMap((r) => r.fields.map((f) => [r.index, f] as const));
    if (pairs.length === 0) return;
    await this.#tx((db) =>
      db.query(
        `DELETE FROM custody.opening_keys WHERE (idx, field) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      ),
    );
    await this.#rows('VACUUM FULL custody.opening_keys', [], this.#pool);
  }

  async *items(from: number, to: number, opts: { openings?: boolean } = {}) {
    // Keyset pagination: each page starts after the last position read. The next page is asked
    // for before this one is handed out, so the database reads while the caller verifies.
    const page = (start: number) => {
      const p = this.#rows(
        opts.openings
          ? `SELECT e.idx, e.entry, e.payload, o.sealed FROM custody.entries e
             LEFT JOIN custody.openings o ON o.idx = e.idx
             WHERE e.idx >= $1 AND e.idx < $2 ORDER BY e.idx LIMIT ${PAGE}`
          : `SELECT idx, entry, payload FROM custody.entries
             WHERE idx >= $1 AND idx < $2 ORDER BY idx LIMIT ${PAGE}`,
        [start, to],
      );
      // A caller that stops early leaves the prefetched page unread: its failure is not unhandled.
      p.catch(() => undefined);
      return p;
    };
    let next = Math.max(0, from);
    if (next >= to) return;
    let pending = page(next);
    for (;;) {
      const rows = await pending;
      if (rows.length === 0) return;
      const last = position(rows[rows.length - 1]!['idx'], 'an entry position');
      const more = rows.length === PAGE && last + 1 < to;
      if (more) pending = page(last + 1);
      const keys = opts.openings ? await this.#keys(next, last) : undefined;
      for (const r of rows) {
        const index = position(r['idx'], 'an entry position');
        const [entry, payload] = [bytes(r['entry'])!, bytes(r['payload'])!];
        const sealed = bytes(r['sealed']);
        const opened = sealed && keys ? this.#unseal(index, sealed, keys) : undefined;
        yield opened ? { index, entry, payload, openings: opened } : { index, entry, payload };
      }
      if (!more) return;
      next = last + 1;
    }
  }

  async node(level: number, index: number) {
    const n = await this.#one('SELECT hash FROM custody.tree_nodes WHERE level = $1 AND idx = $2', [
      level,
      index,
    ]);
    if (n?.length !== 32) throw corrupt(`Merkle node ${level}/${index} is missing or damaged`);
    return n;
  }

  mapNode(hash: Uint8Array) {
    return this.#one('SELECT node FROM custody.map_nodes WHERE hash = $1', [hash]);
  }

  record(ns: string, key: Uint8Array) {
    return this.#one('SELECT bytes FROM custody.records WHERE ns = $1 AND key = $2', [ns, key]);
  }

  /** Pages of rows in key order: `sql` selects rows after the key given, or from the start when it is NULL. */
  async *#pages(sql: string, args: unknown[], keyOf: (r: Row) => unknown): AsyncGenerator<Row> {
    // As items(): the next page is asked for before this one is handed out.
    const page = (after: unknown) => {
      const p = this.#rows(sql, [...args, after]);
      p.catch(() => undefined);
      return p;
    };
    let pending = page(null);
    for (;;) {
      const rows = await pending;
      const more = rows.length === PAGE;
      if (more) pending = page(keyOf(rows[rows.length - 1]!));
      yield* rows;
      if (!more) return;
    }
  }

  async *records(ns: string) {
    for await (const r of this.#pages(
      `SELECT key, bytes FROM custody.records WHERE ns = $1 AND ($2::bytea IS NULL OR key > $2)
       ORDER BY key LIMIT ${PAGE}`,
      [ns],
      (r) => r['key'],
    ))
      yield { key: bytes(r['key'])!, bytes: bytes(r['bytes'])! };
  }

  async *treeNodes(level: number) {
    for await (const r of this.#pages(
      `SELECT idx, hash FROM custody.tree_nodes WHERE level = $1 AND ($2::bigint IS NULL OR idx > $2)
       ORDER BY idx LIMIT ${PAGE}`,
      [level],
      (r) => r['idx'],
    ))
      yield { index: position(r['idx'], 'a tree node position'), hash: bytes(r['hash'])! };
  }

  async *statementRows() {
    for await (const r of this.#pages(
      `SELECT id, idx FROM custody.statements WHERE ($1::bytea IS NULL OR id > $1) ORDER BY id LIMIT ${PAGE}`,
      [],
      (r) => r['id'],
    ))
      yield { id: bytes(r['id'])!, index: position(r['idx'], 'a statement index row') };
  }

  async statementIndex(id: Uint8Array) {
    const [row] = await this.#rows('SELECT idx FROM custody.statements WHERE id = $1', [id]);
    return row ? position(row['idx'], 'a statement index row') : undefined;
  }

  async exhibitEvents(id: Uint8Array) {
    const rows = await this.#rows('SELECT idx FROM custody.exhibit_events WHERE exhibit = $1 ORDER BY idx', [
      id,
    ]);
    return rows.map((r) => position(r['idx'], 'an exhibit event row'));
  }

  /** Also on a snapshot view: written to the store itself, as LevelLogStore does. */
  async putCheckpoint(size: number, note: string) {
    await this.#rows(
      `INSERT INTO custody.checkpoints (size, note) VALUES ($1, $2)
       ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note`,
      [size, utf8(note)],
      this.#pool,
    );
  }

  async checkpoint(size: number) {
    const b = await this.#one('SELECT note FROM custody.checkpoints WHERE size = $1', [size]);
    return b && new TextDecoder().decode(b);
  }

  async checkpointSizes() {
    const rows = await this.#rows('SELECT size FROM custody.checkpoints ORDER BY size');
    return rows.map((r) => position(r['size'], 'a checkpoint size'));
  }

  witnessState(origin: string) {
    return this.#one('SELECT state FROM custody.witness_state WHERE origin_hash = $1', [
      sha256(utf8(origin)),
    ]);
  }

  /** Also on a snapshot view, like putCheckpoint. */
  async putWitnessState(origin: string, state: Uint8Array) {
    await this.#rows(
      `INSERT INTO custody.witness_state (origin_hash, state) VALUES ($1, $2)
       ON CONFLICT (origin_hash) DO UPDATE SET state = EXCLUDED.state`,
      [sha256(utf8(origin)), state],
      this.#pool,
    );
  }

  /** A manifest kept by its root (./manifest-shelf.ts); read live, like witness state. */
  manifest(root: Uint8Array) {
    return this.#one('SELECT bytes FROM custody.manifests WHERE root = $1', [root]);
  }

  /** Content-addressed: a root already kept is left as it is (the same root, the same bytes). */
  async putManifest(root: Uint8Array, bytes: Uint8Array): Promise<boolean> {
    const rows = await this.#rows(
      'INSERT INTO custody.manifests (root, bytes) VALUES ($1, $2) ON CONFLICT (root) DO NOTHING RETURNING root',
      [root, bytes],
      this.#pool,
    );
    return rows.length === 1;
  }

  /** Ends the pool (a snapshot view: its own connection only). */
  async close() {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#snap) return this.#snap.close();
    await this.#pool.end().catch((e: unknown) => {
      throw pgError(e, this.where);
    });
  }
}
