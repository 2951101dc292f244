/**
 * Non-conformities through the built CLI (ISO/IEC 17025:2017 §7.10;
 * docs/CUSTODY-RULES.md §Non-conformities): an accept that found the seal
 * broken and an examination whose re-hash differs each open one; `exhibits
 * --open-issues` and `show` list them; `custody resolve` closes one named by
 * its entry or its statement id (the only one when it names none); a resolve
 * of what is not open, or by someone who may not, is refused with nothing
 * appended; the ledger still verifies; the report, in English and French,
 * says which were resolved, by whom and how, and which are still open; and
 * the same listing and resolving work through a ledger server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alteredCopy,
  buildWorld,
  custody,
  entryCount,
  evidenceFile,
  expectFailure,
  HEX32,
  ISO_UTC,
  json,
  ok,
  removeTempDirs,
  type World,
} from './helpers.js';
import { type Lab, makeLab, type Server, startServer } from './server-helpers.js';

interface Issue {
  kind: string;
  index: number;
  time: string;
  id: string;
}
interface Listed {
  exhibits: { exhibit: string; nonconformities?: Issue[] }[];
}
interface Resolved {
  index: number;
  kind: string;
  exhibit: string;
  issue: Issue;
}

const SEAL_ACTION = 'Bag resealed as NFI-2026-77; contents re-hashed and found unchanged';
const DIGEST_ACTION = 'Working copy discarded; a new one made from the original and verified';

let w: World;
let sealAt: number;
let digestAt: number;
let sealId: string;

const resolveArgs = (key: string, action: string, issue?: string) => [
  'resolve',
  'HDD-01',
  '--action',
  action,
  '--key',
  key,
  ...(issue === undefined ? [] : ['--issue', issue]),
];

beforeAll(async () => {
  w = await buildWorld('e2e.custody.example/nonconformity');
  const l = { ledger: w.ledger };
  await json(['transfer', 'HDD-01', '--to', w.nfi.name, '--key', w.police.key, '--reason', 'examination'], l);
  sealAt = (
    await json<{ index: number }>(
      ['accept', 'HDD-01', '--key', w.nfi.key, '--seal-broken', '--file', w.evidence],
      l,
    )
  ).index;
  const altered = alteredCopy(w.evidence, join(w.dir, 'HDD-01-altered.dd'));
  digestAt = (
    await json<{ index: number }>(
      ['examine', 'HDD-01', '--key', w.nfi.key, '--action', 'imaging', '--file', altered],
      l,
    )
  ).index;
}, 120_000);

afterAll(removeTempDirs);

describe('custody resolve and exhibits --open-issues', () => {
  it('an accept with a broken seal and a re-hash that differs each open one, listed in text and JSON', async () => {
    const l = { ledger: w.ledger };
    const j = await json<Listed>(['exhibits', '--open-issues'], l);
    expect(j.exhibits.map((x) => x.exhibit)).toEqual([w.exhibit]);
    const open = j.exhibits[0]!.nonconformities!;
    expect(open.map((n) => [n.kind, n.index])).toEqual([
      ['seal-broken', sealAt],
      ['digest-mismatch', digestAt],
    ]);
    for (const n of open) {
      expect(n.time).toMatch(ISO_UTC);
      expect(n.id).toMatch(HEX32);
    }
    sealId = open[0]!.id;
    const text = (await ok(['exhibits', '--open-issues'], l)).stdout;
    expect(text).toContain(`open: the broken seal recorded at entry ${sealAt}, at `);
    expect(text).toContain(`open: the digest mismatch recorded at entry ${digestAt}, at `);
    // Without the option the listing is as it was: no non-conformity field.
    const plain = await json<Listed>(['exhibits'], l);
    expect(plain.exhibits[0]).not.toHaveProperty('nonconformities');
    const show = await json<{ nonconformities: Issue[] }>(['show', 'HDD-01'], l);
    expect(show.nonconformities).toEqual(open);
    expect((await ok(['show', 'HDD-01'], l)).stdout).toContain(
      `Open non-conformities (custody resolve closes one):\n  the broken seal recorded at entry ${sealAt}, at `,
    );
  });

  it('with several open and no --issue: a usage error that lists them; nothing appended', async () => {
    const before = await entryCount(w.ledger);
    expectFailure(await custody(resolveArgs(w.nfi.key, SEAL_ACTION), { ledger: w.ledger }), {
      exit: 2,
      code: 'USAGE',
      message: `has 2 open non-conformities: name one with --issue <entry>: the broken seal recorded at entry ${sealAt}; the digest mismatch recorded at entry ${digestAt}`,
    });
    expect(await entryCount(w.ledger)).toBe(before);
  });

  it('resolves one named by its entry, and says which', async () => {
    const r = await ok(resolveArgs(w.nfi.key, SEAL_ACTION, String(sealAt)), { ledger: w.ledger });
    expect(r.stdout).toMatch(
      new RegExp(
        `^resolved the broken seal recorded at entry ${sealAt} on ${w.exhibit} \\(entry \\d+\\)\\n$`,
      ),
    );
    const j = await json<Listed>(['exhibits', '--open-issues'], { ledger: w.ledger });
    expect(j.exhibits[0]!.nonconformities!.map((n) => n.index)).toEqual([digestAt]);
  });

  it('refuses a resolve of what is not open, by id or by entry, with nothing appended (NONCONFORMITY_UNKNOWN)', async () => {
    const l = { ledger: w.ledger };
    const before = await entryCount(w.ledger);
    // Already resolved, named by its statement id: the rules refuse it.
    expectFailure(await custody(resolveArgs(w.nfi.key, SEAL_ACTION, sealId), l), {
      exit: 3,
      code: 'NONCONFORMITY_UNKNOWN',
    });
    // An entry that opened none (the transfer).
    expectFailure(await custody(resolveArgs(w.nfi.key, SEAL_ACTION, String(sealAt - 1)), l), {
      exit: 3,
      code: 'NONCONFORMITY_UNKNOWN',
      message: `entry ${sealAt - 1} opened no open non-conformity of ${w.exhibit}; open: the digest mismatch recorded at entry ${digestAt}`,
    });
    expectFailure(await custody(resolveArgs(w.nfi.key, SEAL_ACTION, 'EX-1'), l), {
      exit: 2,
      code: 'USAGE',
      message: '--issue takes the entry position',
    });
    // The court neither holds it nor has a quality role.
    expectFailure(await custody(resolveArgs(w.court.key, DIGEST_ACTION, String(digestAt)), l), {
      exit: 3,
      code: 'NOT_PERMITTED',
    });
    expect(await entryCount(w.ledger)).toBe(before);
  });

  it('the report lists the resolved one with its action and the open one, in English and in French', async () => {
    const l = { ledger: w.ledger };
    const base = [
      'report',
      'HDD-01',
      '--trust',
      w.authority.publicKey,
      '--quorum',
      '0',
      '--log-key',
      w.log.key,
    ];
    const en = await ok(base, l);
    // The report wraps its lines: compare the words, not the line breaks.
    const words = (s: string) => s.replace(/\s+/g, ' ');
    expect(en.stdout).toContain('\nNon-conformities\n');
    expect(words(en.stdout)).toMatch(
      new RegExp(
        `Entry ${sealAt}, [^a-z]+ UTC: the seal was recorded broken\\. Resolved at entry \\d+, [^,]+, by Dr\\. A\\. Bakker \\(Netherlands Forensic Institute, NL\\): ${SEAL_ACTION}\\.`,
      ),
    );
    expect(words(en.stdout)).toMatch(
      new RegExp(
        `Entry ${digestAt}, [^a-z]+ UTC: a re-computed SHA-256 differed from the registered one\\. OPEN: no resolution is recorded\\.`,
      ),
    );
    const fr = await ok([...base, '--lang', 'fr'], l);
    expect(fr.stdout).toContain('\nNon-conformités\n');
    expect(words(fr.stdout)).toMatch(
      new RegExp(`Entrée ${sealAt}, [^a-z]+ UTC : le scellé a été constaté rompu\\. Résolue à l’entrée \\d+`),
    );
    expect(words(fr.stdout)).toContain('OUVERTE : aucune résolution n’est enregistrée.');
    const j = await json<{
      report: { nonconformities: { rows: { seq: number; open: boolean; action: string | null }[] } };
    }>(base, l);
    expect(j.report.nonconformities.rows).toEqual([
      expect.objectContaining({ seq: sealAt, open: false, action: SEAL_ACTION }),
      expect.objectContaining({ seq: digestAt, open: true, action: null }),
    ]);
  });

  it('without --issue and one open: resolves that one; the list is then empty and the ledger verifies', async () => {
    const l = { ledger: w.ledger };
    const r = await json<Resolved>(resolveArgs(w.nfi.key, DIGEST_ACTION), l);
    expect(r).toMatchObject({
      kind: 'resolve',
      exhibit: w.exhibit,
      issue: { kind: 'digest-mismatch', index: digestAt },
    });
    expect((await json<Listed>(['exhibits', '--open-issues'], l)).exhibits).toEqual([]);
    expect((await ok(['exhibits', '--open-issues'], l)).stderr).toContain(
      'no exhibit has an open non-conformity',
    );
    expect((await json<{ nonconformities: Issue[] }>(['show', 'HDD-01'], l)).nonconformities).toEqual([]);
    expectFailure(await custody(resolveArgs(w.nfi.key, DIGEST_ACTION), l), {
      exit: 3,
      code: 'NONCONFORMITY_UNKNOWN',
      message: `${w.exhibit} has no open non-conformity`,
    });
    const v = await custody(['verify', '--trust', w.authority.key, '--exhibit', 'HDD-01'], l);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toContain('VERIFIED');
  });
});

describe('against a ledger server', () => {
  let lab: Lab;
  let server: Server;
  const as = (who: keyof Lab['access']) => ({
    ledger: server.url,
    env: { CUSTODY_ACCESS_KEY: lab.access[who], CUSTODY_PURPOSE: 'quality control' },
  });

  beforeAll(async () => {
    lab = await makeLab();
    server = await startServer(lab.ledger, lab.people.log.key);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('lists and resolves a non-conformity through --ledger <url>, as on a directory', async () => {
    const p = lab.people;
    const file = evidenceFile(lab.dir, 'phone.bin');
    await json(
      [
        'register',
        file,
        '--key',
        p.police.key,
        '--case',
        'JIT-2026-017',
        '--exhibit',
        'PHONE-01',
        '--description',
        'phone',
      ],
      as('police'),
    );
    await json(
      ['transfer', 'PHONE-01', '--to', p.nfi.id, '--key', p.police.key, '--reason', 'examination'],
      as('police'),
    );
    const accepted = await json<{ index: number }>(
      ['accept', 'PHONE-01', '--key', p.nfi.key, '--seal-broken'],
      as('nfi'),
    );
    const listed = await json<Listed>(['exhibits', '--open-issues'], as('nfi'));
    expect(listed.exhibits.map((x) => x.nonconformities!.map((n) => [n.kind, n.index]))).toEqual([
      [['seal-broken', accepted.index]],
    ]);
    const r = await json<Resolved>(
      ['resolve', 'PHONE-01', '--issue', String(accepted.index), '--action', 'resealed', '--key', p.nfi.key],
      as('nfi'),
    );
    expect(r).toMatchObject({ kind: 'resolve', issue: { kind: 'seal-broken', index: accepted.index } });
    expect((await json<Listed>(['exhibits', '--open-issues'], as('nfi'))).exhibits).toEqual([]);
  }, 120_000);
});
