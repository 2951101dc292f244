/**
 * Where a registered folder's or segment set's manifest is found (docs/MANIFEST.md
 * §Where manifests are kept): a file given on the command line, beside a local
 * ledger in `<ledger>.manifests/<root>.manifest`, or, for a ledger on a
 * server, from the server (docs/SERVER.md §Manifests; need to know applies).
 * Whatever the source, the bytes are used only when they decode and their
 * root is the one the registration commits to, so a wrong or altered
 * manifest, or one a server hands out for another folder, is never taken for
 * the registered one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { toHex } from '../src/bytes.js';
import { decodeManifest } from '../src/manifest/codec.js';
import type { Manifest } from '../src/manifest/types.js';
import { serverOf } from './context.js';
import type { GlobalOptions } from './io.js';
import { isPostgresUrl } from './pg-ledger.js';
import { isLedgerUrl } from './remote.js';

/** `<ledger>.manifests/<root hex>.manifest`: where a local ledger keeps a manifest. */
export const besideLedger = (ledger: string, root: Uint8Array): string =>
  resolve(`${resolve(ledger)}.manifests`, `${toHex(root)}.manifest`);

/** The kinds of evidence (register body version 2, `evidence`) as messages name them. */
export const EVIDENCE_WORDS: Readonly<Record<string, string>> = {
  file: 'file',
  directory: 'folder',
  segments: 'segment set',
  device: 'device',
};

/** Where a manifest travels beside a bundle (`export --with-manifest`): `x.custody` -> `x.manifest`. */
export const manifestBeside = (bundle: string): string =>
  bundle.endsWith('.custody') ? `${bundle.slice(0, -'.custody'.length)}.manifest` : `${bundle}.manifest`;

export interface ManifestSource {
  /** A manifest file named by the user (`--manifest`). */
  given?: string | undefined;
  /** The ledger the registration is in: a directory, or a server URL. */
  ledger?: string | undefined;
  /** For a ledger on a server: the command's options (access key, purpose) and the exhibit asked about. */
  server?: { opts: GlobalOptions; exhibit: Uint8Array } | undefined;
}

/** The registered manifest's bytes and decoding, when one is at hand and its root is `root`. */
export async function registeredManifest(
  root: Uint8Array,
  from: ManifestSource,
): Promise<{ bytes: Uint8Array; manifest: Manifest } | undefined> {
  const bytes = await manifestBytes(root, from);
  if (!bytes) return undefined;
  const { manifest, root: found } = decodeManifest(bytes);
  return toHex(found) === toHex(root) ? { bytes, manifest } : undefined;
}

async function manifestBytes(root: Uint8Array, from: ManifestSource): Promise<Uint8Array | undefined> {
  if (from.given !== undefined) return read(from.given);
  if (from.ledger === undefined) return undefined;
  // A database is read by the server only: a manifest names files, and need to know applies.
  if (isPostgresUrl(from.ledger)) return undefined;
  if (!isLedgerUrl(from.ledger)) return read(besideLedger(from.ledger, root));
  return from.server ? serverOf(from.server.opts).exhibitManifest(from.server.exhibit) : undefined;
}

const read = (path: string) => (existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined);
