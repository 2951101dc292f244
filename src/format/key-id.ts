/**
 * Keys in format v2 (docs/FORMAT.md §Keys): every key carries a type byte, as
 * C2SP signed-note does, and is named by a 32-byte key id that binds its type,
 * its purpose and its public key.
 *
 *   keyId = SHA-256( "custody/key/v2\n" ‖ type ‖ purpose ‖ publicKey )
 *
 * Binding the purpose means one public key enrolled as a statement key can
 * never be presented as an access, log, witness or auditor key: the same bytes
 * get a different id in each role (security assumption: SHA-256 collision
 * resistance). The short "K-XXXXX-XXXXC" form people read is derived from the
 * key id for display only; nothing is ever decided by it alone.
 */
import { concat, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { ids45 } from './short-id.js';

/** C2SP signed-note signature types (0x01 Ed25519; 0x06 ML-DSA-44, reserved for logs and witnesses). */
export const KEY_TYPES = { ed25519: 0x01, mldsa44: 0x06 } as const;
export type KeyTypeName = keyof typeof KEY_TYPES;
export type KeyType = (typeof KEY_TYPES)[KeyTypeName];

/** Public key length of each type (FIPS 204 Table 2 for ML-DSA-44). */
export const PUBLIC_KEY_LENGTH: Record<KeyType, number> = { 1: 32, 6: 1312 };
/** Signature length of each type. */
export const SIGNATURE_LENGTH: Record<KeyType, number> = { 1: 64, 6: 2420 };

/** What a key may be used for; one enrolment per public key per ledger. */
export const KEY_PURPOSES = {
  statement: 0x01,
  access: 0x02,
  log: 0x03,
  witness: 0x04,
  auditor: 0x05,
} as const;
export type KeyPurposeName = keyof typeof KEY_PURPOSES;
export type KeyPurpose = (typeof KEY_PURPOSES)[KeyPurposeName];

/** Statement keys are Ed25519 only (an actor's signature must verify everywhere, in a browser too). */
export const TYPES_FOR_PURPOSE: Record<KeyPurpose, readonly KeyType[]> = {
  1: [0x01],
  2: [0x01],
  3: [0x01, 0x06],
  4: [0x01, 0x06],
  5: [0x01],
};

export const isKeyType = (v: unknown): v is KeyType => v === 0x01 || v === 0x06;
export const isKeyPurpose = (v: unknown): v is KeyPurpose =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0x01 && v <= 0x05;

/** A public key with its type, as carried on the wire: [type, publicKey]. */
export interface TypedKey {
  type: KeyType;
  publicKey: Uint8Array;
}

const KEY_DOMAIN = utf8('custody/key/v2\n');

/** The 32-byte key id of a public key used for `purpose`. */
export function keyIdOf(key: TypedKey, purpose: KeyPurpose): Uint8Array {
  return sha256(concat(KEY_DOMAIN, new Uint8Array([key.type, purpose]), key.publicKey));
}

/** "K-XXXXX-XXXXC": the first 45 bits of a key id, for display and typing only. */
export const shortKeyId = (keyId: Uint8Array): string => ids45('K', keyId);

/** The short id of an Ed25519 public key as a statement key: what people see for an actor. */
export const statementKeyShort = (publicKey: Uint8Array): string =>
  shortKeyId(keyIdOf({ type: KEY_TYPES.ed25519, publicKey }, KEY_PURPOSES.statement));
