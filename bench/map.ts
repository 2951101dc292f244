/**
 * The state map benchmark (docs/STATE-MAP.md §Performance):
 *   map.update_us      average µs per key update at N keys, each followed by
 *                      reading the recomputed root (the map rehashes eagerly);
 *   map.bytes_per_key  heap plus ArrayBuffer bytes the map holds, per key,
 *                      measured after full garbage collections.
 *
 *   node --expose-gc dist/bench/map.js [--keys N] [--updates M] [--no-lazy]    (after npm run build)
 *
 * Run alone, it also measures opening the map lazily from stored nodes
 * (benchLazyMap, docs/STATE-MAP.md §Persistence and lazy opening): open from
 * the root + load one key + update it, from an in-memory node source.
 *
 * benchMap is also used by bench/run.ts. Keys are 8-byte counters in namespace "exhibit"
 * (the map hashes them, so their shape does not matter) and are written into
 * one reused buffer, so the measurement holds nothing but the map.
 */
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LEAF_INPUT_SIZE, NODE_INPUT_SIZE } from '../src/map/constants.js';
import { encodeMapProof, type MapNodeSource, StateMap } from '../src/map/index.js';
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

export interface LazyMapBenchResult {
  keys: number;
  /** Branches the store holds, and their encoded bytes on average. */
  storedNodes: number;
  storedNodeBytes: number;
  samples: number;
  /** µs for StateMap.open alone (reads nothing). */
  openUs: number;
  /** µs per (open from the root, load one key, update it, read the root), each on a fresh open. */
  coldUs: number;
  /** Node fetches per load on a fresh open: the key's depth. */
  coldFetches: number;
  /** The same loads and updates on one open map that keeps what it loaded (no unload). */
  warmUs: number;
  warmFetches: number;
  /**
   * A server's steady state under the unload(2) policy, per key: load, update,
   * takeDirty() into the store, unload(2) (the root and its 16 children stay).
   */
  keep2Us: number;
  keep2Fetches: number;
  /** µs per update once loaded (the hot path of a lazily opened map). */
  loadedUpdateUs: number;
}

/**
 * Opening the map lazily: a map of `keys` keys is built, its takeDirty()
 * nodes are put in an in-memory store (a Map, answering through a resolved
 * promise: no storage latency is included), and the map is dropped. Then,
 * for `samples` scattered keys: open + load + update on fresh opens, and the
 * same on one long-lived open map.
 */
export async function benchLazyMap(keys = 1_000_000, samples = 2_000): Promise<LazyMapBenchResult> {
  const gc = collector();
  const key = new Uint8Array(8);
  const keyView = new DataView(key.buffer);
  const value = new Uint8Array(32);
  const valueView = new DataView(value.buffer);
  const setKey = (i: number) => keyView.setUint32(4, i);

  let built: StateMap | undefined = new StateMap();
  for (let i = 0; i < keys; i++) {
    setKey(i);
    valueView.setUint32(0, i);
    built.set('exhibit', key, value);
  }
  const changes = built.takeDirty();
  built = undefined;
  const nodes = new Map<string, Uint8Array>();
  const name = (h: Uint8Array) => String.fromCharCode(...h);
  let bytes = 0;
  for (const n of changes.nodes) {
    nodes.set(name(n.hash), n.bytes);
    bytes += n.bytes.length;
  }
  gc();
  const source: MapNodeSource = { node: async (h) => nodes.get(name(h)) };
  const { root, size, rootLeaf } = changes;
  const sample = (i: number) => setKey((i * 104_729 + 17) % keys);

  let sink = 0;
  let t = performance.now();
  for (let i = 0; i < samples; i++) sink ^= StateMap.open(root, size, rootLeaf, source).size;
  const openUs = ((performance.now() - t) * 1000) / samples;

  // Fresh opens; the first pass warms up the JIT and is not counted.
  let coldFetches = 0;
  let coldUs = 0;
  for (let pass = 0; pass < 2; pass++) {
    coldFetches = 0;
    t = performance.now();
    for (let i = 0; i < samples; i++) {
      sample(i + pass);
      valueView.setUint32(4, i + 1);
      const m = StateMap.open(root, size, rootLeaf, source);
      coldFetches += await m.load('exhibit', key);
      m.set('exhibit', key, value);
      sink ^= m.root[0]!;
    }
    coldUs = ((performance.now() - t) * 1000) / samples;
  }

  const warm = StateMap.open(root, size, rootLeaf, source);
  let warmFetches = 0;
  t = performance.now();
  for (let i = 0; i < samples; i++) {
    sample(i);
    valueView.setUint32(4, i + 2);
    warmFetches += await warm.load('exhibit', key);
    warm.set('exhibit', key, value);
    sink ^= warm.root[0]!;
  }
  const warmUs = ((performance.now() - t) * 1000) / samples;

  // Updates of keys already loaded: the synchronous hot path.
  t = performance.now();
  const rounds = 20;
  for (let r = 0; r < rounds; r++)
    for (let i = 0; i < samples; i++) {
      sample(i);
      valueView.setUint32(8, r * samples + i + 1);
      warm.set('exhibit', key, value);
      sink ^= warm.root[0]!;
    }
  const loadedUpdateUs = ((performance.now() - t) * 1000) / (rounds * samples);

  // Each update persisted, then everything below depth 2 unloaded: each key
  // fetches the rest of its path again.
  for (const n of warm.takeDirty().nodes) nodes.set(name(n.hash), n.bytes);
  warm.unload(2);
  let keep2Fetches = 0;
  t = performance.now();
  for (let i = 0; i < samples; i++) {
    sample(i + samples);
    valueView.setUint32(4, i + 3);
    keep2Fetches += await warm.load('exhibit', key);
    warm.set('exhibit', key, value);
    sink ^= warm.root[0]!;
    for (const n of warm.takeDirty().nodes) nodes.set(name(n.hash), n.bytes);
    warm.unload(2);
  }
  const keep2Us = ((performance.now() - t) * 1000) / samples;
  if (sink < 0) throw new Error('unreachable');
  return {
    keys,
    storedNodes: changes.nodes.length,
    storedNodeBytes: bytes / changes.nodes.length,
    samples,
    openUs,
    coldUs,
    coldFetches: coldFetches / samples,
    warmUs,
    warmFetches: warmFetches / samples,
    keep2Us,
    keep2Fetches: keep2Fetches / samples,
    loadedUpdateUs,
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
  if (!process.argv.includes('--no-lazy')) {
    const l = await benchLazyMap(keys);
    process.stdout.write(
      `${[
        `lazy open from an in-memory node source, ${l.keys} keys (${l.storedNodes} stored branches, ${round(l.storedNodeBytes)} bytes each on average)`,
        `  open                       = ${round(l.openUs)} µs (reads nothing)`,
        `  open + load + update       = ${round(l.coldUs)} µs, ${round(l.coldFetches)} node fetches per load (fresh open each time)`,
        `  load + update, kept loaded = ${round(l.warmUs)} µs, ${round(l.warmFetches)} fetches per load (${l.samples} keys on one open map)`,
        `  load + update + takeDirty + unload(2), per key = ${round(l.keep2Us)} µs, ${round(l.keep2Fetches)} fetches per load`,
        `  update of a loaded key     = ${round(l.loadedUpdateUs)} µs`,
      ].join('\n')}\n`,
    );
  }
}
