/**
 * Encoding of the derived records kept in a store (custody state and head).
 * These are never signed or hashed — the verifier recomputes them from the
 * signed entries — so they use plain msgpackr (fast, native when available)
 * rather than the canonical encoder. A record that does not decode to the
 * expected shape is reported as STORE_CORRUPT, never silently used.
 */
import type { ActorRecord, ExhibitRecord, StateHead } from '../custody/state.js';
import { CustodyError } from '../errors.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';

export const encodeState = (v: ActorRecord | ExhibitRecord | StateHead): Uint8Array =>
  encodeCanonical(v as unknown as Canonical);

export function decodeState<T>(
  bytes: Uint8Array,
  what: string,
  check: (v: Record<string, unknown>) => boolean,
): T {
  const r = decodeCanonical(bytes);
  if (
    'value' in r &&
    typeof r.value === 'object' &&
    r.value !== null &&
    check(r.value as Record<string, unknown>)
  )
    return r.value as T;
  throw new CustodyError('STORE_CORRUPT', `stored ${what} is damaged`, 'unavailable');
}

const isBin = (v: unknown, n: number) => v instanceof Uint8Array && v.length === n;
const isNat = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStr = (v: unknown) => typeof v === 'string';

export const looksLikeHead = (v: Record<string, unknown>) =>
  isNat(v['size']) &&
  isBin(v['head'], 32) &&
  isNat(v['lastTime']) &&
  isStr(v['origin']) &&
  isStr(v['authority']);
export const looksLikeActor = (v: Record<string, unknown>) =>
  isStr(v['id']) && isBin(v['publicKey'], 32) && Array.isArray(v['roles']) && isNat(v['enrolledSeq']);
export const looksLikeExhibit = (v: Record<string, unknown>) =>
  isStr(v['id']) &&
  isStr(v['holder']) &&
  isBin(v['lastHash'], 32) &&
  isNat(v['lastSeq']) &&
  Array.isArray(v['mismatches']);
