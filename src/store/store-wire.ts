/**
 * The store read protocol of a ledger server (docs/SERVER.md §Store reads):
 * how a client reads a remote ledger's LogStore, one GET per read, so that
 * every reading command runs unchanged against a server and checks what it
 * reads itself (the head against the committed map, proofs against signed
 * checkpoints), as it does on a local directory.
 *
 * Both sides are here, so they cannot drift: `storePath` names a read, and
 * `answerStoreRead` answers one from a LogStore. Bodies are raw bytes for
 * single values and canonical msgpack (docs/FORMAT.md §Canonical MessagePack)
 * for lists and numbers; a missing value is 404. Openings are cleartext and
 * need-to-know applies to them: the server decides before it answers
 * (`openingIndexes` names the entries a read would reveal).
 *
 * Pure: no file or network access; the transport is the caller's.
 */
import { fromHex, toHex, utf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { type Canonical, encodeCanonical } from '../format/canonical.js';
import { encodeHead } from './log-head.js';
import type { LogStore } from './log-store.js';

/**
 * The answer's header naming the server's tree size read after the value
 * was: a reader holding a snapshot of that size knows no write came between
 * (src/store/log-remote.ts).
 */
export const TREE_SIZE_HEADER = 'custody-tree-size';

/** Entries per `items` page: bounded answers (an entry with its statement is a few KiB at most). */
export const ITEMS_PAGE = 512;

export type StoreRead =
  | { op: 'head' }
  | { op: 'entry' | 'payload' | 'openings'; index: number }
  | { op: 'items'; from: number; to: number; openings: boolean }
  | { op: 'map-node'; hash: Uint8Array }
  | { op: 'record'; ns: string; key: Uint8Array }
  | { op: 'records'; ns: string }
  | { op: 'tree-nodes'; level: number }
  | { op: 'statement-rows' }
  | { op: 'statement-index' | 'exhibit-events'; id: Uint8Array }
  | { op: 'checkpoint'; size: number }
  | { op: 'checkpoint-sizes' }
  | { op: 'node'; level: number; index: number };

/** The path (under /v1/store/) of a read. */
export function storePath(r: StoreRead): string {
  switch (r.op) {
    case 'head':
    case 'statement-rows':
    case 'checkpoint-sizes':
      return r.op;
    case 'entry':
    case 'payload':
    case 'openings':
      return `${r.op}/${r.index}`;
    case 'items':
      return `items/${r.from}/${r.to}${r.openings ? '/openings' : ''}`;
    case 'map-node':
      return `map-node/${toHex(r.hash)}`;
    case 'record':
      return `record/${r.ns}/${toHex(r.key)}`;
    case 'records':
      return `records/${r.ns}`;
    case 'tree-nodes':
      return `tree-nodes/${r.level}`;
    case 'statement-index':
    case 'exhibit-events':
      return `${r.op}/${toHex(r.id)}`;
    case 'checkpoint':
      return `checkpoint/${r.size}`;
    case 'node':
      return `node/${r.level}/${r.index}`;
  }
}

const NUM = /^(0|[1-9][0-9]{0,15})$/;
const HEX = /^([0-9a-f]{2}){1,64}$/;
const NS = /^[a-z][a-z0-9-]{0,31}$/;
const RECORD_KEY = /^([0-9a-f]{2}){0,512}$/;

const num = (s: string | undefined): number | undefined =>
  s !== undefined && NUM.test(s) && Number.isSafeInteger(Number(s)) ? Number(s) : undefined;
const hex = (s: string | undefined): Uint8Array | undefined =>
  s !== undefined && HEX.test(s) ? fromHex(s) : undefined;

/** Parses a path `storePath` made; undefined for anything else (the server answers 404). */
export function parseStorePath(path: string): StoreRead | undefined {
  const [op, a, b, c, ...rest] = path.split('/');
  if (rest.length > 0) return undefined;
  const one = b === undefined;
  switch (op) {
    case 'head':
    case 'statement-rows':
    case 'checkpoint-sizes':
      return a === undefined ? { op } : undefined;
    case 'entry':
    case 'payload':
    case 'openings': {
      const index = num(a);
      return index !== undefined && one ? { op, index } : undefined;
    }
    case 'items': {
      const from = num(a);
      const to = num(b);
      if (from === undefined || to === undefined || to < from || to - from > ITEMS_PAGE) return undefined;
      if (c !== undefined && c !== 'openings') return undefined;
      return { op, from, to, openings: c === 'openings' };
    }
    case 'map-node': {
      const hash = hex(a);
      return hash?.length === 32 && one ? { op, hash } : undefined;
    }
    case 'record': {
      // A record key may be empty (the ledger record's is).
      const key = b !== undefined && RECORD_KEY.test(b) ? fromHex(b) : undefined;
      return a !== undefined && NS.test(a) && key && c === undefined ? { op, ns: a, key } : undefined;
    }
    case 'records':
      return a !== undefined && NS.test(a) && one ? { op, ns: a } : undefined;
    case 'tree-nodes': {
      const level = num(a);
      return level !== undefined && level < 64 && one ? { op, level } : undefined;
    }
    case 'statement-index':
    case 'exhibit-events': {
      const id = hex(a);
      return id?.length === 32 && one ? { op, id } : undefined;
    }
    case 'checkpoint': {
      const size = num(a);
      return size !== undefined && one ? { op, size } : undefined;
    }
    case 'node': {
      const level = num(a);
      const index = num(b);
      return level !== undefined && level < 64 && index !== undefined && c === undefined
        ? { op, level, index }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** The entries whose cleartext a read would reveal (need-to-know is decided on these). */
export function openingIndexes(r: StoreRead): number[] {
  if (r.op === 'openings') return [r.index];
  if (r.op === 'items' && r.openings) return Array.from({ length: r.to - r.from }, (_, i) => r.from + i);
  return [];
}

const list = async <T>(it: AsyncIterable<T>, map: (t: T) => Canonical): Promise<Uint8Array> => {
  const out: Canonical[] = [];
  for await (const x of it) out.push(map(x));
  return encodeCanonical(out);
};

/**
 * Answers a read from `store`: the body bytes, or undefined when there is no
 * such value (404). A read past the head answers what the store has.
 */
export async function answerStoreRead(
  store: LogStore,
  r: StoreRead,
  /** For `items` with openings: the entries whose openings may be given (others come without, as if erased). */
  mayOpen?: (index: number) => boolean,
): Promise<Uint8Array | undefined> {
  switch (r.op) {
    case 'head': {
      const h = await store.readHead();
      return h && encodeHead(h);
    }
    case 'entry':
      return store.entry(r.index);
    case 'payload':
      return store.payload(r.index);
    case 'openings':
      return store.openings(r.index);
    case 'items':
      return list(store.items(r.from, r.to, { openings: r.openings }), (it) => {
        const m: Record<string, Canonical> = { index: it.index, entry: it.entry, payload: it.payload };
        if (it.openings && (!mayOpen || mayOpen(it.index))) m['openings'] = it.openings;
        return m;
      });
    case 'map-node':
      return store.mapNode(r.hash);
    case 'record':
      return store.record(r.ns, r.key);
    case 'records':
      return list(store.records(r.ns), (x) => [x.key, x.bytes]);
    case 'tree-nodes':
      return list(store.treeNodes(r.level), (x) => [x.index, x.hash]);
    case 'statement-rows':
      return list(store.statementRows(), (x) => [x.id, x.index]);
    case 'statement-index': {
      const i = await store.statementIndex(r.id);
      return i === undefined ? undefined : encodeCanonical(i);
    }
    case 'exhibit-events':
      return encodeCanonical(await store.exhibitEvents(r.id));
    case 'checkpoint': {
      const note = await store.checkpoint(r.size);
      return note === undefined ? undefined : utf8(note);
    }
    case 'checkpoint-sizes':
      return encodeCanonical(await store.checkpointSizes());
    case 'node':
      try {
        return await store.node(r.level, r.index);
      } catch (e) {
        // A node the store does not have (past the tree, or never stored) is a missing value.
        if (e instanceof CustodyError) return undefined;
        throw e;
      }
  }
}
