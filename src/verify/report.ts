/**
 * The verification report model (docs/VERIFYING.md §Report). One model, rendered
 * as text, JSON and HTML by the CLI and the report module.
 */
import type { Problem } from '../findings.js';

// A report is made of problems; they are defined below the bundle's verdict types, which name them too.
export type { Problem, Severity } from '../findings.js';

export interface Anchor {
  /** Base64 Ed25519 public key the caller pinned and which matched. */
  publicKey: string;
  actor: string;
  /** How it matched: the genesis authority key, or a key rotated in at `seq`. */
  via: 'genesis' | 'rotation';
  seq: number;
}

export interface VerifyReport {
  /** True when no problem of severity "error" was found. */
  ok: boolean;
  /** True when the log chains back to an authority key the caller pinned. */
  anchored: boolean;
  anchor: Anchor | null;
  origin: string;
  entries: number;
  /** Hex leaf hash of the last entry and hex Merkle root over all entries. */
  head: string;
  root: string;
  actors: number;
  exhibits: number;
  signaturesChecked: number;
  problems: Problem[];
  /** Total problems found; `problems` keeps at most the first MAX_PROBLEMS. */
  problemCount: number;
}

export const MAX_PROBLEMS = 1000;

/**
 * The problems a report keeps of `all` (in order), when `total` were found
 * (more than `all` holds if a memory cap dropped some). A cap never blinds
 * the verdict (issue 24 item 6): when anything is left out, the first
 * failure among what is left out is kept too (the verdict stays FAILED), and
 * a PROBLEMS_TRUNCATED problem says so (class incomplete: never VERIFIED).
 * `firstDroppedFailure` is the first failure among problems not even in `all`.
 */
export function keepProblems(
  all: readonly Problem[],
  total: number,
  isFailure: (p: Problem) => boolean,
  firstDroppedFailure?: Problem,
  max: number = MAX_PROBLEMS,
): Problem[] {
  if (total <= max && all.length === total) return all.slice();
  const kept = all.slice(0, max - 2);
  if (!kept.some(isFailure)) {
    const f = all.slice(max - 2).find(isFailure) ?? firstDroppedFailure;
    if (f) kept.push(f);
  }
  kept.push({
    code: 'PROBLEMS_TRUNCATED',
    severity: 'error',
    seq: null,
    exhibit: null,
    message: `${total} problems were found; only ${kept.length} are listed, and the verification cannot vouch for what it stopped counting`,
  });
  return kept;
}
