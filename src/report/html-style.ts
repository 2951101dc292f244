/**
 * The HTML report's Content-Security-Policy and its one inline style sheet (A4 print styles, a
 * page break before each section), apart from the renderer: nothing from the model is ever
 * placed in CSS; only the page footer's words, from the catalogue, are.
 */
import type { Language } from './i18n.js';
import { HTML } from './messages/render-html.js';

export const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS_TEMPLATE = `
@page { size: A4; margin: 15mm 13mm 17mm 13mm;
  @bottom-right { content: PAGE_OF; font-size: 8pt; color: #4a5a6a; } }
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

/** A translation's note on the original-language record: styled only where it is shown. */
const NOTE_CSS =
  '.translation-note { border: 2px solid #7a5a00; background: #fdf6e3; padding: 2mm 3mm; margin: 2mm 0 3mm; font-weight: bold; }\n';

/** The page footer's CSS content, e.g. `"page " counter(page) " of " counter(pages)`, from the template. */
function pageOfCss(lang: Language): string {
  const parts: string[] = [];
  for (const m of HTML[lang].pageOf.matchAll(/\{(page|pages)\}|([^{]+)/g))
    parts.push(m[1] ? `counter(${m[1]})` : `"${m[2]!.replace(/["\\]/g, '\\$&')}"`);
  return parts.join(' ');
}

/** The style sheet for a report in `lang`; the translation note's style only where it is shown. */
export function styleSheet(lang: Language, withNote: boolean): string {
  return CSS_TEMPLATE.replace('PAGE_OF', pageOfCss(lang)) + (withNote ? NOTE_CSS : '');
}
