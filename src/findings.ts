/**
 * What a verifier finds: problems, each with a stable code, and the verdict
 * they add up to (docs/VERIFYING.md §Verdicts). Only the types live here, at
 * the bottom of the layers, because the verifiers, the bundle's verdict
 * types, the report and the CLI all name them; deciding a verdict is the
 * verifier's job (src/verify/verdict.ts). What each code means for the
 * verdict, the report and the bundle checks is in one table, below this file
 * (./problem-codes.ts).
 */
import type { ProblemCode } from './problem-codes.js';

export type Severity = 'error' | 'warning';

export interface Problem {
  /** Stable code, classified in ./problem-codes.ts and listed in docs/ERRORS.md. */
  code: ProblemCode;
  severity: Severity;
  /** Entry concerned, or null for problems about the log as a whole. */
  seq: number | null;
  /** Exhibit concerned, if any. */
  exhibit: string | null;
  message: string;
}

export type Verdict = 'VERIFIED' | 'FAILED' | 'INCOMPLETE' | 'UNANCHORED' | 'UNWITNESSED';
