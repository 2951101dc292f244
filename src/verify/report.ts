/**
 * The verification report model (docs/VERIFYING.md §Report). One model, rendered
 * as text, JSON and HTML by the CLI and the report module.
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  /** Stable code, listed in docs/ERRORS.md. */
  code: string;
  severity: Severity;
  /** Entry concerned, or null for problems about the log as a whole. */
  seq: number | null;
  /** Exhibit concerned, if any. */
  exhibit: string | null;
  message: string;
}

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
