/**
 * Strict decoder for the canonical MessagePack subset (docs/FORMAT.md
 * §Canonical MessagePack, §Decoding). Written for this subset rather than
 * delegated to a general msgpack library so that every verifier — Node, a
 * browser, a bundle without native add-ons — classifies every input the same
 * way:
 *   malformed      the input is not exactly one complete msgpack value
 *                  (empty, truncated, trailing bytes, the never-used byte c1);
 *   non-canonical  it is msgpack, but uses something outside the subset
 *                  (float, negative int, ext, int > 2^53-1, invalid UTF-8,
 *                  non-ASCII or non-string map keys, depth > 16) or a
 *                  non-shortest header, or unsorted/duplicate map keys.
 * Malformed wins over non-canonical. The parser is iterative (no recursion),
 * so hostile nesting cannot exhaust the stack, and every length is checked
 * against the bytes that remain before anything is allocated.
 */

export type DecodeFailure = 'malformed' | 'non-canonical';
export const MAX_DEPTH = 16;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface Frame {
  isMap: boolean;
  /** Slots left: items (array) or keys plus values (map). */
  remaining: number;
  value: unknown[] | Record<string, unknown>;
  key: string | undefined;
  lastKey: Uint8Array | undefined;
}

class Malformed extends Error {}
const MALFORMED = new Malformed();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function isAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]! > 0x7f) return false;
  return true;
}

/** One decoding pass; a class so the hot helpers are methods, not per-call closures. */
class Parser {
  pos = 0;
  nonCanonical = false;
  /** The raw bytes of the last string read (for map-key checks). */
  raw: Uint8Array | undefined;
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number) {
    if (this.pos + n > this.bytes.length) throw MALFORMED;
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  skip(n: number) {
    this.need(n);
    this.pos += n;
  }
  str(len: number, min: number): string {
    if (len < min) this.nonCanonical = true;
    this.need(len);
    const raw = this.bytes.subarray(this.pos, this.pos + len);
    this.pos += len;
    this.raw = raw;
    // ASCII fast path: most strings in records are ASCII.
    if (len < 64 && isAscii(raw)) return String.fromCharCode.apply(null, raw as unknown as number[]);
    try {
      return utf8.decode(raw);
    } catch {
      this.nonCanonical = true;
      return '';
    }
  }
  bin(len: number, min: number): Uint8Array {
    if (len < min) this.nonCanonical = true;
    this.need(len);
    // A copy, never a view: decoded values (digests, keys, links) outlive the
    // record, and a view would keep the whole record alive with them. (Node's
    // Buffer#slice returns a view, so slice() is not enough when the input is a
    // Buffer, as LevelDB's are.) Small copies also live on V8's heap.
    const b = new Uint8Array(len);
    b.set(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return b;
  }
  open(isMap: boolean, count: number, min: number): Frame {
    if (count < min) this.nonCanonical = true;
    const slots = isMap ? count * 2 : count;
    // Every element takes at least one byte: a count beyond the input is truncation.
    if (slots > this.bytes.length - this.pos) throw MALFORMED;
    return { isMap, remaining: slots, value: isMap ? {} : [], key: undefined, lastKey: undefined };
  }

  /** Reads one header and its scalar payload; returns a scalar, or a Frame for a container. */
  item(): unknown {
    this.raw = undefined;
    const h = this.u8();
    if (h <= 0x7f) return h;
    if (h <= 0x8f) return this.open(true, h & 0x0f, 0);
    if (h <= 0x9f) return this.open(false, h & 0x0f, 0);
    if (h <= 0xbf) return this.str(h & 0x1f, 0);
    if (h >= 0xe0) {
      this.nonCanonical = true; // negative fixint
      return 0;
    }
    switch (h) {
      case 0xc0:
        return null;
      case 0xc1:
        throw MALFORMED;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.bin(this.u8(), 0);
      case 0xc5:
        return this.bin(this.u16(), 0x100);
      case 0xc6:
        return this.bin(this.u32(), 0x10000);
      case 0xc7:
      case 0xc8:
      case 0xc9: {
        const len = h === 0xc7 ? this.u8() : h === 0xc8 ? this.u16() : this.u32();
        this.skip(1 + len);
        this.nonCanonical = true;
        return undefined;
      }
      case 0xca:
        this.skip(4);
        this.nonCanonical = true;
        return undefined;
      case 0xcb:
        this.skip(8);
        this.nonCanonical = true;
        return undefined;
      case 0xcc: {
        const v = this.u8();
        if (v < 0x80) this.nonCanonical = true;
        return v;
      }
      case 0xcd: {
        const v = this.u16();
        if (v < 0x100) this.nonCanonical = true;
        return v;
      }
      case 0xce: {
        const v = this.u32();
        if (v < 0x10000) this.nonCanonical = true;
        return v;
      }
      case 0xcf: {
        const hi = this.u32();
        const lo = this.u32();
        if (hi === 0 || hi >= 0x200000) this.nonCanonical = true; // < 2^32 or > 2^53-1
        return hi * 0x100000000 + lo;
      }
      case 0xd0:
      case 0xd1:
      case 0xd2:
      case 0xd3:
        this.skip(1 << (h - 0xd0));
        this.nonCanonical = true;
        return undefined;
      case 0xd4:
      case 0xd5:
      case 0xd6:
      case 0xd7:
      case 0xd8:
        this.skip(1 + (1 << (h - 0xd4)));
        this.nonCanonical = true;
        return undefined;
      case 0xd9:
        return this.str(this.u8(), 32);
      case 0xda:
        return this.str(this.u16(), 0x100);
      case 0xdb:
        return this.str(this.u32(), 0x10000);
      case 0xdc:
        return this.open(false, this.u16(), 16);
      case 0xdd:
        return this.open(false, this.u32(), 0x10000);
      case 0xde:
        return this.open(true, this.u16(), 16);
      default: // 0xdf
        return this.open(true, this.u32(), 0x10000);
    }
  }
}

const isFrame = (v: unknown): v is Frame =>
  typeof v === 'object' && v !== null && 'remaining' in v && 'isMap' in v && !Array.isArray(v);

// ---------------------------------------------------------------------------
// Fast path. Canonical input (nearly everything a ledger reads: statements,
// records, entries) is decoded by plain recursive descent that accepts only
// what the strict parser below accepts, and gives the same value. On anything
// else — malformed, non-canonical, or just unusual — it gives up (BAIL) and
// the strict parser decodes the input again and classifies it. Recursion is
// bounded by MAX_DEPTH, since deeper input is refused.

class Bail {}
const BAIL = new Bail();
const EMPTY = new Uint8Array(0);
let fb: Uint8Array = EMPTY;
let fp = 0;

function fByte(): number {
  if (fp >= fb.length) throw BAIL;
  return fb[fp++]!;
}
function fU16(): number {
  if (fp + 2 > fb.length) throw BAIL;
  const v = (fb[fp]! << 8) | fb[fp + 1]!;
  fp += 2;
  return v;
}
function fU32(): number {
  if (fp + 4 > fb.length) throw BAIL;
  const v = fb[fp]! * 0x1000000 + ((fb[fp + 1]! << 16) | (fb[fp + 2]! << 8) | fb[fp + 3]!);
  fp += 4;
  return v;
}
// Short ASCII strings (map keys, kinds, classes, zones, origins) repeat from
// one value to the next: each is made once and then found again by its bytes.
// Strings are immutable, so sharing one is invisible to callers.
const INTERN_MAX = 32;
const INTERN_MASK = 2047;
const interned: (string | undefined)[] = new Array(INTERN_MASK + 1).fill(undefined);

/** fb[start, end) as a string; every byte is ASCII. */
function asciiAt(start: number, end: number): string {
  const len = end - start;
  if (len > INTERN_MAX)
    return String.fromCharCode.apply(null, fb.subarray(start, end) as unknown as number[]);
  let h = len;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + fb[i]!) | 0;
  const slot = (h ^ (h >>> 11)) & INTERN_MASK;
  const s = interned[slot];
  if (s !== undefined && s.length === len) {
    let i = 0;
    while (i < len && s.charCodeAt(i) === fb[start + i]) i++;
    if (i === len) return s;
  }
  const made = String.fromCharCode.apply(null, fb.subarray(start, end) as unknown as number[]);
  interned[slot] = made;
  return made;
}

function fStr(len: number): string {
  const start = fp;
  const end = start + len;
  if (end > fb.length) throw BAIL;
  let ascii = true;
  for (let i = start; i < end; i++)
    if (fb[i]! > 0x7f) {
      ascii = false;
      break;
    }
  fp = end;
  if (ascii && len < 64) return asciiAt(start, end);
  try {
    return utf8.decode(fb.subarray(start, end));
  } catch {
    throw BAIL;
  }
}
function fBin(len: number): Uint8Array {
  const end = fp + len;
  if (end > fb.length) throw BAIL;
  // A copy, never a view (see Parser.bin).
  const b = new Uint8Array(len);
  if (len <= 64) for (let i = 0; i < len; i++) b[i] = fb[fp + i]!;
  else b.set(fb.subarray(fp, end));
  fp = end;
  return b;
}
function fArray(n: number, depth: number): unknown[] {
  if (n > fb.length - fp) throw BAIL;
  const a: unknown[] = [];
  for (let i = 0; i < n; i++) a.push(fValue(depth + 1));
  return a;
}
function fMap(n: number, depth: number): Record<string, unknown> {
  if (2 * n > fb.length - fp) throw BAIL;
  // Keys are read at the depth of the values: too deep is refused either way.
  if (n > 0 && depth + 1 > MAX_DEPTH) throw BAIL;
  const o: Record<string, unknown> = {};
  let last: string | undefined;
  for (let i = 0; i < n; i++) {
    // Keys: ASCII strings in their shortest header, strictly ascending (for
    // ASCII, string order is byte order).
    const h = fByte();
    let len: number;
    if (h >= 0xa0 && h <= 0xbf) len = h & 0x1f;
    else if (h === 0xd9) {
      len = fByte();
      if (len < 32) throw BAIL;
    } else if (h === 0xda) {
      len = fU16();
      if (len < 0x100) throw BAIL;
    } else if (h === 0xdb) {
      len = fU32();
      if (len < 0x10000) throw BAIL;
    } else throw BAIL;
    const end = fp + len;
    if (end > fb.length) throw BAIL;
    for (let j = fp; j < end; j++) if (fb[j]! > 0x7f) throw BAIL;
    const key = len < 64 ? asciiAt(fp, end) : utf8.decode(fb.subarray(fp, end));
    fp = end;
    if (last !== undefined && !(last < key)) throw BAIL;
    last = key;
    const value = fValue(depth + 1);
    if (key === '__proto__')
      Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
    else o[key] = value;
  }
  return o;
}
function fValue(depth: number): unknown {
  if (depth > MAX_DEPTH) throw BAIL;
  const h = fByte();
  if (h <= 0x7f) return h;
  if (h <= 0x8f) return fMap(h & 0x0f, depth);
  if (h <= 0x9f) return fArray(h & 0x0f, depth);
  if (h <= 0xbf) return fStr(h & 0x1f);
  let n: number;
  switch (h) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      return fBin(fByte());
    case 0xc5:
      n = fU16();
      if (n < 0x100) throw BAIL;
      return fBin(n);
    case 0xc6:
      n = fU32();
      if (n < 0x10000) throw BAIL;
      return fBin(n);
    case 0xcc:
      n = fByte();
      if (n < 0x80) throw BAIL;
      return n;
    case 0xcd:
      n = fU16();
      if (n < 0x100) throw BAIL;
      return n;
    case 0xce:
      n = fU32();
      if (n < 0x10000) throw BAIL;
      return n;
    case 0xcf: {
      const hi = fU32();
      const lo = fU32();
      if (hi === 0 || hi >= 0x200000) throw BAIL;
      return hi * 0x100000000 + lo;
    }
    case 0xd9:
      n = fByte();
      if (n < 32) throw BAIL;
      return fStr(n);
    case 0xda:
      n = fU16();
      if (n < 0x100) throw BAIL;
      return fStr(n);
    case 0xdb:
      n = fU32();
      if (n < 0x10000) throw BAIL;
      return fStr(n);
    case 0xdc:
      n = fU16();
      if (n < 16) throw BAIL;
      return fArray(n, depth);
    case 0xdd:
      n = fU32();
      if (n < 0x10000) throw BAIL;
      return fArray(n, depth);
    case 0xde:
      n = fU16();
      if (n < 16) throw BAIL;
      return fMap(n, depth);
    case 0xdf:
      n = fU32();
      if (n < 0x10000) throw BAIL;
      return fMap(n, depth);
    default:
      throw BAIL;
  }
}

/** The fast path: the value of canonical `bytes`, or BAIL for the strict parser to decide. */
function decodeFast(bytes: Uint8Array): unknown {
  fb = bytes;
  fp = 0;
  try {
    const v = fValue(0);
    return fp === bytes.length ? v : BAIL;
  } catch (e) {
    if (e instanceof Bail) return BAIL;
    throw e;
  } finally {
    fb = EMPTY;
  }
}

export function decodeStrict(bytes: Uint8Array): { value: unknown } | { error: DecodeFailure } {
  const v = decodeFast(bytes);
  if (v !== BAIL) return { value: v };
  return decodeSlow(bytes);
}

/** The strict parser: decodes any input, or says why it is malformed or non-canonical. */
function decodeSlow(bytes: Uint8Array): { value: unknown } | { error: DecodeFailure } {
  const p = new Parser(bytes);
  const stack: Frame[] = [];
  let root: unknown;
  try {
    if (bytes.length === 0) throw MALFORMED;
    do {
      if (stack.length > MAX_DEPTH) p.nonCanonical = true;
      const top = stack.length > 0 ? stack[stack.length - 1]! : undefined;
      const isKey = top?.isMap && top.remaining % 2 === 0;
      const v = p.item();
      const frame = isFrame(v) ? v : undefined;
      if (isKey) {
        // Keys: ASCII strings, strictly ascending bytewise (which also forbids duplicates).
        const raw = p.raw;
        if (frame || typeof v !== 'string' || raw === undefined) {
          p.nonCanonical = true;
          top.key = '\u0000invalid';
        } else {
          if (!isAscii(raw)) p.nonCanonical = true;
          if (top.lastKey !== undefined && compareBytes(top.lastKey, raw) >= 0) p.nonCanonical = true;
          top.lastKey = raw;
          top.key = v;
        }
        top.remaining--;
        // A container used as a key is parsed for well-formedness, then discarded.
        if (frame) stack.push(frame);
      } else {
        const value = frame ? frame.value : v;
        if (!top) root = value;
        else {
          if (top.isMap) {
            const key = top.key!;
            // defineProperty: a key named "__proto__" becomes an ordinary own field.
            if (key === '__proto__')
              Object.defineProperty(top.value, key, {
                value,
                enumerable: true,
                writable: true,
                configurable: true,
              });
            else (top.value as Record<string, unknown>)[key] = value;
            top.key = undefined;
          } else (top.value as unknown[]).push(value);
          top.remaining--;
        }
        if (frame) stack.push(frame);
      }
      while (stack.length > 0 && stack[stack.length - 1]!.remaining === 0) stack.pop();
    } while (stack.length > 0);
    if (p.pos !== bytes.length) throw MALFORMED;
  } catch (e) {
    if (e instanceof Malformed) return { error: 'malformed' };
    throw e;
  }
  if (p.nonCanonical) return { error: 'non-canonical' };
  return { value: root };
}
