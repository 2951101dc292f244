/**
 * Store wrappers for fault injection: delegate everything to a real store and
 * fail `write` on demand — before anything reaches the store (a storage error
 * in the middle of a group commit: LevelDB applies a batch entirely or not at
 * all), or after the batch was written (an ambiguous failure: the data is on
 * disk but the caller is told it failed).
 */
import type { ActorRecord, ExhibitRecord, StateHead } from '../../../src/custody/state.js';
import { CustodyError } from '../../../src/errors.js';
import type { AppendBatch, LedgerStore } from '../../../src/store/store.js';

export class FaultyStore implements LedgerStore {
  readonly inner: LedgerStore;
  /** Fail the next write before it reaches the store. */
  failNextWrite: Error | undefined;
  /** Write the next batch, then throw as if it had failed. */
  failAfterNextWrite: Error | undefined;
  writes = 0;
  batches: AppendBatch[] = [];

  constructor(inner: LedgerStore) {
    this.inner = inner;
  }

  get kind() {
    return this.inner.kind;
  }

  async write(batch: AppendBatch): Promise<void> {
    this.writes++;
    this.batches.push(batch);
    const before = this.failNextWrite;
    if (before) {
      this.failNextWrite = undefined;
      throw before;
    }
    await this.inner.write(batch);
    const after = this.failAfterNextWrite;
    if (after) {
      this.failAfterNextWrite = undefined;
      throw after;
    }
  }

  readHead(): Promise<StateHead | undefined> {
    return this.inner.readHead();
  }
  entry(seq: number) {
    return this.inner.entry(seq);
  }
  entries(from: number, to: number) {
    return this.inner.entries(from, to);
  }
  node(level: number, index: number) {
    return this.inner.node(level, index);
  }
  actor(id: string): Promise<ActorRecord | undefined> {
    return this.inner.actor(id);
  }
  exhibit(id: string): Promise<ExhibitRecord | undefined> {
    return this.inner.exhibit(id);
  }
  listActors() {
    return this.inner.listActors();
  }
  listExhibits() {
    return this.inner.listExhibits();
  }
  exhibitEvents(id: string) {
    return this.inner.exhibitEvents(id);
  }
  actorEntries(id: string) {
    return this.inner.actorEntries(id);
  }
  levelNodes(level: number) {
    return this.inner.levelNodes(level);
  }
  indexRows(kind: 'exhibit' | 'actor') {
    return this.inner.indexRows(kind);
  }
  putCheckpoint(size: number, note: string) {
    return this.inner.putCheckpoint(size, note);
  }
  checkpoint(size: number) {
    return this.inner.checkpoint(size);
  }
  checkpointSizes() {
    return this.inner.checkpointSizes();
  }
  close() {
    return this.inner.close();
  }
}

export const diskFull = () =>
  new CustodyError('STORE_IO', 'storage error: IO error: No space left on device', 'unavailable');
