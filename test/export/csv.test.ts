/**
 * CSV tables (src/export/csv.ts): RFC 4180 writing with the formula-injection guard, and a
 * strict reader that gives back exactly the guarded cells; what else a reader might guess
 * at (bare LF, stray quotes, ragged rows, a BOM) is refused.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { FORMULA_STARTS, guardCell, readCsv, writeCsv } from '../../src/export/csv.js';

// Cells rich in what CSV must escape or guard, and in text beyond ASCII.
const cell = fc.string({
  unit: fc.oneof(
    fc.constantFrom(',', '"', '\r', '\n', '=', '+', '-', '@', '\t', "'", ' ', 'a', 'Z', '0'),
    fc.constantFrom('é', 'Ł', 'ß', '中', '😀'),
  ),
  maxLength: 12,
});
const table = fc
  .integer({ min: 1, max: 5 })
  .chain((w) =>
    fc.tuple(
      fc.array(cell, { minLength: w, maxLength: w }),
      fc.array(fc.array(cell, { minLength: w, maxLength: w }), { maxLength: 6 }),
    ),
  );

const invalid = (text: string) => {
  try {
    readCsv(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).code).toBe('CSV_INVALID');
    return true;
  }
  return false;
};

describe('CSV tables', () => {
  test.prop([table], { numRuns: 500 })(
    'read back as the guarded cells that were written',
    ([header, rows]) => {
      const text = writeCsv(header, rows);
      expect(readCsv(text)).toEqual([header, ...rows].map((r) => r.map(guardCell)));
    },
  );

  test.prop([table], { numRuns: 300 })(
    'end every row with CRLF, and hold no CR or LF outside quotes, nor a cell that starts a formula',
    ([header, rows]) => {
      const text = writeCsv(header, rows);
      expect(text.endsWith('\r\n')).toBe(true);
      // Outside quoted fields (every other piece between quotes), line breaks are CRLF only.
      const outside = text
        .split('"')
        .filter((_, i) => i % 2 === 0)
        .join('');
      expect(outside.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
      for (const r of readCsv(text))
        for (const c of r) expect(FORMULA_STARTS.includes(c.charAt(0)), JSON.stringify(c)).toBe(false);
    },
  );

  it('quotes, doubles quotes and guards as RFC 4180 and OWASP say', () => {
    expect(
      writeCsv(
        ['a', 'b', 'c'],
        [
          ['x,y', 'say "hi"', 'two\nlines'],
          ['=1+1', '@SUM(A1)', '-3'],
          ['+31 20', "'quoted", 'plain'],
        ],
      ),
    ).toBe(
      'a,b,c\r\n"x,y","say ""hi""","two\nlines"\r\n\'=1+1,\'@SUM(A1),\'-3\r\n\'+31 20,\'quoted,plain\r\n',
    );
    // A row of one empty field is not a blank line.
    expect(writeCsv(['h'], [[''], ['x']])).toBe('h\r\n""\r\nx\r\n');
    expect(readCsv('h\r\n""\r\nx\r\n')).toEqual([['h'], [''], ['x']]);
    expect(readCsv('a,b\r\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(readCsv('')).toEqual([]);
    expect(() => writeCsv(['a', 'b'], [['only one']])).toThrow(CustodyError);
    expect(() => writeCsv([], [])).toThrow(CustodyError);
  });

  it('refuses what it would not write', () => {
    expect(invalid('a,b\r\n1,2\r\n')).toBe(false);
    for (const t of [
      '\ufeffa,b\r\n',
      'a,b\n1,2\n',
      'a,b\r1,2\r\n',
      'a,b\r\n1,2,3\r\n',
      'a,b\r\n1\r\n',
      'a,"b\r\n',
      'a,b"c\r\n',
      'a,"b"c\r\n',
      'a,"b" \r\n',
      'a,b\r\n\r\n',
    ])
      expect(invalid(t), JSON.stringify(t)).toBe(true);
  });
});
