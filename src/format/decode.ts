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
  kind: 'array' | 'map';
  remaining: number; // items (array) or key+value slots (map)
  value: unknown[] | Record<string, unknown>;
  depth: number;
  key: string | undefined; // pending map key
  lastKey: Uint8Array | undefined;
}

class Malformed extends Error {}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function decodeStrict(bytes: Uint8Array): { value: unknown } | { error: DecodeFailure } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let nonCanonical = false;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new Malformed();
  };
  const u8 = () => {
    need(1);
    return bytes[pos++]!;
  };
  const u16 = () => {
    need(2);
    const v = view.getUint16(pos);
    pos += 2;
    return v;
  };
  const u32 = () => {
    need(4);
    const v = view.getUint32(pos);
    pos += 4;
    return v;
  };
  const skip = (n: number) => {
    need(n);
    pos += n;
  };
  const stack: Frame[] = [];
  let root: unknown;

  try {
    if (bytes.length === 0) throw new Malformed();
    do {
      const depth = stack.length;
      if (depth > MAX_DEPTH) nonCanonical = true;
      const top = stack[stack.length - 1];
      const isKey = top?.kind === 'map' && top.key === undefined && top.remaining % 2 === 0;
      const h = u8();
      let value: unknown;
      let container: Frame | undefined;
      let rawString: Uint8Array | undefined;
      const str = (len: number, min: number) => {
        if (len < min) nonCanonical = true;
        need(len);
        rawString = bytes.subarray(pos, pos + len);
        pos += len;
        try {
          return utf8.decode(rawString);
        } catch {
          nonCanonical = true;
          return '';
        }
      };
      const bin = (len: number, min: number) => {
        if (len < min) nonCanonical = true;
        need(len);
        const b = bytes.slice(pos, pos + len);
        pos += len;
        return b;
      };
      const open = (kind: 'array' | 'map', count: number, min: number): Frame => {
        if (count < min) nonCanonical = true;
        const slots = kind === 'map' ? count * 2 : count;
        // Every element takes at least one byte: a count beyond the input is truncation.
        if (slots > bytes.length - pos) throw new Malformed();
        return {
          kind,
          remaining: slots,
          value: kind === 'map' ? {} : [],
          depth,
          key: undefined,
          lastKey: undefined,
        };
      };
      if (h <= 0x7f) value = h;
      else if (h <= 0x8f) container = open('map', h & 0x0f, 0);
      else if (h <= 0x9f) container = open('array', h & 0x0f, 0);
      else if (h <= 0xbf) value = str(h & 0x1f, 0);
      else if (h >= 0xe0) {
        nonCanonical = true; // negative fixint
        value = 0;
      } else
        switch (h) {
          case 0xc0:
            value = null;
            break;
          case 0xc1:
            throw new Malformed();
          case 0xc2:
            value = false;
            break;
          case 0xc3:
            value = true;
            break;
          case 0xc4:
            value = bin(u8(), 0);
            break;
          case 0xc5:
            value = bin(u16(), 0x100);
            break;
          case 0xc6:
            value = bin(u32(), 0x10000);
            break;
          case 0xc7:
          case 0xc8:
          case 0xc9: {
            const len = h === 0xc7 ? u8() : h === 0xc8 ? u16() : u32();
            skip(1 + len);
            nonCanonical = true;
            break;
          }
          case 0xca:
            skip(4);
            nonCanonical = true;
            break;
          case 0xcb:
            skip(8);
            nonCanonical = true;
            break;
          case 0xcc:
            value = u8();
            if ((value as number) < 0x80) nonCanonical = true;
            break;
          case 0xcd:
            value = u16();
            if ((value as number) < 0x100) nonCanonical = true;
            break;
          case 0xce:
            value = u32();
            if ((value as number) < 0x10000) nonCanonical = true;
            break;
          case 0xcf: {
            const hi = u32();
            const lo = u32();
            value = hi * 0x100000000 + lo;
            if (hi === 0 || hi >= 0x200000) nonCanonical = true; // < 2^32 or > 2^53-1
            break;
          }
          case 0xd0:
          case 0xd1:
          case 0xd2:
          case 0xd3:
            skip(1 << (h - 0xd0));
            nonCanonical = true;
            break;
          case 0xd4:
          case 0xd5:
          case 0xd6:
          case 0xd7:
          case 0xd8:
            skip(1 + (1 << (h - 0xd4)));
            nonCanonical = true;
            break;
          case 0xd9:
            value = str(u8(), 32);
            break;
          case 0xda:
            value = str(u16(), 0x100);
            break;
          case 0xdb:
            value = str(u32(), 0x10000);
            break;
          case 0xdc:
            container = open('array', u16(), 16);
            break;
          case 0xdd:
            container = open('array', u32(), 0x10000);
            break;
          case 0xde:
            container = open('map', u16(), 16);
            break;
          default: // 0xdf
            container = open('map', u32(), 0x10000);
            break;
        }

      // Attach the value to its parent (or make it the root).
      const attach = (v: unknown) => {
        const parent = stack[stack.length - 1];
        if (!parent) {
          root = v;
          return;
        }
        if (parent.kind === 'array') (parent.value as unknown[]).push(v);
        else {
          const obj = parent.value as Record<string, unknown>;
          // defineProperty: a key named "__proto__" becomes an ordinary own field.
          Object.defineProperty(obj, parent.key!, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          parent.key = undefined;
        }
        parent.remaining--;
      };
      if (isKey) {
        // Keys: ASCII strings, strictly ascending bytewise (which also forbids duplicates).
        const k = top!;
        if (typeof value !== 'string' || rawString === undefined || container) {
          nonCanonical = true;
          if (container) {
            // A container as a key: parse it for well-formedness, then discard.
            k.key = '\u0000invalid';
            k.remaining--;
            stack.push(container);
            continue;
          }
          k.key = '\u0000invalid';
        } else {
          for (const c of rawString) if (c > 0x7f) nonCanonical = true;
          if (k.lastKey && compareBytes(k.lastKey, rawString) >= 0) nonCanonical = true;
          k.lastKey = rawString;
          k.key = value;
        }
        k.remaining--;
      } else if (container) {
        attach(container.value);
        // attach() decremented the parent's slot; the container now fills it.
        stack.push(container);
      } else attach(value);

      // Close finished containers.
      while (stack.length > 0 && stack[stack.length - 1]!.remaining === 0) stack.pop();
    } while (stack.length > 0);
    if (pos !== bytes.length) throw new Malformed();
  } catch (e) {
    if (e instanceof Malformed) return { error: 'malformed' };
    throw e;
  }
  if (nonCanonical) return { error: 'non-canonical' };
  return { value: root };
}
