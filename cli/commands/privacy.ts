/**
 * custody restrict | release | erase — personal data under a legal hold, and
 * erased by key destruction (docs/PRIVACY.md). The data-protection officer's
 * commands: each appends a signed annotation of the exhibit; erase then
 * destroys the keys of the erased fields' openings.
 */
import type { Command } from 'commander';
import { checkFieldNames } from '../../src/bundle/disclosure.js';
import { equalBytes, fromHex } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { DISCLOSURE_PROFILES } from '../../src/format/vocabulary.js';
import { commaList } from '../args.js';
import {
  exhibitShort,
  type Open,
  requireLocalLedger,
  resolveExhibit,
  submit,
  withLedger,
} from '../context.js';
import { hex, type Output } from '../io.js';
import { loadSigner } from '../keys.js';
import type { Runner } from '../program.js';

/** Field names from the command line: committed fields only (FIELD_UNKNOWN otherwise). */
function fieldList(v: string | undefined): string[] {
  const fields = commaList(v);
  checkFieldNames(fields);
  return fields;
}

/** Appends an annotation of the exhibit, signed with the key, at the exhibit's head. */
async function annotate(
  out: Output,
  key: string,
  input: string,
  kind: 'restrict' | 'release' | 'erase',
  fields: Record<string, string | string[] | Uint8Array>,
  after?: (l: Open, exhibit: Uint8Array) => Promise<Record<string, unknown>>,
) {
  const signer = await loadSigner(key, out);
  await withLedger(out.opts, async (l) => {
    const exhibit = await resolveExhibit(l.view, input);
    const { submitted, receipt } = await submit(l, {
      kind,
      signer,
      fields,
      exhibit,
      after: (await l.view.exhibit(exhibit))!.head,
    });
    const more = after ? await after(l, exhibit) : {};
    out.result(
      {
        index: submitted.index,
        id: hex(submitted.id),
        exhibit: exhibitShort(exhibit),
        exhibitId: hex(exhibit),
        kind,
        receipt,
        ...more,
      },
      () => out.line(`${kind} of ${exhibitShort(exhibit)} recorded (entry ${submitted.index})`),
    );
  });
}

export function privacyCommands(program: Command, run: Runner) {
  run(
    program
      .command('restrict')
      .description('place personal data of an exhibit under a legal hold (data-protection role)')
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption('--key <key file>', "the data-protection officer's key")
      .requiredOption('--reason <text>', 'the legal ground of the hold')
      .option('--fields <fields>', 'committed fields held (default: every field of the exhibit)')
      .option(
        '--recipients <profiles>',
        `profiles that may still receive them: ${DISCLOSURE_PROFILES.join(',')}`,
      ),
    async (
      input: string,
      o: { key: string; reason: string; fields?: string; recipients?: string },
      out: Output,
    ) => {
      const fields = fieldList(o.fields);
      const recipients = commaList(o.recipients);
      for (const r of recipients)
        if (!(DISCLOSURE_PROFILES as readonly string[]).includes(r))
          throw new CustodyError(
            'USAGE',
            `--recipients: ${r} is not one of ${DISCLOSURE_PROFILES.join(', ')}`,
            'input',
          );
      await annotate(out, o.key, input, 'restrict', { fields, recipients, ground: o.reason });
    },
  );

  run(
    program
      .command('release')
      .description('end a legal hold (data-protection role)')
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption(
        '--hold <id>',
        'the hold: the full id of its restrict statement (custody show lists them)',
      )
      .requiredOption('--key <key file>', "the data-protection officer's key")
      .requiredOption('--reason <text>', 'why the hold ends'),
    async (input: string, o: { hold: string; key: string; reason: string }, out: Output) => {
      const hold = /^[0-9a-f]{64}$/i.test(o.hold) ? fromHex(o.hold.toLowerCase()) : undefined;
      if (!hold)
        throw new CustodyError('USAGE', '--hold takes the 64-hex id of the restrict statement', 'input');
      await annotate(out, o.key, input, 'release', { hold, ground: o.reason });
    },
  );

  run(
    program
      .command('erase')
      .description(
        "erase personal data of an exhibit: record it, then destroy the fields' keys (data-protection role)",
      )
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption('--fields <fields>', 'committed fields to erase, in every statement of the exhibit')
      .requiredOption('--reason <text>', 'the legal ground of the erasure')
      .requiredOption('--key <key file>', "the data-protection officer's key"),
    async (input: string, o: { fields: string; reason: string; key: string }, out: Output) => {
      const fields = fieldList(o.fields);
      if (fields.length === 0) throw new CustodyError('USAGE', '--fields names at least one field', 'input');
      // Recording the erasure through a server and then failing to destroy the keys would leave the
      // data in place under a record saying it is gone: refused before anything is appended.
      requireLocalLedger(out.opts, 'custody erase');
      await annotate(out, o.key, input, 'erase', { fields, ground: o.reason }, async (l, exhibit) => {
        // Recorded; now destroy the keys of those fields in every statement of the exhibit's own
        // chain (a derived copy's registration names the parent, but its text is the copy's).
        const refs: { index: number; fields: string[] }[] = [];
        for (const s of await l.view.history(exhibit)) {
          const own = s.statement.kind === 'register' ? equalBytes(s.id, exhibit) : true;
          const held = Object.keys(s.openings).filter((f) => fields.includes(f));
          if (own && held.length > 0) refs.push({ index: s.index, fields: held });
        }
        await l.local().eraseOpenings(refs);
        return { erased: fields, openings: refs.reduce((n, r) => n + r.fields.length, 0) };
      });
    },
  );
}
