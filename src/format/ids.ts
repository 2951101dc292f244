/**
 * Human-facing identifiers (docs/FORMAT.md §Identifiers).
 *
 * Both use Crockford's base32 alphabet (no I, L, O, U: nothing to misread aloud)
 * for 45 bits plus one Luhn mod 32 check symbol, written in two groups of five
 * after a prefix:
 *   actor / key id:  K-XXXXX-XXXXC   45 bits of SHA-256("custody/key-id/v1\n" ‖ public key)
 *   exhibit id:      EX-XXXXX-XXXXC  45 random bits chosen at registration
 * The check symbol catches every single-symbol typo and most adjacent swaps
 * before the ledger is even consulted. Uniqueness inside a ledger is enforced by
 * the custody rules (an enrolment or registration that would reuse an id is
 * refused), so 45 bits only need to make accidental collisions rare, not
 * impossible; ids are names, never a security boundary (signatures are).
 */
import { concat, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';

import { ids45 as encode45, parse45 } from './short-id.js';

const CANONICAL = /^(K|EX)-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

// Ids recur in every record (signers, exhibits): remember those already checked.
const checkedIds = new Set<string>();

/** True if `s` is an id exactly in canonical form (as stored in records). */
export function isCanonicalId(prefix: 'K' | 'EX', s: string): boolean {
  if (checkedIds.has(s)) return s.startsWith(`${prefix}-`);
  const ok = CANONICAL.test(s) && s.startsWith(`${prefix}-`) && parse45(prefix, s) === s;
  if (ok) {
    if (checkedIds.size > 100_000) checkedIds.clear();
    checkedIds.add(s);
  }
  return ok;
}

const KEY_ID_DOMAIN = utf8('custody/key-id/v1\n');

/** The actor id (key id) of an Ed25519 public key. */
export function keyId(publicKey: Uint8Array): string {
  return encode45('K', sha256(concat(KEY_ID_DOMAIN, publicKey)));
}

/** An exhibit id from at least 6 random bytes. */
export function exhibitIdFromBytes(random: Uint8Array): string {
  if (random.length < 6) throw new RangeError('need 6 random bytes');
  return encode45('EX', random);
}

export const parseActorId = (input: string): string | undefined => parse45('K', input);
export const parseExhibitId = (input: string): string | undefined => parse45('EX', input);
