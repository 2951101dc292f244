/**
 * Signing and storing a v2 ledger's checkpoints (C2SP tlog-checkpoint as a
 * signed note, key name = the origin) and attaching witness cosignatures.
 * The log key is the one genesis names (docs/FORMAT.md §Kinds, `logKey`);
 * its private key is held by whoever runs `custody checkpoint --log-key`,
 * never by the ledger directory.
 *
 * Security assumption: the log never signs two checkpoints that disagree.
 * One checkpoint per tree size is stored and re-used; before a new one is
 * signed, the latest stored checkpoint is checked to be a prefix of the
 * current tree, so a rewritten store cannot make the log key sign a
 * conflicting history.
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
import { CustodyError } from '../errors.js';
import { wireKey } from '../format/kinds.js';
import type { LogStore } from '../store/log-store.js';
import { LedgerView, type StoredCheckpoint, storeOf } from './ledger-view.js';

export type { StoredCheckpoint } from './ledger-view.js';

/** Every stored checkpoint of a store (LedgerView.checkpoints). */
export function listCheckpoints(store: LogStore): Promise<StoredCheckpoint[]> {
  return new LedgerView(store).checkpoints();
}

/** The log public key genesis names. */
export async function logPublicKey(view: LedgerView): Promise<Uint8Array> {
  const g = await view.statementAt(0);
  return wireKey(g.statement.body['logKey']).publicKey;
}

const inconsistent = (size: number) =>
  new CustodyError(
    'CHECKPOINT_INCONSISTENT',
    `the log no longer matches its checkpoint at size ${size}; run custody verify`,
    'verification',
  );

/** Signs (or re-uses) the checkpoint of the whole log as stored now. */
export async function signLogCheckpoint(
  view: LedgerView,
  signer: Signer,
): Promise<{ note: string; size: number; created: boolean }> {
  const { size } = await view.head();
  const { origin } = await view.ledger();
  const root = await view.rootAt(size);
  // The key is checked even when a stored checkpoint is re-used: a wrong key is always said.
  if (!equalBytes(signer.publicKey, await logPublicKey(view)))
    throw new CustodyError(
      'CHECKPOINT_SIGNER_NOT_LOG',
      'this key is not the log key named in the genesis statement',
      'input',
    );
  const existing = await view.checkpoint(size);
  if (existing) {
    // Re-use only a checkpoint still true of the log.
    if (!equalBytes(parseCheckpoint(parseNote(existing).text).root, root)) throw inconsistent(size);
    return { note: existing, size, created: false };
  }
  const latest = await view.latestCheckpoint();
  if (latest !== undefined) {
    const prev = parseCheckpoint(parseNote(latest.note).text);
    if (prev.size > size || !equalBytes(prev.root, await view.rootAt(prev.size)))
      throw inconsistent(prev.size);
  }
  const text = formatCheckpoint({ origin, size, root });
  const note = formatNote(text, [signNoteLine(text, origin, signer)]);
  await storeOf(view).putCheckpoint(size, note);
  return { note, size, created: true };
}

/** Adds a verified cosignature line to the stored checkpoint of `size`. */
export async function attachCosignature(
  view: LedgerView,
  size: number,
  line: string,
  witness: NoteVerifier,
): Promise<string> {
  const note = await view.checkpoint(size);
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
  await storeOf(view).putCheckpoint(size, withLine);
  return withLine;
}
