/**
 * Rules for every text field in a record (docs/FORMAT.md §Text).
 *
 * Text is shown to people: in terminals, in HTML reports, in court. A hostile
 * ledger must not be able to hide or reorder what a judge reads, so text may not
 * contain C0/C1 control characters (except TAB and LF in free text), DEL,
 * Unicode bidirectional overrides/isolates (the "Trojan Source" trick) or
 * unpaired surrogates. Lengths are limits on UTF-8 bytes.
 */

// C0 except \t \n, DEL, C1, bidi embeddings/overrides/isolates, LRM/RLM/ALM, BOM, lone surrogates.
const FORBIDDEN_FREE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// Single-line fields additionally refuse TAB and LF.
const FORBIDDEN_LINE = /[\t\n]/;

export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Returns a reason if `s` is not acceptable text, else undefined. */
export function textProblem(s: string, maxBytes: number, singleLine: boolean): string | undefined {
  if (s.length === 0) return 'is empty';
  if (utf8Length(s) > maxBytes) return `is longer than ${maxBytes} bytes`;
  if (FORBIDDEN_FREE.test(s)) return 'contains a control, bidirectional-override or invalid character';
  if (singleLine && FORBIDDEN_LINE.test(s)) return 'contains a tab or line break';
  if (s !== s.trim()) return 'has leading or trailing white space';
  return undefined;
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
