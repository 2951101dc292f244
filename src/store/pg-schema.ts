/**
 * The PostgreSQL schema of a ledger (docs/STORAGE.md §PostgreSQL): every
 * table lives in the PostgreSQL schema `custody`, and `custody.meta` holds
 * the schema version, as LevelDB's `V` key holds the layout version.
 *
 * Migrations are applied in order, all in one transaction with the meta row
 * locked, so a database is always at exactly one version, and two processes
 * that open an old database at once do not both migrate it. A database at a
 * newer version than this code knows is refused (STORE_VERSION): an older
 * program must never write rows whose meaning it does not know.
 *
 * Byte strings are `bytea`, whose order is bytewise (memcmp, then length),
 * the order LevelDB gives its keys; positions and sizes are `bigint`.
 */
import { CustodyError } from '../errors.js';

/** One step from `version - 1` to `version`: statements run in order. */
export interface Migration {
  version: number;
  sql: readonly string[];
}

export const PG_SCHEMA = 'custody';

/**
 * Version 1. The opening keys have a table of their own, so that erasing a
 * field deletes its key row there and nothing else holds the key
 * (src/store/opening-seal.ts). The head is one row that exists from the
 * start, so that every append can lock it (`SELECT … FOR UPDATE`) even in an
 * empty ledger; its `head` is NULL until the first batch.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: [
      `CREATE TABLE custody.entries (
         idx bigint PRIMARY KEY CHECK (idx >= 0),
         entry bytea NOT NULL,
         payload bytea NOT NULL)`,
      `CREATE TABLE custody.openings (idx bigint PRIMARY KEY, sealed bytea NOT NULL)`,
      `CREATE TABLE custody.opening_keys (
         idx bigint NOT NULL,
         field text NOT NULL,
         key bytea NOT NULL,
         PRIMARY KEY (idx, field))`,
      `CREATE TABLE custody.tree_nodes (
         level smallint NOT NULL,
         idx bigint NOT NULL,
         hash bytea NOT NULL,
         PRIMARY KEY (level, idx))`,
      `CREATE TABLE custody.map_nodes (hash bytea PRIMARY KEY, node bytea NOT NULL)`,
      `CREATE TABLE custody.records (ns text NOT NULL, key bytea NOT NULL, bytes bytea NOT NULL, PRIMARY KEY (ns, key))`,
      `CREATE TABLE custody.statements (id bytea PRIMARY KEY, idx bigint NOT NULL)`,
      `CREATE TABLE custody.exhibit_events (exhibit bytea NOT NULL, idx bigint NOT NULL, PRIMARY KEY (exhibit, idx))`,
      `CREATE TABLE custody.checkpoints (size bigint PRIMARY KEY, note bytea NOT NULL)`,
      `CREATE TABLE custody.witness_state (origin_hash bytea PRIMARY KEY, state bytea NOT NULL)`,
      `CREATE TABLE custody.head (id smallint PRIMARY KEY CHECK (id = 1), head bytea)`,
      `INSERT INTO custody.head (id, head) VALUES (1, NULL)`,
    ],
  },
  /**
   * Version 2. The sequencer's fencing token (docs/STORAGE.md §One sequencer
   * at a time): each server that takes the sequencer lock raises it, and each
   * write checks it under the head-row lock, so a server that lost the lock
   * but still reaches the database writes nothing after a takeover.
   */
  {
    version: 2,
    sql: [`ALTER TABLE custody.head ADD COLUMN sequencer bigint NOT NULL DEFAULT 0`],
  },
  /**
   * Version 3. The manifests of registered folders and segment sets
   * (src/store/manifest-shelf.ts, docs/SERVER.md §Manifests), content-addressed
   * by their Merkle root: in the database, so that its backups and replicas
   * carry them with the registrations that commit to them.
   */
  {
    version: 3,
    sql: [`CREATE TABLE custody.manifests (root bytea PRIMARY KEY, bytes bytea NOT NULL)`],
  },
];

/** The version this code writes and reads: the last migration's. */
export const PG_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** What the schema code needs of a connection (a pg Client inside a transaction). */
export interface SqlRunner {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const versionError = (message: string) => new CustodyError('STORE_VERSION', message, 'unavailable');

/**
 * Creates the schema at the latest version. The caller runs it inside a
 * transaction: a failure leaves nothing behind. A database that already has
 * the schema is LEDGER_EXISTS, as a non-empty directory is for LevelDB.
 */
export async function createSchema(
  db: SqlRunner,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<void> {
  const { rows } = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [PG_SCHEMA]);
  if (rows.length > 0)
    throw new CustodyError('LEDGER_EXISTS', `${where} already holds a custody ledger`, 'input');
  await db.query(`CREATE SCHEMA ${PG_SCHEMA}`);
  await db.query(`CREATE TABLE ${PG_SCHEMA}.meta (
    id smallint PRIMARY KEY CHECK (id = 1),
    schema_version integer NOT NULL)`);
  await db.query(`INSERT INTO ${PG_SCHEMA}.meta (id, schema_version) VALUES (1, 0)`);
  await migrate(db, where, migrations);
}

/**
 * Brings an existing schema up to the latest version, inside the caller's
 * transaction: the meta row is locked first, so a concurrent opener waits
 * and then finds the work done. Returns the version found before.
 */
export async function migrate(
  db: SqlRunner,
  where: string,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  const { rows: ns } = await db.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [PG_SCHEMA]);
  if (ns.length === 0)
    throw new CustodyError(
      'LEDGER_NOT_FOUND',
      `no custody ledger in ${where} (create one with 'create')`,
      'unavailable',
    );
  const { rows } = await db
    .query(`SELECT schema_version FROM ${PG_SCHEMA}.meta WHERE id = 1 FOR UPDATE`)
    .catch((e: unknown) => {
      throw versionError(`${where} has a custody schema without a readable version (${String(e)})`);
    });
  const found = rows[0]?.['schema_version'];
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (typeof found !== 'number' || !Number.isSafeInteger(found) || found < 0)
    throw versionError(`${where} has a custody schema without a valid version`);
  if (found > latest)
    throw versionError(
      `${where} holds ledger schema version ${found}; this program knows versions up to ${latest}`,
    );
  for (const m of migrations) {
    if (m.version <= found) continue;
    for (const sql of m.sql) await db.query(sql);
    await db.query(`UPDATE ${PG_SCHEMA}.meta SET schema_version = $1 WHERE id = 1`, [m.version]);
  }
  return found;
}
