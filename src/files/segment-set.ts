/**
 * Segment sets: one piece of evidence written as several files (docs/EVIDENCE-KINDS.md §Segment
 * sets). EWF containers (`x.E01 … x.E99, x.EAA …`, `x.Ex01 …`, logical `x.L01`, `x.Lx01`) and split
 * raw images (`x.001 …` or `x.000 …`, `x.raw.001`, and `x.aa x.ab …` from split(1)).
 *
 * Security assumption: the user names the set, but a set registered short of a segment would be
 * recorded as whole. So the set is refused (SEGMENTS_INVALID) unless its numbering runs from the
 * scheme's first number with no gap and no number twice, and every file of the folder that belongs to
 * the set was given: a missing last segment cannot be told from the numbering, only from the folder.
 * Extensions are matched case-insensitively (labs write `.E01` and `.e01`); the base name is not.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CustodyError } from '../errors.js';

export type SegmentNaming = 'E01' | 'Ex01' | 'L01' | 'Lx01' | 'numeric' | 'alphabetic';
export type SegmentScheme = 'ewf' | 'raw';

/** An ordered segment set: `names` (file names) and `paths` in segment order. */
export interface SegmentSet {
  scheme: SegmentScheme;
  naming: SegmentNaming;
  /** The file name without the segment extension: `case1` for `case1.E01`, `disk.dd` for `disk.dd.001`. */
  base: string;
  names: string[];
  paths: string[];
}

interface Reading {
  key: string;
  naming: SegmentNaming;
  base: string;
  index: number;
  /** Digits of a numeric suffix (their width is checked across the set). */
  digits?: string;
}

/** Keys in the order a name read several ways is taken: EWF before raw. */
const PRIORITY: readonly SegmentNaming[] = ['E01', 'Ex01', 'L01', 'Lx01', 'numeric', 'alphabetic'];
const A = 'A'.charCodeAt(0);

/**
 * EWF numbering as libewf writes it (libewf_filename.c): 01–99, then the two last letters count
 * AA–ZZ and the letter before them carries past ZZ. In EWF1 names that is the first letter (x.E99,
 * x.EAA … x.EZZ, x.FAA …; L, M … for logical sets); in EWF2 names it is the x (x.Ex99, x.ExAA …
 * x.ExZZ, x.EyAA … x.EzZZ). `carry` is that letter's distance from where it starts.
 */
function ewfIndex(carry: number, rest: string): number | undefined {
  if (carry < 0) return undefined;
  if (/^\d\d$/.test(rest)) {
    const n = Number(rest);
    return carry === 0 && n > 0 ? n : undefined;
  }
  return 100 + carry * 676 + (rest.charCodeAt(0) - A) * 26 + (rest.charCodeAt(1) - A);
}

const code = (c: string) => c.toUpperCase().charCodeAt(0);

/** Every way a file name reads as a segment (none, one, or several: `x.EAA` is EWF or split(1)). */
function readings(name: string): Reading[] {
  const out: Reading[] = [];
  const push = (naming: SegmentNaming, base: string, index: number | undefined) => {
    if (index !== undefined) out.push({ key: `${naming}/${base}`, naming, base, index });
  };
  const v1 = /^(.+)\.([e-z])(\d\d|[a-z][a-z])$/i.exec(name);
  if (v1) {
    const rest = v1[3]!.toUpperCase();
    push('E01', v1[1]!, ewfIndex(code(v1[2]!) - code('E'), rest));
    push('L01', v1[1]!, ewfIndex(code(v1[2]!) - code('L'), rest));
  }
  const v2 = /^(.+)\.([el])([x-z])(\d\d|[a-z][a-z])$/i.exec(name);
  if (v2) {
    const naming = code(v2[2]!) === code('E') ? 'Ex01' : 'Lx01';
    push(naming, v2[1]!, ewfIndex(code(v2[3]!) - code('X'), v2[4]!.toUpperCase()));
  }
  const num = /^(.+)\.(\d{2,})$/.exec(name);
  if (num) {
    const digits = num[2]!;
    out.push({ key: `numeric/${num[1]}`, naming: 'numeric', base: num[1]!, index: Number(digits), digits });
  }
  const alpha = /^(.+)\.([a-z]{2,3})$/i.exec(name);
  if (alpha) {
    const s = alpha[2]!.toLowerCase();
    let index = 0;
    for (const c of s) index = index * 26 + (c.charCodeAt(0) - 97);
    out.push({ key: `alphabetic${s.length}/${alpha[1]}`, naming: 'alphabetic', base: alpha[1]!, index });
  }
  return out;
}

const isRaw = (n: SegmentNaming) => n === 'numeric' || n === 'alphabetic';

/** EWF numbers from 01, split(1) letters from aa, raw numbers from 000 or 001 as tools differ. */
const isFirst = (naming: SegmentNaming, index: number) =>
  naming === 'numeric' ? index <= 1 : index === (naming === 'alphabetic' ? 0 : 1);

const invalid = (message: string) => new CustodyError('SEGMENTS_INVALID', message, 'input');

/** Whether a file name reads as the first segment of some set (for deciding how to take one path). */
export function isFirstSegmentName(name: string): boolean {
  return readings(name).some((r) => isFirst(r.naming, r.index));
}

function keyOf(given: readonly string[]): string {
  const common = readings(given[0]!).filter((r) =>
    given.every((n) => readings(n).some((o) => o.key === r.key)),
  );
  common.sort((a, b) => PRIORITY.indexOf(a.naming) - PRIORITY.indexOf(b.naming));
  const first = common[0];
  if (first) return first.key;
  if (given.length === 1) throw invalid(`${given[0]} is not named as a segment of a set`);
  throw invalid(`${given.join(', ')} are not segments of one set (mixed base names or naming schemes)`);
}

const readingFor = (name: string, key: string) => readings(name).find((r) => r.key === key)!;

/**
 * Orders the file names of one set (pure). `given` are the names the user gave, in any order;
 * `folder` every name in their folder. One name given must be the first segment, and the rest of the
 * set is taken from the folder; several given must be the whole set.
 */
export function orderSegmentNames(
  given: readonly string[],
  folder: readonly string[],
): Omit<SegmentSet, 'paths'> {
  if (given.length === 0) throw invalid('no segment given');
  const seen = new Set<string>();
  for (const n of given) {
    if (seen.has(n)) throw invalid(`${n} is given twice`);
    seen.add(n);
  }
  const key = keyOf(given);
  const { naming, base, index } = readingFor(given[0]!, key);
  if (given.length === 1 && !isFirst(naming, index))
    throw invalid(
      `${given[0]} is not named as the first segment of a set: give the first segment, or every segment`,
    );
  const members = folder.filter((n) => readings(n).some((r) => r.key === key));
  if (given.length > 1) {
    const extra = members.find((n) => !seen.has(n));
    if (extra)
      throw invalid(`${extra} belongs to the set but was not given: give every segment, or only the first`);
  }
  const names = [...new Set([...given, ...members])];
  if (isRaw(naming)) {
    // A raw set's files sharing its base but read another way (split(1) widening x.yz to x.zaaa, a
    // stray x.aa beside x.001) would be left out silently: refuse the folder as ambiguous.
    const stray = folder.find(
      (n) =>
        !names.includes(n) && readings(n).some((r) => r.base === base && isRaw(r.naming) && r.key !== key),
    );
    if (stray) throw invalid(`${stray} shares the base name ${base} but does not fit its numbering`);
  }
  const ordered = names.map((n) => ({ n, r: readingFor(n, key) })).sort((a, b) => a.r.index - b.r.index);
  for (let i = 1; i < ordered.length; i++)
    if (ordered[i]!.r.index === ordered[i - 1]!.r.index)
      throw invalid(`${ordered[i - 1]!.n} and ${ordered[i]!.n} are the same segment`);
  const start = ordered[0]!.r.index;
  if (!isFirst(naming, start))
    throw invalid(`the set starts at ${ordered[0]!.n}: its first segment is missing`);
  if (given.length === 1 && ordered[0]!.n !== given[0])
    throw invalid(`${given[0]} is not the first segment of its set: give ${ordered[0]!.n}, or every segment`);
  for (let i = 1; i < ordered.length; i++)
    if (ordered[i]!.r.index !== start + i)
      throw invalid(`a gap in the numbering: nothing between ${ordered[i - 1]!.n} and ${ordered[i]!.n}`);
  if (naming === 'numeric') {
    // x.001 … x.999, x.1000 is one set; x.01 beside x.001 is not.
    const width = Math.min(...ordered.map((o) => o.r.digits!.length));
    const odd = ordered.find((o) => o.r.digits !== String(o.r.index).padStart(width, '0'));
    if (odd) throw invalid(`${odd.n} does not have the set's ${width}-digit numbering`);
  }
  return {
    scheme: isRaw(naming) ? 'raw' : 'ewf',
    naming,
    base,
    names: ordered.map((o) => o.n),
  };
}

/** Resolves the paths a user gave (in any order, or only the first) to the set, in segment order. */
export async function resolveSegmentSet(paths: readonly string[]): Promise<SegmentSet> {
  if (paths.length === 0) throw invalid('no segment given');
  const full = paths.map((p) => resolve(p));
  const dir = dirname(full[0]!);
  const stranger = full.find((p) => dirname(p) !== dir);
  if (stranger)
    throw invalid(`${stranger} is not in the same folder as ${full[0]}: a set lies in one folder`);
  let folder: string[];
  try {
    folder = await readdir(dir);
  } catch (e) {
    throw new CustodyError(
      'FILE_UNREADABLE',
      `cannot list ${dir}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      'input',
    );
  }
  const set = orderSegmentNames(
    full.map((p) => basename(p)),
    folder,
  );
  return { ...set, paths: set.names.map((n) => join(dir, n)) };
}
