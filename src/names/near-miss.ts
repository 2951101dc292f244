/**
 * The names a person probably meant when a look-up found nothing ("no actor
 * named X; did you mean: A (K-…)?"): a hint in a message, never a match. The
 * CLI still refuses the command; the person retypes, or types the id shown.
 */
import { labelKey } from './keys.js';
import { skeleton } from './skeleton.js';

/**
 * The optimal string alignment distance (Damerau–Levenshtein restricted to
 * transpositions of adjacent characters, each counted once) between `a` and
 * `b`, over code points, not UTF-16 units: "Müller" and "Muller" are 1 apart,
 * "Jrügen" and "Jürgen" 1, "𝐀" and "A" 1.
 */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  // Three rows suffice: the transposition looks two rows back.
  let before = new Array<number>(y.length + 1).fill(0);
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = new Array<number>(y.length + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        d = Math.min(d, before[j - 2]! + 1);
      cur[j] = d;
    }
    before = prev;
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * The texts two names are compared by: case folded (labelKey), and its bare
 * letters: the skeleton of its NFKC form without combining marks, so that a
 * look-alike letter (Cyrillic а), a fullwidth one, or a missing accent
 * ("Lodz" for "Łódź", whose Ł's prototype is L + U+0338) costs nothing.
 */
const forms = (s: string): [string, string] => {
  const folded = labelKey(s);
  return [folded, skeleton(folded.normalize('NFKC')).replace(/\p{M}/gu, '')];
};

/**
 * Up to `limit` candidates closest to `input`, closest first (then by name,
 * compared as strings, never by the locale; then as given). The distance is the smaller of the edit
 * distances between the case-folded texts and between their bare letters, so
 * a different case ("khk jürgen müller"), a look-alike letter ("Pаul") or
 * missing accents ("Lodz-TEL-01") is 0.
 * A candidate is kept only within max(2, ⌊n/4⌋) edits of an input of n code
 * points, and fewer than n (a short input is not "near" every short name).
 */
export function nearMisses<T extends { readonly name: string }>(
  input: string,
  candidates: readonly T[],
  limit = 3,
): T[] {
  const [folded, skel] = forms(input);
  const n = Array.from(folded).length;
  const within = Math.max(2, Math.floor(n / 4));
  const near: { c: T; d: number }[] = [];
  for (const c of candidates) {
    const [f, s] = forms(c.name);
    const d = Math.min(editDistance(folded, f), editDistance(skel, s));
    if (d <= within && d < n) near.push({ c, d });
  }
  near.sort((p, q) => p.d - q.d || (p.c.name < q.c.name ? -1 : p.c.name > q.c.name ? 1 : 0));
  return near.slice(0, limit).map((x) => x.c);
}
