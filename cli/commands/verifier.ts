/**
 * custody verifier --out <file> | --hash: the court's verifier page (docs/VERIFYING.md §The
 * verifier page), built into dist/verifier/ by `npm run build` (scripts/build-verifier.ts).
 * This command only copies it out or prints its SHA-256, the figure a clerk compares with the
 * published one; it never rebuilds it, so what it hands out is what the release shipped.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CustodyError } from '../../src/errors.js';
import { stageNewFile } from '../files.js';
import type { Output } from '../io.js';
import type { Runner } from '../program.js';

/** dist/verifier/custody-verifier.html, beside dist/cli/ (this file is dist/cli/commands/verifier.js). */
const PAGE = new URL('../../verifier/custody-verifier.html', import.meta.url);

function readPage(): Buffer {
  try {
    return readFileSync(PAGE);
  } catch {
    throw new CustodyError(
      'VERIFIER_NOT_BUILT',
      'the verifier page is not built here: run npm run build (it writes dist/verifier/custody-verifier.html)',
      'unavailable',
    );
  }
}

let pageSha256: string | null | undefined;
/** The SHA-256 of this installation's verifier page, which reports name; null when it is not built. */
export function verifierPageSha256(): string | null {
  if (pageSha256 === undefined)
    try {
      pageSha256 = createHash('sha256').update(readFileSync(PAGE)).digest('hex');
    } catch {
      pageSha256 = null;
    }
  return pageSha256;
}

const meta = (html: string, name: string) =>
  new RegExp(`<meta name="${name}" content="([^"]*)"`).exec(html)?.[1] ?? '';

export function verifierCommand(program: Command, run: Runner) {
  run(
    program
      .command('verifier')
      .description("write the court's offline verifier page (one HTML file), or print its SHA-256")
      .option('--out <file>', 'write the page to this file')
      .option('--force', 'overwrite --out if it exists')
      .option('--hash', 'print the SHA-256 of the page, to compare with the published one'),
    async (o: { out?: string; force?: boolean; hash?: boolean }, out: Output) => {
      if (!o.out && !o.hash) throw new CustodyError('USAGE', 'give --out <file> or --hash', 'input');
      const page = readPage();
      const html = page.toString('utf8');
      const doc = {
        file: o.out ?? null,
        bytes: page.length,
        sha256: createHash('sha256').update(page).digest('hex'),
        codeSha256: meta(html, 'custody-code-sha256'),
        version: meta(html, 'custody-version'),
      };
      if (o.out) {
        if (o.force) {
          const tmp = `${o.out}.${process.pid}.tmp`;
          try {
            writeFileSync(tmp, page);
            renameSync(tmp, o.out);
          } catch (e) {
            rmSync(tmp, { force: true });
            throw new CustodyError(
              'FILE_UNWRITABLE',
              `cannot write ${o.out}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
              'input',
            );
          }
        } else stageNewFile(o.out, page).commit();
      }
      out.result(doc, () => {
        if (o.hash) out.line(`${doc.sha256}  custody-verifier.html`);
        if (o.out)
          out.note(
            `verifier page written to ${o.out} (${doc.bytes} bytes, SHA-256 ${doc.sha256}); open it in a browser, no network needed`,
          );
      });
    },
  );
}
