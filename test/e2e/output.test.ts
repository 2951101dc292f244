/**
 * Output conventions: --json prints exactly one JSON document with the
 * documented fields and nothing else on stdout; results on stdout, notes on
 * stderr; --quiet silences notes; global options go anywhere on the line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPENDED,
  copyLedger,
  custody,
  EXHIBIT_ID,
  enrol,
  evidenceFile,
  expectFailure,
  expectFields,
  expectReceipt,
  fixturePeople,
  GOVERNED,
  initArgs,
  json,
  nonWarnings,
  ok,
  type Person,
  parseJson,
  type Receipt,
  ROOT,
  register,
  removeTempDirs,
  spawnCli,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

const VERIFY = [
  'ok',
  'verdict',
  'anchored',
  'warnings',
  'anchor',
  'origin',
  'entries',
  'head',
  'root',
  'actors',
  'exhibits',
  'signaturesChecked',
  'archived',
  'timestamps',
  'problems',
  'problemCount',
  'trusted',
  'trustedLog',
];

let dir: string;
let ledger: string;
let evidence: string;
let exhibit: string;
type Who = 'authority' | 'log' | 'police' | 'nfi' | 'next';
const who: Record<Who, Person> = {} as Record<Who, Person>;

beforeAll(async () => {
  dir = tempDir('custody-e2e-output-');
  ledger = join(dir, 'ledger');
  Object.assign(
    who,
    fixturePeople(dir, {
      authority: ['Ledger authority', 'NL', 'NFI', ''],
      log: ['Log key', 'NL', 'NFI', ''],
      police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian'],
      nfi: ['Dr. A. Bakker', 'NL', 'NFI', 'custodian,examiner'],
      next: ['Ledger authority 2027', 'NL', 'NFI', ''],
    }),
  );
  await json(initArgs('e2e/output', who.authority, who.log, 'NFI'), { ledger });
  await enrol(ledger, who.authority, who.police);
  await enrol(ledger, who.authority, who.nfi);
  evidence = evidenceFile(dir, 'phone.bin', 4096);
  exhibit = await register(ledger, who.police, evidence, 'PHONE-1');
});

/** Each test works on its own copy of the prepared ledger, so they can run concurrently. */
const fresh = () => copyLedger(ledger);

describe.concurrent('--json', () => {
  it('reject, cancel, actor revoke and authority rotate print the documented fields only', async () => {
    const ledger = fresh();
    const j = <T = Record<string, unknown> & { receipt: Receipt }>(args: string[]) =>
      json<T>(args, { ledger });
    await j(['transfer', exhibit, '--to', who.nfi.id, '--key', who.police.key, '--reason', 'exam']);
    const rej = await j(['reject', exhibit, '--key', who.nfi.key, '--reason', 'not announced']);
    expectFields(rej, APPENDED);
    expect(rej).toMatchObject({ exhibit, kind: 'reject', index: 5 });
    expectReceipt(rej.receipt, 5);
    await j(['transfer', exhibit, '--to', who.nfi.id, '--key', who.police.key, '--reason', 'exam']);
    const can = await j(['cancel', exhibit, '--key', who.police.key, '--reason', 'wrong receiver']);
    expectFields(can, APPENDED);
    expect(can).toMatchObject({ exhibit, kind: 'cancel', index: 7 });
    const show = await j<{ holder: string; state: string }>(['show', exhibit]);
    expect(show).toMatchObject({ holder: who.police.id, state: 'held' });

    const rev = await j([
      'actor',
      'revoke',
      who.nfi.name,
      '--key',
      who.authority.key,
      '--reason',
      'left the service',
      '--compromised-since',
      '6',
    ]);
    expectFields(rev, GOVERNED);
    expect(rev).toMatchObject({ actor: who.nfi.id, index: 8 });
    expectReceipt(rev.receipt, 8);
    const rot = await j(['authority', 'rotate', '--key', who.authority.key, '--new-key', who.next.key]);
    expectFields(rot, [...GOVERNED, 'retired']);
    expect(rot).toMatchObject({ actor: who.next.id, retired: who.authority.id, index: 9 });
    expectReceipt(rot.receipt, 9);
    const actors = await j<{ actors: Record<string, unknown>[] }>(['actor', 'list']);
    const status = Object.fromEntries(actors.actors.map((a) => [a['actor'], a]));
    expect(status[who.nfi.id]).toMatchObject({ status: 'revoked', revokedAt: 8, enrolledAt: 2 });
    // A retired authority key is revoked from the rotation on.
    expect(status[who.authority.id]).toMatchObject({ status: 'revoked', revokedAt: 9, enrolledAt: 0 });
    // The rotation names no person or organisation: a rotated-in key keeps the authority's (genesis) one.
    expect(status[who.next.id]).toMatchObject({
      status: 'active',
      enrolledAt: 9,
      roles: [],
      name: 'NFI authority',
      org: 'NFI',
    });
    expect(status[who.authority.id]).toMatchObject({ name: 'NFI authority', org: 'NFI' });
    expect(status[who.police.id]).toMatchObject({ status: 'active' });
    expect(status[who.police.id]).not.toHaveProperty('revokedAt');

    // The retired key signs nothing more; the new authority governs.
    expectFailure(
      await custody(['actor', 'revoke', who.police.id, '--key', who.authority.key, '--reason', 'x'], {
        ledger,
      }),
      {
        exit: 3,
        code: 'ACTOR_REVOKED',
        message: "the signer's key was revoked or retired as of checkpoint 9",
      },
    );
    const byNew = await j(['actor', 'revoke', who.police.id, '--key', who.next.key, '--reason', 'moved']);
    expect(byNew).toMatchObject({ actor: who.police.id, index: 10 });

    // Either authority key anchors the log: the old one via genesis, the new one via the rotation.
    const vOld = await j<{ anchor: unknown }>(['verify', '--trust', who.authority.publicKey]);
    expectFields(vOld, VERIFY);
    expect(vOld.anchor).toEqual({
      publicKey: who.authority.publicKey,
      actor: who.authority.id,
      via: 'genesis',
      seq: 0,
      role: 'authority',
    });
    const vNew = await j<{ anchor: unknown }>(['verify', '--trust', who.next.key]);
    expect(vNew.anchor).toEqual({
      publicKey: who.next.publicKey,
      actor: who.next.id,
      via: 'rotation',
      seq: 9,
      role: 'authority',
    });
    const vx = await j([
      'verify',
      '--trust',
      who.authority.publicKey,
      '--exhibit',
      exhibit,
      '--file',
      evidence,
    ]);
    expectFields(vx, [...VERIFY, 'exhibit', 'holder', 'state', 'fileChecked']);
    expect(vx).toMatchObject({ exhibit, holder: who.police.id, state: 'held', fileChecked: true });
  });

  it('global options work before or after the command', async () => {
    const ledger = fresh();
    const a = await custody(['--json', '--ledger', ledger, 'exhibits']);
    const b = await custody(['exhibits', '--ledger', ledger, '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout)).toHaveProperty('exhibits');
  });

  it('on failure, the error is one line on stderr, and stdout empty or, with --json, one error document', async () => {
    const ledger = fresh();
    const r = await custody(['show', 'NO-SUCH-LABEL', '--json'], { ledger });
    expectFailure(r, { exit: 2, code: 'EXHIBIT_UNKNOWN', stdout: 'any' });
    expect(parseJson(r)).toEqual({
      ok: false,
      error: { code: 'EXHIBIT_UNKNOWN', message: expect.any(String) },
    });
    const transfer = ['transfer', exhibit, '--to', who.police.id, '--key', who.police.key, '--reason', 'x'];
    const t = await custody([...transfer, '--json'], { ledger });
    expectFailure(t, { exit: 3, code: 'TRANSFER_TO_SELF', stdout: 'any' });
    expect(parseJson<{ error: { code: string } }>(t).error.code).toBe('TRANSFER_TO_SELF');
    expectFailure(await custody(transfer, { ledger }), { exit: 3, code: 'TRANSFER_TO_SELF' });
  });
});

describe.concurrent('human output and --quiet', () => {
  it('register prints the exhibit id on stdout and a note on stderr', async () => {
    const ledger = fresh();
    const file = evidenceFile(dir, 'sim.bin', 100);
    const r = await ok(
      [
        'register',
        file,
        '--key',
        who.police.key,
        '--case',
        'C-2',
        '--exhibit',
        'SIM-1',
        '--description',
        'SIM card',
      ],
      {
        ledger,
      },
    );
    expect(r.stdout.endsWith('\n')).toBe(true);
    expect(r.stdout.slice(0, -1)).toMatch(EXHIBIT_ID);
    expect(r.stderr).toMatch(
      /^registered SIM-1 as exhibit EX-\S+ \(entry \d+\): the file \S+sim\.bin, 100 bytes, sha256 [0-9a-f]{64}\n$/,
    );
  });

  it('--quiet silences notes (stderr empty); warnings and errors still show', async () => {
    const ledger = fresh();
    const file = evidenceFile(dir, 'usb.bin', 100);
    const reg = await ok(
      [
        'register',
        file,
        '--key',
        who.police.key,
        '--case',
        'C-2',
        '--exhibit',
        'USB-1',
        '--description',
        'USB stick',
        '--quiet',
      ],
      {
        ledger,
      },
    );
    expect(reg.stderr).toBe('');
    const log = await ok(['log', '--quiet'], { ledger });
    expect(log.stderr).toBe('');
    const err = await custody(['show', 'NOPE', '--quiet'], { ledger });
    expectFailure(err, { exit: 2, code: 'EXHIBIT_UNKNOWN' });
    const k = await ok(['key', 'new', '--name', 'Q', '--out', join(dir, 'quiet.key'), '--quiet']);
    expect(nonWarnings(k.stderr)).toEqual([]);
  });

  // --quiet is "print only results and errors": a script doing `X=$(custody register … --quiet)`
  // gets the id (a v1 regression test, kept).
  it('--quiet still prints the result (the new exhibit id, the log lines, the verdict line)', async () => {
    const ledger = fresh();
    const file = evidenceFile(dir, 'sd.bin', 100);
    const reg = await custody(
      [
        'register',
        file,
        '--key',
        who.police.key,
        '--case',
        'C-2',
        '--exhibit',
        'SD-1',
        '--description',
        'SD card',
        '--quiet',
      ],
      {
        ledger,
      },
    );
    expect(reg.code).toBe(0);
    expect(reg.stdout.endsWith('\n')).toBe(true);
    expect(reg.stdout.slice(0, -1)).toMatch(EXHIBIT_ID);
    expect(reg.stderr).toBe('');
    const log = await custody(['log', '--quiet'], { ledger });
    expect(log.stdout.trimEnd().split('\n')).toHaveLength(5);
    expect(log.stderr).toBe('');
    const v = await custody(['verify', '--quiet'], { ledger });
    expect(v.code).toBe(6);
    expect(v.stdout).toMatch(
      /^UNANCHORED: e2e\/output — 5 entries, 5 signatures checked, 4 actors, 2 exhibits\n$/,
    );
  });

  // Regression: this used to crash with an unhandled 'error' event (EPIPE), a Node.js stack
  // trace and exit 1; cli/run.ts now ends quietly with exit 0.
  it('a reader that closes stdout early (… | head -1) gets no stack trace, exit 0', async () => {
    const ledger = fresh();
    const child = spawnCli(['show', exhibit], { ledger });
    child.stdout?.destroy(); // like `head` exiting before custody writes
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(code).toBe(0);
  });

  it('--version (the version in package.json), --help and help <command> print to stdout and exit 0', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const [v, vShort, vLate, h, t] = await Promise.all([
      ok(['--version']),
      ok(['-V']),
      ok(['--version', '--ledger', 'anything']), // through the full command tree
      ok(['--help']),
      ok(['help', 'transfer']),
    ]);
    for (const r of [v, vShort, vLate]) {
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
    expect(h.stdout).toMatch(/^Usage: custody \[options\] \[command\]/);
    for (const c of [
      'key',
      'init',
      'actor',
      'authority',
      'register',
      'transfer',
      'accept',
      'reject',
      'cancel',
      'examine',
      'dispose',
      'show',
      'log',
      'exhibits',
      'verify',
      'checkpoint',
      'checkpoints',
      'prove',
      'consistency',
      'witness',
      'export',
      'verify-bundle',
      'report',
      'demo',
    ])
      expect(h.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(t.stdout).toContain('--legal-basis <ref>');
  });
});
