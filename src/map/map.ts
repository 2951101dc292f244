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
 */
import { sha256Into } from '../crypto/sha256.js';
import { HASH_SIZE, LEAF_INPUT_SIZE, MAX_LEVELS, NODE_INPUT_SIZE, PATH_NIBBLES } from './constants.js';
import { collectDirty, leafOf, type MapChanges } from './dirty.js';
import { Epochs } from './epochs.js';
import { keyInvalid, valueInvalid } from './errors.js';
import { isBytes, type MapKey, nibble, pathInto } from './path.js';
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
    const leaf = r < 0 ? leafOf(this.#slabs, ~r) : undefined;
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

  /** Descends along path, filling the stack and #top; returns the reference where it ends (EMPTY or a leaf). */
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
    // The old leaf's hash, still in the slot at depth d, moves down unchanged.
    const [hashBuf, hashAt] = this.#slot(path, d);
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
    input.set(hashBuf.subarray(hashAt, hashAt + HASH_SIZE), inAt + oldNib * HASH_SIZE);
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
    if (ref === EMPTY_REF || !leafPathEquals(slabs, ~ref, path)) return false;
    this.#thaw(path, top);
    this.#dropLeaf(~ref);
    this.#size--;
    this.#link(path, top, EMPTY_REF);
    const [buf, at] = this.#slot(path, top);
    buf.fill(0, at, at + HASH_SIZE);
    // Re-compaction: a branch left with a single leaf as its only child
    // becomes that leaf, and so on upwards. A branch whose only child is a
    // branch stays (it still has two leaves or more below it).
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

  /** The child index of b's only child if that child is a leaf; otherwise -1. */
  #soleLeafChild(b: number): number {
    const meta = this.#slabs.meta[b >>> BRANCH_SHIFT]!;
    const mb = (b & BRANCH_MASK) * META_STRIDE;
    let found = -1;
    for (let i = 0; i < 16; i++) {
      const r = meta[mb + i]!;
      if (r === 0) continue;
      if (found >= 0 || r > 0) return -1;
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
