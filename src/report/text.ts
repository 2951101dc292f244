/**
 * The report for a terminal: plain text, wrapped to 100 columns. Control and
 * bidirectional characters from the record are shown as [U+XXXX], so nothing
 * in a bundle can move the cursor or reorder what the reader sees. Its own
 * headings and labels are worded in the model's language (./messages/render.ts).
 */
import { COMMON, type Language, say } from './i18n.js';
import { guaranteeWord, languageOf, RENDER, rehashWord, relationWord, sealWord } from './messages/render.js';
import { TEXT } from './messages/render-text.js';
import {
  type EventRow,
  type HandoverRow,
  type PeriodRow,
  type ReportModel,
  type TimeText,
  visible,
} from './model.js';

const WIDTH = 100;

/**
 * Keeps punctuation that stands apart (French " ;", " :", « … ») with its word, so that no line
 * starts with a semicolon or ends with an opening guillemet.
 */
function glue(words: string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const prev = out.length - 1;
    if (prev >= 0 && /^[;:!?»]+[.,]?$/.test(w)) out[prev] = `${out[prev]} ${w}`;
    else if (prev >= 0 && out[prev] === '«') out[prev] = `« ${w}`;
    else out.push(w);
  }
  return out;
}

/**
 * Wraps `text` to `width` columns; continuation lines get `indent`. A line
 * break inside the text (a signer's multi-line description) starts a line
 * marked `| ` after the indent, so no text from the record can stand at the
 * start of a line and pass for the report's own structure ("RESULT: …").
 */
export function wrap(text: string, first = '', base = first.replace(/./g, ' '), width = WIDTH): string[] {
  const out: string[] = [];
  const paragraphs = visible(text).split('\n');
  paragraphs.forEach((para, pi) => {
    const indent = pi === 0 ? base : `${base}| `;
    let lineText = pi === 0 ? first : indent;
    let empty = true;
    const words = glue(para.split(/[ \t]+/).filter((w) => w.length > 0));
    for (let word of words) {
      while (Array.from(indent + word).length > width) {
        // A word longer than a line (e.g. a long key): break it.
        if (!empty) {
          out.push(lineText.trimEnd());
          lineText = indent;
          empty = true;
        }
        const room = width - Array.from(indent).length;
        out.push(indent + Array.from(word).slice(0, room).join(''));
        word = Array.from(word).slice(room).join('');
      }
      const candidate = empty ? lineText + word : `${lineText} ${word}`;
      if (!empty && Array.from(candidate).length > width) {
        out.push(lineText.trimEnd());
        lineText = indent + word;
      } else lineText = candidate;
      empty = false;
    }
    out.push(lineText.trimEnd());
  });
  return out;
}

type Key = keyof (typeof RENDER)['en'] | keyof (typeof TEXT)['en'];
/** The renderer's wording in one language: its own lines, or those the renderers share. */
type Say = (key: Key, values?: Record<string, string | number | undefined>) => string;
const sayer =
  (lang: Language): Say =>
  (key, values) =>
    key in TEXT.en
      ? say(TEXT, lang, key as keyof (typeof TEXT)['en'], values)
      : say(RENDER, lang, key as keyof (typeof RENDER)['en'], values);

/** What every part of the text report needs: its wording, its language and its line width. */
interface Ctx {
  s: Say;
  lang: Language;
  wrap: (text: string, first?: string, base?: string) => string[];
}

const heading = (s: string) => ['', s.toUpperCase(), '='.repeat(Math.min(WIDTH, s.length))];
const sub = (s: string) => ['', s, '-'.repeat(Math.min(WIDTH, s.length))];
const tm = (s: Say, t: TimeText | null) =>
  t ? (t.local !== t.utc ? s('textLocal', { utc: t.utc, local: t.local }) : t.utc) : '—';
/** "[entry 5]": the brackets are the text report's own, not the template's (they mark optional parts there). */
const entryRef = (s: Say, seq: number | null) => `[${s('textEntry', { seq: seq ?? undefined })}]`;

function periodLines(x: Ctx, periods: PeriodRow[]): string[] {
  const { s } = x;
  const out: string[] = [];
  for (const p of periods) {
    out.push(
      ...x.wrap(
        s('textPeriod', { text: p.text, legalBasis: p.legalBasis ?? undefined }),
        `${String(p.index).padStart(3)}. `,
      ),
    );
    out.push(...x.wrap(s('textFrom', { time: tm(s, p.from), entry: entryRef(s, p.fromSeq) }), '     '));
    out.push(
      ...x.wrap(
        p.until
          ? s('textUntil', { time: tm(s, p.until), entry: entryRef(s, p.untilSeq) })
          : s('textUntilOpen'),
        '     ',
      ),
    );
    out.push(...x.wrap(s('textDuration', { duration: p.duration.text }), '     '));
  }
  return out;
}

function eventLines(x: Ctx, e: EventRow): string[] {
  const { s, lang } = x;
  const out = x.wrap(
    `${e.summary}${e.flagged ? `  [${s('textFlagged')}]` : ''}`,
    `  ${String(e.seq).padStart(5)}  `,
  );
  out.push(...x.wrap(s('textSigned', { time: tm(s, e.time), logged: e.logged.utc }), '         '));
  for (const d of e.details)
    out.push(...x.wrap(`${s('textLabel', { label: d.key })} ${d.value}`, '         '));
  if (e.rehash) out.push(...x.wrap(s('textRehash', { result: rehashWord(lang, e.rehash) }), '         '));
  if (e.sealBroken) out.push(...x.wrap(s('textSealBroken'), '         '));
  for (const p of e.problems)
    out.push(
      ...x.wrap(
        s(p.severity === 'error' ? 'textProblem' : 'textWarning', { code: p.code, message: p.message }),
        '         ',
      ),
    );
  return out;
}

function handoverLines(x: Ctx, h: HandoverRow): string[] {
  const { s, lang } = x;
  const L = x.wrap(`${h.from.text} -> ${h.to.text}`, `  ${s('textHandover', { seq: h.seq })}`);
  const ind = '      ';
  const notRecorded = say(COMMON, lang, 'notRecorded');
  L.push(...x.wrap(s('textSent', { time: tm(s, h.sentAt) }), ind));
  L.push(
    ...x.wrap(
      s('textReasonMethodSeal', {
        reason: h.reason ?? '—',
        method: h.method ?? notRecorded,
        seal: h.seal ?? notRecorded,
      }),
      ind,
    ),
  );
  L.push(
    ...x.wrap(
      s('textLegalBasis', {
        basis: h.legalBasis ?? (h.crossBorder ? s('textNoBasisCrossBorder') : s('sameJurisdiction')),
      }),
      ind,
    ),
  );
  if (h.outcome === 'accepted')
    L.push(
      ...x.wrap(
        s('textAccepted', {
          seq: h.outcomeSeq ?? undefined,
          time: tm(s, h.outcomeAt),
          by: h.outcomeBy?.text ?? '?',
          notNamed: h.acceptedByNamedReceiver ? undefined : s('textNotNamed'),
          transit: h.transit?.text ?? '—',
          rehash: rehashWord(lang, h.rehash),
          algorithms: h.rehashAlgorithms.join(', '),
          seal: sealWord(lang, h.sealOnReceipt, true),
        }),
        ind,
      ),
    );
  else if (h.outcome === 'pending') L.push(...x.wrap(s('notAcceptedAtEnd'), ind));
  else
    L.push(
      ...x.wrap(
        s(h.outcome === 'rejected' ? 'textRejected' : 'textCancelled', {
          seq: h.outcomeSeq ?? undefined,
          time: tm(s, h.outcomeAt),
          note: h.outcomeNote ?? undefined,
        }),
        ind,
      ),
    );
  if (h.problems.length) L.push(...x.wrap(s('textProblemCodes', { codes: h.problems.join(', ') }), ind));
  return L;
}

/** The lines of the report's identification section and of the file compared. */
function identificationLines(x: Ctx, model: ReportModel): string[] {
  const { s, lang } = x;
  const L: string[] = [];
  const id = model.identification;
  const notRecorded = say(COMMON, lang, 'notRecorded');
  // Values start in one column, wide enough for the longest label of the language (19 in English).
  const labels: Key[] = [
    'label',
    'exhibitId',
    'case',
    'description',
    'size',
    'registered',
    'evidence',
    'seal',
  ];
  labels.push('textSeizedPlace', 'textSeizedTime', 'derivedFrom');
  const col = Math.max(19, ...labels.map((k) => Array.from(s('textLabel', { label: s(k) })).length + 1));
  if (id) {
    const rows: [string, string][] = [
      [s('label'), id.label],
      [s('exhibitId'), id.exhibitId],
      [s('case'), id.caseRef],
      [s('description'), id.description],
      [s('size'), id.size.human === id.size.text ? id.size.text : `${id.size.human} (${id.size.text})`],
      ...id.digests.map((d): [string, string] => [d.name, d.hex]),
      [
        s('registered'),
        s('textRegistered', {
          seq: id.registration.seq,
          time: tm(s, id.registration.time),
          by: id.registration.by.text,
        }),
      ],
      ...(id.evidence ? [[s('evidence'), id.evidence] as [string, string]] : []),
      [s('seal'), id.seal ?? notRecorded],
      [s('textSeizedPlace'), id.location ?? notRecorded],
      [s('textSeizedTime'), id.seizedAt ? tm(s, id.seizedAt) : notRecorded],
      ...(id.parent ? [[s('derivedFrom'), id.parent] as [string, string]] : []),
    ];
    for (const [k, val] of rows) L.push(...x.wrap(val, s('textLabel', { label: k }).padEnd(col)));
  } else L.push(...x.wrap(s('exhibitNotFound')));
  if (model.file) {
    const f = model.file;
    L.push(...sub(s('fileCompared')));
    L.push(
      ...x.wrap(s(f.matches ? 'textFileMatches' : 'textFileDiffers', { name: f.name, size: f.size.text })),
    );
    for (const d of f.digests) L.push(...x.wrap(d.hex, s('textLabel', { label: d.name }).padEnd(col)));
  } else L.push('', ...x.wrap(s('textNoFile')));
  return L;
}

/**
 * The report as text. `width` is the line width: 100 columns on a terminal; the PDF asks a
 * translation for a wider measure (its text runs longer, and the page has the room).
 */
export function renderText(model: ReportModel, opts: { width?: number } = {}): string {
  const lang = languageOf(model);
  const s = sayer(lang);
  const width = opts.width ?? WIDTH;
  const x: Ctx = { s, lang, wrap: (text, first, base) => wrap(text, first, base, width) };
  const v = model.verdict;
  const c = model.custody;
  const L: string[] = [];
  // A translation opens by saying that the original-language record is what counts.
  if (model.translationNote) L.push(...x.wrap(model.translationNote), '');
  L.push(...x.wrap(model.title));
  L.push(...x.wrap(s('textSource', { source: model.source.text })));
  L.push(
    ...x.wrap(
      s('textGenerated', {
        time: model.generatedAt.utc,
        tool: model.method.tool,
        version: model.method.toolVersion,
      }),
    ),
  );
  L.push('', '#'.repeat(width));
  L.push(...x.wrap(v.sentence, '# ', '#   '));
  for (const r of v.reasons) L.push(...x.wrap(r, '#   - ', '#     '));
  L.push('#'.repeat(width));
  L.push(...x.wrap(model.provenance.text));

  L.push(...heading(s('identification')));
  L.push(...identificationLines(x, model));

  L.push(...heading(s('custody')));
  c.story.forEach((line, i) => {
    L.push(...x.wrap(line, `${String(i + 1).padStart(3)}. `));
  });
  L.push(...x.wrap(c.finalState));
  L.push(...sub(s('custodyPeriods')));
  L.push(...(c.periods.length ? periodLines(x, c.periods) : [s('textNone')]));
  L.push(...sub(s('handovers')));
  if (!c.handovers.length) L.push(...x.wrap(s('neverHandedOver')));
  for (const h of c.handovers) L.push(...handoverLines(x, h));
  L.push(...sub(s('allEntries')));
  for (const e of c.events) L.push(...eventLines(x, e));
  if (c.notes.length) {
    L.push(...sub(s('notes')));
    for (const n of c.notes) {
      L.push(...x.wrap(n.summary, `  ${String(n.seq).padStart(5)}  `));
      L.push(...x.wrap(s('textSigned', { time: tm(s, n.time), logged: n.logged.utc }), '         '));
    }
  }
  if (model.nonconformities) {
    L.push(...sub(s('nonconformities')), ...x.wrap(model.nonconformities.intro));
    for (const n of model.nonconformities.rows) L.push(...x.wrap(n.text, '  - ', '    '));
  }

  L.push(...heading(s('lineage')));
  if (!model.lineage.length) L.push(...x.wrap(s('textOriginal')));
  for (const l of model.lineage) {
    L.push(...x.wrap(l.text, `  [${relationWord(lang, l.relation)}] `));
    for (const d of l.digests) L.push(...x.wrap(d.hex, `      ${s('textLabel', { label: d.name })} `));
    if (l.periods.length) L.push(...periodLines(x, l.periods));
  }

  L.push(...heading(s('checks')));
  if (!model.checks.length) L.push(...x.wrap(s('noChecks')));
  // The verdict column is as wide as the widest verdict of the language (11 in English).
  const vw = Math.max(11, ...model.checks.map((ck) => Array.from(ck.verdictText).length));
  const vind = ' '.repeat(vw + 3);
  for (const ck of model.checks) {
    L.push(...x.wrap(ck.title, `  ${ck.verdictText.padEnd(vw)} `));
    if (ck.meaning) L.push(...x.wrap(ck.meaning, vind));
    L.push(...x.wrap(ck.detail, vind));
  }
  L.push(...sub(s('problems')));
  if (!model.problems.length) L.push(...x.wrap(s('noProblems')));
  for (const p of model.problems) L.push(...x.wrap(p.text, '  ', '    '));

  L.push(...heading(s('scope')));
  L.push(s('textProven'));
  if (!model.scope.proven.length) L.push(...x.wrap(s('nothingProven'), '  ', '    '));
  for (const line of model.scope.proven) L.push(...x.wrap(line, '  + ', '    '));
  L.push('', s('textNotProven'));
  for (const line of model.scope.notProven) L.push(...x.wrap(line, '  - ', '    '));

  L.push(...heading(s('trustAnchors')));
  if (!model.anchors.length) L.push(...x.wrap(s('noAnchor')));
  // The fingerprint and the key line up after the longer of their two labels.
  const fp = s('textFingerprint');
  const pk = s('textPublicKey');
  const kw =
    Math.max(
      Array.from(s('textLabel', { label: fp })).length,
      Array.from(s('textLabel', { label: pk })).length,
    ) + 1;
  const kind = ' '.repeat(kw + 4);
  for (const a of model.anchors) {
    L.push(
      ...x.wrap(
        s('textAnchor', { role: a.role, matched: s(a.matched ? 'textMatched' : 'textNotMatched') }),
        '  ',
      ),
    );
    L.push(...x.wrap(a.fingerprintGrouped, `    ${s('textLabel', { label: fp }).padEnd(kw)}`, kind));
    L.push(...x.wrap(a.publicKey, `    ${s('textLabel', { label: pk }).padEnd(kw)}`, kind));
  }
  if (model.checkpoint) L.push(...sub(s('checkpoint')), ...x.wrap(model.checkpoint.text));
  for (const w of model.checkpoint?.witnesses ?? [])
    L.push(
      ...x.wrap(
        s('textWitness', { name: w.name, status: s(w.verified ? 'cosigned' : 'textNoCosignature') }),
        '  ',
      ),
    );
  for (const w of model.checkpoint?.auditors ?? [])
    L.push(
      ...x.wrap(
        s('textAuditor', { name: w.name, status: s(w.verified ? 'cosignedReplayed' : 'textNoCosignature') }),
        '  ',
      ),
    );
  for (const g of model.checkpoint?.guarantees ?? [])
    L.push(
      ...x.wrap(s('textRestsOn', { guarantee: guaranteeWord(lang, g.guarantee), restsOn: g.restsOn }), '  '),
    );

  L.push(...heading(s('method')));
  L.push(...x.wrap(`${model.method.tool} ${model.method.toolVersion}`));
  for (const a of model.method.algorithms)
    L.push(...x.wrap(`${s('textLabel', { label: a.name })} ${a.standard} — ${a.use}`, '  - ', '    '));
  for (const n of model.method.notes) L.push(...x.wrap(n));

  L.push(...heading(model.certification.heading));
  for (const p of model.certification.paragraphs) L.push(...x.wrap(p), '');
  // Commands are never wrapped: they must survive copy and paste.
  for (const cmd of model.certification.commands) L.push(`  $ ${visible(cmd).replace(/\n/g, ' ')}`);
  L.push('');
  L.push(...model.certification.signatureLines);

  // The validation appendix (docs/VALIDATION.md): the verifier, what is tested, known limits.
  const val = model.validation;
  L.push(...heading(val.heading));
  // Run on as paragraphs (the items end in their own separators): the appendix stays short on paper.
  L.push(...x.wrap(val.identity), '');
  L.push(...x.wrap([val.testedHeading, ...val.tested].join(' ')), '');
  L.push(...x.wrap([val.limitsHeading, ...val.limits].join(' ')));
  return `${L.join('\n')}\n`;
}
