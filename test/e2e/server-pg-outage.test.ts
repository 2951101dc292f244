/**
 * PostgreSQL goes away under load (issue 30): a server on a throwaway
 * cluster, a workstation appending through it (the CLI, as an operator's
 * clients do). PostgreSQL is stopped at once (`pg_ctl stop -m immediate`) in
 * the middle: each client is refused with one line and exit 4, the server
 * stays up and /healthz answers 503 "store-unavailable"; PostgreSQL is started
 * again and the same server process appends again, nothing it acknowledged is
 * lost, and the ledger verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_BIN, PG_SKIP_REASON } from '../store/pg-cluster.js';
import { custody, expectFailure, json, removeTempDirs } from './helpers.js';
import { health, makePgLab, type PgLab, policeVia, registerVia, until } from './pg-lab.js';
import type { Server } from './server-helpers.js';

let lab: PgLab;
const servers: Server[] = [];

const title = PG_BIN
  ? 'PostgreSQL stopped under load and started again'
  : `PostgreSQL stopped under load and started again, skipped: ${PG_SKIP_REASON}`;

describe.skipIf(!PG_BIN)(title, () => {
  beforeAll(async () => {
    lab = await makePgLab();
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await lab?.cluster.stop();
    removeTempDirs();
  });

  it('clients are refused with exit 4 while it is down; the same server appends again once it is back', async () => {
    const s = await lab.serve('s');
    servers.push(s);
    expect((await health(s)).body.status).toBe('ok');

    // A workstation appends through the server; PostgreSQL stops after a few acknowledgements.
    const acknowledged: string[] = [];
    const refusals: string[] = [];
    let halted = false;
    const workstation = async (name: string) => {
      for (let i = 0; !halted || refusals.length === 0; i++) {
        const label = `${name}-${i}`;
        const r = await registerVia(lab, s, label);
        if (r.code === 0) acknowledged.push(label);
        else {
          expectFailure(r, { exit: 4, code: r.stderr.match(/\[([A-Z_]+)\]\n$/)?.[1] ?? '?', stdout: 'any' });
          refusals.push(r.stderr);
        }
      }
    };
    const load = workstation('P');
    await until(async () => acknowledged.length >= 3, 60_000);
    await lab.cluster.halt('immediate');
    halted = true;
    await load;

    // Refused with one line naming the database's unavailability, never a custody refusal.
    for (const line of refusals) expect(line).toMatch(/\[(LEDGER_UNAVAILABLE|STORE_UNAVAILABLE)\]\n$/);
    // The server is up and says what is wrong.
    expect(s.proc.exitCode).toBeNull();
    await until(async () => (await health(s)).status === 503, 15_000);
    const down = await health(s);
    expect(down.body.status).toBe('store-unavailable');
    expect(down.body.reason).toMatch(/PostgreSQL/);
    const during = await registerVia(lab, s, 'DURING-01');
    expectFailure(during, { exit: 4, code: 'LEDGER_UNAVAILABLE', stdout: 'any' });

    // PostgreSQL is back: the same server process appends again.
    await lab.cluster.restart();
    const back = Date.now();
    let after = await registerVia(lab, s, 'AFTER-01');
    while (after.code !== 0 && Date.now() - back < 15_000) {
      await new Promise((r) => setTimeout(r, 300));
      after = await registerVia(lab, s, 'AFTER-01');
    }
    expect(after.code, after.stderr).toBe(0);
    expect(s.proc.exitCode).toBeNull();
    await until(async () => (await health(s)).body.status === 'ok', 15_000);

    // Everything acknowledged is there, and the ledger verifies.
    const listed = (
      await json<{ exhibits: { label: string }[] }>(['exhibits'], policeVia(lab, s))
    ).exhibits.map((x) => x.label);
    for (const label of [...acknowledged, 'AFTER-01']) expect(listed).toContain(label);
    const v = await custody(['verify', '--trust', lab.people.authority.publicKey, '--json'], {
      ledger: lab.url,
    });
    expect(v.code, v.stderr).toBe(0);
  }, 180_000);
});
