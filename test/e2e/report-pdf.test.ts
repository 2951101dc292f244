/**
 * The PDF report (cli/report-pdf.ts; docs/VERIFYING.md §The PDF report): a five-event exhibit
 * fits on at most 4 A4 pages, `qpdf --check` finds nothing, the attached bundle extracted with
 * qpdf verifies, the same model renders to the same bytes, and nothing is written over a file;
 * in French, German and Dutch too (longer words, same budget), with the translation note.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPdf } from '../../cli/report-pdf.js';
import { COMMON } from '../../src/report/i18n.js';
import { buildReportModel } from '../../src/report/index.js';
import { verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { buildWorld, custody, expectFailure, json, removeTempDirs, type World } from './helpers.js';

afterAll(removeTempDirs);

const qpdf = (...args: string[]) => execFileSync('qpdf', args, { encoding: 'utf8' });

describe('the PDF report', () => {
  let w: World;
  let pdf: string;
  const trust = () => ['--trust', w.authority.publicKey, '--quorum', '0'];

  beforeAll(async () => {
    // Five events: registered, handed over, accepted with a re-hash, examined, handed on.
    w = await buildWorld('e2e.custody.example/pdf');
    const run = (args: string[]) => json<Record<string, unknown>>(args, { ledger: w.ledger });
    await run([
      'transfer',
      w.exhibit,
      '--to',
      w.nfi.id,
      '--key',
      w.police.key,
      '--reason',
      'examination',
      '--legal-basis',
      'case file 17',
    ]);
    await run(['accept', w.exhibit, '--key', w.nfi.key, '--file', w.evidence]);
    await run(['examine', w.exhibit, '--key', w.nfi.key, '--action', 'imaged', '--file', w.evidence]);
    await run([
      'transfer',
      w.exhibit,
      '--to',
      w.court.id,
      '--key',
      w.nfi.key,
      '--reason',
      'trial',
      '--legal-basis',
      'order 2026/5',
    ]);
    pdf = join(w.dir, 'HDD-01.pdf');
    const r = await custody(['report', w.exhibit, '--out', pdf, '--log-key', w.log.key, ...trust()], {
      ledger: w.ledger,
    });
    expect(r.code, r.stderr).toBe(0);
  }, 120_000);

  it('fits on 4 A4 pages at most, and qpdf finds nothing wrong', () => {
    const pages = Number(qpdf('--show-npages', pdf).trim());
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThanOrEqual(4);
    expect(qpdf('--check', pdf)).toContain('No syntax or stream encoding errors found');
  });

  it('carries the bundle; extracted, it verifies as the report said', async () => {
    const list = qpdf('--list-attachments', pdf);
    expect(list).toMatch(/^EX-[0-9A-Z-]+\.custody -> /m);
    const key = list.split(' -> ')[0]!.trim();
    const bundle = join(w.dir, 'extracted.custody');
    writeFileSync(bundle, execFileSync('qpdf', [`--show-attachment=${key}`, pdf]));
    const v = await custody(['verify-bundle', bundle, ...trust(), '--quiet'], {
      ledger: join(w.dir, 'none'),
    });
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^VERIFIED: HDD-01/);
    expect(readFileSync(pdf).subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  });

  it('never over an existing file without --force; pdf to stdout is refused', async () => {
    expectFailure(await custody(['report', w.exhibit, '--out', pdf, ...trust()], { ledger: w.ledger }), {
      exit: 2,
      code: 'FILE_EXISTS',
    });
    expect(
      (await custody(['report', w.exhibit, '--out', pdf, '--force', ...trust()], { ledger: w.ledger })).code,
    ).toBe(0);
    expect(qpdf('--show-npages', pdf).trim()).toMatch(/^[1-4]$/);
  });

  it('the same model renders to the same bytes', async () => {
    const bytes = new Uint8Array(readFileSync(join(w.dir, 'extracted.custody')));
    const v = await verifyBundleV2(bytes, {
      authorityKeys: [Buffer.from(w.authority.publicKey, 'base64')],
      quorum: 0,
    });
    const m = buildReportModel(v, {
      tool: 'custody',
      toolVersion: '0.1.0',
      generatedAt: 1_800_000_000_000,
      commands: [],
    });
    const a = await renderPdf(m, { bundle: bytes, name: 'x.custody' });
    const b = await renderPdf(m, { bundle: bytes, name: 'x.custody' });
    expect(a.equals(b)).toBe(true);
  });

  it.each(['fr', 'de', 'nl'] as const)(
    'in %s: at most 4 pages, qpdf clean, and the text opens with the translation note',
    async (lang) => {
      const out = join(w.dir, `HDD-01.${lang}.pdf`);
      const r = await custody(['report', w.exhibit, '--lang', lang, '--out', out, ...trust()], {
        ledger: w.ledger,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(Number(qpdf('--show-npages', out).trim())).toBeLessThanOrEqual(4);
      expect(qpdf('--check', out)).toContain('No syntax or stream encoding errors found');
      const text = await custody(['report', w.exhibit, '--lang', lang, ...trust()], { ledger: w.ledger });
      expect(text.code, text.stderr).toBe(0);
      const flat = text.stdout.replace(/\s+/g, ' ');
      expect(flat.indexOf(COMMON[lang].translationNote)).toBeGreaterThanOrEqual(0);
      expect(flat.indexOf(COMMON[lang].translationNote)).toBeLessThan(flat.indexOf('EX-'));
    },
  );

  it('an unknown --lang is refused before anything is written', async () => {
    const out = join(w.dir, 'HDD-01.pl.pdf');
    expectFailure(
      await custody(['report', w.exhibit, '--lang', 'pl', '--out', out, ...trust()], { ledger: w.ledger }),
      {
        exit: 2,
        code: 'USAGE',
      },
    );
    expect(() => readFileSync(out)).toThrow();
  });
});
