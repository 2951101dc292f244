/**
 * A custody timeline for people: the events of one exhibit in order and the
 * custody periods they imply (who held it, from when to when, in transit
 * between whom). Pure; built from decoded records and actor records, shared
 * by `custody show`, the reports and the bundle verifier.
 */
import { toHex } from '../bytes.js';
import type { ActorRecord } from '../custody/state.js';
import type { Payload } from '../format/events.js';

export interface ActorInfo {
  id: string;
  name: string;
  jurisdiction: string;
  org: string;
}

export interface TimelineEvent {
  seq: number;
  kind: Payload['kind'];
  time: number;
  tz: string;
  actor: ActorInfo;
  /** For derived registrations seen from the parent: the copy's id. */
  derived?: string;
  details: Record<string, string>;
}

export interface CustodyPeriod {
  holder: ActorInfo;
  status: 'held' | 'in-transit';
  /** Receiver for in-transit periods. */
  to?: ActorInfo;
  legalBasis?: string;
  from: number;
  fromSeq: number;
  fromTz: string;
  /** End of the period, or null if it lasts to the end of the record. */
  until: number | null;
  untilSeq: number | null;
}

export interface Timeline {
  exhibit: string;
  events: TimelineEvent[];
  periods: CustodyPeriod[];
  /** Final state according to the events shown. */
  holder: ActorInfo | null;
  status: 'held' | 'in-transit' | 'disposed' | 'unknown';
}

const unknownActor = (id: string): ActorInfo => ({
  id,
  name: `unknown actor ${id}`,
  jurisdiction: '??',
  org: 'unknown',
});

export function actorInfo(actors: ReadonlyMap<string, ActorRecord>, id: string): ActorInfo {
  const a = actors.get(id);
  return a ? { id: a.id, name: a.name, jurisdiction: a.jurisdiction, org: a.org } : unknownActor(id);
}

function details(p: Payload, actors: ReadonlyMap<string, ActorRecord>): Record<string, string> {
  const d: Record<string, string> = {};
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined) d[k] = String(v);
  };
  switch (p.kind) {
    case 'register':
      set('label', p.body.label);
      set('case', p.body.caseRef);
      set('description', p.body.description);
      set('size', p.body.size);
      for (const [alg, v] of Object.entries(p.body.digests)) set(alg, toHex(v as Uint8Array));
      set('seal', p.body.seal);
      set('location', p.body.location);
      if (p.body.seizedAt !== undefined) set('seizedAt', new Date(p.body.seizedAt).toISOString());
      set('parent', p.body.parent);
      break;
    case 'transfer':
      set('to', `${actorInfo(actors, p.body.to).name} (${p.body.to})`);
      set('reason', p.body.reason);
      set('method', p.body.method);
      set('seal', p.body.seal);
      set('legalBasis', p.body.legalBasis);
      break;
    case 'accept':
      set('seal', p.body.seal);
      set('note', p.body.note);
      for (const [alg, v] of Object.entries(p.body.digests ?? {}))
        set(`recomputed ${alg}`, toHex(v as Uint8Array));
      break;
    case 'reject':
    case 'cancel':
      set('reason', p.body.reason);
      break;
    case 'examine':
      set('action', p.body.action);
      set('tool', p.body.tool);
      set('seal', p.body.seal);
      for (const [alg, v] of Object.entries(p.body.digests ?? {}))
        set(`recomputed ${alg}`, toHex(v as Uint8Array));
      break;
    case 'dispose':
      set('method', p.body.method);
      set('reason', p.body.reason);
      set('recipient', p.body.recipient);
      break;
    default:
      break;
  }
  return d;
}

/**
 * Builds the timeline of `exhibit` from payloads in log order (events of other
 * exhibits are ignored, except derived registrations of this one's copies).
 */
export function buildTimeline(
  exhibit: string,
  payloads: readonly Payload[],
  actors: ReadonlyMap<string, ActorRecord>,
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
  for (const p of payloads) {
    const b = p.body as { exhibit?: string; parent?: string };
    const own = b.exhibit === exhibit;
    const derivedFromThis = p.kind === 'register' && b.parent === exhibit;
    if (!own && !derivedFromThis) continue;
    const actor = actorInfo(actors, p.actor);
    const ev: TimelineEvent = {
      seq: p.seq,
      kind: p.kind,
      time: p.time,
      tz: p.tz,
      actor,
      details: details(p, actors),
    };
    if (derivedFromThis && !own) ev.derived = (p.body as { exhibit: string }).exhibit;
    events.push(ev);
    if (!own) continue;
    // A period that starts at this event and lasts until the next one closes it.
    const open = (who: ActorInfo, st: CustodyPeriod['status']): CustodyPeriod => {
      const period: CustodyPeriod = {
        holder: who,
        status: st,
        from: p.time,
        fromSeq: p.seq,
        fromTz: p.tz,
        until: null,
        untilSeq: null,
      };
      periods.push(period);
      return period;
    };
    switch (p.kind) {
      case 'register':
        holder = actor;
        status = 'held';
        open(actor, 'held');
        break;
      case 'transfer': {
        close(p.time, p.seq);
        status = 'in-transit';
        const period = open(actor, 'in-transit');
        period.to = actorInfo(actors, p.body.to);
        if (p.body.legalBasis) period.legalBasis = p.body.legalBasis;
        break;
      }
      case 'accept':
        close(p.time, p.seq);
        holder = actor;
        status = 'held';
        open(actor, 'held');
        break;
      case 'reject':
      case 'cancel':
        close(p.time, p.seq);
        status = 'held';
        // Custody never left the sender.
        open(holder ?? actor, 'held');
        break;
      case 'dispose':
        close(p.time, p.seq);
        status = 'disposed';
        break;
      default:
        break;
    }
  }
  return { exhibit, events, periods, holder, status };
}
