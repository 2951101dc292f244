/**
 * The keys names and labels are compared by when people type them (issue 29):
 * the same words typed on macOS (decomposed, NFD) and on Linux or Windows
 * (usually composed, NFC) must find the same actor or exhibit.
 *
 * These are keys for looking up and comparing, never what is signed: the
 * format signs and indexes text as bytes (docs/FORMAT.md §Text), and the
 * ledger's own label index keeps `foldLabel` (src/format/text.ts: ASCII A–Z
 * only), which every verifier must compute alike whatever its Unicode version.
 * These keys depend on the running engine's Unicode data, so they only ever
 * choose among candidates a person then sees (a look-up refuses more than one
 * match), and decide nothing a verifier checks.
 */

/** The comparison key of an actor's name: its NFC form (Unicode canonical equivalence, UAX #15). */
export const nameKey = (s: string): string => s.normalize('NFC');

/**
 * The comparison key of a label: NFC, then case-insensitive, locale-independent:
 * NFC(lower(upper(lower(NFC(s))))). String.prototype.toLowerCase/toUpperCase
 * use the Unicode default case mappings (SpecialCasing.txt without its
 * language conditions), never the locale. The round trip makes the key agree
 * with full case folding (CaseFolding.txt, statuses C and F) where a
 * lower-casing alone does not: ß and ẞ fold with "ss" (ẞ lowers to ß, which
 * uppers to SS), ſ with s, ligatures such as ﬁ with "fi", σ and final ς alike
 * (the final form is chosen by position, so both spellings get one key), ϐ
 * with β, the KELVIN SIGN with k.
 *
 * Known differences from full case folding, both Turkish (no T tailoring):
 * dotless ı (U+0131) upper-cases to I and so folds with i, where full folding
 * keeps it apart (more labels match: a look-up that finds two is refused as
 * ambiguous); dotted İ (U+0130) folds to "i̇" (i + U+0307), as in full folding,
 * so "İSTANBUL" does not find "istanbul".
 */
export const labelKey = (s: string): string =>
  s.normalize('NFC').toLowerCase().toUpperCase().toLowerCase().normalize('NFC');
