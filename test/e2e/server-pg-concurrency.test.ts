/**
 * The server's concurrency test on PostgreSQL (issue 30; the LevelDB twin is
 * test/e2e/server-reliability.test.ts "many clients at once"): many
 * workstations append through the sequencer at once, while a standby on the
 * same database refuses every append it is sent and still answers reads.
 * Every acknowledged append is a distinct, consecutive entry; nothing the
 * standby refused was written; the ledger verifies from the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_BIN, PG_SKIP_REASON } from '../store/pg-cluster.js';
import { custody, removeTempDirs } from './helpers.js';
import { health, makePgLab, type PgLab, policeVia, registerVia } from './pg-lab.js';
import type { Server } from './server-helpers.js';

/** 20 clients in npm test, more with CUSTODY_SERVER_CLIENTS (npm run soak). */
const CLIENTS = Number(process.env['CUSTODY_SERVER_CLIENTS'] ?? 20);
let lab: PgLab;
const servers: Server[] = [];

const title = PG_BIN
  ? 'many clients at once on a PostgreSQL ledger'
  : `many clients at once on a PostgreSQL ledger, skipped: ${PG_SKIP_REASON}`;

describe.skipIf(!PG_BIN)(title, () => {
  beforeAll(async () => {
    lab = await makePgLab();
  }, 180_000);
  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await lab?.cluster.stop();
    removeTempDirs();
  });

  it(
    `acknowledges ${CLIENTS} concurrent appends with distinct consecutive entries; the standby writes none`,
    async () => {
      const sequencer = await lab.serve('sequencer');
      servers.push(sequencer);
      const standby = await lab.serve('standby');
      servers.push(standby);
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
