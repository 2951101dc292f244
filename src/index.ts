/**
 * custody — public library API (re-exports only). docs/ARCHITECTURE.md maps
 * each module; docs/FORMAT.md specifies the bytes.
 */

// Bundles and reports
export { buildFraudProof } from './audit/build-fraud-proof.js';
export { type FraudProofResult, verifyFraudProof } from './audit/fraud-proof.js';
export { decodeBundleV2, encodeBundleV2 } from './bundle/bundle-v2.js';
export { exportBundleV2 } from './bundle/export-v2.js';
export type { ExhibitVerdict } from './bundle/verdict.js';
export type { ExhibitVerdictV2 } from './bundle/verdict-v2.js';
export * as checkpoint from './checkpoint/index.js';
export { parseRelyingPolicy, type RelyingPolicy } from './checkpoint/relying-policy.js';
export { parseTlogPolicy, type TlogPolicy } from './checkpoint/tlog-policy.js';
export { quorumSatisfied } from './checkpoint/tlog-policy-quorum.js';
export { isAdmissibleKey } from './crypto/admission.js';
// Crypto and keys
export {
  ed25519,
  nobleEd25519,
  nodeEd25519,
  randomSeed,
  type Signer,
  signerFromSeed,
} from './crypto/ed25519.js';
export { sha256 } from './crypto/sha256.js';
export { WorkerPoolChecker } from './crypto/verify-pool.js';
// Custody model
export { CustodyState } from './custody/custody-state.js';
export { judge } from './custody/judge.js';
export type { ExhibitRecord, KeyRecord, LedgerRecord } from './custody/records.js';
export { buildTimelineV2 } from './custody/timeline-v2.js';
export { ERROR_CODES, type ErrorCode, isErrorCode } from './error-codes.js';
export { CustodyError, type CustodyErrorCode, type ErrorCategory, isCustodyErrorCode } from './errors.js';
export { digestFile, type FileDigests } from './files/digest-file.js';
// Format
export { decodeEntry, encodeEntry } from './format/entry.js';
export { KEY_PURPOSES, KEY_TYPES, keyIdOf, shortKeyId, statementKeyShort } from './format/key-id.js';
export { KINDS_V2, ROLES_V2 } from './format/kinds.js';
export { commitFields, decodeOpenings, encodeOpenings } from './format/openings.js';
export { ids45, parse45 } from './format/short-id.js';
export { signStatement } from './format/sign-statement.js';
export { decodeSignedStatement, encodeTbs, type Statement, statementId } from './format/statement.js';
export {
  type CodePointRange,
  foldLabel,
  isRefusedCodePoint,
  LINE_FEED,
  REFUSED_CODE_POINTS,
  textProblem,
  WHITE_SPACE_AT_ENDS,
} from './format/text.js';
export * from './format/vocabulary.js';
export { decryptKeyFile, encryptKeyFile, readKeyFileHeader } from './keys/keyfile.js';
// The ledger
export { compose } from './ledger/compose.js';
export { LedgerView } from './ledger/ledger-view.js';
export { attachCosignature, listCheckpoints, signLogCheckpoint } from './ledger/log-checkpoints.js';
export { LogLedger } from './ledger/log-ledger.js';
export { type RepairResult, repairFromBackup } from './ledger/repair.js';
export { StateMap, verifyMapProof } from './map/index.js';
// Merkle tree and state map
export * as merkle from './merkle/index.js';
// Problem codes: each one's area, verdict class and bundle check
export {
  type BundleCheck,
  isProblemCode,
  PROBLEM_AREAS,
  PROBLEM_CODES,
  type ProblemArea,
  type ProblemClass,
  type ProblemCode,
  type ProblemCodeInfo,
  problemCodeInfo,
} from './problem-codes.js';
export { buildReportModel, renderHtml, renderJson, renderText } from './report/index.js';
// Storage
export { LevelLogStore } from './store/log-level.js';
export { MemoryLogStore } from './store/log-memory.js';
export type { LogStore } from './store/log-store.js';
// Verification
export { type BundleV2Trust, verifyBundleV2 } from './verify/bundle-v2.js';
export { verifyLogStore } from './verify/log-store-verify.js';
export { verifyLogV2 } from './verify/log-verify.js';
export type { Problem, VerifyReport } from './verify/report.js';
