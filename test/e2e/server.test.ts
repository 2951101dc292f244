/**
 * custody serve, used as a lab uses it: one server, workstations acting at
 * once through `--ledger <url>`, every command with the same output and exit
 * codes as on a directory (docs/SERVER.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custody, evidenceFile, expectFailure, json, removeTempDirs } from './helpers.js';
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
