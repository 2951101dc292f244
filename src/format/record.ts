/**
 * Records: the stored, hashed and signed unit (docs/FORMAT.md §Record).
 *
 *   record  = canonical msgpack array [ payload: bin, signature: bin(64) ]
 *   payload = canonical msgpack map (see ./schema.ts)
 *   message = "custody/entry/v1\n" ‖ origin ‖ "\n" ‖ payload      (what Ed25519 signs)
 *   leaf    = SHA-256(0x00 ‖ record)                              (RFC 9162 §2.1.1)
 *
 * Sign bytes, store bytes: the payload is carried as opaque bytes inside the
 * record, so verification slices it out and never re-encodes anything it
 * signs or hashes. The domain prefix keeps our signatures from being valid in
 * any other protocol, the version lets a future format coexist, and the origin
 * binds every signature to one ledger (an entry cannot be replayed into another).
 */
import { concat, utf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { hashLeaf } from '../merkle/hash.js';
import { type Canonical, decodeCanonical, encodeCanonical } from './canonical.js';
import type { Payload } from './events.js';
import { LIMITS, payloadProblem } from './schema.js';

export const ENTRY_DOMAIN = 'custody/entry/v1\n';
const ENTRY_DOMAIN_BYTES = utf8(ENTRY_DOMAIN);
const NL = new Uint8Array([0x0a]);

/** Genesis has no predecessor; its `prev` is 32 zero bytes. */
export const ZERO_HASH = new Uint8Array(32);

let prefixOrigin = '';
let prefix = concat(ENTRY_DOMAIN_BYTES, NL);
/** "custody/entry/v1\n" ‖ origin ‖ "\n": what precedes the payload in every signed message. */
export function signedPrefix(origin: string): Uint8Array {
  // One ledger's origin is asked for again and again: keep its prefix.
  if (origin !== prefixOrigin) {
    prefix = concat(ENTRY_DOMAIN_BYTES, utf8(origin), NL);
    prefixOrigin = origin;
  }
  return prefix;
}

/** The bytes an actor signs for a payload of the ledger with this origin. */
export function signedMessage(origin: string, payloadBytes: Uint8Array): Uint8Array {
  const head = signedPrefix(origin);
  const out = new Uint8Array(head.length + payloadBytes.length);
  out.set(head);
  out.set(payloadBytes, head.length);
  return out;
}

export function encodePayload(p: Payload): Uint8Array {
  return encodeCanonical(p as unknown as Canonical);
}

export function encodeRecord(payloadBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return encodeCanonical([payloadBytes, signature]);
}

/** A record split into its parts; payload decoded and schema-checked. */
export interface DecodedRecord {
  bytes: Uint8Array;
  payloadBytes: Uint8Array;
  signature: Uint8Array;
  payload: Payload;
  leafHash: Uint8Array;
}

/** Format error codes (docs/ERRORS.md). */
export type RecordErrorCode =
  | 'RECORD_TOO_LARGE'
  | 'RECORD_MALFORMED'
  | 'RECORD_NON_CANONICAL'
  | 'RECORD_SCHEMA';

export class RecordError extends CustodyError {
  constructor(code: RecordErrorCode, message: string) {
    super(code, message, 'verification');
  }
}

/**
 * Strictly decodes record bytes. Throws RecordError (and nothing else) on any
 * deviation from the format. The leaf hash is of the bytes as given.
 */
export function decodeRecord(bytes: Uint8Array): DecodedRecord {
  if (bytes.length > LIMITS.record + 128)
    throw new RecordError('RECORD_TOO_LARGE', `record of ${bytes.length} bytes exceeds the limit`);
  const fast = splitRecord(bytes);
  if (fast) return decodePayload(bytes, fast[0], fast[1]);
  const outer = decodeCanonical(bytes);
  if ('error' in outer)
    throw new RecordError(
      outer.error === 'malformed' ? 'RECORD_MALFORMED' : 'RECORD_NON_CANONICAL',
      `record is ${outer.error}`,
    );
  const arr = outer.value;
  if (
    !Array.isArray(arr) ||
    arr.length !== 2 ||
    !(arr[0] instanceof Uint8Array) ||
    !(arr[1] instanceof Uint8Array)
  )
    throw new RecordError('RECORD_MALFORMED', 'record must be [payload bytes, signature bytes]');
  const [payloadBytes, signature] = arr as [Uint8Array, Uint8Array];
  if (signature.length !== 64) throw new RecordError('RECORD_MALFORMED', 'signature must be 64 bytes');
  return decodePayload(bytes, payloadBytes, signature);
}

/**
 * The common case without the general decoder: a canonical record is exactly
 *   92 | (c4 len8 | c5 len16) payload | c4 40 signature(64)
 * with bin8 only for payloads under 256 bytes. Anything else (including every
 * non-canonical or malformed variant) returns undefined and takes the general
 * path, which classifies it.
 */
function splitRecord(b: Uint8Array): [Uint8Array, Uint8Array] | undefined {
  if (b.length < 2 || b[0] !== 0x92) return undefined;
  let len: number;
  let off: number;
  if (b[1] === 0xc4) {
    len = b[2] ?? -1;
    off = 3;
  } else if (b[1] === 0xc5) {
    len = ((b[2] ?? 0) << 8) | (b[3] ?? 0);
    if (len < 0x100) return undefined;
    off = 4;
  } else return undefined;
  if (len < 0 || off + len + 66 !== b.length || b[off + len] !== 0xc4 || b[off + len + 1] !== 0x40)
    return undefined;
  // Views, not copies: both parts live exactly as long as the record they came from.
  return [b.subarray(off, off + len), b.subarray(off + len + 2)];
}

function decodePayload(bytes: Uint8Array, payloadBytes: Uint8Array, signature: Uint8Array): DecodedRecord {
  if (payloadBytes.length > LIMITS.record)
    throw new RecordError('RECORD_TOO_LARGE', 'payload exceeds the limit');
  const inner = decodeCanonical(payloadBytes);
  if ('error' in inner)
    throw new RecordError(
      inner.error === 'malformed' ? 'RECORD_MALFORMED' : 'RECORD_NON_CANONICAL',
      `payload is ${inner.error}`,
    );
  const problem = payloadProblem(inner.value);
  if (problem) throw new RecordError('RECORD_SCHEMA', problem);
  return { bytes, payloadBytes, signature, payload: inner.value as Payload, leafHash: hashLeaf(bytes) };
}
