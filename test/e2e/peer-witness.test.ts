/**
 * Peer ledgers that witness and audit each other (docs/FEDERATION.md §Peers
 * witness and audit each other), as two authorities configure their servers:
 * each server witnesses the other's log and audits it (replaying its
 * statements, read with an access key the other lists among its readers),
 * and each submits its checkpoints to the other as witness and as auditor.
 * A checkpoint of one size with another root, signed with the real log key,
 * is refused and kept as split-view evidence that `custody witness
 * split-view` proves from the log key alone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes.js';
import { parseCheckpoint, signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { parseNote } from '../../src/checkpoint/note.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { tilePath, tileTreeHash } from '../../src/merkle/tiles.js';
import { at, type Side, side } from './federation-helpers.js';
import {
  custody,
  evidenceFile,
  expectFailure,
  fixtureKey,
  json,
  removeTempDirs,
  signerOf,
  tempDir,
} from './helpers.js';
import { startServer } from './server-helpers.js';

const NL = 'ledger.nfi.example/2026';
const DE = 'ledger.bka.example/2026';

let dir: string;
let nl: Side;
let de: Side;
/** Per side: its log vkey, and the vkeys of its witness and its auditor (which watch the other side). */
const vkeys = new Map<Side, { log: string; witness: string; auditor: string }>();

/** A free loopback port: the two configurations name each other's URL before either server starts. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function cosignerVkey(file: string, name: string): Promise<string> {
  fixtureKey(file, name);
  return (await json<{ vkey: string }>(['witness', 'vkey', '--key', file, '--name', name])).vkey;
}

/** Polls until `check` holds (submissions are asynchronous, every 50 ms here). */
async function eventually(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const signersOf = async (s: Side) =>
  parseNote(await (await fetch(`${s.server!.url}/checkpoint`)).text()).signatures.map((x) => x.name);

const register = (s: Side, label: string) =>
  json(
    [
      'register',
      evidenceFile(dir, `${label}.bin`),
      '--key',
      s.actor.key,
      '--case',
      `${label}-CASE`,
      '--exhibit',
      label,
      '--description',
      'seized',
    ],
    at(s),
  );

beforeAll(async () => {
  dir = tempDir('custody-peer-witness-');
  nl = await side(dir, NL, 'NL', 'NFI', ['Insp. J. de Vries', 'collector,custodian']);
  de = await side(dir, DE, 'DE', 'BKA', ['KHK K. Müller', 'collector,custodian,examiner']);
  const ports = new Map([
    [nl, await freePort()],
    [de, await freePort()],
  ]);
  const url = (s: Side) => `http://127.0.0.1:${ports.get(s)}`;
  const tag = (s: Side) => (s === nl ? 'nfi' : 'bka');
  for (const s of [nl, de])
    vkeys.set(s, {
      log: (await json<{ vkey: string }>(['checkpoint', '--vkey'], { ledger: s.ledger })).vkey,
      witness: await cosignerVkey(join(dir, `${tag(s)}-witness.key`), `witness.${tag(s)}.example`),
      auditor: await cosignerVkey(join(dir, `${tag(s)}-auditor.key`), `auditor.${tag(s)}.example`),
    });
  // The access key each side's auditor reads the other with; the other lists it among its readers.
  const reads = new Map<Side, { file: string; publicKey: string }>();
  for (const s of [nl, de]) {
    const file = join(dir, `${tag(s)}-reads-peer.access`);
    const k = await json<{ publicKey: string }>([
      'key',
      'new-access',
      '--name',
      `${tag(s)} auditor`,
      '--out',
      file,
    ]);
    reads.set(s, { file, publicKey: k.publicKey });
  }
  for (const [s, peer] of [
    [nl, de],
    [de, nl],
  ] as const)
    writeFileSync(
      join(dir, `${tag(s)}-server.json`),
      JSON.stringify({
        witness: {
          key: join(dir, `${tag(s)}-witness.key`),
          name: `witness.${tag(s)}.example`,
          // With its URL: the witness keeps the peer's hash tiles too.
          logs: [{ vkey: vkeys.get(peer)!.log, url: url(peer) }],
        },
        audit: {
          key: join(dir, `${tag(s)}-auditor.key`),
          name: `auditor.${tag(s)}.example`,
          logs: [{ vkey: vkeys.get(peer)!.log, url: url(peer), accessKey: reads.get(s)!.file }],
        },
        witnesses: [
          { url: url(peer), vkey: vkeys.get(peer)!.witness },
          { url: `${url(peer)}/audit`, vkey: vkeys.get(peer)!.auditor },
        ],
        witnessIntervalMs: 50,
        // Statements only, never cleartext; every read logged under this name.
        readers: [{ name: `${tag(peer)} auditor`, publicKey: reads.get(peer)!.publicKey }],
      }),
    );
  const start = (s: Side) =>
    startServer(s.ledger, s.log.key, [
      '--listen',
      `127.0.0.1:${ports.get(s)}`,
      '--config',
      join(dir, `${tag(s)}-server.json`),
    ]);
  [nl.server, de.server] = await Promise.all([start(nl), start(de)]);
}, 180_000);

afterAll(async () => {
  await Promise.all([nl?.server?.stop(), de?.server?.stop()]);
  removeTempDirs();
});

describe('two ledgers that witness and audit each other', () => {
  it("each ledger's checkpoint comes to carry the other's witness and auditor cosignatures", async () => {
    await register(nl, 'NL-HDD-01');
    await register(de, 'DE-USB-01');
    for (const [s, peer] of [
      [nl, 'bka'],
      [de, 'nfi'],
    ] as const)
      await eventually(async () => {
        const names = await signersOf(s);
        return names.includes(`witness.${peer}.example`) && names.includes(`auditor.${peer}.example`);
      });
    // The auditor read statements only, and the peer logged each read under the auditor's name.
    const log = readFileSync(`${nl.ledger}.access-log`, 'utf8');
    expect(log).toContain('bka auditor');
    expect(log).not.toContain('seized');
    // What each cosigned is public, for monitors.
    const hash = toHex(sha256(utf8(NL)));
    const audited = await fetch(`${de.server!.url}/audit/witness/${hash}/checkpoint`);
    expect(audited.status).toBe(200);
    expect(await audited.text()).toContain('— auditor.bka.example ');
  }, 60_000);

  it("each keeps the hash tiles of the other's cosigned tree, which give the cosigned root without the other", async () => {
    const hash = toHex(sha256(utf8(NL)));
    const cosigned = parseCheckpoint(
      parseNote(await (await fetch(`${de.server!.url}/witness/${hash}/checkpoint`)).text()).text,
    );
    const path = tilePath(0, 0, cosigned.size);
    await eventually(async () => (await fetch(`${de.server!.url}/witness/${hash}/${path}`)).status === 200);
    const kept = new Uint8Array(
      await (await fetch(`${de.server!.url}/witness/${hash}/${path}`)).arrayBuffer(),
    );
    // Read from DE alone: the tree DE cosigned for NL.
    const root = await tileTreeHash(cosigned.size, async (l, i, w) =>
      l === 0 && i === 0 && w === cosigned.size ? kept : undefined,
    );
    expect(toHex(root)).toBe(toHex(cosigned.root));
    expect((await fetch(`${de.server!.url}/witness/${hash}/tile/0/999`)).status).toBe(404);
  }, 30_000);

  it('a second tree of a cosigned size, signed with the real log key, is refused and proven', async () => {
    const hash = toHex(sha256(utf8(NL)));
    const witnessed = await (await fetch(`${de.server!.url}/witness/${hash}/checkpoint`)).text();
    const cosigned = parseCheckpoint(parseNote(witnessed).text);
    // NL's log key signs another root for the same size: what a log showing two histories does.
    const fork = signCheckpoint(
      { origin: NL, size: cosigned.size, root: sha256(utf8('another history')) },
      NL,
      signerOf(nl.log),
    );
    for (const prefix of ['', '/audit']) {
      const res = await fetch(`${de.server!.url}${prefix}/add-checkpoint`, {
        method: 'POST',
        body: `old ${cosigned.size}\n\n${fork}`,
      });
      expect(res.status).toBe(409);
      expect(res.headers.get('content-type')).toContain('text/x.tlog.size');
    }
    const evidence = await fetch(`${de.server!.url}/witness/${hash}/split-view`);
    expect(evidence.status).toBe(200);
    const file = join(dir, 'split-view.json');
    writeFileSync(file, await evidence.text());
    const proven = await json<{ proven: boolean; origin: string; size: number }>([
      'witness',
      'split-view',
      file,
      '--log',
      vkeys.get(nl)!.log,
    ]);
    expect(proven).toMatchObject({ proven: true, origin: NL, size: cosigned.size });
    // Against another log's key it proves nothing.
    expectFailure(await custody(['witness', 'split-view', file, '--log', vkeys.get(de)!.log]), {
      exit: 1,
      code: 'SPLIT_VIEW_UNPROVEN',
    });
    const health = (await (await fetch(`${de.server!.url}/healthz`)).json()) as { splitViews?: unknown[] };
    expect(health.splitViews).toEqual([
      { role: 'witness', origin: NL },
      { role: 'audit', origin: NL },
    ]);
    expect(await (await fetch(`${de.server!.url}/metrics`)).text()).toContain('custody_split_views 2');
  }, 60_000);

  it('a checkpoint rolled back below what the witness cosigned is refused', async () => {
    const hash = toHex(sha256(utf8(NL)));
    const cosigned = parseCheckpoint(
      parseNote(await (await fetch(`${de.server!.url}/witness/${hash}/checkpoint`)).text()).text,
    );
    const older = signCheckpoint({ origin: NL, size: 1, root: sha256(utf8('x')) }, NL, signerOf(nl.log));
    const fromZero = await fetch(`${de.server!.url}/add-checkpoint`, {
      method: 'POST',
      body: `old 0\n\n${older}`,
    });
    expect([fromZero.status, await fromZero.text()]).toEqual([409, `${cosigned.size}\n`]);
    const fromCosigned = await fetch(`${de.server!.url}/add-checkpoint`, {
      method: 'POST',
      body: `old ${cosigned.size}\n\n${older}`,
    });
    expect(fromCosigned.status).toBe(400);
  }, 30_000);
});
