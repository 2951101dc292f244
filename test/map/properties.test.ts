/**
 * Property tests (fast-check, fixed seeds): for random histories of sets,
 * deletes, snapshots and releases over a key pool with shared path prefixes,
 *  - the incrementally maintained root equals the root rebuilt from scratch
 *    by the recursive reference (./reference.ts) after every step;
 *  - every proof equals the reference's proof, round-trips through its
 *    encoding, and verifies with the right answer, against the live root and
 *    against each held snapshot's root after further updates;
 *  - a proof never gives a wrong answer for another key or another root
 *    (it fails, or tells the truth), and a member proof never verifies for
 *    another key;
 *  - released snapshots give back every node they held.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeMapProof,
  encodeMapProof,
  type MapProof,
  type MapSnapshot,
  StateMap,
  verifyMapProof,
} from '../../src/map/index.js';
import { keyPool, plainProof } from './helpers.js';
import { hex, RefMap, refProof, refRoot } from './reference.js';

const pool = keyPool();
const value = (n: number): Uint8Array => new Uint8Array(32).fill(n);

type Op =
  | { t: 'set'; k: number; v: number }
  | { t: 'del'; k: number }
  | { t: 'snap' }
  | { t: 'release'; i: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('set' as const),
      k: fc.nat(pool.length - 1),
      v: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('del' as const), k: fc.nat(pool.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('snap' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('release' as const), i: fc.nat(10) }) },
);

interface Held {
  snap: MapSnapshot;
  model: RefMap;
  root: string;
}

/** Checks every pool key's proof from `prove` against `root` and the model. */
function checkProofs(prove: (i: number) => MapProof, root: Uint8Array, model: RefMap) {
  const entries = model.entries();
  for (let i = 0; i < pool.length; i++) {
    const k = pool[i]!;
    const p = prove(i);
    expect(plainProof(p)).toEqual(plainProof(refProof(entries, k.path)));
    const bytes = encodeMapProof(p);
    const back = decodeMapProof(bytes);
    expect('proof' in back && plainProof(back.proof)).toEqual(plainProof(p));
    const want = model.get(k.path);
    const expected = want ? { ok: true, present: true, value: want } : { ok: true, present: false };
    expect(verifyMapProof(root, k.ns, k.key, bytes)).toEqual(expected);
    expect(verifyMapProof(root, k.ns, k.key, p)).toEqual(expected);
  }
}

function run(ops: Op[]) {
  const m = new StateMap();
  const model = new RefMap();
  const held: Held[] = [];
  const apply = (op: Op) => {
    if (op.t === 'set') {
      const k = pool[op.k]!;
      m.set(k.ns, k.key, value(op.v));
      model.set(k.path, value(op.v));
    } else if (op.t === 'del') {
      const k = pool[op.k]!;
      expect(m.delete(k.ns, k.key)).toBe(model.get(k.path) !== undefined);
      model.delete(k.path);
    } else if (op.t === 'snap') {
      held.push({ snap: m.snapshot(), model: model.clone(), root: hex(m.root) });
    } else if (held.length > 0) {
      const [h] = held.splice(op.i % held.length, 1);
      h!.snap.release();
      expect(h!.snap.released).toBe(true);
    }
    expect(hex(m.root)).toBe(hex(refRoot(model.entries())));
    expect(m.size).toBe(model.m.size);
    for (const h of held) expect(hex(h.snap.root)).toBe(h.root);
  };
  for (const op of ops) apply(op);

  checkProofs((i) => m.prove(pool[i]!.ns, pool[i]!.key), m.root, model);
  for (const h of held) {
    expect(hex(refRoot(h.model.entries()))).toBe(h.root);
    expect(h.snap.size).toBe(h.model.m.size);
    checkProofs((i) => h.snap.prove(pool[i]!.ns, pool[i]!.key), h.snap.root, h.model);
    for (const k of pool) expect(h.snap.get(k.ns, k.key)).toEqual(h.model.get(k.path));
  }
  return { m, model, held };
}

describe('random histories', () => {
  it('keep the root equal to the reference, with correct proofs, live and in snapshots', () => {
    let snapshotsChecked = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 80, size: 'max' }), (ops) => {
        const { m, model, held } = run(ops);
        snapshotsChecked += held.length;
        // Releasing every snapshot gives back every retired node, and the map
        // goes on correctly while freed slots are reused.
        for (const h of held) h.snap.release();
        expect(m.stats()).toMatchObject({ retired: 0, snapshots: 0 });
        for (const op of ops)
          if (op.t === 'set') {
            const k = pool[(op.k + 3) % pool.length]!;
            m.set(k.ns, k.key, value(op.v + 4));
            model.set(k.path, value(op.v + 4));
          } else if (op.t === 'del') {
            const k = pool[op.k]!;
            m.delete(k.ns, k.key);
            model.delete(k.path);
          }
        expect(hex(m.root)).toBe(hex(refRoot(model.entries())));
        checkProofs((i) => m.prove(pool[i]!.ns, pool[i]!.key), m.root, model);
      }),
      { seed: 0x6d6170, numRuns: 120 },
    );
    expect(snapshotsChecked).toBeGreaterThan(100);
  });

  it('build the same root in any order (history independence)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(pool.length - 1), { minLength: 0, maxLength: pool.length }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (keys, seed) => {
          const a = new StateMap();
          for (const k of keys) a.set(pool[k]!.ns, pool[k]!.key, value(k + 1));
          // The same set reached another way: everything inserted, in a shuffled
          // order, with detours, then the extra keys deleted.
          const b = new StateMap();
          const order = [...pool.keys()].sort((x, y) => ((x * seed) % 97) - ((y * seed) % 97));
          for (const k of order) b.set(pool[k]!.ns, pool[k]!.key, value(200));
          for (const k of order) b.set(pool[k]!.ns, pool[k]!.key, value(k + 1));
          for (const k of order) if (!keys.includes(k)) b.delete(pool[k]!.ns, pool[k]!.key);
          expect(hex(b.root)).toBe(hex(a.root));
          expect(b.size).toBe(keys.length);
        },
      ),
      { seed: 0x686973, numRuns: 150 },
    );
  });
});

describe('proofs for other keys and other roots', () => {
  it('never verify to a wrong answer; member proofs never verify for another key', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 50 }),
        fc.array(opArb, { maxLength: 20 }),
        (ops, more) => {
          const { m, model } = run(ops.filter((o) => o.t !== 'snap' && o.t !== 'release'));
          const old = m.snapshot();
          const oldModel = model.clone();
          for (const op of more)
            if (op.t === 'set') {
              const k = pool[op.k]!;
              m.set(k.ns, k.key, value(op.v + 8));
              model.set(k.path, value(op.v + 8));
            } else if (op.t === 'del') {
              const k = pool[op.k]!;
              m.delete(k.ns, k.key);
              model.delete(k.path);
            }
          const states = [
            { root: m.root, model, prove: (i: number) => m.prove(pool[i]!.ns, pool[i]!.key) },
            { root: old.root, model: oldModel, prove: (i: number) => old.prove(pool[i]!.ns, pool[i]!.key) },
          ];
          for (const from of states)
            for (let a = 0; a < pool.length; a++) {
              const proof = encodeMapProof(from.prove(a));
              for (const to of states)
                for (let b = 0; b < pool.length; b++) {
                  const r = verifyMapProof(to.root, pool[b]!.ns, pool[b]!.key, proof);
                  if (!r.ok) continue;
                  // Whatever verifies tells the truth about (key b, that root).
                  const truth = to.model.get(pool[b]!.path);
                  if (r.present) expect(hex(r.value)).toBe(truth && hex(truth));
                  else expect(truth).toBeUndefined();
                  if (a !== b) expect(r.present).toBe(false);
                  if (from !== to) expect(hex(from.root)).toBe(hex(to.root));
                }
            }
          old.release();
        },
      ),
      { seed: 0x6f7468, numRuns: 40 },
    );
  });
});
