/**
 * Opening a LevelDB ledger directory, shared by every LevelDB store layout:
 * existence checks, the exclusive lock reported as LEDGER_LOCKED (the real
 * reason hides in e.cause.code, shared notes §3), and the layout version byte.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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

export interface LevelOpenOptions {
  scan?: boolean;
  /** How long a ledger locked by another process is tried again (every 200 ms) before LEDGER_LOCKED. */
  waitMs?: number;
}

const LOCK_RETRY_MS = 200;

/**
 * The owner file beside LevelDB's LOCK: who holds the ledger, for the
 * LEDGER_LOCKED message only. LevelDB's lock is the lock; this file decides
 * nothing (it may be missing, late or stale: a crashed holder leaves it).
 */
export const OWNER_FILE = 'LOCK.owner.json';

interface Owner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

let ownerCommand = `node ${basename(process.argv[1] ?? 'node')}`;

/** What this process is, as the owner file names it (the CLI sets `custody <command>`). */
export function setLockOwnerCommand(command: string): void {
  ownerCommand = command;
}

function writeOwner(db: DB, dir: string): void {
  const file = join(dir, OWNER_FILE);
  const owner: Owner = {
    pid: process.pid,
    host: hostname(),
    command: ownerCommand,
    since: new Date().toISOString(),
  };
  try {
    writeFileSync(file, `${JSON.stringify(owner)}\n`);
  } catch {
    return; // Only the message is poorer without it.
  }
  // Removed while the lock is still held, so another holder's file is never removed.
  db.once('closing', () => {
    try {
      rmSync(file, { force: true });
    } catch {
      // A stale record is reported as such; never fail a close over it.
    }
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "ledger is in use by another process (dir)", with who holds it when the owner file says so. */
export function lockedMessage(dir: string): string {
  const base = `ledger is in use by another process (${dir})`;
  let o: Partial<Owner>;
  try {
    o = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<Owner>;
  } catch {
    return base;
  }
  // Anyone who can write the directory writes this file: a pid that is a
  // positive integer (0 and negatives name process groups), printable text only.
  if (!Number.isSafeInteger(o.pid) || (o.pid as number) <= 0 || typeof o.since !== 'string') return base;
  const text = (t: unknown) =>
    String(t)
      .replace(/[^\x20-\x7e]/g, '?')
      .slice(0, 100);
  const since = Number.isFinite(Date.parse(o.since))
    ? `${new Date(o.since).toISOString().slice(11, 19)} UTC`
    : text(o.since);
  const here = o.host === hostname();
  const where = here ? '' : ` on ${text(o.host ?? 'another host')}`;
  const who = `pid ${o.pid}${where} (${text(o.command ?? 'unknown command')}, since ${since})`;
  if (here && !alive(o.pid as number))
    return `${base}; its owner file names ${who}, a stale record: no such process runs`;
  return `${base}; held by ${who}`;
}

/**
 * LevelDB's memtable (and write-ahead log) size before it is written out as a
 * level-0 table; LevelDB's default is 4 MiB. Most of a ledger's bytes are map
 * branches filed under their hashes (docs/STORAGE.md), keys spread over the
 * whole key space, so each small level-0 table overlaps everything below it
 * and compaction rewrote the ledger's bytes again and again: at 100,000 to
 * 200,000 entries its thread used 60 to 90 µs of CPU an entry, growing with
 * the ledger, against 25 to 45 µs with 32 MiB (docs/PERFORMANCE.md
 * §append.scaling_ratio). The price: up to two memtables in memory while
 * writing (64 MiB), and the first open after writing replays up to 32 MiB
 * of log into a table (about 35 ms here).
 */
const WRITE_BUFFER_BYTES = 32 * 1024 * 1024;

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
  opts: LevelOpenOptions = {},
): Promise<DB> {
  if (mode === 'open' && !existsSync(`${dir}/CURRENT`))
    throw unavailable('LEDGER_NOT_FOUND', `no ledger at ${dir} (create one with custody init)`);
  if (mode === 'create' && existsSync(dir) && readdirSync(dir).length > 0)
    throw new CustodyError('LEDGER_EXISTS', `${dir} already exists and is not empty`, 'input');
  const db: DB = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: mode === 'create',
    writeBufferSize: WRITE_BUFFER_BYTES,
    ...(opts.scan ? { maxOpenFiles: 74 } : {}),
  });
  const deadline = Date.now() + Math.max(0, opts.waitMs ?? 0);
  for (;;) {
    try {
      await db.open();
      break;
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') {
        // --wait: a locked ledger is tried again until the time is up.
        if (Date.now() + LOCK_RETRY_MS <= deadline) {
          await sleep(LOCK_RETRY_MS);
          continue;
        }
        throw unavailable('LEDGER_LOCKED', lockedMessage(dir), e);
      }
      throw unavailable(
        'LEDGER_UNAVAILABLE',
        `cannot open ledger at ${dir}: ${(cause as Error | undefined)?.message ?? (e as Error).message}`,
        e,
      );
    }
  }
  writeOwner(db, dir);
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
