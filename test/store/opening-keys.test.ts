/**
 * The opening-key store's ordered cursor (src/store/opening-keys.ts), which a
 * whole-ledger read uses instead of a look-up per entry: it returns exactly
 * the keys get() returns for each entry asked, in rising order, and nothing
 * outside its range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OpeningKeys } from '../../src/store/opening-keys.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const key = (n: number) => new Uint8Array(32).fill(n);
const asObject = (m: Map<string, Uint8Array>) => Object.fromEntries([...m].map(([f, k]) => [f, k[0]]));

describe('OpeningKeys.cursor', () => {
  it('gives each entry its own keys, in order, within its range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custody-keys-'));
    dirs.push(dir);
    const keys = await OpeningKeys.open(dir, 'create');
    await keys.put([
      { index: 1, field: 'description', key: key(1) },
      { index: 1, field: 'location', key: key(2) },
      { index: 3, field: 'note', key: key(3) },
      { index: 256, field: 'reason', key: key(4) },
      { index: 300, field: 'note', key: key(5) },
    ]);
    const c = keys.cursor(0, 300);
    expect(asObject(await c.take(0))).toEqual({});
    expect(asObject(await c.take(1))).toEqual({ description: 1, location: 2 });
    expect(asObject(await c.take(2))).toEqual({});
    expect(asObject(await c.take(256))).toEqual({ reason: 4 });
    expect(asObject(await c.take(299))).toEqual({});
    await c.close();
    const d = keys.cursor(2, 301);
    expect(asObject(await d.take(3))).toEqual({ note: 3 });
    expect(asObject(await d.take(300))).toEqual({ note: 5 });
    await d.close();
    for (const i of [1, 3, 256])
      expect(asObject(await keys.get(i, ['description', 'location', 'note', 'reason']))).toEqual(
        asObject(
          await (async () => {
            const e = keys.cursor(i, i + 1);
            const m = await e.take(i);
            await e.close();
            return m;
          })(),
        ),
      );
    await keys.close();
  });
});
