/**
 * Text for the property tests of src/names: arbitrary UTF-16 (lone surrogates
 * included), and text built from the characters these keys are about:
 * combining marks, precomposed letters, Hangul, Greek and Cyrillic, ZWJ, the
 * Turkish i's, and a sample of the confusables.txt sources.
 */
import { createRequire } from 'node:module';
import { fc } from '@fast-check/vitest';

/** confusables.txt 13.0.0 as the `unhomoglyph` package holds it: source code point -> prototype. */
export const CONFUSABLES: Readonly<Record<string, string>> = createRequire(import.meta.url)(
  'unhomoglyph/data.json',
);

const SOURCES = Object.keys(CONFUSABLES);

const tricky = fc.oneof(
  fc.constantFrom(...'aAoO0lI1iıİsSßẞσςΣkK\u212aK mn-'),
  fc.integer({ min: 0x300, max: 0x36f }).map((c) => String.fromCodePoint(c)), // combining marks
  fc.integer({ min: 0xc0, max: 0x24f }).map((c) => String.fromCodePoint(c)), // Latin-1, Extended-A/B
  fc.integer({ min: 0x370, max: 0x4ff }).map((c) => String.fromCodePoint(c)), // Greek, Cyrillic
  fc.integer({ min: 0x1100, max: 0x11ff }).map((c) => String.fromCodePoint(c)), // Hangul jamo
  fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCodePoint(c)), // Hangul syllables
  fc.integer({ min: 0xff01, max: 0xff5e }).map((c) => String.fromCodePoint(c)), // fullwidth
  fc.constantFrom('\u200d', '\u200c', '\u00ad', '\u034f'),
  fc.constantFrom(...SOURCES),
);

/** Text of up to 12 tricky characters, or up to 24 arbitrary UTF-16 units. */
export const text = fc.oneof(
  fc.string({ unit: tricky, maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
);
