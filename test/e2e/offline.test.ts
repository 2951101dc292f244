/**
 * Signing in the field without the ledger, and submitting later (docs/CLI.md
 * §Offline signing), through the built CLI: a registration and its hand-over
 * signed in order with --offline (no ledger is opened: the ledger directory
 * does not even exist on the "field laptop"), submitted in one go, verified;
 * a repeat submit appends nothing; a refusal in the middle stops there and
 * says which; damaged and foreign files append nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  copyLedger,
  custody,
  entryCount,
  evidenceFile,
  expectFailure,
  fixturePerson,
  json,
  ok,
  removeTempDirs,
  tempDir,
  type World,
} from './helpers.js';

let w: World;
let field: string;
let phone: string;
/** The field laptop has no ledger: any command that opened one would fail on this path. */
const NO_LEDGER = '/nonexistent/custody-ledger';

interface OfflineJson {
  offline: string;
  id: string;
  kind: string;
  origin: string;
  exhibit: string;
  exhibitId: string;
  time: string;
}
interface SubmitJson {
  submitted: {
    file: string;
    index: number;
    id: string;
    kind: string;
    exhibit: string | null;
    duplicate: boolean;
    claimedTime: string;
    logTime: string;
  }[];
}

beforeAll(async () => {
  w = await buildWorld('e2e.custody.example/offline');
  field = tempDir('custody-e2e-field-');
  phone = evidenceFile(field, 'PHONE-07.bin');
  // Signed at the seizure, in order, with no connection.
  const reg = await json<OfflineJson>(
    [
      'register',
      phone,
      '--key',
      w.police.key,
      '--case',
      'NL-2026-0042',
      '--exhibit',
      'PHONE-07',
      '--description',
      'Seized phone',
      '--offline',
      join(field, 'reg.cst'),
      '--origin',
      w.origin,
    ],
    { ledger: NO_LEDGER },
  );
  expect(reg).toMatchObject({ kind: 'register', origin: w.origin, offline: join(field, 'reg.cst') });
  const t = await json<OfflineJson>(
    [
      'transfer',
      'PHONE-07',
      '--to',
      w.bka.publicKey,
      '--key',
      w.police.key,
      '--reason',
      'EIO execution',
      '--legal-basis',
      'EIO DE-2026-0042',
      '--offline',
      join(field, 'transfer.cst'),
      '--after',
      join(field, 'reg.cst'),
    ],
    { ledger: NO_LEDGER },
  );
  expect(t.exhibitId).toBe(reg.exhibitId);
});
afterAll(removeTempDirs);

describe('custody … --offline, then custody submit', () => {
  it('a registration and its hand-over signed offline are submitted in one go and verify', async () => {
    const ledger = copyLedger(w.ledger);
    const before = await entryCount(ledger);
    const files = [join(field, 'reg.cst'), join(field, 'transfer.cst')];
    const r = await json<SubmitJson>(['submit', ...files], { ledger });
    expect(r.submitted.map((s) => [s.kind, s.index, s.duplicate])).toEqual([
      ['register', before, false],
      ['transfer', before + 1, false],
    ]);
    // Both times: claimed by the signer in the field, and the log's, later.
    for (const s of r.submitted)
      expect(Date.parse(s.logTime)).toBeGreaterThanOrEqual(Date.parse(s.claimedTime));
    expect(await entryCount(ledger)).toBe(before + 2);
    const show = await json<{ state: string; holder: string }>(['show', 'PHONE-07'], { ledger });
    expect(show.state).toBe('pending');
    const v = await custody(
      ['verify', '--trust', w.authority.key, '--exhibit', 'PHONE-07', '--file', phone],
      {
        ledger,
      },
    );
    expect(v.code, v.stderr).toBe(0);
    // Submitting the same files again appends nothing and says where they are.
    const again = await json<SubmitJson>(['submit', ...files], { ledger });
    expect(again.submitted.map((s) => [s.index, s.duplicate])).toEqual([
      [before, true],
      [before + 1, true],
    ]);
    expect(await entryCount(ledger)).toBe(before + 2);
  });

  it('a refusal in the middle stops there: what came before stays, the rest is not submitted, and it says which', async () => {
    const ledger = copyLedger(w.ledger);
    const before = await entryCount(ledger);
    // The hand-over first: its registration is not in the ledger yet.
    const r = await custody(['submit', join(field, 'transfer.cst'), join(field, 'reg.cst'), '--json'], {
      ledger,
    });
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as {
      ok: false;
      error: { code: string };
      partial: { submitted: unknown[]; refused: { file: string; code: string }; notSubmitted: string[] };
    };
    expect(doc.error.code).toBe('EXHIBIT_UNKNOWN');
    expect(doc.partial.submitted).toEqual([]);
    expect(doc.partial.refused.file).toBe(join(field, 'transfer.cst'));
    expect(doc.partial.notSubmitted).toEqual([join(field, 'reg.cst')]);
    expect(await entryCount(ledger)).toBe(before);
    // In order, from where it stopped, it goes through.
    await ok(['submit', join(field, 'reg.cst'), join(field, 'transfer.cst')], { ledger });
    expect(await entryCount(ledger)).toBe(before + 2);
  });

  it('a damaged, truncated or foreign statement file appends nothing, not even the good files before it', async () => {
    const ledger = copyLedger(w.ledger);
    const before = await entryCount(ledger);
    const good = join(field, 'reg.cst');
    const bytes = readFileSync(good);
    const flipped = join(field, 'flipped.cst');
    const b = Buffer.from(bytes);
    b[b.length - 40]! ^= 0x01;
    writeFileSync(flipped, b);
    const cut = join(field, 'cut.cst');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 7));
    const junk = join(field, 'junk.cst');
    writeFileSync(junk, Buffer.from('not a statement file at all'));
    for (const [file, code] of [
      [
        flipped,
        /^(STATEMENT_SIGNATURE_INVALID|OPENING_INVALID|STATEMENT_FILE_INVALID|STATEMENT_MALFORMED|BODY_SCHEMA)$/,
      ],
      [cut, /^STATEMENT_FILE_INVALID$/],
      [junk, /^STATEMENT_FILE_INVALID$/],
    ] as const) {
      const r = await custody(['submit', good, file], { ledger });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/\[([A-Z_]+)\]\n$/);
      expect(/\[([A-Z_]+)\]\n$/.exec(r.stderr)![1]).toMatch(code);
      expect(r.stderr).toContain(file);
    }
    expect(await entryCount(ledger)).toBe(before);
    // A statement signed for another ledger is refused before anything is appended.
    const other = join(field, 'other-origin.cst');
    await json(
      [
        'register',
        w.evidence,
        '--key',
        w.police.key,
        '--case',
        'X',
        '--exhibit',
        'X-1',
        '--description',
        'x',
        '--offline',
        other,
        '--origin',
        'another.ledger.example/2026',
      ],
      { ledger: NO_LEDGER },
    );
    expectFailure(await custody(['submit', good, other], { ledger }), {
      exit: 3,
      code: 'ORIGIN_MISMATCH',
      message: 'another.ledger.example/2026',
    });
    expect(await entryCount(ledger)).toBe(before);
  });

  it('offline commands refuse what they cannot know, before asking for a passphrase, and never overwrite', async () => {
    const run = (args: string[]) => custody(args, { ledger: NO_LEDGER, env: { CUSTODY_PASSPHRASE: '' } });
    const reg = join(field, 'reg.cst');
    // No --origin for a registration.
    expectFailure(
      await run([
        'register',
        w.evidence,
        '--key',
        w.police.key,
        '--case',
        'C',
        '--exhibit',
        'E',
        '--description',
        'd',
        '--offline',
        join(field, 'x1.cst'),
      ]),
      { exit: 2, code: 'USAGE', message: '--origin' },
    );
    // No --after for a chain statement.
    expectFailure(
      await run([
        'dispose',
        'PHONE-07',
        '--key',
        w.police.key,
        '--method',
        'destroyed',
        '--reason',
        'r',
        '--offline',
        join(field, 'x2.cst'),
      ]),
      { exit: 2, code: 'USAGE', message: '--after' },
    );
    // A receiver by name needs the ledger.
    expectFailure(
      await run([
        'transfer',
        'PHONE-07',
        '--to',
        'KHK K. Müller',
        '--key',
        w.police.key,
        '--reason',
        'r',
        '--offline',
        join(field, 'x3.cst'),
        '--after',
        reg,
      ]),
      { exit: 2, code: 'USAGE', message: 'full key id' },
    );
    // The exhibit argument must be the exhibit of --after.
    expectFailure(
      await run(['accept', 'HDD-01', '--key', w.bka.key, '--offline', join(field, 'x4.cst'), '--after', reg]),
      { exit: 2, code: 'USAGE', message: 'is not the exhibit of' },
    );
    // --after without --offline.
    expectFailure(
      await custody(['accept', 'HDD-01', '--key', w.bka.key, '--after', reg], { ledger: w.ledger }),
      {
        exit: 2,
        code: 'USAGE',
      },
    );
    for (const f of ['x1', 'x2', 'x3', 'x4']) expect(existsSync(join(field, `${f}.cst`))).toBe(false);
    // An existing file is never overwritten.
    const before = readFileSync(join(field, 'transfer.cst'));
    expectFailure(
      await custody(
        [
          'transfer',
          'PHONE-07',
          '--to',
          w.bka.publicKey,
          '--key',
          w.police.key,
          '--reason',
          'r',
          '--legal-basis',
          'b',
          '--offline',
          join(field, 'transfer.cst'),
          '--after',
          reg,
        ],
        { ledger: NO_LEDGER },
      ),
      { exit: 2, code: 'STATEMENT_FILE_EXISTS' },
    );
    expect(readFileSync(join(field, 'transfer.cst'))).toEqual(before);
  });

  it('the authority signs an enrolment offline against a checkpoint, and a chain of governance in order', async () => {
    const ledger = copyLedger(w.ledger);
    const cp = join(field, 'cp.txt');
    writeFileSync(cp, (await ok(['checkpoint', '--log-key', w.log.key], { ledger })).stdout);
    const log = await json<{ entries: { id: string; kind: string }[] }>(['log', '--limit', '1000'], {
      ledger,
    });
    const head = log.entries
      .filter((e) => ['genesis', 'enrol', 'revoke', 'rotate'].includes(e.kind))
      .at(-1)!.id;
    const clerk = fixturePerson(
      field,
      'clerk.key',
      'Greffière A. Petit',
      'FR',
      'Cour d’appel de Paris',
      'court',
    );
    const enrol = join(field, 'enrol.cst');
    const e = await json<OfflineJson>(
      [
        'actor',
        'add',
        '--key',
        w.authority.key,
        '--public-key',
        clerk.publicKey,
        '--name',
        clerk.name,
        '--role',
        'court',
        '--jurisdiction',
        'FR',
        '--org',
        clerk.org,
        '--offline',
        enrol,
        '--after',
        head,
        '--checkpoint',
        cp,
      ],
      { ledger: NO_LEDGER },
    );
    expect(e).toMatchObject({ kind: 'enrol', origin: w.origin });
    // Then its revocation, linked to the enrolment's file: the governance chain signed in order.
    const revoke = join(field, 'revoke.cst');
    await json(
      [
        'actor',
        'revoke',
        clerk.publicKey,
        '--key',
        w.authority.key,
        '--reason',
        'Left',
        '--offline',
        revoke,
        '--after',
        enrol,
        '--checkpoint',
        cp,
      ],
      { ledger: NO_LEDGER },
    );
    const r = await json<SubmitJson>(['submit', enrol, revoke], { ledger });
    expect(r.submitted.map((x) => x.kind)).toEqual(['enrol', 'revoke']);
    const actors = await json<{ actors: { name: string; revoked: boolean }[] }>(['actor', 'list'], {
      ledger,
    });
    expect(JSON.stringify(actors)).toContain(clerk.name);
    const v = await custody(['verify', '--trust', w.authority.key], { ledger });
    expect(v.code, v.stderr).toBe(0);
    // Without a checkpoint, or with --checkpoint online: refused before anything is signed.
    expectFailure(
      await custody(
        [
          'actor',
          'add',
          '--key',
          w.authority.key,
          '--public-key',
          clerk.publicKey,
          '--name',
          'X',
          '--role',
          'court',
          '--jurisdiction',
          'FR',
          '--org',
          'Y',
          '--offline',
          join(field, 'x5.cst'),
          '--after',
          head,
        ],
        { ledger: NO_LEDGER, env: { CUSTODY_PASSPHRASE: '' } },
      ),
      { exit: 2, code: 'USAGE', message: '--checkpoint' },
    );
  });
});
