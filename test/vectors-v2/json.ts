/**
 * JSON output and hand-built MessagePack for the v2 vector generator
 * (test/vectors-v2/generate.ts).
 *
 * The JSON rendering is the one of the v1 vectors (test/vectors/generate.ts):
 * sorted keys, 2-space indentation, ASCII only (other characters as \uXXXX
 * escapes), a final newline, so the files are byte-for-byte reproducible.
 * The MessagePack builders write the non-canonical and malformed forms the
 * project's encoder (src/format/canonical.ts) can never produce.
 */
import { concat, toHex, utf8 } from '../../src/bytes.js';
import { type Canonical, encodeCanonical } from '../../src/format/canonical.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]!);
    return out;
  }
  return v;
}

/** Stable rendering: sorted keys, 2-space indentation, ASCII only, final newline. */
export function renderJson(v: Json): string {
  const text = JSON.stringify(sortKeys(v), null, 2);
  return `${text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** A decoded value as JSON: byte strings become lowercase hex strings. */
export function readable(v: unknown): Json {
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(readable);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = readable(x);
    return out;
  }
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new Error(`cannot render ${typeof v}`);
}

// ---------------------------------------------------------------------------
// MessagePack by hand

export const b = (...bytes: number[]): Uint8Array => new Uint8Array(bytes);
export const enc = (v: Canonical): Uint8Array => encodeCanonical(v);

/** Big-endian unsigned integer of `len` bytes. */
export function be(n: number | bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let x = BigInt(n);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Canonical header of a map or array of n elements. */
export function containerHeader(kind: 'map' | 'array', n: number): Uint8Array {
  if (n <= 15) return b((kind === 'map' ? 0x80 : 0x90) | n);
  if (n <= 0xffff) return concat(b(kind === 'map' ? 0xde : 0xdc), be(n, 2));
  return concat(b(kind === 'map' ? 0xdf : 0xdd), be(n, 4));
}

/** A map from already encoded (key, value) pairs, in the order given. */
export const rawMap = (pairs: [Uint8Array, Uint8Array][], header = containerHeader('map', pairs.length)) =>
  concat(header, ...pairs.flat());
/** An array from already encoded items. */
export const rawArray = (items: Uint8Array[], header = containerHeader('array', items.length)) =>
  concat(header, ...items);

/** bin with an explicit header byte (0xc4 bin8, 0xc5 bin16, 0xc6 bin32), whatever the length. */
export function binAs(code: 0xc4 | 0xc5 | 0xc6, bytes: Uint8Array): Uint8Array {
  return concat(b(code), be(bytes.length, code === 0xc4 ? 1 : code === 0xc5 ? 2 : 4), bytes);
}
/** str with an explicit header byte (0xd9 str8, 0xda str16, 0xdb str32), whatever the length. */
export function strAs(code: 0xd9 | 0xda | 0xdb, bytes: Uint8Array): Uint8Array {
  return concat(b(code), be(bytes.length, code === 0xd9 ? 1 : code === 0xda ? 2 : 4), bytes);
}

export type Obj = { [key: string]: Canonical | undefined };
export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/**
 * Encodes the map `v` canonically except at `path` (a list of map keys), where
 * `replacement(value)` supplies the bytes. The key at the end of the path is
 * added if absent; keys stay sorted.
 */
export function encodeWith(
  v: Canonical,
  path: readonly string[],
  replacement: (value: Canonical | undefined) => Uint8Array,
): Uint8Array {
  if (path.length === 0) return replacement(v);
  if (!isObj(v)) throw new Error('path leads through a non-map');
  const [head, ...rest] = path as [string, ...string[]];
  const keys = [...new Set([...Object.keys(v).filter((k) => v[k] !== undefined), head])].sort((x, y) =>
    Buffer.compare(utf8(x), utf8(y)),
  );
  return rawMap(
    keys.map((k) => [enc(k), k === head ? encodeWith(v[k] ?? null, rest, replacement) : enc(v[k]!)]),
  );
}

/** The canonical pairs of a map in reverse key order (unsorted: not canonical). */
export function reversedMap(v: Obj): Uint8Array {
  const keys = Object.keys(v)
    .filter((k) => v[k] !== undefined)
    .sort()
    .reverse();
  return rawMap(keys.map((k) => [enc(k), enc(v[k]!)]));
}
