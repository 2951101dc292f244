/**
 * Field checks of format v2 bodies that are more than a type and a length
 * (docs/FORMAT.md §Kinds and bodies): keys, key references, and sets drawn
 * from a closed vocabulary. The kinds table (./kinds.ts) names them per field.
 */
import { equalBytes } from '../bytes.js';
import {
  bin,
  type Check,
  checkFields,
  digests,
  type Fields,
  isObj,
  oneOf,
  opt,
  req,
  str,
  uint,
} from './checks.js';
import { isKeyPurpose, isKeyType, PUBLIC_KEY_LENGTH } from './key-id.js';
import { isOrigin } from './text.js';
import {
  ACQUISITION_TOOLS,
  DISCLOSURE_PROFILES,
  type EvidenceType,
  VERIFICATION_RESULTS,
  YES_NO,
} from './vocabulary.js';

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

/** A line of text (FORMAT.md §Field types); the limit is TEXT_LIMITS.line of ./kinds.ts. */
const line = str(500);

/**
 * Digests an acquisition tool reported in its log (register v2 `reported`):
 * what the tool said, beside what the registrar computed; `log` is SHA-256 of
 * the log file as imported, so the claim can be traced to its file.
 */
const REPORTED_FIELDS: Fields = {
  tool: req(oneOf(ACQUISITION_TOOLS)),
  version: req(line),
  // Absent only for a folder or segment set checked file by file against a hashdeep file, which reports no
  // digest of the whole: the check is recorded by `log`, the file it was made against.
  digests: opt(digests(false)),
  log: req(bin(32)),
  verification: opt(oneOf(VERIFICATION_RESULTS)),
};
export const reported: Check = (v) =>
  isObj(v) ? checkFields(v, REPORTED_FIELDS, 'reported') : 'must be a map';

/** A block device as the kernel had it when it was read (register v2 `device`). */
const DEVICE_FIELDS: Fields = {
  model: opt(line),
  readOnly: req(oneOf(YES_NO)),
  mounted: req(oneOf(YES_NO)),
};
export const device: Check = (v) => (isObj(v) ? checkFields(v, DEVICE_FIELDS, 'device') : 'must be a map');

/** SHA-256 of seal photographs: 1..32, in the signer's order, none twice (a repeat adds nothing). */
export const photos: Check = (v) => {
  if (!Array.isArray(v) || v.length < 1 || v.length > 32) return 'must be a list of 1 to 32 photo digests';
  for (let i = 0; i < v.length; i++) {
    const d: unknown = v[i];
    if (!(d instanceof Uint8Array) || d.length !== 32) return 'must hold 32-byte digests';
    if (v.slice(0, i).some((e: Uint8Array) => equalBytes(e, d))) return 'must not repeat a digest';
  }
  return undefined;
};

/** A rule across the fields of one body version: a reason, or undefined (the fields each passed already). */
export type BodyRule = (body: Readonly<Record<string, unknown>>) => string | undefined;

/** The evidence types whose bytes are described by a manifest (a Merkle root and its entry count). */
const HAS_MANIFEST: readonly EvidenceType[] = ['directory', 'segments'];

/**
 * register v2 (docs/FORMAT.md §Kinds and bodies): a manifest exactly for a
 * folder or a segment set, its entry count exactly with it, and a device map
 * only for a device; otherwise one body could claim two kinds of evidence.
 */
export const registerV2Rule: BodyRule = (b) => {
  const evidence = b['evidence'] as EvidenceType;
  const manifest = b['manifest'] !== undefined;
  if (HAS_MANIFEST.includes(evidence) !== manifest)
    return manifest
      ? `register body: manifest is only for directory or segments evidence, not ${evidence}`
      : `register body: ${evidence} evidence names its manifest`;
  if ((b['entries'] !== undefined) !== manifest)
    return manifest ? 'register body: missing field entries' : 'register body: entries goes with manifest';
  if (b['device'] !== undefined && evidence !== 'device')
    return `register body: device is only for device evidence, not ${evidence}`;
  return undefined;
};

/**
 * enrol v2: every field of v2 beyond v1 is optional, so a v2 body without
 * any of them would be a second encoding of a v1 body (a signer writes the
 * lowest version that has its fields).
 */
export const enrolV2Rule: BodyRule = (b) =>
  b['similarName'] === undefined && b['identityCheck'] === undefined
    ? 'enrol body: version 2 carries similarName or identityCheck (else it is version 1)'
    : undefined;
