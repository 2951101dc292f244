/**
 * Where a ledger server keeps the manifests of registered folders and segment
 * sets (docs/MANIFEST.md §Where manifests are kept, docs/SERVER.md §Manifests):
 * content-addressed by their Merkle root, beside the ledger. A LevelDB ledger
 * keeps them in the directory `<ledger>.manifests/` (one `<root hex>.manifest`
 * file each, the same place the CLI uses for a local ledger); a PostgreSQL
 * ledger in its table `custody.manifests` (./log-postgres.ts), so that the
 * agency's database backups carry them with the ledger.
 *
 * Security assumption: the shelf is not trusted. Its caller checks that bytes
 * decode to the root they are kept under before putting them, and every
 * reader checks that again against the root the registration commits to.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { toHex } from '../bytes.js';
import { CustodyError } from '../errors.js';

export interface ManifestShelf {
  /** The bytes kept under `root`, or undefined. */
  manifest(root: Uint8Array): Promise<Uint8Array | undefined>;
  /** Keeps `bytes` under `root`; true when they were new, false when that root was already kept. */
  putManifest(root: Uint8Array, bytes: Uint8Array): Promise<boolean>;
}

/** `<dir>/<root hex>.manifest`: whole files only (a temporary file, synced, then linked to its name). */
export class DirectoryManifestShelf implements ManifestShelf {
  constructor(readonly dir: string) {}

  #path(root: Uint8Array): string {
    return join(this.dir, `${toHex(root)}.manifest`);
  }

  async manifest(root: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.#path(root)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw ioError(this.dir, e);
    }
  }

  async putManifest(root: Uint8Array, bytes: Uint8Array): Promise<boolean> {
    const path = this.#path(root);
    const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      const fh = await open(tmp, 'wx', 0o600);
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw ioError(this.dir, e);
    }
    try {
      // link, not rename: a file kept under this root (the same bytes) is never replaced.
      await link(tmp, path);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw ioError(this.dir, e);
    } finally {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

const ioError = (dir: string, e: unknown) =>
  new CustodyError(
    'STORE_IO',
    `cannot use the manifests beside the ledger (${dir}): ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    'unavailable',
  );
