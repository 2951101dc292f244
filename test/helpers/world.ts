/**
 * Deterministic building blocks shared by the tests: seeded keys, a stepping
 * clock, counting randomness and digests of made-up content. Format-neutral:
 * the v2 worlds are built from these in test/custody/v2-world.ts,
 * test/bundle/v2-helpers.ts, test/verify/log-world.ts and test/proofs/helpers.ts.
 */
import { type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { Clock } from '../../src/ledger/clock.js';

/** The key of `label`: seed = SHA-256("custody test key " || label) (the vectors document this). */
export function seededSigner(label: string): Signer {
  return signerFromSeed(sha256(new TextEncoder().encode(`custody test key ${label}`)));
}

/** A clock that moves one second per call, from 2026-03-01T09:00:00Z. */
export function steppingClock(start = Date.UTC(2026, 2, 1, 9, 0, 0), step = 1000): Clock {
  let t = start;
  return { now: () => (t += step), zone: () => 'Europe/Amsterdam' };
}

/** Deterministic randomness (salts, ids): the n-byte prefixes of SHA-256("exhibit 1"), ("exhibit 2"), … */
export function countingRandom(): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    i++;
    return sha256(new TextEncoder().encode(`exhibit ${i}`)).slice(0, n);
  };
}

/** Registered digests of made-up content. */
export const digestsOf = (content: string) => ({ sha256: sha256(new TextEncoder().encode(content)) });
