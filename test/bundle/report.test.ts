/**
 * The HTML report of a bundle verification (what `verify-bundle --report
 * out.html` writes) stays inert whatever the bundle says: text from a hostile
 * bundle — labels, case references, seals, descriptions, places, reasons,
 * legal bases, methods, names revealed from enrolments — is escaped, so the
 * file never gains a script, an element or a remote resource reference.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { buildReportModel, renderHtml, renderText } from '../../src/report/index.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { DirectLedger } from '../e2e/direct.js';

const EVIL = '<script>alert(1)</script><img src="https://evil.example/x.png" onerror="x()">';
const META = {
  tool: 'custody',
  toolVersion: 'test',
  generatedAt: Date.UTC(2026, 2, 2),
  commands: ['custody verify-bundle x'],
};
const key = (label: string): Signer =>
  signerFromSeed(createHash('sha256').update(`custody report test ${label}`).digest());
const sha256 = (s: string) => new Uint8Array(createHash('sha256').update(s).digest());

describe('the HTML report of a hostile bundle', () => {
  it('escapes every recorded text: no script, no element, no remote reference', async () => {
    const [authority, log, collector, custodian] = ['authority', 'log', 'collector', 'custodian'].map(
      key,
    ) as [Signer, Signer, Signer, Signer];
    const l = await DirectLedger.over(new MemoryLogStore());
    await l.genesis('report.custody.example/hostile', authority, log.publicKey, {
      name: 'Ledger <b>',
      jurisdiction: 'NL',
      org: `NFI ${EVIL}`,
    });
    await l.enrol(authority, collector.publicKey, {
      name: `Insp. ${EVIL}`,
      org: '<iframe src=//evil.example>',
      roles: ['collector', 'custodian'],
      jurisdiction: 'NL',
    });
    await l.enrol(authority, custodian.publicKey, {
      name: 'KHK "><svg onload=alert(1)>',
      org: 'BKA',
      roles: ['custodian'],
      jurisdiction: 'DE',
    });
    const x = (
      await l.register(collector, {
        label: 'X<script>',
        caseRef: 'C"><iframe src=//evil.example>',
        description: EVIL,
        digests: { sha256: sha256('x') },
        size: 1,
        seal: '<b onmouseover=alert(1)>',
        location: EVIL,
      })
    ).id;
    await l.chain('transfer', collector, x, {
      to: keyIdOf({ type: KEY_TYPES.ed25519, publicKey: custodian.publicKey }, KEY_PURPOSES.statement),
      reason: EVIL,
      legalBasis: `EIO ${EVIL}`,
      method: '<style>',
    });
    await l.chain('accept', custodian, x, {
      seal: 'broken',
      note: `<a href="https://evil.example">${EVIL}</a>`,
    });
    const { note } = await signLogCheckpoint(l.view, log);
    const bytes = await exportBundle(l.view, x, note);
    await l.close();

    const v = await verifyBundleV2(bytes, { authorityKeys: [authority.publicKey], quorum: 0 });
    // Everything verifies; the broken seal is a recorded fact, reported as such.
    expect(v.verdict).toBe('VERIFIED');
    expect(v.problems).toEqual([]);
    expect(v.warnings.map((p) => [p.code, p.severity])).toEqual([
      ['COSIGNATURE_NOT_ASKED', 'warning'],
      ['SEAL_BROKEN_RECORDED', 'warning'],
    ]);
    expect(v.checks.find((c) => c.id === 'signatures')?.verdict).toBe('pass');
    expect(v.checks.find((c) => c.id === 'openings')?.verdict).toBe('pass');
    const html = renderHtml(buildReportModel(v, META));
    const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>/g)];
    expect(tags.length).toBeGreaterThan(50);
    for (const [tag, name, attrs] of tags) {
      expect(name!.toLowerCase(), tag).not.toMatch(/^(script|img|iframe|object|embed|link|base|form)$/);
      // The report's own links are in-page anchors only.
      if (name!.toLowerCase() === 'a') expect(attrs, tag).toMatch(/^\s+href="#[^"]*"$/);
      // No attribute loads anything: hostile text may sit in an attribute value (escaped), never in a
      // resource reference or an event handler.
      const list = attrs!.replace(/\s*\/$/, '');
      const parsed = [...list.matchAll(/\s([a-zA-Z][a-zA-Z0-9:-]*)(?:="([^"]*)")?/g)];
      expect(parsed.map((m) => m[0]).join(''), tag).toBe(list);
      for (const [, attr, value = ''] of parsed) {
        expect(attr!.toLowerCase(), tag).not.toMatch(/^on/);
        if (/^(src|href|xlink:href|action|formaction|srcset|poster|background|data)$/i.test(attr!))
          expect(value, tag).not.toMatch(/^\s*(https?:|\/\/|javascript:)/i);
        expect(value, tag).not.toMatch(/url\(|[<>]/i);
      }
    }
    expect(tags.filter(([, n]) => n!.toLowerCase() === 'style')).toHaveLength(1);
    expect(html).toContain('X&lt;script&gt;');
    expect(html).toContain('&lt;img src=');
    // Names revealed from the enrolments' openings are escaped too.
    expect(html).toContain('Insp. &lt;script&gt;');
    // The text report carries the same statements, verbatim.
    const text = renderText(buildReportModel(v, META));
    expect(text).toContain('X<script>');
    expect(text).toContain(`Insp. ${EVIL}`);
  });
});
