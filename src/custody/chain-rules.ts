/**
 * Rules of the chain-class kinds (docs/CUSTODY-RULES.md §Custody). Register
 * has its own; every other kind's rule is derived from its view in the kinds
 * table (src/format/kinds.ts: actor, roles, custody effect). Every chain statement
 * names its exhibit and the identity of the exhibit's previous chain
 * statement (`after`); the holder alone hands over, the named receiver alone
 * accepts, and nothing moves once disposed.
 */
import { equalBytes, utf8 } from '../bytes.js';
import type { Canonical } from '../format/canonical.js';
import { KEY_PURPOSES } from '../format/key-id.js';
import { CHAIN_KINDS, type ChainKind, type ChainView, chainView, type RoleV2 } from '../format/kinds.js';
import { foldLabel } from '../format/text.js';
import type { Digests } from '../format/vocabulary.js';
import type { StagedWrite } from './custody-state.js';
import { accept, type Context, isOutcome, type Outcome, refuse } from './judgement.js';
import { opened, openIn, openWrite } from './nonconformities.js';
import { hasAnyRole, MAY_DERIVE, MAY_HOLD } from './permissions.js';
import { type ExhibitRecord, type KeyRecord, NS, type PeerRecord, shortBits } from './records.js';

/** The exhibit a chain statement advances, if it is in this ledger and its link holds. */
function linked(c: Context): { id: Uint8Array; rec: ExhibitRecord } | Outcome {
  const x = c.statement.exhibit!;
  if (!(x instanceof Uint8Array))
    return refuse(
      'EXHIBIT_FOREIGN',
      'statements about another ledger’s exhibit come with the federation capability',
    );
  const rec = c.state.get<ExhibitRecord>(NS.exhibit, x);
  if (!rec) return refuse('EXHIBIT_UNKNOWN', 'no exhibit with this id is registered in this ledger');
  if (equalBytes(rec.head, c.id))
    return refuse('STATEMENT_DUPLICATE', 'this statement is already in the log');
  if (!equalBytes(c.statement.after!, rec.head))
    return refuse(
      'EXHIBIT_LINK_BROKEN',
      'after is not the exhibit’s last statement (another one came first)',
    );
  if (rec.state === 'disposed') return refuse('EXHIBIT_DISPOSED', 'the exhibit has been disposed of');
  if (rec.state === 'away')
    return refuse('EXHIBIT_ELSEWHERE', `the exhibit is held in ${rec.holderOrigin ?? 'another ledger'}`);
  return { id: x, rec };
}
/** A change to an exhibit record; an undefined member removes it. */
type Change = { [K in keyof ExhibitRecord]?: ExhibitRecord[K] | undefined };

const moved = (c: Context, id: Uint8Array, rec: ExhibitRecord, change: Change): StagedWrite => {
  const next = { ...rec, ...change, head: c.id, at: c.at.index } as ExhibitRecord;
  if (next.state !== 'pending') {
    delete next.to;
    delete next.toOrigin;
    delete next.cancelOf;
  }
  // A holder here again ends the peer's holding (canonical encoding has no undefined member).
  if (next.holderOrigin === undefined) delete next.holderOrigin;
  return { ns: NS.exhibit, key: id, record: next };
};

/** The holder of a held exhibit, acting on it. */
function asHolder(c: Context, rec: ExhibitRecord): Outcome | undefined {
  if (rec.state === 'pending') return refuse('EXHIBIT_IN_TRANSIT', 'the exhibit is being handed over');
  if (!equalBytes(rec.holder, c.signerId)) return refuse('NOT_HOLDER', 'only the holder may do this');
  return undefined;
}

function register(c: Context): Outcome {
  const b = c.statement.body;
  const signer = c.signer!;
  const digests = b['digests'] as unknown as Digests;
  if (c.state.get(NS.exhibit, c.id))
    return refuse('STATEMENT_DUPLICATE', 'this registration is already in the log');
  const seizedAt = b['seizedAt'] as number | undefined;
  if (seizedAt !== undefined && seizedAt > c.statement.time)
    return refuse('SEIZED_AFTER_REGISTRATION', 'seizedAt is later than the registration');
  const writes: StagedWrite[] = [];
  let parent: Uint8Array | undefined;
  if (c.statement.exhibit) {
    const l = linked(c);
    if (isOutcome(l)) return l;
    const h = asHolder(c, l.rec);
    if (h) return h;
    if (!hasAnyRole(signer.roles, MAY_DERIVE))
      return refuse('NOT_PERMITTED', 'only an examiner may register a derived copy');
    parent = l.id;
    writes.push(moved(c, l.id, l.rec, {}));
  } else {
    const roles = chainView('register').roles ?? [];
    if (!hasAnyRole(signer.roles, roles))
      return refuse('NOT_PERMITTED', `only ${anyOf(roles)} may ${chainView('register').verb}`);
    if (c.state.lookup(NS.digest, [digests.sha256]).length > 0 && b['duplicate'] !== true)
      return refuse(
        'DUPLICATE_DIGEST',
        'these bytes are already registered; sign with duplicate to register them again',
      );
  }
  const rec: ExhibitRecord = {
    v: 1,
    head: c.id,
    at: c.at.index,
    holder: c.signerId,
    state: 'held',
    sha256: digests.sha256,
  };
  if (parent) rec.parent = parent;
  return accept([
    ...writes,
    { ns: NS.exhibit, key: c.id, record: rec },
    ...c.state.indexAdd(NS.label, [b['caseRef'] as string, foldLabel(b['label'] as string)], c.id),
    ...c.state.indexAdd(NS.digest, [digests.sha256], c.id),
    ...c.state.indexAdd(NS.short, ['EX', shortBits(c.id)], c.id),
  ]);
}

/** "a custodian or a court": the roles of a refusal message. */
const anyOf = (roles: readonly RoleV2[]) =>
  roles.map((r) => `${/^[aeiou]/.test(r) ? 'an' : 'a'} ${r}`).join(' or ');

/** Whether the signer stands where the kind's actor must (docs/CUSTODY-RULES.md §Custody). */
function asActor(c: Context, rec: ExhibitRecord, view: ChainView): Outcome | undefined {
  switch (view.actor) {
    case 'registrant':
    case 'holder':
      return asHolder(c, rec);
    case 'receiver':
      if (rec.state !== 'pending')
        return refuse('NO_PENDING_TRANSFER', `there is no hand-over to ${view.verb}`);
      // The receiver of a hand-over to a peer acts in its own ledger, which then answers here.
      if (rec.toOrigin !== undefined)
        return refuse(
          'NOT_RECEIVER',
          `the receiver acts in ${rec.toOrigin}, whose answer this ledger imports`,
        );
      return equalBytes(rec.to!, c.signerId)
        ? undefined
        : refuse('NOT_RECEIVER', `only the named receiver may ${view.verb}`);
    case 'sender':
      if (rec.state !== 'pending')
        return refuse('NO_PENDING_TRANSFER', `there is no hand-over to ${view.verb}`);
      // A hand-over from a peer is cancelled by its sender there, never here (FEDERATION.md).
      if (rec.holderOrigin !== undefined)
        return refuse(
          'CANCEL_ACROSS_LEDGERS',
          `the hand-over came from ${rec.holderOrigin}: its sender cancels it there, or the receiver rejects it`,
        );
      // To a peer, a cancel is a request the receiving ledger answers; one at a time.
      if (rec.cancelOf !== undefined)
        return refuse(
          'CANCEL_ALREADY_REQUESTED',
          `a cancel of this hand-over already waits for ${rec.toOrigin}'s answer`,
        );
      return equalBytes(rec.holder, c.signerId)
        ? undefined
        : refuse('NOT_HOLDER', `only the sender may ${view.verb}`);
    default: {
      const unhandled: never = view.actor;
      return refuse('NOT_PERMITTED', `no rule for actor ${String(unhandled)}`);
    }
  }
}

/**
 * A hand-over to an actor of a peer ledger (docs/FEDERATION.md): the peer must
 * be recorded, and the legal basis named; whether the receiver is an active
 * actor there is the peer's to decide when it imports the hand-over.
 */
function peerReceiver(c: Context, to: Canonical): Change | Outcome {
  const [origin, id] = to as [string, Uint8Array];
  if (!c.state.get<PeerRecord>(NS.peer, utf8(origin)))
    return refuse('RECEIVER_FOREIGN', `${origin} is not a peer of this ledger`);
  // Body version 2 is the structured legal basis: instrument, issuing and executing authorities,
  // reference and date (the kinds table makes each required there).
  if (c.statement.body['instrument'] === undefined)
    return refuse(
      'LEGAL_BASIS_MISSING',
      'a hand-over to another ledger names its legal basis in full: instrument, issuing and executing authorities, reference and date',
    );
  return { state: 'pending', to: id, toOrigin: origin };
}

/** The receiver a hand-over names must be an actor of this ledger who may hold, across a border only with a legal basis. */
function receiverOf(c: Context): Change | Outcome {
  const to = c.statement.body['to']!;
  if (!(to instanceof Uint8Array)) return peerReceiver(c, to);
  if (equalBytes(to, c.signerId)) return refuse('TRANSFER_TO_SELF', 'the holder cannot hand over to itself');
  const receiver = c.state.get<KeyRecord>(NS.key, to);
  if (!receiver || receiver.purpose !== KEY_PURPOSES.statement)
    return refuse('RECEIVER_UNKNOWN', 'the receiver is not an enrolled actor of this ledger');
  if (receiver.revokedAt !== undefined) return refuse('RECEIVER_REVOKED', 'the receiver has been revoked');
  if (!hasAnyRole(receiver.roles, MAY_HOLD))
    return refuse('RECEIVER_NOT_PERMITTED', 'the receiver may not hold evidence');
  if (receiver.jurisdiction !== c.signer!.jurisdiction && c.statement.body['legalBasis'] === undefined)
    return refuse('LEGAL_BASIS_MISSING', 'a hand-over across a border names its legal basis');
  return { state: 'pending', to };
}

/**
 * The rule of every chain kind but register, from its view in the kinds
 * table: the link holds, the signer is the kind's actor and holds one of its
 * roles, then the custody effect moves the exhibit record.
 */
function advance(c: Context, view: ChainView): Outcome {
  const l = linked(c);
  if (isOutcome(l)) return l;
  const a = asActor(c, l.rec, view);
  if (a) return a;
  if (view.roles && !hasAnyRole(c.signer!.roles, view.roles))
    return refuse('NOT_PERMITTED', `only ${anyOf(view.roles)} may ${view.verb}`);
  let change: Change;
  switch (view.custody) {
    case 'hand-over': {
      const to = receiverOf(c);
      if (isOutcome(to)) return to;
      change = to;
      break;
    }
    case 'receive':
      change = { state: 'held', holder: c.signerId, holderOrigin: undefined };
      break;
    case 'return':
      // A cancel of a hand-over to a peer only asks: the exhibit stays pending until the peer's
      // ledger answers, by importing the cancel (nothing accepted) or the receiver's answer.
      if (view.actor === 'sender' && l.rec.toOrigin !== undefined) change = { cancelOf: l.rec.head };
      // Refused by a receiver here, a hand-over from a peer leaves the exhibit with its sender there.
      else change = { state: l.rec.holderOrigin === undefined ? 'held' : 'away' };
      break;
    case 'end':
      change = { state: 'disposed' };
      break;
    case 'none':
    case 'register':
      change = {};
      break;
    default: {
      const unhandled: never = view.custody;
      return refuse('NOT_PERMITTED', `no rule for custody effect ${String(unhandled)}`);
    }
  }
  return accept([moved(c, l.id, l.rec, change), ...nonconformity(c, l.id, l.rec)]);
}

/**
 * A re-check that found the seal broken or other bytes opens a
 * non-conformity (docs/CUSTODY-RULES.md §Non-conformities): never a refusal,
 * the statement records a fact; the exhibit's open list grows by it.
 */
function nonconformity(c: Context, id: Uint8Array, rec: ExhibitRecord): StagedWrite[] {
  const kind = opened(c.statement, rec.sha256);
  if (kind === undefined) return [];
  return [openWrite(id, [...openIn(c.state, id), [c.id, kind, c.at.index, c.statement.time]])];
}

/** The rule of each chain kind: register's own, every other one from its view. */
export const CHAIN_RULES = Object.fromEntries(
  CHAIN_KINDS.map((k) => {
    const view = chainView(k);
    return [k, view.custody === 'register' ? register : (c: Context) => advance(c, view)];
  }),
) as Readonly<Record<ChainKind, (c: Context) => Outcome>>;
