/**
 * Salted commitments to personal and free-text fields (docs/FORMAT.md
 * §Commitments). A statement signs only the commitment; the cleartext and its
 * salt (the *opening*) are stored beside the entry, so they can be withheld,
 * restricted or erased while every signature and the tree still verify
 * (Directive (EU) 2016/680 Art. 16; EDPB Guidelines 02/2025).
 *
 *   commitment = SHA-256( canonical([ "custody/commit/v2", field, salt, value ]) )
 *
 * field is the body field's wire name, salt exactly 32 random bytes (bin 32),
 * value the UTF-8 text. In canonical msgpack every element carries its own
 * length, and the salt's length is fixed, so no opening can shift bytes
 * between salt and value (or between field and value) and still match: one
 * commitment opens to exactly one (field, value). Security assumptions:
 * SHA-256 is collision resistant, and a salt is never reused (it is the only
 * thing that keeps a short value such as a name from being guessed).
 */
import { equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { encodeCanonical } from './canonical.js';

export const COMMIT_DOMAIN = 'custody/commit/v2';
export const SALT_LENGTH = 32;

/** The cleartext of one committed field and the salt it was committed with. */
export interface Opening {
  salt: Uint8Array;
  value: string;
}

/** The commitment to `value` as the field `field`. Throws a RangeError on a salt that is not 32 bytes. */
export function commit(field: string, opening: Opening): Uint8Array {
  if (opening.salt.length !== SALT_LENGTH) throw new RangeError('a commitment salt is exactly 32 bytes');
  return sha256(encodeCanonical([COMMIT_DOMAIN, field, opening.salt, opening.value]));
}

/** True if `opening` opens `commitment` for `field`. Never throws. */
export function opens(commitment: Uint8Array, field: string, opening: Opening): boolean {
  if (!(opening.salt instanceof Uint8Array) || opening.salt.length !== SALT_LENGTH) return false;
  if (typeof opening.value !== 'string' || commitment.length !== 32) return false;
  try {
    return equalBytes(commit(field, opening), commitment);
  } catch {
    return false;
  }
}
