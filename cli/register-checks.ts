/**
 * What `custody register` checks and keeps besides hashing (issue 29):
 * labels that read as display ids, labels too similar to another in the
 * case, and the folder or segment-set manifest kept beside the ledger.
 *
 * The similar-label refusal is a rule of this program on append, never a
 * verifier code (a registration signed with `similarName: true` records that
 * the registrar saw the warning and went on).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { toHex } from '../src/bytes.js';
import { CustodyError } from '../src/errors.js';
import type { LedgerView } from '../src/ledger/ledger-view.js';
import { looksLikeDisplayId } from '../src/names/display-id.js';
import { similarLabels } from '../src/names/similar.js';
import { exhibitShort } from './context.js';
import type { Acquired } from './evidence-kinds.js';
import { stageNewFile } from './files.js';
import type { Output } from './io.js';
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
 * Keeps a folder's or segment set's manifest (docs/MANIFEST.md): at
 * `--manifest-out`, or beside a local ledger in `<ledger>.manifests/<root>.manifest`
 * (content-addressed: the same folder twice is one file), or for a ledger
 * on a server in the working directory. Returns where, or undefined when
 * there is no manifest.
 */
export function keepManifest(
  a: Acquired,
  outPath: string | undefined,
  ledger: string | undefined,
  out: Output,
): string | undefined {
  if (!a.manifest) return undefined;
  const name = `${toHex(a.manifest.root)}.manifest`;
  let path = outPath;
  if (path === undefined) {
    const local = ledger !== undefined && !isLedgerUrl(ledger) && !isPostgresUrl(ledger);
    const dir = local ? `${resolve(ledger)}.manifests` : '.';
    path = resolve(dir, name);
    if (existsSync(path)) return path;
    mkdirSync(dir, { recursive: true });
  }
  stageNewFile(path, a.manifest.bytes).commit();
  if (outPath === undefined && !out.opts.quiet && ledger !== undefined && isLedgerUrl(ledger))
    out.note(`the ledger is on a server: the manifest is kept here, in ${path}`);
  return path;
}

/** "ewfacquire 20140608" */
export function reportedBy(a: Acquired): string {
  const r = a.fields['reported'] as { tool: string; version: string } | undefined;
  return r ? `${r.tool} ${r.version}` : '';
}
