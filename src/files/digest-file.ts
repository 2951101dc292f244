/**
 * Streams a file once and computes every requested digest (Node only).
 *
 * One algorithm: hashed on the calling thread with OpenSSL (SHA-NI where the
 * CPU has it), reading large blocks so the read and the hash overlap.
 * Several algorithms: the file is still read once, into a ring of shared
 * buffers, and each algorithm runs on its own worker thread, so md5, sha1 and
 * sha256 together use every core instead of adding up on one.
 */
import { createHash } from 'node:crypto';
import type { open } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { CustodyError } from '../errors.js';
import type { DigestAlgorithm } from '../format/vocabulary.js';
import { openRegularFile } from './open-regular.js';

export type FileDigests = Partial<Record<DigestAlgorithm, Uint8Array>>;

export interface DigestFileOptions {
  /** Called with bytes read so far (throttled by block size). */
  onProgress?: (done: number, total: number) => void;
  /** Block size in bytes (default 4 MiB). */
  blockSize?: number;
}

const OPENSSL_NAME: Record<DigestAlgorithm, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  sha512: 'sha512',
};

export async function digestFile(
  path: string,
  algorithms: readonly DigestAlgorithm[],
  opts: DigestFileOptions = {},
): Promise<{ digests: FileDigests; size: number }> {
  const algs = [...new Set(algorithms)];
  if (algs.length === 0) throw new CustodyError('DIGEST_NONE', 'no digest algorithm requested', 'input');
  // A FIFO, device, socket or swapped symbolic link is refused before a byte is read.
  const { fh, size } = await openRegularFile(path);
  try {
    const blockSize = opts.blockSize ?? 4 << 20;
    return algs.length === 1
      ? await digestInline(fh, algs[0]!, size, blockSize, opts.onProgress)
      : await digestParallel(fh, algs, size, blockSize, opts.onProgress);
  } catch (e) {
    if (e instanceof CustodyError) throw e;
    throw new CustodyError('FILE_UNREADABLE', `reading ${path} failed: ${(e as Error).message}`, 'input');
  } finally {
    await fh.close();
  }
}

type Handle = Awaited<ReturnType<typeof open>>;

async function digestInline(
  fh: Handle,
  alg: DigestAlgorithm,
  total: number,
  blockSize: number,
  onProgress?: (d: number, t: number) => void,
) {
  const h = createHash(OPENSSL_NAME[alg]);
  // Two buffers: read the next block while the previous one is hashed.
  const bufs = [Buffer.allocUnsafe(blockSize), Buffer.allocUnsafe(blockSize)];
  let size = 0;
  let i = 0;
  let pending = fh.read(bufs[0]!, 0, blockSize, null);
  for (;;) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) break;
    const cur = bufs[i]!;
    i ^= 1;
    pending = fh.read(bufs[i]!, 0, blockSize, null);
    h.update(cur.subarray(0, bytesRead));
    size += bytesRead;
    onProgress?.(size, total);
  }
  return { digests: { [alg]: new Uint8Array(h.digest()) } as FileDigests, size };
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const h = createHash(workerData.alg);
const ring = new Uint8Array(workerData.sab);
parentPort.on('message', (m) => {
  if (m.end) { parentPort.postMessage({ digest: new Uint8Array(h.digest()) }); return; }
  h.update(ring.subarray(m.offset, m.offset + m.len));
  parentPort.postMessage({ slot: m.slot });
});
`;

async function digestParallel(
  fh: Handle,
  algs: DigestAlgorithm[],
  total: number,
  blockSize: number,
  onProgress?: (d: number, t: number) => void,
) {
  const SLOTS = 4;
  const sab = new SharedArrayBuffer(SLOTS * blockSize);
  const ring = new Uint8Array(sab);
  const workers = algs.map(
    (alg) => new Worker(WORKER, { eval: true, workerData: { alg: OPENSSL_NAME[alg], sab } }),
  );
  // refs[slot] = workers still hashing that slot; a slot is reused only at 0.
  const refs = new Array<number>(SLOTS).fill(0);
  let wake: (() => void) | undefined;
  let failure: unknown;
  const finals: Promise<Uint8Array>[] = [];
  for (const w of workers) {
    w.on('message', (m: { slot?: number }) => {
      if (m.slot !== undefined) {
        refs[m.slot]!--;
        wake?.();
      }
    });
    w.on('error', (e) => {
      failure = e;
      wake?.();
    });
  }
  try {
    let size = 0;
    for (let slot = 0; ; slot = (slot + 1) % SLOTS) {
      while (refs[slot]! > 0) {
        if (failure) throw failure;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
      const offset = slot * blockSize;
      const { bytesRead } = await fh.read(ring, offset, blockSize, null);
      if (bytesRead === 0) break;
      refs[slot] = workers.length;
      for (const w of workers) w.postMessage({ slot, offset, len: bytesRead });
      size += bytesRead;
      onProgress?.(size, total);
    }
    for (const w of workers)
      finals.push(
        new Promise<Uint8Array>((resolve, reject) => {
          w.on('message', (m: { digest?: Uint8Array }) => m.digest && resolve(m.digest));
          w.once('error', reject);
          w.postMessage({ end: true });
        }),
      );
    const out = await Promise.all(finals);
    const digests: FileDigests = {};
    algs.forEach((a, i) => {
      digests[a] = out[i]!;
    });
    return { digests, size };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
