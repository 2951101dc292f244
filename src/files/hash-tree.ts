/**
 * A folder's manifest (Node only; docs/MANIFEST.md): walk-dir.ts lists it, then
 * every file is read once and every requested digest computed from that one
 * read, several files in flight at a time.
 *
 * Small files (most of a phone extraction) are read whole and hashed inline
 * with node:crypto: starting a worker costs more than hashing them. A large file
 * with several digests goes to digestFile (./digest-file.ts), which hashes each
 * algorithm on its own worker; one such file at a time, since it already uses
 * every core.
 *
 * Security assumption (as walk-dir.ts): the evidence may be hostile. A file is
 * opened with O_NOFOLLOW | O_NONBLOCK | O_NOCTTY (a link or FIFO swapped in
 * since the listing neither is followed nor blocks), and the open file must be
 * the one listed (device and inode): even if a parent folder was swapped for a
 * link out of the root, the bytes hashed are those of the listed file or
 * nothing. A file whose size, inode or times differ after the read from the
 * listing's stat changed while it was hashed, and is refused (FILE_CHANGED).
 */
import { createHash, type Hash } from 'node:crypto';
import { type BigIntStats, closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { CustodyError } from '../errors.js';
import { headerFor } from '../manifest/codec.js';
import { displayPath, isUtf8, pathForm } from '../manifest/path.js';
import {
  LEGACY_ALGORITHMS,
  type LegacyAlgorithm,
  type Manifest,
  type ManifestEntry,
} from '../manifest/types.js';
import { digestFile, type FileDigests } from './digest-file.js';
import { type FileIdentity, type ListedEntry, under, type WalkOptions, walkDir } from './walk-dir.js';

export interface TreeProgress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
}

export interface HashTreeOptions extends WalkOptions {
  /** Digests besides SHA-256 (hashdeep's md5, sha1, sha512). */
  legacy?: readonly LegacyAlgorithm[];
  /** Files hashed at once (default 6). */
  concurrency?: number;
  /** From this size on, a file with several digests goes to digestFile's workers (default 16 MiB). */
  largeFile?: number;
  onProgress?: (p: TreeProgress) => void;
}

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;
const CHUNK = 1 << 20;
/**
 * Below this size a file is opened, read, checked and closed with synchronous
 * calls: for a phone extraction's many small files the round trips through
 * libuv's thread pool cost more than the reading (measured: about 3 times the
 * time of hashdeep for 10,000 files of up to 16 KiB; docs/PERFORMANCE.md
 * §Registering folders). The event loop waits at most one small file.
 */
const SYNC_LIMIT = 256 << 10;
const syncBuffer = Buffer.allocUnsafe(SYNC_LIMIT);

const errno = (e: unknown) => (e as NodeJS.ErrnoException).code ?? 'error';
const changed = (rel: Uint8Array, what: string) =>
  new CustodyError('FILE_CHANGED', `${displayPath(rel)}: ${what} since the folder was listed`, 'input');

const unreadableFile = (rel: Uint8Array, code: string) =>
  new CustodyError(
    'EVIDENCE_UNSUPPORTED',
    `${displayPath(rel)}: an unreadable file (${code}); refused, as nothing is followed or skipped silently (ask for such entries to be listed)`,
    'input',
  );

type Hashed = { digests: FileDigests } | { unreadable: string };

/** Lists and hashes `root` into a manifest (entries in path order, header counts set). */
export async function hashTree(root: string, opts: HashTreeOptions = {}): Promise<Manifest> {
  const legacy = LEGACY_ALGORITHMS.filter((a) => opts.legacy?.includes(a));
  const algs = ['sha256', ...legacy] as const;
  const listed = await walkDir(root, opts);
  const rootBuf = Buffer.from(root.endsWith('/') && root.length > 1 ? root.slice(0, -1) : root);

  const files = listed.filter((e) => e.kind === 'file');
  const progress: TreeProgress = { bytesDone: 0, bytesTotal: 0, filesDone: 0, filesTotal: files.length };
  for (const f of files) progress.bytesTotal += f.size;
  opts.onProgress?.({ ...progress });

  const results = new Map<ListedEntry, Hashed>();
  const largeFile = opts.largeFile ?? 16 << 20;
  let largeLock: Promise<unknown> = Promise.resolve();
  let nextIndex = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && nextIndex < files.length) {
      const f = files[nextIndex++]!;
      const abs = under(rootBuf, f.path);
      let hashed: Hashed;
      if (f.size >= largeFile && algs.length > 1 && isUtf8(abs)) {
        // One large file at a time: digestFile already spreads its algorithms over the cores.
        const run = largeLock.then(() => hashLarge(abs, f, algs, progress, opts.onProgress));
        largeLock = run.catch(() => undefined);
        hashed = await run;
      } else if (f.size < SYNC_LIMIT) hashed = hashSmallSync(abs, f, algs);
      else hashed = await hashSmall(abs, f, algs);
      if ('unreadable' in hashed && !opts.listUnsupported) throw unreadableFile(f.path, hashed.unreadable);
      results.set(f, hashed);
      progress.filesDone++;
      progress.bytesDone += f.size;
      opts.onProgress?.({ ...progress });
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.max(1, opts.concurrency ?? 6) }, () =>
      worker().catch((e: unknown) => {
        failed = true;
        throw e;
      }),
    ),
  );
  for (const s of settled) if (s.status === 'rejected') throw s.reason;

  const entries = listed.map((e): ManifestEntry => {
    const base = { path: e.path, form: pathForm(e.path) };
    if (e.kind === 'symlink') return { ...base, kind: 'symlink', size: 0, target: e.target! };
    if (e.kind !== 'file') return { ...base, kind: e.kind, size: e.size };
    const h = results.get(e)!;
    if ('unreadable' in h) return { ...base, kind: 'unreadable', size: e.size };
    const digests = {
      sha256: h.digests.sha256!,
      ...Object.fromEntries(legacy.map((a) => [a, h.digests[a]!])),
    };
    return { ...base, kind: 'file', size: e.size, digests };
  });
  return { header: headerFor(legacy, entries), entries };
}

/** Why a listed file did not open: an 'unreadable' entry (EACCES, EPERM, EIO), or a refusal. */
function openFailure(e: unknown, f: ListedEntry): { unreadable: string } {
  const code = errno(e);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EIO') return { unreadable: code };
  if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'ENXIO')
    throw changed(f.path, `the file was removed or replaced (${code})`);
  throw new CustodyError('FILE_UNREADABLE', `${displayPath(f.path)}: cannot open: ${code}`, 'input');
}

/** Opens the listed file, or says why it cannot be read (EACCES, EPERM, EIO: an 'unreadable' entry). */
async function openListed(abs: Buffer, f: ListedEntry): Promise<FileHandle | { unreadable: string }> {
  let fh: FileHandle;
  try {
    fh = await open(abs, FLAGS);
  } catch (e) {
    return openFailure(e, f);
  }
  try {
    await checkSame(fh, f, 'the file was replaced');
    return fh;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Refuses an open file that is not the listed one, or has changed since the listing. */
async function checkSame(fh: FileHandle, f: ListedEntry, what: string) {
  sameAsListed(await fh.stat({ bigint: true }), f, what);
}

/** checkSame with a synchronous call (a small file, ./hashSmallSync). */
function sameSync(fd: number, f: ListedEntry, what: string) {
  sameAsListed(fstatSync(fd, { bigint: true }), f, what);
}

/** The file's stat now against the listing's: the same file, size and times. */
function sameAsListed(s: BigIntStats, f: ListedEntry, what: string) {
  const l: FileIdentity = f.stat!;
  if (!s.isFile() || s.dev !== l.dev || s.ino !== l.ino) throw changed(f.path, what);
  if (s.size !== l.size) throw changed(f.path, `its size went from ${l.size} to ${s.size}`);
  if (s.mtimeNs !== l.mtimeNs || s.ctimeNs !== l.ctimeNs) throw changed(f.path, 'it was modified');
}

/** hashSmall for a file below SYNC_LIMIT: one read into a shared buffer, no thread-pool round trips. */
function hashSmallSync(abs: Buffer, f: ListedEntry, algs: readonly string[]): Hashed {
  let fd: number;
  try {
    fd = openSync(abs, FLAGS);
  } catch (e) {
    return openFailure(e, f);
  }
  try {
    sameSync(fd, f, 'the file was replaced');
    let done = 0;
    while (done < f.size) {
      let n: number;
      try {
        n = readSync(fd, syncBuffer, done, f.size - done, done);
      } catch (e) {
        const code = errno(e);
        if (code === 'EIO' || code === 'EACCES' || code === 'EPERM') return { unreadable: code };
        throw new CustodyError('FILE_UNREADABLE', `${displayPath(f.path)}: reading failed: ${code}`, 'input');
      }
      if (n === 0) throw changed(f.path, `it ended at ${done} of ${f.size} bytes`);
      done += n;
    }
    sameSync(fd, f, 'the file was replaced');
    const bytes = syncBuffer.subarray(0, f.size);
    const digests: FileDigests = {};
    for (const a of algs)
      digests[a as keyof FileDigests] = new Uint8Array(createHash(a).update(bytes).digest());
    return { digests };
  } finally {
    closeSync(fd);
  }
}

/** Reads the file once, each chunk fed to every digest, on this thread. */
async function hashSmall(abs: Buffer, f: ListedEntry, algs: readonly string[]): Promise<Hashed> {
  const fh = await openListed(abs, f);
  if (!('fd' in fh)) return fh;
  try {
    const hashes: Hash[] = algs.map((a) => createHash(a));
    const buf = Buffer.allocUnsafe(Math.min(Math.max(f.size, 1), CHUNK));
    let done = 0;
    while (done < f.size) {
      let n: number;
      try {
        ({ bytesRead: n } = await fh.read(buf, 0, Math.min(buf.length, f.size - done), done));
      } catch (e) {
        const code = errno(e);
        if (code === 'EIO' || code === 'EACCES' || code === 'EPERM') return { unreadable: code };
        throw new CustodyError('FILE_UNREADABLE', `${displayPath(f.path)}: reading failed: ${code}`, 'input');
      }
      if (n === 0) throw changed(f.path, `it ended at ${done} of ${f.size} bytes`);
      for (const h of hashes) h.update(buf.subarray(0, n));
      done += n;
    }
    // Growth, or a write within the bytes already read, shows in the size and times.
    await checkSame(fh, f, 'the file was replaced');
    const digests: FileDigests = {};
    algs.forEach((a, i) => {
      digests[a as keyof FileDigests] = new Uint8Array(hashes[i]!.digest());
    });
    return { digests };
  } finally {
    await fh.close();
  }
}

/**
 * A large file through digestFile (workers), checked against the listing before
 * and after on a handle held open throughout. digestFile opens the path again
 * (with its own link and identity checks); only a live process swapping files
 * between the two opens could make them differ, which is outside the walker's
 * assumption (walk-dir.ts).
 */
async function hashLarge(
  abs: Buffer,
  f: ListedEntry,
  algs: readonly ('sha256' | LegacyAlgorithm)[],
  progress: TreeProgress,
  onProgress: HashTreeOptions['onProgress'],
): Promise<Hashed> {
  const fh = await openListed(abs, f);
  if (!('fd' in fh)) return fh;
  try {
    const base = progress.bytesDone;
    const { digests, size } = await digestFile(abs.toString('utf8'), algs, {
      onProgress: (done) => onProgress?.({ ...progress, bytesDone: base + done }),
    });
    if (size !== f.size) throw changed(f.path, `its size went from ${f.size} to ${size}`);
    await checkSame(fh, f, 'the file was replaced');
    return { digests };
  } finally {
    await fh.close();
  }
}
