/**
 * The evidence file hashed as a stream (File.stream()), never loaded whole: SHA-256 and each
 * legacy digest the bundle registered, by hash-wasm (WebAssembly, about four times noble's
 * speed here; WebCrypto cannot hash incrementally). The page's CSP allows this with
 * 'wasm-unsafe-eval' and nothing else.
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

export async function hashEvidence(
  file: File,
  algorithms: readonly DigestAlgorithm[],
  progress: (done: number, total: number) => void,
): Promise<FileFacts> {
  const hashers = await Promise.all(algorithms.map(async (a) => [a, await MAKERS[a]()] as const));
  for (const [, h] of hashers) h.init();
  const reader = file.stream().getReader();
  let done = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    for (const [, h] of hashers) h.update(value);
    done += value.length;
    progress(done, file.size);
  }
  const digests: Record<string, Uint8Array> = {};
  for (const [a, h] of hashers) digests[a] = h.digest('binary');
  return { name: file.name, size: done, digests };
}
