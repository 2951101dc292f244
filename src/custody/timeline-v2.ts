/**
 * The custody timeline of a format v2 exhibit, in the Timeline shape the
 * reports already render (./timeline.ts), built from replayed v2 statements.
 *
 * Differences from v1 (docs/BUNDLE.md §Verification result): people's
 * names, organisations and free text are commitments (FORMAT.md
 * §Commitments and openings), so they show as their revealed cleartext, or
 * as "withheld"; ids are short display ids (K-…, EX-…); `seq` is the log
 * index. Pure: statements in, data out.
 */
import { toBase64, toHex } from '../bytes.js';
import { KEY_PURPOSES, type KeyPurpose, keyIdOf, type TypedKey } from '../format/key-id.js';
import {
  type AnnotationKind,
  type ChainKind,
  chainView,
  isAnnotationKind,
  isChainKind,
  KINDS_V2,
  wireKey,
} from '../format/kinds.js';
import { ids45 } from '../format/short-id.js';
import type { Statement } from '../format/statement.js';
import type { ActorInfo, CustodyPeriod, Timeline, TimelineEvent, TimelineNote } from './timeline.js';

/** What a committed field that was not revealed reads as (re-exported by src/bundle/verdict-v2.ts). */
export const WITHHELD = 'withheld';

/** A statement the replay accepted, with the cleartext its bundle revealed. */
export interface ShownStatement {
  index: number;
  /** Log time of the entry (the statement's own `time` is what its signer claims). */
  logTime: number;
  id: Uint8Array;
  statement: Statement;
  /** Revealed cleartext of committed fields that opened their commitment, by field. */
  opened: Readonly<Record<string, string>>;
  /** Another ledger's statement, carried here (payload type 3): its signer is an actor there. */
  foreign?: true;
  /**
   * A cancel confirmation: this ledger's own cancel, carried back by the peer
   * ledger that logged it (its origin) before any answer of its receiver.
   */
  confirmedBy?: string;
}

export interface ActorV2 extends ActorInfo {
  roles: string[];
  publicKey: string;
  enrolledSeq: number;
  revokedSeq?: number;
}

/** Actors by hex key id. */
export type ActorDirectory = ReadonlyMap<string, ActorV2>;

const short = (prefix: 'K' | 'EX', id: Uint8Array) => ids45(prefix, id);

/**
 * A committed field's display text: its cleartext, "withheld" (for another
 * ledger's statement: "withheld, held by <its origin>", since that ledger
 * keeps the cleartext and no cleartext crosses with a statement), or
 * undefined if the body has no such field.
 */
export function committedText(s: ShownStatement, field: string): string | undefined {
  if (s.statement.body[field] === undefined) return undefined;
  const foreign = s.foreign && s.confirmedBy === undefined;
  return s.opened[field] ?? (foreign ? `${WITHHELD}, held by ${s.statement.origin}` : WITHHELD);
}

export function actorOf(actors: ActorDirectory, keyId: Uint8Array): ActorInfo {
  const a = actors.get(toHex(keyId));
  if (a) return { id: a.id, name: a.name, jurisdiction: a.jurisdiction, org: a.org };
  const id = short('K', keyId);
  return { id, name: `unknown actor ${id}`, jurisdiction: '??', org: 'unknown' };
}

/** An actor of another ledger, known here only by key id and origin. */
const peerActor = (origin: string, keyId: Uint8Array): ActorInfo => {
  const id = short('K', keyId);
  return { id, name: `${id} of ${origin}`, jurisdiction: '??', org: origin };
};

/** Who signed a shown statement: an actor of this ledger, or of the peer a foreign statement came from. */
export function signerOfShown(actors: ActorDirectory, s: ShownStatement): ActorInfo {
  const id = keyIdOf(s.statement.signer.key, KEY_PURPOSES.statement);
  return s.foreign && s.confirmedBy === undefined ? peerActor(s.statement.origin, id) : actorOf(actors, id);
}

/**
 * Every key the ledger statements name: the authority (genesis, rotate), the
 * log key, and enrolled keys with the name and organisation their enrolment
 * revealed. Revocations and retirements set revokedSeq.
 */
export function actorDirectory(shown: readonly ShownStatement[]): Map<string, ActorV2> {
  const out = new Map<string, ActorV2>();
  let org = WITHHELD;
  let jurisdiction = '??';
  const put = (
    k: TypedKey,
    purpose: KeyPurpose,
    index: number,
    a: Omit<ActorInfo, 'id'>,
    roles: string[],
  ) => {
    const id = keyIdOf(k, purpose);
    out.set(toHex(id), {
      id: short('K', id),
      ...a,
      roles,
      publicKey: toBase64(k.publicKey),
      enrolledSeq: index,
    });
  };
  for (const s of shown) {
    const st = s.statement;
    const b = st.body;
    switch (st.kind) {
      case 'genesis':
        org = b['org'] as string;
        jurisdiction = b['jurisdiction'] as string;
        put(st.signer.key, KEY_PURPOSES.statement, s.index, { name: 'authority', org, jurisdiction }, [
          'authority',
        ]);
        put(wireKey(b['logKey']), KEY_PURPOSES.log, s.index, { name: 'log key', org, jurisdiction }, ['log']);
        break;
      case 'rotate': {
        const old = out.get(toHex(keyIdOf(st.signer.key, KEY_PURPOSES.statement)));
        if (old) old.revokedSeq = s.index;
        put(wireKey(b['key']), KEY_PURPOSES.statement, s.index, { name: 'authority', org, jurisdiction }, [
          'authority',
        ]);
        break;
      }
      case 'enrol': {
        const name = s.opened['name'] ?? WITHHELD;
        const who = { name, org: s.opened['org'] ?? WITHHELD, jurisdiction: b['jurisdiction'] as string };
        put(wireKey(b['key']), b['purpose'] as KeyPurpose, s.index, who, [...(b['roles'] as string[])]);
        break;
      }
      case 'revoke': {
        const a = out.get(toHex(b['key'] as Uint8Array));
        if (a && a.revokedSeq === undefined) a.revokedSeq = s.index;
        break;
      }
    }
  }
  return out;
}

/**
 * How a body field reads in a timeline where not as its plain value. Keyed by
 * field name, because a field means the same in every kind that has it
 * (FORMAT.md §Kinds and bodies); a new kind with known fields needs nothing here.
 */
const FIELD_VIEW: Readonly<Record<string, { name?: string; as?: 'time' | 'date' | 'key' | 'digests' }>> = {
  caseRef: { name: 'case' },
  seizedAt: { as: 'time' },
  basisDate: { name: 'legal basis date', as: 'date' },
  issuing: { name: 'issued by' },
  executing: { name: 'executed by' },
  to: { as: 'key' },
  digests: { as: 'digests' },
};

/** What a timeline shows of a statement's body: every field of its body version, in table order. */
function details(
  s: ShownStatement,
  kind: ChainKind | AnnotationKind,
  actors: ActorDirectory,
): Record<string, string> {
  const d: Record<string, string> = {};
  const st = s.statement;
  const spec = KINDS_V2[kind]!;
  const view = isChainKind(kind) ? chainView(kind) : undefined;
  for (const field of Object.keys(spec.versions[st.bv] ?? {})) {
    const v = st.body[field];
    if (v === undefined) continue;
    const fv = Object.hasOwn(FIELD_VIEW, field) ? FIELD_VIEW[field]! : {};
    const name = fv.name ?? field;
    if (Object.hasOwn(spec.committed, field)) d[name] = committedText(s, field)!;
    else if (fv.as === 'digests') {
      // Registration records the exhibit's digests; every later kind re-computed them.
      const prefix = view?.custody === 'register' ? '' : 'recomputed ';
      for (const [alg, h] of Object.entries(v as Record<string, Uint8Array>)) d[`${prefix}${alg}`] = toHex(h);
    } else if (fv.as === 'key') d[name] = keyText(actors, v);
    else if (fv.as === 'time' && typeof v === 'number') d[name] = new Date(v).toISOString();
    else if (fv.as === 'date' && typeof v === 'number') d[name] = new Date(v).toISOString().slice(0, 10);
    else if (typeof v === 'string' || typeof v === 'number') d[name] = String(v);
    else if (v === true) d[name] = 'yes';
    // Lists of names (fields, recipients): an empty list of a hold's fields holds them all.
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
      d[name] =
        v.length > 0 ? v.join(', ') : kind === 'restrict' && field === 'fields' ? 'every field' : 'none';
    else if (v instanceof Uint8Array) d[name] = toHex(v);
  }
  if (view?.custody === 'register' && st.exhibit instanceof Uint8Array) d['parent'] = short('EX', st.exhibit);
  return d;
}

/** A key named in a body: an actor of this ledger by name, or one of another ledger by origin. */
function keyText(actors: ActorDirectory, v: unknown): string {
  if (v instanceof Uint8Array) return `${actorOf(actors, v).name} (${short('K', v)})`;
  const [origin, id] = v as [string, Uint8Array];
  return `${short('K', id)} of ${origin}`;
}

/**
 * A transfer's legal basis as one line: the reference, and with a structured
 * basis (transfer body version 2) its instrument, authorities and date.
 */
export function legalBasisText(b: Record<string, unknown>): string | undefined {
  const ref = b['legalBasis'];
  if (typeof ref !== 'string') return undefined;
  if (typeof b['instrument'] !== 'string') return ref;
  const date = typeof b['basisDate'] === 'number' ? new Date(b['basisDate']).toISOString().slice(0, 10) : '?';
  // A reference that already begins with its instrument ("EIO NL-2026-117") is not prefixed again.
  const named = ref.startsWith(`${b['instrument']} `) ? ref : `${b['instrument']} ${ref}`;
  return `${named}, issued by ${String(b['issuing'])}, executed by ${String(b['executing'])}, of ${date}`;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The timeline of `exhibit` from accepted statements in log order. Its own
 * chain opens and closes custody periods; a derived copy registered from it
 * shows as an event with `derived` and moves nothing (FORMAT.md §Identity
 * and links, derived copies).
 */
export function buildTimelineV2(
  exhibit: Uint8Array,
  shown: readonly ShownStatement[],
  actors: ActorDirectory,
): Timeline {
  const events: TimelineEvent[] = [];
  const periods: CustodyPeriod[] = [];
  const notes: TimelineNote[] = [];
  let status: Timeline['status'] = 'unknown';
  let holder: ActorInfo | null = null;
  /** While a hand-over to a peer ledger is pending: that ledger, which decides a cancel. */
  let pendingPeer: string | undefined;
  const close = (time: number, seq: number) => {
    const last = periods[periods.length - 1];
    if (last && last.until === null) {
      last.until = time;
      last.untilSeq = seq;
    }
  };
  for (const s of shown) {
    const st = s.statement;
    if (st.class === 'annotation' && isAnnotationKind(st.kind)) {
      if (st.exhibit instanceof Uint8Array && same(st.exhibit, exhibit))
        notes.push({
          seq: s.index,
          kind: st.kind,
          time: st.time,
          loggedAt: s.logTime,
          tz: st.tz,
          actor: actorOf(actors, keyIdOf(st.signer.key, KEY_PURPOSES.statement)),
          details: details(s, st.kind, actors),
        });
      continue;
    }
    if (st.class !== 'chain' || !isChainKind(st.kind)) continue;
    const link = st.exhibit instanceof Uint8Array ? st.exhibit : undefined;
    const registers = chainView(st.kind).custody === 'register';
    const own = registers ? same(s.id, exhibit) : link !== undefined && same(link, exhibit);
    const derivedFromThis = registers && link !== undefined && same(link, exhibit);
    if (!own && !derivedFromThis) continue;
    const actor = signerOfShown(actors, s);
    const ev: TimelineEvent = {
      seq: s.index,
      kind: st.kind,
      time: st.time,
      loggedAt: s.logTime,
      tz: st.tz,
      actor,
      details: details(s, st.kind, actors),
    };
    if (!own) {
      ev.derived = short('EX', s.id);
      events.push(ev);
      continue;
    }
    events.push(ev);
    const open = (who: ActorInfo, state: CustodyPeriod['status']): CustodyPeriod => {
      const p: CustodyPeriod = {
        holder: who,
        status: state,
        from: st.time,
        fromSeq: s.index,
        fromTz: st.tz,
        until: null,
        untilSeq: null,
      };
      periods.push(p);
      return p;
    };
    const effect = chainView(st.kind).custody;
    switch (effect) {
      case 'register':
        holder = actor;
        status = 'held';
        open(actor, 'held');
        break;
      case 'hand-over': {
        close(st.time, s.index);
        status = 'in-transit';
        const p = open(holder ?? actor, 'in-transit');
        const to = st.body['to'];
        pendingPeer = undefined;
        if (to instanceof Uint8Array) p.to = actorOf(actors, to);
        else if (Array.isArray(to)) {
          p.to = peerActor(to[0] as string, to[1] as Uint8Array);
          pendingPeer = to[0] as string;
        }
        const basis = legalBasisText(st.body);
        if (basis !== undefined) p.legalBasis = basis;
        break;
      }
      case 'receive':
        close(st.time, s.index);
        holder = actor;
        status = 'held';
        open(actor, 'held');
        break;
      case 'return':
        // To a peer ledger a cancel only asks (docs/FEDERATION.md): the hand-over stays pending
        // until that ledger's confirmation, or its receiver's answer, comes back.
        if (!s.foreign && pendingPeer !== undefined) {
          ev.details['awaiting'] = `${pendingPeer} to log the cancel before any answer`;
          break;
        }
        if (s.confirmedBy !== undefined) ev.details['confirmed by'] = s.confirmedBy;
        pendingPeer = undefined;
        close(st.time, s.index);
        status = 'held';
        open(holder ?? actor, 'held');
        break;
      case 'end':
        close(st.time, s.index);
        status = 'disposed';
        break;
      case 'none':
        break;
      default: {
        const unhandled: never = effect;
        throw new Error(`no timeline for custody effect ${String(unhandled)}`);
      }
    }
  }
  return { exhibit: short('EX', exhibit), events, periods, holder, status, notes };
}
