/**
 * custody submit <file>… — appends statements signed offline (docs/CLI.md
 * §Offline signing), in the order given.
 *
 * Every file is read and checked first (decoding, kinds table, signatures,
 * openings, the ledger's origin): one bad file and nothing is appended.
 * Then each statement is submitted and acknowledged before the next. A
 * refusal stops there: the statements before it stay appended (each is a
 * valid statement the ledger acknowledged, and a later chain statement of
 * the same exhibit could not be judged without them), the refused one and
 * those after it are not, and the command says which. A statement already
 * in the log is answered with its entry and appends nothing, so running the
 * same submit again after fixing the cause goes on where it stopped.
 */
import type { Command } from 'commander';
import { CustodyError } from '../../src/errors.js';
import { exhibitShort, type ReceiptJson, receiptJson, withLedger } from '../context.js';
import { hex, type Output } from '../io.js';
import { readStatementFileArg } from '../offline.js';
import type { Runner } from '../program.js';

interface SubmittedRow {
  file: string;
  index: number;
  id: string;
  kind: string;
  exhibit: string | null;
  /** The statement was already in the log at `index`; nothing was appended. */
  duplicate: boolean;
  claimedTime: string;
  logTime: string;
  receipt: ReceiptJson;
}

export function submitCommand(program: Command, run: Runner) {
  run(
    program
      .command('submit')
      .description('append statements signed offline (custody register … --offline), in the order given')
      .argument('<files...>', 'statement files written with --offline'),
    async (files: string[], _o: unknown, out: Output) => {
      const read = files.map((f) => ({ file: f, s: readStatementFileArg(f) }));
      await withLedger(out.opts, async (l) => {
        const { origin } = await l.view.ledger();
        for (const { file, s } of read)
          if (s.decoded.statement.origin !== origin)
            throw new CustodyError(
              'ORIGIN_MISMATCH',
              `${file} is signed for ${s.decoded.statement.origin}, not for this ledger (${origin}); nothing was submitted`,
              'custody',
            );
        const done: SubmittedRow[] = [];
        for (const [i, { file, s }] of read.entries()) {
          let r: Awaited<ReturnType<typeof l.ledger.submit>>;
          try {
            r = await l.ledger.submit(s.statement, s.openings);
          } catch (e) {
            if (!(e instanceof CustodyError)) throw e;
            const rest = files.slice(i + 1);
            throw new CustodyError(
              e.code,
              `${file}: ${e.message}; ${done.length} of ${files.length} submitted before it${rest.length ? `, not submitted: ${rest.join(' ')}` : ''}`,
              e.category,
              {
                partial: {
                  submitted: done,
                  refused: { file, code: e.code, message: e.message },
                  notSubmitted: rest,
                },
              },
            );
          }
          const st = s.decoded.statement;
          const exhibit =
            st.kind === 'register' ? s.decoded.id : st.exhibit instanceof Uint8Array ? st.exhibit : undefined;
          done.push({
            file,
            index: r.index,
            id: hex(r.id),
            kind: st.kind,
            exhibit: exhibit ? exhibitShort(exhibit) : null,
            duplicate: r.duplicate === true,
            claimedTime: new Date(st.time).toISOString(),
            logTime: new Date(r.time).toISOString(),
            receipt: receiptJson(await l.view.receipt(r.index)),
          });
        }
        out.result({ submitted: done }, () => {
          for (const d of done)
            out.line(
              `${d.duplicate ? 'already at' : 'appended as'} entry ${d.index}  ${d.kind}${d.exhibit ? ` ${d.exhibit}` : ''}  ${d.file}`,
            );
          const late = done.filter((d) => !d.duplicate).length;
          out.note(`${late} appended, ${done.length - late} already in the ledger`);
        });
      });
    },
  );
}
