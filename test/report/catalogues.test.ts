/**
 * Every report catalogue (src/report/messages/*.ts and the shared one in src/report/i18n.ts) has
 * every key in every language, with the same placeholders, nothing empty and nothing left in
 * English (docs/VERIFYING.md §The report in the court's language). The compiler already refuses
 * a missing key; this test catches what it cannot: an empty or untranslated message, a
 * misspelt placeholder (which would print "not recorded"), an unbalanced optional part.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMON, LANGUAGES, type Messages } from '../../src/report/i18n.js';

const DIR = join(import.meta.dirname, '../../src/report/messages');

/**
 * Messages that are rightly the same as the English in a language: codes, symbols and names that
 * every language writes alike. Each is listed with the language, so a new identical message fails.
 */
const SAME_AS_ENGLISH = new Set<string>([
  // Dutch writes "byte"/"bytes" as English does.
  'formatting.bytes_one:nl',
  'formatting.bytes_other:nl',
  // Dutch uses the English loanword; German writes the word as English does.
  'render-html-checks.auditors:nl',
  'render-text.textProblem:de',
]);

type Area = { name: string; messages: Messages<string> };

const isMessages = (x: unknown): x is Messages<string> =>
  typeof x === 'object' && x !== null && LANGUAGES.every((l) => l in x);

async function areas(): Promise<Area[]> {
  const out: Area[] = [{ name: 'common', messages: COMMON }];
  for (const f of readdirSync(DIR)
    .filter((n) => n.endsWith('.ts'))
    .sort()) {
    const mod = (await import(join(DIR, f))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod))
      if (isMessages(value)) out.push({ name: `${f.replace(/\.ts$/, '')}.${name}`, messages: value });
  }
  return out;
}

const placeholders = (t: string) => [...t.matchAll(/\{([^{}]+)\}/g)].map((m) => m[1]).sort();
const balanced = (t: string) => {
  let depth = 0;
  for (const c of t) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (depth < 0 || depth > 1) return false;
  }
  return depth === 0;
};
/** What is left of a message once placeholders, digits, punctuation and symbols are taken out. */
const words = (t: string) => t.replace(/\{[^{}]+\}/g, '').replace(/[^\p{L}]+/gu, '');

describe('report catalogues', async () => {
  const all = await areas();

  it('are found: the shared one and one per area of the report', () => {
    expect(all.length).toBeGreaterThan(1);
    expect(all.map((a) => a.name)).toContain('formatting.FORMATTING');
  });

  for (const { name, messages } of all) {
    const area = name.split('.')[0]!;
    const en = messages.en;
    it.each(LANGUAGES.filter((l) => l !== 'en'))(
      `${name} in %s: every key, translated, same placeholders`,
      (lang) => {
        const c = messages[lang];
        expect(Object.keys(c).sort()).toEqual(Object.keys(en).sort());
        for (const [key, english] of Object.entries(en)) {
          const t = c[key]!;
          const where = `${area}.${key}:${lang}`;
          if (english !== '') expect(t, where).not.toBe('');
          expect(placeholders(t), where).toEqual(placeholders(english));
          expect(balanced(t), `${where} has unbalanced [ ]`).toBe(balanced(english));
          if (t === english && words(english).length > 2)
            expect(SAME_AS_ENGLISH.has(where), `${where} is still English: "${english}"`).toBe(true);
        }
      },
    );
  }
});
