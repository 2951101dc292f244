/**
 * hashdeep's file format (docs/ACQUISITION-LOGS.md §hashdeep): "%%%% HASHDEEP-1.0", then
 * "%%%% <columns>" naming the columns of every row, comment lines beginning "##", then one row
 * per file, "<size>,<digest>,…,<filename>". The filename is the rest of the row: it may
 * contain commas, so a row with too FEW fields is refused, and extra commas belong to it.
 */
import { hexDigest } from './digests.js';
import {
  type DigestName,
  type Digests,
  logInvalid,
  type ReportedDigests,
  type ReportedFile,
} from './reported.js';
import type { LogLine } from './text.js';

const FORMAT = 'hashdeep file';

/** The only version of the format hashdeep 4 writes; the file states no program version. */
export const HASHDEEP_HEADER = '%%%% HASHDEEP-1.0';

/** The algorithms hashdeep knows, with their hex lengths; tiger and whirlpool are checked and dropped. */
const COLUMNS: Readonly<Record<string, { bytes: number; keep?: DigestName }>> = {
  md5: { bytes: 16, keep: 'md5' },
  sha1: { bytes: 20, keep: 'sha1' },
  sha256: { bytes: 32, keep: 'sha256' },
  tiger: { bytes: 24 },
  whirlpool: { bytes: 64 },
};

const SIZE = /^(?:0|[1-9][0-9]{0,15})$/;

export function parseHashdeep(lines: readonly LogLine[]): ReportedDigests {
  const first = lines[0];
  if (first?.text !== HASHDEEP_HEADER)
    throw logInvalid(FORMAT, 1, `the first line is not "${HASHDEEP_HEADER}" (another version of the format)`);
  const columns = readColumns(lines[1]);
  const files: ReportedFile[] = [];
  const byPath = new Map<string, { file: ReportedFile; line: number; row: string }>();
  let inHeader = true;

  for (const line of lines.slice(2)) {
    const text = line.text;
    if (text === '##' || text.startsWith('## ')) {
      if (!inHeader) throw logInvalid(FORMAT, line.no, 'a comment line after the first file row');
      continue;
    }
    if (text.startsWith('%%%%')) throw logInvalid(FORMAT, line.no, 'a second header: one file holds one run');
    if (text === '') throw logInvalid(FORMAT, line.no, 'a blank line (hashdeep writes none)');
    inHeader = false;
    const file = readRow(text, columns, line.no);
    const before = byPath.get(file.path);
    if (before === undefined) {
      byPath.set(file.path, { file, line: line.no, row: text });
      files.push(file);
    } else if (before.row !== text)
      throw logInvalid(FORMAT, line.no, `the file of line ${before.line} is listed again with other values`);
  }
  if (files.length === 0) throw logInvalid(FORMAT, undefined, 'truncated: the file lists no file');
  return { tool: 'hashdeep', version: HASHDEEP_HEADER.slice('%%%% '.length), media: {}, files };
}

function readColumns(line: LogLine | undefined): string[] {
  if (line === undefined) throw logInvalid(FORMAT, undefined, 'truncated: no column line after the header');
  if (!line.text.startsWith('%%%% '))
    throw logInvalid(FORMAT, line.no, 'the second line is not "%%%% <columns>"');
  const columns = line.text.slice('%%%% '.length).split(',');
  if (columns[columns.length - 1] !== 'filename')
    throw logInvalid(FORMAT, line.no, 'the last column is not "filename"');
  const seen = new Set<string>();
  for (const c of columns.slice(0, -1)) {
    if (c !== 'size' && COLUMNS[c] === undefined)
      throw logInvalid(
        FORMAT,
        line.no,
        'an unknown column (hashdeep knows size, md5, sha1, sha256, tiger, whirlpool)',
      );
    if (seen.has(c)) throw logInvalid(FORMAT, line.no, `the column ${c} is named twice`);
    seen.add(c);
  }
  if (!seen.has('size')) throw logInvalid(FORMAT, line.no, 'no size column');
  if (!['md5', 'sha1', 'sha256'].some((c) => seen.has(c)))
    throw logInvalid(FORMAT, line.no, 'no md5, sha1 or sha256 column');
  return columns;
}

function readRow(text: string, columns: readonly string[], no: number): ReportedFile {
  const fields: string[] = [];
  let from = 0;
  for (let i = 0; i < columns.length - 1; i++) {
    const comma = text.indexOf(',', from);
    if (comma < 0)
      throw logInvalid(FORMAT, no, `the row has ${fields.length + 1} fields, expected ${columns.length}`);
    fields.push(text.slice(from, comma));
    from = comma + 1;
  }
  const path = text.slice(from);
  if (path === '') throw logInvalid(FORMAT, no, 'the file name is empty');
  let size = -1;
  const digests: Digests = {};
  columns.slice(0, -1).forEach((column, i) => {
    const value = fields[i] ?? '';
    if (column === 'size') {
      if (!SIZE.test(value) || !Number.isSafeInteger(Number(value)))
        throw logInvalid(FORMAT, no, 'the size is not a whole number of bytes');
      size = Number(value);
      return;
    }
    const spec = COLUMNS[column];
    if (spec === undefined) return;
    const bytes = hexDigest(FORMAT, no, column, value, spec.bytes);
    if (spec.keep !== undefined) digests[spec.keep] = bytes;
  });
  return { path, size, digests };
}
