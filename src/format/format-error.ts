/**
 * Errors raised while strictly decoding v2 statements and entries (docs/ERRORS.md
 * §Format v2). Each decoder throws only this class; the verifier turns its code
 * into a problem on the entry, the CLI into an exit code.
 */
import { CustodyError } from '../errors.js';

export type FormatErrorCode =
  | 'STATEMENT_TOO_LARGE'
  | 'STATEMENT_MALFORMED'
  | 'STATEMENT_NON_CANONICAL'
  | 'STATEMENT_SCHEMA'
  | 'BODY_SCHEMA'
  | 'KIND_UNKNOWN'
  | 'BODY_VERSION_UNKNOWN'
  | 'KIND_CLASS_MISMATCH'
  | 'ENTRY_MALFORMED'
  | 'ENTRY_NON_CANONICAL'
  | 'ENTRY_SCHEMA'
  | 'OPENING_INVALID'
  | 'OPENING_TEXT_REFUSED'
  | 'STATEMENT_SIGNATURE_INVALID'
  | 'STATEMENT_FILE_INVALID'
  | 'RECORD_MALFORMED'
  | 'RECORD_KIND_UNKNOWN'
  | 'FOREIGN_MALFORMED';

export class FormatError extends CustodyError {
  constructor(code: FormatErrorCode, message: string) {
    super(code, message, 'verification');
  }
}
