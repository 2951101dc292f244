/**
 * Verification (RFC 9162 §2.1.3.2, §2.1.4.2) must accept exactly the honest
 * proofs: every mutation fails, and junk of any kind yields false / undefined
 * without throwing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
} from '../../src/merkle/index.js';
import { flipBit, structuralMutations } from './helpers.js';
import { hex, pathShape, proofShape, RefTree, refLeafHash, testLeaves } from './reference.js';

const SEED = 0x76657269;
const ref = new RefTree(testLeaves(520));
const other = refLeafHash(new TextEncoder().encode('not in the tree'));
const sameShape = (a: readonly string[], b: readonly string[]) => a.join() === b.join();

// Honest inclusion cases: small trees exhaustively, larger ones at their edges.
const inclusionCases: [number, number][] = [];
for (let n = 1; n <= 16; n++) for (let m = 0; m < n; m++) inclusionCases.push([m, n]);
for (const n of [31, 32, 33, 64, 100, 127, 128, 129, 256, 257, 511, 513]) {
  for (const m of new Set([0, 1, Math.floor(n / 2), n - 2, n - 1])) inclusionCases.push([m, n]);
}
// Every single-bit flip of every proof element, the leaf and the root: a subset, to keep time down.
const bitFlipInclusion: [number, number][] = [
  [0, 2],
  [1, 3],
  [2, 3],
  [3, 7],
  [4, 7],
  [6, 7],
  [5, 8],
  [16, 17],
  [10, 33],
  [200, 257],
];

const consistencyCases: [number, number][] = [];
for (let n = 2; n <= 16; n++) for (let m = 1; m < n; m++) consistencyCases.push([m, n]);
for (const [m, n] of [
  [31, 64],
  [32, 64],
  [33, 64],
  [1, 100],
  [64, 100],
  [99, 100],
  [100, 129],
  [128, 129],
  [127, 256],
  [128, 257],
  [255, 511],
  [300, 513],
  [512, 513],
] as const) {
  consistencyCases.push([m, n]);
}
const bitFlipConsistency: [number, number][] = [
  [1, 2],
  [1, 3],
  [2, 3],
  [3, 7],
  [4, 7],
  [6, 7],
  [2, 5],
  [7, 8],
  [16, 17],
  [17, 33],
  [100, 129],
];

/**
 * Sizes to try in place of n: every size 0..2n+2 for n <= full, otherwise the
 * neighbourhood of n and the classic off-by-a-bit probes (n ± 1, n ^ 2, 2n, n/2).
 */
function probeSizes(n: number, full: number): number[] {
  if (n <= full) return Array.from({ length: 2 * n + 3 }, (_, i) => i);
  const s = new Set([0, 1, 2, n ^ 1, n ^ 2, n ^ 4, 2 * n, Math.floor(n / 2), 2 * n + 1]);
  for (let d = -4; d <= 4; d++) s.add(n + d);
  return [...s].filter((x) => x >= 0).sort((a, b) => a - b);
}

function inclusion(m: number, n: number) {
  return { leaf: ref.mth(m, m + 1), proof: ref.path(m, n), root: ref.root(n) };
}

describe('verifyInclusion rejects mutations', () => {
  it('accepts every honest case (sanity check for the cases below)', () => {
    for (const [m, n] of inclusionCases) {
      const { leaf, proof, root } = inclusion(m, n);
      expect(verifyInclusion(m, n, leaf, proof, root), `${m}/${n}`).toBe(true);
    }
  });

  it('every single-bit flip of every proof element, of the leaf and of the root', () => {
    let checked = 0;
    for (const [m, n] of bitFlipInclusion) {
      const { leaf, proof, root } = inclusion(m, n);
      for (let bit = 0; bit < 256; bit++) {
        for (let i = 0; i < proof.length; i++) {
          const p = proof.slice();
          p[i] = flipBit(proof[i]!, bit);
          if (verifyInclusion(m, n, leaf, p, root)) expect.fail(`${m}/${n}: flip bit ${bit} of proof[${i}]`);
          checked++;
        }
        if (verifyInclusion(m, n, flipBit(leaf, bit), proof, root)) expect.fail(`${m}/${n}: leaf bit ${bit}`);
        if (verifyInclusion(m, n, leaf, proof, flipBit(root, bit))) expect.fail(`${m}/${n}: root bit ${bit}`);
        checked += 2;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('truncated, extended, reordered and substituted proofs', () => {
    for (const [m, n] of inclusionCases) {
      const { leaf, proof, root } = inclusion(m, n);
      for (const [what, p] of structuralMutations(proof, [other, root, leaf])) {
        if (verifyInclusion(m, n, leaf, p, root)) expect.fail(`${m}/${n}: ${what}`);
      }
    }
  });

  it('wrong leaf and wrong roots', () => {
    for (const [m, n] of inclusionCases) {
      const { leaf, proof, root } = inclusion(m, n);
      // (In a 1-leaf tree the leaf hash is the root, so neither is "wrong" for the other.)
      const wrongLeaves = [
        other,
        EMPTY_ROOT,
        ...(n > 1 ? [root, ref.mth((m + 1) % n, ((m + 1) % n) + 1)] : []),
      ];
      for (const l of wrongLeaves) expect(verifyInclusion(m, n, l, proof, root)).toBe(false);
      for (const r of [other, EMPTY_ROOT, ref.root(n + 1), ...(n > 1 ? [ref.root(n - 1), leaf] : [])]) {
        expect(verifyInclusion(m, n, leaf, proof, r)).toBe(false);
      }
    }
  });

  it('every wrong index fails', () => {
    for (const [m, n] of inclusionCases) {
      const { leaf, proof, root } = inclusion(m, n);
      for (const i of [-1, ...probeSizes(m, 40), n, n + 1]) {
        if (i !== m && verifyInclusion(i, n, leaf, proof, root))
          expect.fail(`${m}/${n} verified at index ${i}`);
      }
    }
  });

  it('a wrong size fails unless it gives the proof the very same shape', () => {
    // An inclusion proof only fixes the left/right sequence of its siblings
    // (PATH in §2.1.3.1); the size itself is bound by the signed tree head. So
    // (m, n') must be rejected exactly when PATH(m, D[n']) has another shape.
    let sameShapes = 0;
    for (const [m, n] of inclusionCases) {
      const { leaf, proof, root } = inclusion(m, n);
      const shape = pathShape(m, n);
      for (const n2 of probeSizes(n, 40)) {
        if (n2 === n) continue;
        const expected = m < n2 && sameShape(pathShape(m, n2), shape);
        if (expected) sameShapes++;
        if (verifyInclusion(m, n2, leaf, proof, root) !== expected) {
          expect.fail(`proof for ${m}/${n} at size ${n2}: expected ${expected}`);
        }
      }
      for (const n2 of [n * 2, Math.floor(n / 2), n + 1, n - 1]) {
        if (n2 !== n && !(m < n2 && sameShape(pathShape(m, n2), shape))) {
          expect(verifyInclusion(m, n2, leaf, proof, root)).toBe(false);
        }
      }
    }
    expect(sameShapes).toBeGreaterThan(0); // the exception really occurs, so the rule is what is tested
  });

  it('the example in verify.ts: the proof for leaf 0 of 3 also verifies for size 4 (same shape)', () => {
    const { leaf, proof, root } = inclusion(0, 3);
    expect(pathShape(0, 4)).toEqual(pathShape(0, 3));
    expect(verifyInclusion(0, 4, leaf, proof, root)).toBe(true);
    expect(verifyInclusion(0, 5, leaf, proof, root)).toBe(false);
  });
});

function consistency(m: number, n: number) {
  return { root1: ref.root(m), root2: ref.root(n), proof: ref.proof(m, n) };
}

describe('verifyConsistency rejects mutations', () => {
  it('accepts every honest case (sanity check for the cases below)', () => {
    for (const [m, n] of consistencyCases) {
      const { root1, root2, proof } = consistency(m, n);
      expect(verifyConsistency(m, n, root1, root2, proof), `${m}/${n}`).toBe(true);
    }
  });

  it('every single-bit flip of every proof element and of both roots', () => {
    let checked = 0;
    for (const [m, n] of bitFlipConsistency) {
      const { root1, root2, proof } = consistency(m, n);
      for (let bit = 0; bit < 256; bit++) {
        for (let i = 0; i < proof.length; i++) {
          const p = proof.slice();
          p[i] = flipBit(proof[i]!, bit);
          if (verifyConsistency(m, n, root1, root2, p))
            expect.fail(`${m}/${n}: flip bit ${bit} of proof[${i}]`);
          checked++;
        }
        if (verifyConsistency(m, n, flipBit(root1, bit), root2, proof))
          expect.fail(`${m}/${n}: root1 bit ${bit}`);
        if (verifyConsistency(m, n, root1, flipBit(root2, bit), proof))
          expect.fail(`${m}/${n}: root2 bit ${bit}`);
        checked += 2;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('truncated, extended, reordered and substituted proofs', () => {
    for (const [m, n] of consistencyCases) {
      const { root1, root2, proof } = consistency(m, n);
      for (const [what, p] of structuralMutations(proof, [other, root1, root2])) {
        if (verifyConsistency(m, n, root1, root2, p)) expect.fail(`${m}/${n}: ${what}`);
      }
    }
  });

  it('wrong, swapped and stale roots', () => {
    for (const [m, n] of consistencyCases) {
      const { root1, root2, proof } = consistency(m, n);
      expect(verifyConsistency(m, n, root2, root1, proof)).toBe(false);
      expect(verifyConsistency(m, n, root1, root1, proof)).toBe(false);
      expect(verifyConsistency(m, n, root2, root2, proof)).toBe(false);
      const wrong = [
        other,
        EMPTY_ROOT,
        ref.root(m + 1),
        ref.root(n + 1),
        ref.root(n - 1),
        ...(m > 1 ? [ref.root(m - 1)] : []),
      ];
      for (const r of wrong) {
        if (hex(r) !== hex(root1)) expect(verifyConsistency(m, n, r, root2, proof)).toBe(false);
        if (hex(r) !== hex(root2)) expect(verifyConsistency(m, n, root1, r, proof)).toBe(false);
      }
    }
  });

  it('wrong sizes fail unless they give the proof the very same shape; size1 > size2 always fails', () => {
    // As for inclusion, a consistency proof fixes only the roles of its elements
    // (SUBPROOF in §2.1.4.1); the sizes are bound by the signed tree heads.
    let sameShapes = 0;
    for (const [m, n] of consistencyCases) {
      const { root1, root2, proof } = consistency(m, n);
      const shape = proofShape(m, n);
      for (const n2 of probeSizes(n, 12)) {
        for (const m2 of n <= 12 ? probeSizes(n2, 12) : probeSizes(m, 0)) {
          if (m2 === m && n2 === n) continue;
          const expected = proofShape(m2, n2) === shape;
          if (expected) sameShapes++;
          if (verifyConsistency(m2, n2, root1, root2, proof) !== expected) {
            expect.fail(`proof for ${m}/${n} at sizes ${m2}/${n2}: expected ${expected}`);
          }
        }
      }
      expect(verifyConsistency(n, m, root1, root2, proof)).toBe(false);
      expect(verifyConsistency(n, m, root2, root1, proof)).toBe(false);
    }
    expect(sameShapes).toBeGreaterThan(0);
  });
});

describe('trivial consistency cases (the choices documented in verify.ts)', () => {
  const r5 = ref.root(5);
  const r6 = ref.root(6);

  it('size1 == size2 needs an empty proof and equal roots', () => {
    expect(verifyConsistency(5, 5, r5, r5, [])).toBe(true);
    expect(verifyConsistency(5, 5, r5, r6, [])).toBe(false);
    expect(verifyConsistency(5, 5, r5, r5, [r5])).toBe(false);
    expect(verifyConsistency(5, 5, r5, r5, [other])).toBe(false);
  });

  it('size1 == 0 is consistent with any tree, only with an empty proof and root1 = MTH({})', () => {
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(true);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, r5, [])).toBe(true);
    expect(verifyConsistency(0, 5, EMPTY_ROOT.slice(), other, [])).toBe(true);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, r5, [EMPTY_ROOT])).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_ROOT, r5, [r5])).toBe(false);
    expect(verifyConsistency(0, 5, r5, r5, [])).toBe(false);
    expect(verifyConsistency(0, 0, r5, r5, [])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, r5, [])).toBe(false);
  });

  it('size1 > size2 is never consistent', () => {
    expect(verifyConsistency(6, 5, r6, r5, [])).toBe(false);
    expect(verifyConsistency(1, 0, ref.root(1), EMPTY_ROOT, [])).toBe(false);
    expect(verifyConsistency(6, 5, r6, r5, ref.proof(5, 6))).toBe(false);
  });

  it('0 < size1 < size2 needs a non-empty proof', () => {
    expect(verifyConsistency(1, 2, ref.root(1), ref.root(2), [])).toBe(false);
    expect(verifyConsistency(4, 8, ref.root(4), ref.root(8), [])).toBe(false);
  });

  it('mutating the exported EMPTY_ROOT does not change what verification accepts', () => {
    const saved = EMPTY_ROOT.slice();
    try {
      EMPTY_ROOT.fill(7);
      expect(verifyConsistency(0, 5, saved, r5, [])).toBe(true);
      expect(verifyConsistency(0, 5, EMPTY_ROOT, r5, [])).toBe(false);
    } finally {
      EMPTY_ROOT.set(saved);
    }
  });
});

describe('junk input never throws', () => {
  const leaf = ref.mth(3, 4);
  const proof = ref.path(3, 10);
  const root = ref.root(10);
  const cproof = ref.proof(3, 10);
  const root3 = ref.root(3);

  const isValidSize = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
  const isValidHash = (x: unknown) => !hostile.includes(x) && x instanceof Uint8Array && x.length === 32;

  const boom = () => {
    throw new Error('boom');
  };
  const hostile: unknown[] = [
    new Proxy({}, { get: boom, has: boom, ownKeys: boom, getPrototypeOf: boom }),
    new Proxy([], { get: boom }),
    new Proxy(new Uint8Array(32), { get: boom }),
    Object.defineProperty([leaf], 0, { get: boom }),
    Object.defineProperty([], 'length', { value: 2 ** 32 - 1 }),
    new Array(2 ** 32 - 1),
    { length: 1e9 },
    { length: 32, 0: 1 },
    Object.create(null),
    Object.defineProperty(new Uint8Array(32), 'length', { value: 31 }),
    Object.defineProperty(new Uint8Array(31), 'length', { value: 32 }),
    Object.defineProperty(new Uint8Array(33), 'length', { value: 32 }),
    Object.setPrototypeOf({ length: 32 }, Uint8Array.prototype),
  ];
  // Hostile objects are kept out of fast-check (which inspects the values it
  // generates and would trip over them); they get their own exhaustive test.
  const junk = fc.oneof(
    fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
    }),
  );
  const junkSize = fc
    .oneof(
      fc.constantFrom(-1, -0.5, 0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      fc.constantFrom(2 ** 53, 2 ** 53 + 2, 2 ** 64, 1e300, -(2 ** 53), Number.MIN_VALUE, Number.EPSILON),
      fc.double(),
      fc.bigInt(),
      fc.constantFrom('3', '10', 3n, 10n, null, undefined, true, [3], new Number(3)),
      junk,
    )
    .filter((x) => !isValidSize(x));
  const junkHash = fc
    .oneof(
      fc.uint8Array({ maxLength: 70 }),
      fc.constantFrom(
        new Uint8Array(31),
        new Uint8Array(33),
        new Uint8Array(0),
        new Uint8Array(64),
        new Uint16Array(16),
        new Uint8ClampedArray(32),
        new Int8Array(32),
        new ArrayBuffer(32),
        new DataView(new ArrayBuffer(32)),
        Array.from({ length: 32 }, () => 0),
        hex(leaf),
      ),
      junk,
    )
    .filter((x) => !isValidHash(x));
  const junkProof = fc.oneof(
    junk.filter((x) => !Array.isArray(x)),
    fc
      .array(fc.oneof(junkHash, fc.constant(leaf)), { maxLength: 8 })
      .filter((a) => a.some((x) => !isValidHash(x))),
  );
  const any = fc.oneof(junk, junkSize, junkHash, junkProof, fc.constantFrom(leaf, proof, root, 3, 10));

  // The public signatures are typed; junk reaches them through untyped data.
  const vi = verifyInclusion as (...a: unknown[]) => unknown;
  const rf = rootFromInclusionProof as (...a: unknown[]) => unknown;
  const vc = verifyConsistency as (...a: unknown[]) => unknown;

  it('random junk in every position', () => {
    fc.assert(
      fc.property(fc.tuple(any, any, any, any, any), (args) => {
        expect(typeof vi(...args)).toBe('boolean');
        const r = rf(...args.slice(0, 4));
        expect(r === undefined || r instanceof Uint8Array).toBe(true);
        expect(typeof vc(...args)).toBe('boolean');
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('one junk argument in an otherwise valid call gives false / undefined', () => {
    fc.assert(
      fc.property(junkSize, junkHash, junkProof, fc.nat(4), (size, hash, badProof, which) => {
        const inc: unknown[] = [3, 10, leaf, proof, root];
        const cons: unknown[] = [3, 10, root3, root, cproof];
        const kinds = [size, size, hash, badProof, hash];
        inc[which] = kinds[which];
        // consistency order: size1, size2, root1, root2, proof
        cons[which] = [size, size, hash, hash, badProof][which];
        expect(vi(...inc)).toBe(false);
        if (which < 4) expect(rf(...inc.slice(0, 4))).toBeUndefined();
        expect(vc(...cons)).toBe(false);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('hostile objects (throwing proxies and getters, fake lengths) in every position', () => {
    for (const h of hostile) {
      for (let i = 0; i < 5; i++) {
        const inc: unknown[] = [3, 10, leaf, proof, root];
        const cons: unknown[] = [3, 10, root3, root, cproof];
        inc[i] = h;
        cons[i] = h;
        expect(vi(...inc), `verifyInclusion, argument ${i}`).toBe(false);
        if (i < 4) expect(rf(...inc.slice(0, 4)), `rootFromInclusionProof, argument ${i}`).toBeUndefined();
        expect(vc(...cons), `verifyConsistency, argument ${i}`).toBe(false);
      }
      // ...and inside a proof.
      expect(vi(3, 10, leaf, [h, ...proof.slice(1)], root)).toBe(false);
      expect(vc(3, 10, root3, root, [...cproof.slice(0, -1), h])).toBe(false);
    }
  });

  it('specific junk: sizes, 31-byte hashes, oversized proofs', () => {
    const h31 = new Uint8Array(31);
    expect(verifyInclusion(3, 10, h31, proof, root)).toBe(false);
    expect(verifyInclusion(3, 10, leaf, [...proof.slice(0, -1), h31], root)).toBe(false);
    expect(verifyInclusion(3, 10, leaf, proof, h31)).toBe(false);
    expect(verifyInclusion(3, 10, leaf, proof, root.subarray(0, 31))).toBe(false);
    expect(verifyConsistency(3, 10, h31, root, cproof)).toBe(false);
    expect(verifyConsistency(3, 10, root3, h31, cproof)).toBe(false);
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -0.0001]) {
      expect(verifyInclusion(bad, 10, leaf, proof, root)).toBe(false);
      expect(verifyInclusion(3, bad, leaf, proof, root)).toBe(false);
      expect(rootFromInclusionProof(3, bad, leaf, proof)).toBeUndefined();
      expect(verifyConsistency(bad, 10, root3, root, cproof)).toBe(false);
      expect(verifyConsistency(3, bad, root3, root, cproof)).toBe(false);
    }
    expect(verifyInclusion(10, 10, leaf, proof, root)).toBe(false);
    expect(verifyInclusion(0, 0, leaf, [], EMPTY_ROOT)).toBe(false);
    const long = Array.from({ length: 100_000 }, () => leaf);
    expect(verifyInclusion(3, Number.MAX_SAFE_INTEGER, leaf, long, root)).toBe(false);
    expect(verifyConsistency(3, Number.MAX_SAFE_INTEGER, root3, root, long)).toBe(false);
  });

  it('a proof whose elements change between reads cannot make verification throw', () => {
    let reads = 0;
    const shifty = new Proxy(proof.slice(), {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key))
          return reads++ % 2 ? new Uint8Array(31) : proof[Number(key)];
        return Reflect.get(target, key, receiver);
      },
    });
    expect(() => verifyInclusion(3, 10, leaf, shifty, root)).not.toThrow();
    expect(() => verifyConsistency(3, 10, root3, root, shifty)).not.toThrow();
  });

  it('Node Buffers are accepted as hashes (a store may return them)', () => {
    const b = (x: Uint8Array) => Buffer.from(x);
    expect(verifyInclusion(3, 10, b(leaf), proof.map(b), b(root))).toBe(true);
    expect(verifyConsistency(3, 10, b(root3), b(root), cproof.map(b))).toBe(true);
  });
});
