/**
 * What `custody register` registers (issue 29; docs/EVIDENCE-KINDS.md,
 * docs/FORMAT.md §register body version 2): a regular file, a folder (its
 * manifest), a segment set (E01/Ex01/L01 or split raw) or a block device,
 * with an optional acquisition log whose digests are recorded as reported by
 * its tool. Everything here runs before the ledger is opened (its lock is
 * held only for the append) and writes nothing: a refusal leaves no trace.
 *
 * The re-hash must agree with the log where the bytes allow it: a single
 * image file, a split raw set (its concatenation is the media) and a device
 * are compared digest by digest (REHASH_MISMATCH otherwise); an EWF set's
 * concatenation is the compressed container, never the media, so its
 * reported media digests are recorded, not claimed verified.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseAcquisitionLog } from '../src/acquisition/parse-log.js';
import type { ReportedDigests } from '../src/acquisition/reported.js';
import { toHex } from '../src/bytes.js';
import { CustodyError } from '../src/errors.js';
import { digestBlockDevice } from '../src/files/block-device.js';
import type { FileDigests } from '../src/files/digest-file.js';
import { digestSegmentSet } from '../src/files/digest-segments.js';
import { hashTree } from '../src/files/hash-tree.js';
import { isFirstSegmentName, resolveSegmentSet } from '../src/files/segment-set.js';
import type { Canonical } from '../src/format/canonical.js';
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../src/format/vocabulary.js';
import { encodeManifest } from '../src/manifest/codec.js';
import { displayPath } from '../src/manifest/path.js';
import { LEGACY_ALGORITHMS, type LegacyAlgorithm, type Manifest } from '../src/manifest/types.js';
import { hashFile } from './evidence-input.js';
import type { Output } from './io.js';
import { progressBar } from './progress.js';

export type EvidenceKind = 'file' | 'directory' | 'segments' | 'device';

export interface EvidenceOptions {
  importLog?: string;
  /** List symbolic links, special and unreadable files of a folder instead of refusing them. */
  listUnsupported?: boolean;
  /** Device identifiers (IMEI, serial numbers): committed, never in clear. */
  identifier?: string[];
  /** Seal photographs: their SHA-256 is recorded. */
  photo?: string[];
}

export interface Acquired {
  evidence: EvidenceKind;
  size: number;
  digests: FileDigests;
  /** The body fields of register version 2 besides label, case, description and the rest. */
  fields: Record<string, Canonical | undefined>;
  /** A folder's or segment set's manifest file, to keep beside the ledger. */
  manifest?: { bytes: Uint8Array; root: Uint8Array };
  /** One line saying what was registered, for the command's output. */
  what: string;
  /** Lines worth telling the user (an unverifiable media digest, a mounted device). */
  notes: string[];
  json: Record<string, unknown>;
}

const unsupported = (message: string) => new CustodyError('EVIDENCE_UNSUPPORTED', message, 'input');
const mismatch = (message: string) => new CustodyError('REHASH_MISMATCH', message, 'custody');

const sizeText = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${n} bytes`;

/** The kind of evidence the arguments name, from the file system (never from the name alone). */
export async function kindOf(paths: readonly string[]): Promise<EvidenceKind> {
  if (paths.length > 1) return 'segments';
  const p = paths[0]!;
  const st = await lstat(p).catch((e: NodeJS.ErrnoException) => {
    throw new CustodyError('FILE_UNREADABLE', `cannot read ${p}: ${e.code ?? 'error'}`, 'input');
  });
  if (st.isSymbolicLink()) {
    // /dev/disk/by-id/… names a device through a link; any other link is refused, never followed.
    const target = await stat(p).catch(() => undefined);
    if (target?.isBlockDevice()) return 'device';
    throw unsupported(`${p} is a symbolic link; register the file it points to`);
  }
  if (st.isDirectory()) return 'directory';
  if (st.isBlockDevice()) return 'device';
  if (!st.isFile()) throw unsupported(`${p} is neither a file, a folder nor a block device`);
  if (isFirstSegmentName(basename(p))) {
    const set = await resolveSegmentSet([p]);
    if (set.scheme === 'ewf' || set.paths.length > 1) return 'segments';
  }
  return 'file';
}

/** The digests of bytes in memory (a manifest). */
export function digestBytes(bytes: Uint8Array, algs: readonly DigestAlgorithm[]): FileDigests {
  const out: FileDigests = {};
  for (const a of algs) out[a] = new Uint8Array(createHash(a).update(bytes).digest());
  return out;
}

/** The log, parsed; its own SHA-256 goes into the statement. */
async function readLog(path: string): Promise<{ log: ReportedDigests; sha256: Uint8Array }> {
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new CustodyError(
      'FILE_UNREADABLE',
      `cannot read the acquisition log ${path}: ${e.code ?? 'error'}`,
      'input',
    );
  });
  return {
    log: parseAcquisitionLog(bytes),
    sha256: new Uint8Array(createHash('sha256').update(bytes).digest()),
  };
}

const toolName = (l: ReportedDigests) => `${l.tool} ${l.version}`;

/** Refuses when a digest both sides have differs. */
function agree(ours: FileDigests, theirs: FileDigests, what: string, by: string): number {
  let compared = 0;
  for (const a of DIGEST_ALGORITHMS) {
    const x = ours[a];
    const y = theirs[a];
    if (!x || !y) continue;
    compared++;
    if (toHex(x) !== toHex(y))
      throw mismatch(
        `${what}: its ${a} is ${toHex(x)}, but ${by} reported ${toHex(y)}; nothing was registered`,
      );
  }
  return compared;
}

/** hashdeep lists files: the row for this file (by its name), or for each file of a folder. */
function hashdeepRow(log: ReportedDigests, path: string) {
  const name = basename(path);
  const rows = (log.files ?? []).filter((f) => f.path === name || f.path.endsWith(`/${name}`));
  if (rows.length === 0)
    throw new CustodyError(
      'ACQUISITION_LOG_INVALID',
      `the hashdeep file lists no file named ${name}`,
      'input',
    );
  if (rows.length > 1)
    throw new CustodyError(
      'ACQUISITION_LOG_INVALID',
      `the hashdeep file lists ${rows.length} files named ${name}`,
      'input',
    );
  return rows[0]!;
}

/**
 * The folder's root as the hashdeep file writes it ("/cases/x/export/", "./" or ""): the prefix
 * that, taken off the most rows, leaves one of the folder's relative paths. A name may repeat in
 * subfolders (a.txt and sub/a.txt), so rows are matched by whole relative path, never by a
 * suffix alone.
 */
function hashdeepRoot(rows: readonly { path: string }[], rels: ReadonlySet<string>): string {
  const votes = new Map<string, number>();
  for (const { path } of rows) {
    // Cut before the whole path, then after each '/'.
    let cut = 0;
    while (cut >= 0) {
      if (rels.has(path.slice(cut))) votes.set(path.slice(0, cut), (votes.get(path.slice(0, cut)) ?? 0) + 1);
      const slash = path.indexOf('/', cut);
      cut = slash < 0 ? -1 : slash + 1;
    }
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

/** A file's (a segment's, a device's) row in the hashdeep file, with the same size and digests. */
function checkHashdeepRow(
  log: ReportedDigests,
  path: string,
  size: number,
  digests: FileDigests,
  by: string,
) {
  const row = hashdeepRow(log, path);
  if (row.size !== size)
    throw mismatch(`${path}: ${size} bytes, but ${by} listed ${row.size}; nothing was registered`);
  agree(digests, row.digests, path, by);
}

/** Exactly the folder's files in the hashdeep file, each with the same size and digests. */
function checkFolderAgainstHashdeep(m: Manifest, log: ReportedDigests, by: string): void {
  const rows = log.files ?? [];
  const files = m.entries.filter((e) => e.kind === 'file');
  const root = hashdeepRoot(rows, new Set(files.map((e) => displayPath(e.path))));
  const byRel = new Map(
    rows.filter((r) => r.path.startsWith(root)).map((r) => [r.path.slice(root.length), r]),
  );
  for (const e of files) {
    const rel = displayPath(e.path);
    const row = byRel.get(rel);
    if (!row) throw mismatch(`${rel} is in the folder but not in the hashdeep file; nothing was registered`);
    byRel.delete(rel);
    if (row.size !== e.size)
      throw mismatch(`${rel}: ${e.size} bytes, but ${by} listed ${row.size}; nothing was registered`);
    agree(e.digests as FileDigests, row.digests, rel, by);
  }
  const extra = rows.find((r) => !r.path.startsWith(root) || byRel.has(r.path.slice(root.length)));
  if (extra)
    throw mismatch(
      `the hashdeep file lists ${extra.path}, which is not in the folder; nothing was registered`,
    );
}

function manifestOfSegments(
  segments: readonly { name: string; size: number; digests: FileDigests }[],
  legacy: readonly LegacyAlgorithm[],
): Manifest {
  const enc = new TextEncoder();
  const entries = segments.map((s) => {
    const digests = {
      sha256: s.digests.sha256!,
      ...Object.fromEntries(legacy.map((a) => [a, s.digests[a]!])),
    };
    return { path: enc.encode(s.name), form: 'ascii' as const, kind: 'file' as const, size: s.size, digests };
  });
  return {
    header: { legacy, entries: entries.length, bytes: entries.reduce((n, e) => n + e.size, 0) },
    entries,
  };
}

export async function acquireEvidence(
  paths: readonly string[],
  requested: readonly DigestAlgorithm[],
  o: EvidenceOptions,
  out: Output,
): Promise<Acquired> {
  const evidence = await kindOf(paths);
  const imported = o.importLog === undefined ? undefined : await readLog(o.importLog);
  const log = imported?.log;
  const by = log ? `${toolName(log)} (${o.importLog})` : '';
  // Hash what the log reported too, so that the comparison can be made.
  const algs = [
    ...new Set([
      ...requested,
      ...DIGEST_ALGORITHMS.filter((a) => log?.media[a] || log?.files?.some((f) => f.digests[a])),
    ]),
  ];
  const legacy = LEGACY_ALGORITHMS.filter((a) => algs.includes(a));
  const notes: string[] = [];
  const quiet = out.opts.quiet || out.opts.json;
  const fields: Record<string, Canonical | undefined> = { evidence };
  const identifiers = [...(o.identifier ?? [])];
  let acquired: Omit<Acquired, 'fields' | 'notes' | 'evidence'>;

  if (evidence === 'file') {
    const path = paths[0]!;
    const { digests, size } = await hashFile(path, algs, out);
    if (log?.tool === 'hashdeep') checkHashdeepRow(log, path, size, digests, by);
    else if (log) agree(digests, log.media, path, by);
    acquired = { size, digests, what: `the file ${path}, ${sizeText(size)}`, json: { path } };
  } else if (evidence === 'directory') {
    const path = paths[0]!;
    const bar = progressBar(`hashing ${path}`, quiet);
    let m: Manifest;
    try {
      m = await hashTree(path, {
        legacy,
        ...(o.listUnsupported ? { listUnsupported: true } : {}),
        onProgress: (p) => bar.update(p.bytesDone, p.bytesTotal, `${p.filesDone}/${p.filesTotal} files`),
      });
    } catch (e) {
      // The library asks for such entries to be listed; here that is an option of this command.
      if (e instanceof CustodyError && e.code === 'EVIDENCE_UNSUPPORTED')
        throw new CustodyError(
          e.code,
          e.message.replace('(ask for such entries to be listed)', '(give --list-unsupported to list them)'),
          e.category,
          { ...e.details },
        );
      throw e;
    } finally {
      bar.stop();
    }
    if (log?.tool === 'hashdeep') checkFolderAgainstHashdeep(m, log, by);
    else if (log)
      throw new CustodyError(
        'ACQUISITION_LOG_INVALID',
        `a folder is checked against a hashdeep file; ${toolName(log)} reports an image's digests`,
        'input',
      );
    const manifest = encodeManifest(m);
    const listed = m.entries.filter((e) => e.kind !== 'file' && e.kind !== 'dir').length;
    if (listed > 0)
      notes.push(
        listed === 1
          ? 'a symbolic link, special or unreadable file is listed without contents'
          : `${listed} symbolic links, special or unreadable files are listed without contents`,
      );
    fields['manifest'] = manifest.root;
    fields['entries'] = m.header.entries;
    acquired = {
      size: m.header.bytes,
      digests: digestBytes(manifest.bytes, algs),
      manifest,
      what: `the folder ${path}: ${m.header.entries} entries, ${sizeText(m.header.bytes)}`,
      json: { path, entries: m.header.entries, manifestRoot: toHex(manifest.root) },
    };
  } else if (evidence === 'segments') {
    const set = await resolveSegmentSet(paths);
    const bar = progressBar(`hashing ${set.names.length} segments`, quiet);
    let r: Awaited<ReturnType<typeof digestSegmentSet>>;
    try {
      r = await digestSegmentSet(set, algs, {
        onProgress: (p) =>
          bar.update(p.bytesDone, p.bytesTotal, `${p.segmentsDone}/${p.segmentsTotal} segments`),
      });
    } finally {
      bar.stop();
    }
    if (log?.tool === 'hashdeep') {
      // hashdeep lists files: each segment against its row, and no row left over.
      for (const sg of r.segments) checkHashdeepRow(log, sg.name, sg.size, sg.digests, by);
      const listed = log.files?.length ?? 0;
      if (listed !== r.segments.length)
        throw mismatch(
          `the hashdeep file lists ${listed} files, the set has ${r.segments.length} segments; nothing was registered`,
        );
    } else if (log && set.scheme === 'raw')
      agree(r.concatenation.digests, log.media, 'the concatenated segments', by);
    else if (log)
      notes.push(
        `the media digests ${toolName(log)} reported are recorded as reported: an ${set.naming} container is compressed, so custody records the containers' digests and cannot verify the media's`,
      );
    const manifest = encodeManifest(manifestOfSegments(r.segments, legacy));
    fields['manifest'] = manifest.root;
    fields['entries'] = r.segments.length;
    acquired = {
      size: r.concatenation.size,
      digests: r.concatenation.digests,
      manifest,
      what: `${set.scheme === 'ewf' ? `an ${set.naming}` : 'a split raw'} set of ${r.segments.length} segments (${set.names[0]} …), ${sizeText(r.concatenation.size)}`,
      json: {
        scheme: set.scheme,
        naming: set.naming,
        segments: r.segments.map((s) => s.name),
        manifestRoot: toHex(manifest.root),
      },
    };
  } else {
    const bar = progressBar(`hashing ${paths[0]}`, quiet);
    let r: Awaited<ReturnType<typeof digestBlockDevice>>;
    try {
      r = await digestBlockDevice(paths[0]!, algs, { onProgress: (d, t) => bar.update(d, t) });
    } finally {
      bar.stop();
    }
    const d = r.device;
    if (log?.tool === 'hashdeep') checkHashdeepRow(log, paths[0]!, r.size, r.digests, by);
    else if (log) agree(r.digests, log.media, d.resolvedPath, by);
    if (d.mounts.length > 0)
      notes.push(
        `${d.resolvedPath} was mounted (${d.mounts.map((x) => x.mountPoint).join(', ')}) while it was read`,
      );
    if (!d.readOnly)
      notes.push(
        `the kernel did not have ${d.resolvedPath} read-only (use a write blocker, or blockdev --setro)`,
      );
    if (d.serial) identifiers.push(`serial ${d.serial}`);
    fields['device'] = {
      ...(d.model ? { model: d.model } : {}),
      readOnly: d.readOnly ? 'yes' : 'no',
      mounted: d.mounts.length > 0 ? 'yes' : 'no',
    };
    acquired = {
      size: r.size,
      digests: r.digests,
      what: `the device ${d.resolvedPath}${d.resolvedPath === paths[0] ? '' : ` (${paths[0]})`}${d.model ? `, ${d.model}` : ''}, ${sizeText(r.size)}`,
      json: {
        path: paths[0],
        resolvedPath: d.resolvedPath,
        readOnly: d.readOnly,
        mounted: d.mounts.length > 0,
      },
    };
  }

  if (log && imported) {
    const media = Object.fromEntries(
      DIGEST_ALGORITHMS.flatMap((a) => (log.media[a] ? [[a, log.media[a]!]] : [])),
    );
    const reportedDigests =
      log.tool === 'hashdeep' && (evidence === 'file' || evidence === 'device')
        ? hashdeepRow(log, paths[0]!).digests
        : media;
    fields['reported'] = {
      tool: log.tool,
      version: log.version,
      ...(Object.keys(reportedDigests).length > 0
        ? { digests: reportedDigests as Record<string, Uint8Array> }
        : {}),
      log: imported.sha256,
      ...(log.verification ? { verification: log.verification } : {}),
    };
    if (log.verification === 'failed')
      notes.push(`${toolName(log)} reports that its own verification failed`);
  }
  if (identifiers.length > 0) fields['identifiers'] = identifiers.join('\n');
  if (o.photo?.length) {
    const photos: Uint8Array[] = [];
    for (const p of o.photo) {
      const bytes = await readFile(p).catch((e: NodeJS.ErrnoException) => {
        throw new CustodyError(
          'FILE_UNREADABLE',
          `cannot read the seal photograph ${p}: ${e.code ?? 'error'}`,
          'input',
        );
      });
      photos.push(new Uint8Array(createHash('sha256').update(bytes).digest()));
    }
    fields['photos'] = photos;
  }
  return { evidence, fields, notes, ...acquired };
}
