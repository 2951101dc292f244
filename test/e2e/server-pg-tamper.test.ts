/**
 * Rows changed behind the server's back in a served PostgreSQL ledger
 * (issue 30), as on LevelDB (test/e2e/errors.test.ts, "a damaged ledger
 * directory"): an entry's payload bytes changed with SQL fail `custody
 * verify --ledger postgres://…` (VERIFICATION_FAILED, exit 1, first
 * PAYLOAD_HASH_MISMATCH at that entry); a tree node changed makes the tree's
 * root differ from the checkpoint the server signed, and the server, started
 * again on it, refuses to sign (and so to append) over it (docs/SERVER.md
 * §Never two histories).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_BIN, PG_SKIP_REASON } from '../store/pg-cluster.js';
import { custody, expectFailure, parseJson, removeTempDirs } from './helpers.js';
import { health, makePgLab, type PgLab, registerVia } from './pg-lab.js';
import type { Server } from './server-helpers.js';

let lab: PgLab;
const servers: Server[] = [];

const title = PG_BIN
  ? 'rows of a served PostgreSQL ledger changed with SQL'
  : `rows of a served PostgreSQL ledger changed with SQL, skipped: ${PG_SKIP_REASON}`;

const verify = () =>
  custody(['verify', '--trust', lab.people.authority.publicKey, '--json'], { ledger: lab.url });

interface Report {
  ok: boolean;
  problems: { code: string; seq: number | null }[];
}

describe.skipIf(!PG_BIN)(title, () => {
  beforeAll(async () => {
    lab = await makePgLab();
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) await s.stop('SIGKILL');
    await lab?.cluster.stop();
    removeTempDirs();
  });

  it('a changed payload fails verify at its entry; a changed tree node is refused signing on restart', async () => {
    const s = await lab.serve('s');
    servers.push(s);
    const labels = ['HDD-01', 'HDD-02', 'HDD-03'];
    const indexes: number[] = [];
    for (const label of labels) {
      const r = await registerVia(lab, s, label);
      expect(r.code, r.stderr).toBe(0);
      indexes.push(parseJson<{ index: number }>(r).index);
    }
    expect((await verify()).code).toBe(0);

    // One byte of a stored statement changed, while the server runs.
    const target = indexes[1]!;
    const original = (
      await lab.cluster.sql(lab.url, 'SELECT payload FROM custody.entries WHERE idx = $1', [target])
    )[0]!['payload'];
    // As on LevelDB: the label HDD-02 in the statement becomes HDD-07.
    const changed = await lab.cluster.sql(
      lab.url,
      `UPDATE custody.entries SET payload = overlay(payload placing '\\x37'::bytea
         from position('\\x4844442d3032'::bytea in payload) + 5 for 1)
       WHERE idx = $1 AND position('\\x4844442d3032'::bytea in payload) > 0 RETURNING idx`,
      [target],
    );
    expect(changed).toHaveLength(1);
    const r = await verify();
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: `first PAYLOAD_HASH_MISMATCH at entry ${target}`,
      stdout: 'any',
    });
    expect(parseJson<Report>(r).problems[0]).toMatchObject({ code: 'PAYLOAD_HASH_MISMATCH', seq: target });

    // The running server does not read stored rows again: it appends on (as on LevelDB); the
    // damage is verify's to find. The payload is put back before the next trial.
    const on = await registerVia(lab, s, 'HDD-04');
    expect(on.code, on.stderr).toBe(0);
    await lab.cluster.sql(lab.url, 'UPDATE custody.entries SET payload = $2 WHERE idx = $1', [
      target,
      original,
    ]);
    expect((await verify()).code).toBe(0);

    // A tree node changed with the server stopped: the leftmost node of the top level is part of
    // every root, so the store no longer holds the tree the server signed.
    expect(await s.stop()).toBe(0);
    await lab.cluster.sql(
      lab.url,
      `UPDATE custody.tree_nodes SET hash = set_byte(hash, 0, get_byte(hash, 0) # 1)
       WHERE idx = 0 AND level = (SELECT max(level) FROM custody.tree_nodes)`,
    );
    const again = await lab.serve('s');
    servers.push(again);
    const h = await health(again);
    expect(h).toMatchObject({ status: 503, body: { status: 'refusing' } });
    expect(h.body.reason).toMatch(/second history/);
    const refused = await registerVia(lab, again, 'HDD-05');
    expectFailure(refused, { exit: 4, code: 'SIGNING_REFUSED', message: /second history/, stdout: 'any' });
    expectFailure(await verify(), {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'first STORE_TREE_MISMATCH',
      stdout: 'any',
    });
  }, 180_000);
});
