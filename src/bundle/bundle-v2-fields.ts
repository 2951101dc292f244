/**
 * The decoding rules every custody binary file shares (the bundle,
 * ./bundle-v2.ts, and the freshness file, ./freshness.ts): the magic line,
 * one canonical body, maps with exactly their fields, bounded byte strings,
 * hashes and lists (docs/BUNDLE.md §Limits and strict decoding). A hostile
 * file gets CustodyError BUNDLE_MALFORMED (a format rule broken) or
 * BUNDLE_TOO_LARGE (a verifier's resource cap reached), never another
 * exception.
 */
import { fromUtf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { decodeCanonical } from '../format/canonical.js';
import { ENTRY_MAX_BYTES } from '../format/entry.js';

/** Bounds of a decodable bundle (docs/BUNDLE.md §Limits). */
export const BUNDLE_V2_LIMITS = {
  /**
   * The whole file. A verifier holds every proof hash as its own object (about
   * 250 bytes of heap for 34 bytes of file) plus the file itself, so this is
   * what bounds its memory: at 64 MiB a hostile bundle is refused or verified
   * in under 1 GiB (bench/hostile-bundle.ts; at 256 MiB it took 2.3 GiB). A
   * real exhibit needs far less: about 1.7 KB per entry and 1.4 KB per seen
   * item in a ledger of a million entries, so 64 MiB holds some 20,000
   * governance statements with their seen items besides the exhibit's own
   * history (a 50-event exhibit with its governance is 167 KB).
   */
  bytes: 64 << 20,
  entries: 200_000,
  /** Archived checkpoints: one per event of the exhibit is the most a bundle needs. */
  archives: 64,
  /** A log record (RECORD_MAX_BYTES of src/format/log-record.ts). */
  recordPayload: 262_144,
  /** Renewals appended to one bundle, and the bytes of each (a freshness file). */
  renewals: 64,
  renewal: 4 << 20,
  records: 100_000,
  /** Hashes in one inclusion or consistency proof (a tree of 2^53 leaves needs ≤ 54). */
  proof: 64,
  /** The checkpoint note, in UTF-16 code units (MAX_NOTE_BYTES of src/checkpoint/note.ts). */
  note: 1 << 20,
  entry: ENTRY_MAX_BYTES,
  payload: 65_536,
  openings: 65_536,
  record: 4_096,
  /** An encoded map proof: 64 levels of at most 15 siblings, with headers. */
  mapProof: 32_768,
} as const;

/** Whether `bytes` begin with `magic`. */
export function startsWith(bytes: Uint8Array, magic: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array) || bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

/**
 * The body after a file's magic line (`<FAMILY>/<version>\n`), as one canonical
 * MessagePack value and nothing after it; a file of the same family and
 * another version, one without the header, and a body that does not decode
 * strictly are refused through `bad` (also the freshness file's).
 */
export function openMagicBody(input: Uint8Array, magic: Uint8Array, bad: (why: string) => Error): unknown {
  if (!startsWith(input, magic)) {
    const family = fromUtf8(magic.subarray(0, magic.indexOf(0x2f) + 1));
    let head = '';
    try {
      head = fromUtf8(input.subarray(0, family.length));
    } catch {
      // Not text: reported as a missing header.
    }
    throw bad(head === family ? 'unsupported version' : 'missing the header');
  }
  const r = decodeCanonical(input.subarray(magic.length));
  if ('error' in r) throw bad(`body is ${r.error}`);
  return r.value;
}

/**
 * `why` travels in the details too, so that the freshness file's decoder, which reuses the
 * helpers below (src/bundle/freshness.ts), can say it under its own code.
 */
export const bad = (why: string) =>
  new CustodyError('BUNDLE_MALFORMED', `not a valid v2 custody bundle: ${why}`, 'input', { why });
/**
 * A verifier's resource cap (the file's bytes, its entries and records) is
 * not a format rule: a bundle over it may be genuine, so the verdict is
 * INCOMPLETE, never FAILED (docs/VERIFYING.md §Verdicts).
 */
export const tooLarge = (why: string) =>
  new CustodyError('BUNDLE_TOO_LARGE', `the bundle is beyond what this verifier checks: ${why}`, 'input', {
    why,
  });

export type Obj = Record<string, unknown>;

/** A map with exactly the required fields and no field outside required ∪ optional. */
export function fields(
  v: unknown,
  what: string,
  required: readonly string[],
  optional: readonly string[] = [],
): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
    throw bad(`${what} is not a map`);
  const m = v as Obj;
  for (const k of Object.keys(m))
    if (!required.includes(k) && !optional.includes(k))
      throw bad(`${what} has unknown field ${JSON.stringify(k)}`);
  for (const k of required) if (m[k] === undefined) throw bad(`${what} lacks ${k}`);
  return m;
}

export const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export function bytes(v: unknown, what: string, max: number, min = 1): Uint8Array {
  if (!(v instanceof Uint8Array) || v.length < min || v.length > max) throw bad(what);
  return v;
}

export function hashes(v: unknown, what: string): Uint8Array[] {
  if (!Array.isArray(v) || v.length > BUNDLE_V2_LIMITS.proof) throw bad(`${what} is too long or not a list`);
  return v.map((h: unknown) => bytes(h, `${what} holds something other than 32-byte hashes`, 32, 32));
}

export function list(v: unknown, what: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw bad(`${what} is not a list`);
  if (v.length > max) throw tooLarge(`more than ${max} ${what}`);
  return v;
}
