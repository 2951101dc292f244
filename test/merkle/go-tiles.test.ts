/**
 * Cross-check of our C2SP tlog-tiles (src/merkle/tiles.ts) with Go's
 * reference implementation, golang.org/x/mod/sumdb/tlog (Debian's
 * golang-golang-x-mod-dev, built in GOPATH mode from /usr/share/gocode with
 * GO111MODULE=off: no module proxy, no network). sumdb's tiles are
 * tlog-tiles' tiles at height 8; only the paths differ (sumdb has a height
 * element and `data` tiles), so the adapter below writes hash tiles at
 * `tile/8/<L>/<N>[.p/<W>]`, and entry bundles at tlog-tiles' own
 * `tile/entries/…`, which the Go side reads by hand.
 *
 * A log of 1000 entries (one empty, one of 65,535 bytes) grows in memory;
 * the tiles and bundles of its trees of 700 and 1000 are written with
 * readTile and encodeEntryBundle. Go reads them through TileHashReader,
 * given the root our code computed: TreeHash must recompute it, every bundled
 * entry must be proven (ProveRecord) and accepted against it (CheckRecord of
 * its RFC 6962 record hash) and equal its level-0 tile hash, ProveTree must
 * give a proof CheckTree accepts, and the proofs must equal ours byte for
 * byte. (Every entry is proven because TileHashReader of x/mod 0.7.0 checks
 * only some tiles against the root: see main.go.) Go's Tile.Path and ParseTilePath must
 * agree with tilePath and parseTilePath, and a flipped byte in a tile or a
 * bundle, or a wrong root, must make Go fail. The Go side is
 * ./go-tiles/main.go, built once into a temporary directory.
 *
 * Go is a hard requirement, as for test/checkpoint/go-note.test.ts: .ci/run
 * installs golang-go and golang-golang-x-mod-dev when missing, and this file
 * fails (it does not skip) without them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  consistencyProof,
  hashLeaf,
  inclusionProof,
  MemoryNodeStore,
  MerkleFrontier,
  rootAt,
} from '../../src/merkle/index.js';
import {
  encodeEntryBundle,
  entryBundlePath,
  parseTilePath,
  readTile,
  TILE_HEIGHT,
  TILE_WIDTH,
  tileCoordinates,
  tilePath,
  tileTreeHash,
} from '../../src/merkle/tiles.js';
import { hex } from './reference.js';

const GOPATH = '/usr/share/gocode';
const TLOG_PKG = join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog');
const MAIN_GO = fileURLToPath(new URL('./go-tiles/main.go', import.meta.url));
/** A cold build that compiles the standard library into an empty GOCACHE takes ~20 s; room for a slow runner. */
const GO_TIMEOUT_MS = 240_000;

const SIZES = [700, 1000] as const;
const RECORDS = [0, 1, 2, 255, 256, 299, 300, 511, 512, 699, 700, 767, 768, 998, 999];

/** sumdb's path of one of our hash tile paths: the height element after `tile/`. */
const sumdbPath = (p: string) => p.replace(/^tile\//, `tile/${TILE_HEIGHT}/`);
const ourPath = (p: string) => p.replace(new RegExp(`^tile/${TILE_HEIGHT}/`), 'tile/');

/** Entry i: mostly short and of varied length; entry 5 is empty and entry 300 is as long as a bundle allows. */
const entries = Array.from({ length: 1000 }, (_, i) => {
  if (i === 5) return new Uint8Array(0);
  if (i === 300) return new Uint8Array(0xffff).fill(0x5a);
  const e = new TextEncoder().encode(`custody tiles cross-check entry ${i} `.repeat(1 + (i % 7)));
  return e.subarray(0, e.length - (i % 3));
});

const store = new MemoryNodeStore();
const roots = new Map<number, Uint8Array>();

let dir = '';
let bin = '';

const goEnv = () => ({
  ...process.env,
  GOPATH,
  GO111MODULE: 'off',
  GOCACHE: join(dir, 'gocache'),
  GOTMPDIR: dir,
  GOENV: 'off',
  GOFLAGS: '',
  GOPROXY: 'off',
  GOTOOLCHAIN: 'local',
  CGO_ENABLED: '0',
});

interface GoInput {
  dir: string;
  trees: { n: number; hash: string }[];
  records: number[];
  paths: { l: number; n: number; w: number }[];
  parse: string[];
}
interface GoOutput {
  roots: string[];
  entries: number[];
  records: { tree: number; index: number; proof: string[] }[];
  treeProofs: { old: number; new: number; proof: string[] }[];
  paths: string[];
  parsed: { ok: boolean; l: number; n: number; w: number }[];
  newTiles: string[][];
}
interface GoResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function goTiles(input: GoInput, label: string): GoResult {
  const file = join(dir, `${label}.json`);
  writeFileSync(file, JSON.stringify(input));
  const r = spawnSync(bin, [file], { encoding: 'utf8', timeout: GO_TIMEOUT_MS, env: goEnv() });
  if (r.error) throw new Error(`go-tiles failed to start or timed out: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeFile(root: string, path: string, data: Uint8Array) {
  const file = join(root, path);
  if (existsSync(file)) {
    // A full tile or bundle of the tree of 700 is also one of the tree of 1000: the same bytes.
    expect(hex(readFileSync(file)), path).toBe(hex(data));
    return;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

/** Writes the hash tiles (sumdb paths) and entry bundles (tlog-tiles paths) of the tree of `size`. */
async function publish(root: string, size: number) {
  for (const c of tileCoordinates(size)) {
    const data = await readTile(store, size, c.level, c.index, c.width);
    expect(data, `${c.level}/${c.index}/${c.width}`).toBeDefined();
    writeFile(root, sumdbPath(tilePath(c.level, c.index, c.width)), data!);
    if (c.level === 0) {
      const first = c.index * TILE_WIDTH;
      writeFile(
        root,
        entryBundlePath(c.index, c.width),
        encodeEntryBundle(entries.slice(first, first + c.width)),
      );
    }
  }
}

const tilesDir = () => join(dir, 'log');

const baseInput = (root: string): GoInput => ({
  dir: root,
  trees: SIZES.map((n) => ({ n, hash: hex(roots.get(n)!) })),
  records: RECORDS,
  paths: [],
  parse: [],
});

beforeAll(async () => {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new Error(
      'Go is required for this cross-check: apt-get install golang-go golang-golang-x-mod-dev (.ci/run does)',
    );
  }
  if (!existsSync(join(TLOG_PKG, 'tile.go'))) {
    throw new Error(`${TLOG_PKG} is missing: apt-get install golang-golang-x-mod-dev (.ci/run does)`);
  }
  dir = mkdtempSync(join(tmpdir(), 'custody-go-tiles-'));
  bin = join(dir, 'go-tiles');
  const b = spawnSync('go', ['build', '-o', bin, MAIN_GO], {
    encoding: 'utf8',
    timeout: GO_TIMEOUT_MS,
    env: goEnv(),
  });
  if (b.error || b.status !== 0) throw new Error(`go build failed: ${b.error?.message ?? b.stderr}`);

  const f = MerkleFrontier.empty();
  for (const e of entries) {
    store.put(f.append(hashLeaf(e)));
    if ((SIZES as readonly number[]).includes(f.size)) roots.set(f.size, await rootAt(store, f.size));
  }
  for (const size of SIZES) await publish(tilesDir(), size);
}, GO_TIMEOUT_MS);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("tiles against Go's golang.org/x/mod/sumdb/tlog", () => {
  it('the tiles on disk give our roots back in TS (the fixture is what it claims)', async () => {
    for (const size of SIZES) {
      const read = async (l: number, n: number, w: number) =>
        new Uint8Array(readFileSync(join(tilesDir(), sumdbPath(tilePath(l, n, w)))));
      expect(hex(await tileTreeHash(size, read))).toBe(hex(roots.get(size)!));
    }
    // The partial tiles of both trees are there side by side.
    expect(existsSync(join(tilesDir(), 'tile/8/0/002.p/188'))).toBe(true);
    expect(existsSync(join(tilesDir(), 'tile/8/0/003.p/232'))).toBe(true);
    expect(existsSync(join(tilesDir(), 'tile/8/1/000.p/2'))).toBe(true);
    expect(existsSync(join(tilesDir(), 'tile/8/1/000.p/3'))).toBe(true);
    expect(existsSync(join(tilesDir(), 'tile/entries/002.p/188'))).toBe(true);
  });

  it(
    'TileHashReader accepts the tiles, and roots, entries and proofs agree byte for byte',
    async () => {
      const r = goTiles(baseInput(tilesDir()), 'agree');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout) as GoOutput;
      expect(out.roots).toEqual(SIZES.map((n) => hex(roots.get(n)!)));
      expect(out.entries).toEqual([...SIZES]);
      const expected = SIZES.flatMap((n) => RECORDS.filter((i) => i < n).map((i) => ({ tree: n, index: i })));
      expect(out.records.map(({ tree, index }) => ({ tree, index }))).toEqual(expected);
      for (const rec of out.records)
        expect(rec.proof, `record ${rec.index} in ${rec.tree}`).toEqual(
          (await inclusionProof(store, rec.index, rec.tree)).map(hex),
        );
      expect(out.treeProofs).toEqual([
        { old: 700, new: 1000, proof: (await consistencyProof(store, 700, 1000)).map(hex) },
      ]);
    },
    GO_TIMEOUT_MS,
  );

  it(
    "our tiles are those sumdb publishes: every full tile, and each tree's own partial tiles",
    () => {
      const out = JSON.parse(goTiles(baseInput(tilesDir()), 'new-tiles').stdout) as GoOutput;
      // NewTiles(8, 0, 700) then NewTiles(8, 700, 1000): sumdb also publishes the partial tiles of every size in between.
      const published = new Set(out.newTiles.flat().map(ourPath));
      const ours = new Set(
        SIZES.flatMap((n) => tileCoordinates(n).map((c) => tilePath(c.level, c.index, c.width))),
      );
      for (const p of ours) expect(published.has(p), p).toBe(true);
      const full = (ps: Iterable<string>) => [...ps].filter((p) => !p.includes('.p/')).sort();
      expect(full(ours)).toEqual(full(published));
    },
    GO_TIMEOUT_MS,
  );

  it(
    'Tile.Path and ParseTilePath agree with tilePath and parseTilePath',
    () => {
      const coords = [
        ...SIZES.flatMap((n) => tileCoordinates(n)),
        { level: 0, index: 999, width: 1 },
        { level: 0, index: 1000, width: 255 },
        { level: 5, index: 1234067, width: 1 },
        { level: 63, index: 999_999_999, width: 256 },
        { level: 1, index: Number.MAX_SAFE_INTEGER, width: 17 },
      ];
      const ok = [
        ...coords.map((c) => sumdbPath(tilePath(c.level, c.index, c.width))),
        'tile/8/0/x001/x234/067',
        'tile/8/3/x999/999.p/255',
      ];
      // Refused by both (Go's ParseTilePath, too, accepts only the path Tile.Path would write).
      const bad = [
        'tile/8/0/1',
        'tile/8/0/0000',
        'tile/8/00/000',
        'tile/8/0/x000/001',
        'tile/8/0/001/234',
        'tile/8/0/x001/x234',
        'tile/8/0/000.p/0',
        'tile/8/0/000.p/256',
        'tile/8/0/000.p/012',
        'tile/8/0/000.p',
        'tile/8/-1/000',
      ];
      const out = JSON.parse(
        goTiles(
          {
            ...baseInput(tilesDir()),
            paths: coords.map((c) => ({ l: c.level, n: c.index, w: c.width })),
            parse: [...ok, ...bad],
          },
          'paths',
        ).stdout,
      ) as GoOutput;
      expect(out.paths).toEqual(coords.map((c) => sumdbPath(tilePath(c.level, c.index, c.width))));
      [...ok, ...bad].forEach((p, i) => {
        const ts = parseTilePath(ourPath(p));
        const go = out.parsed[i]!;
        expect(go.ok, p).toBe(ts !== undefined);
        if (ts?.kind === 'hash')
          expect({ l: go.l, n: go.n, w: go.w }, p).toEqual({ l: ts.level, n: ts.index, w: ts.width });
      });
      expect(out.parsed.slice(0, ok.length).every((p) => p.ok)).toBe(true);
      expect(out.parsed.slice(ok.length).some((p) => p.ok)).toBe(false);
    },
    GO_TIMEOUT_MS,
  );

  it(
    'Go refuses a flipped byte in a tile the root needs or in any other, a wrong root, and a flipped byte in a bundle',
    () => {
      const flipped = (label: string, path: string, at: number) => {
        const root = join(dir, label);
        cpSync(tilesDir(), root, { recursive: true });
        const b = readFileSync(join(root, path));
        b[at] = b[at]! ^ 0x01;
        writeFileSync(join(root, path), b);
        return root;
      };
      // The partial tile of the tree of 700 holds the right edge of its root: TileHashReader refuses it.
      const edge = goTiles(baseInput(flipped('bad-edge', 'tile/8/0/002.p/188', 7)), 'bad-edge');
      expect(edge.status).toBe(1);
      expect(edge.stderr).toContain('TreeHash(700): downloaded inconsistent tile');

      // Leaf 261's hash in a full tile: the proofs that use it fail against the root.
      const tile = goTiles(baseInput(flipped('bad-tile', 'tile/8/0/001', 5 * 32 + 7)), 'bad-tile');
      expect(tile.status).toBe(1);
      expect(tile.stderr).toMatch(/^CheckRecord\(700, 2(5[6-9]|60)\): /);

      const wrongRoot = baseInput(tilesDir());
      wrongRoot.trees[1]!.hash = hex(roots.get(700)!);
      const root = goTiles(wrongRoot, 'wrong-root');
      expect(root.status).toBe(1);
      expect(root.stderr).toContain('TreeHash(1000): downloaded inconsistent tile');

      // Entry 0 of bundle 001 is entry 256: its bytes start after the 2-byte length.
      const bundle = goTiles(baseInput(flipped('bad-bundle', 'tile/entries/001', 2)), 'bad-bundle');
      expect(bundle.status).toBe(1);
      expect(bundle.stderr).toMatch(/^CheckRecord\(700, 256\): /);
    },
    GO_TIMEOUT_MS,
  );
});
