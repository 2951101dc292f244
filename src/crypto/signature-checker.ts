/**
 * Signature checking for the verifiers and the ledger, batched so a caller can
 * spread it over threads (the Node worker pool in verify-pool.ts) while the
 * pure verifier itself never imports a thread or I/O API. It lives here, below
 * the verifiers and the ledger, because the pool implements it too.
 */
import { ed25519 } from './ed25519.js';

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
