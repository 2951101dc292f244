/**
 * An immutable view of the map at one moment (docs/STATE-MAP.md §Snapshots):
 * its root, size, lookups and proofs stay those of that moment while the live
 * map goes on changing, because the map clones any node a live snapshot can
 * see before changing it (./epochs.ts). release() lets the nodes only this
 * snapshot still sees be reused; using a released snapshot is a bug and
 * throws MAP_SNAPSHOT_RELEASED.
 */
import { HASH_SIZE } from './constants.js';
import { snapshotReleased } from './errors.js';
import { type MapKey, pathInto } from './path.js';
import type { MapProof } from './proof.js';
import { lookup, proveIn } from './read.js';
import type { Slabs } from './slabs.js';

/** What a snapshot needs from the map that made it. */
export interface SnapshotSource {
  readonly slabs: Slabs;
  releaseSnapshot(epoch: number): void;
}

export class MapSnapshot {
  readonly #source: SnapshotSource;
  readonly #rootRef: number;
  readonly #root: Uint8Array;
  readonly #path = new Uint8Array(HASH_SIZE);
  #released = false;
  /** The map's epoch this snapshot closed. */
  readonly epoch: number;
  /** Number of keys. */
  readonly size: number;

  constructor(source: SnapshotSource, epoch: number, rootRef: number, root: Uint8Array, size: number) {
    this.#source = source;
    this.epoch = epoch;
    this.#rootRef = rootRef;
    this.#root = Uint8Array.from(root);
    this.size = size;
  }

  get released(): boolean {
    return this.#released;
  }

  /** The root at the moment of the snapshot (a copy). */
  get root(): Uint8Array {
    return Uint8Array.from(this.#root);
  }

  get(ns: string, key: MapKey): Uint8Array | undefined {
    this.#live();
    pathInto(ns, key, this.#path, 0);
    return lookup(this.#source.slabs, this.#rootRef, this.#path);
  }

  prove(ns: string, key: MapKey): MapProof {
    this.#live();
    pathInto(ns, key, this.#path, 0);
    return proveIn(this.#source.slabs, this.#rootRef, this.#path);
  }

  /** As prove(), for a key given by its path. */
  proveAtPath(path: Uint8Array): MapProof {
    this.#live();
    return proveIn(this.#source.slabs, this.#rootRef, path);
  }

  /** Ends the snapshot; idempotent. */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    this.#source.releaseSnapshot(this.epoch);
  }

  #live(): void {
    if (this.#released) throw snapshotReleased();
  }
}
