/**
 * What changed in a folder since it was registered: the registered manifest
 * against one taken now (`custody … --file <dir>`). Both are in bytewise path
 * order (a decoded manifest is, by construction), so one merge pass, linear.
 *
 * Paths are compared as bytes: a name renamed from NFD to NFC (a copy through a
 * macOS volume) is one path removed and another added, which is what happened
 * to the bytes; the form beside each path lets the report say so.
 */
import { equalBytes } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { comparePaths, displayPath } from './path.js';
import {
  type EntryKind,
  LEGACY_ALGORITHMS,
  type Manifest,
  type ManifestEntry,
  type PathForm,
} from './types.js';

export interface DiffPath {
  readonly path: Uint8Array;
  /** displayPath(path): escaped, one line. */
  readonly display: string;
  readonly form: PathForm;
}

/** What an entry was or is, as far as a change is concerned. */
export interface EntryState {
  readonly kind: EntryKind;
  readonly size: number;
  /** 'file' only. */
  readonly sha256?: Uint8Array;
  /** 'symlink' only. */
  readonly target?: Uint8Array;
}

export interface ManifestDiff {
  readonly added: DiffPath[];
  readonly removed: DiffPath[];
  readonly changed: { readonly path: DiffPath; readonly was: EntryState; readonly now: EntryState }[];
}

const pathOf = (e: ManifestEntry): DiffPath => ({ path: e.path, display: displayPath(e.path), form: e.form });

function stateOf(e: ManifestEntry): EntryState {
  return {
    kind: e.kind,
    size: e.size,
    ...(e.digests !== undefined ? { sha256: e.digests.sha256 } : {}),
    ...(e.target !== undefined ? { target: e.target } : {}),
  };
}

const sameOptional = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a === undefined || b === undefined ? a === b : equalBytes(a, b);

/**
 * Whether two entries of one path differ: kind, size, link target, or any digest
 * both manifests carry (SHA-256 always; a legacy one only when both asked for
 * it). Two 'unreadable' entries of one size count as the same: nothing more was
 * ever known of them.
 */
function differs(a: ManifestEntry, b: ManifestEntry): boolean {
  if (a.kind !== b.kind || a.size !== b.size || !sameOptional(a.target, b.target)) return true;
  if (a.digests === undefined || b.digests === undefined) return a.digests !== b.digests;
  for (const alg of ['sha256', ...LEGACY_ALGORITHMS] as const) {
    const x = a.digests[alg];
    const y = b.digests[alg];
    if (x !== undefined && y !== undefined && !equalBytes(x, y)) return true;
  }
  return false;
}

function sorted(es: readonly ManifestEntry[]): boolean {
  for (let k = 1; k < es.length; k++) if (comparePaths(es[k - 1]!.path, es[k]!.path) >= 0) return false;
  return true;
}

/** The paths added, removed and changed from `registered` to `now`, each list in path order. */
export function diffManifests(registered: Manifest, now: Manifest): ManifestDiff {
  const a = registered.entries;
  const b = now.entries;
  // A merge is only right over sorted lists; a hand-made manifest may not be one.
  if (!sorted(a) || !sorted(b))
    throw new CustodyError(
      'MANIFEST_INVALID',
      'a manifest to compare is not in bytewise path order',
      'input',
    );
  const diff: ManifestDiff = { added: [], removed: [], changed: [] };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const c = i === a.length ? 1 : j === b.length ? -1 : comparePaths(a[i]!.path, b[j]!.path);
    if (c < 0) diff.removed.push(pathOf(a[i++]!));
    else if (c > 0) diff.added.push(pathOf(b[j++]!));
    else {
      const x = a[i++]!;
      const y = b[j++]!;
      if (differs(x, y)) diff.changed.push({ path: pathOf(y), was: stateOf(x), now: stateOf(y) });
    }
  }
  return diff;
}
