/**
 * A LogStore wrapper for fault injection: delegates everything to a real
 * store and fails `write` on demand — before anything reaches the store (a
 * storage error in the middle of a group commit: LevelDB applies a batch
 * entirely or not at all), or after the batch was written (an ambiguous
 * failure: the data is on disk but the caller is told it failed).
 */
import { CustodyError } from '../../../src/errors.js';
import type { LogBatch, LogHead, LogStore } from '../../../src/store/log-store.js';

export class FaultyStore implements LogStore {
  readonly inner: LogStore;
  /** Fail the next write before it reaches the store. */
  failNextWrite: Error | undefined;
  /** Write the next batch, then throw as if it had failed. */
  failAfterNextWrite: Error | undefined;
  writes = 0;
  batches: LogBatch[] = [];

  constructor(inner: LogStore) {
    this.inner = inner;
  }

  get kind() {
    return this.inner.kind;
  }

  async write(batch: LogBatch): Promise<void> {
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

  readHead(): Promise<LogHead | undefined> {
    return this.inner.readHead();
  }
  entry(i: number) {
    return this.inner.entry(i);
  }
  payload(i: number) {
    return this.inner.payload(i);
  }
  openings(i: number) {
    return this.inner.openings(i);
  }
  restoreEntries(items: readonly { index: number; entry: Uint8Array; payload: Uint8Array }[]) {
    return this.inner.restoreEntries(items);
  }
  eraseOpenings(refs: readonly { index: number; fields: readonly string[] }[]) {
    return this.inner.eraseOpenings(refs);
  }
  items(from: number, to: number, opts?: { openings?: boolean }) {
    return this.inner.items(from, to, opts);
  }
  node(level: number, index: number) {
    return this.inner.node(level, index);
  }
  mapNode(hash: Uint8Array) {
    return this.inner.mapNode(hash);
  }
  record(ns: string, key: Uint8Array) {
    return this.inner.record(ns, key);
  }
  records(ns: string) {
    return this.inner.records(ns);
  }
  treeNodes(level: number) {
    return this.inner.treeNodes(level);
  }
  statementRows() {
    return this.inner.statementRows();
  }
  statementIndex(id: Uint8Array) {
    return this.inner.statementIndex(id);
  }
  exhibitEvents(id: Uint8Array) {
    return this.inner.exhibitEvents(id);
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
  witnessState(origin: string) {
    return this.inner.witnessState(origin);
  }
  putWitnessState(origin: string, bytes: Uint8Array) {
    return this.inner.putWitnessState(origin, bytes);
  }
  close() {
    return this.inner.close();
  }
}

export const diskFull = () =>
  new CustodyError('STORE_IO', 'storage error: IO error: No space left on device', 'unavailable');
