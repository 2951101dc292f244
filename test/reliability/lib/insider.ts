/**
 * An insider with write access to a ledger's disk: opens the LevelDB files with
 * the `level` package directly (no custody code in the way) and edits keys and
 * values — from one flipped byte to a complete, self-consistent rewrite of
 * every derived record ("the careful insider").
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import type { StateHead } from '../../../src/custody/state.js';
import { EXHIBIT_KINDS } from '../../../src/format/events.js';
import { decodeRecord } from '../../../src/format/record.js';
import { verifyStore } from '../../../src/ledger/verify.js';
import { MerkleFrontier } from '../../../src/merkle/frontier.js';
import { hashLeaf } from '../../../src/merkle/hash.js';
import { encodeState } from '../../../src/store/codec.js';
import {
  actorEntryKey,
  actorKey,
  entryKey,
  exhibitEventKey,
  exhibitKey,
  HEAD_KEY,
  nodeKey,
  readU64,
} from '../../../src/store/keys.js';
import { LevelStore } from '../../../src/store/level.js';
import type { VerifyOptions, VerifyResult } from '../../../src/verify/verifier.js';
import { verifyLog } from '../../../src/verify/verifier.js';

export type DB = Level<Uint8Array, Uint8Array>;

const temps: string[] = [];
export function tempDir(prefix = 'custody-tamper-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A copy of a (closed) ledger directory. */
export function copyLedger(dir: string): string {
  const to = join(tempDir(), 'ledger');
  cpSync(dir, to, { recursive: true });
  return to;
}

/** Opens the LevelDB files directly and runs `edit` on them. */
export async function withRawDb<T>(dir: string, edit: (db: DB) => Promise<T>): Promise<T> {
  const db: DB = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: false,
  });
  await db.open();
  try {
    return await edit(db);
  } finally {
    await db.close();
  }
}

/** Every key with this one-byte prefix. */
export async function keysWithPrefix(db: DB, prefix: string): Promise<Uint8Array[]> {
  const p = prefix.charCodeAt(0);
  return db.keys({ gte: new Uint8Array([p]), lt: new Uint8Array([p + 1]) }).all();
}

export async function getValue(db: DB, key: Uint8Array): Promise<Uint8Array> {
  const v = await db.get(key);
  if (!v) throw new Error(`test setup: no value at key ${Buffer.from(key).toString('hex')}`);
  return Uint8Array.from(v);
}

/** XORs one byte of the value at `key` (a "flipped byte"). */
export async function flipByte(db: DB, key: Uint8Array, offset: number, mask = 0x01): Promise<void> {
  const v = await getValue(db, key);
  const i = offset < 0 ? v.length + offset : offset;
  if (i < 0 || i >= v.length)
    throw new Error(`test setup: offset ${offset} outside a ${v.length}-byte value`);
  v[i] = v[i]! ^ mask;
  await db.put(key, v, { sync: true });
}

/** Byte offset of an ASCII text inside a value (to flip a byte of a known field). */
export function offsetOf(value: Uint8Array, text: string): number {
  const i = Buffer.from(value).indexOf(Buffer.from(text, 'utf8'));
  if (i < 0) throw new Error(`test setup: ${JSON.stringify(text)} not found in the value`);
  return i;
}

/** The records of a ledger directory, as stored. */
export async function readRecords(db: DB): Promise<{ seq: number; bytes: Uint8Array }[]> {
  const out: { seq: number; bytes: Uint8Array }[] = [];
  for await (const [k, v] of db.iterator({ gte: entryKey(0), lt: new Uint8Array([0x66]) }))
    out.push({ seq: readU64(k, 1), bytes: Uint8Array.from(v) });
  return out;
}

/**
 * The careful insider: replaces the records with `records` (seq 0..n-1) and
 * rewrites EVERY derived record — Merkle nodes, actor and exhibit state, both
 * indexes and the head — exactly as the ledger would have written them for
 * these records, so that nothing derived disagrees. Stored checkpoints for
 * sizes beyond the new log are deleted (those within it are left alone).
 */
export async function rewriteLedger(db: DB, records: readonly { seq: number; bytes: Uint8Array }[]) {
  const result: VerifyResult = await verifyLog(records);
  for (const prefix of ['e', 'n', 'A', 'X', 'x', 'a', 'H'])
    for (const k of await keysWithPrefix(db, prefix)) await db.del(k);
  for (const k of await keysWithPrefix(db, 'c')) if (readU64(k, 1) > records.length) await db.del(k);

  const ops: { type: 'put'; key: Uint8Array; value: Uint8Array }[] = [];
  const put = (key: Uint8Array, value: Uint8Array) => ops.push({ type: 'put', key, value });
  const frontier = MerkleFrontier.empty();
  const exhibits = new Set<string>();
  for (const r of records) {
    put(entryKey(r.seq), r.bytes);
    for (const n of frontier.append(hashLeaf(r.bytes))) put(nodeKey(n.level, n.index), n.hash);
    const p = decodeRecord(r.bytes).payload;
    put(actorEntryKey(p.actor, r.seq), new Uint8Array(0));
    if (EXHIBIT_KINDS.has(p.kind)) {
      const b = p.body as { exhibit: string; parent?: string };
      for (const id of b.parent ? [b.exhibit, b.parent] : [b.exhibit]) {
        put(exhibitEventKey(id, r.seq), new Uint8Array(0));
        exhibits.add(id);
      }
    }
  }
  const actors = result.actors();
  for (const a of actors) put(actorKey(a.id), encodeState(a));
  for (const id of exhibits) {
    const x = result.exhibit(id);
    if (x) put(exhibitKey(id), encodeState(x));
  }
  // The head as the ledger would have written it: what a replay of these records ends with.
  const head: StateHead = {
    size: records.length,
    head: hashLeaf(records[records.length - 1]!.bytes),
    lastTime: result.final.lastTime,
    origin: result.report.origin,
    authority: result.final.authority,
  };
  put(HEAD_KEY, encodeState(head));
  await db.batch(ops, { sync: true });
}

/** Opens a ledger directory with the custody store and verifies it. */
export async function verifyDir(dir: string, opts: VerifyOptions & { deep?: boolean } = {}) {
  const store = await LevelStore.open(dir, 'open');
  try {
    return await verifyStore(store, { threads: 1, ...opts });
  } finally {
    await store.close();
  }
}

/** A report's problems as `CODE@seq/exhibit`, sorted: what the tests compare. */
export const pointers = (r: { problems: { code: string; seq: number | null; exhibit: string | null }[] }) =>
  r.problems.map((p) => `${p.code}@${p.seq ?? '-'}/${p.exhibit ?? '-'}`).sort();
