/**
 * Lists a folder for its manifest (Node only; docs/MANIFEST.md §The walker):
 * every regular file with the stat taken now, every empty directory, and, when
 * asked, the symbolic links, special files and unreadable folders, all in
 * bytewise path order. hash-tree.ts hashes what this lists.
 *
 * Security assumption: the walker runs on the examiner's workstation over
 * evidence that may be hostile: names with line feeds or invalid UTF-8 (names
 * are read and kept as bytes, `encoding: 'buffer'`, and only ever shown through
 * displayPath), symbolic links (including loops and links out of the folder),
 * FIFOs that block a reader, and nesting deep enough to exhaust a recursive
 * walker. So it lstats and never follows a link, never opens a special file,
 * walks with an explicit stack and refuses past `maxDepth` levels, and re-checks
 * each folder's identity (device and inode) after reading it, so a folder
 * swapped for a link while it was read is refused rather than followed out of
 * the root. It does not defend against a live process on the workstation that
 * rewrites the evidence while it is read: that could change the bytes anyway.
 */
import type { BigIntStats } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { CustodyError } from '../errors.js';
import { displayPath } from '../manifest/path.js';
import type { EntryKind } from '../manifest/types.js';

export interface WalkOptions {
  /**
   * List symbolic links, special files and unreadable folders as entries of
   * their kind instead of refusing the folder (EVIDENCE_UNSUPPORTED).
   */
  listUnsupported?: boolean;
  /** Path components an entry may have (default 256). */
  maxDepth?: number;
}

/** What the walker saw of one entry. */
export interface ListedEntry {
  /** Relative path bytes, '/'-separated. */
  readonly path: Uint8Array;
  readonly kind: EntryKind;
  /** lstat size of a 'file'; 0 otherwise. */
  readonly size: number;
  /** 'symlink' only. */
  readonly target?: Uint8Array;
  /** 'file' only: the stat taken when listing, to refuse a file changed before it is hashed. */
  readonly stat?: FileIdentity;
}

export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
}

export const DEFAULT_MAX_DEPTH = 256;

/** lstat calls in flight for one folder's names. */
const STAT_BATCH = 64;
const SLASH = Buffer.from('/');

const identity = (s: BigIntStats): FileIdentity => ({
  dev: s.dev,
  ino: s.ino,
  size: s.size,
  mtimeNs: s.mtimeNs,
  ctimeNs: s.ctimeNs,
});

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'error';

function specialKind(s: BigIntStats): string {
  if (s.isFIFO()) return 'a FIFO';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

const unsupported = (rel: Uint8Array, what: string) =>
  new CustodyError(
    'EVIDENCE_UNSUPPORTED',
    `${displayPath(rel)}: ${what}; refused, as nothing is followed or skipped silently (ask for such entries to be listed)`,
    'input',
  );

const changed = (rel: Uint8Array, what: string) =>
  new CustodyError('FILE_CHANGED', `${displayPath(rel)}: ${what} while the folder was being listed`, 'input');

/** The absolute path bytes of a relative path under the root. */
export const under = (root: Buffer, rel: Uint8Array): Buffer => Buffer.concat([root, SLASH, rel]);

const depthOf = (rel: Uint8Array) => {
  let n = 1;
  for (const b of rel) if (b === 0x2f) n++;
  return n;
};

/** Lists `root` (a folder, not a link to one), sorted bytewise by path. */
export async function walkDir(root: string, opts: WalkOptions = {}): Promise<ListedEntry[]> {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  const rootBuf = Buffer.from(root.endsWith('/') && root.length > 1 ? root.slice(0, -1) : root);
  let top: BigIntStats;
  try {
    top = await lstat(rootBuf, { bigint: true });
  } catch (e) {
    throw new CustodyError('FILE_UNREADABLE', `cannot read the folder ${root}: ${errno(e)}`, 'input');
  }
  if (top.isSymbolicLink())
    throw new CustodyError(
      'EVIDENCE_UNSUPPORTED',
      `${root} is a symbolic link (give the folder it points to)`,
      'input',
    );
  if (!top.isDirectory()) throw new CustodyError('EVIDENCE_UNSUPPORTED', `${root} is not a folder`, 'input');

  const out: ListedEntry[] = [];
  // An explicit stack, not recursion: depth is bounded by maxDepth, not by the JS stack.
  const stack: { rel: Uint8Array; stat: BigIntStats }[] = [{ rel: new Uint8Array(0), stat: top }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { rel, stat } = next;
    const abs = rel.length === 0 ? rootBuf : under(rootBuf, rel);
    let names: Buffer[];
    try {
      names = await readdir(abs, { encoding: 'buffer' });
    } catch (e) {
      const code = errno(e);
      if (rel.length === 0)
        throw new CustodyError('FILE_UNREADABLE', `cannot read the folder ${root}: ${code}`, 'input');
      if (code === 'ENOENT' || code === 'ENOTDIR') throw changed(rel, `a folder disappeared (${code})`);
      if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EIO')
        throw new CustodyError(
          'FILE_UNREADABLE',
          `${displayPath(rel)}: cannot read the folder: ${code}`,
          'input',
        );
      if (!opts.listUnsupported) throw unsupported(rel, `an unreadable folder (${code})`);
      out.push({ path: rel, kind: 'unreadable', size: 0 });
      continue;
    }
    await sameFolder(abs, rel, stat);
    if (names.length === 0 && rel.length > 0) {
      out.push({ path: rel, kind: 'dir', size: 0 });
      continue;
    }
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      const batch = names.slice(i, i + STAT_BATCH).map(async (name) => {
        const child =
          rel.length === 0 ? new Uint8Array(name) : new Uint8Array(Buffer.concat([rel, SLASH, name]));
        if (depthOf(child) > maxDepth) throw unsupported(child, `more than ${maxDepth} levels deep`);
        const childAbs = under(rootBuf, child);
        let s: BigIntStats;
        try {
          s = await lstat(childAbs, { bigint: true });
        } catch (e) {
          throw changed(child, `an entry disappeared (${errno(e)})`);
        }
        return { child, childAbs, s };
      });
      for (const { child, childAbs, s } of await Promise.all(batch)) {
        if (s.isDirectory()) stack.push({ rel: child, stat: s });
        else if (s.isFile()) out.push({ path: child, kind: 'file', size: Number(s.size), stat: identity(s) });
        else if (s.isSymbolicLink()) {
          let target: Uint8Array;
          try {
            target = new Uint8Array(await readlink(childAbs, { encoding: 'buffer' }));
          } catch (e) {
            throw changed(child, `a symbolic link was replaced (${errno(e)})`);
          }
          if (!opts.listUnsupported) throw unsupported(child, `a symbolic link (to ${displayPath(target)})`);
          out.push({ path: child, kind: 'symlink', size: 0, target });
        } else {
          if (!opts.listUnsupported) throw unsupported(child, specialKind(s));
          out.push({ path: child, kind: 'special', size: 0 });
        }
      }
    }
  }
  return out.sort((a, b) => Buffer.compare(a.path, b.path));
}

/** Refuses a folder that is no longer the one listed (swapped for a link or another folder). */
async function sameFolder(abs: Buffer, rel: Uint8Array, before: BigIntStats) {
  let after: BigIntStats;
  try {
    after = await lstat(abs, { bigint: true });
  } catch (e) {
    throw changed(rel, `a folder disappeared (${errno(e)})`);
  }
  if (!after.isDirectory() || after.dev !== before.dev || after.ino !== before.ino)
    throw changed(rel.length === 0 ? new TextEncoder().encode('.') : rel, 'a folder was replaced');
}
