/**
 * The verdict: VERIFIED only when the verifier's verdict is (docs/CLI.md
 * §Verdicts), the record is anchored, every essential check passed and no
 * error was found; otherwise NOT VERIFIED, with the reasons and the
 * verdict's word. A check failed only by what the record itself records (a
 * broken seal, a digest mismatch on a re-check: area "recorded") does not
 * make it NOT VERIFIED unless the verifier ran strict, which turns those into
 * errors; the sentence then says what was recorded. The findings computed
 * here also decide which scope statements may be made (model-scope.ts).
 */

import type { Check, ExhibitVerdict } from '../bundle/verdict.js';
import type { Problem, Verdict } from '../findings.js';
import { COMMON, type Language, say, sayCount } from './i18n.js';
import { VERDICT } from './messages/verdict.js';
import { type Area, checkArea, checkTitle, problemArea } from './model-areas.js';
import { groupHex } from './model-formatting.js';
import type { FileInfo, ReportModel } from './model-types.js';

/** What the checks and problems of a verdict amount to, and which claims each blocks. */
export interface Findings {
  /** The language the report is worded in. */
  lang: Language;
  anchored: boolean;
  verified: boolean;
  outcome: Verdict;
  /** Checks failed only by what the record records (area "recorded"), which VERIFIED allows. */
  recordedOnly: Check[];
  failedChecks: Check[];
  notChecked: Check[];
  errorProblems: Problem[];
  blocked: Record<Area, string[]>;
}

/** Sorts every failed check and error problem into the claims it blocks, and decides VERIFIED. */
export function findings(v: ExhibitVerdict, lang: Language): Findings {
  // A pinned authority key or a pinned log key anchors the verdict (BUNDLE.md §Trust).
  const anchored = v.anchors.some((a) => (a.role === 'authority' || a.role === 'log') && a.matched);
  const failedChecks = v.checks.filter((c) => c.verdict === 'fail');
  const notChecked = v.checks.filter((c) => c.verdict === 'not-checked');
  const errorProblems = v.problems.filter((p) => p.severity === 'error');
  const blocked: Record<Area, string[]> = {
    core: [],
    checkpoint: [],
    witness: [],
    file: [],
    recorded: [],
    head: [],
  };
  const title = (c: Check) => checkTitle(c.id, c.title, lang);
  for (const c of failedChecks)
    blocked[checkArea(c.id)].push(say(VERDICT, lang, 'blockedCheckFailed', { title: title(c) }));
  for (const c of notChecked)
    if (checkArea(c.id) === 'core')
      blocked.core.push(say(VERDICT, lang, 'blockedCheckNotPerformed', { title: title(c) }));
  for (const p of errorProblems)
    blocked[problemArea(p.code)].push(say(VERDICT, lang, 'blockedProblem', problemValues(p)));
  if (!anchored) blocked.core.push(say(VERDICT, lang, 'blockedNotAnchored'));
  if (!v.exhibit) blocked.core.push(say(VERDICT, lang, 'blockedNoExhibit'));
  if (!v.ok && failedChecks.length === 0 && errorProblems.length === 0)
    blocked.core.push(say(VERDICT, lang, 'blockedUnexplained'));
  const coreNotChecked = notChecked.some((c) => checkArea(c.id) === 'core');
  // A verdict made before the contract (a v1-shaped result) is VERIFIED or FAILED by `ok`.
  const given = (v as ExhibitVerdict & { verdict?: Verdict }).verdict;
  const outcome: Verdict = given ?? (v.ok ? 'VERIFIED' : anchored ? 'FAILED' : 'UNANCHORED');
  const recordedOnly = failedChecks.filter((c) => checkArea(c.id) === 'recorded');
  const verified =
    v.ok &&
    outcome === 'VERIFIED' &&
    anchored &&
    failedChecks.length === recordedOnly.length &&
    errorProblems.length === 0 &&
    !coreNotChecked &&
    v.exhibit !== null;
  return {
    lang,
    anchored,
    verified,
    outcome,
    recordedOnly,
    failedChecks,
    notChecked,
    errorProblems,
    blocked,
  };
}

/** A problem's code, entry and message (the verifier's words) for a template. */
const problemValues = (p: Problem) => ({ code: p.code, seq: p.seq ?? undefined, message: p.message });

/** The trusted authority key that matched, as the verdict sentence and the scope name it. */
export function fingerprintOf(v: ExhibitVerdict, lang: Language = 'en'): string {
  const a = v.anchors.find((x) => x.role === 'authority' && x.matched);
  // The anchor is the key the relying party supplied, shown by its fingerprint: never by the
  // name the ledger gives it, which the ledger's operator chose.
  return a
    ? say(VERDICT, lang, 'fingerprint', { fingerprint: groupHex(a.fingerprint) })
    : say(VERDICT, lang, 'noTrustedKey');
}

/** The verdict in one sentence, with one reason per line for anything short of VERIFIED. */
export function verdictOf(v: ExhibitVerdict, f: Findings, file: FileInfo | null): ReportModel['verdict'] {
  const lang = f.lang;
  const title = (c: Check) => checkTitle(c.id, c.title, lang);
  // Titles and the record's own findings are data items: a list, joined as the language lists.
  const list = (xs: string[]) => xs.join(say(COMMON, lang, 'listSeparator'));
  const reasons: string[] = [];
  // When VERIFIED, what the record records is said in the sentence, not as a reason against it.
  for (const c of f.failedChecks)
    if (!f.verified || !f.recordedOnly.includes(c))
      reasons.push(say(VERDICT, lang, 'reasonCheckFailed', { title: title(c), detail: c.detail }));
  for (const p of f.errorProblems) reasons.push(say(VERDICT, lang, 'reasonProblem', problemValues(p)));
  if (!f.anchored) reasons.push(say(VERDICT, lang, 'reasonNotAnchored'));
  if (!v.exhibit) reasons.push(say(VERDICT, lang, 'reasonNoExhibit'));
  for (const c of f.notChecked)
    if (checkArea(c.id) === 'core')
      reasons.push(say(VERDICT, lang, 'reasonCheckNotPerformed', { title: title(c), detail: c.detail }));
  if (!v.ok && reasons.length === 0) reasons.push(say(VERDICT, lang, 'reasonUnexplained'));
  let sentence: string;
  if (f.verified && v.exhibit) {
    const passed = v.checks.length - f.notChecked.length;
    const n = f.notChecked.length;
    sentence = say(
      VERDICT,
      lang,
      file ? (file.matches ? 'verifiedFileMatches' : 'verifiedFileDiffers') : 'verifiedNoFile',
      {
        passed:
          passed === v.checks.length
            ? sayCount(VERDICT, lang, 'passedAll', passed)
            : sayCount(VERDICT, lang, 'passed', passed),
        notPerformed: n
          ? sayCount(VERDICT, lang, 'notPerformed', n, { titles: list(f.notChecked.map(title)) })
          : undefined,
        label: v.exhibit.label,
        id: v.exhibit.id,
        fingerprint: fingerprintOf(v, lang),
        file: file?.name,
        recorded: list(f.recordedOnly.map((c) => c.detail)),
      },
    );
  } else {
    const clauses: string[] = [];
    if (f.failedChecks.length)
      clauses.push(
        sayCount(VERDICT, lang, 'failedOf', f.failedChecks.length, {
          total: v.checks.length,
          titles: list(f.failedChecks.map(title)),
        }),
      );
    if (f.errorProblems.length)
      clauses.push(sayCount(VERDICT, lang, 'problemsFound', f.errorProblems.length));
    if (!f.anchored) clauses.push(say(VERDICT, lang, 'notAnchored'));
    if (!v.exhibit) clauses.push(say(VERDICT, lang, 'noExhibit'));
    const nc = f.notChecked.filter((c) => checkArea(c.id) === 'core');
    if (nc.length)
      clauses.push(
        sayCount(VERDICT, lang, 'essentialNotPerformed', nc.length, { titles: list(nc.map(title)) }),
      );
    if (clauses.length === 0) clauses.push(say(VERDICT, lang, 'unexplained'));
    sentence = say(VERDICT, lang, 'notVerified', {
      outcome: f.outcome,
      name: v.exhibit
        ? say(VERDICT, lang, 'exhibitNamed', { label: v.exhibit.label, id: v.exhibit.id })
        : say(VERDICT, lang, 'exhibitUnnamed'),
      // Whole clauses of one sentence, in the verifier's order, joined as the language joins them.
      clauses: clauses.join(say(VERDICT, lang, 'clauseJoin')),
      fingerprint: f.anchored ? fingerprintOf(v, lang) : undefined,
    });
  }
  return {
    status: f.verified ? ('VERIFIED' as const) : ('NOT VERIFIED' as const),
    outcome: f.verified ? 'VERIFIED' : f.outcome === 'VERIFIED' ? 'FAILED' : f.outcome,
    verified: f.verified,
    anchored: f.anchored,
    sentence,
    reasons,
    checksPassed: v.checks.filter((c) => c.verdict === 'pass').length,
    checksFailed: f.failedChecks.length,
    checksNotChecked: f.notChecked.length,
    problemCount: v.problems.length,
  };
}
