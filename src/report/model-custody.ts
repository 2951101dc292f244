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
import { COMMON, type Language, say } from './i18n.js';
import { CUSTODY } from './messages/custody.js';
import { digestName, durationText, timeText } from './model-formatting.js';
import { party, unknownReceiver } from './model-party.js';
import type {
  Custody,
  EventRow,
  HandoverRow,
  NoteRow,
  PeriodRow,
  RehashResult,
  SealResult,
} from './model-types.js';
import { EVENT_WORDING, eventWording, fillWording, noteWording } from './wording.js';

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

function eventSummary(ev: TimelineEvent, d: Record<string, string>, lang: Language): string {
  const who = party(ev.actor).text;
  const w = eventWording(lang, ev.kind);
  const template = ev.derived && w.derived ? w.derived : w.summary;
  return fillWording(template, { ...d, who, derived: ev.derived }, COMMON[lang].notRecorded);
}

/** A re-hash result as the story words it (the rows keep the machine value). */
function rehashWord(r: RehashResult | null, lang: Language): string | undefined {
  if (r === null) return undefined;
  const key = (
    {
      match: 'digestMatch',
      MISMATCH: 'digestMismatch',
      'not comparable': 'digestNotComparable',
      'not re-hashed': 'digestNotRehashed',
    } as const
  )[r];
  return say(CUSTODY, lang, key);
}

/** A seal state as the story words it; an absent state reads "not recorded" in the language. */
function sealWord(s: SealResult | null, lang: Language): string {
  if (s === 'broken') return say(CUSTODY, lang, 'sealBroken');
  return say(CUSTODY, lang, s === 'intact' ? 'sealIntact' : 'sealNotRecorded');
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
    summary: eventSummary(ev, ev.details, ctx.lang),
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
export function periodRows(t: Timeline, lang: Language): PeriodRow[] {
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
      duration: durationText(p.until === null ? null : p.until - p.from, lang),
      text:
        p.status === 'held'
          ? say(CUSTODY, lang, 'periodHeld', { holder: holder.text })
          : to
            ? say(CUSTODY, lang, 'periodInTransit', { holder: holder.text, to: to.text })
            : say(CUSTODY, lang, 'periodInTransitUnknown', { holder: holder.text }),
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
    const to = p.to ? party(p.to) : unknownReceiver(ctx.lang);
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
      transit: p.until === null ? null : durationText(p.until - p.from, ctx.lang),
      problems: [...new Set(codes)],
    });
  }
  return rows;
}

function finalStateText(t: Timeline | null, periods: PeriodRow[], lang: Language): string {
  if (!t) return say(CUSTODY, lang, 'noCustody');
  const last = periods[periods.length - 1];
  switch (t.status) {
    case 'held':
      return last
        ? say(CUSTODY, lang, 'finalHeld', {
            holder: last.holder.text,
            since: last.from.utc,
            seq: last.fromSeq,
          })
        : say(CUSTODY, lang, 'finalHeldBare');
    case 'in-transit': {
      if (!last) return say(CUSTODY, lang, 'finalInTransitBare');
      const values = { holder: last.holder.text, to: last.to?.text, since: last.from.utc, seq: last.fromSeq };
      return say(CUSTODY, lang, last.to ? 'finalInTransit' : 'finalInTransitUnknown', values);
    }
    case 'disposed': {
      const ev = [...t.events].reverse().find((e) => chainView(e.kind).custody === 'end');
      if (!ev) return say(CUSTODY, lang, 'finalDisposedBare');
      const method = ev.details['method'];
      const values = { method, by: party(ev.actor).text, on: timeText(ev.time, ev.tz).utc, seq: ev.seq };
      return say(CUSTODY, lang, method ? 'finalDisposed' : 'finalDisposedNoMethod', values);
    }
    default:
      return say(CUSTODY, lang, 'finalUnknown');
  }
}

/** A hand-over as one story line: one whole template per outcome. */
function handoverLine(h: HandoverRow, when: string, flag: string | undefined, lang: Language): string {
  const values = { when, from: h.from.text, to: h.to.text, legalBasis: h.legalBasis ?? undefined, flag };
  switch (h.outcome) {
    case 'accepted':
      return say(CUSTODY, lang, 'storyAccepted', {
        ...values,
        acceptedOn: h.outcomeAt?.utc.slice(0, 10),
        acceptedBy: h.outcomeBy && !h.acceptedByNamedReceiver ? h.outcomeBy.text : undefined,
        digest: rehashWord(h.rehash, lang),
        seal: sealWord(h.sealOnReceipt, lang),
      });
    case 'pending':
      return say(CUSTODY, lang, 'storyPending', values);
    case 'rejected':
      return say(CUSTODY, lang, 'storyRejected', { ...values, note: h.outcomeNote ?? undefined });
    case 'cancelled':
      return say(CUSTODY, lang, 'storyCancelled', { ...values, note: h.outcomeNote ?? undefined });
  }
}

function story(events: EventRow[], handovers: HandoverRow[], lang: Language): string[] {
  const out: string[] = [];
  const byTransfer = new Map(handovers.map((h) => [h.seq, h]));
  const outcomes = new Set(handovers.map((h) => h.outcomeSeq).filter((s) => s !== null));
  // A template cannot hold a literal bracket, so the mark's brackets are put in here.
  const mark = `[${say(CUSTODY, lang, 'flagged')}]`;
  for (const e of events) {
    if (outcomes.has(e.seq) && chainView(e.kind).custody !== 'register') continue;
    const when = e.time.utc.slice(0, 10);
    // A registration carried with a hand-over from a peer shares the hand-over's entry.
    const h = chainView(e.kind).custody === 'hand-over' ? byTransfer.get(e.seq) : undefined;
    const flag = e.flagged || (h?.problems.length ?? 0) > 0 ? mark : undefined;
    if (h) out.push(handoverLine(h, when, flag, lang));
    else {
      const digest = e.rehash && e.rehash !== 'not re-hashed' ? rehashWord(e.rehash, lang) : undefined;
      out.push(say(CUSTODY, lang, 'storyEvent', { when, summary: e.summary, digest, flag }));
    }
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
      finalState: finalStateText(null, [], ctx.lang),
      story: [],
      notes: [],
    };
  const periods = periodRows(t, ctx.lang);
  const handovers = handoverRows(t, ctx);
  const events = t.events.map((e) => eventRow(e, ctx));
  // Outcome entries that carry problems flag their hand-over too.
  return {
    exhibitId: t.exhibit,
    periods,
    handovers,
    events,
    finalState: finalStateText(t, periods, ctx.lang),
    story: story(events, handovers, ctx.lang),
    notes: (t.notes ?? []).map((n) => noteRow(n, ctx.lang)),
  };
}

function noteRow(n: TimelineNote, lang: Language): NoteRow {
  const who = party(n.actor).text;
  return {
    seq: n.seq,
    kind: n.kind,
    summary: fillWording(noteWording(lang, n.kind), { ...n.details, who }, COMMON[lang].notRecorded),
    actor: party(n.actor),
    time: timeText(n.time, n.tz),
    logged: timeText(n.loggedAt, n.tz),
    details: Object.entries(n.details).map(([key, value]) => ({ key, value })),
  };
}
