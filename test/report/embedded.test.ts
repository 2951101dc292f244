/** The bundle an HTML report carries (src/report/embedded.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { bundleOfInput, embeddedBundleElement, isHtml } from '../../src/report/embedded.js';

const page = (body: string) =>
  utf8(`<!DOCTYPE html>\n<html lang="en"><body><p>report</p>${body}</body></html>`);
const code = (f: () => unknown) => {
  try {
    f();
    return 'none';
  } catch (e) {
    return e instanceof CustodyError ? e.code : 'other';
  }
};

describe('a report carries its bundle', () => {
  it('any bytes survive the round trip; a bundle is passed through untouched', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 2000 }), (b) => {
        expect(bundleOfInput(page(embeddedBundleElement(b)))).toEqual(b);
      }),
    );
    const bundle = utf8('CUSTODY-BUNDLE…');
    expect(bundleOfInput(bundle)).toBe(bundle);
    expect(isHtml(utf8('\uFEFF  <html lang="fr">'))).toBe(true);
    expect(isHtml(utf8('<htmlx'))).toBe(false);
  });

  it('an HTML file without one, with two, or with one that is not base64: BUNDLE_MALFORMED', () => {
    const one = embeddedBundleElement(utf8('x'));
    expect(code(() => bundleOfInput(page('')))).toBe('BUNDLE_MALFORMED');
    expect(code(() => bundleOfInput(page(one + one)))).toBe('BUNDLE_MALFORMED');
    expect(code(() => bundleOfInput(page(one.replace('eA==', 'e*=='))))).toBe('BUNDLE_MALFORMED');
    expect(code(() => bundleOfInput(page(one.replace('</pre>', ''))))).toBe('BUNDLE_MALFORMED');
  });
});
