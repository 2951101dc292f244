/**
 * An insider with write access to a ledger's disk: opens the LevelDB files
 * with the `level` package directly (no custody code in the way) and edits
 * keys and values, from one flipped byte to a complete, self-consistent
 * rebuild of a shorter or rewritten history ("the careful insider",
 * ./history.ts rebuild).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { LevelLogStore } from '../../../src/store/log-level.js';
import { type LogStoreVerifyOptions, verifyLogStore } from '../../../src/verify/log-store-verify.js';

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

/** Byte offset of a text inside a value (to flip a byte of a known field). */
export function offsetOf(value: Uint8Array, text: string | Uint8Array): number {
  const i = Buffer.from(value).indexOf(
    typeof text === 'string' ? Buffer.from(text, 'utf8') : Buffer.from(text),
  );
  if (i < 0) throw new Error(`test setup: ${JSON.stringify(text)} not found in the value`);
  return i;
}

/** Opens a ledger directory with the custody store and verifies it. */
export async function verifyDir(dir: string, opts: LogStoreVerifyOptions = {}) {
  const store = await LevelLogStore.open(dir, 'open');
  try {
    return await verifyLogStore(store, opts);
  } finally {
    await store.close();
  }
}

/** A report's problems as `CODE@seq`, sorted: what the tests compare. */
export const pointers = (r: { problems: { code: string; seq: number | null }[] }) =>
  r.problems.map((p) => `${p.code}@${p.seq ?? '-'}`).sort();
