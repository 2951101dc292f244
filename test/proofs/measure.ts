/**
 * Proof sizes and generation times for a large tree, printed, never asserted.
 * Not part of vitest (no .test.ts suffix). Run:
 *
 *     npx tsx test/proofs/measure.ts [leaves]        (default 1,000,000)
 *
 * The tree is built in memory only (MerkleFrontier + MemoryNodeStore) over
 * synthetic leaf hashes, exactly as the ledger builds it on append, but
 * without signing or storing real entries: it measures the tree, not the
 * ledger. Proofs come from src/merkle/proofs.ts, reading the node store.
 */
import { performance } from 'node:perf_hooks';
import { MerkleFrontier } from '../../src/merkle/frontier.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { MemoryNodeStore } from '../../src/merkle/memory.js';
import { consistencyProof, inclusionProof, rootAt } from '../../src/merkle/proofs.js';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.js';

const N = Number(process.argv[2] ?? 1_000_000);
const SAMPLES = 2000;

/** Deterministic pseudo-random indices (xorshift32), so runs are comparable. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);
const stats = (xs: number[]) => ({
  min: Math.min(...xs),
  max: Math.max(...xs),
  mean: xs.reduce((a, b) => a + b, 0) / xs.length,
});

async function main() {
  console.log(`# Merkle proof measurements: ${N.toLocaleString('en')} leaves (memory node store)`);
  console.log(`node ${process.version}, ${process.platform}/${process.arch}\n`);

  // Build.
  const frontier = MerkleFrontier.empty();
  const store = new MemoryNodeStore();
  const leaf = new Uint8Array(8);
  const view = new DataView(leaf.buffer);
  const leaves: Uint8Array[] = [];
  let t = performance.now();
  for (let i = 0; i < N; i++) {
    view.setUint32(0, Math.floor(i / 2 ** 32));
    view.setUint32(4, i >>> 0);
    const h = hashLeaf(leaf);
    if (i < SAMPLES || i % 997 === 0) leaves[i] = h;
    store.put(frontier.append(h));
  }
  const buildMs = performance.now() - t;
  console.log(
    `build: ${buildMs.toFixed(0)} ms (${((buildMs / N) * 1000).toFixed(2)} µs per append), ${store.count.toLocaleString('en')} stored nodes`,
  );
  const mem = process.memoryUsage();
  console.log(
    `heap used ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB, rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB`,
  );

  t = performance.now();
  const root = await rootAt(store, N);
  console.log(
    `rootAt(${N}) from stored nodes: ${fmt(performance.now() - t)} (frontier root agrees: ${Buffer.from(root).equals(Buffer.from(frontier.root()))})\n`,
  );

  // Inclusion proofs at size N: warm up, then time each of SAMPLES random indices.
  const pick = rng(42);
  const indices = Array.from({ length: SAMPLES }, () => {
    let i = pick(N);
    while (leaves[i] === undefined) i = (i + 1) % N;
    return i;
  });
  for (let i = 0; i < 200; i++) await inclusionProof(store, indices[i]!, N);
  const times: number[] = [];
  const lengths: number[] = [];
  let verified = 0;
  for (const i of indices) {
    const t0 = performance.now();
    const p = await inclusionProof(store, i, N);
    times.push(performance.now() - t0);
    lengths.push(p.length);
    if (verifyInclusion(i, N, leaves[i]!, p, root)) verified++;
  }
  const ls = stats(lengths);
  console.log(`inclusion proof, tree of ${N} leaves, ${SAMPLES} random entries:`);
  console.log(
    `  size: ${ls.min}..${ls.max} hashes (mean ${ls.mean.toFixed(2)}), ${ls.min * 32}..${ls.max * 32} bytes`,
  );
  console.log(
    `  generation: p50 ${fmt(quantile(times, 0.5))}, p90 ${fmt(quantile(times, 0.9))}, p99 ${fmt(quantile(times, 0.99))}`,
  );
  console.log(`  verified: ${verified}/${SAMPLES}`);
  const vt = performance.now();
  for (let k = 0; k < 1000; k++)
    verifyInclusion(indices[k]!, N, leaves[indices[k]!]!, await inclusionProof(store, indices[k]!, N), root);
  console.log(`  generate + verify: ${fmt((performance.now() - vt) / 1000)} per proof\n`);

  // Consistency proofs from random earlier sizes to N, and a few notable ones.
  const ctimes: number[] = [];
  const clens: number[] = [];
  let cverified = 0;
  const roots = new Map<number, Uint8Array>();
  const firsts = Array.from({ length: 500 }, () => 1 + pick(N - 1));
  for (const m of firsts) roots.set(m, await rootAt(store, m));
  for (const m of firsts) {
    const t0 = performance.now();
    const p = await consistencyProof(store, m, N);
    ctimes.push(performance.now() - t0);
    clens.push(p.length);
    if (verifyConsistency(m, N, roots.get(m)!, root, p)) cverified++;
  }
  const cs = stats(clens);
  console.log(`consistency proof m -> ${N}, ${firsts.length} random m:`);
  console.log(
    `  size: ${cs.min}..${cs.max} hashes (mean ${cs.mean.toFixed(2)}), ${cs.min * 32}..${cs.max * 32} bytes`,
  );
  console.log(`  generation: p50 ${fmt(quantile(ctimes, 0.5))}, p90 ${fmt(quantile(ctimes, 0.9))}`);
  console.log(`  verified: ${cverified}/${firsts.length}`);
  for (const m of [1, 2 ** 19, 500_000, N - 1]) {
    if (m < 1 || m >= N) continue;
    const p = await consistencyProof(store, m, N);
    console.log(`  ${m} -> ${N}: ${p.length} hashes (${p.length * 32} bytes)`);
  }
}

await main();
