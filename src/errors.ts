/**
 * The one error base class of custody. Every error the library raises carries a
 * stable string `code` (listed in docs/ERRORS.md) and a `category` that the CLI
 * maps to an exit code in exactly one place (cli/exit.ts).
 */
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
  readonly code: string;
  readonly category: ErrorCategory;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: string,
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

export const inputError = (code: string, message: string, details?: Record<string, unknown>) =>
  new CustodyError(code, message, 'input', details);

export const isCustodyError = (e: unknown): e is CustodyError => e instanceof CustodyError;
