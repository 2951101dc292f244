/**
 * custody serve on PostgreSQL (issue 30): the ledger created in a database
 * of a throwaway cluster, served, and used as a lab uses a server — register,
 * hand over, accept, export a bundle that verifies — while `custody verify`
 * reads the database directly and a local append to it is refused; and
 * many workstations append at once through the sequencer while a standby on
 * the same database refuses every append it is sent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_BIN, PG_SKIP_REASON } from '../store/pg-cluster.js';
import {
  custody,
  evidenceFile,
  expectFailure,
  exportFor,
  json,
  parseJson,
  removeTempDirs,
} from './helpers.js';
import { health, makePgLab, type PgLab, policeVia, registerVia } from './pg-lab.js';
import type { Server } from './server-helpers.js';

let lab: PgLab;
let server: Server;
const standbys: Server[] = [];
/** 10 clients in npm test (the LevelDB twin takes 20), more with CUSTODY_SERVER_CLIENTS (npm run soak). */
const CLIENTS = Number(process.env['CUSTODY_SERVER_CLIENTS'] ?? 10);

const title = PG_BIN
  ? 'custody serve on PostgreSQL'
  : `custody serve on PostgreSQL, skipped: ${PG_SKIP_REASON}`;

describe.skipIf(!PG_BIN)(title, () => {
  beforeAll(async () => {
    lab = await makePgLab();
    server = await lab.serve('a');
  }, 120_000);

  afterAll(async () => {
    for (const s of standbys) await s.stop('SIGKILL');
    await server?.stop();
    await lab?.cluster.stop();
    removeTempDirs();
  });

  const as = (who: 'police' | 'nfi') => ({
    ledger: server.url,
    env: { CUSTODY_ACCESS_KEY: lab.access[who], CUSTODY_PURPOSE: 'case work' },
  });

  it('registers, hands over, accepts and exports through the server; the bundle verifies', async () => {
    const file = evidenceFile(lab.dir, 'phone.bin');
    await json(
      [
        ...['register', file, '--key', lab.people.police.key, '--case', 'JIT-2026-017'],
        ...['--exhibit', 'PHONE-01', '--description', 'seized phone'],
      ],
      as('police'),
    );
    await json(
      [
        ...['transfer', 'PHONE-01', '--to', lab.people.nfi.id, '--key', lab.people.police.key],
        ...['--reason', 'examination'],
      ],
      as('police'),
    );
    await json(['accept', 'PHONE-01', '--key', lab.people.nfi.key], as('nfi'));
    const bundle = join(lab.dir, 'phone.custody');
    await json(['export', 'PHONE-01', '--out', bundle, ...exportFor(lab.people.nfi)], as('nfi'));
    const v = await custody([
      'verify-bundle',
      bundle,
      '--trust',
      lab.people.authority.publicKey,
      '--quorum',
      '0',
      '--json',
    ]);
    expect(v.code, v.stderr).toBe(0);
    expect(parseJson<{ verdict: string }>(v).verdict).toBe('VERIFIED');

    // A folder's manifest, handed over at registration, is kept in the database (custody.manifests).
    const folder = join(lab.dir, 'extraction');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.txt'), 'alpha\n');
    const reg = await json<{ manifestRoot: string; manifestServer: string }>(
      [
        ...['register', folder, '--key', lab.people.police.key, '--case', 'JIT-2026-017'],
        ...['--exhibit', 'EXTRACTION-01', '--description', 'logical extraction'],
      ],
      as('police'),
    );
    expect(reg.manifestServer).toBe(new URL(server.url).origin);
    const rows = await lab.cluster.sql(lab.url, 'SELECT encode(root, $1) AS root FROM custody.manifests', [
      'hex',
    ]);
    expect(rows).toEqual([{ root: reg.manifestRoot }]);
  }, 120_000);

  it('verifies and lists the database directly; the log shows no cleartext', async () => {
    const v = await custody(['verify', '--trust', lab.people.authority.publicKey], { ledger: lab.url });
    expect(v.stdout, v.stderr).toMatch(/^VERIFIED/);
    expect(v.code).toBe(0);
    const log = await json<{ entries: { kind: string; signerName: string }[] }>(['log'], { ledger: lab.url });
    expect(log.entries.map((e) => e.kind)).toContain('accept');
    expect(JSON.stringify(log)).not.toContain('Insp. J. de Vries');
  }, 60_000);

  it('refuses a local append to the database, naming the server to use', async () => {
    const file = evidenceFile(lab.dir, 'disk.bin');
    const r = await custody(
      [
        ...['register', file, '--key', lab.people.police.key, '--case', 'JIT-2026-017'],
        ...['--exhibit', 'DISK-01', '--description', 'seized disk'],
      ],
      { ledger: lab.url },
    );
    expectFailure(r, { exit: 2, code: 'LEDGER_SHARED', message: /use the server: --ledger <server url>/ });
    expect(r.stderr).not.toContain('password');
    const shown = await custody(['show', 'PHONE-01'], { ledger: lab.url });
    expectFailure(shown, { exit: 2, code: 'LEDGER_SHARED' });
  }, 60_000);

  it('refuses to serve a database without files outside it', async () => {
    const r = await custody(['serve', '--log-key', lab.people.log.key], { ledger: lab.url });
    expectFailure(r, {
      exit: 2,
      code: 'USAGE',
      message: /--signed-checkpoint <file> and --access-log <file>/,
    });
  });

  it(
    `acknowledges ${CLIENTS} concurrent appends with distinct consecutive entries; the standby writes none`,
    async () => {
      // The concurrency test on PostgreSQL (the LevelDB twin: server-reliability.test.ts).
      const sequencer = server;
      const standby = await lab.serve('standby');
      standbys.push(standby);
      expect((await health(standby)).body.status).not.toBe('ok');
      const before = (await health(sequencer)).body.size;
      const [acked, refused] = await Promise.all([
        Promise.all(Array.from({ length: CLIENTS }, (_, i) => registerVia(lab, sequencer, `LOAD-${i}`))),
        Promise.all(Array.from({ length: 3 }, (_, i) => registerVia(lab, standby, `STANDBY-${i}`))),
      ]);
      for (const r of acked) expect(r.code, r.stderr).toBe(0);
      for (const r of refused) {
        expect(r.code, r.stderr).toBe(4);
        expect(r.stderr).toContain('NOT_SEQUENCER');
      }
      const indexes = acked.map((r) => (JSON.parse(r.stdout) as { index: number }).index);
      expect(new Set(indexes).size).toBe(CLIENTS);
      expect(Math.min(...indexes)).toBe(before);
      expect(Math.max(...indexes)).toBe(before + CLIENTS - 1);
      // The standby reads what the sequencer wrote, and nothing else was written.
      const size = (await health(sequencer)).body.size;
      expect(size).toBe(before + CLIENTS);
      const listed = await custody(['exhibits', '--json'], policeVia(lab, standby));
      expect(listed.code, listed.stderr).toBe(0);
      for (let i = 0; i < CLIENTS; i++) expect(listed.stdout).toContain(`"LOAD-${i}"`);
      expect(listed.stdout).not.toContain('STANDBY-');
      const v = await custody(['verify', '--trust', lab.people.authority.publicKey, '--json'], {
        ledger: lab.url,
      });
      expect(v.code, v.stderr).toBe(0);
      expect(JSON.parse(v.stdout)).toMatchObject({ verdict: 'VERIFIED', entries: size });
    },
    120_000 + CLIENTS * 3_000,
  );
});
