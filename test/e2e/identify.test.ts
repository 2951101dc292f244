/**
 * `custody identify <path>` (docs/CLI.md §custody identify): the exhibits whose
 * registration recorded these bytes, found through the state map's digest
 * index, with the copies derived from them; a file, a derived copy, unknown
 * bytes (exit 0, nothing on stdout), a folder (its manifest, with the legacy
 * digests it was registered with), a split raw set, and through a server.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLegacy } from '../../cli/commands/identify.js';
import { toHex } from '../../src/bytes.js';
import { hashTree } from '../../src/files/hash-tree.js';
import { encodeManifest } from '../../src/manifest/codec.js';
import { LEGACY_ALGORITHMS } from '../../src/manifest/types.js';
import {
  buildWorld,
  custody,
  evidenceFile,
  expectFailure,
  json,
  register,
  removeTempDirs,
  tempDir,
  type World,
} from './helpers.js';
import { type Lab, makeLab, type Server, startServer } from './server-helpers.js';

afterAll(removeTempDirs);

interface Found {
  exhibit: string;
  exhibitId: string;
  label: string;
  caseRef: string;
  evidence: string;
  holder: string;
  holderName: string;
  state: string;
  parent: string | null;
  derived: Found[];
}
interface Identified {
  path: string;
  evidence: string;
  size: number;
  sha256: string;
  tried?: { manifestDigests: string[]; sha256: string }[];
  exhibits: (Found & { matched: { sha256: string; manifestDigests?: string[] } })[];
}

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A small folder with a subfolder, its files' bytes random. */
function folder(dir: string, name: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'sub'), { recursive: true });
  evidenceFile(root, 'a.txt', 300);
  evidenceFile(join(root, 'sub'), 'b.bin', 5000);
  return root;
}

describe('a folder hashed once with every legacy digest', () => {
  // What `identify --hash md5,sha1,sha512` relies on: the manifest rebuilt for a subset of the
  // legacy digests is byte for byte the one `register --hash sha256,<subset>` builds.
  const base = tempDir('custody-identify-prop-');
  let n = 0;
  test.prop(
    [
      fc.uniqueArray(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 0, maxLength: 5 }),
      fc.array(fc.uint8Array({ maxLength: 2000 }), { minLength: 5, maxLength: 5 }),
      fc.subarray([...LEGACY_ALGORITHMS]),
    ],
    { numRuns: 25 },
  )('projects to the manifest a registration with that subset builds', async (names, contents, keep) => {
    const root = join(base, `f${n++}`);
    mkdirSync(join(root, 'd'), { recursive: true });
    // `.bin`: a file named "d" beside the folder "d" would be no file at all.
    for (const [i, name] of names.entries())
      writeFileSync(join(root, i % 2 ? 'd' : '', `${name}.bin`), contents[i]!);
    const all = await hashTree(root, { legacy: LEGACY_ALGORITHMS, listUnsupported: true });
    const direct = await hashTree(root, { legacy: keep });
    expect(toHex(encodeManifest(withLegacy(all, keep)).bytes)).toBe(toHex(encodeManifest(direct).bytes));
  });
});

describe('custody identify on a ledger directory', () => {
  let w: World;
  let copy: string;
  let copyId: string;
  const identify = (path: string, ...args: string[]) =>
    json<Identified>(['identify', path, ...args], { ledger: w.ledger });

  beforeAll(async () => {
    w = await buildWorld('e2e.custody.example/identify');
    // The NFI receives HDD-01 and registers a working copy derived from it.
    await json(['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'examination'], {
      ledger: w.ledger,
    });
    await json(['accept', w.exhibit, '--key', w.nfi.key, '--file', w.evidence], { ledger: w.ledger });
    copy = evidenceFile(w.dir, 'HDD-01-extraction.zip', 4096);
    copyId = await register(w.ledger, w.nfi, copy, 'HDD-01-X1', ['--parent', w.exhibit]);
  }, 120_000);

  it('names the exhibit a registered file is, and the copies derived from it', async () => {
    const r = await identify(w.evidence);
    expect(r).toMatchObject({ evidence: 'file', size: 64 << 10, sha256: sha256Of(w.evidence) });
    expect(r.exhibits).toHaveLength(1);
    const [x] = r.exhibits;
    expect(x).toMatchObject({
      exhibit: w.exhibit,
      exhibitId: w.exhibitId,
      label: 'HDD-01',
      caseRef: 'JIT-2026-017',
      evidence: 'file',
      holder: w.nfi.id,
      holderName: w.nfi.name,
      state: 'held',
      parent: null,
      matched: { sha256: sha256Of(w.evidence) },
    });
    expect(x!.derived.map((d) => [d.exhibit, d.label, d.parent])).toEqual([[copyId, 'HDD-01-X1', w.exhibit]]);

    const human = await custody(['identify', w.evidence], { ledger: w.ledger });
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(`^${w.exhibit}  held +HDD-01  case JIT-2026-017  held by ${w.nfi.name}$`),
    );
    expect(lines[1]).toMatch(new RegExp(`^    derived ${copyId}  held +HDD-01-X1  case JIT-2026-017`));
    expect(human.stderr).toContain(`sha256 ${sha256Of(w.evidence)}`);
  });

  it('names a derived copy with the exhibit it was derived from', async () => {
    const r = await identify(copy);
    expect(r.exhibits.map((x) => [x.exhibit, x.label, x.parent, x.derived.length])).toEqual([
      [copyId, 'HDD-01-X1', w.exhibit, 0],
    ]);
    const human = await custody(['identify', copy], { ledger: w.ledger });
    expect(human.stdout).toContain(
      `HDD-01-X1  case JIT-2026-017  held by ${w.nfi.name}  derived from ${w.exhibit}`,
    );
  });

  it('says that no exhibit has unknown bytes, with exit 0 and nothing on stdout', async () => {
    const other = evidenceFile(w.dir, 'unknown.bin', 1000);
    const r = await custody(['identify', other], { ledger: w.ledger });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`no exhibit in this ledger has these bytes (sha256 ${sha256Of(other)}`);
    const j = await identify(other);
    expect(j).toMatchObject({ evidence: 'file', sha256: sha256Of(other), exhibits: [] });
    // A file that differs by one byte from a registered one is not it.
    const changed = readFileSync(w.evidence);
    changed[10] = changed[10]! ^ 1;
    writeFileSync(join(w.dir, 'changed.dd'), changed);
    expect((await identify(join(w.dir, 'changed.dd'))).exhibits).toEqual([]);
  });

  it('identifies a folder registered with the default --hash by its manifest', async () => {
    const root = folder(w.dir, 'phone-extraction');
    const reg = await json<{ exhibit: string; digests: { sha256: string } }>(
      [
        'register',
        root,
        '--key',
        w.police.key,
        '--case',
        'C-7',
        '--exhibit',
        'PHONE-7',
        '--description',
        'x',
      ],
      { ledger: w.ledger },
    );
    const r = await identify(root);
    expect(r).toMatchObject({ evidence: 'directory', size: 5300, sha256: reg.digests.sha256 });
    expect(r.tried).toEqual([{ manifestDigests: ['sha256'], sha256: reg.digests.sha256 }]);
    expect(r.exhibits.map((x) => [x.exhibit, x.evidence, x.matched.manifestDigests])).toEqual([
      [reg.exhibit, 'directory', ['sha256']],
    ]);
    // One file more is another folder.
    writeFileSync(join(root, 'sub', 'c.txt'), 'added');
    const after = await custody(['identify', root], { ledger: w.ledger });
    expect(after.code).toBe(0);
    expect(after.stdout).toBe('');
    expect(after.stderr).toContain('no exhibit in this ledger has these bytes');
  });

  it('finds a folder registered with legacy digests only when --hash names them', async () => {
    const root = folder(w.dir, 'laptop-export');
    const reg = await json<{ exhibit: string; digests: { sha256: string } }>(
      [
        'register',
        root,
        '--key',
        w.police.key,
        '--case',
        'C-8',
        '--exhibit',
        'LAPTOP-8',
        '--description',
        'x',
        '--hash',
        'sha256,md5',
      ],
      { ledger: w.ledger },
    );
    const plain = await custody(['identify', root], { ledger: w.ledger });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toContain('try --hash md5,sha1,sha512');

    const every = await identify(root, '--hash', 'md5,sha1,sha512');
    expect(every.tried).toHaveLength(8);
    expect(every.exhibits.map((x) => [x.exhibit, x.matched])).toEqual([
      [reg.exhibit, { sha256: reg.digests.sha256, manifestDigests: ['sha256', 'md5'] }],
    ]);
    // The set that does not include md5 does not build its manifest.
    expect((await identify(root, '--hash', 'sha1,sha512')).exhibits).toEqual([]);
    const human = await custody(['identify', root, '--hash', 'md5'], { ledger: w.ledger });
    expect(human.stdout).toContain(`${reg.exhibit}  held`);
    expect(human.stdout).toContain('(its manifest with sha256, md5)');
  });

  it('identifies a split raw set by its first segment (the concatenation)', async () => {
    const dir = join(w.dir, 'split');
    mkdirSync(dir);
    const one = evidenceFile(dir, 'disk.dd.001', 3000);
    const two = evidenceFile(dir, 'disk.dd.002', 1000);
    const reg = await register(w.ledger, w.police, one, 'DISK-9');
    const r = await identify(one);
    const whole = createHash('sha256').update(readFileSync(one)).update(readFileSync(two)).digest('hex');
    expect(r).toMatchObject({ evidence: 'segments', size: 4000, sha256: whole });
    expect(r.exhibits.map((x) => [x.exhibit, x.evidence])).toEqual([[reg, 'segments']]);
  });

  it('refuses an unknown digest name and a missing path (exit 2)', async () => {
    expectFailure(await custody(['identify', w.evidence, '--hash', 'crc32'], { ledger: w.ledger }), {
      exit: 2,
      code: 'DIGEST_UNKNOWN',
    });
    expectFailure(await custody(['identify', join(tempDir(), 'nope')], { ledger: w.ledger }), {
      exit: 2,
      code: 'FILE_UNREADABLE',
    });
  });
});

describe('custody identify against a ledger server', () => {
  let lab: Lab;
  let server: Server;
  let phone: string;
  let phoneId: string;
  const as = (who: keyof Lab['access'], purpose = 'identifying a seized phone') => ({
    ledger: server.url,
    env: { CUSTODY_ACCESS_KEY: lab.access[who], CUSTODY_PURPOSE: purpose },
  });

  beforeAll(async () => {
    lab = await makeLab();
    server = await startServer(lab.ledger, lab.people.log.key);
    phone = evidenceFile(lab.dir, 'phone.bin');
    phoneId = await register(server.url, lab.people.police, phone, 'PHONE-01', [
      '--access-key',
      lab.access.police,
      '--purpose',
      'registration',
    ]);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('finds a registered file through the server, and its reads are in the access log', async () => {
    const r = await json<Identified>(['identify', phone], as('police'));
    expect(r.exhibits.map((x) => [x.exhibit, x.label, x.holderName, x.matched.sha256])).toEqual([
      [phoneId, 'PHONE-01', lab.people.police.name, sha256Of(phone)],
    ]);
    const log = readFileSync(`${lab.ledger}.access-log`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { purpose: string | null });
    expect(log.some((l) => l.purpose === 'identifying a seized phone')).toBe(true);
    const none = await custody(['identify', evidenceFile(lab.dir, 'other.bin', 100)], as('police'));
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('no exhibit in this ledger has these bytes');
  }, 60_000);

  it("keeps a case's exhibits from an actor who has not acted in it (need to know)", async () => {
    const r = await custody(['identify', phone], as('nfi'));
    expectFailure(r, { exit: 2, code: 'NEED_TO_KNOW', message: /case JIT-2026-017/ });
  });

  it('refuses to identify without an access key (401)', async () => {
    const r = await custody(['identify', phone], { ledger: server.url });
    expectFailure(r, { exit: 2, code: 'UNAUTHENTICATED', message: /access key/ });
  });
});
