/**
 * The state map: a compacted flat 16-ary Merkle tree over hashed keys
 * (docs/STATE-MAP.md). Its root depends only on the set of (path, value)
 * pairs, never on the order of updates.
 *
 * How an update stays cheap (docs/STATE-MAP.md §Why this structure):
 * - each branch keeps its 513-byte hash input in a slab (./slabs.ts), and each
 *   child's hash is written straight into its parent's input, so an update
 *   rehashes the ~log16(n) branches on its path with one SHA-256 each and
 *   allocates nothing but a view and a 32-char digest string per hash
 *   (src/crypto/sha256.ts sha256Into);
 * - branches refer to children by integer, so descending is array reads;
 * - nothing is copied unless a snapshot can see it (./epochs.ts).
 *
 * The descent keeps the branches it passes in `stack`: stack[j] is the branch
 * at depth j on the current path. The "slot at depth j" is where the hash of
 * the subtree at depth j on the path is kept: slot nibble(path, j - 1) of
 * stack[j - 1], or the root hash for j = 0.
 *
 * A map opened from a store (StateMap.open, docs/STATE-MAP.md §Persistence
 * and lazy opening) starts as its root hash alone: a branch not loaded is a
 * stub (STUB_REF, ./slabs.ts), whose hash is already in its slot, so it costs
 * nothing but that reference. load() fetches the branches on a key's path and
 * splices them in; every synchronous operation checks, once, that its descent
 * did not stop at a stub (MAP_PATH_NOT_LOADED) before it changes anything.
 * unload() turns clean branches back into stubs.
 */
import { equalBytes } from '../bytes.js';
import { sha256Into } from '../crypto/sha256.js';
import { HASH_SIZE, LEAF_INPUT_SIZE, MAX_LEVELS, NODE_INPUT_SIZE, PATH_NIBBLES } from './constants.js';
import { collectDirty, leafOf, type MapChanges } from './dirty.js';
import { Epochs } from './epochs.js';
import { keyInvalid, pathNotLoaded, valueInvalid } from './errors.js';
import {
  checkRootRecord,
  type FetchedNode,
  fetchNode,
  type MapNodeSource,
  type MapRootLeaf,
} from './lazy.js';
import { isBytes, type MapKey, mapPath, nibble, pathInto } from './path.js';
import type { MapProof } from './proof.js';
import { leafChunk, leafPathAt, leafPathEquals, lookup, proveIn } from './read.js';
import {
  BORN,
  BRANCH_MASK,
  BRANCH_SHIFT,
  branchRef,
  EMPTY_REF,
  FLAG_DIRTY,
  FLAGS,
  LEAF_MASK,
  LEAF_SHIFT,
  leafRef,
  META_STRIDE,
  Slabs,
  STUB_REF,
} from './slabs.js';
import { MapSnapshot } from './snapshot.js';

export interface MapStats {
  readonly size: number;
  /** Branches and leaves held, including those kept only for snapshots. */
  readonly branches: number;
  readonly leaves: number;
  /** Nodes kept only for live snapshots. */
  readonly retired: number;
  readonly snapshots: number;
  /** Bytes held by the node slabs. */
  readonly slabBytes: number;
}

export class StateMap {
  /** Node storage, shared with snapshots (read-only for them). */
  readonly #slabs = new Slabs();
  readonly #epochs = new Epochs();
  #rootRef = EMPTY_REF;
  readonly #rootHash = new Uint8Array(HASH_SIZE);
  #size = 0;
  readonly #stack = new Int32Array(MAX_LEVELS + 1);
  readonly #path = new Uint8Array(HASH_SIZE);
  readonly #hash = new Uint8Array(HASH_SIZE);
  /** Where stubs are loaded from; undefined for a map built in memory (it has no stubs). */
  #source: MapNodeSource | undefined;

  /**
   * A map whose root is known and whose branches stay in the store until
   * load() fetches them: reads nothing, costs O(1). `root`, `size` and
   * `rootLeaf` are what takeDirty() returned when the nodes were stored
   * (rootLeaf: the root itself when it is a single leaf, else null); size is
   * taken on trust (the root does not commit to it). Throws MAP_ROOT_INVALID
   * for a root that is not 32 bytes, MAP_NODE_MALFORMED for a record that
   * contradicts itself (a root leaf that does not hash to the root, a size
   * that cannot go with the root).
   */
  static open(root: Uint8Array, size: number, rootLeaf: MapRootLeaf | null, source: MapNodeSource): StateMap {
    const kind = checkRootRecord(root, size, rootLeaf);
    const m = new StateMap();
    m.#source = source;
    m.#size = size;
    m.#rootHash.set(root);
    if (kind === 'leaf')
      m.#rootRef = leafRef(m.#slabs.allocLeaf(rootLeaf!.path, 0, rootLeaf!.value, 0, m.#epochs.current));
    else if (kind === 'branch') m.#rootRef = STUB_REF;
    return m;
  }

  /** Number of keys. */
  get size(): number {
    return this.#size;
  }

  /** The root hash (a copy); 32 zero bytes for the empty map. */
  get root(): Uint8Array {
    return Uint8Array.from(this.#rootHash);
  }

  /** Maps (ns, key) to a 32-byte value. Throws MAP_KEY_INVALID, MAP_VALUE_INVALID. */
  set(ns: string, key: MapKey, value: Uint8Array): void {
    if (!isBytes(value, HASH_SIZE)) throw valueInvalid('a map value must be 32 bytes');
    pathInto(ns, key, this.#path, 0);
    this.#set(this.#path, value);
  }

  /** Removes (ns, key); returns whether it was present. Throws MAP_KEY_INVALID. */
  delete(ns: string, key: MapKey): boolean {
    pathInto(ns, key, this.#path, 0);
    return this.#delete(this.#path);
  }

  /** The value of (ns, key) (a copy), or undefined. Throws MAP_KEY_INVALID. */
  get(ns: string, key: MapKey): Uint8Array | undefined {
    pathInto(ns, key, this.#path, 0);
    return lookup(this.#slabs, this.#rootRef, this.#path);
  }

  has(ns: string, key: MapKey): boolean {
    return this.get(ns, key) !== undefined;
  }

  /** A proof of membership or absence of (ns, key) against the current root. */
  prove(ns: string, key: MapKey): MapProof {
    pathInto(ns, key, this.#path, 0);
    return proveIn(this.#slabs, this.#rootRef, this.#path);
  }

  /** set() for a key given by its path (./path.ts mapPath). */
  setAtPath(path: Uint8Array, value: Uint8Array): void {
    if (!isBytes(path, HASH_SIZE)) throw keyInvalid('a map path must be 32 bytes');
    if (!isBytes(value, HASH_SIZE)) throw valueInvalid('a map value must be 32 bytes');
    this.#path.set(path);
    this.#set(this.#path, value);
  }

  deleteAtPath(path: Uint8Array): boolean {
    if (!isBytes(path, HASH_SIZE)) throw keyInvalid('a map path must be 32 bytes');
    this.#path.set(path);
    return this.#delete(this.#path);
  }

  getAtPath(path: Uint8Array): Uint8Array | undefined {
    if (!isBytes(path, HASH_SIZE)) throw keyInvalid('a map path must be 32 bytes');
    return lookup(this.#slabs, this.#rootRef, path);
  }

  proveAtPath(path: Uint8Array): MapProof {
    if (!isBytes(path, HASH_SIZE)) throw keyInvalid('a map path must be 32 bytes');
    return proveIn(this.#slabs, this.#rootRef, path);
  }

  // ------------------------------------------------------------------ lazy loading

  /**
   * Fetches from the source, checks and splices in every branch on the path
   * of (ns, key) that is not loaded yet, so that get, has, set, delete and
   * prove of that key then work synchronously. Returns the number of nodes
   * fetched (0 when the path was loaded already; at most its depth).
   * Rejects with MAP_KEY_INVALID, MAP_NODE_MISSING, MAP_NODE_MALFORMED, or
   * what the source throws; a failed load leaves the map's content as it
   * was (the nodes above the failure stay loaded: they checked out).
   * Loads may run concurrently with each other and with updates.
   */
  async load(ns: string, key: MapKey): Promise<number> {
    return this.loadAtPath(mapPath(ns, key));
  }

  /** load() for a key given by its path. */
  async loadAtPath(path: Uint8Array): Promise<number> {
    if (!isBytes(path, HASH_SIZE)) throw keyInvalid('a map path must be 32 bytes');
    const p = Uint8Array.from(path);
    let fetched = 0;
    for (;;) {
      if (this.#descend(p) !== STUB_REF) return fetched;
      const depth = this.#top;
      const source = this.#source;
      // Unreachable: only a map with a source has stubs.
      if (source === undefined) throw pathNotLoaded(depth);
      const [buf, at] = this.#slot(p, depth);
      const hash = buf.slice(at, at + HASH_SIZE);
      const got = await fetchNode(source, hash, depth);
      fetched++;
      // Other calls may have run while the node was on its way (loads of
      // other keys, updates, unload()): splice only into the same stub.
      if (this.#descend(p) === STUB_REF && this.#top === depth) {
        const [b2, at2] = this.#slot(p, depth);
        if (equalBytes(b2.subarray(at2, at2 + HASH_SIZE), hash)) this.#splice(p, depth, got);
      }
    }
  }

  /**
   * Replaces the stub at depth d on path (the stack holds its ancestors) by
   * the fetched branch, with its branch children as stubs and its leaves in
   * the slabs. The branch is born in its parent's epoch: it stands for the
   * subtree the stub stood for, so every snapshot that sees the parent sees
   * the same content through it, and the map treats it as frozen exactly when
   * the parent is (./epochs.ts). Nothing is marked dirty: the store has it.
   */
  #splice(path: Uint8Array, d: number, { node, input }: FetchedNode): void {
    const slabs = this.#slabs;
    let born = this.#epochs.current;
    if (d > 0) {
      const p = this.#stack[d - 1]!;
      born = slabs.meta[p >>> BRANCH_SHIFT]![(p & BRANCH_MASK) * META_STRIDE + BORN]!;
    }
    const b = slabs.allocBranch(born);
    slabs.inputs[b >>> BRANCH_SHIFT]!.set(input, (b & BRANCH_MASK) * NODE_INPUT_SIZE);
    const meta = slabs.meta[b >>> BRANCH_SHIFT]!;
    const mb = (b & BRANCH_MASK) * META_STRIDE;
    node.children.forEach((c, i) => {
      if (c.kind === 'branch') meta[mb + i] = STUB_REF;
      else if (c.kind === 'leaf') meta[mb + i] = leafRef(slabs.allocLeaf(c.path, 0, c.value, 0, born));
    });
    this.#link(path, d, branchRef(b));
  }

  /**
   * Drops loaded branches back to stubs, so that a long-running process does
   * not grow without bound: every clean branch (not changed since the last
   * takeDirty()) at depth `keepLevels` or deeper, with the leaves below it.
   * unload() with no argument leaves the map as just opened (the root a stub)
   * unless it has changes not taken yet; unload(2) or unload(3) keeps the top
   * 1 + 16 or 1 + 16 + 256 branches, which every path shares.
   *
   * Kept: branches with changes not taken by takeDirty() (the store does not
   * have them yet, and they are its only copy), and whatever a live snapshot
   * sees (a branch a snapshot shares is not changed in place). Call it only
   * once the nodes takeDirty() handed out are stored. A map without a source
   * (built in memory) drops nothing. Returns the number of branches dropped.
   */
  unload(keepLevels = 0): number {
    const r = this.#rootRef;
    if (this.#source === undefined || r <= 0) return 0;
    const slabs = this.#slabs;
    const frozenUpTo = this.#epochs.frozenUpTo;
    let dropped = 0;
    const at = (b: number) => (b & BRANCH_MASK) * META_STRIDE;
    const clean = (b: number) => (slabs.meta[b >>> BRANCH_SHIFT]![at(b) + FLAGS]! & FLAG_DIRTY) === 0;
    const drop = (b: number): void => {
      const meta = slabs.meta[b >>> BRANCH_SHIFT]!;
      for (let i = 0; i < 16; i++) {
        const ref = meta[at(b) + i]!;
        if (ref > 0) drop(ref - 1);
        else if (ref < 0 && ref !== STUB_REF) this.#dropLeaf(~ref);
      }
      this.#dropBranch(b);
      dropped++;
    };
    if (keepLevels <= 0 && clean(r - 1)) {
      drop(r - 1);
      this.#rootRef = STUB_REF;
      return dropped;
    }
    const visit = (b: number, depth: number): void => {
      const meta = slabs.meta[b >>> BRANCH_SHIFT]!;
      // A snapshot sees b: its children stay as they are.
      if (meta[at(b) + BORN]! <= frozenUpTo) return;
      for (let i = 0; i < 16; i++) {
        const ref = meta[at(b) + i]!;
        if (ref <= 0) continue;
        if (depth + 1 >= keepLevels && clean(ref - 1)) {
          drop(ref - 1);
          meta[at(b) + i] = STUB_REF;
        } else visit(ref - 1, depth + 1);
      }
    };
    visit(r - 1, 0);
    return dropped;
  }

  /** An immutable view of the map as it is now; release() it when done. */
  snapshot(): MapSnapshot {
    const epoch = this.#epochs.take();
    return new MapSnapshot(
      { slabs: this.#slabs, releaseSnapshot: (e) => this.#releaseSnapshot(e) },
      epoch,
      this.#rootRef,
      this.#rootHash,
      this.#size,
    );
  }

  /** The branches changed since the previous call, for a store (./dirty.ts). */
  takeDirty(): MapChanges {
    const r = this.#rootRef;
    const leaf = r < 0 && r !== STUB_REF ? leafOf(this.#slabs, ~r) : undefined;
    return {
      root: this.root,
      size: this.#size,
      rootLeaf: leaf ? { path: leaf.path, value: leaf.value } : null,
      nodes: r > 0 ? collectDirty(this.#slabs, r, this.#rootHash) : [],
    };
  }

  stats(): MapStats {
    return {
      size: this.#size,
      branches: this.#slabs.branchCount,
      leaves: this.#slabs.leafCount,
      retired: this.#epochs.retiredCount,
      snapshots: this.#epochs.liveSnapshots,
      slabBytes: this.#slabs.allocatedBytes(),
    };
  }

  // ------------------------------------------------------------------ updates

  /** Depth where the last descent ended (the number of branches on the stack). */
  #top = 0;

  /**
   * Descends along path, filling the stack and #top; returns the reference
   * where it ends: EMPTY, a leaf, or STUB_REF (a branch not loaded).
   */
  #descend(path: Uint8Array): number {
    const meta = this.#slabs.meta;
    const stack = this.#stack;
    let ref = this.#rootRef;
    let top = 0;
    while (ref > 0) {
      const b = ref - 1;
      stack[top] = b;
      ref = meta[b >>> BRANCH_SHIFT]![(b & BRANCH_MASK) * META_STRIDE + nibble(path, 0, top)]!;
      top++;
    }
    this.#top = top;
    return ref;
  }

  #set(path: Uint8Array, value: Uint8Array): void {
    const slabs = this.#slabs;
    const ref = this.#descend(path);
    let top = this.#top;
    if (ref === STUB_REF) throw pathNotLoaded(top);
    if (ref === EMPTY_REF) {
      this.#thaw(path, top);
      const l = slabs.allocLeaf(path, 0, value, 0, this.#epochs.current);
      this.#link(path, top, leafRef(l));
      this.#hashLeaf(l, path, top);
      this.#size++;
    } else if (leafPathEquals(slabs, ~ref, path)) {
      let l = ~ref;
      const buf = leafChunk(slabs, l);
      const at = leafPathAt(l) + HASH_SIZE;
      let same = true;
      for (let i = 0; i < HASH_SIZE; i++)
        if (buf[at + i] !== value[i]) {
          same = false;
          break;
        }
      if (same) return;
      this.#thaw(path, top);
      if (this.#leafFrozen(l)) {
        this.#dropLeaf(l);
        l = slabs.allocLeaf(path, 0, value, 0, this.#epochs.current);
        this.#link(path, top, leafRef(l));
      } else buf.set(value, at);
      this.#hashLeaf(l, path, top);
    } else {
      this.#thaw(path, top);
      top = this.#split(path, top, ~ref, value);
      this.#size++;
    }
    this.#rehash(path, top);
  }

  /**
   * The slot at depth d holds leaf `old`; `path` also leads there. Replaces the
   * leaf by branches at depths d .. k, where k is the first nibble the two
   * paths differ in (branches at d .. k-1 have one child each: only single
   * leaves are compacted), with both leaves under the branch at depth k.
   * Returns the new top of the stack, k + 1.
   */
  #split(path: Uint8Array, d: number, old: number, value: Uint8Array): number {
    const slabs = this.#slabs;
    const stack = this.#stack;
    const oldBuf = leafChunk(slabs, old);
    const oldAt = leafPathAt(old);
    let k = d;
    while (k < PATH_NIBBLES && nibble(oldBuf, oldAt, k) === nibble(path, 0, k)) k++;
    // The old leaf's hash, still in the slot at depth d, moves down unchanged
    // (copied out first: allocating may move the first chunk, ./slabs.ts).
    const [hashBuf, hashAt] = this.#slot(path, d);
    const oldHash = this.#hash;
    oldHash.set(hashBuf.subarray(hashAt, hashAt + HASH_SIZE));
    const born = this.#epochs.current;
    for (let j = d; j <= k; j++) {
      const b = slabs.allocBranch(born);
      stack[j] = b;
      this.#link(path, j, branchRef(b));
    }
    const b = stack[k]!;
    const oldNib = nibble(oldBuf, oldAt, k);
    const input = slabs.inputs[b >>> BRANCH_SHIFT]!;
    const inAt = (b & BRANCH_MASK) * NODE_INPUT_SIZE + 1;
    input.set(oldHash, inAt + oldNib * HASH_SIZE);
    slabs.meta[b >>> BRANCH_SHIFT]![(b & BRANCH_MASK) * META_STRIDE + oldNib] = leafRef(old);
    const l = slabs.allocLeaf(path, 0, value, 0, born);
    this.#link(path, k + 1, leafRef(l));
    this.#hashLeaf(l, path, k + 1);
    return k + 1;
  }

  #delete(path: Uint8Array): boolean {
    const slabs = this.#slabs;
    const ref = this.#descend(path);
    const top = this.#top;
    if (ref === STUB_REF) throw pathNotLoaded(top);
    if (ref === EMPTY_REF || !leafPathEquals(slabs, ~ref, path)) return false;
    this.#thaw(path, top);
    this.#dropLeaf(~ref);
    this.#size--;
    this.#link(path, top, EMPTY_REF);
    const [buf, at] = this.#slot(path, top);
    buf.fill(0, at, at + HASH_SIZE);
    // Re-compaction: a branch left with a single leaf as its only child
    // becomes that leaf, and so on upwards. A branch whose only child is a
    // branch stays (it still has two leaves or more below it). So does one
    // whose only child is a stub: a stub is a stored branch, and a stored
    // branch has two leaves or more below it (decodeNode refuses one that has
    // not, and the hash check ties it to the tree), so a delete never needs a
    // node off its own path.
    const stack = this.#stack;
    let j = top - 1;
    for (; j >= 0; j--) {
      const b = stack[j]!;
      const i = this.#soleLeafChild(b);
      if (i < 0) break;
      const leaf = slabs.meta[b >>> BRANCH_SHIFT]![(b & BRANCH_MASK) * META_STRIDE + i]!;
      const input = slabs.inputs[b >>> BRANCH_SHIFT]!;
      const from = (b & BRANCH_MASK) * NODE_INPUT_SIZE + 1 + i * HASH_SIZE;
      const [to, toAt] = this.#slot(path, j);
      to.set(input.subarray(from, from + HASH_SIZE), toAt);
      this.#link(path, j, leaf);
      this.#dropBranch(b);
    }
    this.#rehash(path, j + 1);
    return true;
  }

  /** The child index of b's only child if that child is a leaf (not a stub); otherwise -1. */
  #soleLeafChild(b: number): number {
    const meta = this.#slabs.meta[b >>> BRANCH_SHIFT]!;
    const mb = (b & BRANCH_MASK) * META_STRIDE;
    let found = -1;
    for (let i = 0; i < 16; i++) {
      const r = meta[mb + i]!;
      if (r === 0) continue;
      if (found >= 0 || r > 0 || r === STUB_REF) return -1;
      found = i;
    }
    return found;
  }

  /** Recomputes the hashes of stack[top-1] .. stack[0], each into its parent's slot. */
  #rehash(path: Uint8Array, top: number): void {
    const { inputs, meta } = this.#slabs;
    const stack = this.#stack;
    for (let j = top - 1; j >= 0; j--) {
      const b = stack[j]!;
      const m = meta[b >>> BRANCH_SHIFT]!;
      const flags = (b & BRANCH_MASK) * META_STRIDE + FLAGS;
      m[flags] = m[flags]! | FLAG_DIRTY;
      const at = (b & BRANCH_MASK) * NODE_INPUT_SIZE;
      const data = inputs[b >>> BRANCH_SHIFT]!.subarray(at, at + NODE_INPUT_SIZE);
      if (j === 0) sha256Into(data, this.#rootHash, 0);
      else {
        const p = stack[j - 1]!;
        sha256Into(
          data,
          inputs[p >>> BRANCH_SHIFT]!,
          (p & BRANCH_MASK) * NODE_INPUT_SIZE + 1 + nibble(path, 0, j - 1) * HASH_SIZE,
        );
      }
    }
  }

  /** leafHash of leaf l into the slot at depth d. */
  #hashLeaf(l: number, path: Uint8Array, d: number): void {
    const at = (l & LEAF_MASK) * LEAF_INPUT_SIZE;
    const data = this.#slabs.leaves[l >>> LEAF_SHIFT]!.subarray(at, at + LEAF_INPUT_SIZE);
    if (d === 0) sha256Into(data, this.#rootHash, 0);
    else {
      const p = this.#stack[d - 1]!;
      sha256Into(
        data,
        this.#slabs.inputs[p >>> BRANCH_SHIFT]!,
        (p & BRANCH_MASK) * NODE_INPUT_SIZE + 1 + nibble(path, 0, d - 1) * HASH_SIZE,
      );
    }
  }

  /** The buffer and offset of the slot at depth d. */
  #slot(path: Uint8Array, d: number): [Uint8Array, number] {
    if (d === 0) return [this.#rootHash, 0];
    const p = this.#stack[d - 1]!;
    return [
      this.#slabs.inputs[p >>> BRANCH_SHIFT]!,
      (p & BRANCH_MASK) * NODE_INPUT_SIZE + 1 + nibble(path, 0, d - 1) * HASH_SIZE,
    ];
  }

  /** Makes ref the child at depth d on path. */
  #link(path: Uint8Array, d: number, ref: number): void {
    if (d === 0) {
      this.#rootRef = ref;
      return;
    }
    const p = this.#stack[d - 1]!;
    this.#slabs.meta[p >>> BRANCH_SHIFT]![(p & BRANCH_MASK) * META_STRIDE + nibble(path, 0, d - 1)] = ref;
  }

  // ------------------------------------------------------------------ copy-on-write

  /**
   * Path copying: clones every branch of stack[0 .. top-1] that a live
   * snapshot can see, top-down, so the update below writes only to branches
   * of the live tree. One comparison when no snapshot is held.
   */
  #thaw(path: Uint8Array, top: number): void {
    const frozen = this.#epochs.frozenUpTo;
    if (frozen < 0) return;
    const { meta } = this.#slabs;
    const stack = this.#stack;
    for (let j = 0; j < top; j++) {
      const b = stack[j]!;
      const born = meta[b >>> BRANCH_SHIFT]![(b & BRANCH_MASK) * META_STRIDE + BORN]!;
      if (born > frozen) continue;
      const c = this.#slabs.cloneBranch(b, this.#epochs.current);
      this.#epochs.retire(branchRef(b), born);
      stack[j] = c;
      this.#link(path, j, branchRef(c));
    }
  }

  #leafFrozen(l: number): boolean {
    return this.#slabs.leafBorn[l >>> LEAF_SHIFT]![l & LEAF_MASK]! <= this.#epochs.frozenUpTo;
  }

  #dropLeaf(l: number): void {
    if (this.#leafFrozen(l))
      this.#epochs.retire(leafRef(l), this.#slabs.leafBorn[l >>> LEAF_SHIFT]![l & LEAF_MASK]!);
    else this.#slabs.freeLeaf(l);
  }

  #dropBranch(b: number): void {
    const born = this.#slabs.meta[b >>> BRANCH_SHIFT]![(b & BRANCH_MASK) * META_STRIDE + BORN]!;
    if (born <= this.#epochs.frozenUpTo) this.#epochs.retire(branchRef(b), born);
    else this.#slabs.freeBranch(b);
  }

  #releaseSnapshot(epoch: number): void {
    this.#epochs.release(epoch, (ref) =>
      ref > 0 ? this.#slabs.freeBranch(ref - 1) : this.#slabs.freeLeaf(~ref),
    );
  }
}
