/**
 * Evidence bundle file format, version 1 (docs/BUNDLE.md).
 *
 *   file   = magic ‖ body
 *   magic  = ASCII "CUSTODY-BUNDLE/1\n" (17 bytes): recognisable by `file`, `head -c`,
 *            and by people; a future version changes the digit.
 *   body   = canonical msgpack map (docs/FORMAT.md §Canonical encoding):
 *     v          1
 *     origin     ledger origin
 *     exhibit    the exhibit the bundle is about
 *     checkpoint C2SP signed note (with any witness cosignatures)
 *     head       optional signed note: the log's attestation of the exhibit's last event
 *     entries    array of maps { seq, record, proof } in ascending seq order;
 *                proof = RFC 9162 inclusion proof of `record` at `seq` in the checkpoint's tree
 *
 * Decoding is strict and bounded: a hostile bundle gets BUNDLE_MALFORMED, never a crash.
 */
import { fromUtf8, utf8 } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { isCanonicalId } from '../format/ids.js';
import { isOrigin } from '../format/text.js';

export const BUNDLE_MAGIC = 'CUSTODY-BUNDLE/1\n';
const MAGIC = utf8(BUNDLE_MAGIC);
export const BUNDLE_LIMITS = { bytes: 256 << 20, entries: 200_000, proof: 64, note: 1 << 20 } as const;

export interface BundleEntry {
  seq: number;
  record: Uint8Array;
  proof: Uint8Array[];
}

export interface Bundle {
  origin: string;
  exhibit: string;
  checkpoint: string;
  head?: string;
  entries: BundleEntry[];
}

export function encodeBundle(b: Bundle): Uint8Array {
  const body: Record<string, Canonical> = {
    v: 1,
    origin: b.origin,
    exhibit: b.exhibit,
    checkpoint: b.checkpoint,
    entries: b.entries.map((e) => ({ seq: e.seq, record: e.record, proof: e.proof })),
  };
  if (b.head !== undefined) body['head'] = b.head;
  const enc = encodeCanonical(body);
  const out = new Uint8Array(MAGIC.length + enc.length);
  out.set(MAGIC);
  out.set(enc, MAGIC.length);
  return out;
}

const bad = (why: string) =>
  new CustodyError('BUNDLE_MALFORMED', `not a valid custody bundle: ${why}`, 'input');

export function isBundle(bytes: Uint8Array): boolean {
  if (bytes.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return false;
  return true;
}

/** Strictly decodes a bundle file; throws BUNDLE_MALFORMED (category input) on anything else. */
export function decodeBundle(bytes: Uint8Array): Bundle {
  if (bytes.length > BUNDLE_LIMITS.bytes) throw bad(`larger than ${BUNDLE_LIMITS.bytes} bytes`);
  if (!isBundle(bytes)) {
    const head = fromUtf8Safe(bytes.subarray(0, 16));
    throw bad(
      head.startsWith('CUSTODY-BUNDLE/')
        ? 'unsupported bundle version'
        : 'missing the CUSTODY-BUNDLE/1 header',
    );
  }
  const r = decodeCanonical(bytes.subarray(MAGIC.length));
  if ('error' in r) throw bad(`body is ${r.error}`);
  const v = r.value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
    throw bad('body is not a map');
  const allowed = new Set(['v', 'origin', 'exhibit', 'checkpoint', 'head', 'entries']);
  for (const k of Object.keys(v)) if (!allowed.has(k)) throw bad(`unknown field ${JSON.stringify(k)}`);
  if (v['v'] !== 1) throw bad('unsupported body version');
  const origin = v['origin'];
  const exhibit = v['exhibit'];
  const checkpoint = v['checkpoint'];
  const head = v['head'];
  const entries = v['entries'];
  if (typeof origin !== 'string' || !isOrigin(origin)) throw bad('origin');
  if (typeof exhibit !== 'string' || !isCanonicalId('EX', exhibit)) throw bad('exhibit id');
  if (typeof checkpoint !== 'string' || checkpoint.length > BUNDLE_LIMITS.note) throw bad('checkpoint');
  if (head !== undefined && (typeof head !== 'string' || head.length > BUNDLE_LIMITS.note))
    throw bad('head attestation');
  if (!Array.isArray(entries) || entries.length === 0 || entries.length > BUNDLE_LIMITS.entries)
    throw bad('entries');
  const out: BundleEntry[] = [];
  let last = -1;
  for (const e of entries as unknown[]) {
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw bad('entry is not a map');
    const m = e as Record<string, unknown>;
    if (Object.keys(m).length !== 3) throw bad('entry fields');
    const { seq, record, proof } = m;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq <= last)
      throw bad('entries must be in strictly ascending seq order');
    if (!(record instanceof Uint8Array) || record.length === 0) throw bad(`entry ${seq} record`);
    if (
      !Array.isArray(proof) ||
      proof.length > BUNDLE_LIMITS.proof ||
      !proof.every((h) => h instanceof Uint8Array && h.length === 32)
    )
      throw bad(`entry ${seq} proof`);
    out.push({ seq, record, proof: proof as Uint8Array[] });
    last = seq;
  }
  const b: Bundle = { origin, exhibit, checkpoint, entries: out };
  if (head !== undefined) b.head = head as string;
  return b;
}

function fromUtf8Safe(b: Uint8Array): string {
  try {
    return fromUtf8(b);
  } catch {
    return '';
  }
}
