/**
 * What every manifest shelf must do (src/store/manifest-shelf.ts), run against
 * a directory here (./manifest-shelf.test.ts) and PostgreSQL (./postgres.test.ts).
 */
import { expect } from 'vitest';
import type { ManifestShelf } from '../../src/store/manifest-shelf.js';

export async function expectShelfContract(shelf: ManifestShelf): Promise<void> {
  const root = new Uint8Array(32).fill(7);
  const other = new Uint8Array(32).fill(8);
  const bytes = new Uint8Array([1, 2, 3, 0, 255]);
  expect(await shelf.manifest(root)).toBeUndefined();
  expect(await shelf.putManifest(root, bytes)).toBe(true);
  expect(await shelf.manifest(root)).toEqual(bytes);
  // Content-addressed: a root already kept is never replaced.
  expect(await shelf.putManifest(root, new Uint8Array([9]))).toBe(false);
  expect(await shelf.manifest(root)).toEqual(bytes);
  expect(await shelf.manifest(other)).toBeUndefined();
  // Many at once of one root: one is new, the others find it kept, and it is whole.
  const big = new Uint8Array(64 << 10).map((_, i) => i & 0xff);
  const puts = await Promise.all([1, 2, 3, 4].map(() => shelf.putManifest(other, big)));
  expect(puts.filter(Boolean)).toHaveLength(1);
  expect(await shelf.manifest(other)).toEqual(big);
}
