/**
 * The rows one batch writes to PostgreSQL (./log-postgres.ts), prepared
 * before the transaction starts (openings sealed, the head encoded, repeated
 * keys merged, last one wins as in a LevelDB batch) and then written with a
 * few multi-row statements (`unnest` over arrays), in chunks that keep each
 * statement's message a few megabytes at most.
 */
import { toHex } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { decodeOpenings } from '../format/openings.js';
import { encodeHead } from './log-head.js';
import type { LogBatch } from './log-store.js';
import { sealOpenings } from './opening-seal.js';
import type { Reader } from './pg-connect.js';

const CHUNK = 2000;

export interface BatchRows {
  first: number | undefined;
  headSize: number;
  head: Uint8Array;
  entries: { idx: number; entry: Uint8Array; payload: Uint8Array }[];
  openings: { idx: number; sealed: Uint8Array }[];
  keys: { idx: number; field: string; key: Uint8Array }[];
  statements: Map<string, { id: Uint8Array; idx: number }>;
  events: Map<string, { exhibit: Uint8Array; idx: number }>;
  nodes: Map<string, { level: number; idx: number; hash: Uint8Array }>;
  mapNodes: Map<string, { hash: Uint8Array; node: Uint8Array }>;
  records: Map<string, { ns: string; key: Uint8Array; bytes: Uint8Array | undefined }>;
}

const gap = (message: string) => new CustodyError('STORE_GAP', message, 'internal');

/**
 * Checks the batch's own consistency and prepares its rows. A batch whose
 * entries are not consecutive, or whose head does not count them, is a bug
 * in the caller (STORE_GAP) and is refused before anything is sent.
 */
export function prepareBatch(batch: LogBatch): BatchRows {
  const head = encodeHead(batch.head);
  const first = batch.entries[0]?.index;
  for (const [k, e] of batch.entries.entries())
    if (e.index !== first! + k) throw gap(`entry ${e.index} does not follow entry ${first! + k - 1}`);
  const rows: BatchRows = {
    first,
    headSize: batch.head.size,
    head,
    entries: [],
    openings: [],
    keys: [],
    statements: new Map(),
    events: new Map(),
    nodes: new Map(),
    mapNodes: new Map(),
    records: new Map(),
  };
  for (const e of batch.entries) {
    rows.entries.push({ idx: e.index, entry: e.entry, payload: e.payload });
    if (e.openings) {
      // Each field under a fresh key (opening-seal.ts); the keys go to their own table.
      const s = sealOpenings(e.index, decodeOpenings(e.openings));
      rows.openings.push({ idx: e.index, sealed: s.sealed });
      for (const [field, key] of s.keys) rows.keys.push({ idx: e.index, field, key });
    }
    if (e.id) rows.statements.set(toHex(e.id), { id: e.id, idx: e.index });
    for (const x of e.exhibits) rows.events.set(`${toHex(x)}/${e.index}`, { exhibit: x, idx: e.index });
  }
  for (const n of batch.treeNodes)
    rows.nodes.set(`${n.level}/${n.index}`, { level: n.level, idx: n.index, hash: n.hash });
  for (const n of batch.mapNodes) rows.mapNodes.set(toHex(n.hash), { hash: n.hash, node: n.bytes });
  for (const r of batch.records) rows.records.set(`${r.ns}\u0000${toHex(r.key)}`, r);
  return rows;
}

/** Runs `sql` once per chunk of `rows`, with one array parameter per column. */
async function each<T>(db: Reader, rows: readonly T[], sql: string, cols: ((r: T) => unknown)[]) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await db.query(
      sql,
      cols.map((c) => part.map(c)),
    );
  }
}

/**
 * Writes the prepared rows inside the caller's transaction, after it locked
 * the head row. Entries are plain INSERTs: a row already at a new position
 * (a head rolled back behind the ledger) fails the batch instead of being
 * overwritten. Derived rows are upserts, as a LevelDB put replaces a value.
 */
export async function writeRows(db: Reader, r: BatchRows): Promise<void> {
  await each(
    db,
    r.entries,
    `INSERT INTO custody.entries (idx, entry, payload)
     SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])`,
    [(e) => e.idx, (e) => e.entry, (e) => e.payload],
  );
  await each(
    db,
    r.keys,
    `INSERT INTO custody.opening_keys (idx, field, key)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])
     ON CONFLICT (idx, field) DO UPDATE SET key = EXCLUDED.key`,
    [(k) => k.idx, (k) => k.field, (k) => k.key],
  );
  await each(
    db,
    r.openings,
    `INSERT INTO custody.openings (idx, sealed) SELECT * FROM unnest($1::bigint[], $2::bytea[])
     ON CONFLICT (idx) DO UPDATE SET sealed = EXCLUDED.sealed`,
    [(o) => o.idx, (o) => o.sealed],
  );
  await each(
    db,
    [...r.statements.values()],
    `INSERT INTO custody.statements (id, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[])
     ON CONFLICT (id) DO UPDATE SET idx = EXCLUDED.idx`,
    [(s) => s.id, (s) => s.idx],
  );
  await each(
    db,
    [...r.events.values()],
    `INSERT INTO custody.exhibit_events (exhibit, idx) SELECT * FROM unnest($1::bytea[], $2::bigint[])
     ON CONFLICT DO NOTHING`,
    [(x) => x.exhibit, (x) => x.idx],
  );
  await each(
    db,
    [...r.nodes.values()],
    `INSERT INTO custody.tree_nodes (level, idx, hash)
     SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])
     ON CONFLICT (level, idx) DO UPDATE SET hash = EXCLUDED.hash`,
    [(n) => n.level, (n) => n.idx, (n) => n.hash],
  );
  await each(
    db,
    [...r.mapNodes.values()],
    `INSERT INTO custody.map_nodes (hash, node) SELECT * FROM unnest($1::bytea[], $2::bytea[])
     ON CONFLICT (hash) DO UPDATE SET node = EXCLUDED.node`,
    [(n) => n.hash, (n) => n.node],
  );
  const records = [...r.records.values()];
  await each(
    db,
    records.filter((x) => x.bytes !== undefined),
    `INSERT INTO custody.records (ns, key, bytes) SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[])
     ON CONFLICT (ns, key) DO UPDATE SET bytes = EXCLUDED.bytes`,
    [(x) => x.ns, (x) => x.key, (x) => x.bytes],
  );
  await each(
    db,
    records.filter((x) => x.bytes === undefined),
    `DELETE FROM custody.records WHERE (ns, key) IN (SELECT * FROM unnest($1::text[], $2::bytea[]))`,
    [(x) => x.ns, (x) => x.key],
  );
  await db.query('UPDATE custody.head SET head = $1 WHERE id = 1', [r.head]);
}
