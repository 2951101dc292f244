/** custody verify */
import type { Command } from 'commander';
import { equalBytes, fromHex } from '../../src/bytes.js';
import type { Checkpoint } from '../../src/checkpoint/checkpoint.js';
import { WorkerPoolChecker } from '../../src/crypto/verify-pool.js';
import type { CustodyState } from '../../src/custody/custody-state.js';
import { recordedIntegrity } from '../../src/custody/integrity.js';
import { type ExhibitRecord, NS } from '../../src/custody/records.js';
import { CustodyError } from '../../src/errors.js';
import { openRegularFile } from '../../src/files/open-regular.js';
import { shortKeyId as keyShortOf } from '../../src/format/key-id.js';
import type { DigestAlgorithm } from '../../src/format/vocabulary.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import type { ProblemCode } from '../../src/problem-codes.js';
import type { LogStore } from '../../src/store/log-store.js';
import { checkCheckpointNoteV2, checkpointBody } from '../../src/verify/checkpoint-note.js';
import type { TimestampFact } from '../../src/verify/log-records.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import type { LogVerifyResult } from '../../src/verify/log-verify.js';
import type { Problem, VerifyReport } from '../../src/verify/report.js';
import { scopeProblems } from '../../src/verify/scope.js';
import { decideVerdict, type Verdict } from '../../src/verify/verdict.js';
import { collect, natural, witnessPolicy } from '../args.js';
import { exhibitShort, openReadStore, resolveExhibit } from '../context.js';
import { hashFile } from '../evidence-input.js';
import { rehashEvidence } from '../evidence-recheck.js';
import { b64, hex, type Output } from '../io.js';
import { parsePublicKey, readTextFile } from '../keys.js';
import { EVIDENCE_WORDS } from '../manifest-source.js';
import type { Runner } from '../program.js';
import { readSeen, writeSeen } from '../seen.js';
import { readCertificates } from '../tsa.js';
import { verdictError } from '../verdict.js';

type ShownReport = VerifyReport & {
  verdict?: Verdict;
  warnings?: Problem[];
  exhibit?: string;
  fileChecked?: boolean;
  holder?: string | null;
  state?: string | null;
  checkpoint?: {
    size: number;
    root: string;
    signedBy: string | null;
    witnessesVerified: string[];
    quorum: number;
  };
  /** Checkpoints the log archived in itself (FORMAT.md §Log records). */
  archived?: LogVerifyResult['archived'];
  /** What the RFC 3161 tokens of archived checkpoints date, against the pinned TSA roots. */
  timestamps?: Omit<TimestampFact, 'root'>[];
};

export function renderReport(r: ShownReport, out: Output) {
  const verdict = r.verdict ?? (r.ok ? (r.anchored ? 'VERIFIED' : 'UNANCHORED') : 'FAILED');
  out.line(
    `${verdict}: ${r.origin || '(unknown origin)'} — ${r.entries} entries, ${r.signaturesChecked} signatures checked, ${r.actors} actors, ${r.exhibits} exhibits`,
  );
  // --quiet: the verdict line only (problems still end the command with a one-line error).
  if (out.opts.quiet) return;
  if (r.anchor)
    out.line(
      `anchored to the trusted ${'role' in r.anchor && r.anchor.role === 'log' ? 'log' : 'authority'} key ${r.anchor.publicKey} (${r.anchor.actor}, via ${r.anchor.via} at entry ${r.anchor.seq})`,
    );
  else if (verdict === 'UNANCHORED')
    out.line(
      'NOT anchored: no trusted key vouches for it (--trust, --trust-log). The log is internally consistent, but anyone can build such a log.',
    );
  out.line(`root ${r.root}`);
  if (r.checkpoint)
    out.line(
      `checkpoint at size ${r.checkpoint.size}: ${r.checkpoint.signedBy ? `signed by log key ${r.checkpoint.signedBy}` : 'NOT signed by a log key'}; witnesses ${r.checkpoint.witnessesVerified.length}/${r.checkpoint.quorum} required${r.checkpoint.witnessesVerified.length ? ` (${r.checkpoint.witnessesVerified.join(', ')})` : ''}`,
    );
  if (r.archived && r.archived.length > 0)
    out.line(
      `${r.archived.length} checkpoint(s) archived in the log (${r.archived.filter((a) => a.timestamped).length} with an RFC 3161 token)`,
    );
  for (const t of r.timestamps ?? [])
    out.line(
      `time: the first ${t.size} entries existed no later than ${t.genTime}${t.accuracyMs === undefined ? '' : ` (±${t.accuracyMs} ms)`}, by the RFC 3161 token of ${t.tsa} archived at entry ${t.index}`,
    );
  if (r.exhibit) {
    const where =
      r.state === 'in-transit'
        ? `in transit from ${r.holder}`
        : r.state === 'disposed'
          ? `disposed of by ${r.holder}`
          : r.state
            ? `held by ${r.holder}`
            : 'not found';
    out.line(`exhibit ${r.exhibit}: ${where}`);
    if (r.fileChecked)
      out.line(
        r.ok
          ? 'the file matches every digest registered for the exhibit'
          : 'the file was compared with the registered digests: see the problems below',
      );
  }
  for (const p of r.problems)
    out.line(
      `  ${p.severity === 'error' ? 'PROBLEM' : 'warning'} ${p.code}${p.seq !== null ? ` at entry ${p.seq}` : ''}${p.exhibit ? ` (exhibit ${p.exhibit})` : ''}: ${p.message}`,
    );
  if (r.problemCount > r.problems.length + (r.warnings?.length ?? 0))
    out.line(`  … and ${r.problemCount - r.problems.length - (r.warnings?.length ?? 0)} more problems`);
  for (const p of r.warnings ?? [])
    out.line(
      `  warning ${p.code}${p.seq !== null ? ` at entry ${p.seq}` : ''}${p.exhibit ? ` (exhibit ${p.exhibit})` : ''}: ${p.message}`,
    );
}

export function verifyCommands(program: Command, run: Runner) {
  run(
    program
      .command('verify')
      .description('verify the whole ledger (and one exhibit, and a file against its registered digests)')
      .option(
        '--trust <public key>',
        'authority public key you trust (base64, hex or key file); repeatable',
        collect,
        [] as string[],
      )
      .option(
        '--trust-log <public key>',
        'log public key you trust (base64, hex or key file); repeatable',
        collect,
        [] as string[],
      )
      .option('--exhibit <exhibit>', 'report on this exhibit (id EX-… or unique label)')
      .option('--file <path>', 'with --exhibit: check this file against the registered digests')
      .option(
        '--manifest <file>',
        "with --file <folder>: the folder's registered manifest, when it is not kept beside this ledger",
      )
      .option(
        '--checkpoint <file>',
        'a checkpoint seen earlier: prove the ledger still extends it (detects rewrite and truncation)',
      )
      .option(
        '--witness <vkey>',
        'witness cosigner key for --checkpoint; repeatable',
        collect,
        [] as string[],
      )
      .option('--quorum <k>', 'witness cosignatures required on --checkpoint (default: all given)')
      .option(
        '--tsa-root <certificate file>',
        'a time-stamping authority root you trust (PEM or DER): check the RFC 3161 tokens the log archived; repeatable',
        collect,
        [] as string[],
      )
      .option('--strict', 'recorded custody warnings (a digest mismatch on a re-check, a broken seal) fail')
      .option('--threads <n>', 'signature-checking threads (default: all cores)', natural('--threads')),
    async (
      o: {
        trust: string[];
        trustLog: string[];
        exhibit?: string;
        file?: string;
        manifest?: string;
        threads?: number;
        checkpoint?: string;
        witness: string[];
        quorum?: string;
        strict?: boolean;
        tsaRoot: string[];
      },
      out: Output,
    ) => {
      if (o.file && !o.exhibit) throw new CustodyError('USAGE', '--file needs --exhibit', 'input');
      if (o.manifest && !o.file) throw new CustodyError('USAGE', '--manifest needs --file <folder>', 'input');
      if (o.witness.length > 0 && !o.checkpoint)
        throw new CustodyError('USAGE', '--witness needs --checkpoint', 'input');
      const { witnesses, quorum } = witnessPolicy(o.witness, o.quorum);
      let note: string | undefined;
      let expected: Checkpoint | undefined;
      if (o.checkpoint) {
        note = readTextFile(o.checkpoint, 'checkpoint');
        const body = checkpointBody(note);
        if ('code' in body) throw new CustodyError(body.code, body.message, 'input');
        expected = body;
      }
      const trustedKeys = o.trust.map(parsePublicKey);
      const logKeys = o.trustLog.map(parsePublicKey);
      const tsaRoots = readCertificates(o.tsaRoot);
      const { store, memory, name } = await openReadStore(out.opts);
      const pool = new WorkerPoolChecker(o.threads);
      let report: ShownReport;
      let remember: (() => Promise<void>) | undefined;
      try {
        // What this client saw before is a root the ledger must still have (src/ledger/last-seen.ts).
        const view = new LedgerView(store);
        const seen = readSeen(memory);
        const exhibit = o.exhibit === undefined ? undefined : await resolveExhibit(view, o.exhibit);
        const result = await verifyLogStore(store, {
          trustedKeys,
          logKeys,
          tsaRoots,
          checker: pool,
          checkpoints: [
            ...(expected ? [{ size: expected.size, root: expected.root }] : []),
            ...(seen ? [{ ...seen, seenIn: `the tree this client saw earlier (${memory})` }] : []),
          ],
        });
        const { entries, root, origin } = result.report;
        const verifiedRoot = fromHex(root);
        remember = async () => {
          if (entries > 0 && verifiedRoot?.length === 32)
            writeSeen(memory, name, origin, { size: entries, root: verifiedRoot });
        };
        report = { ...result.report, archived: result.archived, timestamps: result.timestamps };
        if (note && expected) {
          const cc = checkCheckpointNoteV2(note, result.ledger, witnesses, quorum);
          result.addProblems(cc.problems);
          report = { ...result.report, archived: result.archived, timestamps: result.timestamps };
          report.checkpoint = {
            size: expected.size,
            root: hex(expected.root),
            signedBy: cc.signedBy,
            witnessesVerified: cc.witnessesVerified,
            quorum,
          };
        }
        if (exhibit)
          report = await exhibitReport(report, result.state, exhibit, store, o.file, out, o.manifest);
      } finally {
        await pool.close();
        await store.close();
      }
      // Verifying one's own ledger asks for no cosigner; the lack is shown, not held against it.
      const lack: Problem[] =
        o.witness.length === 0
          ? [
              {
                code: 'COSIGNATURE_NOT_ASKED',
                severity: 'warning',
                seq: null,
                exhibit: null,
                message:
                  'no witness cosignature was checked (--checkpoint with --witness): the ledger rests on its own keys',
              },
            ]
          : [];
      const outcome = decideVerdict({
        problems: [...report.problems, ...lack],
        anchored: report.anchored,
        strict: o.strict === true,
      });
      const shown: ShownReport = {
        ...report,
        ok: outcome.ok,
        verdict: outcome.verdict,
        problems: outcome.problems,
        warnings: outcome.warnings,
        problemCount: report.problemCount + lack.length,
      };
      const { ok, verdict, anchored, problems, warnings, ...rest } = shown;
      out.result(
        {
          ok,
          verdict,
          anchored,
          problems,
          warnings,
          ...rest,
          trusted: trustedKeys.map(b64),
          trustedLog: logKeys.map(b64),
        },
        () => renderReport(shown, out),
      );
      // A failed ledger is not remembered: the memory keeps the last tree that verified.
      if (outcome.verdict !== 'FAILED') await remember?.();
      const failure = verdictError(outcome);
      if (failure) throw failure;
    },
  );
}

/**
 * The whole ledger's problems as they bear on one exhibit (src/verify/scope.ts).
 * Its events come from the committed record and chain; where those cannot be
 * read, nothing is scoped and every failure stands.
 */
async function scopedProblems(
  problems: Problem[],
  short: string,
  view: LedgerView,
  exhibit: Uint8Array,
): Promise<Problem[]> {
  if (!problems.some((p) => p.severity === 'error')) return problems;
  try {
    const events = new Set((await view.history(exhibit)).map((e) => e.index));
    return scopeProblems(problems, { exhibit: short, events });
  } catch {
    return problems;
  }
}

/**
 * The report narrowed to one exhibit: where the replayed state says it is,
 * and whether the file in hand has every digest its registration recorded.
 * The registration is read from the store but only after the replay accepted
 * it, and its identity is the exhibit id, so a changed one cannot pass.
 */
async function exhibitReport(
  report: VerifyReport,
  state: CustodyState,
  exhibit: Uint8Array,
  store: LogStore,
  file: string | undefined,
  out: Output,
  manifest?: string,
): Promise<ShownReport> {
  const short = exhibitShort(exhibit);
  await state.prefetch({ keys: [[NS.exhibit, exhibit]], indexes: [] });
  const x = state.get<ExhibitRecord>(NS.exhibit, exhibit);
  const view = new LedgerView(store);
  const shown: ShownReport = {
    ...report,
    problems: await scopedProblems(report.problems, short, view, exhibit),
    exhibit: short,
    holder: null,
    state: null,
  };
  if (!x) {
    shown.ok = false;
    shown.problems = [
      ...report.problems,
      {
        code: 'EXHIBIT_UNKNOWN',
        severity: 'error',
        seq: null,
        exhibit: short,
        message: 'the replay has no such exhibit',
      },
    ];
    shown.problemCount++;
    return shown;
  }
  shown.holder = keyShortOf(x.holder);
  shown.state = x.state === 'pending' ? 'in-transit' : x.state;
  const reg = await view.registration(exhibit);
  const registered = reg.statement.body['digests'] as Record<string, Uint8Array>;
  // What the exhibit's own record says about its integrity: a receiver or examiner
  // who recorded other digests, or a broken seal, means the exhibit is not verified.
  const recorded = recordedIntegrity(exhibit, registered, await view.history(exhibit));
  const fail = (code: ProblemCode, seq: number, message: string): Problem => ({
    code,
    severity: 'error',
    seq,
    exhibit: short,
    message,
  });
  for (const i of recorded.mismatches)
    shown.problems = [
      ...shown.problems,
      fail('DIGEST_MISMATCH_RECORDED', i, `entry ${i} recorded a digest different from the registered one`),
    ];
  for (const i of recorded.brokenSeals)
    shown.problems = [
      ...shown.problems,
      fail('SEAL_BROKEN_RECORDED', i, 'the receiver recorded the seal as broken'),
    ];
  shown.problemCount += shown.problems.length - report.problems.length;
  if (shown.problems.length > report.problems.length) shown.ok = false;
  const registeredSize = reg.statement.body['size'] as number;
  const kind = (reg.statement.body['evidence'] as string | undefined) ?? 'file';
  if (file && kind !== 'file') {
    // A folder, segment set or device: hashed again as the registration says (issue 29).
    const again = await rehashEvidence(file, reg.statement.body, out, {
      ledger: out.opts.ledger,
      exhibit: reg.id,
      ...(manifest === undefined ? {} : { manifest }),
    });
    shown.fileChecked = true;
    const differ = Object.keys(registered).filter(
      (k) => hex((again.digests as Record<string, Uint8Array>)[k]!) !== hex(registered[k]!),
    );
    if (again.size !== registeredSize) differ.unshift('size');
    if (differ.length > 0) {
      shown.ok = false;
      shown.problems = [
        ...shown.problems,
        fail(
          'FILE_DIGEST_MISMATCH',
          reg.index,
          `the ${EVIDENCE_WORDS[kind] ?? kind} does not match the registered ${differ.join(', ')}${again.differences ? `: ${again.differences}` : ''}`,
        ),
      ];
      shown.problemCount++;
    }
    return shown;
  }
  const onDisk = file === undefined ? undefined : await fileSize(file);
  if (file && onDisk !== registeredSize) {
    // Sizes before digests: a file of another size is not hashed at all.
    shown.fileChecked = true;
    shown.ok = false;
    shown.problems = [
      ...shown.problems,
      {
        code: 'FILE_SIZE_MISMATCH',
        severity: 'error',
        seq: reg.index,
        exhibit: short,
        message: `the file has ${onDisk} bytes, ${registeredSize} were registered`,
      },
    ];
    shown.problemCount++;
  } else if (file) {
    const { digests } = await hashFile(file, Object.keys(registered) as DigestAlgorithm[], out);
    shown.fileChecked = true;
    const differ = Object.keys(registered).filter(
      (k) => hex((digests as Record<string, Uint8Array>)[k]!) !== hex(registered[k]!),
    );
    if (!equalBytes(reg.id, exhibit)) differ.push('identity');
    if (differ.length > 0) {
      shown.ok = false;
      shown.problems = [
        ...shown.problems,
        {
          code: 'FILE_DIGEST_MISMATCH',
          severity: 'error',
          seq: reg.index,
          exhibit: short,
          message: `the file does not match the registered ${differ.join(', ')}`,
        },
      ];
      shown.problemCount++;
    }
  }
  return shown;
}

/** A file's size, opened as a regular file (no FIFO, device or symbolic link). */
async function fileSize(path: string): Promise<number> {
  const { fh, size } = await openRegularFile(path);
  await fh.close();
  return size;
}
