/**
 * The bundle an HTML report carries (docs/VERIFYING.md §Reports carry their bundle): base64 in
 * a hidden element, `<pre id="custody-bundle" hidden data-type="application/vnd.custody.bundle"
 * data-encoding="base64">`. Not a `<script>` element, even an inert one: a report contains no
 * script at all, and filing systems that strip scripts keep it. Base64 needs no HTML escaping.
 * `custody verify-bundle` and the verifier page take such a report wherever they take a bundle
 * and verify the bundle in it: the report's own text is never evidence, the bundle is, and a
 * report whose embedded bundle was altered fails as the bundle would.
 */
import { fromBase64, toBase64 } from '../bytes.js';
import { CustodyError } from '../errors.js';

const OPEN =
  '<pre id="custody-bundle" hidden data-type="application/vnd.custody.bundle" data-encoding="base64">';

/** The element that carries `bundle`, one line of base64 (RFC 4648 §4). */
export const embeddedBundleElement = (bundle: Uint8Array): string => `${OPEN}${toBase64(bundle)}</pre>`;

const HTML_START = /^(?:\uFEFF)?\s*<(?:!doctype\s+html|html)[\s>]/i;

/** True when the bytes are an HTML document (a report), not a bundle. */
export function isHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 64));
  return HTML_START.test(head);
}

/**
 * The bundle to verify: the bytes themselves, or the bundle an HTML report carries.
 * An HTML file without one, or with one that is not base64, is BUNDLE_MALFORMED.
 */
export function bundleOfInput(bytes: Uint8Array): Uint8Array {
  if (!isHtml(bytes)) return bytes;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const start = text.indexOf(OPEN);
  const end = start < 0 ? -1 : text.indexOf('</pre>', start + OPEN.length);
  if (start < 0 || end < 0 || text.indexOf(OPEN, start + OPEN.length) >= 0)
    throw new CustodyError(
      'BUNDLE_MALFORMED',
      'an HTML file that carries no custody bundle (exactly one custody-bundle element is needed)',
      'input',
    );
  const bundle = fromBase64(text.slice(start + OPEN.length, end).replace(/\s+/g, ''));
  if (!bundle || bundle.length === 0)
    throw new CustodyError('BUNDLE_MALFORMED', "the report's embedded bundle is not base64", 'input');
  return bundle;
}
