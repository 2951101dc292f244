/** Labels that read as exhibit ids (src/names/display-id.ts), refused at registration (LABEL_LOOKS_LIKE_ID). */
import { describe, expect, it } from 'vitest';
import { ids45, parse45 } from '../../src/format/short-id.js';
import { looksLikeDisplayId } from '../../src/names/display-id.js';

/** A real short id, and the same with its check symbol changed (no longer valid). */
const id = ids45('EX', new Uint8Array(32).fill(0x5a));
const last = id.at(-1)!;
const wrongCheck = id.slice(0, -1) + (last === 'Z' ? 'Y' : 'Z');

describe('looksLikeDisplayId', () => {
  it('is true for a valid short id in any case, with or without hyphens', () => {
    expect(parse45('EX', id)).toBe(id);
    expect(looksLikeDisplayId(id)).toBe(true);
    expect(looksLikeDisplayId(id.toLowerCase())).toBe(true);
    expect(looksLikeDisplayId(id.replaceAll('-', ''))).toBe(true);
    expect(looksLikeDisplayId(id.replaceAll('-', ' '))).toBe(true);
  });

  it('is true for the same shape with a wrong check symbol, or letters outside the alphabet', () => {
    expect(parse45('EX', wrongCheck)).toBeUndefined();
    expect(looksLikeDisplayId(wrongCheck)).toBe(true);
    expect(looksLikeDisplayId(wrongCheck.toLowerCase())).toBe(true);
    expect(looksLikeDisplayId('EX-HOUSE-UNITS')).toBe(true); // U is not Crockford, but reads as an id
    expect(looksLikeDisplayId('ex-00000-00000')).toBe(true);
  });

  it('is true for a full 64-hex id, which the CLI always reads as an id', () => {
    expect(looksLikeDisplayId('ab'.repeat(32))).toBe(true);
    expect(looksLikeDisplayId('AB'.repeat(32))).toBe(true);
  });

  it('is true for look-alikes of an id: fullwidth, Cyrillic letters, an en dash, a ZWJ', () => {
    expect(
      looksLikeDisplayId(id.replace(/[!-~]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0))),
    ).toBe(true);
    expect(looksLikeDisplayId(`\u0415\u0425${id.slice(2)}`)).toBe(true); // Cyrillic Е and Х
    expect(looksLikeDisplayId(id.replaceAll('-', '\u2013'))).toBe(true);
    expect(looksLikeDisplayId(`${id.slice(0, 4)}\u200d${id.slice(4)}`)).toBe(true);
  });

  it('is false for ordinary labels, including ones close to the shape', () => {
    for (const label of [
      'HDD-01',
      'Łódź-TEL-01',
      'EX-1234-5678', // four and four
      'EX-ABCDE-FGHJKL', // five and six
      'EXHIBIT-12345-67890',
      'K-ABCDE-FGHJK', // a key id's shape: not an exhibit
      'ab'.repeat(31),
      `${id} copy`,
    ])
      expect(looksLikeDisplayId(label), label).toBe(false);
  });
});
