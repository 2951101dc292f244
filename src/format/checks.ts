/**
 * Field checks shared by the schemas of both envelopes (docs/FORMAT.md §Field
 * types). Each returns a reason, or undefined if the value is acceptable; none
 * ever throws, whatever it is given.
 */

import { isJurisdiction } from './jurisdiction.js';
import { textProblem } from './text.js';
import { DIGEST_ALGORITHMS, DIGEST_LENGTH, type DigestAlgorithm } from './vocabulary.js';

export type Check = (v: unknown) => string | undefined;

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

export const uint =
  (max: number): Check =>
  (v) =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max
      ? undefined
      : 'must be an unsigned integer';
export const bin =
  (len: number): Check =>
  (v) =>
    v instanceof Uint8Array && v.length === len ? undefined : `must be ${len} bytes`;
export const str =
  (max: number, singleLine = true): Check =>
  (v) =>
    typeof v !== 'string' ? 'must be a string' : textProblem(v, max, singleLine);
export const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? undefined : `must be one of ${values.join(', ')}`;
export const jurisdiction: Check = (v) =>
  typeof v === 'string' && isJurisdiction(v) ? undefined : 'must be an ISO 3166-1 alpha-2 code';
export const digests =
  (sha256Required: boolean): Check =>
  (v) => {
    if (!isObj(v)) return 'must be a map of digests';
    const keys = Object.keys(v);
    if (keys.length === 0) return 'must not be empty';
    for (const k of keys) {
      if (!DIGEST_ALGORITHMS.includes(k as DigestAlgorithm))
        return `has unknown algorithm ${JSON.stringify(k)}`;
      const d = v[k];
      if (!(d instanceof Uint8Array) || d.length !== DIGEST_LENGTH[k as DigestAlgorithm])
        return `${k} must be ${DIGEST_LENGTH[k as DigestAlgorithm]} bytes`;
    }
    if (sha256Required && !('sha256' in v)) return 'must include sha256';
    return undefined;
  };

export type Fields = Record<string, [Check, boolean]>;
export const req = (c: Check): [Check, boolean] => [c, true];
export const opt = (c: Check): [Check, boolean] => [c, false];

type CompiledFields = readonly (readonly [string, Check, boolean])[];
/** Each Fields table as a list, made once: tables are constants, never changed once used. */
const compiled = new WeakMap<Fields, CompiledFields>();
function compile(fields: Fields): CompiledFields {
  let c = compiled.get(fields);
  if (c === undefined) {
    c = Object.entries(fields).map(([k, [check, required]]) => [k, check, required] as const);
    compiled.set(fields, c);
  }
  return c;
}

/**
 * Checks `obj` against `fields`: no unknown field (own keys only, so inherited
 * names like `constructor` never count as known), every required one present,
 * each present one valid.
 */
export function checkFields(obj: Record<string, unknown>, fields: Fields, where: string): string | undefined {
  // for-in with an own-key test visits exactly Object.keys(obj), in the same
  // order, without allocating the array.
  for (const k in obj)
    if (Object.hasOwn(obj, k) && !Object.hasOwn(fields, k))
      return `${where}: unknown field ${JSON.stringify(k)}`;
  for (const [k, check, required] of compile(fields)) {
    const v = obj[k];
    if (v === undefined) {
      if (required) return `${where}: missing field ${k}`;
      continue;
    }
    const p = check(v);
    if (p) return `${where}: ${k} ${p}`;
  }
  return undefined;
}
