/**
 * The verdict contract (docs/VERIFYING.md §Verdicts): every verifying
 * command — `verify`, `verify-bundle`, `report` — ends in exactly one of five
 * verdicts, decided here from the problems found, whether a pinned key
 * vouches for the result, and whether the cosigners the relying party asks
 * for signed.
 *
 * Where several apply, the first of VERDICT_PRECEDENCE wins: a forged input
 * is FAILED even if it is also incomplete, and nothing is VERIFIED that any
 * other verdict applies to. A court acts on VERIFIED, so it is the verdict of
 * last resort, never a default.
 */
import type { Problem, Verdict } from '../findings.js';
import { type ProblemClass, problemCodeInfo } from '../problem-codes.js';

// The five verdicts are defined below the bundle's verdict types, which name them too.
export type { Verdict } from '../findings.js';

export const VERDICT_PRECEDENCE: readonly Verdict[] = [
  'FAILED',
  'INCOMPLETE',
  'UNANCHORED',
  'UNWITNESSED',
  'VERIFIED',
];

// How a problem bears on the verdict is its code's class in the one table of codes.
export type { ProblemClass } from '../problem-codes.js';

/** A code's class; a code the table does not know fails (a new code fails until classified). */
export function problemClass(code: string): ProblemClass {
  return problemCodeInfo(code)?.class ?? 'failure';
}

export interface VerdictInput {
  problems: readonly Problem[];
  /** A pinned key (authority or log) vouches for the result. */
  anchored: boolean;
  /** --strict: recorded custody warnings fail. Changes nothing else. */
  strict?: boolean;
}

export interface VerdictOutcome {
  verdict: Verdict;
  /** verdict === 'VERIFIED'. */
  ok: boolean;
  /** What decided the verdict, severity "error". */
  problems: Problem[];
  /** What does not change it (or changes it only under --strict), severity "warning". */
  warnings: Problem[];
}

/** Decides the verdict; problems keep their order, re-graded by class. */
export function decideVerdict(input: VerdictInput): VerdictOutcome {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const found = new Set<ProblemClass>();
  for (const p of input.problems) {
    let c = problemClass(p.code);
    if (c === 'recorded' && input.strict) c = 'failure';
    if (c === 'recorded' || c === 'note') warnings.push({ ...p, severity: 'warning' });
    else {
      found.add(c);
      problems.push({ ...p, severity: 'error' });
    }
  }
  if (!input.anchored) found.add('unanchored');
  const verdict: Verdict = found.has('failure')
    ? 'FAILED'
    : found.has('incomplete')
      ? 'INCOMPLETE'
      : found.has('unanchored')
        ? 'UNANCHORED'
        : found.has('unwitnessed')
          ? 'UNWITNESSED'
          : 'VERIFIED';
  return { verdict, ok: verdict === 'VERIFIED', problems, warnings };
}
