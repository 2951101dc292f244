/**
 * Field checks of format v2 bodies that are more than a type and a length
 * (docs/FORMAT.md §Kinds and bodies): keys, key references, and sets drawn
 * from a closed vocabulary. The kinds table (./kinds.ts) names them per field.
 */
import { type Check, checkFields, type Fields, isObj, opt, uint } from './checks.js';
import { isKeyPurpose, isKeyType, PUBLIC_KEY_LENGTH } from './key-id.js';
import { isOrigin } from './text.js';
import { DISCLOSURE_PROFILES } from './vocabulary.js';

/** Roles an enrolled statement key may hold (log, witness and auditor are key purposes, not roles). */
export const ROLES_V2 = [
  'collector',
  'court',
  'custodian',
  'data-protection',
  'examiner',
  'registrar',
] as const;
export type RoleV2 = (typeof ROLES_V2)[number];

/** [type, public key] with the type's key length. */
export const typedKey: Check = (v) => {
  if (!Array.isArray(v) || v.length !== 2) return 'must be [type, public key]';
  const [t, pk] = v as unknown[];
  if (!isKeyType(t)) return 'has an unknown key type';
  return pk instanceof Uint8Array && pk.length === PUBLIC_KEY_LENGTH[t]
    ? undefined
    : 'public key has the wrong length';
};

/** A key in this ledger by its 32-byte id, or in another one as [origin, id]. */
export const keyRef: Check = (v) => {
  if (v instanceof Uint8Array) return v.length === 32 ? undefined : 'must be a 32-byte key id';
  if (!Array.isArray(v) || v.length !== 2) return 'must be a key id or [origin, key id]';
  const [o, id] = v as unknown[];
  if (typeof o !== 'string' || !isOrigin(o)) return 'names an invalid origin';
  return id instanceof Uint8Array && id.length === 32 ? undefined : 'key id must be 32 bytes';
};

/**
 * A set drawn from a closed vocabulary, as a list sorted and unique: a set
 * has exactly one encoding.
 */
const sortedSubset =
  (vocabulary: readonly string[], what: string): Check =>
  (v) => {
    if (!Array.isArray(v) || v.length > vocabulary.length) return `must be a list of ${what}s`;
    for (let i = 0; i < v.length; i++) {
      if (!vocabulary.includes(v[i])) return `has unknown ${what} ${JSON.stringify(v[i])}`;
      if (i > 0 && !(v[i - 1] < v[i])) return 'must be sorted and unique';
    }
    return undefined;
  };

/** An enrolment's roles. */
export const rolesV2: Check = sortedSubset(ROLES_V2, 'role');
/** Disclosure profiles (a hold's `recipients`). */
export const profiles: Check = sortedSubset(DISCLOSURE_PROFILES, 'profile');

/** Names of committed fields, sorted and unique (a disclosure's, hold's or erasure's `fields`). */
export const fieldNames: Check = (v) => {
  if (!Array.isArray(v) || v.length > 32) return 'must be a list of at most 32 field names';
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'string' || !/^[a-z][A-Za-z]{0,31}$/.test(v[i])) return 'must hold field names';
    if (i > 0 && !(v[i - 1] < v[i])) return 'must be sorted and unique';
  }
  return undefined;
};

export const purpose: Check = (v) => (isKeyPurpose(v) ? undefined : 'must be a key purpose 1..5');
export const trueOnly: Check = (v) => (v === true ? undefined : 'must be true (or absent)');

/** Rule parameters (docs/CUSTODY-RULES.md §Configuration); every one is optional and has a default. */
const CONFIG_FIELDS: Fields = {
  clockSkewMs: opt(uint(86_400_000)),
  lateSubmissionMs: opt(uint(31_536_000_000)),
};
export const config: Check = (v) => (isObj(v) ? checkFields(v, CONFIG_FIELDS, 'config') : 'must be a map');
