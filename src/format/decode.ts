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

export function decodeStrict(bytes: Uint8Array): { value: unknown } | { error: DecodeFailure } {
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
