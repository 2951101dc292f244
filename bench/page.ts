/**
 * The court's verifier page in Debian's Chromium (docs/PERFORMANCE.md §The verifier page): a
 * 50-event exhibit's bundle (governance, 25 other exhibit lives, then the long exhibit) dropped
 * into the page opened from file://, verified `runs` times; the page's own timing of the
 * verification (from the bundle's bytes in memory to the verdict and its report, signature
 * checks on the page's workers), median. Also the page's size, plain and gzipped.
 *
 * Run alone: `node dist/bench/page.js [runs]`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { exportBundle } from '../src/bundle/export-v2.js';
import { toBase64 } from '../src/bytes.js';
import { signLogCheckpoint } from '../src/ledger/log-checkpoints.js';
import { MemoryLogStore } from '../src/store/log-memory.js';
import { createWorld, longExhibit, signLife, submitLife } from './workload.js';

export const PAGE_VERIFY_TARGET_MS = 200;
const PAGE = fileURLToPath(new URL('../verifier/custody-verifier.html', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

export interface PageBench {
  verifyMs: number;
  runs: number[];
  workers: number;
  bundleBytes: number;
  events: number;
  pageBytes: number;
  pageGzipBytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchPage(runs = 9, events = 50): Promise<PageBench | undefined> {
  if (!existsSync(CHROMIUM) || !existsSync(PAGE)) return undefined;
  const w = await createWorld(new MemoryLogStore());
  for (let n = 0; n < 25; n++) await submitLife(w, signLife(w, n), () => undefined);
  const exhibit = await longExhibit(w, events);
  const { note } = await signLogCheckpoint(w.view, w.log);
  const bytes = await exportBundle(w.view, exhibit, note);
  const key = toBase64(w.authority.publicKey);
  await w.ledger.close();
  const file = join(tmpdir(), `custody-page-bench-${process.pid}.custody`);
  writeFileSync(file, bytes);
  const html = readFileSync(PAGE);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(PAGE).href);
    const input = await page.$('#bundle');
    await (input as unknown as { uploadFile(p: string): Promise<void> }).uploadFile(file);
    await page.type('#authority-keys', key);
    await page.type('#quorum', '0');
    const times: number[] = [];
    let workers = 0;
    for (let i = 0; i < runs + 1; i++) {
      await page.evaluate("document.getElementById('result').hidden = true");
      await page.click('#verify');
      await page.waitForSelector('#result:not([hidden]), #error:not([hidden])');
      const r = (await page.evaluate(
        "({ verdict: document.getElementById('result').dataset.verdict, ms: Number(document.getElementById('result').dataset.ms), error: document.getElementById('error').hidden ? null : document.getElementById('error').textContent, workers: custodyPage.workersUsed() })",
      )) as { verdict?: string; ms: number; error: string | null; workers: number };
      if (r.verdict !== 'VERIFIED') throw new Error(`page bench: ${r.verdict ?? r.error}`);
      workers = r.workers;
      if (i > 0) times.push(r.ms); // the first run warms the page (workers started, code compiled)
    }
    return {
      verifyMs: median(times),
      runs: times,
      workers,
      bundleBytes: bytes.length,
      events,
      pageBytes: html.length,
      pageGzipBytes: gzipSync(html, { level: 9 }).length,
    };
  } finally {
    await browser.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchPage(Number(process.argv[2] ?? 9));
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
