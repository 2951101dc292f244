/**
 * Reading the map from stored nodes (docs/STATE-MAP.md §Persistence and lazy
 * opening). A store keeps every branch takeDirty() hands it under its node
 * hash (./dirty.ts, ./node-codec.ts), leaves inline; this module fetches one
 * such node by hash and checks it, and walks them to prove a key against any
 * stored root. The live map splices fetched nodes into its slabs (./map.ts
 * load()).
 *
 * A fetched node is trusted only through its hash: the node hash input is
 * rebuilt from the decoded node (leaves through leafHash) and must hash to the
 * hash it was fetched under, and its depth (which the hash does not cover)
 * must be the depth the walk reached. Since the hash chain starts at the root
 * the caller trusts, a node that passes both checks is exactly the node of
 * the tree with that root; the store is not trusted.
 *
 * Nothing here does I/O itself: the source is whatever the caller gives
 * (LevelDB in the ledger, a Map in tests), so src/map stays pure.
 */
import { equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { HASH_SIZE } from './constants.js';
import { keyInvalid, nodeMalformed, nodeMissing, rootInvalid } from './errors.js';
import { childOffset, leafHash, nodeInput } from './hash.js';
import { decodeNode, type MapNode } from './node-codec.js';
import { isBytes, type MapKey, mapPath, nibble } from './path.js';
import type { MapProof, MapProofLevel, MapProofTerminal } from './proof.js';

/** Where a lazily opened map and proveFromSource() find branches. */
export interface MapNodeSource {
  /**
   * The encodeNode() bytes of the branch whose nodeHash is `hash`, as
   * takeDirty() handed them out, or undefined if the store has none. `hash`
   * is a fresh copy the source may keep. Errors the source throws (I/O)
   * reach the caller unchanged.
   */
  node(hash: Uint8Array): Promise<Uint8Array | undefined>;
}

/** The single leaf a one-key map's root is (takeDirty().rootLeaf): no branch holds it. */
export interface MapRootLeaf {
  readonly path: Uint8Array;
  readonly value: Uint8Array;
}

/** A fetched, checked node and its node hash input (0x01 ‖ the 16 child hashes). */
export interface FetchedNode {
  readonly node: MapNode;
  readonly input: Uint8Array;
}

/**
 * Fetches the branch with node hash `hash`, expected at `depth`, and checks
 * it. Throws MAP_NODE_MISSING (the source has nothing) or MAP_NODE_MALFORMED
 * (bytes that do not decode, hash to another hash, or stand at another depth).
 */
export async function fetchNode(
  source: MapNodeSource,
  hash: Uint8Array,
  depth: number,
): Promise<FetchedNode> {
  const want = Uint8Array.from(hash);
  const bytes: unknown = await source.node(Uint8Array.from(want));
  if (bytes === undefined) throw nodeMissing(want, depth);
  if (!(bytes instanceof Uint8Array)) throw nodeMalformed('the store returned something other than bytes');
  const node = decodeNode(bytes);
  if (node.depth !== depth)
    throw nodeMalformed(`node stored for depth ${node.depth} found at depth ${depth}`);
  const input = nodeInput();
  node.children.forEach((c, i) => {
    if (c.kind === 'branch') input.set(c.hash, childOffset(i));
    else if (c.kind === 'leaf') input.set(leafHash(c.path, c.value), childOffset(i));
  });
  if (!equalBytes(sha256(input), want))
    throw nodeMalformed('node does not hash to the hash it is stored under');
  return { node, input };
}

/**
 * Checks the (root, size, rootLeaf) record a store keeps beside the nodes
 * (takeDirty()'s root, size and rootLeaf). Throws MAP_ROOT_INVALID for a root
 * that is not 32 bytes, MAP_NODE_MALFORMED for a record that contradicts
 * itself. Returns what the root is.
 */
export function checkRootRecord(
  root: Uint8Array,
  size: number | undefined,
  rootLeaf: MapRootLeaf | null,
): 'empty' | 'leaf' | 'branch' {
  if (!isBytes(root, HASH_SIZE)) throw rootInvalid();
  const sizeOk = (want: (n: number) => boolean) =>
    size === undefined || (Number.isSafeInteger(size) && want(size));
  if (rootLeaf !== null) {
    if (!isBytes(rootLeaf.path, HASH_SIZE) || !isBytes(rootLeaf.value, HASH_SIZE))
      throw nodeMalformed('root leaf path and value must be 32 bytes');
    if (!equalBytes(leafHash(rootLeaf.path, rootLeaf.value), root))
      throw nodeMalformed('root leaf does not hash to the root');
    if (!sizeOk((n) => n === 1)) throw nodeMalformed('a map whose root is a leaf holds one key');
    return 'leaf';
  }
  if (root.every((x) => x === 0)) {
    if (!sizeOk((n) => n === 0)) throw nodeMalformed('the empty root with a size');
    return 'empty';
  }
  if (!sizeOk((n) => n >= 2)) throw nodeMalformed('a map whose root is a branch holds two keys or more');
  return 'branch';
}

/**
 * The proof of (ns, key) against `root`, any root whose nodes the source
 * holds (the live one, or an older checkpoint's), walking its branches by
 * hash: one fetch per level, no StateMap. The proof is the one StateMap.prove
 * gives for a map with that root, and verifies with verifyMapProof.
 *
 * A one-key map's root is a leaf, which no stored branch holds: pass it as
 * rootLeaf (takeDirty().rootLeaf). Throws MAP_KEY_INVALID, MAP_ROOT_INVALID,
 * MAP_NODE_MISSING, MAP_NODE_MALFORMED.
 */
export function proveFromSource(
  root: Uint8Array,
  ns: string,
  key: MapKey,
  source: MapNodeSource,
  rootLeaf: MapRootLeaf | null = null,
): Promise<MapProof> {
  return proveFromSourceAtPath(root, mapPath(ns, key), source, rootLeaf);
}

/** proveFromSource() for a key given by its path (./path.ts mapPath). */
export async function proveFromSourceAtPath(
  root: Uint8Array,
  path: Uint8Array,
  source: MapNodeSource,
  rootLeaf: MapRootLeaf | null = null,
): Promise<MapProof> {
  if (!isBytes(path, HASH_SIZE)) throw keyInvalid('a map path must be 32 bytes');
  const p = Uint8Array.from(path);
  const kind = checkRootRecord(root, undefined, rootLeaf);
  const levels: MapProofLevel[] = [];
  if (kind === 'empty') return { levels, terminal: { kind: 'absent-empty' } };
  if (kind === 'leaf') return { levels, terminal: leafTerminal(p, rootLeaf!.path, rootLeaf!.value) };
  let hash: Uint8Array = Uint8Array.from(root);
  for (let depth = 0; ; depth++) {
    const { node, input } = await fetchNode(source, hash, depth);
    const own = nibble(p, 0, depth);
    let bitmap = 0;
    const siblings: Uint8Array[] = [];
    node.children.forEach((c, i) => {
      if (i === own || c.kind === 'empty') return;
      bitmap |= 1 << i;
      siblings.push(input.subarray(childOffset(i), childOffset(i) + HASH_SIZE));
    });
    const joined = new Uint8Array(siblings.length * HASH_SIZE);
    for (let j = 0; j < siblings.length; j++) joined.set(siblings[j]!, j * HASH_SIZE);
    levels.push({ bitmap, siblings: joined });
    const c = node.children[own]!;
    if (c.kind === 'empty') return { levels, terminal: { kind: 'absent-empty' } };
    if (c.kind === 'leaf') return { levels, terminal: leafTerminal(p, c.path, c.value) };
    // decodeNode refuses a branch child at depth 63, so depth stays ≤ 63.
    hash = c.hash;
  }
}

function leafTerminal(path: Uint8Array, leafPath: Uint8Array, value: Uint8Array): MapProofTerminal {
  return equalBytes(leafPath, path)
    ? { kind: 'member', value: Uint8Array.from(value) }
    : { kind: 'absent-leaf', path: Uint8Array.from(leafPath), value: Uint8Array.from(value) };
}
