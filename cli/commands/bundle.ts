/** custody export | verify-bundle | report */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { BUNDLE_V2_LIMITS, decodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { decodeFreshness } from '../../src/bundle/freshness.js';
import { decodeJourney, isJourney } from '../../src/bundle/journey.js';
import type { ExhibitVerdict } from '../../src/bundle/verdict.js';
import type { ExhibitVerdictV2 } from '../../src/bundle/verdict-v2.js';
import { toHex } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { bundleOfInput, isHtml } from '../../src/report/embedded.js';
import { isLanguage, LANGUAGES, type Language } from '../../src/report/i18n.js';
import { buildReportModel, renderHtml, renderJson, renderText } from '../../src/report/index.js';
import { LEGAL_FRAMINGS, type LegalFraming } from '../../src/report/model-method.js';
import { bundleTooLarge, verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { manifestTrust, verifyJourney } from '../../src/verify/journey.js';
import { collect } from '../args.js';
import { bundleManifest, checkManifestOption, fileFacts } from '../bundle-evidence.js';
import { exhibitShort, resolveExhibit, withLedger } from '../context.js';
import type { Output } from '../io.js';
import { loadSigner, readInputFile } from '../keys.js';
import { type Runner, VERSION } from '../program.js';
import { cosignerOptions, relyingParty } from '../relying-party.js';
import { renderPdf } from '../report-pdf.js';
import { shellQuote } from '../shell.js';
import { type VerdictTop, verdictError } from '../verdict.js';
import { exportCheckpoint } from './export.js';
import { printJourney, readManifest } from './journey.js';
import { verifierPageSha256 } from './verifier.js';

type Format = 'text' | 'json' | 'html' | 'pdf';

/** A report's format from its file name (.html, .json, .pdf, else text). */
const formatOf = (path: string): Format =>
  /\.html?$/i.test(path) ? 'html' : /\.json$/i.test(path) ? 'json' : /\.pdf$/i.test(path) ? 'pdf' : 'text';

function readBundleFile(path: string): Uint8Array {
  // A view of the Buffer, not a copy: a bundle at the limit is held once (docs/PERFORMANCE.md §Hostile bundles).
  const b = readInputFile(path, 'bundle', BUNDLE_V2_LIMITS.bytes, 'BUNDLE_TOO_LARGE');
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * A freshness file (docs/BUNDLE.md §Freshness). One that is not a freshness file at all is bad
 * input (FRESHNESS_MALFORMED, exit 2), as a file that is not a bundle is; one that decodes is
 * judged by the verifier.
 */
function readFreshFile(path: string): Uint8Array {
  const b = readInputFile(path, 'freshness file', BUNDLE_V2_LIMITS.bytes, 'BUNDLE_TOO_LARGE');
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  decodeFreshness(bytes);
  return bytes;
}

/** The bundle verified, carried into the report: its hash always, its bytes in an HTML report. */
type Verified = { bytes: Uint8Array; name: string; sha256: string } & ReportChoices;

/** How the court wants the report: the legal framing of its declaration and its language. */
type ReportChoices = { framing: LegalFraming; lang: Language };

const model = (v: ExhibitVerdict, commands: string[], b?: Verified) =>
  buildReportModel(v, {
    tool: 'custody',
    toolVersion: VERSION,
    generatedAt: Date.now(),
    commands,
    verifierPageSha256: verifierPageSha256(),
    bundleSha256: b?.sha256 ?? null,
    ...(b ? { framing: b.framing, lang: b.lang } : {}),
  });

function render(v: ExhibitVerdict, format: Exclude<Format, 'pdf'>, commands: string[], b?: Verified): string {
  const m = model(v, commands, b);
  return format === 'html'
    ? renderHtml(m, b ? { bundle: b.bytes } : {})
    : format === 'json'
      ? renderJson(m)
      : renderText(m);
}

const verified = (bytes: Uint8Array, name: string, choices: ReportChoices): Verified => ({
  bytes,
  name,
  sha256: toHex(sha256(bytes)),
  ...choices,
});

/** --legal-framing and --lang, checked before anything is verified or written. */
function choicesOf(o: { legalFraming?: string; lang?: string }): ReportChoices {
  const given = o.legalFraming;
  if (given !== undefined && !(LEGAL_FRAMINGS as readonly string[]).includes(given))
    throw new CustodyError('USAGE', '--legal-framing must be eu, us or uk', 'input');
  if (o.lang !== undefined && !isLanguage(o.lang))
    throw new CustodyError('USAGE', `--lang must be one of ${LANGUAGES.join(', ')}`, 'input');
  return { framing: (given ?? 'eu') as LegalFraming, lang: o.lang ?? 'en' };
}

const LANG_HELP = `the language of the report: ${LANGUAGES.join(', ')} (default en); a translation says that the legal meaning rests on the English original`;

const FRAMING_HELP =
  "the legal framing of the report's declaration: eu (eIDAS, ISO/IEC 27037; the default), us (FRE 902(13)/(14)) or uk (the Forensic Science Regulator's Code)";

/**
 * Writes a report file whole or not at all (a temporary file renamed into place), never over an
 * existing file unless `force` (FILE_EXISTS). A PDF carries the bundle as an attachment.
 */
async function writeReport(
  path: string,
  v: ExhibitVerdict,
  format: Format,
  commands: string[],
  b: Verified,
  force: boolean,
): Promise<void> {
  if (!force && existsSync(path))
    throw new CustodyError('FILE_EXISTS', `${path} exists; give --force to replace it`, 'input');
  const content =
    format === 'pdf'
      ? await renderPdf(model(v, commands, b), { bundle: b.bytes, name: b.name })
      : render(v, format, commands, b);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CustodyError(
      'FILE_UNWRITABLE',
      `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      'input',
    );
  }
}

/**
 * The --json document of verify-bundle and report: the verdict contract
 * shared with `verify` on top (docs/CLI.md §Verdicts), the report model under
 * `report`.
 */
function verdictJson(v: ExhibitVerdictV2, commands: string[], b?: Verified, differences?: string): string {
  const top: VerdictTop = {
    ok: v.ok,
    verdict: v.verdict,
    anchored: v.anchored,
    problems: v.problems,
    warnings: v.warnings,
  };
  const crossings = v.crossings ? { crossings: v.crossings } : {};
  const named = differences === undefined ? {} : { differences };
  return `${JSON.stringify({ ...top, exhibit: v.exhibit?.id ?? null, ...crossings, ...named, report: model(v, commands, b) }, null, 2)}\n`;
}

export function bundleCommands(program: Command, run: Runner) {
  run(
    cosignerOptions(
      program
        .command('verify-bundle')
        .description('verify an exported bundle offline, against the authority key you trust')
        .argument('<bundle>', 'bundle file')
        .option(
          '--trust <public key>',
          'authority public key obtained through an official channel (base64, hex or key file); repeatable',
          collect,
          [] as string[],
        )
        .option(
          '--trust-log <public key>',
          'log public key obtained through an official channel; repeatable',
          collect,
          [] as string[],
        ),
    )
      .option(
        '--trust-policy <manifest>',
        "the relying party's trust manifest: each ledger's authority fingerprints and tlog-policy (docs/FEDERATION.md); verifies a bundle or a journey",
      )
      .option('--segment <n>', "with a journey: print the full report of its n-th ledger's bundle")
      .option(
        '--file <evidence>',
        'the evidence: a file, folder, segment set (its first segment) or device, as the exhibit was registered; checked against every registered digest',
      )
      .option(
        '--manifest <file>',
        "a folder's registered manifest, to name the files that differ (default: x.manifest beside x.custody, if there)",
      )
      .option(
        '--fresh <file>',
        'a freshness file (custody refresh): judge the verdict as of its newer checkpoint',
      )
      .option('--strict', 'recorded custody warnings (a digest mismatch on a re-check, a broken seal) fail')
      .option(
        '--report <out.html>',
        'also write the report to this file (format from the extension: .html, .json, .pdf, else text)',
      )
      .option('--force', 'replace the --report file if it exists')
      .option('--legal-framing <eu|us|uk>', FRAMING_HELP)
      .option('--lang <en|fr|de|nl>', LANG_HELP),
    async (
      path: string,
      o: {
        trust: string[];
        trustLog: string[];
        witness: string[];
        auditor: string[];
        policy?: string;
        tlogPolicy?: string;
        quorum?: string;
        file?: string;
        manifest?: string;
        fresh?: string;
        report?: string;
        force?: boolean;
        legalFraming?: string;
        lang?: string;
        strict?: boolean;
        trustPolicy?: string;
        segment?: string;
      },
      out: Output,
    ) => {
      const choices = choicesOf(o);
      checkManifestOption(o);
      const manifest = o.trustPolicy === undefined ? undefined : readManifest(o.trustPolicy, o);
      let bytes: Uint8Array;
      let fromReport = false;
      try {
        // A report made by custody carries its bundle: the bundle is what is verified.
        const raw = readBundleFile(path);
        fromReport = isHtml(raw);
        bytes = bundleOfInput(raw);
        if (manifest && isJourney(bytes)) {
          const inHand = o.file
            ? await fileFacts(
                o.file,
                decodeJourney(bytes).segments[0]!,
                out,
                bundleManifest(path, o.manifest),
              )
            : undefined;
          if (inHand?.differences) out.note(inHand.differences);
          const v = await verifyJourney(bytes, manifest, {
            ...(inHand ? { file: inHand.file } : {}),
            ...(o.strict ? { strict: true } : {}),
          });
          if (o.segment === undefined) return printJourney(v, out, o.trustPolicy!);
          const n = Number(o.segment);
          const seg = Number.isInteger(n) && n >= 1 ? v.segments[n - 1] : undefined;
          if (!seg) throw new CustodyError('USAGE', `--segment must be 1 to ${v.segments.length}`, 'input');
          bytes = decodeJourney(bytes).segments[n - 1]!;
        }
      } catch (e) {
        if (!(e instanceof CustodyError && e.code === 'BUNDLE_TOO_LARGE')) throw e;
        // Beyond this verifier's limits, unread: INCOMPLETE, never FAILED.
        const v = bundleTooLarge({ kind: 'bundle', name: basename(path) }, e.message);
        if (out.opts.json) process.stdout.write(verdictJson(v, []));
        else out.line(`${v.verdict}: ${e.message}`);
        throw verdictError(v, e.message)!;
      }
      // Not a custody bundle at all is bad input (exit 2); a bundle that decodes, or one beyond
      // this verifier's limits (INCOMPLETE), is judged by the verifier.
      try {
        decodeBundleV2(bytes);
      } catch (e) {
        if (!(e instanceof CustodyError && e.code === 'BUNDLE_TOO_LARGE')) throw e;
      }
      const rp = manifest
        ? {
            trust: { ...manifestTrust(bytes, manifest), ...(o.strict ? { strict: true } : {}) },
            flags: `--trust-policy ${shellQuote(basename(o.trustPolicy!))}`,
          }
        : relyingParty(o);
      const fresh = o.fresh === undefined ? undefined : readFreshFile(o.fresh);
      const inHand = o.file
        ? await fileFacts(o.file, bytes, out, bundleManifest(path, o.manifest))
        : undefined;
      const v = await verifyBundleV2(
        bytes,
        { ...rp.trust, ...(inHand ? { file: inHand.file } : {}) },
        {
          source: { kind: 'bundle', name: basename(path), bytes: bytes.length },
          ...(fresh ? { fresh } : {}),
        },
      );
      const commands = [
        `custody verify-bundle ${shellQuote(basename(path))} ${rp.flags}${o.file ? ` --file ${shellQuote(basename(o.file))}` : ''}${o.fresh ? ` --fresh ${shellQuote(basename(o.fresh))}` : ''}`,
      ];
      const b = verified(bytes, fromReport ? 'bundle.custody' : basename(path), choices);
      if (o.report) await writeReport(o.report, v, formatOf(o.report), commands, b, o.force === true);
      if (out.opts.json) process.stdout.write(verdictJson(v, commands, b, inHand?.differences));
      else if (out.opts.quiet)
        out.line(`${v.verdict}: ${v.exhibit ? `${v.exhibit.label} (${v.exhibit.id})` : basename(path)}`);
      else {
        process.stdout.write(render(v, 'text', commands, b));
        if (inHand?.differences) out.line(inHand.differences);
      }
      if (o.report) out.note(`report written to ${o.report}`);
      const failure = verdictError(v, failedChecks(v));
      if (failure) throw failure;
    },
  );

  run(
    cosignerOptions(
      program
        .command('report')
        .description(
          'the admissibility report of one exhibit from the live ledger (built and verified like a bundle)',
        )
        .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
        .option(
          '--format <format>',
          'text | json | html | pdf (default: from the --out extension, else text)',
        )
        .option('--out <file>', 'write to this file instead of stdout (never over a file, unless --force)')
        .option('--force', 'replace the --out file if it exists')
        .option('--legal-framing <eu|us|uk>', FRAMING_HELP)
        .option('--lang <en|fr|de|nl>', LANG_HELP)
        .option('--log-key <key file>', 'the log key: sign a fresh checkpoint covering the history if needed')
        .option(
          '--trust <public key>',
          'authority public key obtained through an official channel (base64, hex or key file); repeatable',
          collect,
          [] as string[],
        )
        .option(
          '--trust-log <public key>',
          'log public key obtained through an official channel',
          collect,
          [] as string[],
        ),
    )
      .option(
        '--file <evidence>',
        'the evidence: a file, folder, segment set (its first segment) or device, as the exhibit was registered; checked against the registered digests',
      )
      .option(
        '--manifest <file>',
        "a folder's registered manifest, to name the files that differ (default: the one kept beside the ledger)",
      )
      .option(
        '--trust-policy <manifest>',
        "the relying party's trust manifest (docs/FEDERATION.md): this ledger's authority fingerprints and tlog-policy",
      )
      .option('--strict', 'recorded custody warnings (a digest mismatch on a re-check, a broken seal) fail'),
    async (
      input: string,
      o: {
        trustPolicy?: string;
        format?: string;
        out?: string;
        force?: boolean;
        legalFraming?: string;
        lang?: string;
        logKey?: string;
        trust: string[];
        trustLog: string[];
        witness: string[];
        auditor: string[];
        policy?: string;
        tlogPolicy?: string;
        quorum?: string;
        file?: string;
        manifest?: string;
        strict?: boolean;
      },
      out: Output,
    ) => {
      const choices = choicesOf(o);
      checkManifestOption(o);
      const format = (o.format ?? (o.out ? formatOf(o.out) : 'text')) as Format;
      if (!['text', 'json', 'html', 'pdf'].includes(format))
        throw new CustodyError('USAGE', '--format must be text, json, html or pdf', 'input');
      if (format === 'pdf' && !o.out)
        throw new CustodyError('USAGE', 'a PDF is written to a file: give --out <file.pdf>', 'input');
      // Trust comes from the caller, never from the ledger being reported on.
      const manifest = o.trustPolicy === undefined ? undefined : readManifest(o.trustPolicy, o);
      const rpOfFlags = manifest ? undefined : relyingParty(o);
      const logKey = o.logKey ? await loadSigner(o.logKey, out) : undefined;
      let bytes: Uint8Array | undefined;
      let exhibit = '';
      let exhibitId: Uint8Array | undefined;
      await withLedger(out.opts, async ({ view }) => {
        const id = await resolveExhibit(view, input);
        exhibitId = id;
        exhibit = exhibitShort(id);
        bytes = await exportBundle(view, id, await exportCheckpoint(view, id, logKey));
      });
      const rp = manifest
        ? {
            trust: { ...manifestTrust(bytes!, manifest), ...(o.strict ? { strict: true } : {}) },
            flags: `--trust-policy ${shellQuote(basename(o.trustPolicy!))}`,
          }
        : rpOfFlags!;
      const inHand = o.file
        ? await fileFacts(o.file, bytes!, out, {
            given: o.manifest,
            ledger: out.opts.ledger,
            exhibit: exhibitId,
          })
        : undefined;
      const v = await verifyBundleV2(
        bytes!,
        { ...rp.trust, ...(inHand ? { file: inHand.file } : {}) },
        { source: { kind: 'ledger', name: out.opts.ledger } },
      );
      const commands = [
        `custody export ${shellQuote(exhibit)} --out ${shellQuote(`${exhibit}.custody`)} --key YOUR.key --profile court --recipient 'RECIPIENT' --legal-basis 'LEGAL BASIS'`,
        `custody verify-bundle ${shellQuote(`${exhibit}.custody`)} ${rp.flags}${o.file ? ` --file ${shellQuote(basename(o.file))}` : ''}`,
      ];
      const b = verified(bytes!, `${exhibit}.custody`, choices);
      if (o.out) {
        await writeReport(o.out, v, format, commands, b, o.force === true);
        out.note(`report on ${exhibit} written to ${o.out}: ${v.verdict}`);
      }
      if (out.opts.json) process.stdout.write(verdictJson(v, commands, b, inHand?.differences));
      else if (!o.out) process.stdout.write(render(v, format as Exclude<Format, 'pdf'>, commands, b));
      if (inHand?.differences && !out.opts.json) {
        // Beside a text report on stdout; on stderr when the report is a file or another format.
        if (!o.out && format === 'text') out.line(inHand.differences);
        else out.note(inHand.differences);
      }
      const failure = verdictError(v, failedChecks(v));
      if (failure) throw failure;
    },
  );
}

/** The titles of the checks that failed, for the error line ("trust anchor, signatures"). */
function failedChecks(v: ExhibitVerdictV2): string {
  return v.checks
    .filter((c) => c.verdict === 'fail')
    .map((c) => c.title.toLowerCase())
    .join(', ');
}
