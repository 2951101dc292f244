/**
 * Entries (docs/FORMAT.md §Entries): what the log wraps around each payload,
 * and what the Merkle tree is built from.
 *
 *   entry = canonical array [ 2, index, time, mapRoot, payloadType, payloadHash ]
 *   leaf  = SHA-256(0x00 ‖ entry)                               (RFC 9162 §2.1.1)
 *
 * index        the entry's position in the log (0, 1, 2, ...);
 * time         the log's own integration time, UTC ms; never decreases;
 * mapRoot      the state map's root after this entry (docs/STATE-MAP.md), so
 *              every checkpoint of any size commits to the map;
 * payloadType  1 signed statement, 2 log record, 3 foreign statement;
 * payloadHash  SHA-256 of the payload bytes, which are stored beside.
 *
 * An entry is at most 89 bytes and discloses nobody's statement, so a proof
 * that needs one (the map root at a checkpoint) can be handed to anyone. There
 * is no `prev`: the tree already fixes the order, and no verdict rests on a
 * hash chain (docs/FORMAT.md §Why no prev).
 */
import { hashLeaf } from '../merkle/hash.js';
import { decodeCanonical, encodeCanonical } from './canonical.js';
import { uintSize, writeUint } from './canonical-fixed.js';
import { FormatError } from './format-error.js';

export const PAYLOAD_TYPES = { statement: 1, record: 2, foreign: 3 } as const;
export type PayloadTypeName = keyof typeof PAYLOAD_TYPES;
/** Any uint 1..127 decodes; types this version does not know make the entry INCOMPLETE, not invalid. */
export type PayloadType = number;

export const ENTRY_MAX_BYTES = 89;
const MAX_PAYLOAD_TYPE = 127;

export interface Entry {
  index: number;
  time: number;
  mapRoot: Uint8Array;
  payloadType: PayloadType;
  payloadHash: Uint8Array;
}

export interface DecodedEntry {
  bytes: Uint8Array;
  entry: Entry;
  leafHash: Uint8Array;
}

export function encodeEntry(e: Entry): Uint8Array {
  if (!isUsual(e)) return encodeCanonical([2, e.index, e.time, e.mapRoot, e.payloadType, e.payloadHash]);
  const out = new Uint8Array(usualSize(e));
  writeUsual(e, out, 0);
  return out;
}

/**
 * encodeEntry, written to out[at ..]; returns the entry's length (at most
 * ENTRY_MAX_BYTES for a valid entry). For callers that keep many entries in
 * one larger buffer. Throws a RangeError if it does not fit.
 */
export function encodeEntryInto(e: Entry, out: Uint8Array, at: number): number {
  if (!isUsual(e)) {
    const b = encodeEntry(e);
    out.set(b, at);
    return b.length;
  }
  const n = usualSize(e);
  if (at < 0 || at + n > out.length) throw new RangeError('entry: the buffer is too small');
  writeUsual(e, out, at);
  return n;
}

/** An entry with valid fields: written directly rather than by the general encoder. */
const isUsual = (e: Entry): boolean =>
  isUint(e.index) && isUint(e.time) && isUint(e.payloadType) && is32(e.mapRoot) && is32(e.payloadHash);

const usualSize = (e: Entry): number =>
  2 + uintSize(e.index) + uintSize(e.time) + 34 + uintSize(e.payloadType) + 34;

/** Exactly the bytes of the general encoder for [2, index, time, mapRoot, payloadType, payloadHash]. */
function writeUsual(e: Entry, out: Uint8Array, at: number): void {
  out[at] = 0x96;
  out[at + 1] = 0x02;
  at = writeUint(out, at + 2, e.index);
  at = writeUint(out, at, e.time);
  out[at] = 0xc4;
  out[at + 1] = 0x20;
  out.set(e.mapRoot, at + 2);
  at = writeUint(out, at + 34, e.payloadType);
  out[at] = 0xc4;
  out[at + 1] = 0x20;
  out.set(e.payloadHash, at + 2);
}

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const is32 = (v: unknown): v is Uint8Array => v instanceof Uint8Array && v.length === 32;

/** Strictly decodes an entry. Throws FormatError (ENTRY_*) only. The leaf hash is of the bytes as given. */
export function decodeEntry(bytes: Uint8Array): DecodedEntry {
  if (bytes.length > ENTRY_MAX_BYTES) throw new FormatError('ENTRY_MALFORMED', 'entry exceeds 89 bytes');
  const r = decodeCanonical(bytes);
  if ('error' in r)
    throw new FormatError(
      r.error === 'malformed' ? 'ENTRY_MALFORMED' : 'ENTRY_NON_CANONICAL',
      `entry is ${r.error}`,
    );
  const a = r.value;
  if (!Array.isArray(a) || a.length !== 6)
    throw new FormatError('ENTRY_MALFORMED', 'an entry is an array of 6');
  const [v, index, time, mapRoot, payloadType, payloadHash] = a as unknown[];
  if (v !== 2) throw new FormatError('ENTRY_SCHEMA', 'unsupported entry version');
  if (!isUint(index)) throw new FormatError('ENTRY_SCHEMA', 'index must be an unsigned integer');
  if (!isUint(time) || time > 253_402_300_799_999) throw new FormatError('ENTRY_SCHEMA', 'time out of range');
  if (!is32(mapRoot)) throw new FormatError('ENTRY_SCHEMA', 'mapRoot must be 32 bytes');
  if (!isUint(payloadType) || payloadType < 1 || payloadType > MAX_PAYLOAD_TYPE)
    throw new FormatError('ENTRY_SCHEMA', 'payloadType must be 1..127');
  if (!is32(payloadHash)) throw new FormatError('ENTRY_SCHEMA', 'payloadHash must be 32 bytes');
  return { bytes, entry: { index, time, mapRoot, payloadType, payloadHash }, leafHash: hashLeaf(bytes) };
}
