/**
 * Classification of checks and problems: what each failure blocks, and what
 * each check means in plain words.
 */
import type { Check } from '../bundle/verdict.js';
import { type ProblemArea, problemCodeInfo } from '../problem-codes.js';

/**
 * What a failed check or problem undermines. "core" failures (signatures,
 * chain, structure, anchor, custody rules, and anything this report does not
 * recognise) block every claim; the others block only the claims that rest on
 * them. Unknown check ids and codes are "core": the report errs on the side of
 * claiming less.
 */
export type Area = 'core' | 'checkpoint' | 'witness' | 'file' | 'recorded' | 'head';

export function checkArea(id: string): Area {
  const s = id.toLowerCase();
  if (/witness|cosign|quorum/.test(s)) return 'witness';
  if (/file/.test(s)) return 'file';
  if (/recorded|mismatch|seal/.test(s)) return 'recorded';
  if (/history-complete|head|last-event/.test(s)) return 'head';
  if (/checkpoint|inclusion|consisten/.test(s)) return 'checkpoint';
  return 'core';
}

/**
 * The report area of each area of the table of codes (src/problem-codes.ts).
 * Only a few areas block less than everything: the checkpoint and inclusion
 * proofs (tree), witnesses, the file in hand, recorded integrity, and the
 * exhibit's own record at the checkpoint, on which only the "no later event"
 * claim rests (head).
 */
const REPORT_AREA: Readonly<Record<ProblemArea, Area>> = {
  decoding: 'core',
  chain: 'core',
  signature: 'core',
  tree: 'checkpoint',
  map: 'core',
  head: 'head',
  store: 'core',
  custody: 'core',
  trust: 'core',
  witness: 'witness',
  file: 'file',
  integrity: 'recorded',
  verifier: 'core',
};

/** A verdict read back may carry a code this version does not know: it is "core". */
export function problemArea(code: string): Area {
  const info = problemCodeInfo(code);
  return info ? REPORT_AREA[info.area] : 'core';
}

export const CHECK_MEANING: Record<string, string> = {
  records:
    'Every record is in the one canonical encoding and well-formed, so each signature covers exactly one meaning.',
  signers: 'Every signer was enrolled by the authority, and was not revoked, when it signed.',
  'exhibit-links':
    "Every event of the exhibit (and of the exhibits it derives from) names the exhibit's previous event by its hash, from registration to the last event shown: none is missing.",
  openings:
    'Every name and free text shown opens the salted commitment that was signed, so it is the text the signer wrote; a field shown as withheld was not disclosed in this bundle.',
  'history-complete':
    "The ledger's state at the checkpoint, proven against the map root in the checkpoint's last entry, names the last event shown as the exhibit's last event: nothing was left out at the end.",
  'file-digests': 'The file you supplied has exactly the size and digests registered for the exhibit.',
  'bundle-structure':
    'The bundle file is complete and well-formed: every record is in the one canonical encoding, nothing is missing and nothing is left over.',
  'trust-anchor':
    'The ledger was founded by (or handed over to) an authority key that you supplied as trusted.',
  anchor: 'The ledger was founded by (or handed over to) an authority key that you supplied as trusted.',
  signatures:
    'Every entry carries a valid Ed25519 signature by the key of the person or office it names, so no entry was altered after it was signed.',
  'entry-signatures':
    'Every entry carries a valid Ed25519 signature by the key of the person or office it names, so no entry was altered after it was signed.',
  'hash-chain':
    'Every entry names the entry before it by its hash, so no entry was removed, inserted or reordered.',
  chain: 'Every entry names the entry before it by its hash, so no entry was removed, inserted or reordered.',
  'exhibit-chain':
    "Every event of the exhibit names the exhibit's previous event by its hash, so none of its events is missing.",
  'custody-rules':
    'Replayed in order, every event was allowed: only the holder handed the exhibit over, only the named receiver accepted it, hand-overs across borders name a legal basis, revoked keys signed nothing.',
  'checkpoint-signature':
    "The checkpoint (the log's signed statement of its size and Merkle root) is signed by the log's key.",
  inclusion:
    "The entries shown are part of the checkpoint's Merkle tree (RFC 9162 inclusion proofs): they are the entries the log committed to.",
  'inclusion-proofs':
    "The entries shown are part of the checkpoint's Merkle tree (RFC 9162 inclusion proofs): they are the entries the log committed to.",
  'inclusion-proof':
    "The entries shown are part of the checkpoint's Merkle tree (RFC 9162 inclusion proofs): they are the entries the log committed to.",
  'witness-quorum':
    'Enough independent witnesses cosigned the checkpoint, confirming that they were shown this same history and no conflicting one.',
  'recorded-integrity':
    'No receiver or examiner recorded a digest different from the registered one, and no seal was recorded as broken.',
  'file-digest': 'The file you supplied has exactly the digests registered for the exhibit.',
};

export const AREA_MEANING: Record<Area, string> = {
  core: '',
  checkpoint: 'Concerns the signed checkpoint and the proofs that the entries are included in it.',
  witness: 'Concerns the independent witnesses who cosign checkpoints.',
  file: 'Concerns the evidence file you supplied.',
  recorded: 'Concerns digests and seals recorded by receivers and examiners.',
  head: "Concerns the log's statement that no later event of the exhibit exists.",
};

export const VERDICT_TEXT: Record<Check['verdict'], string> = {
  pass: 'PASSED',
  fail: 'FAILED',
  'not-checked': 'NOT CHECKED',
};
