/**
 * Where a registered folder's or segment set's manifest is found (docs/MANIFEST.md
 * §Where manifests are kept): a file given on the command line, beside a local
 * ledger in `<ledger>.manifests/<root>.manifest`, or, for a ledger on a
 * server, from the server. Whatever the source, the bytes are used only when
 * they decode and their root is the one the registration commits to, so a
 * wrong or altered manifest is never taken for the registered one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { toHex } from '../src/bytes.js';
import { decodeManifest } from '../src/manifest/codec.js';
import type { Manifest } from '../src/manifest/types.js';

/** `<ledger>.manifests/<root hex>.manifest`: where a local ledger keeps a manifest. */
export const besideLedger = (ledger: string, root: Uint8Array): string =>
  resolve(`${resolve(ledger)}.manifests`, `${toHex(root)}.manifest`);

export interface ManifestSource {
  /** A manifest file named by the user (`--manifest`). */
  given?: string | undefined;
  /** The ledger the registration is in: a directory, or a server URL. */
  ledger?: string | undefined;
}

/** The registered manifest's bytes and decoding, when one is at hand and its root is `root`. */
export async function registeredManifest(
  root: Uint8Array,
  from: ManifestSource,
): Promise<{ bytes: Uint8Array; manifest: Manifest } | undefined> {
  const path = from.given ?? (from.ledger === undefined ? undefined : besideLedger(from.ledger, root));
  if (path === undefined || !existsSync(path)) return undefined;
  const bytes = new Uint8Array(readFileSync(path));
  const { manifest, root: found } = decodeManifest(bytes);
  return toHex(found) === toHex(root) ? { bytes, manifest } : undefined;
}
