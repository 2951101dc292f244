/**
 * Opening a map lazily from stored nodes (docs/STATE-MAP.md §Persistence and
 * lazy opening): a map built with random operations is persisted through
 * takeDirty() into a content-addressed store, opened from its root alone, and
 * driven with a second random batch (loading keys first, or not, unloading,
 * taking snapshots, persisting mid-way) side by side with a map held wholly
 * in memory. Checked (fast-check, fixed seeds):
 *  - after every step the roots and sizes are equal, and equal to the
 *    reference; reads and proofs of loaded keys are those of the full map;
 *  - an operation on a key whose path is not loaded throws
 *    MAP_PATH_NOT_LOADED and changes nothing;
 *  - takeDirty() of the lazy map hands out exactly the branches the full map
 *    hands out (stubs are never encoded), and the store they make reopens to
 *    the same map (round trip);
 *  - proveFromSource() against the old root and the new one gives the
 *    proofs of maps in those states, which verify;
 *  - snapshots of the lazy map stay right (or refuse) through loads and
 *    unloads, and give back every node they held.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type MapProof,
  type MapSnapshot,
  mapPath,
  proveFromSource,
  StateMap,
  verifyMapProof,
} from '../../src/map/index.js';
import { keyPool, plainProof } from './helpers.js';
import { hex, keysSharingPrefix, RefMap, refPath, refProof, refRoot } from './reference.js';
import { codeOf, MemSource, type RootRecord } from './source.js';

const pool = keyPool();
const value = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const NS = 'exhibit';

type Op1 = { t: 'set'; k: number; v: number } | { t: 'del'; k: number };
type Op2 =
  | { t: 'set'; k: number; v: number; load: boolean }
  | { t: 'del'; k: number; load: boolean }
  | { t: 'read'; k: number; load: boolean }
  | { t: 'take' }
  | { t: 'unload'; keep: number }
  | { t: 'snap' }
  | { t: 'release'; i: number };

const key = fc.nat(pool.length - 1);
const op1Arb: fc.Arbitrary<Op1> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('set' as const), k: key, v: fc.integer({ min: 1, max: 4 }) }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('del' as const), k: key }) },
);
const op2Arb: fc.Arbitrary<Op2> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('set' as const),
      k: key,
      v: fc.integer({ min: 1, max: 8 }),
      load: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('del' as const), k: key, load: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('read' as const), k: key, load: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('take' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('unload' as const), keep: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('snap' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('release' as const), i: fc.nat(5) }) },
);

const hexes = (nodes: readonly { hash: Uint8Array; bytes: Uint8Array }[]) =>
  nodes.map((n) => `${hex(n.hash)}:${hex(n.bytes)}`);

/** Checks a proof against the state of `model` under `root`: reference proof, verification. */
function checkProof(p: MapProof, root: Uint8Array, model: RefMap, k: (typeof pool)[number]) {
  expect(plainProof(p)).toEqual(plainProof(refProof(model.entries(), k.path)));
  const want = model.get(k.path);
  expect(verifyMapProof(root, k.ns, k.key, p)).toEqual(
    want ? { ok: true, present: true, value: want } : { ok: true, present: false },
  );
}

interface Held {
  snap: MapSnapshot;
  model: RefMap;
  root: string;
}

async function run(ops1: Op1[], ops2: Op2[]) {
  const full = new StateMap();
  const model = new RefMap();
  for (const op of ops1) {
    const k = pool[op.k]!;
    if (op.t === 'set') {
      full.set(k.ns, k.key, value(op.v));
      model.set(k.path, value(op.v));
    } else {
      full.delete(k.ns, k.key);
      model.delete(k.path);
    }
  }
  const store = new MemSource();
  const first = store.put(full.takeDirty());
  const oldFull = full.snapshot();
  const oldModel = model.clone();

  const lazy = StateMap.open(first.root, first.size, first.rootLeaf, store);
  expect(store.fetches).toBe(0);
  expect(hex(lazy.root)).toBe(hex(full.root));
  expect(lazy.size).toBe(full.size);
  expect(lazy.takeDirty().nodes).toEqual([]);
  let last: RootRecord = first;
  const held: Held[] = [];
  let refused = 0;

  /** Runs f on the lazy map: after load() if asked; otherwise it either works or refuses, changing nothing. */
  const onLazy = async <T>(k: (typeof pool)[number], load: boolean, f: () => T): Promise<T> => {
    if (load) await lazy.load(k.ns, k.key);
    const before = [hex(lazy.root), lazy.size];
    try {
      return f();
    } catch (e) {
      expect((e as { code?: string }).code).toBe('MAP_PATH_NOT_LOADED');
      expect([hex(lazy.root), lazy.size]).toEqual(before);
      refused++;
      await lazy.load(k.ns, k.key);
      return f();
    }
  };

  for (const op of ops2) {
    if (op.t === 'set') {
      const k = pool[op.k]!;
      full.set(k.ns, k.key, value(op.v));
      model.set(k.path, value(op.v));
      await onLazy(k, op.load, () => lazy.set(k.ns, k.key, value(op.v)));
    } else if (op.t === 'del') {
      const k = pool[op.k]!;
      const was = full.delete(k.ns, k.key);
      model.delete(k.path);
      expect(await onLazy(k, op.load, () => lazy.delete(k.ns, k.key))).toBe(was);
    } else if (op.t === 'read') {
      const k = pool[op.k]!;
      expect(await onLazy(k, op.load, () => lazy.get(k.ns, k.key))).toEqual(full.get(k.ns, k.key));
      expect(plainProof(await onLazy(k, op.load, () => lazy.prove(k.ns, k.key)))).toEqual(
        plainProof(full.prove(k.ns, k.key)),
      );
    } else if (op.t === 'take') {
      const a = lazy.takeDirty();
      expect(hexes(a.nodes)).toEqual(hexes(full.takeDirty().nodes));
      last = store.put(a);
    } else if (op.t === 'unload') {
      lazy.unload(op.keep);
    } else if (op.t === 'snap') {
      held.push({ snap: lazy.snapshot(), model: model.clone(), root: hex(lazy.root) });
    } else if (held.length > 0) {
      held.splice(op.i % held.length, 1)[0]!.snap.release();
    }
    expect(hex(lazy.root)).toBe(hex(full.root));
    expect(hex(lazy.root)).toBe(hex(refRoot(model.entries())));
    expect(lazy.size).toBe(full.size);
  }

  // Exactly the changed branches, then a store that reopens to the same map.
  const rest = lazy.takeDirty();
  expect(hexes(rest.nodes)).toEqual(hexes(full.takeDirty().nodes));
  expect(rest.rootLeaf).toEqual(full.takeDirty().rootLeaf);
  last = store.put(rest);
  expect(hex(refRoot(store.leaves(last)))).toBe(hex(full.root));
  const again = StateMap.open(last.root, last.size, last.rootLeaf, store);
  for (const k of pool) {
    await again.load(k.ns, k.key);
    expect(again.get(k.ns, k.key)).toEqual(full.get(k.ns, k.key));
    expect(plainProof(again.prove(k.ns, k.key))).toEqual(plainProof(full.prove(k.ns, k.key)));
  }
  expect(again.takeDirty().nodes).toEqual([]);

  // Proofs from the store against the old root and the new one.
  for (const k of pool) {
    const now = await proveFromSource(last.root, k.ns, k.key, store, last.rootLeaf);
    expect(plainProof(now)).toEqual(plainProof(full.prove(k.ns, k.key)));
    checkProof(now, last.root, model, k);
    const then = await proveFromSource(first.root, k.ns, k.key, store, first.rootLeaf);
    expect(plainProof(then)).toEqual(plainProof(oldFull.prove(k.ns, k.key)));
    checkProof(then, first.root, oldModel, k);
  }
  oldFull.release();
  // Loading every key gives the full map's branches, no more.
  expect(again.stats().branches).toBe(full.stats().branches);

  // Snapshots of the lazy map: right where they can see, refusing where not.
  for (const h of held) {
    expect(hex(h.snap.root)).toBe(h.root);
    for (const k of pool) {
      let p: MapProof;
      try {
        p = h.snap.prove(k.ns, k.key);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('MAP_PATH_NOT_LOADED');
        continue;
      }
      checkProof(p, h.snap.root, h.model, k);
    }
    h.snap.release();
  }
  expect(lazy.stats()).toMatchObject({ retired: 0, snapshots: 0 });
  // With everything taken and no snapshot, unload() gives back every branch.
  lazy.unload();
  expect(lazy.stats().branches).toBe(0);
  expect(lazy.stats().leaves).toBeLessThanOrEqual(1);
  expect(hex(lazy.root)).toBe(hex(full.root));
  return { refused, held: held.length };
}

describe('a lazily opened map', () => {
  it('computes the roots of a map held in memory, and persists exactly what changed', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(op1Arb, { minLength: 0, maxLength: 60 }),
        fc.array(op2Arb, { minLength: 1, maxLength: 60 }),
        async (ops1, ops2) => {
          refused += (await run(ops1, ops2)).refused;
        },
      ),
      { seed: 0x6c617a79, numRuns: 150 },
    );
    // The runs did exercise refusals of unloaded paths.
    expect(refused).toBeGreaterThan(50);
  });

  it('loads a key in as many fetches as its proof has levels, and nothing at open', async () => {
    const full = new StateMap();
    for (let i = 0; i < 3000; i++) full.set(NS, `k${i}`, value(i & 255));
    const store = new MemSource();
    const r = store.put(full.takeDirty());
    const lazy = StateMap.open(r.root, r.size, r.rootLeaf, store);
    expect(store.fetches).toBe(0);
    expect(lazy.stats().branches).toBe(0);
    for (const k of ['k7', 'k1234', 'absent-1', 'absent-2']) {
      const depth = full.prove(NS, k).levels.length;
      const fresh = StateMap.open(r.root, r.size, r.rootLeaf, store);
      expect(await fresh.load(NS, k)).toBe(depth);
      expect(fresh.stats().branches).toBe(depth);
      expect(await fresh.load(NS, k)).toBe(0);
      // A second key shares at least the root.
      expect(await lazy.load(NS, k)).toBeLessThanOrEqual(depth);
    }
    // unload(2) keeps the root and its children: a load then fetches depth - 2.
    lazy.unload(2);
    for (const k of ['k7', 'k1234']) {
      const depth = full.prove(NS, k).levels.length;
      expect(await lazy.load(NS, k)).toBe(depth - 2);
    }
  });

  it('keeps a branch whose only child left is a stub (it still has two leaves below it)', async () => {
    // Two keys sharing their first nibble (a branch under child f of the
    // root, say) and one elsewhere: deleting the lone one leaves the root
    // with a single child, a stub branch, which must stay a branch.
    const [a, b] = keysSharingPrefix(NS, 'pair', 1, 2) as [string, string];
    const nib = refPath(NS, a)[0]! >> 4;
    let c = 0;
    while (refPath(NS, `lone${c}`)[0]! >> 4 === nib) c++;
    const full = new StateMap();
    for (const k of [a, b, `lone${c}`]) full.set(NS, k, value(1));
    const store = new MemSource();
    const r = store.put(full.takeDirty());
    const lazy = StateMap.open(r.root, r.size, r.rootLeaf, store);
    expect(await lazy.load(NS, `lone${c}`)).toBe(1);
    expect(lazy.delete(NS, `lone${c}`)).toBe(true);
    full.delete(NS, `lone${c}`);
    expect(hex(lazy.root)).toBe(hex(full.root));
    const d = lazy.takeDirty();
    expect(hexes(d.nodes)).toEqual(hexes(full.takeDirty().nodes));
    // The new root node has one branch child, the untouched stored one.
    expect(d.nodes).toHaveLength(1);
    // And deleting one of the pair then collapses everything to the other's leaf.
    await lazy.load(NS, a);
    lazy.delete(NS, a);
    full.delete(NS, a);
    expect(hex(lazy.root)).toBe(hex(full.root));
    expect(lazy.takeDirty().rootLeaf).toEqual({ path: refPath(NS, b), value: value(1) });
  });

  it('loads concurrently with other loads and updates, fetching each node into one place', async () => {
    const full = new StateMap();
    const keys = Array.from({ length: 400 }, (_, i) => `c${i}`);
    for (const k of keys) full.set(NS, k, value(1));
    const store = new MemSource();
    const r = store.put(full.takeDirty());
    const lazy = StateMap.open(r.root, r.size, r.rootLeaf, store);
    let turn = 0;
    store.delay = () => turn++ % 4;
    const sequential = StateMap.open(r.root, r.size, r.rootLeaf, store);
    for (const k of keys.slice(0, 200)) await sequential.load(NS, k);
    // Loads of overlapping paths race; updates of loaded keys run in between.
    await Promise.all(
      keys.slice(0, 200).map(async (k, i) => {
        await lazy.load(NS, k);
        if (i % 3 === 0) {
          lazy.set(NS, k, value(2));
          full.set(NS, k, value(2));
        }
      }),
    );
    expect(hex(lazy.root)).toBe(hex(full.root));
    // No node was spliced twice: as many branches as one load after another
    // (the updates change values only, never the shape).
    expect(lazy.stats().branches).toBe(sequential.stats().branches);
    expect(hexes(lazy.takeDirty().nodes)).toEqual(hexes(full.takeDirty().nodes));
  });

  it('unload() keeps what takeDirty() has not handed out, and what snapshots see', async () => {
    const full = new StateMap();
    for (let i = 0; i < 500; i++) full.set(NS, `u${i}`, value(1));
    const store = new MemSource();
    const r = store.put(full.takeDirty());
    const lazy = StateMap.open(r.root, r.size, r.rootLeaf, store);
    for (let i = 0; i < 50; i++) await lazy.load(NS, `u${i}`);
    lazy.set(NS, 'u3', value(9));
    full.set(NS, 'u3', value(9));
    const depth = full.prove(NS, 'u3').levels.length;
    // The dirty path stays; everything else goes.
    lazy.unload();
    expect(lazy.stats().branches).toBe(depth);
    expect(lazy.get(NS, 'u3')).toEqual(value(9));
    expect(await codeOf(() => lazy.get(NS, 'u4'))).toBe('MAP_PATH_NOT_LOADED');
    const d = lazy.takeDirty();
    expect(hexes(d.nodes)).toEqual(hexes(full.takeDirty().nodes));
    const r2 = store.put(d);
    lazy.unload();
    expect(lazy.stats().branches).toBe(0);

    // A snapshot keeps its nodes through unload(), and gives them back on release.
    for (let i = 0; i < 50; i++) await lazy.load(NS, `u${i}`);
    const held = lazy.stats().branches;
    const snap = lazy.snapshot();
    lazy.set(NS, 'u5', value(7));
    full.set(NS, 'u5', value(7));
    store.put(lazy.takeDirty());
    full.takeDirty();
    // Below the top two levels everything is clean, but most of it is shared
    // with the snapshot; then everything.
    // The clones on u5's path below depth 2 go (and the shared branches
    // below them are retired, not freed); the frozen branches the snapshot
    // shares with the live tree are left as they are.
    expect(lazy.unload(2)).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) expect(snap.get(NS, `u${i}`)).toEqual(value(i === 3 ? 9 : 1));
    lazy.unload();
    expect(lazy.stats().retired).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) {
      const p = snap.prove(NS, `u${i}`);
      expect(verifyMapProof(r2.root, NS, `u${i}`, p)).toMatchObject({ ok: true, present: true });
    }
    expect(await codeOf(() => snap.prove(NS, 'u60'))).toBe('MAP_PATH_NOT_LOADED');
    expect(held).toBeGreaterThan(depth);
    snap.release();
    expect(lazy.stats()).toMatchObject({ branches: 0, retired: 0, snapshots: 0 });
    await lazy.load(NS, 'u5');
    expect(hex(lazy.root)).toBe(hex(full.root));
    expect(lazy.get(NS, 'u5')).toEqual(value(7));
  });

  it('splices a node loaded after a snapshot so that the snapshot keeps its content', async () => {
    const full = new StateMap();
    for (let i = 0; i < 500; i++) full.set(NS, `s${i}`, value(1));
    const store = new MemSource();
    const r = store.put(full.takeDirty());
    const lazy = StateMap.open(r.root, r.size, r.rootLeaf, store);
    await lazy.load(NS, 's0');
    const nib = (k: string) => refPath(NS, k)[0]! >> 4;
    const others = Array.from({ length: 500 }, (_, i) => `s${i}`).filter((k) => nib(k) !== nib('s0'));
    // The snapshot shares the root, whose other children are still stubs;
    // loads splice into it (the content is the same), then updates change
    // the live map only.
    const snap = lazy.snapshot();
    for (const k of others.slice(0, 40)) await lazy.load(NS, k);
    for (const k of others.slice(0, 40)) {
      lazy.set(NS, k, value(2));
      full.set(NS, k, value(2));
    }
    // Keys loaded after the live branches above them were cloned are loaded
    // into the live tree only: the snapshot refuses them rather than guess.
    let refused = 0;
    for (let i = 0; i < 500; i++) {
      await lazy.load(NS, `s${i}`);
      try {
        expect(snap.get(NS, `s${i}`)).toEqual(value(1));
      } catch (e) {
        expect((e as { code?: string }).code).toBe('MAP_PATH_NOT_LOADED');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(hex(lazy.root)).toBe(hex(full.root));
    for (const k of others.slice(0, 40)) {
      expect(snap.get(NS, k)).toEqual(value(1));
      expect(verifyMapProof(r.root, NS, k, snap.prove(NS, k))).toEqual({
        ok: true,
        present: true,
        value: value(1),
      });
    }
    // unload() below the top levels leaves alone what the snapshot shares.
    store.put(lazy.takeDirty());
    lazy.unload(2);
    for (const k of others.slice(0, 40)) expect(snap.get(NS, k)).toEqual(value(1));
    snap.release();
    lazy.unload();
    expect(lazy.stats()).toMatchObject({ branches: 0, leaves: 0, retired: 0 });
  });

  it('drops a fetched node if its stub changed while it was on its way', async () => {
    const full = new StateMap();
    for (let i = 0; i < 300; i++) full.set(NS, `w${i}`, value(1));
    const store = new MemSource();
    const r = store.put(full.takeDirty());
    const lazy = StateMap.open(r.root, r.size, r.rootLeaf, store);
    await lazy.load(NS, 'w1');
    // Hold the next fetch (the branch below the root on w1's path... once unloaded).
    lazy.unload(1);
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const held = store.node.bind(store);
    let first = true;
    store.node = async (h) => {
      const out = await held(h);
      if (first) {
        first = false;
        await gate;
      }
      return out;
    };
    const slow = lazy.load(NS, 'w1');
    await new Promise((res) => setTimeout(res, 0));
    // Meanwhile: the same path is loaded, w1 changes, the change is stored and
    // the path unloaded again: the stub is now the new branch.
    store.node = held;
    await lazy.load(NS, 'w1');
    lazy.set(NS, 'w1', value(5));
    full.set(NS, 'w1', value(5));
    store.put(lazy.takeDirty());
    lazy.unload(1);
    open();
    await slow;
    expect(lazy.get(NS, 'w1')).toEqual(value(5));
    lazy.set(NS, 'w1', value(6));
    full.set(NS, 'w1', value(6));
    expect(hex(lazy.root)).toBe(hex(full.root));
  });

  it('opens the empty map and a one-key map, and grows them', async () => {
    const store = new MemSource();
    const full = new StateMap();
    let r = store.put(full.takeDirty());
    const empty = StateMap.open(r.root, r.size, r.rootLeaf, store);
    expect(await empty.load(NS, 'x')).toBe(0);
    expect(empty.get(NS, 'x')).toBeUndefined();
    expect(await proveFromSource(r.root, NS, 'x', store)).toEqual({
      levels: [],
      terminal: { kind: 'absent-empty' },
    });
    full.set(NS, 'one', value(1));
    r = store.put(full.takeDirty());
    expect(r.rootLeaf).not.toBeNull();
    const one = StateMap.open(r.root, r.size, r.rootLeaf, store);
    expect(one.get(NS, 'one')).toEqual(value(1));
    expect(plainProof(await proveFromSource(r.root, NS, 'two', store, r.rootLeaf))).toEqual(
      plainProof(full.prove(NS, 'two')),
    );
    // Without its rootLeaf, a leaf root is not a stored node.
    expect(await codeOf(() => proveFromSource(r.root, NS, 'one', store))).toBe('MAP_NODE_MISSING');
    for (const k of ['two', 'three']) {
      one.set(NS, k, value(2));
      full.set(NS, k, value(2));
    }
    expect(hex(one.root)).toBe(hex(full.root));
    expect(hexes(one.takeDirty().nodes)).toEqual(hexes(full.takeDirty().nodes));
    expect(mapPath(NS, 'one')).toEqual(refPath(NS, 'one'));
  });
});
