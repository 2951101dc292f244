/**
 * The format v2 ledger over a LogStore (docs/STORAGE.md): statements
 * signed anywhere are submitted, sequenced, judged by the custody rules and
 * durably appended.
 *
 * Group commit: submit() queues a signed statement; one commit loop takes every
 * queued statement, judges each against the state left by the previous ones (a
 * refused statement is rejected alone and changes nothing), and writes the
 * accepted ones in ONE synced batch with their tree nodes, changed map
 * branches, records and indexes. Promises resolve only once that batch is
 * durable. Opening reads the head only; the map and the records a statement
 * touches are loaded before it is judged (src/custody/touched.ts).
 */
import { equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { inlineChecker, type SignatureChecker, type SignatureJob } from '../crypto/signature-checker.js';
import { type Admitted, admit } from '../custody/admit.js';
import type { CustodyState } from '../custody/custody-state.js';
import {
  type AdmittedForeign,
  admitForeign,
  judgeForeign,
  touchedByForeign,
} from '../custody/foreign-rules.js';
import { judge, signerIdOf } from '../custody/judge.js';
import { touchedBy } from '../custody/touched.js';
import { CustodyError } from '../errors.js';
import { decodeEntry, encodeEntry, PAYLOAD_TYPES } from '../format/entry.js';
import { FormatError } from '../format/format-error.js';
import { decodeLogRecord, LOG_RECORDS_INDEX, recordId, recordIndexOf } from '../format/log-record.js';
import { checkOpenings, decodeOpenings } from '../format/openings.js';
import { signatureJobs } from '../format/sign-statement.js';
import { MerkleFrontier, type NewNode } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import { type NodeReader, rootAt } from '../merkle/proofs.js';
import type { LogBatch, LoggedEntry, LogHead, LogStore } from '../store/log-store.js';
import { checkHead, stateOverStore } from './checked-state.js';
import { type Clock, systemClock } from './clock.js';

export interface Submitted {
  index: number;
  id: Uint8Array;
  leafHash: Uint8Array;
  /** Log time of the entry. */
  time: number;
  /**
   * The statement was already in the log: this is its existing entry, and
   * nothing was appended (docs/STORAGE.md §Writing, submitting twice).
   */
  duplicate?: true;
}

export interface LogLedgerOptions {
  clock?: Clock;
  /**
   * Verifies the batch's signatures, all at once, before the serial part of
   * the commit: the worker pool (src/crypto/verify-pool.ts) spreads them over
   * every core while the main thread sequences. Default: inline.
   */
  checker?: SignatureChecker;
  /** Most statements per group commit. */
  maxBatch?: number;
}

interface Pending {
  bytes: Uint8Array;
  openings: Uint8Array | undefined;
  /** A log record (payload type 2) the log writes itself, rather than a signed statement. */
  record?: true;
  /** A foreign statement (payload type 3) with its evidence. */
  foreign?: true;
  resolve: (s: Submitted) => void;
  reject: (e: unknown) => void;
}

/** Tree nodes of the batch being built, over those already stored. */
class PendingNodes implements NodeReader {
  readonly #nodes = new Map<string, Uint8Array>();
  constructor(private readonly store: NodeReader) {}
  add(nodes: readonly NewNode[]) {
    for (const n of nodes) this.#nodes.set(`${n.level}:${n.index}`, n.hash);
  }
  node(level: number, index: number): Promise<Uint8Array> {
    const h = this.#nodes.get(`${level}:${index}`);
    return h ? Promise.resolve(h) : this.store.node(level, index);
  }
}

/** A log record needs no admission: it is appended as it is (FORMAT.md §Log records). */
const RECORD = 'record';
type Admit = Admitted | AdmittedForeign | CustodyError | typeof RECORD;
const isForeign = (a: Admit): a is AdmittedForeign => typeof a === 'object' && 'payload' in a;
/** A batch's admission: each statement admitted or refused, or the checker's failure. */
type Admission = { value: Admit[] } | { error: unknown };

/** Records kept in memory between group commits before the cache is dropped. */
const CACHE_LIMIT = 200_000;

/** What a statement may touch; the signer's id comes from the rules' own cache (no second SHA-256). */
const touchedOf = (a: Admitted) => touchedBy(a.statement, a.id, signerIdOf(a.statement.signer.key));

const EMPTY_HEAD: LogHead = {
  size: 0,
  lastTime: 0,
  mapRoot: new Uint8Array(32),
  mapSize: 0,
  mapRootLeaf: null,
};

export class LogLedger {
  readonly store: LogStore;
  #head: LogHead;
  #frontier: MerkleFrontier;
  #state: CustodyState;
  readonly #clock: Clock;
  readonly #maxBatch: number;
  readonly #checker: SignatureChecker;
  #queue: Pending[] = [];
  #committing: Promise<void> | undefined;
  #closed = false;
  /** Set when a write failed: it may still have reached the disk, so re-read the store first. */
  #resync = false;

  private constructor(store: LogStore, head: LogHead, frontier: MerkleFrontier, opts: LogLedgerOptions) {
    this.store = store;
    this.#head = head;
    this.#frontier = frontier;
    this.#state = stateOverStore(store, head);
    this.#clock = opts.clock ?? systemClock;
    this.#maxBatch = opts.maxBatch ?? 2048;
    this.#checker = opts.checker ?? inlineChecker;
  }

  /** Opens the ledger in `store`, which may be empty (then the first statement must be genesis). */
  static async open(store: LogStore, opts: LogLedgerOptions = {}): Promise<LogLedger> {
    const head = (await store.readHead()) ?? EMPTY_HEAD;
    // The rules will judge on the state this head names: it must be the last entry's.
    await checkHead(store, head);
    return new LogLedger(store, head, await MerkleFrontier.load(store, head.size), opts);
  }

  get size(): number {
    return this.#head.size;
  }
  get mapRoot(): Uint8Array {
    return this.#head.mapRoot;
  }
  /** Root of the Merkle tree over all entries (RFC 9162 MTH). */
  root(): Uint8Array {
    return this.#frontier.root();
  }

  /** Queues a signed statement (and the openings of its committed fields); resolves once durable. */
  submit(bytes: Uint8Array, openings?: Uint8Array): Promise<Submitted> {
    if (this.#closed)
      return Promise.reject(new CustodyError('LEDGER_CLOSED', 'the ledger is closed', 'unavailable'));
    return new Promise<Submitted>((resolve, reject) => {
      this.#queue.push({ bytes, openings, resolve, reject });
      if (!this.#committing) this.#committing = this.#commitLoop();
    });
  }

  /**
   * Queues a log record (payload type 2: docs/FORMAT.md §Log records), which
   * the caller has built and checked (src/ledger/archive.ts); resolves once
   * durable. It changes nothing in the state map.
   */
  appendRecord(bytes: Uint8Array): Promise<Submitted> {
    if (this.#closed)
      return Promise.reject(new CustodyError('LEDGER_CLOSED', 'the ledger is closed', 'unavailable'));
    return new Promise<Submitted>((resolve, reject) => {
      this.#queue.push({ bytes, openings: undefined, record: true, resolve, reject });
      if (!this.#committing) this.#committing = this.#commitLoop();
    });
  }

  /**
   * Queues a foreign statement (payload type 3: docs/FORMAT.md §Foreign
   * statements, docs/FEDERATION.md) for the rules to judge against the peer's
   * policy; resolves once durable, rejects with the rules' refusal.
   */
  submitForeign(bytes: Uint8Array): Promise<Submitted> {
    if (this.#closed)
      return Promise.reject(new CustodyError('LEDGER_CLOSED', 'the ledger is closed', 'unavailable'));
    return new Promise<Submitted>((resolve, reject) => {
      this.#queue.push({ bytes, openings: undefined, foreign: true, resolve, reject });
      if (!this.#committing) this.#committing = this.#commitLoop();
    });
  }

  /**
   * Pipelined: while one batch is judged and written (its fsync runs off the
   * main thread), the signatures of the next are already being verified on
   * the worker pool. Admission reads no state, so running it ahead changes no
   * outcome; judging and writing stay strictly one batch after another.
   */
  async #commitLoop(): Promise<void> {
    const admit = (batch: Pending[]) => ({
      batch,
      admitted: this.#admitAll(batch).then(
        (value): Admission => ({ value }),
        (error: unknown): Admission => ({ error }),
      ),
    });
    try {
      let next = this.#queue.length > 0 ? admit(this.#queue.splice(0, this.#maxBatch)) : undefined;
      while (next) {
        const current = next;
        const admitted = await current.admitted;
        next = this.#queue.length > 0 ? admit(this.#queue.splice(0, this.#maxBatch)) : undefined;
        await this.#commit(current.batch, admitted);
        if (!next && this.#queue.length > 0) next = admit(this.#queue.splice(0, this.#maxBatch));
      }
    } finally {
      this.#committing = undefined;
    }
  }

  async #commit(batch: Pending[], admission: Admission): Promise<void> {
    try {
      if (this.#resync) await this.#reload();
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    if (!('value' in admission)) {
      for (const p of batch) p.reject(admission.error);
      return;
    }
    const admitted = admission.value;
    try {
      // Warm the state for the whole batch at once: the store's reads overlap
      // instead of queueing one statement after another. Each statement still
      // prefetches before it is judged, which then mostly hits this cache (and
      // fetches what earlier statements of the batch made necessary, such as
      // the next position of an index they added to).
      await Promise.all(
        admitted.map((a) =>
          a instanceof CustodyError || a === RECORD
            ? undefined
            : this.#state.prefetch(isForeign(a) ? touchedByForeign(a) : touchedOf(a)),
        ),
      );
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    const frontier = this.#frontier.clone();
    const nodes = new PendingNodes(this.store);
    const out: LogBatch = { entries: [], treeNodes: [], mapNodes: [], records: [], head: this.#head };
    const done: [Pending, Submitted][] = [];
    const repeats: [Pending, Submitted][] = [];
    let lastTime = this.#head.lastTime;
    for (const [i, p] of batch.entries()) {
      const a = admitted[i]!;
      try {
        if (a instanceof CustodyError) throw a;
        const s =
          a === RECORD
            ? this.#sequenceRecord(p, frontier, nodes, lastTime)
            : isForeign(a)
              ? await this.#sequenceForeign(p, a, frontier, nodes, lastTime)
              : await this.#sequence(p, a, frontier, nodes, lastTime);
        out.entries.push(s.logged);
        out.treeNodes.push(...s.treeNodes);
        lastTime = s.submitted.time;
        done.push([p, s.submitted]);
      } catch (e) {
        // A statement already in the log is always refused by the rules (its
        // link no longer points at a head); answer it with its entry instead.
        const existing =
          a instanceof CustodyError ||
          a === RECORD ||
          isForeign(a) ||
          !(e instanceof CustodyError) ||
          e.category !== 'custody'
            ? undefined
            : await this.#existing(a.id, done).catch(() => undefined);
        if (existing) repeats.push([p, existing]);
        else p.reject(e);
      }
    }
    const answerRepeats = () => {
      for (const [p, s] of repeats) p.resolve(s);
    };
    if (done.length === 0) return answerRepeats();
    const dirty = this.#state.map.takeDirty();
    out.mapNodes = dirty.nodes;
    out.records = this.#state.takeWrites();
    out.head = {
      size: frontier.size,
      lastTime,
      mapRoot: dirty.root,
      mapSize: dirty.size,
      mapRootLeaf: dirty.rootLeaf,
    };
    try {
      await this.store.write(out);
    } catch (e) {
      // The batch may or may not have reached the disk (a failed fsync can still
      // have written): the next commit starts from what the store says.
      this.#resync = true;
      for (const [p] of done) p.reject(e);
      return;
    }
    this.#head = out.head;
    this.#frontier = frontier;
    // Everything is stored: keep memory bounded for a long-running process,
    // but keep the warm part of the state between batches while it is small.
    if (this.#state.cachedRecords() > CACHE_LIMIT) this.#state.forgetClean();
    for (const [p, s] of done) p.resolve(s);
    answerRepeats();
  }

  /**
   * The entry of a statement already in the log (or earlier in this batch),
   * by its id: the hash of the statement without its signatures
   * (FORMAT.md §Identity and links), so a re-signed copy is the same statement.
   */
  async #existing(id: Uint8Array, batch: readonly [Pending, Submitted][]): Promise<Submitted | undefined> {
    for (const [, s] of batch) if (equalBytes(s.id, id)) return { ...s, duplicate: true };
    const index = await this.store.statementIndex(id);
    if (index === undefined) return undefined;
    const entry = await this.store.entry(index);
    if (!entry) return undefined;
    return { index, id, leafHash: hashLeaf(entry), time: decodeEntry(entry).entry.time, duplicate: true };
  }

  /**
   * Decodes each statement and checks it against the kinds table, then
   * verifies every signature of the batch in one call to the checker.
   */
  async #admitAll(batch: Pending[]): Promise<Admit[]> {
    const out: Admit[] = [];
    const jobs: SignatureJob[] = [];
    const owner: number[] = [];
    for (const [i, p] of batch.entries()) {
      if (p.record) {
        out.push(RECORD);
        continue;
      }
      if (p.foreign) {
        // A handful per hand-over: its signatures are verified here, inline.
        const f = admitForeign(p.bytes);
        out.push('violation' in f ? new CustodyError(f.violation.code, f.violation.message, 'custody') : f);
        continue;
      }
      const a = admit(p.bytes, false);
      if ('violation' in a) {
        out.push(new CustodyError(a.violation.code, a.violation.message, 'custody'));
        continue;
      }
      const j = signatureJobs(a.decoded, a.spec);
      if ('problem' in j) {
        out.push(new CustodyError('STATEMENT_SIGNATURE_INVALID', j.problem, 'custody'));
        continue;
      }
      out.push(a);
      for (const job of j.jobs) {
        jobs.push(job);
        owner.push(i);
      }
    }
    const ok = await this.#checker.check(jobs);
    ok.forEach((good, k) => {
      const i = owner[k]!;
      if (!good && !(out[i] instanceof CustodyError) && out[i] !== RECORD && !isForeign(out[i]!))
        out[i] = new CustodyError('STATEMENT_SIGNATURE_INVALID', 'a signature does not verify', 'custody');
    });
    return out;
  }

  async #sequence(p: Pending, a: Admitted, frontier: MerkleFrontier, nodes: PendingNodes, lastTime: number) {
    const s = a.statement;
    if (p.openings) {
      try {
        checkOpenings(a.spec, s.kind, s.body, decodeOpenings(p.openings));
      } catch (e) {
        if (e instanceof FormatError) throw new CustodyError(e.code, e.message, 'input');
        throw e;
      }
    }
    const index = frontier.size;
    await this.#state.prefetch(touchedOf(a));
    const time = Math.max(this.#clock.now(), lastTime);
    const at =
      s.seen && s.seen.size <= index
        ? { index, time, seenRoot: await rootAt(nodes, s.seen.size) }
        : { index, time };
    const o = judge(this.#state, a, at);
    if (!o.ok) throw new CustodyError(o.violation.code, o.violation.message, 'custody', { index });
    this.#state.apply(o.writes);
    const { entry, leafHash, treeNodes } = this.#seal(
      p,
      PAYLOAD_TYPES.statement,
      index,
      time,
      frontier,
      nodes,
    );
    const exhibits: Uint8Array[] = [];
    if (s.kind === 'register') exhibits.push(a.id);
    if (s.exhibit instanceof Uint8Array) exhibits.push(s.exhibit);
    const logged: LoggedEntry = { index, entry, payload: p.bytes, id: a.id, exhibits };
    if (p.openings) logged.openings = p.openings;
    return { logged, treeNodes, submitted: { index, id: a.id, leafHash, time } };
  }

  /** A foreign statement's entry: judged against the peer's policy, it moves the exhibit's record. */
  async #sequenceForeign(
    p: Pending,
    f: AdmittedForeign,
    frontier: MerkleFrontier,
    nodes: PendingNodes,
    lastTime: number,
  ) {
    const index = frontier.size;
    await this.#state.prefetch(touchedByForeign(f));
    const time = Math.max(this.#clock.now(), lastTime);
    const o = judgeForeign(this.#state, f, { index, time });
    if (!o.ok) throw new CustodyError(o.violation.code, o.violation.message, 'custody', { index });
    this.#state.apply(o.writes);
    const { entry, leafHash, treeNodes } = this.#seal(p, PAYLOAD_TYPES.foreign, index, time, frontier, nodes);
    // Not in the statement index: the statement is its origin's; the exhibit's history lists it.
    const logged: LoggedEntry = { index, entry, payload: p.bytes, exhibits: [f.exhibit] };
    return { logged, treeNodes, submitted: { index, id: f.inner.id, leafHash, time } };
  }

  /** The entry of `p` at `index` with the state's map root as it now stands, added to the tree. */
  #seal(
    p: Pending,
    payloadType: number,
    index: number,
    time: number,
    frontier: MerkleFrontier,
    nodes: PendingNodes,
  ) {
    const entry = encodeEntry({
      index,
      time,
      mapRoot: this.#state.map.root,
      payloadType,
      payloadHash: sha256(p.bytes),
    });
    const leafHash = hashLeaf(entry);
    const treeNodes = frontier.append(leafHash);
    nodes.add(treeNodes);
    return { entry, leafHash, treeNodes };
  }

  /** A log record's entry: its map root is the state's as it stands (a record changes nothing). */
  #sequenceRecord(p: Pending, frontier: MerkleFrontier, nodes: PendingNodes, lastTime: number) {
    const index = frontier.size;
    const time = Math.max(this.#clock.now(), lastTime);
    const { entry, leafHash, treeNodes } = this.#seal(p, PAYLOAD_TYPES.record, index, time, frontier, nodes);
    // Not in the statement index (identity -> position): a record is nobody's statement. Its
    // position is listed under its kind's reserved id (LOG_RECORDS_INDEX for archived checkpoints,
    // which an export finds there; DISCLOSURES_INDEX for disclosures).
    const id = recordId(p.bytes);
    const logged: LoggedEntry = { index, entry, payload: p.bytes, exhibits: [recordIndex(p.bytes)] };
    return { logged, treeNodes, submitted: { index, id, leafHash, time } };
  }

  /** Re-reads head, tree and state from the store (after a write whose outcome is unknown). */
  async #reload(): Promise<void> {
    const head = (await this.store.readHead()) ?? EMPTY_HEAD;
    await checkHead(this.store, head);
    this.#frontier = await MerkleFrontier.load(this.store, head.size);
    this.#head = head;
    this.#state = stateOverStore(this.store, head);
    this.#resync = false;
  }

  /**
   * Re-reads head, tree and state from the store, after the queued statements
   * (a standby becoming the sequencer: another process appended meanwhile).
   */
  async reload(): Promise<void> {
    while (this.#committing) await this.#committing;
    await this.#reload();
  }

  /**
   * Erases openings for good (docs/PRIVACY.md §Erasure): after the `erase`
   * statement that records it is appended, destroys the keys of these
   * fields' openings. Waits for queued statements first.
   */
  async eraseOpenings(refs: readonly { index: number; fields: readonly string[] }[]): Promise<void> {
    while (this.#committing) await this.#committing;
    await this.store.eraseOpenings(refs);
  }

  /** Waits for queued statements, then closes the store. */
  async close(): Promise<void> {
    this.#closed = true;
    while (this.#committing) await this.#committing;
    await this.store.close();
  }
}

/** The reserved id a record's position is listed under; a record that does not decode, as an archive. */
function recordIndex(bytes: Uint8Array): Uint8Array {
  try {
    return recordIndexOf(decodeLogRecord(bytes));
  } catch {
    return LOG_RECORDS_INDEX;
  }
}
