/**
 * Human-facing identifiers (docs/FORMAT.md §Identifiers).
 *
 * Both use Crockford's base32 alphabet (no I, L, O, U: nothing to misread aloud)
 * for 45 bits plus one Luhn mod 32 check symbol, written in two groups of five
 * after a prefix:
 *   actor / key id:  K-XXXXX-XXXXC   45 bits of SHA-256("custody/key-id/v1\n" ‖ public key)
 *   exhibit id:      EX-XXXXX-XXXXC  45 random bits chosen at registration
 * The check symbol catches every single-symbol typo and most adjacent swaps
 * before the ledger is even consulted. Uniqueness inside a ledger is enforced by
 * the custody rules (an enrolment or registration that would reuse an id is
 * refused), so 45 bits only need to make accidental collisions rare, not
 * impossible; ids are names, never a security boundary (signatures are).
 */
import { concat, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';

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

function encode45(prefix: string, bits: Uint8Array): string {
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
function parse45(prefix: string, input: string): string | undefined {
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

const CANONICAL = /^(K|EX)-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

// Ids recur in every record (signers, exhibits): remember those already checked.
const checkedIds = new Set<string>();

/** True if `s` is an id exactly in canonical form (as stored in records). */
export function isCanonicalId(prefix: 'K' | 'EX', s: string): boolean {
  if (checkedIds.has(s)) return s.startsWith(`${prefix}-`);
  const ok = CANONICAL.test(s) && s.startsWith(`${prefix}-`) && parse45(prefix, s) === s;
  if (ok) {
    if (checkedIds.size > 100_000) checkedIds.clear();
    checkedIds.add(s);
  }
  return ok;
}

const KEY_ID_DOMAIN = utf8('custody/key-id/v1\n');

/** The actor id (key id) of an Ed25519 public key. */
export function keyId(publicKey: Uint8Array): string {
  return encode45('K', sha256(concat(KEY_ID_DOMAIN, publicKey)));
}

/** An exhibit id from at least 6 random bytes. */
export function exhibitIdFromBytes(random: Uint8Array): string {
  if (random.length < 6) throw new RangeError('need 6 random bytes');
  return encode45('EX', random);
}

export const parseActorId = (input: string): string | undefined => parse45('K', input);
export const parseExhibitId = (input: string): string | undefined => parse45('EX', input);
