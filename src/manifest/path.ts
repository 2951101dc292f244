/**
 * Manifest paths as bytes (docs/MANIFEST.md §Paths): their rules, their order,
 * their Unicode form, and a display string for people.
 *
 * Security assumption: the names come from evidence that may be hostile (line
 * feeds, terminal escapes, bidi overrides, invalid UTF-8). They are kept as the
 * bytes found; the only string made from them is displayPath's, which escapes
 * everything that could hide or fake what a reader sees, and is injective so two
 * different paths never display the same.
 */
import { isRefusedCodePoint } from '../format/text.js';
import type { PathForm } from './types.js';

const SLASH = 0x2f;
const DOT = 0x2e;

/** Bytewise order (memcmp, then length): the manifest's one order. */
export function comparePaths(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Why `p` is not a valid relative manifest path, or undefined. */
export function pathProblem(p: Uint8Array): string | undefined {
  if (p.length === 0) return 'an empty path';
  let start = 0;
  for (let i = 0; i <= p.length; i++) {
    const c = i < p.length ? p[i]! : SLASH;
    if (c === 0) return 'a NUL byte in a path';
    if (c !== SLASH) continue;
    const len = i - start;
    if (len === 0) return start === 0 ? 'a path starting with /' : 'an empty path component';
    if (p[start] === DOT && (len === 1 || (len === 2 && p[start + 1] === DOT)))
      return 'a . or .. path component';
    start = i + 1;
  }
  return undefined;
}

/**
 * The length of the well-formed UTF-8 sequence at `i` (RFC 3629 §4: shortest
 * form only, no surrogates, nothing above U+10FFFF), or 0 if there is none.
 */
function utf8SequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

function codePointAt(b: Uint8Array, i: number, len: number): number {
  if (len === 1) return b[i]!;
  let cp = b[i]! & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) cp = (cp << 6) | (b[i + k]! & 0x3f);
  return cp;
}

/** Whether every byte is below 0x80. */
export function isAscii(p: Uint8Array): boolean {
  for (let i = 0; i < p.length; i++) if (p[i]! >= 0x80) return false;
  return true;
}

/** Whether `p` is well-formed UTF-8. */
export function isUtf8(p: Uint8Array): boolean {
  for (let i = 0; i < p.length; ) {
    const n = utf8SequenceLength(p, i);
    if (n === 0) return false;
    i += n;
  }
  return true;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The form of a path as the walker records it. 'nfc', 'nfd' and 'other' depend
 * on the Unicode version of the engine (String.prototype.normalize), so a
 * decoder checks only 'ascii' and 'bytes' (docs/MANIFEST.md §Paths).
 */
export function pathForm(p: Uint8Array): PathForm {
  if (isAscii(p)) return 'ascii';
  if (!isUtf8(p)) return 'bytes';
  const s = decoder.decode(p);
  if (s === s.normalize('NFC')) return 'nfc';
  if (s === s.normalize('NFD')) return 'nfd';
  return 'other';
}

/** Whether a recorded form agrees with the facts every decoder can check. */
export function formPlausible(p: Uint8Array, form: PathForm): boolean {
  if (isAscii(p)) return form === 'ascii';
  if (!isUtf8(p)) return form === 'bytes';
  return form === 'nfc' || form === 'nfd' || form === 'other';
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/**
 * A one-line string for people: UTF-8 decoded; a backslash as `\\`; a byte that
 * is not part of well-formed UTF-8 as `\xNN`; line feeds and every code point
 * src/format/text.ts refuses in text (controls, bidi overrides, invisible
 * characters) as `\u{N}`. Does not mark the form: show it beside (two names
 * that differ only in normalisation display alike by design of Unicode).
 */
export function displayPath(p: Uint8Array): string {
  let out = '';
  for (let i = 0; i < p.length; ) {
    const n = utf8SequenceLength(p, i);
    if (n === 0) {
      out += `\\x${hex2(p[i]!)}`;
      i++;
      continue;
    }
    const cp = codePointAt(p, i, n);
    if (cp === 0x5c) out += '\\\\';
    else if (cp === 0x0a || isRefusedCodePoint(cp)) out += `\\u{${cp.toString(16)}}`;
    else out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}

/**
 * The order rules over a sequence of entry paths, checked one path at a time in
 * constant amortised time: strictly increasing (so sorted and unique), and no
 * entry under another entry's path (no file "a" beside "a/b": an entry is a
 * file, a link, a special file or an EMPTY directory, never a parent).
 *
 * The paths under q are exactly the range [q "/", q "0") of the order ('/' is
 * 0x2f, '0' is 0x30). Entries whose ranges may still come are kept on a stack:
 * a valid entry's range either ends before the next stacked range starts or has
 * ended, so only the top needs checking (docs/MANIFEST.md §Order).
 */
export class PathOrder {
  #previous: Uint8Array | undefined;
  readonly #open: Uint8Array[] = [];

  /** Why `p` cannot follow the paths seen so far, or undefined (and `p` is taken). */
  next(p: Uint8Array): string | undefined {
    if (this.#previous !== undefined && comparePaths(this.#previous, p) >= 0)
      return comparePaths(this.#previous, p) === 0 ? 'a duplicate path' : 'paths out of bytewise order';
    const open = this.#open;
    while (open.length > 0 && relation(open[open.length - 1]!, p) === 'past') open.pop();
    if (open.length > 0 && relation(open[open.length - 1]!, p) === 'under')
      return 'an entry inside another entry';
    open.push(p);
    this.#previous = p;
    return undefined;
  }
}

/** Where `p` (> q) lies relative to the range of paths under q. */
function relation(q: Uint8Array, p: Uint8Array): 'before' | 'under' | 'past' {
  const n = q.length;
  for (let i = 0; i < n; i++) if (p[i] !== q[i]) return 'past';
  const c = p[n]!;
  return c < SLASH ? 'before' : c === SLASH ? 'under' : 'past';
}
