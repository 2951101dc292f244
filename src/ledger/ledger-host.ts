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
 * to append, while its store does not extend the last checkpoint it signed.
 *
 * Reading. Each client command reads one snapshot of the store (an explicit
 * LevelDB snapshot), named by its tree size: the first read of a command
 * takes the newest, later reads name it (`at`). Snapshots unused for a minute
 * are released; a read naming a released one is LEDGER_MOVED, and the client
 * reads again from a new snapshot.
 */
import { ed25519NoteVerifier, type NoteVerifier } from '../checkpoint/note.js';
import type { Signer } from '../crypto/ed25519.js';
import type { MlDsa44Signer } from '../crypto/ml-dsa.js';
import { CustodyError } from '../errors.js';
import type { LogStore } from '../store/log-store.js';
import { answerStoreRead, type StoreRead } from '../store/store-wire.js';
import { LedgerView } from './ledger-view.js';
import { logPublicKey, signLogCheckpoint } from './log-checkpoints.js';
import { LogLedger, type Submitted } from './log-ledger.js';
import { checkSignedHistory } from './signing-guard.js';

export interface HostOptions {
  logKey: Signer;
  mlDsa?: MlDsa44Signer;
  /** The last checkpoint this log signed, as kept outside the store (undefined: none yet). */
  lastSigned?: string;
  /** Keeps a newly signed checkpoint outside the store, durably, before anything it covers is acknowledged. */
  persistSigned: (note: string) => void;
  /** Milliseconds an unused read snapshot is kept (default 60 s). */
  snapshotTtlMs?: number;
}

export interface Submission {
  statement: Uint8Array;
  openings?: Uint8Array;
}

export type SubmissionResult =
  | { ok: true; submitted: Submitted; receipt: string }
  | { ok: false; error: CustodyError };

/** Snapshots kept at most, newest first to stay. */
const MAX_SNAPSHOTS = 32;

export class LedgerHost {
  #refusal: string | undefined;
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
    if (this.opts.lastSigned !== undefined) {
      const state = await checkSignedHistory(this.view, this.opts.lastSigned, this.logVerifier);
      if (!state.ok) {
        this.#refusal = state.reason;
        return;
      }
    }
    // Signs over what the store holds now (re-using a stored checkpoint of that size), so that
    // the checkpoint is served at once and the last signed one is kept outside from here on.
    await this.#sign();
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
  async append(items: readonly Submission[]): Promise<SubmissionResult[]> {
    if (this.#refusal) throw new CustodyError('SIGNING_REFUSED', this.#refusal, 'unavailable');
    if (this.#closing)
      throw new CustodyError('SERVER_STOPPING', 'the server is stopping; try again shortly', 'unavailable');
    this.#inFlight++;
    try {
      const settled = await Promise.allSettled(items.map((s) => this.ledger.submit(s.statement, s.openings)));
      const last = Math.max(-1, ...settled.map((s) => (s.status === 'fulfilled' ? s.value.index : -1)));
      if (last >= 0) await this.#cover(last);
      const note = this.#latest?.note ?? '';
      const out: SubmissionResult[] = [];
      for (const s of settled) {
        if (s.status === 'rejected') {
          if (!(s.reason instanceof CustodyError)) throw s.reason;
          out.push({ ok: false, error: s.reason });
          continue;
        }
        const r = await this.view.tlogReceipt(s.value.index, note, this.logVerifier);
        out.push({ ok: true, submitted: s.value, receipt: r.text });
      }
      return out;
    } finally {
      this.#inFlight--;
    }
  }

  /** Resolves once a signed checkpoint, kept outside the store, covers entry `index`. */
  async #cover(index: number): Promise<void> {
    while ((this.#latest?.size ?? 0) <= index) {
      if (this.#refusal) throw new CustodyError('SIGNING_REFUSED', this.#refusal, 'unavailable');
      this.#signing ??= this.#sign().finally(() => {
        this.#signing = undefined;
      });
      await this.#signing;
    }
  }

  async #sign(): Promise<void> {
    // A snapshot: appends go on meanwhile, and a view of the live store could see a head
    // and the entries after it from two different moments.
    const view = await this.currentView();
    const size = await view.head().then(
      (h) => h.size,
      () => 0,
    );
    if (size === 0) return;
    const r = await signLogCheckpoint(
      view,
      this.opts.logKey,
      this.opts.mlDsa ? { mlDsa: this.opts.mlDsa } : {},
    );
    this.opts.persistSigned(r.note);
    this.#latest = { size: r.size, note: r.note };
  }

  /**
   * Answers a store read (./store-wire.ts) from the snapshot of tree size
   * `at`, or from the newest when `at` is undefined; with the snapshot's size.
   */
  async read(r: StoreRead, at: number | undefined): Promise<{ body: Uint8Array | undefined; size: number }> {
    const snap = await this.#snapshotAt(at);
    return { body: await answerStoreRead(snap.store, r), size: snap.size };
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
    const size = (await store.readHead())?.size ?? 0;
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
