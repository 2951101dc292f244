/**
 * The report as a PDF for filing (`report --format pdf`, `verify-bundle --report x.pdf`;
 * docs/VERIFYING.md §The PDF report), with the bundle attached as an embedded file, aiming at
 * PDF/A-3b (ISO 19005-3: fonts embedded, the attachment with an AFRelationship of Data). Its
 * conformance is not checked here (no veraPDF on this platform); `qpdf --check` is.
 *
 * Page 1 carries the verdict, the provenance, the identification and the custody picture; the
 * rest is the text report, in a monospaced font so that its layout holds. Reproducible: the
 * document's dates are the verification time, so the same report renders to the same bytes.
 *
 * In the CLI shell, not in src/report: pdfkit is a Node library (fonts from files), and the
 * verifier page bundles src/report. pdfkit is loaded only when a PDF is asked for: importing it
 * costs about half a second, which every other command would otherwise pay at start.
 *
 * Worded in the model's language (src/report/messages/render.ts); a translation carries its
 * note on the original-language record on page 1, under the title.
 */
import { existsSync, readFileSync } from 'node:fs';
import { CustodyError } from '../src/errors.js';
import { type Language, say } from '../src/report/i18n.js';
import { type ReportModel, renderText } from '../src/report/index.js';
import { languageOf, RENDER } from '../src/report/messages/render.js';

/** DejaVu (Debian's fonts-dejavu-core): every Latin, Greek and Cyrillic name prints as written. */
const FONT_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu',
  '/usr/local/share/fonts/dejavu',
];

export function fontFile(name: string): Buffer {
  const dirs = process.env['CUSTODY_PDF_FONTS']
    ? [process.env['CUSTODY_PDF_FONTS'], ...FONT_DIRS]
    : FONT_DIRS;
  for (const d of dirs) {
    const p = `${d}/${name}`;
    if (existsSync(p)) return readFileSync(p);
  }
  throw new CustodyError(
    'PDF_FONT_MISSING',
    `a PDF needs the DejaVu fonts (${name}): install fonts-dejavu-core, or set CUSTODY_PDF_FONTS to their directory`,
    'unavailable',
  );
}

const A4 = { w: 595.28, h: 841.89 };
const MARGIN = 40;
const MONO_SIZE = 7;
const LINE = 8;
/**
 * Columns of the text report on paper: where it wraps, and where a command is cut. 122 columns
 * of 7 pt DejaVu Sans Mono (0.602 em each) fill the 515 pt between the margins; a translation
 * runs a tenth longer than English, and every language takes the full measure so that a
 * five-event exhibit, declaration and validation appendix included, fits on four pages.
 */
const MEASURE = { wrap: 120, cut: 122 };

/** The held periods as a chain of boxes, each name wrapped in its box, never cut. */
function custodyPicture(doc: PDFKit.PDFDocument, model: ReportModel, lang: Language, top: number): number {
  const held = model.custody.periods.filter((p) => p.status === 'held');
  if (held.length === 0) return top;
  const perRow = 4;
  const gap = 22;
  const boxW = (A4.w - 2 * MARGIN - (perRow - 1) * gap) / perRow;
  doc
    .font('bold')
    .fontSize(10)
    .fillColor('#1b1f24')
    .text(say(RENDER, lang, 'custodyAtAGlance'), MARGIN, top);
  const from = (p: (typeof held)[number]) => say(RENDER, lang, 'pdfFrom', { time: p.from.utc });
  let y = top + 16;
  for (let r = 0; r * perRow < held.length; r++) {
    const row = held.slice(r * perRow, (r + 1) * perRow);
    doc.font('regular').fontSize(7.5);
    const heights = row.map(
      (p) =>
        doc.heightOfString(`${p.index}. ${p.holder.name}`, { width: boxW - 8 }) +
        doc.heightOfString(`${p.holder.org}, ${p.holder.jurisdiction}`, { width: boxW - 8 }) +
        doc.heightOfString(from(p), { width: boxW - 8 }) +
        10,
    );
    const h = Math.max(...heights);
    row.forEach((p, i) => {
      const x = MARGIN + i * (boxW + gap);
      doc.lineWidth(0.8).strokeColor('#4a5561').rect(x, y, boxW, h).stroke();
      doc
        .font('bold')
        .fontSize(7.5)
        .fillColor('#1b1f24')
        .text(`${p.index}. ${p.holder.name}`, x + 4, y + 4, {
          width: boxW - 8,
        });
      doc.font('regular').text(`${p.holder.org}, ${p.holder.jurisdiction}`, { width: boxW - 8 });
      doc.fillColor('#4a5561').text(from(p), { width: boxW - 8 });
      const next = row[i + 1];
      if (next) {
        const ax = x + boxW;
        const ay = y + h / 2;
        doc
          .strokeColor('#1b1f24')
          .moveTo(ax + 2, ay)
          .lineTo(ax + gap - 2, ay)
          .stroke();
        doc
          .moveTo(ax + gap - 6, ay - 3)
          .lineTo(ax + gap - 2, ay)
          .lineTo(ax + gap - 6, ay + 3)
          .stroke();
      }
    });
    y += h + 12;
  }
  return y;
}

/** The PDF's bytes. `bundle` is attached as `<name>` (an embedded file, AFRelationship Data). */
export async function renderPdf(
  model: ReportModel,
  attach: { bundle: Uint8Array; name: string } | undefined,
): Promise<Buffer> {
  const when = new Date(model.generatedAt.ms);
  const lang = languageOf(model);
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    lang,
    tagged: false,
    displayTitle: true,
    info: {
      Title: model.title,
      Author: `${model.method.tool} ${model.method.toolVersion}`,
      Creator: `${model.method.tool} ${model.method.toolVersion}`,
      Producer: `${model.method.tool} ${model.method.toolVersion} (pdfkit)`,
      CreationDate: when,
      ModDate: when,
    },
    font: undefined as unknown as string,
  });
  doc.registerFont('regular', fontFile('DejaVuSans.ttf'));
  doc.registerFont('bold', fontFile('DejaVuSans-Bold.ttf'));
  doc.registerFont('mono', fontFile('DejaVuSansMono.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  if (attach)
    doc.file(Buffer.from(attach.bundle), {
      name: attach.name,
      type: 'application/octet-stream',
      description: say(RENDER, lang, 'pdfAttachment'),
      relationship: 'Data',
      creationDate: when,
      modifiedDate: when,
    } as PDFKit.Mixins.PDFAttachmentOptions);

  const width = A4.w - 2 * MARGIN;
  const v = model.verdict;
  doc.font('bold').fontSize(13).fillColor('#1b1f24').text(model.title, { width });
  doc.moveDown(0.4);
  if (model.translationNote) {
    // A translation says at once, on the first page, that the original-language record counts.
    doc.font('bold').fontSize(8.5).fillColor('#7a5a00').text(model.translationNote, { width });
    doc.fillColor('#1b1f24').moveDown(0.4);
  }
  // The verdict, in a box the colour of its outcome.
  const status = v.verified
    ? say(RENDER, lang, 'verified')
    : say(RENDER, lang, 'notVerified', { outcome: v.outcome });
  const boxTop = doc.y;
  doc
    .font('bold')
    .fontSize(12)
    .text(status, MARGIN + 8, boxTop + 8, { width: width - 16 });
  doc
    .font('regular')
    .fontSize(8.5)
    .text(v.sentence, { width: width - 16 });
  for (const r of v.reasons) doc.text(`• ${r}`, { width: width - 16 });
  const boxBottom = doc.y + 6;
  doc
    .lineWidth(2)
    .strokeColor(v.verified ? '#1d6b2f' : '#8b0000')
    .rect(MARGIN, boxTop, width, boxBottom - boxTop)
    .stroke();
  doc.y = boxBottom + 8;
  doc
    .font('regular')
    .fontSize(7.5)
    .fillColor('#4a5561')
    .text(model.provenance.text, MARGIN, doc.y, { width });
  if (attach) doc.text(say(RENDER, lang, 'pdfAttached', { name: attach.name }), { width });
  doc.fillColor('#1b1f24');
  doc.y = custodyPicture(doc, model, lang, doc.y + 10);

  // The text report from its identification on (its own verdict banner is above, as a box).
  const measure = MEASURE;
  const lines = renderText(model, { width: measure.wrap }).split('\n');
  const from = Math.max(0, lines.indexOf(say(RENDER, lang, 'identification').toUpperCase()));
  doc.font('mono').fontSize(MONO_SIZE).fillColor('#1b1f24');
  let y = doc.y + 4;
  // The text report keeps commands on one line, whatever their length; on paper they are cut
  // into lines of COLUMNS characters, each continuation indented, so nothing runs off the page.
  const COLUMNS = measure.cut;
  const paper = lines.slice(from).flatMap((l) => {
    if (l.length <= COLUMNS) return [l];
    const out = [l.slice(0, COLUMNS)];
    for (let i = COLUMNS; i < l.length; i += COLUMNS - 6) out.push(`      ${l.slice(i, i + COLUMNS - 6)}`);
    return out;
  });
  for (const l of paper) {
    if (y + LINE > A4.h - MARGIN) {
      doc.addPage();
      y = MARGIN;
    }
    // A blank line is half a line: the text report's spacing, kept compact on paper.
    if (l === '') {
      y += LINE / 2;
      continue;
    }
    doc.text(l, MARGIN, y, { lineBreak: false, width });
    y += LINE;
  }
  doc.end();
  return done;
}
