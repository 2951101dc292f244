/**
 * CSV tables as `custody export --format csv` writes them (docs/CLI.md §custody export
 * --format csv): RFC 4180 — a header row, CRLF after every row, a field quoted when it
 * holds a comma, a quote, CR or LF, a quote inside doubled — in UTF-8 without a byte
 * order mark (the RFC's TEXTDATA is ASCII; any other character is written as itself).
 *
 * Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that begins with
 * = + - @ (or a tab or CR, which some read past) as a formula, and a label or a name is
 * typed by whoever registers or enrols. Such a cell is written with a single quote in
 * front, which spreadsheets show as text; the quote is part of the cell for any other
 * reader. Security assumption: the guard covers what spreadsheets evaluate when a file
 * is opened; a user who strips the quote and re-enters the cell is past it.
 *
 * The reader is strict: it accepts what the writer writes, and refuses any other
 * shape (CSV_INVALID) rather than guessing, so a round trip is exact. Pure.
 */
import { CustodyError } from '../errors.js';

/** First characters a spreadsheet may read as a formula (OWASP CSV Injection). */
export const FORMULA_STARTS: readonly string[] = ['=', '+', '-', '@', '\t', '\r'];

const invalid = (why: string) =>
  new CustodyError('CSV_INVALID', `not a strict RFC 4180 table: ${why}`, 'input');

/** A cell's text with the formula guard: a leading single quote if it could start a formula. */
export const guardCell = (s: string): string => (FORMULA_STARTS.includes(s.charAt(0)) ? `'${s}` : s);

/** One field as written: guarded, then quoted when it holds a comma, a quote, CR or LF. */
function field(s: string): string {
  const g = guardCell(s);
  return /[",\r\n]/.test(g) ? `"${g.replaceAll('"', '""')}"` : g;
}

/** The table's text: the header row, then each row, every row ended by CRLF. */
export function writeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  if (header.length === 0) throw invalid('a table needs at least one column');
  let out = '';
  for (const [i, row] of [header, ...rows].entries()) {
    if (row.length !== header.length)
      throw invalid(`row ${i + 1} has ${row.length} fields, the header ${header.length}`);
    // A row of one empty field is written "" so that it is not read as a blank line.
    out += row.length === 1 && row[0] === '' ? '""\r\n' : `${row.map(field).join(',')}\r\n`;
  }
  return out;
}

/**
 * The rows of a table, header first, exactly as written: quotes removed and doubled
 * quotes undone, formula guards kept. Refuses a byte order mark, a bare CR or LF, a
 * quote in an unquoted field, anything but a comma or CRLF after a closing quote, an
 * unclosed quote, and rows of different widths. The last row's CRLF may be missing
 * (RFC 4180 §2.2).
 */
export function readCsv(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) throw invalid('it begins with a byte order mark');
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  for (;;) {
    // One field, starting at i.
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw invalid(`row ${rows.length + 1} has an unclosed quote`);
        value += text.slice(i, q);
        i = q + 1;
        if (text[i] !== '"') break;
        value += '"';
        i++;
      }
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') {
        if (text[j] === '"') throw invalid(`row ${rows.length + 1} has a quote inside an unquoted field`);
        j++;
      }
      value = text.slice(i, j);
      i = j;
    }
    row.push(value);
    if (i >= n) break;
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      rows.push(row);
      row = [];
      i += 2;
      if (i >= n) return widths(rows);
      continue;
    }
    throw invalid(
      text[i] === '\r' || text[i] === '\n'
        ? `row ${rows.length + 1} has a line break that is not CRLF`
        : `row ${rows.length + 1} has text after a closing quote`,
    );
  }
  rows.push(row);
  return widths(rows);
}

function widths(rows: string[][]): string[][] {
  const w = rows[0]?.length ?? 0;
  const bad = rows.findIndex((r) => r.length !== w);
  if (bad >= 0) throw invalid(`row ${bad + 1} has ${rows[bad]!.length} fields, the first ${w}`);
  return rows;
}
