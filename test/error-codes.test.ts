/**
 * The one list of error codes (src/error-codes.ts): with the problem codes
 * (src/problem-codes.ts) it types CustodyError.code, docs/ERRORS.md §All codes
 * lists the same codes, and a code a server sends is narrowed to it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, isErrorCode, VERDICT_CODES } from '../src/error-codes.js';
import {
  CustodyError,
  type CustodyErrorCode,
  type inputError,
  isCustodyErrorCode,
  serverCodeOf,
  UNKNOWN_SERVER_CODE,
} from '../src/errors.js';
import type { FormatErrorCode } from '../src/format/format-error.js';
import { isProblemCode, PROBLEM_CODES, type ProblemCode } from '../src/problem-codes.js';

const CODES: readonly ErrorCode[] = ERROR_CODES;
const PROBLEMS = Object.keys(PROBLEM_CODES) as ProblemCode[];
const UNKNOWN = ['SOMETHING_NEW', '', 'toString', '__proto__', 'constructor', 'hasOwnProperty', 'usage'];

describe('the list of error codes', () => {
  it('holds each code once, shaped like a code, and none that is a problem code', () => {
    expect(CODES.length).toBeGreaterThan(100);
    expect(new Set(CODES).size).toBe(CODES.length);
    for (const code of CODES) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(isErrorCode(code), code).toBe(true);
      // A code both thrown and reported is declared once, in src/problem-codes.ts.
      expect(isProblemCode(code), code).toBe(false);
    }
    for (const code of PROBLEMS) expect(isErrorCode(code), code).toBe(false);
  });

  it('knows no other string, including Object.prototype names', () => {
    for (const code of UNKNOWN) {
      expect(isErrorCode(code), code).toBe(false);
      expect(isCustodyErrorCode(code), code).toBe(false);
    }
    expect(isCustodyErrorCode('NOT_HOLDER')).toBe(true);
    expect(isCustodyErrorCode('USAGE')).toBe(true);
  });

  it('types every CustodyError code with it and the problem codes, so a misspelt code does not compile', () => {
    expectTypeOf<CustodyErrorCode>().toEqualTypeOf<ErrorCode | ProblemCode>();
    expectTypeOf<CustodyError['code']>().toEqualTypeOf<CustodyErrorCode>();
    expectTypeOf<ConstructorParameters<typeof CustodyError>[0]>().toEqualTypeOf<CustodyErrorCode>();
    expectTypeOf<Parameters<typeof inputError>[0]>().toEqualTypeOf<CustodyErrorCode>();
    expectTypeOf<FormatErrorCode>().toExtend<CustodyErrorCode>();
    // @ts-expect-error a code declared nowhere
    expect(new CustodyError('NOT_HOLDR', 'm', 'custody').code).toBe('NOT_HOLDR');
  });

  it('includes the verdict codes, which cli/exit.ts maps to exit codes of their own', () => {
    for (const code of VERDICT_CODES) expect(CODES).toContain(code);
  });
});

describe('a code from a server (serverCodeOf)', () => {
  it('keeps an error code or a problem code it knows', () => {
    for (const code of ['LEDGER_MOVED', 'NOT_FOUND', 'INTERNAL', 'NOT_HOLDER', 'BODY_SCHEMA'])
      expect(serverCodeOf(code, 'm')).toEqual({ code, message: 'm' });
  });

  it('makes any other SERVER_ERROR, the original code kept before the message when shaped like one', () => {
    expect(UNKNOWN_SERVER_CODE).toBe('SERVER_ERROR');
    expect(serverCodeOf('SOMETHING_NEW', 'm')).toEqual({ code: 'SERVER_ERROR', message: 'SOMETHING_NEW: m' });
    for (const code of UNKNOWN.filter((c) => !/^[A-Z]/.test(c)))
      expect(serverCodeOf(code, 'm'), code).toEqual({ code: 'SERVER_ERROR', message: 'm' });
    // No control characters or overlong text smuggled into the error line through the code.
    expect(serverCodeOf('A\u001b[2J', 'm')).toEqual({ code: 'SERVER_ERROR', message: 'm' });
    expect(serverCodeOf(`A${'B'.repeat(64)}`, 'm')).toEqual({ code: 'SERVER_ERROR', message: 'm' });
  });

  it('never takes a verdict code from a server: only this program ends with one', () => {
    for (const code of VERDICT_CODES)
      expect(serverCodeOf(code, 'm')).toEqual({ code: 'SERVER_ERROR', message: `${code}: m` });
  });
});

/** docs/ERRORS.md as table rows: the cells of every line that starts with "| ". */
const ERRORS = readFileSync(new URL('../docs/ERRORS.md', import.meta.url), 'utf8');
/** The text under a heading (the whole line, or its start before " ("), up to the next heading. */
const section = (title: string) => {
  const lines = ERRORS.split('\n');
  const start = lines.findIndex((l) => l === title || l.startsWith(`${title} (`));
  expect(start, title).toBeGreaterThan(0);
  const end = lines.findIndex((l, i) => i > start && /^#{1,3} /.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
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
const codeRows = (title: string, cells: number, column: number) =>
  rows(section(title)).filter((r) => r.length === cells && /^`[A-Z0-9_]+`$/.test(r[column] ?? ''));

/** "Appears as" of a code never thrown: reported as a problem or a proof's reason only, or retired. */
const NEVER_THROWN = /^(problem( \([^)]*\))?|proof reason|— \(no longer reported\))$/;

describe('docs/ERRORS.md §All codes', () => {
  const all = codeRows('## All codes', 5, 1).map(([, code, category, appearsAs]) => ({
    code: unquote(code),
    category: category ?? '',
    thrown: !NEVER_THROWN.test(appearsAs ?? ''),
  }));

  it('lists every error code once, as thrown, with a category and exit code', () => {
    const listed = all.map((r) => r.code);
    for (const code of CODES) {
      expect(listed.filter((c) => c === code).length, code).toBe(1);
      const row = all.find((r) => r.code === code);
      expect(row?.thrown, code).toBe(true);
      expect(row?.category, code).toMatch(/^(input|custody|unavailable|verification|internal|—) \/ \d+/);
    }
  });

  it('lists as thrown no code that is neither an error code nor a problem code', () => {
    expect(all.filter((r) => r.thrown && !isCustodyErrorCode(r.code)).map((r) => r.code)).toEqual([]);
  });

  it('shows every code it lists as thrown and not a problem code in the list, and back', () => {
    const documented = all.filter((r) => r.thrown && !isProblemCode(r.code)).map((r) => r.code);
    expect([...documented].sort()).toEqual([...CODES].sort());
  });

  it('lists as never thrown only problem codes and proof reasons', () => {
    const reasons = codeRows('### Proof verification reasons', 2, 0).map(([code]) => unquote(code));
    const never = all.filter((r) => !r.thrown && !isProblemCode(r.code) && !reasons.includes(r.code));
    expect(never.map((r) => r.code)).toEqual(['STORE_UNREADABLE']);
    // A proof's reason (MAP_PROOF_*) is a value returned, never a CustodyError's code.
    const reasonsOnly = reasons.filter((c) => !all.some((r) => r.code === c && r.thrown));
    expect(reasonsOnly.length).toBeGreaterThan(5);
    for (const code of reasonsOnly) expect(isCustodyErrorCode(code), code).toBe(false);
  });
});

describe('the other tables of refusals in docs/ERRORS.md', () => {
  it.each([
    ['### Refusals of the exporter', 3],
    ['### Refusals', 4],
  ])('lists under %s only codes a CustodyError may carry', (title, cells) => {
    const codes = codeRows(title, cells, 0).map(([code]) => unquote(code));
    expect(codes.length, title).toBeGreaterThan(5);
    expect(codes.filter((c) => !isCustodyErrorCode(c))).toEqual([]);
  });
});
