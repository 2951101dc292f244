/**
 * Known-answer tests.
 *
 * The leaf inputs, node hashes, roots and proofs below are the RFC 6962
 * (SHA-256) test vectors published by Google's Certificate Transparency
 * projects, as found in github.com/transparency-dev/merkle:
 * testonly/constants.go (LeafInputs, NodeHashes, RootHashes) and
 * proof/verify_test.go (inclusionProofs, consistencyProofs). RFC 9162 hashes
 * exactly as RFC 6962 does when HASH is SHA-256, so they apply unchanged.
 */
import { describe, expect, it } from 'vitest';
import {
  consistencyProof,
  EMPTY_ROOT,
  HASH_SIZE,
  hashChildren,
  hashLeaf,
  inclusionProof,
  MemoryNodeStore,
  MerkleFrontier,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from '../../src/merkle/index.js';
import { hex, RefTree, refLeafHash, refMthOfEntries, refNodeHash, testLeaves, unhex } from './reference.js';

const LEAF_INPUTS = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(unhex);

// RootHashes(): index = tree size.
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

// NodeHashes(): [level][index] for every complete subtree of the 8-leaf tree.
const NODE_HASHES = [
  [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
    '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
    '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
    'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
    '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
  ],
  [
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  ],
  [
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  ['5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328'],
];

// proof/verify_test.go inclusionProofs; its `leaf` is 1-based, converted here to a 0-based index.
const INCLUSION = [
  {
    index: 0,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    index: 1,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

// proof/verify_test.go consistencyProofs.
const CONSISTENCY = [
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

function vectorStore(): MemoryNodeStore {
  const store = new MemoryNodeStore();
  const frontier = MerkleFrontier.empty();
  for (const d of LEAF_INPUTS) store.put(frontier.append(hashLeaf(d)));
  return store;
}

describe('RFC 9162 §2.1.1 hashing', () => {
  it('EMPTY_ROOT is MTH({}) = SHA-256 of the empty string', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_ROOT.length).toBe(HASH_SIZE);
  });

  it('hashLeaf prefixes 0x00 and hashChildren prefixes 0x01', () => {
    expect(hex(hashLeaf(new Uint8Array(0)))).toBe(ROOTS[1]);
    expect(hex(hashLeaf(Uint8Array.of(0)))).toBe(NODE_HASHES[0]![1]);
    const a = hashLeaf(LEAF_INPUTS[0]!);
    const b = hashLeaf(LEAF_INPUTS[1]!);
    expect(hex(hashChildren(a, b))).toBe(ROOTS[2]);
    expect(hex(hashChildren(a, b))).toBe(hex(refNodeHash(a, b)));
    expect(hex(hashChildren(b, a))).not.toBe(ROOTS[2]);
  });

  it('hashLeaf agrees with the reference on records of many lengths', () => {
    for (let n = 0; n < 300; n += 7) {
      const d = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 255);
      expect(hex(hashLeaf(d))).toBe(hex(refLeafHash(d)));
    }
  });

  it('hashChildren returns a fresh array each time and keeps no state between calls', () => {
    const [a, b, c] = testLeaves(3) as [Uint8Array, Uint8Array, Uint8Array];
    const ab = hashChildren(a, b);
    const cc = hashChildren(c, c);
    expect(ab).not.toBe(cc);
    expect(hex(hashChildren(a, b))).toBe(hex(ab));
    expect(hex(ab)).toBe(hex(refNodeHash(a, b)));
    expect(hex(cc)).toBe(hex(refNodeHash(c, c)));
  });

  it('hashChildren rejects children that are not 32 bytes', () => {
    const h = new Uint8Array(32);
    expect(() => hashChildren(new Uint8Array(31), h)).toThrow(RangeError);
    expect(() => hashChildren(h, new Uint8Array(33))).toThrow(RangeError);
    expect(() => hashChildren(new Uint8Array(0), new Uint8Array(0))).toThrow(RangeError);
  });
});

describe('RFC 6962 test vectors (transparency-dev/merkle)', () => {
  it('the reference reproduces every published root', () => {
    for (let n = 0; n <= LEAF_INPUTS.length; n++) {
      expect(hex(refMthOfEntries(LEAF_INPUTS.slice(0, n)))).toBe(ROOTS[n]);
    }
  });

  it('the frontier reproduces every published root and node hash', () => {
    const frontier = MerkleFrontier.empty();
    const nodes = new Map<string, string>();
    expect(hex(frontier.root())).toBe(ROOTS[0]);
    for (let n = 1; n <= LEAF_INPUTS.length; n++) {
      for (const node of frontier.append(hashLeaf(LEAF_INPUTS[n - 1]!))) {
        nodes.set(`${node.level}:${node.index}`, hex(node.hash));
      }
      expect(hex(frontier.root())).toBe(ROOTS[n]);
    }
    const expected = new Map(
      NODE_HASHES.flatMap((level, l) => level.map((h, i) => [`${l}:${i}`, h] as const)),
    );
    expect(nodes).toEqual(expected);
  });

  it('rootAt reproduces every published root from stored nodes', async () => {
    const store = vectorStore();
    for (let n = 0; n <= LEAF_INPUTS.length; n++) expect(hex(await rootAt(store, n))).toBe(ROOTS[n]);
  });

  it('inclusion proofs equal the published ones and verify', async () => {
    const store = vectorStore();
    for (const v of INCLUSION) {
      const proof = await inclusionProof(store, v.index, v.size);
      expect(proof.map(hex)).toEqual(v.proof);
      const leaf = hashLeaf(LEAF_INPUTS[v.index]!);
      expect(verifyInclusion(v.index, v.size, leaf, v.proof.map(unhex), unhex(ROOTS[v.size]!))).toBe(true);
    }
  });

  it('consistency proofs equal the published ones and verify', async () => {
    const store = vectorStore();
    for (const v of CONSISTENCY) {
      const proof = await consistencyProof(store, v.size1, v.size2);
      expect(proof.map(hex)).toEqual(v.proof);
      const root1 = unhex(ROOTS[v.size1]!);
      const root2 = unhex(ROOTS[v.size2]!);
      expect(verifyConsistency(v.size1, v.size2, root1, root2, v.proof.map(unhex))).toBe(true);
    }
  });
});

describe('the 7-leaf example of RFC 6962 §2.1.3 (repeated in RFC 9162 §2.1)', () => {
  // Leaves d0..d6 hash to a..f and j; g = (a,b), h = (c,d), i = (e,f), k = (g,h), l = (i,j).
  const leaves = LEAF_INPUTS.slice(0, 7).map(refLeafHash);
  const [a, b, c, d, e, f, j] = leaves as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  const g = refNodeHash(a, b);
  const h = refNodeHash(c, d);
  const i = refNodeHash(e, f);
  const k = refNodeHash(g, h);
  const l = refNodeHash(i, j);
  const store = vectorStore();

  it('inclusion proofs: d0 [b, h, l], d3 [c, g, l], d4 [f, j, k], d6 [i, k]', async () => {
    const cases: [number, Uint8Array[]][] = [
      [0, [b, h, l]],
      [3, [c, g, l]],
      [4, [f, j, k]],
      [6, [i, k]],
    ];
    for (const [index, expected] of cases) {
      expect((await inclusionProof(store, index, 7)).map(hex)).toEqual(expected.map(hex));
    }
  });

  it('consistency proofs: PROOF(3) [c, d, g, l], PROOF(4) [l], PROOF(6) [i, j, k]', async () => {
    expect((await consistencyProof(store, 3, 7)).map(hex)).toEqual([c, d, g, l].map(hex));
    expect((await consistencyProof(store, 4, 7)).map(hex)).toEqual([l].map(hex));
    expect((await consistencyProof(store, 6, 7)).map(hex)).toEqual([i, j, k].map(hex));
  });
});

describe('pinned roots computed by the reference (regression guard)', () => {
  it('roots of the test leaves "leaf <i>"', () => {
    const ref = new RefTree(testLeaves(1000));
    const pinned = Object.fromEntries([1, 2, 3, 127, 128, 129, 1000].map((n) => [n, hex(ref.root(n))]));
    expect(pinned).toEqual(PINNED);
  });
});

// Cross-checked when written with an independent Python hashlib implementation of MTH.
const PINNED: Record<string, string> = {
  1: '1bb97dcc21635d47e2663efdfd0a174686d98dd701352dd2cd06e8b43fd3d305',
  2: 'fc5f6b88ff8554f75bb2f9e6f39c31b1936d44b69276edf7b1205a955b9761e3',
  3: 'd4f92c8fbb89720eb3b55677c7d7efaddfeb10d11a1a84a0ba8f1a23337faa95',
  127: '9210e66d2c45d31d02ce16353fdfe822815ec1063b64c1dd81c4a089ba076f7e',
  128: '639e65613c1f9df2e2dced0e5ccbf1455add72fac49e20213296a111e279d510',
  129: '2dc47b4c1ebd22b08bfb772e3bfabe4f46bb225ac2242f59a366efb43a228d36',
  1000: '2ff33fb9d8f14f89ca306289633336a168ff3f4532e8f741a0019dcb4c1d60a1',
};

describe('hashLeaf scratch buffer', () => {
  it('agrees with the reference around and beyond the scratch size, and results stay independent', () => {
    const results: [Uint8Array, string][] = [];
    for (const n of [4094, 4095, 4096, 4097, 70_000, 10]) {
      const d = Uint8Array.from({ length: n }, (_, i) => (i * 13 + n) & 255);
      const h = hashLeaf(d);
      expect(hex(h)).toBe(hex(refLeafHash(d)));
      results.push([h, hex(h)]);
    }
    // Earlier results are not overwritten by later calls.
    for (const [h, was] of results) expect(hex(h)).toBe(was);
  });
});
