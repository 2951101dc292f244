/**
 * The pure core of appending in format v2: admit a signed statement, judge it
 * against the state, and if it passes, apply it to the state map, wrap it in
 * an entry carrying the new map root, and add the entry's leaf to the tree
 * (docs/FORMAT.md §Entries). In memory and synchronous apart from the tree
 * look-up a `seen` needs; the store-backed ledger persists what it produces.
 */
import { sha256Into } from '../crypto/sha256.js';
import { admit } from '../custody/admit.js';
import { CustodyState } from '../custody/custody-state.js';
import { admitForeign, judgeForeign } from '../custody/foreign-rules.js';
import { judge } from '../custody/judge.js';
import type { Violation } from '../custody/judgement.js';
import { ENTRY_MAX_BYTES, encodeEntryInto, PAYLOAD_TYPES } from '../format/entry.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { type NewNode, type NodeReader, rootAt } from '../merkle/proofs.js';

export interface Sequenced {
  index: number;
  id: Uint8Array;
  entry: Uint8Array;
  leafHash: Uint8Array;
  payload: Uint8Array;
}

export type SubmitResult = ({ ok: true } & Sequenced) | { ok: false; violation: Violation };

const NODE_BYTES = 32;
/** Nodes per chunk of one level: 16384 × 32 bytes = 512 KiB. */
const CHUNK_NODES = 1 << 14;

/**
 * The tree's complete-subtree hashes, each level in chunks of bytes: appends
 * produce the nodes of each level in index order, and keeping them as bytes
 * rather than as one array object each keeps them out of the garbage
 * collector's work (it scans objects, not the bytes inside them).
 */
export class TreeNodes implements NodeReader {
  readonly #chunks: Uint8Array[][] = [];
  readonly #counts: number[] = [];
  #count = 0;

  /**
   * Stores the nodes (the result of MerkleFrontier.append); a node already
   * present is overwritten. Each level is filled in order: a node past the
   * next index of its level is a RangeError.
   */
  put(nodes: readonly NewNode[]): void {
    for (const n of nodes) {
      const count = this.#counts[n.level] ?? 0;
      if (n.index > count || n.hash.length !== NODE_BYTES)
        throw new RangeError(`merkle: node ${n.level}:${n.index} is not the next of its level`);
      let chunks = this.#chunks[n.level];
      if (chunks === undefined) {
        chunks = [];
        this.#chunks[n.level] = chunks;
      }
      const c = Math.floor(n.index / CHUNK_NODES);
      if (c === chunks.length) chunks.push(new Uint8Array(CHUNK_NODES * NODE_BYTES));
      chunks[c]!.set(n.hash, (n.index % CHUNK_NODES) * NODE_BYTES);
      if (n.index === count) {
        this.#counts[n.level] = count + 1;
        this.#count++;
      }
    }
  }

  /** Number of nodes stored. */
  get count(): number {
    return this.#count;
  }

  /** The node's hash (a copy). */
  async node(level: number, index: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(index) || index < 0 || index >= (this.#counts[level] ?? 0))
      throw new RangeError(`merkle: no stored node ${level}:${index}`);
    const at = (index % CHUNK_NODES) * NODE_BYTES;
    return this.#chunks[level]![Math.floor(index / CHUNK_NODES)]!.slice(at, at + NODE_BYTES);
  }
}

/** Slab size of the log: about 440 entries each. */
const SLAB_BYTES = 64 * 1024;
/** Slab bytes one entry may take: its statement id, 0x00, the entry, its leaf hash. */
const SLAB_ENTRY_MAX = 32 + 1 + ENTRY_MAX_BYTES + 32;

/**
 * What was appended, in order, kept as bytes: each entry's statement id,
 * entry and leaf hash side by side in shared slabs, and its payload. A
 * Sequenced object per entry would be a handful of small objects kept for
 * good, and at a million entries the garbage collector's work on them costs
 * more than the append itself; here an entry adds one array slot. Entries are
 * written after a 0x00 byte so that the leaf hash, SHA-256(0x00 ‖ entry)
 * (RFC 9162 §2.1.1, as src/merkle/hash.ts hashLeaf), is hashed in place.
 */
class EntryLog {
  readonly payloads: Uint8Array[] = [];
  readonly #slabs: Uint8Array[] = [];
  /** Per entry: its slab's number and its offset there (of the id), and the entry's length. */
  #where = new Int32Array(1024);
  #slab = new Uint8Array(0);
  #at = 0;

  get length(): number {
    return this.payloads.length;
  }

  /** Room for one more entry: the slab and the offset to write it at. */
  reserve(): [Uint8Array, number] {
    if (this.#at + SLAB_ENTRY_MAX > this.#slab.length) {
      this.#slab = new Uint8Array(SLAB_BYTES);
      this.#slabs.push(this.#slab);
      this.#at = 0;
    }
    return [this.#slab, this.#at];
  }

  /** Commits the entry written at the reserved offset: `n` entry bytes. */
  commit(payload: Uint8Array, n: number): Sequenced {
    const i = this.payloads.length;
    if (2 * i + 2 > this.#where.length) {
      const w = new Int32Array(this.#where.length * 2);
      w.set(this.#where);
      this.#where = w;
    }
    this.#where[2 * i] = this.#slabs.length - 1;
    this.#where[2 * i + 1] = (this.#at << 7) | n;
    this.#at += 32 + 1 + n + 32;
    this.payloads.push(payload);
    return this.at(i);
  }

  /** Entry i, its parts as views of the log's bytes (never to be written to). */
  at(i: number): Sequenced {
    const slab = this.#slabs[this.#where[2 * i]!]!;
    const packed = this.#where[2 * i + 1]!;
    const n = packed & 127;
    const at = packed >>> 7;
    return {
      index: i,
      id: slab.subarray(at, at + 32),
      entry: slab.subarray(at + 33, at + 33 + n),
      leafHash: slab.subarray(at + 33 + n, at + 65 + n),
      payload: this.payloads[i]!,
    };
  }
}

export class Sequencer {
  readonly state = new CustodyState();
  readonly frontier = MerkleFrontier.empty();
  readonly nodes = new TreeNodes();
  readonly #log = new EntryLog();
  readonly #payloadHash = new Uint8Array(32);
  #lastTime = 0;

  constructor(private readonly clock: () => number) {}

  get size(): number {
    return this.frontier.size;
  }

  /**
   * What was appended, in order (the store-backed ledger persists these
   * instead of keeping them). Made from the log's bytes at each call.
   */
  get log(): Sequenced[] {
    const out: Sequenced[] = [];
    for (let i = 0; i < this.#log.length; i++) out.push(this.#log.at(i));
    return out;
  }

  /** The tree root of the first `size` entries. */
  rootAt(size: number): Promise<Uint8Array> {
    return rootAt(this.nodes, size);
  }

  /**
   * Appends a signed statement, or says why the rules refuse it (nothing is
   * then changed). `signaturesVerified` is for a caller that verified the
   * signatures already, in a worker batch (docs/STORAGE.md §Writing).
   */
  async submit(bytes: Uint8Array, { signaturesVerified = false } = {}): Promise<SubmitResult> {
    const a = admit(bytes, !signaturesVerified);
    if ('violation' in a) return { ok: false, violation: a.violation };
    const index = this.frontier.size;
    // Log time never decreases, whatever the clock does (FORMAT.md §Entries).
    const time = Math.max(this.clock(), this.#lastTime);
    const seen = a.statement.seen;
    const at =
      seen && seen.size <= index ? { index, time, seenRoot: await this.rootAt(seen.size) } : { index, time };
    if (this.frontier.size !== index) return this.submit(bytes, { signaturesVerified }); // another submit completed meanwhile
    // The statement's identity as the log keeps it: records that name the
    // statement then share the log's bytes.
    const id = this.keepId(a.id);
    const o = judge(this.state, { statement: a.statement, spec: a.spec, id }, at);
    if (!o.ok) return { ok: false, violation: o.violation };
    this.state.apply(o.writes);
    return { ok: true, ...this.seal(bytes, id, time) };
  }

  /**
   * Appends a foreign statement (payload type 3: docs/FORMAT.md §Foreign
   * statements), or says why the rules refuse it.
   */
  async submitForeign(bytes: Uint8Array): Promise<SubmitResult> {
    const f = admitForeign(bytes);
    if ('violation' in f) return { ok: false, violation: f.violation };
    const time = Math.max(this.clock(), this.#lastTime);
    const o = judgeForeign(this.state, f, { index: this.frontier.size, time });
    if (!o.ok) return { ok: false, violation: o.violation };
    this.state.apply(o.writes);
    return { ok: true, ...this.seal(bytes, this.keepId(f.inner.id), time, PAYLOAD_TYPES.foreign) };
  }

  /**
   * Writes the next entry's statement id into the log and returns the log's
   * view of it, for judge (the step after admit): the records that name the
   * statement then share the log's bytes. A refused statement's id is
   * overwritten by the next.
   */
  keepId(id: Uint8Array): Uint8Array {
    const [slab, at] = this.#log.reserve();
    slab.set(id, at);
    return slab.subarray(at, at + 32);
  }

  /**
   * The last step of an append, once the statement is judged and its writes
   * are applied to the state: its entry (with the new map root) and leaf,
   * added to the tree and the log with the statement's id (best the view
   * keepId returned). Used by submit, and step by step by
   * bench/append-serial.ts to time each part.
   */
  seal(
    payload: Uint8Array,
    id: Uint8Array,
    time: number,
    payloadType: number = PAYLOAD_TYPES.statement,
  ): Sequenced {
    if (id.length !== 32) throw new RangeError('a statement id is 32 bytes');
    const index = this.frontier.size;
    // The payload's hash is only copied into the entry: a scratch array serves.
    sha256Into(payload, this.#payloadHash, 0);
    const [slab, at] = this.#log.reserve();
    slab.set(id, at); // a no-op copy when id is the view keepId returned
    const start = at + 32;
    slab[start] = 0x00;
    const n = encodeEntryInto(
      {
        index,
        time,
        mapRoot: this.state.map.root,
        payloadType,
        payloadHash: this.#payloadHash,
      },
      slab,
      start + 1,
    );
    const end = start + 1 + n;
    sha256Into(slab.subarray(start, end), slab, end);
    this.nodes.put(this.frontier.append(slab.subarray(end, end + 32)));
    this.#lastTime = time;
    return this.#log.commit(payload, n);
  }
}
