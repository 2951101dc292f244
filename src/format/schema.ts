/**
 * Strict schema check of a decoded payload (docs/FORMAT.md §Payload, §Bodies).
 * Every field has one type; unknown fields, missing required fields, wrong types
 * and oversize values are rejected. Returns a reason or undefined; never throws.
 */

import {
  bin,
  type Check,
  checkFields,
  digests,
  type Fields,
  isObj,
  jurisdiction,
  oneOf,
  opt,
  req,
  str,
  uint,
} from './checks.js';
import { DISPOSAL_METHODS, KINDS, type Kind, ROLES, SEAL_STATES } from './events.js';
import { isCanonicalId } from './ids.js';
import { isOrigin, isTimeZoneName } from './text.js';

/** Limits, in UTF-8 bytes (docs/FORMAT.md §Limits). */
export const LIMITS = {
  record: 65_536,
  name: 200,
  label: 200,
  line: 500,
  text: 8_192,
  maxTime: 253_402_300_799_999, // 9999-12-31T23:59:59.999Z
  maxSize: Number.MAX_SAFE_INTEGER,
} as const;

const actorId: Check = (v) =>
  typeof v === 'string' && isCanonicalId('K', v) ? undefined : 'must be an actor id';
const exhibitId: Check = (v) =>
  typeof v === 'string' && isCanonicalId('EX', v) ? undefined : 'must be an exhibit id';
const roles: Check = (v) => {
  if (!Array.isArray(v) || v.length === 0 || v.length > ROLES.length)
    return 'must be a non-empty list of roles';
  for (let i = 0; i < v.length; i++) {
    // Sorted and unique, so a set of roles has exactly one encoding.
    if (!ROLES.includes(v[i])) return `has unknown role ${JSON.stringify(v[i])}`;
    if (i > 0 && !(v[i - 1] < v[i])) return 'must be sorted and unique';
  }
  return undefined;
};
const exhibitEvent = { exhibit: req(exhibitId), after: req(bin(32)) };

const BODIES: Record<Kind, Fields> = {
  genesis: {
    origin: req((v) => (typeof v === 'string' && isOrigin(v) ? undefined : 'must be a valid origin')),
    publicKey: req(bin(32)),
    name: req(str(LIMITS.name)),
    jurisdiction: req(jurisdiction),
    org: req(str(LIMITS.name)),
  },
  enrol: {
    publicKey: req(bin(32)),
    name: req(str(LIMITS.name)),
    roles: req(roles),
    jurisdiction: req(jurisdiction),
    org: req(str(LIMITS.name)),
  },
  revoke: { actor: req(actorId), reason: req(str(LIMITS.text, false)) },
  rotate: { publicKey: req(bin(32)), proof: req(bin(64)) },
  register: {
    exhibit: req(exhibitId),
    label: req(str(LIMITS.label)),
    caseRef: req(str(LIMITS.label)),
    description: req(str(LIMITS.text, false)),
    digests: req(digests(true)),
    size: req(uint(LIMITS.maxSize)),
    seal: opt(str(LIMITS.label)),
    location: opt(str(LIMITS.line)),
    seizedAt: opt(uint(LIMITS.maxTime)),
    parent: opt(exhibitId),
    parentAfter: opt(bin(32)),
  },
  transfer: {
    ...exhibitEvent,
    to: req(actorId),
    reason: req(str(LIMITS.text, false)),
    method: opt(str(LIMITS.line)),
    seal: opt(str(LIMITS.label)),
    legalBasis: opt(str(LIMITS.line)),
  },
  accept: {
    ...exhibitEvent,
    digests: opt(digests(false)),
    seal: opt(oneOf(SEAL_STATES)),
    note: opt(str(LIMITS.text, false)),
  },
  reject: { ...exhibitEvent, reason: req(str(LIMITS.text, false)) },
  cancel: { ...exhibitEvent, reason: req(str(LIMITS.text, false)) },
  examine: {
    ...exhibitEvent,
    action: req(str(LIMITS.text, false)),
    tool: opt(str(LIMITS.line)),
    digests: opt(digests(false)),
    seal: opt(str(LIMITS.label)),
  },
  dispose: {
    ...exhibitEvent,
    method: req(oneOf(DISPOSAL_METHODS)),
    reason: req(str(LIMITS.text, false)),
    recipient: opt(str(LIMITS.line)),
  },
};

const ENVELOPE: Fields = {
  v: req((v) => (v === 1 ? undefined : 'unsupported format version')),
  seq: req(uint(Number.MAX_SAFE_INTEGER)),
  prev: req(bin(32)),
  time: req(uint(LIMITS.maxTime)),
  tz: req((v) => (typeof v === 'string' && isTimeZoneName(v) ? undefined : 'must be an IANA time zone name')),
  actor: req(actorId),
  kind: req(oneOf(KINDS)),
  body: req((v) => (isObj(v) ? undefined : 'must be a map')),
};

/** Checks a decoded payload; returns a reason if it does not match the schema. */
export function payloadProblem(v: unknown): string | undefined {
  if (!isObj(v)) return 'payload must be a map';
  const e = checkFields(v, ENVELOPE, 'payload');
  if (e) return e;
  const body = v['body'] as Record<string, unknown>;
  const kind = v['kind'] as Kind;
  const b = checkFields(body, BODIES[kind], `${kind} body`);
  if (b) return b;
  if (kind === 'register' && 'parent' in body !== 'parentAfter' in body)
    return 'register body: parent and parentAfter go together';
  return undefined;
}
