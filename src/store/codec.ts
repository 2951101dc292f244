/**
 * Encoding of the derived records kept in a store (custody state and head).
 * These are never signed or hashed — the verifier recomputes them from the
 * signed entries — so they use plain msgpackr (fast, native when available)
 * rather than the canonical encoder. A record that does not decode to the
 * expected shape is reported as STORE_CORRUPT, never silently used.
 */

import { Packr, Unpackr } from 'msgpackr';
import type { ActorRecord, ExhibitRecord, StateHead } from '../custody/state.js';
import { CustodyError } from '../errors.js';

const packr = new Packr({ useRecords: false, variableMapSize: true });
// copyBuffers: decoded byte fields must not alias LevelDB's value buffer.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true, copyBuffers: true });

export const encodeState = (v: ActorRecord | ExhibitRecord | StateHead): Uint8Array => packr.pack(v);

export function decodeState<T>(
  bytes: Uint8Array,
  what: string,
  check: (v: Record<string, unknown>) => boolean,
): T {
  let v: unknown;
  try {
    v = unpackr.unpack(bytes);
  } catch {
    v = undefined;
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && check(v as Record<string, unknown>))
    return plain(v) as T;
  throw new CustodyError('STORE_CORRUPT', `stored ${what} is damaged`, 'unavailable');
}

/** Buffers become plain Uint8Arrays, so a record read back equals the record written. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
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
