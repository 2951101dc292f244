/** Loading signing keys and public keys named on the command line. */
import { statSync } from 'node:fs';
import { fromBase64, fromHex } from '../src/bytes.js';
import type { WitnessMlDsaSigner } from '../src/checkpoint/witness.js';
import { type Signer, signerFromSeed } from '../src/crypto/ed25519.js';
import { type MlDsa44Signer, mlDsa44SignerFromSeed } from '../src/crypto/ml-dsa.js';
import { CustodyError } from '../src/errors.js';
import { decryptKeyFile, type KeyFileHeader, readKeyFileHeader } from '../src/keys/keyfile.js';
import { readTextFile } from './files.js';
import type { Output } from './io.js';
import { getPassphrase } from './passphrase.js';

export { readInputFile, readTextFile } from './files.js';

/** Reads a key file's text and header; warns if others can read the file. */
function openKeyFile(path: string, out: Output): { text: string; header: KeyFileHeader } {
  const text = readTextFile(path, 'key file', 64 << 10);
  const header = readKeyFileHeader(text);
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && mode & 0o077)
    out.warn(`key file ${path} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${path}`);
  return { text, header };
}

async function decrypt(path: string, text: string, header: KeyFileHeader, out: Output) {
  const passphrase = await getPassphrase(
    `Passphrase for ${header.name} (${path}): `,
    out.opts.passphraseFile,
  );
  return decryptKeyFile(text, passphrase);
}

/**
 * Opens an encrypted Ed25519 key file and returns a signer. An ML-DSA-44 key
 * file is refused (KEY_TYPE_WRONG) before the passphrase is asked for: it can
 * only cosign checkpoints as a witness (`custody witness`).
 */
export async function loadSigner(path: string, out: Output): Promise<Signer & { name: string }> {
  const { text, header } = openKeyFile(path, out);
  if (header.type !== 'ed25519')
    throw new CustodyError(
      'KEY_TYPE_WRONG',
      `${path} is an ${header.type} key file; this command needs an Ed25519 key (ML-DSA-44 keys only cosign, with custody witness)`,
      'input',
    );
  const { seed, name } = await decrypt(path, text, header, out);
  const signer = signerFromSeed(seed);
  seed.fill(0);
  return Object.assign(signer, { name });
}

/** A witness key of either type, opened from its key file. */
export interface WitnessKey {
  readonly type: 'ed25519' | 'ml-dsa-44';
  readonly name: string;
  /** The key file's key id (K-…), the default witness name. */
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly signer: Signer | WitnessMlDsaSigner;
}

/** Opens an Ed25519 or ML-DSA-44 key file for `custody witness`. */
export async function loadWitnessKey(path: string, out: Output): Promise<WitnessKey> {
  const { text, header } = openKeyFile(path, out);
  const { seed, name, type, keyId } = await decrypt(path, text, header, out);
  try {
    if (type === 'ed25519') {
      const signer = signerFromSeed(seed);
      return { type, name, keyId, publicKey: signer.publicKey, signer };
    }
    const mlDsa44 = mlDsa44SignerFromSeed(seed);
    return { type, name, keyId, publicKey: mlDsa44.publicKey, signer: { mlDsa44 } };
  } finally {
    seed.fill(0);
  }
}

/** Opens an ML-DSA-44 key file (the log's second key) and returns its signer. */
export async function loadMlDsaSigner(path: string, out: Output): Promise<MlDsa44Signer> {
  const { header } = openKeyFile(path, out);
  if (header.type !== 'ml-dsa-44')
    throw new CustodyError(
      'KEY_TYPE_WRONG',
      `${path} is an ${header.type} key file; an ML-DSA-44 key is needed here`,
      'input',
    );
  const k = await loadWitnessKey(path, out);
  return (k.signer as WitnessMlDsaSigner).mlDsa44;
}

/** The public key of an ML-DSA-44 key file, read from its header (no passphrase needed). */
export function mlDsaPublicKeyOf(path: string, out: Output): Uint8Array {
  const { header } = openKeyFile(path, out);
  if (header.type !== 'ml-dsa-44')
    throw new CustodyError(
      'KEY_TYPE_WRONG',
      `${path} is an ${header.type} key file; an ML-DSA-44 key is needed here`,
      'input',
    );
  return header.publicKey;
}

/** A public key given as base64, hex, or a key file path. */
export function parsePublicKey(input: string): Uint8Array {
  // 64 hex digits are also valid base64 (of 48 bytes), so try hex for that length first.
  const raw = (input.length === 64 ? fromHex(input) : undefined) ?? fromBase64(input);
  if (raw && raw.length === 32) return raw;
  let text: string;
  try {
    text = readTextFile(input, 'key file', 64 << 10);
  } catch {
    throw new CustodyError(
      'PUBLIC_KEY_INVALID',
      `${input} is neither a 32-byte public key (base64 or hex) nor a readable key file`,
      'input',
    );
  }
  let header: KeyFileHeader;
  try {
    header = readKeyFileHeader(text);
  } catch (e) {
    if (e instanceof CustodyError && e.code === 'KEY_FILE_MALFORMED')
      throw new CustodyError(
        'PUBLIC_KEY_INVALID',
        `${input} is neither a 32-byte public key (base64 or hex) nor a custody key file`,
        'input',
      );
    throw e;
  }
  if (header.type !== 'ed25519')
    throw new CustodyError(
      'PUBLIC_KEY_INVALID',
      `${input} is an ${header.type} key file; an Ed25519 public key is needed here`,
      'input',
    );
  return header.publicKey;
}
