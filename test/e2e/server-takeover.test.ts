/**
 * One sequencer at a time on PostgreSQL (issue 30): two `custody serve` on
 * one database. The second waits as a standby: it answers reads and refuses
 * appends (NOT_SEQUENCER, exit 4). The sequencer is killed with SIGKILL while
 * a workstation appends through it; the standby takes the lock over within
 * seconds, every acknowledged append is in the ledger, the checkpoint the
 * old sequencer signed last is consistent with the new one's, and the
 * ledger verifies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_BIN, PG_SKIP_REASON } from '../store/pg-cluster.js';
import { custody, expectFailure, json, removeTempDirs } from './helpers.js';
import { health, makePgLab, type PgLab, policeVia, registerVia } from './pg-lab.js';
import type { Server } from './server-helpers.js';

let lab: PgLab;
const servers: Server[] = [];

const title = PG_BIN
  ? 'one sequencer at a time on PostgreSQL'
  : `one sequencer at a time on PostgreSQL, skipped: ${PG_SKIP_REASON}`;

describe.skipIf(!PG_BIN)(title, () => {
  beforeAll(async () => {
    lab = await makePgLab();
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await lab?.cluster.stop();
    removeTempDirs();
  });

  it('a second server is a standby; the sequencer killed under load is taken over, nothing acknowledged lost', async () => {
    const a = await lab.serve('a');
    servers.push(a);
    const b = await lab.serve('b');
    servers.push(b);
    expect((await health(a)).body.status).toBe('ok');
    const standby = await health(b);
    expect(standby).toMatchObject({ status: 503, body: { status: 'standby' } });

    // The standby answers reads and refuses writes.
    const refused = await registerVia(lab, b, 'REFUSED-01');
    expectFailure(refused, { exit: 4, code: 'NOT_SEQUENCER', message: /standby/, stdout: 'any' });
    expect((await json<{ exhibits: unknown[] }>(['exhibits'], policeVia(lab, b))).exhibits).toEqual([]);

    // Two workstations append through the sequencer; it is killed after a few acknowledgements.
    const acknowledged: string[] = [];
    let killed = false;
    const workstation = async (name: string) => {
      for (let i = 0; !killed; i++) {
        const label = `${name}-${i}`;
        const r = await registerVia(lab, a, label);
        if (r.code === 0) acknowledged.push(label);
        else {
          // Cut off by the kill: refused as unreachable or a server error, never as a custody refusal.
          expect(r.stderr).toMatch(/\[(LEDGER_UNREACHABLE|SERVER_ERROR)\]/);
          return;
        }
      }
    };
    const load = [workstation('P'), workstation('Q')];
    while (acknowledged.length < 4) await new Promise((r) => setTimeout(r, 100));
    const before = await (await fetch(`${a.url}/checkpoint`)).text();
    await a.stop('SIGKILL');
    killed = true;
    const killedAt = Date.now();
    await Promise.all(load);

    // The standby takes over within seconds.
    let h = await health(b);
    while (h.body.status !== 'ok' && Date.now() - killedAt < 15_000) {
      await new Promise((r) => setTimeout(r, 200));
      h = await health(b);
    }
    expect(h.body.status).toBe('ok');
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(b.stdout()).toMatch(/"role":"sequencer"/);

    // Every acknowledged append is there, and the new sequencer appends.
    const after = await registerVia(lab, b, 'AFTER-01');
    expect(after.code, after.stderr).toBe(0);
    const listed = (
      await json<{ exhibits: { label: string }[] }>(['exhibits'], policeVia(lab, b))
    ).exhibits.map((x) => x.label);
    for (const label of [...acknowledged, 'AFTER-01']) expect(listed).toContain(label);
    expect(listed).not.toContain('REFUSED-01');

    // The old sequencer's last checkpoint (served, and in its own file) is consistent with the tree
    // the new one signs, and the whole ledger verifies, its stored checkpoints with it.
    const oldServed = join(lab.dir, 'before.checkpoint');
    writeFileSync(oldServed, before);
    const oldFile = [lab.signedFile('a'), `${lab.signedFile('a')}.alt`]
      .map((f) => readFileSync(f, 'utf8'))
      .sort((x, y) => Number(y.split('\n')[1]) - Number(x.split('\n')[1]))[0]!;
    const oldSigned = join(lab.dir, 'a-last.checkpoint');
    writeFileSync(oldSigned, oldFile);
    expect(Number(oldFile.split('\n')[1])).toBeGreaterThanOrEqual(Number(before.split('\n')[1]));
    for (const checkpoint of [oldServed, oldSigned]) {
      const v = await custody(
        ['verify', '--trust', lab.people.authority.publicKey, '--checkpoint', checkpoint, '--json'],
        { ledger: lab.url },
      );
      expect(v.code, v.stderr).toBe(0);
    }
    const newest = await (await fetch(`${b.url}/checkpoint`)).text();
    expect(Number(newest.split('\n')[1])).toBeGreaterThan(Number(oldFile.split('\n')[1]));
  }, 180_000);
});
