/**
 * The report as ONE self-contained, printable HTML document: inline CSS and
 * SVG only, a Content-Security-Policy that forbids loading anything, A4 print
 * styles with a page break before each section. Every text from the model is
 * escaped (&<>"') and made visible (control and bidi characters shown as
 * [U+XXXX]); nothing from the model is ever placed in CSS, in a URL or in a
 * tag or attribute name.
 */
import { embeddedBundleElement } from './embedded.js';
import {
  type DurationText,
  type EventRow,
  type PeriodRow,
  type ReportModel,
  sizeText,
  type TimeText,
  visible,
} from './model.js';
import { escapeXml, renderCustodySvg } from './svg.js';

/** Escaped display text. */
const h = (s: string | number | null | undefined): string =>
  s === null || s === undefined ? '' : escapeXml(visible(String(s)));

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS = `
@page { size: A4; margin: 15mm 13mm 17mm 13mm;
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 8pt; color: #4a5a6a; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 10pt; line-height: 1.42;
  color: #1d2b3a; background: #fff; margin: 0 auto; max-width: 200mm; padding: 8mm 6mm; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #1d2b3a; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
p { margin: 0 0 2.5mm; }
section { break-before: page; page-break-before: always; padding-top: 2mm; }
section.first { break-before: auto; page-break-before: auto; }
table { border-collapse: collapse; width: 100%; margin: 0 0 3mm; font-size: 9pt; }
th, td { border: 1px solid #b9c4cf; padding: 2px 4px; vertical-align: top; text-align: left; overflow-wrap: break-word; }
.nw { white-space: nowrap; }
th { background: #e9eef3; }
table.kv th { width: 30%; }
thead { display: table-header-group; }
tr, .keep { break-inside: avoid; page-break-inside: avoid; }
.mono, code { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; font-size: 8.6pt; overflow-wrap: anywhere; }
.pre { white-space: pre-wrap; }
.muted { color: #4a5a6a; }
.small { font-size: 8.5pt; }
.local { color: #4a5a6a; font-size: 8.5pt; }
.verdict { border: 3px solid; border-radius: 4px; padding: 3mm 4mm; margin: 3mm 0 4mm; }
.verdict.ok { border-color: #1b6e3a; background: #e7f4ec; }
.verdict.bad { border-color: #b00020; background: #fbe9eb; }
.verdict .status { font-size: 20pt; font-weight: bold; letter-spacing: 0.5px; }
.verdict.ok .status { color: #1b6e3a; }
.verdict.bad .status { color: #b00020; }
.pass { color: #1b6e3a; font-weight: bold; }
.fail { color: #b00020; font-weight: bold; }
.notchecked { color: #7a5a00; font-weight: bold; }
tr.flagged td { background: #fbe9eb; }
.picture { border: 1px solid #b9c4cf; padding: 1mm; margin: 2mm 0 3mm; }
.picture svg { display: block; width: 100%; height: auto; }
ol.story li, ul.scope li { margin-bottom: 1.5mm; }
ul.scope.proven li::marker { content: "✔  "; color: #1b6e3a; }
ul.scope.notproven li::marker { content: "✖  "; color: #b00020; }
nav.toc { font-size: 9pt; margin: 0 0 3mm; }
nav.toc a { color: #1d2b3a; margin-right: 3mm; }
.cert { border: 1px solid #1d2b3a; padding: 4mm; }
.cert .sig { margin-top: 8mm; line-height: 2.4; }
pre.commands { background: #f2f5f8; border: 1px solid #b9c4cf; padding: 2mm; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 6mm; font-size: 8pt; color: #4a5a6a; border-top: 1px solid #b9c4cf; padding-top: 1mm; }
@media print { body { max-width: none; padding: 0; } nav.toc { display: none; } a { color: inherit; text-decoration: none; } }
`;

function time(tt: TimeText | null): string {
  if (!tt) return '<span class="muted">—</span>';
  const local = tt.local !== tt.utc ? `<br><span class="local">local: ${h(tt.local)}</span>` : '';
  return `<span class="utc">${h(tt.utc)}</span>${local}`;
}

const dur = (d: DurationText | null) => (d ? h(d.text) : '—');

function verdictMark(v: string): string {
  if (v === 'pass') return '<span class="pass">✔ PASSED</span>';
  if (v === 'fail') return '<span class="fail">✖ FAILED</span>';
  return '<span class="notchecked">– NOT CHECKED</span>';
}

function rehashMark(r: string | null): string {
  if (r === null) return '—';
  if (r === 'match') return '<span class="pass">= match</span>';
  if (r === 'MISMATCH') return '<span class="fail">≠ MISMATCH</span>';
  return `<span class="muted">${r === 'not comparable' ? 'not comparable (other algorithm)' : 'not re-hashed'}</span>`;
}

function sealMark(s: string | null): string {
  if (s === null) return '—';
  if (s === 'intact') return '<span class="pass">intact</span>';
  if (s === 'broken') return '<span class="fail">⚠ BROKEN</span>';
  return '<span class="muted">not recorded</span>';
}

const party = (p: { name: string; org: string; jurisdiction: string }) =>
  `${h(p.name)}<br><span class="muted small">${h(p.org)} · ${h(p.jurisdiction)}</span>`;

function kv(rows: [string, string][]): string {
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

function periodsTable(periods: PeriodRow[]): string {
  if (!periods.length) return '<p class="muted">No custody periods are recorded.</p>';
  return `<table><thead><tr><th>#</th><th>Custody</th><th>Holder</th><th>From (entry)</th><th>Until (entry)</th><th>Duration</th></tr></thead><tbody>${periods
    .map(
      (p) =>
        `<tr><td class="nw">${p.index}</td><td>${p.status === 'held' ? 'held' : `in transit to<br>${party(p.to ?? { name: '?', org: '?', jurisdiction: '?' })}${p.legalBasis ? `<br><span class="small">legal basis: ${h(p.legalBasis)}</span>` : ''}`}</td><td>${party(p.holder)}</td><td>${time(p.from)} <span class="muted">(${p.fromSeq})</span></td><td>${p.until ? `${time(p.until)} <span class="muted">(${p.untilSeq})</span>` : '<span class="muted">open: end of record</span>'}</td><td>${dur(p.duration)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function eventsTable(events: EventRow[]): string {
  if (!events.length) return '<p class="muted">No events.</p>';
  return `<table><thead><tr><th>Entry</th><th>Event, signed by</th><th>Time</th><th>Details</th><th>Findings</th></tr></thead><tbody>${events
    .map((e) => {
      const findings = [
        ...e.problems.map(
          (p) =>
            `<span class="${p.severity === 'error' ? 'fail' : 'notchecked'}">${p.severity === 'error' ? '✖' : '!'} ${h(p.code)}</span>: ${h(p.message)}`,
        ),
        ...(e.rehash ? [`digest: ${rehashMark(e.rehash)}`] : []),
        ...(e.seal ? [`seal: ${sealMark(e.seal)}`] : []),
      ];
      return `<tr${e.flagged ? ' class="flagged"' : ''}><td class="nw">${e.seq}</td><td>${h(e.summary)}<br><span class="small muted">signed by ${h(e.actor.text)}</span></td><td>${time(e.time)}<br><span class="small muted">logged ${h(e.logged.utc)}</span></td><td class="small">${e.details.map((d) => `<b>${h(d.key)}</b>: <span class="${/^([0-9a-f]{32,})$/.test(d.value) ? 'mono' : 'pre'}">${h(d.value)}</span>`).join('<br>')}</td><td class="small">${findings.join('<br>') || '—'}</td></tr>`;
    })
    .join('')}</tbody></table>`;
}

/**
 * The report as one self-contained HTML document. With `bundle`, the document carries the
 * bundle it reports on (./embedded.ts), so that whoever holds the report can check it with a
 * verifier obtained independently.
 */
export function renderHtml(model: ReportModel, opts: { bundle?: Uint8Array } = {}): string {
  const v = model.verdict;
  const id = model.identification;
  const c = model.custody;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${h(`${model.method.tool} ${model.method.toolVersion}`)}">`,
    `<title>${h(model.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
  );

  // 1. Verdict, story and picture.
  out.push(
    '<section class="first" id="verdict">',
    `<h1>${h(model.title)}</h1>`,
    `<p class="muted">Source: ${h(model.source.text)}. Report generated ${h(model.generatedAt.utc)} by ${h(model.method.tool)} ${h(model.method.toolVersion)} (format ${h(model.format)}).</p>`,
    `<p class="muted" id="provenance">${h(model.provenance.text)}</p>`,
    '<nav class="toc"><a href="#identification">Identification</a><a href="#custody">Custody</a><a href="#lineage">Lineage</a><a href="#checks">Checks</a><a href="#scope">Scope</a><a href="#anchors">Trust anchors</a><a href="#method">Method</a><a href="#certification">Declaration</a></nav>',
    `<div class="verdict ${v.verified ? 'ok' : 'bad'}" role="status"><div class="status">${v.verified ? '✔ VERIFIED' : `✖ NOT VERIFIED (${v.outcome})`}</div><p>${h(v.sentence)}</p>${
      v.reasons.length ? `<ul>${v.reasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>` : ''
    }<p class="small">Checks: ${v.checksPassed} passed, ${v.checksFailed} failed, ${v.checksNotChecked} not checked. Problems: ${v.problemCount}. ${v.anchored ? 'Anchored to a trusted authority key.' : '<b>Not anchored</b> to a trusted authority key.'}</p></div>`,
    '<h2>Custody at a glance</h2>',
    `<div class="picture">${renderCustodySvg(model)}</div>`,
    c.story.length
      ? `<ol class="story">${c.story.map((s) => `<li>${h(s)}</li>`).join('')}</ol>`
      : '<p class="muted">No custody events are recorded.</p>',
    `<p><b>${h(c.finalState)}</b></p>`,
    '</section>',
  );

  // 2. Identification.
  out.push('<section id="identification">', '<h2>Identification of the evidence</h2>');
  if (id) {
    out.push(
      kv([
        ['Label', h(id.label)],
        ['Exhibit id', `<span class="mono">${h(id.exhibitId)}</span>`],
        ['Case', h(id.caseRef)],
        ['Description', `<span class="pre">${h(id.description)}</span>`],
        ['Size', `${h(id.size.human)}${id.size.human !== id.size.text ? ` (${h(id.size.text)})` : ''}`],
        ...id.digests.map((d): [string, string] => [
          `${d.name} digest`,
          `<span class="mono">${h(d.hex)}</span>`,
        ]),
        [
          'Registered',
          `entry ${id.registration.seq}, ${time(id.registration.time)}<br>by ${party(id.registration.by)}`,
        ],
        ['Seal', id.seal ? h(id.seal) : '<span class="muted">not recorded</span>'],
        ['Place of seizure', id.location ? h(id.location) : '<span class="muted">not recorded</span>'],
        ['Time of seizure', id.seizedAt ? time(id.seizedAt) : '<span class="muted">not recorded</span>'],
        ['Derived from', id.parent ? `<span class="mono">${h(id.parent)}</span>` : 'no (original evidence)'],
      ]),
    );
  } else out.push('<p class="fail">✖ The exhibit was not found in the record.</p>');
  if (model.file) {
    const f = model.file;
    out.push(
      '<h3>File compared</h3>',
      kv([
        ['File', h(f.name)],
        ['Size', `${h(f.size.human)}${f.size.human !== f.size.text ? ` (${h(f.size.text)})` : ''}`],
        ...f.digests.map((d): [string, string] => [
          `${d.name} digest`,
          `<span class="mono">${h(d.hex)}</span>`,
        ]),
        [
          'Result',
          f.matches
            ? '<span class="pass">= the file matches the registered digests</span>'
            : '<span class="fail">≠ the file does NOT match the registered digests</span>',
        ],
      ]),
    );
  } else out.push('<p class="muted">No evidence file was compared in this verification.</p>');
  out.push('</section>');

  // 3. Custody timeline.
  out.push(
    '<section id="custody">',
    '<h2>Custody timeline</h2>',
    '<p class="small muted">Times are given in UTC and, below, in the time zone the signer declared. They are the times each signer claims; below each, the log’s own time of the entry (later for a statement signed offline and submitted afterwards).</p>',
    '<h3>Custody periods</h3>',
    periodsTable(c.periods),
    '<h3>Hand-overs</h3>',
  );
  if (c.handovers.length) {
    out.push(
      `<table><thead><tr><th>#</th><th>From → to</th><th>Sent</th><th>Reason, method, seal</th><th>Legal basis</th><th>Outcome</th><th>On receipt</th></tr></thead><tbody>${c.handovers
        .map((ho) => {
          const flagged = ho.problems.length > 0 || ho.rehash === 'MISMATCH' || ho.sealOnReceipt === 'broken';
          const outcome =
            ho.outcome === 'accepted'
              ? `accepted (entry ${ho.outcomeSeq}) ${time(ho.outcomeAt)}<br>by ${party(ho.outcomeBy ?? ho.to)}${ho.acceptedByNamedReceiver ? '' : '<br><span class="fail">✖ not the named receiver</span>'}<br><span class="small">in transit ${dur(ho.transit)}</span>`
              : ho.outcome === 'pending'
                ? '<span class="notchecked">pending: not accepted at the end of the record</span>'
                : `${h(ho.outcome)} (entry ${ho.outcomeSeq}) ${time(ho.outcomeAt)}`;
          const note = ho.outcomeNote ? `<br><span class="small">note: ${h(ho.outcomeNote)}</span>` : '';
          return `<tr${flagged ? ' class="flagged"' : ''}><td class="nw">${ho.seq}</td><td>${party(ho.from)}<br>→ ${party(ho.to)}</td><td>${time(ho.sentAt)}</td><td>${h(ho.reason ?? '—')}<br><span class="small">method: ${h(ho.method ?? 'not recorded')}<br>seal: ${h(ho.seal ?? 'not recorded')}</span></td><td>${ho.legalBasis ? h(ho.legalBasis) : ho.crossBorder ? '<span class="fail">none recorded</span>' : '<span class="muted">none (same jurisdiction)</span>'}</td><td>${outcome}${note}${ho.problems.length ? `<br><span class="fail">✖ ${h(ho.problems.join(', '))}</span>` : ''}</td><td>${ho.outcome === 'accepted' ? `digest: ${rehashMark(ho.rehash)}${ho.rehashAlgorithms.length ? ` <span class="small muted">(${h(ho.rehashAlgorithms.join(', '))})</span>` : ''}<br>seal: ${sealMark(ho.sealOnReceipt)}` : '—'}</td></tr>`;
        })
        .join('')}</tbody></table>`,
    );
  } else out.push('<p class="muted">The exhibit was never handed over.</p>');
  out.push('<h3>All entries of this exhibit</h3>', eventsTable(c.events));
  if (c.notes.length)
    out.push(
      '<h3>Disclosures, legal holds and erasures</h3>',
      `<table><thead><tr><th>Entry</th><th>What, by whom</th><th>Time</th></tr></thead><tbody>${c.notes
        .map(
          (n) =>
            `<tr><td class="nw">${n.seq}</td><td>${h(n.summary)}</td><td>${time(n.time)}<br><span class="small muted">logged ${h(n.logged.utc)}</span></td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  out.push('</section>');

  // 4. Lineage.
  out.push('<section id="lineage">', '<h2>Derived evidence (lineage)</h2>');
  if (model.lineage.length) {
    out.push(
      `<table><thead><tr><th>Relation</th><th>Exhibit</th><th>Registered</th><th>Digests</th></tr></thead><tbody>${model.lineage
        .map(
          (l) =>
            `<tr><td>${h(l.relation)}</td><td>${h(l.label ?? '')}<br><span class="mono">${h(l.exhibitId)}</span>${l.caseRef ? `<br><span class="small muted">case ${h(l.caseRef)}</span>` : ''}</td><td>${l.registeredSeq !== null ? `entry ${l.registeredSeq}, ` : ''}${time(l.registeredAt)}${l.registeredBy ? `<br>by ${party(l.registeredBy)}` : ''}</td><td>${l.digests.map((d) => `${h(d.name)}: <span class="mono">${h(d.hex)}</span>`).join('<br>') || '—'}</td></tr>`,
        )
        .join('')}</tbody></table>`,
      `<ul>${model.lineage.map((l) => `<li>${h(l.text)}</li>`).join('')}</ul>`,
    );
    for (const l of model.lineage)
      if (l.periods.length)
        out.push(
          `<h3>Custody of ${h(l.label ?? l.exhibitId)} (${h(l.exhibitId)})</h3>`,
          periodsTable(l.periods),
        );
  } else out.push('<p class="muted">This exhibit is original evidence and no copy was derived from it.</p>');
  out.push('</section>');

  // 5. Checks and problems.
  out.push(
    '<section id="checks">',
    '<h2>Checks</h2>',
    model.checks.length
      ? `<table><thead><tr><th>Check</th><th>Result</th><th>What it means</th><th>Detail</th></tr></thead><tbody>${model.checks
          .map(
            (ck) =>
              `<tr${ck.verdict === 'fail' ? ' class="flagged"' : ''}><td><b>${h(ck.title)}</b><br><span class="mono small muted">${h(ck.id)}</span></td><td class="nw">${verdictMark(ck.verdict)}</td><td class="small">${h(ck.meaning)}</td><td class="small">${h(ck.detail)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="fail">✖ No checks were reported.</p>',
    '<h3>Problems</h3>',
    model.problems.length
      ? `<table><thead><tr><th>Severity</th><th>Code</th><th>Entry</th><th>Exhibit</th><th>Message</th></tr></thead><tbody>${model.problems
          .map(
            (p) =>
              `<tr${p.severity === 'error' ? ' class="flagged"' : ''}><td class="nw">${p.severity === 'error' ? '<span class="fail">✖ error</span>' : '<span class="notchecked">! warning</span>'}</td><td class="mono">${h(p.code)}</td><td class="nw">${p.seq ?? '—'}</td><td class="mono">${h(p.exhibit ?? '—')}</td><td>${h(p.message)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p>No problems were found.</p>',
    '</section>',
  );

  // 6. Scope.
  out.push(
    '<section id="scope">',
    '<h2>Scope: what this verification proves, and what it does not</h2>',
    '<h3>Proven</h3>',
    model.scope.proven.length
      ? `<ul class="scope proven">${model.scope.proven.map((s) => `<li>${h(s)}</li>`).join('')}</ul>`
      : '<p class="fail">✖ Nothing is claimed as proven: the checks the claims rest on did not pass.</p>',
    '<h3>Not proven</h3>',
    `<ul class="scope notproven">${model.scope.notProven.map((s) => `<li>${h(s)}</li>`).join('')}</ul>`,
    '</section>',
  );

  // 7. Trust anchors, checkpoint, actors.
  out.push('<section id="anchors">', '<h2>Trust anchors</h2>');
  out.push(
    '<p class="small">Compare each fingerprint with the one obtained from the key holder through an official channel (for example read aloud by telephone or in a signed letter). A report is only as good as this comparison.</p>',
  );
  out.push(
    model.anchors.length
      ? `<table><thead><tr><th>Role</th><th>Key</th><th>SHA-256 fingerprint of the public key</th><th>Public key (base64)</th><th>Matched</th></tr></thead><tbody>${model.anchors
          .map(
            (a) =>
              `<tr${a.matched ? '' : ' class="flagged"'}><td>${h(a.role)}</td><td>the key you supplied</td><td class="mono">${h(a.fingerprintGrouped)}</td><td class="mono">${h(a.publicKey)}</td><td>${a.matched ? '<span class="pass">✔ yes</span>' : '<span class="fail">✖ no</span>'}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="fail">✖ No trust anchor was supplied: the record is not anchored.</p>',
  );
  out.push('<h3>Checkpoint</h3>');
  if (model.checkpoint) {
    const cp = model.checkpoint;
    out.push(
      kv([
        ['Tree size', h(cp.size)],
        ['Root hash', `<span class="mono">${h(cp.root)}</span>`],
        [
          'Signed by',
          cp.signedBy ? party(cp.signedBy) : '<span class="fail">✖ not signed by a known log key</span>',
        ],
        [
          'Witnesses',
          cp.witnesses.length
            ? cp.witnesses
                .map(
                  (w) =>
                    `${h(w.name)}: ${w.verified ? '<span class="pass">✔ cosigned</span>' : '<span class="fail">✖ no valid cosignature</span>'}`,
                )
                .join('<br>')
            : '<span class="muted">none</span>',
        ],
        [
          'Quorum',
          // Nothing is ticked that was not checked: a quorum of 0 asked for no witness at all.
          cp.quorum === 0
            ? 'none required (the relying party accepted the log key alone): no witness was checked'
            : `${cp.witnessesVerified} of ${cp.quorum} required ${cp.quorumMet ? '<span class="pass">✔ met</span>' : '<span class="fail">✖ NOT met</span>'}`,
        ],
        [
          'Auditors',
          cp.auditors.length
            ? cp.auditors
                .map(
                  (w) =>
                    `${h(w.name)}: ${w.verified ? '<span class="pass">✔ cosigned (replayed the log)</span>' : '<span class="fail">✖ no valid cosignature</span>'}`,
                )
                .join('<br>')
            : '<span class="muted">none asked for</span>',
        ],
        [
          'As of',
          cp.cosignedAt
            ? `${h(cp.cosignedAt)} (${h(cp.cosignedBy.join(', '))})`
            : '<span class="muted">no cosignature dates it</span>',
        ],
        ...cp.guarantees.map((g): [string, string] => [`Rests on: ${h(g.guarantee)}`, h(g.restsOn)]),
      ]),
    );
  } else out.push('<p class="muted">No signed checkpoint was part of this verification.</p>');
  if (model.actors.length)
    out.push(
      '<h3>Actors in the record</h3>',
      `<table><thead><tr><th>Name</th><th>Organisation</th><th>Jurisdiction</th><th>Roles</th><th>Actor id / public key</th><th>Enrolled / revoked</th></tr></thead><tbody>${model.actors
        .map(
          (a) =>
            `<tr><td>${h(a.name)}</td><td>${h(a.org)}</td><td>${h(a.jurisdiction)}</td><td>${h(a.roles.join(', '))}</td><td class="mono">${h(a.id)}<br>${h(a.publicKey)}</td><td>entry ${a.enrolledSeq}${a.revokedSeq !== null ? `<br><span class="fail">revoked at entry ${a.revokedSeq}</span>` : ''}</td></tr>`,
        )
        .join('')}</tbody></table>`,
    );
  out.push('</section>');

  // 8. Method.
  out.push(
    '<section id="method">',
    '<h2>Method</h2>',
    `<p>Verified with <b>${h(model.method.tool)}</b> version <b>${h(model.method.toolVersion)}</b>. Source: ${h(model.source.text)}.</p>`,
    `<table><thead><tr><th>Algorithm</th><th>Standard</th><th>Used for</th></tr></thead><tbody>${model.method.algorithms
      .map((a) => `<tr><td>${h(a.name)}</td><td>${h(a.standard)}</td><td>${h(a.use)}</td></tr>`)
      .join('')}</tbody></table>`,
    ...model.method.notes.map((x) => `<p class="small">${h(x)}</p>`),
    '<h3>Commands to repeat the verification</h3>',
    `<pre class="commands">${model.certification.commands.map((x) => h(x)).join('\n') || 'none recorded'}</pre>`,
    '</section>',
  );

  // 9. Certification.
  out.push(
    '<section id="certification">',
    `<h2>${h(model.certification.heading)}</h2>`,
    '<div class="cert keep">',
    ...model.certification.paragraphs.map((p) => `<p>${h(p)}</p>`),
    `<pre class="commands">${model.certification.commands.map((x) => h(x)).join('\n') || 'none recorded'}</pre>`,
    `<div class="sig">${model.certification.signatureLines.map((s) => h(s)).join('<br>')}</div>`,
    '</div>',
    `<footer>${h(model.title)} — generated ${h(model.generatedAt.utc)} by ${h(model.method.tool)} ${h(model.method.toolVersion)}; report format ${h(model.format)}. This document is self-contained: it loads nothing from any network.</footer>`,
    '</section>',
    ...(opts.bundle
      ? [
          '<section id="embedded-bundle">',
          '<h2>The bundle in this report</h2>',
          `<p>This file carries the bundle it reports on (${h(sizeText(opts.bundle.length).text)}${model.provenance.bundleSha256 ? `, SHA-256 ${h(model.provenance.bundleSha256)}` : ''}). Its evidence is that bundle, not this text: check it with a verifier you obtained independently, by giving this file to <code>custody verify-bundle</code> or dropping it into the verifier page (as a bundle), with the key you trust. Anyone can alter a report; an altered bundle fails.</p>`,
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
