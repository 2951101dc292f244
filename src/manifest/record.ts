/**
 * One manifest record: the canonical MessagePack (src/format/canonical.ts) of a
 * fixed-shape array, docs/MANIFEST.md §Records:
 *
 *   [kind: str, path: bin, form: str, size: uint, target: bin | nil, digests: [bin…]]
 *
 * and the header, a canonical map {algorithms: [str…], bytes: uint, entries: uint}.
 * A record's bytes are its Merkle leaf (RFC 9162 §2.1.1), so decoding refuses
 * every record but the one encoding of a valid entry: one entry, one leaf.
 */
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { DIGEST_LENGTH } from '../format/vocabulary.js';
import { formPlausible, pathProblem } from './path.js';
import {
  ENTRY_KINDS,
  type EntryDigests,
  type EntryKind,
  LEGACY_ALGORITHMS,
  type LegacyAlgorithm,
  type ManifestEntry,
  type ManifestHeader,
  PATH_FORMS,
  type PathForm,
} from './types.js';

/** Why a record or header is invalid: the caller adds where it is. */
export class RecordProblem extends Error {}

/** Why a list of legacy algorithms is refused. */
export const LEGACY_ORDER_PROBLEM =
  'the algorithms must be sha256 then md5, sha1, sha512 (each optional, once)';

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The header's `algorithms`: "sha256", then the legacy ones in LEGACY_ALGORITHMS order. */
export function algorithmsOf(legacy: readonly LegacyAlgorithm[]): string[] {
  return ['sha256', ...LEGACY_ALGORITHMS.filter((a) => legacy.includes(a))];
}

export function encodeHeader(h: ManifestHeader): Uint8Array {
  return encodeCanonical({ algorithms: algorithmsOf(h.legacy), bytes: h.bytes, entries: h.entries });
}

export function decodeHeader(bytes: Uint8Array): ManifestHeader {
  const d = decodeCanonical(bytes);
  if ('error' in d) throw new RecordProblem(`the header is ${d.error} MessagePack`);
  const v = d.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array)
    throw new RecordProblem('the header is not a map');
  const m = v as Record<string, unknown>;
  const keys = Object.keys(m).join(',');
  if (keys !== 'algorithms,bytes,entries')
    throw new RecordProblem('the header must have exactly algorithms, bytes and entries');
  if (!isUint(m['bytes']) || !isUint(m['entries']))
    throw new RecordProblem('the header counts are not unsigned integers');
  const algs = m['algorithms'];
  if (!Array.isArray(algs) || !algs.every((a): a is string => typeof a === 'string'))
    throw new RecordProblem('the header algorithms are not a list of names');
  const legacy = LEGACY_ALGORITHMS.filter((a) => algs.includes(a));
  if (algs.join(',') !== algorithmsOf(legacy).join(',')) throw new RecordProblem(LEGACY_ORDER_PROBLEM);
  return { legacy, entries: m['entries'], bytes: m['bytes'] };
}

/** Why `e` is not a valid entry of a manifest with these legacy algorithms, or undefined. */
export function entryProblem(e: ManifestEntry, legacy: readonly LegacyAlgorithm[]): string | undefined {
  const p = pathProblem(e.path);
  if (p !== undefined) return p;
  if (!formPlausible(e.path, e.form)) return `a path recorded as ${e.form}`;
  if (!isUint(e.size)) return 'a size that is not an unsigned integer';
  if (e.kind !== 'symlink' && e.target !== undefined) return `a ${e.kind} with a link target`;
  if (e.kind !== 'file' && e.digests !== undefined) return `a ${e.kind} with digests`;
  if (e.kind !== 'file' && e.kind !== 'unreadable' && e.size !== 0) return `a ${e.kind} with a size`;
  if (e.kind === 'symlink') {
    if (e.target === undefined || e.target.length === 0) return 'a symbolic link without a target';
    if (e.target.includes(0)) return 'a NUL byte in a link target';
  }
  if (e.kind === 'file') {
    const d = e.digests;
    if (d === undefined) return 'a file without digests';
    for (const a of ['sha256', ...LEGACY_ALGORITHMS] as const) {
      const want = a === 'sha256' || legacy.includes(a);
      const v = d[a];
      if (want !== (v !== undefined)) return want ? `a file without its ${a}` : `a file with an extra ${a}`;
      if (v !== undefined && v.length !== DIGEST_LENGTH[a]) return `a ${a} of the wrong length`;
    }
  }
  return undefined;
}

/** The record of a valid entry (the caller checked it with entryProblem). */
export function encodeRecord(e: ManifestEntry, legacy: readonly LegacyAlgorithm[]): Uint8Array {
  return encodeCanonical(recordValue(e, legacy));
}

export function recordValue(e: ManifestEntry, legacy: readonly LegacyAlgorithm[]): Canonical {
  const digests: Uint8Array[] = [];
  if (e.kind === 'file' && e.digests !== undefined) {
    digests.push(e.digests.sha256);
    for (const a of LEGACY_ALGORITHMS) if (legacy.includes(a)) digests.push(e.digests[a]!);
  }
  return [e.kind, e.path, e.form, e.size, e.target ?? null, digests];
}

const KINDS: ReadonlySet<string> = new Set(ENTRY_KINDS);
const FORMS: ReadonlySet<string> = new Set(PATH_FORMS);

/** The entry of a record, refusing any record that is not the one encoding of a valid entry. */
export function decodeRecord(bytes: Uint8Array, legacy: readonly LegacyAlgorithm[]): ManifestEntry {
  const d = decodeCanonical(bytes);
  if ('error' in d) throw new RecordProblem(`the record is ${d.error} MessagePack`);
  const v = d.value;
  if (!Array.isArray(v) || v.length !== 6) throw new RecordProblem('the record is not an array of 6');
  const [kind, path, form, size, target, digests] = v as unknown[];
  if (typeof kind !== 'string' || !KINDS.has(kind)) throw new RecordProblem('an unknown entry kind');
  if (!(path instanceof Uint8Array)) throw new RecordProblem('a path that is not binary');
  if (typeof form !== 'string' || !FORMS.has(form)) throw new RecordProblem('an unknown path form');
  if (!isUint(size)) throw new RecordProblem('a size that is not an unsigned integer');
  if (target !== null && !(target instanceof Uint8Array))
    throw new RecordProblem('a link target that is neither binary nor nil');
  if (!Array.isArray(digests) || !digests.every((x): x is Uint8Array => x instanceof Uint8Array))
    throw new RecordProblem('digests that are not a list of binaries');
  const k = kind as EntryKind;
  let ds: EntryDigests | undefined;
  if (k === 'file') {
    const algs = algorithmsOf(legacy) as (keyof EntryDigests)[];
    if (digests.length !== algs.length)
      throw new RecordProblem(`a file with ${digests.length} digests, not ${algs.length}`);
    const m: Partial<Record<keyof EntryDigests, Uint8Array>> = {};
    algs.forEach((a, i) => {
      m[a] = digests[i]!;
    });
    ds = m as EntryDigests;
  } else if (digests.length !== 0) throw new RecordProblem(`a ${k} with digests`);
  const entry: ManifestEntry = {
    path,
    form: form as PathForm,
    kind: k,
    size,
    ...(ds !== undefined ? { digests: ds } : {}),
    ...(target !== null ? { target } : {}),
  };
  const problem = entryProblem(entry, legacy);
  if (problem !== undefined) throw new RecordProblem(problem);
  return entry;
}
