/**
 * What `custody register` checks and keeps besides hashing (issue 29):
 * labels that read as display ids, labels too similar to another in the
 * case, and the folder or segment-set manifest kept beside the ledger (or
 * handed to its server).
 *
 * The similar-label refusal is a rule of this program on append, never a
 * verifier code (a registration signed with `similarName: true` records that
 * the registrar saw the warning and went on).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { toHex } from '../src/bytes.js';
import { CustodyError } from '../src/errors.js';
import type { LedgerView } from '../src/ledger/ledger-view.js';
import { looksLikeDisplayId } from '../src/names/display-id.js';
import { similarLabels } from '../src/names/similar.js';
import { exhibitShort, serverOf } from './context.js';
import type { Acquired } from './evidence-kinds.js';
import { stageNewFile } from './files.js';
import type { GlobalOptions } from './io.js';
import { besideLedger } from './manifest-source.js';
import { isPostgresUrl } from './pg-ledger.js';
import { isLedgerUrl } from './remote.js';

/** A label that reads as an exhibit's display id would make a typed id find the wrong exhibit. */
export function refuseIdLikeLabel(label: string): void {
  if (looksLikeDisplayId(label))
    throw new CustodyError(
      'LABEL_LOOKS_LIKE_ID',
      `the label ${label} reads as an exhibit id (EX-XXXXX-XXXXX); choose a label that does not`,
      'input',
    );
}

const REASON = {
  'same-nfc': 'the same label',
  'same-case-folded': 'the same label in other letter case',
  confusable: 'a label that looks the same (Unicode confusables)',
} as const;

/** NAME_TOO_SIMILAR when another exhibit of the case has this label, or one confusable with it. */
export async function refuseSimilarLabel(view: LedgerView, label: string, caseRef: string): Promise<void> {
  const inCase = (await view.labels()).filter((x) => x.caseRef.normalize('NFC') === caseRef.normalize('NFC'));
  const [hit] = similarLabels(label, inCase);
  if (hit)
    throw new CustodyError(
      'NAME_TOO_SIMILAR',
      `case ${caseRef} already has exhibit ${exhibitShort(hit.entry.id)} labelled ${hit.entry.label}, ${REASON[hit.reason]} as ${label}; choose another label, or give --allow-similar-name if they are different exhibits`,
      'custody',
    );
}

/**
 * Keeps a folder's or segment set's manifest (docs/MANIFEST.md §Where
 * manifests are kept): at `--manifest-out` if given; beside a local ledger in
 * `<ledger>.manifests/<root>.manifest` (content-addressed: the same folder
 * twice is one file); for a ledger on a server, handed to the server, which
 * keeps it beside its ledger and gives it out by need to know. Called before
 * the append: a failed append leaves a manifest nobody points to, never a
 * registration whose manifest is missing. Returns where it went (a file, and
 * the server it was handed to), or undefined when there is no manifest.
 */
export async function keepManifest(
  a: Acquired,
  outPath: string | undefined,
  /** The command's options; undefined offline (no ledger: the working directory). */
  opts: GlobalOptions | undefined,
): Promise<{ file?: string; server?: string } | undefined> {
  if (!a.manifest) return undefined;
  const ledger = opts?.ledger;
  const file = outPath === undefined ? {} : { file: outPath };
  if (outPath !== undefined) stageNewFile(outPath, a.manifest.bytes).commit();
  if (opts && ledger !== undefined && isLedgerUrl(ledger)) {
    const server = serverOf(opts);
    await server.putManifest(a.manifest.root, a.manifest.bytes);
    return { ...file, server: server.base.origin };
  }
  if (outPath !== undefined || (ledger !== undefined && isPostgresUrl(ledger))) return file;
  // Offline (no ledger yet): in the working directory, to go with the statement file.
  const path =
    ledger === undefined
      ? resolve(`${toHex(a.manifest.root)}.manifest`)
      : besideLedger(ledger, a.manifest.root);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    stageNewFile(path, a.manifest.bytes).commit();
  }
  return { file: path };
}

/** "ewfacquire 20140608" */
export function reportedBy(a: Acquired): string {
  const r = a.fields['reported'] as { tool: string; version: string } | undefined;
  return r ? `${r.tool} ${r.version}` : '';
}
