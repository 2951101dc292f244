/**
 * Reading a v2 ledger for people (docs/STORAGE.md): the records the state map
 * commits to, statements with their openings, an exhibit's history, and the
 * look-ups behind what users type (short ids, labels), and the tree's roots,
 * proofs, receipts and stored checkpoints. The CLI reads the ledger only
 * through it: the store is private. Records and look-ups are checked
 * against the state map the last entry commits to (./checked-state.ts), so
 * what it shows and what commands act on is never a record edited behind
 * the ledger. The statement index and exhibit events are read as stored and
 * each statement read is checked to be the one asked for; whether the whole
 * log is true is the verifier's job (src/verify/log-verify.ts).
 */
import { equalBytes, fromUtf8, utf8 } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { type NoteVerifier, parseNote } from '../checkpoint/note.js';
import { sha256 } from '../crypto/sha256.js';
import type { CustodyState } from '../custody/custody-state.js';
import { fromRecord, type OpenNonconformity } from '../custody/nonconformities.js';
import type {
  AnyRecord,
  ExhibitRecord,
  HoldRecord,
  KeyRecord,
  LedgerRecord,
  NonconformityRecord,
  PeerRecord,
} from '../custody/records.js';
import { type Namespace, NS } from '../custody/records.js';
import { CustodyError } from '../errors.js';
import { decodeEntry, PAYLOAD_TYPES } from '../format/entry.js';
import { decodeForeign } from '../format/foreign.js';
import { KEY_PURPOSES } from '../format/key-id.js';
import { decodeLogRecord, LOG_RECORDS_INDEX, type LogRecord } from '../format/log-record.js';
import { decodeOpenings, type Openings } from '../format/openings.js';
import { bits45 } from '../format/short-id.js';
import { decodeSignedStatement, type Seen, type Statement } from '../format/statement.js';
import { consistencyProof, inclusionProof, rootAt } from '../merkle/proofs.js';
import type { LogHead, LogStore } from '../store/log-store.js';
import { checkHead, stateOverStore } from './checked-state.js';
import { type LocalReceipt, localReceipt, type TlogReceipt, tlogReceipt } from './receipt.js';

export interface Actor {
  id: Uint8Array;
  record: KeyRecord;
  name: string;
  org: string;
}

/** A log record (FORMAT.md §Log records) as logged. */
export interface LoggedRecord {
  index: number;
  logTime: number;
  record: LogRecord;
  bytes: Uint8Array;
}

export interface LoggedStatement {
  index: number;
  /** Log time of the entry. */
  logTime: number;
  id: Uint8Array;
  statement: Statement;
  /** Cleartext of committed fields, where the ledger holds it. */
  openings: Openings;
  bytes: Uint8Array;
  /**
   * A foreign statement (payload type 3): another ledger's, carried here with
   * its evidence (`payload`); `bytes` are the statement's own.
   */
  foreign?: { payload: Uint8Array };
}

/** A checkpoint note as stored, with the root it states. */
export interface StoredCheckpoint {
  size: number;
  note: string;
  root: Uint8Array;
}

/**
 * The store under a view, for the src/ code that writes checkpoints or exports
 * bundles through it (log-checkpoints.ts, src/bundle/export-v2.ts). cli/ never
 * calls it: it reads through the view's methods (test/ledger/ledger-view.test.ts).
 */
export let storeOf: (view: LedgerView) => LogStore;

const EMPTY = new Uint8Array(0);
const damaged = (what: string) =>
  new CustodyError('STORE_CORRUPT', `${what} is damaged; run custody verify`, 'unavailable');

export class LedgerView {
  readonly #store: LogStore;
  #state: { size: number; mapRoot: Uint8Array; state: CustodyState } | undefined;

  static {
    storeOf = (view) => view.#store;
  }

  constructor(store: LogStore) {
    this.#store = store;
  }

  async head(): Promise<LogHead> {
    const h = await this.#store.readHead();
    if (!h || h.size === 0)
      throw new CustodyError('LEDGER_EMPTY', 'the ledger has no genesis yet', 'unavailable');
    return h;
  }

  /**
   * The state as of the stored head, every record read checked against the
   * map it commits to (./checked-state.ts): a record edited, added or removed
   * behind the ledger is STORE_CORRUPT, never shown or acted on. Re-opened
   * when the head has moved (this process appended meanwhile).
   */
  async #checked(): Promise<CustodyState> {
    const h = await this.#store.readHead();
    if (!h || h.size === 0)
      throw new CustodyError('LEDGER_EMPTY', 'the ledger has no genesis yet', 'unavailable');
    if (!this.#state || this.#state.size !== h.size || !equalBytes(this.#state.mapRoot, h.mapRoot)) {
      await checkHead(this.#store, h);
      this.#state = { size: h.size, mapRoot: h.mapRoot, state: stateOverStore(this.#store, h) };
    }
    return this.#state.state;
  }

  async #record<R extends AnyRecord>(ns: Namespace, key: Uint8Array): Promise<R | undefined> {
    const state = await this.#checked();
    await state.prefetch({ keys: [[ns, key]], indexes: [] });
    return state.get<R>(ns, key);
  }

  async ledger(): Promise<LedgerRecord> {
    const r = await this.#record<LedgerRecord>(NS.ledger, EMPTY);
    if (!r) throw new CustodyError('LEDGER_EMPTY', 'the ledger has no genesis yet', 'unavailable');
    return r;
  }
  key(id: Uint8Array): Promise<KeyRecord | undefined> {
    return this.#record<KeyRecord>(NS.key, id);
  }
  exhibit(id: Uint8Array): Promise<ExhibitRecord | undefined> {
    return this.#record<ExhibitRecord>(NS.exhibit, id);
  }
  /** The exhibit's active legal holds (docs/PRIVACY.md §Restriction): none when it has no hold record. */
  async holds(exhibit: Uint8Array): Promise<HoldRecord['holds']> {
    return (await this.#record<HoldRecord>(NS.hold, exhibit))?.holds ?? [];
  }

  /** The exhibit's open non-conformities (docs/CUSTODY-RULES.md §Non-conformities), in log order: none when it has no record. */
  async nonconformities(exhibit: Uint8Array): Promise<OpenNonconformity[]> {
    return fromRecord(exhibit, (await this.#record<NonconformityRecord>(NS.nonconformity, exhibit))?.open);
  }

  /** Every open non-conformity of the ledger, by exhibit (each list in log order), each record checked against the map. */
  async allNonconformities(): Promise<{ exhibit: Uint8Array; open: OpenNonconformity[] }[]> {
    return (await this.#all<NonconformityRecord>(NS.nonconformity)).map(({ id, record }) => ({
      exhibit: id,
      open: fromRecord(id, record.open),
    }));
  }

  /** The ids under a many-valued index K (docs/FORMAT.md §The state map): positions 0, 1, … to the first absent. */
  async lookup(ns: Namespace, k: readonly (string | Uint8Array | number)[]): Promise<Uint8Array[]> {
    const state = await this.#checked();
    await state.prefetch({ keys: [], indexes: [[ns, k]] });
    return state.lookup(ns, k);
  }
  /** Ids whose short form is `canonical` (from parse45): the short index holds their 45 bits. */
  lookupShort(prefix: 'K' | 'EX', canonical: string): Promise<Uint8Array[]> {
    return this.lookup(NS.short, [prefix, bits45(prefix, canonical)]);
  }

  async statementAt(index: number): Promise<LoggedStatement> {
    const at = await this.entryAt(index);
    if ('record' in at)
      throw new CustodyError('NOT_A_STATEMENT', `entry ${index} is a log record, not a statement`, 'input');
    return at;
  }

  /** Positions of the log records (FORMAT.md §Log records), ascending. */
  recordPositions(): Promise<number[]> {
    return this.#store.exhibitEvents(LOG_RECORDS_INDEX);
  }

  /** The statement or the log record (FORMAT.md §Log records) at `index`. */
  async entryAt(index: number): Promise<LoggedStatement | LoggedRecord> {
    const [entry, payload, openings] = await Promise.all([
      this.#store.entry(index),
      this.#store.payload(index),
      this.#store.openings(index),
    ]);
    if (!entry || !payload) throw damaged(`entry ${index}`);
    try {
      const e = decodeEntry(entry).entry;
      // The payload must be the one its entry commits to (a swapped payload is not shown).
      if (!equalBytes(sha256(payload), e.payloadHash)) throw new Error('payload hash');
      if (e.payloadType === PAYLOAD_TYPES.record)
        return { index, logTime: e.time, record: decodeLogRecord(payload), bytes: payload };
      if (e.payloadType === PAYLOAD_TYPES.foreign) {
        const f = decodeForeign(payload);
        const d = decodeSignedStatement(f.statement);
        return {
          index,
          logTime: e.time,
          id: d.id,
          statement: d.statement,
          openings: {},
          bytes: f.statement,
          foreign: { payload },
        };
      }
      const d = decodeSignedStatement(payload);
      return {
        index,
        logTime: e.time,
        id: d.id,
        statement: d.statement,
        openings: openings ? decodeOpenings(openings) : {},
        bytes: payload,
      };
    } catch {
      throw damaged(`entry ${index}`);
    }
  }

  /**
   * The statements of an exhibit's history, in log order: its chain and the
   * annotations on it, as the store's event list names them. The chain part
   * is checked against the entries and the map: it starts with the
   * registration, each statement's `after` names the one before, and the
   * last is the head of the exhibit's (map-checked) record. An event list
   * edited to hide or add an event is STORE_CORRUPT.
   */
  async history(exhibit: Uint8Array): Promise<LoggedStatement[]> {
    const at = await this.#store.exhibitEvents(exhibit);
    const events = await Promise.all(at.map((i) => this.statementAt(i)));
    const rec = await this.exhibit(exhibit);
    if (rec || events.length > 0) checkChain(exhibit, rec?.head, events);
    return events;
  }

  /**
   * Every ledger-class statement (genesis, configure, rotate, enrol, revoke)
   * in log order, found by walking the ledger chain back from the ledger
   * record's head through `after` (docs/FORMAT.md §Identity and links).
   */
  async ledgerStatements(): Promise<LoggedStatement[]> {
    const out: LoggedStatement[] = [];
    let id: Uint8Array | undefined = (await this.ledger()).head;
    let before = Number.POSITIVE_INFINITY;
    while (id) {
      const at = await this.#store.statementIndex(id);
      // Each link points strictly back in the log, so the walk ends.
      if (at === undefined || at >= before) throw damaged('the ledger chain');
      before = at;
      const s = await this.statementAt(at);
      if (!equalBytes(s.id, id)) throw damaged('the statement index');
      out.push(s);
      id = s.statement.after;
    }
    return out.reverse();
  }

  /** Every record of a namespace, decoded, with its key; each checked against the map (#record). */
  async #all<R extends AnyRecord>(ns: Namespace): Promise<{ id: Uint8Array; record: R }[]> {
    const out: { id: Uint8Array; record: R }[] = [];
    // One checked state for the whole listing (the head is read once, not per record).
    const state = await this.#checked();
    for await (const r of this.#store.records(ns)) {
      await state.prefetch({ keys: [[ns, r.key]], indexes: [] });
      const record = state.get<R>(ns, r.key);
      // A stored record the map does not hold was added behind the ledger.
      if (!record) throw damaged(`a ${ns} record`);
      out.push({ id: r.key, record });
    }
    return out;
  }

  /** Every key record, with its id. */
  keys(): Promise<{ id: Uint8Array; record: KeyRecord }[]> {
    return this.#all<KeyRecord>(NS.key);
  }

  /** Every peer ledger the authority recorded (docs/FEDERATION.md §Peers), by origin. */
  async peers(): Promise<{ origin: string; record: PeerRecord }[]> {
    return (await this.#all<PeerRecord>(NS.peer)).map((p) => ({ origin: fromUtf8(p.id), record: p.record }));
  }

  /** The peer record of `origin`, if the authority recorded it. */
  peer(origin: string): Promise<PeerRecord | undefined> {
    return this.#record<PeerRecord>(NS.peer, utf8(origin));
  }

  /** Every exhibit record, with its id. */
  exhibits(): Promise<{ id: Uint8Array; record: ExhibitRecord }[]> {
    return this.#all<ExhibitRecord>(NS.exhibit);
  }

  /**
   * Label and case of every exhibit, from its registration. O(exhibits): a
   * label alone is not a key of the label index (that is [case, label]).
   */
  async labels(): Promise<{ id: Uint8Array; label: string; caseRef: string }[]> {
    const out: { id: Uint8Array; label: string; caseRef: string }[] = [];
    for (const { id } of await this.exhibits()) {
      const reg = await this.registration(id);
      out.push({
        id,
        label: reg.statement.body['label'] as string,
        caseRef: reg.statement.body['caseRef'] as string,
      });
    }
    return out;
  }

  /** The register statement of an exhibit (its identity is the exhibit id). */
  /**
   * An exhibit's registration: its own statement here, or for an exhibit
   * registered in a peer ledger, the one its first imported hand-over carried
   * (docs/FEDERATION.md), at that entry's position.
   */
  async registration(id: Uint8Array): Promise<LoggedStatement> {
    const at = await this.#store.statementIndex(id);
    if (at === undefined) {
      const carried = await this.#carriedRegistration(id);
      if (carried) return carried;
    }
    const s = at === undefined ? undefined : await this.statementAt(at);
    if (!s || !equalBytes(s.id, id)) throw damaged('the statement index');
    return s;
  }

  async #carriedRegistration(id: Uint8Array): Promise<LoggedStatement | undefined> {
    for (const i of await this.#store.exhibitEvents(id)) {
      const e = await this.entryAt(i);
      if ('record' in e || !e.foreign) continue;
      const registration = decodeForeign(e.foreign.payload).registration;
      if (!registration) continue;
      const d = decodeSignedStatement(registration);
      if (!equalBytes(d.id, id)) throw damaged(`the registration carried at entry ${i}`);
      return { ...e, id: d.id, statement: d.statement, bytes: registration };
    }
    return undefined;
  }

  /**
   * Statement keys with the name and organisation they were enrolled under
   * (from the enrolment's openings; "withheld" when the ledger no longer holds
   * them). The genesis key is the authority, named by the ledger's org.
   */
  async actors(): Promise<Actor[]> {
    await this.head();
    const out: Actor[] = [];
    // The authority's organisation is in clear in genesis; a rotated-in key keeps it.
    const authorityOrg = (await this.statementAt(0)).statement.body['org'] as string;
    for (const { id, record } of await this.keys()) {
      if (record.purpose !== KEY_PURPOSES.statement) continue;
      const s = await this.statementAt(record.enrolledAt);
      if (s.statement.kind !== 'enrol') {
        out.push({ id, record, name: `${authorityOrg} authority`, org: authorityOrg });
        continue;
      }
      const opened = (f: string) => s.openings[f]?.value ?? 'withheld';
      out.push({ id, record, name: opened('name'), org: opened('org') });
    }
    return out;
  }

  /** The checkpoint a signer online has just seen: the whole log as stored now. */
  async seen(): Promise<Seen> {
    const h = await this.head();
    return { size: h.size, root: await rootAt(this.#store, h.size) };
  }

  /** Sizes of the stored checkpoints, ascending. */
  checkpointSizes(): Promise<number[]> {
    return this.#store.checkpointSizes();
  }

  /** The stored checkpoint note of tree size `size`, if any. */
  checkpoint(size: number): Promise<string | undefined> {
    return this.#store.checkpoint(size);
  }

  /** The stored checkpoint of the largest size, if any. */
  async latestCheckpoint(): Promise<{ size: number; note: string } | undefined> {
    const size = (await this.#store.checkpointSizes()).at(-1);
    return size === undefined ? undefined : { size, note: (await this.#store.checkpoint(size))! };
  }

  /** Every stored checkpoint, ascending by size, with the root its note states. */
  async checkpoints(): Promise<StoredCheckpoint[]> {
    const out: StoredCheckpoint[] = [];
    for (const size of await this.#store.checkpointSizes()) {
      const note = (await this.#store.checkpoint(size))!;
      out.push({ size, note, root: parseCheckpoint(parseNote(note).text).root });
    }
    return out;
  }

  /** Root of the tree of the first `size` entries (RFC 9162 §2.1.1). */
  rootAt(size: number): Promise<Uint8Array> {
    return rootAt(this.#store, size);
  }

  /** Leaf hash of entry `index`. */
  leafHash(index: number): Promise<Uint8Array> {
    return this.#store.node(0, index);
  }

  /** Inclusion proof of entry `index` in the tree of size `size` (RFC 9162 §2.1.3). */
  inclusionProof(index: number, size: number): Promise<Uint8Array[]> {
    return inclusionProof(this.#store, index, size);
  }

  /** Consistency proof from tree size `first` to `second` (RFC 9162 §2.1.4). */
  consistencyProof(first: number, second: number): Promise<Uint8Array[]> {
    return consistencyProof(this.#store, first, second);
  }

  /** The unsigned local receipt of entry `index` (./receipt.ts). */
  receipt(index: number): Promise<LocalReceipt> {
    return localReceipt(this.#store, index);
  }

  /** The C2SP tlog-proof receipt of entry `index` against a checkpoint signed by `log` (./receipt.ts). */
  tlogReceipt(index: number, checkpointNote: string, log: NoteVerifier): Promise<TlogReceipt> {
    return tlogReceipt(this.#store, index, checkpointNote, log);
  }
}

/**
 * The events of `exhibit` must all concern it, and its chain statements
 * among them must be its chain, ending at `head` (see history).
 */
/**
 * Whether chain event `e` follows `prev`: it names it (`after`); or, across
 * ledgers (docs/FEDERATION.md §Cancelling a hand-over between ledgers), it is
 * this ledger's cancel request coming back confirmed (the same statement,
 * foreign), or the peer's answer to the hand-over that the request named.
 */
function follows(e: LoggedStatement, prev: LoggedStatement): boolean {
  const after = e.statement.after;
  if (after && equalBytes(after, prev.id)) return true;
  if (!e.foreign) return false;
  if (e.statement.kind === 'cancel' && equalBytes(e.id, prev.id)) return true;
  const requested = !prev.foreign && prev.statement.kind === 'cancel' ? prev.statement.after : undefined;
  return !!after && !!requested && equalBytes(after, requested);
}

function checkChain(exhibit: Uint8Array, head: Uint8Array | undefined, events: readonly LoggedStatement[]) {
  const names = (e: LoggedStatement) =>
    e.statement.exhibit instanceof Uint8Array && equalBytes(e.statement.exhibit, exhibit);
  const chain = events.filter(
    (e) => e.statement.class === 'chain' && (equalBytes(e.id, exhibit) || names(e)),
  );
  const others = events.filter((e) => e.statement.class !== 'chain');
  // An imported hand-over (a foreign transfer) opens this ledger's part of the chain: its
  // `after` names a statement of the sending ledger (docs/FEDERATION.md).
  const arrives = (e: LoggedStatement) => !!e.foreign && e.statement.kind === 'transfer';
  const linked = chain.every((e, i) =>
    i === 0 ? equalBytes(e.id, exhibit) || arrives(e) : arrives(e) || follows(e, chain[i - 1]!),
  );
  const last = chain[chain.length - 1];
  if (
    !head ||
    !last ||
    !linked ||
    !equalBytes(last.id, head) ||
    chain.length + others.length !== events.length ||
    !others.every(names)
  )
    throw damaged("the exhibit's history (its event list or a statement in it)");
}
