/**
 * The comparison keys of names and labels (src/names/keys.ts): NFC for names,
 * NFC and case-insensitive for labels, and the label key never splits what the
 * ledger's own label index (foldLabel) joins.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { foldLabel } from '../../src/format/text.js';
import { labelKey, nameKey } from '../../src/names/keys.js';
import { text } from './arbitraries.js';

const NAME = 'KHK J\u00fcrgen M\u00fcller'; // precomposed ü (NFC)
const NAME_NFD = 'KHK Ju\u0308rgen Mu\u0308ller'; // u + COMBINING DIAERESIS, as macOS input gives
const LABEL = '\u0141\u00f3d\u017a-TEL-01'; // Łódź-TEL-01 in NFC
const LABEL_NFD = '\u0141o\u0301dz\u0301-TEL-01'; // ó and ź decomposed; Ł has no decomposition

describe('nameKey', () => {
  it('is the same for the NFC and NFD spellings of a name, which differ as strings', () => {
    expect(NAME_NFD).not.toBe(NAME);
    expect(NAME_NFD.length).toBe(NAME.length + 2);
    expect(nameKey(NAME_NFD)).toBe(NAME);
    expect(nameKey(NAME)).toBe(NAME);
  });

  it('keeps case and look-alikes apart: it is canonical equivalence only', () => {
    expect(nameKey('khk jürgen müller')).not.toBe(nameKey(NAME));
    expect(nameKey('P\u0430ul')).not.toBe(nameKey('Paul')); // Cyrillic а
    expect(nameKey('\uff30aul')).not.toBe(nameKey('Paul')); // fullwidth Ｐ: compatibility, not canonical
  });

  test.prop([text])('is idempotent and equal for the NFC and NFD forms', (s) => {
    expect(nameKey(nameKey(s))).toBe(nameKey(s));
    expect(nameKey(s.normalize('NFD'))).toBe(nameKey(s));
  });
});

describe('labelKey', () => {
  it('joins the NFC and NFD spellings of Łódź-TEL-01 and its cases (Ł is not decomposable, but it has a case)', () => {
    expect(LABEL_NFD.normalize('NFC')).toBe(LABEL);
    expect('\u0141'.normalize('NFD')).toBe('\u0141');
    for (const typed of [LABEL, LABEL_NFD, 'łódź-tel-01', 'ŁÓDŹ-TEL-01', 'ło\u0301dz\u0301-tel-01'])
      expect(labelKey(typed)).toBe('łódź-tel-01');
    expect(labelKey('Lodz-TEL-01')).not.toBe(labelKey(LABEL)); // no accent stripping
  });

  it('folds case beyond ASCII, independently of the locale', () => {
    expect(labelKey('HDD-01')).toBe('hdd-01');
    expect(labelKey('ΣΟΦΙΑ')).toBe(labelKey('σοφια'));
    expect(labelKey('ΟΔΟΣ')).toBe(labelKey('οδοσ')); // the final sigma, however it was typed
    expect(labelKey('STRASSE-7')).toBe(labelKey('Straße-7')); // ß folds with ss, as in full case folding
    expect(labelKey('STRAẞE-7')).toBe(labelKey('strasse-7'));
    expect(labelKey('\u212a-9')).toBe('k-9'); // KELVIN SIGN
    expect(labelKey('\ufb01le-1')).toBe('file-1'); // the ﬁ ligature
    expect(labelKey('ＡＢＣ')).toBe('ａｂｃ'); // fullwidth letters fold among themselves, not to ASCII
  });

  it('reads the Turkish i without Turkish tailoring: İ is i + U+0307, ı folds with i', () => {
    expect(labelKey('İSTANBUL-1')).toBe('i\u0307stanbul-1');
    expect(labelKey('İSTANBUL-1')).not.toBe(labelKey('istanbul-1'));
    expect(labelKey('ISTANBUL-1')).toBe('istanbul-1'); // not ıstanbul, whatever the locale
    expect(labelKey('ıstanbul-1')).toBe('istanbul-1'); // the one place it joins more than full folding
  });

  test.prop([text])('is idempotent, and NFC-, NFD- and case-blind', (s) => {
    const k = labelKey(s);
    expect(labelKey(k)).toBe(k);
    expect(labelKey(s.normalize('NFD'))).toBe(k);
    // Case-blind for text as typed (the CLI hands it over in NFC). Not for any UTF-16:
    // U+0345 then U+0300, out of canonical order, upper-cases to Ι + U+0300, which composes.
    const nfc = s.normalize('NFC');
    expect(labelKey(nfc.toUpperCase())).toBe(k);
    expect(labelKey(nfc.toLowerCase())).toBe(k);
  });

  test.prop([text, fc.array(fc.boolean(), { maxLength: 24 })])(
    'joins every two labels the ledger index (foldLabel) joins',
    (s, flips) => {
      // The same text with some ASCII letters in the other case: foldLabel makes them one key.
      const t = [...s]
        .map((c, i) => (/[A-Za-z]/.test(c) && flips[i] ? (c < 'a' ? c.toLowerCase() : c.toUpperCase()) : c))
        .join('');
      expect(foldLabel(t)).toBe(foldLabel(s));
      expect(labelKey(t)).toBe(labelKey(s));
    },
  );
});
