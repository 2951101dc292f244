/**
 * The languages of the report and of the verifier page, and how a report's wording is looked up
 * (docs/VERIFYING.md §Languages). Every sentence a report shows comes from a message catalogue
 * (src/report/messages/), one object per language with the same keys, filled by `say`; nothing is
 * assembled by concatenating words. The legal meaning rests on the original-language record:
 * every translated report carries `translationNote` saying so.
 *
 * A template names its values in braces, `{name}`. A part in square brackets is dropped when a
 * value it names is absent or empty, so one template reads whole with or without optional fields
 * (src/report/wording.ts fills both). Values are inserted once and never scanned again: text a
 * signer wrote that looks like a placeholder stays as written.
 */

export const LANGUAGES = ['en', 'fr', 'de', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(s: string): s is Language {
  return (LANGUAGES as readonly string[]).includes(s);
}

/** One area's messages in every language; the type makes every language carry every key. */
export type Messages<K extends string> = Readonly<Record<Language, Readonly<Record<K, string>>>>;

/** Declares an area's catalogues: English first, the others checked against its keys. */
export function messages<const E extends Readonly<Record<string, string>>>(catalogues: {
  en: E;
  fr: Readonly<Record<keyof E, string>>;
  de: Readonly<Record<keyof E, string>>;
  nl: Readonly<Record<keyof E, string>>;
}): Messages<keyof E & string> {
  return catalogues;
}

export type Values = Readonly<Record<string, string | number | undefined>>;

const PLACEHOLDER = /\{([^{}]+)\}/g;

/**
 * Fills a template. An optional part in square brackets is dropped when any value it names is
 * absent or empty; outside one, an absent value reads as `absent` (the area's "not recorded"),
 * so a template never prints "undefined".
 */
export function fill(template: string, values: Values, absent: string): string {
  const has = (k: string) => {
    const v = Object.hasOwn(values, k) ? values[k] : undefined;
    return v !== undefined && v !== '';
  };
  const put = (t: string) => t.replace(PLACEHOLDER, (_, k: string) => (has(k) ? String(values[k]) : absent));
  let out = '';
  for (const m of template.matchAll(/\[([^[\]]*)\]|([^[]+)/g)) {
    if (m[1] !== undefined) out += [...m[1].matchAll(PLACEHOLDER)].every((x) => has(x[1]!)) ? put(m[1]) : '';
    else out += put(m[2]!);
  }
  return out;
}

/** The wording every area shares: what an absent value reads as, and the translation note. */
export const COMMON = messages({
  en: {
    notRecorded: 'not recorded',
    translationNote: '',
    listSeparator: '; ',
    and: ' and ',
  },
  fr: {
    notRecorded: 'non enregistré',
    translationNote:
      'Traduction. La portée juridique repose sur l’enregistrement dans sa langue d’origine (le registre signé et le rapport en anglais) ; en cas de divergence, l’original fait foi.',
    listSeparator: ' ; ',
    and: ' et ',
  },
  de: {
    notRecorded: 'nicht erfasst',
    translationNote:
      'Übersetzung. Die rechtliche Bedeutung beruht auf der Aufzeichnung in ihrer Originalsprache (dem signierten Register und dem englischen Bericht); bei Abweichungen ist das Original maßgeblich.',
    listSeparator: '; ',
    and: ' und ',
  },
  nl: {
    notRecorded: 'niet vastgelegd',
    translationNote:
      'Vertaling. De juridische betekenis berust op de vastlegging in de oorspronkelijke taal (het ondertekende register en het Engelse rapport); bij verschil is het origineel beslissend.',
    listSeparator: '; ',
    and: ' en ',
  },
});

/** The message `key` of an area in `lang`, filled from `values`. */
export function say<K extends string>(
  area: Messages<K>,
  lang: Language,
  key: K,
  values: Values = {},
): string {
  return fill(area[lang][key], values, COMMON[lang].notRecorded);
}

/**
 * The plural category of `n` in `lang` ("one" or "other" in the four languages here; French
 * counts 0 as "one"). A catalogue gives a countable message as two keys, `x_one` and `x_other`.
 */
export function plural(lang: Language, n: number): 'one' | 'other' {
  return new Intl.PluralRules(lang).select(n) === 'one' ? 'one' : 'other';
}

/** The countable message `${base}_one` or `${base}_other` for `n`; `{n}` is `n` unless `values` gives it (formatted). */
export function sayCount<B extends string>(
  area: Messages<`${B}_one` | `${B}_other`>,
  lang: Language,
  base: B,
  n: number,
  values: Values = {},
): string {
  const key: `${B}_one` | `${B}_other` = plural(lang, n) === 'one' ? `${base}_one` : `${base}_other`;
  return say(area, lang, key, { n, ...values });
}
