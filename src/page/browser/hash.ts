/**
 * The evidence file hashed as a stream (File.stream()), never loaded whole: SHA-256 and each
 * legacy digest the bundle registered, by hash-wasm (WebAssembly, about four times noble's
 * speed here; WebCrypto cannot hash incrementally). The page's CSP allows this with
 * 'wasm-unsafe-eval' and nothing else. A folder's files and a segment set's concatenation go
 * through the same readers (./folder.ts).
 */
import { createMD5, createSHA1, createSHA256, createSHA512, type IHasher } from 'hash-wasm';
import type { DigestAlgorithm } from '../../format/vocabulary.js';
import type { FileFacts } from '../verify.js';

const MAKERS: Record<DigestAlgorithm, () => Promise<IHasher>> = {
  sha256: createSHA256,
  sha512: createSHA512,
  sha1: createSHA1,
  md5: createMD5,
};

/** One hasher per algorithm, made once and re-initialised per input (init()). */
export type Hashers = readonly (readonly [DigestAlgorithm, IHasher])[];

export const makeHashers = async (algorithms: readonly DigestAlgorithm[]): Promise<Hashers> =>
  Promise.all(algorithms.map(async (a) => [a, await MAKERS[a]()] as const));

export const initAll = (hs: Hashers) => {
  for (const [, h] of hs) h.init();
};

export function digestsOf(hs: Hashers): Record<string, Uint8Array> {
  const digests: Record<string, Uint8Array> = {};
  for (const [a, h] of hs) digests[a] = h.digest('binary');
  return digests;
}

/** Feeds the file's bytes to every hasher, chunk by chunk; returns how many were read. */
export async function feed(file: Blob, hs: Hashers, onChunk: (n: number) => void): Promise<number> {
  const reader = file.stream().getReader();
  let done = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) return done;
    for (const [, h] of hs) h.update(value);
    done += value.length;
    onChunk(value.length);
  }
}

export async function hashEvidence(
  file: File,
  algorithms: readonly DigestAlgorithm[],
  progress: (done: number, total: number) => void,
): Promise<FileFacts> {
  const hashers = await makeHashers(algorithms);
  initAll(hashers);
  let done = 0;
  await feed(file, hashers, (n) => {
    done += n;
    progress(done, file.size);
  });
  return { name: file.name, size: done, digests: digestsOf(hashers) };
}
