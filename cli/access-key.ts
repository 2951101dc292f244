/**
 * Access key files (docs/SERVER.md §Authentication): the Ed25519 key a
 * workstation signs its read requests to a ledger server with (RFC 9421). One
 * key, one purpose (NIST SP 800-57 Part 1 §5.2): it is never the statement
 * key, and it signs nothing that enters the ledger, so it may be kept
 * unencrypted (mode 0600) and a read asks for no passphrase. Revoking it, or
 * the actor it reads for, ends it.
 *
 *   custody-access-key/v1
 *   name: <display name>
 *   public-key: <base64>
 *   seed: <base64 of the 32-byte Ed25519 seed>
 */
import { writeFileSync } from 'node:fs';
import { fromBase64, toBase64 } from '../src/bytes.js';
import { type Signer, signerFromSeed } from '../src/crypto/ed25519.js';
import { CustodyError } from '../src/errors.js';
import { readTextFile } from './files.js';

export const ACCESS_KEY_FORMAT = 'custody-access-key/v1';

export function formatAccessKey(name: string, seed: Uint8Array): string {
  const { publicKey } = signerFromSeed(seed);
  return `${ACCESS_KEY_FORMAT}\nname: ${name}\npublic-key: ${toBase64(publicKey)}\nseed: ${toBase64(seed)}\n`;
}

export function writeAccessKey(path: string, text: string): void {
  try {
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CustodyError(
      code === 'EEXIST' ? 'FILE_EXISTS' : 'FILE_UNWRITABLE',
      code === 'EEXIST'
        ? `${path} already exists; refusing to overwrite a key file`
        : `cannot write ${path}: ${code}`,
      'input',
    );
  }
}

/** Reads an access key file: its signer and name. */
export function readAccessKey(path: string): Signer & { name: string } {
  const text = readTextFile(path, 'access key file', 4096);
  const m =
    /^custody-access-key\/v1\nname: ([^\n]*)\npublic-key: ([A-Za-z0-9+/=]+)\nseed: ([A-Za-z0-9+/=]+)\n$/.exec(
      text,
    );
  const seed = m ? fromBase64(m[3]!) : undefined;
  const pub = m ? fromBase64(m[2]!) : undefined;
  if (!m || seed?.length !== 32 || pub?.length !== 32)
    throw new CustodyError('ACCESS_KEY_INVALID', `${path} is not a custody access key file`, 'input');
  const signer = signerFromSeed(seed);
  if (toBase64(signer.publicKey) !== toBase64(pub))
    throw new CustodyError('ACCESS_KEY_INVALID', `${path}: its public key does not match its seed`, 'input');
  return Object.assign(signer, { name: m[1]! });
}
