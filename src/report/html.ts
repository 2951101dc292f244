/**
 * The report as ONE self-contained, printable HTML document: inline CSS and
 * SVG only, a Content-Security-Policy that forbids loading anything, A4 print
 * styles with a page break before each section. Every text from the model is
 * escaped (&<>"') and made visible (control and bidi characters shown as
 * [U+XXXX]); nothing from the model is ever placed in CSS, in a URL or in a
 * tag or attribute name. Its own headings and labels are worded in the model's
 * language (./messages/render.ts, render-html.ts, render-html-checks.ts).
 */
import { embeddedBundleElement } from './embedded.js';
import { CSP, styleSheet } from './html-style.js';
import { COMMON, fill, LANGUAGES, type Language, say } from './i18n.js';
import { guaranteeWord, languageOf, RENDER, rehashWord, relationWord, sealWord } from './messages/render.js';
import { HTML } from './messages/render-html.js';
import { HTML_CHECKS } from './messages/render-html-checks.js';
import {
  type DurationText,
  type EventRow,
  type PeriodRow,
  type RehashResult,
  type ReportModel,
  type SealResult,
  sizeText,
  type TimeText,
  visible,
} from './model.js';
import { escapeXml, renderCustodySvg } from './svg.js';

/** Escaped display text. */
const h = (s: string | number | null | undefined): string =>
  s === null || s === undefined ? '' : escapeXml(visible(String(s)));

type HtmlKey = keyof (typeof HTML)['en'] | keyof (typeof HTML_CHECKS)['en'];
/** The HTML report's two catalogues as one, per language. */
const HTML_ALL = Object.fromEntries(LANGUAGES.map((l) => [l, { ...HTML[l], ...HTML_CHECKS[l] }])) as Record<
  Language,
  Record<HtmlKey, string>
>;
type Values = Record<string, string | number | undefined>;

/** The renderer's wording in one language, as HTML: template text escaped, values already HTML. */
function wording(lang: Language) {
  const absent = escapeXml(say(COMMON, lang, 'notRecorded'));
  return {
    /** A message of this renderer, escaped; values are inserted as given (HTML). */
    t: (key: HtmlKey, values: Values = {}) => fill(escapeXml(HTML_ALL[lang][key]), values, absent),
    /** A shared message of the renderers, escaped; values are inserted as given (HTML). */
    r: (key: keyof (typeof RENDER)['en'], values: Values = {}) =>
      fill(escapeXml(RENDER[lang][key]), values, absent),
  };
}
type Wording = ReturnType<typeof wording>;

function time(w: Wording, tt: TimeText | null): string {
  if (!tt) return '<span class="muted">—</span>';
  const local =
    tt.local !== tt.utc ? `<br><span class="local">${w.t('local', { local: h(tt.local) })}</span>` : '';
  return `<span class="utc">${h(tt.utc)}</span>${local}`;
}

const dur = (d: DurationText | null) => (d ? h(d.text) : '—');

function verdictMark(w: Wording, v: string): string {
  if (v === 'pass') return `<span class="pass">✔ ${w.t('passed')}</span>`;
  if (v === 'fail') return `<span class="fail">✖ ${w.t('failed')}</span>`;
  return `<span class="notchecked">– ${w.t('notChecked')}</span>`;
}

function rehashMark(w: Wording, lang: Language, r: RehashResult | null): string {
  if (r === null) return '—';
  if (r === 'match') return `<span class="pass">= ${h(rehashWord(lang, r))}</span>`;
  if (r === 'MISMATCH') return `<span class="fail">≠ ${h(rehashWord(lang, r))}</span>`;
  return `<span class="muted">${r === 'not comparable' ? w.t('notComparableOther') : h(rehashWord(lang, r))}</span>`;
}

function sealMark(lang: Language, s: SealResult | null): string {
  if (s === null) return '—';
  if (s === 'intact') return `<span class="pass">${h(sealWord(lang, s))}</span>`;
  if (s === 'broken') return `<span class="fail">⚠ ${h(sealWord(lang, s, true))}</span>`;
  return `<span class="muted">${h(sealWord(lang, s))}</span>`;
}

const party = (p: { name: string; org: string; jurisdiction: string }) =>
  `${h(p.name)}<br><span class="muted small">${h(p.org)} · ${h(p.jurisdiction)}</span>`;

function kv(rows: [string, string][]): string {
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${k}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

/** A table head; the column names are HTML already. */
const thead = (cols: string[]) => `<thead><tr>${cols.map((c) => `<th>${c}</th>`).join('')}</tr></thead>`;

const muted = (s: string) => `<span class="muted">${s}</span>`;

function periodsTable(w: Wording, periods: PeriodRow[]): string {
  if (!periods.length) return `<p class="muted">${w.t('noPeriods')}</p>`;
  const head = thead([
    '#',
    w.r('custody'),
    w.t('colHolder'),
    w.t('colFromEntry'),
    w.t('colUntilEntry'),
    w.t('colDuration'),
  ]);
  return `<table>${head}<tbody>${periods
    .map(
      (p) =>
        `<tr><td class="nw">${p.index}</td><td>${p.status === 'held' ? w.t('held') : `${w.t('inTransitTo')}<br>${party(p.to ?? { name: '?', org: '?', jurisdiction: '?' })}${p.legalBasis ? `<br><span class="small">${w.t('legalBasis', { basis: h(p.legalBasis) })}</span>` : ''}`}</td><td>${party(p.holder)}</td><td>${time(w, p.from)} <span class="muted">(${p.fromSeq})</span></td><td>${p.until ? `${time(w, p.until)} <span class="muted">(${p.untilSeq})</span>` : muted(w.t('openEnd'))}</td><td>${dur(p.duration)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function eventsTable(w: Wording, lang: Language, events: EventRow[]): string {
  if (!events.length) return `<p class="muted">${w.t('noEvents')}</p>`;
  const head = thead([
    w.t('colEntry'),
    w.t('colEvent'),
    w.t('colTime'),
    w.t('colDetails'),
    w.t('colFindings'),
  ]);
  return `<table>${head}<tbody>${events
    .map((e) => {
      const findings = [
        ...e.problems.map(
          (p) =>
            `<span class="${p.severity === 'error' ? 'fail' : 'notchecked'}">${p.severity === 'error' ? '✖' : '!'} ${h(p.code)}</span>: ${h(p.message)}`,
        ),
        ...(e.rehash ? [w.t('digest', { mark: rehashMark(w, lang, e.rehash) })] : []),
        ...(e.seal ? [w.t('seal', { mark: sealMark(lang, e.seal) })] : []),
      ];
      return `<tr${e.flagged ? ' class="flagged"' : ''}><td class="nw">${e.seq}</td><td>${h(e.summary)}<br><span class="small muted">${w.t('signedBy', { actor: h(e.actor.text) })}</span></td><td>${time(w, e.time)}<br><span class="small muted">${w.t('logged', { time: h(e.logged.utc) })}</span></td><td class="small">${e.details.map((d) => `<b>${h(d.key)}</b>: <span class="${/^([0-9a-f]{32,})$/.test(d.value) ? 'mono' : 'pre'}">${h(d.value)}</span>`).join('<br>')}</td><td class="small">${findings.join('<br>') || '—'}</td></tr>`;
    })
    .join('')}</tbody></table>`;
}

/**
 * The report as one self-contained HTML document. With `bundle`, the document carries the
 * bundle it reports on (./embedded.ts), so that whoever holds the report can check it with a
 * verifier obtained independently.
 */
export function renderHtml(model: ReportModel, opts: { bundle?: Uint8Array } = {}): string {
  const lang = languageOf(model);
  const w = wording(lang);
  const { t, r } = w;
  const v = model.verdict;
  const id = model.identification;
  const c = model.custody;
  const notRecorded = muted(escapeXml(say(COMMON, lang, 'notRecorded')));
  const out: string[] = [];
  const css = styleSheet(lang, Boolean(model.translationNote));
  out.push(
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${h(`${model.method.tool} ${model.method.toolVersion}`)}">`,
    `<title>${h(model.title)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
  );

  // 1. Verdict, story and picture.
  const toc: [string, string][] = [
    ['identification', r('identification')],
    ['custody', r('custody')],
    ['lineage', t('tocLineage')],
    ['checks', r('checks')],
    ['scope', r('scope')],
    ['anchors', r('trustAnchors')],
    ['method', r('method')],
    ['certification', t('tocDeclaration')],
    ['validation', model.validation.heading],
  ];
  out.push(
    '<section class="first" id="verdict">',
    `<h1>${h(model.title)}</h1>`,
    // A translation says at once that the original-language record is what counts.
    ...(model.translationNote
      ? [`<p class="translation-note" role="note">${h(model.translationNote)}</p>`]
      : []),
    `<p class="muted">${t('meta', { source: h(model.source.text), time: h(model.generatedAt.utc), tool: h(model.method.tool), version: h(model.method.toolVersion), format: h(model.format) })}</p>`,
    `<p class="muted" id="provenance">${h(model.provenance.text)}</p>`,
    `<nav class="toc">${toc.map(([href, label]) => `<a href="#${href}">${label}</a>`).join('')}</nav>`,
    `<div class="verdict ${v.verified ? 'ok' : 'bad'}" role="status"><div class="status">${v.verified ? `✔ ${r('verified')}` : `✖ ${r('notVerified', { outcome: h(v.outcome) })}`}</div><p>${h(v.sentence)}</p>${
      v.reasons.length ? `<ul>${v.reasons.map((x) => `<li>${h(x)}</li>`).join('')}</ul>` : ''
    }<p class="small">${t('checksSummary', { passed: v.checksPassed, failed: v.checksFailed, notChecked: v.checksNotChecked, problems: v.problemCount })} ${v.anchored ? t('anchored') : t('notAnchored', { b: '<b>', '/b': '</b>' })}</p></div>`,
    `<h2>${r('custodyAtAGlance')}</h2>`,
    `<div class="picture">${renderCustodySvg(model)}</div>`,
    c.story.length
      ? `<ol class="story">${c.story.map((x) => `<li>${h(x)}</li>`).join('')}</ol>`
      : `<p class="muted">${t('noCustodyEvents')}</p>`,
    `<p><b>${h(c.finalState)}</b></p>`,
    '</section>',
  );

  // 2. Identification.
  out.push('<section id="identification">', `<h2>${t('identificationHeading')}</h2>`);
  const digestRows = (digests: { name: string; hex: string }[]) =>
    digests.map((d): [string, string] => [
      t('digestOf', { name: h(d.name) }),
      `<span class="mono">${h(d.hex)}</span>`,
    ]);
  if (id) {
    out.push(
      kv([
        [r('label'), h(id.label)],
        [r('exhibitId'), `<span class="mono">${h(id.exhibitId)}</span>`],
        [r('case'), h(id.caseRef)],
        [r('description'), `<span class="pre">${h(id.description)}</span>`],
        [r('size'), `${h(id.size.human)}${id.size.human !== id.size.text ? ` (${h(id.size.text)})` : ''}`],
        ...digestRows(id.digests),
        [
          r('registered'),
          t('registeredAt', {
            seq: id.registration.seq,
            time: time(w, id.registration.time),
            br: '<br>',
            party: party(id.registration.by),
          }),
        ],
        ...(id.evidence ? [[r('evidence'), h(id.evidence)] as [string, string]] : []),
        [r('seal'), id.seal ? h(id.seal) : notRecorded],
        [t('placeOfSeizure'), id.location ? h(id.location) : notRecorded],
        [t('timeOfSeizure'), id.seizedAt ? time(w, id.seizedAt) : notRecorded],
        [r('derivedFrom'), id.parent ? `<span class="mono">${h(id.parent)}</span>` : t('original')],
      ]),
    );
  } else out.push(`<p class="fail">✖ ${r('exhibitNotFound')}</p>`);
  if (model.file) {
    const f = model.file;
    out.push(
      `<h3>${r('fileCompared')}</h3>`,
      kv([
        [t('file'), h(f.name)],
        [r('size'), `${h(f.size.human)}${f.size.human !== f.size.text ? ` (${h(f.size.text)})` : ''}`],
        ...digestRows(f.digests),
        [
          t('result'),
          f.matches
            ? `<span class="pass">${t('fileMatches')}</span>`
            : `<span class="fail">${t('fileDiffers')}</span>`,
        ],
      ]),
    );
  } else out.push(`<p class="muted">${t('noFile')}</p>`);
  out.push('</section>');

  // 3. Custody timeline.
  out.push(
    '<section id="custody">',
    `<h2>${t('timeline')}</h2>`,
    `<p class="small muted">${t('timesNote')}</p>`,
    `<h3>${r('custodyPeriods')}</h3>`,
    periodsTable(w, c.periods),
    `<h3>${r('handovers')}</h3>`,
  );
  if (c.handovers.length) {
    const head = thead([
      '#',
      t('colFromTo'),
      t('colSent'),
      t('colReason'),
      t('colLegalBasis'),
      t('colOutcome'),
      t('colOnReceipt'),
    ]);
    out.push(
      `<table>${head}<tbody>${c.handovers
        .map((ho) => {
          const flagged = ho.problems.length > 0 || ho.rehash === 'MISMATCH' || ho.sealOnReceipt === 'broken';
          const at = { seq: ho.outcomeSeq ?? undefined, time: time(w, ho.outcomeAt) };
          const outcome =
            ho.outcome === 'accepted'
              ? `${t('acceptedAt', { ...at, br: '<br>', party: party(ho.outcomeBy ?? ho.to) })}${ho.acceptedByNamedReceiver ? '' : `<br><span class="fail">✖ ${t('notNamedReceiver')}</span>`}<br><span class="small">${t('inTransit', { duration: dur(ho.transit) })}</span>`
              : ho.outcome === 'pending'
                ? `<span class="notchecked">${r('notAcceptedAtEnd')}</span>`
                : t(ho.outcome === 'rejected' ? 'rejectedAt' : 'cancelledAt', at);
          const note = ho.outcomeNote
            ? `<br><span class="small">${t('note', { note: h(ho.outcomeNote) })}</span>`
            : '';
          const basis = ho.legalBasis
            ? h(ho.legalBasis)
            : ho.crossBorder
              ? `<span class="fail">${t('noneRecorded')}</span>`
              : muted(r('sameJurisdiction'));
          const receipt =
            ho.outcome === 'accepted'
              ? `${t('digest', { mark: rehashMark(w, lang, ho.rehash) })}${ho.rehashAlgorithms.length ? ` <span class="small muted">(${h(ho.rehashAlgorithms.join(', '))})</span>` : ''}<br>${t('seal', { mark: sealMark(lang, ho.sealOnReceipt) })}`
              : '—';
          return `<tr${flagged ? ' class="flagged"' : ''}><td class="nw">${ho.seq}</td><td>${party(ho.from)}<br>→ ${party(ho.to)}</td><td>${time(w, ho.sentAt)}</td><td>${h(ho.reason ?? '—')}<br><span class="small">${t('method', { method: h(ho.method ?? say(COMMON, lang, 'notRecorded')) })}<br>${t('seal', { mark: h(ho.seal ?? say(COMMON, lang, 'notRecorded')) })}</span></td><td>${basis}</td><td>${outcome}${note}${ho.problems.length ? `<br><span class="fail">✖ ${h(ho.problems.join(', '))}</span>` : ''}</td><td>${receipt}</td></tr>`;
        })
        .join('')}</tbody></table>`,
    );
  } else out.push(`<p class="muted">${r('neverHandedOver')}</p>`);
  out.push(`<h3>${r('allEntries')}</h3>`, eventsTable(w, lang, c.events));
  if (c.notes.length)
    out.push(
      `<h3>${r('notes')}</h3>`,
      `<table>${thead([t('colEntry'), t('colWhat'), t('colTime')])}<tbody>${c.notes
        .map(
          (n) =>
            `<tr><td class="nw">${n.seq}</td><td>${h(n.summary)}</td><td>${time(w, n.time)}<br><span class="small muted">${t('logged', { time: h(n.logged.utc) })}</span></td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  if (model.nonconformities)
    out.push(
      `<h3>${r('nonconformities')}</h3>`,
      `<p class="small">${h(model.nonconformities.intro)}</p>`,
      `<ul>${model.nonconformities.rows.map((n) => `<li${n.open ? ' class="fail"' : ''}>${h(n.text)}</li>`).join('')}</ul>`,
    );
  out.push('</section>');

  // 4. Lineage.
  out.push('<section id="lineage">', `<h2>${r('lineage')}</h2>`);
  if (model.lineage.length) {
    const head = thead([t('colRelation'), t('colExhibit'), r('registered'), t('colDigests')]);
    out.push(
      `<table>${head}<tbody>${model.lineage
        .map(
          (l) =>
            `<tr><td>${h(relationWord(lang, l.relation))}</td><td>${h(l.label ?? '')}<br><span class="mono">${h(l.exhibitId)}</span>${l.caseRef ? `<br><span class="small muted">${t('caseRef', { caseRef: h(l.caseRef) })}</span>` : ''}</td><td>${t('lineageRegistered', { seq: l.registeredSeq ?? undefined, time: time(w, l.registeredAt), br: '<br>', party: l.registeredBy ? party(l.registeredBy) : undefined })}</td><td>${l.digests.map((d) => `${h(d.name)}: <span class="mono">${h(d.hex)}</span>`).join('<br>') || '—'}</td></tr>`,
        )
        .join('')}</tbody></table>`,
      `<ul>${model.lineage.map((l) => `<li>${h(l.text)}</li>`).join('')}</ul>`,
    );
    for (const l of model.lineage)
      if (l.periods.length)
        out.push(
          `<h3>${t('custodyOf', { label: h(l.label ?? l.exhibitId), id: h(l.exhibitId) })}</h3>`,
          periodsTable(w, l.periods),
        );
  } else out.push(`<p class="muted">${t('originalEvidence')}</p>`);
  out.push('</section>');

  // 5. Checks and problems.
  out.push(
    '<section id="checks">',
    `<h2>${r('checks')}</h2>`,
    model.checks.length
      ? `<table>${thead([t('colCheck'), t('result'), t('colMeaning'), t('colDetail')])}<tbody>${model.checks
          .map(
            (ck) =>
              `<tr${ck.verdict === 'fail' ? ' class="flagged"' : ''}><td><b>${h(ck.title)}</b><br><span class="mono small muted">${h(ck.id)}</span></td><td class="nw">${verdictMark(w, ck.verdict)}</td><td class="small">${h(ck.meaning)}</td><td class="small">${h(ck.detail)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : `<p class="fail">✖ ${r('noChecks')}</p>`,
    `<h3>${r('problems')}</h3>`,
    model.problems.length
      ? `<table>${thead([t('colSeverity'), t('colCode'), t('colEntry'), t('colExhibit'), t('colMessage')])}<tbody>${model.problems
          .map(
            (p) =>
              `<tr${p.severity === 'error' ? ' class="flagged"' : ''}><td class="nw">${p.severity === 'error' ? `<span class="fail">✖ ${t('error')}</span>` : `<span class="notchecked">! ${t('warning')}</span>`}</td><td class="mono">${h(p.code)}</td><td class="nw">${p.seq ?? '—'}</td><td class="mono">${h(p.exhibit ?? '—')}</td><td>${h(p.message)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : `<p>${r('noProblems')}</p>`,
    '</section>',
  );

  // 6. Scope.
  out.push(
    '<section id="scope">',
    `<h2>${t('scopeHeading')}</h2>`,
    `<h3>${t('proven')}</h3>`,
    model.scope.proven.length
      ? `<ul class="scope proven">${model.scope.proven.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`
      : `<p class="fail">✖ ${r('nothingProven')}</p>`,
    `<h3>${t('notProven')}</h3>`,
    `<ul class="scope notproven">${model.scope.notProven.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`,
    '</section>',
  );

  // 7. Trust anchors, checkpoint, actors.
  out.push('<section id="anchors">', `<h2>${r('trustAnchors')}</h2>`);
  out.push(`<p class="small">${t('compareFingerprints')}</p>`);
  const anchorHead = thead([
    t('colRole'),
    t('colKey'),
    t('colFingerprint'),
    t('colPublicKey'),
    t('colMatched'),
  ]);
  out.push(
    model.anchors.length
      ? `<table>${anchorHead}<tbody>${model.anchors
          .map(
            (a) =>
              `<tr${a.matched ? '' : ' class="flagged"'}><td>${h(a.role)}</td><td>${r('keyYouSupplied')}</td><td class="mono">${h(a.fingerprintGrouped)}</td><td class="mono">${h(a.publicKey)}</td><td>${a.matched ? `<span class="pass">✔ ${t('yes')}</span>` : `<span class="fail">✖ ${t('no')}</span>`}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : `<p class="fail">✖ ${r('noAnchor')}</p>`,
  );
  out.push(`<h3>${r('checkpoint')}</h3>`);
  if (model.checkpoint) {
    const cp = model.checkpoint;
    const noCosignature = `<span class="fail">✖ ${t('noValidCosignature')}</span>`;
    out.push(
      kv([
        [t('treeSize'), h(cp.size)],
        [t('rootHash'), `<span class="mono">${h(cp.root)}</span>`],
        [
          t('signedByLabel'),
          cp.signedBy ? party(cp.signedBy) : `<span class="fail">✖ ${t('notSignedKnown')}</span>`,
        ],
        [
          t('witnesses'),
          cp.witnesses.length
            ? cp.witnesses
                .map(
                  (x) =>
                    `${h(x.name)}: ${x.verified ? `<span class="pass">✔ ${r('cosigned')}</span>` : noCosignature}`,
                )
                .join('<br>')
            : muted(t('none')),
        ],
        [
          t('quorum'),
          // Nothing is ticked that was not checked: a quorum of 0 asked for no witness at all.
          cp.quorum === 0
            ? t('quorumNone')
            : t('quorumOf', {
                verified: cp.witnessesVerified,
                quorum: cp.quorum,
                mark: cp.quorumMet
                  ? `<span class="pass">✔ ${t('met')}</span>`
                  : `<span class="fail">✖ ${t('notMet')}</span>`,
              }),
        ],
        [
          t('auditors'),
          cp.auditors.length
            ? cp.auditors
                .map(
                  (x) =>
                    `${h(x.name)}: ${x.verified ? `<span class="pass">✔ ${r('cosignedReplayed')}</span>` : noCosignature}`,
                )
                .join('<br>')
            : muted(t('noneAskedFor')),
        ],
        [
          t('asOf'),
          cp.cosignedAt
            ? `${h(cp.cosignedAt)} (${h(cp.cosignedBy.join(', '))})`
            : muted(t('noCosignatureDates')),
        ],
        ...cp.guarantees.map((g): [string, string] => [
          t('restsOn', { guarantee: h(guaranteeWord(lang, g.guarantee)) }),
          h(g.restsOn),
        ]),
      ]),
    );
  } else out.push(`<p class="muted">${t('noCheckpoint')}</p>`);
  if (model.actors.length)
    out.push(
      `<h3>${t('actors')}</h3>`,
      `<table>${thead([t('colName'), t('colOrganisation'), t('colJurisdiction'), t('colRoles'), t('colActorKey'), t('colEnrolled')])}<tbody>${model.actors
        .map(
          (a) =>
            `<tr><td>${h(a.name)}</td><td>${h(a.org)}</td><td>${h(a.jurisdiction)}</td><td>${h(a.roles.join(', '))}</td><td class="mono">${h(a.id)}<br>${h(a.publicKey)}</td><td>${t('entry', { seq: a.enrolledSeq })}${a.revokedSeq !== null ? `<br><span class="fail">${t('revokedAt', { seq: a.revokedSeq })}</span>` : ''}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  out.push('</section>');

  // 8. Method.
  const commands = model.certification.commands.map((x) => h(x)).join('\n') || t('noneRecorded');
  out.push(
    '<section id="method">',
    `<h2>${r('method')}</h2>`,
    `<p>${t('verifiedWith', { tool: `<b>${h(model.method.tool)}</b>`, version: `<b>${h(model.method.toolVersion)}</b>`, source: h(model.source.text) })}</p>`,
    `<table>${thead([t('colAlgorithm'), t('colStandard'), t('colUsedFor')])}<tbody>${model.method.algorithms
      .map((a) => `<tr><td>${h(a.name)}</td><td>${h(a.standard)}</td><td>${h(a.use)}</td></tr>`)
      .join('')}</tbody></table>`,
    ...model.method.notes.map((x) => `<p class="small">${h(x)}</p>`),
    `<h3>${t('commands')}</h3>`,
    `<pre class="commands">${commands}</pre>`,
    '</section>',
  );

  // 9. Certification.
  out.push(
    '<section id="certification">',
    `<h2>${h(model.certification.heading)}</h2>`,
    '<div class="cert keep">',
    ...model.certification.paragraphs.map((p) => `<p>${h(p)}</p>`),
    `<pre class="commands">${commands}</pre>`,
    `<div class="sig">${model.certification.signatureLines.map((s) => h(s)).join('<br>')}</div>`,
    '</div>',
    '</section>',
    // 10. The validation appendix (docs/VALIDATION.md): the verifier, what is tested, known limits.
    '<section id="validation">',
    `<h2>${h(model.validation.heading)}</h2>`,
    `<p>${h(model.validation.identity)}</p>`,
    `<p>${h(model.validation.testedHeading)}</p>`,
    `<ul>${model.validation.tested.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`,
    `<p>${h(model.validation.limitsHeading)}</p>`,
    `<ul>${model.validation.limits.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`,
    `<footer>${t('footer', { title: h(model.title), time: h(model.generatedAt.utc), tool: h(model.method.tool), version: h(model.method.toolVersion), format: h(model.format) })}</footer>`,
    '</section>',
    ...(opts.bundle
      ? [
          '<section id="embedded-bundle">',
          `<h2>${t('embeddedHeading')}</h2>`,
          `<p>${t('embedded', { size: h(sizeText(opts.bundle.length, lang).text), sha256: model.provenance.bundleSha256 ? h(model.provenance.bundleSha256) : undefined, command: '<code>custody verify-bundle</code>' })}</p>`,
          '</section>',
          embeddedBundleElement(opts.bundle),
        ]
      : []),
    '</body>',
    '</html>',
    '',
  );
  return out.join('\n');
}
