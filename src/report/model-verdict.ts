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
import type { Language } from './i18n.js';
import { type Area, checkArea, problemArea } from './model-areas.js';
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
  for (const c of failedChecks) blocked[checkArea(c.id)].push(`the check "${c.title}" failed`);
  for (const c of notChecked)
    if (checkArea(c.id) === 'core') blocked.core.push(`the check "${c.title}" was not performed`);
  for (const p of errorProblems)
    blocked[problemArea(p.code)].push(`${p.code}${p.seq !== null ? ` at entry ${p.seq}` : ''}: ${p.message}`);
  if (!anchored) blocked.core.push('no trusted authority key matched the record (not anchored)');
  if (!v.exhibit) blocked.core.push('the exhibit was not found in the record');
  if (!v.ok && failedChecks.length === 0 && errorProblems.length === 0)
    blocked.core.push('the verifier reported a failure without naming a failed check or problem');
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

/** The trusted authority key that matched, as the verdict sentence and the scope name it. */
export function fingerprintOf(v: ExhibitVerdict, lang: Language = 'en'): string {
  const a = v.anchors.find((x) => x.role === 'authority' && x.matched);
  // The anchor is the key the relying party supplied, shown by its fingerprint: never by the
  // name the ledger gives it, which the ledger's operator chose.
  return a ? `you supplied (fingerprint ${groupHex(a.fingerprint)})` : 'no trusted key';
}

/** The verdict in one sentence, with one reason per line for anything short of VERIFIED. */
export function verdictOf(v: ExhibitVerdict, f: Findings, file: FileInfo | null): ReportModel['verdict'] {
  const name = v.exhibit ? `"${v.exhibit.label}" (${v.exhibit.id})` : 'the exhibit asked about';
  const reasons: string[] = [];
  // When VERIFIED, what the record records is said in the sentence, not as a reason against it.
  for (const c of f.failedChecks)
    if (!f.verified || !f.recordedOnly.includes(c)) reasons.push(`Check failed: ${c.title} — ${c.detail}`);
  for (const p of f.errorProblems)
    reasons.push(`Problem ${p.code}${p.seq !== null ? ` at entry ${p.seq}` : ''}: ${p.message}`);
  if (!f.anchored)
    reasons.push(
      'Not anchored: no authority key supplied as trusted matched this record, so anyone could have produced it.',
    );
  if (!v.exhibit) reasons.push('The exhibit was not found in the record.');
  for (const c of f.notChecked)
    if (checkArea(c.id) === 'core') reasons.push(`Check not performed: ${c.title} — ${c.detail}`);
  if (!v.ok && reasons.length === 0) reasons.push('The verifier reported a failure.');
  let sentence: string;
  if (f.verified) {
    const passed = v.checks.length - f.notChecked.length;
    const skipped = f.notChecked.length
      ? ` (${f.notChecked.length} not performed: ${f.notChecked.map((c) => c.title).join('; ')})`
      : '';
    sentence = `VERIFIED: ${passed === v.checks.length ? 'all ' : ''}${passed} checks passed${skipped} for exhibit ${name}: every entry of its custody record is signed by the key it names, no entry was altered, removed or reordered, and the record is anchored to the authority key ${fingerprintOf(v)}`;
    sentence += file
      ? file.matches
        ? `, and the file "${file.name}" matches the registered digests.`
        : '.'
      : '; no evidence file was compared.';
    if (f.recordedOnly.length)
      sentence += ` The record itself records what a court must weigh: ${f.recordedOnly.map((c) => c.detail).join('; ')}.`;
  } else {
    const parts: string[] = [];
    if (f.failedChecks.length)
      parts.push(
        `${f.failedChecks.length} of ${v.checks.length} checks failed (${f.failedChecks.map((c) => c.title).join('; ')})`,
      );
    if (f.errorProblems.length)
      parts.push(
        `${f.errorProblems.length} problem${f.errorProblems.length === 1 ? ' was' : 's were'} found`,
      );
    if (!f.anchored) parts.push('the record is not anchored to a trusted authority key');
    if (!v.exhibit) parts.push('the exhibit was not found');
    const nc = f.notChecked.filter((c) => checkArea(c.id) === 'core');
    if (nc.length)
      parts.push(
        `${nc.length} essential check${nc.length === 1 ? ' was' : 's were'} not performed (${nc.map((c) => c.title).join('; ')})`,
      );
    if (parts.length === 0) parts.push('the verifier reported a failure');
    sentence = `NOT VERIFIED (${f.outcome}): for exhibit ${name}, ${parts.join(', and ')}${f.anchored ? `; the record is anchored to the authority key ${fingerprintOf(v)}` : ''}.`;
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
