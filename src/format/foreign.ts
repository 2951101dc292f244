/**
 * The foreign statement: payload type 3 (docs/FORMAT.md §Foreign statements,
 * docs/FEDERATION.md). Another ledger's signed statement, carried with the
 * evidence that its own ledger logged and accepted it, so that this ledger
 * (and every verifier replaying it) can judge it without asking that ledger:
 *
 *   foreign = canonical({ statement: bin, receipt: bin, record: bin, proof: bin, registration?: bin, logged?: bin })
 *
 *   statement  the signed statement as its origin logged it (FORMAT.md §Statements)
 *   receipt    UTF-8 C2SP tlog-proof of its entry in the origin's log, the entry as extra data,
 *              against a checkpoint the origin's policy accepts (docs/PROOFS.md §Receipts)
 *   record     the exhibit's record in the origin's state map after that entry (records.ts)
 *   proof      the map proof of that record against the entry's map root (STATE-MAP.md)
 *   registration  with a transfer only: the exhibit's signed registration, as its first ledger
 *              logged it; self-authenticating, since the exhibit's id is its identity
 *   logged     with a cancel confirmation only: the payload of the peer's entry the receipt is
 *              of — the foreign statement by which the peer imported this ledger's own cancel
 *              (`statement` is that cancel); the receipt then proves `logged`, not `statement`
 *
 * Decoding is strict and canonical; what the parts prove is judged by the
 * custody rules (src/custody/foreign-rules.ts).
 */
import { fromUtf8, utf8 } from '../bytes.js';
import { decodeCanonical, encodeCanonical } from './canonical.js';
import { isObj } from './checks.js';
import { FormatError } from './format-error.js';
import { STATEMENT_LIMITS } from './statement.js';

/** A receipt with a few ML-DSA-44 cosignatures and a 63-hash proof fits far below this. */
export const FOREIGN_MAX_BYTES = 256 << 10;
const RECEIPT_MAX = 128 << 10;
const RECORD_MAX = 4 << 10;
const PROOF_MAX = 64 << 10;

export interface ForeignPayload {
  readonly statement: Uint8Array;
  /** The tlog-proof text. */
  readonly receipt: string;
  readonly record: Uint8Array;
  readonly proof: Uint8Array;
  /** The exhibit's signed registration (with a transfer). */
  readonly registration?: Uint8Array;
  /** The peer's logged foreign payload (with a cancel confirmation). */
  readonly logged?: Uint8Array;
}

const FIELDS = ['proof', 'receipt', 'record', 'statement'] as const;
const OPTIONAL = ['logged', 'registration'] as const;
const malformed = (why: string) => new FormatError('FOREIGN_MALFORMED', `foreign statement: ${why}`);

const isBin = (v: unknown, max: number): v is Uint8Array =>
  v instanceof Uint8Array && v.length > 0 && v.length <= max;

export function encodeForeign(f: ForeignPayload): Uint8Array {
  const bytes = encodeCanonical({
    statement: f.statement,
    receipt: utf8(f.receipt),
    record: f.record,
    proof: f.proof,
    ...(f.registration ? { registration: f.registration } : {}),
    ...(f.logged ? { logged: f.logged } : {}),
  });
  // What we write must be what we read back.
  decodeForeign(bytes);
  return bytes;
}

/** Decodes a foreign payload strictly; throws FormatError FOREIGN_MALFORMED. */
export function decodeForeign(bytes: Uint8Array): ForeignPayload {
  if (!(bytes instanceof Uint8Array) || bytes.length > FOREIGN_MAX_BYTES) throw malformed('too large');
  const d = decodeCanonical(bytes);
  if ('error' in d) throw malformed(`not canonical (${d.error})`);
  const v = d.value;
  if (!isObj(v)) throw malformed('not a map');
  const keys = Object.keys(v)
    .filter((k) => !(OPTIONAL as readonly string[]).includes(k))
    .sort();
  if (keys.length !== FIELDS.length || keys.some((k, i) => k !== FIELDS[i]))
    throw malformed(`fields must be ${FIELDS.join(', ')} and optionally ${OPTIONAL.join(', ')}`);
  const { statement, receipt, record, proof, registration, logged } = v as Record<
    (typeof FIELDS)[number] | (typeof OPTIONAL)[number],
    unknown
  >;
  if (!isBin(statement, STATEMENT_LIMITS.signed)) throw malformed('statement must be 1 to 16,384 bytes');
  if (!isBin(receipt, RECEIPT_MAX)) throw malformed('receipt must be 1 to 131,072 bytes');
  if (!isBin(record, RECORD_MAX)) throw malformed('record must be 1 to 4,096 bytes');
  if (!isBin(proof, PROOF_MAX)) throw malformed('proof must be 1 to 65,536 bytes');
  let text: string;
  try {
    text = fromUtf8(receipt);
  } catch {
    throw malformed('receipt is not UTF-8');
  }
  if (registration !== undefined && !isBin(registration, STATEMENT_LIMITS.signed))
    throw malformed('registration must be 1 to 16,384 bytes');
  if (logged !== undefined && !isBin(logged, FOREIGN_MAX_BYTES))
    throw malformed('logged must be 1 to 262,144 bytes');
  if (logged !== undefined && registration !== undefined)
    throw malformed('a cancel confirmation (logged) carries no registration');
  return {
    statement,
    receipt: text,
    record,
    proof,
    ...(registration === undefined ? {} : { registration }),
    ...(logged === undefined ? {} : { logged }),
  };
}
