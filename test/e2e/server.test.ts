/**
 * custody serve, used as a lab uses it: one server, workstations acting at
 * once through `--ledger <url>`, every command with the same output and exit
 * codes as on a directory (docs/SERVER.md).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccessKey } from '../../cli/access-key.js';
import { HttpLedger } from '../../cli/remote.js';
import { custody, evidenceFile, expectFailure, exportFor, json, removeTempDirs } from './helpers.js';
import { type Lab, makeLab, type Server, startServer } from './server-helpers.js';

let lab: Lab;
let server: Server;

beforeAll(async () => {
  lab = await makeLab();
  server = await startServer(lab.ledger, lab.people.log.key);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  removeTempDirs();
});

const as = (who: keyof Lab['access'], purpose = 'case work') => ({
  ledger: server.url,
  env: { CUSTODY_ACCESS_KEY: lab.access[who], CUSTODY_PURPOSE: purpose },
});

describe('a lab on one server', () => {
  it('takes registrations from two workstations at once, each acknowledged with a verified receipt', async () => {
    const a = evidenceFile(lab.dir, 'phone.bin');
    const b = evidenceFile(lab.dir, 'disk.bin');
    const [ra, rb] = await Promise.all([
      json<{ index: number; exhibit: string }>(
        [
          'register',
          a,
          '--key',
          lab.people.police.key,
          '--case',
          'JIT-2026-017',
          '--exhibit',
          'PHONE-01',
          '--description',
          'seized phone',
        ],
        as('police'),
      ),
      json<{ index: number; exhibit: string }>(
        [
          'register',
          b,
          '--key',
          lab.people.nfi.key,
          '--case',
          'JIT-2026-017',
          '--exhibit',
          'DISK-01',
          '--description',
          'seized disk',
        ],
        as('nfi'),
      ),
    ]);
    expect(new Set([ra.index, rb.index]).size).toBe(2);
    const list = await json<{ exhibits: { label: string }[] }>(['exhibits'], as('police'));
    expect(list.exhibits.map((x) => x.label).sort()).toEqual(['DISK-01', 'PHONE-01']);
  }, 60_000);

  it('hands over and accepts through the server, and verify reads the whole ledger from it', async () => {
    await json(
      [
        'transfer',
        'PHONE-01',
        '--to',
        lab.people.nfi.id,
        '--key',
        lab.people.police.key,
        '--reason',
        'examination',
      ],
      as('police'),
    );
    await json(['accept', 'PHONE-01', '--key', lab.people.nfi.key], as('nfi'));
    const shown = await custody(['show', 'PHONE-01'], as('nfi'));
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('seized phone');
    const v = await custody(['verify', '--trust', lab.people.authority.publicKey], as('nfi'));
    expect(v.stdout).toMatch(/^VERIFIED/);
    expect(v.code).toBe(0);
  }, 60_000);

  it('keeps cleartext from an actor of another case (403) and logs every read it allows', async () => {
    const r = await custody(['show', 'PHONE-01'], as('other', 'curiosity'));
    expectFailure(r, { exit: 2, code: 'NEED_TO_KNOW', message: /case JIT-2026-017/ });
    const log = readFileSync(`${lab.ledger}.access-log`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { actor: string | null; purpose: string | null; what: string });
    expect(log.length).toBeGreaterThan(0);
    expect(log.some((l) => l.purpose === 'case work' && l.what.startsWith('openings/'))).toBe(true);
    // The refused read is not in the log as a read.
    expect(log.some((l) => l.purpose === 'curiosity' && l.what.startsWith('openings/'))).toBe(false);
    const checked = await json<{ records: unknown[]; head: string }>([
      'access-log',
      '--file',
      `${lab.ledger}.access-log`,
    ]);
    expect(checked.records.length).toBe(log.length);
  }, 60_000);

  it("keeps a folder's manifest handed over at registration, and names changed files only to those who may know", async () => {
    const folder = join(lab.dir, 'extraction');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'a.txt'), 'alpha\n');
    writeFileSync(join(folder, 'sub', 'b.txt'), 'bravo\n');
    const reg = await json<{
      exhibitId: string;
      manifestRoot: string;
      manifestServer: string;
      manifestFile?: string;
    }>(
      [
        'register',
        folder,
        '--key',
        lab.people.nfi.key,
        '--case',
        'JIT-2026-017',
        '--exhibit',
        'EXTRACTION-01',
        '--description',
        'logical extraction',
      ],
      as('nfi'),
    );
    // Handed to the server, which keeps it beside its ledger; nothing left on the workstation.
    expect(reg.manifestServer).toBe(new URL(server.url).origin);
    expect(reg.manifestFile).toBeUndefined();
    expect(existsSync(join(`${lab.ledger}.manifests`, `${reg.manifestRoot}.manifest`))).toBe(true);

    writeFileSync(join(folder, 'sub', 'b.txt'), 'BRAVO\n');
    const check = (who: keyof Lab['access']) =>
      custody(
        [
          'verify',
          '--trust',
          lab.people.authority.publicKey,
          '--exhibit',
          reg.exhibitId,
          '--file',
          folder,
          '--json',
        ],
        as(who),
      );
    const mismatch = (stdout: string) =>
      (JSON.parse(stdout) as { problems: { code: string; message: string }[] }).problems.find(
        (p) => p.code === 'FILE_DIGEST_MISMATCH',
      )?.message;
    // Who registered it: the server hands the manifest over, and the changed file is named.
    const mine = await check('nfi');
    expect(mine.code, mine.stderr).toBe(1);
    expect(mismatch(mine.stdout)).toContain('changed sub/b.txt');
    // Another case: the manifest is refused as the registration's cleartext is (need to know).
    const exhibitId = Uint8Array.from(Buffer.from(reg.exhibitId, 'hex'));
    const other = new HttpLedger(server.url, { signer: readAccessKey(lab.access.other) }, 'curiosity');
    await expect(other.exhibitManifest(exhibitId)).rejects.toMatchObject({
      code: 'NEED_TO_KNOW',
      message: expect.stringContaining('JIT-2026-017'),
    });
    const log = readFileSync(`${lab.ledger}.access-log`, 'utf8');
    expect(log).toContain(`exhibits/${reg.exhibitId}/manifest`);
    expect(log).toContain(`manifests/${reg.manifestRoot} (handed over)`);
    // The refused read is not logged as a read.
    expect(log.split('\n').some((l) => l.includes('curiosity') && l.includes('manifest'))).toBe(false);

    // On request it travels beside the bundle, from the server.
    const bundle = join(lab.dir, 'EXTRACTION-01.custody');
    const exported = await json<{ manifestFile: string }>(
      ['export', 'EXTRACTION-01', '--out', bundle, '--with-manifest', ...exportFor(lab.people.nfi)],
      as('nfi'),
    );
    expect(exported.manifestFile).toBe(join(lab.dir, 'EXTRACTION-01.manifest'));
    // The disclosure records that the manifest went too (disclose body version 2).
    const shown = await json<{ disclosures: { manifest?: string }[] }>(['show', 'EXTRACTION-01'], as('nfi'));
    expect(shown.disclosures.map((d) => d.manifest)).toEqual([reg.manifestRoot]);
    expect(readFileSync(exported.manifestFile)).toEqual(
      readFileSync(join(`${lab.ledger}.manifests`, `${reg.manifestRoot}.manifest`)),
    );

    // A manifest under another root, or from no one, is refused; nothing is kept.
    const police = new HttpLedger(server.url, { signer: readAccessKey(lab.access.police) }, 'test');
    const bytes = new Uint8Array(
      readFileSync(join(`${lab.ledger}.manifests`, `${reg.manifestRoot}.manifest`)),
    );
    const wrong = '00'.repeat(32);
    await expect(
      police.request('PUT', `v1/manifests/${wrong}`, {
        body: bytes,
        type: 'application/octet-stream',
        signed: true,
      }),
    ).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    await expect(
      police.request('PUT', `v1/manifests/${wrong}`, {
        body: bytes.subarray(1),
        type: 'application/octet-stream',
        signed: true,
      }),
    ).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    await expect(
      new HttpLedger(server.url, undefined, undefined).request('PUT', `v1/manifests/${reg.manifestRoot}`, {
        body: bytes,
        type: 'application/octet-stream',
        signed: false,
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(existsSync(join(`${lab.ledger}.manifests`, `${wrong}.manifest`))).toBe(false);
  }, 60_000);

  it('says a server that cannot be reached is unavailable (exit 4)', async () => {
    const r = await custody(['exhibits'], {
      ledger: 'http://127.0.0.1:9',
      env: { CUSTODY_ACCESS_KEY: lab.access.police },
    });
    expectFailure(r, { exit: 4, code: 'LEDGER_UNREACHABLE', message: /cannot reach the ledger server/ });
  });

  it('refuses a read without an access key (401) and says how to sign it', async () => {
    const r = await custody(['exhibits'], { ledger: server.url });
    expectFailure(r, { exit: 2, code: 'UNAUTHENTICATED', message: /access key/ });
  });

  it('serves the checkpoint, health and metrics without authentication', async () => {
    const cp = await fetch(`${server.url}/checkpoint`);
    expect(cp.status).toBe(200);
    expect(cp.headers.get('cache-control')).toBe('no-cache');
    expect(await cp.text()).toMatch(/^lab\.example\/ledger\n\d+\n/);
    const h = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string };
    expect(h.status).toBe('ok');
    const m = await (await fetch(`${server.url}/metrics`)).text();
    expect(m).toMatch(/^custody_appends_total [1-9]/m);
    expect(m).toMatch(/^custody_tree_size \d+/m);
  });

  it('writes JSON-lines request logs with routes, never ids or keys', () => {
    const lines = server.stdout().trim().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) {
      const r = JSON.parse(l) as Record<string, unknown>;
      expect(Object.keys(r).sort()).toEqual(['method', 'ms', 'route', 'status', 'time']);
    }
    expect(server.stdout()).not.toContain(lab.people.police.publicKey);
    void join;
  });
});

describe('reading the whole ledger through the server', () => {
  it('verifies for an actor of another case: other cases come without their cleartext, as if erased', async () => {
    const v = await custody(['verify', '--trust', lab.people.authority.publicKey], as('other', 'audit'));
    expect(v.stdout, v.stderr).toMatch(/^VERIFIED/);
    expect(v.code).toBe(0);
    const log = readFileSync(`${lab.ledger}.access-log`, 'utf8');
    expect(log).toContain('"purpose":"audit"');
  }, 60_000);

  it('refuses, before anything is appended, a command that writes the store directly', async () => {
    const before = (await json<{ size: number }>(['log', '--limit', '0'], as('police'))).size;
    const r = await custody(
      ['erase', 'PHONE-01', '--fields', 'description', '--reason', 'test', '--key', lab.people.police.key],
      as('police'),
    );
    expectFailure(r, { exit: 2, code: 'LEDGER_REMOTE_READ_ONLY' });
    expect((await json<{ size: number }>(['log', '--limit', '0'], as('police'))).size).toBe(before);
    const init = await custody(
      [
        'init',
        '--origin',
        'x.example/l',
        '--jurisdiction',
        'NL',
        '--org',
        'X',
        '--key',
        lab.people.authority.key,
        '--log-key',
        lab.people.log.key,
      ],
      { ledger: server.url },
    );
    expectFailure(init, { exit: 2, code: 'LEDGER_REMOTE_READ_ONLY' });
  }, 60_000);
});
