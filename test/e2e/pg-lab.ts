/**
 * A lab whose ledger lives in PostgreSQL (issue 30), for end-to-end tests:
 * a database on a throwaway cluster (test/store/pg-cluster.ts), the ledger
 * created there with `custody init --ledger postgres://…`, and servers
 * started on it as an operator would, each with its own signed-checkpoint
 * file and access log outside the database.
 *
 * The actors are enrolled through a first server, since local appends to a
 * database are refused, with the authority's access key that `custody init
 * --access-key` enrolled.
 */
import { join } from 'node:path';
import { type PgCluster, startCluster } from '../store/pg-cluster.js';
import { custody, evidenceFile, fixturePeople, initArgs, json, type Person, tempDir } from './helpers.js';
import { type Server, startServer } from './server-helpers.js';

export interface PgLab {
  cluster: PgCluster;
  dir: string;
  /** The ledger's database. */
  url: string;
  people: Record<'authority' | 'log' | 'police' | 'nfi', Person>;
  /** Enrolled access key files. */
  access: Record<'authority' | 'police' | 'nfi', string>;
  /** Starts `custody serve` on the database, with files of its own named `name`. */
  serve(name: string): Promise<Server>;
  signedFile(name: string): string;
}

export async function makePgLab(): Promise<PgLab> {
  const cluster = await startCluster();
  try {
    const dir = tempDir('custody-pg-lab-');
    const url = await cluster.createDatabase();
    const people = fixturePeople(dir, {
      authority: ['NFI ledger authority', 'NL', 'Netherlands Forensic Institute', ''],
      log: ['NFI log key', 'NL', 'Netherlands Forensic Institute', ''],
      police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian'],
      nfi: ['Dr. A. Bakker', 'NL', 'Netherlands Forensic Institute', 'collector,custodian,examiner'],
    });
    const access = {} as PgLab['access'];
    for (const who of ['authority', 'police', 'nfi'] as const) {
      access[who] = join(dir, `${who}.access`);
      await json(['key', 'new-access', '--name', `${who} workstation`, '--out', access[who]]);
    }
    // init enrols the authority's access key too (entry 1): its way in through the server.
    await json([...initArgs('lab.example/pg-ledger', people.authority, people.log)], {
      ledger: url,
      env: { CUSTODY_ACCESS_KEY: access.authority },
    });
    const signedFile = (name: string) => join(dir, `${name}.signed-checkpoint`);
    const serve = (name: string) =>
      startServer(url, people.log.key, [
        '--signed-checkpoint',
        signedFile(name),
        '--access-log',
        join(dir, `${name}.access-log`),
      ]);
    const lab: PgLab = { cluster, dir, url, people, access, serve, signedFile };
    const first = await serve('setup');
    try {
      const registrar = { ledger: first.url, env: { CUSTODY_ACCESS_KEY: access.authority } };
      for (const who of ['police', 'nfi'] as const) {
        const p = people[who];
        await json(
          [
            ...['actor', 'add', '--key', people.authority.key, '--public-key', p.publicKey, '--name', p.name],
            ...['--role', p.roles, '--jurisdiction', p.jurisdiction, '--org', p.org],
          ],
          registrar,
        );
        await json(
          ['actor', 'add-access-key', p.id, '--key', people.authority.key, '--public-key', access[who]],
          registrar,
        );
      }
    } finally {
      await first.stop();
    }
    return lab;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

/** A workstation of the police reaching the ledger through server `s`, with its access key. */
export const policeVia = (lab: PgLab, s: Server) => ({
  ledger: s.url,
  env: { CUSTODY_ACCESS_KEY: lab.access.police, CUSTODY_PURPOSE: 'case work' },
});

/** The police register a new 1 KiB evidence file `label` through server `s`. */
export const registerVia = (lab: PgLab, s: Server, label: string) =>
  custody(
    [
      ...['register', evidenceFile(lab.dir, `${label}.bin`, 1024), '--key', lab.people.police.key],
      ...['--case', 'JIT-2026-017', '--exhibit', label, '--description', 'seized', '--json'],
    ],
    policeVia(lab, s),
  );

/** A server's /healthz answer: its HTTP status and body. */
export async function health(s: Server) {
  const r = await fetch(`${s.url}/healthz`);
  return { status: r.status, body: (await r.json()) as { status: string; size: number; reason?: string } };
}

/** Polls `what` every 200 ms until it holds; throws after `ms`. */
export async function until(what: () => Promise<boolean>, ms: number): Promise<void> {
  const start = Date.now();
  while (!(await what())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
