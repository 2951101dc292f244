/** The page's catalogues (src/page/messages.ts): every key in every language, placeholders kept. */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/findings.js';
import {
  CATALOGUES,
  format,
  LANGUAGES,
  type MessageKey,
  meaningKey,
  verdictKey,
} from '../../src/page/messages.js';

const keys = Object.keys(CATALOGUES.en).sort() as MessageKey[];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the verifier page speaks en, fr, de and nl', () => {
  it.each(LANGUAGES.filter((l) => l !== 'en'))(
    '%s: every key, translated, with the same placeholders',
    (lang) => {
      const c = CATALOGUES[lang];
      expect(Object.keys(c).sort()).toEqual(keys);
      for (const k of keys) {
        expect(c[k].trim(), `${lang}.${k}`).not.toBe('');
        expect(placeholders(c[k]), `${lang}.${k}`).toEqual(placeholders(CATALOGUES.en[k]));
        // Untranslated: the English text copied (a few words are the same in both, such as "Version").
        if (CATALOGUES.en[k].length > 12)
          expect(c[k], `${lang}.${k} is the English text`).not.toBe(CATALOGUES.en[k]);
      }
      // A translation says that the legal meaning rests on the original-language record.
      expect(c.translationNote).not.toBe('');
    },
  );

  it('every verdict has its words and its meaning in every language', () => {
    const verdicts: Verdict[] = ['VERIFIED', 'FAILED', 'INCOMPLETE', 'UNANCHORED', 'UNWITNESSED'];
    for (const lang of LANGUAGES)
      for (const v of verdicts) {
        expect(CATALOGUES[lang][verdictKey(v)], `${lang} ${v}`).toBeTruthy();
        expect(CATALOGUES[lang][meaningKey(v)], `${lang} ${v}`).toBeTruthy();
      }
  });

  it('format fills placeholders and leaves unknown ones visible', () => {
    expect(format('fr', 'took', { ms: 42 })).toBe('Vérifié en 42 ms.');
    expect(format('de', 'hashing')).toContain('{percent}');
  });
});
