/**
 * Every problem code a verifier reports or a custody rule refuses with, classified once
 * (docs/ERRORS.md §Problem codes by area and class, which a test keeps equal to this table):
 *
 *   area   what the code is about (PROBLEM_AREAS); the report derives from it which claims a
 *          failure blocks (src/report/model-areas.ts)
 *   class  how it bears on the verdict (ProblemClass; src/verify/verdict.ts decides with it)
 *   check  the named bundle check it fails, for codes the bundle verifier reports
 *          (src/verify/bundle-v2-checks.ts, docs/BUNDLE.md §Checks and problem codes)
 *
 * It sits at the bottom of the layers, below src/findings.ts, because `Problem.code` is typed by
 * it and the custody rules, the verifiers, the bundle's verdict types and the report all name
 * its codes. A literal code missing here does not compile where it is reported; a code that
 * arrives as a runtime string (a caught error's) is narrowed with isProblemCode.
 */

/** What a problem is about. Kept small; each maps to exactly one area of the report. */
export const PROBLEM_AREAS = {
  decoding:
    'bytes that do not decode strictly or break the format: statements, entries, openings, bundle files',
  chain: 'the log as an append-only sequence: positions, log times, payload hashes, and roots seen earlier',
  signature: 'signatures, and whether the key was still entitled to sign (revoked, compromised)',
  tree: 'the signed checkpoints and the Merkle tree they sign: note, signature, origin, size, root, inclusion',
  map: "the state map: the map roots entries carry, map proofs, and the ledger's and keys' records at N",
  head: "the exhibit's own record at the checkpoint: that no later event of it exists",
  store: 'the derived data a store keeps beside the entries: head, records, tree nodes, indexes, map',
  custody: 'the custody rules (CUSTODY-RULES.md), on append and on replay',
  trust: 'what the relying party pins or asks for: authority and log keys, the witness policy',
  witness: 'witness cosignatures on the checkpoint',
  file: 'the evidence file in hand, against the registered size and digests',
  integrity: 'integrity the history records: a digest that differed on a re-check, a broken seal',
  verifier: 'the verification could not be carried out in full: a resource cap, a failing source, a bug',
} as const;
export type ProblemArea = keyof typeof PROBLEM_AREAS;

/**
 * How a problem bears on the verdict (docs/VERIFYING.md §Verdicts and exit codes): the
 * "severity" of a code.
 *   failure      the input is not what it claims (forged, damaged, against the rules): FAILED
 *   incomplete   a verifier's resource cap was reached, or data needed was not there: INCOMPLETE
 *   unanchored   a pinned key does not vouch for the result: UNANCHORED
 *   unwitnessed  cosigners the relying party asks for did not sign: UNWITNESSED
 *   recorded     the record is intact and itself records a custody warning (a digest
 *                mismatch on a re-check, a broken seal): a warning, or FAILED under --strict
 *   note         a warning that never changes the verdict
 */
export type ProblemClass = 'failure' | 'incomplete' | 'unanchored' | 'unwitnessed' | 'recorded' | 'note';

/**
 * The named checks of a v2 bundle verdict (docs/BUNDLE.md §Checks and problem codes). Their
 * order and titles are the verifier's (CHECKS_V2 in src/verify/bundle-v2-checks.ts, which must
 * list exactly these); only the ids are here, for the table to name.
 */
export type BundleCheck =
  | 'bundle-structure'
  | 'anchor'
  | 'checkpoint-signature'
  | 'witness-quorum'
  | 'inclusion-proofs'
  | 'records'
  | 'signatures'
  | 'signers'
  | 'custody-rules'
  | 'exhibit-links'
  | 'history-complete'
  | 'openings'
  | 'recorded-integrity'
  | 'file-digests';

export interface ProblemCodeInfo {
  area: ProblemArea;
  class: ProblemClass;
  /** The bundle check the code fails; absent for codes only the whole-ledger verifier reports. */
  check?: BundleCheck;
}

const failure = (area: ProblemArea, check?: BundleCheck): ProblemCodeInfo =>
  check ? { area, class: 'failure', check } : { area, class: 'failure' };

export const PROBLEM_CODES = {
  // decoding: FormatError codes (src/format/format-error.ts) and the bundle decoder's.
  STATEMENT_TOO_LARGE: failure('decoding', 'records'),
  STATEMENT_MALFORMED: failure('decoding', 'records'),
  STATEMENT_NON_CANONICAL: failure('decoding', 'records'),
  STATEMENT_SCHEMA: failure('decoding', 'records'),
  BODY_SCHEMA: failure('decoding', 'records'),
  // A kind, body version or payload type this version does not know is not wrong, only
  // unjudgeable: INCOMPLETE (FORMAT.md §Statements, classes). Anything it changed that the
  // verifier can check (a map root, a later link) still fails on its own code.
  KIND_UNKNOWN: { area: 'decoding', class: 'incomplete', check: 'records' },
  BODY_VERSION_UNKNOWN: { area: 'decoding', class: 'incomplete', check: 'records' },
  KIND_CLASS_MISMATCH: failure('decoding', 'records'),
  ENTRY_MALFORMED: failure('decoding', 'records'),
  ENTRY_NON_CANONICAL: failure('decoding', 'records'),
  ENTRY_SCHEMA: failure('decoding', 'records'),
  PAYLOAD_TYPE_UNKNOWN: { area: 'decoding', class: 'incomplete', check: 'records' },
  // Log records (FORMAT.md §Log records): the log's own payloads.
  RECORD_MALFORMED: failure('decoding', 'records'),
  RECORD_KIND_UNKNOWN: { area: 'decoding', class: 'incomplete', check: 'records' },
  OPENING_INVALID: failure('decoding', 'openings'),
  OPENING_TEXT_REFUSED: failure('decoding', 'openings'),
  OPENINGS_MISMATCH: failure('decoding'),
  BUNDLE_MALFORMED: failure('decoding', 'bundle-structure'),
  // A freshness file (docs/BUNDLE.md §Freshness) that does not decode, or is not for this bundle.
  FRESHNESS_MALFORMED: failure('decoding', 'bundle-structure'),
  FRESHNESS_MISMATCH: failure('decoding', 'bundle-structure'),

  // verifier: a resource cap or a failing source only ever makes a verdict INCOMPLETE.
  BUNDLE_TOO_LARGE: { area: 'verifier', class: 'incomplete', check: 'bundle-structure' },
  SOURCE_FAILED: { area: 'verifier', class: 'incomplete' },
  PROBLEMS_TRUNCATED: { area: 'verifier', class: 'incomplete' },
  // verify --exhibit: a failure outside the exhibit's committed events (src/verify/scope.ts).
  OUTSIDE_EXHIBIT: { area: 'verifier', class: 'incomplete' },
  // Also the code a runtime code the table does not know becomes (problemCodeOf): a bug.
  VERIFIER_FAILED: failure('verifier', 'bundle-structure'),

  // chain
  ENTRY_INDEX_MISMATCH: failure('chain', 'records'),
  ENTRY_TIME_REGRESSION: failure('chain', 'records'),
  PAYLOAD_HASH_MISMATCH: failure('chain', 'records'),
  ENTRY_MISSING: failure('chain'),
  ENTRY_OUT_OF_ORDER: failure('chain'),
  LOG_EMPTY: failure('chain'),
  GENESIS_UNVERIFIED: failure('chain'),
  SEEN_PROOF_INVALID: failure('chain', 'inclusion-proofs'),
  CHECKPOINT_MISMATCH: failure('chain'),
  LOG_TRUNCATED: failure('chain'),

  // tree
  PROOF_INVALID: failure('tree', 'inclusion-proofs'),
  // RFC 9162 §2.1.4: a freshness file's checkpoint does not extend the bundle's (another log, a fork).
  FRESH_CONSISTENCY_INVALID: failure('tree', 'inclusion-proofs'),
  CHECKPOINT_MALFORMED: failure('tree', 'checkpoint-signature'),
  CHECKPOINT_ORIGIN_MISMATCH: failure('tree', 'checkpoint-signature'),
  CHECKPOINT_SIGNATURE_INVALID: failure('tree', 'checkpoint-signature'),
  CHECKPOINT_UNSIGNED: failure('tree', 'checkpoint-signature'),
  CHECKPOINT_UNVERIFIABLE: failure('tree', 'checkpoint-signature'),
  CHECKPOINT_SIZE_MISMATCH: failure('tree'),
  CHECKPOINT_ROOT_MISMATCH: failure('tree'),
  CHECKPOINT_BEYOND_LOG: failure('tree'),
  // An archived checkpoint (a log record) that is not a checkpoint this log signed of its own tree.
  ARCHIVED_CHECKPOINT_INVALID: failure('tree'),
  DISCLOSURE_RECORD_INVALID: failure('tree'),
  // An RFC 3161 token a log record carries that does not verify against the pinned TSA roots.
  TIMESTAMP_INVALID: failure('tree'),
  // Tokens are present but no TSA root was pinned: they date nothing, and nothing else changes.
  TIMESTAMP_NOT_CHECKED: { area: 'tree', class: 'note' },
  CHECKPOINT_INVALID: failure('tree'),
  NOTE_MALFORMED: failure('tree'),
  NOTE_VERIFIER_AMBIGUOUS: failure('tree'),

  // signature
  STATEMENT_SIGNATURE_INVALID: failure('signature', 'signatures'),
  SIGNER_REVOKED: failure('signature', 'signers'),
  SIGNER_COMPROMISED: failure('signature', 'signers'),
  LOG_KEY_REVOKED: failure('signature', 'checkpoint-signature'),

  // map
  MAP_ROOT_MISMATCH: failure('map'),
  TAIL_INVALID: failure('map', 'inclusion-proofs'),
  MAP_PROOF_INVALID: failure('map', 'history-complete'),
  RECORD_HASH_MISMATCH: failure('map', 'history-complete'),
  RECORD_UNEXPECTED: failure('map', 'history-complete'),
  RECORD_MISSING: failure('map', 'history-complete'),
  LEDGER_HEAD_MISMATCH: failure('map', 'history-complete'),
  LEDGER_RECORD_MISMATCH: failure('map', 'history-complete'),
  KEY_RECORD_MISMATCH: failure('map', 'signers'),

  // head
  EXHIBIT_HEAD_MISMATCH: failure('head', 'history-complete'),
  EXHIBIT_RECORD_MISMATCH: failure('head', 'history-complete'),
  // Later events after N, shown by a freshness file: nothing is wrong, the bundle is out of date.
  EXHIBIT_CHANGED_SINCE: { area: 'head', class: 'incomplete', check: 'history-complete' },

  // store: the whole-ledger verifier's store audit only.
  STORE_HEAD_MISSING: failure('store'),
  STORE_HEAD_MISMATCH: failure('store'),
  STORE_RECORD_MISSING: failure('store'),
  STORE_RECORD_MISMATCH: failure('store'),
  STORE_RECORD_EXTRA: failure('store'),
  STORE_TREE_MISMATCH: failure('store'),
  STORE_INDEX_MISMATCH: failure('store'),
  STORE_EVENTS_MISMATCH: failure('store'),
  STORE_MAP_MISMATCH: failure('store'),

  // trust: nothing pinned matched, so the result is self-consistent but anyone could have built it.
  TRUST_NOT_PINNED: { area: 'trust', class: 'unanchored', check: 'anchor' },
  ANCHOR_MISMATCH: { area: 'trust', class: 'unanchored', check: 'anchor' },
  ANCHOR_KEY_UNMATCHED: { area: 'trust', class: 'unanchored' },
  LOG_KEY_MISMATCH: { area: 'trust', class: 'unanchored', check: 'anchor' },
  // tlog-policy §Defining a log: the relying party's tlog-policy file lists log keys, not this one.
  LOG_KEY_NOT_LISTED: { area: 'trust', class: 'unanchored', check: 'anchor' },
  // Past the relying party's sunset for Ed25519, nothing post-quantum vouched for the checkpoint before it.
  ALGORITHM_SUNSET: { area: 'trust', class: 'unanchored', check: 'anchor' },
  POLICY_INVALID: failure('trust'),

  // witness
  WITNESS_QUORUM: { area: 'witness', class: 'unwitnessed', check: 'witness-quorum' },
  COSIGNATURE_MISSING: { area: 'witness', class: 'unwitnessed', check: 'witness-quorum' },
  COSIGNATURE_NOT_ASKED: { area: 'witness', class: 'note', check: 'witness-quorum' },
  AUDITOR_QUORUM: { area: 'witness', class: 'unwitnessed', check: 'witness-quorum' },
  // docs/VERIFYING.md §The relying party's policy: fewer ML-DSA-44 cosignatures than its pqQuorum.
  PQ_QUORUM: { area: 'witness', class: 'unwitnessed', check: 'witness-quorum' },
  EVIDENCE_TOO_OLD: { area: 'witness', class: 'incomplete', check: 'witness-quorum' },

  // file
  FILE_DIGEST_MISMATCH: failure('file', 'file-digests'),
  FILE_NOT_COMPARED: failure('file', 'file-digests'),
  FILE_SIZE_MISMATCH: failure('file', 'file-digests'),

  // integrity
  DIGEST_MISMATCH_RECORDED: { area: 'integrity', class: 'recorded', check: 'recorded-integrity' },
  SEAL_BROKEN_RECORDED: { area: 'integrity', class: 'recorded', check: 'recorded-integrity' },

  // custody: the refusals of the rules (src/custody/judge.ts, ledger-rules.ts, chain-rules.ts).
  GENESIS_MISSING: failure('custody', 'custody-rules'),
  GENESIS_NOT_FIRST: failure('custody', 'custody-rules'),
  ORIGIN_MISMATCH: failure('custody', 'custody-rules'),
  SIGNER_FOREIGN: failure('custody', 'signers'),
  CLAIMED_TIME_AHEAD: failure('custody', 'custody-rules'),
  SUBMITTED_TOO_LATE: failure('custody', 'custody-rules'),
  SEEN_MISSING: failure('custody', 'custody-rules'),
  SEEN_AHEAD: failure('custody', 'custody-rules'),
  SEEN_MISMATCH: failure('custody', 'custody-rules'),
  ACTOR_UNKNOWN: failure('custody', 'signers'),
  ACTOR_REVOKED: failure('custody', 'signers'),
  ACTOR_EXPIRED: failure('custody', 'signers'),
  STATEMENT_DUPLICATE: failure('custody', 'custody-rules'),
  LEDGER_LINK_BROKEN: failure('custody', 'exhibit-links'),
  NOT_AUTHORITY: failure('custody', 'signers'),
  NOT_REGISTRAR: failure('custody', 'signers'),
  KEY_NOT_ADMISSIBLE: failure('custody', 'custody-rules'),
  LOG_KEY_IS_AUTHORITY: failure('custody', 'custody-rules'),
  KEY_TYPE_NOT_ALLOWED: failure('custody', 'custody-rules'),
  ROLES_INVALID: failure('custody', 'custody-rules'),
  KEY_IN_USE: failure('custody', 'custody-rules'),
  ACCESS_ACTOR_INVALID: failure('custody', 'custody-rules'),
  SHORT_ID_IN_USE: failure('custody', 'custody-rules'),
  ALREADY_REVOKED: failure('custody', 'custody-rules'),
  CANNOT_REVOKE_AUTHORITY: failure('custody', 'custody-rules'),
  COMPROMISED_SINCE_AHEAD: failure('custody', 'custody-rules'),
  ROTATION_STALE: failure('custody', 'custody-rules'),
  REVOCATION_STALE: failure('custody', 'custody-rules'),
  EXHIBIT_UNKNOWN: failure('custody', 'custody-rules'),
  EXHIBIT_FOREIGN: failure('custody', 'custody-rules'),
  EXHIBIT_LINK_BROKEN: failure('custody', 'exhibit-links'),
  EXHIBIT_DISPOSED: failure('custody', 'custody-rules'),
  EXHIBIT_IN_TRANSIT: failure('custody', 'custody-rules'),
  NOT_HOLDER: failure('custody', 'custody-rules'),
  NOT_PERMITTED: failure('custody', 'custody-rules'),
  NOT_RECEIVER: failure('custody', 'custody-rules'),
  NO_PENDING_TRANSFER: failure('custody', 'custody-rules'),
  SEIZED_AFTER_REGISTRATION: failure('custody', 'custody-rules'),
  DUPLICATE_DIGEST: failure('custody', 'custody-rules'),
  RECEIVER_FOREIGN: failure('custody', 'custody-rules'),
  PEER_POLICY_INVALID: failure('custody', 'custody-rules'),
  PEER_UNKNOWN: failure('custody', 'custody-rules'),
  FOREIGN_MALFORMED: failure('decoding', 'records'),
  FOREIGN_KIND: failure('custody', 'custody-rules'),
  FOREIGN_RECEIPT_INVALID: failure('custody', 'custody-rules'),
  FOREIGN_STATE_UNPROVEN: failure('custody', 'custody-rules'),
  FOREIGN_LINK_BROKEN: failure('custody', 'exhibit-links'),
  IMPORT_WRONG_RECEIVER: failure('custody', 'custody-rules'),
  TRANSFER_CONFLICT: failure('custody', 'custody-rules'),
  EXHIBIT_ELSEWHERE: failure('custody', 'custody-rules'),
  CANCEL_ACROSS_LEDGERS: failure('custody', 'custody-rules'),
  CANCEL_ALREADY_REQUESTED: failure('custody', 'custody-rules'),
  JOURNEY_LEDGER_UNTRUSTED: { area: 'trust', class: 'unanchored' },
  JOURNEY_SEGMENT_MISSING: { area: 'chain', class: 'incomplete' },
  JOURNEY_CROSSING_UNMATCHED: failure('custody'),
  JOURNEY_PEER_KEY_MISMATCH: failure('trust'),
  JOURNEY_EXHIBIT_MISMATCH: failure('decoding'),
  RECEIVER_UNKNOWN: failure('custody', 'custody-rules'),
  RECEIVER_REVOKED: failure('custody', 'custody-rules'),
  RECEIVER_NOT_PERMITTED: failure('custody', 'custody-rules'),
  TRANSFER_TO_SELF: failure('custody', 'custody-rules'),
  LEGAL_BASIS_MISSING: failure('custody', 'custody-rules'),
  HOLD_UNKNOWN: failure('custody', 'custody-rules'),
  ERASE_NOTHING: failure('custody', 'custody-rules'),
  ERASURE_RESTRICTED: failure('custody', 'custody-rules'),
  NONCONFORMITY_UNKNOWN: failure('custody', 'custody-rules'),
} as const satisfies Record<string, ProblemCodeInfo>;

export type ProblemCode = keyof typeof PROBLEM_CODES;

/** The same table, each entry as a ProblemCodeInfo (the literal entries above are narrower). */
export const PROBLEM_INFO: Readonly<Record<ProblemCode, ProblemCodeInfo>> = PROBLEM_CODES;

/** Whether a runtime string (a caught error's code, a code read back from JSON) is a code of the table. */
export const isProblemCode = (code: string): code is ProblemCode => Object.hasOwn(PROBLEM_CODES, code);

/** The table's entry for a runtime string; undefined for a code it does not know. */
export const problemCodeInfo = (code: string): ProblemCodeInfo | undefined =>
  isProblemCode(code) ? PROBLEM_INFO[code] : undefined;

/**
 * What a code the table does not know is reported as: VERIFIER_FAILED, for a verifier that
 * meets a code it cannot classify has a bug (docs/ERRORS.md). The tests keep every code a
 * decoder or a rule throws in the table, so this is a backstop, never a finding about the data.
 */
export const UNCLASSIFIED_CODE = 'VERIFIER_FAILED' satisfies ProblemCode;

/**
 * A code from a runtime string (a caught CustodyError's, typed `string` there) as a problem's
 * code and message: itself when the table knows it; otherwise `fallback`, with the original
 * code kept at the front of the message so nothing is lost.
 */
export function problemCodeOf(
  code: string,
  message: string,
  fallback: ProblemCode = UNCLASSIFIED_CODE,
): { code: ProblemCode; message: string } {
  return isProblemCode(code) ? { code, message } : { code: fallback, message: `${code}: ${message}` };
}
