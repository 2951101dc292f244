/**
 * What to hash of the evidence file in hand before a bundle is verified against it: every
 * digest algorithm the bundle's registrations name (SHA-256 always), and the sizes they
 * registered, so that a file of another size is not hashed at all (a 10 TiB sparse file costs
 * nothing; the verifier reports the size and that no digest was compared). Pure: the CLI and
 * the court's verifier page plan alike, so both give the verifier the same facts.
 */

import { decodeSignedStatement } from '../format/statement.js';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../format/vocabulary.js';
import { decodeBundleV2 } from './bundle-v2.js';

export interface FilePlan {
  algorithms: DigestAlgorithm[];
  sizes: ReadonlySet<number>;
}

export function filePlan(bundle: Uint8Array): FilePlan {
  const algs = new Set<DigestAlgorithm>(['sha256']);
  const sizes = new Set<number>();
  try {
    for (const e of decodeBundleV2(bundle).entries) {
      try {
        const d = decodeSignedStatement(e.payload);
        if (d.statement.kind !== 'register') continue;
        sizes.add(d.statement.body['size'] as number);
        for (const a of Object.keys(d.statement.body['digests'] as object))
          if (DIGEST_ALGORITHMS.includes(a as DigestAlgorithm)) algs.add(a as DigestAlgorithm);
      } catch {
        // A damaged statement is reported by the verifier; here it only limits which digests are computed.
      }
    }
  } catch {
    // A malformed bundle is reported by the verifier.
  }
  return { algorithms: [...algs], sizes };
}

/** True when a file of this size could be the registered one (and so is worth hashing). */
export const worthHashing = (plan: FilePlan, size: number): boolean =>
  plan.sizes.size === 0 || plan.sizes.has(size);
