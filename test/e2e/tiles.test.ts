/**
 * `custody tiles --out <dir>` through the BUILT command-line tool
 * (dist/cli/main.js; run `npm run build` first): the latest signed checkpoint
 * and the C2SP tlog-tiles hash tiles of its tree, as files for static
 * serving (docs/PROOFS.md §Tiles). The ledger grows to 300 and then 520
 * entries (enrolments written in-process; the commands under test run as the
 * CLI). The tiles are checked against `custody prove` (leaf hashes and root)
 * and the signed checkpoint's root, recomputed both with src/merkle/tiles.ts
 * and with the independent RFC 9162 code of test/proofs/independent.ts.
 * Then the server's GET /tile/* routes (cli/server/tiles-routes.ts) over the
 * same ledger serve the same tiles, and entry bundles only with authentication.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpFailure } from '../../cli/server/http-errors.js';
import { registerTileRoutes } from '../../cli/server/tiles-routes.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { hashLeaf } from '../../src/merkle/index.js';
import { decodeEntryBundle, tileCoordinates, tilePath, tileTreeHash } from '../../src/merkle/tiles.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { mth } from '../proofs/independent.js';
import { DirectLedger } from './direct.js';
import {
  copyLedger,
  custody,
  expectFailure,
  expectFields,
  fixturePeople,
  HEX32,
  initArgs,
  json,
  type Person,
  removeTempDirs,
  signerOf,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

const ORIGIN = 'e2e.custody.example/tiles';

interface TilesJson {
  checkpoint: { size: number; root: string };
  tiles: number;
  written: number;
  out: string;
}
interface CheckpointJson {
  size: number;
  root: string;
  note: string;
}
interface ProveJson {
  leafHash: string;
  root: string;
}

let dir: string;
let ledger: string;
const who = {} as Record<'authority' | 'log', Person>;
const run = (args: string[], at = ledger) => custody(args, { ledger: at });
const j = <T>(args: string[], at = ledger) => json<T>(args, { ledger: at });

/** Grows the ledger to `size` entries with enrolments signed by the authority (in-process: one CLI start per entry would dominate). */
async function growTo(size: number) {
  const authority = signerOf(who.authority);
  const l = await DirectLedger.at(ledger, 'open');
  try {
    while (l.size < size) {
      const name = `actor ${l.size}`;
      const seed = createHash('sha256').update(`custody e2e tiles ${name}`).digest();
      await l.enrol(authority, signerFromSeed(seed).publicKey, {
        name,
        org: 'Tiles test',
        roles: ['custodian'],
        jurisdiction: 'NL',
      });
    }
  } finally {
    await l.close();
  }
}

/** Every file under `root`, relative, sorted. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
}

const tileFile = (out: string, level: number, index: number, width: number) =>
  join(out, tilePath(level, index, width));

/** The root of the tree of `size` from the tile files, with src/merkle/tiles.ts. */
const rootFromFiles = async (out: string, size: number) =>
  Buffer.from(
    await tileTreeHash(size, async (l, n, w) => {
      const f = tileFile(out, l, n, w);
      return existsSync(f) ? new Uint8Array(readFileSync(f)) : undefined;
    }),
  ).toString('hex');

/** The leaf hashes of the first `size` entries, from the level-0 tile files. */
function leavesFromFiles(out: string, size: number): Buffer[] {
  const leaves: Buffer[] = [];
  for (const c of tileCoordinates(size).filter((t) => t.level === 0)) {
    const data = readFileSync(tileFile(out, 0, c.index, c.width));
    expect(data.length).toBe(c.width * 32);
    for (let i = 0; i < c.width; i++) leaves.push(data.subarray(i * 32, i * 32 + 32));
  }
  return leaves;
}

beforeAll(async () => {
  dir = tempDir('custody-e2e-tiles-');
  ledger = join(dir, 'ledger');
  Object.assign(
    who,
    fixturePeople(dir, {
      authority: ['Ledger authority', 'NL', 'NFI', ''],
      log: ['NFI log key', 'NL', 'NFI', ''],
    }),
  );
  await j(initArgs(ORIGIN, who.authority, who.log, 'NFI'));
});

describe('custody tiles', () => {
  const out = () => join(dir, 'site');
  let cp300: CheckpointJson;
  let at300: string; // a copy of the ledger when its latest checkpoint was of 300

  it('refuses a ledger without a signed checkpoint, and writes nothing', async () => {
    expectFailure(await run(['tiles', '--out', out()]), {
      exit: 2,
      code: 'CHECKPOINT_UNKNOWN',
      message: 'the ledger has no checkpoint yet; sign one with custody checkpoint --log-key',
    });
    expect(existsSync(out())).toBe(false);
  });

  it('writes the checkpoint and every hash tile of its tree (300 entries), and no entry bundle', async () => {
    await growTo(300);
    cp300 = await j<CheckpointJson>(['checkpoint', '--log-key', who.log.key]);
    expect(cp300.size).toBe(300);
    at300 = copyLedger(ledger);

    const r = await j<TilesJson>(['tiles', '--out', out()]);
    expectFields(r, ['checkpoint', 'tiles', 'written', 'out']);
    expect(r).toEqual({ checkpoint: { size: 300, root: cp300.root }, tiles: 3, written: 3, out: out() });
    expect(r.checkpoint.root).toMatch(HEX32);
    // 300 = one full level-0 tile, a partial one of 44, and a level-1 tile of width 1 (the first tile's hash).
    expect(filesUnder(out())).toEqual(['checkpoint', 'tile/0/000', 'tile/0/001.p/44', 'tile/1/000.p/1']);
    expect(readFileSync(join(out(), 'checkpoint'), 'utf8')).toBe(cp300.note);
    for (const f of filesUnder(out())) expect(statSync(join(out(), f)).mode & 0o777, f).toBe(0o644);

    // Level 0 holds the leaf hashes `custody prove` gives, and the tiles hash to the signed root.
    const leaves = leavesFromFiles(out(), 300);
    for (const i of [0, 1, 137, 255, 256, 299]) {
      const p = await j<ProveJson>(['prove', String(i), '--size', '300']);
      expect(leaves[i]!.toString('hex'), `leaf ${i}`).toBe(p.leafHash);
      expect(p.root).toBe(cp300.root);
    }
    expect(mth(leaves).toString('hex')).toBe(cp300.root);
    expect(await rootFromFiles(out(), 300)).toBe(cp300.root);
    // The level-1 tile holds MTH of the full level-0 tile.
    expect(readFileSync(tileFile(out(), 1, 0, 1)).toString('hex')).toBe(
      mth(leaves.slice(0, 256)).toString('hex'),
    );
  });

  it('says in human output what it wrote, and that entry bundles need a server', async () => {
    const r = await run(['tiles', '--out', out()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `wrote the checkpoint of size 300 and 0 new tile(s) to ${out()} (3 tiles in its tree)\n`,
    );
    expect(r.stderr).toContain('entry bundles (tile/entries/…) are not written');
    expect(r.stderr).toContain('docs/SERVER.md');
  });

  it('grows: writes only the new tiles, keeps the partial tiles of the earlier checkpoint, replaces the checkpoint', async () => {
    const tile0 = readFileSync(tileFile(out(), 0, 0, 256));
    const partial = readFileSync(tileFile(out(), 0, 1, 44));
    await growTo(520);
    const cp520 = await j<CheckpointJson>(['checkpoint', '--log-key', who.log.key]);
    expect(cp520.size).toBe(520);

    const r = await j<TilesJson>(['tiles', '--out', out()]);
    // 520: full level-0 tiles 000 (kept) and 001 (new), a partial 002 of 8, a level-1 tile of 2.
    expect(r).toEqual({ checkpoint: { size: 520, root: cp520.root }, tiles: 4, written: 3, out: out() });
    expect(filesUnder(out())).toEqual([
      'checkpoint',
      'tile/0/000',
      'tile/0/001',
      'tile/0/001.p/44',
      'tile/0/002.p/8',
      'tile/1/000.p/1',
      'tile/1/000.p/2',
    ]);
    expect(readFileSync(join(out(), 'checkpoint'), 'utf8')).toBe(cp520.note);
    expect(readFileSync(tileFile(out(), 0, 0, 256)).equals(tile0)).toBe(true);
    // A partial tile is a prefix of the full tile it becomes.
    expect(
      readFileSync(tileFile(out(), 0, 1, 256))
        .subarray(0, 44 * 32)
        .equals(partial),
    ).toBe(true);
    // Both signed trees can still be rebuilt from the directory.
    expect(await rootFromFiles(out(), 520)).toBe(cp520.root);
    expect(await rootFromFiles(out(), 300)).toBe(cp300.root);
    expect(mth(leavesFromFiles(out(), 520)).toString('hex')).toBe(cp520.root);
    const p = await j<ProveJson>(['prove', '519']);
    expect(leavesFromFiles(out(), 520)[519]!.toString('hex')).toBe(p.leafHash);
  });

  it('never overwrites a different tile, and then writes nothing at all', async () => {
    const site = join(tempDir('custody-e2e-tiles-site-'), 'site');
    cpSync(out(), site, { recursive: true });
    const checkpointBefore = readFileSync(join(site, 'checkpoint'), 'utf8');
    const f = tileFile(site, 0, 0, 256);
    const bad = readFileSync(f);
    bad[40] = bad[40]! ^ 1;
    writeFileSync(f, bad);
    // Remove a tile, so that a refusal that wrote anything would show.
    const missing = tileFile(site, 0, 2, 8);
    rmSync(missing);
    expectFailure(await run(['tiles', '--out', site]), {
      exit: 2,
      code: 'TILE_CONFLICT',
      message: `${f} exists with other content`,
    });
    expect(existsSync(missing)).toBe(false);
    expect(readFileSync(join(site, 'checkpoint'), 'utf8')).toBe(checkpointBefore);
  });

  it('never rolls a published checkpoint back, nor replaces one of another history or log', async () => {
    // The copy of the ledger taken at 300 entries, against a directory that publishes 520.
    expectFailure(await run(['tiles', '--out', out()], at300), {
      exit: 2,
      code: 'TILE_CONFLICT',
      message: 'publishes a checkpoint of size 520, beyond this ledger',
    });

    // A published checkpoint of size 300 whose root is not the ledger's root at 300.
    const site = tempDir('custody-e2e-tiles-fork-');
    const [origin, size, root, ...rest] = cp300.note.split('\n');
    const forged = Buffer.from(root!, 'base64');
    forged[0] = forged[0]! ^ 1;
    writeFileSync(join(site, 'checkpoint'), [origin, size, forged.toString('base64'), ...rest].join('\n'));
    expectFailure(await run(['tiles', '--out', site]), {
      exit: 2,
      code: 'TILE_CONFLICT',
      message: 'whose root this ledger does not have: another history',
    });

    const other = tempDir('custody-e2e-tiles-other-');
    writeFileSync(join(other, 'checkpoint'), cp300.note.replace(ORIGIN, 'example.org/another-log'));
    expectFailure(await run(['tiles', '--out', other]), {
      exit: 2,
      code: 'TILE_CONFLICT',
      message: 'publishes another log (example.org/another-log)',
    });
    expect(filesUnder(other)).toEqual(['checkpoint']);

    const junk = tempDir('custody-e2e-tiles-junk-');
    writeFileSync(join(junk, 'checkpoint'), 'not a checkpoint\n');
    expectFailure(await run(['tiles', '--out', junk]), {
      exit: 2,
      code: 'TILE_CONFLICT',
      message: 'is not a checkpoint',
    });
  });

  it('refuses an --out that cannot be a directory', async () => {
    const file = join(tempDir('custody-e2e-tiles-file-'), 'a-file');
    writeFileSync(file, 'x');
    expectFailure(await run(['tiles', '--out', file]), { exit: 2, code: 'FILE_UNWRITABLE' });
  });
});

/**
 * GET /tile/* (cli/server/tiles-routes.ts) on a fastify app over the same
 * ledger, whose signed checkpoints are of 300 and 520 entries, through
 * fastify's inject (no socket). Authentication and the access log are
 * stand-ins: a header says who reads.
 */
describe('GET /tile/* (the server routes)', () => {
  let store: LevelLogStore;
  let app: FastifyInstance;
  let latest = 0;
  const accesses: [string, string][] = [];
  const get = (url: string, reader?: string) =>
    app.inject({ method: 'GET', url, headers: reader ? { 'x-test-reader': reader } : {} });
  const site = () => join(dir, 'site');

  beforeAll(async () => {
    store = await LevelLogStore.open(ledger, 'open');
    latest = (await store.checkpointSizes()).at(-1) ?? 0;
    app = Fastify({ logger: false });
    registerTileRoutes(app, {
      source: store,
      treeSize: () => latest,
      authenticate: async (req) => {
        const reader = req.headers['x-test-reader'];
        if (typeof reader !== 'string') throw new CustodyError('UNAUTHENTICATED', 'who reads?', 'input');
        return reader;
      },
      recordAccess: async (reader, _req, what) => {
        accesses.push([reader, what]);
      },
      fail: (reply, e) => {
        const f = httpFailure(e);
        return reply.code(f.status).type('application/json').send(f.body);
      },
    });
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('serves the hash tiles of every signed tree, public and immutable, the bytes custody tiles wrote', async () => {
    expect(latest).toBe(520);
    for (const path of [
      'tile/0/000',
      'tile/0/001',
      'tile/0/002.p/8',
      'tile/1/000.p/2',
      'tile/0/001.p/44',
      'tile/1/000.p/1',
    ]) {
      const r = await get(`/${path}`);
      expect(r.statusCode, path).toBe(200);
      expect(r.headers['content-type']).toBe('application/octet-stream');
      expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(r.rawPayload.equals(readFileSync(join(site(), path))), path).toBe(true);
    }
  });

  it('answers 404, not to be cached, for a tile no signed tree has and for a path that is not canonical', async () => {
    for (const path of [
      'tile/0/002', // not full yet
      'tile/0/002.p/9', // wider than the latest tree's
      'tile/0/002.p/7', // no checkpoint of 519 entries
      'tile/0/001.p/43', // nor of 299
      'tile/0/003.p/1',
      'tile/1/000',
      'tile/2/000.p/1',
      'tile/0/2',
      'tile/00/000',
      'tile/0/x000/000',
      'tile/0/000.p/256',
      'tile/8/0/000',
      'tile/',
    ]) {
      const r = await get(`/${path}`);
      expect(r.statusCode, path).toBe(404);
      expect(r.headers['cache-control'], path).toBe('no-store');
      expect(r.json(), path).toMatchObject({ error: { code: 'NOT_FOUND', category: 'input' } });
    }
  });

  it('serves entry bundles only to an authenticated reader, records each read, and never caches them', async () => {
    const anonymous = await get('/tile/entries/000');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['cache-control']).toBe('no-store');
    expect(accesses).toEqual([]);

    for (const [path, width] of [
      ['tile/entries/000', 256],
      ['tile/entries/002.p/8', 8],
      ['tile/entries/001.p/44', 44], // of the checkpoint of 300
    ] as const) {
      const r = await get(`/${path}`, 'auditor-1');
      expect(r.statusCode, path).toBe(200);
      expect(r.headers['content-type']).toBe('application/octet-stream');
      expect(r.headers['cache-control']).toBe('private, no-store');
      // Each entry hashes to its leaf in the level-0 tile of the same position.
      const entries = decodeEntryBundle(new Uint8Array(r.rawPayload), width);
      const level0 = readFileSync(join(site(), path.replace('tile/entries/', 'tile/0/')));
      entries.forEach((e, i) => {
        expect(Buffer.from(hashLeaf(e)).equals(level0.subarray(i * 32, i * 32 + 32)), `${path} #${i}`).toBe(
          true,
        );
      });
    }
    expect(accesses).toEqual([
      ['auditor-1', 'tile/entries/000'],
      ['auditor-1', 'tile/entries/002.p/8'],
      ['auditor-1', 'tile/entries/001.p/44'],
    ]);

    const beyond = await get('/tile/entries/002', 'auditor-1');
    expect(beyond.statusCode).toBe(404);
    expect(beyond.headers['cache-control']).toBe('no-store');
    expect(accesses).toHaveLength(3);
  });

  it('serves nothing before the first checkpoint', async () => {
    const was = latest;
    latest = 0;
    try {
      expect((await get('/tile/0/000')).statusCode).toBe(404);
      expect((await get('/tile/entries/000', 'auditor-1')).statusCode).toBe(404);
    } finally {
      latest = was;
    }
  });
});
