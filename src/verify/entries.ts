/**
 * Replay of a v2 log from its entries and payloads (docs/FORMAT.md): the
 * verifier's side of the sequencer. Every entry is decoded strictly, its
 * position, log time and payload hash checked, its statement admitted and
 * judged by the same rules that appended it, and the map root it carries
 * compared with the root the replay computes. A refused statement is
 * reported and changes nothing, exactly as on append, so one bad entry does
 * not cascade into false reports about the ones after it.
 *
 * Signatures are verified inline by default. With a `checker` (the worker
 * pool of src/crypto/verify-pool.ts), the signatures of a chunk of entries
 * are verified in one call while the previous chunk is judged: the rules run
 * in log order either way, so the outcome is the same.
 *
 * Pure: no I/O. Never throws on hostile input.
 */
import { equalBytes } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import { sha256 } from '../crypto/sha256.js';
import type { SignatureChecker, SignatureJob } from '../crypto/signature-checker.js';
import { type Admitted, admit } from '../custody/admit.js';
import { CustodyState, type StagedWrite } from '../custody/custody-state.js';
import { type AdmittedForeign, admitForeign, judgeForeign } from '../custody/foreign-rules.js';
import { judge } from '../custody/judge.js';
import type { Violation } from '../custody/judgement.js';
import { type DecodedEntry, decodeEntry, type Entry, PAYLOAD_TYPES } from '../format/entry.js';
import { FormatError } from '../format/format-error.js';
import { decodeLogRecord, type LogRecord } from '../format/log-record.js';
import { signatureJobs } from '../format/sign-statement.js';
import { DenseNodeStore } from '../merkle/dense.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import { rootAt } from '../merkle/proofs.js';
import { type ProblemCode, problemCodeOf } from '../problem-codes.js';

export interface LoggedItem {
  entry: Uint8Array;
  payload: Uint8Array;
}

export interface EntryProblem {
  index: number;
  code: ProblemCode;
  message: string;
  /** True when the problem means "cannot judge" (an unknown kind or payload type), not "wrong". */
  incomplete?: boolean;
}

export interface ReplayResult {
  size: number;
  root: Uint8Array;
  mapRoot: Uint8Array;
  problems: EntryProblem[];
  state: CustodyState;
}

/** What the replay saw at one entry, for a caller that checks more than the replay does. */
export interface ReplayedEntry<T extends LoggedItem = LoggedItem> {
  index: number;
  item: T;
  /** The decoded entry; undefined when it did not decode. */
  entry: Entry | undefined;
  leafHash: Uint8Array;
  /**
   * The statement, when it decoded and passed the kinds table; with a checker
   * also when its signatures failed (inline, admit() does not return it then).
   */
  statement: Admitted | undefined;
  /** The writes the rules made, when the statement was accepted. */
  writes: readonly StagedWrite[] | undefined;
  /** Signatures checked for this entry: all of them with a checker; inline, those of a statement whose signatures held. */
  signatures: number;
  /** This entry's problems. */
  problems: readonly EntryProblem[];
  /** Tree root over the entries up to and including this one (O(log n), on demand). */
  root(): Uint8Array;
  /**
   * A log record (payload type 2) that decoded, and for an archived
   * checkpoint of a size not beyond this entry, the tree's root at that size
   * (the caller compares it with the archived note's: ./log-records.ts).
   */
  record?: { record: LogRecord; rootAtSize?: Uint8Array };
  /** A foreign statement (payload type 3) that decoded and whose carried statement was admitted. */
  foreign?: AdmittedForeign;
}

/**
 * Entries per checker call. A chunk's decoded entries wait for its signatures
 * while the one before is judged, long enough to survive two young-generation
 * collections and be promoted to V8's old generation, which then grows as
 * garbage until a full collection. Measured on the 100k bench ledger (bytes
 * promoted over the replay): 40 MB at 64, 43 MB at 128, 73–78 MB at 256,
 * 351 MB at 512; 128 was also as fast as 256 or more (15.1–17.3 s against
 * 16.8–17.8 s). At 1M entries, together with Slab32's chunks
 * (../merkle/dense.ts), heap and buffers peaked at 546 MB instead of 637
 * (docs/PERFORMANCE.md).
 */
const DEFAULT_BATCH = 128;

export interface ReplayOptions<T extends LoggedItem = LoggedItem> {
  /** Verifies the signatures of a chunk of entries in one call; default: inline, entry by entry. */
  checker?: SignatureChecker;
  /** Entries per checker call (default DEFAULT_BATCH). */
  batchSize?: number;
  /** Called after each entry, once its problems are known. */
  onEntry?: (e: ReplayedEntry<T>) => void;
  /** Where the replayed tree's nodes go (a caller that audits them after the replay); default: a store of its own. */
  nodes?: DenseNodeStore;
}

const UNKNOWN = new Set<ProblemCode>([
  'KIND_UNKNOWN',
  'BODY_VERSION_UNKNOWN',
  'PAYLOAD_TYPE_UNKNOWN',
  'RECORD_KIND_UNKNOWN',
]);

/** The size of the checkpoint an archived note names, if it parses (its other checks are the caller's). */
function archivedSize(r: LogRecord): number | undefined {
  if (r.kind !== 'checkpoint') return undefined;
  try {
    return parseCheckpoint(parseNote(r.note).text).size;
  } catch {
    return undefined;
  }
}

/** An entry with its decoding and admission done, before the serial part. */
interface Prepared<T extends LoggedItem> {
  item: T;
  decoded: DecodedEntry | FormatError;
  /** Undefined when the payload is not a statement the entry commits to. */
  admitted: Admitted | { violation: Violation } | undefined;
  /** The statement when it passed decoding and the kinds table, whatever its signatures. */
  shaped: Admitted | undefined;
  /** With a checker: the signatures still to verify. */
  jobs: SignatureJob[] | undefined;
  /** A foreign statement's admission (its few signatures are verified inline). */
  foreign?: AdmittedForeign | { violation: Violation };
  /** The payload's SHA-256 is the one the entry commits to (hashed once, here). */
  payloadOk: boolean;
  signatures: number;
}

function prepare<T extends LoggedItem>(item: T, inline: boolean): Prepared<T> {
  let decoded: DecodedEntry | FormatError;
  try {
    decoded = decodeEntry(item.entry);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    decoded = e;
  }
  const p: Prepared<T> = {
    item,
    decoded,
    admitted: undefined,
    shaped: undefined,
    jobs: undefined,
    payloadOk: false,
    signatures: 0,
  };
  if (decoded instanceof FormatError) return p;
  const e = decoded.entry;
  p.payloadOk = equalBytes(sha256(item.payload), e.payloadHash);
  if (!p.payloadOk) return p;
  if (e.payloadType === PAYLOAD_TYPES.foreign) {
    p.foreign = admitForeign(item.payload);
    return p;
  }
  if (e.payloadType !== PAYLOAD_TYPES.statement) return p;
  const a = admit(item.payload, inline);
  p.admitted = a;
  if ('violation' in a) return p;
  p.shaped = a;
  if (inline) {
    p.signatures = a.decoded.signatures.length;
    return p;
  }
  const j = signatureJobs(a.decoded, a.spec);
  if ('problem' in j) p.admitted = { violation: { code: 'STATEMENT_SIGNATURE_INVALID', message: j.problem } };
  else p.jobs = j.jobs;
  return p;
}

/** Prepares a chunk; with a checker, its signatures are verified in one call. */
async function prepareChunk<T extends LoggedItem>(
  chunk: T[],
  checker: SignatureChecker | undefined,
): Promise<Prepared<T>[]> {
  const out = chunk.map((item) => prepare(item, !checker));
  if (!checker) return out;
  const jobs: SignatureJob[] = [];
  const owners: [Prepared<T>, number][] = [];
  for (const p of out) {
    if (!p.jobs) continue;
    owners.push([p, jobs.length]);
    jobs.push(...p.jobs);
  }
  if (jobs.length === 0) return out;
  let ok: boolean[];
  let failure = '';
  try {
    ok = await checker.check(jobs);
  } catch (e) {
    // A failed checker verifies nothing: every statement of the chunk is reported, never passed.
    ok = [];
    failure = `signatures could not be checked: ${e instanceof Error ? e.message : String(e)}`;
  }
  for (const [p, start] of owners) {
    const n = p.jobs!.length;
    p.signatures = n;
    for (let k = 0; k < n; k++)
      if (ok[start + k] !== true) {
        const message = failure || `signature ${k} does not verify`;
        p.admitted = { violation: { code: 'STATEMENT_SIGNATURE_INVALID', message } };
        break;
      }
  }
  return out;
}

export async function replayEntries<T extends LoggedItem>(
  items: Iterable<T> | AsyncIterable<T>,
  opts: ReplayOptions<T> = {},
): Promise<ReplayResult> {
  const state = new CustodyState();
  const frontier = MerkleFrontier.empty();
  const nodes = opts.nodes ?? new DenseNodeStore();
  const problems: EntryProblem[] = [];
  let lastTime = 0;
  /** The first entry of the current divergence of the replayed map root from the log's. */
  let divergedAt: number | undefined;
  const report = (index: number, code: ProblemCode, message: string) =>
    problems.push(UNKNOWN.has(code) ? { index, code, message, incomplete: true } : { index, code, message });
  // A decoder's or admit()'s code is a runtime string (CustodyError types it so): narrowed, never cast.
  const reportCaught = (index: number, code: string, message: string) => {
    const p = problemCodeOf(code, message);
    report(index, p.code, p.message);
  };
  const root = () => frontier.root();

  const step = async (p: Prepared<T>) => {
    const index = frontier.size;
    const before = problems.length;
    const seen: ReplayedEntry<T> = {
      index,
      item: p.item,
      entry: undefined,
      leafHash: new Uint8Array(0),
      statement: undefined,
      writes: undefined,
      signatures: p.signatures,
      problems: [],
      root,
    };
    if (p.decoded instanceof FormatError) {
      reportCaught(index, p.decoded.code, p.decoded.message);
      // An undecodable entry still occupies its leaf: the tree is of the bytes as logged.
      seen.leafHash = hashLeaf(p.item.entry);
      nodes.put(frontier.append(seen.leafHash));
    } else {
      const e = p.decoded.entry;
      seen.entry = e;
      seen.leafHash = p.decoded.leafHash;
      nodes.put(frontier.append(p.decoded.leafHash));
      if (e.index !== index) report(index, 'ENTRY_INDEX_MISMATCH', `entry says index ${e.index}`);
      if (e.time < lastTime) report(index, 'ENTRY_TIME_REGRESSION', 'log time went backwards');
      lastTime = Math.max(lastTime, e.time);
      if (!p.payloadOk) {
        report(index, 'PAYLOAD_HASH_MISMATCH', 'the stored payload is not the one the entry commits to');
      } else if (e.payloadType === PAYLOAD_TYPES.record) {
        // A log record changes nothing in the map: the root comparison below checks that.
        try {
          const record = decodeLogRecord(p.item.payload);
          const size = archivedSize(record);
          seen.record =
            size !== undefined && size <= index
              ? { record, rootAtSize: await rootAt(nodes, size) }
              : { record };
        } catch (err) {
          if (!(err instanceof FormatError)) throw err;
          reportCaught(index, err.code, err.message);
        }
      } else if (e.payloadType === PAYLOAD_TYPES.foreign) {
        const f = p.foreign!;
        if ('violation' in f) reportCaught(index, f.violation.code, f.violation.message);
        else {
          seen.foreign = f;
          const o = judgeForeign(state, f, { index, time: e.time });
          if (o.ok) {
            state.apply(o.writes);
            seen.writes = o.writes;
          } else report(index, o.violation.code, o.violation.message);
        }
      } else if (e.payloadType !== PAYLOAD_TYPES.statement) {
        report(index, 'PAYLOAD_TYPE_UNKNOWN', `payload type ${e.payloadType} is not known to this verifier`);
      } else {
        const a = p.admitted!;
        seen.statement = p.shaped;
        if ('violation' in a) reportCaught(index, a.violation.code, a.violation.message);
        else {
          const s = a.statement.seen;
          const at =
            s && s.size <= index
              ? { index, time: e.time, seenRoot: await rootAt(nodes, s.size) }
              : { index, time: e.time };
          const o = judge(state, a, at);
          if (o.ok) {
            state.apply(o.writes);
            seen.writes = o.writes;
          } else report(index, o.violation.code, o.violation.message);
        }
      }
      // Once the replayed state differs from the log's, every later entry's map root differs
      // too, whatever that entry holds: only the onset of a divergence is a finding. It is
      // reported again only after the roots agreed once more (the state re-converged).
      if (!equalBytes(e.mapRoot, state.map.root)) {
        if (divergedAt === undefined)
          report(
            index,
            'MAP_ROOT_MISMATCH',
            'the map root in the entry is not the one the rules produce; later entries are not compared until the roots agree again',
          );
        divergedAt ??= index;
      } else divergedAt = undefined;
    }
    if (opts.onEntry) {
      seen.problems = problems.slice(before);
      opts.onEntry(seen);
    }
  };

  const checker = opts.checker;
  const size = checker ? Math.max(1, opts.batchSize ?? DEFAULT_BATCH) : 1;
  // One chunk ahead: its signatures are on the checker while this one is judged.
  let ahead: Promise<Prepared<T>[]> | undefined;
  let chunk: T[] = [];
  const advance = async () => {
    const next = chunk.length > 0 ? prepareChunk(chunk, checker) : undefined;
    chunk = [];
    if (ahead) for (const p of await ahead) await step(p);
    ahead = next;
  };
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length >= size) await advance();
  }
  await advance();
  await advance();
  return { size: frontier.size, root: frontier.root(), mapRoot: state.map.root, problems, state };
}
