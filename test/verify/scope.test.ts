/**
 * scopeProblems (src/verify/scope.ts): an exhibit's verdict out of a
 * whole-ledger verification is never milder than INCOMPLETE when anything
 * failed, keeps every failure about the exhibit's events or the shared
 * commitments, and holds back only what lies outside the exhibit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/findings.js';
import { PROBLEM_CODES, type ProblemCode } from '../../src/problem-codes.js';
import { scopeProblems } from '../../src/verify/scope.js';
import { decideVerdict, problemClass } from '../../src/verify/verdict.js';

const EX = 'EX-AAAAA-AAAAA';
const scope = { exhibit: EX, events: new Set([5, 9]) };
const problem = (code: ProblemCode, seq: number | null, exhibit: string | null = null): Problem => ({
  code,
  severity: 'error',
  seq,
  exhibit,
  message: 'm',
});
const verdictOf = (ps: Problem[]) => decideVerdict({ problems: ps, anchored: true }).verdict;

describe('scopeProblems', () => {
  it('holds back a damaged entry outside the exhibit, with the map root and derived data it disturbs', () => {
    const ps = [
      problem('PAYLOAD_HASH_MISMATCH', 6),
      problem('MAP_ROOT_MISMATCH', 6),
      problem('STORE_HEAD_MISMATCH', null),
      problem('STORE_RECORD_EXTRA', null, 'EX-BBBBB-BBBBB'),
    ];
    const scoped = scopeProblems(ps, scope);
    expect(scoped.map((p) => p.code)).toEqual(Array(4).fill('OUTSIDE_EXHIBIT'));
    expect(scoped[0]!.message).toMatch(/^PAYLOAD_HASH_MISMATCH: m \(not one of EX-AAAAA-AAAAA's events/);
    expect(scoped[0]!.seq).toBe(6);
    expect(verdictOf(scoped)).toBe('INCOMPLETE');
  });

  it("keeps a failure at one of the exhibit's events, or naming it, whatever it is", () => {
    for (const p of [
      problem('PAYLOAD_HASH_MISMATCH', 9),
      problem('NOT_HOLDER', 7, EX),
      problem('STORE_RECORD_MISMATCH', null, EX),
    ])
      expect(scopeProblems([p], scope)).toEqual([p]);
  });

  it('keeps the shared commitments: a false map root over an intact entry, the tree, a checkpoint', () => {
    for (const p of [
      problem('MAP_ROOT_MISMATCH', 6),
      problem('STORE_TREE_MISMATCH', null),
      problem('STORE_HEAD_MISMATCH', null),
      problem('CHECKPOINT_ROOT_MISMATCH', null),
      problem('ENTRY_INDEX_MISMATCH', 6),
      problem('LOG_TRUNCATED', null),
    ])
      expect(verdictOf(scopeProblems([p], scope))).toBe('FAILED');
  });

  it('property: scoping never turns a list with a failure into VERIFIED, nor drops or alters one about the exhibit', () => {
    const codes = Object.keys(PROBLEM_CODES) as ProblemCode[];
    const arb = fc.array(
      fc.record({
        code: fc.constantFrom(...codes),
        seq: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
        exhibit: fc.constantFrom(null, EX, 'EX-BBBBB-BBBBB'),
      }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const ps = raw.map((r) => problem(r.code, r.seq, r.exhibit));
        const scoped = scopeProblems(ps, scope);
        expect(scoped).toHaveLength(ps.length);
        const failed = ps.some((p) => problemClass(p.code) === 'failure');
        if (failed) expect(['FAILED', 'INCOMPLETE']).toContain(verdictOf(scoped));
        ps.forEach((p, i) => {
          if (p.exhibit === EX || (p.seq !== null && scope.events.has(p.seq))) expect(scoped[i]).toEqual(p);
          if (problemClass(p.code) !== 'failure') expect(scoped[i]).toEqual(p);
        });
      }),
    );
  });
});
