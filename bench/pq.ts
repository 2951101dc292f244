/**
 * ML-DSA-44 witness cosignatures (tlog-cosignature v1.1 `subtree/v1`,
 * docs/PROOFS.md §ML-DSA-44 cosignatures), medians over `runs`:
 *   pq.checkpoint_sign_ms       signMlDsaCosignature of a checkpoint (hedged, as a witness signs)
 *   pq.cosignature_verify_ms    verifyMlDsaCosignature of one line (parse, message, FIPS 204 verify)
 *
 *   node dist/bench/pq.js [--runs N]    (after npm run build); also used by bench/run.ts.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { utf8 } from '../src/bytes.js';
import { formatCheckpoint } from '../src/checkpoint/checkpoint.js';
import { signMlDsaCosignature, verifyMlDsaCosignature } from '../src/checkpoint/cosignature-mldsa.js';
import { mlDsa44SignerFromSeed } from '../src/crypto/ml-dsa.js';
import { sha256 } from '../src/crypto/sha256.js';

export interface PqBenchResult {
  signMs: number;
  verifyMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export function benchPq(runs = 200): PqBenchResult {
  const signer = mlDsa44SignerFromSeed(sha256(utf8('custody bench pq witness')));
  const name = 'bench.example/pq-witness';
  const body = formatCheckpoint({ origin: 'bench.example/log', size: 1_000_000, root: sha256(utf8('root')) });
  const cosigner = { name, publicKey: signer.publicKey };
  const sign: number[] = [];
  const verify: number[] = [];
  // A few untimed rounds first, so the JIT has compiled the lattice code.
  for (let i = 0; i < runs + 10; i++) {
    const t0 = performance.now();
    const line = signMlDsaCosignature(body, name, signer, 1_700_000_000 + i);
    const t1 = performance.now();
    verifyMlDsaCosignature(body, line, cosigner);
    const t2 = performance.now();
    if (i >= 10) {
      sign.push(t1 - t0);
      verify.push(t2 - t1);
    }
  }
  return { signMs: median(sign), verifyMs: median(verify) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--runs');
  const r = benchPq(i >= 0 ? Number(process.argv[i + 1]) : 200);
  process.stdout.write(
    `pq.checkpoint_sign_ms ${r.signMs.toFixed(2)}\npq.cosignature_verify_ms ${r.verifyMs.toFixed(2)}\n`,
  );
}
