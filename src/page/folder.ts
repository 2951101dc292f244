/**
 * A folder checked in the verifier page against its registration (issue 29; docs/MANIFEST.md,
 * docs/VERIFYING.md §A folder or a segment set in the page). The page hashes each file it is
 * given (./browser/folder.ts); this builds the folder's manifest from those facts with the same
 * codec as the CLI (src/files/hash-tree.ts), so the root and the manifest's digests are
 * comparable with the registration's `manifest` and `digests` (register body version 2).
 * Pure: no DOM, no file reading.
 *
 * What a browser cannot give, and is therefore never claimed: the raw bytes of a name (it gives
 * strings: a name that was not valid UTF-8 arrives with U+FFFD in it and cannot be rebuilt), and
 * through a folder chooser the empty folders (it lists files only). Both make the rebuilt root
 * differ; the page says which, and never says "matches" unless the root and digests match.
 */

import { decodeBundleV2 } from '../bundle/bundle-v2.js';
import { equalBytes } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { decodeSignedStatement } from '../format/statement.js';
import { decodeManifest, encodeManifest, headerFor } from '../manifest/codec.js';
import { diffManifests } from '../manifest/diff.js';
import { comparePaths, displayPath, pathForm } from '../manifest/path.js';
import { LEGACY_ALGORITHMS, type Manifest, type ManifestEntry } from '../manifest/types.js';

/** What the bundle's exhibit registered: its kind of evidence and, for a folder, its manifest root. */
export interface Registered {
  evidence: string;
  size: number;
  digests: Record<string, Uint8Array>;
  manifest?: Uint8Array;
  entries?: number;
}

/** The exhibit's registration in a bundle, or undefined (not a v2 bundle, or not in it). */
export function registeredEvidence(bundle: Uint8Array): Registered | undefined {
  try {
    const b = decodeBundleV2(bundle);
    for (const e of b.entries) {
      const d = decodeSignedStatement(e.payload);
      if (d.statement.kind !== 'register' || !equalBytes(d.id, b.exhibit)) continue;
      const body = d.statement.body;
      return {
        evidence: (body['evidence'] as string | undefined) ?? 'file',
        size: body['size'] as number,
        digests: body['digests'] as Record<string, Uint8Array>,
        ...(body['manifest'] instanceof Uint8Array ? { manifest: body['manifest'] } : {}),
        ...(typeof body['entries'] === 'number' ? { entries: body['entries'] } : {}),
      };
    }
  } catch {
    // A damaged bundle is the verifier's to report; here it only means "no folder to compare".
  }
  return undefined;
}

/** One file (or, dropped, one empty folder) of the folder as the browser gave it. */
export interface SeenEntry {
  /** Relative to the chosen folder, '/'-separated, as the browser's string. */
  path: string;
  kind: 'file' | 'dir';
  size: number;
  /** 'file': sha256 and each legacy digest asked for. */
  digests?: Record<string, Uint8Array>;
}

/** The folder's manifest rebuilt from what the browser gave, its bytes and root. */
export interface RebuiltFolder {
  manifest: Manifest;
  bytes: Uint8Array;
  root: Uint8Array;
  /** Paths holding U+FFFD: perhaps a name that was not valid UTF-8 on disk, which cannot be rebuilt. */
  replaced: number;
}

/** The legacy digests a folder registered with `digests` carries in each entry (as hash-tree.ts). */
export const folderLegacy = (digests: Record<string, unknown>) =>
  LEGACY_ALGORITHMS.filter((a) => Object.hasOwn(digests, a));

/**
 * The manifest of `seen`, as `hashTree` writes it: paths as UTF-8 bytes sorted bytewise, each
 * with its form, a file's SHA-256 and `legacy` digests. Two entries of one path (the browser
 * never gives them) are refused rather than guessed between.
 */
export function rebuildFolder(seen: readonly SeenEntry[], legacy: readonly string[]): RebuiltFolder {
  const enc = new TextEncoder();
  const legacyAlgs = LEGACY_ALGORITHMS.filter((a) => legacy.includes(a));
  let replaced = 0;
  const entries = seen
    .map((s): ManifestEntry => {
      if (s.path.includes('\uFFFD')) replaced++;
      const path = enc.encode(s.path);
      const base = { path, form: pathForm(path) };
      if (s.kind === 'dir') return { ...base, kind: 'dir', size: 0 };
      const d = s.digests ?? {};
      const digests = { sha256: d['sha256']!, ...Object.fromEntries(legacyAlgs.map((a) => [a, d[a]!])) };
      return { ...base, kind: 'file', size: s.size, digests };
    })
    .sort((a, b) => comparePaths(a.path, b.path));
  for (let i = 1; i < entries.length; i++)
    if (comparePaths(entries[i - 1]!.path, entries[i]!.path) === 0)
      throw new CustodyError(
        'MANIFEST_INVALID',
        `the folder lists ${displayPath(entries[i]!.path)} twice`,
        'input',
      );
  const manifest: Manifest = { header: headerFor(legacyAlgs, entries), entries };
  const { bytes, root } = encodeManifest(manifest);
  return { manifest, bytes, root, replaced };
}

/** What the page can say of a folder against its registration. */
export interface FolderCheck {
  /**
   * matches: the rebuilt root is the registered one (the manifest's digests are then the
   * verifier's to compare); differs-named: the registered manifest was given and names the
   * differences; differs: it was not given (or is not the registered one), so none are named.
   */
  state: 'matches' | 'differs-named' | 'differs';
  added: string[];
  removed: string[];
  changed: string[];
  /** Registered empty folders among `removed`: a folder chooser cannot show them. */
  emptyFoldersUnseen: number;
  /** Why the registered manifest given was not used, if it was given and not used. */
  manifestRefused?: string;
}

/**
 * The rebuilt folder against the registration's root, and, when it differs and the registered
 * manifest file was given and is the registered one (its root), which files differ.
 */
export function checkFolder(
  reg: Registered,
  now: RebuiltFolder,
  registeredManifest: Uint8Array | undefined,
  sawEmptyFolders: boolean,
): FolderCheck {
  const none = { added: [], removed: [], changed: [], emptyFoldersUnseen: 0 };
  if (reg.manifest && equalBytes(reg.manifest, now.root)) return { state: 'matches', ...none };
  if (!registeredManifest || !reg.manifest) return { state: 'differs', ...none };
  let before: Manifest;
  try {
    const d = decodeManifest(registeredManifest);
    if (!equalBytes(d.root, reg.manifest))
      return { state: 'differs', ...none, manifestRefused: 'its root is not the registered one' };
    before = d.manifest;
  } catch (e) {
    return { state: 'differs', ...none, manifestRefused: e instanceof Error ? e.message : String(e) };
  }
  const diff = diffManifests(before, now.manifest);
  const removedDirs = new Set(
    before.entries.filter((e) => e.kind === 'dir').map((e) => new TextDecoder().decode(e.path)),
  );
  return {
    state: 'differs-named',
    added: diff.added.map((x) => x.display),
    removed: diff.removed.map((x) => x.display),
    changed: diff.changed.map((x) => x.path.display),
    emptyFoldersUnseen: sawEmptyFolders
      ? 0
      : diff.removed.filter((x) => removedDirs.has(new TextDecoder().decode(x.path))).length,
  };
}

/**
 * The order of a segment set's files, as the CLI takes them (src/files/segment-set.ts, which
 * reads folders and so cannot be in the page): one base name; numeric extensions by value (a
 * set grows past its width: x.999, x.1000), others (E01 … E99, EAA …, Ex01 …, aa, ab …) in
 * case-insensitive letter order, which is their numbering. A gap or a missing segment is not
 * looked for here: the concatenation's digests would not match the registered ones.
 */
export function orderSegments(names: readonly string[]): number[] {
  const split = names.map((n) => {
    const dot = n.lastIndexOf('.');
    return { base: dot > 0 ? n.slice(0, dot) : n, ext: dot > 0 ? n.slice(dot + 1).toUpperCase() : '' };
  });
  const base = split[0]?.base;
  const stray = split.find((s) => s.base !== base || s.ext === '');
  if (stray)
    throw new CustodyError(
      'SEGMENTS_INVALID',
      `the segments chosen are not one set (${names.join(', ')})`,
      'input',
    );
  const key = (ext: string) => (/^\d+$/.test(ext) ? ext.replace(/^0+(?=\d)/, '').padStart(20, '0') : ext);
  const order = names.map((_, i) => i);
  return order.sort((a, b) => {
    const x = key(split[a]!.ext);
    const y = key(split[b]!.ext);
    return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  });
}
