import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryManifestShelf } from '../../src/store/manifest-shelf.js';
import { expectShelfContract } from './manifest-shelf.js';

const base = mkdtempSync(join(tmpdir(), 'custody-shelf-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('a directory of manifests beside a LevelDB ledger', () => {
  it('keeps each root once, whole, and leaves no temporary file', async () => {
    const dir = join(base, 'ledger.manifests');
    await expectShelfContract(new DirectoryManifestShelf(dir));
    expect(readdirSync(dir).sort()).toEqual([`${'07'.repeat(32)}.manifest`, `${'08'.repeat(32)}.manifest`]);
  });

  it('a place it cannot write is STORE_IO, with the folder named, and nothing kept', async () => {
    // A file where the folder should be (root ignores permissions, so no chmod here).
    const blocked = join(base, 'blocked.manifests');
    writeFileSync(blocked, 'not a folder');
    const shelf = new DirectoryManifestShelf(blocked);
    await expect(shelf.putManifest(new Uint8Array(32), new Uint8Array([1]))).rejects.toMatchObject({
      code: 'STORE_IO',
      message: expect.stringContaining('blocked.manifests'),
    });
    await expect(shelf.manifest(new Uint8Array(32))).rejects.toMatchObject({ code: 'STORE_IO' });
  });
});
