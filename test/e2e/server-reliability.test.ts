/**
 * The server under load and under failure (docs/SERVER.md §Appending, §Never
 * two histories): many clients at once, SIGKILL at any moment, SIGTERM, and a
 * store restored from an old backup. Real server and CLI processes.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  custody,
  entryCount,
  evidenceFile,
  expectFailure,
  json,
  removeTempDirs,
  tempDir,
} from './helpers.js';
import { type Lab, makeLab, type Server, startServer } from './server-helpers.js';

/** Concurrent clients and SIGKILL trials: 20 and 3 in npm test (kills 300, 450 and 600 ms in), 50 and 50 in npm run soak. */
const CLIENTS = Number(process.env['CUSTODY_SERVER_CLIENTS'] ?? 20);
const KILLS = Number(process.env['CUSTODY_SERVER_KILLS'] ?? 3);

let lab: Lab;
const running: Server[] = [];

/** Starts a server on the lab ledger; afterEach stops any a failed test left running. */
async function serve(): Promise<Server> {
  const s = await startServer(lab.ledger, lab.people.log.key);
  running.push(s);
  return s;
}

afterEach(async () => {
  for (const s of running.splice(0)) await s.stop('SIGKILL');
});

beforeAll(async () => {
  lab = await makeLab();
}, 120_000);

afterAll(() => removeTempDirs());

/** Registers a fresh file as `police` through `url`; the CLI's result. */
function registerVia(url: string, n: number, dir = lab.dir) {
  const file = evidenceFile(dir, `item-${n}-${Math.random().toString(36).slice(2)}.bin`, 512);
  return custody(
    [
      'register',
      file,
      '--key',
      lab.people.police.key,
      '--case',
      'LOAD-1',
      '--exhibit',
      `ITEM-${n}`,
      '--description',
      `item ${n}`,
      '--json',
    ],
    { ledger: url, env: { CUSTODY_ACCESS_KEY: lab.access.police } },
  );
}

const verifyLocal = () =>
  custody(['verify', '--trust', lab.people.authority.publicKey], { ledger: lab.ledger });

describe('many clients at once', () => {
  it(
    `acknowledges ${CLIENTS} concurrent appends with distinct entries, and the ledger verifies`,
    async () => {
      const before = await entryCount(lab.ledger);
      const server = await serve();
      const results = await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) => registerVia(server.url, i)),
      );
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const indexes = results.map((r) => (JSON.parse(r.stdout) as { index: number }).index);
      expect(new Set(indexes).size).toBe(CLIENTS);
      expect(Math.min(...indexes)).toBe(before);
      expect(Math.max(...indexes)).toBe(before + CLIENTS - 1);
      expect(await server.stop('SIGTERM')).toBe(0);
      const v = await verifyLocal();
      expect(v.stdout, v.stderr).toMatch(/^VERIFIED/);
    },
    60_000 + CLIENTS * 3_000,
  );
});

describe('SIGKILL under load', () => {
  it(
    `loses no acknowledged append in ${KILLS} trials, and the ledger verifies after them`,
    async () => {
      for (let trial = 0; trial < KILLS; trial++) {
        const server = await serve();
        const clients = Array.from({ length: 6 }, (_, i) => registerVia(server.url, 100 * (trial + 1) + i));
        // Kill while clients are still running: after the first acknowledgement or a short while.
        await Promise.race([clients[0], new Promise((r) => setTimeout(r, 300 + (trial % 5) * 150))]);
        await server.stop('SIGKILL');
        const results = await Promise.all(clients);
        const acknowledged = results
          .filter((r) => r.code === 0)
          .map((r) => JSON.parse(r.stdout) as { index: number; id: string });
        for (const r of results.filter((x) => x.code !== 0)) expect(r.code, r.stderr).toBe(4);
        // Restart and read every acknowledged entry back by its statement id.
        const again = await serve();
        const log = await json<{ entries: { index: number; id: string }[] }>(['log'], {
          ledger: again.url,
          env: { CUSTODY_ACCESS_KEY: lab.access.police },
        });
        const byIndex = new Map(log.entries.map((e) => [e.index, e.id]));
        for (const a of acknowledged) expect(byIndex.get(a.index)).toBe(a.id);
        expect(await again.stop('SIGTERM')).toBe(0);
      }
      // The whole ledger, after every trial's crash and restart.
      const v = await verifyLocal();
      expect(v.stdout, v.stderr).toMatch(/^VERIFIED/);
    },
    KILLS * 60_000,
  );
});

describe('SIGTERM', () => {
  it('drains: appends in flight are acknowledged, the server exits 0, and nothing acknowledged is lost', async () => {
    const server = await serve();
    const clients = Array.from({ length: 6 }, (_, i) => registerVia(server.url, 900 + i));
    await new Promise((r) => setTimeout(r, 400));
    expect(await server.stop('SIGTERM')).toBe(0);
    const results = await Promise.all(clients);
    const acknowledged = results
      .filter((r) => r.code === 0)
      .map((r) => JSON.parse(r.stdout) as { index: number; id: string });
    for (const r of results.filter((x) => x.code !== 0)) expect(r.code, r.stderr).toBe(4);
    const log = await json<{ entries: { index: number; id: string }[] }>(['log'], { ledger: lab.ledger });
    const byIndex = new Map(log.entries.map((e) => [e.index, e.id]));
    for (const a of acknowledged) expect(byIndex.get(a.index)).toBe(a.id);
  }, 120_000);
});

describe('never two histories', () => {
  it('refuses to sign over a store restored from an old backup until the store has caught up', async () => {
    const backup = join(tempDir('custody-backup-'), 'ledger');
    cpSync(lab.ledger, backup, { recursive: true });
    const server = await serve();
    expect((await registerVia(server.url, 5000)).code).toBe(0);
    expect(await server.stop('SIGTERM')).toBe(0);
    // The operator restores the old backup over the ledger directory; the file of the last
    // signed checkpoint, beside it, is not part of the directory and still says what was signed.
    const newer = join(tempDir('custody-newer-'), 'ledger');
    cpSync(lab.ledger, newer, { recursive: true });
    rmSync(lab.ledger, { recursive: true });
    cpSync(backup, lab.ledger, { recursive: true });
    const refusing = await serve();
    const health = (await (await fetch(`${refusing.url}/healthz`)).json()) as {
      status: string;
      reason: string;
    };
    expect(health.status).toBe('refusing');
    expect(health.reason).toMatch(/older backup/);
    const r = await registerVia(refusing.url, 5001);
    expectFailure(r, { exit: 4, code: 'SIGNING_REFUSED', message: /older backup/, stdout: 'any' });
    expect(await refusing.stop('SIGTERM')).toBe(0);
    // Caught up (the newer copy brought back): it signs again.
    rmSync(lab.ledger, { recursive: true });
    cpSync(newer, lab.ledger, { recursive: true });
    const back = await serve();
    expect((await registerVia(back.url, 5002)).code).toBe(0);
    expect(await back.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
