/**
 * What the evidence commands read from the user besides names: digest
 * algorithms, times with a zone, and the evidence file itself, hashed once
 * with a progress bar (shared by register, accept, examine, verify --file,
 * verify-bundle --file and report --file).
 */
import { CustodyError } from '../src/errors.js';
import { digestFile, type FileDigests } from '../src/files/digest-file.js';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../src/format/vocabulary.js';
import type { Output } from './io.js';
import { progressBar } from './progress.js';

export function parseAlgorithms(input: string): DigestAlgorithm[] {
  const algs = [
    ...new Set(
      input
        .split(',')
        .map((a) => a.trim().toLowerCase().replace('-', ''))
        .filter(Boolean),
    ),
  ];
  for (const a of algs)
    if (!DIGEST_ALGORITHMS.includes(a as DigestAlgorithm))
      throw new CustodyError(
        'DIGEST_UNKNOWN',
        `unknown digest ${a}; choose from ${DIGEST_ALGORITHMS.join(', ')}`,
        'input',
      );
  if (!algs.includes('sha256')) algs.unshift('sha256');
  return algs as DigestAlgorithm[];
}

export function parseTime(input: string, what: string): number {
  // ISO 8601 with an explicit zone only: a time without zone is ambiguous across borders.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(input))
    throw new CustodyError(
      'TIME_FORMAT_INVALID',
      `${what} must be ISO 8601 with a zone, e.g. 2026-03-01T14:30:00+01:00 or 2026-03-01T13:30:00Z`,
      'input',
    );
  const t = Date.parse(input);
  if (!Number.isFinite(t) || t < 0)
    throw new CustodyError('TIME_FORMAT_INVALID', `${what} ${input} is not a valid time`, 'input');
  return t;
}

export async function hashFile(
  path: string,
  algs: DigestAlgorithm[],
  out: Output,
): Promise<{ digests: FileDigests; size: number }> {
  const bar = progressBar(`hashing ${path}`, out.opts.quiet || out.opts.json);
  try {
    return await digestFile(path, algs, { onProgress: (d, t) => bar.update(d, t) });
  } finally {
    bar.stop();
  }
}
