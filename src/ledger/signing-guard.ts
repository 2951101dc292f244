/**
 * Never two histories (C2SP tlog-checkpoint: a log must never sign a
 * checkpoint inconsistent with one it signed before). A server keeps the last
 * checkpoint it signed outside the store that a restore would replace
 * (docs/SERVER.md §Never two histories) and, before it signs again, checks
 * that the store's tree still extends it: same root at that size, and no
 * fewer entries. A store restored from an older backup, or one that lags,
 * fails this, and the server refuses to sign until the store has caught up.
 *
 * Security assumption: the file of the last signed checkpoint survives a
 * restore of the ledger directory (it lives beside it, and is synced before
 * any append is acknowledged).
 */
import { equalBytes } from '../bytes.js';
import { openCheckpoint } from '../checkpoint/checkpoint.js';
import type { NoteVerifier } from '../checkpoint/note.js';
import { CustodyError } from '../errors.js';
import type { LedgerView } from './ledger-view.js';

export type SigningState = { ok: true; size: number } | { ok: false; reason: string };

/**
 * Whether the tree of `view` extends `lastSigned`, a checkpoint note signed by
 * `log` (NOTE_* / CHECKPOINT_* thrown when it is not): only then may the log
 * sign a new checkpoint over it.
 */
export async function checkSignedHistory(
  view: LedgerView,
  lastSigned: string,
  log: NoteVerifier,
): Promise<SigningState> {
  const { checkpoint } = openCheckpoint(lastSigned, log);
  const size = await view.head().then(
    (h) => h.size,
    () => 0,
  );
  if (size < checkpoint.size)
    return {
      ok: false,
      reason: `the store has ${size} entries, but this log already signed a checkpoint of ${checkpoint.size}: it was restored from an older backup or lags; bring back the missing entries (docs/SERVER.md §Never two histories)`,
    };
  if (!equalBytes(await view.rootAt(checkpoint.size), checkpoint.root))
    return {
      ok: false,
      reason: `the store's first ${checkpoint.size} entries are not those of the checkpoint this log signed: signing now would make a second history (docs/SERVER.md §Never two histories)`,
    };
  return { ok: true, size };
}

/** A checkpoint of this log that someone holds: `this server` (its own record), the store, a witness. */
export interface HeldCheckpoint {
  by: string;
  note: string;
}

/**
 * Why the log may not sign over the tree of `view` now, or undefined when it
 * may: the tree must extend every checkpoint of this log that is known. The
 * server's own record (`by: 'this server'`) must verify with the log key
 * (SIGNED_STATE_INVALID otherwise: the server does not start); a note of
 * someone else's that does not is not this log's, and says nothing.
 */
export async function signingRefusal(
  view: LedgerView,
  known: readonly HeldCheckpoint[],
  log: NoteVerifier,
): Promise<string | undefined> {
  for (const k of known) {
    let state: SigningState;
    try {
      state = await checkSignedHistory(view, k.note, log);
    } catch {
      if (k.by === 'this server')
        throw new CustodyError(
          'SIGNED_STATE_INVALID',
          'the last signed checkpoint kept beside the ledger does not verify with the log key',
          'unavailable',
        );
      continue;
    }
    if (!state.ok)
      return k.by === 'this server' ? state.reason : `${state.reason} (a checkpoint held by ${k.by})`;
  }
  return undefined;
}
