/**
 * The confusable skeleton of Unicode Technical Standard #39 (Unicode Security
 * Mechanisms) §4 Confusable Detection: two strings whose skeletons are equal
 * look alike ("Pаul" with a Cyrillic а and "Paul"; "0" and "O"), and a
 * skeleton is a comparison key only, never shown (it reads "rn" for "m").
 *
 * The algorithm, as this file computes it:
 *   1. NFD;
 *   2. remove every Default_Ignorable_Code_Point (the step later revisions of
 *      §4 add to the skeleton, internalSkeleton; UTS #39 for Unicode 13.0 has
 *      none): ZWJ and ZWNJ are allowed in signed text (docs/FORMAT.md §Text)
 *      and invisible, so "Pa<ZWJ>ul" must read as "Paul";
 *   3. replace each code point by its prototype in confusables.txt, version
 *      13.0.0 (the data of the `unhomoglyph` package, 6,311 single code point
 *      sources; a code point with no line is kept);
 *   4. NFD again;
 *   5. repeat 1–4 until the result no longer changes (at most MAX_PASSES).
 *
 * `unhomoglyph` does step 3 only, and does it right: one regular expression
 * over the sources, each a single code point, replaced once, no lower-casing
 * (the skeleton is case-sensitive, as in the standard). It applies no NFD
 * before or after; this file adds steps 1, 2, 4 and 5.
 *
 * Step 5 is ours. With the 13.0.0 data one pass is not idempotent: 23
 * prototypes, once decomposed, contain a code point that is itself a source
 * (U+01C6 ǆ → "dž", whose NFD holds U+030C COMBINING CARON → U+0306; U+01F5 ǵ
 * → ģ, whose U+0327 → U+0326; U+321D → a Hangul jamo with a prototype of its
 * own). Iterating is a function of the single-pass skeleton, so every pair the
 * standard finds confusable is still found; it only joins a few more, which
 * for refusing look-alike names errs the safe way. Every source of the data
 * settles within two passes (test/names/skeleton.test.ts checks all of them).
 *
 * Unicode versions: the normalisation and the Default_Ignorable_Code_Point
 * property come from the running engine's Unicode data (process.versions.unicode),
 * the prototypes from confusables.txt 13.0.0; characters added since 13.0 have
 * no prototype and stand for themselves.
 *
 * Not in the data, so not confusable by the skeleton alone: most fullwidth
 * forms (Ｄ, Ｆ, ０–９ have no line; Ａ, Ｃ, Ｅ do), which NFKC, not NFD, maps to
 * ASCII; src/names/similar.ts compares the skeleton of the NFKC form too.
 */
import unhomoglyph from 'unhomoglyph';

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
const MAX_PASSES = 4;

const pass = (s: string): string =>
  unhomoglyph(s.normalize('NFD').replace(DEFAULT_IGNORABLE, '')).normalize('NFD');

/** The UTS #39 §4 skeleton of `s` (see above for the exact steps and data). */
export function skeleton(s: string): string {
  let x = pass(s);
  for (let i = 1; i < MAX_PASSES; i++) {
    const y = pass(x);
    if (y === x) break;
    x = y;
  }
  return x;
}
