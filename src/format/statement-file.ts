/**
 * A statement file (docs/FORMAT.md §Statement files): a signed statement and
 * the openings of its committed fields, written by an appending command run
 * with `--offline` and appended later by `custody submit`. It is what a
 * field team carries from a seizure to a connection.
 *
 *   statement file = canonical map {
 *     "custody":   "statement",
 *     "v":         1,
 *     "statement": bin (the signed statement, FORMAT.md §Statements),
 *     "openings":  bin (canonical openings, FORMAT.md §Openings; absent when none)
 *   }
 *
 * Reading one decodes it strictly, checks the statement against the kinds
 * table, verifies its signatures and checks that every opening opens its
 * commitment, so a damaged file is refused before anything is submitted.
 * The file adds no trust: the ledger checks all of this again.
 */
import { decodeCanonical, encodeCanonical } from './canonical.js';
import { isObj } from './checks.js';
import { FormatError } from './format-error.js';
import type { KindSpec } from './kinds.js';
import { checkOpenings, decodeOpenings, type Openings } from './openings.js';
import { openSignedStatement } from './sign-statement.js';
import { type DecodedStatement, STATEMENT_LIMITS } from './statement.js';

/** Largest statement file: the statement's limit and room for every opening of a body. */
export const STATEMENT_FILE_MAX_BYTES = 256 * 1024;

const MAGIC = 'statement';

export interface StatementFile {
  /** The signed statement's bytes, as submitted. */
  statement: Uint8Array;
  /** The canonical openings, or undefined when the statement reveals nothing. */
  openings: Uint8Array | undefined;
}

export interface ReadStatementFile extends StatementFile {
  decoded: DecodedStatement & { spec: KindSpec };
  opened: Openings;
}

export function encodeStatementFile(f: StatementFile): Uint8Array {
  const m: Record<string, string | number | Uint8Array> = { custody: MAGIC, v: 1, statement: f.statement };
  if (f.openings !== undefined) m['openings'] = f.openings;
  return encodeCanonical(m);
}

const bad = (message: string) => new FormatError('STATEMENT_FILE_INVALID', message);

/**
 * Strictly reads a statement file. Throws FormatError: STATEMENT_FILE_INVALID
 * for the file's own shape, or the statement's and openings' own codes
 * (STATEMENT_*, BODY_SCHEMA, KIND_UNKNOWN, STATEMENT_SIGNATURE_INVALID,
 * OPENING_INVALID, OPENING_TEXT_REFUSED).
 */
export function readStatementFile(bytes: Uint8Array): ReadStatementFile {
  if (bytes.length > STATEMENT_FILE_MAX_BYTES)
    throw bad(`a statement file is at most ${STATEMENT_FILE_MAX_BYTES} bytes`);
  const r = decodeCanonical(bytes);
  if ('error' in r || !isObj(r.value)) throw bad('not a statement file (not one canonical map)');
  const m = r.value;
  for (const k of Object.keys(m))
    if (!['custody', 'v', 'statement', 'openings'].includes(k))
      throw bad(`unknown field ${JSON.stringify(k)}`);
  if (m['custody'] !== MAGIC) throw bad('not a statement file (custody is not "statement")');
  if (m['v'] !== 1) throw bad(`statement file version ${String(m['v'])} is not supported (1 is)`);
  const statement = m['statement'];
  const openings = m['openings'];
  if (!(statement instanceof Uint8Array)) throw bad('statement must be the signed statement bytes');
  if (statement.length > STATEMENT_LIMITS.signed)
    throw new FormatError('STATEMENT_TOO_LARGE', 'the signed statement exceeds the statement limit');
  if (openings !== undefined && !(openings instanceof Uint8Array)) throw bad('openings must be bytes');
  const decoded = openSignedStatement(statement);
  const opened = openings === undefined ? {} : decodeOpenings(openings);
  checkOpenings(decoded.spec, decoded.statement.kind, decoded.statement.body, opened);
  return { statement, openings, decoded, opened };
}
