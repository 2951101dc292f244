/**
 * A journey: one file for an exhibit's whole history across ledgers
 * (docs/FEDERATION.md §One bundle for the journey). Each segment is the
 * bundle of the exhibit that one ledger exported (BUNDLE.md), unchanged; the
 * journey adds nothing a verifier must trust, only the order in which the
 * segments are shown:
 *
 *   journey = canonical({ custody: "journey", v: 1, exhibit: bin(32), segments: [bin, …] })
 *
 * 1 to 16 segments, each at most the bundle limit, the whole at most 64 MiB.
 * Strict: anything else is BUNDLE_MALFORMED.
 */
import { equalBytes } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { BUNDLE_V2_LIMITS } from './bundle-v2-fields.js';

export interface Journey {
  exhibit: Uint8Array;
  segments: Uint8Array[];
}

export const JOURNEY_MAX_SEGMENTS = 16;
export const JOURNEY_MAX_BYTES = 64 << 20;
const FIELDS = ['custody', 'exhibit', 'segments', 'v'];

const malformed = (why: string) => new CustodyError('BUNDLE_MALFORMED', `journey: ${why}`, 'verification');

export function encodeJourney(j: Journey): Uint8Array {
  const bytes = encodeCanonical({ custody: 'journey', v: 1, exhibit: j.exhibit, segments: j.segments });
  decodeJourney(bytes);
  return bytes;
}

/** Whether `bytes` start like a journey rather than a single bundle (both are canonical maps). */
export function isJourney(bytes: Uint8Array): boolean {
  try {
    decodeJourney(bytes);
    return true;
  } catch {
    return false;
  }
}

export function decodeJourney(bytes: Uint8Array): Journey {
  if (!(bytes instanceof Uint8Array) || bytes.length > JOURNEY_MAX_BYTES) throw malformed('too large');
  const d = decodeCanonical(bytes);
  if ('error' in d) throw malformed(`not canonical (${d.error})`);
  const v = d.value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
    throw malformed('not a map');
  const keys = Object.keys(v).sort();
  if (keys.length !== FIELDS.length || keys.some((k, i) => k !== FIELDS[i]))
    throw malformed(`fields must be ${FIELDS.join(', ')}`);
  if (v['custody'] !== 'journey' || v['v'] !== 1) throw malformed('not a custody journey of version 1');
  const exhibit = v['exhibit'];
  if (!(exhibit instanceof Uint8Array) || exhibit.length !== 32) throw malformed('exhibit must be 32 bytes');
  const segments = v['segments'];
  if (
    !Array.isArray(segments) ||
    segments.length === 0 ||
    segments.length > JOURNEY_MAX_SEGMENTS ||
    !segments.every((s) => s instanceof Uint8Array && s.length > 0 && s.length <= BUNDLE_V2_LIMITS.bytes)
  )
    throw malformed(`segments must be 1 to ${JOURNEY_MAX_SEGMENTS} bundles`);
  if (segments.some((s, i) => segments.findIndex((t) => equalBytes(t as Uint8Array, s as Uint8Array)) !== i))
    throw malformed('a segment is given twice');
  return { exhibit, segments: segments as Uint8Array[] };
}
