/**
 * Openings sealed for erasure (docs/PRIVACY.md §Erasure, docs/STORAGE.md
 * §Openings): each committed field's opening (its salt and cleartext) is
 * encrypted under a key of its own, AES-256-GCM, and the keys are kept in a
 * small store apart from the entries (./opening-keys.ts). Destroying a key
 * erases the field everywhere the key never went: LevelDB's old logs and
 * tables, backups of the entries, replicas.
 *
 *   sealed = canonical map { field: [ nonce: bin(12), ciphertext ‖ tag: bin ], … }
 *   plaintext = canonical([ salt: bin(32), value: str ])
 *   AAD = "custody/opening/v1\n" ‖ u64(index) ‖ utf8(field)
 *
 * The AAD binds each ciphertext to its entry and field, so a sealed opening
 * moved to another entry or field does not decrypt. Security assumption:
 * keys and nonces come from the CSPRNG, and a key encrypts exactly one
 * opening (so a 96-bit random nonce never repeats under a key).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { concat, utf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { isObj } from '../format/checks.js';
import type { Openings } from '../format/openings.js';
import { u64Bytes } from './log-keys.js';

export const OPENING_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const AAD_PREFIX = utf8('custody/opening/v1\n');

const aad = (index: number, field: string) => concat(AAD_PREFIX, u64Bytes(index), utf8(field));

const corrupt = (message: string) => new CustodyError('STORE_CORRUPT', message, 'unavailable');

/** Seals each opening under a fresh key; returns the sealed map and the keys by field. */
export function sealOpenings(
  index: number,
  openings: Openings,
): { sealed: Uint8Array; keys: Map<string, Uint8Array> } {
  const m: Record<string, [Uint8Array, Uint8Array]> = {};
  const keys = new Map<string, Uint8Array>();
  for (const [field, o] of Object.entries(openings)) {
    const key = new Uint8Array(randomBytes(OPENING_KEY_BYTES));
    const nonce = new Uint8Array(randomBytes(NONCE_BYTES));
    const c = createCipheriv('aes-256-gcm', key, nonce);
    c.setAAD(aad(index, field));
    const body = concat(c.update(encodeCanonical([o.salt, o.value])), c.final(), c.getAuthTag());
    m[field] = [nonce, body];
    keys.set(field, key);
  }
  return { sealed: encodeCanonical(m), keys };
}

/** The fields a sealed map holds (without decrypting anything). */
export function sealedFields(sealed: Uint8Array): string[] {
  const r = decodeCanonical(sealed);
  if ('error' in r || !isObj(r.value)) throw corrupt('stored sealed openings do not decode');
  return Object.keys(r.value);
}

/**
 * Opens the fields whose key is still held; a field whose key was destroyed
 * is left out (erased). A ciphertext that does not decrypt under its key is
 * STORE_CORRUPT: it was changed behind the ledger.
 */
export function unsealOpenings(
  index: number,
  sealed: Uint8Array,
  keyOf: (field: string) => Uint8Array | undefined,
): Openings {
  const r = decodeCanonical(sealed);
  if ('error' in r || !isObj(r.value)) throw corrupt(`stored openings of entry ${index} do not decode`);
  const out: Openings = {};
  for (const [field, v] of Object.entries(r.value)) {
    const key = keyOf(field);
    if (!key) continue;
    const [nonce, body] = Array.isArray(v) ? (v as unknown[]) : [];
    if (!(nonce instanceof Uint8Array) || !(body instanceof Uint8Array) || body.length < TAG_BYTES)
      throw corrupt(`stored opening ${field} of entry ${index} is malformed`);
    let plain: Uint8Array;
    try {
      const d = createDecipheriv('aes-256-gcm', key, nonce);
      d.setAAD(aad(index, field));
      d.setAuthTag(body.subarray(body.length - TAG_BYTES));
      plain = concat(d.update(body.subarray(0, body.length - TAG_BYTES)), d.final());
    } catch {
      throw corrupt(`stored opening ${field} of entry ${index} does not decrypt under its key`);
    }
    const p = decodeCanonical(plain);
    const pair = 'error' in p ? undefined : p.value;
    if (!Array.isArray(pair) || !(pair[0] instanceof Uint8Array) || typeof pair[1] !== 'string')
      throw corrupt(`stored opening ${field} of entry ${index} is malformed`);
    out[field] = { salt: pair[0], value: pair[1] };
  }
  return out;
}
