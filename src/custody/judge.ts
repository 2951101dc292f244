/**
 * The v2 custody rules as one pure function over (state before, statement,
 * placement): used by the ledger before it appends (a refusal writes nothing)
 * and by the verifier when it replays (a refusal is reported, and the entry
 * changes nothing in the map). Signatures are checked elsewhere, in batches.
 *
 * Order of checks (docs/CUSTODY-RULES.md §Order): origin, genesis first,
 * claimed time against log time, seen, the signer's standing, then the kind's
 * own rule from RULES.
 */
import { equalBytes } from '../bytes.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf, type TypedKey } from '../format/key-id.js';
import { isKind, type Kind, type KindSpec } from '../format/kinds.js';
import type { Statement } from '../format/statement.js';
import { ANNOTATION_RULES } from './annotation-rules.js';
import { CHAIN_RULES } from './chain-rules.js';
import { type CustodyState, latin1, type StagedWrite } from './custody-state.js';
import type { Context, Outcome, Placement } from './judgement.js';
import { accept, refuse } from './judgement.js';
import * as ledgerRules from './ledger-rules.js';
import { DEFAULT_CONFIG, type KeyRecord, type LedgerRecord, NS } from './records.js';

/** The ledger record's key: empty. */
const NO_KEY = new Uint8Array(0);

/** The rule of each kind in the kinds table (src/format/kinds.ts): every kind has one. */
export const RULES: Readonly<Record<Kind, (c: Context) => Outcome>> = {
  ...ledgerRules.LEDGER_RULES,
  ...CHAIN_RULES,
  ...ANNOTATION_RULES,
};

export interface Judged {
  statement: Statement;
  spec: KindSpec;
  id: Uint8Array;
}

function timing(s: Statement, at: Placement, ledger: LedgerRecord | undefined): Outcome | undefined {
  const config = ledger?.config ?? DEFAULT_CONFIG;
  if (s.time > at.time + config.clockSkewMs)
    return refuse(
      'CLAIMED_TIME_AHEAD',
      'the statement claims a time ahead of the log’s clock beyond the allowed skew',
    );
  if (s.time + config.lateSubmissionMs < at.time)
    return refuse(
      'SUBMITTED_TOO_LATE',
      'the statement was signed longer ago than the late-submission window allows',
    );
  return undefined;
}

function seen(s: Statement, at: Placement): Outcome | undefined {
  if (!s.seen) {
    // Authority and registrar statements are made against a checkpoint (FORMAT.md §Statements).
    return s.class === 'ledger' && s.kind !== 'genesis'
      ? refuse('SEEN_MISSING', 'a ledger statement names the checkpoint it was made against')
      : undefined;
  }
  if (s.seen.size > at.index)
    return refuse('SEEN_AHEAD', 'seen names a checkpoint larger than the log before this entry');
  if (!at.seenRoot || !equalBytes(at.seenRoot, s.seen.root))
    return refuse('SEEN_MISMATCH', 'seen names a checkpoint this log never had');
  return undefined;
}

function standing(signer: KeyRecord | undefined, s: Statement, at: Placement): Outcome | undefined {
  if (!signer) return refuse('ACTOR_UNKNOWN', 'the signer is not enrolled in this ledger');
  if (signer.revokedAt !== undefined && signer.revokedAt <= at.index)
    return refuse(
      'ACTOR_REVOKED',
      `the signer's key was revoked or retired as of checkpoint ${signer.revokedAt}`,
    );
  if (signer.validUntil !== undefined && s.time > signer.validUntil)
    return refuse('ACTOR_EXPIRED', 'the signer’s enrolment had expired');
  return undefined;
}

/**
 * The statement key id of a signer, remembered by public key: the same few
 * actors sign most statements, and each id is a SHA-256. Bounded; the ids
 * are shared, never written to.
 */
const signerIds = new Map<string, Uint8Array>();
const SIGNER_IDS_MAX = 4096;
export function signerIdOf(k: TypedKey): Uint8Array {
  const pk = k.publicKey;
  // Statement keys are Ed25519 (32 bytes); anything else is not remembered.
  if (k.type !== KEY_TYPES.ed25519 || pk.length !== 32) return keyIdOf(k, KEY_PURPOSES.statement);
  const name = latin1(pk);
  let id = signerIds.get(name);
  if (id === undefined) {
    id = keyIdOf(k, KEY_PURPOSES.statement);
    if (signerIds.size >= SIGNER_IDS_MAX) signerIds.clear();
    signerIds.set(name, id);
  }
  return id;
}

/** Decides whether `j` may be appended at `at` after `state`; the state is not changed. */
export function judge(state: CustodyState, j: Judged, at: Placement): Outcome {
  const s = j.statement;
  const ledger = state.get<LedgerRecord>(NS.ledger, NO_KEY);
  if (!ledger && s.kind !== 'genesis')
    return refuse('GENESIS_MISSING', 'the first entry of a ledger must be genesis');
  if (ledger && s.origin !== ledger.origin)
    return refuse('ORIGIN_MISMATCH', `the statement is signed for ${s.origin}, not for this ledger`);
  if (s.signer.origin !== undefined)
    return refuse('SIGNER_FOREIGN', 'a key enrolled in another ledger signs here only through federation');
  const early = timing(s, at, ledger) ?? seen(s, at);
  if (early) return early;
  const signerId = signerIdOf(s.signer.key);
  const signer = state.get<KeyRecord>(NS.key, signerId);
  if (s.kind !== 'genesis') {
    const st = standing(signer, s, at);
    if (st) return st;
  }
  if (!isKind(s.kind)) return refuse('KIND_UNKNOWN', `no rule for kind ${s.kind}`);
  const rule = RULES[s.kind];
  const o = rule({ state, statement: s, spec: j.spec, id: j.id, at, signerId, signer, ledger });
  return o.ok ? accept(stampLast(o.writes, signerId, signer, at.index)) : o;
}

/**
 * Every accepted statement records its position as its signer's `last`
 * (records.ts KeyRecord), on the record the rule wrote for that key if it
 * wrote one (genesis, rotate, a revocation of oneself), else on the record
 * as it was.
 */
function stampLast(
  writes: StagedWrite[],
  signerId: Uint8Array,
  signer: KeyRecord | undefined,
  index: number,
): StagedWrite[] {
  for (const [i, w] of writes.entries())
    if (w.ns === NS.key && w.record && equalBytes(w.key, signerId)) {
      const out = writes.slice();
      out[i] = { ns: NS.key, key: signerId, record: { ...(w.record as KeyRecord), last: index } };
      return out;
    }
  if (!signer) return writes;
  return [...writes, { ns: NS.key, key: signerId, record: { ...signer, last: index } }];
}

/** Judges and, if accepted, applies; returns the violation or undefined. */
export function applyStatement(state: CustodyState, j: Judged, at: Placement) {
  const o = judge(state, j, at);
  if (!o.ok) return o.violation;
  state.apply(o.writes);
  return undefined;
}
