/**
 * The verifier page on the demo's evidence (docs/VERIFYING.md §The verifier page), in Debian's
 * Chromium: a journey across three ledgers and its tampered copy, checked against the court's
 * trust manifest; and a bundle exported for the defence, with withheld fields and an archived
 * checkpoint carrying an RFC 3161 token (which the page, given no TSA root, reports as not
 * checked, as the CLI does). Verdicts and problem codes equal `custody verify-bundle`'s.
 */
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custody, json, parseJson, removeTempDirs, tempDir } from '../e2e/helpers.js';
import { haveBrowser, launch, type Opened, openPage, type PageInput, verifyIn } from './browser.js';

afterAll(removeTempDirs);

interface CliTop {
  verdict: string;
  problems: { code: string }[];
}

describe('the verifier page on the demo: journeys, withheld fields, archived checkpoints', () => {
  let browser: Browser;
  let opened: Opened;
  let dir: string;
  let authority: string;
  const env = () => ({ ledger: join(dir, 'ledger'), passphrase: 'demo' });

  beforeAll(async () => {
    if (!haveBrowser('chromium'))
      throw new Error('chromium is not installed (.ci/run installs it from Debian)');
    dir = join(tempDir(), 'demo');
    const d = await custody(['demo', '--dir', dir, '--json'], { passphrase: null });
    expect(d.code, d.stderr).toBe(0);
    authority = (await json<{ publicKey: string }>(['key', 'show', join(dir, 'authority.key')])).publicKey;
    const e = await custody(
      [
        'export',
        'HDD-01',
        '--out',
        join(dir, 'HDD-01-defence.custody'),
        '--key',
        join(dir, 'authority.key'),
        '--profile',
        'defence',
        '--recipient',
        'Defence counsel',
        '--legal-basis',
        'Art. 6 ECHR disclosure',
      ],
      env(),
    );
    expect(e.code, e.stderr).toBe(0);
    browser = await launch('chromium');
    opened = await openPage(browser);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function same(i: PageInput, cliArgs: string[]) {
    const page = await verifyIn(opened.page, i);
    const top = parseJson<CliTop>(await custody(['verify-bundle', i.bundle, '--json', ...cliArgs], env()));
    expect(page.error, page.error ?? '').toBeNull();
    expect({ verdict: page.verdict, problems: page.problems }).toEqual({
      verdict: top.verdict,
      problems: top.problems.map((p) => p.code),
    });
    return page;
  }

  it('the journey across three ledgers, against the trust manifest: as the CLI says', async () => {
    const trust = join(dir, 'trust.json');
    const r = await same({ bundle: join(dir, 'PHONE-02.journey'), manifest: trust }, [
      '--trust-policy',
      trust,
    ]);
    expect(r.verdict).toBe('VERIFIED');
  });

  it('the tampered journey: not VERIFIED, with the CLI’s problem codes', async () => {
    const trust = join(dir, 'trust.json');
    const r = await same({ bundle: join(dir, 'PHONE-02-tampered.journey'), manifest: trust }, [
      '--trust-policy',
      trust,
    ]);
    expect(r.verdict).not.toBe('VERIFIED');
  });

  it('a defence bundle: withheld fields and an unchecked time-stamp token, as the CLI says', async () => {
    const bundle = join(dir, 'HDD-01-defence.custody');
    const r = await same({ bundle, authority, quorum: '0' }, ['--trust', authority, '--quorum', '0']);
    expect(r.verdict).toBe('VERIFIED');
    const report = await opened.page.evaluate(
      () => (document.querySelector('#reports iframe') as HTMLIFrameElement).srcdoc,
    );
    expect(report).toContain('withheld');
    expect(report).toContain('TIMESTAMP_NOT_CHECKED');
  });

  it('made no network request', () => {
    expect(opened.network).toEqual([]);
  });
});
