/** custody verify */
import type { Command } from 'commander';
import type { Checkpoint } from '../../src/checkpoint/checkpoint.js';
import { verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { CustodyError } from '../../src/errors.js';
import type { DigestAlgorithm } from '../../src/format/events.js';
import { parseExhibitId } from '../../src/format/ids.js';
import { verifyStore } from '../../src/ledger/verify.js';
import { LevelStore } from '../../src/store/level.js';
import { checkCheckpointNote, checkpointBody } from '../../src/verify/checkpoint-note.js';
import { scopeToExhibit } from '../../src/verify/exhibit.js';
import type { VerifyReport } from '../../src/verify/report.js';
import { b64, hex, type Output } from '../io.js';
import { parsePublicKey, readTextFile } from '../keys.js';
import type { Runner } from '../program.js';
import { hashFile } from './evidence.js';

const collect = (v: string, prev: string[]) => [...prev, v];

type ShownReport = VerifyReport & {
  exhibit?: string;
  holder?: string | null;
  status?: string | null;
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
  if (r.exhibit)
    out.line(`exhibit ${r.exhibit}: ${r.status ?? 'not found'}${r.holder ? `, held by ${r.holder}` : ''}`);
  for (const p of r.problems)
    out.line(
      `  ${p.severity === 'error' ? 'PROBLEM' : 'warning'} ${p.code}${p.seq !== null ? ` at entry ${p.seq}` : ''}${p.exhibit ? ` (exhibit ${p.exhibit})` : ''}: ${p.message}`,
    );
  if (r.problemCount > r.problems.length)
    out.line(`  … and ${r.problemCount - r.problems.length} more problems`);
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
      .option('--threads <n>', 'signature-checking threads (default: all cores)'),
    async (
      o: {
        trust: string[];
        exhibit?: string;
        file?: string;
        threads?: string;
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
      const witnesses = o.witness.map((v) => verifierFromVkey(v));
      const quorum = o.quorum === undefined ? witnesses.length : Number(o.quorum);
      if (!Number.isSafeInteger(quorum) || quorum < 0 || quorum > witnesses.length)
        throw new CustodyError(
          'USAGE',
          `--quorum must be between 0 and the number of --witness keys (${witnesses.length})`,
          'input',
        );
      let note: string | undefined;
      let expected: Checkpoint | undefined;
      if (o.checkpoint) {
        note = readTextFile(o.checkpoint, 'checkpoint');
        const body = checkpointBody(note);
        if ('code' in body) throw new CustodyError(body.code, body.message, 'input');
        expected = body;
      }
      const trustedKeys = o.trust.map(parsePublicKey);
      let exhibit: string | undefined;
      if (o.exhibit) {
        exhibit = parseExhibitId(o.exhibit);
        if (!exhibit)
          throw new CustodyError(
            'EXHIBIT_ID_INVALID',
            `${o.exhibit} is not a valid exhibit id (EX-XXXXX-XXXXX)`,
            'input',
          );
      }
      const store = await LevelStore.open(out.opts.ledger, 'open');
      let report: ShownReport;
      try {
        const threads = o.threads === undefined ? undefined : Number(o.threads);
        const result = await verifyStore(store, {
          trustedKeys,
          ...(o.deep ? { deep: true } : {}),
          ...(threads ? { threads } : {}),
          ...(expected ? { checkpoints: [expected] } : {}),
        });
        report = result.report;
        if (note && expected) {
          const cc = checkCheckpointNote(note, report.origin, result.actors(), witnesses, quorum);
          report.problems.push(...cc.problems);
          report.problemCount += cc.problems.length;
          if (cc.problems.some((p) => p.severity === 'error')) report.ok = false;
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
