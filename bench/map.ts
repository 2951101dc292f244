/**
 * The state map benchmark (docs/STATE-MAP.md §Performance):
 *   map.update_us      average µs per key update at N keys, each followed by
 *                      reading the recomputed root (the map rehashes eagerly);
 *   map.bytes_per_key  heap plus ArrayBuffer bytes the map holds, per key,
 *                      measured after full garbage collections.
 *
 *   node --expose-gc dist/bench/map.js [--keys N] [--updates M]    (after npm run build)
 *
 * Also used by bench/run.ts. Keys are 8-byte counters in namespace "exhibit"
 * (the map hashes them, so their shape does not matter) and are written into
 * one reused buffer, so the measurement holds nothing but the map.
 */
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LEAF_INPUT_SIZE, NODE_INPUT_SIZE } from '../src/map/constants.js';
import { encodeMapProof, StateMap } from '../src/map/index.js';
import { META_STRIDE } from '../src/map/slabs.js';

export interface MapBenchResult {
  keys: number;
  /** µs per insert while building the map from empty to `keys`. */
  insertUs: number;
  /** µs per update of an existing key at `keys`, root recomputed and read. */
  updateUs: number;
  bytesPerKey: number;
  /** Average encoded proof size and levels at `keys` (members and absent keys). */
  proofBytes: number;
  proofLevels: number;
  /** Branches per key at `keys`. */
  branchesPerKey: number;
  /** µs per update while a snapshot is held (path copying), and the nodes it then retains. */
  snapshotUpdateUs: number;
  snapshotRetained: number;
  /** Slab bytes those retained nodes hold. */
  snapshotRetainedBytes: number;
  snapshotUpdates: number;
}

/** global.gc, exposed at run time if node was started without --expose-gc. */
function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export function benchMap(keys = 1_000_000, updates = Math.min(keys, 300_000)): MapBenchResult {
  const gc = collector();
  const key = new Uint8Array(8);
  const keyView = new DataView(key.buffer);
  const value = new Uint8Array(32);
  const valueView = new DataView(value.buffer);
  const setKey = (i: number) => keyView.setUint32(4, i);

  gc();
  gc();
  const before = used();
  let map: StateMap | undefined = new StateMap();
  let t = performance.now();
  for (let i = 0; i < keys; i++) {
    setKey(i);
    valueView.setUint32(0, i);
    map.set('exhibit', key, value);
  }
  const insertUs = ((performance.now() - t) * 1000) / keys;
  gc();
  gc();
  const bytesPerKey = (used() - before) / keys;

  // Updates of existing keys in a scattered order, each with the new root read.
  let sink = 0;
  t = performance.now();
  for (let i = 0; i < updates; i++) {
    setKey((i * 7_919 + 13) % keys);
    valueView.setUint32(4, i + 1);
    map.set('exhibit', key, value);
    sink ^= map.root[0]!;
  }
  const updateUs = ((performance.now() - t) * 1000) / updates;

  // The same updates while a snapshot is held: each clones the branches on its
  // path the first time they change after the snapshot.
  const snapshotUpdates = Math.min(keys, 20_000);
  const held = map.stats();
  const snap = map.snapshot();
  t = performance.now();
  for (let i = 0; i < snapshotUpdates; i++) {
    setKey((i * 104_723 + 7) % keys);
    valueView.setUint32(8, i + 1);
    map.set('exhibit', key, value);
    sink ^= map.root[0]!;
  }
  const snapshotUpdateUs = ((performance.now() - t) * 1000) / snapshotUpdates;
  const after = map.stats();
  const snapshotRetained = after.retired;
  // Every retired node's replacement is a node more than before.
  const snapshotRetainedBytes =
    (after.branches - held.branches) * (NODE_INPUT_SIZE + 4 * META_STRIDE) +
    (after.leaves - held.leaves) * (LEAF_INPUT_SIZE + 4);
  snap.release();
  const branchesPerKey = map.stats().branches / keys;

  let proofBytes = 0;
  let proofLevels = 0;
  const samples = 2_000;
  for (let i = 0; i < samples; i++) {
    // Half members, half absent keys.
    setKey(i % 2 === 0 ? (i * 104_729) % keys : keys + i);
    const p = map.prove('exhibit', key);
    proofBytes += encodeMapProof(p).length;
    proofLevels += p.levels.length;
  }
  if (map.size !== keys || sink < 0) throw new Error('state map bench: wrong size');
  map = undefined;
  gc();
  return {
    keys,
    insertUs,
    updateUs,
    bytesPerKey,
    proofBytes: proofBytes / samples,
    proofLevels: proofLevels / samples,
    branchesPerKey,
    snapshotUpdateUs,
    snapshotRetained,
    snapshotRetainedBytes,
    snapshotUpdates,
  };
}

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const keys = arg('--keys') ?? 1_000_000;
  const r = benchMap(keys, arg('--updates'));
  const round = (x: number) => Math.round(x * 100) / 100;
  process.stdout.write(
    `${[
      `state map, ${r.keys} keys (node ${process.version})`,
      `  map.update_us      = ${round(r.updateUs)} µs   [target ≤ 15]`,
      `  map.bytes_per_key  = ${round(r.bytesPerKey)} bytes   [target ≤ 400]`,
      `  insert             = ${round(r.insertUs)} µs per key while building`,
      `  proof              = ${round(r.proofBytes)} bytes, ${round(r.proofLevels)} levels on average`,
      `  branches           = ${r.branchesPerKey.toFixed(3)} per key`,
      `  with a snapshot    = ${round(r.snapshotUpdateUs)} µs per update; ${r.snapshotRetained} nodes (${round(r.snapshotRetainedBytes / 2 ** 20)} MiB) retained after ${r.snapshotUpdates} updates`,
    ].join('\n')}\n`,
  );
}
