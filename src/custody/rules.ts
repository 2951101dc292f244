/**
 * The custody rules (docs/CUSTODY-RULES.md), as one pure function used twice:
 * by the ledger before it appends (a violation refuses the entry; nothing is
 * written) and by the verifier when it replays a log (a violation is reported).
 *
 * `evaluate` looks only at the state before the entry and the entry itself. It
 * does not check the entry's signature (the verifier batches those across
 * threads; the ledger signs itself): everything else is here, including the
 * chain position (seq, prev), time order and the signer's status.
 */
import { concat, equalBytes, utf8 } from '../bytes.js';
import { isAdmissibleKey } from '../crypto/admission.js';
import { ed25519 } from '../crypto/ed25519.js';
import type {
  AcceptBody,
  DigestAlgorithm,
  Digests,
  DisposeBody,
  EnrolBody,
  ExamineBody,
  GenesisBody,
  Payload,
  RegisterBody,
  RejectBody,
  RevokeBody,
  RotateBody,
  TransferBody,
} from '../format/events.js';
import { keyId } from '../format/ids.js';
import { ZERO_HASH } from '../format/record.js';
import {
  AUTHORITY_ROLES,
  hasAny,
  MAY_ADMINISTER,
  MAY_DERIVE,
  MAY_DISPOSE,
  MAY_EXAMINE,
  MAY_HOLD,
  MAY_REGISTER,
} from './roles.js';
import type { ActorRecord, Changes, ExhibitRecord, StateView } from './state.js';

export interface Violation {
  code: string;
  message: string;
}
export type Verdict = { ok: true; changes: Changes } | { ok: false; violation: Violation };

const no = (code: string, message: string): Verdict => ({ ok: false, violation: { code, message } });
const yes = (changes: Partial<Changes>): Verdict => ({
  ok: true,
  changes: { actors: changes.actors ?? [], exhibits: changes.exhibits ?? [], ...pick(changes) },
});
function pick(c: Partial<Changes>): Pick<Changes, 'origin' | 'authority'> {
  const out: Pick<Changes, 'origin' | 'authority'> = {};
  if (c.origin !== undefined) out.origin = c.origin;
  if (c.authority !== undefined) out.authority = c.authority;
  return out;
}

const ROTATE_DOMAIN = utf8('custody/rotate/v1\n');
/**
 * What the incoming authority key signs to prove possession on rotation: the
 * origin, the predecessor's leaf hash and the new key. Binding `prev` makes the
 * proof useless anywhere else in this or any other history.
 */
export function rotationProofMessage(origin: string, prev: Uint8Array, newKey: Uint8Array): Uint8Array {
  return concat(ROTATE_DOMAIN, utf8(origin), new Uint8Array([0x0a]), prev, newKey);
}

const isActive = (a: ActorRecord) => a.revokedSeq === undefined && a.retiredSeq === undefined;

/** Decides whether `p` (with leaf hash `leafHash`) may follow `state`, and what it changes. */
export function evaluate(state: StateView, p: Payload, leafHash: Uint8Array): Verdict {
  if (p.seq !== state.size) return no('SEQ_MISMATCH', `entry has seq ${p.seq}, expected ${state.size}`);
  if (!equalBytes(p.prev, state.head))
    return no('CHAIN_BROKEN', `entry ${p.seq} does not link to the leaf hash of entry ${p.seq - 1}`);
  if (p.time < state.lastTime)
    return no('TIME_REGRESSION', `entry ${p.seq} claims a time earlier than the entry before it`);

  if (p.kind === 'genesis') return genesis(state, p.seq, p.actor, p.body);
  if (state.size === 0) return no('GENESIS_MISSING', 'the first entry of a ledger must be genesis');

  const signer = state.actor(p.actor);
  if (!signer) return no('ACTOR_UNKNOWN', `signer ${p.actor} is not enrolled`);
  if (!isActive(signer))
    return no(
      'ACTOR_REVOKED',
      signer.retiredSeq !== undefined
        ? `signer ${p.actor} (${signer.name}) is an authority key retired by rotation at entry ${signer.retiredSeq}`
        : `signer ${p.actor} (${signer.name}) was revoked at entry ${signer.revokedSeq}`,
    );

  switch (p.kind) {
    case 'enrol':
      return enrol(state, signer, p.seq, p.body);
    case 'revoke':
      return revoke(state, signer, p.seq, p.body);
    case 'rotate':
      return rotate(state, signer, p.seq, p.body);
    case 'register':
      return register(state, signer, p.seq, p.time, p.body, leafHash);
    case 'transfer':
      return transfer(state, signer, p.seq, p.body, leafHash);
    case 'accept':
      return accept(state, signer, p.seq, p.body, leafHash);
    case 'reject':
    case 'cancel':
      return rejectOrCancel(state, signer, p.seq, p.kind, p.body, leafHash);
    case 'examine':
      return examine(state, signer, p.seq, p.body, leafHash);
    case 'dispose':
      return dispose(state, signer, p.seq, p.body, leafHash);
  }
}

function genesis(state: StateView, seq: number, actor: string, b: GenesisBody): Verdict {
  if (state.size !== 0 || seq !== 0) return no('GENESIS_NOT_FIRST', 'genesis may only be the first entry');
  if (!equalBytes(state.head, ZERO_HASH)) return no('CHAIN_BROKEN', 'genesis must link to the zero hash');
  if (!isAdmissibleKey(b.publicKey))
    return no('KEY_NOT_ADMISSIBLE', 'authority key is small-order, mixed-order or not a curve point');
  const id = keyId(b.publicKey);
  if (actor !== id) return no('SIGNER_MISMATCH', `genesis must be signed by the authority key ${id}`);
  const authority: ActorRecord = {
    id,
    publicKey: b.publicKey,
    name: b.name,
    roles: [...AUTHORITY_ROLES],
    jurisdiction: b.jurisdiction,
    org: b.org,
    enrolledSeq: 0,
  };
  return yes({ actors: [authority], origin: b.origin, authority: id });
}

function requireAuthority(state: StateView, signer: ActorRecord): Verdict | undefined {
  if (signer.id !== state.authority || !hasAny(signer.roles, MAY_ADMINISTER))
    return no('NOT_AUTHORITY', `${signer.name} (${signer.id}) is not the ledger authority`);
  return undefined;
}

function enrol(state: StateView, signer: ActorRecord, seq: number, b: EnrolBody): Verdict {
  const denied = requireAuthority(state, signer);
  if (denied) return denied;
  if (b.roles.includes('authority'))
    return no('ROLE_NOT_GRANTABLE', 'the authority role is given only by genesis or rotation');
  if (!isAdmissibleKey(b.publicKey))
    return no('KEY_NOT_ADMISSIBLE', 'key is small-order, mixed-order or not a curve point');
  const id = keyId(b.publicKey);
  if (state.actor(id)) return no('ACTOR_EXISTS', `a key with id ${id} is already enrolled`);
  const actor: ActorRecord = {
    id,
    publicKey: b.publicKey,
    name: b.name,
    roles: b.roles,
    jurisdiction: b.jurisdiction,
    org: b.org,
    enrolledSeq: seq,
  };
  return yes({ actors: [actor] });
}

function revoke(state: StateView, signer: ActorRecord, seq: number, b: RevokeBody): Verdict {
  const denied = requireAuthority(state, signer);
  if (denied) return denied;
  const target = state.actor(b.actor);
  if (!target) return no('ACTOR_UNKNOWN', `actor ${b.actor} is not enrolled`);
  if (target.id === state.authority)
    return no('AUTHORITY_NOT_REVOCABLE', 'the authority key is replaced by rotation, not revoked');
  if (!isActive(target)) return no('ACTOR_REVOKED', `actor ${b.actor} is already revoked`);
  return yes({ actors: [{ ...target, revokedSeq: seq, revokeReason: b.reason }] });
}

function rotate(state: StateView, signer: ActorRecord, seq: number, b: RotateBody): Verdict {
  const denied = requireAuthority(state, signer);
  if (denied) return denied;
  if (!isAdmissibleKey(b.publicKey))
    return no('KEY_NOT_ADMISSIBLE', 'new authority key is small-order, mixed-order or not a curve point');
  const id = keyId(b.publicKey);
  if (state.actor(id)) return no('ACTOR_EXISTS', `a key with id ${id} is already enrolled`);
  if (!ed25519.verify(b.proof, rotationProofMessage(state.origin, state.head, b.publicKey), b.publicKey))
    return no('ROTATION_PROOF_INVALID', 'the new authority key did not sign the rotation');
  const next: ActorRecord = { ...signer, id, publicKey: b.publicKey, enrolledSeq: seq };
  return yes({ actors: [{ ...signer, retiredSeq: seq }, next], authority: id });
}

/** Compares re-computed digests with the registered ones (only algorithms both have). */
function digestCheck(
  x: ExhibitRecord,
  given: Partial<Record<DigestAlgorithm, Uint8Array>>,
): 'match' | 'mismatch' | 'none' {
  let compared = 0;
  for (const [alg, d] of Object.entries(given) as [DigestAlgorithm, Uint8Array][]) {
    const reg = (x.digests as Partial<Digests>)[alg];
    if (!reg) continue;
    compared++;
    if (!equalBytes(reg, d)) return 'mismatch';
  }
  return compared > 0 ? 'match' : 'none';
}

/** Outcome of an optional re-computed digest on accept or examine (a refusal if nothing comparable). */
function recheck(
  x: ExhibitRecord,
  given: Partial<Record<DigestAlgorithm, Uint8Array>> | undefined,
): 'match' | 'mismatch' | 'none' | Verdict {
  if (!given) return 'none';
  const check = digestCheck(x, given);
  return check === 'none'
    ? no('DIGEST_NOT_COMPARABLE', 'the re-computed digests use no algorithm that was registered')
    : check;
}

/** Common checks for an event on an existing exhibit; returns the exhibit or a refusal. */
function exhibitFor(state: StateView, b: { exhibit: string; after: Uint8Array }): ExhibitRecord | Verdict {
  const x = state.exhibit(b.exhibit);
  if (!x) return no('EXHIBIT_UNKNOWN', `exhibit ${b.exhibit} is not registered`);
  if (!equalBytes(b.after, x.lastHash))
    return no(
      'EXHIBIT_LINK_BROKEN',
      `event does not link to the last event of exhibit ${x.id} (entry ${x.lastSeq})`,
    );
  return x;
}
const isVerdict = (v: ExhibitRecord | Verdict): v is Verdict => 'ok' in v;

function requireHeldBy(x: ExhibitRecord, signer: ActorRecord): Verdict | undefined {
  if (x.status === 'disposed')
    return no('EXHIBIT_DISPOSED', `exhibit ${x.id} was disposed of; nothing more may happen to it`);
  if (x.status === 'in-transit')
    return no(
      'EXHIBIT_IN_TRANSIT',
      `exhibit ${x.id} is in transit; only the receiver may accept or reject it`,
    );
  if (x.holder !== signer.id)
    return no('NOT_HOLDER', `${signer.name} (${signer.id}) does not hold exhibit ${x.id}`);
  return undefined;
}

const touched = (x: ExhibitRecord, seq: number, leafHash: Uint8Array): ExhibitRecord => ({
  ...x,
  lastSeq: seq,
  lastHash: leafHash,
  events: x.events + 1,
});

function register(
  state: StateView,
  signer: ActorRecord,
  seq: number,
  time: number,
  b: RegisterBody,
  leafHash: Uint8Array,
): Verdict {
  if (!hasAny(signer.roles, b.parent ? MAY_DERIVE : MAY_REGISTER))
    return no(
      'ROLE_REQUIRED',
      b.parent
        ? 'registering a derived copy needs the examiner role'
        : 'registering evidence needs the collector role',
    );
  if (state.exhibit(b.exhibit)) return no('EXHIBIT_EXISTS', `exhibit id ${b.exhibit} is already registered`);
  if (b.seizedAt !== undefined && b.seizedAt > time)
    return no('TIME_INVALID', 'seizure time is later than the registration');
  const created: ExhibitRecord = {
    id: b.exhibit,
    label: b.label,
    caseRef: b.caseRef,
    registeredSeq: seq,
    digests: b.digests,
    size: b.size,
    holder: signer.id,
    status: 'held',
    lastSeq: seq,
    lastHash: leafHash,
    events: 1,
    mismatches: [],
    brokenSeals: [],
  };
  if (!b.parent || !b.parentAfter) return yes({ exhibits: [created] });
  const parent = exhibitFor(state, { exhibit: b.parent, after: b.parentAfter });
  if (isVerdict(parent)) return parent;
  const denied = requireHeldBy(parent, signer);
  if (denied) return denied;
  // Derivation is an event in the parent's history too.
  return yes({ exhibits: [{ ...created, parent: parent.id }, touched(parent, seq, leafHash)] });
}

function transfer(
  state: StateView,
  signer: ActorRecord,
  seq: number,
  b: TransferBody,
  leafHash: Uint8Array,
): Verdict {
  const x = exhibitFor(state, b);
  if (isVerdict(x)) return x;
  const denied = requireHeldBy(x, signer);
  if (denied) return denied;
  if (b.to === signer.id) return no('TRANSFER_TO_SELF', 'a holder cannot hand evidence over to itself');
  const to = state.actor(b.to);
  if (!to) return no('RECEIVER_UNKNOWN', `receiver ${b.to} is not enrolled`);
  if (!isActive(to)) return no('RECEIVER_REVOKED', `receiver ${b.to} (${to.name}) is revoked`);
  if (!hasAny(to.roles, MAY_HOLD))
    return no('RECEIVER_CANNOT_HOLD', `receiver ${to.name} has no role that may hold evidence`);
  if (to.jurisdiction !== signer.jurisdiction && !b.legalBasis)
    return no(
      'LEGAL_BASIS_REQUIRED',
      `a transfer from ${signer.jurisdiction} to ${to.jurisdiction} needs a legal basis (MLA, EIO or JIT reference)`,
    );
  const pending = { from: signer.id, to: to.id, seq, ...(b.legalBasis ? { legalBasis: b.legalBasis } : {}) };
  return yes({ exhibits: [{ ...touched(x, seq, leafHash), status: 'in-transit', pending }] });
}

function requireReceiver(x: ExhibitRecord, signer: ActorRecord, as: 'to' | 'from'): Verdict | undefined {
  if (x.status === 'disposed') return no('EXHIBIT_DISPOSED', `exhibit ${x.id} was disposed of`);
  if (x.status !== 'in-transit' || !x.pending)
    return no('NOT_IN_TRANSIT', `exhibit ${x.id} is not in transit`);
  if (x.pending[as] !== signer.id)
    return as === 'to'
      ? no(
          'NOT_RECEIVER',
          `${signer.name} (${signer.id}) is not the receiver named in the transfer of ${x.id}`,
        )
      : no('NOT_SENDER', `${signer.name} (${signer.id}) did not send exhibit ${x.id}`);
  return undefined;
}

function accept(
  state: StateView,
  signer: ActorRecord,
  seq: number,
  b: AcceptBody,
  leafHash: Uint8Array,
): Verdict {
  const x = exhibitFor(state, b);
  if (isVerdict(x)) return x;
  const denied = requireReceiver(x, signer, 'to');
  if (denied) return denied;
  // Checked at transfer already and roles never change; kept because the ledger's
  // state comes from its store, which the rules must not take on trust.
  if (!hasAny(signer.roles, MAY_HOLD))
    return no('ROLE_REQUIRED', `${signer.name} has no role that may hold evidence`);
  const check = recheck(x, b.digests);
  if (typeof check !== 'string') return check;
  const { pending: _, ...rest } = touched(x, seq, leafHash);
  return yes({
    exhibits: [
      {
        ...rest,
        holder: signer.id,
        status: 'held',
        mismatches: check === 'mismatch' ? [...x.mismatches, seq] : x.mismatches,
        brokenSeals: b.seal === 'broken' ? [...x.brokenSeals, seq] : x.brokenSeals,
      },
    ],
  });
}

function rejectOrCancel(
  state: StateView,
  signer: ActorRecord,
  seq: number,
  kind: 'reject' | 'cancel',
  b: RejectBody,
  leafHash: Uint8Array,
): Verdict {
  const x = exhibitFor(state, b);
  if (isVerdict(x)) return x;
  const denied = requireReceiver(x, signer, kind === 'reject' ? 'to' : 'from');
  if (denied) return denied;
  // Custody never left the sender: it stays the holder.
  const { pending: _, ...rest } = touched(x, seq, leafHash);
  return yes({ exhibits: [{ ...rest, status: 'held' }] });
}

function examine(
  state: StateView,
  signer: ActorRecord,
  seq: number,
  b: ExamineBody,
  leafHash: Uint8Array,
): Verdict {
  const x = exhibitFor(state, b);
  if (isVerdict(x)) return x;
  const denied = requireHeldBy(x, signer);
  if (denied) return denied;
  if (!hasAny(signer.roles, MAY_EXAMINE)) return no('ROLE_REQUIRED', 'examination needs the examiner role');
  const check = recheck(x, b.digests);
  if (typeof check !== 'string') return check;
  const next = touched(x, seq, leafHash);
  return yes({ exhibits: [check === 'mismatch' ? { ...next, mismatches: [...x.mismatches, seq] } : next] });
}

function dispose(
  state: StateView,
  signer: ActorRecord,
  seq: number,
  b: DisposeBody,
  leafHash: Uint8Array,
): Verdict {
  const x = exhibitFor(state, b);
  if (isVerdict(x)) return x;
  const denied = requireHeldBy(x, signer);
  if (denied) return denied;
  if (!hasAny(signer.roles, MAY_DISPOSE))
    return no('ROLE_REQUIRED', 'disposal needs the custodian or court role');
  return yes({ exhibits: [{ ...touched(x, seq, leafHash), status: 'disposed' }] });
}
