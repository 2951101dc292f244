/**
 * Rules for every text field in a record (docs/FORMAT.md §Text).
 *
 * Text is shown to people: in terminals, in HTML reports, in court. A hostile
 * ledger must not be able to hide, fake or reorder what a judge reads, so some
 * code points are refused. The refused set is a CLOSED list of ranges, written
 * out below, never derived from Unicode properties (categories, White_Space,
 * Default_Ignorable…): those change between Unicode versions, and two verifiers
 * with different versions (another language, a browser, an older ICU) must
 * accept exactly the same bytes. Lengths are limits on UTF-8 bytes.
 */

/** An inclusive range of code points, with the reason it is listed (for docs and messages). */
export interface CodePointRange {
  readonly first: number;
  readonly last: number;
  readonly name: string;
}

const range = (first: number, last: number, name: string): CodePointRange =>
  Object.freeze({ first, last, name });

/**
 * Code points refused in every text field, sorted and disjoint. LF (U+000A) is
 * not in this list: it is allowed inside free-text fields only (see textProblem).
 * This table is the specification; docs/FORMAT.md §Text lists the same ranges and
 * test/format/text.test.ts checks the checker against a naive reading of it.
 */
export const REFUSED_CODE_POINTS: readonly CodePointRange[] = Object.freeze([
  range(0x0000, 0x0009, 'C0 controls before LF, TAB included'),
  range(0x000b, 0x001f, 'C0 controls after LF (CR, ESC…)'),
  range(0x007f, 0x009f, 'DELETE and the C1 controls'),
  range(0x00ad, 0x00ad, 'SOFT HYPHEN'),
  range(0x034f, 0x034f, 'COMBINING GRAPHEME JOINER'),
  range(0x061c, 0x061c, 'ARABIC LETTER MARK'),
  range(0x115f, 0x1160, 'HANGUL CHOSEONG and JUNGSEONG FILLER'),
  range(0x17b4, 0x17b5, 'KHMER VOWEL INHERENT AQ and AA'),
  range(0x180b, 0x180f, 'MONGOLIAN FREE VARIATION SELECTORS and VOWEL SEPARATOR'),
  range(0x200b, 0x200b, 'ZERO WIDTH SPACE'),
  range(0x200e, 0x200f, 'LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK'),
  range(0x2028, 0x2029, 'LINE and PARAGRAPH SEPARATOR'),
  range(0x202a, 0x202e, 'bidirectional embeddings and overrides'),
  range(0x2060, 0x206f, 'WORD JOINER, invisible operators, bidi isolates, deprecated format'),
  range(0x3164, 0x3164, 'HANGUL FILLER'),
  range(0xd800, 0xdfff, 'surrogates (only lone ones can occur in a string; never valid UTF-8)'),
  range(0xfe00, 0xfe0f, 'VARIATION SELECTORS 1-16'),
  range(0xfeff, 0xfeff, 'ZERO WIDTH NO-BREAK SPACE (byte order mark)'),
  range(0xffa0, 0xffa0, 'HALFWIDTH HANGUL FILLER'),
  range(0xfff0, 0xfffb, 'specials before U+FFFC, interlinear annotation controls'),
  range(0x1bca0, 0x1bca3, 'SHORTHAND FORMAT controls'),
  range(0x1d173, 0x1d17a, 'MUSICAL SYMBOL BEGIN/END BEAM, TIE, SLUR, PHRASE'),
  range(0xe0000, 0xe0fff, 'tags, VARIATION SELECTORS 17-256 and the unassigned code points between'),
]);

/** The one code point allowed only in free-text (multi-line) fields. */
export const LINE_FEED = 0x0a;

/**
 * Code points that may not be the first or the last of a text ("white space at
 * the ends"). A closed list, not String.prototype.trim, whose set follows the
 * engine's Unicode version (U+180E was white space before Unicode 6.3). It is
 * trim's set in current engines minus what REFUSED_CODE_POINTS refuses anyway
 * (TAB, VT, FF, CR, U+2028, U+2029, U+FEFF, and U+180E): LF stays because it is
 * allowed inside free text but not at its ends.
 */
export const WHITE_SPACE_AT_ENDS: readonly CodePointRange[] = Object.freeze([
  range(0x000a, 0x000a, 'LINE FEED'),
  range(0x0020, 0x0020, 'SPACE'),
  range(0x00a0, 0x00a0, 'NO-BREAK SPACE'),
  range(0x1680, 0x1680, 'OGHAM SPACE MARK'),
  range(0x2000, 0x200a, 'EN QUAD … HAIR SPACE'),
  range(0x202f, 0x202f, 'NARROW NO-BREAK SPACE'),
  range(0x205f, 0x205f, 'MEDIUM MATHEMATICAL SPACE'),
  range(0x3000, 0x3000, 'IDEOGRAPHIC SPACE'),
]);

// Lookup tables built once from the ranges above, so that the tables stay the
// only source. BMP: one bit per code point (8 KiB). Astral ranges are few, so
// they are compared directly.
const REFUSED_BMP = new Uint32Array(0x10000 >>> 5);
const REFUSED_ASTRAL: CodePointRange[] = [];
for (const r of REFUSED_CODE_POINTS) {
  if (r.first > 0xffff) {
    REFUSED_ASTRAL.push(r);
    continue;
  }
  for (let c = r.first; c <= r.last; c++) REFUSED_BMP[c >>> 5]! |= 1 << (c & 31);
}
// Every white space code point at the ends is in the BMP.
const WHITE_BMP = new Uint32Array(0x10000 >>> 5);
for (const r of WHITE_SPACE_AT_ENDS)
  for (let c = r.first; c <= r.last; c++) WHITE_BMP[c >>> 5]! |= 1 << (c & 31);

const inBmpSet = (set: Uint32Array, c: number): boolean => (set[c >>> 5]! & (1 << (c & 31))) !== 0;

/** True if the code point `c` is refused in every text field. */
export function isRefusedCodePoint(c: number): boolean {
  if (c <= 0xffff) return inBmpSet(REFUSED_BMP, c);
  for (const r of REFUSED_ASTRAL) if (c >= r.first && c <= r.last) return true;
  return false;
}

/** True if the code point `c` may not begin or end a text. */
export const isWhiteSpaceAtEnds = (c: number): boolean => c <= 0xffff && inBmpSet(WHITE_BMP, c);

/** UTF-8 length of `s`; a lone surrogate counts 3 bytes (as U+FFFD, which an encoder writes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const hexCp = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** Returns a reason if `s` is not acceptable text, else undefined. */
export function textProblem(s: string, maxBytes: number, singleLine: boolean): string | undefined {
  const len = s.length;
  if (len === 0) return 'is empty';
  // One pass: UTF-8 length, the first refused code point and whether there is an LF.
  // Problems are then reported in a fixed order (length, refused, LF, ends) so that
  // the message does not depend on where in the text they are.
  let bytes = 0;
  let refused = -1;
  let lineFeed = false;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      // ASCII fast path: controls are 00-1F and 7F; LF is the only one that may pass.
      bytes += 1;
      if (c < 0x20 || c === 0x7f) {
        if (c === LINE_FEED) lineFeed = true;
        else if (refused < 0) refused = c;
      }
      continue;
    }
    let cp = c;
    if (c < 0x800) bytes += 2;
    else if ((c & 0xfc00) === 0xd800 && i + 1 < len && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one code point: look it up as such, never as two UTF-16 units.
      cp = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(i + 1) - 0xdc00);
      bytes += 4;
      i++;
    } else bytes += 3; // BMP, or a lone surrogate (refused by the table).
    if (refused < 0 && isRefusedCodePoint(cp)) refused = cp;
  }
  if (bytes > maxBytes) return `is longer than ${maxBytes} bytes`;
  if (refused >= 0)
    return `contains ${hexCp(refused)}, a refused control, invisible or bidirectional character`;
  if (singleLine && lineFeed) return 'contains a line break (LF is allowed only in free text)';
  // The white space list is all BMP and holds no surrogate, so UTF-16 units suffice at the ends.
  if (isWhiteSpaceAtEnds(s.charCodeAt(0)) || isWhiteSpaceAtEnds(s.charCodeAt(len - 1)))
    return 'has leading or trailing white space';
  return undefined;
}

/**
 * The look-up key of a label or case reference: the text exactly as signed,
 * with only ASCII A–Z folded to a–z. Never toLowerCase/toUpperCase/localeCompare:
 * their results depend on the Unicode version and locale ('İ', 'ß', Turkish 'I'),
 * and a look-up that decides which exhibit is meant must give the same answer
 * in every verifier.
 */
export function foldLabel(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => {
    let out = '';
    for (let i = 0; i < m.length; i++) out += String.fromCharCode(m.charCodeAt(i) | 0x20);
    return out;
  });
}

/**
 * IANA time zone names are checked by shape only ("Europe/Paris", "UTC", "CET",
 * "Etc/GMT+1", "America/Argentina/Salta": one to three segments of letters, digits, _ + -),
 * never against the platform's tz database: verifiers on different platforms
 * must agree, and a zone name unknown to one ICU build is not a forgery.
 */
const TZ = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2}$/;
export const isTimeZoneName = (s: string): boolean => s.length <= 64 && TZ.test(s);

/**
 * Ledger origins are the checkpoint origin line (C2SP tlog-checkpoint) and the
 * signed-note key name: printable ASCII without space or '+', 1..255 bytes.
 */
export const isOrigin = (s: string): boolean =>
  s.length >= 1 && s.length <= 255 && /^[\x21-\x2a\x2c-\x7e]+$/.test(s);
