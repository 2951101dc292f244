/**
 * The evidence in hand checked against a bundle (`verify-bundle --file`, `report --file`;
 * docs/CLI.md §custody verify-bundle): hashed as the bundle's registration says it is, like
 * `verify --exhibit … --file` on a ledger. A plain file is hashed only when its size is a
 * registered one; a folder, segment set or device is hashed again by cli/evidence-recheck.ts,
 * and a folder that differs is named file by file when its registered manifest is at hand
 * (`--manifest`, `x.manifest` beside `x.custody`, or the ledger's: cli/manifest-source.ts).
 */
import { closeSync, lstatSync } from 'node:fs';
import { basename } from 'node:path';
import { decodeBundleV2 } from '../src/bundle/bundle-v2.js';
import { filePlan, worthHashing } from '../src/bundle/file-plan.js';
import { equalBytes } from '../src/bytes.js';
import { CustodyError } from '../src/errors.js';
import { openRegularFile, openRegularFileSync } from '../src/files/open-regular.js';
import type { Canonical } from '../src/format/canonical.js';
import { decodeSignedStatement } from '../src/format/statement.js';
import { hashFile } from './evidence-input.js';
import { rehashEvidence } from './evidence-recheck.js';
import type { Output } from './io.js';
import { EVIDENCE_WORDS, manifestBeside } from './manifest-source.js';

/** The register statement's body of the bundle's exhibit, or undefined (a damaged bundle is the verifier's to report). */
function registrationBody(bundle: Uint8Array): Record<string, Canonical> | undefined {
  try {
    const b = decodeBundleV2(bundle);
    for (const e of b.entries) {
      try {
        const d = decodeSignedStatement(e.payload);
        if (d.statement.kind === 'register' && equalBytes(d.id, b.exhibit)) return d.statement.body;
      } catch {
        // A damaged statement is reported by the verifier; here it only means "not this one".
      }
    }
  } catch {
    // A malformed bundle is reported by the verifier.
  }
  return undefined;
}

/** The evidence in hand: the facts the verifier compares, and what a differing folder's manifest names. */
export interface InHand {
  file: { name: string; size: number; digests: Record<string, Uint8Array> };
  /** "the folder differs from the registered one: changed a.txt", when it differs. */
  differences?: string;
}

/**
 * Digests of the evidence in hand, with every algorithm the bundle's exhibit registered, hashed
 * as its registration says (as `verify --exhibit … --file`): a regular file (not hashed when its
 * size is not a registered one), or a folder, segment set or device hashed again by
 * cli/evidence-recheck.ts. A folder that differs is named file by file when its registered
 * manifest is at hand: `manifest.given`, else beside `manifest.ledger`.
 */
export async function fileFacts(
  path: string,
  bundleBytes: Uint8Array,
  out: Output,
  manifest: {
    given?: string | undefined;
    ledger?: string | undefined;
    /** The exhibit, for a manifest kept by a ledger server. */
    exhibit?: Uint8Array | undefined;
    beside?: string;
  } = {},
): Promise<InHand> {
  const body = registrationBody(bundleBytes);
  const kind = (body?.['evidence'] as string | undefined) ?? 'file';
  if (body && kind !== 'file') {
    const again = await rehashEvidence(path, body, out, {
      ...(manifest.ledger === undefined ? {} : { ledger: manifest.ledger }),
      ...(manifest.given === undefined ? {} : { manifest: manifest.given }),
      ...(manifest.exhibit === undefined ? {} : { exhibit: manifest.exhibit }),
      // Without a ledger, the manifest can only be given or lie beside the bundle.
      ...(manifest.ledger === undefined
        ? {
            whereToLook: `give --manifest <file>${manifest.beside ? `, or put it beside the bundle as ${manifest.beside}` : ''}`,
          }
        : {}),
    });
    const file = {
      name: basename(path),
      size: again.size,
      digests: again.digests as Record<string, Uint8Array>,
    };
    if (again.differences === undefined) return { file };
    return {
      file,
      differences: `the ${EVIDENCE_WORDS[kind] ?? kind} differs from the registered one: ${again.differences}`,
    };
  }
  const plan = filePlan(bundleBytes);
  const { fh, size: onDisk } = await openRegularFile(path);
  await fh.close();
  if (!worthHashing(plan, onDisk)) return { file: { name: basename(path), size: onDisk, digests: {} } };
  const { digests, size } = await hashFile(path, plan.algorithms, out);
  return { file: { name: basename(path), size, digests: digests as Record<string, Uint8Array> } };
}

/** --manifest, checked before anything is hashed: it goes with --file, and must be there. */
export function checkManifestOption(o: { manifest?: string; file?: string }): void {
  if (o.manifest === undefined) return;
  if (o.file === undefined)
    throw new CustodyError(
      'USAGE',
      '--manifest names the files a folder given with --file differs in: give --file <folder>',
      'input',
    );
  // A regular file only (no FIFO, socket or link): it is read whole when the folder differs.
  closeSync(openRegularFileSync(o.manifest, 'manifest ').fd);
}

/** The manifest verify-bundle names a differing folder's files with: --manifest, else x.manifest beside x.custody. */
export function bundleManifest(bundlePath: string, given: string | undefined) {
  const beside = manifestBeside(bundlePath);
  const there = lstatSync(beside, { throwIfNoEntry: false })?.isFile() === true;
  return { given: given ?? (there ? beside : undefined), beside };
}
