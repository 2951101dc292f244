/**
 * A cap on the problems a report lists never blinds the verdict (issue 24
 * item 6): flooding a report with harmless problems must not hide the one
 * failure after them, and a report that stopped counting is never VERIFIED.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/findings.js';
import { PROBLEM_INFO, type ProblemCode } from '../../src/problem-codes.js';
import { keepProblems, MAX_PROBLEMS } from '../../src/verify/report.js';
import { decideVerdict, problemClass, VERDICT_PRECEDENCE } from '../../src/verify/verdict.js';

const problem = (code: ProblemCode, seq: number | null = null): Problem => ({
  code,
  severity: 'error',
  seq,
  exhibit: null,
  message: code,
});
const isFailure = (p: Problem) => problemClass(p.code) === 'failure';
const verdictOf = (ps: readonly Problem[]) => decideVerdict({ problems: ps, anchored: true }).verdict;

describe('keepProblems', () => {
  it('keeps everything, unmarked, up to the cap', () => {
    const ps = Array.from({ length: MAX_PROBLEMS }, (_, i) => problem('COSIGNATURE_NOT_ASKED', i));
    expect(keepProblems(ps, ps.length, isFailure)).toEqual(ps);
  });

  it('a failure after a flood of warnings is kept, with the truncation marked: FAILED', () => {
    const ps = [
      ...Array.from({ length: 5000 }, (_, i) => problem('DIGEST_MISMATCH_RECORDED', i)),
      problem('STATEMENT_SIGNATURE_INVALID', 5000),
    ];
    expect(verdictOf(ps)).toBe('FAILED');
    const kept = keepProblems(ps, ps.length, isFailure);
    expect(kept.length).toBeLessThanOrEqual(MAX_PROBLEMS);
    expect(kept.map((p) => p.code).slice(-2)).toEqual(['STATEMENT_SIGNATURE_INVALID', 'PROBLEMS_TRUNCATED']);
    expect(verdictOf(kept)).toBe('FAILED');
  });

  it('a failure dropped even from memory is still kept', () => {
    const inMemory = Array.from({ length: 10 }, (_, i) => problem('COSIGNATURE_NOT_ASKED', i));
    const dropped = problem('MAP_ROOT_MISMATCH', 99);
    const kept = keepProblems(inMemory, 11, isFailure, dropped, 5);
    expect(kept.map((p) => p.code)).toEqual([
      'COSIGNATURE_NOT_ASKED',
      'COSIGNATURE_NOT_ASKED',
      'COSIGNATURE_NOT_ASKED',
      'MAP_ROOT_MISMATCH',
      'PROBLEMS_TRUNCATED',
    ]);
  });

  it('only warnings beyond the cap: INCOMPLETE, never VERIFIED', () => {
    const ps = Array.from({ length: MAX_PROBLEMS + 1 }, (_, i) => problem('COSIGNATURE_NOT_ASKED', i));
    expect(verdictOf(ps)).toBe('VERIFIED');
    expect(verdictOf(keepProblems(ps, ps.length, isFailure))).toBe('INCOMPLETE');
  });

  it('property: the kept list never decides a milder verdict than all the problems, and a cut one is never VERIFIED', () => {
    const codes = Object.keys(PROBLEM_INFO) as ProblemCode[];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...codes), { maxLength: 60 }),
        fc.integer({ min: 3, max: 40 }),
        (cs, max) => {
          const ps = cs.map((c, i) => problem(c, i));
          const kept = keepProblems(ps, ps.length, isFailure, undefined, max);
          const rank = (v: string) => VERDICT_PRECEDENCE.indexOf(v as (typeof VERDICT_PRECEDENCE)[number]);
          const all = verdictOf(ps);
          const shown = verdictOf(kept);
          if (all === 'FAILED') expect(shown).toBe('FAILED');
          else expect(rank(shown)).toBeLessThanOrEqual(rank(all));
          if (ps.length > max) expect(shown).not.toBe('VERIFIED');
          expect(kept.length).toBeLessThanOrEqual(Math.max(max, ps.length));
        },
      ),
      { numRuns: 300, seed: 6 },
    );
  });
});
