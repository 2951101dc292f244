/** Loading signing keys and public keys named on the command line. */
import { statSync } from 'node:fs';
import { fromBase64, fromHex } from '../src/bytes.js';
import { type Signer, signerFromSeed } from '../src/crypto/ed25519.js';
import { CustodyError } from '../src/errors.js';
import { decryptKeyFile, readKeyFileHeader } from '../src/keys/keyfile.js';
import { readTextFile } from './files.js';
import type { Output } from './io.js';
import { getPassphrase } from './passphrase.js';

export { readInputFile, readTextFile } from './files.js';

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
  try {
    return readKeyFileHeader(text).publicKey;
  } catch (e) {
    if (e instanceof CustodyError && e.code === 'KEY_FILE_MALFORMED')
      throw new CustodyError(
        'PUBLIC_KEY_INVALID',
        `${input} is neither a 32-byte public key (base64 or hex) nor a custody key file`,
        'input',
      );
    throw e;
  }
}
