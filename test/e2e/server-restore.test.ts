/**
 * Restoring a PostgreSQL ledger from an older dump (issue 30): a pg_dump
 * taken, then more appends acknowledged and signed, then the dump restored.
 * A server started on the restored database with its signed-checkpoint file
 * refuses to sign (and so to append): the file is ahead of the tree. So does
 * a server with no file of its own when the database's checkpoints table is
 * ahead of its entries. Reads are still answered.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_BIN, PG_SKIP_REASON } from '../store/pg-cluster.js';
import { custody, expectFailure, removeTempDirs } from './helpers.js';
import { health, makePgLab, type PgLab, registerVia } from './pg-lab.js';
import { type Server, startServer } from './server-helpers.js';

const run = promisify(execFile);
let lab: PgLab;
const servers: Server[] = [];

const title = PG_BIN
  ? 'a PostgreSQL ledger restored from an older dump'
  : `a PostgreSQL ledger restored from an older dump, skipped: ${PG_SKIP_REASON}`;

const serveOn = async (url: string, name: string, extra: string[] = []) => {
  const s = await startServer(url, lab.people.log.key, [
    ...['--signed-checkpoint', lab.signedFile(name), '--access-log', join(lab.dir, `${name}.access-log`)],
    ...extra,
  ]);
  servers.push(s);
  return s;
};

describe.skipIf(!PG_BIN)(title, () => {
  let restored: string;
  let dump: string;

  beforeAll(async () => {
    lab = await makePgLab();
    const a = await serveOn(lab.url, 'a');
    expect((await registerVia(lab, a, 'EARLY-01')).code).toBe(0);
    dump = join(lab.dir, 'ledger.dump');
    await run(join(PG_BIN!, 'pg_dump'), ['-Fc', '-f', dump, '-d', lab.url]);
    for (const label of ['LATE-01', 'LATE-02']) expect((await registerVia(lab, a, label)).code).toBe(0);
    await a.stop();
    restored = await lab.cluster.createDatabase();
    await run(join(PG_BIN!, 'pg_restore'), ['--no-owner', '-d', restored, dump]);
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await lab?.cluster.stop();
    removeTempDirs();
  });

  it('refuses to sign when its signed-checkpoint file is ahead of the restored tree', async () => {
    const s = await serveOn(restored, 'a');
    const h = (await health(s)).body;
    expect(h.status).toBe('refusing');
    expect(h.reason).toMatch(/already signed a checkpoint of \d+: it was restored from an older backup/);
    const r = await registerVia(lab, s, 'FORK-01');
    expectFailure(r, { exit: 4, code: 'SIGNING_REFUSED', stdout: 'any' });
    await s.stop();
    // The restored ledger itself is whole: it verifies, up to the dump.
    const v = await custody(['verify', '--trust', lab.people.authority.publicKey, '--json'], {
      ledger: restored,
    });
    expect(v.code, v.stderr).toBe(0);
  }, 60_000);

  it('refuses to sign when the stored checkpoints are ahead of the tree, even without a file of its own', async () => {
    // As if the checkpoints table had been restored from a later copy than the entries.
    const rows = await lab.cluster.sql(lab.url, 'SELECT size, note FROM custody.checkpoints');
    for (const row of rows)
      await lab.cluster.sql(
        restored,
        'INSERT INTO custody.checkpoints (size, note) VALUES ($1, $2) ON CONFLICT (size) DO NOTHING',
        [row['size'], row['note']],
      );
    const s = await serveOn(restored, 'fresh');
    const h = (await health(s)).body;
    expect(h.status).toBe('refusing');
    expect(h.reason).toMatch(/a checkpoint held by the ledger/);
    expectFailure(await registerVia(lab, s, 'FORK-02'), { exit: 4, code: 'SIGNING_REFUSED', stdout: 'any' });
  }, 60_000);

  it('refuses to sign when another server of the ledger holds a newer checkpoint, though the database and its checkpoints were restored together', async () => {
    // A new machine, no file of its own, a consistent older copy: only the other server knows.
    const copy = await lab.cluster.createDatabase();
    await run(join(PG_BIN!, 'pg_restore'), ['--no-owner', '-d', copy, dump]);
    const alone = await serveOn(copy, 'alone');
    expect((await health(alone)).body.status).toBe('ok');
    await alone.stop();
    const a = await serveOn(lab.url, 'a');
    const config = join(lab.dir, 'sources.json');
    writeFileSync(config, JSON.stringify({ checkpointSources: [a.url] }));
    const s = await serveOn(copy, 'new-machine', ['--config', config]);
    const h = (await health(s)).body;
    expect(h.status).toBe('refusing');
    expect(h.reason).toContain(`a checkpoint held by server ${a.url}`);
    expectFailure(await registerVia(lab, s, 'FORK-03'), { exit: 4, code: 'SIGNING_REFUSED', stdout: 'any' });
    // The server the checkpoint came from appends as before.
    expect((await registerVia(lab, a, 'LATE-03')).code).toBe(0);
  }, 90_000);
});
