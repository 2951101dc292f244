/**
 * The failure contract, command by command: exit code, one error line
 * `custody: <message> [CODE]` on stderr, no stack trace (unless --debug), and a
 * ledger that is exactly as it was — checked by counting entries afterwards.
 * Also: evidence files that changed after registration.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exhibitIdFromBytes } from '../../src/format/ids.js';
import { tamperWithEntry } from '../../src/store/level.js';
import {
  breakCheckSymbol,
  buildWorld,
  copyLedger,
  custody,
  entryCount,
  expectFailure,
  expectFields,
  json,
  ok,
  parseJson,
  ROOT,
  removeTempDirs,
  tempDir,
  type World,
} from './helpers.js';

let w: World;
let modified: string;
const BASE = 6; // genesis, four enrolments, one registration

beforeAll(async () => {
  w = await buildWorld();
  expect(await entryCount(w.ledger)).toBe(BASE);
  // The evidence file with one byte changed after registration.
  modified = join(w.dir, 'HDD-01-modified.dd');
  const b = readFileSync(w.evidence);
  b[1000] = (b[1000]! + 1) & 0xff;
  writeFileSync(modified, b);
});
afterAll(removeTempDirs);

/**
 * Every test works on its own copy of the prepared ledger, so the tests can run
 * concurrently (LevelDB lets one process at a time open a ledger).
 */
function fresh() {
  const ledger = copyLedger(w.ledger);
  return {
    ledger,
    run: (args: string[]) => custody(args, { ledger }),
    unchanged: async (n = BASE) => expect(await entryCount(ledger)).toBe(n),
  };
}

interface Problem {
  code: string;
  severity: string;
  seq: number | null;
  exhibit: string | null;
  message: string;
}
interface Report {
  ok: boolean;
  entries: number;
  problems: Problem[];
}

describe.concurrent('input errors: exit 2', () => {
  it('register of a file that does not exist', async () => {
    const { run, unchanged } = fresh();
    const missing = join(w.dir, 'no-such-file.dd');
    const r = await run([
      'register',
      missing,
      '--key',
      w.police.key,
      '--case',
      'C',
      '--exhibit',
      'X-1',
      '--description',
      'd',
    ]);
    expectFailure(r, { exit: 2, code: 'FILE_UNREADABLE', message: `cannot read ${missing}: ENOENT` });
    await unchanged();
  });

  it('an exhibit id that is well-formed but not in the ledger', async () => {
    const { run, unchanged } = fresh();
    const unknown = exhibitIdFromBytes(randomBytes(6));
    const show = await run(['show', unknown]);
    expectFailure(show, {
      exit: 2,
      code: 'EXHIBIT_UNKNOWN',
      message: `no exhibit ${unknown} in this ledger`,
    });
    const t = await run(['transfer', unknown, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'x']);
    expectFailure(t, { exit: 2, code: 'EXHIBIT_UNKNOWN' });
    const label = await run(['show', 'HDD-99']);
    expectFailure(label, { exit: 2, code: 'EXHIBIT_UNKNOWN', message: 'no exhibit with id or label HDD-99' });
    // verify reports it as a problem of the (empty) exhibit scope.
    const v = await run(['verify', '--exhibit', unknown, '--json']);
    expectFailure(v, { exit: 1, code: 'VERIFICATION_FAILED', stdout: 'any' });
    expect(parseJson<Report>(v).problems).toContainEqual(
      expect.objectContaining({ code: 'EXHIBIT_UNKNOWN', exhibit: unknown }),
    );
    await unchanged();
  });

  it('a mistyped exhibit id (wrong check symbol) is never taken for another exhibit', async () => {
    const { run, unchanged } = fresh();
    const typo = breakCheckSymbol(w.exhibit);
    const show = await run(['show', typo]);
    expectFailure(show, { exit: 2, code: 'EXHIBIT_ID_INVALID', message: 'its check symbol does not match' });
    const t = await run(['transfer', typo, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'x']);
    expectFailure(t, { exit: 2, code: 'EXHIBIT_ID_INVALID' });
    const v = await run(['verify', '--exhibit', typo]);
    expectFailure(v, { exit: 2, code: 'EXHIBIT_ID_INVALID', message: `${typo} is not a valid exhibit id` });
    await unchanged();
  });

  it('a wrong passphrase: one line that says so, no stack trace, the passphrase never echoed', async () => {
    const { ledger, unchanged } = fresh();
    const wrong = 'not-the-passphrase-4711';
    const r = await custody(
      ['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'x'],
      {
        ledger,
        passphrase: wrong,
      },
    );
    expectFailure(r, { exit: 2, code: 'KEY_PASSPHRASE_WRONG', message: /passphrase/ });
    expect(r.stderr).not.toContain(wrong);
    await unchanged();
  });

  it('usage errors: unknown command, unknown option, missing option or argument (one line each)', async () => {
    const { ledger, unchanged } = fresh();
    const reg = [
      'register',
      w.evidence,
      '--key',
      w.police.key,
      '--case',
      'C',
      '--exhibit',
      'L',
      '--description',
      'd',
    ];
    const cases: [string[], string, string][] = [
      [['frobnicate'], 'USAGE', "unknown command 'frobnicate'"],
      [['log', '--bogus'], 'USAGE', "unknown option '--bogus'"],
      [
        ['transfer', w.exhibit, '--key', w.police.key, '--reason', 'x'],
        'USAGE',
        "required option '--to <actor>' not specified",
      ],
      [['show'], 'USAGE', "missing required argument 'exhibit'"],
      [['log', '--limit', 'ten'], 'USAGE', '--limit must be a non-negative integer'],
      [
        ['dispose', w.exhibit, '--key', w.police.key, '--method', 'burned', '--reason', 'x'],
        'USAGE',
        '--method must be one of returned, destroyed, archived',
      ],
      [['verify', '--file', w.evidence], 'USAGE', '--file needs --exhibit'],
      [
        ['accept', w.exhibit, '--key', w.nfi.key, '--seal-intact', '--seal-broken'],
        'USAGE',
        'give --seal-intact or --seal-broken, not both',
      ],
      [
        [...reg, '--hash', 'sha3'],
        'DIGEST_UNKNOWN',
        'unknown digest sha3; choose from md5, sha1, sha256, sha512',
      ],
      [
        [...reg, '--seized-at', '2026-03-01T14:30'],
        'TIME_FORMAT_INVALID',
        '--seized-at must be ISO 8601 with a zone',
      ],
      [
        [
          'actor',
          'add',
          '--key',
          w.authority.key,
          '--public-key',
          'AAAA',
          '--name',
          'x',
          '--role',
          'court',
          '--jurisdiction',
          'FR',
          '--org',
          'x',
        ],
        'PUBLIC_KEY_INVALID',
        'AAAA is neither a 32-byte public key',
      ],
      [
        [
          'actor',
          'add',
          '--key',
          w.authority.key,
          '--public-key',
          w.court.key,
          '--name',
          'x',
          '--role',
          'judge',
          '--jurisdiction',
          'FR',
          '--org',
          'x',
        ],
        'ROLE_UNKNOWN',
        'unknown role judge',
      ],
    ];
    // These are all caught before the ledger is opened, so they may run side by side.
    const results = await Promise.all(cases.map(([args]) => custody(args, { ledger })));
    results.forEach((r, i) => {
      const [, code, message] = cases[i]!;
      expectFailure(r, { exit: 2, code, message });
    });
    await unchanged();
  });

  // Regression (cli/main.ts / commander): when commander has a suggestion, its message has a second
  // line, so the error is two lines:
  //   custody: unknown option '--form'
  //   (Did you mean --from?) (see custody --help) [USAGE]
  // The contract is one line `custody: <message> [CODE]`; expected e.g.
  //   custody: unknown option '--form' (did you mean --from?) (see custody --help) [USAGE]
  it('a usage error with a "did you mean" suggestion is still one line', async () => {
    const [opt, cmd] = await Promise.all([custody(['log', '--form', '3']), custody(['shwo', w.exhibit])]);
    expectFailure(opt, { exit: 2, code: 'USAGE', message: "unknown option '--form'" });
    expectFailure(cmd, { exit: 2, code: 'USAGE', message: "unknown command 'shwo'" });
  });

  it('--debug adds the stack trace after the error line', async () => {
    const { run } = fresh();
    const unknown = exhibitIdFromBytes(randomBytes(6));
    for (const args of [
      ['show', unknown, '--debug'],
      ['--debug', 'show', unknown],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^custody: no exhibit .* \[EXHIBIT_UNKNOWN\]$/);
      expect(lines[1]).toMatch(/^CustodyError: no exhibit /);
      expect(lines.length).toBeGreaterThan(2);
      expect(lines.slice(2).every((l) => /^\s+at /.test(l))).toBe(true);
    }
  });
});

describe.concurrent('refused by the custody rules: exit 3, nothing appended', () => {
  it('a transfer by someone who does not hold the exhibit (NOT_HOLDER)', async () => {
    const { run, unchanged } = fresh();
    const r = await run([
      'transfer',
      w.exhibit,
      '--to',
      w.bka.id,
      '--key',
      w.nfi.key,
      '--reason',
      'x',
      '--legal-basis',
      'EIO 1',
    ]);
    expectFailure(r, {
      exit: 3,
      code: 'NOT_HOLDER',
      message: `custody: ${w.nfi.name} (${w.nfi.id}) does not hold exhibit ${w.exhibit} [NOT_HOLDER]`,
    });
    await unchanged();
  });

  it('a cross-border transfer without --legal-basis (LEGAL_BASIS_REQUIRED)', async () => {
    const { run, unchanged } = fresh();
    const r = await run([
      'transfer',
      w.exhibit,
      '--to',
      w.bka.name,
      '--key',
      w.police.key,
      '--reason',
      'joint analysis',
    ]);
    expectFailure(r, {
      exit: 3,
      code: 'LEGAL_BASIS_REQUIRED',
      message: 'a transfer from NL to DE needs a legal basis (MLA, EIO or JIT reference)',
    });
    await unchanged();
  });

  it('an accept by anyone but the named receiver (NOT_RECEIVER)', async () => {
    const { ledger, run, unchanged } = fresh();
    await json(['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'exam'], {
      ledger,
    });
    for (const who of [w.bka, w.police]) {
      const r = await run(['accept', w.exhibit, '--key', who.key]);
      expectFailure(r, {
        exit: 3,
        code: 'NOT_RECEIVER',
        message: `${who.name} (${who.id}) is not the receiver named in the transfer of ${w.exhibit}`,
      });
    }
    // While it is in transit, not even the sender may act on it.
    const ex = await run(['examine', w.exhibit, '--key', w.police.key, '--action', 'look']);
    expectFailure(ex, { exit: 3, code: 'EXHIBIT_IN_TRANSIT' });
    await unchanged(BASE + 1);
  });

  it('a role the actor does not have (ROLE_REQUIRED)', async () => {
    const { run, unchanged } = fresh();
    // The court may hold evidence but not register it.
    const r = await run([
      'register',
      w.evidence,
      '--key',
      w.court.key,
      '--case',
      'C',
      '--exhibit',
      'L',
      '--description',
      'd',
    ]);
    expectFailure(r, {
      exit: 3,
      code: 'ROLE_REQUIRED',
      message: 'registering evidence needs the collector role',
    });
    await unchanged();
  });
});

describe.concurrent('ledger unavailable: exit 4', () => {
  it('no ledger at --ledger, $CUSTODY_LEDGER or ./custody-ledger (LEDGER_NOT_FOUND), and none is created', async () => {
    const nowhere = join(tempDir(), 'nothing-here');
    const message = `no ledger at ${nowhere} (create one with custody init)`;
    const cwd = tempDir();
    const [log, verify, show, transfer, viaEnv, byDefault] = await Promise.all([
      custody(['log', '--ledger', nowhere]),
      custody(['verify', '--ledger', nowhere]),
      custody(['show', w.exhibit, '--ledger', nowhere]),
      custody([
        'transfer',
        w.exhibit,
        '--to',
        w.nfi.id,
        '--key',
        w.police.key,
        '--reason',
        'x',
        '--ledger',
        nowhere,
      ]),
      custody(['exhibits'], { ledger: nowhere }),
      custody(['log'], { cwd }), // the default is ./custody-ledger in the working directory
    ]);
    for (const r of [log, verify, show, transfer, viaEnv])
      expectFailure(r!, { exit: 4, code: 'LEDGER_NOT_FOUND', message });
    expectFailure(byDefault!, {
      exit: 4,
      code: 'LEDGER_NOT_FOUND',
      message: 'no ledger at ./custody-ledger',
    });
    expect(existsSync(nowhere)).toBe(false);
    expect(existsSync(join(cwd, 'custody-ledger'))).toBe(false);
  });

  it('a ledger held open by another process (LEDGER_LOCKED)', async () => {
    const { ledger, run, unchanged } = fresh();
    // Another process opens the LevelDB with the `level` package and keeps it open.
    const holder: ChildProcess = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { Level } from 'level'; const db = new Level(process.argv[1], { createIfMissing: false }); await db.open(); process.stdout.write('locked\\n'); setInterval(() => {}, 1000);",
        ledger,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout?.on('data', (d: Buffer) => {
          if (d.toString().includes('locked')) resolve();
        });
        holder.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
      });
      const message = `custody: ledger is in use by another process (${ledger}) [LEDGER_LOCKED]`;
      for (const args of [
        ['log'],
        ['verify'],
        ['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'x'],
      ])
        expectFailure(await run(args), { exit: 4, code: 'LEDGER_LOCKED', message });
    } finally {
      holder.kill();
      await exited;
    }
    await unchanged();
  });
});

describe.concurrent('a damaged ledger: verify exits 1 and names the entry', () => {
  it('one changed byte in an entry (its signature no longer matches)', async () => {
    const { ledger, run, unchanged } = fresh();
    await tamperWithEntry(ledger, 5, (rec) => {
      const b = Buffer.from(rec);
      const i = b.indexOf('HDD-01');
      expect(i).toBeGreaterThan(0);
      b[i + 5] = '7'.charCodeAt(0); // the label HDD-01 becomes HDD-07
      return new Uint8Array(b);
    });
    const r = await run(['verify', '--json', '--trust', w.authority.publicKey]);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: /^custody: verification failed: \d+ problems?, first SIGNATURE_INVALID at entry 5 /,
      stdout: 'any',
    });
    const report = parseJson<Report>(r);
    expect(report.ok).toBe(false);
    for (const p of report.problems) expectFields(p, ['code', 'severity', 'seq', 'exhibit', 'message']);
    expect(report.problems[0]).toMatchObject({
      code: 'SIGNATURE_INVALID',
      severity: 'error',
      seq: 5,
      exhibit: w.exhibit,
    });
    expect(report.problems.every((p) => p.seq === null || p.seq >= 5)).toBe(true);
    const human = await run(['verify']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^FAILED: /);
    expect(human.stdout).toContain(`PROBLEM SIGNATURE_INVALID at entry 5 (exhibit ${w.exhibit})`);
    await unchanged();
  });

  it('an entry that no longer decodes: verify says which; other commands refuse with exit 4', async () => {
    const { ledger, run } = fresh();
    await tamperWithEntry(ledger, 3, (rec) => rec.slice(0, 12));
    const r = await run(['verify', '--json']);
    expectFailure(r, { exit: 1, code: 'VERIFICATION_FAILED', stdout: 'any' });
    expect(parseJson<Report>(r).problems[0]).toMatchObject({ code: 'RECORD_MALFORMED', seq: 3 });
    expectFailure(await run(['log']), { exit: 4, code: 'STORE_CORRUPT', message: 'entry 3 is damaged' });
  });
});

describe.concurrent('evidence files that changed after registration', () => {
  it('verify --exhibit X --file F fails with FILE_DIGEST_MISMATCH (exit 1); the original passes', async () => {
    const { run, unchanged } = fresh();
    const good = await run(['verify', '--exhibit', w.exhibit, '--file', w.evidence]);
    expect(good.code, good.stderr).toBe(0);
    const r = await run(['verify', '--exhibit', w.exhibit, '--file', modified, '--json']);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'first FILE_DIGEST_MISMATCH at entry 5',
      stdout: 'any',
    });
    const report = parseJson<Report & { fileChecked: boolean }>(r);
    expect(report).toMatchObject({ ok: false, fileChecked: true });
    const mismatches = report.problems.filter((p) => p.code === 'FILE_DIGEST_MISMATCH');
    expect(mismatches.length).toBeGreaterThanOrEqual(1);
    expect(mismatches[0]).toMatchObject({ severity: 'error', seq: 5, exhibit: w.exhibit });
    const human = await run(['verify', '--exhibit', w.exhibit, '--file', modified]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('PROBLEM FILE_DIGEST_MISMATCH at entry 5');
    await unchanged();
  });

  it('accept --file with a modified file is accepted, warns, and records the mismatch', async () => {
    const { ledger, run, unchanged } = fresh();
    await json(['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'exam'], {
      ledger,
    });
    const r = await run(['accept', w.exhibit, '--key', w.nfi.key, '--file', modified, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      'custody: warning: the received file does not match the registered digests; the mismatch is recorded in the ledger\n',
    );
    expect(parseJson<Record<string, unknown>>(r)).toMatchObject({
      seq: 7,
      kind: 'accept',
      digestsMatch: false,
    });

    const show = await json<{ holder: string; digestMismatches: number[] }>(['show', w.exhibit], { ledger });
    expect(show).toMatchObject({ holder: w.nfi.id, digestMismatches: [7] });
    const human = await ok(['show', w.exhibit], { ledger });
    expect(human.stdout.split('\n')[1]).toBe('WARNING: digest mismatch recorded at entries 7');

    // For the exhibit, a recorded mismatch means its integrity can no longer be shown.
    const v = await run(['verify', '--exhibit', w.exhibit, '--json']);
    expectFailure(v, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'DIGEST_MISMATCH_RECORDED at entry 7',
      stdout: 'any',
    });
    // The log itself is still consistent: the mismatch is a recorded fact, not a forgery.
    expect((await json<Report>(['verify'], { ledger })).ok).toBe(true);

    // examine --file by the holder records a mismatch the same way.
    const e = await run([
      'examine',
      w.exhibit,
      '--key',
      w.nfi.key,
      '--action',
      're-hash',
      '--file',
      modified,
    ]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toBe(
      `recorded examination of ${w.exhibit}; WARNING: digest mismatch recorded (entry 8)\n`,
    );
    expect(e.stderr).toBe(
      'custody: warning: the file does not match the registered digests; the mismatch is recorded in the ledger\n',
    );
    await unchanged(BASE + 3);
  });
});
