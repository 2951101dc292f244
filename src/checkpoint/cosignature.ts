/**
 * Ed25519 witness cosignatures, `cosignature/v1` (https://c2sp.org/tlog-cosignature).
 *
 * tlog-cosignature §Format: a cosignature is a note signature line
 *
 *     — <cosigner name> base64(key ID || timestamped_signature)
 *
 * with key ID = SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 public key)[:4]
 * and timestamped_signature = u64 big-endian timestamp || 64-byte Ed25519 signature.
 *
 * tlog-cosignature §Ed25519 signed message: the signature covers
 *
 *     cosignature/v1\n
 *     time <timestamp, ASCII decimal, no leading zeroes>\n
 *     <the whole checkpoint note text, including extension lines and final newline>
 *
 * Timestamps are POSIX seconds. The spec allows up to 2^63 - 1; this module
 * uses JS numbers and accepts 0..Number.MAX_SAFE_INTEGER (2^53 - 1), refusing
 * (never rounding) anything above.
 *
 * Error codes raised (CustodyError): COSIGNATURE_INVALID (verification),
 * COSIGNATURE_TIMESTAMP_INVALID (input), plus NOTE_* / VKEY_MALFORMED /
 * CHECKPOINT_MALFORMED from the modules below.
 */
import { concat, equalBytes, toHex, utf8 } from '../bytes.js';
import { ed25519, type Signer } from '../crypto/ed25519.js';
import { CustodyError } from '../errors.js';
import { parseCheckpoint } from './checkpoint.js';
import { mlDsaCosignatureTimestamp, mlDsaCosignatureVerifier } from './cosignature-mldsa.js';
import {
  checkEd25519VerifierKey,
  ed25519NoteVerifier,
  formatSignatureLine,
  formatVkeyOfType,
  isValidKeyName,
  type NoteVerifier,
  noteKeyId,
  parseSignatureLine,
  parseVkey,
  SIG_TYPE_COSIGNATURE_MLDSA,
  SIG_TYPE_COSIGNATURE_V1,
  SIG_TYPE_ED25519,
  type SignatureType,
} from './note.js';

/** tlog-cosignature §Format: timestamp (8 bytes) || Ed25519 signature (64 bytes). */
export const COSIGNATURE_V1_LENGTH = 8 + 64;
const MAX_U63 = (1n << 63n) - 1n;

/** Key ID of an Ed25519 cosigner (type 0x04, tlog-cosignature §Format). */
export function cosignatureKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  return noteKeyId(name, SIG_TYPE_COSIGNATURE_V1, publicKey);
}

const isValidTimestamp = (t: number) => Number.isSafeInteger(t) && t >= 0;

/** The exact bytes an Ed25519 cosigner signs (tlog-cosignature §Ed25519 signed message). */
export function cosignatureMessage(checkpointBody: string, timestamp: number): Uint8Array {
  if (!isValidTimestamp(timestamp)) {
    throw new CustodyError(
      'COSIGNATURE_TIMESTAMP_INVALID',
      'cosignature timestamp must be an integer in [0, 2^53 - 1]',
      'input',
    );
  }
  // Number#toString(10) of a safe non-negative integer is decimal without leading zeroes.
  return utf8(`cosignature/v1\ntime ${timestamp.toString(10)}\n${checkpointBody}`);
}

function encodeTimestamp(t: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(t), false);
  return out;
}

/**
 * The timestamp of a cosignature/v1 signature (the bytes after the key ID),
 * or undefined if they are not 8 + 64 bytes or the timestamp exceeds 2^63 - 1
 * (tlog-cosignature §Format: "It MUST NOT exceed 2^63 - 1") or 2^53 - 1.
 */
export function cosignatureTimestamp(sigBytes: Uint8Array): number | undefined {
  if (sigBytes.length !== COSIGNATURE_V1_LENGTH) return undefined;
  const t = new DataView(sigBytes.buffer, sigBytes.byteOffset, 8).getBigUint64(0, false);
  if (t > MAX_U63 || t > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(t);
}

/**
 * The stated time of a cosignature by a key of type `type`, from the bytes
 * after the key ID: cosignature/v1 (0x04) as cosignatureTimestamp, subtree/v1
 * (0x06) as mlDsaCosignatureTimestamp (0 states no time: undefined);
 * undefined for a key type that is not a cosigner's.
 */
export function cosignatureTimestampOf(type: SignatureType, sigBytes: Uint8Array): number | undefined {
  if (type === SIG_TYPE_COSIGNATURE_V1) return cosignatureTimestamp(sigBytes);
  if (type === SIG_TYPE_COSIGNATURE_MLDSA) return mlDsaCosignatureTimestamp(sigBytes);
  return undefined;
}

/**
 * Cosigns a checkpoint body at `timestamp` (POSIX seconds) and returns the
 * signature line `— <name> <base64(keyID || u64be(timestamp) || sig)>\n`.
 * The body must be a well-formed checkpoint (CHECKPOINT_MALFORMED otherwise).
 */
export function signCosignature(
  checkpointBody: string,
  name: string,
  signer: Signer,
  timestamp: number,
): string {
  parseCheckpoint(checkpointBody);
  if (!isValidKeyName(name)) throw new CustodyError('NOTE_KEY_INVALID', 'invalid cosigner name', 'input');
  const message = cosignatureMessage(checkpointBody, timestamp);
  const sig = signer.sign(message);
  return formatSignatureLine(
    name,
    cosignatureKeyId(name, signer.publicKey),
    concat(encodeTimestamp(timestamp), sig),
  );
}

export interface CosignatureVerifierOptions {
  /**
   * Reject cosignatures whose timestamp is later than this (POSIX seconds).
   * tlog-cosignature §Format: "verifiers MAY reject cosignatures with
   * timestamps in the future". Unset: no upper bound beyond 2^53 - 1.
   */
  readonly notAfter?: number;
}

function verifyCosigBytes(
  publicKey: Uint8Array,
  text: string,
  sig: Uint8Array,
  opts: CosignatureVerifierOptions,
): number | undefined {
  const t = cosignatureTimestamp(sig);
  if (t === undefined) return undefined;
  if (opts.notAfter !== undefined && t > opts.notAfter) return undefined;
  // Cosignatures are statements about checkpoints only.
  try {
    parseCheckpoint(text);
  } catch {
    return undefined;
  }
  const ok = ed25519.verify(sig.subarray(8), cosignatureMessage(text, t), publicKey);
  return ok ? t : undefined;
}

/** A NoteVerifier for type 0x04 cosignature/v1 signatures by (name, Ed25519 public key). */
export function cosignatureVerifier(
  name: string,
  publicKey: Uint8Array,
  opts: CosignatureVerifierOptions = {},
): NoteVerifier {
  checkEd25519VerifierKey(name, publicKey);
  const pk = publicKey.slice();
  return {
    name,
    keyId: cosignatureKeyId(name, pk),
    publicKey: pk,
    type: SIG_TYPE_COSIGNATURE_V1,
    verify: (text, sig) => verifyCosigBytes(pk, text, sig, opts) !== undefined,
  };
}

/**
 * Verifies one cosignature line over a checkpoint body for a given cosigner
 * and returns its timestamp. Throws NOTE_MALFORMED for a malformed line and
 * COSIGNATURE_INVALID if the line is not by this cosigner or does not verify.
 */
export function verifyCosignature(
  checkpointBody: string,
  line: string,
  cosigner: { readonly name: string; readonly publicKey: Uint8Array },
  opts: CosignatureVerifierOptions = {},
): { timestamp: number } {
  const sig = parseSignatureLine(line);
  checkEd25519VerifierKey(cosigner.name, cosigner.publicKey);
  const keyId = cosignatureKeyId(cosigner.name, cosigner.publicKey);
  const fail = (message: string) =>
    new CustodyError('COSIGNATURE_INVALID', message, 'verification', {
      name: sig.name,
      keyId: toHex(sig.keyId),
    });
  if (sig.name !== cosigner.name || !equalBytes(sig.keyId, keyId)) {
    throw fail('cosignature is not from this cosigner');
  }
  const t = verifyCosigBytes(cosigner.publicKey, checkpointBody, sig.signature, opts);
  if (t === undefined) throw fail('cosignature does not verify');
  return { timestamp: t };
}

/** vkey of an Ed25519 cosigner: type 0x04 (tlog-cosignature §Format, "MAY be encoded as vkeys"). */
export function formatCosignerVkey(name: string, publicKey: Uint8Array): string {
  return formatVkeyOfType(name, SIG_TYPE_COSIGNATURE_V1, publicKey);
}

/**
 * A NoteVerifier from any supported vkey: type 0x01 gives an Ed25519 note
 * verifier, type 0x04 a cosignature/v1 verifier, type 0x06 an ML-DSA-44
 * subtree/v1 verifier (./cosignature-mldsa.ts; both cosigners with `opts`).
 * VKEY_MALFORMED for anything else or an unusable key.
 */
export function verifierFromVkey(vkey: string, opts: CosignatureVerifierOptions = {}): NoteVerifier {
  const k = parseVkey(vkey);
  try {
    if (k.type === SIG_TYPE_ED25519) return ed25519NoteVerifier(k.name, k.publicKey);
    if (k.type === SIG_TYPE_COSIGNATURE_MLDSA) return mlDsaCosignatureVerifier(k.name, k.publicKey, opts);
    return cosignatureVerifier(k.name, k.publicKey, opts);
  } catch (e) {
    if (e instanceof CustodyError) throw new CustodyError('VKEY_MALFORMED', e.message, 'input');
    throw e;
  }
}
