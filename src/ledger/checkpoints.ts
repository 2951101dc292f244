/**
 * Signing and storing the ledger's checkpoints (C2SP tlog-checkpoint as a signed
 * note), and attaching witness cosignatures to them.
 *
 * Security assumption: the ledger never signs two checkpoints that disagree.
 * One checkpoint per tree size is stored and re-used; before signing a new one
 * the latest stored checkpoint is checked to be a prefix of the current tree,
 * so a rewritten store cannot make the log key sign a conflicting history.
 */

import { equalBytes } from '../bytes.js';
import { formatCheckpoint, parseCheckpoint } from '../checkpoint/checkpoint.js';
import {
  formatNote,
  type NoteVerifier,
  parseNote,
  parseSignatureLine,
  signNoteLine,
} from '../checkpoint/note.js';
import type { Signer } from '../crypto/ed25519.js';
import { MAY_SIGN_CHECKPOINTS } from '../custody/roles.js';
import { CustodyError } from '../errors.js';
import { keyId } from '../format/ids.js';
import type { Ledger } from './ledger.js';

export interface StoredCheckpoint {
  size: number;
  note: string;
  root: Uint8Array;
}

export async function listCheckpoints(ledger: Ledger): Promise<StoredCheckpoint[]> {
  const out: StoredCheckpoint[] = [];
  for (const size of await ledger.store.checkpointSizes()) {
    const note = (await ledger.store.checkpoint(size))!;
    out.push({ size, note, root: parseCheckpoint(parseNote(note).text).root });
  }
  return out;
}

/** Signs (or re-uses) the checkpoint at the ledger's current size. */
export async function checkpointLedger(
  ledger: Ledger,
  signer: Signer,
): Promise<{ note: string; size: number; created: boolean }> {
  await ledger.flush();
  const size = ledger.size;
  const existing = await ledger.store.checkpoint(size);
  if (existing) {
    // Re-use only a checkpoint that is still true of the log (a store truncated and
    // regrown to the same size must not be served an old root).
    const cp = parseCheckpoint(parseNote(existing).text);
    if (!equalBytes(cp.root, ledger.root()))
      throw new CustodyError(
        'CHECKPOINT_INCONSISTENT',
        `the stored checkpoint at size ${size} does not match the log; run custody verify`,
        'verification',
      );
    return { note: existing, size, created: false };
  }
  const id = keyId(signer.publicKey);
  const actor = await ledger.actor(id);
  if (
    !actor ||
    actor.revokedSeq !== undefined ||
    actor.retiredSeq !== undefined ||
    !actor.roles.some((r) => MAY_SIGN_CHECKPOINTS.has(r))
  )
    throw new CustodyError(
      'CHECKPOINT_SIGNER_NOT_LOG',
      `${actor?.name ?? id} is not an active log key of this ledger`,
      'custody',
    );
  const sizes = await ledger.store.checkpointSizes();
  const last = sizes[sizes.length - 1];
  if (last !== undefined) {
    const prev = parseCheckpoint(parseNote((await ledger.store.checkpoint(last))!).text);
    if (prev.size > size || !equalBytes(prev.root, await ledger.rootAt(prev.size)))
      throw new CustodyError(
        'CHECKPOINT_INCONSISTENT',
        `the log no longer matches its checkpoint at size ${prev.size}; run custody verify`,
        'verification',
      );
  }
  const text = formatCheckpoint({ origin: ledger.origin, size, root: ledger.root() });
  const note = formatNote(text, [signNoteLine(text, ledger.origin, signer)]);
  await ledger.store.putCheckpoint(size, note);
  return { note, size, created: true };
}

/** Adds a verified cosignature line to the stored checkpoint of `size`. */
export async function attachCosignature(
  ledger: Ledger,
  size: number,
  line: string,
  witness: NoteVerifier,
): Promise<string> {
  const note = await ledger.store.checkpoint(size);
  if (!note) throw new CustodyError('CHECKPOINT_UNKNOWN', `no checkpoint at size ${size}`, 'input');
  const parsed = parseNote(note);
  const newLine = line.endsWith('\n') ? line : `${line}\n`;
  // The new line itself must be the named witness's valid signature over this checkpoint.
  let sig: ReturnType<typeof parseSignatureLine>;
  try {
    sig = parseSignatureLine(newLine);
  } catch {
    throw new CustodyError('COSIGNATURE_INVALID', 'the cosignature line is malformed', 'verification');
  }
  if (
    sig.name !== witness.name ||
    !equalBytes(sig.keyId, witness.keyId) ||
    !witness.verify(parsed.text, sig.signature)
  )
    throw new CustodyError(
      'COSIGNATURE_INVALID',
      `the line is not a valid cosignature by ${witness.name} of the checkpoint at size ${size}`,
      'verification',
    );
  if (parsed.signatures.some((s) => s.line === newLine)) return note;
  const withLine = formatNote(parsed.text, [...parsed.signatures.map((s) => s.line), newLine]);
  await ledger.store.putCheckpoint(size, withLine);
  return withLine;
}
