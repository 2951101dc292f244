/**
 * Opening a LevelDB ledger directory, shared by every LevelDB store layout:
 * existence checks, the exclusive lock reported as LEDGER_LOCKED (the real
 * reason hides in e.cause.code, shared notes §3), and the layout version byte.
 */
import { existsSync, readdirSync } from 'node:fs';
import { Level } from 'level';
import { CustodyError } from '../errors.js';

export type DB = Level<Uint8Array, Uint8Array>;

export function unavailable(code: CustodyError['code'], message: string, cause?: unknown) {
  return new CustodyError(code, message, 'unavailable', {}, { cause });
}

export function storageError(e: unknown): CustodyError {
  if (e instanceof CustodyError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  return unavailable('STORE_IO', `storage error: ${msg}`, e);
}

/**
 * Opens (or creates) the directory. `create`: it must not hold anything yet;
 * `open`: it must hold a ledger of layout `version`.
 * scan: the caller reads the whole ledger once (verify). LevelDB maps each
 * table file it keeps open into memory (mmap), and every page a scan touches
 * then counts as the process's memory: with the default 1,000 open tables a
 * full verification held the entire ledger resident. LevelDB's smallest table
 * cache (74 files, 64 of them tables, ~2 MiB each) bounds that.
 */
export async function openLevel(
  dir: string,
  mode: 'create' | 'open',
  versionKey: Uint8Array,
  version: number,
  opts: { scan?: boolean } = {},
): Promise<DB> {
  if (mode === 'open' && !existsSync(`${dir}/CURRENT`))
    throw unavailable('LEDGER_NOT_FOUND', `no ledger at ${dir} (create one with custody init)`);
  if (mode === 'create' && existsSync(dir) && readdirSync(dir).length > 0)
    throw new CustodyError('LEDGER_EXISTS', `${dir} already exists and is not empty`, 'input');
  const db: DB = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: mode === 'create',
    ...(opts.scan ? { maxOpenFiles: 74 } : {}),
  });
  try {
    await db.open();
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED')
      throw unavailable('LEDGER_LOCKED', `ledger is in use by another process (${dir})`, e);
    throw unavailable(
      'LEDGER_UNAVAILABLE',
      `cannot open ledger at ${dir}: ${(cause as Error | undefined)?.message ?? (e as Error).message}`,
      e,
    );
  }
  if (mode === 'create') {
    await db.put(versionKey, new Uint8Array([version]), { sync: true });
  } else {
    const v = await db.get(versionKey);
    if (v?.length !== 1 || v[0] !== version) {
      await db.close();
      throw unavailable('STORE_VERSION', `${dir} is not a custody ledger of a supported layout version`);
    }
  }
  return db;
}
