/**
 * The verifier page's build (scripts/build-verifier.ts): reproducible, self-contained, under
 * its size budget, with a CSP that names its one inline script by hash and allows no
 * connection; `custody verifier` hands out exactly the built file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildVerifier } from '../../scripts/build-verifier.js';
import { custody, json, removeTempDirs, tempDir } from '../e2e/helpers.js';
import { PAGE_FILE } from './browser.js';

afterAll(removeTempDirs);

describe('the verifier page build', () => {
  it('two builds from the same tree are byte-identical', async () => {
    const dir = tempDir();
    const a = await buildVerifier(join(dir, 'a.html'));
    const b = await buildVerifier(join(dir, 'b.html'));
    expect(readFileSync(join(dir, 'a.html')).equals(readFileSync(join(dir, 'b.html')))).toBe(true);
    expect(a.codeHash).toBe(b.codeHash);
  }, 60_000);

  it('one inline script, named by its hash in a CSP that allows no connection; under 300 KB gzipped', () => {
    const html = readFileSync(PAGE_FILE, 'utf8');
    const scripts = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    const code = scripts[0]![1]!;
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`'sha256-${createHash('sha256').update(code).digest('base64')}'`);
    expect(csp).not.toMatch(/connect-src|https?:|'unsafe-eval'|\*/);
    expect(html).toContain(
      `<meta name="custody-code-sha256" content="${createHash('sha256').update(code).digest('hex')}">`,
    );
    // No element loads anything: no src= or href= outside the script.
    expect(html.replace(code, '')).not.toMatch(/\s(src|href)=/);
    expect(gzipSync(html, { level: 9 }).length).toBeLessThan(300_000);
  });

  it('custody verifier --hash prints the SHA-256 of the built page; --out copies it, never over a file without --force', async () => {
    const page = readFileSync(PAGE_FILE);
    const sha = createHash('sha256').update(page).digest('hex');
    const h = await custody(['verifier', '--hash']);
    expect(h.code).toBe(0);
    expect(h.stdout).toBe(`${sha}  custody-verifier.html\n`);
    const out = join(tempDir(), 'verifier.html');
    const doc = await json<{ sha256: string; bytes: number; version: string }>(['verifier', '--out', out]);
    expect(doc).toMatchObject({ sha256: sha, bytes: page.length, version: '0.1.0' });
    expect(readFileSync(out).equals(page)).toBe(true);
    const again = await custody(['verifier', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('[FILE_EXISTS]');
    expect((await custody(['verifier', '--out', out, '--force'])).code).toBe(0);
    const none = await custody(['verifier']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('[USAGE]');
  });
});
