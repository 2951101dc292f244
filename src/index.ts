/**
 * custody — public library API (re-exports only).
 */

export { exportBundle } from './bundle/export.js';
// Bundles and reports
export { decodeBundle, encodeBundle } from './bundle/format.js';
export type { ExhibitVerdict } from './bundle/verdict.js';
export { verifyBundle } from './bundle/verify.js';
export * as checkpoint from './checkpoint/index.js';
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
export { evaluate, type Verdict, type Violation } from './custody/rules.js';
export type { ActorRecord, ExhibitRecord, StateView } from './custody/state.js';
export { CustodyError, type ErrorCategory } from './errors.js';
export { digestFile, type FileDigests } from './files/digest-file.js';
// Format
export * from './format/events.js';
export { exhibitIdFromBytes, keyId, parseActorId, parseExhibitId } from './format/ids.js';
export {
  type DecodedRecord,
  decodeRecord,
  encodePayload,
  encodeRecord,
  signedMessage,
  ZERO_HASH,
} from './format/record.js';
export {
  type CodePointRange,
  foldLabel,
  isRefusedCodePoint,
  LINE_FEED,
  REFUSED_CODE_POINTS,
  textProblem,
  WHITE_SPACE_AT_ENDS,
} from './format/text.js';
export { decryptKeyFile, encryptKeyFile, readKeyFileHeader } from './keys/keyfile.js';
export { attachCosignature, checkpointLedger, listCheckpoints } from './ledger/checkpoints.js';
export type { Draft } from './ledger/draft.js';
export {
  type Appended,
  type AppendOptions,
  type GenesisOptions,
  Ledger,
  type LedgerOptions,
} from './ledger/ledger.js';
export { verifyStore } from './ledger/verify.js';
// Merkle tree and checkpoints
export * as merkle from './merkle/index.js';
export { buildReportModel, renderHtml, renderJson, renderText } from './report/index.js';
export { buildTimeline } from './report/timeline.js';
export { LevelStore } from './store/level.js';
export { MemoryStore } from './store/memory.js';
// Storage and the ledger
export type { LedgerStore } from './store/store.js';
export { type ExhibitReport, scopeToExhibit } from './verify/exhibit.js';
export type { Problem, VerifyReport } from './verify/report.js';
// Verification
export { type VerifyOptions, type VerifyResult, verifyLog } from './verify/verifier.js';
