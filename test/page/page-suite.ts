/**
 * The court's verifier page in a real browser, opened from file:// (docs/VERIFYING.md §The
 * verifier page): for a valid bundle, a tampered one, a wrong key, a matching and a mismatching
 * evidence file, its verdict and problem codes equal `custody verify-bundle`'s; the project's
 * Ed25519 edge cases and the Wycheproof ML-DSA-44 vectors get the same answers from the page's
 * backends as from Node's; it makes no network request and its CSP refuses nothing it needs.
 * Run by chromium.test.ts and firefox.test.ts.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMON } from '../../src/report/i18n.js';
import { nodeBackend } from '../crypto/util.js';
import {
  alteredCopy,
  buildWorld,
  custody,
  exportFor,
  fixturePeople,
  json,
  parseJson,
  tempDir,
  type World,
} from '../e2e/helpers.js';
import {
  haveBrowser,
  launch,
  type Opened,
  openPage,
  PAGE_FILE,
  type PageInput,
  verifyIn,
} from './browser.js';
import { ed25519Cases, WYCHEPROOF } from './vectors.js';

interface CliTop {
  verdict: string;
  problems: { code: string }[];
}

export function describePage(which: 'chromium' | 'firefox') {
  // The whole matrix runs in Chromium; Firefox runs the core of it (a verified bundle, a wrong
  // key, the evidence file, the vectors, no network), which keeps CI within its time.
  const full = which === 'chromium' ? it : it.skip;
  describe(`the verifier page in ${which}`, () => {
    let browser: Browser;
    let opened: Opened;
    let w: World;
    let bundle: string;
    let tampered: string;
    let witnessVkey: string;

    beforeAll(async () => {
      w = await buildWorld('e2e.custody.example/page');
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
      await run(['checkpoint', '--log-key', w.log.key]);
      const witness = fixturePeople(tempDir(), { w1: ['Witness', 'BE', 'W', ''] }).w1;
      witnessVkey = (
        await json<{ vkey: string }>(['witness', 'vkey', '--key', witness.key, '--name', 'w1.example'])
      ).vkey;
      const logVkey = (await run(['checkpoint', '--vkey']))['vkey'] as string;
      const cs = await run([
        'witness',
        'cosign',
        '--key',
        witness.key,
        '--name',
        'w1.example',
        '--state',
        join(w.dir, 'w1.state'),
        '--log-vkey',
        logVkey,
      ]);
      writeFileSync(join(w.dir, 'cosig.txt'), cs['cosignature'] as string);
      await run(['witness', 'attach', join(w.dir, 'cosig.txt'), '--witness', witnessVkey]);
      bundle = join(w.dir, 'HDD-01.custody');
      await run(['export', w.exhibit, '--out', bundle, ...exportFor(w.police)]);
      // One byte of the bundle's last third changed: a proof, a signature or a statement no longer holds.
      const bytes = readFileSync(bundle);
      tampered = join(w.dir, 'tampered.custody');
      copyFileSync(bundle, tampered);
      const t = Buffer.from(bytes);
      const at = Math.floor((t.length * 2) / 3);
      t[at] = t[at]! ^ 0x01;
      writeFileSync(tampered, t);
      // Not skipped when missing: .ci/run installs both browsers, and a silent skip would pass CI untested.
      if (!haveBrowser(which)) throw new Error(`${which} is not installed (.ci/run installs it from Debian)`);
      browser = await launch(which);
      opened = await openPage(browser);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
    });

    /** With CUSTODY_SCREENSHOTS=<dir> (Chromium only), the pictures docs/VERIFYING.md shows. */
    const shots = which === 'chromium' ? process.env['CUSTODY_SCREENSHOTS'] : undefined;
    const shoot = async (name: string) => {
      if (shots) await opened.page.screenshot({ path: join(shots, name) });
    };

    /** The page's outcome and the CLI's run on one file, with the authority key and the witness. */
    async function pageAndCli(file: string) {
      const r = await verifyIn(opened.page, {
        bundle: file,
        authority: w.authority.publicKey,
        witnesses: [witnessVkey],
      });
      const c = await custody(
        ['verify-bundle', file, '--json', '--trust', w.authority.publicKey, '--witness', witnessVkey],
        {
          ledger: join(w.dir, 'no-ledger-here'),
        },
      );
      return { r, c };
    }

    /** The CLI's verdict for the same inputs. */
    async function cli(i: PageInput): Promise<{ verdict: string; problems: string[] }> {
      const args = ['verify-bundle', i.bundle, '--json'];
      if (i.authority) args.push('--trust', i.authority);
      for (const v of i.witnesses ?? []) args.push('--witness', v);
      if (i.quorum !== undefined) args.push('--quorum', i.quorum);
      if (i.evidence) args.push('--file', i.evidence);
      const top = parseJson<CliTop>(await custody(args, { ledger: join(w.dir, 'no-ledger-here') }));
      return { verdict: top.verdict, problems: top.problems.map((p) => p.code) };
    }

    async function same(i: PageInput) {
      const [page, expected] = [await verifyIn(opened.page, i), await cli(i)];
      expect(page.error, page.error ?? '').toBeNull();
      expect({ verdict: page.verdict, problems: page.problems }).toEqual(expected);
      return page;
    }

    it('a valid, witnessed bundle: VERIFIED, as the CLI says', async () => {
      await shoot('verifier-open.png');
      const r = await same({ bundle, authority: w.authority.publicKey, witnesses: [witnessVkey] });
      expect(r.verdict).toBe('VERIFIED');
      await shoot('verifier-verified.png');
    });

    full('in French: the same verdict, in French words', async () => {
      const fr = await openPage(browser, '?lang=fr');
      const r = await verifyIn(fr.page, {
        bundle,
        authority: w.authority.publicKey,
        witnesses: [witnessVkey],
      });
      expect(r.verdict).toBe('VERIFIED');
      const words = await fr.page.evaluate(() => document.getElementById('verdict-word')!.textContent);
      expect(words).toBe('VÉRIFIÉ');
      // The report is in French too, and says that the original-language record prevails.
      const report = () =>
        fr.page.evaluate(() => (document.querySelector('#reports iframe') as HTMLIFrameElement).srcdoc);
      const inFrench = await report();
      expect(inFrench).toContain('<html lang="fr"');
      expect(inFrench).toContain(COMMON.fr.translationNote);
      if (shots) await fr.page.screenshot({ path: join(shots, 'verifier-fr.png') });
      // Changing the language and the legal framing rewords the report without verifying again.
      await fr.page.select('#lang', 'de');
      await fr.page.select('#framing', 'us');
      const inGerman = await report();
      expect(inGerman).toContain('<html lang="de"');
      expect(inGerman).toContain(COMMON.de.translationNote);
      expect(inGerman).toContain('902(13)');
      expect(inGerman).not.toContain('2024/1183');
      await fr.page.close();
    });

    full('without the witness: UNWITNESSED (COSIGNATURE_MISSING); with quorum 0: VERIFIED', async () => {
      expect((await same({ bundle, authority: w.authority.publicKey })).verdict).toBe('UNWITNESSED');
      expect((await same({ bundle, authority: w.authority.publicKey, quorum: '0' })).verdict).toBe(
        'VERIFIED',
      );
    });

    it('a wrong key: UNANCHORED', async () => {
      const r = await same({ bundle, authority: w.police.publicKey, witnesses: [witnessVkey] });
      expect(r.verdict).toBe('UNANCHORED');
    });

    full('a tampered bundle: not VERIFIED, with the CLI’s problem codes', async () => {
      const { r, c } = await pageAndCli(tampered);
      if (r.error === null) {
        const top = parseJson<CliTop>(c);
        expect(r.verdict).not.toBe('VERIFIED');
        expect({ verdict: r.verdict, problems: r.problems }).toEqual({
          verdict: top.verdict,
          problems: top.problems.map((p) => p.code),
        });
      } else {
        // The byte broke the bundle's encoding: both refuse it as input.
        expect(c.code).toBe(2);
        expect(c.stderr).toContain(`[${r.errorCode}]`);
      }
    });

    it('the evidence file: the registered one matches, an altered copy does not', async () => {
      const good = await same({
        bundle,
        authority: w.authority.publicKey,
        quorum: '0',
        evidence: w.evidence,
      });
      expect(good.verdict).toBe('VERIFIED');
      const altered = alteredCopy(w.evidence, join(w.dir, 'HDD-01-altered.dd'));
      const bad = await same({ bundle, authority: w.authority.publicKey, quorum: '0', evidence: altered });
      expect(bad.verdict).toBe('FAILED');
      expect(bad.problems).toContain('FILE_DIGEST_MISMATCH');
    });

    full(
      'a report carries its bundle: verified from the report; altered inside, it fails in the CLI and the page alike',
      async () => {
        const report = join(w.dir, 'report.html');
        const made = await custody(
          [
            'verify-bundle',
            bundle,
            '--trust',
            w.authority.publicKey,
            '--witness',
            witnessVkey,
            '--report',
            report,
          ],
          { ledger: join(w.dir, 'no-ledger-here') },
        );
        expect(made.code).toBe(0);
        const html = readFileSync(report, 'utf8');
        // It names the release, its verifier page, the bundle and when.
        const pageSha = createHash('sha256').update(readFileSync(PAGE_FILE)).digest('hex');
        const bundleSha = createHash('sha256').update(readFileSync(bundle)).digest('hex');
        expect(html).toContain(`whose published verifier page has SHA-256 ${pageSha}`);
        expect(html).toContain(`The bundle verified has SHA-256 ${bundleSha}`);
        expect(
          (await same({ bundle: report, authority: w.authority.publicKey, witnesses: [witnessVkey] }))
            .verdict,
        ).toBe('VERIFIED');
        // One base64 character of the embedded bundle changed, the report's text untouched.
        const open = html.indexOf('data-encoding="base64">') + 'data-encoding="base64">'.length;
        const at = open + Math.floor((html.indexOf('</pre>', open) - open) / 2);
        const altered = join(w.dir, 'report-altered.html');
        writeFileSync(altered, html.slice(0, at) + (html[at] === 'A' ? 'B' : 'A') + html.slice(at + 1));
        const { r, c } = await pageAndCli(altered);
        expect(c.code).not.toBe(0);
        if (r.error === null) {
          expect(r.verdict).not.toBe('VERIFIED');
          const top = parseJson<CliTop>(c);
          expect({ verdict: r.verdict, problems: r.problems }).toEqual({
            verdict: top.verdict,
            problems: top.problems.map((p) => p.code),
          });
        } else expect(c.stderr).toContain(`[${r.errorCode}]`);
      },
    );

    full(
      'a file beyond the verifier limits is not read: INCOMPLETE (BUNDLE_TOO_LARGE), as the CLI says',
      async () => {
        const big = join(w.dir, 'big.custody');
        writeFileSync(big, '');
        truncateSync(big, (64 << 20) + 1);
        const r = await same({ bundle: big, authority: w.authority.publicKey });
        expect(r.verdict).toBe('INCOMPLETE');
        expect(r.problems).toEqual(['BUNDLE_TOO_LARGE']);
      },
    );

    full('not a bundle: refused as input, as the CLI does (exit 2)', async () => {
      const junk = join(w.dir, 'junk.custody');
      writeFileSync(junk, 'this is not a custody bundle');
      const r = await verifyIn(opened.page, { bundle: junk, authority: w.authority.publicKey });
      const c = await custody(['verify-bundle', junk, '--trust', w.authority.publicKey], {
        ledger: join(w.dir, 'no-ledger-here'),
      });
      expect(c.code).toBe(2);
      expect(r.errorCode).not.toBeNull();
      expect(c.stderr).toContain(`[${r.errorCode}]`);
    });

    it("the page's Ed25519 decides the project's edge cases as Node's OpenSSL backend does", async () => {
      const cases = ed25519Cases();
      const page = await opened.page.evaluate(
        (cs) =>
          cs.map((c) =>
            (
              globalThis as unknown as {
                custodyPage: { ed25519Verify(s: Uint8Array, m: Uint8Array, k: Uint8Array): boolean };
              }
            ).custodyPage.ed25519Verify(new Uint8Array(c.s), new Uint8Array(c.m), new Uint8Array(c.k)),
          ),
        cases.map((c) => ({ s: [...c.s], m: [...c.m], k: [...c.k] })),
      );
      const node = nodeBackend();
      expect(page).toEqual(cases.map((c) => node.verify(c.s, c.m, c.k)));
      expect(page.filter(Boolean).length).toBeGreaterThan(0);
      expect(page.filter((x) => !x).length).toBeGreaterThan(0);
    });

    it("the page's ML-DSA-44 answers every Wycheproof verify vector as published", async () => {
      const page = await opened.page.evaluate(
        (cs) =>
          cs.map((c) =>
            (
              globalThis as unknown as {
                custodyPage: {
                  mlDsa44Verify(s: Uint8Array, m: Uint8Array, k: Uint8Array, c?: Uint8Array): boolean;
                };
              }
            ).custodyPage.mlDsa44Verify(
              Uint8Array.from(c.sig.match(/../g) ?? [], (h) => Number.parseInt(h, 16)),
              Uint8Array.from(c.msg.match(/../g) ?? [], (h) => Number.parseInt(h, 16)),
              Uint8Array.from(c.publicKey.match(/../g) ?? [], (h) => Number.parseInt(h, 16)),
              Uint8Array.from(c.ctx.match(/../g) ?? [], (h) => Number.parseInt(h, 16)),
            ),
          ),
        WYCHEPROOF,
      );
      expect(page).toEqual(WYCHEPROOF.map((c) => c.result === 'valid'));
    });

    /** Registers `evidence` (a folder or segments) in the world's ledger and exports its bundle. */
    async function registeredBundle(evidence: string[], label: string, extra: string[] = []) {
      const run = (args: string[]) => json<Record<string, unknown>>(args, { ledger: w.ledger });
      const reg = await run([
        'register',
        ...evidence,
        '--key',
        w.police.key,
        '--case',
        'JIT-2026-017',
        '--exhibit',
        label,
        '--description',
        `exhibit ${label}`,
        '--hash',
        'sha256,md5',
        ...extra,
      ]);
      await run(['checkpoint', '--log-key', w.log.key]);
      const out = join(w.dir, `${label}.custody`);
      await run(['export', reg['exhibit'] as string, '--out', out, ...exportFor(w.police)]);
      return out;
    }

    full('a folder: checked against its registration; a changed file is named by its manifest', async () => {
      // A folder registered by the CLI (src/files/hash-tree.ts), rebuilt by the page from the
      // browser's files: the same manifest, byte for byte, or the root would differ.
      const folder = join(w.dir, 'PHONE-01');
      mkdirSync(join(folder, 'DCIM', '100APPLE'), { recursive: true });
      const files: Record<string, string> = {
        'DCIM/100APPLE/IMG_0001.JPG': 'not really a jpeg '.repeat(500),
        'Müller notes.txt': 'non-ASCII, NFC name',
        'b.txt': 'b',
        'a/b.txt': 'sorted after a.txt: "/" (0x2f) is after "." (0x2e)',
        'a.txt': 'a',
      };
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(join(folder, rel, '..'), { recursive: true });
        writeFileSync(join(folder, rel), text);
      }
      const manifest = join(w.dir, 'PHONE-01.manifest');
      const folderBundle = await registeredBundle([folder], 'PHONE-01', ['--manifest-out', manifest]);
      const trust = { bundle: folderBundle, authority: w.authority.publicKey, quorum: '0' };

      const good = await verifyIn(opened.page, { ...trust, folder });
      expect(good.error, good.error ?? '').toBeNull();
      expect(good.verdict).toBe('VERIFIED');
      expect(good.folder).toMatchObject({ state: 'matches', changes: [] });
      // verify-bundle --file takes one regular file: the repeat command does not pretend otherwise.
      const command = await opened.page.evaluate(() => document.getElementById('command')!.textContent);
      expect(command).toContain('verify-bundle');
      expect(command).not.toContain('--file');

      // One byte of one file changed, its size kept: only the folder's digests can tell.
      const b = readFileSync(join(folder, 'DCIM/100APPLE/IMG_0001.JPG'));
      b[100] = b[100]! ^ 0x20;
      writeFileSync(join(folder, 'DCIM/100APPLE/IMG_0001.JPG'), b);
      const named = await verifyIn(opened.page, { ...trust, folder, folderManifest: manifest });
      expect(named.verdict).toBe('FAILED');
      expect(named.problems).toContain('FILE_DIGEST_MISMATCH');
      expect(named.folder).toMatchObject({
        state: 'differs-named',
        changes: ['Changed: DCIM/100APPLE/IMG_0001.JPG'],
      });

      // Without the manifest file the page says the folder differs, and names nothing.
      const unnamed = await verifyIn(opened.page, { ...trust, folder });
      expect(unnamed.verdict).toBe('FAILED');
      expect(unnamed.folder).toMatchObject({ state: 'differs', changes: [] });

      // A file added: named as added, and the change still named.
      writeFileSync(join(folder, 'extra.bin'), 'added after registration');
      const added = await verifyIn(opened.page, { ...trust, folder, folderManifest: manifest });
      expect(added.folder?.changes).toEqual(['Added: extra.bin', 'Changed: DCIM/100APPLE/IMG_0001.JPG']);
    });

    full(
      'a folder with an empty folder, chosen (a chooser lists files only): not matched, and the page says why',
      async () => {
        const folder = join(w.dir, 'USB-01');
        mkdirSync(join(folder, 'empty'), { recursive: true });
        writeFileSync(join(folder, 'x.txt'), 'x');
        const manifest = join(w.dir, 'USB-01.manifest');
        const folderBundle = await registeredBundle([folder], 'USB-01', ['--manifest-out', manifest]);
        const r = await verifyIn(opened.page, {
          bundle: folderBundle,
          authority: w.authority.publicKey,
          quorum: '0',
          folder,
          folderManifest: manifest,
        });
        expect(r.folder).toMatchObject({ state: 'differs-named', changes: ['Removed: empty'] });
        expect(r.folder?.summary).toContain('1 of the removed entries are empty folders');
      },
    );

    full('a segment set: its files, chosen in any order, hashed as one stream in segment order', async () => {
      const parts = ['disk.001', 'disk.002', 'disk.003'].map((n, k) => {
        const p = join(w.dir, n);
        writeFileSync(p, Buffer.alloc(3000 + k, 0x41 + k));
        return p;
      });
      const setBundle = await registeredBundle([parts[0]!], 'DISK-01');
      const trust = { bundle: setBundle, authority: w.authority.publicKey, quorum: '0' };
      const good = await verifyIn(opened.page, { ...trust, segments: [parts[2]!, parts[0]!, parts[1]!] });
      expect(good.error, good.error ?? '').toBeNull();
      expect(good.verdict).toBe('VERIFIED');
      // A segment left out: the concatenation is not the registered one.
      const short = await verifyIn(opened.page, { ...trust, segments: [parts[0]!, parts[1]!] });
      expect(short.verdict).toBe('FAILED');
      expect(short.problems).toContain('FILE_SIZE_MISMATCH');
    });

    it('made no network request, and the CSP refused nothing', () => {
      expect(opened.network).toEqual([]);
      expect(opened.console.filter((m) => /Content Security Policy|Refused|pageerror/i.test(m))).toEqual([]);
    });
  });
}
