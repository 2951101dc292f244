/**
 * Ledger: validates, signs, sequences and durably appends custody events, and
 * answers queries. One Ledger object owns its store (LevelDB's lock makes that
 * one process per directory).
 *
 * Group commit: append() queues a draft; a single commit loop takes every queued
 * draft, sequences each one against the state left by the previous (so each
 * entry links to its predecessor), applies the custody rules (a refused draft
 * is rejected alone and writes nothing), and writes the accepted ones in ONE
 * synced batch together with their Merkle nodes, state records and indexes.
 * Promises resolve only after that batch is durable.
 */
import { equalBytes } from '../bytes.js';
import { ed25519, isInProcessSigner, type Signer } from '../crypto/ed25519.js';
import { evaluate, rotationProofMessage } from '../custody/rules.js';
import type { ActorRecord, ExhibitRecord, StateHead } from '../custody/state.js';
import { CustodyError } from '../errors.js';
import { CanonicalEncodeError } from '../format/canonical.js';
import type { Event, Payload } from '../format/events.js';
import { exhibitsOf, type GenesisBody } from '../format/events.js';
import { exhibitIdFromBytes, keyId } from '../format/ids.js';
import {
  type DecodedRecord,
  decodeRecord,
  encodePayload,
  encodeRecord,
  signedMessage,
  ZERO_HASH,
} from '../format/record.js';
import { payloadProblem } from '../format/schema.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import { consistencyProof, inclusionProof, rootAt } from '../merkle/proofs.js';
import type { AppendBatch, LedgerStore, StoredEntry } from '../store/store.js';
import { type Clock, systemClock } from './clock.js';
import type { Draft } from './draft.js';
import { type Overlay, StateCache } from './state-cache.js';

export interface Appended {
  seq: number;
  leafHash: Uint8Array;
  time: number;
  kind: Payload['kind'];
  exhibit?: string;
  actor: string;
}

export interface AppendOptions {
  /** Claimed time (UTC ms); default now. Must not be earlier than the last entry. */
  time?: number;
  /** Signer's IANA zone; default the clock's zone. */
  tz?: string;
}

interface Pending {
  draft: Draft;
  /** Exhibit id drawn for a registration that did not name one. */
  freshId?: string;
  signer: Signer;
  options: AppendOptions;
  resolve: (a: Appended) => void;
  reject: (e: unknown) => void;
}

export interface LedgerOptions {
  clock?: Clock;
  /** Random bytes for exhibit ids; default the platform CSPRNG. */
  random?: (n: number) => Uint8Array;
  /** Most drafts per group commit. */
  maxBatch?: number;
  /** Actor and exhibit records kept in memory between batches, per kind (default 200,000). */
  cacheLimit?: number;
}

export interface GenesisOptions extends AppendOptions {
  origin: string;
  name: string;
  jurisdiction: string;
  org: string;
}

const defaultRandom = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export class Ledger {
  readonly store: LedgerStore;
  #state: StateCache;
  #frontier: MerkleFrontier;
  readonly #clock: Clock;
  readonly #random: (n: number) => Uint8Array;
  readonly #maxBatch: number;
  readonly #cacheLimit: number | undefined;
  #queue: Pending[] = [];
  #committing: Promise<void> | undefined;
  #closed = false;
  /** Set when a write failed: it may still have reached the disk, so re-read the store first. */
  #resync = false;

  private constructor(store: LedgerStore, head: StateHead, frontier: MerkleFrontier, opts: LedgerOptions) {
    this.store = store;
    this.#state = new StateCache(store, head, opts.cacheLimit);
    this.#frontier = frontier;
    this.#cacheLimit = opts.cacheLimit;
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? defaultRandom;
    this.#maxBatch = opts.maxBatch ?? 2048;
  }

  /** Creates a ledger in an empty store by appending its genesis, signed by the authority. */
  static async create(
    store: LedgerStore,
    authority: Signer,
    g: GenesisOptions,
    opts: LedgerOptions = {},
  ): Promise<Ledger> {
    if (await store.readHead())
      throw new CustodyError('LEDGER_EXISTS', 'the store already holds a ledger', 'input');
    const clock = opts.clock ?? systemClock;
    const body: GenesisBody = {
      origin: g.origin,
      publicKey: authority.publicKey,
      name: g.name,
      jurisdiction: g.jurisdiction,
      org: g.org,
    };
    const payload: Payload = {
      v: 1,
      seq: 0,
      prev: ZERO_HASH,
      time: g.time ?? clock.now(),
      tz: g.tz ?? clock.zone(),
      actor: keyId(authority.publicKey),
      kind: 'genesis',
      body,
    };
    const empty: StateHead = { size: 0, head: ZERO_HASH, lastTime: 0, origin: '', authority: '' };
    const ledger = new Ledger(store, empty, MerkleFrontier.empty(), opts);
    const { record, leafHash } = ledger.#sign(payload, authority, g.origin);
    const overlay = ledger.#state.overlay();
    const verdict = evaluate(overlay, payload, leafHash);
    if (!verdict.ok) throw new CustodyError(verdict.violation.code, verdict.violation.message, 'custody');
    overlay.apply(verdict.changes, leafHash, payload.time);
    const frontier = ledger.#frontier.clone();
    const nodes = frontier.append(leafHash);
    await store.write({
      entries: [{ seq: 0, bytes: record, exhibits: [], actor: payload.actor }],
      nodes,
      actors: [...overlay.actors.values()],
      exhibits: [],
      head: overlay.headState,
    });
    ledger.#state.merge(overlay);
    ledger.#frontier = frontier;
    return ledger;
  }

  static async open(store: LedgerStore, opts: LedgerOptions = {}): Promise<Ledger> {
    const head = await store.readHead();
    if (!head || head.size === 0)
      throw new CustodyError('LEDGER_EMPTY', 'the store holds no ledger (no genesis)', 'unavailable');
    const frontier = await MerkleFrontier.load(store, head.size);
    return new Ledger(store, head, frontier, opts);
  }

  get size(): number {
    return this.#state.head.size;
  }
  get origin(): string {
    return this.#state.head.origin;
  }
  get head(): Readonly<StateHead> {
    return this.#state.head;
  }
  /** Root hash of the Merkle tree over all entries (RFC 9162 MTH). */
  root(): Uint8Array {
    return this.#frontier.root();
  }

  // ---- appending ----

  /** Queues a draft for the next group commit; resolves once it is durable. */
  append(draft: Draft, signer: Signer, options: AppendOptions = {}): Promise<Appended> {
    if (this.#closed)
      return Promise.reject(new CustodyError('LEDGER_CLOSED', 'the ledger is closed', 'unavailable'));
    return new Promise<Appended>((resolve, reject) => {
      this.#queue.push({ draft, signer, options, resolve, reject });
      if (!this.#committing) this.#committing = this.#commitLoop();
    });
  }

  async #commitLoop(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#maxBatch);
        await this.#commit(batch);
      }
    } finally {
      this.#committing = undefined;
    }
  }

  async #commit(batch: Pending[]): Promise<void> {
    const actorIds = new Set<string>([this.#state.head.authority]);
    const exhibitIds = new Set<string>();
    for (const p of batch) collectIds(p, actorIds, exhibitIds);
    this.#state.trim();
    try {
      if (this.#resync) await this.#reload();
      await this.#state.prefetch(actorIds, exhibitIds);
      await this.#drawExhibitIds(batch);
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    const overlay = this.#state.overlay();
    const frontier = this.#frontier.clone();
    const out: AppendBatch = { entries: [], nodes: [], actors: [], exhibits: [], head: overlay.headState };
    const done: [Pending, Appended][] = [];
    for (const p of batch) {
      try {
        const { entry, appended } = this.#sequence(p, overlay);
        out.entries.push(entry);
        out.nodes.push(...frontier.append(appended.leafHash));
        done.push([p, appended]);
      } catch (e) {
        p.reject(e);
      }
    }
    if (done.length === 0) return;
    out.actors = [...overlay.actors.values()];
    out.exhibits = [...overlay.exhibits.values()];
    out.head = overlay.headState;
    try {
      await this.store.write(out);
    } catch (e) {
      // The batch may or may not have reached the disk (a failed fsync can still
      // have written): the next commit starts from what the store says.
      this.#resync = true;
      for (const [p] of done) p.reject(e);
      return;
    }
    this.#state.merge(overlay);
    this.#frontier = frontier;
    for (const [p, a] of done) p.resolve(a);
  }

  /** Re-reads head, tree and state from the store (after a write whose outcome is unknown). */
  async #reload(): Promise<void> {
    const head = await this.store.readHead();
    if (!head)
      throw new CustodyError('LEDGER_EMPTY', 'the store holds no ledger (no genesis)', 'unavailable');
    this.#frontier = await MerkleFrontier.load(this.store, head.size);
    this.#state = new StateCache(this.store, head, this.#cacheLimit);
    this.#resync = false;
  }

  /** Turns one draft into a signed record at the overlay's head and applies the rules. */
  #sequence(p: Pending, overlay: Overlay): { entry: StoredEntry; appended: Appended } {
    const actor = signerId(p.signer);
    const event = this.#fill(p, overlay);
    const payload = {
      v: 1,
      seq: overlay.size,
      prev: overlay.head,
      time: p.options.time ?? Math.max(this.#clock.now(), overlay.lastTime),
      tz: p.options.tz ?? this.#clock.zone(),
      actor,
      kind: event.kind,
      body: event.body,
    } as Payload;
    const problem = payloadProblem(payload);
    if (problem) throw new CustodyError('EVENT_INVALID', problem, 'input');
    const { record, leafHash } = this.#sign(payload, p.signer, overlay.origin);
    const verdict = evaluate(overlay, payload, leafHash);
    if (!verdict.ok)
      throw new CustodyError(verdict.violation.code, verdict.violation.message, 'custody', {
        seq: payload.seq,
      });
    overlay.apply(verdict.changes, leafHash, payload.time);
    const exhibits = exhibitsOf(payload);
    const appended: Appended = { seq: payload.seq, leafHash, time: payload.time, kind: payload.kind, actor };
    if (exhibits[0]) appended.exhibit = exhibits[0];
    return { entry: { seq: payload.seq, bytes: record, exhibits, actor }, appended };
  }

  #fill(p: Pending, st: Overlay): Event {
    const d = p.draft;
    const lastHash = (id: string) => st.exhibit(id)?.lastHash ?? ZERO_HASH;
    switch (d.kind) {
      case 'enrol':
      case 'revoke':
        return d as Event;
      case 'rotate': {
        const pk = d.newAuthority.publicKey;
        const proof = d.newAuthority.sign(rotationProofMessage(st.origin, st.head, pk));
        return { kind: 'rotate', body: { publicKey: pk, proof } };
      }
      case 'register': {
        // A drawn id that another draft of this batch took is refused by the rules (EXHIBIT_EXISTS).
        const exhibit = d.body.exhibit ?? p.freshId!;
        const body = { ...d.body, exhibit };
        if (d.body.parent)
          return { kind: 'register', body: { ...body, parentAfter: lastHash(d.body.parent) } };
        return { kind: 'register', body };
      }
      default:
        return { kind: d.kind, body: { ...d.body, after: lastHash(d.body.exhibit) } } as Event;
    }
  }

  /**
   * Draws 45-bit random ids for registrations that did not name one, loading
   * each from the store so that a clash with any existing exhibit (cached or
   * not) is drawn again instead of being refused.
   */
  async #drawExhibitIds(batch: Pending[]): Promise<void> {
    for (const p of batch) {
      if (p.draft.kind !== 'register' || p.draft.body.exhibit !== undefined) continue;
      for (;;) {
        const id = exhibitIdFromBytes(this.#random(6));
        await this.#state.prefetch([], [id]);
        if (!this.#state.exhibit(id)) {
          p.freshId = id;
          break;
        }
      }
    }
  }

  #sign(payload: Payload, signer: Signer, origin: string): { record: Uint8Array; leafHash: Uint8Array } {
    let payloadBytes: Uint8Array;
    try {
      payloadBytes = encodePayload(payload);
    } catch (e) {
      if (e instanceof CanonicalEncodeError) throw new CustodyError('EVENT_INVALID', e.message, 'input');
      throw e;
    }
    const message = signedMessage(origin, payloadBytes);
    const signature = signer.sign(message);
    // A faulty external signer (wrong key, HSM fault) must never produce a permanent
    // bad entry; in-process signers derive their public key from the same seed.
    if (!isInProcessSigner(signer) && !ed25519.verify(signature, message, signer.publicKey))
      throw new CustodyError('SIGNER_FAULT', 'the signer produced an invalid signature', 'input');
    const record = encodeRecord(payloadBytes, signature);
    return { record, leafHash: hashLeaf(record) };
  }

  /** Waits until everything queued so far is committed or refused. */
  async flush(): Promise<void> {
    while (this.#committing) await this.#committing;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    await this.store.close();
  }

  // ---- queries ----

  async get(seq: number): Promise<DecodedRecord> {
    const bytes = await this.store.entry(seq);
    if (!bytes)
      throw new CustodyError('ENTRY_UNKNOWN', `no entry ${seq} (the ledger has ${this.size})`, 'input');
    try {
      return decodeRecord(bytes);
    } catch (e) {
      throw new CustodyError(
        'STORE_CORRUPT',
        `entry ${seq} is damaged: ${(e as Error).message}; run custody verify`,
        'unavailable',
      );
    }
  }

  async actor(id: string): Promise<ActorRecord | undefined> {
    return this.store.actor(id);
  }

  async exhibit(id: string): Promise<ExhibitRecord | undefined> {
    return this.store.exhibit(id);
  }

  async actors(): Promise<ActorRecord[]> {
    const out: ActorRecord[] = [];
    for await (const a of this.store.listActors()) out.push(a);
    return out;
  }

  async exhibits(): Promise<ExhibitRecord[]> {
    const out: ExhibitRecord[] = [];
    for await (const x of this.store.listExhibits()) out.push(x);
    return out.sort((a, b) => a.registeredSeq - b.registeredSeq);
  }

  /** The events of an exhibit in order; with `ancestors`, those of the exhibits it was derived from first. */
  async history(id: string, opts: { ancestors?: boolean } = {}): Promise<DecodedRecord[]> {
    const x = await this.store.exhibit(id);
    if (!x) throw new CustodyError('EXHIBIT_UNKNOWN', `no exhibit ${id} in this ledger`, 'input');
    const seqs = new Set(await this.store.exhibitEvents(id));
    if (opts.ancestors) {
      let parent = x.parent;
      const seen = new Set([id]);
      while (parent && !seen.has(parent)) {
        seen.add(parent);
        for (const s of await this.store.exhibitEvents(parent)) seqs.add(s);
        parent = (await this.store.exhibit(parent))?.parent;
      }
    }
    const out: DecodedRecord[] = [];
    for (const s of [...seqs].sort((a, b) => a - b)) out.push(await this.get(s));
    return out;
  }

  // ---- Merkle tree ----

  async rootAt(size: number): Promise<Uint8Array> {
    this.#checkSize(size, 0);
    return size === this.size ? Promise.resolve(this.root()) : rootAt(this.store, size);
  }

  async inclusionProof(index: number, size = this.size): Promise<Uint8Array[]> {
    this.#checkSize(size, 1);
    if (!Number.isSafeInteger(index) || index < 0 || index >= size)
      throw new CustodyError('PROOF_RANGE', `entry ${index} is not in a tree of size ${size}`, 'input');
    return inclusionProof(this.store, index, size);
  }

  async consistencyProof(size1: number, size2 = this.size): Promise<Uint8Array[]> {
    this.#checkSize(size2, 1);
    if (!Number.isSafeInteger(size1) || size1 < 1 || size1 > size2)
      throw new CustodyError('PROOF_RANGE', `no consistency proof from size ${size1} to ${size2}`, 'input');
    return consistencyProof(this.store, size1, size2);
  }

  #checkSize(size: number, min: number) {
    if (!Number.isSafeInteger(size) || size < min || size > this.size)
      throw new CustodyError('PROOF_RANGE', `tree size ${size} is outside 1..${this.size}`, 'input');
  }

  /** Entries as raw records, for the verifier and exporters. */
  records(from = 0, to = this.size): AsyncIterable<{ seq: number; bytes: Uint8Array }> {
    return this.store.entries(from, to);
  }

  /** True if `leafHash` is the leaf hash of entry `seq` (used by exporters and tests). */
  async leafHashIs(seq: number, leafHash: Uint8Array): Promise<boolean> {
    return equalBytes(await this.store.node(0, seq), leafHash);
  }
}

// A signer's actor id costs a SHA-256 and a base32 encoding; signers are long-lived objects.
const signerIds = new WeakMap<Signer, string>();
function signerId(s: Signer): string {
  let id = signerIds.get(s);
  if (id === undefined) {
    id = keyId(s.publicKey);
    signerIds.set(s, id);
  }
  return id;
}

function collectIds(p: Pending, actors: Set<string>, exhibits: Set<string>) {
  actors.add(signerId(p.signer));
  const d = p.draft;
  if (d.kind === 'rotate') {
    actors.add(keyId(d.newAuthority.publicKey));
    return;
  }
  const b = d.body as {
    publicKey?: Uint8Array;
    actor?: string;
    to?: string;
    exhibit?: string;
    parent?: string;
  };
  if (b.publicKey instanceof Uint8Array && b.publicKey.length === 32) actors.add(keyId(b.publicKey));
  if (typeof b.actor === 'string') actors.add(b.actor);
  if (typeof b.to === 'string') actors.add(b.to);
  if (typeof b.exhibit === 'string') exhibits.add(b.exhibit);
  if (typeof b.parent === 'string') exhibits.add(b.parent);
}
