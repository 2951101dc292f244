/**
 * What the court's verifier page does with what was dropped into it: the same steps, on the
 * same pure engine, as `custody verify-bundle` (cli/commands/bundle.ts), so that the page and
 * the CLI give the same verdict and problem codes for the same inputs (test/page/ checks it).
 * No DOM here: the page's glue (./main.ts) reads files and shows results.
 */

import { BUNDLE_V2_LIMITS, decodeBundleV2 } from '../bundle/bundle-v2.js';
import { decodeJourney, isJourney } from '../bundle/journey.js';
import type { ExhibitVerdictV2 } from '../bundle/verdict-v2.js';
import { fromBase64, fromHex, toBase64, toHex } from '../bytes.js';
import { parseTrustManifest, TRUST_MANIFEST_MAX_BYTES } from '../checkpoint/trust-manifest.js';
import { sha256 } from '../crypto/sha256.js';
import type { SignatureChecker } from '../crypto/signature-checker.js';
import { CustodyError } from '../errors.js';
import type { Problem, Verdict } from '../findings.js';
import { bundleOfInput } from '../report/embedded.js';
import type { Language } from '../report/i18n.js';
import { buildReportModel, renderHtml, renderJson, renderText } from '../report/index.js';
import type { LegalFraming } from '../report/model-method.js';
import type { ReportMeta } from '../report/model-types.js';
import { bundleTooLarge, verifyBundleV2 } from '../verify/bundle-v2.js';
import { manifestTrust, verifyJourney } from '../verify/journey.js';
import { relyingTrust } from '../verify/relying-party.js';

/**
 * The evidence in hand, as hashed by the page (its name, size and digests). A folder gives the
 * size of its files and the digests of its rebuilt manifest, a segment set those of its
 * concatenation (./folder.ts): what the registration lists for each kind.
 */
export interface FileFacts {
  name: string;
  size: number;
  digests: Record<string, Uint8Array>;
  /** Default 'file'. */
  kind?: 'file' | 'directory' | 'segments';
}

export interface PageInputs {
  bundle: Uint8Array;
  bundleName: string;
  /** Pinned keys as typed or pasted: base64 or hex, one per line. */
  authorityKeys: string;
  logKeys: string;
  /** Witness vkeys, one per line, and the quorum as typed ("" for the default). */
  witnesses: string;
  quorum: string;
  /** A trust manifest (docs/FEDERATION.md), instead of the keys and witnesses. */
  manifest?: string;
  strict: boolean;
  file?: FileFacts;
  /** Signature checks spread over the page's workers. */
  checker?: SignatureChecker;
  now: number;
  toolVersion: string;
  /** The SHA-256 of the page's embedded code, which its reports name. */
  codeSha256: string;
  /** The report's language and legal framing (default en, eu), as `--lang` and `--legal-framing`. */
  choices?: ReportChoices;
}

/** How the court wants its report worded: language and legal framing of the declaration. */
export interface ReportChoices {
  lang: Language;
  framing: LegalFraming;
}

export interface PageReport {
  /** The origin of the ledger the bundle comes from. */
  origin: string;
  verdict: ExhibitVerdictV2;
  /** What the report names besides the verdict (tool, time, command, hashes): kept to reword it. */
  meta: ReportMeta;
  /** The bytes the HTML report carries (the bundle or journey verified). */
  carried?: Uint8Array;
  html: string;
  json: string;
  text: string;
}

export interface PageResult {
  kind: 'bundle' | 'journey';
  verdict: Verdict;
  ok: boolean;
  /** The problems that decide the verdict, the journey's own first. */
  problems: Problem[];
  warnings: Problem[];
  /** One report per bundle: one for a bundle, one per ledger for a journey. */
  reports: PageReport[];
  /** The command that repeats this verification with the CLI. */
  command: string;
}

const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** A pinned key as the CLI takes it on its command line: 64 hex digits or base64 of 32 bytes. */
function publicKey(s: string): Uint8Array {
  const raw = (s.length === 64 ? fromHex(s) : undefined) ?? fromBase64(s);
  if (raw?.length === 32) return raw;
  throw new CustodyError('PUBLIC_KEY_INVALID', `${s} is not a 32-byte public key (base64 or hex)`, 'input');
}

/** Mirrors the CLI's shellQuote for the repeat command. */
const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

export async function verifyInPage(given: PageInputs): Promise<PageResult> {
  // A report made by custody carries its bundle: the bundle is what is verified.
  const i = { ...given, bundle: bundleOfInput(given.bundle) };
  const bundleSha256 = toHex(sha256(i.bundle));
  const journey = isJourney(i.bundle);
  if (!journey) {
    // As the CLI: a file that is not a custody bundle at all is bad input, not a verdict;
    // one beyond the verifier's limits is judged (INCOMPLETE).
    try {
      decodeBundleV2(i.bundle);
    } catch (e) {
      if (!(e instanceof CustodyError && e.code === 'BUNDLE_TOO_LARGE')) throw e;
    }
  }
  // `verify-bundle --file` takes one regular file: a folder or a segment set is checked by the
  // tool against the ledger (`custody verify --exhibit … --file`), so the command leaves it out.
  const fileFlag = i.file && (i.file.kind ?? 'file') === 'file' ? ` --file ${q(i.file.name)}` : '';
  const strictFlag = i.strict ? ' --strict' : '';
  const meta = (command: string): ReportMeta => ({
    tool: 'custody',
    toolVersion: i.toolVersion,
    generatedAt: i.now,
    commands: [command],
    verifierCodeSha256: i.codeSha256,
    bundleSha256,
  });
  const report = (origin: string, v: ExhibitVerdictV2, command: string): PageReport =>
    rendered(origin, v, meta(command), i.bundle, i.choices);
  const opts = { source: { kind: 'bundle' as const, name: i.bundleName, bytes: i.bundle.length } };
  const checker = i.checker ? { checker: i.checker } : {};
  if (i.manifest !== undefined) {
    if (i.manifest.length > TRUST_MANIFEST_MAX_BYTES)
      throw new CustodyError('POLICY_INVALID', 'trust manifest: the file is too large', 'input');
    const manifest = parseTrustManifest(i.manifest);
    const command = `custody verify-bundle ${q(i.bundleName)} --trust-policy TRUST-POLICY.json${fileFlag}${strictFlag}`;
    if (journey) {
      const v = await verifyJourney(i.bundle, manifest, {
        ...(i.file ? { file: i.file } : {}),
        ...(i.strict ? { strict: true } : {}),
      });
      return {
        kind: 'journey',
        verdict: v.verdict,
        ok: v.ok,
        problems: [...v.problems, ...v.segments.flatMap((s) => s.verdict.problems)],
        warnings: v.segments.flatMap((s) => s.verdict.warnings),
        reports: v.segments.map((s) => report(s.origin, s.verdict, command)),
        command,
      };
    }
    const trust = { ...manifestTrust(i.bundle, manifest), ...(i.strict ? { strict: true } : {}) };
    const v = await verifyBundleV2(
      i.bundle,
      { ...trust, ...(i.file ? { file: i.file } : {}) },
      { ...opts, ...checker },
    );
    return single(v, report(v.origin ?? '', v, command), command);
  }
  if (journey)
    throw new CustodyError(
      'USAGE',
      'a journey is verified with a trust policy (the trust manifest)',
      'input',
    );
  const authorityKeys = lines(i.authorityKeys).map(publicKey);
  const logKeys = lines(i.logKeys).map(publicKey);
  const witness = lines(i.witnesses);
  const quorum = i.quorum.trim() === '' ? undefined : i.quorum.trim();
  const trust = relyingTrust({
    authorityKeys,
    logKeys,
    witness,
    auditor: [],
    quorum,
    strict: i.strict,
    now: i.now,
  });
  const command = `custody verify-bundle ${q(i.bundleName)} ${[
    ...authorityKeys.map((k) => `--trust ${q(toBase64(k))}`),
    ...logKeys.map((k) => `--trust-log ${q(toBase64(k))}`),
    ...witness.map((w) => `--witness ${q(w)}`),
    ...(witness.length > 0 || quorum !== undefined ? [`--quorum ${trust.quorum ?? quorum}`] : []),
  ].join(' ')}${fileFlag}${strictFlag}`;
  const v = await verifyBundleV2(
    i.bundle,
    { ...trust, ...(i.file ? { file: i.file } : {}) },
    { ...opts, ...checker },
  );
  return single(v, report(v.origin ?? '', v, command), command);
}

/**
 * A file larger than the verifier reads is not read at all (a browser would hold it whole):
 * INCOMPLETE, BUNDLE_TOO_LARGE, as `verify-bundle` answers for the same file.
 */
export function tooLargeInPage(
  name: string,
  size: number,
  toolVersion: string,
  now: number,
  choices?: ReportChoices,
): PageResult | undefined {
  if (size <= BUNDLE_V2_LIMITS.bytes) return undefined;
  const v = bundleTooLarge(
    { kind: 'bundle', name },
    `bundle ${name} is larger than ${BUNDLE_V2_LIMITS.bytes} bytes`,
  );
  const meta: ReportMeta = { tool: 'custody', toolVersion, generatedAt: now, commands: [] };
  return single(v, rendered('', v, meta, undefined, choices), `custody verify-bundle ${q(name)}`);
}

/** A report of one verdict, rendered as HTML (carrying `carried`), JSON and text in `choices`. */
function rendered(
  origin: string,
  v: ExhibitVerdictV2,
  meta: ReportMeta,
  carried: Uint8Array | undefined,
  choices: ReportChoices | undefined,
): PageReport {
  const m = buildReportModel(v, {
    ...meta,
    ...(choices ? { lang: choices.lang, framing: choices.framing } : {}),
  });
  return {
    origin,
    verdict: v,
    meta,
    ...(carried ? { carried } : {}),
    html: renderHtml(m, carried ? { bundle: carried } : {}),
    json: renderJson(m),
    text: renderText(m),
  };
}

/**
 * The same result with its reports worded anew (the court changed the language or the legal
 * framing): the verdicts are kept as they are, nothing is verified again.
 */
export function reworded(r: PageResult, choices: ReportChoices): PageResult {
  return {
    ...r,
    reports: r.reports.map((rep) => rendered(rep.origin, rep.verdict, rep.meta, rep.carried, choices)),
  };
}

const single = (v: ExhibitVerdictV2, r: PageReport, command: string): PageResult => ({
  kind: 'bundle',
  verdict: v.verdict,
  ok: v.ok,
  problems: v.problems,
  warnings: v.warnings,
  reports: [r],
  command,
});

/** The first bundle of a journey, or the bundle itself: the one whose registrations the file is checked against. */
export const firstBundle = (bytes: Uint8Array): Uint8Array =>
  isJourney(bytes) ? (decodeJourney(bytes).segments[0] ?? bytes) : bytes;
