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
