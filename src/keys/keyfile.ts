/**
 * Encrypted Ed25519 and ML-DSA-44 key files (`custody-key/v2`). Library code
 * only: the CLI reads and writes the file and obtains the passphrase.
 *
 * The file is one JSON object on one line, with a trailing newline:
 *
 *   {"format":"custody-key/v2","name":…,"publicKey":<base64>,"keyId":"K-…",
 *    "kdf":{"name":"scrypt","N":32768,"r":8,"p":1,"salt":<base64 of 16 bytes>},
 *    "cipher":{"name":"aes-256-gcm","nonce":<base64 of 12 bytes>},
 *    "ciphertext":<base64 of the 32-byte seed's ciphertext ‖ 16-byte tag>}
 *
 * An ML-DSA-44 key file (a witness or log key: FIPS 204, keygen(seed)) is the
 * same container with one more field, `"type":"ml-dsa-44"`, right after
 * `format`; its publicKey is the 1312-byte ML-DSA-44 public key, its keyId the
 * short id of that key as a witness key (type 0x06, purpose witness; see
 * src/format/key-id.ts), and the sealed secret is again the 32-byte seed ξ
 * (FIPS 204 §5.1), from which the key pair is derived on use. Ed25519 files
 * carry no `type` field and are exactly as before (a `"type":"ed25519"` is
 * refused as not canonical), so every existing file still reads.
 *
 * key = scrypt(NFC(passphrase) as UTF-8, salt, N, r, p, 32 bytes); the seed is
 * sealed with AES-256-GCM under `key` and `nonce`, with the additional
 * authenticated data being the UTF-8 of the canonical header (`headerAad`):
 * a JSON array of format, (for ML-DSA-44 only: the type,) name, publicKey, keyId, the KDF name, N, r, p, salt,
 * the cipher name and nonce. No header field can therefore be changed or
 * swapped in from another file without decryption failing.
 *
 * Reading is strict: the text must be exactly what `encryptKeyFile` writes
 * (canonical JSON, fixed key order, canonical base64), and the KDF parameters
 * are bounded BEFORE any work is done, so a hostile file cannot make us
 * allocate gigabytes or spin for minutes.
 *
 * Never does a seed, a passphrase or anything derived from them appear in an
 * error message or in error details.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { equalBytes, fromBase64, toBase64, utf8 } from '../bytes.js';
import { isAdmissibleKey } from '../crypto/admission.js';
import { ed25519 } from '../crypto/ed25519.js';
import { ML_DSA_44_PUBLIC_KEY_LENGTH, mlDsa44KeyPairFromSeed } from '../crypto/ml-dsa.js';
import { type CustodyError, inputError } from '../errors.js';
import {
  KEY_PURPOSES,
  KEY_TYPES,
  shortKeyId,
  statementKeyShort,
  keyIdOf as typedKeyIdOf,
} from '../format/key-id.js';

export const KEY_FILE_FORMAT = 'custody-key/v2';

/** The key types a key file can hold; `ed25519` unless the file says `"type":"ml-dsa-44"`. */
export const KEY_FILE_TYPES = ['ed25519', 'ml-dsa-44'] as const;
export type KeyFileType = (typeof KEY_FILE_TYPES)[number];

/**
 * The keyId a key file names: for Ed25519 the short id of the key as a
 * statement key (what people see for an actor); for ML-DSA-44, which cannot
 * sign statements, the short id of the key as a witness key.
 */
export function keyFileKeyId(type: KeyFileType, publicKey: Uint8Array): string {
  return type === 'ed25519'
    ? statementKeyShort(publicKey)
    : shortKeyId(typedKeyIdOf({ type: KEY_TYPES.mldsa44, publicKey }, KEY_PURPOSES.witness));
}

/** The public key of a 32-byte seed for a key type (Ed25519: RFC 8032; ML-DSA-44: FIPS 204 keygen(seed)). */
function publicKeyOf(type: KeyFileType, seed: Uint8Array): Uint8Array {
  return type === 'ed25519' ? ed25519.publicKey(seed) : mlDsa44KeyPairFromSeed(seed).publicKey;
}

/** scrypt cost parameters (RFC 7914). */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** Written by default: N = 2^15, r = 8, p = 1 (32 MiB, ~0.1 s here). */
export const DEFAULT_KDF: ScryptParams = Object.freeze({ N: 32768, r: 8, p: 1 });

/**
 * What a key file may ask for (checked on read and on write): N a power of two
 * in [2^14, 2^20], r = 8, p in 1..4. The worst case (N = 2^20, r = 8) needs
 * 128·N·r = 1 GiB of memory and a few seconds per p.
 */
export const KDF_LIMITS = Object.freeze({ minLogN: 14, maxLogN: 20, r: 8, minP: 1, maxP: 4 });

const SEED_LENGTH = 32;
const SALT_LENGTH = 16;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;
const NAME_MAX = 128;
/** Far above any valid file (~400 bytes, ~2,200 for ML-DSA-44, plus the name); caps JSON.parse on junk. */
const MAX_FILE_CHARS = 4096;

export interface EncryptKeyFileOptions {
  /** A label for people (1..128 characters, no control characters). */
  readonly name: string;
  /** The 32-byte secret seed (Ed25519, or ML-DSA-44's ξ). */
  readonly seed: Uint8Array;
  /** The key type; 'ed25519' if left out. */
  readonly type?: KeyFileType;
  /** Normalized to NFC before use; must be non-empty and well-formed Unicode. */
  readonly passphrase: string;
  /** scrypt cost; DEFAULT_KDF if left out. Must be within KDF_LIMITS. */
  readonly kdf?: ScryptParams;
}

/** Everything in a key file except the ciphertext; readable without the passphrase. */
export interface KeyFileHeader {
  readonly format: typeof KEY_FILE_FORMAT;
  /** Serialized only for ML-DSA-44 (`"type":"ml-dsa-44"`). */
  readonly type: KeyFileType;
  readonly name: string;
  /** 32 bytes (Ed25519) or 1312 bytes (ML-DSA-44). */
  readonly publicKey: Uint8Array;
  /** keyFileKeyId(type, publicKey): for Ed25519 the actor id of `publicKey` (src/format/ids.ts), checked on read. */
  readonly keyId: string;
  readonly kdf: ScryptParams & { readonly name: 'scrypt'; readonly salt: Uint8Array };
  readonly cipher: { readonly name: 'aes-256-gcm'; readonly nonce: Uint8Array };
}

export interface DecryptedKey {
  readonly type: KeyFileType;
  readonly name: string;
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly keyId: string;
}

export const WRONG_PASSPHRASE_MESSAGE = 'wrong passphrase for key file (or the file was altered)';

// ---------------------------------------------------------------------------

const malformed = (reason: string): CustodyError =>
  inputError('KEY_FILE_MALFORMED', `not a valid ${KEY_FILE_FORMAT} key file: ${reason}`, { reason });

// C0 controls, DEL, C1 controls, and the line/paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why `name` is unacceptable, or undefined if it is fine. */
function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'name must be a string';
  if (name.length === 0) return 'name is empty';
  if (name.length > NAME_MAX) return `name is longer than ${NAME_MAX} characters`;
  if (CONTROL.test(name)) return 'name contains control characters';
  if (LONE_SURROGATE.test(name)) return 'name is not well-formed Unicode';
  if (name.trim() !== name) return 'name has leading or trailing white space';
  return undefined;
}

/** Why these scrypt parameters are out of bounds, or undefined if they are within KDF_LIMITS. */
function kdfProblem(N: unknown, r: unknown, p: unknown): string | undefined {
  if (typeof N !== 'number' || !Number.isSafeInteger(N)) return 'kdf.N must be an integer';
  if (N < 2 ** KDF_LIMITS.minLogN || N > 2 ** KDF_LIMITS.maxLogN || (N & (N - 1)) !== 0)
    return `kdf.N must be a power of two from 2^${KDF_LIMITS.minLogN} to 2^${KDF_LIMITS.maxLogN}`;
  if (r !== KDF_LIMITS.r) return `kdf.r must be ${KDF_LIMITS.r}`;
  if (typeof p !== 'number' || !Number.isSafeInteger(p) || p < KDF_LIMITS.minP || p > KDF_LIMITS.maxP)
    return `kdf.p must be an integer from ${KDF_LIMITS.minP} to ${KDF_LIMITS.maxP}`;
  return undefined;
}

/** The additional authenticated data: every header field, in a fixed, unambiguous form. */
function headerAad(h: KeyFileHeader): Uint8Array {
  return utf8(
    JSON.stringify([
      h.format,
      // Ed25519 files keep their original 11-element AAD; ML-DSA-44 ones bind the type too.
      ...(h.type === 'ed25519' ? [] : [h.type]),
      h.name,
      toBase64(h.publicKey),
      h.keyId,
      h.kdf.name,
      h.kdf.N,
      h.kdf.r,
      h.kdf.p,
      toBase64(h.kdf.salt),
      h.cipher.name,
      toBase64(h.cipher.nonce),
    ]),
  );
}

/** The exact file text for a header and ciphertext (fixed key order, one line, trailing newline). */
function serialize(h: KeyFileHeader, ciphertext: Uint8Array): string {
  return (
    JSON.stringify({
      format: h.format,
      ...(h.type === 'ed25519' ? {} : { type: h.type }),
      name: h.name,
      publicKey: toBase64(h.publicKey),
      keyId: h.keyId,
      kdf: { name: h.kdf.name, N: h.kdf.N, r: h.kdf.r, p: h.kdf.p, salt: toBase64(h.kdf.salt) },
      cipher: { name: h.cipher.name, nonce: toBase64(h.cipher.nonce) },
      ciphertext: toBase64(ciphertext),
    }) + '\n'
  );
}

function deriveKey(passphrase: string, salt: Uint8Array, kdf: ScryptParams): Buffer {
  const secret = Buffer.from(passphrase.normalize('NFC'), 'utf8');
  try {
    return scryptSync(secret, salt, KEY_LENGTH, {
      N: kdf.N,
      r: kdf.r,
      p: kdf.p,
      // Node refuses anything above maxmem (default 32 MiB, too little for N = 2^15, r = 8).
      maxmem: 128 * kdf.N * kdf.r * 2,
    });
  } finally {
    secret.fill(0);
  }
}

// ---------------------------------------------------------------------------

/** Encrypts `seed` under `passphrase` and returns the key file text. */
export function encryptKeyFile(options: EncryptKeyFileOptions): string {
  const { name, seed, passphrase } = options;
  const kdf = options.kdf ?? DEFAULT_KDF;
  const type = options.type ?? 'ed25519';
  if (!KEY_FILE_TYPES.includes(type))
    throw inputError('KEY_TYPE_INVALID', `a key type must be one of ${KEY_FILE_TYPES.join(', ')}`);
  const badName = nameProblem(name);
  if (badName !== undefined) throw inputError('KEY_NAME_INVALID', `invalid key name: ${badName}`);
  if (!(seed instanceof Uint8Array) || seed.length !== SEED_LENGTH)
    throw inputError('KEY_SEED_INVALID', `a key seed must be ${SEED_LENGTH} bytes`);
  if (typeof passphrase !== 'string' || passphrase.length === 0)
    throw inputError('KEY_PASSPHRASE_INVALID', 'the passphrase must not be empty');
  if (LONE_SURROGATE.test(passphrase))
    throw inputError('KEY_PASSPHRASE_INVALID', 'the passphrase is not well-formed Unicode');
  const badKdf = kdfProblem(kdf.N, kdf.r, kdf.p);
  if (badKdf !== undefined) throw inputError('KEY_KDF_INVALID', `invalid scrypt parameters: ${badKdf}`);

  const publicKey = publicKeyOf(type, seed);
  const header: KeyFileHeader = {
    format: KEY_FILE_FORMAT,
    type,
    name,
    publicKey,
    keyId: keyFileKeyId(type, publicKey),
    kdf: { name: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p, salt: new Uint8Array(randomBytes(SALT_LENGTH)) },
    cipher: { name: 'aes-256-gcm', nonce: new Uint8Array(randomBytes(NONCE_LENGTH)) },
  };
  const key = deriveKey(passphrase, header.kdf.salt, header.kdf);
  try {
    const cipher = createCipheriv('aes-256-gcm', key, header.cipher.nonce, { authTagLength: TAG_LENGTH });
    cipher.setAAD(headerAad(header));
    const body = Buffer.concat([cipher.update(seed), cipher.final(), cipher.getAuthTag()]);
    return serialize(header, body);
  } finally {
    key.fill(0);
  }
}

interface ParsedKeyFile {
  header: KeyFileHeader;
  ciphertext: Uint8Array;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function exactKeys(v: Record<string, unknown>, keys: readonly string[], where: string): void {
  const got = Object.keys(v);
  if (got.length !== keys.length || !keys.every((k) => Object.hasOwn(v, k)))
    throw malformed(`${where} must have exactly the fields ${keys.join(', ')}`);
}

function bytesField(v: unknown, length: number, what: string): Uint8Array {
  const b = typeof v === 'string' ? fromBase64(v) : undefined;
  if (b === undefined) throw malformed(`${what} is not canonical base64`);
  if (b.length !== length) throw malformed(`${what} must be ${length} bytes`);
  return b;
}

function parse(text: unknown): ParsedKeyFile {
  if (typeof text !== 'string') throw malformed('the key file must be text');
  if (text.length > MAX_FILE_CHARS) throw malformed('the file is too large');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw malformed('not JSON');
  }
  if (!isRecord(raw)) throw malformed('not a JSON object');
  if (raw['format'] !== KEY_FILE_FORMAT) throw malformed(`format must be "${KEY_FILE_FORMAT}"`);
  const typed = Object.hasOwn(raw, 'type');
  if (typed && raw['type'] !== 'ml-dsa-44')
    throw malformed('type must be "ml-dsa-44" (or left out for Ed25519)');
  const type: KeyFileType = typed ? 'ml-dsa-44' : 'ed25519';
  exactKeys(
    raw,
    ['format', ...(typed ? ['type'] : []), 'name', 'publicKey', 'keyId', 'kdf', 'cipher', 'ciphertext'],
    'the key file',
  );

  const badName = nameProblem(raw['name']);
  if (badName !== undefined) throw malformed(badName);
  const name = raw['name'] as string;

  const publicKey = bytesField(
    raw['publicKey'],
    type === 'ed25519' ? 32 : ML_DSA_44_PUBLIC_KEY_LENGTH,
    'publicKey',
  );
  if (type === 'ed25519' && !isAdmissibleKey(publicKey))
    throw malformed('publicKey is not an admissible Ed25519 key');
  if (raw['keyId'] !== keyFileKeyId(type, publicKey)) throw malformed('keyId does not match publicKey');

  const kdf = raw['kdf'];
  if (!isRecord(kdf)) throw malformed('kdf must be an object');
  exactKeys(kdf, ['name', 'N', 'r', 'p', 'salt'], 'kdf');
  if (kdf['name'] !== 'scrypt') throw malformed('kdf.name must be "scrypt"');
  const badKdf = kdfProblem(kdf['N'], kdf['r'], kdf['p']);
  if (badKdf !== undefined) throw malformed(badKdf);
  const salt = bytesField(kdf['salt'], SALT_LENGTH, 'kdf.salt');

  const cipher = raw['cipher'];
  if (!isRecord(cipher)) throw malformed('cipher must be an object');
  exactKeys(cipher, ['name', 'nonce'], 'cipher');
  if (cipher['name'] !== 'aes-256-gcm') throw malformed('cipher.name must be "aes-256-gcm"');
  const nonce = bytesField(cipher['nonce'], NONCE_LENGTH, 'cipher.nonce');

  const ciphertext = bytesField(raw['ciphertext'], SEED_LENGTH + TAG_LENGTH, 'ciphertext');

  const header: KeyFileHeader = {
    format: KEY_FILE_FORMAT,
    type,
    name,
    publicKey,
    keyId: raw['keyId'] as string,
    kdf: { name: 'scrypt', N: kdf['N'] as number, r: kdf['r'] as number, p: kdf['p'] as number, salt },
    cipher: { name: 'aes-256-gcm', nonce },
  };
  // One accepted text per key file: no reordered or duplicated fields, no extra white space.
  if (serialize(header, ciphertext) !== text) throw malformed('not in canonical form');
  return { header, ciphertext };
}

/** The header of a key file, without decrypting it (the file is still fully validated). */
export function readKeyFileHeader(text: string): KeyFileHeader {
  return parse(text).header;
}

/**
 * Decrypts a key file. Throws CustodyError KEY_FILE_MALFORMED (not a valid
 * file), KEY_PASSPHRASE_WRONG (wrong passphrase, or any authenticated byte
 * changed) or KEY_FILE_MISMATCH (decrypts, but the seed is not the key the
 * header names); all in category 'input'.
 */
export function decryptKeyFile(text: string, passphrase: string): DecryptedKey {
  const { header, ciphertext } = parse(text);
  if (typeof passphrase !== 'string')
    throw inputError('KEY_PASSPHRASE_INVALID', 'the passphrase must be text');
  const key = deriveKey(passphrase, header.kdf.salt, header.kdf);
  let plain: Buffer | undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, header.cipher.nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(headerAad(header));
    decipher.setAuthTag(ciphertext.subarray(SEED_LENGTH));
    try {
      plain = Buffer.concat([decipher.update(ciphertext.subarray(0, SEED_LENGTH)), decipher.final()]);
    } catch {
      throw inputError('KEY_PASSPHRASE_WRONG', WRONG_PASSPHRASE_MESSAGE);
    }
    const seed = new Uint8Array(plain);
    if (seed.length !== SEED_LENGTH || !equalBytes(publicKeyOf(header.type, seed), header.publicKey)) {
      seed.fill(0);
      throw inputError(
        'KEY_FILE_MISMATCH',
        'the key file decrypts, but its secret key does not belong to the public key it names',
        { keyId: header.keyId },
      );
    }
    return { type: header.type, name: header.name, seed, publicKey: header.publicKey, keyId: header.keyId };
  } finally {
    key.fill(0);
    plain?.fill(0);
  }
}
