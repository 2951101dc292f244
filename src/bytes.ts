/** Small byte helpers shared by every layer (pure, no Node built-ins). */

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
/** Decodes UTF-8, throwing a TypeError on invalid sequences. */
export const fromUtf8 = (b: Uint8Array): string => strictDecoder.decode(b);

export function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

/** Parses lowercase or uppercase hex; returns undefined for anything else. */
export function fromHex(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(b: Uint8Array): string {
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
    s += B64[n >> 18]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  if (i < b.length) {
    const n = (b[i]! << 16) | ((b[i + 1] ?? 0) << 8);
    s += B64[n >> 18]! + B64[(n >> 12) & 63]!;
    s += i + 1 < b.length ? B64[(n >> 6) & 63]! + '=' : '==';
  }
  return s;
}

const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));
/**
 * Strict standard base64 (RFC 4648 §4): padding required, no whitespace, and
 * canonical (unused trailing bits must be zero), so every byte string has
 * exactly one accepted text form. Returns undefined on any deviation.
 */
export function fromBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const outLen = (s.length / 4) * 3 - pad;
  const out = new Uint8Array(outLen);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const last = i + 4 === s.length;
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s[i + j]!;
      if (c === '=') {
        if (!last || j < 4 - pad) return undefined;
        n <<= 6;
        continue;
      }
      const v = B64_INDEX.get(c);
      if (v === undefined) return undefined;
      n = (n << 6) | v;
    }
    const bytes = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    const take = last ? 3 - pad : 3;
    if (last && pad > 0 && (n & (pad === 2 ? 0xffff : 0xff)) !== 0) return undefined;
    for (let j = 0; j < take; j++) out[o++] = bytes[j]!;
  }
  return out;
}
