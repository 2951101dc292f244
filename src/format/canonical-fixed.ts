/**
 * Canonical MessagePack heads written straight into a buffer whose size is
 * known beforehand (docs/FORMAT.md §Canonical MessagePack: every length and
 * integer in its shortest form). For the few fixed layouts on hot paths (an
 * entry, a map branch) that would otherwise go through encodeCanonical()'s
 * general writer and an intermediate value.
 */

/** Bytes of canonical uint v (a non-negative safe integer). */
export const uintSize = (v: number): number =>
  v < 0x80 ? 1 : v < 0x100 ? 2 : v < 0x10000 ? 3 : v < 0x100000000 ? 5 : 9;

/** Writes canonical uint v at out[at]; returns the offset after it. */
export function writeUint(out: Uint8Array, at: number, v: number): number {
  if (v < 0x80) {
    out[at] = v;
    return at + 1;
  }
  if (v < 0x100) {
    out[at] = 0xcc;
    out[at + 1] = v;
    return at + 2;
  }
  if (v < 0x10000) {
    out[at] = 0xcd;
    be16(out, at + 1, v);
    return at + 3;
  }
  if (v < 0x100000000) {
    out[at] = 0xce;
    be32(out, at + 1, v);
    return at + 5;
  }
  out[at] = 0xcf;
  be32(out, at + 1, Math.floor(v / 0x100000000));
  be32(out, at + 5, v >>> 0);
  return at + 9;
}

/** Bytes of the head of a canonical byte string (bin 8, 16 or 32) of n bytes. */
export const binHeadSize = (n: number): number => (n < 0x100 ? 2 : n < 0x10000 ? 3 : 5);

/** Writes the head of a canonical byte string of n bytes at out[at]; returns the offset after it. */
export function writeBinHead(out: Uint8Array, at: number, n: number): number {
  if (n < 0x100) {
    out[at] = 0xc4;
    out[at + 1] = n;
    return at + 2;
  }
  if (n < 0x10000) {
    out[at] = 0xc5;
    be16(out, at + 1, n);
    return at + 3;
  }
  out[at] = 0xc6;
  be32(out, at + 1, n);
  return at + 5;
}

function be16(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 8;
  out[at + 1] = v & 0xff;
}

function be32(out: Uint8Array, at: number, v: number): void {
  out[at] = v >>> 24;
  out[at + 1] = (v >>> 16) & 0xff;
  out[at + 2] = (v >>> 8) & 0xff;
  out[at + 3] = v & 0xff;
}
