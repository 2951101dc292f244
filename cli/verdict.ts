/**
 * What the three verifying commands (`verify`, `verify-bundle`, `report`)
 * share (docs/CLI.md §Verdicts): the top of their --json document, and the
 * one-line error a verdict other than VERIFIED ends with (its exit code comes
 * from ./exit.ts).
 */
import { CustodyError } from '../src/errors.js';
import type { Problem } from '../src/verify/report.js';
import type { Verdict } from '../src/verify/verdict.js';
import { VERDICT_EXIT } from './exit.js';

export interface VerdictTop {
  ok: boolean;
  verdict: Verdict;
  anchored: boolean;
  problems: Problem[];
  warnings: Problem[];
}

const WHY: Record<Exclude<Verdict, 'VERIFIED'>, string> = {
  FAILED: 'verification failed',
  INCOMPLETE: 'verification is incomplete',
  UNANCHORED: 'not anchored: no pinned key vouches for this',
  UNWITNESSED: 'not witnessed: the cosignatures asked for are missing',
};

/**
 * The error a verdict other than VERIFIED ends the command with; undefined
 * for VERIFIED. `detail` says what failed (by default the number of problems
 * and the first).
 */
export function verdictError(
  v: Pick<VerdictTop, 'verdict' | 'problems'>,
  detail?: string,
): CustodyError | undefined {
  if (v.verdict === 'VERIFIED') return undefined;
  const first = v.problems[0];
  const n = v.problems.length;
  const counted = first
    ? `${n} problem${n === 1 ? '' : 's'}, first ${first.code}${first.seq !== null ? ` at entry ${first.seq}` : ''}`
    : '';
  const why = detail ? `${detail}${counted ? ` (${counted})` : ''}` : counted;
  return new CustodyError(
    VERDICT_EXIT[v.verdict].code,
    `${WHY[v.verdict]}${why ? `: ${why}` : ''}`,
    'verification',
  );
}
