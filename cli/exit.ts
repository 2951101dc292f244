/**
 * The one place where errors become exit codes (docs/CLI.md §Exit codes).
 *   0 success / verified
 *   1 verification failed (integrity or custody problem found)
 *   2 usage error or invalid input
 *   3 refused by the custody rules; nothing appended
 *   4 ledger unavailable (missing, in use by another process, storage error)
 *  70 internal error (a bug in custody; please report it)
 */
import { CommanderError } from 'commander';
import { CustodyError, type ErrorCategory } from '../src/errors.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, unavailable: 4, internal: 70 } as const;

const BY_CATEGORY: Record<ErrorCategory, number> = {
  verification: EXIT.failed,
  input: EXIT.usage,
  custody: EXIT.refused,
  unavailable: EXIT.unavailable,
  internal: EXIT.internal,
};

export interface Failure {
  exitCode: number;
  code: string;
  message: string;
}

export function classify(e: unknown): Failure {
  if (e instanceof CustodyError)
    return { exitCode: BY_CATEGORY[e.category], code: e.code, message: e.message };
  if (e instanceof CommanderError)
    // One line: commander appends suggestions ("Did you mean …?") on a new line.
    return {
      exitCode: EXIT.usage,
      code: 'USAGE',
      message: e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '),
    };
  return { exitCode: EXIT.internal, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
