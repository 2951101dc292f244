/**
 * Rules of the ledger-class kinds (docs/CUSTODY-RULES.md §Governance):
 * genesis, configure, rotate, enrol, revoke, peer. Each reads the state before the
 * statement and returns the writes it makes, or why it is refused.
 */
import { equalBytes, utf8 } from '../bytes.js';
import type { TlogPolicy } from '../checkpoint/tlog-policy.js';
import { isAdmissibleKey } from '../crypto/admission.js';
import type { Canonical } from '../format/canonical.js';
import {
  KEY_PURPOSES,
  KEY_TYPES,
  type KeyPurpose,
  keyIdOf,
  TYPES_FOR_PURPOSE,
  type TypedKey,
} from '../format/key-id.js';
import { type LedgerKind, type RoleV2, wireKey } from '../format/kinds.js';
import type { StagedWrite } from './custody-state.js';
import { accept, type Context, type Outcome, refuse } from './judgement.js';
import { parsePeerPolicy } from './peer-policy.js';
import { AUTHORITY_GRANTS, hasAnyRole } from './permissions.js';
import {
  DEFAULT_CONFIG,
  type KeyRecord,
  type LedgerRecord,
  NS,
  type PeerRecord,
  type RuleConfig,
  shortBits,
} from './records.js';

const EMPTY = new Uint8Array(0);

function mergeConfig(base: RuleConfig, c: Canonical | undefined): RuleConfig {
  const m = (c ?? {}) as Partial<RuleConfig>;
  return { ...base, ...m };
}

/** Ed25519 keys must be admitted (FORMAT.md §Signatures); other types are checked by their own admission later. */
const admissible = (k: TypedKey) => k.type !== KEY_TYPES.ed25519 || isAdmissibleKey(k.publicKey);

/** The purpose the public key is already enrolled for in this ledger, if any (one enrolment per public key). */
function enrolledPurpose(c: Context, k: TypedKey): KeyPurpose | undefined {
  for (const p of Object.values(KEY_PURPOSES)) if (c.state.get(NS.key, keyIdOf(k, p))) return p;
  return undefined;
}

function keyWrites(
  c: Context,
  k: TypedKey,
  purpose: KeyPurpose,
  rec: Omit<KeyRecord, 'v' | 'type' | 'purpose' | 'publicKey' | 'enrolledAt'>,
): StagedWrite[] {
  const id = keyIdOf(k, purpose);
  const record: KeyRecord = {
    v: 1,
    type: k.type,
    purpose,
    publicKey: k.publicKey,
    enrolledAt: c.at.index,
    ...rec,
  };
  return [{ ns: NS.key, key: id, record }, ...c.state.indexAdd(NS.short, ['K', shortBits(id)], id)];
}

export function genesis(c: Context): Outcome {
  if (c.at.index !== 0 || c.ledger) return refuse('GENESIS_NOT_FIRST', 'genesis may only be the first entry');
  const b = c.statement.body;
  const authority = c.statement.signer.key;
  const logKey = wireKey(b['logKey']);
  if (!admissible(authority))
    return refuse('KEY_NOT_ADMISSIBLE', 'the authority key is not an admissible key');
  if (!admissible(logKey)) return refuse('KEY_NOT_ADMISSIBLE', 'the log key is not an admissible key');
  if (equalBytes(logKey.publicKey, authority.publicKey))
    return refuse('LOG_KEY_IS_AUTHORITY', 'the log key must not be the authority key');
  if (!TYPES_FOR_PURPOSE[KEY_PURPOSES.log].includes(logKey.type))
    return refuse('KEY_TYPE_NOT_ALLOWED', 'the log key has a type log keys may not have');
  const ledger: LedgerRecord = {
    v: 1,
    origin: c.statement.origin,
    head: c.id,
    authority: c.signerId,
    config: mergeConfig(DEFAULT_CONFIG, b['config']),
  };
  const j = b['jurisdiction'] as string;
  const authorityWrites = keyWrites(c, authority, KEY_PURPOSES.statement, { roles: [], jurisdiction: j });
  // The log key's short id goes in the index after the authority's: stage both counts.
  const logId = keyIdOf(logKey, KEY_PURPOSES.log);
  const logRecord: KeyRecord = {
    v: 1,
    type: logKey.type,
    purpose: KEY_PURPOSES.log,
    publicKey: logKey.publicKey,
    roles: [],
    jurisdiction: j,
    enrolledAt: 0,
  };
  const sameShort = equalBytes(shortBits(logId), shortBits(c.signerId)) ? 1 : 0;
  return accept([
    { ns: NS.ledger, key: EMPTY, record: ledger },
    ...authorityWrites,
    { ns: NS.key, key: logId, record: logRecord },
    ...c.state.indexAdd(NS.short, ['K', shortBits(logId)], logId, sameShort),
  ]);
}

/** Checks every ledger statement after genesis shares: the governance chain link and the signer's standing. */
function governance(c: Context, who: 'authority' | 'registrar'): Outcome | undefined {
  const ledger = c.ledger!;
  if (equalBytes(ledger.head, c.id))
    return refuse('STATEMENT_DUPLICATE', 'this statement is already in the log');
  if (!equalBytes(c.statement.after!, ledger.head))
    return refuse('LEDGER_LINK_BROKEN', 'after is not the last ledger statement (another one came first)');
  const isAuthority = equalBytes(c.signerId, ledger.authority);
  if (who === 'authority' && !isAuthority)
    return refuse('NOT_AUTHORITY', 'only the ledger authority may do this');
  if (who === 'registrar' && !isAuthority && !c.signer!.roles.includes('registrar'))
    return refuse('NOT_REGISTRAR', 'only the authority or a registrar may do this');
  return undefined;
}

const advance = (c: Context, change: Partial<LedgerRecord> = {}): StagedWrite => ({
  ns: NS.ledger,
  key: EMPTY,
  record: { ...c.ledger!, ...change, head: c.id },
});

export function configure(c: Context): Outcome {
  const g = governance(c, 'authority');
  if (g) return g;
  return accept([advance(c, { config: mergeConfig(c.ledger!.config, c.statement.body['config']) })]);
}

export function rotate(c: Context): Outcome {
  const g = governance(c, 'authority');
  if (g) return g;
  const next = wireKey(c.statement.body['key']);
  if (next.type !== KEY_TYPES.ed25519 || !admissible(next))
    return refuse('KEY_NOT_ADMISSIBLE', 'the new authority key is not an admissible Ed25519 key');
  if (enrolledPurpose(c, next) !== undefined)
    return refuse('KEY_IN_USE', 'the new authority key is already enrolled');
  const nextId = keyIdOf(next, KEY_PURPOSES.statement);
  // As for enrol: a short id resolves to one key, or a look-up by it is ambiguous.
  if (c.state.lookup(NS.short, ['K', shortBits(nextId)]).length > 0)
    return refuse('SHORT_ID_IN_USE', 'another key already has this short id; generate a new key');
  const old = c.signer!;
  // Key lifetimes (CUSTODY-RULES.md §Key lifetimes): the old key's life ends at seen.size.
  const end = c.statement.seen!.size;
  if (old.last !== undefined && old.last >= end)
    return refuse(
      'ROTATION_STALE',
      `the rotation was made against checkpoint ${end}, older than the authority's last statement at entry ${old.last}: sign it again against the current checkpoint`,
    );
  return accept([
    advance(c, { authority: nextId }),
    { ns: NS.key, key: c.signerId, record: { ...old, revokedAt: end } },
    ...keyWrites(c, next, KEY_PURPOSES.statement, { roles: [], jurisdiction: old.jurisdiction }),
  ]);
}

/**
 * An access key reads for one actor (docs/SERVER.md §Authentication): its
 * enrolment names that actor's statement key, which must be enrolled and not
 * revoked; other purposes name none. One key, one purpose (NIST SP 800-57
 * Part 1 §5.2): the access key is a key of its own, never the statement key.
 */
function accessActor(c: Context, purpose: KeyPurpose, actor: Uint8Array | undefined): Outcome | undefined {
  if (purpose !== KEY_PURPOSES.access)
    return actor === undefined
      ? undefined
      : refuse('ACCESS_ACTOR_INVALID', 'only an access key names an actor');
  if (actor === undefined)
    return refuse('ACCESS_ACTOR_INVALID', 'an access key must name the actor it reads for');
  const rec = c.state.get<KeyRecord>(NS.key, actor);
  if (!rec || rec.purpose !== KEY_PURPOSES.statement)
    return refuse(
      'ACCESS_ACTOR_INVALID',
      'the actor an access key reads for is not an enrolled statement key',
    );
  if (rec.revokedAt !== undefined)
    return refuse('ACCESS_ACTOR_INVALID', 'the actor an access key reads for is revoked');
  return undefined;
}

export function enrol(c: Context): Outcome {
  const b = c.statement.body;
  const purpose = b['purpose'] as KeyPurpose;
  const roles = b['roles'] as RoleV2[];
  const byAuthority = purpose !== KEY_PURPOSES.statement && purpose !== KEY_PURPOSES.access;
  const g = governance(c, byAuthority || hasAnyRole(roles, AUTHORITY_GRANTS) ? 'authority' : 'registrar');
  if (g) return g;
  const key = wireKey(b['key']);
  if (!TYPES_FOR_PURPOSE[purpose].includes(key.type))
    return refuse('KEY_TYPE_NOT_ALLOWED', 'this key type cannot be enrolled for this purpose');
  if (!admissible(key))
    return refuse('KEY_NOT_ADMISSIBLE', 'the key is small-order, mixed-order or not a curve point');
  if (roles.length > 0 !== (purpose === KEY_PURPOSES.statement))
    return refuse('ROLES_INVALID', 'a statement key has at least one role, and other keys none');
  if (enrolledPurpose(c, key) !== undefined)
    return refuse('KEY_IN_USE', 'this public key is already enrolled in this ledger');
  const actor = b['actor'] as Uint8Array | undefined;
  const refusedActor = accessActor(c, purpose, actor);
  if (refusedActor) return refusedActor;
  const id = keyIdOf(key, purpose);
  if (c.state.lookup(NS.short, ['K', shortBits(id)]).length > 0)
    return refuse('SHORT_ID_IN_USE', 'another key already has this short id; generate a new key');
  const rec: Omit<KeyRecord, 'v' | 'type' | 'purpose' | 'publicKey' | 'enrolledAt'> = {
    roles,
    jurisdiction: b['jurisdiction'] as string,
  };
  if (b['validUntil'] !== undefined) rec.validUntil = b['validUntil'] as number;
  if (actor) rec.actor = actor;
  return accept([advance(c), ...keyWrites(c, key, purpose, rec)]);
}

export function revoke(c: Context): Outcome {
  const g = governance(c, 'registrar');
  if (g) return g;
  const b = c.statement.body;
  const target = b['key'] as Uint8Array;
  const rec = c.state.get<KeyRecord>(NS.key, target);
  if (!rec) return refuse('ACTOR_UNKNOWN', 'the key to revoke is not enrolled');
  if (rec.revokedAt !== undefined) return refuse('ALREADY_REVOKED', 'the key is already revoked');
  if (equalBytes(target, c.ledger!.authority))
    return refuse('CANNOT_REVOKE_AUTHORITY', 'the authority key is replaced by rotate, not revoked');
  if (
    rec.purpose !== KEY_PURPOSES.statement &&
    rec.purpose !== KEY_PURPOSES.access &&
    !equalBytes(c.signerId, c.ledger!.authority)
  )
    return refuse('NOT_AUTHORITY', 'only the authority may revoke log, witness and auditor keys');
  const since = b['compromisedSince'] as number | undefined;
  if (since !== undefined && since > c.at.index)
    return refuse('COMPROMISED_SINCE_AHEAD', 'compromisedSince is after the revocation itself');
  // Key lifetimes (CUSTODY-RULES.md §Key lifetimes): the key's life ends at seen.size. Made
  // against a checkpoint older than the key's last statement, the revocation would invalidate
  // that statement after the fact: refused, unless it says so explicitly (compromisedSince at
  // or before that checkpoint, as after a theft: then the later statements are meant to fall).
  const end = c.statement.seen!.size;
  if (rec.last !== undefined && rec.last >= end && (since === undefined || since > end))
    return refuse(
      'REVOCATION_STALE',
      `the revocation was made against checkpoint ${end}, older than the key's last statement at entry ${rec.last}: sign it again against the current checkpoint, or give compromisedSince`,
    );
  const next: KeyRecord = { ...rec, revokedAt: end };
  if (since !== undefined) next.compromisedSince = since;
  return accept([advance(c), { ns: NS.key, key: target, record: next }]);
}

/**
 * peer (docs/FEDERATION.md §Peers): the authority names a peer ledger by its
 * origin and the C2SP tlog-policy that says which log keys, witnesses and
 * quorum its checkpoints need. Imports from that ledger are judged against
 * this policy, so it is part of governance and travels in bundles; a later
 * peer statement for the same origin replaces it (a rotation of the peer's
 * keys). Security assumption: the authority checked the policy out of band
 * (from the peer's own published anchors), as a relying party pins a key.
 */
export function peer(c: Context): Outcome {
  const g = governance(c, 'authority');
  if (g) return g;
  const b = c.statement.body;
  const origin = b['origin'] as string;
  if (origin === c.ledger!.origin) return refuse('PEER_POLICY_INVALID', 'a ledger is not a peer of itself');
  let policy: TlogPolicy;
  try {
    policy = parsePeerPolicy(b['policy'] as string);
  } catch (e) {
    return refuse(
      'PEER_POLICY_INVALID',
      `the peer's tlog-policy: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (!policy.logs.some((l) => l.verifier.name === origin))
    return refuse('PEER_POLICY_INVALID', `the peer's tlog-policy names no log key for origin ${origin}`);
  const record: PeerRecord = { v: 1, policy: b['policy'] as string, at: c.at.index };
  if (typeof b['url'] === 'string') record.url = b['url'];
  return accept([advance(c), { ns: NS.peer, key: utf8(origin), record }]);
}

/** The rule of each ledger-class kind (the chain kinds' are in ./chain-rules.ts). */
export const LEDGER_RULES: Readonly<Record<LedgerKind, (c: Context) => Outcome>> = {
  genesis,
  configure,
  rotate,
  enrol,
  revoke,
  peer,
};
