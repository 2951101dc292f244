/**
 * A folder manifest (docs/MANIFEST.md): one entry per file of a registered
 * folder (a phone's logical extraction, a folder of files), with its size and
 * digests, in bytewise path order. The manifest is an artefact of its own; the
 * registration statement carries only its Merkle root and counts.
 *
 * Paths are the raw bytes the file system gave, never normalised: a macOS copy
 * (NFD names) and a Linux copy (NFC names) of the same evidence are different
 * folders, and the manifest says which form each name has instead of hiding it.
 */
import type { DigestAlgorithm } from '../format/vocabulary.js';

/** The digests besides SHA-256 an examiner may ask for, in the manifest's fixed order. */
export const LEGACY_ALGORITHMS = ['md5', 'sha1', 'sha512'] as const satisfies readonly DigestAlgorithm[];
export type LegacyAlgorithm = (typeof LEGACY_ALGORITHMS)[number];

/**
 * What an entry is. Directories are not entries, except empty ones ('dir'), so an
 * empty folder of an extraction is not lost. 'symlink', 'special' (FIFO, socket,
 * device) and 'unreadable' appear only when the walker was told to list them.
 */
export const ENTRY_KINDS = ['file', 'dir', 'symlink', 'special', 'unreadable'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * The Unicode form of a path, recorded as found: 'ascii' (every byte below 0x80),
 * 'nfc' (valid UTF-8 in Normalization Form C, whether or not also in NFD), 'nfd'
 * (in NFD but not NFC), 'other' (valid UTF-8 in neither form), 'bytes' (not valid
 * UTF-8).
 */
export const PATH_FORMS = ['ascii', 'nfc', 'nfd', 'other', 'bytes'] as const;
export type PathForm = (typeof PATH_FORMS)[number];

/** A file's digests: SHA-256 always, plus exactly the manifest's legacy algorithms. */
export type EntryDigests = { readonly sha256: Uint8Array } & {
  readonly [A in LegacyAlgorithm]?: Uint8Array;
};

export interface ManifestEntry {
  /** Relative path bytes: '/'-separated, no leading '/', no empty, '.' or '..' component, no NUL. */
  readonly path: Uint8Array;
  readonly form: PathForm;
  readonly kind: EntryKind;
  /** Bytes hashed ('file'), or the size listed ('unreadable'); 0 for the other kinds. */
  readonly size: number;
  /** 'file' only. */
  readonly digests?: EntryDigests;
  /** 'symlink' only: the link's target bytes, never followed. */
  readonly target?: Uint8Array;
}

export interface ManifestHeader {
  /** Legacy digests every 'file' entry carries besides SHA-256, in LEGACY_ALGORITHMS order. */
  readonly legacy: readonly LegacyAlgorithm[];
  /** Number of entries. */
  readonly entries: number;
  /** Sum of the sizes of the 'file' entries: the bytes hashed. */
  readonly bytes: number;
}

export interface Manifest {
  readonly header: ManifestHeader;
  /** Sorted bytewise by path, paths unique. */
  readonly entries: readonly ManifestEntry[];
}
