/**
 * Node storage of the live state map: large shared typed arrays ("slabs")
 * indexed by integers, instead of one JS object per node. At a million keys
 * that is about 360,000 branches and a million leaves; as objects they cost
 * more in headers and pointers than the hashes they hold, and every update
 * would chase them through the heap.
 *
 * Branch b:
 *   input  513 bytes: its hash input 0x01 ‖ c0 ‖ … ‖ c15 (docs/STATE-MAP.md
 *          §Construction). Child i's hash lives in slot i, written there
 *          whenever the child changes, so rehashing b is one SHA-256 over this
 *          buffer, with no gathering and no allocation.
 *   meta   18 int32: the 16 child references, the epoch b was born in, flags.
 * Leaf l:
 *   input  65 bytes: its hash input 0x00 ‖ path ‖ value, so the leaf is stored
 *          and hashed in the same bytes.
 *   born   the epoch l was born in.
 *
 * Child references (int32): 0 = EMPTY, b + 1 = branch b, ~l = leaf l (< 0),
 * STUB_REF = a branch not loaded (a map opened from a store, ./lazy.ts): known
 * only by its hash, which is in the parent's slot like any child's hash.
 *
 * Chunks are fixed-size and never move or grow (growth by doubling would copy
 * hundreds of megabytes and keep up to half of them unused), except the first
 * of each kind: it starts small and doubles up to the full chunk size, so
 * that a small map, or a map opened from a store that loads a few paths
 * (./lazy.ts), does not allocate and zero a megabyte. That copies at most one
 * chunk, once. Nothing keeps a chunk across an allocation (callers look
 * chunks up again after allocating). Freed indices go on free lists and are
 * reused; a freed slot is zeroed at once, so a slot handed out is always 16
 * EMPTY children.
 */
import { HASH_SIZE, LEAF_INPUT_SIZE, NODE_INPUT_SIZE, NODE_PREFIX } from './constants.js';

export const BRANCH_SHIFT = 10;
export const BRANCH_MASK = (1 << BRANCH_SHIFT) - 1;
export const META_STRIDE = 18;
/** meta[BORN]: the epoch the node was born in (./epochs.ts). */
export const BORN = 16;
/** meta[FLAGS]: FLAG_DIRTY. */
export const FLAGS = 17;
/** Changed since the last takeDirty() (./dirty.ts). */
export const FLAG_DIRTY = 1;

export const LEAF_SHIFT = 13;
export const LEAF_MASK = (1 << LEAF_SHIFT) - 1;

/** Slots in the first chunk of each kind when it is created; it doubles up to a full chunk. */
const FIRST_CHUNK_SLOTS = 16;

/** A copy of `from` in a new array of `length` elements. */
function grown<T extends Uint8Array | Int32Array>(
  from: T | undefined,
  make: (n: number) => T,
  length: number,
): T {
  const to = make(length);
  if (from) to.set(from);
  return to;
}

export const EMPTY_REF = 0;
export const branchRef = (b: number): number => b + 1;
export const leafRef = (l: number): number => ~l;
/**
 * A branch known only by its hash (not loaded). It is negative, like a leaf,
 * so a descent (`while (ref > 0)`) stops at a stub with no test per level:
 * whoever reads the reference it stopped at checks for STUB_REF once, before
 * taking it for a leaf. It is ~(2^31 - 1), a leaf index never reached
 * (allocLeaf refuses it: 2^31 leaves would be 140 GB of slabs).
 */
export const STUB_REF = -0x80000000;

export class Slabs {
  /** Branch hash inputs, NODE_INPUT_SIZE bytes per branch. */
  readonly inputs: Uint8Array[] = [];
  /** Branch metadata, META_STRIDE int32 per branch. */
  readonly meta: Int32Array[] = [];
  /** Leaf hash inputs, LEAF_INPUT_SIZE bytes per leaf. */
  readonly leaves: Uint8Array[] = [];
  /** Leaf birth epochs. */
  readonly leafBorn: Int32Array[] = [];
  private branchEnd = 0;
  private leafEnd = 0;
  /** Slots the chunks hold now: a fresh index at or past it needs growth. */
  private branchCap = 0;
  private leafCap = 0;
  private readonly freeBranches: number[] = [];
  private readonly freeLeaves: number[] = [];

  /** A branch with 16 EMPTY children. */
  allocBranch(born: number): number {
    let b = this.freeBranches.pop();
    if (b === undefined) {
      b = this.branchEnd++;
      if (b >= this.branchCap) this.growBranches();
      this.inputs[b >>> BRANCH_SHIFT]![(b & BRANCH_MASK) * NODE_INPUT_SIZE] = NODE_PREFIX;
    }
    this.meta[b >>> BRANCH_SHIFT]![(b & BRANCH_MASK) * META_STRIDE + BORN] = born;
    return b;
  }

  private growBranches(): void {
    const full = 1 << BRANCH_SHIFT;
    if (this.branchCap < full) {
      const cap = Math.min(full, Math.max(FIRST_CHUNK_SLOTS, this.branchCap * 2));
      this.inputs[0] = grown(this.inputs[0], (n) => new Uint8Array(n), NODE_INPUT_SIZE * cap);
      this.meta[0] = grown(this.meta[0], (n) => new Int32Array(n), META_STRIDE * cap);
      this.branchCap = cap;
      return;
    }
    this.inputs.push(new Uint8Array(NODE_INPUT_SIZE << BRANCH_SHIFT));
    this.meta.push(new Int32Array(META_STRIDE << BRANCH_SHIFT));
    this.branchCap += full;
  }

  private growLeaves(): void {
    const full = 1 << LEAF_SHIFT;
    if (this.leafCap < full) {
      const cap = Math.min(full, Math.max(FIRST_CHUNK_SLOTS, this.leafCap * 2));
      this.leaves[0] = grown(this.leaves[0], (n) => new Uint8Array(n), LEAF_INPUT_SIZE * cap);
      this.leafBorn[0] = grown(this.leafBorn[0], (n) => new Int32Array(n), cap);
      this.leafCap = cap;
      return;
    }
    if (leafRef(this.leafCap) <= STUB_REF + LEAF_MASK) throw new RangeError('state map: too many leaves');
    this.leaves.push(new Uint8Array(LEAF_INPUT_SIZE << LEAF_SHIFT));
    this.leafBorn.push(new Int32Array(1 << LEAF_SHIFT));
    this.leafCap += full;
  }

  /** A copy of branch b (children, hash input, flags), born in `born`. */
  cloneBranch(b: number, born: number): number {
    const c = this.allocBranch(born);
    const from = (b & BRANCH_MASK) * NODE_INPUT_SIZE;
    this.inputs[c >>> BRANCH_SHIFT]!.set(
      this.inputs[b >>> BRANCH_SHIFT]!.subarray(from, from + NODE_INPUT_SIZE),
      (c & BRANCH_MASK) * NODE_INPUT_SIZE,
    );
    const m = this.meta[b >>> BRANCH_SHIFT]!;
    const mb = (b & BRANCH_MASK) * META_STRIDE;
    const cm = this.meta[c >>> BRANCH_SHIFT]!;
    const mc = (c & BRANCH_MASK) * META_STRIDE;
    for (let i = 0; i < BORN; i++) cm[mc + i] = m[mb + i]!;
    cm[mc + FLAGS] = m[mb + FLAGS]!;
    return c;
  }

  freeBranch(b: number): void {
    const at = (b & BRANCH_MASK) * NODE_INPUT_SIZE;
    this.inputs[b >>> BRANCH_SHIFT]!.fill(0, at + 1, at + NODE_INPUT_SIZE);
    const mb = (b & BRANCH_MASK) * META_STRIDE;
    this.meta[b >>> BRANCH_SHIFT]!.fill(0, mb, mb + META_STRIDE);
    this.freeBranches.push(b);
  }

  /** A leaf for (path at path[pathAt ..], value at value[valueAt ..]). */
  allocLeaf(path: Uint8Array, pathAt: number, value: Uint8Array, valueAt: number, born: number): number {
    let l = this.freeLeaves.pop();
    if (l === undefined) {
      l = this.leafEnd++;
      if (l >= this.leafCap) this.growLeaves();
    }
    const buf = this.leaves[l >>> LEAF_SHIFT]!;
    const at = (l & LEAF_MASK) * LEAF_INPUT_SIZE;
    // Byte 0 stays 0x00 (LEAF_PREFIX): chunks start zeroed and it is never written.
    buf.set(path.subarray(pathAt, pathAt + HASH_SIZE), at + 1);
    buf.set(value.subarray(valueAt, valueAt + HASH_SIZE), at + 1 + HASH_SIZE);
    this.leafBorn[l >>> LEAF_SHIFT]![l & LEAF_MASK] = born;
    return l;
  }

  freeLeaf(l: number): void {
    this.freeLeaves.push(l);
  }

  /** Branches and leaves in use (live, or kept for snapshots). */
  get branchCount(): number {
    return this.branchEnd - this.freeBranches.length;
  }

  get leafCount(): number {
    return this.leafEnd - this.freeLeaves.length;
  }

  /** Bytes held by the slabs and free lists (for measurements). */
  allocatedBytes(): number {
    const perBranch = NODE_INPUT_SIZE + META_STRIDE * 4;
    const perLeaf = LEAF_INPUT_SIZE + 4;
    return (
      this.branchCap * perBranch +
      this.leafCap * perLeaf +
      8 * (this.freeBranches.length + this.freeLeaves.length)
    );
  }
}
