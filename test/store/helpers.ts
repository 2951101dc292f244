/**
 * Shared helpers of the store tests: hand-built LogBatch objects (a fake log
 * whose Merkle nodes are real, computed with MerkleFrontier, and whose other
 * data only has the right shape), error assertions and a full dump of a
 * store's contents for before/after comparisons.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { encodeEntry } from '../../src/format/entry.js';
import { MerkleFrontier } from '../../src/merkle/frontier.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import type { LogBatch, LoggedEntry, LogHead, LogStore, RecordWrite } from '../../src/store/log-store.js';

/**
 * Byte arrays compare by content in these tests: LevelLogStore hands out Node
 * Buffers (a Uint8Array subclass, from `level`) where MemoryLogStore hands out
 * plain Uint8Arrays, and vitest's toEqual would otherwise tell them apart.
 */
expect.addEqualityTesters([
  (a: unknown, b: unknown) =>
    a instanceof Uint8Array && b instanceof Uint8Array ? Buffer.compare(a, b) === 0 : undefined,
]);

const enc = new TextEncoder();
export const hash32 = (label: string): Uint8Array => sha256(enc.encode(label));

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Awaits `p`, expects it to reject with a CustodyError (of `code`, if given) and returns the error. */
export async function expectCustodyError(p: Promise<unknown>, code?: string): Promise<CustodyError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected a CustodyError, but the promise resolved').toBeInstanceOf(CustodyError);
  const err = e as CustodyError;
  if (code !== undefined) expect(err.code, err.message).toBe(code);
  return err;
}

/** Temp directories removed by `removeTempDirs` (call it in afterEach). */
const tempDirs: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'custody-store-'));
  tempDirs.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Distinct, variable-length payload bytes for an index (8..307 bytes, starts with the index as u64 BE). */
export function payloadBytes(index: number, salt = 0): Uint8Array {
  const b = new Uint8Array(8 + ((index * 37 + salt) % 300));
  new DataView(b.buffer).setBigUint64(0, BigInt(index));
  for (let i = 8; i < b.length; i++) b[i] = (index * 7 + i * 13 + salt) & 0xff;
  return b;
}

export const EX_ONE = hash32('exhibit one');
export const EX_TWO = hash32('exhibit two');
export const EX_COPY = hash32('exhibit one, copy');
export const EX_NONE = hash32('no such exhibit');
export const statementId = (index: number) => hash32(`statement ${index}`);
export const openingsOf = (index: number) =>
  encodeCanonical({ reason: [hash32(`salt ${index}`), `why ${index}`] });

/**
 * A fake log that produces consecutive hand-built batches. Entries are real
 * entry encodings over made-up payloads and map roots (a store never decodes
 * them); the Merkle nodes are the real ones for their leaf hashes, so rootAt()
 * over the store can be checked.
 */
export class FakeLog {
  readonly frontier = MerkleFrontier.empty();
  readonly entries: LoggedEntry[] = [];
  /** Root after each size (index = size). */
  readonly roots: Uint8Array[] = [this.frontier.root()];

  get size(): number {
    return this.entries.length;
  }

  head(extra: Partial<LogHead> = {}): LogHead {
    return {
      size: this.size,
      lastTime: Date.UTC(2026, 2, 1) + this.size * 1000,
      mapRoot: hash32(`map root at ${this.size}`),
      mapSize: this.size * 3,
      mapRootLeaf: null,
      ...extra,
    };
  }

  /**
   * The next batch of `count` entries. By default entry i has openings when
   * i % 3 == 0 and is an event of EX_ONE when i is even, of EX_TWO when
   * i % 3 == 0.
   */
  batch(
    count: number,
    opts: {
      records?: RecordWrite[];
      mapNodes?: { hash: Uint8Array; bytes: Uint8Array }[];
      exhibits?: (index: number) => Uint8Array[];
      head?: Partial<LogHead>;
    } = {},
  ): LogBatch {
    const tag =
      opts.exhibits ?? ((i: number) => [...(i % 2 === 0 ? [EX_ONE] : []), ...(i % 3 === 0 ? [EX_TWO] : [])]);
    const out: LogBatch = {
      entries: [],
      treeNodes: [],
      mapNodes: opts.mapNodes ?? [],
      records: opts.records ?? [],
      head: this.head(),
    };
    for (let k = 0; k < count; k++) {
      const index = this.size;
      const payload = payloadBytes(index);
      const entry = encodeEntry({
        index,
        time: Date.UTC(2026, 2, 1) + index * 1000,
        mapRoot: hash32(`map root at ${index + 1}`),
        payloadType: 1,
        payloadHash: sha256(payload),
      });
      const e: LoggedEntry = { index, entry, payload, id: statementId(index), exhibits: tag(index) };
      if (index % 3 === 0) e.openings = openingsOf(index);
      this.entries.push(structuredClone(e));
      out.entries.push(e);
      out.treeNodes.push(...this.frontier.append(hashLeaf(entry)));
      this.roots.push(this.frontier.root());
    }
    out.head = this.head(opts.head);
    return out;
  }

  /** Indexes of the entries tagged with exhibit `id`, ascending. */
  events(id: Uint8Array): number[] {
    return this.entries
      .filter((e) => e.exhibits.some((x) => Buffer.compare(x, id) === 0))
      .map((e) => e.index);
  }
}

/** Every complete-subtree node (level, index) of a tree of `size` leaves. */
export function completeNodes(size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let level = 0; 2 ** level <= size; level++)
    for (let index = 0; (index + 1) * 2 ** level <= size; index++) out.push([level, index]);
  return out;
}

export interface Ids {
  statements: Uint8Array[];
  exhibits: Uint8Array[];
  mapNodes: Uint8Array[];
  records: [string, Uint8Array][];
  namespaces: string[];
}

/** Everything readable from a store, for the ids given. */
export async function snapshot(store: LogStore, ids: Ids) {
  const head = await store.readHead();
  const size = head?.size ?? 0;
  const nodes: [number, number, Uint8Array][] = [];
  for (const [level, index] of completeNodes(size))
    nodes.push([level, index, await store.node(level, index)]);
  const checkpoints: [number, string | undefined][] = [];
  for (const s of await store.checkpointSizes()) checkpoints.push([s, await store.checkpoint(s)]);
  const upTo = Array.from({ length: size + 2 }, (_, i) => i);
  return {
    head,
    items: await collect(store.items(0, size + 10)),
    entries: await Promise.all(upTo.map((i) => store.entry(i))),
    payloads: await Promise.all(upTo.map((i) => store.payload(i))),
    openings: await Promise.all(upTo.map((i) => store.openings(i))),
    nodes,
    mapNodes: await Promise.all(ids.mapNodes.map((h) => store.mapNode(h))),
    records: await Promise.all(ids.records.map(([ns, key]) => store.record(ns, key))),
    listed: await Promise.all(ids.namespaces.map((ns) => collect(store.records(ns)))),
    statements: await Promise.all(ids.statements.map((id) => store.statementIndex(id))),
    events: await Promise.all(ids.exhibits.map((id) => store.exhibitEvents(id))),
    checkpoints,
  };
}
