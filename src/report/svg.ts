/**
 * The custody picture: an inline SVG drawn from the report model. One lane per
 * jurisdiction and organisation, custody periods as bars along a (compressed)
 * time axis, hand-overs as arrows between lanes labelled with their legal
 * basis, failures marked in red AND with a distinct shape, and a legend.
 *
 * Self-contained: no external references, no markers or gradients referenced
 * by url(), no scripts. Every text is escaped; long texts are truncated with an
 * ellipsis and given in full in a <title>. Its own words are in the model's
 * language (./messages/render-svg.ts).
 */
import { chainView, type Glyph } from '../format/kinds.js';
import { COMMON, type Language, say, sayCount } from './i18n.js';
import { languageOf, RENDER, rehashWord, sealWord } from './messages/render.js';
import { SVG } from './messages/render-svg.js';
import { type EventRow, type HandoverRow, laneKey, type Party, type ReportModel, visible } from './model.js';

/** Escapes text for XML/HTML text and attribute values (both quote kinds). */
export function escapeXml(s: string): string {
  let out = '';
  for (const c of s) {
    switch (c) {
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      case '"':
        out += '&quot;';
        break;
      case "'":
        out += '&#39;';
        break;
      default:
        out += c;
    }
  }
  return out;
}

/** Truncates to at most `max` code points, ending with an ellipsis when cut. */
export function truncate(s: string, max: number): string {
  const cps = Array.from(s);
  if (cps.length <= max) return s;
  return `${cps
    .slice(0, Math.max(1, max - 1))
    .join('')
    .trimEnd()}…`;
}

/** Like truncate, but prefers to cut before a parenthesis: "EIO 2024/12 (Directive …)" → "EIO 2024/12 …". */
function shorten(s: string, max: number): string {
  if (Array.from(s).length <= max) return s;
  const cut = s.indexOf(' (');
  if (cut >= 8 && Array.from(s.slice(0, cut)).length <= max - 2) return `${s.slice(0, cut)} …`;
  return truncate(s, max);
}

/** Splits into at most two lines of `width` code points at spaces; the second is truncated. */
function twoLines(s: string, width: number): [string, string] {
  const cps = Array.from(s);
  if (cps.length <= width) return [s, ''];
  let cut = cps.slice(0, width + 1).lastIndexOf(' ');
  if (cut < width / 2) cut = width;
  const first = cps.slice(0, cut).join('').trimEnd();
  return [first, truncate(cps.slice(cut).join('').trim(), width)];
}

/** One line of display text: visible, whitespace collapsed. */
const line = (s: string) => visible(s).replace(/\s+/g, ' ').trim();
const t = (s: string) => escapeXml(line(s));
const n = (x: number) => (Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '0');

const W = 780;
const LABEL_W = 188;
const PLOT_L = LABEL_W + 18;
const PLOT_R = W - 26;
const BANNER_H = 46;
const LANE_H = 58;
const BAR_H = 14;
const RED = '#b00020';
const INK = '#1d2b3a';

/** The picture's marker of each glyph of the kinds table (src/format/kinds.ts ChainView.glyph). */
const GLYPHS: Readonly<Record<Glyph, (x: number, y: number) => string>> = {
  diamond: (x, y) =>
    `<path d="M${n(x)} ${n(y - 8)}L${n(x + 8)} ${n(y)}L${n(x)} ${n(y + 8)}L${n(x - 8)} ${n(y)}Z" fill="${INK}" stroke="#fff" stroke-width="1"/>`,
  ring: (x, y) => `<circle cx="${n(x)}" cy="${n(y)}" r="5" fill="#fff" stroke="${INK}" stroke-width="2"/>`,
  square: (x, y) => `<rect x="${n(x - 5)}" y="${n(y - 5)}" width="10" height="10" fill="#000"/>`,
  'small-ring': (x, y) =>
    `<circle cx="${n(x)}" cy="${n(y)}" r="3" fill="#fff" stroke="${INK}" stroke-width="1.5"/>`,
  dot: (x, y) => `<circle cx="${n(x)}" cy="${n(y)}" r="2.5" fill="${INK}"/>`,
};
const BAR = '#3f6e9c';
const FONT = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

interface Lane {
  key: string;
  org: string;
  jurisdiction: string;
  names: string[];
}

function lanesOf(model: ReportModel): Lane[] {
  const lanes = new Map<string, Lane>();
  const add = (p: Party) => {
    const key = laneKey(p);
    let l = lanes.get(key);
    if (!l) {
      l = { key, org: p.org, jurisdiction: p.jurisdiction, names: [] };
      lanes.set(key, l);
    }
    if (!l.names.includes(p.name)) l.names.push(p.name);
  };
  const c = model.custody;
  for (const e of c.events) {
    add(e.actor);
    const h = e.kind === 'transfer' ? c.handovers.find((x) => x.seq === e.seq) : undefined;
    if (h) add(h.to);
  }
  for (const p of c.periods) {
    add(p.holder);
    if (p.to) add(p.to);
  }
  return [...lanes.values()];
}

interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}
const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;

const title = (s: string) => `<title>${escapeXml(visible(s))}</title>`;

function failIcon(x: number, y: number): string {
  return `<g class="flag-fail"><circle cx="${n(x)}" cy="${n(y)}" r="7" fill="${RED}"/><path d="M${n(x - 3.2)} ${n(y - 3.2)}L${n(x + 3.2)} ${n(y + 3.2)}M${n(x + 3.2)} ${n(y - 3.2)}L${n(x - 3.2)} ${n(y + 3.2)}" stroke="#fff" stroke-width="2" stroke-linecap="round"/></g>`;
}
function mismatchIcon(x: number, y: number): string {
  return `<g class="flag-mismatch"><rect x="${n(x - 7)}" y="${n(y - 7)}" width="14" height="14" rx="2" fill="${RED}"/><path d="M${n(x - 4)} ${n(y - 2)}H${n(x + 4)}M${n(x - 4)} ${n(y + 2)}H${n(x + 4)}M${n(x + 2.5)} ${n(y - 5)}L${n(x - 2.5)} ${n(y + 5)}" stroke="#fff" stroke-width="1.6"/></g>`;
}
function sealIcon(x: number, y: number): string {
  return `<g class="flag-seal"><path d="M${n(x)} ${n(y - 8)}L${n(x + 8)} ${n(y + 6)}H${n(x - 8)}Z" fill="${RED}"/><path d="M${n(x)} ${n(y - 3.5)}V${n(y + 1.5)}" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/><circle cx="${n(x)}" cy="${n(y + 3.8)}" r="1.1" fill="#fff"/></g>`;
}
function okIcon(x: number, y: number): string {
  return `<g><circle cx="${n(x)}" cy="${n(y)}" r="9" fill="#1b6e3a"/><path d="M${n(x - 4.5)} ${n(y)}L${n(x - 1)} ${n(y + 3.5)}L${n(x + 5)} ${n(y - 3.5)}" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"/></g>`;
}

/** Positions along the axis: one slot per event, gaps growing with the logarithm of elapsed time. */
function positions(events: EventRow[]): { x: Map<number, number>; byTime: (ms: number) => number } {
  const weights: number[] = [1];
  for (let i = 1; i < events.length; i++) {
    const gap = Math.max(0, (events[i]?.time.ms ?? 0) - (events[i - 1]?.time.ms ?? 0));
    weights.push(1 + 2 * Math.log10(1 + (Number.isFinite(gap) ? gap : 0) / 60000));
  }
  const tail = 3;
  const total = weights.reduce((a, b) => a + b, 0) + tail;
  const x = new Map<number, number>();
  let cum = 0;
  const pts: { ms: number; x: number }[] = [];
  events.forEach((e, i) => {
    cum += weights[i] ?? 1;
    const px = PLOT_L + (cum / total) * (PLOT_R - PLOT_L);
    if (!x.has(e.seq)) x.set(e.seq, px);
    pts.push({ ms: e.time.ms, x: px });
  });
  const byTime = (ms: number) => {
    if (pts.length === 0) return PLOT_L;
    let best = pts[0]!;
    for (const p of pts) if (p.ms <= ms) best = p;
    return best.x;
  };
  return { x, byTime };
}

type Values = Record<string, string | number | undefined>;

export function renderCustodySvg(model: ReportModel): string {
  const lang: Language = languageOf(model);
  const s = (key: keyof (typeof SVG)['en'], values?: Values) => say(SVG, lang, key, values);
  const r = (key: keyof (typeof RENDER)['en'], values?: Values) => say(RENDER, lang, key, values);
  // Lists of titles and messages are joined as the language separates list items ("; ", " ; ").
  const sep = say(COMMON, lang, 'listSeparator');
  const c = model.custody;
  const lanes = lanesOf(model);
  const laneIndex = new Map(lanes.map((l, i) => [l.key, i]));
  const laneTop = (i: number) => BANNER_H + i * LANE_H;
  const centerOf = (p: Party) => laneTop(laneIndex.get(laneKey(p)) ?? 0) + LANE_H / 2;
  const { x: xs, byTime } = positions(c.events);
  const xOf = (seq: number | null, ms: number) => (seq !== null ? (xs.get(seq) ?? byTime(ms)) : byTime(ms));
  const lanesH = Math.max(1, lanes.length) * LANE_H;
  const axisY = BANNER_H + lanesH + 6;
  const parts: string[] = [];
  const placed: Box[] = [];

  // Banner: the verdict, with a shape as well as a colour.
  const v = model.verdict;
  const failedTitles = model.checks.filter((x) => x.verdict === 'fail').map((x) => x.title);
  const unplaced = model.problems.filter(
    (p) => p.severity === 'error' && (p.seq === null || !xs.has(p.seq)),
  ).length;
  let bannerText: string;
  if (v.verified)
    bannerText = v.checksNotChecked
      ? s('bannerSome', { passed: v.checksPassed, notPerformed: v.checksNotChecked })
      : s('bannerAll', { n: v.checksPassed });
  else {
    bannerText = failedTitles.length
      ? sayCount(SVG, lang, 'bannerFailed', failedTitles.length, { titles: failedTitles.join(sep) })
      : s('bannerReason', { reason: v.reasons[0] ?? s('seeReasons') });
    // A parenthesis after the banner's sentence: it reads the same in every language.
    if (unplaced) bannerText += sayCount(SVG, lang, 'unplaced', unplaced);
  }
  parts.push(
    `<g class="banner">${title(bannerText)}<rect x="1" y="4" width="${W - 2}" height="${BANNER_H - 12}" rx="4" fill="${v.verified ? '#e7f4ec' : '#fbe9eb'}" stroke="${v.verified ? '#1b6e3a' : RED}" stroke-width="${v.verified ? 1 : 2}"/>${v.verified ? okIcon(22, 21) : failIcon(22, 21)}<text x="40" y="26" font-size="13" font-weight="bold" fill="${v.verified ? '#1b6e3a' : RED}">${escapeXml(truncate(line(bannerText), 84))}</text></g>`,
  );

  // Lanes.
  lanes.forEach((l, i) => {
    const y = laneTop(i);
    const full = `${l.org} — ${l.jurisdiction} — ${l.names.join(', ')}`;
    const [org1, org2] = twoLines(line(l.org), 21);
    const orgText = org2
      ? `<text x="42" y="${n(y + 18)}" font-size="11" font-weight="bold" fill="${INK}">${t(org1)}</text><text x="42" y="${n(y + 31)}" font-size="11" font-weight="bold" fill="${INK}">${t(org2)}</text>`
      : `<text x="42" y="${n(y + 24)}" font-size="11" font-weight="bold" fill="${INK}">${t(org1)}</text>`;
    parts.push(
      `<g class="lane" data-lane="${escapeXml(line(`${l.jurisdiction} ${l.org}`))}">${title(full)}<rect x="0" y="${n(y)}" width="${W}" height="${LANE_H}" fill="${i % 2 ? '#ffffff' : '#f2f5f8'}"/><rect x="8" y="${n(y + 9)}" width="28" height="17" rx="3" fill="${INK}"/><text x="22" y="${n(y + 21.5)}" font-size="11" font-weight="bold" fill="#fff" text-anchor="middle">${t(truncate(l.jurisdiction, 3))}</text>${orgText}<text x="42" y="${n(y + 47)}" font-size="10" fill="#4a5a6a">${t(truncate(line(l.names.join(', ')), 27))}</text></g>`,
    );
  });
  parts.push(
    `<line x1="${PLOT_L - 8}" y1="${BANNER_H}" x2="${PLOT_L - 8}" y2="${n(BANNER_H + lanesH)}" stroke="#c5ced8"/>`,
  );
  if (c.events.length === 0)
    parts.push(
      `<text x="${n((PLOT_L + PLOT_R) / 2)}" y="${n(BANNER_H + LANE_H / 2 + 4)}" font-size="12" text-anchor="middle" fill="#4a5a6a">${escapeXml(s('noEvents'))}</text>`,
    );

  // Axis: a tick per event, a date label where there is room.
  parts.push(
    `<line x1="${PLOT_L}" y1="${n(axisY)}" x2="${PLOT_R}" y2="${n(axisY)}" stroke="${INK}"/><text x="8" y="${n(axisY + 14)}" font-size="10.5" fill="${INK}">${escapeXml(s('axis'))}</text><text x="8" y="${n(axisY + 27)}" font-size="9.5" fill="#4a5a6a">${escapeXml(s('notToScale'))}</text>`,
  );
  let lastLabelX = Number.NEGATIVE_INFINITY;
  let lastDate = '';
  for (const e of c.events) {
    const x = xs.get(e.seq);
    if (x === undefined) continue;
    parts.push(`<line x1="${n(x)}" y1="${n(axisY)}" x2="${n(x)}" y2="${n(axisY + 4)}" stroke="${INK}"/>`);
    const date = e.time.utc.slice(0, 10);
    const lx = Math.min(Math.max(x, PLOT_L + 32), PLOT_R - 32);
    if (date !== lastDate && lx - lastLabelX >= 70) {
      parts.push(
        `<text x="${n(lx)}" y="${n(axisY + 16)}" font-size="10" text-anchor="middle" fill="${INK}">${t(date)}</text>`,
      );
      lastLabelX = lx;
      lastDate = date;
    }
  }

  // Custody bars (held periods).
  for (const p of c.periods) {
    if (p.status !== 'held') continue;
    const y = centerOf(p.holder);
    const x1 = xOf(p.fromSeq, p.from.ms);
    const x2 = p.until ? xOf(p.untilSeq, p.until.ms) : PLOT_R - 6;
    const w = Math.max(4, x2 - x1);
    const tip = p.until
      ? ''
      : `<path d="M${n(x1 + w)} ${n(y - BAR_H / 2 - 2)}L${n(x1 + w + 7)} ${n(y)}L${n(x1 + w)} ${n(y + BAR_H / 2 + 2)}Z" fill="${BAR}"/>`;
    parts.push(
      `<g class="period">${title(
        p.until
          ? s('heldUntil', {
              holder: p.holder.text,
              from: p.from.utc,
              fromLocal: p.from.local,
              until: p.until.utc,
              untilLocal: p.until.local,
              duration: p.duration.text,
            })
          : s('heldOpen', {
              holder: p.holder.text,
              from: p.from.utc,
              fromLocal: p.from.local,
              duration: p.duration.text,
            }),
      )}<rect x="${n(x1)}" y="${n(y - BAR_H / 2)}" width="${n(w)}" height="${BAR_H}" rx="2" fill="${BAR}"/>${tip}</g>`,
    );
    placed.push({ x1, y1: y - BAR_H / 2, x2: x1 + w, y2: y + BAR_H / 2 });
  }

  const markerParts: string[] = [];
  // Event markers and failure flags.
  for (const e of c.events) {
    const x = xs.get(e.seq);
    if (x === undefined) continue;
    const y = centerOf(e.actor);
    const tip = s('eventTip', { summary: e.summary, seq: e.seq, time: e.time.utc, local: e.time.local });
    // A derived copy's registration shows hollow, labelled "copy"; every other event by its kind's glyph.
    const mark = e.derivedExhibit
      ? `<path d="M${n(x)} ${n(y - 7)}L${n(x + 7)} ${n(y)}L${n(x)} ${n(y + 7)}L${n(x - 7)} ${n(y)}Z" fill="#fff" stroke="${INK}" stroke-width="1.8"/><text x="${n(x)}" y="${n(y + 19)}" font-size="9" text-anchor="middle" fill="${INK}">${escapeXml(s('copy'))}</text>`
      : GLYPHS[chainView(e.kind).glyph](x, y);
    markerParts.push(`<g class="event" data-seq="${e.seq}">${title(tip)}${mark}</g>`);
    const flags: string[] = [];
    if (
      e.problems.some(
        (p) =>
          p.severity === 'error' &&
          p.code !== 'DIGEST_MISMATCH_RECORDED' &&
          p.code !== 'SEAL_BROKEN_RECORDED',
      )
    )
      flags.push('fail');
    if (e.digestMismatch) flags.push('mismatch');
    if (e.sealBroken) flags.push('seal');
    if (!flags.length) continue;
    const msgs = [
      ...e.problems.map((p) => `${p.code}: ${p.message}`),
      ...(e.digestMismatch ? [s('mismatchRecorded')] : []),
      ...(e.sealBroken ? [s('sealBrokenRecorded')] : []),
    ];
    const fy = y - BAR_H / 2 - 12;
    placed.push({ x1: x - flags.length * 9, y1: fy - 9, x2: x + flags.length * 9, y2: fy + 9 });
    const icons = flags
      .map((f, i) => {
        const fx = x + (i - (flags.length - 1) / 2) * 17;
        return f === 'fail' ? failIcon(fx, fy) : f === 'mismatch' ? mismatchIcon(fx, fy) : sealIcon(fx, fy);
      })
      .join('');
    markerParts.push(
      `<g class="flag" data-seq="${e.seq}">${title(s('flagTip', { seq: e.seq, messages: msgs.join(sep) }))}${icons}</g>`,
    );
  }
  // Hand-over arrows.
  const labels: string[] = [];
  const dense = c.handovers.length > 12;
  c.handovers.forEach((h: HandoverRow) => {
    const x1 = xOf(h.seq, h.sentAt.ms);
    const y1 = centerOf(h.from);
    const x2 = h.outcomeSeq !== null && h.outcomeAt ? xOf(h.outcomeSeq, h.outcomeAt.ms) : PLOT_R - 4;
    const yc = centerOf(h.to);
    const same = Math.abs(yc - y1) < 1;
    const down = yc > y1;
    const y2 = same ? yc - BAR_H / 2 - 1 : down ? yc - BAR_H / 2 - 1 : yc + BAR_H / 2 + 1;
    const sy = same ? y1 - BAR_H / 2 - 1 : down ? y1 + BAR_H / 2 : y1 - BAR_H / 2;
    // Control point: straight for lane changes, an arc within one lane.
    const cx = (x1 + x2) / 2;
    const cy = same ? y1 - LANE_H * 0.55 : (sy + y2) / 2;
    const dx = x2 - cx;
    const dy = y2 - cy;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const hx = x2 - ux * 8;
    const hy = y2 - uy * 8;
    const head = `M${n(x2)} ${n(y2)}L${n(hx - uy * 4.5)} ${n(hy + ux * 4.5)}L${n(hx + uy * 4.5)} ${n(hy - ux * 4.5)}Z`;
    const dashed = h.outcome !== 'accepted';
    const flagged = h.problems.length > 0 || h.rehash === 'MISMATCH' || h.sealOnReceipt === 'broken';
    const colour = flagged ? RED : INK;
    const basis = h.legalBasis ? h.legalBasis : h.crossBorder ? s('noLegalBasis') : s('sameJurisdiction');
    const outcome =
      h.outcome === 'accepted'
        ? s('outcomeAccepted', {
            by: h.outcomeBy?.text ?? '?',
            time: h.outcomeAt?.utc ?? '?',
            rehash: rehashWord(lang, h.rehash),
            seal: sealWord(lang, h.sealOnReceipt),
          })
        : h.outcome === 'pending'
          ? s('outcomeNotAccepted')
          : s(h.outcome === 'rejected' ? 'outcomeRejected' : 'outcomeCancelled', {
              note: h.outcomeNote ?? undefined,
            });
    const full = s('handoverTip', {
      seq: h.seq,
      from: h.from.text,
      to: h.to.text,
      time: h.sentAt.utc,
      basis: h.legalBasis ?? s('noneRecorded'),
      reason: h.reason ?? '—',
      outcome,
      problems: h.problems.join(', '),
    });
    const d = same
      ? `M${n(x1)} ${n(sy)}Q${n(cx)} ${n(cy)} ${n(x2)} ${n(y2)}`
      : `M${n(x1)} ${n(sy)}L${n(x2)} ${n(y2)}`;
    let cross = '';
    if (h.outcome === 'rejected' || h.outcome === 'cancelled')
      cross = `<path d="M${n(x2 - 5)} ${n(y2 - 5)}l10 10m0 -10l-10 10" stroke="${colour}" stroke-width="2"/>`;
    parts.push(
      `<g class="handover" data-seq="${h.seq}">${title(full)}<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="5 4"' : ''}/><path d="${head}" fill="${colour}"/>${cross}</g>`,
    );
    // Label beside the middle of the arrow, avoiding bars, flags and other labels. With many
    // hand-overs, domestic ones stay unlabelled (the tables list them all).
    if (dense && !h.legalBasis && !h.crossBorder) return;
    const text = shorten(line(h.outcome === 'accepted' ? basis : `${basis} (${r(h.outcome)})`), 34);
    const width = Array.from(text).length * 6.1 + 6;
    const midX = (x1 + x2) / 2;
    const midY = same ? cy + 4 : (sy + y2) / 2 + 4;
    const candidates: [number, number, 'start' | 'middle' | 'end'][] = [
      [midX - 7, midY, 'end'],
      [midX + 7, midY, 'start'],
    ];
    for (const off of dense ? [0, -15, 15] : [0, -15, 15, -30, 30, -45, 45])
      candidates.push([
        Math.min(Math.max(midX, PLOT_L + width / 2), W - width / 2 - 2),
        midY + off,
        'middle',
      ]);
    for (const [lx, ly, anchor] of candidates) {
      const left = anchor === 'end' ? lx - width : anchor === 'start' ? lx : lx - width / 2;
      const box = { x1: left, y1: ly - 11, x2: left + width, y2: ly + 3 };
      if (box.y1 < BANNER_H || box.y2 > BANNER_H + lanesH || box.x1 < PLOT_L - 4 || box.x2 > W - 2) continue;
      if (placed.some((b) => overlaps(b, box))) continue;
      placed.push(box);
      labels.push(
        `<text class="basis" x="${n(lx)}" y="${n(ly)}" font-size="10.5" text-anchor="${anchor}" fill="${colour}" stroke="#fff" stroke-width="3" paint-order="stroke">${title(full)}${escapeXml(text)}</text>`,
      );
      break;
    }
  });

  parts.push(...markerParts, ...labels);

  // Legend.
  const legendY = axisY + 52;
  const items: [string, string][] = [
    [`<rect x="0" y="-6" width="22" height="12" rx="2" fill="${BAR}"/>`, s('legendHeld')],
    [
      `<rect x="0" y="-6" width="16" height="12" rx="2" fill="${BAR}"/><path d="M16 -8L23 0L16 8Z" fill="${BAR}"/>`,
      s('legendStillHeld'),
    ],
    [
      `<path d="M0 0H16" stroke="${INK}" stroke-width="2"/><path d="M22 0L14 -4.5L14 4.5Z" fill="${INK}"/>`,
      s('legendAccepted'),
    ],
    [
      `<path d="M0 0H16" stroke="${INK}" stroke-width="2" stroke-dasharray="5 4"/><path d="M22 0L14 -4.5L14 4.5Z" fill="${INK}"/>`,
      s('legendNotAccepted'),
    ],
    [`<path d="M11 -8L19 0L11 8L3 0Z" fill="${INK}"/>`, s('legendRegistration')],
    [`<path d="M11 -7L18 0L11 7L4 0Z" fill="#fff" stroke="${INK}" stroke-width="1.8"/>`, s('legendCopy')],
    [`<circle cx="11" cy="0" r="5" fill="#fff" stroke="${INK}" stroke-width="2"/>`, s('legendExamination')],
    [`<circle cx="11" cy="0" r="3" fill="#fff" stroke="${INK}" stroke-width="1.5"/>`, s('legendAcceptance')],
    [`<rect x="6" y="-5" width="10" height="10" fill="#000"/>`, s('legendDisposal')],
    [failIcon(11, 0), s('legendFailed')],
    [mismatchIcon(11, 0), s('legendMismatch')],
    [sealIcon(11, 0), s('legendSeal')],
  ];
  let lx = 8;
  let ly = legendY;
  const legend: string[] = [
    `<text x="8" y="${n(legendY - 8)}" font-size="10.5" font-weight="bold" fill="${INK}">${escapeXml(s('legend'))}</text>`,
  ];
  for (const [sym, label] of items) {
    const w = 30 + label.length * 5.6 + 18;
    if (lx + w > W) {
      lx = 8;
      ly += 22;
    }
    legend.push(
      `<g transform="translate(${n(lx)} ${n(ly + 8)})">${sym}<text x="28" y="4" font-size="10" fill="${INK}">${escapeXml(label)}</text></g>`,
    );
    lx += w;
  }
  const H = ly + 30;
  // The two counts are a list of data items; each is counted in its own message.
  const counts = {
    organisations: sayCount(SVG, lang, 'organisations', lanes.length),
    handovers: sayCount(SVG, lang, 'handovers', c.handovers.length),
  };
  const ident = model.identification;
  const desc = [
    ident
      ? s('desc', { exhibit: `${ident.label} (${ident.exhibitId})`, ...counts })
      : s('descUnknown', counts),
    ...c.story,
    c.finalState,
  ].join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="custody-picture" role="img" aria-labelledby="custody-svg-title custody-svg-desc" viewBox="0 0 ${W} ${n(H)}" width="100%" font-family="${FONT}">`,
    `<title id="custody-svg-title">${escapeXml(visible(s('pictureTitle', { title: model.title })))}</title>`,
    `<desc id="custody-svg-desc">${escapeXml(visible(desc))}</desc>`,
    `<rect x="0" y="0" width="${W}" height="${n(H)}" fill="#fff"/>`,
    ...parts,
    ...legend,
    '</svg>',
  ].join('\n');
}
