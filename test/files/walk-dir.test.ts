/** Listing and hashing a folder into its manifest (src/files/walk-dir.ts, hash-tree.ts) on real files. */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { type HashTreeOptions, hashTree, type TreeProgress } from '../../src/files/hash-tree.js';
import { walkDir } from '../../src/files/walk-dir.js';
import { decodeManifest, encodeManifest } from '../../src/manifest/codec.js';
import { displayPath } from '../../src/manifest/path.js';
import type { Manifest } from '../../src/manifest/types.js';

const ROOT = join(import.meta.dirname, '../..');
let base: string;
const NFC = 'M\u00fcller.txt';
const NFD = 'Mu\u0308ller.txt';
const BAD = Buffer.from([0x62, 0x61, 0x64, 0xff]);

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'custody-walk-'));
  chmodSync(base, 0o755); // the unreadable-file case runs as another user when the tests run as root
});
afterAll(() => {
  execFileSync('chmod', ['-R', 'u+rwx', base]);
  rmSync(base, { recursive: true, force: true });
});

let n = 0;
/** A fresh folder under base with these files (path -> content) and empty folders (path ending in /). */
function tree(files: Record<string, string>): string {
  const dir = join(base, `t${n++}`);
  mkdirSync(dir, { mode: 0o755 });
  for (const [p, content] of Object.entries(files)) {
    if (p.endsWith('/')) mkdirSync(join(dir, p), { recursive: true });
    else {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
  }
  return dir;
}

const sha = (alg: string, s: string | Buffer) => new Uint8Array(createHash(alg).update(s).digest());
const shown = (m: Manifest) => m.entries.map((e) => [displayPath(e.path), e.kind, e.form]);

async function refusal(p: Promise<unknown>): Promise<CustodyError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    return e as CustodyError;
  }
  throw new Error('not refused');
}

describe('hashTree', () => {
  it('lists nested, empty, NFC, NFD and non-UTF-8 names as bytes, in bytewise order, with their digests', async () => {
    const dir = tree({
      'top.txt': 'top',
      'a.txt': 'a',
      'a/b/deep.txt': 'deep',
      'empty/': '',
      'a/empty2/': '',
      [NFC]: 'nfc',
      [NFD]: 'nfd',
      'line\nfeed': 'lf',
    });
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), BAD]), 'bytes');
    const m = await hashTree(dir, { legacy: ['sha1', 'md5'] });
    expect(shown(m)).toEqual([
      ['Mu\u0308ller.txt', 'file', 'nfd'],
      ['M\u00fcller.txt', 'file', 'nfc'],
      ['a.txt', 'file', 'ascii'],
      ['a/b/deep.txt', 'file', 'ascii'],
      ['a/empty2', 'dir', 'ascii'],
      ['bad\\xff', 'file', 'bytes'],
      ['empty', 'dir', 'ascii'],
      ['line\\u{a}feed', 'file', 'ascii'],
      ['top.txt', 'file', 'ascii'],
    ]);
    expect(m.header).toEqual({ legacy: ['md5', 'sha1'], entries: 9, bytes: 3 + 1 + 4 + 3 + 3 + 2 + 5 });
    const deep = m.entries[3]!;
    expect(deep.size).toBe(4);
    expect(deep.digests).toEqual({
      sha256: sha('sha256', 'deep'),
      md5: sha('md5', 'deep'),
      sha1: sha('sha1', 'deep'),
    });
    expect(m.entries[5]!.path).toEqual(new Uint8Array(BAD));
    expect(m.entries[0]!.digests!.sha256).toEqual(sha('sha256', 'nfd'));
    const { bytes, root } = encodeManifest(m);
    expect(decodeManifest(bytes)).toEqual({ manifest: m, root });
  });

  it('hashes large files through digestFile with the same digests, and reports progress', async () => {
    const big = 'x'.repeat(200_000);
    const dir = tree({ 'big.bin': big, 'small.txt': 's' });
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/big-`), BAD]), big);
    const seen: TreeProgress[] = [];
    const m = await hashTree(dir, {
      legacy: ['md5', 'sha512'],
      largeFile: 1000,
      onProgress: (p) => seen.push(p),
    });
    for (const i of [0, 1])
      expect(m.entries[i]!.digests).toEqual({
        sha256: sha('sha256', big),
        md5: sha('md5', big),
        sha512: sha('sha512', big),
      });
    expect(seen.at(-1)).toEqual({ bytesDone: 400_001, bytesTotal: 400_001, filesDone: 3, filesTotal: 3 });
    expect(seen[0]).toEqual({ bytesDone: 0, bytesTotal: 400_001, filesDone: 0, filesTotal: 3 });
  });

  it('gives an empty folder no entries', async () => {
    const m = await hashTree(tree({}));
    expect(m).toEqual({ header: { legacy: [], entries: 0, bytes: 0 }, entries: [] });
  });

  it('refuses a symbolic link by default and lists it, unfollowed, when asked', async () => {
    const dir = tree({ 'target.txt': 't', 'sub/x': 'x' });
    symlinkSync('target.txt', join(dir, 'link'));
    symlinkSync('loop', join(dir, 'loop'));
    symlinkSync('/etc', join(dir, 'sub/out'));
    const e = await refusal(hashTree(dir));
    expect(e.code).toBe('EVIDENCE_UNSUPPORTED');
    expect(e.message).toMatch(/^(link|loop|sub\/out): a symbolic link \(to /);
    const m = await hashTree(dir, { listUnsupported: true });
    expect(m.entries.map((x) => [displayPath(x.path), x.kind, x.target && displayPath(x.target)])).toEqual([
      ['link', 'symlink', 'target.txt'],
      ['loop', 'symlink', 'loop'],
      ['sub/out', 'symlink', '/etc'],
      ['sub/x', 'file', undefined],
      ['target.txt', 'file', undefined],
    ]);
    expect(m.entries[0]!.digests).toBeUndefined();
  });

  it('refuses a FIFO by default and lists it, never opened, when asked', async () => {
    const dir = tree({ 'a.txt': 'a' });
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const e = await refusal(hashTree(dir));
    expect([e.code, e.message]).toEqual(['EVIDENCE_UNSUPPORTED', expect.stringMatching(/^pipe: a FIFO;/)]);
    const m = await hashTree(dir, { listUnsupported: true });
    expect(shown(m)).toEqual([
      ['a.txt', 'file', 'ascii'],
      ['pipe', 'special', 'ascii'],
    ]);
  });

  it('refuses a folder given as a link, or a file given as a folder', async () => {
    const dir = tree({ 'a.txt': 'a' });
    symlinkSync(dir, `${dir}-link`);
    expect((await refusal(hashTree(`${dir}-link`))).message).toMatch(/is a symbolic link/);
    expect((await refusal(hashTree(join(dir, 'a.txt')))).message).toMatch(/is not a folder/);
    expect((await refusal(hashTree(join(dir, 'none')))).code).toBe('FILE_UNREADABLE');
  });

  it('refuses nesting deeper than the limit', async () => {
    const dir = tree({ [`${'d/'.repeat(257)}f`]: 'f' });
    const e = await refusal(hashTree(dir));
    expect(e.code).toBe('EVIDENCE_UNSUPPORTED');
    expect(e.message).toMatch(/more than 256 levels deep/);
    expect((await hashTree(dir, { maxDepth: 258 })).entries).toHaveLength(1);
    expect((await refusal(hashTree(dir, { maxDepth: 3 }))).message).toMatch(
      /^d\/d\/d\/d: more than 3 levels/,
    );
  });

  it('refuses a file that changed size after the listing', async () => {
    const dir = tree({ 'a.txt': 'a', 'b.txt': 'b' });
    const e = await refusal(
      hashTree(dir, {
        concurrency: 1,
        onProgress: (p) => {
          if (p.filesDone === 0) appendFileSync(join(dir, 'b.txt'), 'more');
        },
      }),
    );
    expect(e.code).toBe('FILE_CHANGED');
    expect(e.message).toMatch(/^b\.txt: its size went from 1 to 5/);
  });

  it('lists 10,000 small files', async () => {
    const dir = tree({});
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(dir, `d${d}`));
      for (let f = 0; f < 100; f++) writeFileSync(join(dir, `d${d}`, `f${f}`), `${d}/${f}`);
    }
    let last: TreeProgress | undefined;
    const m = await hashTree(dir, { legacy: ['md5'], onProgress: (p) => (last = p) });
    expect(m.header.entries).toBe(10_000);
    expect(last).toMatchObject({ filesDone: 10_000, filesTotal: 10_000, bytesDone: m.header.bytes });
    const e = m.entries.find((x) => displayPath(x.path) === 'd42/f7')!;
    expect(e.digests).toEqual({ sha256: sha('sha256', '42/7'), md5: sha('md5', '42/7') });
    expect(decodeManifest(encodeManifest(m).bytes).manifest.entries).toHaveLength(10_000);
  });
});

/**
 * Unreadable entries. chmod 000 does not stop root, so when the tests run as root the walk runs in
 * a child process as the user nobody (uid 65534); if that cannot be started, the case is skipped
 * and says why.
 */
describe('unreadable entries', () => {
  const asRoot = process.getuid?.() === 0;

  type Outcome = { ok: unknown } | { error: unknown };

  /** Each walk's entries ([display, kind, size]) or error ([code, message]), in one process. */
  async function walkAsUser(jobs: [string, HashTreeOptions][]): Promise<Outcome[] | { skip: string }> {
    if (!asRoot) {
      const out: Outcome[] = [];
      for (const [dir, opts] of jobs)
        try {
          const m = await hashTree(dir, opts);
          out.push({ ok: m.entries.map((e) => [displayPath(e.path), e.kind, e.size]) });
        } catch (e) {
          out.push({ error: [(e as CustodyError).code, (e as Error).message] });
        }
      return out;
    }
    const script = `
      import { hashTree } from './src/files/hash-tree.ts';
      import { displayPath } from './src/manifest/path.ts';
      const out = [];
      for (const [dir, opts] of ${JSON.stringify(jobs)})
        try {
          const m = await hashTree(dir, opts);
          out.push({ ok: m.entries.map((e) => [displayPath(e.path), e.kind, e.size]) });
        } catch (e) { out.push({ error: [e.code, e.message] }); }
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
    });
    if (r.error || r.status !== 0) return { skip: `cannot run as nobody: ${r.error?.message ?? r.stderr}` };
    return JSON.parse(r.stdout) as Outcome[];
  }

  it('refuses an unreadable file or folder by default and lists it when asked', async (ctx) => {
    const both = tree({ 'a.txt': 'a', 'secret.txt': 'secret', 'locked/x': 'x' });
    chmodSync(join(both, 'secret.txt'), 0o000);
    chmodSync(join(both, 'locked'), 0o000);
    const file = tree({ 'a.txt': 'a', 'secret.txt': 'secret' });
    chmodSync(join(file, 'secret.txt'), 0o000);
    const outcomes = await walkAsUser([
      [both, { listUnsupported: true }],
      [both, {}],
      [file, {}],
    ]);
    if ('skip' in outcomes) {
      ctx.skip(`running as root and ${outcomes.skip}`);
      return;
    }
    expect(outcomes).toEqual([
      {
        ok: [
          ['a.txt', 'file', 1],
          ['locked', 'unreadable', 0],
          ['secret.txt', 'unreadable', 6],
        ],
      },
      { error: ['EVIDENCE_UNSUPPORTED', expect.stringMatching(/^locked: an unreadable folder \(EACCES\)/)] },
      {
        error: ['EVIDENCE_UNSUPPORTED', expect.stringMatching(/^secret\.txt: an unreadable file \(EACCES\)/)],
      },
    ]);
  });
});

describe('walkDir', () => {
  it('sorts bytewise, not folder by folder', async () => {
    const dir = tree({ 'a/b': '1', 'a.txt': '2', a0: '3' });
    expect((await walkDir(dir)).map((e) => displayPath(e.path))).toEqual(['a.txt', 'a/b', 'a0']);
  });
});
