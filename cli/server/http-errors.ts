/**
 * The one place where the server maps errors to HTTP statuses
 * (docs/SERVER.md §Errors). The body is always the JSON document
 * `{"error": {"code", "message", "category"}}`; a client rebuilds the same
 * CustodyError from it, so a command gives the same message and exit code
 * against a server as against a local directory.
 */
import { CustodyError, type ErrorCategory } from '../../src/errors.js';

const BY_CODE: Readonly<Record<string, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NEED_TO_KNOW: 403,
  NOT_FOUND: 404,
  BODY_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SIGNING_REFUSED: 503,
  NOT_SEQUENCER: 503,
  SERVER_STOPPING: 503,
};

const BY_CATEGORY: Record<ErrorCategory, number> = {
  input: 400,
  custody: 409,
  verification: 422,
  unavailable: 503,
  internal: 500,
};

export interface HttpFailure {
  status: number;
  body: { error: { code: string; message: string; category: ErrorCategory } };
}

export function httpFailure(e: unknown): HttpFailure {
  if (e instanceof CustodyError) {
    const status = BY_CODE[e.code] ?? BY_CATEGORY[e.category];
    return { status, body: { error: { code: e.code, message: e.message, category: e.category } } };
  }
  // Anything else is a bug: its message may hold internals, so it is not sent.
  return {
    status: 500,
    body: {
      error: { code: 'INTERNAL', message: 'internal error (see the server log)', category: 'internal' },
    },
  };
}
