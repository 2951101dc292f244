/**
 * Log records (docs/FORMAT.md §Log records): the payloads of type 2, which
 * the log writes itself. Nobody signs a record; it is vouched for by the
 * checkpoints that cover it, and it changes nothing in the state map (its
 * entry's `mapRoot` is the previous entry's).
 *
 *   record = canonical [ kind: string, bv: uint, body: map ]
 *
 * One kind so far, `checkpoint` (bv 1): an earlier signed checkpoint of this
 * log, archived in the log so that a later checkpoint commits to it and to
 * its time evidence (docs/LONG-TERM.md):
 *
 *   note       bin      the signed note exactly as stored when archived (its
 *                       log lines, and the cosignatures attached by then)
 *   timestamp  bin, opt an RFC 3161 TimeStampToken (CMS ContentInfo, DER)
 *                       over the checkpoint's text (the note text without its
 *                       signature lines): "this root existed at genTime"
 *   chain      [bin], opt the TSA's certificates (DER) beside the token, so
 *                       the token verifies offline years later (RFC 3161
 *                       §2.4.1: the TSA may omit them from the token)
 *
 * And `disclosure` (bv 1): the log handed a peer ledger a segment of an
 * exhibit's history (docs/FEDERATION.md §Gathering a journey), at the peer's
 * signed request, which it embeds so that anyone can check who asked:
 *
 *   requester  string   the reader's name in the server's configuration
 *   key        bin32    its Ed25519 access public key
 *   base       bin      the RFC 9421 signature base the request was signed over (UTF-8)
 *   signature  bin64    the request's Ed25519 signature over `base`
 *   exhibit    bin32    the exhibit
 *   recipient  string   the final recipient the requester named
 *   profile    string   what was handed over: "statements" (no cleartext)
 *   bundle     bin32    SHA-256 of the segment (a bundle) handed over
 *
 * Security assumption: a record is only as good as the checkpoints that
 * cover it. Its own content is checked against the log (the archived note
 * must be a checkpoint of this log, signed by its log key, with the root the
 * tree had at that size), never taken on the log's word.
 */
import { concat, fromUtf8, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { decodeCanonical, encodeCanonical } from './canonical.js';
import { isObj } from './checks.js';
import { FormatError } from './format-error.js';

/** The largest record payload: an archived note with a few ML-DSA-44 lines, a token and its chain. */
export const RECORD_MAX_BYTES = 256 << 10;
const NOTE_MAX = 128 << 10;
const TOKEN_MAX = 32 << 10;
const CERT_MAX = 16 << 10;
const CHAIN_MAX = 8;

export interface CheckpointRecord {
  readonly kind: 'checkpoint';
  /** The archived signed note, UTF-8. */
  readonly note: string;
  /** RFC 3161 TimeStampToken over the checkpoint text. */
  readonly timestamp?: Uint8Array;
  /** DER certificates of the TSA's chain. */
  readonly chain?: readonly Uint8Array[];
}

export interface DisclosureRecord {
  readonly kind: 'disclosure';
  readonly requester: string;
  readonly key: Uint8Array;
  readonly base: string;
  readonly signature: Uint8Array;
  readonly exhibit: Uint8Array;
  readonly recipient: string;
  readonly profile: string;
  readonly bundle: Uint8Array;
}

export type LogRecord = CheckpointRecord | DisclosureRecord;

/** The only profile a peer is handed: statements and commitments, no cleartext. */
export const PEER_PROFILE = 'statements';

const DOMAIN = utf8('custody/record/v2\n');

/**
 * The id under which the store lists the positions of log records, in its
 * per-exhibit event index (docs/STORAGE.md): no exhibit can have it (an
 * exhibit id is a statement's hash, not this domain's), and the store audit
 * checks its rows like any exhibit's.
 */
export const LOG_RECORDS_INDEX: Uint8Array = sha256(utf8('custody/index/log-records\n'));

/**
 * The id under which the store lists the positions of disclosure records: apart
 * from the archived checkpoints, which exports carry, since a disclosure
 * belongs to the log's own accounting and to no exhibit's bundle.
 */
export const DISCLOSURES_INDEX: Uint8Array = sha256(utf8('custody/index/disclosures\n'));

/** The store index a record is listed under. */
export const recordIndexOf = (r: LogRecord): Uint8Array =>
  r.kind === 'disclosure' ? DISCLOSURES_INDEX : LOG_RECORDS_INDEX;

/** A record's id (never a statement's: another domain). */
export const recordId = (payload: Uint8Array): Uint8Array => sha256(concat(DOMAIN, payload));

const malformed = (why: string) => new FormatError('RECORD_MALFORMED', `log record: ${why}`);

export function encodeLogRecord(r: LogRecord): Uint8Array {
  const body: Record<string, Uint8Array | Uint8Array[] | string> = {};
  if (r.kind === 'disclosure') {
    Object.assign(body, {
      requester: r.requester,
      key: r.key,
      base: utf8(r.base),
      signature: r.signature,
      exhibit: r.exhibit,
      recipient: r.recipient,
      profile: r.profile,
      bundle: r.bundle,
    });
  } else {
    body['note'] = utf8(r.note);
    if (r.timestamp) body['timestamp'] = r.timestamp;
    if (r.chain && r.chain.length > 0) body['chain'] = [...r.chain];
  }
  const bytes = encodeCanonical([r.kind, 1, body]);
  // What we write must be what we read back.
  decodeLogRecord(bytes);
  return bytes;
}

const isBin = (v: unknown, max: number): v is Uint8Array =>
  v instanceof Uint8Array && v.length > 0 && v.length <= max;

/**
 * Strictly decodes a record payload. RECORD_MALFORMED for anything that is
 * not a canonical record of a known shape; RECORD_KIND_UNKNOWN for a kind or
 * body version this version does not know (INCOMPLETE, not wrong).
 */
export function decodeLogRecord(bytes: Uint8Array): LogRecord {
  if (!(bytes instanceof Uint8Array) || bytes.length > RECORD_MAX_BYTES) throw malformed('too large');
  const d = decodeCanonical(bytes);
  if ('error' in d) throw malformed(`not canonical (${d.error})`);
  const v = d.value;
  if (!Array.isArray(v) || v.length !== 3) throw malformed('not [kind, bv, body]');
  const [kind, bv, body] = v as [unknown, unknown, unknown];
  if (typeof kind !== 'string' || typeof bv !== 'number' || !isObj(body))
    throw malformed('not [kind, bv, body]');
  if ((kind !== 'checkpoint' && kind !== 'disclosure') || bv !== 1)
    throw new FormatError(
      'RECORD_KIND_UNKNOWN',
      `log record kind ${JSON.stringify(kind)} version ${bv} is not known`,
    );
  if (kind === 'disclosure') return decodeDisclosure(body);
  for (const k of Object.keys(body))
    if (k !== 'note' && k !== 'timestamp' && k !== 'chain')
      throw malformed(`unknown field ${JSON.stringify(k)}`);
  const { note, timestamp, chain } = body;
  if (!isBin(note, NOTE_MAX)) throw malformed('note must be 1 to 131,072 bytes');
  let text: string;
  try {
    text = fromUtf8(note);
  } catch {
    throw malformed('note is not UTF-8');
  }
  if (timestamp !== undefined && !isBin(timestamp, TOKEN_MAX))
    throw malformed('timestamp must be 1 to 32,768 bytes');
  if (
    chain !== undefined &&
    (!Array.isArray(chain) ||
      chain.length === 0 ||
      chain.length > CHAIN_MAX ||
      !chain.every((c) => isBin(c, CERT_MAX)))
  )
    throw malformed('chain must be 1 to 8 certificates of at most 16,384 bytes');
  if (chain !== undefined && timestamp === undefined) throw malformed('a chain without a timestamp');
  return {
    kind: 'checkpoint',
    note: text,
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(chain === undefined ? {} : { chain: chain as Uint8Array[] }),
  };
}

const DISCLOSURE_FIELDS = [
  'base',
  'bundle',
  'exhibit',
  'key',
  'profile',
  'recipient',
  'requester',
  'signature',
];
const TEXT_MAX = 1000;

function decodeDisclosure(body: Record<string, unknown>): DisclosureRecord {
  const keys = Object.keys(body).sort();
  if (keys.length !== DISCLOSURE_FIELDS.length || keys.some((k, i) => k !== DISCLOSURE_FIELDS[i]))
    throw malformed(`a disclosure has exactly the fields ${DISCLOSURE_FIELDS.join(', ')}`);
  const { requester, key, base, signature, exhibit, recipient, profile, bundle } = body;
  const text = (v: unknown, name: string): string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > TEXT_MAX)
      throw malformed(`${name} must be 1 to 1,000 characters`);
    return v;
  };
  const fixed = (v: unknown, n: number, name: string): Uint8Array => {
    if (!(v instanceof Uint8Array) || v.length !== n) throw malformed(`${name} must be ${n} bytes`);
    return v;
  };
  if (!isBin(base, 8192)) throw malformed('base must be 1 to 8,192 bytes');
  let baseText: string;
  try {
    baseText = fromUtf8(base);
  } catch {
    throw malformed('base is not UTF-8');
  }
  return {
    kind: 'disclosure',
    requester: text(requester, 'requester'),
    key: fixed(key, 32, 'key'),
    base: baseText,
    signature: fixed(signature, 64, 'signature'),
    exhibit: fixed(exhibit, 32, 'exhibit'),
    recipient: text(recipient, 'recipient'),
    profile: text(profile, 'profile'),
    bundle: fixed(bundle, 32, 'bundle'),
  };
}
