/**
 * Canonical MessagePack (https://github.com/msgpack/msgpack/blob/master/spec.md)
 * restricted to the types custody records use:
 *   nil, true/false, unsigned integers 0..2^53-1, UTF-8 strings, binary, arrays,
 *   and maps with string keys.
 * Canonical means: every value has exactly one encoding —
 *   - integers use the shortest form (positive fixint, uint8, uint16, uint32, uint64);
 *   - strings use the shortest of fixstr, str8, str16, str32; binary the shortest of bin8/16/32;
 *   - arrays and maps use the shortest of fix/16/32 headers;
 *   - map keys are ASCII strings, unique, sorted bytewise ascending;
 *   - no floats, negative integers, extension types or timestamps.
 *
 * Encoding and decoding are ours: msgpackr cannot emit uint64 for values below
 * 2^63, and classifies some invalid inputs differently depending on whether its
 * native add-on is present. msgpackr serves as the independent reference
 * decoder in the tests (test/format/canonical.test.ts).
 * Security assumption: one encoding per value means a signature covers exactly one
 * meaning and a leaf hash identifies exactly one record.
 */
import { type DecodeFailure, decodeStrict } from './decode.js';

export type Canonical =
  | null
  | boolean
  | number
  | string
  | Uint8Array
  | readonly Canonical[]
  | { readonly [key: string]: Canonical | undefined };

/** Thrown by encode on a value outside the canonical subset; a programming error. */
export class CanonicalEncodeError extends Error {}

class Writer {
  buf = new Uint8Array(512);
  view = new DataView(this.buf.buffer);
  pos = 0;
  ensure(n: number) {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number) {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  u16(v: number) {
    this.ensure(2);
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }
  u32(v: number) {
    this.ensure(4);
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }
  reset() {
    this.buf = new Uint8Array(512);
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }
  bytes(b: Uint8Array) {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

const textEncoder = new TextEncoder();

function writeUint(w: Writer, v: number) {
  if (v < 0x80) w.u8(v);
  else if (v < 0x100) {
    w.u8(0xcc);
    w.u8(v);
  } else if (v < 0x10000) {
    w.u8(0xcd);
    w.u16(v);
  } else if (v < 0x100000000) {
    w.u8(0xce);
    w.u32(v);
  } else {
    w.u8(0xcf);
    w.u32(Math.floor(v / 0x100000000));
    w.u32(v >>> 0);
  }
}

function writeHeader(
  w: Writer,
  len: number,
  fix: number | undefined,
  fixMax: number,
  c8: number | undefined,
  c16: number,
  c32: number,
) {
  if (fix !== undefined && len <= fixMax) w.u8(fix | len);
  else if (c8 !== undefined && len < 0x100) {
    w.u8(c8);
    w.u8(len);
  } else if (len < 0x10000) {
    w.u8(c16);
    w.u16(len);
  } else {
    w.u8(c32);
    w.u32(len);
  }
}

/** Strings: ASCII is written directly (most record text is), the rest through TextEncoder. */
function writeString(w: Writer, v: string) {
  const n = v.length;
  let ascii = n < 256;
  for (let i = 0; ascii && i < n; i++) if (v.charCodeAt(i) > 0x7f) ascii = false;
  if (!ascii) {
    const b = textEncoder.encode(v);
    writeHeader(w, b.length, 0xa0, 31, 0xd9, 0xda, 0xdb);
    w.bytes(b);
    return;
  }
  writeHeader(w, n, 0xa0, 31, 0xd9, 0xda, 0xdb);
  w.ensure(n);
  for (let i = 0; i < n; i++) w.buf[w.pos + i] = v.charCodeAt(i);
  w.pos += n;
}

function write(w: Writer, v: Canonical, depth: number): void {
  if (depth > 16) throw new CanonicalEncodeError('nesting too deep');
  if (v === null) w.u8(0xc0);
  else if (v === true) w.u8(0xc3);
  else if (v === false) w.u8(0xc2);
  else if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new CanonicalEncodeError(`not a non-negative safe integer: ${v}`);
    writeUint(w, v);
  } else if (typeof v === 'string') {
    writeString(w, v);
  } else if (v instanceof Uint8Array) {
    writeHeader(w, v.length, undefined, 0, 0xc4, 0xc5, 0xc6);
    w.bytes(v);
  } else writeContainer(w, v, depth);
}

function isAsciiKey(k: string): boolean {
  for (let i = 0; i < k.length; i++) if (k.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Sorts distinct keys as Array.prototype.sort() does (by UTF-16 code units).
 * Maps are small, and an insertion sort allocates nothing, where sort()
 * copies the array into work arrays on every call.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
}

function writeContainer(
  w: Writer,
  v: readonly Canonical[] | { readonly [key: string]: Canonical | undefined },
  depth: number,
): void {
  if (Array.isArray(v)) {
    const a = v as readonly Canonical[];
    writeHeader(w, a.length, 0x90, 15, undefined, 0xdc, 0xdd);
    for (const x of a) write(w, x, depth + 1);
    return;
  }
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const obj = v as { readonly [key: string]: Canonical | undefined };
    // Absent optional fields are omitted, never encoded as nil.
    const keys: string[] = [];
    for (const k of Object.keys(obj)) if (obj[k] !== undefined) keys.push(k);
    // Keys are restricted to ASCII, where UTF-16 order equals UTF-8 byte order.
    for (const k of keys) if (!isAsciiKey(k)) throw new CanonicalEncodeError('map keys must be ASCII');
    sortKeys(keys);
    writeHeader(w, keys.length, 0x80, 15, undefined, 0xde, 0xdf);
    for (const k of keys) {
      write(w, k, depth + 1);
      write(w, obj[k]!, depth + 1);
    }
    return;
  }
  throw new CanonicalEncodeError(`unsupported type: ${typeof v}`);
}

// One writer reused by every call: encoding is synchronous, so a call never
// sees another's bytes (a nested call, which only a getter could make, gets a
// writer of its own). Saves a 512-byte buffer and a DataView per encoding.
const shared = new Writer();
let sharedBusy = false;
const SHARED_MAX = 1 << 16;

/** Canonical encoding of `value`. Throws CanonicalEncodeError for values outside the subset. */
export function encodeCanonical(value: Canonical): Uint8Array {
  if (sharedBusy) {
    const w = new Writer();
    write(w, value, 0);
    return w.buf.slice(0, w.pos);
  }
  sharedBusy = true;
  const w = shared;
  w.pos = 0;
  try {
    write(w, value, 0);
    return w.buf.slice(0, w.pos);
  } finally {
    sharedBusy = false;
    // Do not keep a buffer grown by one large value.
    if (w.buf.length > SHARED_MAX) w.reset();
  }
}

/**
 * The canonical encoding of `value` in a scratch buffer that the next
 * encoding overwrites: for a caller that hashes the bytes and keeps nothing
 * (a fresh array of more than 64 bytes is allocated outside V8's heap, which
 * costs more than encoding a record). Throws as encodeCanonical does.
 */
export function encodeCanonicalTransient(value: Canonical): Uint8Array {
  if (sharedBusy) return encodeCanonical(value);
  const w = shared;
  if (w.buf.length > SHARED_MAX) w.reset();
  w.pos = 0;
  sharedBusy = true;
  try {
    write(w, value, 0);
    return w.buf.subarray(0, w.pos);
  } finally {
    sharedBusy = false;
  }
}

export type { DecodeFailure } from './decode.js';

/**
 * Strictly decodes one canonical value occupying all of `bytes` (./decode.ts).
 * Returns the value, or a failure reason; never throws. Binary values are
 * copies, never views of `bytes`.
 */
export function decodeCanonical(bytes: Uint8Array): { value: unknown } | { error: DecodeFailure } {
  return decodeStrict(bytes);
}
