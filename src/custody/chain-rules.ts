/**
 * Rules of the chain-class kinds (docs/CUSTODY-RULES.md §Custody): register,
 * transfer, accept, reject, cancel, examine, dispose. Every chain statement
 * names its exhibit and the identity of the exhibit's previous chain
 * statement (`after`); the holder alone hands over, the named receiver alone
 * accepts, and nothing moves once disposed.
 */
import { equalBytes } from '../bytes.js';
import { KEY_PURPOSES } from '../format/key-id.js';
import { foldLabel } from '../format/text.js';
import type { Digests } from '../format/vocabulary.js';
import type { StagedWrite } from './custody-state.js';
import { accept, type Context, type Outcome, refuse } from './judgement.js';
import { hasAnyRole, MAY_DERIVE, MAY_DISPOSE, MAY_EXAMINE, MAY_HOLD, MAY_REGISTER } from './permissions.js';
import { type ExhibitRecord, type KeyRecord, NS, shortBits } from './records.js';

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
  return { id: x, rec };
}
const isOutcome = (v: unknown): v is Outcome => typeof v === 'object' && v !== null && 'ok' in v;

const moved = (
  c: Context,
  id: Uint8Array,
  rec: ExhibitRecord,
  change: Partial<ExhibitRecord>,
): StagedWrite => {
  const next: ExhibitRecord = { ...rec, ...change, head: c.id, at: c.at.index };
  if (change.to === undefined && next.state !== 'pending') delete next.to;
  return { ns: NS.exhibit, key: id, record: next };
};

/** The holder of a held exhibit, acting on it. */
function asHolder(c: Context, rec: ExhibitRecord): Outcome | undefined {
  if (rec.state === 'pending') return refuse('EXHIBIT_IN_TRANSIT', 'the exhibit is being handed over');
  if (!equalBytes(rec.holder, c.signerId)) return refuse('NOT_HOLDER', 'only the holder may do this');
  return undefined;
}

export function register(c: Context): Outcome {
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
    if (!hasAnyRole(signer.roles, MAY_REGISTER))
      return refuse('NOT_PERMITTED', 'only a collector may register evidence');
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

export function transfer(c: Context): Outcome {
  const l = linked(c);
  if (isOutcome(l)) return l;
  const h = asHolder(c, l.rec);
  if (h) return h;
  const to = c.statement.body['to'];
  if (!(to instanceof Uint8Array))
    return refuse('RECEIVER_FOREIGN', 'hand-over to another ledger comes with the federation capability');
  if (equalBytes(to, c.signerId)) return refuse('TRANSFER_TO_SELF', 'the holder cannot hand over to itself');
  const receiver = c.state.get<KeyRecord>(NS.key, to);
  if (!receiver || receiver.purpose !== KEY_PURPOSES.statement)
    return refuse('RECEIVER_UNKNOWN', 'the receiver is not an enrolled actor of this ledger');
  if (receiver.revokedAt !== undefined) return refuse('RECEIVER_REVOKED', 'the receiver has been revoked');
  if (!hasAnyRole(receiver.roles, MAY_HOLD))
    return refuse('RECEIVER_NOT_PERMITTED', 'the receiver may not hold evidence');
  if (receiver.jurisdiction !== c.signer!.jurisdiction && c.statement.body['legalBasis'] === undefined)
    return refuse('LEGAL_BASIS_MISSING', 'a hand-over across a border names its legal basis');
  return accept([moved(c, l.id, l.rec, { state: 'pending', to })]);
}

export function acceptTransfer(c: Context): Outcome {
  const l = linked(c);
  if (isOutcome(l)) return l;
  if (l.rec.state !== 'pending') return refuse('NO_PENDING_TRANSFER', 'there is no hand-over to accept');
  if (!equalBytes(l.rec.to!, c.signerId)) return refuse('NOT_RECEIVER', 'only the named receiver may accept');
  return accept([moved(c, l.id, l.rec, { state: 'held', holder: c.signerId })]);
}

export function rejectTransfer(c: Context): Outcome {
  const l = linked(c);
  if (isOutcome(l)) return l;
  if (l.rec.state !== 'pending') return refuse('NO_PENDING_TRANSFER', 'there is no hand-over to reject');
  if (!equalBytes(l.rec.to!, c.signerId)) return refuse('NOT_RECEIVER', 'only the named receiver may reject');
  return accept([moved(c, l.id, l.rec, { state: 'held' })]);
}

export function cancelTransfer(c: Context): Outcome {
  const l = linked(c);
  if (isOutcome(l)) return l;
  if (l.rec.state !== 'pending') return refuse('NO_PENDING_TRANSFER', 'there is no hand-over to cancel');
  if (!equalBytes(l.rec.holder, c.signerId))
    return refuse('NOT_HOLDER', 'only the sender may cancel a hand-over');
  return accept([moved(c, l.id, l.rec, { state: 'held' })]);
}

export function examine(c: Context): Outcome {
  const l = linked(c);
  if (isOutcome(l)) return l;
  const h = asHolder(c, l.rec);
  if (h) return h;
  if (!hasAnyRole(c.signer!.roles, MAY_EXAMINE))
    return refuse('NOT_PERMITTED', 'only an examiner may examine');
  return accept([moved(c, l.id, l.rec, {})]);
}

export function dispose(c: Context): Outcome {
  const l = linked(c);
  if (isOutcome(l)) return l;
  const h = asHolder(c, l.rec);
  if (h) return h;
  if (!hasAnyRole(c.signer!.roles, MAY_DISPOSE))
    return refuse('NOT_PERMITTED', 'only a custodian or a court may dispose');
  return accept([moved(c, l.id, l.rec, { state: 'disposed' })]);
}
