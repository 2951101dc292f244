/**
 * C2SP tlog-tiles (src/merkle/tiles.ts): paths as the spec writes them and
 * nothing else, which tiles a tree of a given size has, tile contents against
 * the stored complete subtrees and the naive reference tree, proofs and roots
 * recomputed from tiles, and entry bundles. The cross-check with Go's
 * golang.org/x/mod/sumdb/tlog is ./go-tiles.test.ts.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isCustodyError } from '../../src/errors.js';
import {
  consistencyProof,
  HASH_SIZE,
  hashLeaf,
  inclusionProof,
  MerkleFrontier,
  rootAt,
} from '../../src/merkle/index.js';
import {
  buildTiles,
  decodeEntryBundle,
  encodeEntryBundle,
  entryBundlePath,
  fullTileHash,
  parseTilePath,
  partialTileSizes,
  readTile,
  TILE_HEIGHT,
  TILE_WIDTH,
  type TileCoordinates,
  tileCoordinates,
  tileNodeReader,
  tilePath,
  tileTreeHash,
  tileWidthAt,
} from '../../src/merkle/tiles.js';
import { CheckedReader } from './helpers.js';
import { hex, RefTree } from './reference.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A tree of `n` leaves (leaf data `entry i`), its stored complete subtrees, and its leaf hashes concatenated. */
function makeTree(n: number) {
  const entries = Array.from({ length: n }, (_, i) => new TextEncoder().encode(`entry ${i}`));
  const nodes = new Map<string, Uint8Array>();
  const f = MerkleFrontier.empty();
  const leaves = new Uint8Array(n * HASH_SIZE);
  const leafHashes: Uint8Array[] = [];
  entries.forEach((e, i) => {
    const h = hashLeaf(e);
    leaves.set(h, i * HASH_SIZE);
    leafHashes.push(h);
    for (const node of f.append(h)) nodes.set(`${node.level}:${node.index}`, node.hash);
  });
  /** Reads only complete subtrees of the first `size` leaves, as a store at that size could. */
  const reader = (size: number) => new CheckedReader((l, i) => nodes.get(`${l}:${i}`), size);
  return { entries, leaves, leafHashes, reader, ref: new RefTree(leafHashes) };
}

// The example of tlog-tiles §Partial Tiles needs a level-2 tile: 70,000 leaves.
const BIG = 70_000;
const big = makeTree(BIG);

const ids = (cs: readonly TileCoordinates[]) => cs.map((c) => `${c.level}/${c.index}/${c.width}`);

describe('tile paths (tlog-tiles §Merkle Tree, §Log entries)', () => {
  it('encodes the spec examples', () => {
    expect(tilePath(0, 0)).toBe('tile/0/000');
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067');
    expect(tilePath(4, 1234067, 1)).toBe('tile/4/x001/x234/067.p/1');
    expect(tilePath(0, 5, 255)).toBe('tile/0/005.p/255');
    expect(tilePath(63, 999)).toBe('tile/63/999');
    expect(tilePath(1, 1000)).toBe('tile/1/x001/000');
    expect(tilePath(2, 1_000_000, 17)).toBe('tile/2/x001/x000/000.p/17');
    expect(tilePath(0, MAX_SAFE)).toBe('tile/0/x009/x007/x199/x254/x740/991');
    expect(entryBundlePath(0)).toBe('tile/entries/000');
    expect(entryBundlePath(1234067, 112)).toBe('tile/entries/x001/x234/067.p/112');
  });

  it('refuses coordinates no tile has (programming errors)', () => {
    expect(() => tilePath(64, 0)).toThrow(RangeError);
    expect(() => tilePath(-1, 0)).toThrow(RangeError);
    expect(() => tilePath(0, -1)).toThrow(RangeError);
    expect(() => tilePath(0, 1.5)).toThrow(RangeError);
    expect(() => tilePath(0, MAX_SAFE + 1)).toThrow(RangeError);
    expect(() => tilePath(0, 0, 0)).toThrow(RangeError);
    expect(() => tilePath(0, 0, 257)).toThrow(RangeError);
    expect(() => entryBundlePath(0, 0)).toThrow(RangeError);
  });

  it('parses canonical paths', () => {
    expect(parseTilePath('tile/0/000')).toEqual({ kind: 'hash', level: 0, index: 0, width: 256 });
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({
      kind: 'hash',
      level: 0,
      index: 1234067,
      width: 256,
    });
    expect(parseTilePath('tile/63/x001/000.p/255')).toEqual({
      kind: 'hash',
      level: 63,
      index: 1000,
      width: 255,
    });
    expect(parseTilePath('tile/10/001.p/1')).toEqual({ kind: 'hash', level: 10, index: 1, width: 1 });
    expect(parseTilePath('tile/entries/x001/x234/067.p/112')).toEqual({
      kind: 'entries',
      index: 1234067,
      width: 112,
    });
    expect(parseTilePath('tile/0/x009/x007/x199/x254/x740/991')?.index).toBe(MAX_SAFE);
  });

  it.each([
    ['', 'empty'],
    ['tile', 'no level'],
    ['tile/0', 'no index'],
    ['/tile/0/000', 'a leading slash'],
    ['tile/0/000/', 'a trailing slash'],
    ['tiles/0/000', 'another prefix'],
    ['tile//000', 'an empty level'],
    ['tile/00/000', 'a level with a leading zero'],
    ['tile/01/000', 'a level with a leading zero'],
    ['tile/64/000', 'a level over 63'],
    ['tile/100/000', 'a level over 63'],
    ['tile/-1/000', 'a negative level'],
    ['tile/+1/000', 'a signed level'],
    ['tile/data/000', "sumdb's data tiles"],
    ['tile/8/0/000', "sumdb's height element"],
    ['tile/0/0', 'a short group'],
    ['tile/0/0000', 'a long group'],
    ['tile/0/x000', 'an x on the last group'],
    ['tile/0/001/234', 'no x on the first group'],
    ['tile/0/x001/x234', 'an x on the last group'],
    ['tile/0/x000/001', 'a leading x000 group'],
    ['tile/0/x000/x001/000', 'a leading x000 group'],
    ['tile/0/X001/000', 'an upper-case X'],
    ['tile/0/x01/000', 'a short x group'],
    ['tile/0/0x1', 'hex'],
    ['tile/0/1e2', 'an exponent'],
    ['tile/0/ 01', 'a space'],
    ['tile/0/-01', 'a sign'],
    ['tile/0/٠٠١', 'non-ASCII digits'],
    ['tile/0/000.p', 'no width'],
    ['tile/0/000.p/', 'an empty width'],
    ['tile/0/000.p/0', 'width 0'],
    ['tile/0/000.p/256', 'width 256 (a full tile has no suffix)'],
    ['tile/0/000.p/300', 'width over 256'],
    ['tile/0/000.p/012', 'a width with a leading zero'],
    ['tile/0/000.p/5/6', 'more after the width'],
    ['tile/0/000.q/5', 'another suffix'],
    ['tile/0/.p/5', 'no index before the suffix'],
    ['tile/0/x001.p/000/5', 'the suffix on a directory group'],
    ['tile/0/x009/x007/x199/x254/x740/992', 'an index beyond 2^53 - 1'],
    ['tile/entries/00', 'a short group'],
    ['tile/entries/000.p/256', 'width 256'],
    ['tile/Entries/000', 'another case'],
  ])('refuses %j (%s)', (path) => {
    expect(parseTilePath(path)).toBeUndefined();
  });

  test.prop([
    fc.integer({ min: 0, max: 63 }),
    fc.oneof(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: MAX_SAFE })),
    fc.integer({ min: 1, max: 256 }),
  ])('parse(tilePath(x)) = x, and the same for entry bundles', (level, index, width) => {
    expect(parseTilePath(tilePath(level, index, width))).toEqual({ kind: 'hash', level, index, width });
    expect(parseTilePath(entryBundlePath(index, width))).toEqual({ kind: 'entries', index, width });
  });

  // Near-misses of the grammar: whatever parses must be the one canonical path of what it names.
  test.prop(
    [
      fc.oneof(
        fc.stringMatching(
          /^tile\/(entries|[0-9]{1,3})\/(x?[0-9]{1,4}\/){0,3}x?[0-9]{1,4}(\.p\/[0-9]{1,4})?$/,
        ),
        fc.stringMatching(/^tile\/(entries|[0-9]{1,2})\/(x[0-9]{3}\/){0,3}x?[0-9]{3}(\.p\/[0-9]{1,3})?$/),
      ),
    ],
    { numRuns: 1000 },
  )('a path that parses is canonical', (path) => {
    const t = parseTilePath(path);
    if (t === undefined) return;
    expect(t.kind === 'hash' ? tilePath(t.level, t.index, t.width) : entryBundlePath(t.index, t.width)).toBe(
      path,
    );
  });
});

describe('which tiles a tree has (tlog-tiles §Partial Tiles)', () => {
  it('a tree of 70,000: 273 full level-0 tiles and one of 112, a full level-1 tile and one of 17, a level-2 tile of 1', () => {
    const cs = tileCoordinates(70_000);
    const at = (level: number) => cs.filter((c) => c.level === level);
    expect(at(0)).toHaveLength(274);
    expect(
      at(0)
        .slice(0, 273)
        .every((c, i) => c.index === i && c.width === 256),
    ).toBe(true);
    expect(at(0)[273]).toEqual({ level: 0, index: 273, width: 112 });
    expect(at(1)).toEqual([
      { level: 1, index: 0, width: 256 },
      { level: 1, index: 1, width: 17 },
    ]);
    expect(at(2)).toEqual([{ level: 2, index: 0, width: 1 }]);
    expect(cs).toHaveLength(277);
  });

  it('a tree of 256: a full level-0 tile and a level-1 tile of width 1', () => {
    expect(ids(tileCoordinates(256))).toEqual(['0/0/256', '1/0/1']);
    expect(ids(tileCoordinates(0))).toEqual([]);
    expect(ids(tileCoordinates(1))).toEqual(['0/0/1']);
    expect(ids(tileCoordinates(257))).toEqual(['0/0/256', '0/1/1', '1/0/1']);
    expect(ids(tileCoordinates(65_536))).toEqual([
      ...Array.from({ length: 256 }, (_, i) => `0/${i}/256`),
      '1/0/256',
      '2/0/1',
    ]);
  });

  it('tileWidthAt agrees with tileCoordinates, and is 0 for any other tile', () => {
    for (const size of [0, 1, 255, 256, 700, 1000, 65_535, 65_536, 70_000]) {
      const cs = tileCoordinates(size);
      for (const c of cs) expect(tileWidthAt(size, c.level, c.index)).toBe(c.width);
      const have = new Set(cs.map((c) => `${c.level}/${c.index}`));
      for (let level = 0; level < 4; level++)
        for (let index = 0; index < 280; index++)
          if (!have.has(`${level}/${index}`)) expect(tileWidthAt(size, level, index)).toBe(0);
    }
    expect(tileWidthAt(MAX_SAFE, 6, 0)).toBe(31); // 2^53 − 1 = 31·2^48 + …
    expect(tileWidthAt(MAX_SAFE, 7, 0)).toBe(0);
    expect(tileWidthAt(MAX_SAFE, 63, 0)).toBe(0);
  });

  it('partialTileSizes gives exactly the sizes whose partial tile it is', () => {
    expect(partialTileSizes(0, 2, 188)).toEqual({ from: 700, to: 701 });
    expect(partialTileSizes(1, 1, 17)).toEqual({ from: 69_888, to: 70_144 });
    for (const [level, index, width] of [
      [0, 0, 1],
      [0, 3, 255],
      [1, 0, 1],
      [1, 1, 17],
    ] as const) {
      const { from, to } = partialTileSizes(level, index, width);
      for (let s = Math.max(0, from - 300); s < to + 300; s++)
        expect(tileWidthAt(s, level, index) === width, `size ${s}`).toBe(s >= from && s < to);
    }
    expect(() => partialTileSizes(0, 0, 256)).toThrow(RangeError);
  });
});

describe('tile contents', () => {
  it('readTile: the stored subtrees at tree level 8L, only for tiles the tree of that size has', async () => {
    const r = big.reader(BIG);
    const tile0 = await readTile(r, BIG, 0, 0, 256);
    expect(hex(tile0!)).toBe(hex(big.leaves.subarray(0, 256 * HASH_SIZE)));
    const partial0 = await readTile(r, BIG, 0, 273, 112);
    expect(hex(partial0!)).toBe(hex(big.leaves.subarray(273 * 256 * HASH_SIZE)));
    // Level 1: MTH of each 256-leaf block; level 2: of each 65,536-leaf block.
    const tile1 = (await readTile(r, BIG, 1, 0, 256))!;
    for (const i of [0, 1, 100, 255])
      expect(hex(tile1.subarray(i * 32, i * 32 + 32))).toBe(hex(big.ref.mth(i * 256, (i + 1) * 256)));
    const partial1 = (await readTile(r, BIG, 1, 1, 17))!;
    expect(partial1.length).toBe(17 * 32);
    expect(hex(partial1.subarray(16 * 32))).toBe(hex(big.ref.mth(272 * 256, 273 * 256)));
    expect(hex((await readTile(r, BIG, 2, 0, 1))!)).toBe(hex(big.ref.mth(0, 65_536)));
    expect(hex(fullTileHash(tile1))).toBe(hex(big.ref.mth(0, 65_536)));

    for (const [level, index, width] of [
      [0, 273, 256], // not full yet
      [0, 273, 111], // another width than this tree's
      [0, 273, 113],
      [0, 274, 1], // beyond the tree
      [1, 1, 256],
      [1, 1, 16],
      [2, 0, 256],
      [3, 0, 1],
    ] as const)
      expect(await readTile(r, BIG, level, index, width), `${level}/${index}/${width}`).toBeUndefined();
    // At a smaller size the same position has a narrower partial tile; the reader refuses any node beyond it.
    expect((await readTile(big.reader(700), 700, 0, 2, 188))!.length).toBe(188 * 32);
    expect(await readTile(big.reader(700), 700, 0, 2, 112)).toBeUndefined();
    expect(await readTile(big.reader(0), 0, 0, 0, 1)).toBeUndefined();
  });

  it('readTile equals buildTiles (from the leaf hashes alone) for every tile, at many sizes', async () => {
    for (const size of [0, 1, 2, 255, 256, 257, 511, 512, 700, 1000, 65_535, 65_536, 65_537, BIG]) {
      const built = buildTiles(size, big.leaves.subarray(0, size * HASH_SIZE));
      expect(ids(built), `size ${size}`).toEqual(ids(tileCoordinates(size)));
      const r = big.reader(size);
      // Every tile at small sizes; the last few at large ones (the others are those of smaller sizes).
      for (const t of size > 1000 ? built.slice(-6) : built)
        expect(
          hex((await readTile(r, size, t.level, t.index, t.width))!),
          `${size}: ${t.level}/${t.index}`,
        ).toBe(hex(t.data));
    }
    expect(() => buildTiles(2, new Uint8Array(63))).toThrow(RangeError);
  });

  it('roots and proofs computed from tiles equal those from the stored tree', async () => {
    for (const size of [1, 2, 3, 255, 256, 257, 700, 1000, 65_536, BIG]) {
      const tiles = new Map(
        buildTiles(size, big.leaves.subarray(0, size * HASH_SIZE)).map((t) => [
          tilePath(t.level, t.index, t.width),
          t.data,
        ]),
      );
      const read = async (l: number, n: number, w: number) => tiles.get(tilePath(l, n, w));
      const store = big.reader(size);
      const root = await rootAt(store, size);
      expect(hex(await tileTreeHash(size, read)), `size ${size}`).toBe(hex(root));
      expect(hex(root)).toBe(hex(big.ref.root(size)));
      const fromTiles = tileNodeReader(size, read);
      for (const index of new Set([0, size >> 1, size - 1])) {
        const a = await inclusionProof(fromTiles, index, size);
        expect(a.map(hex), `inclusion ${index} in ${size}`).toEqual(
          (await inclusionProof(store, index, size)).map(hex),
        );
      }
      for (const first of new Set([1, size >> 2, size - 1]))
        expect(
          (await consistencyProof(fromTiles, first, size)).map(hex),
          `consistency ${first}→${size}`,
        ).toEqual((await consistencyProof(store, first, size)).map(hex));
    }
  });

  it('a tile node reader refuses nodes beyond its tree and tiles that are missing or of the wrong length', async () => {
    const tiles = buildTiles(300, big.leaves.subarray(0, 300 * HASH_SIZE));
    const get = async (l: number, n: number, w: number) =>
      tiles.find((t) => t.level === l && t.index === n && t.width === w)?.data;
    const r = tileNodeReader(300, get);
    expect(hex(await r.node(8, 0))).toBe(hex(big.ref.mth(0, 256)));
    expect(hex(await r.node(5, 8))).toBe(hex(big.ref.mth(256, 288)));
    await expect(r.node(6, 4)).rejects.toThrow(RangeError); // leaves 256..320: not complete at 300
    await expect(r.node(9, 0)).rejects.toThrow(RangeError);
    await expect(tileNodeReader(300, async () => undefined).node(0, 0)).rejects.toThrow(/unavailable/);
    await expect(tileNodeReader(300, async () => new Uint8Array(32)).node(0, 0)).rejects.toThrow(
      /not 8192 bytes/,
    );
  });

  it('a full tile hashes as MTH of its 256 hashes; a partial one has no such hash', () => {
    const data = big.leaves.subarray(256 * HASH_SIZE, 512 * HASH_SIZE);
    expect(hex(fullTileHash(data))).toBe(hex(big.ref.mth(256, 512)));
    expect(() => fullTileHash(data.subarray(32))).toThrow(RangeError);
    expect(TILE_WIDTH).toBe(2 ** TILE_HEIGHT);
  });
});

describe('entry bundles (tlog-tiles §Log entries)', () => {
  const malformed = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return isCustodyError(e) && e.code === 'ENTRY_BUNDLE_MALFORMED' && e.category === 'input';
    }
    return false;
  };

  it('is big-endian uint16 length-prefixed entries', () => {
    const b = encodeEntryBundle([Uint8Array.of(0xaa), new Uint8Array(0), new Uint8Array(0x0102).fill(7)]);
    expect(hex(b.subarray(0, 5))).toBe('0001aa0000');
    expect(hex(b.subarray(5, 7))).toBe('0102');
    expect(b.length).toBe(3 * 2 + 1 + 0x0102);
    expect(decodeEntryBundle(b, 3).map(hex)).toEqual(['aa', '', hex(new Uint8Array(0x0102).fill(7))]);
  });

  it('holds entries up to 65,535 bytes and refuses a larger one', () => {
    const max = new Uint8Array(0xffff).fill(1);
    const b = encodeEntryBundle([max, Uint8Array.of(2)]);
    expect(hex(b.subarray(0, 2))).toBe('ffff');
    const [a, c] = decodeEntryBundle(b);
    expect(a!.length).toBe(0xffff);
    expect(hex(c!)).toBe('02');
    expect(() => encodeEntryBundle([new Uint8Array(0x10000)])).toThrow(RangeError);
  });

  it('refuses a malformed bundle', () => {
    const b = encodeEntryBundle([Uint8Array.of(1, 2, 3), Uint8Array.of(4)]);
    expect(malformed(() => decodeEntryBundle(b.subarray(0, b.length - 1)))).toBe(true); // truncated entry
    expect(malformed(() => decodeEntryBundle(Uint8Array.of(0)))).toBe(true); // truncated length
    expect(malformed(() => decodeEntryBundle(new Uint8Array(0)))).toBe(true); // no entry
    expect(malformed(() => decodeEntryBundle(b, 3))).toBe(true); // another width than its path's
    expect(malformed(() => decodeEntryBundle(encodeEntryBundle(Array(257).fill(Uint8Array.of(1)))))).toBe(
      true,
    );
    expect(decodeEntryBundle(encodeEntryBundle(Array(256).fill(Uint8Array.of(1))), 256)).toHaveLength(256);
  });

  test.prop([fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 })])(
    'decode(encode(entries)) = entries',
    (entries) => {
      expect(decodeEntryBundle(encodeEntryBundle(entries), entries.length).map(hex)).toEqual(
        entries.map(hex),
      );
    },
  );

  it("each entry hashes to its leaf in the level-0 tile of the bundle's position", () => {
    const bundle = decodeEntryBundle(encodeEntryBundle(big.entries.slice(256, 512)), 256);
    const tile = buildTiles(512, big.leaves.subarray(0, 512 * HASH_SIZE))[1]!;
    expect(tile).toMatchObject({ level: 0, index: 1, width: 256 });
    bundle.forEach((e, i) => {
      expect(hex(hashLeaf(e))).toBe(hex(tile.data.subarray(i * 32, i * 32 + 32)));
    });
  });
});
