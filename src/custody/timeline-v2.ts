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
import { type ChainKind, isKind, KINDS_V2, wireKey } from '../format/kinds.js';
import { ids45 } from '../format/short-id.js';
import type { Statement } from '../format/statement.js';
import type { ActorInfo, CustodyPeriod, Timeline, TimelineEvent } from './timeline.js';

/** What a committed field that was not revealed reads as (re-exported by src/bundle/verdict-v2.ts). */
export const WITHHELD = 'withheld';

/** A statement the replay accepted, with the cleartext its bundle revealed. */
export interface ShownStatement {
  index: number;
  id: Uint8Array;
  statement: Statement;
  /** Revealed cleartext of committed fields that opened their commitment, by field. */
  opened: Readonly<Record<string, string>>;
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

/** A committed field's display text: its cleartext, "withheld", or undefined if the body has no such field. */
export function committedText(s: ShownStatement, field: string): string | undefined {
  if (s.statement.body[field] === undefined) return undefined;
  return s.opened[field] ?? WITHHELD;
}

export function actorOf(actors: ActorDirectory, keyId: Uint8Array): ActorInfo {
  const a = actors.get(toHex(keyId));
  if (a) return { id: a.id, name: a.name, jurisdiction: a.jurisdiction, org: a.org };
  const id = short('K', keyId);
  return { id, name: `unknown actor ${id}`, jurisdiction: '??', org: 'unknown' };
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

const digestsText = (d: Record<string, string>, prefix: string, v: unknown) => {
  for (const [alg, h] of Object.entries((v ?? {}) as Record<string, Uint8Array>))
    d[`${prefix}${alg}`] = toHex(h);
};

/** What a timeline shows of each chain kind's body; the compiler requires a case for every kind. */
function details(s: ShownStatement, kind: ChainKind, actors: ActorDirectory): Record<string, string> {
  const d: Record<string, string> = {};
  const b = s.statement.body;
  const clear = (k: string, name = k) => {
    const v = b[k];
    if (typeof v === 'string' || typeof v === 'number') d[name] = String(v);
  };
  const committed = (k: string) => {
    const t = committedText(s, k);
    if (t !== undefined) d[k] = t;
  };
  switch (kind) {
    case 'register':
      clear('label');
      clear('caseRef', 'case');
      committed('description');
      clear('size');
      digestsText(d, '', b['digests']);
      clear('seal');
      committed('location');
      if (typeof b['seizedAt'] === 'number') d['seizedAt'] = new Date(b['seizedAt']).toISOString();
      if (s.statement.exhibit instanceof Uint8Array) d['parent'] = short('EX', s.statement.exhibit);
      break;
    case 'transfer': {
      const to = b['to'];
      if (to instanceof Uint8Array) d['to'] = `${actorOf(actors, to).name} (${short('K', to)})`;
      committed('reason');
      clear('method');
      clear('seal');
      clear('legalBasis');
      break;
    }
    case 'accept':
      clear('seal');
      committed('note');
      digestsText(d, 'recomputed ', b['digests']);
      break;
    case 'reject':
    case 'cancel':
      committed('reason');
      break;
    case 'examine':
      committed('action');
      clear('tool');
      clear('seal');
      digestsText(d, 'recomputed ', b['digests']);
      break;
    case 'dispose':
      clear('method');
      committed('reason');
      committed('recipient');
      break;
    default: {
      const unhandled: never = kind;
      throw new Error(`no timeline details for kind ${String(unhandled)}`);
    }
  }
  return d;
}

/** A chain statement of a kind the table knows (its class is checked against the table's). */
const isChainKind = (k: string): k is ChainKind => isKind(k) && KINDS_V2[k]!.class === 'chain';
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
  let status: Timeline['status'] = 'unknown';
  let holder: ActorInfo | null = null;
  const close = (time: number, seq: number) => {
    const last = periods[periods.length - 1];
    if (last && last.until === null) {
      last.until = time;
      last.untilSeq = seq;
    }
  };
  for (const s of shown) {
    const st = s.statement;
    if (st.class !== 'chain' || !isChainKind(st.kind)) continue;
    const link = st.exhibit instanceof Uint8Array ? st.exhibit : undefined;
    const own = st.kind === 'register' ? same(s.id, exhibit) : link !== undefined && same(link, exhibit);
    const derivedFromThis = st.kind === 'register' && link !== undefined && same(link, exhibit);
    if (!own && !derivedFromThis) continue;
    const actor = actorOf(actors, keyIdOf(st.signer.key, KEY_PURPOSES.statement));
    const ev: TimelineEvent = {
      seq: s.index,
      kind: st.kind,
      time: st.time,
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
    switch (st.kind) {
      case 'register':
        holder = actor;
        status = 'held';
        open(actor, 'held');
        break;
      case 'transfer': {
        close(st.time, s.index);
        status = 'in-transit';
        const p = open(holder ?? actor, 'in-transit');
        const to = st.body['to'];
        if (to instanceof Uint8Array) p.to = actorOf(actors, to);
        const basis = st.body['legalBasis'];
        if (typeof basis === 'string') p.legalBasis = basis;
        break;
      }
      case 'accept':
        close(st.time, s.index);
        holder = actor;
        status = 'held';
        open(actor, 'held');
        break;
      case 'reject':
      case 'cancel':
        close(st.time, s.index);
        status = 'held';
        open(holder ?? actor, 'held');
        break;
      case 'dispose':
        close(st.time, s.index);
        status = 'disposed';
        break;
      default:
        break;
    }
  }
  return { exhibit: short('EX', exhibit), events, periods, holder, status };
}
