/**
 * A complete cross-border case typed at the command line: keys, a ledger with
 * a separate log key, enrolment in three jurisdictions, registration with
 * three digests, hand-overs NL → NL → DE → FR under a legal basis, an
 * examination and a derived working copy, the queries, verification against
 * the pinned authority key (and the pinned log key), disposal. The steps run
 * in order and share the ledger.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
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
  GOVERNED,
  HEX32,
  hexKey,
  type InitJson,
  ISO_UTC,
  initArgs,
  json,
  KEY_ID,
  makePeople,
  ok,
  type Person,
  parseJson,
  type Receipt,
  type RunOptions,
  removeTempDirs,
  tempDir,
  type Who,
} from './helpers.js';

afterAll(removeTempDirs);

const ORIGIN = 'ledger.nfi.example/2026';
const EIO = 'EIO DE-2026-0042 (Directive 2014/41/EU)';
const JIT = 'JIT agreement NL-DE-FR 2026/01';

interface Appended {
  index: number;
  id: string;
  exhibit: string;
  exhibitId: string;
  kind: string;
  receipt: Receipt;
  digestsMatch?: boolean;
  to?: string;
}
interface ShowJson {
  exhibit: string;
  exhibitId: string;
  label: string;
  caseRef: string;
  holder: string;
  state: string;
  parent: string | null;
  digestMismatches: number[];
  events: {
    index: number;
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
  let p: Record<Who, Person>;
  let evidence: string;
  let copy: string;
  let exhibit: string;
  let exhibitId: string;
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

  it('init creates the ledger, signed by the authority key, naming a separate log key', async () => {
    const args = initArgs(ORIGIN, p.authority, p.log);
    args[args.indexOf('NL')] = 'nl'; // the jurisdiction is upper-cased
    const r = await j<InitJson>(args);
    expectFields(r, ['index', 'id', 'origin', 'authority', 'ledger', 'receipt']);
    expect(r).toMatchObject({ index: 0, origin: ORIGIN, authority: p.authority.id, ledger });
    expect(r.id).toMatch(HEX32);
    expectReceipt(r.receipt, 0);
    expect(r.receipt.proof).toEqual([]);
    // The ledger names the log key, but holds no private key of it: `checkpoint --vkey` shows its public key.
    const vkey = await j<{ vkey: string }>(['checkpoint', '--vkey']);
    expect(
      vkey.vkey.endsWith(
        `+${Buffer.concat([Buffer.from([1]), Buffer.from(p.log.publicKey, 'base64')]).toString('base64')}`,
      ),
    ).toBe(true);
  });

  it('actor add enrols four actors in three jurisdictions (public key as base64, key file or hex)', async () => {
    const a1 = await enrol(ledger, p.authority, p.police); // base64
    expectFields(a1, [...GOVERNED, 'enrolled']);
    expect(a1).toMatchObject({ actor: p.police.id, index: 1 });
    expect(a1.id).toMatch(HEX32);
    expectReceipt(a1.receipt, 1);
    const a2 = await enrol(ledger, p.authority, p.nfi, p.nfi.key); // key file path
    expect(a2).toMatchObject({ actor: p.nfi.id, index: 2 });
    const a3 = await enrol(ledger, p.authority, p.bka, hexKey(p.bka)); // 64 hex digits
    expect(a3).toMatchObject({ actor: p.bka.id, index: 3 });
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
      `enrolled ${p.court.name} (${p.court.org}, FR, ${p.court.id}) as court at entry 4\n`,
    );
  });

  it('actor list shows the authority and the four actors, active, with their public keys (not the log key)', async () => {
    const r = await j<{ actors: Record<string, unknown>[] }>(['actor', 'list']);
    expectFields(r, ['actors']);
    expect(r.actors).toHaveLength(5);
    for (const a of r.actors) {
      expectFields(a, [
        'actor',
        'keyId',
        'name',
        'org',
        'roles',
        'jurisdiction',
        'publicKey',
        'enrolledAt',
        'status',
      ]);
      expect(a['keyId']).toMatch(HEX32);
    }
    const byId = new Map(r.actors.map((a) => [a['actor'], a]));
    for (const who of ['authority', 'police', 'nfi', 'bka', 'court'] as const) {
      const a = byId.get(p[who].id)!;
      expect(a['publicKey']).toBe(p[who].publicKey);
      expect(a['status']).toBe('active');
      expect(a['jurisdiction']).toBe(p[who].jurisdiction);
    }
    expect(byId.has(p.log.id)).toBe(false);
    // The authority is the genesis key, not a role; it is named after the ledger's organisation.
    expect(byId.get(p.authority.id)).toMatchObject({
      roles: [],
      enrolledAt: 0,
      name: `${p.authority.org} authority`,
      org: p.authority.org,
    });
    expect(byId.get(p.police.id)).toMatchObject({
      roles: ['collector', 'custodian'],
      enrolledAt: 1,
      name: p.police.name,
      org: p.police.org,
    });
    expect(new Set(r.actors.map((a) => a['jurisdiction']))).toEqual(new Set(['NL', 'DE', 'FR']));
    const human = await ok(['actor', 'list'], opts);
    expect(human.stdout.trim().split('\n')).toHaveLength(5);
    expect(human.stdout).toContain(
      `${p.bka.id}  active   DE  ${p.bka.name} — ${p.bka.org} [custodian, examiner]`,
    );
    expect(human.stdout).toContain(`${p.authority.id}  active   NL  `);
    expect(human.stdout).toContain('[authority]');
  });

  it('register hashes the file with sha256, sha1 and md5 (equal to node:crypto)', async () => {
    const r = await j<
      Appended & { size: number; digests: Record<string, string>; evidence: string; path: string }
    >([
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
    expectFields(r, [...APPENDED, 'size', 'digests', 'evidence', 'path']);
    expect(r).toMatchObject({ evidence: 'file', path: evidence });
    const bytes = readFileSync(evidence);
    size = bytes.length;
    const want = Object.fromEntries(
      ['sha256', 'sha1', 'md5'].map((a) => [a, createHash(a).update(bytes).digest('hex')]),
    );
    expect(r.digests).toEqual(want);
    expect(r).toMatchObject({ index: 5, kind: 'register', size });
    expect(r.exhibit).toMatch(EXHIBIT_ID);
    expect(r.exhibitId).toMatch(HEX32);
    // An exhibit is the identity of its registration statement.
    expect(r.id).toBe(r.exhibitId);
    exhibit = r.exhibit;
    exhibitId = r.exhibitId;
    // The receipt is the tree that ends with the entry: `prove` gives the same leaf, root and proof.
    expectReceipt(r.receipt, 5);
    const proved = await j<Receipt>(['prove', '5', '--size', '6']);
    expect(proved).toEqual({
      index: 5,
      size: 6,
      leafHash: r.receipt.leafHash,
      root: r.receipt.root,
      proof: r.receipt.proof,
    });
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
    expectFields(t, [...APPENDED, 'to', 'receiver']);
    expect(t).toMatchObject({
      index: 6,
      exhibit,
      exhibitId,
      kind: 'transfer',
      to: `${p.nfi.name} (${p.nfi.org}, NL, ${p.nfi.id})`,
    });
    expect(t.id).toMatch(HEX32);
    expect(t.id).not.toBe(exhibitId);
    expectReceipt(t.receipt, 6);
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
    expectFields(a, [...APPENDED, 'digestsMatch', 'sender']);
    expect(a).toMatchObject({ index: 7, exhibit, kind: 'accept', digestsMatch: true });
  });

  it('examine --file records the examination; register --parent derives a working copy', async () => {
    const e = await j([
      'examine',
      exhibitId, // the full 64-hex id is accepted too
      '--key',
      p.nfi.key,
      '--action',
      'verified image',
      '--tool',
      'Hansken 2026.3',
      '--file',
      evidence,
    ]);
    expect(e).toMatchObject({ index: 8, exhibit, kind: 'examine', digestsMatch: true });
    copy = join(dir, 'HDD-01-WC1.dd');
    copyFileSync(evidence, copy);
    // A derived copy may have its parent's bytes: no --duplicate needed.
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
    expect(r).toMatchObject({ index: 9, kind: 'register' });
    expect(Object.keys(r.digests)).toEqual(['sha256']); // sha256 only, by default
    expect(r.exhibit).toMatch(EXHIBIT_ID);
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
    expect(t1).toMatchObject({
      index: 10,
      kind: 'transfer',
      to: `${p.bka.name} (${p.bka.org}, DE, ${p.bka.id})`,
    });
    const a1 = await ok(['accept', exhibit, '--key', p.bka.key, '--file', evidence, '--seal-intact'], opts);
    expect(a1.stdout).toBe(
      `accepted ${exhibit} from ${p.nfi.name} (${p.nfi.org}, NL, ${p.nfi.id}); the file matches the registered digests (entry 11)\n`,
    );
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
    expect(t2.stdout).toBe(
      `handed ${exhibit} over to ${p.court.name} (${p.court.org}, FR, ${p.court.id}); they must accept it (entry 12)\n`,
    );
    const a2 = await j(['accept', exhibit, '--key', p.court.key, '--seal-intact']);
    expectFields(a2, [...APPENDED, 'sender']); // no --file: no digestsMatch
    expect(a2).toMatchObject({ index: 13, kind: 'accept' });
  });

  it.concurrent('show --json gives the whole history, holder and state', async () => {
    const { j } = onCopy();
    const s = await j<ShowJson>(['show', exhibit]);
    expectFields(s, [
      'exhibit',
      'exhibitId',
      'label',
      'caseRef',
      'holder',
      'state',
      'parent',
      'digestMismatches',
      'events',
      'periods',
      'disclosures',
      'holds',
      'erasures',
      'nonconformities',
    ]);
    expect(s).toMatchObject({
      exhibit,
      exhibitId,
      disclosures: [],
      holds: [],
      erasures: [],
      nonconformities: [],
      label: 'HDD-01',
      caseRef: 'JIT-2026-017 / NL-AMS-4471',
      holder: p.court.id,
      state: 'held',
      parent: null,
      digestMismatches: [],
    });
    expect(s.events.map((e) => `${e.index}:${e.kind}`)).toEqual([
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
      expect(e.actor).toMatch(KEY_ID);
    }
    expect(s.events[0]!.details).toMatchObject({
      label: 'HDD-01',
      case: 'JIT-2026-017 / NL-AMS-4471',
      description: 'Image of the seized laptop disk',
      seal: 'NL-0041187',
      location: 'Damrak 70, Amsterdam',
      size: String(size),
      seizedAt: '2026-03-01T13:30:00.000Z',
    });
    expect(s.events[2]!.details).toMatchObject({ seal: 'intact', note: 'received in good order' });
    expect(s.events[4]!.derived).toBe(derived);
    expect(s.events[5]!).toMatchObject({
      actor: p.nfi.id,
      actorName: p.nfi.name,
      jurisdiction: 'NL',
      details: { legalBasis: EIO, reason: 'EIO execution' },
    });
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
    expect(d.events.map((e) => `${e.index}:${e.kind}`)).toEqual(['9:register']);
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

  it.concurrent('log lists every entry in order, with its signer, claimed time and log time', async () => {
    const { ok, j } = onCopy();
    const r = await j<{ size: number; entries: Record<string, unknown>[] }>(['log']);
    expectFields(r, ['size', 'entries']);
    expect(r.size).toBe(14);
    expect(r.entries.map((e) => e['index'])).toEqual([...Array(14).keys()]);
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
      const fields = ['index', 'id', 'kind', 'signer', 'signerName', 'signerShown', 'time', 'logTime', 'tz'];
      const about =
        (e['index'] as number) >= 5
          ? ['exhibit', 'label', 'caseRef']
          : e['kind'] === 'enrol'
            ? ['actor', 'actorShown']
            : [];
      expectFields(e, [...fields, ...about]);
      expect(e['time']).toMatch(ISO_UTC);
      expect(e['logTime']).toMatch(ISO_UTC);
      expect(e['signer']).toMatch(KEY_ID);
    }
    // The zone each signer's machine had (the enrol helper runs without TZ set for entries 1–3).
    for (const i of [0, 4, 5, 13]) expect(r.entries[i]!['tz']).toBe('Europe/Amsterdam');
    expect(r.entries.slice(0, 5).every((e) => e['signer'] === p.authority.id)).toBe(true);
    expect(r.entries[5]).toMatchObject({ signer: p.police.id, signerName: p.police.name, exhibit });
    // The registration of a copy is listed under the copy's id.
    expect(r.entries[9]!['exhibit']).toBe(derived);
    expect(r.entries[13]).toMatchObject({ signer: p.court.id, signerName: p.court.name, exhibit });
    const page = await j<{ size: number; entries: { index: number }[] }>([
      'log',
      '--from',
      '3',
      '--limit',
      '2',
    ]);
    expect(page.size).toBe(14);
    expect(page.entries.map((e) => e.index)).toEqual([3, 4]);
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
    const fields = [
      'exhibit',
      'exhibitId',
      'label',
      'caseRef',
      'holder',
      'holderName',
      'holderJurisdiction',
      'state',
      'lastEvent',
    ];
    expectFields(byId.get(exhibit)!, fields);
    expectFields(byId.get(derived)!, [...fields, 'parent']);
    expect(byId.get(exhibit)).toMatchObject({
      exhibitId,
      label: 'HDD-01',
      caseRef: 'JIT-2026-017 / NL-AMS-4471',
      holder: p.court.id,
      holderName: p.court.name,
      state: 'held',
      lastEvent: 13,
    });
    expect(byId.get(derived)).toMatchObject({
      label: 'HDD-01-WC1',
      parent: exhibit,
      holder: p.nfi.id,
      state: 'held',
      lastEvent: 9,
    });
  });

  it.concurrent('verify --trust <authority public key> anchors and verifies the whole ledger', async () => {
    const { run, j } = onCopy();
    const r = await run(['verify', '--trust', p.authority.publicKey]);
    expect(r.code, r.stderr).toBe(0);
    // Six keys: the authority, the log key and four actors.
    expect(r.stdout).toMatch(
      /^VERIFIED: ledger\.nfi\.example\/2026 — 14 entries, 14 signatures checked, 6 actors, 2 exhibits\n/,
    );
    expect(r.stdout).toContain(
      `anchored to the trusted authority key ${p.authority.publicKey} (${p.authority.id}, via genesis at entry 0)`,
    );
    const v = await j<Record<string, unknown>>(['verify', '--trust', p.authority.publicKey]);
    expectFields(v, [
      'ok',
      'verdict',
      'warnings',
      'anchored',
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
    ]);
    expect(v).toMatchObject({
      ok: true,
      verdict: 'VERIFIED',
      warnings: [expect.objectContaining({ code: 'COSIGNATURE_NOT_ASKED', severity: 'warning' })],
      anchored: true,
      entries: 14,
      actors: 6,
      exhibits: 2,
      signaturesChecked: 14,
      problems: [],
      problemCount: 1,
      origin: ORIGIN,
      trusted: [p.authority.publicKey],
      trustedLog: [],
    });
    expect(v['anchor']).toEqual({
      publicKey: p.authority.publicKey,
      actor: p.authority.id,
      via: 'genesis',
      seq: 0,
      role: 'authority',
    });
    expect(v['root']).toMatch(HEX32);
    expect(v['head']).toMatch(HEX32);
  });

  it.concurrent('verify --trust-log <log public key> anchors the ledger to its log key', async () => {
    const { j, ok } = onCopy();
    const v = await j<{
      ok: boolean;
      anchored: boolean;
      anchor: Record<string, unknown>;
      trustedLog: string[];
    }>(['verify', '--trust-log', p.log.key, '--threads', '1']);
    expect(v).toMatchObject({ ok: true, anchored: true, trustedLog: [p.log.publicKey] });
    expect(v.anchor).toMatchObject({ publicKey: p.log.publicKey, via: 'genesis', seq: 0, role: 'log' });
    const human = await ok(['verify', '--trust-log', p.log.publicKey]);
    expect(human.stdout).toMatch(/^VERIFIED: /);
    expect(human.stdout).toContain(`anchored to the trusted log key ${p.log.publicKey} (`);
    // The log key's id is of purpose log, not the statement key id `key show` prints.
    expect(v.anchor['actor']).toMatch(KEY_ID);
    expect(v.anchor['actor']).not.toBe(p.log.id);
  });

  it.concurrent('verify without --trust is consistent but UNANCHORED (exit 6); so is a wrong trusted key', async () => {
    const { run } = onCopy();
    const bare = await run(['verify', '--json']);
    expectFailure(bare, { exit: 6, code: 'VERIFICATION_UNANCHORED', stdout: 'any' });
    const v = parseJson<{ ok: boolean; verdict: string; anchored: boolean; anchor?: unknown }>(bare);
    expect(v).toMatchObject({ ok: false, verdict: 'UNANCHORED', anchored: false });
    expect(v.anchor ?? null).toBeNull();
    const human = await run(['verify']);
    expect(human.code).toBe(6);
    expect(human.stdout).toMatch(/^UNANCHORED: /);
    expect(human.stdout).toContain('NOT anchored');
    const wrong = await run(['verify', '--trust', p.police.key]);
    expectFailure(wrong, {
      exit: 6,
      code: 'VERIFICATION_UNANCHORED',
      message: 'first ANCHOR_KEY_UNMATCHED',
      stdout: 'any',
    });
    expect(wrong.stdout).toMatch(/^UNANCHORED:/);
    expect(wrong.stdout).toContain(
      `PROBLEM ANCHOR_KEY_UNMATCHED: the pinned authority key ${p.police.publicKey}`,
    );
    // The log key is no authority key, and the authority key is no log key.
    const swapped = await run(['verify', '--trust', p.log.key, '--trust-log', p.authority.key, '--json']);
    expectFailure(swapped, { exit: 6, code: 'VERIFICATION_UNANCHORED', stdout: 'any' });
    const codes = (JSON.parse(swapped.stdout) as { problems: { code: string }[] }).problems.map(
      (x) => x.code,
    );
    expect(codes).toEqual(['ANCHOR_KEY_UNMATCHED', 'ANCHOR_KEY_UNMATCHED']);
  });

  it.concurrent('verify --exhibit <id> --file <file> confirms the file is the registered evidence', async () => {
    const { run, j } = onCopy();
    const r = await run(['verify', '--trust', p.authority.key, '--exhibit', exhibit, '--file', evidence]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^VERIFIED:/);
    expect(r.stdout).toContain(`exhibit ${exhibit}: held by ${p.court.id}`);
    expect(r.stdout).toContain('the file matches every digest registered for the exhibit');
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
      holder: p.court.id,
      state: 'held',
      fileChecked: true,
      problems: [],
    });
    // The working copy, by label, with its own file.
    const w = await j<Record<string, unknown>>([
      'verify',
      '--trust',
      p.authority.publicKey,
      '--exhibit',
      'hdd-01-wc1',
      '--file',
      copy,
    ]);
    expect(w).toMatchObject({ ok: true, exhibit: derived, holder: p.nfi.id, fileChecked: true });
  });

  it.concurrent('verify --trust and actor add --public-key accept the hex public key that key show prints', async () => {
    const { run, j } = onCopy();
    const shown = await j<{ publicKeyHex: string }>(['key', 'show', p.authority.key]);
    expect(shown.publicKeyHex).toBe(hexKey(p.authority));
    const r = await run(['verify', '--trust', shown.publicKeyHex, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ anchored: true, trusted: [p.authority.publicKey] });
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
    expectFields(d, APPENDED);
    expect(d).toMatchObject({ index: 14, exhibit, kind: 'dispose' });
    const s = await j<ShowJson>(['show', exhibit]);
    expect(s.state).toBe('disposed');
    expect(s.events.at(-1)).toMatchObject({
      index: 14,
      kind: 'dispose',
      details: { method: 'returned', recipient: 'the owner', reason: 'judgment of 2026-06-01' },
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
