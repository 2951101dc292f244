/**
 * custody resolve — closes a non-conformity of an exhibit (ISO/IEC 17025:2017
 * §7.10; docs/CUSTODY-RULES.md §Non-conformities): a signed `resolve`
 * annotation naming the statement that opened it, with the action taken.
 *
 * Online only, as every annotation command: the rules judge a resolve against
 * the open non-conformities the ledger's state holds, and the CLI reads them
 * there to turn an entry position into the opener's identity. The engine
 * decides (NONCONFORMITY_UNKNOWN); what the CLI checks first is only so that a
 * mistyped position fails before the passphrase is asked for.
 */
import type { Command } from 'commander';
import { equalBytes, fromHex } from '../../src/bytes.js';
import type { OpenNonconformity } from '../../src/custody/nonconformities.js';
import { CustodyError } from '../../src/errors.js';
import { exhibitShort, resolveExhibit, submit, withLedger } from '../context.js';
import { report } from '../exhibit-act.js';
import { hex, type Output } from '../io.js';
import { loadSigner } from '../keys.js';
import type { Runner } from '../program.js';

const KIND_WORDS: Readonly<Record<OpenNonconformity['kind'], string>> = {
  'seal-broken': 'broken seal',
  'digest-mismatch': 'digest mismatch',
};

/** "the broken seal recorded at entry 7": how the CLI names a non-conformity. */
export const issueText = (n: OpenNonconformity) => `the ${KIND_WORDS[n.kind]} recorded at entry ${n.at}`;

/** A non-conformity in --json output (docs/CLI.md §custody exhibits). */
export const issueJson = (n: OpenNonconformity) => ({
  kind: n.kind,
  index: n.at,
  time: new Date(n.time).toISOString(),
  id: hex(n.opener),
});

/** What --issue names: an entry position (as `exhibits --open-issues` shows it) or a statement id. */
type Issue = { at: number } | { id: Uint8Array } | undefined;

function parseIssue(v: string | undefined): Issue {
  if (v === undefined) return undefined;
  if (/^\d{1,15}$/.test(v)) return { at: Number(v) };
  const id = /^[0-9a-f]{64}$/i.test(v) ? fromHex(v.toLowerCase()) : undefined;
  if (id) return { id };
  throw new CustodyError(
    'USAGE',
    '--issue takes the entry position that opened the non-conformity (custody exhibits --open-issues) or its 64-hex statement id',
    'input',
  );
}

const listed = (open: readonly OpenNonconformity[]) => open.map(issueText).join('; ');

/**
 * The statement identity to name in `issue`, and the open non-conformity it
 * closes when the ledger holds it open. A position must be an open one's; a
 * full id not open is left to the rules to refuse, with the same code.
 */
function choose(
  exhibit: Uint8Array,
  open: readonly OpenNonconformity[],
  issue: Issue,
): { id: Uint8Array; found?: OpenNonconformity } {
  const x = exhibitShort(exhibit);
  if (issue === undefined) {
    if (open.length === 1) return { id: open[0]!.opener, found: open[0]! };
    throw open.length === 0
      ? new CustodyError('NONCONFORMITY_UNKNOWN', `${x} has no open non-conformity`, 'custody')
      : new CustodyError(
          'USAGE',
          `${x} has ${open.length} open non-conformities: name one with --issue <entry>: ${listed(open)}`,
          'input',
        );
  }
  if ('id' in issue) {
    const found = open.find((n) => equalBytes(n.opener, issue.id));
    return found ? { id: issue.id, found } : { id: issue.id };
  }
  const found = open.find((n) => n.at === issue.at);
  if (!found)
    throw new CustodyError(
      'NONCONFORMITY_UNKNOWN',
      `entry ${issue.at} opened no open non-conformity of ${x}; ${open.length ? `open: ${listed(open)}` : 'none is open'}`,
      'custody',
    );
  return { id: found.opener, found };
}

export function resolveCommand(program: Command, run: Runner) {
  run(
    program
      .command('resolve')
      .description(
        "close a non-conformity of an exhibit (a broken seal, a digest mismatch) with the action taken (the exhibit's holder, a custodian or an examiner)",
      )
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .option(
        '--issue <entry | id>',
        'the entry that opened it (custody exhibits --open-issues) or its 64-hex statement id; default: the only open one',
      )
      .requiredOption('--action <text>', 'what was done about it (committed, like a description)')
      .requiredOption('--key <key file>', "the resolver's key"),
    async (input: string, o: { issue?: string; action: string; key: string }, out: Output) => {
      const issue = parseIssue(o.issue);
      // Read first, with the ledger closed again before the passphrase is asked for.
      const chosen = await withLedger(out.opts, async ({ view }) => {
        const exhibit = await resolveExhibit(view, input);
        return { exhibit, ...choose(exhibit, await view.nonconformities(exhibit), issue) };
      });
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (l) => {
        const { exhibit, id, found } = chosen;
        const { submitted, receipt } = await submit(l, {
          kind: 'resolve',
          signer,
          fields: { issue: id, action: o.action },
          exhibit,
          after: (await l.view.exhibit(exhibit))!.head,
        });
        const what = found ? issueText(found) : `the non-conformity opened by ${hex(id)}`;
        report(out, submitted, receipt, exhibit, 'resolve', `resolved ${what} on ${exhibitShort(exhibit)}`, {
          issue: found ? issueJson(found) : { id: hex(id) },
        });
      });
    },
  );
}
