/**
 * The HTML report of a bundle verification (what `verify-bundle --report
 * out.html` writes) stays inert whatever the bundle says: text from a hostile
 * bundle — labels, descriptions, reasons, legal bases — is escaped, so the file
 * never gains a script, an element or a remote resource reference.
 */
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/export.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { buildReportModel, renderHtml, renderText } from '../../src/report/index.js';
import { digestsOf, makeWorld } from '../helpers/world.js';
import { expectVerified, trustAuthority } from './helpers.js';

const EVIL = '<script>alert(1)</script><img src="https://evil.example/x.png" onerror="x()">';
const META = {
  tool: 'custody',
  toolVersion: 'test',
  generatedAt: Date.UTC(2026, 2, 2),
  commands: ['custody verify-bundle x'],
};

describe('the HTML report of a hostile bundle', () => {
  it('escapes every recorded text: no script, no element, no remote reference', async () => {
    const w = await makeWorld();
    const x = (
      await w.ledger.append(
        {
          kind: 'register',
          body: {
            label: 'X<script>',
            caseRef: 'C"><iframe src=//evil.example>',
            description: EVIL,
            digests: digestsOf('x'),
            size: 1,
            seal: '<b onmouseover=alert(1)>',
            location: EVIL,
          },
        },
        w.nlCollector.signer,
      )
    ).exhibit!;
    await w.ledger.append(
      {
        kind: 'transfer',
        body: {
          exhibit: x,
          to: w.deCustodian.id,
          reason: EVIL,
          legalBasis: `EIO ${EVIL}`,
          method: '<style>',
        },
      },
      w.nlCollector.signer,
    );
    const { bytes } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
    const v = await verifyBundle(bytes, trustAuthority(w));
    expectVerified(v, ['witness-quorum', 'file-digests']);
    const html = renderHtml(buildReportModel(v, META));
    const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)];
    expect(tags.length).toBeGreaterThan(50);
    for (const [tag, name, attrs] of tags) {
      expect(name!.toLowerCase(), tag).not.toMatch(/^(script|img|iframe|object|embed|link|base|form)$/);
      expect(attrs, tag).not.toMatch(/\son[a-z]+\s*=/i);
      expect(attrs!.replace(/\sxmlns(:[a-z]+)?="http:\/\/www\.w3\.org\/[^"]*"/g, ''), tag).not.toMatch(
        /https?:|\/\//i,
      );
    }
    expect(tags.filter(([, n]) => n!.toLowerCase() === 'style')).toHaveLength(1);
    expect(html).toContain('X&lt;script&gt;');
    expect(html).toContain('&lt;img src=');
    // The text report carries the same statements, verbatim.
    expect(renderText(buildReportModel(v, META))).toContain('X<script>');
  });
});
