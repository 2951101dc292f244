/**
 * The one error base class of custody. Every error the library raises carries a
 * stable string `code` (listed in docs/ERRORS.md) and a `category` that the CLI
 * maps to an exit code in exactly one place (cli/exit.ts). The code is typed: an
 * error code (src/error-codes.ts) or a problem code (src/problem-codes.ts), so a
 * code that is declared in neither does not compile.
 */
import { type ErrorCode, isErrorCode, VERDICT_CODES } from './error-codes.js';
import { isProblemCode, type ProblemCode } from './problem-codes.js';

/** What a CustodyError's code may be: a code only ever thrown, or one a verifier also reports. */
export type CustodyErrorCode = ErrorCode | ProblemCode;

/** Whether a runtime string is a code a CustodyError may carry. */
export const isCustodyErrorCode = (code: string): code is CustodyErrorCode =>
  isErrorCode(code) || isProblemCode(code);

export type ErrorCategory =
  /** Bad arguments or unusable input (a mangled file, wrong passphrase, unknown exhibit). */
  | 'input'
  /** Refused by the custody rules; nothing was written. */
  | 'custody'
  /** The ledger or its storage is unavailable (missing, locked, I/O failure). */
  | 'unavailable'
  /** Integrity or custody verification failed. */
  | 'verification'
  /** A bug: an invariant of the library itself was broken. */
  | 'internal';

const CATEGORIES: ReadonlySet<string> = new Set([
  'input',
  'custody',
  'unavailable',
  'verification',
  'internal',
]);

/** Whether a value read from the wire (a server's error document) names a category. */
export const isErrorCategory = (v: unknown): v is ErrorCategory => typeof v === 'string' && CATEGORIES.has(v);

export class CustodyError extends Error {
  readonly code: CustodyErrorCode;
  readonly category: ErrorCategory;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: CustodyErrorCode,
    message: string,
    category: ErrorCategory,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CustodyError';
    this.code = code;
    this.category = category;
    this.details = details;
  }
}

export const inputError = (code: CustodyErrorCode, message: string, details?: Record<string, unknown>) =>
  new CustodyError(code, message, 'input', details);

export const isCustodyError = (e: unknown): e is CustodyError => e instanceof CustodyError;

const FROM_VERDICTS: ReadonlySet<string> = new Set(VERDICT_CODES);

/** What a server's error code this version does not accept becomes (docs/ERRORS.md, SERVER_ERROR). */
export const UNKNOWN_SERVER_CODE = 'SERVER_ERROR' satisfies ErrorCode;

/**
 * A code read from a server's error document (cli/remote.ts, src/ledger/append-wire.ts) as a
 * CustodyError's code and message. The server is not trusted for it: a code this version does not
 * know (a newer server's, or a made-up one) becomes SERVER_ERROR, as does a verdict code, which only
 * this program's own verifiers end with (cli/exit.ts would give it a verdict's exit code). The
 * original code, when it has the shape of one, is kept at the front of the message. The category
 * is the server's, checked by the caller (isErrorCategory): it alone decides the exit code of a code
 * the client does not know, as docs/ERRORS.md §Codes are stable asks.
 */
export function serverCodeOf(code: string, message: string): { code: CustodyErrorCode; message: string } {
  if (isCustodyErrorCode(code) && !FROM_VERDICTS.has(code)) return { code, message };
  return {
    code: UNKNOWN_SERVER_CODE,
    message: /^[A-Z][A-Z0-9_]{0,63}$/.test(code) ? `${code}: ${message}` : message,
  };
}
