/**
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the log's Merkle tree as
 * static "tiles" of hashes, and its entries as "entry bundles".
 *
 * Our tree is exactly the tree tlog-tiles describes (§APIs: "all Merkle tree
 * cryptographic operations are as specified by RFC 6962"): the leaf data is
 * the entry bytes as stored, so a level-0 tile holds our leaf hashes and an
 * entry bundle holds our entries.
 *
 * Security assumption: tiles and bundles are untrusted data. A client trusts
 * nothing read from them until it has checked it against the root of a
 * checkpoint whose signature it verified: a root recomputed from the tiles
 * (tileTreeHash), or a proof computed from them and checked with
 * verifyInclusion / verifyConsistency. Domain-separated SHA-256 (RFC 9162
 * §2.1.1) makes a wrong tile fail those checks. Nothing here verifies a
 * signature.
 *
 * Pure, like the rest of src/merkle: no storage, no I/O. Arguments that only
 * our own code passes (levels, indices, widths, sizes) are programming errors
 * when invalid and throw a RangeError, as in ./proofs.ts; untrusted input
 * (a path from a URL, a bundle from a server) is answered with undefined or a
 * CustodyError.
 */
import { CustodyError } from '../errors.js';
import { HASH_SIZE, hashChildren } from './hash.js';
import { type NodeReader, rootAt } from './proofs.js';

/** Tree levels per tile: a tile at tile level L holds hashes of tree level 8L (tlog-tiles §Merkle Tree). */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile, entries in a full bundle: 2^TILE_HEIGHT (tlog-tiles §Merkle Tree). */
export const TILE_WIDTH = 256;
/** Highest tile level a path may name (tlog-tiles §Merkle Tree: "between 0 and 63"). */
export const MAX_TILE_LEVEL = 63;
/** An entry's length is a uint16 in a bundle (tlog-tiles §Log entries), so an entry is under 64 KiB. */
export const MAX_BUNDLE_ENTRY = 0xffff;

/** A tile's position: tile level, index within the level, width (TILE_WIDTH for a full tile). */
export interface TileCoordinates {
  level: number;
  index: number;
  width: number;
}

/** A tile with its data: `width` concatenated 32-byte hashes. */
export interface Tile extends TileCoordinates {
  data: Uint8Array;
}

/** What a tlog-tiles path names. */
export type TilePath =
  | { kind: 'hash'; level: number; index: number; width: number }
  | { kind: 'entries'; index: number; width: number };

function check(name: string, n: number, min: number, max: number): void {
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new RangeError(`tiles: ${name} must be an integer in [${min}, ${max}], got ${String(n)}`);
}

const checkLevel = (level: number) => check('level', level, 0, MAX_TILE_LEVEL);
const checkIndex = (index: number) => check('index', index, 0, Number.MAX_SAFE_INTEGER);
const checkWidth = (width: number) => check('width', width, 1, TILE_WIDTH);
const checkSize = (size: number) => check('tree size', size, 0, Number.MAX_SAFE_INTEGER);

/**
 * <N> of tlog-tiles §Merkle Tree: 3-digit zero-padded groups, every group but
 * the last prefixed with `x` (1234067 → x001/x234/067), so that a directory
 * never holds both a file and a directory of one name and static serving from
 * a file system works.
 */
function encodeIndex(index: number): string {
  let n = index;
  let s = String(n % 1000).padStart(3, '0');
  n = Math.floor(n / 1000);
  while (n > 0) {
    s = `x${String(n % 1000).padStart(3, '0')}/${s}`;
    n = Math.floor(n / 1000);
  }
  return s;
}

const widthSuffix = (width: number) => (width === TILE_WIDTH ? '' : `.p/${width}`);

/** `tile/<L>/<N>[.p/<W>]` (tlog-tiles §Merkle Tree); the `.p/<W>` suffix only for a partial tile (width < 256). */
export function tilePath(level: number, index: number, width: number = TILE_WIDTH): string {
  checkLevel(level);
  checkIndex(index);
  checkWidth(width);
  return `tile/${level}/${encodeIndex(index)}${widthSuffix(width)}`;
}

/** `tile/entries/<N>[.p/<W>]` (tlog-tiles §Log entries). */
export function entryBundlePath(index: number, width: number = TILE_WIDTH): string {
  checkIndex(index);
  checkWidth(width);
  return `tile/entries/${encodeIndex(index)}${widthSuffix(width)}`;
}

const LEVEL = /^(?:0|[1-9][0-9]?)$/;
const WIDTH = /^[1-9][0-9]{0,2}$/;
const GROUP = /^[0-9]{3}$/;
const X_GROUP = /^x[0-9]{3}$/;

/** <N> from its path elements, or undefined unless canonical and a safe integer. */
function parseIndex(groups: readonly string[]): number | undefined {
  if (groups.length === 0) return undefined;
  let n = 0n;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const last = i === groups.length - 1;
    if (!(last ? GROUP : X_GROUP).test(g)) return undefined;
    const v = BigInt(last ? g : g.slice(1));
    // A leading x000 group encodes the same number as the path without it:
    // only the shortest encoding is canonical, as Go's ParseTilePath requires.
    if (i === 0 && !last && v === 0n) return undefined;
    n = n * 1000n + v;
  }
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
}

/**
 * Parses a tile or entry bundle path (`tile/…`, without a leading slash), or
 * returns undefined for anything not in the canonical form of tlog-tiles
 * §Merkle Tree: a level 0–63 without leading zeroes, <N> in 3-digit groups
 * with `x` on all but the last and no leading `x000`, and `.p/<W>` with W
 * 1–255 without leading zeroes. So each tile has exactly one path: a cache,
 * a file system and the access log never see two names for one resource.
 * An index beyond 2^53 − 1 is refused (no tree of ours reaches it).
 */
export function parseTilePath(path: string): TilePath | undefined {
  const parts = path.split('/');
  if (parts.length < 3 || parts[0] !== 'tile') return undefined;
  const groups = parts.slice(2);
  let width = TILE_WIDTH;
  const p = groups.length >= 2 ? groups[groups.length - 2]! : '';
  if (p.endsWith('.p')) {
    const w = groups[groups.length - 1]!;
    if (!WIDTH.test(w) || Number(w) >= TILE_WIDTH) return undefined;
    width = Number(w);
    groups.splice(groups.length - 2, 2, p.slice(0, -2));
  }
  const index = parseIndex(groups);
  if (index === undefined) return undefined;
  const l = parts[1]!;
  if (l === 'entries') return { kind: 'entries', index, width };
  if (!LEVEL.test(l) || Number(l) > MAX_TILE_LEVEL) return undefined;
  return { kind: 'hash', level: Number(l), index, width };
}

/**
 * The width of tile (level, index) in the tree of `treeSize` leaves:
 * TILE_WIDTH for a full tile, 1–255 for the partial tile, 0 if the tree has no
 * such tile. tlog-tiles §Partial Tiles: the partial tile at level l of a tree
 * of size s has floor(s / 256^l) mod 256 hashes, and empty tiles do not exist.
 */
export function tileWidthAt(treeSize: number, level: number, index: number): number {
  checkSize(treeSize);
  checkLevel(level);
  checkIndex(index);
  // Hashes at tree level 8·level: one per complete subtree of 256^level leaves.
  const count = Math.floor(treeSize / TILE_WIDTH ** level);
  const full = Math.floor(count / TILE_WIDTH);
  if (index < full) return TILE_WIDTH;
  return index === full ? count % TILE_WIDTH : 0;
}

/**
 * Every tile of the tree of `treeSize` leaves, level by level: the full tiles
 * and, where the level does not end on a tile boundary, its partial tile. A
 * tree of 70,000 has 273 full level-0 tiles and one of width 112, one full
 * level-1 tile and one of width 17, and one level-2 tile of width 1
 * (tlog-tiles §Partial Tiles).
 */
export function tileCoordinates(treeSize: number): TileCoordinates[] {
  checkSize(treeSize);
  const out: TileCoordinates[] = [];
  for (let level = 0; level <= MAX_TILE_LEVEL; level++) {
    const count = Math.floor(treeSize / TILE_WIDTH ** level);
    if (count === 0) break;
    const full = Math.floor(count / TILE_WIDTH);
    for (let index = 0; index < full; index++) out.push({ level, index, width: TILE_WIDTH });
    if (count % TILE_WIDTH !== 0) out.push({ level, index: full, width: count % TILE_WIDTH });
  }
  return out;
}

/**
 * The tree sizes [from, to) whose partial tile at (level, index) has this
 * width (< 256): those with floor(size / 256^level) = index·256 + width.
 * A log serves a partial tile for every size it signed a checkpoint of
 * (tlog-tiles §Partial Tiles), not only for its latest.
 */
export function partialTileSizes(level: number, index: number, width: number): { from: number; to: number } {
  checkLevel(level);
  checkIndex(index);
  check('width', width, 1, TILE_WIDTH - 1);
  const unit = TILE_WIDTH ** level;
  return { from: (index * TILE_WIDTH + width) * unit, to: (index * TILE_WIDTH + width + 1) * unit };
}

/**
 * The data of tile (level, index) of width `width` in the tree of `treeSize`
 * leaves: the hashes of the complete subtrees at tree level 8·level with
 * indices index·256 … index·256 + width − 1, concatenated (tlog-tiles §Merkle
 * Tree: MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l])). Those are stored
 * nodes (./proofs.ts NodeReader), so this is `width` reads and no hashing.
 *
 * Undefined when the tree of `treeSize` has no such tile: a full tile only
 * once all its 256 subtrees are complete, a partial tile only with exactly the
 * width this tree has at that position (tileWidthAt). A partial tile of an
 * earlier tree is the same bytes at its own path: ask with that tree's size.
 */
export async function readTile(
  reader: NodeReader,
  treeSize: number,
  level: number,
  index: number,
  width: number,
): Promise<Uint8Array | undefined> {
  checkWidth(width);
  if (tileWidthAt(treeSize, level, index) !== width) return undefined;
  const treeLevel = level * TILE_HEIGHT;
  const first = index * TILE_WIDTH;
  const hashes = await Promise.all(
    Array.from({ length: width }, (_, i) => reader.node(treeLevel, first + i)),
  );
  const data = new Uint8Array(width * HASH_SIZE);
  hashes.forEach((h, i) => {
    // A wrong-length node would shift every later hash of the tile.
    if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE)
      throw new Error(`tiles: stored node ${treeLevel}:${first + i} is not a ${HASH_SIZE}-byte hash`);
    data.set(h, i * HASH_SIZE);
  });
  return data;
}

/** MTH of `count` (a power of two) consecutive hashes of a tile, from hash `start`. */
function runHash(data: Uint8Array, start: number, count: number): Uint8Array {
  if (count === 1) return data.subarray(start * HASH_SIZE, (start + 1) * HASH_SIZE);
  const half = count / 2;
  return hashChildren(runHash(data, start, half), runHash(data, start + half, half));
}

/**
 * The hash a full tile contributes to the level above: the MTH of its 256
 * hashes (tlog-tiles §Merkle Tree: "each hash in a tile is the Merkle Tree
 * Hash of a full tile at the level below"). Only full tiles have one.
 */
export function fullTileHash(data: Uint8Array): Uint8Array {
  if (data.length !== TILE_WIDTH * HASH_SIZE)
    throw new RangeError(`tiles: a full tile is ${TILE_WIDTH * HASH_SIZE} bytes, got ${data.length}`);
  return runHash(data, 0, TILE_WIDTH);
}

/**
 * Every tile of the tree of `treeSize` leaves, computed from its leaf hashes
 * (`leafHashes`: treeSize · 32 bytes, in order): level-0 tiles are slices of
 * them, and each level above holds the fullTileHash of every full tile of the
 * level below. For publishing (`custody tiles`) without trusting any stored
 * interior node. Level-0 tile data aliases `leafHashes`.
 */
export function buildTiles(treeSize: number, leafHashes: Uint8Array): Tile[] {
  checkSize(treeSize);
  if (leafHashes.length !== treeSize * HASH_SIZE)
    throw new RangeError(
      `tiles: ${treeSize} leaf hashes are ${treeSize * HASH_SIZE} bytes, got ${leafHashes.length}`,
    );
  const out: Tile[] = [];
  let hashes = leafHashes;
  for (let level = 0; hashes.length > 0; level++) {
    if (level > MAX_TILE_LEVEL) throw new RangeError('tiles: tree too large');
    const count = hashes.length / HASH_SIZE;
    const full = Math.floor(count / TILE_WIDTH);
    const above = new Uint8Array(full * HASH_SIZE);
    const tileBytes = TILE_WIDTH * HASH_SIZE;
    for (let index = 0; index < full; index++) {
      const data = hashes.subarray(index * tileBytes, (index + 1) * tileBytes);
      out.push({ level, index, width: TILE_WIDTH, data });
      above.set(fullTileHash(data), index * HASH_SIZE);
    }
    const rest = count % TILE_WIDTH;
    if (rest !== 0) out.push({ level, index: full, width: rest, data: hashes.subarray(full * tileBytes) });
    hashes = above;
  }
  return out;
}

/**
 * A NodeReader over the tiles of the tree of `treeSize` leaves, as a
 * tlog-tiles client computes proofs (tlog-tiles §Merkle Tree: the levels
 * between tile levels "are reconstructed by hashing the leaves"): the node at
 * tree level 8L + r is the MTH of 2^r consecutive hashes of one tile at tile
 * level L. `read` returns a tile's data (undefined if unavailable); each tile
 * is read once. rootAt, inclusionProof and consistencyProof work over it.
 *
 * What it returns is only as good as the tiles: check the root it gives
 * against a verified checkpoint (tileTreeHash) before trusting any of it.
 */
export function tileNodeReader(
  treeSize: number,
  read: (level: number, index: number, width: number) => Promise<Uint8Array | undefined>,
): NodeReader {
  checkSize(treeSize);
  const cache = new Map<string, Promise<Uint8Array>>();
  const tile = (level: number, index: number, width: number): Promise<Uint8Array> => {
    const key = `${level}/${index}/${width}`;
    let p = cache.get(key);
    if (p === undefined) {
      p = read(level, index, width).then((data) => {
        if (data === undefined) throw new Error(`tiles: ${tilePath(level, index, width)} is unavailable`);
        if (data.length !== width * HASH_SIZE)
          throw new Error(`tiles: ${tilePath(level, index, width)} is not ${width * HASH_SIZE} bytes`);
        return data;
      });
      cache.set(key, p);
    }
    return p;
  };
  return {
    async node(level: number, index: number): Promise<Uint8Array> {
      check('node level', level, 0, MAX_TILE_LEVEL * TILE_HEIGHT + TILE_HEIGHT - 1);
      checkIndex(index);
      if ((index + 1) * 2 ** level > treeSize)
        throw new RangeError(`tiles: node ${level}:${index} is not a complete subtree of ${treeSize} leaves`);
      const tileLevel = Math.floor(level / TILE_HEIGHT);
      const span = 2 ** (level % TILE_HEIGHT);
      // The node's first hash at tree level 8·tileLevel, and the tile holding it
      // (a span of 2^r aligned hashes never crosses a tile boundary).
      const first = index * span;
      const tileIndex = Math.floor(first / TILE_WIDTH);
      const width = tileWidthAt(treeSize, tileLevel, tileIndex);
      const data = await tile(tileLevel, tileIndex, width);
      return runHash(data, first - tileIndex * TILE_WIDTH, span);
    },
  };
}

/** MTH of the tree of `treeSize` leaves from its tiles (tileNodeReader): compare it with a verified checkpoint's root. */
export function tileTreeHash(
  treeSize: number,
  read: (level: number, index: number, width: number) => Promise<Uint8Array | undefined>,
): Promise<Uint8Array> {
  return rootAt(tileNodeReader(treeSize, read), treeSize);
}

/**
 * An entry bundle (tlog-tiles §Log entries): each entry as a big-endian
 * uint16 length and its bytes. Our entries are at most 89 bytes
 * (docs/FORMAT.md §Entries), so the 64 KiB bound is never near; an entry
 * over it is a programming error.
 */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const e of entries) {
    if (e.length > MAX_BUNDLE_ENTRY)
      throw new RangeError(
        `tiles: an entry bundle holds entries of at most ${MAX_BUNDLE_ENTRY} bytes, got ${e.length}`,
      );
    total += 2 + e.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const e of entries) {
    out[o] = e.length >>> 8;
    out[o + 1] = e.length & 0xff;
    out.set(e, o + 2);
    o += 2 + e.length;
  }
  return out;
}

const malformedBundle = (why: string) =>
  new CustodyError('ENTRY_BUNDLE_MALFORMED', `the entry bundle is malformed: ${why}`, 'input');

/**
 * The entries of a bundle, refusing (ENTRY_BUNDLE_MALFORMED) a truncated
 * entry, no entry or more than 256, or, given `count` (the width of the
 * bundle's path), any other number of entries. The entries are copies. That
 * they are the log's is checked only by hashing each and comparing with the
 * level-0 tile of a verified tree (tlog-tiles §Log entries).
 */
export function decodeEntryBundle(bundle: Uint8Array, count?: number): Uint8Array[] {
  if (count !== undefined) checkWidth(count);
  const entries: Uint8Array[] = [];
  let o = 0;
  while (o < bundle.length) {
    if (entries.length === TILE_WIDTH) throw malformedBundle(`more than ${TILE_WIDTH} entries`);
    if (o + 2 > bundle.length) throw malformedBundle(`a truncated length at byte ${o}`);
    const len = (bundle[o]! << 8) | bundle[o + 1]!;
    if (o + 2 + len > bundle.length) throw malformedBundle(`entry ${entries.length} is truncated`);
    entries.push(bundle.slice(o + 2, o + 2 + len));
    o += 2 + len;
  }
  if (entries.length === 0) throw malformedBundle('no entry');
  if (count !== undefined && entries.length !== count)
    throw malformedBundle(`${entries.length} entries where its path says ${count}`);
  return entries;
}
