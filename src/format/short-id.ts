/**
 * Short identifiers people read out and type (docs/FORMAT.md §Short ids):
 * 45 bits as nine symbols of Crockford's base32 alphabet (no I, L, O, U) plus
 * one Luhn mod 32 check symbol, in two groups of five after a prefix. They are
 * derived from full 32-byte ids for display; the check symbol catches every
 * single-symbol typo and most adjacent swaps before anything is looked up.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));
// Crockford decoding aliases.
for (const [alias, c] of [
  ['O', '0'],
  ['I', '1'],
  ['L', '1'],
] as const)
  VALUE.set(alias, VALUE.get(c)!);

/** Luhn mod N (N = 32) check symbol over the data symbols. */
function luhn32(values: number[]): number {
  let factor = 2;
  let sum = 0;
  for (let i = values.length - 1; i >= 0; i--) {
    let addend = factor * values[i]!;
    factor = factor === 2 ? 1 : 2;
    addend = Math.floor(addend / 32) + (addend % 32);
    sum += addend;
  }
  return (32 - (sum % 32)) % 32;
}

/** The first 45 bits of `bits` (at least 6 bytes) as PREFIX-XXXXX-XXXXC. */
export function ids45(prefix: string, bits: Uint8Array): string {
  // First 45 bits of `bits` (at least 6 bytes), big-endian, as nine 5-bit symbols.
  let n = 0n;
  for (let i = 0; i < 6; i++) n = (n << 8n) | BigInt(bits[i]!);
  n >>= 3n; // 48 -> 45 bits
  const vals: number[] = [];
  for (let i = 8; i >= 0; i--) vals.push(Number((n >> BigInt(5 * i)) & 31n));
  vals.push(luhn32(vals));
  const s = vals.map((v) => ALPHABET[v]).join('');
  return `${prefix}-${s.slice(0, 5)}-${s.slice(5)}`;
}

/**
 * Parses a typed id leniently (any case, hyphens optional, Crockford aliases)
 * and returns its canonical form, or undefined if it is not a valid id with
 * this prefix (including a wrong check symbol).
 */
export function parse45(prefix: string, input: string): string | undefined {
  // ASCII only: Unicode case folding would read 'ı' as 'I' and 'ſ' as 'S'.
  if (input.length > 40 || !/^[\x20-\x7e]*$/.test(input)) return undefined;
  let s = input.toUpperCase().replace(/[- ]/g, '');
  if (!s.startsWith(prefix)) return undefined;
  s = s.slice(prefix.length);
  if (s.length !== 10) return undefined;
  const vals: number[] = [];
  for (const c of s) {
    const v = VALUE.get(c);
    if (v === undefined) return undefined;
    vals.push(v);
  }
  if (luhn32(vals.slice(0, 9)) !== vals[9]) return undefined;
  const canon = vals.map((v) => ALPHABET[v]).join('');
  return `${prefix}-${canon.slice(0, 5)}-${canon.slice(5)}`;
}

/**
 * The 45 bits of a canonical short id (from parse45) as 6 bytes, the last 3
 * bits zero: the key of the `short` index (docs/FORMAT.md §Short ids).
 */
export function bits45(prefix: string, canonical: string): Uint8Array {
  const s = canonical.slice(prefix.length + 1).replace('-', '');
  let n = 0n;
  for (const c of s.slice(0, 9)) n = (n << 5n) | BigInt(VALUE.get(c)!);
  n <<= 3n;
  const out = new Uint8Array(6);
  for (let i = 5; i >= 0; i--) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
