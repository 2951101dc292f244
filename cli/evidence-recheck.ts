/**
 * Hashing evidence again to compare it with its registration (issue 29):
 * `accept --file`, `examine --file` and `verify --exhibit … --file`. The kind
 * comes from the registration (`evidence`, register body version 2), never
 * from the path: a folder is listed and hashed as at registration and its
 * manifest rebuilt, so its digests (of the manifest's bytes) are comparable;
 * a segment set is named by its first segment; a device is read again.
 *
 * When a folder differs, its registered manifest, kept beside the ledger
 * (docs/MANIFEST.md), names exactly which files were added, removed or
 * changed.
 */
import { toHex } from '../src/bytes.js';
import { digestBlockDevice } from '../src/files/block-device.js';
import type { FileDigests } from '../src/files/digest-file.js';
import { digestSegmentSet } from '../src/files/digest-segments.js';
import { hashTree } from '../src/files/hash-tree.js';
import { resolveSegmentSet } from '../src/files/segment-set.js';
import type { Canonical } from '../src/format/canonical.js';
import type { DigestAlgorithm } from '../src/format/vocabulary.js';
import { encodeManifest } from '../src/manifest/codec.js';
import { diffManifests } from '../src/manifest/diff.js';
import { LEGACY_ALGORITHMS, type Manifest } from '../src/manifest/types.js';
import { hashFile } from './evidence-input.js';
import { digestBytes } from './evidence-kinds.js';
import type { Output } from './io.js';
import { registeredManifest } from './manifest-source.js';
import { progressBar } from './progress.js';

export interface Rehashed {
  digests: FileDigests;
  size: number;
  /** A folder's differences from its registered manifest, one line, when they can be named. */
  differences?: string;
}

const MAX_NAMED = 10;
const listed = (what: string, xs: readonly string[]) =>
  xs.length === 0
    ? []
    : [
        `${what} ${xs.slice(0, MAX_NAMED).join(', ')}${xs.length > MAX_NAMED ? ` and ${xs.length - MAX_NAMED} more` : ''}`,
      ];

/** "added a, b; removed c; changed d" */
export function describeDiff(registered: Manifest, now: Manifest): string {
  const d = diffManifests(registered, now);
  return [
    ...listed(
      'added',
      d.added.map((x) => x.display),
    ),
    ...listed(
      'removed',
      d.removed.map((x) => x.display),
    ),
    ...listed(
      'changed',
      d.changed.map((x) => x.path.display),
    ),
  ].join('; ');
}

export async function rehashEvidence(
  path: string,
  registration: Record<string, Canonical>,
  out: Output,
  opts: {
    ledger?: string;
    manifest?: string;
    exhibit?: Uint8Array;
    /** Where to find the manifest, said when none is at hand (default: beside a ledger, its server, --manifest). */
    whereToLook?: string;
  } = {},
): Promise<Rehashed> {
  const registered = registration['digests'] as Record<string, Uint8Array>;
  const algs = Object.keys(registered) as DigestAlgorithm[];
  const quiet = out.opts.quiet || out.opts.json;
  const kind = (registration['evidence'] as string | undefined) ?? 'file';
  if (kind === 'directory') {
    const bar = progressBar(`hashing ${path}`, quiet);
    let m: Manifest;
    try {
      m = await hashTree(path, {
        legacy: LEGACY_ALGORITHMS.filter((a) => algs.includes(a)),
        // Whatever is there now is listed, so a link added since shows as added, not as a refusal.
        listUnsupported: true,
        onProgress: (p) => bar.update(p.bytesDone, p.bytesTotal, `${p.filesDone}/${p.filesTotal} files`),
      });
    } finally {
      bar.stop();
    }
    const { bytes, root } = encodeManifest(m);
    const digests = digestBytes(bytes, algs);
    const same = toHex(root) === toHex(registration['manifest'] as Uint8Array);
    if (same) return { digests, size: m.header.bytes };
    // From a server, need to know applies (the same as for the registration's cleartext).
    const before = (
      await registeredManifest(registration['manifest'] as Uint8Array, {
        ledger: opts.ledger,
        given: opts.manifest,
        server: opts.exhibit && { opts: out.opts, exhibit: opts.exhibit },
      })
    )?.manifest;
    return {
      digests,
      size: m.header.bytes,
      differences: before
        ? describeDiff(before, m)
        : opts.manifest !== undefined
          ? `${opts.manifest} is not the manifest registered for it (missing, or of another root), so the files that differ are not named`
          : `its registered manifest is not at hand to say which files differ (${opts.whereToLook ?? 'kept beside a local ledger, handed to a ledger server, or given with --manifest <file>'})`,
    };
  }
  if (kind === 'segments') {
    const r = await digestSegmentSet(await resolveSegmentSet([path]), algs);
    return { digests: r.concatenation.digests, size: r.concatenation.size };
  }
  if (kind === 'device') {
    const r = await digestBlockDevice(path, algs);
    return { digests: r.digests, size: r.size };
  }
  return hashFile(path, algs, out);
}
