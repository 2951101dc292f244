/**
 * The report for a terminal: plain text, wrapped to 100 columns. Control and
 * bidirectional characters from the record are shown as [U+XXXX], so nothing
 * in a bundle can move the cursor or reorder what the reader sees.
 */
import { type EventRow, type PeriodRow, type ReportModel, type TimeText, visible } from './model.js';

const WIDTH = 100;

/**
 * Wraps `text` to WIDTH columns; continuation lines get `indent`. A line
 * break inside the text (a signer's multi-line description) starts a line
 * marked `| ` after the indent, so no text from the record can stand at the
 * start of a line and pass for the report's own structure ("RESULT: …").
 */
export function wrap(text: string, first = '', base = first.replace(/./g, ' ')): string[] {
  const out: string[] = [];
  const paragraphs = visible(text).split('\n');
  paragraphs.forEach((para, pi) => {
    const indent = pi === 0 ? base : `${base}| `;
    let lineText = pi === 0 ? first : indent;
    let empty = true;
    const words = para.split(/[ \t]+/).filter((w) => w.length > 0);
    for (let word of words) {
      while (Array.from(indent + word).length > WIDTH) {
        // A word longer than a line (e.g. a long key): break it.
        if (!empty) {
          out.push(lineText.trimEnd());
          lineText = indent;
          empty = true;
        }
        const room = WIDTH - Array.from(indent).length;
        out.push(indent + Array.from(word).slice(0, room).join(''));
        word = Array.from(word).slice(room).join('');
      }
      const candidate = empty ? lineText + word : `${lineText} ${word}`;
      if (!empty && Array.from(candidate).length > WIDTH) {
        out.push(lineText.trimEnd());
        lineText = indent + word;
      } else lineText = candidate;
      empty = false;
    }
    out.push(lineText.trimEnd());
  });
  return out;
}

const heading = (s: string) => ['', s.toUpperCase(), '='.repeat(Math.min(WIDTH, s.length))];
const sub = (s: string) => ['', s, '-'.repeat(Math.min(WIDTH, s.length))];
const tm = (t: TimeText | null) => (t ? (t.local !== t.utc ? `${t.utc} (local ${t.local})` : t.utc) : '—');

function periodLines(periods: PeriodRow[]): string[] {
  const out: string[] = [];
  for (const p of periods) {
    out.push(
      ...wrap(
        `${p.text}${p.legalBasis ? `; legal basis: ${p.legalBasis}` : ''}`,
        `${String(p.index).padStart(3)}. `,
      ),
    );
    out.push(...wrap(`from  ${tm(p.from)} [entry ${p.fromSeq}]`, '     '));
    out.push(
      ...wrap(
        p.until ? `until ${tm(p.until)} [entry ${p.untilSeq}]` : 'until the end of the record (open)',
        '     ',
      ),
    );
    out.push(...wrap(`duration ${p.duration.text}`, '     '));
  }
  return out;
}

function eventLines(e: EventRow): string[] {
  const out = wrap(`${e.summary}${e.flagged ? '  [FLAGGED]' : ''}`, `  ${String(e.seq).padStart(5)}  `);
  out.push(...wrap(`at ${tm(e.time)} (signed); logged ${e.logged.utc}`, '         '));
  for (const d of e.details) out.push(...wrap(`${d.key}: ${d.value}`, '         '));
  if (e.rehash) out.push(...wrap(`re-hash: ${e.rehash}`, '         '));
  if (e.sealBroken) out.push(...wrap('seal: BROKEN', '         '));
  for (const p of e.problems)
    out.push(
      ...wrap(`${p.severity === 'error' ? 'PROBLEM' : 'warning'} ${p.code}: ${p.message}`, '         '),
    );
  return out;
}

export function renderText(model: ReportModel): string {
  const v = model.verdict;
  const id = model.identification;
  const c = model.custody;
  const L: string[] = [];
  L.push(...wrap(model.title));
  L.push(...wrap(`Source: ${model.source.text}`));
  L.push(...wrap(`Generated ${model.generatedAt.utc} by ${model.method.tool} ${model.method.toolVersion}`));
  L.push('', '#'.repeat(WIDTH));
  L.push(...wrap(v.sentence, '# ', '#   '));
  for (const r of v.reasons) L.push(...wrap(r, '#   - ', '#     '));
  L.push('#'.repeat(WIDTH));
  L.push(...wrap(model.provenance.text));

  L.push(...heading('Identification'));
  if (id) {
    const kv = (k: string, val: string) => L.push(...wrap(val, `${`${k}:`.padEnd(19)}`));
    kv('Label', id.label);
    kv('Exhibit id', id.exhibitId);
    kv('Case', id.caseRef);
    kv('Description', id.description);
    kv('Size', id.size.human === id.size.text ? id.size.text : `${id.size.human} (${id.size.text})`);
    for (const d of id.digests) kv(d.name, d.hex);
    kv(
      'Registered',
      `entry ${id.registration.seq}, ${tm(id.registration.time)}, by ${id.registration.by.text}`,
    );
    kv('Seal', id.seal ?? 'not recorded');
    kv('Seized at (place)', id.location ?? 'not recorded');
    kv('Seized at (time)', id.seizedAt ? tm(id.seizedAt) : 'not recorded');
    if (id.parent) kv('Derived from', id.parent);
  } else L.push('The exhibit was not found in the record.');
  if (model.file) {
    const f = model.file;
    L.push(...sub('File compared'));
    L.push(
      ...wrap(
        `${f.name}, ${f.size.text}: ${f.matches ? 'MATCHES the registered digests' : 'does NOT match the registered digests'}`,
      ),
    );
    for (const d of f.digests) L.push(...wrap(d.hex, `${`${d.name}:`.padEnd(19)}`));
  } else L.push('', 'No evidence file was compared.');

  L.push(...heading('Custody'));
  c.story.forEach((s, i) => {
    L.push(...wrap(s, `${String(i + 1).padStart(3)}. `));
  });
  L.push(...wrap(c.finalState));
  L.push(...sub('Custody periods'));
  L.push(...(c.periods.length ? periodLines(c.periods) : ['none']));
  L.push(...sub('Hand-overs'));
  if (!c.handovers.length) L.push('The exhibit was never handed over.');
  for (const h of c.handovers) {
    L.push(...wrap(`${h.from.text} -> ${h.to.text}`, `  entry ${h.seq}: `));
    const ind = '      ';
    L.push(...wrap(`sent ${tm(h.sentAt)}`, ind));
    L.push(
      ...wrap(
        `reason: ${h.reason ?? '—'}; method: ${h.method ?? 'not recorded'}; seal: ${h.seal ?? 'not recorded'}`,
        ind,
      ),
    );
    L.push(
      ...wrap(
        `legal basis: ${h.legalBasis ?? (h.crossBorder ? 'NONE RECORDED (cross-border)' : 'none (same jurisdiction)')}`,
        ind,
      ),
    );
    if (h.outcome === 'accepted')
      L.push(
        ...wrap(
          `accepted at entry ${h.outcomeSeq}, ${tm(h.outcomeAt)}, by ${h.outcomeBy?.text ?? '?'}${h.acceptedByNamedReceiver ? '' : ' (NOT the named receiver)'}; in transit ${h.transit?.text ?? '—'}; re-hash: ${h.rehash}${h.rehashAlgorithms.length ? ` (${h.rehashAlgorithms.join(', ')})` : ''}; seal: ${h.sealOnReceipt === 'broken' ? 'BROKEN' : h.sealOnReceipt}`,
          ind,
        ),
      );
    else if (h.outcome === 'pending') L.push(...wrap('pending: not accepted at the end of the record', ind));
    else
      L.push(
        ...wrap(
          `${h.outcome} at entry ${h.outcomeSeq}, ${tm(h.outcomeAt)}${h.outcomeNote ? `: ${h.outcomeNote}` : ''}`,
          ind,
        ),
      );
    if (h.problems.length) L.push(...wrap(`PROBLEMS: ${h.problems.join(', ')}`, ind));
  }
  L.push(...sub('All entries of this exhibit'));
  for (const e of c.events) L.push(...eventLines(e));
  if (c.notes.length) {
    L.push(...sub('Disclosures, legal holds and erasures'));
    for (const n of c.notes) {
      L.push(...wrap(n.summary, `  ${String(n.seq).padStart(5)}  `));
      L.push(...wrap(`at ${tm(n.time)} (signed); logged ${n.logged.utc}`, '         '));
    }
  }

  L.push(...heading('Derived evidence (lineage)'));
  if (!model.lineage.length) L.push('Original evidence; no copy was derived from it.');
  for (const l of model.lineage) {
    L.push(...wrap(l.text, `  [${l.relation}] `));
    for (const d of l.digests) L.push(...wrap(d.hex, `      ${d.name}: `));
    if (l.periods.length) L.push(...periodLines(l.periods));
  }

  L.push(...heading('Checks'));
  if (!model.checks.length) L.push('No checks were reported.');
  for (const ck of model.checks) {
    L.push(...wrap(ck.title, `  ${ck.verdictText.padEnd(11)} `));
    if (ck.meaning) L.push(...wrap(ck.meaning, '              '));
    L.push(...wrap(ck.detail, '              '));
  }
  L.push(...sub('Problems'));
  if (!model.problems.length) L.push('No problems were found.');
  for (const p of model.problems) L.push(...wrap(p.text, '  ', '    '));

  L.push(...heading('Scope'));
  L.push('Proven:');
  if (!model.scope.proven.length)
    L.push('  Nothing is claimed as proven: the checks the claims rest on did not pass.');
  for (const s of model.scope.proven) L.push(...wrap(s, '  + ', '    '));
  L.push('', 'NOT proven:');
  for (const s of model.scope.notProven) L.push(...wrap(s, '  - ', '    '));

  L.push(...heading('Trust anchors'));
  if (!model.anchors.length) L.push('No trust anchor was supplied: the record is not anchored.');
  for (const a of model.anchors) {
    L.push(...wrap(`${a.role}: the key you supplied — ${a.matched ? 'matched' : 'NOT matched'}`, '  '));
    L.push(...wrap(a.fingerprintGrouped, '    SHA-256 fingerprint: ', '                         '));
    L.push(...wrap(a.publicKey, '    public key:          ', '                         '));
  }
  if (model.checkpoint) L.push(...sub('Checkpoint'), ...wrap(model.checkpoint.text));
  for (const w of model.checkpoint?.witnesses ?? [])
    L.push(...wrap(`witness ${w.name}: ${w.verified ? 'cosigned' : 'NO valid cosignature'}`, '  '));
  for (const w of model.checkpoint?.auditors ?? [])
    L.push(
      ...wrap(
        `auditor ${w.name}: ${w.verified ? 'cosigned (replayed the log)' : 'NO valid cosignature'}`,
        '  ',
      ),
    );
  for (const g of model.checkpoint?.guarantees ?? [])
    L.push(...wrap(`${g.guarantee} rests on ${g.restsOn}`, '  '));

  L.push(...heading('Method'));
  L.push(...wrap(`${model.method.tool} ${model.method.toolVersion}`));
  for (const a of model.method.algorithms)
    L.push(...wrap(`${a.name}: ${a.standard} — ${a.use}`, '  - ', '    '));
  for (const n of model.method.notes) L.push(...wrap(n));

  L.push(...heading(model.certification.heading));
  for (const p of model.certification.paragraphs) L.push(...wrap(p), '');
  // Commands are never wrapped: they must survive copy and paste.
  for (const cmd of model.certification.commands) L.push(`  $ ${visible(cmd).replace(/\n/g, ' ')}`);
  L.push('');
  L.push(...model.certification.signatureLines);
  return `${L.join('\n')}\n`;
}
