/**
 * Whole-ledger verification, format v2 (docs/VERIFYING.md): what
 * `custody verify` runs on a v2 ledger. In order:
 *
 * 1. the entries and payloads, replayed by replayEntries (src/verify/entries.ts,
 *    CUSTODY-RULES.md §What the replay adds), with the roots at the
 *    checkpoint sizes kept on the way; positions must follow one another;
 * 2. the stored openings against the commitments they open (FORMAT.md
 *    §Commitments and openings): openings are not signed data, so this is
 *    the only thing that catches a changed cleartext;
 * 3. every stored checkpoint (./log-checkpoints.ts) and the roots the caller
 *    saw earlier;
 * 4. anchoring to pinned keys (./log-anchor.ts);
 * 5. the stored head against the replay (./log-audit.ts). Records and tree
 *    nodes are audited by the caller through ./log-audit.ts, since only it
 *    can read them (./log-store-verify.ts).
 *
 * Pure: no file, storage or thread import; it never throws on hostile data
 * and never reports ok for a log it could not check (an empty log, a log
 * without an accepted genesis, a source that failed part-way).
 */
import { toHex } from '../bytes.js';
import { inlineChecker, type SignatureChecker } from '../crypto/signature-checker.js';
import type { Admitted } from '../custody/admit.js';
import { CustodyState } from '../custody/custody-state.js';
import { signerIdOf } from '../custody/judge.js';
import { NS } from '../custody/records.js';
import { PAYLOAD_TYPES } from '../format/entry.js';
import { FormatError } from '../format/format-error.js';
import { KEY_PURPOSES, KEY_TYPES } from '../format/key-id.js';
import { wireKey } from '../format/kinds.js';
import { LOG_RECORDS_INDEX, recordIndexOf } from '../format/log-record.js';
import { checkOpenings, decodeOpenings } from '../format/openings.js';
import { ids45 } from '../format/short-id.js';
import type { DenseNodeStore } from '../merkle/dense.js';
import type { ProblemCode } from '../problem-codes.js';
import { type LoggedItem, type ReplayedEntry, type ReplayResult, replayEntries } from './entries.js';
import { anchorLog, type LogAnchor, type LogKeys } from './log-anchor.js';
import { checkStoredHead, type StoredHead } from './log-audit.js';
import {
  type CheckpointExpectation,
  checkExpectations,
  checkStoredCheckpoints,
  type LedgerIdentity,
  RootsAt,
  type StoredCheckpoint,
} from './log-checkpoints.js';
import { SignerPositions } from './log-lifetimes.js';
import {
  type ArchivedCheckpoint,
  checkArchivedCheckpoint,
  checkDisclosureRecord,
  checkTimestamps,
  type TimestampFact,
} from './log-records.js';
import { keepProblems, type Problem, type VerifyReport } from './report.js';
import { problemClass } from './verdict.js';

/** What LogStore.items yields, with the entry's stored openings if the caller read them. */
export interface LogItem extends LoggedItem {
  index: number;
  openings?: Uint8Array;
}

export interface LogSource {
  items: AsyncIterable<LogItem> | Iterable<LogItem>;
  /** The stored checkpoints; each must verify and match the replay. */
  checkpoints?: readonly StoredCheckpoint[];
  /** The stored head; omitted: not audited. */
  head?: StoredHead;
}

/** What the replay says one entry is. */
export interface ObservedEntry {
  index: number;
  leafHash: Uint8Array;
  /** The statement's identity, when the payload decoded as a statement. */
  id: Uint8Array | undefined;
  /** Exhibits whose history the entry belongs to (accepted statements only). */
  exhibits: readonly Uint8Array[];
}

export interface LogVerifyOptions {
  /** Pinned authority public keys (Ed25519, 32 bytes). */
  trustedKeys?: readonly Uint8Array[];
  /** Pinned log public keys. */
  logKeys?: readonly Uint8Array[];
  /** Signature checking, batched (the worker pool in production); default inline. */
  checker?: SignatureChecker;
  /** Entries per checker call. */
  batchSize?: number;
  /** Called every 1,024 entries and at the end with the number of entries replayed. */
  progress?: (entries: number) => void;
  /** Roots the log must have at given sizes (checkpoints verified earlier). */
  checkpoints?: readonly CheckpointExpectation[];
  /** Where the replay keeps its tree's nodes, for the store audit after it (./log-derived.ts). */
  nodes?: DenseNodeStore;
  /** Told what each replayed entry is (the store audit of derived data, ./log-derived.ts). */
  observe?: (e: ObservedEntry) => void;
  /** TSA root certificates (DER) the relying party trusts: archived tokens are checked against them. */
  tsaRoots?: readonly Uint8Array[];
  /** The verifier's clock for tokens (default: now). */
  now?: Date;
}

export interface LogVerifyResult {
  report: VerifyReport;
  /** The replayed custody state, for callers that render exhibits. */
  state: CustodyState;
  /** Every pinned key that matched, earliest first (report.anchor is the first). */
  anchors: LogAnchor[];
  /** The ledger's origin and log key, when genesis was accepted. */
  ledger: LedgerIdentity | undefined;
  /** Replayed tree roots by size: 0, each checkpoint size, and the final size. */
  roots: [number, Uint8Array][];
  /** Checkpoints the log archived in itself (FORMAT.md §Log records): record entry and size. */
  archived: { index: number; size: number; timestamped: boolean }[];
  /** What each RFC 3161 token that verified against the pinned TSA roots dates. */
  timestamps: Omit<TimestampFact, 'root'>[];
  /** Every problem kept (the report keeps the first MAX_PROBLEMS). */
  allProblems(): Problem[];
  /** Adds problems found outside (store audits) to the report. */
  addProblems(problems: Problem[]): void;
}

const isFailure = (p: Problem) => problemClass(p.code) === 'failure';

/** Problems kept in memory; a forged log must not exhaust it. */
const KEEP_PROBLEMS = 100_000;
const PROGRESS_EVERY = 1024;

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));
const bySeq = (a: Problem, b: Problem) => (a.seq ?? -1) - (b.seq ?? -1);
const fail = (code: ProblemCode, seq: number | null, message: string): Problem => ({
  code,
  severity: 'error',
  seq,
  exhibit: null,
  message,
});

/** Positions must follow one another from 0; a gap or a failing source ends the replay there. */
async function* inOrder(items: LogSource['items'], problems: Problem[]): AsyncGenerator<LogItem> {
  let next = 0;
  try {
    for await (const it of items) {
      const shaped =
        typeof it === 'object' &&
        it !== null &&
        Number.isSafeInteger(it.index) &&
        it.entry instanceof Uint8Array &&
        it.payload instanceof Uint8Array;
      if (!shaped || it.index > next) {
        problems.push(
          fail(
            'ENTRY_MISSING',
            next,
            `entry ${next} is missing; nothing after entry ${next - 1} was checked`,
          ),
        );
        return;
      }
      if (it.index < next) {
        problems.push(
          fail('ENTRY_OUT_OF_ORDER', it.index, `a second item for entry ${it.index} was ignored`),
        );
        continue;
      }
      next++;
      yield it;
    }
  } catch (e) {
    problems.push(fail('SOURCE_FAILED', next, `reading the log failed after ${next} entries: ${reason(e)}`));
  }
}

function exhibitOf(a: Admitted | undefined): string | null {
  const s = a?.statement;
  if (!a || !s) return null;
  if (s.exhibit instanceof Uint8Array) return ids45('EX', s.exhibit);
  return s.kind === 'register' ? ids45('EX', a.id) : null;
}

/** The problems kept in memory (at most KEEP_PROBLEMS), the count of the others and the first failure among them. */
class KeptProblems {
  readonly list: Problem[] = [];
  dropped = 0;
  droppedFailure: Problem | undefined;
  add(p: Problem): void {
    if (this.list.length < KEEP_PROBLEMS) this.list.push(p);
    else {
      this.dropped++;
      if (!this.droppedFailure && isFailure(p)) this.droppedFailure = p;
    }
  }
  get count(): number {
    return this.list.length + this.dropped;
  }
  forReport(limit?: number): Problem[] {
    return keepProblems(this.list, this.count, isFailure, this.droppedFailure, limit);
  }
}

/**
 * The result's problem methods. Made here, not inside verifyLogV2: a closure
 * keeps its whole defining scope's captured variables alive, and there that
 * is the replay's state, the store audit and every signer's positions, which
 * a caller holding the result would keep for nothing.
 */
function problemAccess(
  report: VerifyReport,
  kept: KeptProblems,
): Pick<LogVerifyResult, 'allProblems' | 'addProblems'> {
  return {
    // Every problem kept, and, if a memory cap dropped any, the first dropped failure and the
    // truncation marker: a caller deciding a verdict from these is never blinded by the cap.
    allProblems: () => (kept.dropped === 0 ? kept.list : kept.forReport(Number.MAX_SAFE_INTEGER)),
    addProblems(ps) {
      for (const p of ps) kept.add(p);
      report.problemCount += ps.length;
      report.problems = kept.forReport();
      if (ps.some((p) => p.severity === 'error')) report.ok = false;
    },
  };
}

/** Verifies a whole v2 log: entries, openings, checkpoints, anchoring and the stored head. */
export async function verifyLogV2(source: LogSource, opts: LogVerifyOptions = {}): Promise<LogVerifyResult> {
  const found = new KeptProblems();
  const problems = found.list;
  const add = (p: Problem) => found.add(p);
  const stored = source.checkpoints ?? [];
  const expected = opts.checkpoints ?? [];
  const roots = new RootsAt(stored, expected);
  const sourceProblems: Problem[] = [];
  let ledger: LedgerIdentity | undefined;
  let keys: LogKeys | undefined;
  const rotations: { seq: number; key: LogKeys['authority'] }[] = [];
  let lastTime = 0;
  let lastLeaf: Uint8Array | undefined;
  let signatures = 0;
  let replay: ReplayResult | undefined;
  const lifetimes = new SignerPositions();
  const archived: ArchivedCheckpoint[] = [];

  const onEntry = (e: ReplayedEntry<LogItem>) => {
    const size = e.index + 1;
    roots.keep(size, e.root);
    lastLeaf = e.leafHash;
    signatures += e.signatures;
    if (e.entry) lastTime = Math.max(lastTime, e.entry.time);
    const a = e.statement;
    const exhibit = exhibitOf(a);
    for (const p of e.problems)
      add({
        code: p.code,
        severity: p.incomplete ? 'warning' : 'error',
        seq: e.index,
        exhibit,
        message: p.message,
      });
    if (a && e.item.openings !== undefined) {
      try {
        const s = a.statement;
        checkOpenings(a.spec, s.kind, s.body, decodeOpenings(e.item.openings));
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
        const msg = `the stored openings do not open what was signed (${err.code}): ${err.message}`;
        add({ code: 'OPENINGS_MISMATCH', severity: 'error', seq: e.index, exhibit, message: msg });
      }
    }
    if (opts.observe) {
      const exhibits: Uint8Array[] = [];
      if (e.writes && a) {
        if (a.statement.kind === 'register') exhibits.push(a.id);
        if (a.statement.exhibit instanceof Uint8Array) exhibits.push(a.statement.exhibit);
      }
      // A foreign statement is in its exhibit's history, and in no statement index (FORMAT.md §Foreign statements).
      if (e.writes && e.foreign) exhibits.push(e.foreign.exhibit);
      // The store lists every log record's position under a reserved id (FORMAT.md §Log records):
      // disclosures apart from archived checkpoints; a record that does not decode, with the latter.
      if (e.entry?.payloadType === PAYLOAD_TYPES.record)
        exhibits.push(e.record ? recordIndexOf(e.record.record) : LOG_RECORDS_INDEX);
      opts.observe({ index: e.index, leafHash: e.leafHash, id: a?.id, exhibits });
    }
    if (e.writes && a) {
      const s = a.statement;
      lifetimes.add(e.index, signerIdOf(s.signer.key), s, exhibit);
      if (s.kind === 'genesis' && e.index === 0) {
        ledger = { origin: s.origin, logKey: wireKey(s.body['logKey']), mlDsaLogKeys: [] };
        keys = { authority: s.signer.key, logKey: ledger.logKey, rotations };
      } else if (s.kind === 'rotate') rotations.push({ seq: e.index, key: wireKey(s.body['key']) });
      else if (s.kind === 'enrol' && s.body['purpose'] === KEY_PURPOSES.log) {
        const k = wireKey(s.body['key']);
        if (k.type === KEY_TYPES.mldsa44) ledger?.mlDsaLogKeys?.push(k.publicKey);
      }
    }
    if (e.record?.record.kind === 'checkpoint') {
      const r = checkArchivedCheckpoint(e.record.record, e.index, e.record.rootAtSize, ledger);
      for (const p of r.problems) add(p);
      if (r.archived) archived.push(r.archived);
    } else if (e.record?.record.kind === 'disclosure')
      for (const p of checkDisclosureRecord(e.record.record, e.index)) add(p);
    if (size % PROGRESS_EVERY === 0) opts.progress?.(size);
  };

  try {
    replay = await replayEntries(inOrder(source.items, sourceProblems), {
      checker: opts.checker ?? inlineChecker,
      ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
      onEntry,
      ...(opts.nodes ? { nodes: opts.nodes } : {}),
    });
  } catch (e) {
    // A bug, not the data: report it, never pass what could not be checked.
    add(fail('VERIFIER_FAILED', null, `verification stopped on an unexpected error: ${reason(e)}`));
  }
  for (const p of sourceProblems) add(p);
  if (replay) for (const p of await lifetimes.problems(replay.state)) add(p);
  problems.sort(bySeq);

  const size = replay?.size ?? 0;
  const finalRoot = replay?.root;
  opts.progress?.(size);
  if (size === 0) add(fail('LOG_EMPTY', null, 'the log has no entries: there is nothing to verify'));
  else if (!ledger)
    add(
      fail(
        'GENESIS_UNVERIFIED',
        null,
        'no genesis was accepted: the origin, authority and log key are unknown',
      ),
    );
  for (const p of checkStoredCheckpoints(stored, ledger, roots, size)) add(p);
  for (const p of checkExpectations(expected, roots, size)) add(p);
  const stamps = await checkTimestamps(archived, opts.tsaRoots ?? [], opts.now);
  for (const p of stamps.problems) add(p);
  const anchoring = anchorLog(keys, opts.trustedKeys, opts.logKeys);
  for (const p of anchoring.problems) add(p);
  if (source.head && replay)
    for (const p of checkStoredHead(source.head, {
      size,
      lastTime,
      mapRoot: replay.mapRoot,
      mapSize: replay.state.map.size,
    }))
      add(p);

  const state = replay?.state ?? new CustodyState();
  const report: VerifyReport = {
    ok:
      replay !== undefined &&
      size > 0 &&
      ledger !== undefined &&
      !problems.some((p) => p.severity === 'error') &&
      found.droppedFailure === undefined,
    anchored: anchoring.anchors.length > 0,
    anchor: anchoring.anchors[0] ?? null,
    origin: ledger?.origin ?? '',
    entries: size,
    head: lastLeaf ? toHex(lastLeaf) : '',
    root: finalRoot ? toHex(finalRoot) : '',
    actors: state.count(NS.key),
    exhibits: state.count(NS.exhibit),
    signaturesChecked: signatures,
    problems: found.forReport(),
    problemCount: found.count,
  };
  const kept = roots.entries();
  if (finalRoot && !kept.some(([s]) => s === size)) kept.push([size, finalRoot]);
  return {
    report,
    state,
    anchors: anchoring.anchors,
    ledger,
    roots: kept,
    archived: archived.map((a) => ({ index: a.index, size: a.size, timestamped: a.timestamp !== undefined })),
    timestamps: stamps.facts.map(({ root: _root, ...t }) => t),
    ...problemAccess(report, found),
  };
}
