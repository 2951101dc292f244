/**
 * A ledger held for many clients (docs/SERVER.md): the library under
 * `custody serve`, with no HTTP and no files of its own.
 *
 * Appending. One LogLedger is the only sequencer. Statements submitted by
 * many clients at once are queued into its group commit; once a batch is
 * durable, one checkpoint signed by the log key (dual-signed when an
 * ML-DSA-44 key is given) covers it, the caller persists it outside the store
 * (`persistSigned`, synced), and only then is each statement acknowledged
 * with a C2SP tlog-proof receipt. Signings are coalesced: requests that
 * arrive while one is being signed wait for the next, which covers them all.
 *
 * Never two histories (./signing-guard.ts): the host refuses to sign, and so
 * to append, while its store does not extend the last checkpoint it signed,
 * the newest checkpoint stored in it, and those its witnesses hold.
 *
 * One sequencer at a time (./sequencer-lease.ts): on a shared store, a host that
 * does not hold the sequencer lease starts as a standby: it answers reads,
 * refuses appends (NOT_SEQUENCER) and signs nothing until promote(), which
 * re-reads the store and checks it as at start before signing.
 *
 * Reading. Each client command reads one snapshot of the store (an explicit
 * LevelDB snapshot), named by its tree size: the first read of a command
 * takes the newest, later reads name it (`at`). Snapshots unused for a minute
 * are released; a read naming a released one is LEDGER_MOVED, and the client
 * reads again from a new snapshot.
 */
import { formatCheckpoint } from '../checkpoint/checkpoint.js';
import { addLogMlDsaLine } from '../checkpoint/dual-signed.js';
import { ed25519NoteVerifier, formatNote, type NoteVerifier, signNoteLine } from '../checkpoint/note.js';
import { formatTlogProof } from '../checkpoint/tlog-proof.js';
import type { WitnessConfig } from '../checkpoint/tlog-witness.js';
import type { Signer } from '../crypto/ed25519.js';
import type { MlDsa44Signer } from '../crypto/ml-dsa.js';
import { CustodyError } from '../errors.js';
import { inclusionProof } from '../merkle/proofs.js';
import type { LogStore } from '../store/log-store.js';
import { answerStoreRead, type StoreRead } from '../store/store-wire.js';
import { LedgerView } from './ledger-view.js';
import { attachCosignature, logPublicKey, signLogCheckpoint } from './log-checkpoints.js';
import { LogLedger, type Submitted } from './log-ledger.js';
import { NodeCache } from './node-cache.js';
import { type HeldCheckpoint, signingRefusal } from './signing-guard.js';
import { QuorumWaiters } from './witness-quorum.js';
import { type Vouch, WitnessRole } from './witness-role.js';

export interface HostOptions {
  logKey: Signer;
  mlDsa?: MlDsa44Signer;
  /** The last checkpoint this log signed, as kept outside the store (undefined: none yet). */
  lastSigned?: string;
  /**
   * Checkpoints of this log that others hold (its witnesses' latest cosigned
   * ones): the store must extend each of them too before the host signs.
   * Notes not signed by this log's key are ignored.
   */
  heldElsewhere?: readonly { by: string; note: string }[];
  /**
   * Starts as a standby (another server is the sequencer): reads are
   * answered, appends refused with NOT_SEQUENCER and this reason, nothing
   * signed until promote().
   */
  standby?: string;
  /** Keeps a newly signed checkpoint outside the store, durably, before anything it covers is acknowledged. */
  persistSigned: (note: string) => void;
  /** Milliseconds an unused read snapshot is kept (default 60 s). */
  snapshotTtlMs?: number;
  /** Called after each new checkpoint is signed (to submit it to witnesses). */
  onSigned?: () => void;
  /**
   * The log's witnesses as the server counts them for appends that ask to be
   * witnessed: their cosigner keys, how many must have cosigned (k of n), and
   * how long such an append waits before it is answered WITNESS_QUORUM_TIMEOUT.
   */
  witnessQuorum?: { witnesses: readonly NoteVerifier[]; k: number; waitMs: number };
  /** When this server also witnesses peer logs (tlog-witness): its key and the logs it knows. */
  witness?: WitnessConfig;
  /**
   * When this server also audits peer logs: its auditor key and the logs it
   * audits, and the replay it runs before cosigning (docs/FEDERATION.md).
   */
  audit?: { config: WitnessConfig; vouch: Vouch };
  /** Told of each peer checkpoint this server cosigned as a witness (to keep the peer's tiles). */
  onWitnessed?: (origin: string, size: number, root: Uint8Array) => void;
}

export interface Submission {
  statement: Uint8Array;
  openings?: Uint8Array;
  /** `statement` is a foreign statement payload (payload type 3). */
  foreign?: true;
}

export type SubmissionResult =
  | { ok: true; submitted: Submitted; receipt: string }
  | { ok: false; error: CustodyError };

/** Snapshots kept at most, newest first to stay. */
const MAX_SNAPSHOTS = 32;

export class LedgerHost {
  #refusal: string | undefined;
  #standby: string | undefined;
  #outage: string | undefined;
  #latest: { size: number; note: string } | undefined;
  #signing: Promise<void> | undefined;
  #inFlight = 0;
  #closing = false;
  readonly #snapshots = new Map<number, { store: LogStore; used: number; view?: LedgerView }>();

  private constructor(
    private readonly store: LogStore,
    readonly ledger: LogLedger,
    private readonly view: LedgerView,
    readonly origin: string,
    readonly logVerifier: NoteVerifier,
    private readonly opts: HostOptions,
  ) {}

  /** Opens the host over `store`, which it owns from here on (close() closes it). */
  static async open(store: LogStore, opts: HostOptions): Promise<LedgerHost> {
    const ledger = await LogLedger.open(store);
    try {
      const view = new LedgerView(store);
      const { origin } = await view.ledger();
      const host = new LedgerHost(
        store,
        ledger,
        view,
        origin,
        ed25519NoteVerifier(origin, await logPublicKey(view)),
        opts,
      );
      await host.#startUp();
      return host;
    } catch (e) {
      await ledger.close();
      throw e;
    }
  }

  async #startUp(): Promise<void> {
    this.#standby = this.opts.standby;
    if (this.#standby !== undefined) {
      await this.follow();
      return;
    }
    await this.#checkAndSign(this.opts.lastSigned, this.opts.heldElsewhere ?? []);
  }

  /**
   * Signs over what the store holds now (re-using a stored checkpoint of that
   * size), so that the checkpoint is served at once and the last signed one is
   * kept outside from here on; unless the store does not extend a checkpoint
   * of this log that is known (then the host refuses, and says why).
   */
  async #checkAndSign(lastSigned: string | undefined, elsewhere: readonly HeldCheckpoint[]): Promise<void> {
    const stored = await this.view.latestCheckpoint();
    const refusal = await signingRefusal(
      this.view,
      [
        ...(lastSigned === undefined ? [] : [{ by: 'this server', note: lastSigned }]),
        ...(stored ? [{ by: 'the ledger (its newest stored checkpoint)', note: stored.note }] : []),
        ...elsewhere,
      ],
      this.logVerifier,
    );
    this.#refusal = refusal;
    if (refusal === undefined) await this.#sign();
  }

  /**
   * Becomes the sequencer (the caller now holds the lease): re-reads head,
   * tree and state (another server appended), checks the store against the
   * checkpoints known now, as at start, and signs, or refuses to.
   */
  async promote(lastSigned: string | undefined, elsewhere: readonly HeldCheckpoint[] = []): Promise<void> {
    await this.ledger.reload();
    this.#latest = undefined;
    this.#standby = undefined;
    await this.#checkAndSign(lastSigned, elsewhere);
  }

  /** Stops appending and signing (the lease is lost): a standby from here on. */
  demote(reason: string): void {
    this.#standby = reason;
  }

  /** As a standby: serves the newest checkpoint the sequencer stored. */
  async follow(): Promise<void> {
    if (this.#standby === undefined) return;
    const stored = await this.view.latestCheckpoint();
    if (stored) this.#latest = stored;
  }

  /**
   * The shared store's database cannot be reached (why, one line), or is
   * reachable again (undefined). Told by the lease loop (./sequencer-lease.ts);
   * while it lasts appends are refused LEDGER_UNAVAILABLE, and the server
   * stays up: the loop takes the lease again and promote()s once the
   * database answers.
   */
  storeOutage(reason: string | undefined): void {
    if (reason !== undefined && this.#outage === undefined) this.#dropSnapshots();
    this.#outage = reason;
  }

  /**
   * Read snapshots hold a database connection each; when the database goes
   * away those connections are dead, and a snapshot of the same size would be
   * reused after it came back ("not queryable"): they are dropped, and
   * reads take new ones.
   */
  #dropSnapshots(): void {
    for (const s of this.#snapshots.values()) void s.store.close().catch(() => undefined);
    this.#snapshots.clear();
  }

  /** Why the store cannot be used now, or undefined. */
  get outage(): string | undefined {
    return this.#outage;
  }

  /** Why the host is a standby (not the sequencer), or undefined when it is the sequencer. */
  get standby(): string | undefined {
    return this.#standby;
  }

  /** Why the host refuses to sign (and append), or undefined when it signs. */
  get refusal(): string | undefined {
    return this.#refusal;
  }
  /** The latest checkpoint signed, with its size. */
  get latest(): { size: number; note: string } | undefined {
    return this.#latest;
  }
  /** Where hash tiles and entry bundles are read from (tree nodes and entries never change). */
  get tiles(): Pick<LogStore, 'node' | 'entry' | 'checkpointSizes'> {
    return this.store;
  }

  /**
   * Submits statements in the order given (a later one may build on an
   * earlier one) and acknowledges each once a signed checkpoint covers it.
   */
  async append(items: readonly Submission[], witnessed = false): Promise<SubmissionResult[]> {
    this.#sequencing();
    if (this.#refusal) throw new CustodyError('SIGNING_REFUSED', this.#refusal, 'unavailable');
    if (witnessed && !this.opts.witnessQuorum)
      throw new CustodyError('WITNESS_QUORUM_NONE', 'this server has no witnesses to wait for', 'input');
    if (this.#closing)
      throw new CustodyError('SERVER_STOPPING', 'the server is stopping; try again shortly', 'unavailable');
    this.#inFlight++;
    try {
      const settled = await Promise.allSettled(
        items.map((s) =>
          s.foreign ? this.ledger.submitForeign(s.statement) : this.ledger.submit(s.statement, s.openings),
        ),
      );
      const last = Math.max(-1, ...settled.map((s) => (s.status === 'fulfilled' ? s.value.index : -1)));
      if (last >= 0) await this.#cover(last);
      const note = witnessed && last >= 0 ? await this.#waiters.covering(last) : undefined;
      const out: SubmissionResult[] = [];
      for (const s of settled) {
        if (s.status === 'rejected') {
          if (!(s.reason instanceof CustodyError)) throw s.reason;
          out.push({ ok: false, error: s.reason });
          continue;
        }
        out.push({ ok: true, submitted: s.value, receipt: await this.#receipt(s.value.index, note) });
      }
      return out;
    } finally {
      this.#inFlight--;
    }
  }

  /**
   * Appends a log record (payload type 2) the caller built and checked, and
   * resolves once a signed checkpoint covers it (as an append is acknowledged).
   */
  async appendRecord(bytes: Uint8Array): Promise<Submitted> {
    this.#sequencing();
    if (this.#refusal) throw new CustodyError('SIGNING_REFUSED', this.#refusal, 'unavailable');
    if (this.#closing)
      throw new CustodyError('SERVER_STOPPING', 'the server is stopping; try again shortly', 'unavailable');
    this.#inFlight++;
    try {
      const submitted = await this.ledger.appendRecord(bytes);
      await this.#cover(submitted.index);
      return submitted;
    } finally {
      this.#inFlight--;
    }
  }

  #sequencing(): void {
    if (this.#outage !== undefined) throw new CustodyError('LEDGER_UNAVAILABLE', this.#outage, 'unavailable');
    if (this.#standby !== undefined) throw new CustodyError('NOT_SEQUENCER', this.#standby, 'unavailable');
  }

  /** Resolves once a signed checkpoint, kept outside the store, covers entry `index`. */
  async #cover(index: number): Promise<void> {
    while ((this.#latest?.size ?? 0) <= index) {
      this.#sequencing();
      if (this.#refusal) throw new CustodyError('SIGNING_REFUSED', this.#refusal, 'unavailable');
      this.#signing ??= this.#sign().finally(() => {
        this.#signing = undefined;
      });
      await this.#signing;
    }
  }

  /**
   * Signs the tree as the ledger holds it now. The first signing goes through
   * signLogCheckpoint (which checks the key against genesis, the ML-DSA-44 key
   * against its enrolment, and re-uses a stored checkpoint of that size);
   * after that the host signs the ledger's own size and root directly: every
   * entry they cover is durable (LogLedger updates them after the write), and
   * the tree only grows from the checkpoint signed before.
   */
  async #sign(): Promise<void> {
    // A host that lost the lease signs nothing more: the new sequencer may already sign.
    if (this.#standby !== undefined) return;
    const size = this.ledger.size;
    if (size === 0) return;
    if (this.#latest && this.#latest.size >= size) return;
    let note: string;
    if (!this.#latest) {
      note = (
        await signLogCheckpoint(
          await this.currentView(),
          this.opts.logKey,
          this.opts.mlDsa ? { mlDsa: this.opts.mlDsa } : {},
        )
      ).note;
    } else {
      const text = formatCheckpoint({ origin: this.origin, size, root: this.ledger.root() });
      const signed = formatNote(text, [signNoteLine(text, this.origin, this.opts.logKey)]);
      note = this.opts.mlDsa
        ? addLogMlDsaLine(signed, this.origin, this.opts.mlDsa, Math.floor(Date.now() / 1000))
        : signed;
      await this.store.putCheckpoint(size, note);
    }
    this.opts.persistSigned(note);
    this.#latest = { size, note };
    this.opts.onSigned?.();
  }

  /**
   * The C2SP tlog-proof receipt of entry `index` against the latest signed
   * checkpoint. Not verified here: the host signed that checkpoint itself,
   * and every client verifies the receipt before it believes it.
   */
  async #receipt(index: number, against?: { size: number; note: string }): Promise<string> {
    const latest = against ?? this.#latest!;
    const [entry, proof] = await Promise.all([
      this.store.entry(index),
      inclusionProof(this.#nodes, index, latest.size),
    ]);
    if (!entry) throw new CustodyError('STORE_CORRUPT', `entry ${index} is missing`, 'unavailable');
    return formatTlogProof({ index, proof, checkpointNote: latest.note, extra: entry });
  }

  /** An RFC 9162 consistency proof between two sizes of this log's tree (nodes never change). */
  consistencyProof(first: number, second: number): Promise<Uint8Array[]> {
    return this.view.consistencyProof(first, second);
  }

  /** Tree nodes read for receipts, kept (./node-cache.ts). */
  #nodeCache: NodeCache | undefined;
  get #nodes(): NodeCache {
    this.#nodeCache ??= new NodeCache(this.store);
    return this.#nodeCache;
  }

  #attaching: Promise<unknown> = Promise.resolve();

  /** The appends waiting for a checkpoint with the witness quorum (./witness-quorum.ts). */
  #quorum: QuorumWaiters | undefined;
  get #waiters(): QuorumWaiters {
    this.#quorum ??= new QuorumWaiters(this.logVerifier, this.opts.witnessQuorum!);
    return this.#quorum;
  }

  /**
   * Adds a witness's cosignature line to the stored checkpoint of `size`
   * (verified against `witness`), one at a time; /checkpoint then serves it.
   */
  attachCosignature(size: number, line: string, witness: NoteVerifier): Promise<void> {
    const next = this.#attaching.then(async () => {
      const note = await attachCosignature(this.view, size, line, witness);
      if (this.#latest?.size === size) this.#latest = { size, note };
      if (this.opts.witnessQuorum) this.#waiters.check(size, note);
    });
    this.#attaching = next.catch(() => undefined);
    return next;
  }

  /** This server as a witness of peer logs (tlog-witness), when configured. */
  get witness(): WitnessRole | undefined {
    const w = this.opts.witness;
    const onCosigned = this.opts.onWitnessed;
    this.#witnessRole ??=
      w && new WitnessRole(this.store, w, { role: 'witness', ...(onCosigned ? { onCosigned } : {}) });
    return this.#witnessRole;
  }
  #witnessRole: WitnessRole | undefined;

  /** This server as an auditor of peer logs, when configured. */
  get auditor(): WitnessRole | undefined {
    const a = this.opts.audit;
    this.#auditorRole ??= a && new WitnessRole(this.store, a.config, { role: 'audit', vouch: a.vouch });
    return this.#auditorRole;
  }
  #auditorRole: WitnessRole | undefined;

  /**
   * Answers a store read (./store-wire.ts) from the snapshot of tree size
   * `at`, or from the newest when `at` is undefined; with the snapshot's size.
   */
  async read(
    r: StoreRead,
    at: number | undefined,
    mayOpen?: (index: number) => boolean,
  ): Promise<{ body: Uint8Array | undefined; size: number }> {
    const snap = await this.#snapshotAt(at);
    // Signed checkpoints are stored after the batch they cover (and cosignatures later still):
    // read them live. Keyed by size, they never contradict the snapshot; the client clips
    // them to its snapshot's size.
    const live = r.op === 'checkpoint' || r.op === 'checkpoint-sizes';
    return { body: await answerStoreRead(live ? this.store : snap.store, r, mayOpen), size: snap.size };
  }

  /**
   * A view of the newest snapshot, for the server's own reads (who holds an
   * access key, need to know): a view of the live store could read a record
   * newer than the head it opened with, while appends go on.
   */
  async currentView(): Promise<LedgerView> {
    const { size } = await this.#snapshotAt(undefined);
    const s = this.#snapshots.get(size);
    if (!s) return new LedgerView(this.store);
    s.view ??= new LedgerView(s.store);
    return s.view;
  }

  async #snapshotAt(at: number | undefined): Promise<{ store: LogStore; size: number }> {
    const now = Date.now();
    await this.#sweep(now);
    if (at !== undefined) {
      const s = this.#snapshots.get(at);
      if (!s)
        throw new CustodyError(
          'LEDGER_MOVED',
          `the snapshot of size ${at} this read names is gone; read again`,
          'unavailable',
        );
      s.used = now;
      return { store: s.store, size: at };
    }
    if (!this.store.snapshot) {
      // A store without snapshots (memory, in tests) is read live.
      return { store: this.store, size: (await this.store.readHead())?.size ?? 0 };
    }
    const store = this.store.snapshot();
    let size: number;
    try {
      size = (await store.readHead())?.size ?? 0;
    } catch (e) {
      // Its connection is not kept when the database cannot be read (an outage).
      await store.close().catch(() => undefined);
      throw e;
    }
    const have = this.#snapshots.get(size);
    if (have) {
      await store.close();
      have.used = now;
      return { store: have.store, size };
    }
    this.#snapshots.set(size, { store, used: now });
    return { store, size };
  }

  async #sweep(now: number): Promise<void> {
    const ttl = this.opts.snapshotTtlMs ?? 60_000;
    const byAge = [...this.#snapshots].sort((a, b) => b[1].used - a[1].used);
    for (const [i, [size, s]] of byAge.entries())
      if (i >= MAX_SNAPSHOTS || now - s.used > ttl) {
        this.#snapshots.delete(size);
        await s.store.close();
      }
  }

  /** Stops taking appends, waits for those in flight to be acknowledged, and closes the ledger. */
  async close(): Promise<void> {
    this.#closing = true;
    while (this.#inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    for (const s of this.#snapshots.values()) await s.store.close();
    this.#snapshots.clear();
    await this.ledger.close();
  }
}
