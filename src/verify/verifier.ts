/**
 * The ledger verifier (docs/VERIFYING.md). Pure: it takes records from any
 * source (a LevelDB iterator, a bundle, an array) plus trust material, and
 * returns a report. It never throws on hostile data and never reports ok for
 * a log it could not fully check.
 *
 * What a clean report proves: every record is canonical and signed by the key
 * of an actor who was enrolled and not revoked at that point; the records form
 * one unbroken hash chain from genesis; every custody rule held at every step;
 * times never go backwards. With a pinned key it also proves the log is the
 * one that key's holder started (or handed over to by rotation). Without one,
 * the log is only internally consistent: anyone can build such a log.
 */
import { equalBytes, toHex } from '../bytes.js';
import type { ActorRecord, ExhibitRecord } from '../custody/state.js';
import type { DigestAlgorithm } from '../format/events.js';
import { SignatureBatch } from './batch.js';
import { KEEP_PROBLEMS, Replayer } from './replay.js';
import { MAX_PROBLEMS, type Problem, type VerifyReport } from './report.js';
import { inlineChecker, type SignatureChecker } from './signatures.js';

export type RecordSource =
  | AsyncIterable<{ seq: number; bytes: Uint8Array }>
  | Iterable<{ seq: number; bytes: Uint8Array }>;

export interface CheckpointExpectation {
  size: number;
  root: Uint8Array;
}

export interface VerifyOptions {
  trustedKeys?: readonly Uint8Array[];
  checker?: SignatureChecker;
  /** Roots the log must have at given sizes (from checkpoints seen earlier). */
  checkpoints?: readonly CheckpointExpectation[];
  /** Signatures per batch handed to the checker. */
  batchSize?: number;
  /** Batches in flight at once. */
  parallel?: number;
  /** Called after each batch with the number of entries replayed so far. */
  progress?: (entries: number) => void;
}

export interface VerifyResult {
  report: VerifyReport;
  /** Final custody state, for callers that render exhibits (not part of the report). */
  exhibit(id: string): ExhibitRecord | undefined;
  /** Every actor in the final state (for checkpoint keys and reports). */
  actors(): ActorRecord[];
  /** For a derivation entry, the copy and its parent; otherwise []. */
  concerns(seq: number): string[];
  /** Every problem found (the report keeps only the first MAX_PROBLEMS). */
  allProblems(): Problem[];
  /** Adds problems found outside the replay (store audit, checkpoints) to the report and to allProblems. */
  addProblems(problems: Problem[]): void;
  /** The replayed head fields a store keeps too. */
  final: { lastTime: number; authority: string };
}

/** Verifies a whole log. */
export async function verifyLog(source: RecordSource, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const replay = new Replayer(opts.trustedKeys ? { trustedKeys: opts.trustedKeys } : {});
  const checker = opts.checker ?? inlineChecker;
  const batchSize = opts.batchSize ?? 1024;
  const parallel = opts.parallel ?? 4;
  const expected = [...(opts.checkpoints ?? [])].sort((a, b) => a.size - b.size);
  let signaturesChecked = 0;
  const inFlight: Promise<void>[] = [];
  let batch = new SignatureBatch();

  const sigProblems: Problem[] = [];
  let sigDropped = 0;
  const dispatch = async (b: SignatureBatch) => {
    let results: boolean[];
    try {
      results = await checker.check(b.jobs);
    } catch {
      results = [];
    }
    for (let i = 0; i < b.length; i++) {
      if (results[i] === true) continue;
      if (sigProblems.length >= KEEP_PROBLEMS) sigDropped++;
      else
        sigProblems.push({
          code: 'SIGNATURE_INVALID',
          severity: 'error',
          seq: b.seqs[i]!,
          exhibit: b.exhibits[i]!,
          message: `entry ${b.seqs[i]} was altered after it was signed, or was not signed by the actor it names`,
        });
    }
    signaturesChecked += b.length;
  };
  const flush = async () => {
    if (batch.length === 0) return;
    inFlight.push(dispatch(batch));
    batch = new SignatureBatch();
    if (inFlight.length >= parallel) await inFlight.shift();
  };

  let position = 0;
  let checkpointIdx = 0;
  while (checkpointIdx < expected.length && expected[checkpointIdx]!.size === 0)
    checkRoot(replay, expected[checkpointIdx++]!);
  try {
    for await (const { seq, bytes } of source as AsyncIterable<{ seq: number; bytes: Uint8Array }>) {
      const job = replay.feed(seq, bytes);
      position = replay.state.size;
      if (job) batch.add(job);
      if (batch.length >= batchSize) {
        await flush();
        opts.progress?.(position);
      }
      while (checkpointIdx < expected.length && expected[checkpointIdx]!.size === position) {
        checkRoot(replay, expected[checkpointIdx]!);
        checkpointIdx++;
      }
    }
  } catch (e) {
    replay.problem(
      'SOURCE_FAILED',
      position,
      null,
      `reading the log failed after ${position} entries: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  await flush();
  await Promise.all(inFlight);
  for (; checkpointIdx < expected.length; checkpointIdx++) {
    const cp = expected[checkpointIdx]!;
    if (cp.size > position)
      replay.problem(
        'LOG_TRUNCATED',
        position,
        null,
        `a checkpoint shows ${cp.size} entries but the log has only ${position}: entries were removed`,
      );
    else checkRoot(replay, cp);
  }

  if (position === 0) replay.problem('LOG_EMPTY', null, null, 'the log has no entries');
  if (replay.trustRequested && !replay.anchor)
    replay.problem(
      'ANCHOR_MISMATCH',
      0,
      null,
      'the log was not started by (or handed over to) any authority key you trust',
    );

  // Recorded digest mismatches and broken seals are facts the log states, not forgeries: warnings.
  const findings: Problem[] = [];
  for (const x of replay.state.exhibits.values())
    if (x.mismatches.length || x.brokenSeals.length) findings.push(...exhibitFindings(x));
  const all = [...replay.problems, ...sigProblems, ...findings].sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1));
  const st = replay.state;
  const report: VerifyReport = {
    ok: !all.some((p) => p.severity === 'error'),
    anchored: replay.anchor !== null,
    anchor: replay.anchor,
    origin: st.origin,
    entries: position,
    head: toHex(st.head),
    root: toHex(replay.frontier.root()),
    actors: st.actors.size,
    exhibits: st.exhibits.size,
    signaturesChecked,
    problems: all.slice(0, MAX_PROBLEMS),
    problemCount: all.length + replay.dropped + sigDropped,
  };
  return {
    report,
    exhibit: (id) => st.exhibit(id),
    actors: () => [...st.actors.values()],
    concerns: (seq) => replay.derivations.get(seq) ?? [],
    allProblems: () => all,
    addProblems(ps) {
      all.push(...ps);
      report.problems.push(...ps.slice(0, Math.max(0, MAX_PROBLEMS - report.problems.length)));
      report.problemCount += ps.length;
      if (ps.some((p) => p.severity === 'error')) report.ok = false;
    },
    final: { lastTime: st.lastTime, authority: st.authority },
  };
}

function checkRoot(replay: Replayer, cp: CheckpointExpectation) {
  if (!equalBytes(replay.frontier.root(), cp.root))
    replay.problem(
      'CHECKPOINT_MISMATCH',
      cp.size - 1,
      null,
      `the first ${cp.size} entries do not match the checkpoint seen earlier: history was rewritten`,
    );
}

/** Adds warnings for recorded digest mismatches and broken seals (they are facts, not forgeries). */
export function exhibitFindings(x: ExhibitRecord): Problem[] {
  const out: Problem[] = [];
  for (const seq of x.mismatches)
    out.push({
      code: 'DIGEST_MISMATCH_RECORDED',
      severity: 'warning',
      seq,
      exhibit: x.id,
      message: `entry ${seq} recorded a re-computed digest that differs from the registered one`,
    });
  for (const seq of x.brokenSeals)
    out.push({
      code: 'SEAL_BROKEN_RECORDED',
      severity: 'warning',
      seq,
      exhibit: x.id,
      message: `entry ${seq} recorded that the seal was broken on receipt`,
    });
  return out;
}

/** Compares a file's digests with an exhibit's registered digests. */
export function fileProblems(
  x: ExhibitRecord,
  file: Partial<Record<DigestAlgorithm, Uint8Array>>,
): Problem[] {
  const out: Problem[] = [];
  let compared = 0;
  for (const [alg, reg] of Object.entries(x.digests) as [DigestAlgorithm, Uint8Array][]) {
    const got = file[alg];
    if (!got) continue;
    compared++;
    if (!equalBytes(got, reg))
      out.push({
        code: 'FILE_DIGEST_MISMATCH',
        severity: 'error',
        seq: x.registeredSeq,
        exhibit: x.id,
        message: `the file's ${alg} is ${toHex(got)}, but ${toHex(reg)} was registered`,
      });
  }
  if (compared === 0)
    out.push({
      code: 'FILE_NOT_COMPARED',
      severity: 'error',
      seq: x.registeredSeq,
      exhibit: x.id,
      message: 'no digest of the file could be compared with the registered digests',
    });
  return out;
}
