/**
 * Classification of checks and problems: what each failure blocks, and what
 * each check means in plain words, in the report's language (the wording is in
 * src/report/messages/checks.ts, check-meanings.ts and problem-areas.ts).
 */
import type { Check } from '../bundle/verdict.js';
import { type ProblemArea, problemCodeInfo } from '../problem-codes.js';
import { type Language, say } from './i18n.js';
import { CHECK_MEANINGS } from './messages/check-meanings.js';
import { AREA_MEANINGS, CHECK_TITLES, CHECK_VERDICTS } from './messages/checks.js';
import { PROBLEM_AREA_TEXT } from './messages/problem-areas.js';

/**
 * What a failed check or problem undermines. "core" failures (signatures,
 * chain, structure, anchor, custody rules, and anything this report does not
 * recognise) block every claim; the others block only the claims that rest on
 * them. Unknown check ids and codes are "core": the report errs on the side of
 * claiming less.
 */
export type Area = 'core' | 'checkpoint' | 'witness' | 'file' | 'recorded' | 'head';

export function checkArea(id: string): Area {
  const s = id.toLowerCase();
  if (/witness|cosign|quorum/.test(s)) return 'witness';
  if (/file/.test(s)) return 'file';
  if (/recorded|mismatch|seal/.test(s)) return 'recorded';
  if (/history-complete|head|last-event/.test(s)) return 'head';
  if (/checkpoint|inclusion|consisten/.test(s)) return 'checkpoint';
  return 'core';
}

/**
 * The report area of each area of the table of codes (src/problem-codes.ts).
 * Only a few areas block less than everything: the checkpoint and inclusion
 * proofs (tree), witnesses, the file in hand, recorded integrity, and the
 * exhibit's own record at the checkpoint, on which only the "no later event"
 * claim rests (head).
 */
const REPORT_AREA: Readonly<Record<ProblemArea, Area>> = {
  decoding: 'core',
  chain: 'core',
  signature: 'core',
  tree: 'checkpoint',
  map: 'core',
  head: 'head',
  store: 'core',
  custody: 'core',
  trust: 'core',
  witness: 'witness',
  file: 'file',
  integrity: 'recorded',
  verifier: 'core',
};

/** A verdict read back may carry a code this version does not know: it is "core". */
export function problemArea(code: string): Area {
  const info = problemCodeInfo(code);
  return info ? REPORT_AREA[info.area] : 'core';
}

/** Check ids of older verdicts, worded as the check they were renamed to. */
const ALIASES: Readonly<Record<string, string>> = {
  'trust-anchor': 'anchor',
  'entry-signatures': 'signatures',
  chain: 'hash-chain',
  inclusion: 'inclusion-proofs',
  'inclusion-proof': 'inclusion-proofs',
};
/** For titles also these two, which say a little less than their v2 successors and keep their own meaning. */
const TITLE_ALIASES: Readonly<Record<string, string>> = {
  ...ALIASES,
  'exhibit-chain': 'exhibit-links',
  'file-digest': 'file-digests',
};

// Own keys only: a check id comes from the bundle, and "constructor" must not find a function.
const keyOf = <K extends string>(table: Readonly<Record<K, string>>, id: string): K | undefined =>
  Object.hasOwn(table, id) ? (id as K) : undefined;

type MeaningKey = keyof (typeof CHECK_MEANINGS)['en'];
const meaningKey = (id: string): MeaningKey | undefined =>
  keyOf(CHECK_MEANINGS.en, Object.hasOwn(ALIASES, id) ? ALIASES[id]! : id);

/**
 * A check's title in `lang`. English keeps the title the verdict carries; another language
 * words a known id from the catalogue and keeps the verifier's title for an id it does not know.
 */
export function checkTitle(id: string, title: string, lang: Language = 'en'): string {
  if (lang === 'en') return title;
  const key = keyOf(CHECK_TITLES.en, Object.hasOwn(TITLE_ALIASES, id) ? TITLE_ALIASES[id]! : id);
  return key ? say(CHECK_TITLES, lang, key) : title;
}

/** What a check means in `lang`; for an id this report does not describe, what its area concerns. */
export function checkMeaning(id: string, lang: Language = 'en'): string {
  const key = meaningKey(id);
  return key ? say(CHECK_MEANINGS, lang, key) : say(AREA_MEANINGS, lang, checkArea(id));
}

/** A check's result word in `lang`; a result this version does not know, as it came. */
export function checkVerdictText(verdict: string, lang: Language = 'en'): string {
  const key = keyOf(CHECK_VERDICTS.en, verdict);
  return key ? say(CHECK_VERDICTS, lang, key) : verdict.toUpperCase();
}

/**
 * What a problem is about, in `lang`, by the area of its code (src/problem-codes.ts); for a code
 * this version does not know, a sentence saying so. For renderers that explain a problem code.
 */
export function problemAreaText(code: string, lang: Language = 'en'): string {
  const info = problemCodeInfo(code);
  return say(PROBLEM_AREA_TEXT, lang, info ? info.area : 'unknown');
}

/** The English meanings by check id, older ids included (checkMeaning words them in any language). */
export const CHECK_MEANING: Record<string, string> = Object.fromEntries(
  [...Object.keys(CHECK_MEANINGS.en), ...Object.keys(ALIASES)].map((id) => [id, checkMeaning(id)]),
);

/** The English area sentences (checkMeaning words them in any language). */
export const AREA_MEANING: Record<Area, string> = { ...AREA_MEANINGS.en };

/** The English result words (checkVerdictText words them in any language). */
export const VERDICT_TEXT: Record<Check['verdict'], string> = { ...CHECK_VERDICTS.en };
