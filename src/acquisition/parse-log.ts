/**
 * `custody register --import-log`: which acquisition log a file is, and what it reports
 * (docs/ACQUISITION-LOGS.md §Detection). Pure: bytes in, a ReportedDigests or a CustodyError
 * ACQUISITION_LOG_INVALID out, whatever the bytes are (a property test feeds it random ones).
 */
import { ewfVersionLines, parseEwfLog } from './ewf-log.js';
import { looksLikeFtkImager, parseFtkImager } from './ftk-imager.js';
import { GUYMAGER_TITLE, parseGuymager } from './guymager.js';
import { parseHashdeep } from './hashdeep.js';
import { logInvalid, type ReportedDigests, VERSION_TOKEN } from './reported.js';
import { decodeUtf8, decodeWindows1252, firstNonBlank, hasUtf8Bom, splitLines } from './text.js';

const MIB = 1024 * 1024;
/** hashdeep files list every file of a folder: they may be large. */
export const HASHDEEP_MAX_BYTES = 64 * MIB;
/** Every other log is a page or two; more is not a log. */
export const LOG_MAX_BYTES = 1 * MIB;

const HASHDEEP_PREFIX = '%%%% HASHDEEP';

export function parseAcquisitionLog(bytes: Uint8Array): ReportedDigests {
  if (bytes.length > HASHDEEP_MAX_BYTES)
    throw logInvalid(
      'acquisition log',
      undefined,
      `the file is ${bytes.length} bytes, more than the 64 MiB limit`,
    );
  const bom = hasUtf8Bom(bytes);
  const body = bom ? bytes.subarray(3) : bytes;
  const hashdeep = startsWithAscii(body, HASHDEEP_PREFIX);
  if (!hashdeep && bytes.length > LOG_MAX_BYTES)
    throw logInvalid(
      'acquisition log',
      undefined,
      `the file is ${bytes.length} bytes, more than the 1 MiB limit of a log that is not a hashdeep file`,
    );
  const text = decode(body, bom);
  const result = parseText(text, hashdeep);
  assertWellFormed(result);
  return result;
}

/**
 * UTF-8; or, for an FTK Imager report without a byte order mark that is not UTF-8, Windows-1252:
 * FTK Imager is a Windows program whose reports are written in the ANSI code page, where "®" is
 * the single byte 0xAE. No other format is read as anything but UTF-8.
 */
function decode(body: Uint8Array, bom: boolean): string {
  const utf8 = decodeUtf8(body);
  if (utf8 !== undefined) return utf8;
  if (!bom && startsWithAscii(skipBlankBytes(body), 'Created By ')) {
    const cp1252 = decodeWindows1252(body);
    if (cp1252 !== undefined && looksLikeFtkImager(cp1252.trimStart())) return cp1252;
    throw logInvalid('FTK Imager report', undefined, 'the text is neither UTF-8 nor Windows-1252');
  }
  throw logInvalid('acquisition log', undefined, 'the file is not UTF-8 text');
}

function parseText(text: string, hashdeep: boolean): ReportedDigests {
  if (hashdeep) return parseHashdeep(splitLines(text, 'hashdeep file'));
  const firstLine = firstLineOf(text);
  if (looksLikeFtkImager(firstLine)) return parseFtkImager(splitLines(text, 'FTK Imager report'));
  if (firstLine.trim() === GUYMAGER_TITLE) return parseGuymager(splitLines(text, 'Guymager .info file'));
  const lines = splitLines(text, 'acquisition log');
  if (ewfVersionLines(lines).length > 0) return parseEwfLog(lines);
  const first = lines[firstNonBlank(lines)];
  throw logInvalid(
    'acquisition log',
    first?.no,
    'not a known acquisition log (ewfacquire or ewfverify output, an FTK Imager report, a Guymager .info file or a hashdeep file)',
  );
}

/** The first line that is not blank, CR removed; at most a bounded prefix is looked at. */
function firstLineOf(text: string): string {
  const start = text.search(/\S/);
  if (start < 0) return '';
  const end = text.indexOf('\n', start);
  return text
    .slice(start, end < 0 ? Math.min(text.length, start + 4096) : Math.min(end, start + 4096))
    .replace(/\r$/, '');
}

function startsWithAscii(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

function skipBlankBytes(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)
  )
    i++;
  return bytes.subarray(i);
}

/**
 * What every parser promises, checked once more here so that no path can hand the caller a
 * result without a version or without a digest: an internal error if one ever does.
 */
function assertWellFormed(r: ReportedDigests): void {
  const digests = r.tool === 'hashdeep' ? (r.files ?? []).length : Object.keys(r.media).length;
  if (!VERSION_TOKEN.test(r.version) || digests === 0)
    throw logInvalid('acquisition log', undefined, `the ${r.tool} parser returned no version or no digest`);
}
