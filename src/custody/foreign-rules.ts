/**
 * Foreign statements (payload type 3): another ledger's statement carried
 * with its evidence, judged here against the peer's tlog-policy that this
 * ledger's authority recorded (docs/FEDERATION.md §What each side proves,
 * docs/CUSTODY-RULES.md §Across ledgers). Pure, like every rule: the append
 * path and the replay run it alike, and nothing is fetched from the peer.
 *
 * The crossings judged:
 *   transfer  the sender's ledger handed the exhibit over to a receiver here:
 *             the exhibit becomes pending to that receiver in this ledger;
 *   accept,   the receiver's ledger answered a hand-over this ledger started:
 *   reject    the exhibit is away (held there) or held here again;
 *   cancel    the sender asks to take back a hand-over to a receiver here that
 *             nobody here answered yet: the exhibit is away again, back with
 *             its sender there; or, carried back with `logged`, this ledger's
 *             own cancel as the peer logged it (the confirmation): held here
 *             again. Whichever of the cancel and the receiver's answer the
 *             receiving ledger logs first wins; the other is refused there.
 *
 * What the evidence proves, and what it rests on: the receipt shows the
 * statement is entry i of the peer's log under a checkpoint signed by a log
 * key and cosigned by the witness quorum of the peer's policy; the map proof
 * shows the exhibit's record in the peer's state map right after entry i.
 * So the peer's ledger accepted the statement under its own rules — as far as
 * its map roots are honest, which its auditors check, not this ledger.
 */
import { equalBytes, utf8 } from '../bytes.js';
import { parseTlogProof, type VerifiedTlogProof } from '../checkpoint/tlog-proof.js';
import { sha256 } from '../crypto/sha256.js';
import { PAYLOAD_TYPES } from '../format/entry.js';
import { decodeForeign, type ForeignPayload } from '../format/foreign.js';
import { FormatError } from '../format/format-error.js';
import { KEY_PURPOSES } from '../format/key-id.js';
import { foldLabel } from '../format/text.js';
import { verifyMapProof } from '../map/index.js';
import { type Admitted, admit } from './admit.js';
import type { CustodyState, StagedWrite } from './custody-state.js';
import { signerIdOf } from './judge.js';
import { accept, isOutcome, type Outcome, type Placement, refuse, type Violation } from './judgement.js';
import { peerReceipt } from './peer-receipt.js';
import { hasAnyRole, MAY_HOLD } from './permissions.js';
import {
  type AnnotationRecord,
  decodeRecordBytes,
  type ExhibitRecord,
  type KeyRecord,
  type LedgerRecord,
  NS,
  type PeerRecord,
  shortBits,
} from './records.js';
import type { Touched } from './touched.js';

/** The kinds that cross between ledgers. */
const CROSSING = new Set(['transfer', 'accept', 'reject', 'cancel']);

export interface AdmittedForeign {
  payload: ForeignPayload;
  /** The carried statement, decoded, checked against the kinds table, its signatures verified. */
  inner: Admitted;
  /** The exhibit it is about. */
  exhibit: Uint8Array;
  /** With a transfer: the exhibit's registration, admitted; its identity is the exhibit's id. */
  registration?: Admitted;
  /** The ledger whose log the receipt is of: the statement's own, or for a confirmation the peer's. */
  via: string;
  /** A cancel confirmation: this ledger's own cancel, as the peer's entry (`payload.logged`) carried it. */
  confirmation: boolean;
}

/** Decodes a foreign payload and admits the statement it carries (signatures included). */
export function admitForeign(bytes: Uint8Array): AdmittedForeign | { violation: Violation } {
  let payload: ForeignPayload;
  try {
    payload = decodeForeign(bytes);
  } catch (e) {
    if (e instanceof FormatError) return { violation: { code: e.code, message: e.message } };
    throw e;
  }
  const inner = admit(payload.statement, true);
  if ('violation' in inner) return inner;
  const s = inner.statement;
  if (!CROSSING.has(s.kind) || !(s.exhibit instanceof Uint8Array))
    return {
      violation: {
        code: 'FOREIGN_KIND',
        message: `a ${s.kind} statement does not cross between ledgers (only transfer, accept, reject and cancel do)`,
      },
    };
  if (payload.logged) return confirmationOf(payload, inner, s.exhibit);
  if ((s.kind === 'transfer') !== (payload.registration !== undefined))
    return {
      violation: {
        code: 'FOREIGN_MALFORMED',
        message: 'a foreign transfer carries the exhibit’s registration, and only a transfer does',
      },
    };
  if (!payload.registration)
    return { payload, inner, exhibit: s.exhibit, via: s.origin, confirmation: false };
  const registration = admit(payload.registration, true);
  if ('violation' in registration) return registration;
  if (registration.statement.kind !== 'register' || !equalBytes(registration.id, s.exhibit))
    return {
      violation: {
        code: 'FOREIGN_STATE_UNPROVEN',
        message: 'the registration carried is not the exhibit’s (its identity is not the exhibit id)',
      },
    };
  return { payload, inner, exhibit: s.exhibit, registration, via: s.origin, confirmation: false };
}

/**
 * A cancel confirmation: `logged` is the peer's foreign payload carrying the
 * same cancel, and the receipt is of the peer's entry (whose origin the
 * receipt's checkpoint names).
 */
function confirmationOf(
  payload: ForeignPayload,
  inner: Admitted,
  exhibit: Uint8Array,
): AdmittedForeign | { violation: Violation } {
  const bad = (message: string): { violation: Violation } => ({
    violation: { code: 'FOREIGN_MALFORMED', message },
  });
  if (inner.statement.kind !== 'cancel') return bad('only a cancel comes back as the peer logged it');
  let logged: ForeignPayload;
  let via: string;
  try {
    logged = decodeForeign(payload.logged!);
    via = parseTlogProof(payload.receipt).checkpoint.origin;
  } catch (e) {
    return bad(`the peer's logged entry or its receipt does not decode (${(e as Error).message})`);
  }
  if (!equalBytes(logged.statement, payload.statement))
    return bad('the peer’s logged entry carries another statement than the cancel');
  return { payload, inner, exhibit, via, confirmation: true };
}

/**
 * The peer that confirmed a cancel, when `payload` is a cancel confirmation
 * (its receipt's origin); undefined otherwise. Decodes only: for display of
 * what the rules already judged.
 */
export function confirmingLedger(payload: Uint8Array): string | undefined {
  try {
    const f = decodeForeign(payload);
    return f.logged ? parseTlogProof(f.receipt).checkpoint.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The label and digest index keys of a carried registration (as a registration adds them). */
const registrationIndexes = (r: Admitted): Touched['indexes'] => {
  const b = r.statement.body;
  return [
    [NS.digest, [(b['digests'] as { sha256: Uint8Array }).sha256]],
    [NS.label, [b['caseRef'] as string, foldLabel(b['label'] as string)]],
  ];
};

/** The map keys judgeForeign reads (./touched.ts). */
export function touchedByForeign(f: AdmittedForeign): Touched {
  const keys: Touched['keys'] = [
    [NS.ledger, new Uint8Array(0)],
    [NS.peer, utf8(f.via)],
    [NS.exhibit, f.exhibit],
    [NS.crossed, f.inner.id],
  ];
  const to = f.inner.statement.body['to'];
  if (Array.isArray(to) && to[1] instanceof Uint8Array) keys.push([NS.key, to[1]]);
  const indexes: Touched['indexes'] = [[NS.short, ['EX', shortBits(f.exhibit)]]];
  if (f.registration) indexes.push(...registrationIndexes(f.registration));
  return { keys, indexes };
}

/**
 * The peer's receipt of the carried statement (of the peer's entry carrying
 * it, for a confirmation), verified against its policy; a refusal says why not.
 */
function checkReceipt(policyText: string, f: AdmittedForeign): VerifiedTlogProof | Outcome {
  const logged = f.confirmation ? f.payload.logged! : f.payload.statement;
  const v = peerReceipt(policyText, f.via, f.payload.receipt, logged);
  if (typeof v === 'string') return refuse('FOREIGN_RECEIPT_INVALID', `the peer's receipt ${v}`);
  const expected = f.confirmation ? PAYLOAD_TYPES.foreign : PAYLOAD_TYPES.statement;
  if (v.entry.payloadType !== expected)
    return refuse(
      'FOREIGN_RECEIPT_INVALID',
      `the peer's receipt is of an entry that is not ${f.confirmation ? 'a foreign statement' : 'a signed statement'}`,
    );
  return v;
}

/** The exhibit's record in the peer's map right after the entry, as proven; a refusal otherwise. */
function originRecord(f: AdmittedForeign, v: VerifiedTlogProof): ExhibitRecord | Outcome {
  const unproven = (why: string) => refuse('FOREIGN_STATE_UNPROVEN', why);
  const m = verifyMapProof(v.entry.mapRoot, NS.exhibit, f.exhibit, f.payload.proof);
  if (!m.ok) return unproven(`the map proof of the exhibit in ${v.origin} does not verify (${m.reason})`);
  if (!m.present) return unproven(`${v.origin}'s map has no record of the exhibit after the entry`);
  const rec = decodeRecordBytes<ExhibitRecord>(f.payload.record);
  if (!rec || !equalBytes(sha256(f.payload.record), m.value))
    return unproven(`the exhibit record carried is not the one ${v.origin}'s map commits to`);
  if (!(rec.head instanceof Uint8Array) || !equalBytes(rec.head, f.inner.id))
    return unproven(
      `${v.origin} did not accept the statement: the exhibit's last statement there is another`,
    );
  return rec;
}

/** Decides whether the foreign statement `f` may be appended at `at` after `state`. */
export function judgeForeign(state: CustodyState, f: AdmittedForeign, at: Placement): Outcome {
  const ledger = state.get<LedgerRecord>(NS.ledger, new Uint8Array(0));
  if (!ledger) return refuse('GENESIS_MISSING', 'the first entry of a ledger must be genesis');
  const s = f.inner.statement;
  if ((s.origin === ledger.origin) !== f.confirmation)
    return refuse(
      'ORIGIN_MISMATCH',
      f.confirmation
        ? 'a cancel confirmation carries this ledger’s own cancel'
        : 'a statement of this ledger is appended as itself, not as a foreign one',
    );
  const peer = state.get<PeerRecord>(NS.peer, utf8(f.via));
  if (!peer) return refuse('PEER_UNKNOWN', `${f.via} is not a peer of this ledger`);
  const v = checkReceipt(peer.policy, f);
  if (isOutcome(v)) return v;
  const theirs = originRecord(f, v);
  if (isOutcome(theirs)) return theirs;
  // Once imported, a crossing never counts again: a hand-over rejected here and replayed would
  // otherwise put the exhibit in transit here while its sender holds it again (two holders).
  if (state.get(NS.crossed, f.inner.id))
    return refuse('STATEMENT_DUPLICATE', 'this statement was already imported into this ledger');
  const ours = state.get<ExhibitRecord>(NS.exhibit, f.exhibit);
  const o = f.confirmation
    ? confirmed(f, ledger.origin, theirs, ours, at)
    : s.kind === 'transfer'
      ? imported(state, f, ledger.origin, theirs, ours, at)
      : s.kind === 'cancel'
        ? withdrawn(f, ledger.origin, theirs, ours, at)
        : answered(f, ledger.origin, theirs, ours, at);
  if (!o.ok) return o;
  const crossed: AnnotationRecord = { v: 1, at: at.index };
  return accept([...o.writes, { ns: NS.crossed, key: f.inner.id, record: crossed }]);
}

/** A hand-over from the peer to a receiver here: the exhibit is pending to that receiver. */
function imported(
  state: CustodyState,
  f: AdmittedForeign,
  own: string,
  theirs: ExhibitRecord,
  ours: ExhibitRecord | undefined,
  at: Placement,
): Outcome {
  const s = f.inner.statement;
  const to = s.body['to'];
  if (!Array.isArray(to) || to[0] !== own || !(to[1] instanceof Uint8Array))
    return refuse('IMPORT_WRONG_RECEIVER', `the hand-over is not to an actor of ${own}`);
  const receiverId = to[1];
  if (
    theirs.state !== 'pending' ||
    theirs.toOrigin !== own ||
    !(theirs.to instanceof Uint8Array) ||
    !equalBytes(theirs.to, receiverId)
  )
    return refuse(
      'FOREIGN_STATE_UNPROVEN',
      `${s.origin} does not show the exhibit in transit to this receiver`,
    );
  const receiver = state.get<KeyRecord>(NS.key, receiverId);
  if (!receiver || receiver.purpose !== KEY_PURPOSES.statement)
    return refuse('RECEIVER_UNKNOWN', 'the receiver is not an enrolled actor of this ledger');
  if (receiver.revokedAt !== undefined && receiver.revokedAt <= at.index)
    return refuse('RECEIVER_REVOKED', 'the receiver has been revoked');
  if (!hasAnyRole(receiver.roles, MAY_HOLD))
    return refuse('RECEIVER_NOT_PERMITTED', 'the receiver may not hold evidence');
  // An exhibit is held in one ledger at a time: here only if it left for elsewhere before.
  if (ours && ours.state !== 'away')
    return refuse(
      'TRANSFER_CONFLICT',
      `the exhibit is ${ours.state} in this ledger: it cannot also arrive from ${s.origin}`,
    );
  const rec: ExhibitRecord = {
    v: 1,
    head: f.inner.id,
    at: at.index,
    holder: signerIdOf(s.signer.key),
    holderOrigin: s.origin,
    state: 'pending',
    to: receiverId,
    sha256: theirs.sha256,
  };
  if (theirs.parent instanceof Uint8Array) rec.parent = theirs.parent;
  const reg = f.registration!;
  const digests = reg.statement.body['digests'] as { sha256: Uint8Array };
  if (!equalBytes(digests.sha256, theirs.sha256))
    return refuse(
      'FOREIGN_STATE_UNPROVEN',
      'the registration carried is not the one the exhibit’s record names',
    );
  // Its first arrival makes the exhibit findable here by short id, label and digest, as a registration does.
  const found = ours
    ? []
    : [
        ...state.indexAdd(NS.short, ['EX', shortBits(f.exhibit)], f.exhibit),
        ...registrationIndexes(reg).flatMap(([ns, k]) => state.indexAdd(ns, k, f.exhibit)),
      ];
  return accept([{ ns: NS.exhibit, key: f.exhibit, record: rec }, ...found]);
}

/** The peer's receiver answered a hand-over this ledger started: away (accepted) or held again (rejected). */
function answered(
  f: AdmittedForeign,
  own: string,
  theirs: ExhibitRecord,
  ours: ExhibitRecord | undefined,
  at: Placement,
): Outcome {
  const s = f.inner.statement;
  if (!ours) return refuse('EXHIBIT_UNKNOWN', 'no exhibit with this id is in this ledger');
  if (ours.state !== 'pending' || ours.toOrigin !== s.origin)
    return refuse('NO_PENDING_TRANSFER', `there is no hand-over to ${s.origin} to answer`);
  // A cancel requested here meanwhile does not change what the receiver answered.
  if (!equalBytes(s.after!, ours.cancelOf ?? ours.head))
    return refuse('FOREIGN_LINK_BROKEN', 'the answer does not follow this ledger’s hand-over');
  const signer = signerIdOf(s.signer.key);
  if (!equalBytes(ours.to!, signer)) return refuse('NOT_RECEIVER', 'only the named receiver may answer');
  const accepted = s.kind === 'accept';
  const shown = accepted
    ? theirs.state === 'held' && theirs.holderOrigin === undefined && equalBytes(theirs.holder, signer)
    : theirs.state === 'away' && theirs.holderOrigin === own;
  if (!shown) return refuse('FOREIGN_STATE_UNPROVEN', `${s.origin}'s map does not show the ${s.kind}`);
  const next: ExhibitRecord = { ...ours, head: f.inner.id, at: at.index };
  delete next.to;
  delete next.toOrigin;
  delete next.cancelOf;
  if (accepted) {
    next.state = 'away';
    next.holder = signer;
    next.holderOrigin = s.origin;
  } else next.state = 'held';
  const write: StagedWrite = { ns: NS.exhibit, key: f.exhibit, record: next };
  return accept([write]);
}

/**
 * The sender, in the peer's ledger, takes back a hand-over to a receiver here
 * that nobody here answered: the exhibit is away again, with its sender
 * there. After the receiver's answer here, it is refused: the answer came
 * first, and the sender's ledger will import it.
 */
function withdrawn(
  f: AdmittedForeign,
  own: string,
  theirs: ExhibitRecord,
  ours: ExhibitRecord | undefined,
  at: Placement,
): Outcome {
  const s = f.inner.statement;
  if (!ours) return refuse('EXHIBIT_UNKNOWN', 'no exhibit with this id is in this ledger');
  if (ours.state !== 'pending' || ours.holderOrigin !== s.origin)
    return refuse(
      'NO_PENDING_TRANSFER',
      `there is no hand-over from ${s.origin} waiting here: the receiver already answered it, or it never arrived`,
    );
  if (!equalBytes(s.after!, ours.head))
    return refuse('FOREIGN_LINK_BROKEN', 'the cancel does not follow the hand-over that arrived here');
  if (!equalBytes(signerIdOf(s.signer.key), ours.holder))
    return refuse('NOT_HOLDER', 'only the sender may cancel the hand-over');
  if (
    theirs.state !== 'pending' ||
    theirs.toOrigin !== own ||
    !(theirs.cancelOf instanceof Uint8Array) ||
    !equalBytes(theirs.cancelOf, ours.head)
  )
    return refuse('FOREIGN_STATE_UNPROVEN', `${s.origin}'s map does not show the cancel of this hand-over`);
  const next: ExhibitRecord = { ...ours, head: f.inner.id, at: at.index, state: 'away' };
  delete next.to;
  return accept([{ ns: NS.exhibit, key: f.exhibit, record: next }]);
}

/**
 * The peer's ledger logged this ledger's cancel before any answer of its
 * receiver: nothing was accepted there, and the exhibit is held here again.
 */
function confirmed(
  f: AdmittedForeign,
  own: string,
  theirs: ExhibitRecord,
  ours: ExhibitRecord | undefined,
  at: Placement,
): Outcome {
  if (!ours) return refuse('EXHIBIT_UNKNOWN', 'no exhibit with this id is in this ledger');
  if (ours.state !== 'pending' || ours.toOrigin !== f.via || !equalBytes(ours.head, f.inner.id))
    return refuse('NO_PENDING_TRANSFER', `no cancel of a hand-over to ${f.via} waits here`);
  if (theirs.state !== 'away' || theirs.holderOrigin !== own)
    return refuse('FOREIGN_STATE_UNPROVEN', `${f.via}'s map does not show the hand-over cancelled`);
  const next: ExhibitRecord = { ...ours, at: at.index, state: 'held' };
  delete next.to;
  delete next.toOrigin;
  delete next.cancelOf;
  return accept([{ ns: NS.exhibit, key: f.exhibit, record: next }]);
}
