/**
 * What the v2 rules decide about one statement, and the context they decide
 * it in (docs/CUSTODY-RULES.md). Shared by the ledger-class and chain-class
 * rules and the function that dispatches between them.
 */
import type { CustodyErrorCode } from '../errors.js';
import type { KindSpec } from '../format/kinds.js';
import type { Statement } from '../format/statement.js';
import type { ProblemCode } from '../problem-codes.js';
import type { CustodyState, StagedWrite } from './custody-state.js';
import type { KeyRecord, LedgerRecord } from './records.js';

/**
 * Why a statement is not accepted. The code is any CustodyError's here, not only a
 * problem code, because admit() passes a decoder's FormatError code on (and
 * STATEMENT_FILE_INVALID is not a problem code); whoever reports it as a problem
 * narrows it (isProblemCode, src/problem-codes.ts).
 */
export interface Violation {
  code: CustodyErrorCode;
  message: string;
}

/** A refusal of the rules: its code is one of the table's, checked by the compiler. */
export interface Refusal extends Violation {
  code: ProblemCode;
}

export type Outcome = { ok: true; writes: StagedWrite[] } | { ok: false; violation: Refusal };

export const refuse = (code: ProblemCode, message: string): Outcome => ({
  ok: false,
  violation: { code, message },
});
export const accept = (writes: StagedWrite[]): Outcome => ({ ok: true, writes });

/** Whether a rule's helper returned an outcome (a refusal) rather than what it was asked for. */
export const isOutcome = (v: unknown): v is Outcome => typeof v === 'object' && v !== null && 'ok' in v;

/**
 * Where the log puts the statement: its entry's position and log time, and,
 * when the statement carries `seen`, the log's tree root at `seen.size`
 * (looked up by the caller, which holds the tree; undefined if it has none).
 */
export interface Placement {
  index: number;
  time: number;
  seenRoot?: Uint8Array;
}

/** Everything a kind's rule reads; the state is as it was before this statement. */
export interface Context {
  state: CustodyState;
  statement: Statement;
  spec: KindSpec;
  /** The statement's identity. */
  id: Uint8Array;
  at: Placement;
  /** The signer's statement key id. */
  signerId: Uint8Array;
  /** The signer's key record (undefined only for genesis). */
  signer: KeyRecord | undefined;
  /** The ledger record (undefined only before genesis). */
  ledger: LedgerRecord | undefined;
}
