/**
 * The text rules (docs/FORMAT.md §Text): a closed list of refused code points,
 * LF only inside free text, a closed list of white space at the ends, and the
 * ASCII-only label folding. The expected ranges are written out here again, from
 * the specification, so that a change to the exported table fails this test.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldLabel,
  isRefusedCodePoint,
  LINE_FEED,
  REFUSED_CODE_POINTS,
  textProblem,
  utf8Length,
  WHITE_SPACE_AT_ENDS,
} from '../../src/format/text.js';

/** The specification's list, [first, last] inclusive. */
const SPEC_REFUSED: [number, number][] = [
  [0x0000, 0x0009],
  [0x000b, 0x001f],
  [0x007f, 0x009f],
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200b],
  [0x200e, 0x200f],
  [0x2028, 0x2029],
  [0x202a, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xd800, 0xdfff],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfffb],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];
const SPEC_WHITE: [number, number][] = [
  [0x000a, 0x000a],
  [0x0020, 0x0020],
  [0x00a0, 0x00a0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
];

const inRanges = (ranges: readonly (readonly [number, number])[], c: number) =>
  ranges.some(([a, b]) => c >= a && c <= b);
const U = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
/** A code point as a string; surrogates as a lone UTF-16 unit. */
const ch = (c: number) => (c >= 0xd800 && c <= 0xdfff ? String.fromCharCode(c) : String.fromCodePoint(c));

const LINE = true;
const FREE = false;
const ok = (s: string, singleLine: boolean, max = 8192) => textProblem(s, max, singleLine) === undefined;

describe('the refused code points', () => {
  it('are exactly the specified ranges, sorted and disjoint', () => {
    expect(REFUSED_CODE_POINTS.map((r) => [r.first, r.last])).toEqual(SPEC_REFUSED);
    for (let i = 1; i < SPEC_REFUSED.length; i++)
      expect(SPEC_REFUSED[i]![0]).toBeGreaterThan(SPEC_REFUSED[i - 1]![1]);
    expect(WHITE_SPACE_AT_ENDS.map((r) => [r.first, r.last])).toEqual(SPEC_WHITE);
    expect(LINE_FEED).toBe(0x0a);
    expect(inRanges(SPEC_REFUSED, LINE_FEED)).toBe(false);
  });

  for (const [first, last] of SPEC_REFUSED) {
    const middle = first + Math.floor((last - first) / 2);
    const name = first === last ? U(first) : `${U(first)}–${U(last)}`;
    it(`${name} is refused at its first, a middle and its last code point, in both kinds of field`, () => {
      for (const c of new Set([first, middle, last])) {
        expect(isRefusedCodePoint(c), U(c)).toBe(true);
        for (const s of [`a${ch(c)}b`, `${ch(c)}b`, `a${ch(c)}`, ch(c)])
          for (const singleLine of [LINE, FREE]) {
            const p = textProblem(s, 8192, singleLine);
            expect(p, `${U(c)} in ${JSON.stringify(s)}`).toBeDefined();
            if (c < 0xd800 || c > 0xdfff) expect(p).toContain(U(c));
          }
      }
    });
    it(`${name}: the code points just outside are accepted unless listed themselves`, () => {
      for (const c of [first - 1, last + 1]) {
        if (c < 0 || inRanges(SPEC_REFUSED, c)) continue;
        expect(isRefusedCodePoint(c), U(c)).toBe(false);
        // Inside the text, so that white space (allowed there) is accepted too.
        expect(ok(`a${ch(c)}b`, FREE), U(c)).toBe(true);
        if (c !== LINE_FEED) expect(ok(`a${ch(c)}b`, LINE), U(c)).toBe(true);
      }
    });
  }

  it('accepts the named neighbours (U+00AC, U+00AE, U+2027, U+202F, U+205F, U+E1000, U+FFFC, U+1D172, U+1D17B)', () => {
    for (const c of [0xac, 0xae, 0x2027, 0x202f, 0x205f, 0xe1000, 0xfffc, 0x1d172, 0x1d17b, 0x1bc9f, 0x1bca4])
      for (const singleLine of [LINE, FREE]) expect(ok(`a${ch(c)}b`, singleLine), U(c)).toBe(true);
    expect(ok('\u{E1000}', LINE)).toBe(true); // a valid, unassigned code point: not refused
  });

  it('refuses TAB everywhere, free text included', () => {
    for (const singleLine of [LINE, FREE]) {
      expect(textProblem('Condition:\tgood', 8192, singleLine)).toMatch(/U\+0009/);
      expect(ok('a\tb', singleLine)).toBe(false);
    }
  });

  it('allows LF inside free text only', () => {
    expect(ok('line one\nline two', FREE)).toBe(true);
    expect(ok('one\n\ntwo', FREE)).toBe(true);
    expect(textProblem('line one\nline two', 200, LINE)).toMatch(/line break/);
    // Never at the ends: it is white space there.
    expect(textProblem('text\n', 8192, FREE)).toMatch(/white space/);
    expect(textProblem('\ntext', 8192, FREE)).toMatch(/white space/);
    expect(ok('\n', FREE)).toBe(false);
    // CR is a control character, so CR LF is refused too.
    expect(textProblem('one\r\ntwo', 8192, FREE)).toMatch(/U\+000D/);
  });

  it('accepts ZWNJ (U+200C) and ZWJ (U+200D), which Persian, Kurdish and Indic scripts need', () => {
    const persian = '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645'; // می‌خواهم
    const kurdish = '\u06a9\u0648\u0631\u062f\u06cc\u200c\u06cc'; // with ZWNJ
    const devanagari = '\u0915\u094d\u200d\u0937'; // क्‍ष
    const emoji = '\u{1F469}\u200d\u{1F52C}'; // woman scientist
    for (const s of [persian, kurdish, devanagari, emoji, '\u200c', '\u200d', `a\u200c`, `\u200db`])
      for (const singleLine of [LINE, FREE]) expect(ok(s, singleLine), JSON.stringify(s)).toBe(true);
    expect(isRefusedCodePoint(0x200c)).toBe(false);
    expect(isRefusedCodePoint(0x200d)).toBe(false);
  });

  it('looks astral characters up as code points, never as UTF-16 units', () => {
    // Every astral character is two surrogate units, which alone are refused.
    for (const s of [
      '\u{1F600}',
      '\u{20BB7}\u91ce\u5bb6',
      '\u{10000}',
      '\u{10FFFF}',
      '\u{1D172}',
      '\u{E1000}',
    ])
      for (const singleLine of [LINE, FREE]) expect(ok(s, singleLine), JSON.stringify(s)).toBe(true);
    // U+E0001 is D B 4 0 / D C 0 1: refused as the code point it is, and named so.
    expect(textProblem('a\u{E0001}b', 200, LINE)).toContain('U+E0001');
    expect(textProblem('\u{1D173}', 200, LINE)).toContain('U+1D173');
    expect(textProblem('\u{1BCA3}', 200, LINE)).toContain('U+1BCA3');
  });

  it('refuses lone and reversed surrogates', () => {
    for (const s of ['\ud800', 'a\udc00', '\udbff\udbff', '\udc00\ud800', 'x\ud83d', '\ude00x', 'ok\ud83d'])
      for (const singleLine of [LINE, FREE]) expect(ok(s, singleLine), JSON.stringify(s)).toBe(false);
  });

  it('refuses what trim() once or elsewhere calls white space through the closed list, not trim', () => {
    // U+180E was white space before Unicode 6.3; U+0085 is in Unicode's White_Space but not trim's.
    for (const c of [0x180e, 0x0085, 0x2028, 0x2029, 0xfeff, 0x0b, 0x0c, 0x0d])
      expect(textProblem(`a${ch(c)}b`, 200, FREE), U(c)).toContain(U(c));
  });
});

describe('white space at the ends', () => {
  for (const [first, last] of SPEC_WHITE)
    for (const c of new Set([first, last]))
      it(`${U(c)} may not begin or end a text, but may stand inside free text`, () => {
        for (const singleLine of [LINE, FREE]) {
          expect(textProblem(`${ch(c)}HDD-01`, 200, singleLine)).toBeDefined();
          expect(textProblem(`HDD-01${ch(c)}`, 200, singleLine)).toBeDefined();
        }
        expect(ok(`HDD${ch(c)}01`, FREE)).toBe(true);
        if (c !== LINE_FEED) {
          expect(ok(`HDD${ch(c)}01`, LINE)).toBe(true);
          expect(textProblem(`${ch(c)}HDD-01`, 200, LINE)).toMatch(/white space/);
        }
      });

  it('are not anything else: other characters may begin and end a text', () => {
    for (const s of ['\u200cx\u200d', '\u3001x\u3002', '\u2800', '_x_', '\u{1F600}x\u{1F600}', '\u0301x'])
      expect(ok(s, LINE), JSON.stringify(s)).toBe(true);
  });
});

describe('lengths', () => {
  it('count UTF-8 bytes, astral characters as 4', () => {
    expect(ok('\u00fc'.repeat(100), LINE, 200)).toBe(true);
    expect(textProblem('\u00fc'.repeat(101), 200, LINE)).toMatch(/longer than 200 bytes/);
    expect(ok('\u{1F600}'.repeat(50), LINE, 200)).toBe(true);
    expect(textProblem(`${'\u{1F600}'.repeat(50)}x`, 200, LINE)).toMatch(/longer/);
    expect(textProblem('', 200, LINE)).toBe('is empty');
    expect(textProblem('', 8192, FREE)).toBe('is empty');
  });

  it('utf8Length agrees with the UTF-8 encoder, lone surrogates as U+FFFD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
      }),
    );
    for (const s of ['\ud800', '\ud800x', 'x\udc00', '\udc00\ud800', '\ud83d\ude00'])
      expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });
});

describe('foldLabel', () => {
  it('folds ASCII A–Z only, nothing else', () => {
    expect(foldLabel('HDD-01')).toBe('hdd-01');
    expect(foldLabel('Łódź-TEL-01')).toBe('Łódź-tel-01');
    expect(foldLabel('ŁÓDŹ')).toBe('ŁÓdŹ'); // only the ASCII D is folded
    expect(foldLabel('İSTANBUL-1')).toBe('İstanbul-1'); // Turkish dotted capital I untouched
    expect(foldLabel('ıi')).toBe('ıi'); // dotless i untouched
    expect(foldLabel('STRAẞE-ß')).toBe('straẞe-ß'); // ẞ and ß untouched, never "ss"
    expect(foldLabel('ΣΟΦΙΑ')).toBe('ΣΟΦΙΑ');
    expect(foldLabel('ＡＢＣ')).toBe('ＡＢＣ'); // fullwidth letters are not ASCII
    expect(foldLabel('KELVIN-\u212a')).toBe('kelvin-\u212a'); // KELVIN SIGN stays
    expect(foldLabel('@[`{')).toBe('@[`{'); // the neighbours of A–Z and a–z
    expect(foldLabel('')).toBe('');
  });

  it('is the identity on everything but A–Z, keeps the length, and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const f = foldLabel(s);
        expect(f.length).toBe(s.length);
        expect(foldLabel(f)).toBe(f);
        for (let i = 0; i < s.length; i++) {
          const c = s.charCodeAt(i);
          expect(f.charCodeAt(i)).toBe(c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
        }
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// Property: the checker agrees with a naive reading of the table.

type Verdict = 'empty' | 'long' | `refused ${string}` | 'line' | 'ends' | 'ok';

/** The rules as written in docs/FORMAT.md §Text, by code point, with no cleverness. */
function reference(s: string, maxBytes: number, singleLine: boolean): Verdict {
  if (s.length === 0) return 'empty';
  // for…of yields code points, and a lone surrogate as itself.
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const bytes = cps.reduce((n, c) => n + (c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4), 0);
  if (bytes > maxBytes) return 'long';
  const refused = cps.find((c) => inRanges(SPEC_REFUSED, c));
  if (refused !== undefined) return `refused ${U(refused)}`;
  if (singleLine && cps.includes(0x0a)) return 'line';
  if (inRanges(SPEC_WHITE, cps[0]!) || inRanges(SPEC_WHITE, cps.at(-1)!)) return 'ends';
  return 'ok';
}

function verdictOf(p: string | undefined): Verdict {
  if (p === undefined) return 'ok';
  if (p === 'is empty') return 'empty';
  if (p.startsWith('is longer than')) return 'long';
  const m = /^contains (U\+[0-9A-F]{4,6}),/.exec(p);
  if (m) return `refused ${m[1]}`;
  if (p.startsWith('contains a line break')) return 'line';
  if (p === 'has leading or trailing white space') return 'ends';
  throw new Error(`unexpected reason ${p}`);
}

// Characters the rules care about: both ends of every range and their neighbours,
// white space, LF, ZWNJ/ZWJ, lone surrogates; plus ASCII and arbitrary code points.
const edges = [...SPEC_REFUSED, ...SPEC_WHITE]
  .flatMap(([a, b]) => [a - 1, a, b, b + 1])
  .concat([0x200c, 0x200d, 0x0a, 0x09, 0x10ffff]);
const interesting = fc.constantFrom(...edges.filter((c) => c >= 0 && c <= 0x10ffff).map(ch));
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: interesting },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 0x10ffff }).map(ch) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
);
const text = fc.array(unit, { maxLength: 24 }).map((parts) => parts.join(''));

describe('textProblem, by property', () => {
  it('agrees with the naive reference on random strings', () => {
    fc.assert(
      fc.property(text, fc.boolean(), fc.integer({ min: 1, max: 64 }), (s, singleLine, max) => {
        expect(verdictOf(textProblem(s, max, singleLine))).toBe(reference(s, max, singleLine));
      }),
      { numRuns: 5000 },
    );
  });

  it('agrees with the table for every BMP code point and every astral range edge', () => {
    for (let c = 0; c <= 0xffff; c++) expect(isRefusedCodePoint(c)).toBe(inRanges(SPEC_REFUSED, c));
    for (const c of edges.filter((x) => x > 0xffff && x <= 0x10ffff))
      expect(isRefusedCodePoint(c), U(c)).toBe(inRanges(SPEC_REFUSED, c));
  });
});
