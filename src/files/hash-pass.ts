/**
 * One read of a run of sources (the segments of a set, or a block device), every byte once, fed to
 * the digests of the whole run and, when asked, to each source's own digests (Node only).
 *
 * Small runs are hashed on the calling thread: starting workers costs more than the hashing. Larger
 * ones are read into a ring of shared buffers and every digest (each algorithm, for the whole run and
 * for the current source) runs on its own worker thread, so the run's digests, which see every byte
 * and are the slowest, never wait for the per-source ones. Each source is read by position for
 * exactly the size its opener reported, and ending early is refused: the size recorded is the size
 * hashed.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { CustodyError } from '../errors.js';
import type { DigestAlgorithm } from '../format/vocabulary.js';
import type { FileDigests } from './digest-file.js';

export interface PassSource {
  name: string;
  /** Opens the source (its checks are the caller's) with the exact number of bytes to read. */
  open(): Promise<{ fh: FileHandle; size: number }>;
  /** The error for a failed or short read of this source. */
  failure(message: string): CustodyError;
}

export interface PassProgress {
  bytesDone: number;
  bytesTotal: number;
  sourcesDone: number;
  sourcesTotal: number;
}

export interface PassOptions {
  /** Also compute each source's own digests. */
  perSource: boolean;
  /** Expected bytes in all, for progress only. */
  bytesTotal: number;
  onProgress?: (p: PassProgress) => void;
  /** Block size in bytes (default 4 MiB). */
  blockSize?: number;
  /** Worker threads: true, false, or by size (default: from 32 MiB on). */
  threads?: boolean;
}

export interface PassResult {
  sources: { size: number; digests: FileDigests }[];
  whole: { size: number; digests: FileDigests };
}

const THREADS_FROM = 32 << 20;
const SLOTS = 4;

/** Where blocks go: digests fed from a slot of the ring, and cut at a source's or the run's end. */
interface Lanes {
  ring: Uint8Array;
  /** Waits until the slot's previous block has been hashed by every lane. */
  free(slot: number): Promise<void>;
  feed(slot: number, offset: number, len: number): void;
  cutSource(): Promise<FileDigests>;
  cutWhole(): Promise<FileDigests>;
  close(): Promise<void>;
}

function inlineLanes(algs: readonly DigestAlgorithm[], perSource: boolean, blockSize: number): Lanes {
  const ring = new Uint8Array(SLOTS * blockSize);
  const make = () => algs.map((a) => createHash(a));
  const whole = make();
  let source = perSource ? make() : [];
  const digestsOf = (hs: ReturnType<typeof make>) => {
    const d: FileDigests = {};
    algs.forEach((a, i) => {
      d[a] = new Uint8Array(hs[i]!.digest());
    });
    return d;
  };
  return {
    ring,
    free: async () => {},
    feed(_slot, offset, len) {
      const block = ring.subarray(offset, offset + len);
      for (const h of whole) h.update(block);
      for (const h of source) h.update(block);
    },
    async cutSource() {
      const d = digestsOf(source);
      source = make();
      return d;
    },
    cutWhole: async () => digestsOf(whole),
    close: async () => {},
  };
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const ring = new Uint8Array(workerData.sab);
let h = createHash(workerData.alg);
parentPort.on('message', (m) => {
  if (m.cut) { parentPort.postMessage({ digest: new Uint8Array(h.digest()) }); h = createHash(workerData.alg); return; }
  h.update(ring.subarray(m.offset, m.offset + m.len));
  parentPort.postMessage({ slot: m.slot });
});
`;

interface Lane {
  worker: Worker;
  /** Digests asked for and not yet received, in the order asked (a worker answers in order). */
  waiting: { resolve(d: Uint8Array): void; reject(e: unknown): void }[];
}

function workerLanes(algs: readonly DigestAlgorithm[], perSource: boolean, blockSize: number): Lanes {
  const sab = new SharedArrayBuffer(SLOTS * blockSize);
  const refs = new Array<number>(SLOTS).fill(0);
  let wake: (() => void) | undefined;
  let failure: unknown;
  const start = (alg: DigestAlgorithm): Lane => {
    const lane: Lane = { worker: new Worker(WORKER, { eval: true, workerData: { alg, sab } }), waiting: [] };
    lane.worker.on('message', (m: { slot?: number; digest?: Uint8Array }) => {
      if (m.slot !== undefined) {
        refs[m.slot]!--;
        wake?.();
      } else if (m.digest) lane.waiting.shift()?.resolve(m.digest);
    });
    lane.worker.on('error', (e) => {
      failure = e;
      for (const w of lane.waiting.splice(0)) w.reject(e);
      wake?.();
    });
    return lane;
  };
  const whole = algs.map(start);
  const source = perSource ? algs.map(start) : [];
  const all = [...whole, ...source];
  const cut = async (lanes: Lane[]) => {
    const out = await Promise.all(
      lanes.map(
        (lane) =>
          new Promise<Uint8Array>((resolve, reject) => {
            if (failure) return reject(failure);
            lane.waiting.push({ resolve, reject });
            lane.worker.postMessage({ cut: true });
          }),
      ),
    );
    const d: FileDigests = {};
    algs.forEach((a, i) => {
      d[a] = out[i]!;
    });
    return d;
  };
  return {
    ring: new Uint8Array(sab),
    async free(slot) {
      while (refs[slot]! > 0) {
        if (failure) throw failure;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
      if (failure) throw failure;
    },
    feed(slot, offset, len) {
      refs[slot] = all.length;
      for (const lane of all) lane.worker.postMessage({ slot, offset, len });
    },
    cutSource: () => cut(source),
    cutWhole: () => cut(whole),
    close: async () => {
      await Promise.all(all.map((l) => l.worker.terminate()));
    },
  };
}

/** Reads every source once, in order, and returns each one's digests (if asked) and the run's. */
export async function hashPass(
  sources: readonly PassSource[],
  algorithms: readonly DigestAlgorithm[],
  opts: PassOptions,
): Promise<PassResult> {
  const algs = [...new Set(algorithms)];
  if (algs.length === 0) throw new CustodyError('DIGEST_NONE', 'no digest algorithm requested', 'input');
  const blockSize = opts.blockSize ?? 4 << 20;
  // With one source, its digests are the run's: no second set of lanes for them.
  const perSource = opts.perSource && sources.length > 1;
  const threads = opts.threads ?? opts.bytesTotal >= THREADS_FROM;
  const lanes = (threads ? workerLanes : inlineLanes)(algs, perSource, blockSize);
  const progress: PassProgress = {
    bytesDone: 0,
    bytesTotal: opts.bytesTotal,
    sourcesDone: 0,
    sourcesTotal: sources.length,
  };
  const sizes: number[] = [];
  // Each source's digests are collected at the end, so the next source is read meanwhile.
  const cuts: Promise<FileDigests>[] = [];
  let slot = 0;
  try {
    for (const src of sources) {
      const { fh, size } = await src.open();
      try {
        let pos = 0;
        while (pos < size) {
          await lanes.free(slot);
          const offset = slot * blockSize;
          let bytesRead: number;
          try {
            ({ bytesRead } = await fh.read(lanes.ring, offset, Math.min(blockSize, size - pos), pos));
          } catch (e) {
            throw src.failure(`reading ${src.name} failed: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
          }
          if (bytesRead === 0) throw src.failure(`${src.name} ended after ${pos} of ${size} bytes`);
          lanes.feed(slot, offset, bytesRead);
          slot = (slot + 1) % SLOTS;
          pos += bytesRead;
          progress.bytesDone += bytesRead;
          opts.onProgress?.({ ...progress });
        }
      } finally {
        await fh.close();
      }
      sizes.push(size);
      const cut = perSource ? lanes.cutSource() : Promise.resolve({});
      cut.catch(() => {}); // awaited below; a failure meanwhile is not unhandled
      cuts.push(cut);
      progress.sourcesDone++;
      opts.onProgress?.({ ...progress });
    }
    const whole = { size: sizes.reduce((n, s) => n + s, 0), digests: await lanes.cutWhole() };
    const digests = await Promise.all(cuts);
    const out = sizes.map((size, i) => ({ size, digests: digests[i]! }));
    if (opts.perSource && out.length === 1) out[0]!.digests = whole.digests;
    return { sources: out, whole };
  } finally {
    await lanes.close();
  }
}
