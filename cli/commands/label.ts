/** custody label: an evidence-bag label of one exhibit, with a QR code to find it again (docs/CLI.md §custody label). */
import type { Command } from 'commander';
import { encodeLabelPayload } from '../../src/label/qr-payload.js';
import { exhibitShort, resolveExhibit, withLedger } from '../context.js';
import { stageNewFile } from '../files.js';
import { hex, type Output } from '../io.js';
import { type LabelContent, labelFormatOf, renderLabel } from '../label-render.js';
import type { Runner } from '../program.js';

export function labelCommand(program: Command, run: Runner) {
  run(
    program
      .command('label')
      .description("print an exhibit's evidence-bag label: its ids, label, case, ledger and a QR code")
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption(
        '--out <file>',
        'label.pdf (a printable 4 × 3 in label) or label.png (the QR code alone); never over a file',
      ),
    async (input: string, o: { out: string }, out: Output) => {
      // Refused before the ledger is opened: a wrong extension costs nothing.
      const format = labelFormatOf(o.out);
      const content = await withLedger(out.opts, async ({ view }): Promise<LabelContent> => {
        const id = await resolveExhibit(view, input);
        const reg = await view.registration(id);
        const genesis = (await view.statementAt(0)).statement.body;
        const { origin } = await view.ledger();
        return {
          display: exhibitShort(id),
          exhibitId: hex(id),
          label: reg.statement.body['label'] as string,
          caseRef: reg.statement.body['caseRef'] as string,
          ledgerName: genesis['name'] as string,
          origin,
          payload: encodeLabelPayload({ origin, exhibit: id }),
          date: new Date(reg.statement.time),
        };
      });
      const bytes = await renderLabel(content, format);
      // Whole or not at all, never over an existing file (FILE_EXISTS).
      stageNewFile(o.out, bytes).commit();
      const json = {
        exhibit: content.display,
        exhibitId: content.exhibitId,
        label: content.label,
        caseRef: content.caseRef,
        ledgerName: content.ledgerName,
        origin: content.origin,
        payload: content.payload,
        out: o.out,
        format,
        bytes: bytes.length,
      };
      out.result(json, () =>
        out.line(
          `wrote ${o.out}: label of ${content.display} (${content.label}, case ${content.caseRef}), ${format.toUpperCase()}, QR code ${content.payload}`,
        ),
      );
    },
  );
}
