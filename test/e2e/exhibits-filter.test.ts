/**
 * `custody exhibits --case --holder --state --jurisdiction` (docs/CLI.md §custody exhibits):
 * each filter alone and together, names and ids for --holder, unknown values refused; and
 * `custody log` (docs/CLI.md §custody log) naming each exhibit's label and each signer and
 * enrolled actor as "name (K-…)" where the ledger holds the name, the key id alone where
 * the enrolment's opening is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSeed, signerFromSeed } from '../../src/crypto/ed25519.js';
import { KEY_PURPOSES, KEY_TYPES, statementKeyShort } from '../../src/format/key-id.js';
import { systemClock } from '../../src/ledger/clock.js';
import { compose } from '../../src/ledger/compose.js';
import { DirectLedger } from './direct.js';
import {
  buildWorld,
  custody,
  evidenceFile,
  expectFailure,
  json,
  register,
  removeTempDirs,
  signerOf,
  type World,
} from './helpers.js';

afterAll(removeTempDirs);

interface Listed {
  exhibit: string;
  label: string;
  caseRef: string;
  holder: string;
  holderName: string;
  holderJurisdiction?: string;
  state: string;
}

describe('custody exhibits filters', () => {
  let w: World;
  let disk: string;
  let phone: string;
  const list = async (...filters: string[]) =>
    (await json<{ exhibits: Listed[] }>(['exhibits', ...filters], { ledger: w.ledger })).exhibits
      .map((x) => x.label)
      .sort();

  beforeAll(async () => {
    // HDD-01 (case JIT-2026-017) goes to the BKA in Germany; DISK-02 (same case) stays with
    // the police in NL; PHONE-03 (case Łódź-C2) is pending from the police to the NFI.
    w = await buildWorld('e2e.custody.example/filters');
    const run = (args: string[]) => json(args, { ledger: w.ledger });
    await run([
      'transfer',
      w.exhibit,
      '--to',
      w.bka.id,
      '--key',
      w.police.key,
      '--reason',
      'examination',
      '--legal-basis',
      'EIO DE-2026-0042',
    ]);
    await run(['accept', w.exhibit, '--key', w.bka.key, '--file', w.evidence]);
    disk = await register(w.ledger, w.police, evidenceFile(w.dir, 'disk.bin', 1024), 'DISK-02');
    phone = await json<{ exhibit: string }>(
      [
        'register',
        evidenceFile(w.dir, 'phone.bin', 1024),
        '--key',
        w.police.key,
        '--case',
        'Łódź-C2',
        '--exhibit',
        'PHONE-03',
        '--description',
        'phone',
      ],
      { ledger: w.ledger },
    ).then((j) => j.exhibit);
    await run(['transfer', phone, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'imaging']);
  }, 180_000);

  it('lists everything without a filter, with the holder’s jurisdiction', async () => {
    const all = (await json<{ exhibits: Listed[] }>(['exhibits'], { ledger: w.ledger })).exhibits;
    expect(all.map((x) => x.label).sort()).toEqual(['DISK-02', 'HDD-01', 'PHONE-03']);
    const hdd = all.find((x) => x.label === 'HDD-01')!;
    expect(hdd).toMatchObject({
      holder: w.bka.id,
      holderName: w.bka.name,
      holderJurisdiction: 'DE',
      state: 'held',
    });
    expect(all.find((x) => x.exhibit === disk)?.label).toBe('DISK-02');
  });

  it('filters by case (NFC, in either case), state, jurisdiction and holder', async () => {
    expect(await list('--case', 'jit-2026-017')).toEqual(['DISK-02', 'HDD-01']);
    expect(await list('--case', 'łÓdź-c2')).toEqual(['PHONE-03']);
    expect(await list('--case', 'ŁÓDŹ-C2'.normalize('NFD'))).toEqual(['PHONE-03']);
    expect(await list('--case', 'Lodz-C2')).toEqual([]);
    expect(await list('--case', 'JIT-2026')).toEqual([]);
    expect(await list('--state', 'pending')).toEqual(['PHONE-03']);
    expect(await list('--state', 'held')).toEqual(['DISK-02', 'HDD-01']);
    expect(await list('--state', 'disposed')).toEqual([]);
    expect(await list('--jurisdiction', 'de')).toEqual(['HDD-01']);
    expect(await list('--jurisdiction', 'NL')).toEqual(['DISK-02', 'PHONE-03']);
    expect(await list('--holder', w.bka.name)).toEqual(['HDD-01']);
    expect(await list('--holder', w.police.id)).toEqual(['DISK-02', 'PHONE-03']);
    // Typed decomposed (as a Mac may): the same name.
    expect(await list('--holder', w.bka.name.normalize('NFD'))).toEqual(['HDD-01']);
    expect(await list('--holder', w.nfi.id)).toEqual([]);
  });

  it('applies every filter given', async () => {
    expect(await list('--case', 'JIT-2026-017', '--jurisdiction', 'NL')).toEqual(['DISK-02']);
    expect(await list('--holder', w.police.name, '--state', 'pending')).toEqual(['PHONE-03']);
    const r = await custody(['exhibits', '--case', 'Łódź-C2', '--jurisdiction', 'DE'], { ledger: w.ledger });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no exhibit matches');
    const one = await custody(['exhibits', '--state', 'pending'], { ledger: w.ledger });
    expect(one.stdout).toMatch(
      new RegExp(`^${phone}  pending\\s+PHONE-03\\s+Łódź-C2  held by ${w.police.name}\\n$`),
    );
  });

  it('refuses an unknown state, jurisdiction or holder as a usage error', async () => {
    expectFailure(await custody(['exhibits', '--state', 'lost'], { ledger: w.ledger }), {
      exit: 2,
      code: 'USAGE',
      message: '--state must be one of held, pending, away, disposed',
    });
    expectFailure(await custody(['exhibits', '--jurisdiction', 'XX'], { ledger: w.ledger }), {
      exit: 2,
      code: 'USAGE',
      message: '--jurisdiction XX',
    });
    expectFailure(await custody(['exhibits', '--holder', 'Nobody at all'], { ledger: w.ledger }), {
      exit: 2,
      code: 'ACTOR_UNKNOWN',
    });
  });
});

interface LogJson {
  size: number;
  entries: {
    index: number;
    kind: string;
    signer: string;
    signerName: string;
    signerShown: string;
    exhibit?: string;
    label?: string;
    caseRef?: string;
    actor?: string;
    actorShown?: string;
  }[];
}

describe('custody log names', () => {
  it('shows labels, and names where the ledger holds them in clear, else the key id', async () => {
    const w = await buildWorld('e2e.custody.example/log-names');
    // An actor enrolled without the opening of its name (as after an erasure, or an enrolment
    // submitted without its cleartext), who then registers an exhibit.
    const seed = randomSeed();
    const ghost = signerFromSeed(seed);
    const ghostId = statementKeyShort(ghost.publicKey);
    const d = await DirectLedger.at(w.ledger, 'open');
    try {
      const rec = await d.view.ledger();
      const enrol = compose({
        kind: 'enrol',
        origin: rec.origin,
        signer: signerOf(w.authority),
        fields: {
          key: [KEY_TYPES.ed25519, ghost.publicKey],
          purpose: KEY_PURPOSES.statement,
          roles: ['collector', 'custodian'],
          jurisdiction: 'NL',
          name: 'Unseen Officer',
          org: 'Politie',
        },
        after: rec.head,
        seen: await d.view.seen(),
        clock: systemClock,
      });
      await d.ledger.submit(enrol.bytes);
      await d.register(ghost, {
        label: 'GHOST-01',
        caseRef: 'C-9',
        description: 'unnamed',
        size: 3,
        digests: { sha256: new Uint8Array(32).fill(7) },
      });
    } finally {
      await d.close();
    }
    const log = await json<LogJson>(['log', '--limit', '100'], { ledger: w.ledger });
    const genesis = log.entries[0]!;
    expect(genesis.signerShown).toBe(`Netherlands Forensic Institute authority (${w.authority.id})`);
    const enrolPolice = log.entries.find((e) => e.kind === 'enrol' && e.actor === w.police.id)!;
    expect(enrolPolice.actorShown).toBe(`${w.police.name} (${w.police.id})`);
    const hdd = log.entries.find((e) => e.kind === 'register' && e.exhibit === w.exhibit)!;
    expect(hdd).toMatchObject({
      label: 'HDD-01',
      caseRef: 'JIT-2026-017',
      signer: w.police.id,
      signerName: w.police.name,
      signerShown: `${w.police.name} (${w.police.id})`,
    });
    const ghostEnrol = log.entries.find((e) => e.kind === 'enrol' && e.actor === ghostId)!;
    expect(ghostEnrol.actorShown).toBe(ghostId);
    const ghostReg = log.entries.find((e) => e.kind === 'register' && e.label === 'GHOST-01')!;
    // Backward compatible: signerName reads as before ("withheld"); signerShown keeps the id.
    expect(ghostReg).toMatchObject({ signer: ghostId, signerName: 'withheld', signerShown: ghostId });
    const text = await custody(['log', '--limit', '100'], { ledger: w.ledger });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(`register\\s+${w.exhibit} HDD-01\\s+${w.police.name} \\(${w.police.id}\\)\\n`),
    );
    expect(text.stdout).toMatch(
      new RegExp(`enrol\\s+enrols ${ghostId}\\s+Netherlands Forensic Institute authority`),
    );
    expect(text.stdout).toMatch(new RegExp(`register\\s+EX-\\S+ GHOST-01\\s+${ghostId}\\n`));
  }, 120_000);
});
