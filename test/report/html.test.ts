import { describe, expect, it } from 'vitest';
import { buildReportModel, type ReportModel, renderCustodySvg, renderHtml } from '../../src/report/index.js';
import {
  caseVerdict,
  EIO,
  failVerdict,
  H,
  HOSTILE,
  HOSTILE_META,
  hostileVerdict,
  JIT,
  META,
  manyEventsVerdict,
  passVerdict,
  singleEventVerdict,
} from './fixtures.js';
import { attr, elementTokens, opens, scan, type Token, textsOf, visibleText } from './scan.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Every attribute name the report may use; anything else means markup leaked out of a value. */
const ALLOWED_ATTRS = new Set([
  'lang',
  'charset',
  'http-equiv',
  'content',
  'name',
  'class',
  'id',
  'role',
  'href',
  'scope',
  'xmlns',
  'viewbox',
  'width',
  'height',
  'font-family',
  'aria-labelledby',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'd',
  'fill',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-dasharray',
  'transform',
  'font-size',
  'font-weight',
  'text-anchor',
  'paint-order',
  'data-lane',
  'data-seq',
]);

/** Attributes that carry record text as inert data (never a URL, never code). */
const DATA_ATTRS = new Set(['xmlns', 'content', 'data-lane']);

const FORBIDDEN_TAGS = new Set([
  'script',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'link',
  'base',
  'form',
  'input',
  'button',
  'img',
  'image',
  'picture',
  'source',
  'audio',
  'video',
  'track',
  'use',
  'foreignobject',
  'portal',
  'textarea',
  'template',
]);

const URL_ATTRS = new Set([
  'src',
  'href',
  'xlink:href',
  'action',
  'formaction',
  'srcset',
  'poster',
  'background',
  'data',
  'codebase',
  'cite',
  'longdesc',
  'ping',
  'manifest',
]);

/** Everything that could run code or load a resource. */
function assertInert(tokens: Token[]) {
  for (const t of opens(tokens)) {
    expect(FORBIDDEN_TAGS.has(t.name), `forbidden <${t.name}>`).toBe(false);
    for (const a of t.attrs) {
      expect(a.name.startsWith('on'), `event handler ${a.name} on <${t.name}>`).toBe(false);
      expect(ALLOWED_ATTRS.has(a.name), `unexpected attribute ${a.name} on <${t.name}>`).toBe(true);
      const v = (a.value ?? '').trim().toLowerCase();
      if (URL_ATTRS.has(a.name))
        expect(v.startsWith('#') || v.startsWith('data:'), `${a.name}=${v}`).toBe(true);
      if (URL_ATTRS.has(a.name)) expect(v.includes('javascript:'), `${a.name}=${v}`).toBe(false);
      if (!DATA_ATTRS.has(a.name)) expect(v.includes('://'), `${a.name}=${v}`).toBe(false);
      expect(a.name === 'style', 'no style attributes').toBe(false);
    }
    if (t.name === 'meta' && attr(t, 'http-equiv')?.toLowerCase() === 'refresh') expect.fail('meta refresh');
  }
  const xmlns = opens(tokens).flatMap((t) => t.attrs.filter((a) => a.name === 'xmlns').map((a) => a.value));
  for (const x of xmlns) expect(x).toBe('http://www.w3.org/2000/svg');
  for (const t of tokens) {
    if (t.type !== 'raw') continue;
    expect(t.name).toBe('style');
    const css = t.text.toLowerCase();
    expect(css).not.toContain('@import');
    expect(css).not.toContain('://');
    expect(css).not.toContain('expression(');
    let i = css.indexOf('url(');
    while (i >= 0) {
      const rest = css
        .slice(i + 4)
        .trimStart()
        .replace(/^['"]/, '');
      expect(rest.startsWith('data:') || rest.startsWith('#'), `url( in CSS: ${rest.slice(0, 20)}`).toBe(
        true,
      );
      i = css.indexOf('url(', i + 4);
    }
  }
}

function render(m: ReportModel) {
  const html = renderHtml(m);
  const tokens = scan(html);
  return { html, tokens, text: visibleText(tokens) };
}

describe('HTML report: passing case', () => {
  const m = buildReportModel(passVerdict(), META);
  const { html, tokens, text } = render(m);

  it('is one UTF-8 document with a strict CSP and print styles', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const metas = opens(tokens, 'meta');
    expect(metas.some((t) => attr(t, 'charset')?.toLowerCase() === 'utf-8')).toBe(true);
    const csp = metas.filter((t) => attr(t, 'http-equiv') === 'Content-Security-Policy');
    expect(csp).toHaveLength(1);
    expect(attr(csp[0]!, 'content')).toBe(CSP);
    const styles = tokens.filter((t) => t.type === 'raw' && t.name === 'style');
    expect(styles).toHaveLength(1);
    const css = styles[0]!.type === 'raw' ? styles[0]!.text : '';
    expect(css).toContain('size: A4');
    expect(css).toContain('break-before: page');
    expect(opens(tokens, 'section').length).toBeGreaterThanOrEqual(8);
    expect(opens(tokens, 'svg')).toHaveLength(1);
  });

  it('loads nothing and runs nothing', () => {
    assertInert(tokens);
    for (const a of opens(tokens, 'a')) expect(attr(a, 'href')?.startsWith('#')).toBe(true);
  });

  it('shows the verdict first', () => {
    const first = textsOf(tokens, 'div').find((s) => s.includes('VERIFIED'));
    expect(first).toContain('✔ VERIFIED');
    expect(text).toContain(m.verdict.sentence);
    expect(text.indexOf(m.verdict.sentence)).toBeLessThan(text.indexOf('Identification of the evidence'));
  });

  it('contains every identification fact', () => {
    const id = m.identification!;
    for (const s of [
      id.label,
      id.exhibitId,
      id.caseRef,
      id.description,
      id.size.text,
      id.size.human,
      id.seal!,
      id.location!,
    ])
      expect(text).toContain(s);
    const rows = textsOf(tokens, 'tr');
    for (const d of id.digests)
      expect(rows.some((r) => r.includes(`${d.name} digest`) && r.includes(d.hex))).toBe(true);
    expect(rows.some((r) => r.includes('SHA-256 digest') && r.includes(id.digests[0]!.hex))).toBe(true);
    expect(text).toContain(id.registration.time.utc);
    expect(text).toContain(id.registration.time.local);
    expect(text).toContain(id.seizedAt!.local);
  });

  it('contains every holder, legal basis, UTC and local time and duration', () => {
    for (const p of m.custody.periods) {
      expect(text).toContain(p.holder.name);
      expect(text).toContain(p.holder.org);
      expect(text).toContain(p.from.utc);
      expect(text).toContain(p.from.local);
      if (p.until) expect(text).toContain(p.until.local);
      expect(text).toContain(p.duration.text);
    }
    expect(text).toContain(EIO);
    expect(text).toContain(JIT);
    for (const h of m.custody.handovers) {
      if (h.reason) expect(text).toContain(h.reason);
      if (h.method) expect(text).toContain(h.method);
      if (h.transit) expect(text).toContain(h.transit.text);
    }
    const handoverRows = textsOf(tokens, 'tr').filter((r) => r.includes('→'));
    expect(handoverRows.filter((r) => r.includes('= match') && r.includes('intact'))).toHaveLength(3);
    for (const s of m.custody.story) expect(text).toContain(s);
  });

  it('contains every check with its verdict, the anchors, the method, scope and certification', () => {
    const rows = textsOf(tokens, 'tr');
    for (const c of m.checks) {
      const row = rows.find((r) => r.includes(c.title) && r.includes(c.id));
      expect(row, c.title).toBeDefined();
      expect(row).toContain(c.verdictText);
      expect(row).toContain(c.detail);
    }
    for (const a of m.anchors) {
      expect(text).toContain(a.fingerprintGrouped);
      expect(text).toContain(a.publicKey);
    }
    expect(text).toContain('custody');
    expect(text).toContain('0.1.0');
    for (const a of m.method.algorithms) expect(text).toContain(a.standard);
    for (const s of [...m.scope.proven, ...m.scope.notProven]) expect(text).toContain(s);
    for (const p of m.certification.paragraphs) expect(text).toContain(p);
    for (const c of META.commands) expect(text).toContain(c);
    expect(text).toContain(m.lineage[1]!.exhibitId);
  });
});

describe('HTML report: failing case', () => {
  const m = buildReportModel(failVerdict(), META);
  const { tokens, text } = render(m);

  it('says NOT VERIFIED, marks failures with a symbol, and lists every problem', () => {
    expect(text).toContain('✖ NOT VERIFIED');
    const rows = textsOf(tokens, 'tr');
    for (const title of ['Revealed cleartext', 'Witness cosignatures', 'Integrity on every re-check'])
      expect(rows.find((r) => r.includes(title) && r.includes('FAILED'))).toContain('✖');
    for (const p of m.problems) {
      expect(text).toContain(p.code);
      expect(text).toContain(p.message);
    }
    expect(text).toContain('≠ MISMATCH');
    expect(text).toContain('Nothing is claimed as proven');
    expect(text).not.toContain('custody was continuous');
    const flagged = opens(tokens, 'tr').filter((t) => attr(t, 'class') === 'flagged');
    expect(flagged.length).toBeGreaterThanOrEqual(6);
    assertInert(tokens);
  });
});

describe('HTML report: hostile input', () => {
  const m = buildReportModel(hostileVerdict(), HOSTILE_META);
  const { html, tokens, text } = render(m);

  it('contains no executable markup', () => {
    assertInert(tokens);
    expect(opens(tokens, 'script')).toHaveLength(0);
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html.toLowerCase()).not.toContain('<img');
    expect(html).not.toContain('" onload="');
    expect(html).not.toContain("' onclick='");
    // The only <svg> is ours, and the only <style> too.
    expect(opens(tokens, 'svg')).toHaveLength(1);
    expect(tokens.filter((t) => t.type === 'raw')).toHaveLength(1);
  });

  it('shows every hostile string as text, in every field', () => {
    for (const s of [
      `HDD ${H}`,
      `case ${H}`,
      `seal ${H}`,
      `place ${H}`,
      `EIO ${H}`,
      `JIT ${H}`,
      `reason ${H}`,
      `police ${H}`,
      `police org ${H}`,
      `court ${H}`,
      `check ${H}`,
      `detail ${H}`,
      `msg ${H}`,
      `custody ${H}`,
      `0.1.0 ${H}`,
      `npx custody verify-bundle ${H}`,
      `file ${H}`,
      `origin ${H}`,
      `w1 ${H}`,
    ])
      expect(text, s).toContain(s);
    for (const s of HOSTILE) expect(text).toContain(s);
  });

  it('makes bidirectional overrides visible and never emits them', () => {
    expect(html).not.toContain('\u202E');
    expect(text).toContain('second line [U+202E]evil[U+202C]');
  });

  it('falls back to UTC for a hostile time zone', () => {
    expect(text).toContain(`(time zone Europe/${H} unknown here)`);
  });

  it('escapes inside the SVG, including <title> and attribute values', () => {
    const svg = renderCustodySvg(m);
    const st = scan(svg);
    assertInert(st);
    const titles = textsOf(st, 'title');
    expect(titles.some((x) => x.includes(`police org ${H}`))).toBe(true);
    expect(titles.some((x) => x.includes(`EIO ${H}`))).toBe(true);
    for (const t of opens(st, 'g')) {
      const lane = attr(t, 'data-lane');
      if (lane) expect(lane).toContain('<script>');
    }
  });
});

function svgOf(m: ReportModel) {
  const tokens = scan(renderCustodySvg(m));
  const lanes = opens(tokens, 'g').filter((t) => attr(t, 'class') === 'lane');
  const arrows = opens(tokens, 'g').filter((t) => attr(t, 'class') === 'handover');
  return { tokens, lanes, arrows, svg: renderCustodySvg(m) };
}

function assertNumbersSane(tokens: Token[]) {
  for (const t of opens(tokens)) {
    for (const a of t.attrs) {
      const v = a.value ?? '';
      expect(v.includes('NaN') || v.includes('Infinity'), `${t.name} ${a.name}=${v}`).toBe(false);
    }
    if (t.name === 'rect') {
      expect(Number(attr(t, 'width'))).toBeGreaterThan(0);
      expect(Number(attr(t, 'height'))).toBeGreaterThan(0);
    }
  }
}

describe('SVG custody picture', () => {
  it('has a lane per jurisdiction/organisation and an arrow per hand-over', () => {
    const m = buildReportModel(passVerdict(), META);
    const { tokens, lanes, arrows } = svgOf(m);
    expect(lanes.map((l) => attr(l, 'data-lane'))).toEqual([
      'NL Politie Eenheid Amsterdam',
      'NL Nederlands Forensisch Instituut',
      'DE Bundeskriminalamt',
      'FR Tribunal judiciaire de Paris',
    ]);
    expect(arrows.map((a) => attr(a, 'data-seq'))).toEqual(['6', '11', '13']);
    const labels = textsOf(tokens, 'text', 'title');
    expect(labels.some((l) => l.startsWith('EIO 2024/0412 NL→DE'))).toBe(true);
    expect(labels.some((l) => l.startsWith('JIT agreement NL-DE-FR 2023/17'))).toBe(true);
    expect(labels.some((l) => l.includes('VERIFIED'))).toBe(true);
    expect(labels.includes('Legend')).toBe(true);
    // Periods: one bar per held period.
    expect(opens(tokens, 'g').filter((t) => attr(t, 'class') === 'period')).toHaveLength(4);
    expect(opens(tokens, 'g').filter((t) => attr(t, 'class') === 'flag')).toHaveLength(0);
    assertNumbersSane(tokens);
    assertInert(tokens);
  });

  it('marks failed entries and recorded mismatches in red with distinct symbols', () => {
    const m = buildReportModel(failVerdict(), META);
    const { tokens } = svgOf(m);
    const flag12Classes = opens(
      tokens.slice(
        tokens.findIndex(
          (t) => t.type === 'open' && attr(t, 'class') === 'flag' && attr(t, 'data-seq') === '12',
        ),
      ),
      'g',
    )
      .slice(0, 2)
      .map((t) => attr(t, 'class'));
    expect(flag12Classes).toEqual(['flag', 'flag-fail']);
    const flag14 = tokens.findIndex(
      (t) => t.type === 'open' && attr(t, 'class') === 'flag' && attr(t, 'data-seq') === '14',
    );
    expect(flag14).toBeGreaterThan(0);
    expect(attr(opens(tokens.slice(flag14 + 1), 'g')[0]!, 'class')).toBe('flag-mismatch');
    // Red, and a shape: the fail icon is a red circle with a white cross.
    const icon = elementTokens(tokens, 'g', 'class', 'flag-fail');
    expect(opens(icon, 'circle').map((c) => attr(c, 'fill'))).toEqual(['#b00020']);
    expect(opens(icon, 'path').map((c) => attr(c, 'stroke'))).toEqual(['#fff']);
    // The banner says NOT VERIFIED and names the failed checks.
    const banner = textsOf(tokens, 'title').find((x) => x.startsWith('NOT VERIFIED'));
    expect(banner).toContain('Witness cosignatures; Revealed cleartext; Integrity on every re-check');
    // The hand-overs concerned are drawn in red.
    const arrows = opens(tokens, 'g').filter((t) => attr(t, 'class') === 'handover');
    expect(arrows).toHaveLength(3);
    const paths = (seq: string) =>
      opens(elementTokens(tokens, 'g', 'data-seq', seq), 'path').map(
        (p) => attr(p, 'stroke') ?? attr(p, 'fill'),
      );
    expect(paths('11')).toContain('#b00020');
    expect(paths('13')).toContain('#b00020');
    expect(paths('6')).not.toContain('#b00020');
  });

  it('copes with a single event', () => {
    const { tokens, lanes, arrows } = svgOf(buildReportModel(singleEventVerdict(), META));
    expect(lanes).toHaveLength(1);
    expect(arrows).toHaveLength(0);
    assertNumbersSane(tokens);
  });

  it('copes with no events at all', () => {
    const v = passVerdict();
    v.timeline = null;
    const { tokens, arrows } = svgOf(buildReportModel(v, META));
    expect(arrows).toHaveLength(0);
    expect(visibleText(tokens)).toContain('No custody events to draw.');
    assertNumbersSane(tokens);
  });

  it('copes with 100 events and zero-length periods', () => {
    const m = buildReportModel(manyEventsVerdict(100), META);
    expect(m.custody.events).toHaveLength(100);
    expect(m.custody.periods.some((p) => p.duration.ms === 0)).toBe(true);
    const { tokens, lanes, arrows } = svgOf(m);
    expect(lanes).toHaveLength(4);
    expect(arrows).toHaveLength(m.custody.handovers.length);
    expect(arrows.length).toBeGreaterThanOrEqual(49);
    assertNumbersSane(tokens);
    const events = opens(tokens, 'g').filter((t) => attr(t, 'class') === 'event');
    expect(events).toHaveLength(100);
    // All events inside the drawing.
    for (const c of opens(tokens, 'circle')) {
      const cx = Number(attr(c, 'cx'));
      if (Number.isFinite(cx)) expect(cx).toBeLessThanOrEqual(780);
    }
  });

  it('truncates very long names with an ellipsis and keeps the full text in <title>', () => {
    const longOrg = `Landeskriminalamt ${'Nordrhein-Westfalen '.repeat(15)}Abteilung 4`;
    const longName = `Kriminalhauptkommissarin ${'Dr. '.repeat(20)}Schmidt`;
    const v = caseVerdict({
      people: { bka: { org: longOrg, name: longName } },
      jit: `JIT ${'x'.repeat(300)}`,
    });
    const { tokens } = svgOf(buildReportModel(v, META));
    const texts = textsOf(tokens, 'text', 'title');
    expect(texts).toContain('Landeskriminalamt');
    expect(texts.some((x) => x.endsWith('…') && x.startsWith('Nordrhein-Westfalen'))).toBe(true);
    expect(texts.some((x) => x.endsWith('…') && x.startsWith('Kriminalhauptkommissarin'))).toBe(true);
    expect(texts.every((x) => Array.from(x).length <= 90)).toBe(true);
    const titles = textsOf(tokens, 'title');
    expect(titles.some((x) => x.includes(longOrg.trim()) && x.includes(longName))).toBe(true);
    expect(titles.some((x) => x.includes(`JIT ${'x'.repeat(300)}`))).toBe(true);
    assertNumbersSane(tokens);
  });

  it('draws rejected and pending hand-overs dashed', () => {
    const v = passVerdict();
    v.timeline!.events = v.timeline!.events.filter((e) => e.seq <= 13);
    v.timeline!.periods = v.timeline!.periods.slice(0, 6);
    v.timeline!.periods[5]!.until = null;
    v.timeline!.periods[5]!.untilSeq = null;
    const { tokens } = svgOf(buildReportModel(v, META));
    const dashed = opens(elementTokens(tokens, 'g', 'data-seq', '13'), 'path').filter((p) =>
      attr(p, 'stroke-dasharray'),
    );
    expect(dashed).toHaveLength(1);
  });
});
