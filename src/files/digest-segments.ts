/**
 * Hashing a segment set in one pass (docs/EVIDENCE-KINDS.md §Segment sets): each segment's digests
 * and the digests of their concatenation in segment order, every byte read once.
 *
 * What the concatenation means depends on the scheme: for a split raw set it is the acquired media,
 * comparable with the media digest the acquisition tool reported; for an EWF set it is only the
 * containers' bytes (compressed, with their own metadata), never the media's digest.
 *
 * Each segment is opened as any evidence file is (open-regular.ts: no FIFO, device, socket or
 * swapped symbolic link) and read for exactly the size fstat gave at the open.
 */
import { lstat } from 'node:fs/promises';
import { basename } from 'node:path';
import { CustodyError } from '../errors.js';
import type { DigestAlgorithm } from '../format/vocabulary.js';
import type { FileDigests } from './digest-file.js';
import { hashPass, type PassProgress } from './hash-pass.js';
import { openRegularFile } from './open-regular.js';
import type { SegmentNaming, SegmentScheme, SegmentSet } from './segment-set.js';

export interface SegmentSetDigests {
  scheme: SegmentScheme;
  naming: SegmentNaming;
  segments: { name: string; size: number; digests: FileDigests }[];
  /** The segments' bytes end to end: the media for a raw set, the containers for an EWF set. */
  concatenation: { size: number; digests: FileDigests };
}

export interface DigestSegmentsOptions {
  /** Bytes and segments done so far, after every block and every segment. */
  onProgress?: (p: {
    bytesDone: number;
    bytesTotal: number;
    segmentsDone: number;
    segmentsTotal: number;
  }) => void;
  /** Block size in bytes (default 4 MiB). */
  blockSize?: number;
  /** Worker threads: true, false, or by size (default). */
  threads?: boolean;
}

const unreadable = (message: string) => new CustodyError('FILE_UNREADABLE', message, 'input');

export async function digestSegmentSet(
  set: SegmentSet,
  algorithms: readonly DigestAlgorithm[],
  opts: DigestSegmentsOptions = {},
): Promise<SegmentSetDigests> {
  // The total is for progress only: each segment's size is taken again from its open handle.
  let bytesTotal = 0;
  for (const p of set.paths) {
    try {
      bytesTotal += (await lstat(p)).size;
    } catch (e) {
      throw unreadable(`cannot read segment ${p}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  const { onProgress } = opts;
  const r = await hashPass(
    set.paths.map((p) => ({
      name: p,
      open: () => openRegularFile(p, 'segment '),
      failure: unreadable,
    })),
    algorithms,
    {
      perSource: true,
      bytesTotal,
      ...(onProgress && {
        onProgress: (p: PassProgress) =>
          onProgress({
            bytesDone: p.bytesDone,
            bytesTotal: p.bytesTotal,
            segmentsDone: p.sourcesDone,
            segmentsTotal: p.sourcesTotal,
          }),
      }),
      ...(opts.blockSize !== undefined && { blockSize: opts.blockSize }),
      ...(opts.threads !== undefined && { threads: opts.threads }),
    },
  );
  return {
    scheme: set.scheme,
    naming: set.naming,
    segments: r.sources.map((s, i) => ({ name: basename(set.paths[i]!), size: s.size, digests: s.digests })),
    concatenation: r.whole,
  };
}
