/**
 * A forger for "forged log" tests (format v2): writes down a log — entries
 * and payloads — the way the ledger would, but WITHOUT refusing anything, so
 * a test can build any history, including ones the ledger would refuse, and
 * see what the verifier says about it.
 *
 * Each payload is judged by the real rules (admit + judge) only to keep the
 * state a replay would keep: an accepted statement changes the state map, a
 * refused one does not, exactly as in src/verify/entries.ts. So the entry's
 * map root is the one the replay computes, and the verifier's only
 * complaint about a forged refused statement is the rule it breaks. Every
 * field of the entry (index, time, map root, payload type and hash) can be
 * overridden to break it on purpose.
 *
 * `forgeStatement` signs any envelope, with any key, without the kinds
 * table's checks that signStatement makes.
 */
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { admit } from '../../src/custody/admit.js';
import { CustodyState } from '../../src/custody/custody-state.js';
import { judge } from '../../src/custody/judge.js';
import type { Violation } from '../../src/custody/judgement.js';
import { decodeEntry, type Entry, encodeEntry, PAYLOAD_TYPES } from '../../src/format/entry.js';
import { ed25519Key } from '../../src/format/sign-statement.js';
import {
  encodeSignedStatement,
  encodeTbs,
  type Statement,
  statementId,
  statementMessage,
} from '../../src/format/statement.js';
import { MerkleFrontier } from '../../src/merkle/frontier.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { MemoryNodeStore } from '../../src/merkle/memory.js';
import { rootAt } from '../../src/merkle/proofs.js';
import type { LogStore } from '../../src/store/log-store.js';

/** One logged item as a store yields it, with the openings stored beside it, if any. */
export interface ForgedItem {
  index: number;
  entry: Uint8Array;
  payload: Uint8Array;
  openings?: Uint8Array;
}

export interface Forged extends ForgedItem {
  /** The entry as encoded. */
  fields: Entry;
  /** Why the rules (or decoding, or the signatures) refused the payload; undefined when accepted. */
  violation: Violation | undefined;
  /** The statement's identity, when the payload decoded. */
  id: Uint8Array | undefined;
}

export interface ForgeOptions {
  /** Entry field overrides, to break the entry on purpose (the state still follows the rules). */
  index?: number;
  time?: number;
  mapRoot?: Uint8Array;
  payloadType?: number;
  payloadHash?: Uint8Array;
  openings?: Uint8Array;
}

/** Signs a statement envelope with `signWith` (default: nobody) without any check of its shape. */
export function forgeStatement(
  statement: Statement,
  signWith: readonly Signer[],
): { bytes: Uint8Array; id: Uint8Array } {
  const tbs = encodeTbs(statement);
  const message = statementMessage(tbs);
  return {
    bytes: encodeSignedStatement(
      tbs,
      signWith.map((k) => k.sign(message)),
    ),
    id: statementId(tbs),
  };
}

/** The envelope of a statement signed by `signer` (a starting point for forgeStatement). */
export function envelope(
  kind: string,
  cls: Statement['class'],
  signer: Signer,
  body: Statement['body'],
  more: Partial<Statement> = {},
): Statement {
  return {
    v: 2,
    origin: 'ledger.nfi.example/2026',
    class: cls,
    kind,
    bv: 1,
    time: Date.UTC(2026, 2, 1, 9, 0, 0),
    tz: 'Europe/Amsterdam',
    signer: { key: ed25519Key(signer.publicKey) },
    body,
    ...more,
  };
}

export class LogForger {
  readonly items: Forged[] = [];
  readonly state = new CustodyState();
  readonly #frontier = MerkleFrontier.empty();
  readonly #nodes = new MemoryNodeStore();
  #time: number;
  readonly #step: number;

  /** Log times start at `start` and step by `step` ms per entry. */
  constructor(opts: { start?: number; step?: number } = {}) {
    this.#time = opts.start ?? Date.UTC(2026, 2, 1, 9, 1, 0);
    this.#step = opts.step ?? 1000;
  }

  /** A forger that continues after existing items (a real ledger's), replaying them first. */
  static async after(
    items: Iterable<ForgedItem> | AsyncIterable<ForgedItem>,
    opts: { step?: number } = {},
  ): Promise<LogForger> {
    const f = new LogForger(opts);
    for await (const it of items) {
      const e = decodeEntry(it.entry).entry;
      f.#time = e.time;
      await f.#append(it.payload, e, it.openings);
    }
    return f;
  }

  get size(): number {
    return this.items.length;
  }
  /** The tree root over everything forged so far. */
  root(): Uint8Array {
    return this.#frontier.root();
  }
  rootAt(size: number): Promise<Uint8Array> {
    return rootAt(this.#nodes, size);
  }
  /** A `seen` for a statement made now: the current size and root. */
  seen(): { size: number; root: Uint8Array } {
    return { size: this.size, root: this.root() };
  }
  /** The last time given to an entry. */
  get time(): number {
    return this.#time;
  }

  /** Logs `payload` at the next position, judged (not refused) as the replay will judge it. */
  async add(payload: Uint8Array, o: ForgeOptions = {}): Promise<Forged> {
    this.#time += this.#step;
    const fields: Entry = {
      index: o.index ?? this.size,
      time: o.time ?? this.#time,
      mapRoot: new Uint8Array(32),
      payloadType: o.payloadType ?? PAYLOAD_TYPES.statement,
      payloadHash: o.payloadHash ?? sha256(payload),
    };
    return this.#append(payload, fields, o.openings, o.mapRoot);
  }

  async #append(
    payload: Uint8Array,
    fields: Entry,
    openings: Uint8Array | undefined,
    mapRoot?: Uint8Array,
  ): Promise<Forged> {
    const index = this.size;
    let violation: Violation | undefined;
    let id: Uint8Array | undefined;
    const committed =
      fields.payloadType === PAYLOAD_TYPES.statement && eq(sha256(payload), fields.payloadHash);
    if (committed) {
      const a = admit(payload, true);
      if ('violation' in a) violation = a.violation;
      else {
        id = a.id;
        const s = a.statement.seen;
        const at =
          s && s.size <= index
            ? { index, time: fields.time, seenRoot: await rootAt(this.#nodes, s.size) }
            : { index, time: fields.time };
        const out = judge(this.state, a, at);
        if (out.ok) this.state.apply(out.writes);
        else violation = out.violation;
      }
    } else violation = { code: 'NOT_A_STATEMENT', message: 'the entry does not commit to this statement' };
    const entryFields: Entry = { ...fields, mapRoot: mapRoot ?? this.state.map.root };
    const entry = encodeEntry(entryFields);
    this.#nodes.put(this.#frontier.append(hashLeaf(entry)));
    const item: Forged = { index, entry, payload, fields: entryFields, violation, id };
    if (openings !== undefined) item.openings = openings;
    this.items.push(item);
    return item;
  }
}

const eq = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Collects any async source (a store's items, records, …) into an array. */
export async function collect<T>(source: AsyncIterable<T> | Iterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of source) out.push(r);
  return out;
}

/** A signer that answers with another key's signatures (a "faulty" or impostor signer). */
export function impostor(publicKey: Uint8Array, signWith: Signer): Signer {
  return { publicKey, sign: (m) => signWith.sign(m) };
}

/** The encoding of the identity point: a small-order key that admission refuses. */
export const SMALL_ORDER_KEY: Uint8Array = (() => {
  const k = new Uint8Array(32);
  k[0] = 1;
  return k;
})();

/**
 * Appends `payload` to a real store as the log key's holder could, with the
 * map root of his choosing in the entry (and the head), the tree extended:
 * a ledger whose entry carries a false map root (docs/PROOFS.md §Fraud proofs).
 */
export async function appendWithMapRoot(
  store: LogStore,
  payload: Uint8Array,
  mapRoot: Uint8Array,
): Promise<number> {
  const items = await collect(store.items(0, Number.MAX_SAFE_INTEGER));
  const forger = await LogForger.after(items);
  const forged = await forger.add(payload, { mapRoot });
  const head = (await store.readHead())!;
  const frontier = await MerkleFrontier.load(store, head.size);
  const treeNodes = frontier.append(hashLeaf(forged.entry));
  await store.write({
    entries: [{ index: forged.index, entry: forged.entry, payload, exhibits: [] }],
    treeNodes,
    mapNodes: [],
    records: [],
    head: { ...head, size: head.size + 1, lastTime: forged.fields.time, mapRoot },
  });
  return forged.index;
}
