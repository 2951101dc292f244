/**
 * The one place where errors and verdicts become exit codes (docs/CLI.md §Exit codes).
 *   0 success; VERIFIED
 *   1 FAILED: verification found the input forged, damaged or against the rules
 *   2 usage error or invalid input
 *   3 refused by the custody rules; nothing appended
 *   4 ledger unavailable (missing, in use by another process, storage error)
 *   5 INCOMPLETE: a verifier's limit was reached or data is missing
 *   6 UNANCHORED: self-consistent, but no pinned key vouches for it
 *   7 UNWITNESSED: anchored, but cosigners the relying party asks for did not sign
 *  70 internal error (a bug in custody; please report it)
 */
import { CommanderError } from 'commander';
import type { VerdictCode } from '../src/error-codes.js';
import { CustodyError, type ErrorCategory } from '../src/errors.js';
import type { Verdict } from '../src/verify/verdict.js';

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  unavailable: 4,
  incomplete: 5,
  unanchored: 6,
  unwitnessed: 7,
  internal: 70,
} as const;

/** Each verdict's exit code, and the code of the error line a command ends with. */
export const VERDICT_EXIT = {
  VERIFIED: { exitCode: EXIT.ok, code: 'VERIFIED' },
  FAILED: { exitCode: EXIT.failed, code: 'VERIFICATION_FAILED' },
  INCOMPLETE: { exitCode: EXIT.incomplete, code: 'VERIFICATION_INCOMPLETE' },
  UNANCHORED: { exitCode: EXIT.unanchored, code: 'VERIFICATION_UNANCHORED' },
  UNWITNESSED: { exitCode: EXIT.unwitnessed, code: 'VERIFICATION_UNWITNESSED' },
} as const satisfies Record<Verdict, { exitCode: number; code: 'VERIFIED' | VerdictCode }>;
const BY_VERDICT_CODE: ReadonlyMap<string, number> = new Map(
  Object.values(VERDICT_EXIT).map((v) => [v.code, v.exitCode]),
);

/** Whether a failure is a verdict other than VERIFIED (its JSON document was already printed). */
export const isVerdictFailure = (code: string): boolean => BY_VERDICT_CODE.has(code);

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
    return {
      exitCode: BY_VERDICT_CODE.get(e.code) ?? BY_CATEGORY[e.category],
      code: e.code,
      message: e.message,
    };
  if (e instanceof CommanderError)
    // One line: commander appends suggestions ("Did you mean …?") on a new line.
    return {
      exitCode: EXIT.usage,
      code: 'USAGE',
      message: e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' '),
    };
  return { exitCode: EXIT.internal, code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}
