/**
 * The failure contract, command by command: exit code, one error line
 * `custody: <message> [CODE]` on stderr, no stack trace (unless --debug), and a
 * ledger that is exactly as it was — checked by counting entries afterwards.
 * Also: a damaged ledger directory (payloads, openings, records, entries
 * changed behind the ledger's back), and evidence files that changed after
 * registration.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS } from '../../src/custody/records.js';
import { K } from '../../src/store/log-keys.js';
import { tamperWithPayload } from '../../src/store/log-level.js';
import {
  alteredCopy,
  breakCheckSymbol,
  buildWorld,
  copyLedger,
  custody,
  entryCount,
  expectFailure,
  expectFields,
  fixturePerson,
  initArgs,
  json,
  ok,
  parseJson,
  ROOT,
  randomExhibitId,
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
  modified = alteredCopy(w.evidence, join(w.dir, 'HDD-01-modified.dd'));
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

/** Opens a ledger directory behind the ledger's back, as an insider with write access could. */
async function behindTheBack(ledger: string, change: (db: Level<Uint8Array, Uint8Array>) => Promise<void>) {
  const db = new Level<Uint8Array, Uint8Array>(ledger, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: false,
  });
  await db.open();
  try {
    await change(db);
  } finally {
    await db.close();
  }
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
  problemCount: number;
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

  it('an exhibit id that is well-formed but not in the ledger (short or full), or an unknown label', async () => {
    const { run, unchanged } = fresh();
    const unknown = randomExhibitId();
    const full = randomBytes(32).toString('hex');
    const [show, t, label, v, hex] = await Promise.all([
      run(['show', unknown]),
      custody(['transfer', unknown, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'x'], {
        ledger: copyLedger(w.ledger),
      }),
      custody(['show', 'HDD-99'], { ledger: copyLedger(w.ledger) }),
      custody(['verify', '--exhibit', unknown], { ledger: copyLedger(w.ledger) }),
      custody(['show', full], { ledger: copyLedger(w.ledger) }),
    ]);
    expectFailure(show, {
      exit: 2,
      code: 'EXHIBIT_UNKNOWN',
      message: `no exhibit ${unknown} in this ledger`,
    });
    expectFailure(t, { exit: 2, code: 'EXHIBIT_UNKNOWN' });
    expectFailure(label, { exit: 2, code: 'EXHIBIT_UNKNOWN', message: 'no exhibit with id or label HDD-99' });
    // verify resolves the exhibit on the ledger before verifying: an unknown one is an input error.
    expectFailure(v, { exit: 2, code: 'EXHIBIT_UNKNOWN', message: `no exhibit ${unknown} in this ledger` });
    expectFailure(hex, { exit: 2, code: 'EXHIBIT_UNKNOWN', message: `no exhibit ${full} in this ledger` });
    await unchanged();
  });

  it('a mistyped exhibit id (wrong check symbol) is never taken for another exhibit or a label', async () => {
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

  it('an actor that is not enrolled, by name or id (ACTOR_UNKNOWN)', async () => {
    const { run, unchanged } = fresh();
    const byName = await run([
      'transfer',
      w.exhibit,
      '--to',
      'Nobody',
      '--key',
      w.police.key,
      '--reason',
      'x',
    ]);
    expectFailure(byName, { exit: 2, code: 'ACTOR_UNKNOWN', message: 'no actor with id or name Nobody' });
    // The log key is not a statement key: it cannot receive evidence.
    const logKey = await run([
      'transfer',
      w.exhibit,
      '--to',
      w.log.id,
      '--key',
      w.police.key,
      '--reason',
      'x',
    ]);
    expectFailure(logKey, {
      exit: 2,
      code: 'ACTOR_UNKNOWN',
      message: `no key ${w.log.id} is enrolled in this ledger`,
    });
    const revoke = await run(['actor', 'revoke', 'Nobody', '--key', w.authority.key, '--reason', 'x']);
    expectFailure(revoke, { exit: 2, code: 'ACTOR_UNKNOWN' });
    await unchanged();
  });

  it('a wrong passphrase: one line that says so, no stack trace, the passphrase never echoed', async () => {
    const { ledger, unchanged } = fresh();
    const wrong = 'not-the-passphrase-4711';
    const r = await custody(
      ['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'x'],
      { ledger, passphrase: wrong },
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
    const add = (...o: string[]) => [
      'actor',
      'add',
      '--key',
      w.authority.key,
      '--name',
      'x',
      '--jurisdiction',
      'FR',
      '--org',
      'x',
      ...o,
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
      [['log', '--from', '-1'], 'USAGE', '--from must be a non-negative integer'],
      [
        ['dispose', w.exhibit, '--key', w.police.key, '--method', 'burned', '--reason', 'x'],
        'USAGE',
        '--method must be one of returned, destroyed, archived',
      ],
      [['verify', '--file', w.evidence], 'USAGE', '--file needs --exhibit'],
      [['verify', '--threads', 'many'], 'USAGE', '--threads must be a non-negative integer'],
      [
        ['accept', w.exhibit, '--key', w.nfi.key, '--seal-intact', '--seal-broken'],
        'USAGE',
        'give --seal-intact or --seal-broken, not both',
      ],
      [
        [
          'actor',
          'revoke',
          w.nfi.id,
          '--key',
          w.authority.key,
          '--reason',
          'x',
          '--compromised-since',
          'yesterday',
        ],
        'USAGE',
        '--compromised-since must be a log position',
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
        add('--public-key', 'AAAA', '--role', 'court'),
        'PUBLIC_KEY_INVALID',
        'AAAA is neither a 32-byte public key',
      ],
      [
        add('--public-key', w.evidence, '--role', 'court'),
        'PUBLIC_KEY_INVALID',
        `${w.evidence} is neither a 32-byte public key (base64 or hex) nor a custody key file`,
      ],
      [add('--public-key', w.court.key, '--role', 'judge'), 'ROLE_UNKNOWN', 'unknown role judge'],
      // The authority is the genesis key, and the log a purpose: neither is a role.
      [add('--public-key', w.court.key, '--role', 'authority'), 'ROLE_UNKNOWN', 'unknown role authority'],
      [add('--public-key', w.court.key, '--role', 'log'), 'ROLE_UNKNOWN', 'unknown role log'],
      [
        add('--public-key', w.court.key, '--role', 'court', '--valid-until', '2027-01-01'),
        'TIME_FORMAT_INVALID',
        '--valid-until must be ISO 8601 with a zone',
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

  it('a usage error with a "did you mean" suggestion is still one line', async () => {
    const [opt, cmd] = await Promise.all([custody(['log', '--form', '3']), custody(['shwo', w.exhibit])]);
    expectFailure(opt, {
      exit: 2,
      code: 'USAGE',
      message: "custody: unknown option '--form' (Did you mean --from?) (see custody --help) [USAGE]",
    });
    expectFailure(cmd, { exit: 2, code: 'USAGE', message: "unknown command 'shwo' (Did you mean show?)" });
  });

  it('--debug adds the stack trace after the error line', async () => {
    const { run } = fresh();
    const unknown = randomExhibitId();
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

describe.concurrent('custody init refuses bad input and leaves no ledger behind (exit 2)', () => {
  const origin = 'e2e.custody.example/init';

  it('a log key equal to the authority key (LOG_KEY_IS_AUTHORITY)', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'ledger');
    for (const logKey of [w.authority.key, w.authority.publicKey]) {
      const r = await custody([...initArgs(origin, w.authority, logKey), '--ledger', ledger]);
      expectFailure(r, {
        exit: 2,
        code: 'LOG_KEY_IS_AUTHORITY',
        message: 'the log key must not be the authority key',
      });
      expect(existsSync(ledger)).toBe(false);
    }
  });

  it('an origin that is not printable ASCII without spaces (ORIGIN_INVALID), before any passphrase', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'ledger');
    for (const bad of ['ledger nfi', 'ledger+nfi', 'grüße.example/1', '']) {
      const args = initArgs(bad, w.authority, w.log);
      // No passphrase source at all: the origin is refused before one is needed.
      const r = await custody([...args, '--ledger', ledger], { passphrase: null });
      expectFailure(r, {
        exit: 2,
        code: 'ORIGIN_INVALID',
        message: `--origin ${bad} is not a valid origin`,
      });
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a log key that is no key (PUBLIC_KEY_INVALID), a bad jurisdiction, a ledger that exists', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'ledger');
    const noKey = await custody([
      ...initArgs(origin, w.authority, join(dir, 'missing.key')),
      '--ledger',
      ledger,
    ]);
    expectFailure(noKey, { exit: 2, code: 'PUBLIC_KEY_INVALID' });
    const args = initArgs(origin, w.authority, w.log);
    args[args.indexOf('NL')] = 'Netherlands';
    const badJurisdiction = await custody([...args, '--ledger', ledger]);
    expectFailure(badJurisdiction, {
      exit: 2,
      code: 'BODY_SCHEMA',
      message: 'jurisdiction must be an ISO 3166-1 alpha-2 code',
    });
    expect(readdirSync(dir)).toEqual([]);
    const again = await custody([...initArgs(origin, w.authority, w.log), '--ledger', copyLedger(w.ledger)]);
    expectFailure(again, { exit: 2, code: 'LEDGER_EXISTS', message: 'already exists and is not empty' });
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
      message: 'custody: only the holder may do this [NOT_HOLDER]',
    });
    await unchanged();
  });

  it('a cross-border transfer without --legal-basis (LEGAL_BASIS_MISSING)', async () => {
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
      code: 'LEGAL_BASIS_MISSING',
      message: 'a hand-over across a border names its legal basis',
    });
    await unchanged();
  });

  it('a transfer to oneself (TRANSFER_TO_SELF)', async () => {
    const { run, unchanged } = fresh();
    const r = await run([
      'transfer',
      w.exhibit,
      '--to',
      w.police.name,
      '--key',
      w.police.key,
      '--reason',
      'x',
    ]);
    expectFailure(r, { exit: 3, code: 'TRANSFER_TO_SELF' });
    await unchanged();
  });

  it('an accept by anyone but the named receiver (NOT_RECEIVER); nothing else while in transit', async () => {
    const { ledger, run, unchanged } = fresh();
    await json(['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'exam'], {
      ledger,
    });
    for (const who of [w.bka, w.police]) {
      const r = await run(['accept', w.exhibit, '--key', who.key]);
      expectFailure(r, { exit: 3, code: 'NOT_RECEIVER', message: 'only the named receiver may accept' });
    }
    // While it is in transit, not even the sender may act on it.
    const ex = await run([
      'transfer',
      w.exhibit,
      '--to',
      w.bka.id,
      '--key',
      w.police.key,
      '--reason',
      'x',
      '--legal-basis',
      'E',
    ]);
    expectFailure(ex, { exit: 3, code: 'EXHIBIT_IN_TRANSIT' });
    await unchanged(BASE + 1);
  });

  it('accept, reject or cancel with no hand-over pending (NO_PENDING_TRANSFER)', async () => {
    const { run, unchanged } = fresh();
    const c = await run(['cancel', w.exhibit, '--key', w.police.key, '--reason', 'x']);
    expectFailure(c, { exit: 3, code: 'NO_PENDING_TRANSFER', message: 'there is no hand-over to cancel' });
    const r = await run(['reject', w.exhibit, '--key', w.nfi.key, '--reason', 'x']);
    expectFailure(r, { exit: 3, code: 'NO_PENDING_TRANSFER' });
    await unchanged();
  });

  it('a role the actor does not have (NOT_PERMITTED)', async () => {
    const { run, unchanged } = fresh();
    // The court may hold evidence but not register it; the police may not examine it.
    const r = await run([
      'register',
      evidenceCopy('court.dd'),
      '--key',
      w.court.key,
      '--case',
      'C',
      '--exhibit',
      'L',
      '--description',
      'd',
    ]);
    expectFailure(r, { exit: 3, code: 'NOT_PERMITTED', message: 'only a collector may register evidence' });
    const e = await run(['examine', w.exhibit, '--key', w.police.key, '--action', 'look']);
    expectFailure(e, { exit: 3, code: 'NOT_PERMITTED', message: 'only an examiner may examine' });
    await unchanged();
  });

  it('bytes already registered need --duplicate (DUPLICATE_DIGEST); with it they register', async () => {
    const { ledger, run, unchanged } = fresh();
    const again = ['register', w.evidence, '--key', w.police.key, '--case', 'C-2', '--exhibit', 'HDD-01-B'];
    const r = await run([...again, '--description', 'the same image, seized twice']);
    expectFailure(r, { exit: 3, code: 'DUPLICATE_DIGEST', message: 'these bytes are already registered' });
    await unchanged();
    const d = await json<{ index: number; exhibit: string }>(
      [...again, '--description', 'the same image, knowingly', '--duplicate'],
      { ledger },
    );
    expect(d.index).toBe(BASE);
    expect(d.exhibit).not.toBe(w.exhibit);
    await unchanged(BASE + 1);
  });

  it('a signer that is not enrolled (ACTOR_UNKNOWN), or was revoked (ACTOR_REVOKED)', async () => {
    const { ledger, run, unchanged } = fresh();
    // The log key signs checkpoints, never statements.
    const t = await run(['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.log.key, '--reason', 'x']);
    expectFailure(t, {
      exit: 3,
      code: 'ACTOR_UNKNOWN',
      message: 'the signer is not enrolled in this ledger',
    });
    const rev = await json<{ index: number }>(
      ['actor', 'revoke', w.police.id, '--key', w.authority.key, '--reason', 'key lost'],
      { ledger },
    );
    expect(rev.index).toBe(BASE);
    const r = await run(['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'x']);
    expectFailure(r, {
      exit: 3,
      code: 'ACTOR_REVOKED',
      message: `the signer's key was revoked or retired as of checkpoint ${BASE}`,
    });
    await unchanged(BASE + 1);
  });

  it('a signer whose enrolment has expired (ACTOR_EXPIRED)', async () => {
    const { ledger, run, unchanged } = fresh();
    const p = fixturePerson(tempDir(), 'temp.key', 'Temporary collector', 'NL', 'Politie', 'collector');
    const a = await json<{ index: number }>(
      [
        'actor',
        'add',
        '--key',
        w.authority.key,
        '--public-key',
        p.publicKey,
        '--name',
        p.name,
        '--role',
        'collector',
        '--jurisdiction',
        'NL',
        '--org',
        p.org,
        '--valid-until',
        '2020-01-01T01:00:00+01:00',
      ],
      { ledger },
    );
    expect(a.index).toBe(BASE);
    const list = await json<{ actors: Record<string, unknown>[] }>(['actor', 'list'], { ledger });
    expect(list.actors.find((x) => x['actor'] === p.id)).toMatchObject({
      validUntil: Date.UTC(2020, 0, 1),
      enrolledAt: BASE,
    });
    const r = await run([
      'register',
      evidenceCopy('late.dd'),
      '--key',
      p.key,
      '--case',
      'C',
      '--exhibit',
      'LATE-1',
      '--description',
      'd',
      '--duplicate',
    ]);
    expectFailure(r, { exit: 3, code: 'ACTOR_EXPIRED', message: 'enrolment had expired' });
    await unchanged(BASE + 1);
  });

  it('governance refusals: NOT_REGISTRAR, KEY_IN_USE, ALREADY_REVOKED, CANNOT_REVOKE_AUTHORITY', async () => {
    const { ledger, run, unchanged } = fresh();
    const add = (by: string, publicKey: string) => [
      'actor',
      'add',
      '--key',
      by,
      '--public-key',
      publicKey,
      '--name',
      'Someone',
      '--role',
      'custodian',
      '--jurisdiction',
      'BE',
      '--org',
      'Police fédérale',
    ];
    expectFailure(await run(add(w.police.key, w.court.key)), {
      exit: 3,
      code: 'NOT_REGISTRAR',
      message: 'only the authority or a registrar may do this',
    });
    // An enrolled key, the log key and the authority key are all in use.
    for (const k of [w.court.key, w.log.key, w.authority.key])
      expectFailure(await run(add(w.authority.key, k)), {
        exit: 3,
        code: 'KEY_IN_USE',
        message: 'this public key is already enrolled in this ledger',
      });
    expectFailure(await run(['actor', 'revoke', w.authority.id, '--key', w.authority.key, '--reason', 'x']), {
      exit: 3,
      code: 'CANNOT_REVOKE_AUTHORITY',
      message: 'the authority key is replaced by rotate, not revoked',
    });
    await unchanged();
    await json(['actor', 'revoke', w.bka.name, '--key', w.authority.key, '--reason', 'left'], { ledger });
    expectFailure(await run(['actor', 'revoke', w.bka.id, '--key', w.authority.key, '--reason', 'again']), {
      exit: 3,
      code: 'ALREADY_REVOKED',
    });
    await unchanged(BASE + 1);
  });

  it('an exhibit disposed of: nothing more may happen to it (EXHIBIT_DISPOSED)', async () => {
    const { ledger, run, unchanged } = fresh();
    await json(
      ['dispose', w.exhibit, '--key', w.police.key, '--method', 'destroyed', '--reason', 'order 7'],
      {
        ledger,
      },
    );
    const r = await run(['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'x']);
    expectFailure(r, { exit: 3, code: 'EXHIBIT_DISPOSED' });
    await unchanged(BASE + 1);
  });
});

/** A copy of the registered evidence under another name. */
function evidenceCopy(name: string): string {
  const to = join(tempDir(), name);
  copyFileSync(w.evidence, to);
  return to;
}

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

describe.concurrent('a damaged ledger directory: verify exits 1 and names the entry', () => {
  it('one changed byte in a stored statement: its entry no longer commits to it', async () => {
    const { ledger, run } = fresh();
    await tamperWithPayload(ledger, 5, (p) => {
      const b = Buffer.from(p);
      const i = b.indexOf('HDD-01');
      expect(i).toBeGreaterThan(0);
      b[i + 5] = '7'.charCodeAt(0); // the label HDD-01 becomes HDD-07
      return new Uint8Array(b);
    });
    const r = await run(['verify', '--json', '--trust', w.authority.publicKey]);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: /^custody: verification failed: \d+ problems?, first PAYLOAD_HASH_MISMATCH at entry 5 /,
      stdout: 'any',
    });
    const report = parseJson<Report>(r);
    expect(report.ok).toBe(false);
    for (const p of report.problems) expectFields(p, ['code', 'severity', 'seq', 'exhibit', 'message']);
    expect(report.problems[0]).toMatchObject({ code: 'PAYLOAD_HASH_MISMATCH', severity: 'error', seq: 5 });
    // Nothing before the damaged entry is blamed.
    expect(report.problems.every((p) => p.seq === null || p.seq >= 5)).toBe(true);
    const human = await run(['verify']);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^FAILED: /);
    expect(human.stdout).toContain('PROBLEM PAYLOAD_HASH_MISMATCH at entry 5: ');
  });

  it('a statement that no longer decodes: verify says which; log refuses with exit 4', async () => {
    const { ledger, run } = fresh();
    await tamperWithPayload(ledger, 3, (p) => p.slice(0, 12));
    const r = await run(['verify', '--json']);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'first PAYLOAD_HASH_MISMATCH at entry 3',
      stdout: 'any',
    });
    expect(parseJson<Report>(r).problems[0]).toMatchObject({ code: 'PAYLOAD_HASH_MISMATCH', seq: 3 });
    expectFailure(await run(['log']), { exit: 4, code: 'STORE_CORRUPT', message: 'entry 3 is damaged' });
  });

  it('a changed byte of the sealed cleartext beside a statement: it no longer opens (OPENINGS_MISMATCH)', async () => {
    const { ledger, run } = fresh();
    await behindTheBack(ledger, async (db) => {
      // Openings are sealed (docs/STORAGE.md §Openings): the cleartext is not on disk;
      // flip the last byte of the sealed description (its authentication tag).
      const o = Buffer.from((await db.get(K.openings(5)))!);
      expect(o.includes(Buffer.from('exhibit HDD-01'))).toBe(false);
      o[o.length - 1]! ^= 0x01;
      await db.put(K.openings(5), o, { sync: true });
    });
    const r = await run(['verify', '--json']);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'first OPENINGS_MISMATCH at entry 5',
      stdout: 'any',
    });
    const report = parseJson<Report>(r);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'OPENINGS_MISMATCH', seq: 5, exhibit: w.exhibit }),
    ]);
    expect(report.problems[0]!.message).toContain('description');
  });

  it('a deleted exhibit record is caught (STORE_RECORD_MISSING), though every entry is intact', async () => {
    const { ledger, run } = fresh();
    await behindTheBack(ledger, async (db) => {
      const key = K.record(NS.exhibit, Buffer.from(w.exhibitId, 'hex'));
      expect(key[0]).toBe('R'.charCodeAt(0));
      expect(await db.get(key)).toBeDefined();
      await db.del(key, { sync: true });
    });
    const r = await run(['verify', '--json', '--trust', w.authority.publicKey]);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'verification failed: 1 problem, first STORE_RECORD_MISSING',
      stdout: 'any',
    });
    const report = parseJson<Report & { entries: number; signaturesChecked: number }>(r);
    // problemCount counts the warning too (no witness was asked for).
    expect(report).toMatchObject({ ok: false, entries: BASE, signaturesChecked: BASE, problemCount: 2 });
    expect(report.problems).toEqual([
      {
        code: 'STORE_RECORD_MISSING',
        severity: 'error',
        seq: null,
        exhibit: w.exhibit,
        message: `the exhibit record ${w.exhibitId} is missing from the store`,
      },
    ]);
  });

  it('a deleted entry: ENTRY_MISSING, and nothing after it is taken as checked', async () => {
    const { ledger, run } = fresh();
    await behindTheBack(ledger, async (db) => {
      await db.del(K.entry(3));
      await db.del(K.payload(3));
    });
    const r = await run(['verify', '--json']);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'first ENTRY_MISSING at entry 3',
      stdout: 'any',
    });
    const report = parseJson<Report & { entries: number }>(r);
    expect(report.entries).toBe(3);
    expect(report.problems[0]).toMatchObject({ code: 'ENTRY_MISSING', seq: 3 });
  });
});

describe.concurrent('evidence files that changed after registration', () => {
  it('verify --exhibit X --file F fails with FILE_DIGEST_MISMATCH (exit 1); the original passes', async () => {
    const { run } = fresh();
    const trust = ['--trust', w.authority.publicKey];
    const good = await run(['verify', ...trust, '--exhibit', w.exhibit, '--file', w.evidence]);
    expect(good.code, good.stderr).toBe(0);
    const r = await run(['verify', ...trust, '--exhibit', w.exhibit, '--file', modified, '--json']);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'first FILE_DIGEST_MISMATCH at entry 5',
      stdout: 'any',
    });
    const report = parseJson<Report & { fileChecked: boolean }>(r);
    expect(report).toMatchObject({ ok: false, fileChecked: true });
    expect(report.problems).toEqual([
      {
        code: 'FILE_DIGEST_MISMATCH',
        severity: 'error',
        seq: 5,
        exhibit: w.exhibit,
        message: 'the file does not match the registered md5, sha256',
      },
    ]);
    const human = await run(['verify', '--exhibit', w.exhibit, '--file', modified]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(
      'the file was compared with the registered digests: see the problems below',
    );
    expect(human.stdout).toContain(`PROBLEM FILE_DIGEST_MISMATCH at entry 5 (exhibit ${w.exhibit})`);
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
      index: 7,
      kind: 'accept',
      digestsMatch: false,
    });

    const show = await json<{ holder: string; digestMismatches: number[] }>(['show', w.exhibit], { ledger });
    expect(show).toMatchObject({ holder: w.nfi.id, digestMismatches: [7] });
    const human = await ok(['show', w.exhibit], { ledger });
    expect(human.stdout.split('\n')[1]).toBe('WARNING: digest mismatch recorded at entries 7');

    // The log itself is still consistent: the mismatch is a recorded fact, not a forgery.
    expect((await json<Report>(['verify', '--trust', w.authority.publicKey], { ledger })).ok).toBe(true);

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
    expect(
      (await json<{ digestMismatches: number[] }>(['show', w.exhibit], { ledger })).digestMismatches,
    ).toEqual([7, 8]);
    await unchanged(BASE + 3);
  });

  // For one exhibit, a recorded mismatch or broken seal is the record telling the truth about
  // the evidence: a warning on a record that verifies, and FAILED under --strict (docs/CLI.md
  // §Verdicts). It once failed by default, so a script could not tell it from a forgery.
  it.each([
    ['a digest mismatch', ['--file', 'MODIFIED'], 'DIGEST_MISMATCH_RECORDED'],
    ['a broken seal', ['--seal-broken', '--note', 'bag torn'], 'SEAL_BROKEN_RECORDED'],
  ] as const)(
    'verify --exhibit warns of an exhibit whose receiver recorded %s; --strict fails it',
    async (_what, accept, code) => {
      const { ledger, run } = fresh();
      await json(['transfer', w.exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'exam'], {
        ledger,
      });
      await json(
        ['accept', w.exhibit, '--key', w.nfi.key, ...accept.map((a) => (a === 'MODIFIED' ? modified : a))],
        {
          ledger,
        },
      );
      const args = ['verify', '--trust', w.authority.publicKey, '--exhibit', w.exhibit, '--json'];
      const lenient = await run(args);
      expect(lenient.code, lenient.stderr).toBe(0);
      const report = parseJson<Report & { verdict: string; warnings: Report['problems'] }>(lenient);
      expect(report).toMatchObject({ ok: true, verdict: 'VERIFIED', problems: [] });
      expect(report.warnings).toContainEqual(
        expect.objectContaining({ code, severity: 'warning', seq: 7, exhibit: w.exhibit }),
      );
      const strict = await run([...args, '--strict']);
      expectFailure(strict, {
        exit: 1,
        code: 'VERIFICATION_FAILED',
        message: `verification failed: 1 problem, first ${code} at entry 7`,
        stdout: 'any',
      });
      expect(parseJson<Report>(strict).problems).toEqual([
        expect.objectContaining({ code, severity: 'error', seq: 7, exhibit: w.exhibit }),
      ]);
    },
  );
});
