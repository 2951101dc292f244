/**
 * A ledger server's store, read over its store read protocol
 * (./store-wire.ts; docs/SERVER.md §Store reads). Read-only: appends go to
 * the server as signed statements, which it admits and sequences itself.
 *
 * The server is not trusted for what it answers: everything read here is
 * checked by the same code that checks a local store (the head against the
 * committed map, records against map proofs, entries against signed
 * checkpoints), and an answer that does not decode is STORE_CORRUPT, as a
 * damaged local store would be. Pure: the transport is injected.
 */
import { CustodyError } from '../errors.js';
import { decodeCanonical } from '../format/canonical.js';
import { decodeHead } from './log-head.js';
import type { LogBatch, LogHead, LogStore } from './log-store.js';
import { ITEMS_PAGE, type StoreRead, storePath } from './store-wire.js';

export interface StoreAnswer {
  /** The body, or undefined when the server answers 404. */
  body: Uint8Array | undefined;
  /** The tree size of the snapshot that answered (header Custody-Tree-Size; ./store-wire.ts). */
  size: number | undefined;
}

export interface StoreTransport {
  /** GETs `/v1/store/<path>`, from the snapshot of tree size `at` (the newest when undefined). */
  get(path: string, at?: number): Promise<StoreAnswer>;
}

/**
 * Thrown when the server's ledger grew while a command was reading it: what
 * it read would mix two states. Nothing was appended by the command yet (the
 * snapshot is re-taken after an append), so the command starts over.
 */
export const LEDGER_MOVED = 'LEDGER_MOVED';

const corrupt = (what: string) =>
  new CustodyError('STORE_CORRUPT', `the server's answer for ${what} is malformed`, 'unavailable');

const readOnly = () =>
  new CustodyError(
    'LEDGER_REMOTE_READ_ONLY',
    "this operation changes the ledger's store directly; run it on the server's ledger directory",
    'input',
  );

type Row = readonly unknown[];
const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array;

/**
 * One consistent snapshot at a time: the first head read takes the server's
 * newest snapshot and pins its tree size; every later read names it (`at`),
 * so the server answers all of them from the same state. A snapshot the
 * server has released is LEDGER_MOVED (the command reads again). Lists of
 * positions are also clipped to the pinned size, so an answer that reaches
 * past the snapshot is never believed.
 */
export class RemoteLogStore implements LogStore {
  readonly kind = 'remote' as const;
  /** The pinned snapshot: its head and tree size (one fetch at a time: concurrent reads share it). */
  #pin: Promise<{ head: LogHead | undefined; size: number }> | undefined;

  constructor(private readonly transport: StoreTransport) {}

  /** Forgets the snapshot: the next read takes a new one (after an append, or to start over). */
  repin(): void {
    this.#pin = undefined;
  }

  #pinned(): Promise<{ head: LogHead | undefined; size: number }> {
    this.#pin ??= (async () => {
      const a = await this.transport.get(storePath({ op: 'head' }));
      const head = a.body && decodeHead(a.body);
      if ((head?.size ?? 0) !== a.size) throw corrupt('head');
      return { head, size: a.size ?? 0 };
    })();
    return this.#pin;
  }

  /** The pinned tree size. */
  async #size(): Promise<number> {
    return (await this.#pinned()).size;
  }

  /** A read from the pinned snapshot; a server that answers from another one is not believed. */
  async #get(r: StoreRead): Promise<Uint8Array | undefined> {
    const size = await this.#size();
    const a = await this.transport.get(storePath(r), size);
    if (a.size !== size) throw corrupt(storePath(r));
    return a.body;
  }

  async #list(r: StoreRead): Promise<unknown[]> {
    const body = await this.#get(r);
    if (!body) throw corrupt(storePath(r));
    const d = decodeCanonical(body);
    if ('error' in d || !Array.isArray(d.value)) throw corrupt(storePath(r));
    return d.value;
  }

  async #rows<T>(r: StoreRead, check: (row: Row) => T | undefined): Promise<T[]> {
    const out: T[] = [];
    for (const row of await this.#list(r)) {
      const t = Array.isArray(row) ? check(row) : undefined;
      if (t === undefined) throw corrupt(storePath(r));
      out.push(t);
    }
    return out;
  }

  async readHead(): Promise<LogHead | undefined> {
    return (await this.#pinned()).head;
  }
  async #within(index: number): Promise<boolean> {
    return index < (await this.#size());
  }
  async entry(index: number) {
    return (await this.#within(index)) ? this.#get({ op: 'entry', index }) : undefined;
  }
  async payload(index: number) {
    return (await this.#within(index)) ? this.#get({ op: 'payload', index }) : undefined;
  }
  async openings(index: number) {
    return (await this.#within(index)) ? this.#get({ op: 'openings', index }) : undefined;
  }
  mapNode(hash: Uint8Array) {
    return this.#get({ op: 'map-node', hash });
  }
  record(ns: string, key: Uint8Array) {
    return this.#get({ op: 'record', ns, key });
  }

  async *items(from: number, upTo: number, opts?: { openings?: boolean }) {
    const openings = opts?.openings === true;
    const to = Math.min(upTo, await this.#size());
    for (let start = from; start < to; start += ITEMS_PAGE) {
      const end = Math.min(to, start + ITEMS_PAGE);
      const page = await this.#list({ op: 'items', from: start, to: end, openings });
      // Exactly the positions asked for, in order: a page reaching past them is not believed.
      if (page.length > end - start) throw corrupt('items');
      let expected = start;
      for (const v of page) {
        const m = v as Record<string, unknown> | null;
        if (
          !m ||
          typeof m !== 'object' ||
          m['index'] !== expected++ ||
          !isUint(m['index']) ||
          !isBytes(m['entry']) ||
          !isBytes(m['payload'])
        )
          throw corrupt('items');
        const o = m['openings'];
        if (o !== undefined && !isBytes(o)) throw corrupt('items');
        yield o
          ? { index: m['index'], entry: m['entry'], payload: m['payload'], openings: o }
          : { index: m['index'], entry: m['entry'], payload: m['payload'] };
      }
      // A short page means the store ends here.
      if (page.length < end - start) return;
    }
  }

  async *records(ns: string) {
    yield* await this.#rows({ op: 'records', ns }, ([key, bytes]) =>
      isBytes(key) && isBytes(bytes) ? { key, bytes } : undefined,
    );
  }
  async *treeNodes(level: number) {
    // Complete subtrees of the pinned tree only: nodes are immutable, and later ones are clipped.
    const pinned = await this.#size();
    const within = (index: number) => (index + 1) * 2 ** level <= pinned;
    yield* (
      await this.#rows({ op: 'tree-nodes', level }, ([index, hash]) =>
        isUint(index) && isBytes(hash) ? { index, hash } : undefined,
      )
    ).filter((n) => within(n.index));
  }
  async *statementRows() {
    const pinned = await this.#size();
    yield* (
      await this.#rows({ op: 'statement-rows' }, ([id, index]) =>
        isBytes(id) && isUint(index) ? { id, index } : undefined,
      )
    ).filter((r) => r.index < pinned);
  }

  async statementIndex(id: Uint8Array): Promise<number | undefined> {
    const b = await this.#get({ op: 'statement-index', id });
    if (!b) return undefined;
    const d = decodeCanonical(b);
    if ('error' in d || !isUint(d.value)) throw corrupt('statement-index');
    // A statement logged after the snapshot is not in it (positions never change).
    return (await this.#within(d.value)) ? d.value : undefined;
  }
  async exhibitEvents(id: Uint8Array): Promise<number[]> {
    const v = await this.#list({ op: 'exhibit-events', id });
    if (!v.every(isUint)) throw corrupt('exhibit-events');
    const pinned = await this.#size();
    return v.filter((i) => i < pinned);
  }
  async checkpoint(size: number): Promise<string | undefined> {
    if (size > (await this.#size())) return undefined;
    const b = await this.#get({ op: 'checkpoint', size });
    if (!b) return undefined;
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch {
      throw corrupt('checkpoint');
    }
  }
  async checkpointSizes(): Promise<number[]> {
    const v = await this.#list({ op: 'checkpoint-sizes' });
    if (!v.every(isUint)) throw corrupt('checkpoint-sizes');
    const pinned = await this.#size();
    return v.filter((n) => n <= pinned);
  }
  async node(level: number, index: number): Promise<Uint8Array> {
    const n =
      (index + 1) * 2 ** level <= (await this.#size())
        ? await this.#get({ op: 'node', level, index })
        : undefined;
    if (n?.length !== 32)
      throw new CustodyError(
        'STORE_CORRUPT',
        `Merkle node ${level}/${index} is missing or damaged`,
        'unavailable',
      );
    return n;
  }

  async write(_b: LogBatch): Promise<void> {
    throw readOnly();
  }
  async eraseOpenings(): Promise<void> {
    throw readOnly();
  }
  async restoreEntries(): Promise<void> {
    throw readOnly();
  }
  async putCheckpoint(): Promise<void> {
    throw readOnly();
  }
  /** A server's witness state is not part of the store read protocol. */
  async witnessState(): Promise<Uint8Array | undefined> {
    return undefined;
  }
  async putWitnessState(): Promise<void> {
    throw readOnly();
  }
  async close(): Promise<void> {}
}
