/**
 * A complete cross-border case typed at the command line: keys, a ledger,
 * enrolment in three jurisdictions, registration with three digests, hand-overs
 * NL → NL → DE → FR under a legal basis, an examination and a derived working
 * copy, the queries, verification against the pinned authority key, disposal.
 * The steps run in order and share the ledger.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  copyLedger,
  custody,
  enrol,
  evidenceFile,
  expectFailure,
  expectFields,
  json,
  makePeople,
  ok,
  type Person,
  type RunOptions,
  removeTempDirs,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

const EXHIBIT_ID = /^EX-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
const ACTOR_ID = /^K-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
const HEX32 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const EIO = 'EIO DE-2026-0042 (Directive 2014/41/EU)';
const JIT = 'JIT agreement NL-DE-FR 2026/01';

interface Appended {
  seq: number;
  leafHash: string;
  exhibit: string;
  kind: string;
  digestsMatch?: boolean;
}
interface ShowJson {
  exhibit: string;
  label: string;
  caseRef: string;
  holder: string;
  state: string;
  parent: string | null;
  digestMismatches: number[];
  events: {
    seq: number;
    kind: string;
    time: string;
    tz: string;
    actor: string;
    actorName: string;
    jurisdiction: string;
    org: string;
    derived?: string;
    details: Record<string, string>;
  }[];
  periods: {
    holder: string;
    status: string;
    from: string;
    until: string | null;
    to?: string;
    legalBasis?: string;
  }[];
}

describe('a cross-border case through the CLI', () => {
  let dir: string;
  let ledger: string;
  let opts: RunOptions;
  let p: Record<'authority' | 'police' | 'nfi' | 'bka' | 'court', Person>;
  let evidence: string;
  let copy: string;
  let exhibit: string;
  let derived: string;
  let size = 0;
  const run = (args: string[]) => custody(args, opts);
  const j = <T = Appended>(args: string[]) => json<T>(args, opts);
  /**
   * The read-only steps run side by side, each on its own copy of the ledger
   * (LevelDB lets one process at a time open a ledger).
   */
  const onCopy = () => {
    const o: RunOptions = { ...opts, ledger: copyLedger(ledger) };
    return {
      run: (args: string[]) => custody(args, o),
      ok: (args: string[]) => ok(args, o),
      j: <T = Appended>(args: string[]) => json<T>(args, o),
    };
  };

  beforeAll(async () => {
    dir = tempDir('custody-e2e-case-');
    ledger = join(dir, 'ledger');
    // Signers record their zone: entries made here say Europe/Amsterdam.
    opts = { ledger, env: { TZ: 'Europe/Amsterdam' } };
    p = await makePeople(dir);
    evidence = evidenceFile(dir, 'HDD-01.dd', 300_000);
  });

  it('init creates the ledger, signed by the authority key', async () => {
    const r = await j<{ seq: number; leafHash: string; origin: string; authority: string; ledger: string }>([
      'init',
      '--origin',
      'ledger.nfi.example/2026',
      '--jurisdiction',
      'nl',
      '--org',
      p.authority.org,
      '--key',
      p.authority.key,
    ]);
    expectFields(r, ['seq', 'leafHash', 'origin', 'authority', 'ledger']);
    expect(r).toMatchObject({ seq: 0, origin: 'ledger.nfi.example/2026', authority: p.authority.id, ledger });
    expect(r.leafHash).toMatch(HEX32);
  });

  it('actor add enrols four actors in three jurisdictions (public key as base64 or key file)', async () => {
    const a1 = await enrol(ledger, p.authority, p.police); // base64
    expectFields(a1, ['actor', 'seq', 'leafHash']);
    expect(a1).toMatchObject({ actor: p.police.id, seq: 1 });
    const a2 = await enrol(ledger, p.authority, p.nfi, p.nfi.key); // key file path
    expect(a2).toMatchObject({ actor: p.nfi.id, seq: 2 });
    // (hex would be the third documented form, but it is broken: see the regression test at the end)
    const a3 = await enrol(ledger, p.authority, p.bka, p.bka.publicKey);
    expect(a3).toMatchObject({ actor: p.bka.id, seq: 3 });
    // The human form names the actor and the entry.
    const r = await ok(
      [
        'actor',
        'add',
        '--key',
        p.authority.key,
        '--public-key',
        p.court.key,
        '--name',
        p.court.name,
        '--role',
        'court',
        '--jurisdiction',
        'fr',
        '--org',
        p.court.org,
      ],
      opts,
    );
    expect(r.stdout).toBe(
      `enrolled ${p.court.name} as ${p.court.id} (court; ${p.court.org}, FR) at entry 4\n`,
    );
  });

  it('actor list shows all five, active, with their public keys', async () => {
    const r = await j<{ actors: Record<string, unknown>[] }>(['actor', 'list']);
    expectFields(r, ['actors']);
    expect(r.actors).toHaveLength(5);
    for (const a of r.actors)
      expectFields(a, [
        'actor',
        'name',
        'roles',
        'jurisdiction',
        'org',
        'publicKey',
        'enrolledSeq',
        'status',
      ]);
    const byId = new Map(r.actors.map((a) => [a['actor'], a]));
    for (const who of ['authority', 'police', 'nfi', 'bka', 'court'] as const) {
      const a = byId.get(p[who].id)!;
      expect(a['publicKey']).toBe(p[who].publicKey);
      expect(a['status']).toBe('active');
      expect(a['jurisdiction']).toBe(p[who].jurisdiction);
    }
    expect(byId.get(p.authority.id)!['roles']).toEqual(['authority', 'log']);
    expect(byId.get(p.police.id)!['roles']).toEqual(['collector', 'custodian']);
    expect(new Set(r.actors.map((a) => a['jurisdiction']))).toEqual(new Set(['NL', 'DE', 'FR']));
    const human = await ok(['actor', 'list'], opts);
    expect(human.stdout.trim().split('\n')).toHaveLength(5);
    expect(human.stdout).toContain(
      `${p.bka.id}  active   DE  ${p.bka.name} — ${p.bka.org} [custodian, examiner]`,
    );
  });

  it('register hashes the file with sha256, sha1 and md5 (equal to node:crypto)', async () => {
    const r = await j<Appended & { size: number; digests: Record<string, string> }>([
      'register',
      evidence,
      '--key',
      p.police.key,
      '--case',
      'JIT-2026-017 / NL-AMS-4471',
      '--exhibit',
      'HDD-01',
      '--description',
      'Image of the seized laptop disk',
      '--hash',
      'sha256,sha1,md5',
      '--seal',
      'NL-0041187',
      '--location',
      'Damrak 70, Amsterdam',
      '--seized-at',
      '2026-03-01T14:30:00+01:00',
    ]);
    expectFields(r, ['seq', 'leafHash', 'exhibit', 'kind', 'size', 'digests']);
    const bytes = readFileSync(evidence);
    size = bytes.length;
    const want = Object.fromEntries(
      ['sha256', 'sha1', 'md5'].map((a) => [a, createHash(a).update(bytes).digest('hex')]),
    );
    expect(r.digests).toEqual(want);
    expect(r).toMatchObject({ seq: 5, kind: 'register', size });
    expect(r.exhibit).toMatch(EXHIBIT_ID);
    expect(r.leafHash).toMatch(HEX32);
    exhibit = r.exhibit;
  });

  it('transfer within NL needs no legal basis; accept --file --seal-intact re-hashes and matches', async () => {
    const t = await j([
      'transfer',
      'HDD-01', // by label
      '--to',
      p.nfi.name, // by name
      '--key',
      p.police.key,
      '--reason',
      'forensic examination',
      '--method',
      'in person, sealed bag',
      '--seal',
      'NL-0041187',
    ]);
    expectFields(t, ['seq', 'leafHash', 'exhibit', 'kind']);
    expect(t).toMatchObject({ seq: 6, exhibit, kind: 'transfer' });
    const a = await j([
      'accept',
      exhibit.toLowerCase().replaceAll('-', ''), // ids are accepted in any case, hyphens optional
      '--key',
      p.nfi.key,
      '--file',
      evidence,
      '--seal-intact',
      '--note',
      'received in good order',
    ]);
    expectFields(a, ['seq', 'leafHash', 'exhibit', 'kind', 'digestsMatch']);
    expect(a).toMatchObject({ seq: 7, exhibit, kind: 'accept', digestsMatch: true });
  });

  it('examine --file records the examination; register --parent derives a working copy', async () => {
    const e = await j([
      'examine',
      exhibit,
      '--key',
      p.nfi.key,
      '--action',
      'verified image',
      '--tool',
      'Hansken 2026.3',
      '--file',
      evidence,
    ]);
    expect(e).toMatchObject({ seq: 8, kind: 'examine', digestsMatch: true });
    copy = join(dir, 'HDD-01-WC1.dd');
    const bytes = readFileSync(evidence);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(copy, bytes);
    const r = await j<Appended & { digests: Record<string, string> }>([
      'register',
      copy,
      '--key',
      p.nfi.key,
      '--case',
      'JIT-2026-017 / NL-AMS-4471',
      '--exhibit',
      'HDD-01-WC1',
      '--description',
      'working copy of HDD-01',
      '--parent',
      exhibit,
    ]);
    expect(r).toMatchObject({ seq: 9, kind: 'register' });
    expect(Object.keys(r.digests)).toEqual(['sha256']); // sha256 only, by default
    expect(r.exhibit).not.toBe(exhibit);
    derived = r.exhibit;
  });

  it('transfers NL → DE and DE → FR with --legal-basis; each receiver accepts', async () => {
    const t1 = await j([
      'transfer',
      exhibit,
      '--to',
      p.bka.id,
      '--key',
      p.nfi.key,
      '--reason',
      'EIO execution',
      '--legal-basis',
      EIO,
      '--method',
      'diplomatic courier',
    ]);
    expect(t1).toMatchObject({ seq: 10, kind: 'transfer' });
    const a1 = await ok(['accept', exhibit, '--key', p.bka.key, '--file', evidence, '--seal-intact'], opts);
    expect(a1.stdout).toBe(`accepted ${exhibit}; the file matches the registered digests (entry 11)\n`);
    const t2 = await ok(
      [
        'transfer',
        exhibit,
        '--to',
        p.court.name,
        '--key',
        p.bka.key,
        '--reason',
        'production at trial',
        '--legal-basis',
        JIT,
      ],
      opts,
    );
    expect(t2.stdout).toBe(`${exhibit} is in transit (entry 12)\n`);
    const a2 = await j(['accept', exhibit, '--key', p.court.key, '--seal-intact']);
    expectFields(a2, ['seq', 'leafHash', 'exhibit', 'kind']); // no --file: no digestsMatch
    expect(a2).toMatchObject({ seq: 13, kind: 'accept' });
  });

  it.concurrent('show --json gives the whole history, holder and state', async () => {
    const { j } = onCopy();
    const s = await j<ShowJson>(['show', exhibit]);
    expectFields(s, [
      'exhibit',
      'label',
      'caseRef',
      'holder',
      'state',
      'parent',
      'digestMismatches',
      'events',
      'periods',
    ]);
    expect(s).toMatchObject({
      exhibit,
      label: 'HDD-01',
      caseRef: 'JIT-2026-017 / NL-AMS-4471',
      holder: p.court.id,
      state: 'held',
      parent: null,
      digestMismatches: [],
    });
    expect(s.events.map((e) => `${e.seq}:${e.kind}`)).toEqual([
      '5:register',
      '6:transfer',
      '7:accept',
      '8:examine',
      '9:register',
      '10:transfer',
      '11:accept',
      '12:transfer',
      '13:accept',
    ]);
    for (const e of s.events) {
      expect(e.time).toMatch(ISO_UTC);
      expect(e.tz).toBe('Europe/Amsterdam');
      expect(e.actor).toMatch(ACTOR_ID);
    }
    expect(s.events[0]!.details).toMatchObject({
      label: 'HDD-01',
      seal: 'NL-0041187',
      size: String(size),
      seizedAt: '2026-03-01T13:30:00.000Z',
    });
    expect(s.events[4]!.derived).toBe(derived);
    expect(s.events[5]!).toMatchObject({ actor: p.nfi.id, jurisdiction: 'NL', details: { legalBasis: EIO } });
    expect(s.events.filter((e) => e.kind === 'transfer').map((e) => e.actor)).toEqual([
      p.police.id,
      p.nfi.id,
      p.bka.id,
    ]);
    expect(s.periods.map((x) => `${x.status}:${x.holder}`)).toEqual([
      `held:${p.police.id}`,
      `in-transit:${p.police.id}`,
      `held:${p.nfi.id}`,
      `in-transit:${p.nfi.id}`,
      `held:${p.bka.id}`,
      `in-transit:${p.bka.id}`,
      `held:${p.court.id}`,
    ]);
    expect(s.periods[3]).toMatchObject({ to: p.bka.id, legalBasis: EIO });
    expect(s.periods.at(-1)!.until).toBeNull();

    const d = await j<ShowJson>(['show', derived]);
    expect(d).toMatchObject({
      exhibit: derived,
      label: 'HDD-01-WC1',
      parent: exhibit,
      holder: p.nfi.id,
      state: 'held',
    });
  });

  it.concurrent('show (human) tells the story with the border crossings', async () => {
    const { ok } = onCopy();
    const r = await ok(['show', exhibit]);
    expect(r.stdout.startsWith(`Exhibit ${exhibit} — HDD-01, case JIT-2026-017 / NL-AMS-4471\n`)).toBe(true);
    expect(r.stdout).toContain(
      `in transit NL → DE: ${p.nfi.name} (${p.nfi.org}, NL) → ${p.bka.name} under ${EIO}`,
    );
    expect(r.stdout).toContain(`in transit DE → FR: ${p.bka.name}`);
    expect(r.stdout).toContain(`#9 REGISTER (derived copy ${derived}) by ${p.nfi.name}`);
    // Each event shows the signer's local time too (the exact human format may change).
    expect(r.stdout).toContain('Europe/Amsterdam');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(
      `Status: held, holder ${p.court.name} (${p.court.id})`,
    );
    expect(r.stderr).toBe('');
  });

  it.concurrent('log lists every entry in order', async () => {
    const { ok, j } = onCopy();
    const r = await j<{ size: number; entries: Record<string, unknown>[] }>(['log']);
    expectFields(r, ['size', 'entries']);
    expect(r.size).toBe(14);
    expect(r.entries.map((e) => e['seq'])).toEqual([...Array(14).keys()]);
    expect(r.entries.map((e) => e['kind'])).toEqual([
      'genesis',
      'enrol',
      'enrol',
      'enrol',
      'enrol',
      'register',
      'transfer',
      'accept',
      'examine',
      'register',
      'transfer',
      'accept',
      'transfer',
      'accept',
    ]);
    for (const e of r.entries) {
      const fields = ['seq', 'kind', 'actor', 'actorName', 'time', 'tz'];
      expectFields(e, (e['seq'] as number) >= 5 ? [...fields, 'exhibit'] : fields);
      expect(e['time']).toMatch(ISO_UTC);
    }
    expect(r.entries[9]!['exhibit']).toBe(derived);
    const page = await j<{ size: number; entries: { seq: number }[] }>([
      'log',
      '--from',
      '3',
      '--limit',
      '2',
    ]);
    expect(page.size).toBe(14);
    expect(page.entries.map((e) => e.seq)).toEqual([3, 4]);
    const human = await ok(['log']);
    expect(human.stdout.trimEnd().split('\n')).toHaveLength(14);
    expect(human.stderr).toBe('14 of 14 entries\n');
  });

  it.concurrent('exhibits lists both exhibits with holder and state', async () => {
    const { j } = onCopy();
    const r = await j<{ exhibits: Record<string, unknown>[] }>(['exhibits']);
    expectFields(r, ['exhibits']);
    const byId = new Map(r.exhibits.map((x) => [x['exhibit'], x]));
    expect([...byId.keys()].sort()).toEqual([exhibit, derived].sort());
    expectFields(byId.get(exhibit)!, [
      'exhibit',
      'label',
      'caseRef',
      'holder',
      'holderName',
      'state',
      'events',
    ]);
    expectFields(byId.get(derived)!, [
      'exhibit',
      'label',
      'caseRef',
      'holder',
      'holderName',
      'state',
      'events',
      'parent',
    ]);
    expect(byId.get(exhibit)).toMatchObject({
      label: 'HDD-01',
      holder: p.court.id,
      holderName: p.court.name,
      state: 'held',
      events: 9,
    });
    expect(byId.get(derived)).toMatchObject({ parent: exhibit, holder: p.nfi.id, state: 'held', events: 1 });
  });

  it.concurrent('verify --trust <authority public key> anchors and verifies the whole ledger', async () => {
    const { run, j } = onCopy();
    const r = await run(['verify', '--trust', p.authority.publicKey]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /^VERIFIED: ledger\.nfi\.example\/2026 — 14 entries, 14 signatures checked, 5 actors, 2 exhibits\n/,
    );
    expect(r.stdout).toContain(
      `anchored to the trusted authority key ${p.authority.publicKey} (${p.authority.id}, via genesis at entry 0)`,
    );
    const v = await j<Record<string, unknown>>(['verify', '--trust', p.authority.publicKey]);
    expect(v).toMatchObject({
      ok: true,
      anchored: true,
      entries: 14,
      problems: [],
      problemCount: 0,
      origin: 'ledger.nfi.example/2026',
    });
    expect(v['anchor']).toEqual({
      publicKey: p.authority.publicKey,
      actor: p.authority.id,
      via: 'genesis',
      seq: 0,
    });
    expect(v['trusted']).toEqual([p.authority.publicKey]);
  });

  it.concurrent('verify without --trust is consistent but NOT anchored (exit 0); a wrong trusted key fails (exit 1)', async () => {
    const { run, ok, j } = onCopy();
    const v = await j<{ ok: boolean; anchored: boolean }>(['verify']);
    expect(v).toMatchObject({ ok: true, anchored: false });
    const human = await ok(['verify']);
    expect(human.stdout).toMatch(/^CONSISTENT \(not anchored\)/);
    expect(human.stdout).toContain('NOT anchored');
    const wrong = await run(['verify', '--trust', p.police.key]);
    expectFailure(wrong, { exit: 1, code: 'VERIFICATION_FAILED', message: 'ANCHOR_MISMATCH', stdout: 'any' });
    expect(wrong.stdout).toMatch(/^FAILED:/);
  });

  it.concurrent('verify --exhibit <id> --file <file> confirms the file is the registered evidence', async () => {
    const { run, j } = onCopy();
    const r = await run(['verify', '--trust', p.authority.key, '--exhibit', exhibit, '--file', evidence]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VERIFIED:/);
    const v = await j<Record<string, unknown>>([
      'verify',
      '--trust',
      p.authority.publicKey,
      '--exhibit',
      exhibit,
      '--file',
      evidence,
    ]);
    expect(v).toMatchObject({
      ok: true,
      anchored: true,
      exhibit,
      lineage: [exhibit],
      holder: p.court.id,
      state: 'held',
      fileChecked: true,
      problems: [],
    });
    // The working copy is checked with its lineage (the original it came from).
    const w = await j<Record<string, unknown>>(['verify', '--exhibit', derived, '--file', copy]);
    expect(w).toMatchObject({ ok: true, lineage: [exhibit, derived], fileChecked: true });
  });

  // Regression (cli/keys.ts parsePublicKey): `--public-key` and `--trust` document "base64 | hex | key
  // file", but a 64-character hex key is also valid base64 (it decodes to 48 bytes), so the
  // hex branch is never reached and every hex key is refused with PUBLIC_KEY_INVALID (exit 2).
  // Expected: a hex public key (as `key show` prints it) is accepted like the base64 one.
  it.concurrent('verify --trust and actor add --public-key accept the hex public key that key show prints', async () => {
    const { run, j } = onCopy();
    const shown = await j<{ publicKeyHex: string }>(['key', 'show', p.authority.key]);
    const hex = Buffer.from(p.authority.publicKey, 'base64').toString('hex');
    expect(shown.publicKeyHex).toBe(hex);
    const r = await run(['verify', '--trust', hex, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('dispose closes the custody record; nothing more may happen to the exhibit', async () => {
    const d = await j([
      'dispose',
      exhibit,
      '--key',
      p.court.key,
      '--method',
      'returned',
      '--reason',
      'judgment of 2026-06-01',
      '--recipient',
      'the owner',
    ]);
    expectFields(d, ['seq', 'leafHash', 'exhibit', 'kind']);
    expect(d).toMatchObject({ seq: 14, exhibit, kind: 'dispose' });
    const s = await j<ShowJson>(['show', exhibit]);
    expect(s.state).toBe('disposed');
    expect(s.events.at(-1)).toMatchObject({
      kind: 'dispose',
      details: { method: 'returned', recipient: 'the owner' },
    });
    const again = await run([
      'transfer',
      exhibit,
      '--to',
      p.nfi.id,
      '--key',
      p.court.key,
      '--reason',
      'x',
      '--legal-basis',
      JIT,
    ]);
    expectFailure(again, { exit: 3, code: 'EXHIBIT_DISPOSED' });
    const v = await j<{ ok: boolean; entries: number }>(['verify', '--trust', p.authority.publicKey]);
    expect(v).toMatchObject({ ok: true, entries: 15 });
  });
});
