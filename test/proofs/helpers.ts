/** Shared fixtures for the proof tests: growing a test ledger, reading its leaves, LevelDB copies. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { expect } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { decodeRecord } from '../../src/format/record.js';
import type { Ledger } from '../../src/ledger/ledger.js';
import { decodeState, encodeState, looksLikeHead } from '../../src/store/codec.js';
import { checkpointKey, entryKey, HEAD_KEY, nodeKey, readU64 } from '../../src/store/keys.js';
import { digestsOf, type World } from '../helpers/world.js';
import { leafHashOf } from './independent.js';

/** Appends exhibit registrations by the NL collector until the ledger has `size` entries. */
export async function growTo(w: World, size: number, tag = 'X'): Promise<void> {
  while (w.ledger.size < size) {
    const i = w.ledger.size;
    await w.ledger.append(
      {
        kind: 'register',
        body: {
          label: `${tag}-${i}`,
          caseRef: 'NL-2026-0042',
          description: `exhibit ${tag} number ${i}`,
          digests: digestsOf(`${tag} content ${i}`),
          size: 100 + i,
          seal: `NL-SEAL-${i}`,
          location: 'Keizersgracht 1, Amsterdam',
        },
      },
      w.nlCollector.signer,
    );
  }
}

/** The stored records of a ledger, in order. */
export async function recordsOf(ledger: Ledger): Promise<{ seq: number; bytes: Uint8Array }[]> {
  const out: { seq: number; bytes: Uint8Array }[] = [];
  for await (const r of ledger.records()) out.push(r);
  return out;
}

/** Leaf hashes recomputed from the stored records: SHA-256(0x00 || record). */
export async function leavesOf(ledger: Ledger): Promise<Buffer[]> {
  return (await recordsOf(ledger)).map((r) => leafHashOf(r.bytes));
}

/** Awaits `fn` (which may throw synchronously or reject) and returns the CustodyError code. */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    return (e as CustodyError).code;
  }
  throw new Error('expected a CustodyError, nothing was thrown');
}

const temps: string[] = [];

export function tempDir(prefix = 'custody-proofs-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function copyDir(from: string): string {
  const to = join(tempDir('custody-proofs-copy-'), 'ledger');
  cpSync(from, to, { recursive: true });
  return to;
}

type RawDB = Level<Uint8Array, Uint8Array>;

async function withRaw<T>(dir: string, fn: (db: RawDB) => Promise<T>): Promise<T> {
  const db: RawDB = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: false,
  });
  await db.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export interface TruncateOptions {
  /** Also delete the Merkle nodes that cover removed leaves and rewrite the head (default true). */
  careful?: boolean;
  /** Also delete stored checkpoints larger than the new size (default false). */
  dropCheckpoints?: boolean;
}

/**
 * What an insider with write access to the ledger directory could do: delete
 * every entry from `size` on, directly in LevelDB. A careful insider also
 * deletes the Merkle nodes of the removed leaves and rewrites the head so that
 * the store agrees with itself again.
 */
export async function truncateLevelLedger(dir: string, size: number, opts: TruncateOptions = {}) {
  const careful = opts.careful ?? true;
  await withRaw(dir, async (db) => {
    const ops: { type: 'del'; key: Uint8Array }[] = [];
    let seq = size;
    let last: Uint8Array | undefined;
    for (;;) {
      const v = await db.get(entryKey(seq));
      if (v === undefined) break;
      ops.push({ type: 'del', key: entryKey(seq) });
      seq++;
    }
    if (careful) {
      last = await db.get(entryKey(size - 1));
      for await (const k of db.keys({ gte: Uint8Array.of(0x6e), lt: Uint8Array.of(0x6f) })) {
        const level = k[1]!;
        const index = readU64(k, 2);
        if ((index + 1) * 2 ** level > size) ops.push({ type: 'del', key: nodeKey(level, index) });
      }
    }
    if (opts.dropCheckpoints) {
      for await (const k of db.keys({ gte: checkpointKey(size + 1), lt: Uint8Array.of(0x64) }))
        ops.push({ type: 'del', key: k });
    }
    await db.batch(ops, { sync: true });
    if (careful && last) {
      const head = await db.get(HEAD_KEY);
      expect(head).toBeDefined();
      const rec = decodeRecord(last);
      // Only size, last leaf hash and last time change; origin and authority stay.
      const h = decodeState(head!, 'head', looksLikeHead) as {
        size: number;
        head: Uint8Array;
        lastTime: number;
        origin: string;
        authority: string;
      };
      await db.put(
        HEAD_KEY,
        encodeState({ ...h, size, head: leafHashOf(last), lastTime: rec.payload.time }),
        { sync: true },
      );
    }
  });
}

/** Overwrites one stored Merkle node directly in LevelDB. */
export async function overwriteNode(dir: string, level: number, index: number, hash: Uint8Array) {
  await withRaw(dir, (db) => db.put(nodeKey(level, index), hash, { sync: true }));
}
