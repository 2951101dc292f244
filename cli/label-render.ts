/**
 * Rendering an evidence-bag label (`custody label`; docs/CLI.md §custody label): a PNG of
 * the QR code alone, for a label printer's own template, or a printable PDF label of
 * 4 × 3 in (the common thermal label) with the QR code and the exhibit's display id,
 * label, case, the ledger's name and origin, and the full exhibit id.
 *
 * The QR code carries src/label/qr-payload.ts's text at error correction level M (15 %
 * of the symbol may be lost: a scuffed bag) with the 4-module quiet zone ISO/IEC 18004
 * asks for. In the PDF it is drawn as vector modules (QRCode.create), so it prints
 * sharp at any printer resolution.
 *
 * In the CLI shell, like cli/report-pdf.ts: qrcode and pdfkit are Node libraries, loaded
 * only when a label is asked for (pdfkit costs about half a second to import).
 */
import { CustodyError } from '../src/errors.js';
import { fontFile } from './report-pdf.js';

export type LabelFormat = 'pdf' | 'png';

/** What a label shows. */
export interface LabelContent {
  /** The display id, EX-XXXXX-XXXXC. */
  display: string;
  /** The full exhibit id, 64 hex digits. */
  exhibitId: string;
  label: string;
  caseRef: string;
  ledgerName: string;
  origin: string;
  /** The QR code's text (src/label/qr-payload.ts). */
  payload: string;
  /** The PDF's dates (the registration's time): the same label renders to the same bytes. */
  date: Date;
}

/** The format of an --out file, by its extension; any other is a usage error. */
export function labelFormatOf(path: string): LabelFormat {
  const ext = /\.([^./\\]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'pdf' || ext === 'png') return ext;
  throw new CustodyError(
    'USAGE',
    `--out ${path}: a label is written as .pdf (the printable label) or .png (its QR code alone)`,
    'input',
  );
}

const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/** The label's bytes in `format`. */
export async function renderLabel(c: LabelContent, format: LabelFormat): Promise<Buffer> {
  const { default: QRCode } = await import('qrcode');
  if (format === 'png') return QRCode.toBuffer(c.payload, { ...QR_OPTIONS, type: 'png', scale: 4 });
  return labelPdf(
    c,
    QRCode.create(c.payload, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel }).modules,
  );
}

/** 4 × 3 in, in points. */
const PAGE = { w: 288, h: 216 };
const MARGIN = 12;
const QR_SIDE = 124;
const INK = '#000000';
const GREY = '#4a5561';

async function labelPdf(c: LabelContent, modules: { size: number; get(r: number, c: number): number }) {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: [PAGE.w, PAGE.h],
    // Every line is placed explicitly; no margin, so that pdfkit never breaks to a second page.
    margin: 0,
    pdfVersion: '1.7',
    subset: 'PDF/A-3b',
    lang: 'en',
    tagged: false,
    displayTitle: true,
    info: {
      Title: `Evidence label ${c.display}`,
      Subject: `${c.label}, case ${c.caseRef}`,
      Creator: 'custody label',
      Producer: 'custody label (pdfkit)',
      CreationDate: c.date,
      ModDate: c.date,
    },
    // No standard font: loading Helvetica reads files pdfkit ships, and prints no name outside Latin-1.
    font: undefined as unknown as string,
  });
  doc.registerFont('regular', fontFile('DejaVuSans.ttf'));
  doc.registerFont('bold', fontFile('DejaVuSans-Bold.ttf'));
  doc.registerFont('mono', fontFile('DejaVuSansMono.ttf'));
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.font('bold').fontSize(9).fillColor(INK).text('EVIDENCE', MARGIN, MARGIN, { lineBreak: false });
  doc
    .font('regular')
    .fontSize(6.5)
    .fillColor(GREY)
    .text('custody chain-of-custody ledger', MARGIN, MARGIN + 2, {
      width: PAGE.w - 2 * MARGIN,
      align: 'right',
      lineBreak: false,
    });

  // The QR code, its quiet zone included, as dark modules merged into runs along each row.
  const top = MARGIN + 16;
  const quiet = QR_OPTIONS.margin;
  const unit = QR_SIDE / (modules.size + 2 * quiet);
  for (let r = 0; r < modules.size; r++)
    for (let col = 0; col < modules.size; ) {
      if (!modules.get(r, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < modules.size && modules.get(r, end)) end++;
      doc.rect(MARGIN + (quiet + col) * unit, top + (quiet + r) * unit, (end - col) * unit, unit);
      col = end;
    }
  doc.fillColor(INK).fill();

  // The text beside it: each field bounded, so that a long label never runs off the label.
  const x = MARGIN + QR_SIDE + 8;
  const width = PAGE.w - MARGIN - x;
  let y = top + 4;
  const field = (name: string, value: string, font: string, size: number, lines: number) => {
    doc.font('regular').fontSize(6).fillColor(GREY).text(name, x, y, { width, lineBreak: false });
    y += 8;
    doc
      .font(font)
      .fontSize(size)
      .fillColor(INK)
      .text(value, x, y, { width, height: lines * size * 1.2, ellipsis: true });
    y += Math.min(doc.heightOfString(value, { width }), lines * size * 1.2) + 4;
  };
  field('Exhibit', c.display, 'bold', 11, 1);
  field('Label', c.label, 'bold', 10, 2);
  field('Case', c.caseRef, 'regular', 9, 2);
  field('Ledger', c.ledgerName, 'regular', 8, 1);
  field('Origin', c.origin, 'mono', 7, 2);

  // The full id under both: what the short id abbreviates, to be checked against the QR code.
  const idTop = PAGE.h - MARGIN - 22;
  doc
    .font('regular')
    .fontSize(6)
    .fillColor(GREY)
    .text('Exhibit id (identity of its registration)', MARGIN, idTop, { lineBreak: false });
  doc
    .font('mono')
    .fontSize(7)
    .fillColor(INK)
    .text(`${c.exhibitId.slice(0, 32)}\n${c.exhibitId.slice(32)}`, MARGIN, idTop + 7, {
      width: PAGE.w - 2 * MARGIN,
    });
  doc.end();
  return done;
}
