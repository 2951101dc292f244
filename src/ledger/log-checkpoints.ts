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
import { addLogMlDsaLine } from '../checkpoint/dual-signed.js';
import {
  formatNote,
  type NoteVerifier,
  parseNote,
  parseSignatureLine,
  signNoteLine,
} from '../checkpoint/note.js';
import type { Signer } from '../crypto/ed25519.js';
import type { MlDsa44Signer } from '../crypto/ml-dsa.js';
import { CustodyError } from '../errors.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../format/key-id.js';
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

/**
 * The log's ML-DSA-44 key must be one the authority enrolled for purpose log
 * and that is still alive (docs/PROOFS.md §Dual-signed checkpoints): a key
 * the ledger does not name would add a line no verifier can anchor.
 */
async function checkMlDsaLogKey(view: LedgerView, pq: MlDsa44Signer): Promise<void> {
  const rec = await view.key(keyIdOf({ type: KEY_TYPES.mldsa44, publicKey: pq.publicKey }, KEY_PURPOSES.log));
  if (!rec)
    throw new CustodyError(
      'CHECKPOINT_SIGNER_NOT_LOG',
      'this ML-DSA-44 key is not enrolled as a log key of this ledger (custody authority add-log-key)',
      'input',
    );
  if (rec.revokedAt !== undefined || rec.compromisedSince !== undefined)
    throw new CustodyError('CHECKPOINT_SIGNER_NOT_LOG', 'this ML-DSA-44 log key was revoked', 'input');
}

export interface SignCheckpointOptions {
  /** The log's enrolled ML-DSA-44 key: the checkpoint is then dual-signed. */
  readonly mlDsa?: MlDsa44Signer;
  /** POSIX seconds for the ML-DSA-44 line's timestamp (default: now). */
  readonly now?: number;
}

/**
 * Signs (or re-uses) the checkpoint of the whole log as stored now. With
 * `mlDsa`, the checkpoint is dual-signed: a re-used one without the log's
 * ML-DSA-44 line gets it (the same text, so nothing conflicting is signed).
 */
export async function signLogCheckpoint(
  view: LedgerView,
  signer: Signer,
  opts: SignCheckpointOptions = {},
): Promise<{ note: string; size: number; created: boolean; dualSigned: boolean }> {
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
  if (opts.mlDsa) await checkMlDsaLogKey(view, opts.mlDsa);
  const dual = async (note: string): Promise<string> => {
    if (!opts.mlDsa) return note;
    const now = opts.now ?? Math.floor(Date.now() / 1000);
    const withLine = addLogMlDsaLine(note, origin, opts.mlDsa, now);
    if (withLine !== note) await storeOf(view).putCheckpoint(size, withLine);
    return withLine;
  };
  const existing = await view.checkpoint(size);
  if (existing) {
    // Re-use only a checkpoint still true of the log.
    if (!equalBytes(parseCheckpoint(parseNote(existing).text).root, root)) throw inconsistent(size);
    const note = await dual(existing);
    return { note, size, created: false, dualSigned: opts.mlDsa !== undefined };
  }
  const latest = await view.latestCheckpoint();
  if (latest !== undefined) {
    const prev = parseCheckpoint(parseNote(latest.note).text);
    if (prev.size > size || !equalBytes(prev.root, await view.rootAt(prev.size)))
      throw inconsistent(prev.size);
  }
  const text = formatCheckpoint({ origin, size, root });
  const signed = formatNote(text, [signNoteLine(text, origin, signer)]);
  // Both lines are made before anything is stored: the stored note is never half dual-signed.
  const note = opts.mlDsa
    ? addLogMlDsaLine(signed, origin, opts.mlDsa, opts.now ?? Math.floor(Date.now() / 1000))
    : signed;
  await storeOf(view).putCheckpoint(size, note);
  return { note, size, created: true, dualSigned: opts.mlDsa !== undefined };
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
