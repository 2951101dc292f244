/**
 * The pure decision of a transparency-log witness (https://c2sp.org/tlog-witness,
 * §add-checkpoint), without HTTP or storage: given the latest checkpoint this
 * witness cosigned for an origin (if any), a new signed checkpoint and a
 * consistency proof, either refuse or return a cosignature line and the new
 * state: cosignature/v1 (type 0x04) for an Ed25519 witness key, subtree/v1
 * (type 0x06, src/checkpoint/cosignature-mldsa.ts) for an ML-DSA-44 one. The
 * decision is the same for both; a witness that emits both types runs it once
 * per key (tlog-cosignature: one cosigner name may have several keys). The caller persists the new state atomically before releasing the
 * cosignature (tlog-witness: "The witness MUST persist the new checkpoint
 * before responding", and check-and-persist must be atomic to avoid rollback).
 *
 * Trust on first use: the spec treats an origin the witness never cosigned as
 * "old size 0" and requires an empty consistency proof. With no stored state we
 * accept any validly log-signed checkpoint (with an empty proof) as the first
 * one: a witness cannot know more about a log it has never seen. Protection
 * against split views begins from that first checkpoint on.
 *
 * Error codes (CustodyError):
 *  - WITNESS_ROLLBACK (verification): the checkpoint is smaller than the state.
 *  - WITNESS_CONFLICT (verification): same size, different root (tlog-witness: 409).
 *  - WITNESS_INCONSISTENT (verification): the consistency proof does not verify,
 *    or is non-empty where it must be empty, or an empty tree has a wrong root
 *    (tlog-witness: 422).
 *  - WITNESS_PROOF_MALFORMED (input): more than 63 proof hashes or one not 32 bytes.
 *  - WITNESS_STATE_MALFORMED (input): a state file that does not parse strictly.
 *  - plus NOTE_* / CHECKPOINT_* from opening the checkpoint (tlog-witness: 403).
 */
import { equalBytes, fromBase64, toBase64, toHex } from '../bytes.js';
import type { Signer } from '../crypto/ed25519.js';
import type { MlDsa44Signer } from '../crypto/ml-dsa.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError, type CustodyErrorCode } from '../errors.js';
import { verifyConsistency } from '../merkle/verify.js';
import { type Checkpoint, openCheckpoint, parseCheckpoint, ROOT_HASH_LENGTH } from './checkpoint.js';
import { signCosignature } from './cosignature.js';
import { signMlDsaCosignature } from './cosignature-mldsa.js';
import { checkLogMlDsaLines } from './dual-signed.js';
import type { NoteVerifier } from './note.js';

/** What a witness remembers per origin: the latest checkpoint it cosigned. */
export interface WitnessLogState {
  readonly size: number;
  readonly root: Uint8Array;
}

export interface WitnessCosignInput {
  /** Latest cosigned state for this checkpoint's origin, or undefined if none yet. */
  readonly state: WitnessLogState | undefined;
  /** The signed checkpoint note submitted by the log. */
  readonly noteText: string;
  /** The log's key trusted for this origin (its name must equal the origin). */
  readonly logVerifier: NoteVerifier;
  /** RFC 6962 §2.1.2 consistency proof from state.size to the checkpoint size. */
  readonly consistencyProof: readonly Uint8Array[];
  readonly witnessName: string;
  /** An Ed25519 signer (cosignature/v1) or `{ mlDsa44 }` (ML-DSA-44 subtree/v1). */
  readonly witnessSigner: Signer | WitnessMlDsaSigner;
  /** Current time in POSIX seconds; becomes the cosignature timestamp. */
  readonly now: number;
  /**
   * The log's ML-DSA-44 key (docs/PROOFS.md §Dual-signed checkpoints): when given, the
   * checkpoint must also carry a valid ML-DSA-44 line by it, or this witness refuses
   * (WITNESS_PQ_LINE_MISSING). A witness that requires it does not cosign, after an Ed25519
   * break, a history the log's Ed25519 key alone could have been forged to sign.
   */
  readonly logMlDsaKey?: Uint8Array;
}

export interface WitnessCosignResult {
  /** The state to persist for `checkpoint.origin`. */
  readonly state: WitnessLogState;
  /** `— <witnessName> <base64>\n`, to be appended to the note. */
  readonly cosignatureLine: string;
  readonly checkpoint: Checkpoint;
}

/** An ML-DSA-44 witness key: witnessCosign then writes a type 0x06 subtree/v1 cosignature. */
export interface WitnessMlDsaSigner {
  readonly mlDsa44: MlDsa44Signer;
}

/** tlog-witness §add-checkpoint: "The client MUST NOT send more than 63 consistency proof lines." */
export const MAX_CONSISTENCY_PROOF_HASHES = 63;

/** RFC 6962 §2.1: the hash of an empty tree is SHA-256 of the empty string. */
const EMPTY_TREE_ROOT = sha256(new Uint8Array(0));

const refuse = (code: CustodyErrorCode, message: string, details: Record<string, unknown>) =>
  new CustodyError(code, message, 'verification', details);

/**
 * Decides whether to cosign (tlog-witness §add-checkpoint):
 *  1. the checkpoint must carry a valid signature by the log key for its origin;
 *  2. no state: trust on first use (proof must be empty);
 *  3. size < state.size: WITNESS_ROLLBACK;
 *  4. size == state.size: roots must be equal (else WITNESS_CONFLICT), proof empty;
 *  5. size > state.size: the consistency proof must verify (else WITNESS_INCONSISTENT);
 *     from a state of size 0 the proof must be empty.
 * A checkpoint of size 0 must have the empty-tree root.
 */
export function witnessCosign(input: WitnessCosignInput): WitnessCosignResult {
  const { checkpoint, note } = openCheckpoint(input.noteText, input.logVerifier);
  if (
    input.logMlDsaKey &&
    checkLogMlDsaLines(note, checkpoint.origin, [input.logMlDsaKey]).verified.length === 0
  )
    throw refuse(
      'WITNESS_PQ_LINE_MISSING',
      "the checkpoint carries no valid ML-DSA-44 signature by the log's post-quantum key, which this witness requires",
      { origin: checkpoint.origin, size: checkpoint.size },
    );
  const proof = input.consistencyProof;
  if (proof.length > MAX_CONSISTENCY_PROOF_HASHES || proof.some((h) => h.length !== ROOT_HASH_LENGTH)) {
    throw new CustodyError(
      'WITNESS_PROOF_MALFORMED',
      'consistency proof must be at most 63 hashes of 32 bytes',
      'input',
      { hashes: proof.length },
    );
  }
  const base = { origin: checkpoint.origin, size: checkpoint.size };
  if (checkpoint.size === 0 && !equalBytes(checkpoint.root, EMPTY_TREE_ROOT)) {
    throw refuse('WITNESS_INCONSISTENT', 'an empty tree must have the empty-tree root', base);
  }

  const state = input.state;
  if (state === undefined) {
    if (proof.length !== 0) {
      throw refuse('WITNESS_INCONSISTENT', 'the proof must be empty for a first checkpoint', base);
    }
  } else {
    checkState(state);
    const details = { ...base, stateSize: state.size };
    if (checkpoint.size < state.size) {
      throw refuse('WITNESS_ROLLBACK', 'checkpoint is older than the latest cosigned one', details);
    }
    if (checkpoint.size === state.size) {
      if (!equalBytes(checkpoint.root, state.root)) {
        throw refuse('WITNESS_CONFLICT', 'same tree size with a different root hash', {
          ...details,
          root: toHex(checkpoint.root),
          stateRoot: toHex(state.root),
        });
      }
      if (proof.length !== 0) {
        throw refuse('WITNESS_INCONSISTENT', 'the proof must be empty for an unchanged tree', details);
      }
    } else if (state.size === 0) {
      if (proof.length !== 0) {
        throw refuse('WITNESS_INCONSISTENT', 'the proof must be empty from an empty tree', details);
      }
    } else if (!verifyConsistency(state.size, checkpoint.size, state.root, checkpoint.root, proof)) {
      throw refuse('WITNESS_INCONSISTENT', 'the consistency proof does not verify', details);
    }
  }

  const w = input.witnessSigner;
  const cosignatureLine =
    'mlDsa44' in w
      ? signMlDsaCosignature(note.text, input.witnessName, w.mlDsa44, input.now)
      : signCosignature(note.text, input.witnessName, w, input.now);
  return { state: { size: checkpoint.size, root: checkpoint.root.slice() }, cosignatureLine, checkpoint };
}

/** The origin a submitted note claims (unverified), to look its state up before witnessCosign. */
export function checkpointOriginOf(noteText: string): string {
  const split = noteText.lastIndexOf('\n\n');
  if (split < 0) throw new CustodyError('NOTE_MALFORMED', 'note has no blank line', 'input');
  return parseCheckpoint(noteText.slice(0, split + 1)).origin;
}

const stateMalformed = (message: string) => new CustodyError('WITNESS_STATE_MALFORMED', message, 'input');

function checkState(s: WitnessLogState): void {
  if (!Number.isSafeInteger(s.size) || s.size < 0)
    throw stateMalformed('state size must be a safe integer >= 0');
  if (!(s.root instanceof Uint8Array) || s.root.length !== ROOT_HASH_LENGTH) {
    throw stateMalformed('state root must be 32 bytes');
  }
}

/** Format tag of the witness state file. */
export const WITNESS_STATE_FORMAT = 'custody-witness-state/v1';
/** A bound on the state file we agree to parse (16 MiB). */
export const MAX_WITNESS_STATE_BYTES = 16 << 20;

/**
 * Serializes the witness state (all origins) as canonical JSON:
 *   {"format":"custody-witness-state/v1","logs":[{"origin":…,"size":…,"root":"<base64>"},…]}\n
 * with logs sorted by origin (UTF-16 code unit order), so equal states give equal bytes.
 */
export function serializeWitnessState(states: ReadonlyMap<string, WitnessLogState>): string {
  const origins = [...states.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const logs = origins.map((origin) => {
    const s = states.get(origin)!;
    checkState(s);
    checkOrigin(origin);
    return { origin, size: s.size, root: toBase64(s.root) };
  });
  return `${JSON.stringify({ format: WITNESS_STATE_FORMAT, logs })}\n`;
}

function checkOrigin(origin: string): void {
  // Must be something a checkpoint could carry as its origin line.
  try {
    parseCheckpoint(`${origin}\n0\n${toBase64(EMPTY_TREE_ROOT)}\n`);
  } catch {
    throw stateMalformed('invalid origin in witness state');
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function exactKeys(o: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(o, k));
}

/**
 * Parses a witness state file strictly: exactly the shape serializeWitnessState
 * writes (no extra or missing fields, sizes safe integers, roots canonical
 * base64 of 32 bytes, origins valid and unique). Throws WITNESS_STATE_MALFORMED.
 */
export function parseWitnessState(text: string): Map<string, WitnessLogState> {
  if (typeof text !== 'string' || text.length > MAX_WITNESS_STATE_BYTES) {
    throw stateMalformed('witness state too large');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw stateMalformed('witness state is not JSON');
  }
  if (!isPlainObject(doc) || !exactKeys(doc, ['format', 'logs']) || doc['format'] !== WITNESS_STATE_FORMAT) {
    throw stateMalformed(`witness state must be a ${WITNESS_STATE_FORMAT} object`);
  }
  const logs = doc['logs'];
  if (!Array.isArray(logs)) throw stateMalformed('witness state logs must be an array');
  const out = new Map<string, WitnessLogState>();
  for (const entry of logs as unknown[]) {
    if (!isPlainObject(entry) || !exactKeys(entry, ['origin', 'size', 'root'])) {
      throw stateMalformed('each log must have exactly origin, size and root');
    }
    const { origin, size, root } = entry;
    if (typeof origin !== 'string') throw stateMalformed('origin must be a string');
    checkOrigin(origin);
    if (out.has(origin)) throw stateMalformed('duplicate origin in witness state');
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
      throw stateMalformed('size must be a safe integer >= 0');
    }
    const rootBytes = typeof root === 'string' ? fromBase64(root) : undefined;
    if (rootBytes === undefined || rootBytes.length !== ROOT_HASH_LENGTH) {
      throw stateMalformed('root must be canonical base64 of 32 bytes');
    }
    out.set(origin, { size, root: rootBytes });
  }
  return out;
}
