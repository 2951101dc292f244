/**
 * `custody register` on what labs have (issue 29; docs/CLI.md §custody register,
 * docs/EVIDENCE-KINDS.md, docs/ACQUISITION-LOGS.md), through the built CLI: a folder (its
 * manifest kept beside the ledger; a changed folder named file by file on verify and accept),
 * links refused or listed, 10,000 small files, a split raw set checked against an ewfacquire
 * log, an E01 set whose media digests are recorded as reported, hashdeep files, a damaged log, a
 * loop device, committed identifiers and seal photographs, a folder's manifest exported beside
 * its bundle and the folder checked from the bundle, and every bad input refused in one line
 * with nothing appended. One ledger serves the whole file; evidence is small.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Canonical } from '../../src/format/canonical.js';
import { decodeManifest } from '../../src/manifest/codec.js';
import { DirectLedger } from './direct.js';
import {
  custody,
  EXHIBIT_ID,
  enrol,
  entryCount,
  expectFailure,
  exportFor,
  fixturePeople,
  HEX32,
  initArgs,
  json,
  ok,
  type Person,
  removeTempDirs,
  tempDir,
} from './helpers.js';

const hash = (alg: string, b: Uint8Array | string) => createHash(alg).update(b).digest('hex');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bin = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

/** A program on PATH, or undefined (the tests that need it are skipped, saying why). */
function onPath(cmd: string, ...args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HASHDEEP = onPath('hashdeep', '-V');
const noHashdeep = HASHDEEP ? '' : ' (skipped: hashdeep is not on PATH; CI installs it)';

interface RegisterJson {
  exhibit: string;
  exhibitId: string;
  evidence: string;
  size: number;
  digests: Record<string, string>;
  entries?: number;
  manifestRoot?: string;
  manifestFile?: string;
  segments?: string[];
  scheme?: string;
  notes?: string[];
  resolvedPath?: string;
  readOnly?: boolean;
  mounted?: boolean;
}

let dir: string;
let ledger: string;
let who: Record<'authority' | 'log' | 'police' | 'nfi', Person>;

beforeAll(async () => {
  dir = tempDir('custody-e2e-kinds-');
  ledger = join(dir, 'ledger');
  who = fixturePeople(dir, {
    authority: ['Lab authority', 'NL', 'NFI', ''],
    log: ['Lab log key', 'NL', 'NFI', ''],
    police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian'],
    nfi: ['Dr. A. Bakker', 'NL', 'NFI', 'custodian,examiner'],
  });
  await json([...initArgs('e2e.custody.example/kinds', who.authority, who.log, 'NFI'), '--ledger', ledger]);
  await enrol(ledger, who.authority, who.police);
  await enrol(ledger, who.authority, who.nfi);
});
afterAll(removeTempDirs);

const registerArgs = (evidence: string[], label: string, extra: string[] = []) => [
  'register',
  ...evidence,
  '--key',
  who.police.key,
  '--case',
  'LAB-2026-029',
  '--exhibit',
  label,
  '--description',
  `exhibit ${label}`,
  ...extra,
];
const registered = (evidence: string[], label: string, extra: string[] = []) =>
  json<RegisterJson>(registerArgs(evidence, label, extra), { ledger });

/** `verify --trust … --exhibit … --file …`: exit code and the problems. */
async function verifyFile(exhibit: string, file: string, extra: string[] = []) {
  const r = await custody(
    ['verify', '--trust', who.authority.key, '--exhibit', exhibit, '--file', file, '--json', ...extra],
    { ledger },
  );
  const j = JSON.parse(r.stdout) as { verdict: string; problems: { code: string; message: string }[] };
  return { code: r.code, ...j };
}

/** The registration statement's body, read in-process (no CLI is running: the tests run in order). */
async function registrationBody(exhibitId: string): Promise<Record<string, Canonical>> {
  const d = await DirectLedger.at(ledger, 'open');
  try {
    return (await d.view.registration(Uint8Array.from(Buffer.from(exhibitId, 'hex')))).statement.body;
  } finally {
    await d.close();
  }
}

type Want = { exit: number; code: string; message?: string | RegExp };

/** Registrations refused, each with its documented code and exit in one line, and nothing appended. */
async function expectRefused(...cases: [args: string[], want: Want][]) {
  const before = await entryCount(ledger);
  for (const [args, want] of cases) expectFailure(await custody(args, { ledger }), want);
  expect(await entryCount(ledger)).toBe(before);
}

/** An ewfacquire console log as docs/ACQUISITION-LOGS.md reads it (the samples in test/acquisition/samples/). */
const ewfacquireLog = (md5: string, sha1: string) =>
  [
    '$ ewfacquire -u -t /cases/lab/disk -d sha1 /dev/sdc',
    'ewfacquire 20140608',
    '',
    'Acquiry completed at: Dec 07, 2026 09:22:10',
    '',
    `MD5 hash calculated over data:\t\t${md5}`,
    `SHA1 hash calculated over data:\t\t${sha1}`,
    'ewfacquire: SUCCESS',
    '',
  ].join('\n');

describe('a folder', () => {
  let folder: string;
  let x: RegisterJson;

  beforeAll(() => {
    folder = join(dir, 'export');
    mkdirSync(join(folder, 'sub', 'deep'), { recursive: true });
    mkdirSync(join(folder, 'empty'));
    mkdirSync(join(folder, 'sub', 'also empty'));
    writeFileSync(join(folder, 'a.txt'), 'alpha\n');
    writeFileSync(join(folder, 'sub', 'b.txt'), 'bravo\n');
    writeFileSync(join(folder, 'sub', 'deep', 'c.txt'), 'charlie\n');
    // "Müller.txt" twice: composed (NFC) and decomposed (NFD), two names on Linux.
    writeFileSync(join(folder, 'M\u00fcller.txt'), 'nfc');
    writeFileSync(join(folder, 'Mu\u0308ller.txt'), 'nfd!');
  });

  it('is registered with its manifest kept beside the ledger', async () => {
    x = await registered([folder], 'FOLDER-01', ['--hash', 'sha256,md5']);
    expect(x.exhibit).toMatch(EXHIBIT_ID);
    expect(x.evidence).toBe('directory');
    // Five files and the two empty folders; folders with contents are implied by their paths.
    expect(x.entries).toBe(7);
    expect(x.size).toBe(6 + 6 + 8 + 3 + 4);
    expect(x.manifestRoot).toMatch(HEX32);
    expect(x.manifestFile).toBe(join(`${ledger}.manifests`, `${x.manifestRoot}.manifest`));
    const bytes = readFileSync(x.manifestFile!);
    // The registered digests are the manifest file's; its root is the one registered.
    expect(x.digests).toEqual({ sha256: hash('sha256', bytes), md5: hash('md5', bytes) });
    const { manifest, root } = decodeManifest(new Uint8Array(bytes));
    expect(hex(root)).toBe(x.manifestRoot);
    const mueller = manifest.entries.filter((e) => Buffer.from(e.path).toString('utf8').endsWith('ller.txt'));
    expect(mueller.map((e) => e.form).sort()).toEqual(['nfc', 'nfd']);
    expect(
      manifest.entries.filter((e) => e.kind === 'dir').map((e) => Buffer.from(e.path).toString()),
    ).toEqual(['empty', 'sub/also empty']);
  });

  it('verifies against the folder as it is', async () => {
    const v = await verifyFile(x.exhibit, folder);
    expect(v.code, JSON.stringify(v.problems)).toBe(0);
    expect(v.verdict).toBe('VERIFIED');
  });

  it('travels beside its bundle on request, and verify-bundle --file checks the folder', async () => {
    const bundle = join(dir, 'FOLDER-01.custody');
    const beside = join(dir, 'FOLDER-01.manifest');
    const exportArgs = (out: string) => [
      'export',
      x.exhibit,
      '--out',
      out,
      '--with-manifest',
      '--log-key',
      who.log.key,
      ...exportFor(who.police),
    ];
    const e = await json<{ manifestFile: string; manifestRoot: string }>(exportArgs(bundle), { ledger });
    expect(e).toMatchObject({ manifestFile: beside, manifestRoot: x.manifestRoot });
    expect(readFileSync(beside).equals(readFileSync(x.manifestFile!))).toBe(true);

    const verifyBundle = (folder: string, json = true) =>
      custody([
        'verify-bundle',
        bundle,
        '--trust',
        who.authority.publicKey,
        '--quorum',
        '0',
        '--file',
        folder,
        ...(json ? ['--json'] : []),
      ]);
    const same = await verifyBundle(folder);
    expect(same.code, same.stdout).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({ verdict: 'VERIFIED' });

    // One file changed: FAILED, and the manifest beside the bundle names it.
    const changed = join(dir, 'export-one-changed');
    cpSync(folder, changed, { recursive: true });
    writeFileSync(join(changed, 'sub', 'b.txt'), 'BRAVO\n');
    const named = await verifyBundle(changed, false);
    expect(named.code).toBe(1);
    expect(named.stdout).toContain('the folder differs from the registered one: changed sub/b.txt');

    // The manifest away from the bundle: still FAILED, no file named.
    const away = join(dir, 'FOLDER-01.manifest.away');
    renameSync(beside, away);
    const blind = await verifyBundle(changed);
    expect(blind.code).toBe(1);
    const j = JSON.parse(blind.stdout) as { verdict: string; differences: string };
    expect(j.verdict).toBe('FAILED');
    expect(j.differences).toContain('its registered manifest is not at hand');
    expect(j.differences).not.toContain('b.txt');

    // Not beside the ledger either: nothing exported, nothing written.
    renameSync(x.manifestFile!, away);
    try {
      const other = join(dir, 'FOLDER-01-again.custody');
      expectFailure(await custody(exportArgs(other), { ledger }), {
        exit: 2,
        code: 'MANIFEST_MISSING',
        message: x.manifestFile!,
      });
      expect(existsSync(other)).toBe(false);
    } finally {
      renameSync(away, x.manifestFile!);
    }
  });

  it('names the files a changed folder gained, lost and changed', async () => {
    const changed = join(dir, 'export-changed');
    cpSync(folder, changed, { recursive: true });
    writeFileSync(join(changed, 'sub', 'new.txt'), 'new');
    rmSync(join(changed, 'a.txt'));
    writeFileSync(join(changed, 'sub', 'deep', 'c.txt'), 'CHARLIE\n');
    const v = await verifyFile(x.exhibit, changed);
    expect(v.code).toBe(1);
    expect(v.verdict).toBe('FAILED');
    const p = v.problems.find((q) => q.code === 'FILE_DIGEST_MISMATCH');
    expect(p?.message).toMatch(/added sub\/new\.txt; removed a\.txt; changed sub\/deep\/c\.txt$/);

    // Its manifest away from the ledger (a folder registered through a server): the folder still
    // fails, and --manifest names the files again.
    const away = join(dir, 'away.manifest');
    renameSync(x.manifestFile!, away);
    try {
      const blind = await verifyFile(x.exhibit, changed);
      expect(blind.code).toBe(1);
      expect(blind.problems.find((q) => q.code === 'FILE_DIGEST_MISMATCH')?.message).toContain(
        '--manifest <file>',
      );
      const named = await verifyFile(x.exhibit, changed, ['--manifest', away]);
      expect(named.problems.find((q) => q.code === 'FILE_DIGEST_MISMATCH')?.message).toMatch(
        /added sub\/new\.txt; removed a\.txt; changed sub\/deep\/c\.txt$/,
      );
    } finally {
      renameSync(away, x.manifestFile!);
    }

    // Handed over, and received changed: the acceptance records the mismatch.
    await ok(['transfer', x.exhibit, '--to', who.nfi.id, '--key', who.police.key, '--reason', 'analysis'], {
      ledger,
    });
    const r = await ok(['accept', x.exhibit, '--key', who.nfi.key, '--file', changed], { ledger });
    expect(r.stdout).toContain('WARNING: the file does NOT match the registered digests (recorded)');
    expect(r.stderr).toContain(
      'the folder differs from the registered one: added sub/new.txt; removed a.txt; changed sub/deep/c.txt',
    );
    const shown = await json<{ digestMismatches: unknown[] }>(['show', x.exhibit], { ledger });
    expect(shown.digestMismatches).toHaveLength(1);
  });

  it('refuses a symbolic link inside it, and lists it with --list-unsupported', async () => {
    const linked = join(dir, 'linked');
    mkdirSync(linked);
    writeFileSync(join(linked, 'report.txt'), 'report');
    symlinkSync('/etc/passwd', join(linked, 'passwd'));
    await expectRefused([
      registerArgs([linked], 'LINKED-01'),
      {
        exit: 2,
        code: 'EVIDENCE_UNSUPPORTED',
        message: /^custody: passwd: a symbolic link .*--list-unsupported/,
      },
    ]);
    const j = await registered([linked], 'LINKED-01', ['--list-unsupported']);
    expect(j.entries).toBe(2);
    expect(j.notes).toEqual(['a symbolic link, special or unreadable file is listed without contents']);
    const { manifest } = decodeManifest(new Uint8Array(readFileSync(j.manifestFile!)));
    const link = manifest.entries.find((e) => e.kind === 'symlink');
    expect(Buffer.from(link!.target!).toString()).toBe('/etc/passwd');
  });

  it('of 10,000 small files is registered', async () => {
    const many = join(dir, 'many');
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(many, `d${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(join(many, `d${d}`, `f${f}.txt`), `${d}.${f}`);
    }
    const j = await registered([many], 'MANY-01');
    expect(j.entries).toBe(10_000);
    const { manifest } = decodeManifest(new Uint8Array(readFileSync(j.manifestFile!)));
    expect(manifest.header.entries).toBe(10_000);
    expect(manifest.entries.every((e) => e.kind === 'file')).toBe(true);
  });
});

describe('a segment set with an acquisition log', () => {
  it('a split raw set: registered by its first segment when the log agrees, refused when it does not', async () => {
    const raw = join(dir, 'raw');
    mkdirSync(raw);
    const image = randomBytes(300_000);
    for (let i = 0; i < 3; i++)
      writeFileSync(join(raw, `disk.00${i + 1}`), image.subarray(i * 120_000, (i + 1) * 120_000));
    const md5 = hash('md5', image);
    const sha1 = hash('sha1', image);
    const log = join(dir, 'disk-ewfacquire.log');
    writeFileSync(log, ewfacquireLog(md5, sha1));

    const j = await registered([join(raw, 'disk.001')], 'RAW-01', ['--import-log', log]);
    expect(j).toMatchObject({ evidence: 'segments', scheme: 'raw', size: 300_000 });
    expect(j.segments).toEqual(['disk.001', 'disk.002', 'disk.003']);
    // What the log reported is hashed too, and agrees: the concatenation is the media.
    expect(j.digests).toEqual({ sha256: hash('sha256', image), md5, sha1 });
    const body = await registrationBody(j.exhibitId);
    expect(body['reported']).toEqual({
      tool: 'ewfacquire',
      version: '20140608',
      digests: { md5: bin(md5), sha1: bin(sha1) },
      log: bin(hash('sha256', readFileSync(log))),
    });
    const v = await verifyFile(j.exhibit, join(raw, 'disk.001'));
    expect(v.code, JSON.stringify(v.problems)).toBe(0);

    const wrong = join(dir, 'disk-wrong.log');
    writeFileSync(wrong, ewfacquireLog(`${md5.slice(0, 31)}${md5.endsWith('0') ? '1' : '0'}`, sha1));
    const all = ['disk.001', 'disk.002', 'disk.003'].map((s) => join(raw, s));
    await expectRefused([
      registerArgs(all, 'RAW-02', ['--import-log', wrong, '--allow-duplicate']),
      {
        exit: 3,
        code: 'REHASH_MISMATCH',
        message:
          /the concatenated segments: its md5 is [0-9a-f]{32}, but ewfacquire 20140608 .* nothing was registered/,
      },
    ]);
  });

  it('an E01 set: registered, its media digests recorded as reported, not verified', async () => {
    const ewf = join(dir, 'ewf');
    mkdirSync(ewf);
    for (const s of ['x.E01', 'x.E02', 'x.E03']) writeFileSync(join(ewf, s), randomBytes(4096));
    const log = join(dir, 'x-ewfacquire.log');
    writeFileSync(log, ewfacquireLog(hash('md5', 'media'), hash('sha1', 'media')));
    const r = await ok(registerArgs([join(ewf, 'x.E01')], 'E01-01', ['--import-log', log]), { ledger });
    expect(r.stdout.trim()).toMatch(EXHIBIT_ID);
    expect(r.stderr).toContain('an E01 set of 3 segments (x.E01 …)');
    expect(r.stderr).toContain('digests reported by ewfacquire 20140608 recorded beside them');
    expect(r.stderr).toContain(
      "note: the media digests ewfacquire 20140608 reported are recorded as reported: an E01 container is compressed, so custody records the containers' digests and cannot verify the media's",
    );
  });

  it('a damaged acquisition log is refused, nothing registered', async () => {
    const ewf = join(dir, 'ewf-damaged');
    mkdirSync(ewf);
    for (const s of ['x.E01', 'x.E02']) writeFileSync(join(ewf, s), randomBytes(1000));
    const truncated = join(dir, 'truncated.log');
    writeFileSync(
      truncated,
      ewfacquireLog(hash('md5', 'm'), hash('sha1', 'm')).split('ewfacquire: SUCCESS')[0]!,
    );
    const short = join(dir, 'short-digest.log');
    writeFileSync(short, ewfacquireLog('1234', hash('sha1', 'm')));
    const manifests = readdirSync(`${ledger}.manifests`);
    await expectRefused(
      [
        registerArgs([join(ewf, 'x.E01')], 'E01-02', ['--import-log', truncated]),
        { exit: 2, code: 'ACQUISITION_LOG_INVALID', message: 'ewfacquire output: truncated' },
      ],
      [
        registerArgs([join(ewf, 'x.E01')], 'E01-02', ['--import-log', short]),
        {
          exit: 2,
          code: 'ACQUISITION_LOG_INVALID',
          message: 'ewfacquire output, line 6: the MD5 value has 4 hex digits, expected 32',
        },
      ],
    );
    expect(readdirSync(`${ledger}.manifests`)).toEqual(manifests);
  });
});

describe('a hashdeep file', () => {
  it.skipIf(!HASHDEEP)(`of a single file: registered when it agrees${noHashdeep}`, async () => {
    const file = join(dir, 'phone.bin');
    writeFileSync(file, randomBytes(5000));
    const list = join(dir, 'phone.hashdeep');
    writeFileSync(list, execFileSync('hashdeep', ['-c', 'md5,sha256', file]));
    const j = await registered([file], 'PHONE-01', ['--import-log', list]);
    expect(j.evidence).toBe('file');
    expect(j.digests['md5']).toBe(hash('md5', readFileSync(file)));
    const body = await registrationBody(j.exhibitId);
    expect(body['reported']).toMatchObject({ tool: 'hashdeep', version: 'HASHDEEP-1.0' });
  });

  it.skipIf(!HASHDEEP)(
    `of a folder: registered when every file agrees, refused when one changed${noHashdeep}`,
    async () => {
      const folder = join(dir, 'hd-export');
      mkdirSync(join(folder, 'sub'), { recursive: true });
      // The same name at two depths: rows are matched by their whole relative path.
      writeFileSync(join(folder, 'notes.txt'), 'top');
      writeFileSync(join(folder, 'sub', 'notes.txt'), 'nested');
      writeFileSync(join(folder, 'sub', 'photo.jpg'), randomBytes(2000));
      const absolute = join(dir, 'hd-absolute.hashdeep');
      writeFileSync(absolute, execFileSync('hashdeep', ['-r', folder]));
      const relative = join(dir, 'hd-relative.hashdeep');
      writeFileSync(relative, execFileSync('hashdeep', ['-r', '-l', '.'], { cwd: folder }));
      const j = await registered([folder], 'HD-01', ['--import-log', absolute]);
      expect(j.entries).toBe(3);
      await registered([folder], 'HD-02', ['--import-log', relative, '--allow-duplicate']);

      writeFileSync(join(folder, 'sub', 'notes.txt'), 'nesteD');
      await expectRefused([
        registerArgs([folder], 'HD-03', ['--import-log', relative]),
        {
          exit: 3,
          code: 'REHASH_MISMATCH',
          message: /^custody: sub\/notes\.txt: its (md5|sha256) is [0-9a-f]+, but hashdeep HASHDEEP-1\.0 /,
        },
      ]);
    },
  );

  it('listing only MD5 is still checked (the MD5 is computed to compare)', async () => {
    const file = join(dir, 'card.bin');
    writeFileSync(file, randomBytes(3000));
    const list = (md5: string) =>
      `%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n## Invoked from: ${dir}\n## \n3000,${md5},${file}\n`;
    const wrong = join(dir, 'card-wrong.hashdeep');
    writeFileSync(wrong, list('0'.repeat(32)));
    await expectRefused([
      registerArgs([file], 'CARD-01', ['--import-log', wrong]),
      {
        exit: 3,
        code: 'REHASH_MISMATCH',
        message: `but hashdeep HASHDEEP-1.0 (${wrong}) reported ${'0'.repeat(32)}`,
      },
    ]);
    const right = join(dir, 'card.hashdeep');
    writeFileSync(right, list(hash('md5', readFileSync(file))));
    const j = await registered([file], 'CARD-01', ['--import-log', right]);
    expect(j.digests['md5']).toBe(hash('md5', readFileSync(file)));
  });
  it("of a split raw set's segments: each segment against its row", async () => {
    const set = join(dir, 'hd-raw');
    mkdirSync(set);
    const segments = ['sd.001', 'sd.002'].map((n) => {
      const bytes = randomBytes(2000);
      writeFileSync(join(set, n), bytes);
      return { n, md5: hash('md5', bytes), sha256: hash('sha256', bytes) };
    });
    const list = (rows: typeof segments) =>
      `%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n## \n${rows.map((r) => `2000,${r.md5},${r.sha256},${join(set, r.n)}`).join('\n')}\n`;
    const wrong = join(dir, 'sd-wrong.hashdeep');
    writeFileSync(wrong, list([segments[0]!, { ...segments[1]!, sha256: hash('sha256', 'other') }]));
    await expectRefused([
      registerArgs([join(set, 'sd.001')], 'SD-01', ['--import-log', wrong]),
      { exit: 3, code: 'REHASH_MISMATCH', message: /^custody: sd\.002: its sha256 is / },
    ]);
    const right = join(dir, 'sd.hashdeep');
    writeFileSync(right, list(segments));
    const j = await registered([join(set, 'sd.001')], 'SD-01', ['--import-log', right]);
    expect(j.segments).toEqual(['sd.001', 'sd.002']);
  });
});

describe('a block device', () => {
  // A loop device over a small file, attached read-only for this test and detached after it;
  // where losetup is not allowed (not root, no loop devices in a container) the test is skipped,
  // saying why.
  it('a loop device is registered as a device, read-only, and verifies (skipped where losetup is not allowed)', async (ctx) => {
    const image = join(dir, 'usb.img');
    writeFileSync(image, randomBytes(1 << 20));
    let loop: string;
    try {
      loop = execFileSync('losetup', ['--find', '--show', '--read-only', image], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
    } catch (e) {
      ctx.skip(`loop devices are not allowed here: ${(e as Error).message.split('\n')[0]}`);
      return;
    }
    try {
      const j = await registered([loop], 'USB-01');
      expect(j).toMatchObject({ evidence: 'device', resolvedPath: loop, readOnly: true, mounted: false });
      expect(j.size).toBe(1 << 20);
      expect(j.digests['sha256']).toBe(hash('sha256', readFileSync(image)));
      const body = await registrationBody(j.exhibitId);
      expect(body['evidence']).toBe('device');
      expect(body['device']).toMatchObject({ readOnly: 'yes', mounted: 'no' });
      const v = await verifyFile(j.exhibit, loop);
      expect(v.code, JSON.stringify(v.problems)).toBe(0);
    } finally {
      execFileSync('losetup', ['-d', loop]);
    }
  });
});

describe('identifiers and seal photographs', () => {
  it('records an identifier as a commitment, never in clear, and the photographs by SHA-256', async () => {
    const file = join(dir, 'handset.bin');
    writeFileSync(file, randomBytes(4000));
    const photos = ['seal-front.jpg', 'seal-back.jpg'].map((n) => join(dir, n));
    for (const p of photos) writeFileSync(p, randomBytes(1000));
    const j = await registered([file], 'HANDSET-01', [
      '--identifier',
      'IMEI 356938035643809',
      '--identifier',
      'serial R58M12ABCDE',
      '--photo',
      photos[0]!,
      '--photo',
      photos[1]!,
    ]);
    const body = await registrationBody(j.exhibitId);
    expect(body['identifiers']).toBeInstanceOf(Uint8Array);
    expect((body['identifiers'] as Uint8Array).length).toBe(32);
    expect((body['photos'] as Uint8Array[]).map(hex)).toEqual(
      photos.map((p) => hash('sha256', readFileSync(p))),
    );

    // Every byte the ledger keeps: the label is there in clear, the identifiers are not.
    const files = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)],
      );
    const kept = [...files(ledger), ...files(`${ledger}.manifests`)].filter((f) => statSync(f).isFile());
    const holding = (s: string) => kept.filter((f) => readFileSync(f).includes(Buffer.from(s)));
    expect(holding('HANDSET-01').length).toBeGreaterThan(0);
    expect(holding('356938035643809')).toEqual([]);
    expect(holding('R58M12ABCDE')).toEqual([]);
  });
});

describe('bad input', () => {
  it('is refused in one line with its exit code, and nothing appended', async () => {
    const fifo = join(dir, 'evidence.fifo');
    execFileSync('mkfifo', [fifo]);
    const mixed = join(dir, 'mixed');
    mkdirSync(mixed);
    for (const s of ['case.E01', 'case.002']) writeFileSync(join(mixed, s), randomBytes(100));
    const gap = join(dir, 'gap');
    mkdirSync(gap);
    for (const s of ['img.001', 'img.002', 'img.004']) writeFileSync(join(gap, s), randomBytes(100));
    await expectRefused(
      [
        registerArgs([fifo], 'BAD-01'),
        { exit: 2, code: 'EVIDENCE_UNSUPPORTED', message: 'is neither a file, a folder nor a block device' },
      ],
      [
        registerArgs([join(dir, 'not-there.E01')], 'BAD-01'),
        { exit: 2, code: 'FILE_UNREADABLE', message: 'ENOENT' },
      ],
      [
        registerArgs([join(mixed, 'case.E01'), join(mixed, 'case.002')], 'BAD-01'),
        { exit: 2, code: 'SEGMENTS_INVALID', message: 'are not segments of one set' },
      ],
      [
        [
          'export',
          'HANDSET-01',
          '--out',
          join(dir, 'handset.custody'),
          '--with-manifest',
          '--log-key',
          who.log.key,
          ...exportFor(who.police),
        ],
        { exit: 2, code: 'USAGE', message: 'was registered as a file, which has no manifest' },
      ],
      [
        registerArgs([join(gap, 'img.001')], 'BAD-01'),
        {
          exit: 2,
          code: 'SEGMENTS_INVALID',
          message: 'a gap in the numbering: nothing between img.002 and img.004',
        },
      ],
    );
    expect(existsSync(join(dir, 'handset.custody'))).toBe(false);
  });
});
