/**
 * A crossing: what a ledger hands a peer so that the peer can judge one of
 * this ledger's statements without asking (docs/FEDERATION.md §The
 * protocol). The exhibit's last event here — a hand-over to an actor of the
 * peer, or a receiver's answer to a hand-over the peer started — as a
 * foreign statement payload (src/format/foreign.ts): the statement, its
 * receipt against a checkpoint this log signed (with whatever cosignatures
 * the stored note carries), and the exhibit's record with its map proof
 * against the entry's map root.
 *
 * The current record is the one right after the entry: an exhibit's record
 * changes only with its own chain, and its head is still this statement.
 *
 * One crossing carries a statement of the peer's: a cancel of the peer's
 * hand-over, which this ledger imported before any answer of the receiver
 * here, goes back as the peer's own cancel with this ledger's entry that
 * carried it (`logged`): the confirmation (docs/FEDERATION.md §Cancelling a
 * hand-over between ledgers).
 */
import { equalBytes } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { ed25519NoteVerifier, parseNote } from '../checkpoint/note.js';
import { sha256 } from '../crypto/sha256.js';
import { encodeReceiverProof } from '../custody/receiver-proof.js';
import { type ExhibitRecord, encodeRecord, NS } from '../custody/records.js';
import { CustodyError } from '../errors.js';
import { decodeEntry } from '../format/entry.js';
import { encodeForeign } from '../format/foreign.js';
import { encodeMapProof, proveFromSource } from '../map/index.js';
import { type LedgerView, type LoggedStatement, storeOf } from './ledger-view.js';
import { logPublicKey } from './log-checkpoints.js';

export interface Crossing {
  /** The foreign statement payload for the peer. */
  payload: Uint8Array;
  /** The peer ledger it is for. */
  to: string;
  /** The statement carried, as logged here. */
  statement: LoggedStatement;
  /** A confirmation: the peer's own cancel, as this ledger logged it. */
  confirmation?: true;
}

const none = (why: string) => new CustodyError('CROSSING_NONE', why, 'input');

/**
 * The crossing of `exhibit`'s last event, against `checkpointNote` (signed by
 * this log's key, covering the event). CROSSING_NONE when the last event does
 * not cross: it is not this ledger's own, or not a hand-over to a peer or an
 * answer to one from a peer.
 */
export async function crossingOf(
  view: LedgerView,
  exhibit: Uint8Array,
  checkpointNote: string,
): Promise<Crossing> {
  const rec = await view.exhibit(exhibit);
  if (!rec) throw new CustodyError('EXHIBIT_UNKNOWN', 'no exhibit with this id is in this ledger', 'input');
  const store = storeOf(view);
  const index = await store.statementIndex(rec.head);
  if (index === undefined) return confirmationOf(view, exhibit, rec, checkpointNote);
  const statement = await view.statementAt(index);
  const s = statement.statement;
  const to = s.kind === 'cancel' && rec.cancelOf ? rec.toOrigin : await peerOf(view, exhibit, statement);
  if (to === undefined) throw none(`the exhibit's last event (a ${s.kind}) does not cross to another ledger`);
  const { receipt, proof } = await provenAt(view, index, checkpointNote, NS.exhibit, exhibit);
  // A hand-over carries the exhibit's registration: the receiving ledger learns what was registered.
  const registration = s.kind === 'transfer' ? (await view.registration(exhibit)).bytes : undefined;
  const payload = encodeForeign({
    statement: statement.bytes,
    receipt,
    record: encodeRecord(rec),
    proof: encodeMapProof(proof),
    ...(registration ? { registration } : {}),
  });
  return { payload, to, statement };
}

/** The confirmation of a peer's cancel this ledger imported: its foreign entry, proven, for the peer. */
async function confirmationOf(
  view: LedgerView,
  exhibit: Uint8Array,
  rec: ExhibitRecord,
  checkpointNote: string,
): Promise<Crossing> {
  const events = await view.history(exhibit);
  const last = events[events.length - 1];
  if (
    !last?.foreign ||
    last.statement.kind !== 'cancel' ||
    !equalBytes(last.id, rec.head) ||
    rec.state !== 'away' ||
    rec.holderOrigin === undefined
  )
    throw none(
      "the exhibit's last event came from another ledger: there is nothing of this ledger's to carry",
    );
  const { receipt, proof } = await provenAt(view, last.index, checkpointNote, NS.exhibit, exhibit);
  const payload = encodeForeign({
    statement: last.bytes,
    receipt,
    record: encodeRecord(rec),
    proof: encodeMapProof(proof),
    logged: last.foreign.payload,
  });
  return { payload, to: rec.holderOrigin, statement: last, confirmation: true };
}

/**
 * A receiver proof (src/custody/receiver-proof.ts) of `keyId` against
 * `checkpointNote` (signed by this log's key): the receipt of the
 * checkpoint's last entry and the map proof of the key's record at its root.
 * RECEIVER_PROOF_STALE when the record changed after that checkpoint: a
 * newer checkpoint is needed.
 */
export async function receiverProofOf(
  view: LedgerView,
  keyId: Uint8Array,
  checkpointNote: string,
): Promise<Uint8Array> {
  const size = parseCheckpoint(parseNote(checkpointNote).text).size;
  const { receipt, proof } = await provenAt(view, size - 1, checkpointNote, NS.key, keyId);
  const t = proof.terminal;
  let record: Uint8Array | undefined;
  if (t.kind === 'member') {
    record = await storeOf(view).record(NS.key, keyId);
    if (!record || !equalBytes(sha256(record), t.value))
      throw new CustodyError(
        'RECEIVER_PROOF_STALE',
        'the key record changed after the latest signed checkpoint: sign a newer one and ask again',
        'unavailable',
      );
  }
  return encodeReceiverProof({
    receipt,
    proof: encodeMapProof(proof),
    ...(record ? { record } : {}),
  });
}

/**
 * What a peer needs to see this ledger's state after entry `index`: the entry's receipt against
 * `checkpointNote` (signed by this log's key), and the map proof of (ns, key) at its map root.
 */
async function provenAt(
  view: LedgerView,
  index: number,
  checkpointNote: string,
  ns: string,
  key: Uint8Array,
) {
  const { origin } = await view.ledger();
  const log = ed25519NoteVerifier(origin, await logPublicKey(view));
  const receipt = await view.tlogReceipt(index, checkpointNote, log);
  const store = storeOf(view);
  const entryBytes = await store.entry(index);
  if (!entryBytes) throw new CustodyError('STORE_CORRUPT', `entry ${index} is missing`, 'unavailable');
  const { mapRoot } = decodeEntry(entryBytes).entry;
  const proof = await proveFromSource(mapRoot, ns, key, { node: (h) => store.mapNode(h) });
  return { receipt: receipt.text, proof };
}

/** The peer a statement crosses to: a hand-over's receiving ledger, or the ledger an answer goes back to. */
async function peerOf(
  view: LedgerView,
  exhibit: Uint8Array,
  l: LoggedStatement,
): Promise<string | undefined> {
  const s = l.statement;
  const to = s.body['to'];
  if (s.kind === 'transfer') return Array.isArray(to) && typeof to[0] === 'string' ? to[0] : undefined;
  if (s.kind !== 'accept' && s.kind !== 'reject') return undefined;
  // An answer crosses when what it answers was imported from a peer.
  const answered = (await view.history(exhibit)).find((e) => equalBytes(e.id, s.after!));
  return answered?.foreign ? answered.statement.origin : undefined;
}
