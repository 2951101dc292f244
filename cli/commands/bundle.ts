/** custody export | verify-bundle | report */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { exportBundle } from '../../src/bundle/export.js';
import { BUNDLE_LIMITS, decodeBundle } from '../../src/bundle/format.js';
import type { ExhibitVerdict } from '../../src/bundle/verdict.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { CustodyError } from '../../src/errors.js';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../../src/format/events.js';
import { decodeRecord } from '../../src/format/record.js';
import { buildReportModel, renderHtml, renderJson, renderText } from '../../src/report/index.js';
import { collect, collectRequired, witnessPolicy } from '../args.js';
import { resolveExhibit, withLedger } from '../context.js';
import { b64, type Output } from '../io.js';
import { loadSigner, parsePublicKey, readInputFile } from '../keys.js';
import { type Runner, VERSION } from '../program.js';
import { hashFile } from './evidence.js';

type Format = 'text' | 'json' | 'html';

function readBundleFile(path: string): Uint8Array {
  return new Uint8Array(readInputFile(path, 'bundle', BUNDLE_LIMITS.bytes, 'BUNDLE_MALFORMED'));
}

/** Digests of the file in hand, with every algorithm the bundle's exhibit registered. */
async function fileFacts(path: string, bundleBytes: Uint8Array, out: Output) {
  const b = decodeBundle(bundleBytes);
  const algs = new Set<DigestAlgorithm>(['sha256']);
  for (const e of b.entries) {
    try {
      const p = decodeRecord(e.record).payload;
      if (p.kind === 'register' && p.body.exhibit === b.exhibit)
        for (const a of Object.keys(p.body.digests))
          if (DIGEST_ALGORITHMS.includes(a as DigestAlgorithm)) algs.add(a as DigestAlgorithm);
    } catch {
      // A damaged record is reported by the verifier; here it only limits which digests we compute.
    }
  }
  const { digests, size } = await hashFile(path, [...algs], out);
  return { name: basename(path), size, digests };
}

function render(v: ExhibitVerdict, format: Format, commands: string[]): string {
  const model = buildReportModel(v, {
    tool: 'custody',
    toolVersion: VERSION,
    generatedAt: Date.now(),
    commands,
  });
  return format === 'html' ? renderHtml(model) : format === 'json' ? renderJson(model) : renderText(model);
}

function writeOut(path: string, text: string) {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new CustodyError(
      'FILE_UNWRITABLE',
      `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      'input',
    );
  }
}

function failedVerdict(v: ExhibitVerdict): CustodyError {
  const failed = v.checks.filter((c) => c.verdict === 'fail').map((c) => c.title.toLowerCase());
  return new CustodyError(
    'VERIFICATION_FAILED',
    `verification failed: ${failed.join(', ') || 'not anchored to a trusted key'} (${v.problems.length} problem${v.problems.length === 1 ? '' : 's'})`,
    'verification',
  );
}

export function bundleCommands(program: Command, run: Runner) {
  run(
    program
      .command('export')
      .description(
        'export one exhibit (with its sources and everything needed to verify it) as a bundle file',
      )
      .argument('<exhibit>', 'exhibit id or unique label')
      .requiredOption('--out <file>', 'bundle file to write (conventionally *.custody)')
      .option(
        '--key <log key>',
        'log key: signs a fresh checkpoint if needed and attests that no later event exists',
      ),
    async (input: string, o: { out: string; key?: string }, out: Output) => {
      const logKey = o.key ? await loadSigner(o.key, out) : undefined;
      await withLedger(out.opts, async (ledger) => {
        const exhibit = await resolveExhibit(ledger, input);
        const { bytes, bundle } = await exportBundle(ledger, exhibit, logKey ? { logKey } : {});
        try {
          writeFileSync(o.out, bytes, { flag: 'wx' });
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          throw new CustodyError(
            code === 'EEXIST' ? 'FILE_EXISTS' : 'FILE_UNWRITABLE',
            code === 'EEXIST' ? `${o.out} already exists` : `cannot write ${o.out}: ${code}`,
            'input',
          );
        }
        const authority = (await ledger.actor(ledger.head.authority))!;
        out.result(
          {
            exhibit,
            out: o.out,
            bytes: bytes.length,
            entries: bundle.entries.length,
            checkpointSize: Number(bundle.checkpoint.split('\n')[1]),
            headAttested: bundle.head !== undefined,
            authority: b64(authority.publicKey),
          },
          () => {
            out.line(
              `wrote ${o.out}: exhibit ${exhibit}, ${bundle.entries.length} entries, ${bytes.length} bytes`,
            );
            out.note(
              `the receiver verifies it with: custody verify-bundle ${o.out} --trust ${b64(authority.publicKey)}`,
            );
            if (!bundle.head)
              out.note('no --key given: the bundle does not attest that no event follows the last one shown');
          },
        );
      });
    },
  );

  run(
    program
      .command('verify-bundle')
      .description('verify an exported bundle offline, against the authority key you trust')
      .argument('<bundle>', 'bundle file')
      .requiredOption(
        '--trust <public key>',
        'authority public key obtained through an official channel (base64, hex or key file); repeatable',
        collectRequired,
      )
      .option('--witness <vkey>', 'witness cosigner key; repeatable', collect, [] as string[])
      .option('--quorum <k>', 'witness cosignatures required (default: all given)')
      .option('--file <evidence>', 'the evidence file: check it against every registered digest')
      .option(
        '--report <out.html>',
        'also write the report to this file (format from the extension: .html, .json, else text)',
      ),
    async (
      path: string,
      o: { trust: string[]; witness: string[]; quorum?: string; file?: string; report?: string },
      out: Output,
    ) => {
      const trustedKeys = o.trust.map(parsePublicKey);
      const { witnesses, quorum } = witnessPolicy(o.witness, o.quorum);
      const bytes = readBundleFile(path);
      const file = o.file ? await fileFacts(o.file, bytes, out) : undefined;
      const v = await verifyBundle(bytes, {
        trustedKeys,
        witnesses,
        quorum,
        ...(file ? { file } : {}),
        source: { kind: 'bundle', name: basename(path), bytes: bytes.length },
      });
      const commands = [
        `custody verify-bundle ${basename(path)} ${o.trust.map((t) => `--trust ${parsePublicKeyText(t)}`).join(' ')}${o.witness.map((w) => ` --witness '${w}'`).join('')}${o.witness.length ? ` --quorum ${quorum}` : ''}${o.file ? ` --file ${basename(o.file)}` : ''}`,
      ];
      if (o.report)
        writeOut(
          o.report,
          render(
            v,
            o.report.endsWith('.html') ? 'html' : o.report.endsWith('.json') ? 'json' : 'text',
            commands,
          ),
        );
      if (out.opts.json) process.stdout.write(render(v, 'json', commands));
      else if (out.opts.quiet)
        out.line(
          `${v.ok ? 'VERIFIED' : 'NOT VERIFIED'}: ${v.exhibit ? `${v.exhibit.label} (${v.exhibit.id})` : basename(path)}`,
        );
      else process.stdout.write(render(v, 'text', commands));
      if (o.report) out.note(`report written to ${o.report}`);
      if (!v.ok) throw failedVerdict(v);
    },
  );

  run(
    program
      .command('report')
      .description(
        'the admissibility report of one exhibit from the live ledger (built and verified like a bundle)',
      )
      .argument('<exhibit>', 'exhibit id or unique label')
      .option('--format <format>', 'text | json | html', 'text')
      .option('--out <file>', 'write to this file instead of stdout')
      .option('--key <log key>', 'log key: sign a fresh checkpoint covering the history if needed')
      .requiredOption(
        '--trust <public key>',
        'authority public key obtained through an official channel (base64, hex or key file); repeatable',
        collectRequired,
      )
      .option('--file <evidence>', 'the evidence file, checked against the registered digests'),
    async (
      input: string,
      o: { format: string; out?: string; key?: string; trust: string[]; file?: string },
      out: Output,
    ) => {
      if (!['text', 'json', 'html'].includes(o.format))
        throw new CustodyError('USAGE', '--format must be text, json or html', 'input');
      const logKey = o.key ? await loadSigner(o.key, out) : undefined;
      let bytes: Uint8Array | undefined;
      // Trust comes from the caller, never from the ledger being reported on.
      const trustedKeys: Uint8Array[] = o.trust.map(parsePublicKey);
      let exhibit = '';
      await withLedger(out.opts, async (ledger) => {
        exhibit = await resolveExhibit(ledger, input);
        ({ bytes } = await exportBundle(ledger, exhibit, logKey ? { logKey } : {}));
      });
      const file = o.file ? await fileFacts(o.file, bytes!, out) : undefined;
      const v = await verifyBundle(bytes!, {
        trustedKeys,
        ...(file ? { file } : {}),
        source: { kind: 'ledger', name: out.opts.ledger },
      });
      const commands = [
        `custody export ${exhibit} --out ${exhibit}.custody`,
        `custody verify-bundle ${exhibit}.custody ${trustedKeys.map((k) => `--trust ${b64(k)}`).join(' ')}${o.file ? ` --file ${basename(o.file)}` : ''}`,
      ];
      const text = render(v, (out.opts.json ? 'json' : o.format) as Format, commands);
      if (o.out) {
        writeOut(o.out, text);
        out.note(`report on ${exhibit} written to ${o.out}: ${v.ok ? 'verified' : 'NOT verified'}`);
      } else process.stdout.write(text);
      if (!v.ok) throw failedVerdict(v);
    },
  );
}

/** Shows a --trust argument as the base64 key it stands for (key files are not portable). */
function parsePublicKeyText(t: string): string {
  return b64(parsePublicKey(t));
}
