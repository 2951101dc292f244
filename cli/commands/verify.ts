/** custody verify */
import type { Command } from 'commander';
import type { Checkpoint } from '../../src/checkpoint/checkpoint.js';
import { CustodyError } from '../../src/errors.js';
import type { DigestAlgorithm } from '../../src/format/events.js';
import { parseExhibitId } from '../../src/format/ids.js';
import { foldLabel } from '../../src/format/text.js';
import { verifyStore } from '../../src/ledger/verify.js';
import { LevelStore } from '../../src/store/level.js';
import { checkCheckpointNote, checkpointBody } from '../../src/verify/checkpoint-note.js';
import { scopeToExhibit } from '../../src/verify/exhibit.js';
import type { VerifyReport } from '../../src/verify/report.js';
import { collect, natural, witnessPolicy } from '../args.js';
import { refuseMistypedExhibitId } from '../context.js';
import { b64, hex, type Output } from '../io.js';
import { parsePublicKey, readTextFile } from '../keys.js';
import type { Runner } from '../program.js';
import { hashFile } from './evidence.js';

type ShownReport = VerifyReport & {
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
};

export function renderReport(r: ShownReport, out: Output) {
  const verdict = r.ok ? (r.anchored ? 'VERIFIED' : 'CONSISTENT (not anchored)') : 'FAILED';
  out.line(
    `${verdict}: ${r.origin || '(unknown origin)'} — ${r.entries} entries, ${r.signaturesChecked} signatures checked, ${r.actors} actors, ${r.exhibits} exhibits`,
  );
  // --quiet: the verdict line only (problems still end the command with a one-line error).
  if (out.opts.quiet) return;
  if (r.anchor)
    out.line(
      `anchored to the trusted authority key ${r.anchor.publicKey} (${r.anchor.actor}, via ${r.anchor.via} at entry ${r.anchor.seq})`,
    );
  else if (r.ok)
    out.line(
      'NOT anchored: no trusted authority key was given (--trust). The log is internally consistent, but anyone can build such a log.',
    );
  out.line(`root ${r.root}`);
  if (r.checkpoint)
    out.line(
      `checkpoint at size ${r.checkpoint.size}: ${r.checkpoint.signedBy ? `signed by log key ${r.checkpoint.signedBy}` : 'NOT signed by a log key'}; witnesses ${r.checkpoint.witnessesVerified.length}/${r.checkpoint.quorum} required${r.checkpoint.witnessesVerified.length ? ` (${r.checkpoint.witnessesVerified.join(', ')})` : ''}`,
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
  if (r.problemCount > r.problems.length)
    out.line(`  … and ${r.problemCount - r.problems.length} more problems`);
}

/**
 * The exhibit by id, or by its label if exactly one exhibit has it (compared by
 * foldLabel, as in resolveExhibit). Labels are looked up in the store's index
 * (derived data, but only used to find the id: the verdict comes from the replay).
 */
async function exhibitByIdOrLabel(store: LevelStore, input: string): Promise<string> {
  const id = parseExhibitId(input);
  if (id) return id;
  refuseMistypedExhibitId(input);
  const key = foldLabel(input);
  const ids: string[] = [];
  for await (const x of store.listExhibits()) if (foldLabel(x.label) === key) ids.push(x.id);
  if (ids.length === 1) return ids[0]!;
  throw new CustodyError(
    ids.length > 1 ? 'EXHIBIT_AMBIGUOUS' : 'EXHIBIT_UNKNOWN',
    ids.length > 1
      ? `${ids.length} exhibits are labelled ${input}; use the exhibit id`
      : `no exhibit with id or label ${input}`,
    'input',
  );
}

export function verificationFailed(r: VerifyReport): CustodyError {
  const errors = r.problems.filter((p) => p.severity === 'error');
  const first = errors[0];
  return new CustodyError(
    'VERIFICATION_FAILED',
    `verification failed: ${r.problemCount} problem${r.problemCount === 1 ? '' : 's'}${first ? `, first ${first.code}${first.seq !== null ? ` at entry ${first.seq}` : ''}` : ''}`,
    'verification',
  );
}

export function verifyCommands(program: Command, run: Runner) {
  run(
    program
      .command('verify')
      .description('verify the whole ledger (or one exhibit, and a file against its registered digests)')
      .option(
        '--trust <public key>',
        'authority public key you trust (base64, hex or key file); repeatable',
        collect,
        [] as string[],
      )
      .option('--exhibit <exhibit>', 'report on this exhibit (and what it was derived from)')
      .option('--file <path>', 'with --exhibit: check this file against the registered digests')
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
        '--deep',
        "also audit the ledger's derived data (tree nodes, state, indexes, stored checkpoints)",
      )
      .option('--threads <n>', 'signature-checking threads (default: all cores)', natural('--threads')),
    async (
      o: {
        trust: string[];
        exhibit?: string;
        file?: string;
        threads?: number;
        checkpoint?: string;
        witness: string[];
        quorum?: string;
        deep?: boolean;
      },
      out: Output,
    ) => {
      if (o.file && !o.exhibit) throw new CustodyError('USAGE', '--file needs --exhibit', 'input');
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
      const store = await LevelStore.open(out.opts.ledger, 'open', { scan: true });
      let report: ShownReport;
      try {
        const exhibit = o.exhibit === undefined ? undefined : await exhibitByIdOrLabel(store, o.exhibit);
        const threads = o.threads;
        const result = await verifyStore(store, {
          trustedKeys,
          ...(o.deep ? { deep: true } : {}),
          ...(threads ? { threads } : {}),
          ...(expected ? { checkpoints: [expected] } : {}),
        });
        report = result.report;
        if (note && expected) {
          const cc = checkCheckpointNote(note, report.origin, result.actors(), witnesses, quorum);
          result.addProblems(cc.problems);
          report.checkpoint = {
            size: expected.size,
            root: hex(expected.root),
            signedBy: cc.signedBy,
            witnessesVerified: cc.witnessesVerified,
            quorum,
          };
        }
        if (exhibit) {
          const x = result.exhibit(exhibit);
          let file: Partial<Record<DigestAlgorithm, Uint8Array>> | undefined;
          if (x && o.file)
            file = (await hashFile(o.file, Object.keys(x.digests) as DigestAlgorithm[], out)).digests;
          report = scopeToExhibit(result, exhibit, file);
        }
      } finally {
        await store.close();
      }
      out.result({ ...report, trusted: trustedKeys.map(b64) }, () => renderReport(report, out));
      if (!report.ok) throw verificationFailed(report);
    },
  );
}
