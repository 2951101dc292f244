/**
 * C2SP signed notes, tlog checkpoints, cosignature/v1 and witness logic.
 * Pure modules: no I/O, no storage, no console.
 */
export {
  type Checkpoint,
  type CheckpointInput,
  formatCheckpoint,
  type OpenCheckpointOptions,
  openCheckpoint,
  parseCheckpoint,
  ROOT_HASH_LENGTH,
  signCheckpoint,
} from './checkpoint.js';
export {
  COSIGNATURE_V1_LENGTH,
  type CosignatureVerifierOptions,
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignatureVerifier,
  formatCosignerVkey,
  signCosignature,
  verifierFromVkey,
  verifyCosignature,
} from './cosignature.js';
export {
  checkNoteText,
  ed25519NoteVerifier,
  formatNote,
  formatSignatureLine,
  formatVkey,
  formatVkeyOfType,
  isValidKeyName,
  KEY_ID_LENGTH,
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  type NoteSignature,
  type NoteVerifier,
  noteKeyId,
  noteVerifierFromVkey,
  type ParsedNote,
  parseNote,
  parseNoteBytes,
  parseSignatureLine,
  parseVkey,
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  type SignatureType,
  signNoteLine,
  type Vkey,
  verifyNote,
} from './note.js';
export { type CheckpointPolicy, type PolicyResult, verifyWithPolicy } from './policy.js';
export {
  checkpointOriginOf,
  MAX_CONSISTENCY_PROOF_HASHES,
  MAX_WITNESS_STATE_BYTES,
  parseWitnessState,
  serializeWitnessState,
  WITNESS_STATE_FORMAT,
  type WitnessCosignInput,
  type WitnessCosignResult,
  type WitnessLogState,
  witnessCosign,
} from './witness.js';
