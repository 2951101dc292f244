/**
 * Signature checking for the verifier, batched so a caller can spread it over
 * threads (the Node worker pool in src/crypto/verify-pool.ts) while the pure
 * verifier itself never imports a thread or I/O API.
 */
import { ed25519 } from '../crypto/ed25519.js';

export interface SignatureJob {
  message: Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array;
}

export interface SignatureChecker {
  /** Resolves to one boolean per job, in order. Must not reject for bad signatures. */
  check(jobs: SignatureJob[]): Promise<boolean[]>;
  /** Releases threads, if any. */
  close?(): Promise<void>;
}

/** Checks on the calling thread with the default backend. */
export const inlineChecker: SignatureChecker = {
  async check(jobs) {
    return jobs.map((j) => ed25519.verify(j.signature, j.message, j.publicKey));
  },
};
