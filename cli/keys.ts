/** Loading signing keys and public keys named on the command line. */
import { readFileSync, statSync } from 'node:fs';
import { fromBase64, fromHex } from '../src/bytes.js';
import { type Signer, signerFromSeed } from '../src/crypto/ed25519.js';
import { CustodyError } from '../src/errors.js';
import { decryptKeyFile, readKeyFileHeader } from '../src/keys/keyfile.js';
import type { Output } from './io.js';
import { getPassphrase } from './passphrase.js';

/** Reads a file given on the command line, refusing anything larger than `maxBytes`. */
export function readInputFile(path: string, what: string, maxBytes: number, code = 'FILE_TOO_LARGE'): Buffer {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new CustodyError(
      'FILE_UNREADABLE',
      `cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      'input',
    );
  }
  if (size > maxBytes)
    throw new CustodyError(code, `${what} ${path} is larger than ${maxBytes} bytes`, 'input');
  return readFileSync(path);
}

export const readTextFile = (path: string, what: string, maxBytes = 1 << 20): string =>
  readInputFile(path, what, maxBytes).toString('utf8');

/** Opens an encrypted key file and returns a signer; warns if others can read the file. */
export async function loadSigner(path: string, out: Output): Promise<Signer & { name: string }> {
  const text = readTextFile(path, 'key file', 64 << 10);
  const header = readKeyFileHeader(text);
  const mode = statSync(path).mode & 0o777;
  if (process.platform !== 'win32' && mode & 0o077)
    out.warn(`key file ${path} is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${path}`);
  const passphrase = await getPassphrase(
    `Passphrase for ${header.name} (${path}): `,
    out.opts.passphraseFile,
  );
  const { seed, name } = decryptKeyFile(text, passphrase);
  const signer = signerFromSeed(seed);
  seed.fill(0);
  return Object.assign(signer, { name });
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
  return readKeyFileHeader(text).publicKey;
}
