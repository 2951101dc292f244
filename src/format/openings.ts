/**
 * Openings: the cleartext of a statement's committed fields, with their salts,
 * stored beside the entry and never in the leaf (docs/FORMAT.md §Openings).
 *
 *   openings = canonical map { field: [ salt: bin(32), value: str ], ... }
 *
 * Any subset of the committed fields present in the body may be revealed; a
 * withheld field simply has no opening. A revealed value must open its
 * commitment and obey the text rules of that field (the same rules a clear
 * field obeys), with codes of its own so a report can tell "the cleartext does
 * not match what was signed" from "the signed text is unacceptable".
 */
import type { Canonical } from './canonical.js';
import { decodeCanonical, encodeCanonical } from './canonical.js';
import { isObj } from './checks.js';
import { commit, type Opening, opens, SALT_LENGTH } from './commitment.js';
import { FormatError } from './format-error.js';
import type { KindSpec } from './kinds.js';
import { textProblem } from './text.js';

export type Openings = Record<string, Opening>;

export function encodeOpenings(o: Openings): Uint8Array {
  const m: Record<string, Canonical> = {};
  for (const [k, { salt, value }] of Object.entries(o)) m[k] = [salt, value];
  return encodeCanonical(m);
}

/** Strictly decodes stored openings. Throws FormatError(OPENING_INVALID) only. */
export function decodeOpenings(bytes: Uint8Array): Openings {
  const r = decodeCanonical(bytes);
  if ('error' in r || !isObj(r.value))
    throw new FormatError('OPENING_INVALID', 'openings must be a canonical map');
  const out: Openings = {};
  for (const [k, v] of Object.entries(r.value)) {
    if (!Array.isArray(v) || v.length !== 2)
      throw new FormatError('OPENING_INVALID', `${k}: must be [salt, value]`);
    const [salt, value] = v as unknown[];
    if (!(salt instanceof Uint8Array) || salt.length !== SALT_LENGTH || typeof value !== 'string')
      throw new FormatError('OPENING_INVALID', `${k}: salt must be 32 bytes and value a string`);
    out[k] = { salt, value };
  }
  return out;
}

/**
 * Checks revealed openings against a body that passed its schema. Throws
 * OPENING_INVALID (a field that is not committed in this body, or an opening
 * that does not match) or OPENING_TEXT_REFUSED (it matches, but the text
 * breaks the field's text rules).
 */
export function checkOpenings(
  spec: KindSpec,
  kind: string,
  body: Record<string, Canonical>,
  openings: Openings,
): void {
  for (const [field, opening] of Object.entries(openings)) {
    const rule = Object.hasOwn(spec.committed, field) ? spec.committed[field] : undefined;
    const c = body[field];
    if (!rule || !(c instanceof Uint8Array))
      throw new FormatError(
        'OPENING_INVALID',
        `${kind}: ${field} is not a committed field of this statement`,
      );
    if (!opens(c, field, opening))
      throw new FormatError(
        'OPENING_INVALID',
        `${kind}: the cleartext of ${field} does not match its commitment`,
      );
    const p = textProblem(opening.value, rule.max, !rule.multiLine);
    if (p) throw new FormatError('OPENING_TEXT_REFUSED', `${kind}: ${field} ${p}`);
  }
}

/**
 * Replaces the cleartext of each committed field in `fields` by its commitment,
 * with a fresh salt from `randomBytes`, and returns the body and its openings.
 * Fields that are not committed for this kind are copied as they are.
 */
export function commitFields(
  spec: KindSpec,
  fields: Record<string, Canonical | undefined>,
  randomBytes: (n: number) => Uint8Array,
): { body: Record<string, Canonical>; openings: Openings } {
  const body: Record<string, Canonical> = {};
  const openings: Openings = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (Object.hasOwn(spec.committed, k)) {
      if (typeof v !== 'string') throw new TypeError(`${k} must be text to be committed`);
      const opening = { salt: randomBytes(SALT_LENGTH), value: v };
      openings[k] = opening;
      body[k] = commit(k, opening);
    } else body[k] = v;
  }
  return { body, openings };
}
