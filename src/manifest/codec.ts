/**
 * The manifest file, docs/MANIFEST.md §Bytes:
 *
 *   "custody-manifest v1\n"   (20 bytes of ASCII: the magic and the version)
 *   frame(header)
 *   frame(record) per entry, in bytewise path order
 *   frame(x) = uint32 big-endian length of x (1..MAX_RECORD) || x
 *
 * and its root: the RFC 9162 §2.1.1 Merkle Tree Hash with one leaf per entry,
 * the leaf being the record's bytes (without the length), EMPTY_ROOT when the
 * folder is empty. A phone extraction of a million files gives a manifest of
 * 100 MB or more, so both directions stream: each entry costs one record and
 * O(log n) hashes (MerkleFrontier), the order check is amortised O(1), and the
 * reader keeps at most one incomplete frame between chunks.
 *
 * Security assumption: a manifest read back may have been altered. Decoding is
 * strict (one encoding per manifest: the magic, canonical records, sorted unique
 * paths, counts that match, nothing after the last frame) and every length is
 * bounded before anything is allocated.
 */
import { concat } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { encodeCanonicalTransient } from '../format/canonical.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import { displayPath, PathOrder } from './path.js';
import {
  decodeHeader,
  decodeRecord,
  encodeHeader,
  entryProblem,
  LEGACY_ORDER_PROBLEM,
  RecordProblem,
  recordValue,
} from './record.js';
import { LEGACY_ALGORITHMS, type Manifest, type ManifestEntry, type ManifestHeader } from './types.js';

/** The first bytes of every manifest: its kind and version, one ASCII line. */
export const MANIFEST_MAGIC: Uint8Array = new TextEncoder().encode('custody-manifest v1\n');

/**
 * The largest frame content: a record holds at most two paths (the path and a
 * link target), each far below 64 KiB on every file system (Linux PATH_MAX is
 * 4096 bytes), and 64 bytes of digests per algorithm.
 */
export const MAX_RECORD = 65536;

const invalid = (message: string) => new CustodyError('MANIFEST_INVALID', message, 'input');

function frame(content: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + content.length);
  new DataView(out.buffer).setUint32(0, content.length);
  out.set(content, 4);
  return out;
}

function checkHeader(h: ManifestHeader) {
  const sorted = LEGACY_ALGORITHMS.filter((a) => h.legacy.includes(a));
  if (sorted.join(',') !== h.legacy.join(',')) throw invalid(`manifest header: ${LEGACY_ORDER_PROBLEM}`);
  for (const n of [h.entries, h.bytes])
    if (!Number.isSafeInteger(n) || n < 0)
      throw invalid('manifest header: a count that is not an unsigned integer');
}

/**
 * Writes a manifest one entry at a time: start(), then add() per entry in path
 * order, then finish() for the root. Refuses (MANIFEST_INVALID) an entry that is
 * invalid or out of order, and counts that do not match the header.
 */
export class ManifestEncoder {
  readonly #header: ManifestHeader;
  readonly #order = new PathOrder();
  readonly #tree = MerkleFrontier.empty();
  #count = 0;
  #bytes = 0;

  constructor(header: ManifestHeader) {
    checkHeader(header);
    this.#header = header;
  }

  /** The magic line and the header frame: the manifest's first bytes. */
  start(): Uint8Array {
    return concat(MANIFEST_MAGIC, frame(encodeHeader(this.#header)));
  }

  /** The frame of the next entry; its record becomes the next leaf of the root. */
  add(e: ManifestEntry): Uint8Array {
    const where = () => `manifest entry ${this.#count} (${displayPath(e.path)})`;
    const problem = entryProblem(e, this.#header.legacy) ?? this.#order.next(e.path);
    if (problem !== undefined) throw invalid(`${where()}: ${problem}`);
    if (this.#count >= this.#header.entries) throw invalid(`${where()}: more entries than the header says`);
    if (e.kind === 'file') this.#bytes += e.size;
    const out = frame(encodeCanonicalTransient(recordValue(e, this.#header.legacy)));
    if (out.length - 4 > MAX_RECORD) throw invalid(`${where()}: a record over ${MAX_RECORD} bytes`);
    this.#tree.append(hashLeaf(out.subarray(4)));
    this.#count++;
    return out;
  }

  /** The Merkle root, once every entry the header counts was added. */
  finish(): Uint8Array {
    const h = this.#header;
    if (this.#count !== h.entries)
      throw invalid(`manifest: ${this.#count} entries, the header says ${h.entries}`);
    if (this.#bytes !== h.bytes) throw invalid(`manifest: ${this.#bytes} bytes, the header says ${h.bytes}`);
    return this.#tree.root();
  }
}

/** The header a list of entries needs (its counts), with these legacy digests. */
export function headerFor(
  legacy: ManifestHeader['legacy'],
  entries: readonly ManifestEntry[],
): ManifestHeader {
  let bytes = 0;
  for (const e of entries) if (e.kind === 'file') bytes += e.size;
  return { legacy: LEGACY_ALGORITHMS.filter((a) => legacy.includes(a)), entries: entries.length, bytes };
}

/** The whole manifest file and its root, in one linear pass. */
export function encodeManifest(m: Manifest): { bytes: Uint8Array; root: Uint8Array } {
  const enc = new ManifestEncoder(m.header);
  const parts = [enc.start()];
  for (const e of m.entries) parts.push(enc.add(e));
  const root = enc.finish();
  return { bytes: concat(...parts), root };
}

/** The root alone (what a registration statement carries). */
export function manifestRoot(m: Manifest): Uint8Array {
  const enc = new ManifestEncoder(m.header);
  for (const e of m.entries) enc.add(e);
  return enc.finish();
}

/**
 * Reads a manifest from chunks of any size: push() returns the entries each chunk
 * completes, end() the header and root once the input is over. Throws
 * MANIFEST_INVALID as soon as the bytes cannot be a manifest.
 */
export class ManifestReader {
  #pending: Uint8Array = new Uint8Array(0);
  /** Offset in the whole input of #pending[0], for messages. */
  #offset = 0;
  #magicSeen = false;
  #header: ManifestHeader | undefined;
  #order = new PathOrder();
  #tree = MerkleFrontier.empty();
  #count = 0;
  #bytes = 0;

  push(chunk: Uint8Array): ManifestEntry[] {
    const buf = this.#pending.length === 0 ? chunk : concat(this.#pending, chunk);
    const out: ManifestEntry[] = [];
    let pos = 0;
    if (!this.#magicSeen) {
      const n = Math.min(buf.length, MANIFEST_MAGIC.length);
      for (let i = 0; i < n; i++)
        if (buf[i] !== MANIFEST_MAGIC[i])
          throw invalid('not a custody manifest (its first line is not "custody-manifest v1")');
      if (n < MANIFEST_MAGIC.length) {
        this.#pending = buf.slice();
        return out;
      }
      this.#magicSeen = true;
      pos = MANIFEST_MAGIC.length;
    }
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (buf.length - pos >= 4) {
      const len = view.getUint32(pos);
      const at = this.#offset + pos;
      if (len === 0 || len > MAX_RECORD)
        throw invalid(`manifest frame at byte ${at}: length ${len} outside 1..${MAX_RECORD}`);
      if (buf.length - pos - 4 < len) break;
      this.#frame(buf.subarray(pos + 4, pos + 4 + len), at, out);
      pos += 4 + len;
    }
    // Keep only the incomplete frame, copied, so a large chunk is not retained.
    this.#pending = buf.slice(pos);
    this.#offset += pos;
    return out;
  }

  #frame(content: Uint8Array, at: number, out: ManifestEntry[]) {
    const h = this.#header;
    try {
      if (h === undefined) {
        this.#header = decodeHeader(content);
        return;
      }
      if (this.#count >= h.entries) throw new RecordProblem(`more entries than the header's ${h.entries}`);
      const entry = decodeRecord(content, h.legacy);
      const problem = this.#order.next(entry.path);
      if (problem !== undefined) throw new RecordProblem(`${problem} (${displayPath(entry.path)})`);
      if (entry.kind === 'file') this.#bytes += entry.size;
      if (this.#bytes > h.bytes) throw new RecordProblem(`more bytes than the header's ${h.bytes}`);
      this.#tree.append(hashLeaf(content));
      this.#count++;
      out.push(entry);
    } catch (err) {
      if (!(err instanceof RecordProblem)) throw err;
      const what = h === undefined ? 'header' : `entry ${this.#count}`;
      throw invalid(`manifest ${what} at byte ${at}: ${err.message}`);
    }
  }

  /** The header and the root; throws if the input stopped early or the counts differ. */
  end(): { header: ManifestHeader; root: Uint8Array } {
    const h = this.#header;
    if (h === undefined || this.#pending.length > 0)
      throw invalid(`manifest truncated at byte ${this.#offset + this.#pending.length}`);
    if (this.#count !== h.entries)
      throw invalid(`manifest has ${this.#count} entries, its header says ${h.entries}`);
    if (this.#bytes !== h.bytes)
      throw invalid(`manifest files add up to ${this.#bytes} bytes, its header says ${h.bytes}`);
    return { header: h, root: this.#tree.root() };
  }
}

/** A whole manifest in memory, strictly decoded, with its root. */
export function decodeManifest(bytes: Uint8Array): { manifest: Manifest; root: Uint8Array } {
  const r = new ManifestReader();
  const entries = r.push(bytes);
  const { header, root } = r.end();
  return { manifest: { header, entries }, root };
}
