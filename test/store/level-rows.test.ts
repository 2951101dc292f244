/**
 * rowReader (src/store/level-rows.ts): every row of an ordered iterator once,
 * in order, across its fetches.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { afterEach, describe, expect, it } from 'vitest';
import type { DB } from '../../src/store/level-open.js';
import { rowReader } from '../../src/store/level-rows.js';

const k = (s: string) => new TextEncoder().encode(s);
const dirs: string[] = [];
async function open(): Promise<DB> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-batch-'));
  dirs.push(dir);
  const db: DB = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  return db;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('rowReader', () => {
  it('hands out every row once, in order, across its fetches', async () => {
    const db = await open();
    for (let i = 0; i < 7; i++) await db.put(k(`r${i}`), k(`v${i}`));
    const rows = rowReader(db.iterator(), 3);
    const got: string[] = [];
    for (let r = await rows.next(); r; r = await rows.next()) got.push(new TextDecoder().decode(r[1]));
    expect(got).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    expect(await rows.next()).toBeUndefined();
    await rows.close();
    await db.close();
  });
});
