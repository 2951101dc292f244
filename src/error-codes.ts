/**
 * Every code a CustodyError carries that is not a problem code: the refusals that are only ever
 * thrown, never reported by a verifier. docs/ERRORS.md §All codes lists each with its category,
 * exit code and meaning, grouped by the same areas; test/error-codes.test.ts keeps the two equal.
 *
 * A code that is both thrown and reported (a custody rule's, a decoder's, a checkpoint's) is a
 * problem code and is declared once, in src/problem-codes.ts; the two lists never overlap.
 * CustodyError.code is either (CustodyErrorCode, src/errors.ts), so a misspelt code does not
 * compile where it is thrown or compared. A code that arrives as a runtime string (a server's
 * error document) is narrowed with isErrorCode / isCustodyErrorCode, never cast.
 *
 * It sits at the bottom of the layers, beside src/problem-codes.ts and importing nothing, because
 * src/errors.ts types CustodyError by it.
 */
export const ERROR_CODES = [
  // CLI and local files
  'USAGE',
  'INTERNAL',
  'VERIFICATION_FAILED',
  'VERIFICATION_INCOMPLETE',
  'VERIFICATION_UNANCHORED',
  'VERIFICATION_UNWITNESSED',
  'FILE_UNREADABLE',
  'FILE_CHANGED',
  'FILE_TOO_LARGE',
  'FILE_EXISTS',
  'FILE_UNWRITABLE',
  'TILE_CONFLICT',
  'STATEMENT_FILE_INVALID',
  'STATEMENT_FILE_EXISTS',
  'FIELD_UNKNOWN',
  'DIGEST_UNKNOWN',
  'DIGEST_NONE',
  'ROLE_UNKNOWN',
  'TIME_FORMAT_INVALID',
  'ORIGIN_INVALID',
  'EXHIBIT_ID_INVALID',
  'EXHIBIT_AMBIGUOUS',
  'ACTOR_AMBIGUOUS',
  'PUBLIC_KEY_INVALID',
  'CHECKPOINT_NEEDS_KEY',
  'DEMO_DIR_NOT_EMPTY',
  'DEMO_FAILED',
  'VERIFIER_NOT_BUILT',
  'PDF_FONT_MISSING',
  'PEER_URL_UNKNOWN',

  // Keys and passphrases
  'KEY_FILE_MALFORMED',
  'KEY_PASSPHRASE_WRONG',
  'KEY_FILE_MISMATCH',
  'KEY_NAME_INVALID',
  'KEY_SEED_INVALID',
  'KEY_PASSPHRASE_INVALID',
  'KEY_KDF_INVALID',
  'KEY_TYPE_WRONG',
  'KEY_TYPE_INVALID',
  'PASSPHRASE_FILE_UNREADABLE',
  'PASSPHRASE_EMPTY',
  'PASSPHRASE_MISSING',
  'PASSPHRASE_MISMATCH',
  'PASSPHRASE_ABORTED',

  // Ledger and storage
  'LEDGER_NOT_FOUND',
  'LEDGER_EXISTS',
  'LEDGER_LOCKED',
  'LEDGER_UNAVAILABLE',
  'LEDGER_ROLLED_BACK',
  'LEDGER_FORKED',
  'SEEN_STATE_INVALID',
  'LEDGER_EMPTY',
  'LEDGER_CLOSED',
  'STORE_VERSION',
  'STORE_IO',
  'STORE_CORRUPT',
  'ENTRY_UNKNOWN',
  'STORE_CLOSED',
  'STORE_GAP',
  'STORE_HEAD_MOVED',
  'STATE_NOT_PREFETCHED',

  // Ledger reads
  'NOT_A_STATEMENT',

  // Bundles
  'BUNDLE_CHECKPOINT_UNKNOWN',

  // Checkpoints, notes and witnesses
  'CHECKPOINT_SIGNER_NOT_LOG',
  'CHECKPOINT_INCONSISTENT',
  'CHECKPOINT_UNKNOWN',
  'NOTE_KEY_INVALID',
  'NOTE_UNVERIFIED',
  'NOTE_BAD_SIGNATURE',
  'VKEY_MALFORMED',
  'COSIGNATURE_INVALID',
  'COSIGNATURE_TIMESTAMP_INVALID',
  'COSIGNATURE_MESSAGE_INVALID',
  'COSIGNATURE_EXTENSION_LINES',
  'COSIGNATURE_MALFORMED',
  'ML_DSA_INPUT_INVALID',
  'WITNESS_ROLLBACK',
  'WITNESS_CONFLICT',
  'WITNESS_PQ_LINE_MISSING',
  'WITNESS_INCONSISTENT',
  'WITNESS_PROOF_MALFORMED',
  'WITNESS_STATE_MALFORMED',
  'WITNESS_REQUEST_MALFORMED',
  'FRAUD_PROOF_UNAVAILABLE',
  'SPLIT_VIEW_UNPROVEN',
  'FRAUD_PROOF_INVALID',
  'FRAUD_PROOF_UNANCHORED',
  'REPAIR_UNVERIFIED',
  'RECEIPT_MALFORMED',
  'ENTRY_BUNDLE_MALFORMED',

  // Trusted time (RFC 3161)
  'TIMESTAMP_MALFORMED',
  'TIMESTAMP_IMPRINT_MISMATCH',
  'TIMESTAMP_NONCE_MISMATCH',
  'TIMESTAMP_SIGNATURE_INVALID',
  'TIMESTAMP_EKU_MISSING',
  'TIMESTAMP_OUTSIDE_VALIDITY',
  'TIMESTAMP_IN_FUTURE',
  'TIMESTAMP_CHAIN_INVALID',
  'TSA_UNREACHABLE',
  'CERTIFICATE_INVALID',

  // State map (its proof verification reasons, MAP_PROOF_*, are not errors: never thrown)
  'MAP_KEY_INVALID',
  'MAP_VALUE_INVALID',
  'MAP_ROOT_INVALID',
  'MAP_SNAPSHOT_RELEASED',
  'MAP_NODE_MALFORMED',
  'MAP_NODE_MISSING',
  'MAP_PATH_NOT_LOADED',

  // Server and clients
  'LEDGER_UNREACHABLE',
  'SERVER_ERROR',
  'LEDGER_MOVED',
  'LEDGER_REMOTE_READ_ONLY',
  'LEDGER_SHARED',
  'RECEIPT_MISMATCH',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NEED_TO_KNOW',
  'PURPOSE_REQUIRED',
  'RATE_LIMITED',
  'NOT_FOUND',
  'BAD_REQUEST',
  'BODY_TOO_LARGE',
  'APPEND_REQUEST_MALFORMED',
  'SIGNING_REFUSED',
  'NOT_SEQUENCER',
  'SERVER_STOPPING',
  'STORE_READ_ONLY',
  'ACCESS_KEY_INVALID',
  'ACCESS_LOG_BROKEN',
  'CONFIG_INVALID',
  'WITNESS_QUORUM_NONE',
  'WITNESS_QUORUM_TIMEOUT',
  'LISTEN_FAILED',
  'SIGNED_STATE_INVALID',

  // Federation
  'CROSSING_NONE',
  'CROSSING_WRONG_LEDGER',
  'RECEIVER_UNCHECKED',
  'RECEIVER_PROOF_STALE',

  // Lab evidence (issue 29)
  'ACQUISITION_LOG_INVALID',
  'REHASH_MISMATCH',
  'EVIDENCE_UNSUPPORTED',
  'SEGMENTS_INVALID',
  'MANIFEST_INVALID',
  'MANIFEST_MISSING',
  'DEVICE_UNUSABLE',
  'NAME_TOO_SIMILAR',
  'LABEL_LOOKS_LIKE_ID',
  'LABEL_PAYLOAD_INVALID',
  'CSV_INVALID',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** Whether a runtime string (a code read back from a server's JSON) is an error code of the list. */
export const isErrorCode = (code: string): code is ErrorCode => KNOWN.has(code);

/**
 * The codes a verdict other than VERIFIED ends a command with (cli/exit.ts gives each its own exit
 * code, 1, 5, 6 or 7). Only this program's own verifiers produce them: a server never sends one.
 */
export const VERDICT_CODES = [
  'VERIFICATION_FAILED',
  'VERIFICATION_INCOMPLETE',
  'VERIFICATION_UNANCHORED',
  'VERIFICATION_UNWITNESSED',
] as const satisfies readonly ErrorCode[];
export type VerdictCode = (typeof VERDICT_CODES)[number];
