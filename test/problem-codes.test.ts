/**
 * The one table of problem codes (src/problem-codes.ts): every code has an
 * area and a class, the bundle checks, the verdict and the report read it,
 * and docs/ERRORS.md §Problem codes by area and class says the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { refuse } from '../src/custody/judgement.js';
import type { Problem } from '../src/findings.js';
import type { FormatErrorCode } from '../src/format/format-error.js';
import {
  type BundleCheck,
  isProblemCode,
  PROBLEM_AREAS,
  PROBLEM_CODES,
  PROBLEM_INFO,
  type ProblemArea,
  type ProblemClass,
  type ProblemCode,
  problemCodeInfo,
  problemCodeOf,
} from '../src/problem-codes.js';
import { problemArea } from '../src/report/model-areas.js';
import { CHECKS_V2, type CheckIdV2, checkOf } from '../src/verify/bundle-v2-checks.js';
import { decideVerdict, problemClass } from '../src/verify/verdict.js';

const CLASSES: readonly ProblemClass[] = [
  'failure',
  'incomplete',
  'unanchored',
  'unwitnessed',
  'recorded',
  'note',
];
const CODES = Object.keys(PROBLEM_CODES) as ProblemCode[];
const CHECK_IDS: readonly string[] = CHECKS_V2.map(([id]) => id);

describe('the table of problem codes', () => {
  it('gives every code an area and a class, and only known bundle checks', () => {
    expect(CODES.length).toBeGreaterThan(100);
    for (const code of CODES) {
      const info = PROBLEM_INFO[code];
      expect(Object.keys(PROBLEM_AREAS), code).toContain(info.area);
      expect(CLASSES, code).toContain(info.class);
      if (info.check !== undefined) expect(CHECK_IDS, code).toContain(info.check);
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
  });

  it('uses every area, and every bundle check has codes', () => {
    const used = new Set(CODES.map((c) => PROBLEM_INFO[c].area));
    expect([...used].sort()).toEqual(Object.keys(PROBLEM_AREAS).sort());
    for (const id of CHECK_IDS)
      expect(
        CODES.filter((c) => PROBLEM_INFO[c].check === id),
        id,
      ).not.toEqual([]);
  });

  it('names the same bundle checks as the verifier lists', () => {
    expectTypeOf<CheckIdV2>().toEqualTypeOf<BundleCheck>();
    expect(new Set(CHECK_IDS).size).toBe(CHECKS_V2.length);
  });

  it('puts every code a bundle check lists in the table, and each code in one check', () => {
    const byCheck = new Map<string, ProblemCode[]>();
    for (const code of CODES) {
      const check = checkOf(code);
      expect(CHECK_IDS, code).toContain(check);
      byCheck.set(check, [...(byCheck.get(check) ?? []), code]);
      // A code without a check is one only the whole-ledger verifier reports.
      expect(check).toBe(PROBLEM_INFO[code].check ?? 'custody-rules');
    }
    for (const codes of byCheck.values()) for (const code of codes) expect(isProblemCode(code)).toBe(true);
    expect([...byCheck.values()].flat().sort()).toEqual([...CODES].sort());
  });

  it('types what carries a code: Problem, refuse() and every decoder code', () => {
    expectTypeOf<Problem['code']>().toEqualTypeOf<ProblemCode>();
    expectTypeOf<Parameters<typeof refuse>[0]>().toEqualTypeOf<ProblemCode>();
    // The verifiers pass FormatError codes on as strings; each they can meet must be classified.
    // STATEMENT_FILE_INVALID is a statement file's own (src/format/statement-file.ts), read by the
    // CLI before submitting and never by a verifier; any other new decoder code fails here.
    expectTypeOf<Exclude<FormatErrorCode, 'STATEMENT_FILE_INVALID'>>().toExtend<ProblemCode>();
  });

  it('only these codes are not failures', () => {
    const notFailures = Object.fromEntries(
      CODES.filter((c) => PROBLEM_INFO[c].class !== 'failure').map((c) => [c, PROBLEM_INFO[c].class]),
    );
    expect(notFailures).toEqual({
      BUNDLE_TOO_LARGE: 'incomplete',
      SOURCE_FAILED: 'incomplete',
      PROBLEMS_TRUNCATED: 'incomplete',
      OUTSIDE_EXHIBIT: 'incomplete',
      KIND_UNKNOWN: 'incomplete',
      BODY_VERSION_UNKNOWN: 'incomplete',
      PAYLOAD_TYPE_UNKNOWN: 'incomplete',
      RECORD_KIND_UNKNOWN: 'incomplete',
      TIMESTAMP_NOT_CHECKED: 'note',
      TRUST_NOT_PINNED: 'unanchored',
      ANCHOR_MISMATCH: 'unanchored',
      ANCHOR_KEY_UNMATCHED: 'unanchored',
      LOG_KEY_MISMATCH: 'unanchored',
      LOG_KEY_NOT_LISTED: 'unanchored',
      ALGORITHM_SUNSET: 'unanchored',
      WITNESS_QUORUM: 'unwitnessed',
      COSIGNATURE_MISSING: 'unwitnessed',
      COSIGNATURE_NOT_ASKED: 'note',
      AUDITOR_QUORUM: 'unwitnessed',
      PQ_QUORUM: 'unwitnessed',
      EVIDENCE_TOO_OLD: 'incomplete',
      EXHIBIT_CHANGED_SINCE: 'incomplete',
      DIGEST_MISMATCH_RECORDED: 'recorded',
      SEAL_BROKEN_RECORDED: 'recorded',
      JOURNEY_LEDGER_UNTRUSTED: 'unanchored',
      JOURNEY_SEGMENT_MISSING: 'incomplete',
    });
    for (const code of CODES) expect(problemClass(code)).toBe(PROBLEM_INFO[code].class);
  });

  it('fails, and claims less for, a code it does not know, including Object.prototype names', () => {
    for (const unknown of ['SOMETHING_NEW', '', 'toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(isProblemCode(unknown), unknown).toBe(false);
      expect(problemCodeInfo(unknown), unknown).toBeUndefined();
      expect(problemClass(unknown), unknown).toBe('failure');
      expect(problemArea(unknown), unknown).toBe('core');
    }
    const p = { code: 'toString', severity: 'warning', seq: null, exhibit: null, message: '' } as const;
    // A verdict read back from JSON may carry any string: an unknown one still fails.
    expect(decideVerdict({ problems: [p as unknown as Problem], anchored: true }).verdict).toBe('FAILED');
  });

  it('narrows a runtime code, falling back to a documented generic code with the original kept', () => {
    expect(problemCodeOf('NOT_HOLDER', 'm')).toEqual({ code: 'NOT_HOLDER', message: 'm' });
    expect(problemCodeOf('NOTE_KEY_INVALID', 'm')).toEqual({
      code: 'VERIFIER_FAILED',
      message: 'NOTE_KEY_INVALID: m',
    });
    expect(problemCodeOf('NOTE_KEY_INVALID', 'm', 'CHECKPOINT_INVALID').code).toBe('CHECKPOINT_INVALID');
  });
});

/** docs/ERRORS.md as table rows: the cells of every line that starts with "| ". */
const ERRORS = readFileSync(new URL('../docs/ERRORS.md', import.meta.url), 'utf8');
const section = (title: string) => {
  const start = ERRORS.indexOf(`\n## ${title}\n`);
  expect(start, title).toBeGreaterThan(0);
  const end = ERRORS.indexOf('\n## ', start + 1);
  return ERRORS.slice(start, end < 0 ? undefined : end);
};
const rows = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !/^\| -/.test(l))
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
const unquote = (cell: string | undefined) => (cell ?? '').replace(/^`|`$/g, '');

describe('docs/ERRORS.md §Problem codes by area and class', () => {
  const own = rows(section('Problem codes by area and class'));

  it('lists every code of the table with the same area, class and bundle check, and no other', () => {
    const documented = own
      .filter((r) => r.length === 4 && r[0] !== 'Code')
      .map(([code, area, cls, check]) => [
        unquote(code),
        { area: unquote(area), class: unquote(cls), check: check === '—' ? undefined : unquote(check) },
      ]);
    const table = CODES.map((c) => [
      c,
      { area: PROBLEM_INFO[c].area, class: PROBLEM_INFO[c].class, check: PROBLEM_INFO[c].check },
    ]);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(table));
    expect(documented.length).toBe(CODES.length);
  });

  it('describes every area, with the report area its codes get', () => {
    const areas = own.filter((r) => r.length === 3 && r[0] !== 'Area');
    expect(areas.map((r) => unquote(r[0])).sort()).toEqual(Object.keys(PROBLEM_AREAS).sort());
    for (const [area, , reportArea] of areas)
      for (const code of CODES.filter((c) => PROBLEM_INFO[c].area === (unquote(area) as ProblemArea)))
        expect(problemArea(code), code).toBe(reportArea);
  });

  it('agrees with the All codes table: every code it shows as a problem is in the table, and back', () => {
    const all = rows(section('All codes')).filter((r) => r.length === 5 && /^`[A-Z0-9_]+`$/.test(r[1] ?? ''));
    const problems = new Set(all.filter((r) => /\bproblem\b/.test(r[3] ?? '')).map((r) => unquote(r[1])));
    expect([...problems].filter((c) => !isProblemCode(c))).toEqual([]);
    expect(CODES.filter((c) => !problems.has(c))).toEqual([]);
  });
});
