/**
 * The custody section of the report: the timeline of one exhibit turned into
 * event, period and hand-over rows, the final state and the story in plain
 * sentences. Each row carries its own findings (re-hash, seal, problems), so
 * a reader sees a flagged event where it happened.
 */

import type { ExhibitVerdict } from '../bundle/verdict.js';
import type { CustodyPeriod, Timeline, TimelineEvent, TimelineNote } from '../custody/timeline.js';
import type { Problem } from '../findings.js';
import { chainView } from '../format/kinds.js';
import type { Language } from './i18n.js';
import { digestName, durationText, timeText } from './model-formatting.js';
import { party } from './model-party.js';
import type {
  Custody,
  EventRow,
  HandoverRow,
  NoteRow,
  PeriodRow,
  RehashResult,
  SealResult,
} from './model-types.js';
import { EVENT_WORDING, fillWording, NOTE_WORDING } from './wording.js';

/** What the rows of one exhibit are judged against, gathered once from the verdict. */
export interface RowContext {
  v: ExhibitVerdict;
  lang: Language;
  registered: Record<string, string>;
  problemsBySeq: Map<number, Problem[]>;
  mismatches: Set<number>;
  brokenSeals: Set<number>;
}

export function rowContext(v: ExhibitVerdict, lang: Language): RowContext {
  const problemsBySeq = new Map<number, Problem[]>();
  for (const p of v.problems) {
    if (p.seq === null) continue;
    const list = problemsBySeq.get(p.seq) ?? [];
    list.push(p);
    problemsBySeq.set(p.seq, list);
  }
  return {
    v,
    lang,
    registered: v.exhibit?.digests ?? {},
    problemsBySeq,
    mismatches: new Set(v.recordedMismatches),
    brokenSeals: new Set(v.recordedBrokenSeals),
  };
}

function rehashOf(ev: TimelineEvent, ctx: RowContext): { result: RehashResult; algorithms: string[] } {
  const algorithms: string[] = [];
  let differs = false;
  let compared = 0;
  for (const [k, val] of Object.entries(ev.details)) {
    if (!k.startsWith('recomputed ')) continue;
    const alg = k.slice('recomputed '.length);
    algorithms.push(digestName(alg));
    const reg = ctx.registered[alg];
    if (reg === undefined) continue;
    compared++;
    if (reg.toLowerCase() !== val.toLowerCase()) differs = true;
  }
  if (differs || ctx.mismatches.has(ev.seq)) return { result: 'MISMATCH', algorithms };
  // Only a digest the registration recorded can match; another algorithm compares nothing.
  if (compared > 0) return { result: 'match', algorithms };
  return { result: algorithms.length ? 'not comparable' : 'not re-hashed', algorithms };
}

function sealOf(ev: TimelineEvent, ctx: RowContext): SealResult {
  if (ctx.brokenSeals.has(ev.seq) || ev.details['seal'] === 'broken') return 'broken';
  return ev.details['seal'] === 'intact' ? 'intact' : 'not recorded';
}

function eventSummary(ev: TimelineEvent, d: Record<string, string>): string {
  const who = `${ev.actor.name} (${ev.actor.org}, ${ev.actor.jurisdiction})`;
  const w = EVENT_WORDING[ev.kind];
  const template = ev.derived && w.derived ? w.derived : w.summary;
  return fillWording(template, { ...d, who, derived: ev.derived });
}

function eventRow(ev: TimelineEvent, ctx: RowContext): EventRow {
  const probs = ctx.problemsBySeq.get(ev.seq) ?? [];
  const view = chainView(ev.kind);
  const rehash = view.recomputes && !ev.derived ? rehashOf(ev, ctx).result : null;
  const seal = view.sealState ? sealOf(ev, ctx) : null;
  const digestMismatch = ctx.mismatches.has(ev.seq) || rehash === 'MISMATCH';
  const sealBroken = ctx.brokenSeals.has(ev.seq) || seal === 'broken';
  return {
    seq: ev.seq,
    kind: ev.kind,
    summary: eventSummary(ev, ev.details),
    actor: party(ev.actor),
    time: timeText(ev.time, ev.tz),
    logged: timeText(ev.loggedAt, ev.tz),
    details: Object.entries(ev.details).map(([key, value]) => ({ key, value })),
    derivedExhibit: ev.derived ?? null,
    rehash,
    seal,
    problems: probs.map((p) => ({ code: p.code, severity: p.severity, message: p.message })),
    digestMismatch,
    sealBroken,
    flagged: digestMismatch || sealBroken || probs.some((p) => p.severity === 'error'),
  };
}

function tzOfSeq(t: Timeline, seq: number | null, fallback: string): string {
  if (seq === null) return fallback;
  return t.events.find((e) => e.seq === seq)?.tz ?? fallback;
}

/** Custody periods as rows; also the periods of an ancestor in the lineage. */
export function periodRows(t: Timeline): PeriodRow[] {
  return t.periods.map((p: CustodyPeriod, i) => {
    const holder = party(p.holder);
    const to = p.to ? party(p.to) : null;
    return {
      index: i + 1,
      status: p.status,
      holder,
      to,
      legalBasis: p.legalBasis ?? null,
      from: timeText(p.from, p.fromTz),
      fromSeq: p.fromSeq,
      until: p.until === null ? null : timeText(p.until, tzOfSeq(t, p.untilSeq, p.fromTz)),
      untilSeq: p.untilSeq,
      duration: durationText(p.until === null ? null : p.until - p.from),
      text:
        p.status === 'held'
          ? `held by ${holder.text}`
          : `in transit from ${holder.text} to ${to ? to.text : 'an unknown receiver'}`,
    };
  });
}

function handoverRows(t: Timeline, ctx: RowContext): HandoverRow[] {
  const rows: HandoverRow[] = [];
  for (const p of t.periods) {
    if (p.status !== 'in-transit') continue;
    const tr = t.events.find((e) => e.seq === p.fromSeq && chainView(e.kind).custody === 'hand-over');
    const end = p.untilSeq === null ? undefined : t.events.find((e) => e.seq === p.untilSeq);
    const from = party(p.holder);
    const to = p.to
      ? party(p.to)
      : party({ id: '', name: 'unknown receiver', org: 'unknown', jurisdiction: '??' });
    const outcome: HandoverRow['outcome'] = (end && EVENT_WORDING[end.kind].ended) || 'pending';
    const rh = end && outcome === 'accepted' ? rehashOf(end, ctx) : null;
    const codes = [
      ...(ctx.problemsBySeq.get(p.fromSeq) ?? []),
      ...(end ? (ctx.problemsBySeq.get(end.seq) ?? []) : []),
    ].map((x) => x.code);
    const d = tr?.details ?? {};
    rows.push({
      seq: p.fromSeq,
      from,
      to,
      sentAt: timeText(p.from, p.fromTz),
      reason: d['reason'] ?? null,
      method: d['method'] ?? null,
      seal: d['seal'] ?? null,
      legalBasis: p.legalBasis ?? d['legalBasis'] ?? null,
      crossBorder: from.jurisdiction !== to.jurisdiction,
      outcome,
      outcomeSeq: end ? end.seq : null,
      outcomeAt: end ? timeText(end.time, end.tz) : null,
      outcomeBy: end ? party(end.actor) : null,
      outcomeNote: end ? (end.details['reason'] ?? end.details['note'] ?? null) : null,
      acceptedByNamedReceiver: outcome === 'accepted' && end ? end.actor.id === to.id : null,
      rehash: rh ? rh.result : null,
      rehashAlgorithms: rh ? rh.algorithms : [],
      sealOnReceipt: end && outcome === 'accepted' ? sealOf(end, ctx) : null,
      transit: p.until === null ? null : durationText(p.until - p.from),
      problems: [...new Set(codes)],
    });
  }
  return rows;
}

function finalStateText(t: Timeline | null, periods: PeriodRow[]): string {
  if (!t) return 'No custody record is available for this exhibit.';
  const last = periods[periods.length - 1];
  switch (t.status) {
    case 'held':
      return last
        ? `At the end of the record the exhibit is held by ${last.holder.text}, since ${last.from.utc} (entry ${last.fromSeq}).`
        : 'At the end of the record the exhibit is held.';
    case 'in-transit':
      return last
        ? `At the end of the record the exhibit is in transit from ${last.holder.text} to ${last.to?.text ?? 'an unknown receiver'}, since ${last.from.utc} (entry ${last.fromSeq}); the receiver has not yet accepted it.`
        : 'At the end of the record the exhibit is in transit.';
    case 'disposed': {
      const ev = [...t.events].reverse().find((e) => chainView(e.kind).custody === 'end');
      return ev
        ? `The exhibit was disposed of (${ev.details['method'] ?? 'method not recorded'}) by ${party(ev.actor).text} on ${timeText(ev.time, ev.tz).utc} (entry ${ev.seq}).`
        : 'The exhibit was disposed of.';
    }
    default:
      return 'The state of the exhibit at the end of the record is unknown.';
  }
}

function story(events: EventRow[], handovers: HandoverRow[]): string[] {
  const out: string[] = [];
  const byTransfer = new Map(handovers.map((h) => [h.seq, h]));
  const outcomes = new Set(handovers.map((h) => h.outcomeSeq).filter((s) => s !== null));
  for (const e of events) {
    if (outcomes.has(e.seq) && chainView(e.kind).custody !== 'register') continue;
    const when = e.time.utc.slice(0, 10);
    // A registration carried with a hand-over from a peer shares the hand-over's entry.
    const h = chainView(e.kind).custody === 'hand-over' ? byTransfer.get(e.seq) : undefined;
    let s: string;
    if (h) {
      s = `${when}: ${h.from.text} handed the exhibit to ${h.to.text}`;
      if (h.legalBasis) s += ` under ${h.legalBasis}`;
      if (h.outcome === 'accepted' && h.outcomeAt) {
        s += `; accepted ${h.outcomeAt.utc.slice(0, 10)}`;
        if (h.outcomeBy && !h.acceptedByNamedReceiver)
          s += ` by ${h.outcomeBy.text} (NOT the named receiver)`;
        s += `, digest ${h.rehash === 'match' ? 'matched' : h.rehash === 'MISMATCH' ? 'MISMATCH' : h.rehash}`;
        s += `, seal ${h.sealOnReceipt === 'broken' ? 'BROKEN' : (h.sealOnReceipt ?? 'not recorded')}`;
      } else if (h.outcome === 'pending') s += '; not yet accepted at the end of the record';
      else s += `; ${h.outcome}${h.outcomeNote ? ` (${h.outcomeNote})` : ''}`;
    } else {
      s = `${when}: ${e.summary}`;
      if (e.rehash && e.rehash !== 'not re-hashed')
        s += `; digest ${e.rehash === 'match' ? 'matched' : e.rehash === 'MISMATCH' ? 'MISMATCH' : e.rehash}`;
    }
    if (e.flagged || (h?.problems.length ?? 0) > 0) s += ' [FLAGGED: see checks and problems]';
    out.push(s);
  }
  return out;
}

/** The custody section: periods, hand-overs, events, the final state and the story. */
export function custodyOf(t: Timeline | null, ctx: RowContext): Custody {
  if (!t)
    return {
      exhibitId: null,
      periods: [],
      handovers: [],
      events: [],
      finalState: finalStateText(null, []),
      story: [],
      notes: [],
    };
  const periods = periodRows(t);
  const handovers = handoverRows(t, ctx);
  const events = t.events.map((e) => eventRow(e, ctx));
  // Outcome entries that carry problems flag their hand-over too.
  return {
    exhibitId: t.exhibit,
    periods,
    handovers,
    events,
    finalState: finalStateText(t, periods),
    story: story(events, handovers),
    notes: (t.notes ?? []).map(noteRow),
  };
}

function noteRow(n: TimelineNote): NoteRow {
  const who = `${n.actor.name} (${n.actor.org}, ${n.actor.jurisdiction})`;
  return {
    seq: n.seq,
    kind: n.kind,
    summary: fillWording(NOTE_WORDING[n.kind], { ...n.details, who }),
    actor: party(n.actor),
    time: timeText(n.time, n.tz),
    logged: timeText(n.loggedAt, n.tz),
    details: Object.entries(n.details).map(([key, value]) => ({ key, value })),
  };
}
