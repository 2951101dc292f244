/**
 * Drives the verifier page in a real browser (Debian's Chromium, and Firefox ESR over WebDriver
 * BiDi) with puppeteer-core, which never downloads a browser. Every request the page makes is
 * counted, and every console message kept, so tests can assert that it made none and that the
 * CSP refused nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { ROOT } from '../e2e/helpers.js';

export const PAGE_FILE = join(ROOT, 'dist/verifier/custody-verifier.html');
export const CHROMIUM = '/usr/bin/chromium';
export const FIREFOX = '/usr/bin/firefox-esr';

export async function launch(which: 'chromium' | 'firefox'): Promise<Browser> {
  if (which === 'firefox')
    return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true });
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--allow-file-access-from-files',
    ],
  });
}

export const haveBrowser = (which: 'chromium' | 'firefox') =>
  existsSync(which === 'chromium' ? CHROMIUM : FIREFOX);

export interface Opened {
  page: Page;
  /** URLs the page requested besides itself (file:, blob: and data: are local). */
  network: string[];
  console: string[];
}

export async function openPage(browser: Browser, query = ''): Promise<Opened> {
  const page = await browser.newPage();
  const network: string[] = [];
  const console: string[] = [];
  page.on('request', (r) => {
    if (!/^(file|blob|data|about):/.test(r.url())) network.push(r.url());
  });
  page.on('console', (m) => console.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  await page.goto(`${pathToFileURL(PAGE_FILE).href}${query}`);
  await until(page, () => 'custodyPage' in globalThis);
  return { page, network, console };
}

/**
 * Polls `test` in the page. Not page.waitForFunction: its injected helper compiles with
 * Function(), which the page's CSP rightly refuses in Firefox (Chromium's DevTools protocol
 * bypasses the CSP; WebDriver BiDi does not).
 */
async function until(page: Page, test: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await page.evaluate(test))) {
    if (Date.now() > end) throw new Error('the page did not get there in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface PageInput {
  bundle: string;
  authority?: string;
  log?: string;
  witnesses?: string[];
  quorum?: string;
  manifest?: string;
  evidence?: string;
  /** A folder, given through the page's folder chooser (webkitdirectory). */
  folder?: string;
  /** The folder's registered manifest file. */
  folderManifest?: string;
  /** A segment set's files, in any order. */
  segments?: string[];
  strict?: boolean;
}

export interface PageOutcome {
  verdict: string | null;
  problems: string[];
  error: string | null;
  errorCode: string | null;
  ms: number;
  /** What the page said of a folder: its state and each difference it named, or null. */
  folder: { state: string; changes: string[]; summary: string } | null;
}

const upload = async (page: Page, selector: string, ...files: string[]) => {
  const el = await page.$(selector);
  if (!el) throw new Error(`no ${selector}`);
  await (el as unknown as { uploadFile(...p: string[]): Promise<void> }).uploadFile(...files);
};

/** Fills the page as a clerk would, presses Verify, and reads the outcome. */
export async function verifyIn(page: Page, i: PageInput): Promise<PageOutcome> {
  await page.evaluate(() => {
    for (const id of ['authority-keys', 'log-keys', 'witnesses', 'quorum'])
      (document.getElementById(id) as HTMLInputElement).value = '';
    (document.getElementById('strict') as HTMLInputElement).checked = false;
    for (const id of ['bundle', 'manifest', 'evidence', 'evidence-folder', 'folder-manifest', 'segments'])
      (document.getElementById(id) as HTMLInputElement).value = '';
    document.getElementById('result')!.hidden = true;
    document.getElementById('error')!.hidden = true;
  });
  await upload(page, '#bundle', i.bundle);
  if (i.manifest) await upload(page, '#manifest', i.manifest);
  if (i.evidence) await upload(page, '#evidence', i.evidence);
  // Chromium lists a folder given to a webkitdirectory input (CDP DOM.setFileInputFiles) as its
  // files, each with its webkitRelativePath, as a clerk's choice of that folder would.
  if (i.folder) await upload(page, '#evidence-folder', i.folder);
  if (i.folderManifest) await upload(page, '#folder-manifest', i.folderManifest);
  if (i.segments) await upload(page, '#segments', ...i.segments);
  if (i.authority) await page.type('#authority-keys', i.authority);
  if (i.log) await page.type('#log-keys', i.log);
  if (i.witnesses) await page.type('#witnesses', i.witnesses.join('\n'));
  if (i.quorum !== undefined) await page.type('#quorum', i.quorum);
  if (i.strict) await page.click('#strict');
  await page.click('#verify');
  await until(
    page,
    () => !document.getElementById('result')!.hidden || !document.getElementById('error')!.hidden,
  );
  return page.evaluate(() => {
    const r = document.getElementById('result')!;
    const e = document.getElementById('error')!;
    return {
      verdict: r.hidden ? null : (r.dataset['verdict'] ?? null),
      problems: r.hidden ? [] : (r.dataset['problems'] ?? '').split(' ').filter(Boolean),
      error: e.hidden ? null : e.textContent,
      errorCode: e.hidden ? null : (e.dataset['code'] ?? null),
      ms: Number(r.dataset['ms'] ?? -1),
      folder: (() => {
        const f = document.getElementById('folder-check')!;
        if (r.hidden || f.hidden) return null;
        return {
          state: f.dataset['state'] ?? '',
          changes: [...f.querySelectorAll('li')].map((li) => li.textContent ?? ''),
          summary: document.getElementById('folder-summary')!.textContent ?? '',
        };
      })(),
    };
  });
}
