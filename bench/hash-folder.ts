/**
 * Hashing a folder for `custody register <dir>` (issue 29; docs/PERFORMANCE.md
 * §Registering folders): 10,000 small files (1,000 in --quick) of 64 B to
 * 16 KiB, sha256 + md5, the whole of register's hashing stage (list, hash in
 * parallel, build and encode the manifest) against `hashdeep -r -c md5,sha256`
 * on the same folder in the same run, page cache warm for both, best of 3.
 *   register.folder_files_per_s   target: reported, with the ratio to hashdeep
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashTree } from '../src/files/hash-tree.js';
import { encodeManifest } from '../src/manifest/codec.js';

export interface FolderBench {
  files: number;
  bytes: number;
  oursS: number;
  hashdeepS: number | undefined;
}

const hasHashdeep = () => {
  try {
    execFileSync('hashdeep', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export async function benchFolder(files: number): Promise<FolderBench> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-folder-'));
  try {
    const root = join(dir, 'extraction');
    let bytes = 0;
    // A phone extraction's shape: folders of a few hundred files each.
    for (let i = 0; i < files; i++) {
      const sub = join(root, `d${Math.floor(i / 250)}`);
      if (i % 250 === 0) mkdirSync(sub, { recursive: true });
      const size = 64 + ((i * 7919) % 16_320);
      const b = new Uint8Array(size);
      crypto.getRandomValues(b.subarray(0, Math.min(size, 65536)));
      writeFileSync(join(sub, `f${i}.bin`), b);
      bytes += size;
    }
    const best = async (n: number, f: () => Promise<void> | void) => {
      let b = Number.POSITIVE_INFINITY;
      for (let k = 0; k < n; k++) {
        const s = performance.now();
        await f();
        b = Math.min(b, (performance.now() - s) / 1000);
      }
      return b;
    };
    const oursS = await best(3, async () => {
      encodeManifest(await hashTree(root, { legacy: ['md5'] }));
    });
    const hashdeepS = hasHashdeep()
      ? await best(3, () => {
          execFileSync('hashdeep', ['-r', '-c', 'md5,sha256', root], {
            stdio: ['ignore', 'ignore', 'ignore'],
          });
        })
      : undefined;
    return { files, bytes, oursS, hashdeepS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `node dist/bench/hash-folder.js [files]`: this part of the bench alone. */
if (process.argv[1]?.endsWith('hash-folder.js')) {
  const r = await benchFolder(Number(process.argv[2] ?? 10_000));
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
