/**
 * From a log's bytes to numbered lines (docs/ACQUISITION-LOGS.md §Text). Logs are hostile
 * input: whatever a parser reads from them may end up in a record and on a court's screen,
 * so the text is checked once here, before any parser sees it.
 */
import { isRefusedCodePoint } from '../format/text.js';
import { type LogFormat, logInvalid } from './reported.js';

export interface LogLine {
  /** 1-based, counting every line of the file. */
  readonly no: number;
  readonly text: string;
}

/** No line of a real log comes near this; a longer one is refused before any pattern runs on it. */
export const MAX_LINE_CHARS = 65_536;

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/** Whether `bytes` begins with a UTF-8 byte order mark (Windows editors and tools write one). */
export const hasUtf8Bom = (bytes: Uint8Array): boolean =>
  bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8, or undefined: a malformed sequence is never replaced by U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Windows-1252 bytes 0x80-0x9F (WHATWG Encoding's table); 0 marks the five bytes the code page
 * leaves undefined. Written out rather than asked of TextDecoder, whose legacy encodings are
 * missing from Node builds with small ICU, so every build decodes the same bytes the same way.
 */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
] as const;

/** Windows-1252, or undefined when a byte is one the code page does not define. */
export function decodeWindows1252(bytes: Uint8Array): string | undefined {
  const units = new Array<number>(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    const u = b >= 0x80 && b <= 0x9f ? (CP1252_HIGH[b - 0x80] ?? 0) : b;
    if (u === 0 && b !== 0) return undefined;
    units[i] = u;
  }
  let s = '';
  for (let i = 0; i < units.length; i += 8192) s += String.fromCharCode(...units.slice(i, i + 8192));
  return s;
}

/**
 * The lines of `text`: split at LF, one CR before it dropped (CRLF and LF files read alike),
 * the empty piece after a final line break dropped. A line longer than MAX_LINE_CHARS, or one
 * with a code point docs/FORMAT.md §Text refuses (controls, bidirectional overrides,
 * invisible characters) other than TAB, which the tools write as a separator, is refused:
 * no known tool writes one, and such text could hide or reorder what a reader sees.
 */
export function splitLines(text: string, format: LogFormat): LogLine[] {
  const pieces = text.split('\n');
  if (pieces.length > 1 && pieces[pieces.length - 1] === '') pieces.pop();
  const lines: LogLine[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const no = i + 1;
    let line = pieces[i] ?? '';
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > MAX_LINE_CHARS)
      throw logInvalid(format, no, `the line is longer than ${MAX_LINE_CHARS} characters`);
    const bad = refusedIn(line);
    if (bad !== undefined)
      throw logInvalid(
        format,
        no,
        `the line contains U+${bad.toString(16).toUpperCase().padStart(4, '0')}, a control, invisible or bidirectional character`,
      );
    lines.push({ no, text: line });
  }
  return lines;
}

/** The first code point of `line` that is refused (TAB excepted), if any. */
function refusedIn(line: string): number | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue; // printable ASCII: the common case, never refused.
    if (c === 0x09) continue;
    let cp = c;
    if ((c & 0xfc00) === 0xd800 && i + 1 < line.length && (line.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      cp = 0x10000 + ((c - 0xd800) << 10) + (line.charCodeAt(i + 1) - 0xdc00);
      i++;
    }
    if (isRefusedCodePoint(cp)) return cp;
  }
  return undefined;
}

/** The index in `lines` of the first line that is not blank, or -1. */
export function firstNonBlank(lines: readonly LogLine[]): number {
  return lines.findIndex((l) => l.text.trim() !== '');
}

/** A count or size written in decimal, with or without thousands commas, as a safe integer. */
export function parseCount(s: string): number | undefined {
  if (!/^(?:0|[1-9][0-9]*|[1-9][0-9]{0,2}(?:,[0-9]{3})+)$/.test(s)) return undefined;
  const digits = s.replaceAll(',', '');
  if (digits.length > 16) return undefined;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : undefined;
}
