/**
 * ML-DSA-44 witness cosignatures, `subtree/v1` (https://c2sp.org/tlog-cosignature,
 * v1.1: §Format and §ML-DSA-44 signed message), signature type 0x06. Pure.
 *
 * tlog-cosignature §Format: a cosignature is a note signature line
 *
 *     — <cosigner name> base64(key ID || timestamped_signature)
 *
 * with key ID = SHA-256(<name> || "\n" || 0x06 || 1312-byte ML-DSA-44 public key)[:4]
 * and timestamped_signature = u64 big-endian timestamp || 2420-byte ML-DSA-44 signature.
 *
 * tlog-cosignature §ML-DSA-44 signed message: the signature covers the
 * RFC 8446 §3 structure
 *
 *     struct {
 *         uint8 label[12] = "subtree/v1\n\0";
 *         opaque cosigner_name<1..2^8-1>;
 *         uint64 timestamp;
 *         opaque log_origin<1..2^8-1>;
 *         uint64 start;
 *         uint64 end;
 *         uint8 hash[32];
 *     } cosigned_message;
 *
 * signed with pure ML-DSA (FIPS 204 §5.2) and an empty context (the spec names
 * none). For a checkpoint: start 0, end = tree size, hash = root. Unlike
 * cosignature/v1 the message commits to the cosigner name and leaves out the
 * checkpoint's extension lines.
 *
 * What is refused (each a CustodyError with a one-line message):
 *  - COSIGNATURE_MESSAGE_INVALID (input): a name or origin empty or over 255
 *    bytes, a non-zero start with a non-zero timestamp ("If `start` is not
 *    zero, these values MUST be zero"), end < start or start, end not integers
 *    in 0..2^53 - 1, a hash not 32 bytes;
 *  - COSIGNATURE_EXTENSION_LINES (input): a checkpoint with extension
 *    lines. The spec: "checkpoint extension lines are not included in the
 *    signed message ... and no statement is made about them"; a note carrying
 *    them next to such a cosignature would read as witnessed when those lines
 *    are not, so we neither sign nor count one (custody's checkpoints have none);
 *  - COSIGNATURE_MALFORMED (input): a line payload that is not 4 + 8 + 2420 bytes;
 *  - COSIGNATURE_TIMESTAMP_INVALID (input): a timestamp outside 0..2^53 - 1
 *    (the spec allows up to 2^63 - 1; JS numbers stop at 2^53 - 1, refused, never rounded);
 *  - COSIGNATURE_INVALID (verification): a line not by this cosigner or not valid;
 *  - plus NOTE_* / VKEY_MALFORMED / CHECKPOINT_MALFORMED / ML_DSA_INPUT_INVALID from below.
 */
import { concat, equalBytes, toHex, utf8 } from '../bytes.js';
import {
  ML_DSA_44_PUBLIC_KEY_LENGTH,
  ML_DSA_44_SIGNATURE_LENGTH,
  type MlDsa44Signer,
  mlDsa44Verify,
} from '../crypto/ml-dsa.js';
import { CustodyError } from '../errors.js';
import { type Checkpoint, parseCheckpoint, ROOT_HASH_LENGTH } from './checkpoint.js';
import {
  formatSignatureLine,
  formatVkeyOfType,
  isValidKeyName,
  KEY_ID_LENGTH,
  type NoteVerifier,
  noteKeyId,
  parseSignatureLine,
  SIG_TYPE_COSIGNATURE_MLDSA,
} from './note.js';

/** tlog-cosignature §ML-DSA-44 signed message: `uint8 label[12] = "subtree/v1\n\0"`. */
export const SUBTREE_V1_LABEL: Uint8Array = utf8('subtree/v1\n\0');
/** tlog-cosignature §Format: timestamp (8 bytes) || ML-DSA-44 signature (2420 bytes). */
export const MLDSA_COSIGNATURE_LENGTH = 8 + ML_DSA_44_SIGNATURE_LENGTH;
/** RFC 8446 §3.4: `opaque x<1..2^8-1>` has a one-byte length and 1 to 255 bytes. */
export const MAX_SUBTREE_NAME_BYTES = 255;

/** What a subtree/v1 cosignature states (tlog-cosignature §ML-DSA-44 signed message). */
export interface SubtreeStatement {
  readonly cosignerName: string;
  /** POSIX seconds; 0 when the cosigner states nothing about time (required when start > 0). */
  readonly timestamp: number;
  readonly origin: string;
  /** First leaf index; 0 for a checkpoint. */
  readonly start: number;
  /** Exclusive end; the tree size for a checkpoint. */
  readonly end: number;
  /** The subtree's root hash (RFC 9162 §2.1.1), 32 bytes. */
  readonly hash: Uint8Array;
}

const messageInvalid = (message: string) => new CustodyError('COSIGNATURE_MESSAGE_INVALID', message, 'input');
const isU53 = (n: number) => Number.isSafeInteger(n) && n >= 0;

function checkTimestamp(t: number): void {
  if (!isU53(t)) {
    throw new CustodyError(
      'COSIGNATURE_TIMESTAMP_INVALID',
      'cosignature timestamp must be an integer in [0, 2^53 - 1]',
      'input',
    );
  }
}

/** RFC 8446 §3.3: uint64 in network (big-endian) order. */
function u64(n: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), false);
  return out;
}

/** RFC 8446 §3.4: `opaque x<1..2^8-1>` = one length byte, then the bytes. */
function opaque8(what: string, s: string): Uint8Array {
  const b = utf8(s);
  if (b.length === 0 || b.length > MAX_SUBTREE_NAME_BYTES) {
    throw messageInvalid(`${what} must be 1 to 255 bytes of UTF-8, not ${b.length}`);
  }
  return concat(new Uint8Array([b.length]), b);
}

/** The exact bytes an ML-DSA-44 cosigner signs (tlog-cosignature §ML-DSA-44 signed message). */
export function subtreeMessage(s: SubtreeStatement): Uint8Array {
  checkTimestamp(s.timestamp);
  if (!isU53(s.start) || !isU53(s.end))
    throw messageInvalid('start and end must be integers in [0, 2^53 - 1]');
  if (s.end < s.start) throw messageInvalid('end must not be below start');
  // "If `start` is not zero, `timestamp` MUST be zero."
  if (s.start !== 0 && s.timestamp !== 0)
    throw messageInvalid('a subtree with a non-zero start takes timestamp 0');
  if (!(s.hash instanceof Uint8Array) || s.hash.length !== ROOT_HASH_LENGTH) {
    throw messageInvalid('the subtree hash must be 32 bytes');
  }
  return concat(
    SUBTREE_V1_LABEL,
    opaque8('the cosigner name', s.cosignerName),
    u64(s.timestamp),
    opaque8('the log origin', s.origin),
    u64(s.start),
    u64(s.end),
    s.hash,
  );
}

/**
 * A checkpoint body as a subtree statement: start 0, end = size, hash = root
 * (tlog-cosignature: "If signing a checkpoint, it MUST be zero"; "it is the
 * size of the tree"). Refuses a checkpoint with extension lines
 * (COSIGNATURE_EXTENSION_LINES, see the file comment).
 */
export function checkpointStatement(
  checkpointBody: string,
  cosignerName: string,
  timestamp: number,
): SubtreeStatement {
  const cp: Checkpoint = parseCheckpoint(checkpointBody);
  if (cp.extensions.length > 0) {
    throw new CustodyError(
      'COSIGNATURE_EXTENSION_LINES',
      'a subtree/v1 cosignature does not cover checkpoint extension lines',
      'input',
    );
  }
  return { cosignerName, timestamp, origin: cp.origin, start: 0, end: cp.size, hash: cp.root };
}

/** The subtree/v1 message of a checkpoint body (start 0, end = size, the root). */
export function checkpointSubtreeMessage(checkpointBody: string, cosignerName: string, timestamp: number) {
  return subtreeMessage(checkpointStatement(checkpointBody, cosignerName, timestamp));
}

/** Key ID of an ML-DSA-44 cosigner (type 0x06, tlog-cosignature §Format). */
export function mlDsaCosignatureKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return noteKeyId(name, SIG_TYPE_COSIGNATURE_MLDSA, publicKey);
}

/** The decoded bytes of a type 0x06 signature line: key ID || u64be timestamp || signature. */
export interface MlDsaCosignaturePayload {
  readonly keyId: Uint8Array;
  readonly timestamp: number;
  readonly signature: Uint8Array;
}

const payloadMalformed = (message: string) => new CustodyError('COSIGNATURE_MALFORMED', message, 'input');

/** tlog-cosignature §Format: key ID (4) || timestamp (8, big-endian) || ML-DSA-44 signature (2420). */
export function formatMlDsaCosignaturePayload(p: MlDsaCosignaturePayload): Uint8Array {
  if (p.keyId.length !== KEY_ID_LENGTH) throw payloadMalformed('the key ID must be 4 bytes');
  checkTimestamp(p.timestamp);
  if (p.signature.length !== ML_DSA_44_SIGNATURE_LENGTH) {
    throw payloadMalformed('an ML-DSA-44 signature must be 2420 bytes');
  }
  return concat(p.keyId, u64(p.timestamp), p.signature);
}

/** The timestamp of the bytes after the key ID, or undefined unless they are 8 + 2420 bytes with t ≤ 2^53 - 1. */
function timestampOf(sig: Uint8Array): number | undefined {
  if (sig.length !== MLDSA_COSIGNATURE_LENGTH) return undefined;
  const t = new DataView(sig.buffer, sig.byteOffset, 8).getBigUint64(0, false);
  // tlog-cosignature §Format: "It MUST NOT exceed 2^63 - 1"; we stop at 2^53 - 1.
  return t > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(t);
}

/** Parses the decoded payload of a type 0x06 line (COSIGNATURE_MALFORMED for wrong sizes). */
export function parseMlDsaCosignaturePayload(raw: Uint8Array): MlDsaCosignaturePayload {
  if (raw.length !== KEY_ID_LENGTH + MLDSA_COSIGNATURE_LENGTH) {
    throw payloadMalformed(
      `an ML-DSA-44 cosignature is ${KEY_ID_LENGTH + MLDSA_COSIGNATURE_LENGTH} bytes, not ${raw.length}`,
    );
  }
  const rest = raw.subarray(KEY_ID_LENGTH);
  const timestamp = timestampOf(rest);
  if (timestamp === undefined) throw payloadMalformed('the cosignature timestamp exceeds 2^53 - 1');
  return { keyId: raw.slice(0, KEY_ID_LENGTH), timestamp, signature: rest.slice(8) };
}

/**
 * The stated time of a type 0x06 signature (the bytes after the key ID), or
 * undefined if it is malformed or 0: tlog-cosignature §ML-DSA-44 signed message,
 * a zero timestamp means the cosigner "doesn't make any statement as to the
 * tree being the largest observed at time of signing", so it dates nothing.
 */
export function mlDsaCosignatureTimestamp(sigBytes: Uint8Array): number | undefined {
  const t = timestampOf(sigBytes);
  return t === 0 ? undefined : t;
}

function checkCosigner(name: string, publicKey: Uint8Array): void {
  const keyInvalid = (message: string) => new CustodyError('NOTE_KEY_INVALID', message, 'input');
  if (!isValidKeyName(name)) throw keyInvalid('invalid cosigner name');
  // The same refusal as subtreeMessage's: a longer name cannot be an opaque<1..2^8-1>.
  if (utf8(name).length > MAX_SUBTREE_NAME_BYTES)
    throw messageInvalid('the cosigner name must be 1 to 255 bytes of UTF-8');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== ML_DSA_44_PUBLIC_KEY_LENGTH) {
    throw keyInvalid('ML-DSA-44 public key must be 1312 bytes');
  }
}

export interface MlDsaCosignOptions {
  /** FIPS 204 §3.4: hedged (default) or deterministic signing. */
  readonly mode?: 'hedged' | 'deterministic';
}

/**
 * Cosigns a checkpoint body at `timestamp` (POSIX seconds; 0 states no time)
 * and returns the line `— <name> base64(keyID || u64be(timestamp) || sig)\n`.
 */
export function signMlDsaCosignature(
  checkpointBody: string,
  name: string,
  signer: MlDsa44Signer,
  timestamp: number,
  opts: MlDsaCosignOptions = {},
): string {
  checkCosigner(name, signer.publicKey);
  const message = checkpointSubtreeMessage(checkpointBody, name, timestamp);
  const signature = signer.sign(message, opts.mode === undefined ? {} : { mode: opts.mode });
  const payload = formatMlDsaCosignaturePayload({
    keyId: mlDsaCosignatureKeyId(name, signer.publicKey),
    timestamp,
    signature,
  });
  return formatSignatureLine(name, payload.subarray(0, KEY_ID_LENGTH), payload.subarray(KEY_ID_LENGTH));
}

export interface MlDsaCosignatureVerifierOptions {
  /** Reject cosignatures dated later than this (tlog-cosignature §Format: verifiers MAY). */
  readonly notAfter?: number;
}

/** The timestamp if `sig` (after the key ID) is a valid subtree/v1 cosignature of `text`, else undefined. Never throws. */
function verifyBytes(
  name: string,
  publicKey: Uint8Array,
  text: string,
  sig: Uint8Array,
  opts: MlDsaCosignatureVerifierOptions,
): number | undefined {
  const t = timestampOf(sig);
  if (t === undefined) return undefined;
  if (opts.notAfter !== undefined && t > opts.notAfter) return undefined;
  let message: Uint8Array;
  try {
    message = checkpointSubtreeMessage(text, name, t);
  } catch {
    return undefined;
  }
  return mlDsa44Verify(sig.subarray(8), message, publicKey) ? t : undefined;
}

/**
 * A NoteVerifier for type 0x06 subtree/v1 cosignatures of checkpoints by
 * (name, ML-DSA-44 public key): it counts in verifyNote and verifyWithPolicy
 * like an Ed25519 cosigner's. Its verify is false for a checkpoint with
 * extension lines (see the file comment).
 */
export function mlDsaCosignatureVerifier(
  name: string,
  publicKey: Uint8Array,
  opts: MlDsaCosignatureVerifierOptions = {},
): NoteVerifier {
  checkCosigner(name, publicKey);
  const pk = publicKey.slice();
  return {
    name,
    keyId: mlDsaCosignatureKeyId(name, pk),
    publicKey: pk,
    type: SIG_TYPE_COSIGNATURE_MLDSA,
    verify: (text, sig) => verifyBytes(name, pk, text, sig, opts) !== undefined,
  };
}

/**
 * Verifies one type 0x06 cosignature line over a checkpoint body for a given
 * cosigner and returns its timestamp. Throws NOTE_MALFORMED for a malformed
 * line, COSIGNATURE_MALFORMED for a payload of the wrong size,
 * COSIGNATURE_EXTENSION_LINES for a checkpoint with extension lines, and
 * COSIGNATURE_INVALID if the line is not by this cosigner or does not verify.
 */
export function verifyMlDsaCosignature(
  checkpointBody: string,
  line: string,
  cosigner: { readonly name: string; readonly publicKey: Uint8Array },
  opts: MlDsaCosignatureVerifierOptions = {},
): { timestamp: number } {
  const sig = parseSignatureLine(line);
  checkCosigner(cosigner.name, cosigner.publicKey);
  const fail = (message: string) =>
    new CustodyError('COSIGNATURE_INVALID', message, 'verification', {
      name: sig.name,
      keyId: toHex(sig.keyId),
    });
  if (
    sig.name !== cosigner.name ||
    !equalBytes(sig.keyId, mlDsaCosignatureKeyId(cosigner.name, cosigner.publicKey))
  ) {
    throw fail('cosignature is not from this cosigner');
  }
  const payload = parseMlDsaCosignaturePayload(concat(sig.keyId, sig.signature));
  // Refusals of the checkpoint itself (malformed, extension lines) keep their own codes.
  checkpointStatement(checkpointBody, cosigner.name, payload.timestamp);
  const t = verifyBytes(cosigner.name, cosigner.publicKey, checkpointBody, sig.signature, opts);
  if (t === undefined) throw fail('cosignature does not verify');
  return { timestamp: t };
}

/** vkey of an ML-DSA-44 cosigner: type 0x06 (tlog-cosignature §Format, "MAY be encoded as vkeys"). */
export function formatMlDsaCosignerVkey(name: string, publicKey: Uint8Array): string {
  return formatVkeyOfType(name, SIG_TYPE_COSIGNATURE_MLDSA, publicKey);
}
