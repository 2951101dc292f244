/**
 * Freshness file, version 1 (docs/BUNDLE.md §Freshness: a newer checkpoint for
 * a bundle): what carries a bundle made at checkpoint N to a newer checkpoint
 * M ≥ N of the same log, so that its verdict holds as of M.
 *
 *   file = "CUSTODY-FRESH/1\n" ‖ body          body = ONE canonical msgpack map
 *     v            1
 *     origin       the ledger's origin (the bundle's)
 *     exhibit      bin(32): the bundle's exhibit
 *     size         N: the size of the bundle's checkpoint, which this file extends
 *     checkpoint   C2SP signed note of size M ≥ N
 *     consistency  [bin(32) …]: RFC 9162 §2.1.4 PROOF(N, D[M]); empty when M = N
 *     tail         {index: M − 1, entry, proof}: as a bundle's tail, in the tree of size M
 *     records      [{ns, key, record?, proof}] against the fresh tail's map root,
 *                  strictly ascending (ns, key), as a bundle's records
 *
 * The tail and record items are exactly a bundle's (src/bundle/bundle-v2.ts),
 * encoded and decoded by the same helpers under the same limits; only the
 * error code differs (FRESHNESS_MALFORMED, input; a resource cap reached stays
 * BUNDLE_TOO_LARGE, for such a file may be genuine). Decoding checks shape
 * only: src/verify/bundle-v2-fresh.ts checks meaning.
 */
import { concat, utf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { type Canonical, encodeCanonical } from '../format/canonical.js';
import { isOrigin } from '../format/text.js';
import {
  type BundleV2Record,
  type BundleV2Tail,
  decodeRecords,
  decodeTail,
  recordValue,
  tailValue,
} from './bundle-v2.js';
import {
  BUNDLE_V2_LIMITS,
  bytes,
  fields,
  hashes,
  isUint,
  openMagicBody,
  startsWith,
} from './bundle-v2-fields.js';

export const FRESHNESS_MAGIC = 'CUSTODY-FRESH/1\n';
const MAGIC = utf8(FRESHNESS_MAGIC);

export interface Freshness {
  origin: string;
  exhibit: Uint8Array;
  /** N: the size of the bundle's checkpoint. */
  size: number;
  /** The signed note of the newer checkpoint, of size M ≥ N. */
  checkpoint: string;
  /** RFC 9162 §2.1.4.1 PROOF(N, D[M]): from the bundle's root to the newer one. */
  consistency: Uint8Array[];
  /** Entry M − 1 and its inclusion proof in the tree of size M. */
  tail: BundleV2Tail;
  /** Map proofs against the fresh tail's map root. */
  records: BundleV2Record[];
}

export function encodeFreshness(x: Freshness): Uint8Array {
  const body = encodeCanonical({
    v: 1,
    origin: x.origin,
    exhibit: x.exhibit,
    size: x.size,
    checkpoint: x.checkpoint,
    consistency: x.consistency,
    tail: tailValue(x.tail),
    records: x.records.map(recordValue),
  } satisfies Canonical);
  return concat(MAGIC, body);
}

export const isFreshness = (b: Uint8Array): boolean => startsWith(b, MAGIC);

const bad = (why: string) =>
  new CustodyError('FRESHNESS_MALFORMED', `not a valid custody freshness file: ${why}`, 'input');

/**
 * Strictly decodes a freshness file. Throws CustodyError FRESHNESS_MALFORMED
 * (input), or BUNDLE_TOO_LARGE (input) beyond the bundle's resource caps; never
 * anything else.
 */
export function decodeFreshness(input: Uint8Array): Freshness {
  try {
    return decodeOrThrow(input);
  } catch (e) {
    if (e instanceof CustodyError && e.code === 'BUNDLE_TOO_LARGE') throw e;
    // The bundle's helpers say BUNDLE_MALFORMED; the reason is the same, the file is not a bundle.
    if (e instanceof CustodyError && typeof e.details['why'] === 'string') throw bad(e.details['why']);
    if (e instanceof CustodyError && e.code === 'FRESHNESS_MALFORMED') throw e;
    throw bad('unreadable');
  }
}

function decodeOrThrow(input: Uint8Array): Freshness {
  if (!(input instanceof Uint8Array)) throw bad('not bytes');
  if (input.length > BUNDLE_V2_LIMITS.bytes)
    throw new CustodyError(
      'BUNDLE_TOO_LARGE',
      `the freshness file is beyond what this verifier checks: larger than ${BUNDLE_V2_LIMITS.bytes} bytes`,
      'input',
    );
  const m = fields(openMagicBody(input, MAGIC, bad), 'body', [
    'v',
    'origin',
    'exhibit',
    'size',
    'checkpoint',
    'consistency',
    'tail',
    'records',
  ]);
  if (m['v'] !== 1) throw bad('unsupported body version');
  const origin = m['origin'];
  if (typeof origin !== 'string' || !isOrigin(origin)) throw bad('origin');
  const size = m['size'];
  // A bundle's checkpoint is never of the empty log (docs/BUNDLE.md §Verification, step 2).
  if (!isUint(size) || size === 0) throw bad('size is not a positive integer');
  const checkpoint = m['checkpoint'];
  if (typeof checkpoint !== 'string' || checkpoint.length === 0 || checkpoint.length > BUNDLE_V2_LIMITS.note)
    throw bad('checkpoint');
  return {
    origin,
    exhibit: bytes(m['exhibit'], 'exhibit id is not 32 bytes', 32, 32),
    size,
    checkpoint,
    consistency: hashes(m['consistency'], 'consistency proof'),
    tail: decodeTail(m['tail']),
    records: decodeRecords(m['records']),
  };
}
