/** Verifier keys in the server's configuration (docs/SERVER.md §Configuration). */
import { verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { noteVerifierFromVkey } from '../../src/checkpoint/note.js';
import { CustodyError } from '../../src/errors.js';

/** A vkey from the configuration (a log's, or with `cosigner` a witness's), or CONFIG_INVALID. */
export function vkeyVerifier(vkey: string, cosigner = false) {
  try {
    return cosigner ? verifierFromVkey(vkey) : noteVerifierFromVkey(vkey);
  } catch (e) {
    throw new CustodyError(
      'CONFIG_INVALID',
      `not a verifier key: ${vkey.slice(0, 60)} (${e instanceof Error ? e.message : ''})`,
      'input',
    );
  }
}
