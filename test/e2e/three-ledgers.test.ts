import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, recordPeer, type Side, side, writeTrustManifest } from './federation-helpers.js';
import { custody, evidenceFile, expectFailure, json, removeTempDirs, tempDir } from './helpers.js';
import { startServer } from './server-helpers.js';

const NL = 'ledger.nfi.example/2026';
const DE = 'ledger.bka.example/2026';
const FR = 'ledger.tj-paris.example/2026';

let dir: string;
let nl: Side;
let de: Side;
let fr: Side;
let evidence: string;
/** The court ledger's credential at the other two, which list it among their readers. */
let courtCredential: string;

const keyHex = async (s: Side) =>
  (await json<{ actors: { keyId: string; name: string }[] }>(['actor', 'list'], at(s))).actors.find(
    (a) => a.name === s.actor.name,
  )!.keyId;

const transfer = async (from: Side, to: Side, basis: string[]) =>
  json(
    [
      'transfer',
      'PHONE-01',
      '--to',
      `${to.origin}/${await keyHex(to)}`,
      '--key',
      from.actor.key,
      '--reason',
      'hand-over',
      ...basis,
    ],
    at(from),
  );

beforeAll(async () => {
  dir = tempDir('custody-three-');
  nl = await side(dir, NL, 'NL', 'NFI', ['Insp. J. de Vries', 'collector,custodian']);
  de = await side(dir, DE, 'DE', 'BKA', ['KHK K. Müller', 'custodian,examiner']);
  fr = await side(dir, FR, 'FR', 'Tribunal judiciaire de Paris', ['Greffier P. Martin', 'court']);
  courtCredential = join(dir, 'court-credential.access');
  const k = await json<{ publicKey: string }>([
    'key',
    'new-access',
    '--name',
    'Paris court ledger',
    '--out',
    courtCredential,
  ]);
  const config = join(dir, 'readers.json');
  writeFileSync(config, JSON.stringify({ readers: [{ name: `${FR} (peer)`, publicKey: k.publicKey }] }));
  [nl.server, de.server, fr.server] = await Promise.all([
    startServer(nl.ledger, nl.log.key, ['--config', config]),
    startServer(de.ledger, de.log.key, ['--config', config]),
    startServer(fr.ledger, fr.log.key),
  ]);
  for (const [a, b] of [
    [nl, de],
    [de, nl],
    [de, fr],
    [fr, de],
    [nl, fr],
    [fr, nl],
  ] as const)
    await recordPeer(dir, a, b);
}, 180_000);

afterAll(async () => {
  await Promise.all([nl?.server?.stop(), de?.server?.stop(), fr?.server?.stop()]);
  removeTempDirs();
});

describe('three ledgers, three servers', () => {
  it('seized in NL, examined at the BKA, handed on to the Paris court, every step on its own server', async () => {
    evidence = evidenceFile(dir, 'phone.img');
    await json(
      [
        'register',
        evidence,
        '--key',
        nl.actor.key,
        '--case',
        'NL-2026-0042',
        '--exhibit',
        'PHONE-01',
        '--description',
        'seized phone',
      ],
      at(nl),
    );
    await transfer(nl, de, [
      '--legal-basis',
      'EIO NL-2026-117',
      '--instrument',
      'EIO',
      '--issuing-authority',
      'Staatsanwaltschaft Frankfurt am Main',
      '--executing-authority',
      'Officier van justitie, Amsterdam',
      '--basis-date',
      '2026-02-20',
    ]);
    // Carried by hand as a file as well: what a misdirected import would be.
    await json(['push', 'PHONE-01', '--out', join(dir, 'nl-to-de.crossing')], at(nl));
    await json(['push', 'PHONE-01', '--to-ledger', de.server!.url], at(nl));
    await json(['accept', 'PHONE-01', '--key', de.actor.key, '--file', evidence, '--seal-intact'], at(de));
    await json(['push', 'PHONE-01', '--to-ledger', nl.server!.url], at(de));
    await json(['examine', 'PHONE-01', '--key', de.actor.key, '--action', 'extracted messages'], at(de));
    await transfer(de, fr, [
      '--legal-basis',
      'JIT-2026-017, art. 13',
      '--instrument',
      'JIT',
      '--issuing-authority',
      'Eurojust',
      '--executing-authority',
      'Parquet de Paris',
      '--basis-date',
      '2026-01-12',
    ]);
    await json(['push', 'PHONE-01', '--to-ledger', fr.server!.url], at(de));
    const acc = await json<{ digestsMatch: boolean }>(
      ['accept', 'PHONE-01', '--key', fr.actor.key, '--file', evidence, '--seal-intact'],
      at(fr),
    );
    expect(acc.digestsMatch).toBe(true);
    await json(['push', 'PHONE-01', '--to-ledger', de.server!.url], at(fr));
    const state = async (s: Side) =>
      (await json<{ exhibits: { state: string }[] }>(['exhibits'], at(s))).exhibits[0]?.state;
    expect([await state(nl), await state(de), await state(fr)]).toEqual(['away', 'away', 'held']);
  }, 120_000);

  it('a crossing carried to a ledger it does not name, or carried again, is refused there', async () => {
    const file = join(dir, 'nl-to-de.crossing');
    // NL's hand-over to DE's examiner, carried to the court's ledger instead.
    expectFailure(await custody(['import', file], at(fr)), { exit: 3, code: 'IMPORT_WRONG_RECEIVER' });
    // And to DE again: each crossing is imported once, ever.
    expectFailure(await custody(['import', file], at(de)), { exit: 3, code: 'STATEMENT_DUPLICATE' });
    // Each ledger still verifies against its own authority.
    for (const s of [nl, de, fr]) {
      const pub = (await json<{ publicKey: string }>(['key', 'show', s.authority.key])).publicKey;
      expect((await json<{ ok: boolean }>(['verify', '--trust', pub], at(s))).ok).toBe(true);
    }
  }, 90_000);

  it('the court gathers the whole journey from its own ledger and verifies it against its manifest alone', async () => {
    const journey = join(dir, 'phone.journey');
    const g = await json<{ segments: { origin: string }[] }>(
      [
        'export',
        'PHONE-01',
        '--out',
        journey,
        '--key',
        fr.actor.key,
        '--profile',
        'court',
        '--recipient',
        'Tribunal judiciaire de Paris, 10e chambre',
        '--legal-basis',
        'JIT-2026-017',
        '--gather',
        '--peer-key',
        courtCredential,
      ],
      at(fr),
    );
    // The court's ledger shows the transfer from DE; DE's segment shows NL's.
    expect(g.segments.map((s) => s.origin)).toEqual([DE, NL]);
    const trust = await writeTrustManifest(join(dir, 'trust.json'), [nl, de, fr]);
    type Link = {
      kind: string;
      from: string;
      fromSeq: number | null;
      fromTime: number | null;
      toTime: number | null;
      legalBasis?: string;
    };
    const v = await json<{ verdict: string; journey: { links: Link[] } }>([
      'verify-bundle',
      journey,
      '--trust-policy',
      trust,
      '--file',
      evidence,
    ]);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.journey.links.every((l) => l.fromSeq !== null && l.fromTime !== null && l.toTime !== null)).toBe(
      true,
    );
    // Each border crossing with its legal basis and both sides' times.
    const toCourt = v.journey.links.find((l) => l.kind === 'transfer' && l.from === DE)!;
    expect(toCourt.legalBasis).toBe(
      'JIT JIT-2026-017, art. 13, issued by Eurojust, executed by Parquet de Paris, of 2026-01-12',
    );
    expect(toCourt.toTime!).toBeGreaterThanOrEqual(toCourt.fromTime!);
    const text = await custody(['verify-bundle', journey, '--trust-policy', trust]);
    expect(text.stdout).toContain(
      'legal basis: EIO NL-2026-117, issued by Staatsanwaltschaft Frankfurt am Main',
    );
    // NL and DE each logged what they handed over, for whom.
    for (const s of [nl, de]) {
      const log = await json<{ entries: { kind: string; signerName: string }[] }>(['log'], at(s));
      expect(log.entries.filter((e) => e.kind === 'disclosure')).toEqual([
        expect.objectContaining({ signerName: `the log, for ${FR} (peer)` }),
      ]);
    }
  }, 120_000);
});
