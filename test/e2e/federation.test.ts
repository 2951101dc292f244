/**
 * Hand-over between two sovereign ledgers, as two authorities run it
 * (docs/FEDERATION.md): the Dutch and the German ledger each on its own
 * server, each authority recording the other as a peer; a Dutch officer hands
 * an exhibit over to a German examiner, the crossing is pushed to the German
 * server, the examiner accepts it there with a re-hash against the Dutch
 * registration, and the acceptance is pushed back. Both ledgers then verify
 * against their own authority key. A peer that cannot be reached, and a
 * damaged crossing, change nothing.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, recordPeer, type Side, side, writeTrustManifest } from './federation-helpers.js';
import { custody, evidenceFile, expectFailure, json, removeTempDirs, tempDir } from './helpers.js';
import { startServer } from './server-helpers.js';

const NL = 'ledger.nfi.example/2026';
const DE = 'ledger.bka.example/2026';

let dir: string;
let nl: Side;
let de: Side;
/** Each ledger's peer credential (access key file), which the other lists among its readers. */
const credential = new Map<Side, string>();

/** `custody transfer <exhibit>` by NL's actor to `to` (`<origin>/<key id>`), under an EIO. */
const transferArgs = (exhibit: string, to: string) => [
  'transfer',
  exhibit,
  '--to',
  to,
  '--key',
  nl.actor.key,
  '--reason',
  'EIO',
  '--legal-basis',
  'EIO NL-2026-117',
  '--instrument',
  'EIO',
  '--issuing-authority',
  'Officier van justitie, Amsterdam',
  '--executing-authority',
  'Generalstaatsanwaltschaft Frankfurt am Main',
  '--basis-date',
  '2026-02-20',
];

/** `custody export PHONE-01` from `s`'s server, for a court, to `out`. */
const exportFor = (s: Side, out: string) =>
  json(
    [
      'export',
      'PHONE-01',
      '--out',
      out,
      '--key',
      s.actor.key,
      '--profile',
      'court',
      '--recipient',
      'Tribunal',
      '--legal-basis',
      'MLA FR-2026-7',
    ],
    at(s),
  );

/** The full key id of an actor's statement key, as its ledger's `actor list --json` prints it. */
const keyHex = async (s: Side) =>
  (await json<{ actors: { keyId: string; name: string }[] }>(['actor', 'list'], at(s))).actors.find(
    (a) => a.name === s.actor.name,
  )!.keyId;

beforeAll(async () => {
  dir = tempDir('custody-federation-');
  nl = await side(dir, NL, 'NL', 'NFI', ['Insp. J. de Vries', 'collector,custodian']);
  de = await side(dir, DE, 'DE', 'BKA', ['KHK K. Müller', 'custodian,examiner']);
  // Each ledger's credential at the other: an access key the other lists among its readers.
  const config = async (s: Side, peer: Side) => {
    const tag = s === nl ? 'nfi' : 'bka';
    const file = join(dir, `${tag}-credential.access`);
    const k = await json<{ publicKey: string }>([
      'key',
      'new-access',
      '--name',
      `${tag} ledger`,
      '--out',
      file,
    ]);
    credential.set(s, file);
    return { peer, reader: { name: `${s.origin} (peer)`, publicKey: k.publicKey } };
  };
  const [forDe, forNl] = [await config(nl, de), await config(de, nl)];
  for (const c of [forDe, forNl])
    writeFileSync(
      join(dir, `${c.peer === nl ? 'nfi' : 'bka'}-server.json`),
      JSON.stringify({ readers: [c.reader] }),
    );
  [nl.server, de.server] = await Promise.all([
    startServer(nl.ledger, nl.log.key, ['--config', join(dir, 'nfi-server.json')]),
    startServer(de.ledger, de.log.key, ['--config', join(dir, 'bka-server.json')]),
  ]);
  await recordPeer(dir, nl, de);
  await recordPeer(dir, de, nl);
}, 120_000);

afterAll(async () => {
  await Promise.all([nl?.server?.stop(), de?.server?.stop()]);
  removeTempDirs();
});

describe('hand-over between two ledgers, each on its own server', () => {
  let evidence: string;

  it('NL hands over to an examiner of DE, and the crossing is pushed to the DE server', async () => {
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
    // A bundle NL exported before the hand-over: it will not show what DE imported.
    await exportFor(nl, join(dir, 'nl-early.custody'));
    const examiner = await keyHex(de);
    // A key DE never enrolled: refused before anything is signed.
    const nobody = await custody(transferArgs('PHONE-01', `${DE}/${'ab'.repeat(32)}`), at(nl));
    expectFailure(nobody, { exit: 3, code: 'RECEIVER_UNKNOWN' });
    // Between ledgers the legal basis is structured: a reference alone is refused by the rules, and
    // half a structured basis by the command line, before anything is signed.
    const refOnly = transferArgs('PHONE-01', `${DE}/${examiner}`).slice(0, 10);
    expectFailure(await custody(refOnly, at(nl)), { exit: 3, code: 'LEGAL_BASIS_MISSING' });
    expectFailure(await custody([...refOnly, '--instrument', 'EIO'], at(nl)), { exit: 2, code: 'USAGE' });
    const t = await json<{ to: string }>(transferArgs('PHONE-01', `${DE}/${examiner}`), at(nl));
    // Checked at DE's server before signing: an active examiner there, in Germany.
    expect(t.to).toContain(`of ${DE} (DE)`);
    const push = await json<{ to: string; kind: string; index: number; receiverId: string }>(
      ['push', 'PHONE-01', '--to-ledger', de.server!.url],
      at(nl),
    );
    expect(push).toMatchObject({ to: DE, kind: 'transfer', receiverId: examiner });
    // Pushed again (a retry after a lost answer): already there, not an error.
    const again = await json<{ already?: boolean }>(
      ['push', 'PHONE-01', '--to-ledger', de.server!.url],
      at(nl),
    );
    expect(again.already).toBe(true);
  }, 60_000);

  it('the German examiner finds it by label, accepts it with a re-hash against the Dutch registration', async () => {
    const list = await json<{ exhibits: { label: string; state: string; holderName: string }[] }>(
      ['exhibits'],
      at(de),
    );
    expect(list.exhibits).toEqual([
      expect.objectContaining({
        label: 'PHONE-01',
        state: 'pending',
        holderName: expect.stringContaining(NL),
      }),
    ]);
    const acc = await json<{ digestsMatch: boolean }>(
      ['accept', 'PHONE-01', '--key', de.actor.key, '--file', evidence, '--seal-intact'],
      at(de),
    );
    expect(acc.digestsMatch).toBe(true);
    await json(['push', 'PHONE-01', '--to-ledger', nl.server!.url], at(de));
    const home = await json<{ exhibits: { state: string; holderName: string }[] }>(['exhibits'], at(nl));
    expect(home.exhibits).toEqual([
      expect.objectContaining({ state: 'away', holderName: expect.stringContaining(DE) }),
    ]);
    // Nothing more happens to it in NL while DE holds it.
    const r = await custody(['examine', 'PHONE-01', '--key', nl.actor.key, '--action', 'look'], at(nl));
    expectFailure(r, { exit: 3, code: 'EXHIBIT_ELSEWHERE' });
  }, 60_000);

  it('each ledger verifies against its own authority key', async () => {
    for (const s of [nl, de]) {
      const pub = (await json<{ publicKey: string }>(['key', 'show', s.authority.key])).publicKey;
      const v = await json<{ ok: boolean; problems: { code: string; severity: string }[] }>(
        ['verify', '--trust', pub],
        at(s),
      );
      expect(v.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(v.ok).toBe(true);
    }
  }, 60_000);

  it("DE's bundle verifies against DE's authority alone, says what crossed from NL, and is not NL's", async () => {
    const bundle = join(dir, 'de.custody');
    await exportFor(de, bundle);
    const pub = async (s: Side) =>
      (await json<{ publicKey: string }>(['key', 'show', s.authority.key])).publicKey;
    const v = await json<{ verdict: string; crossings: { kind: string; from: string }[] }>([
      'verify-bundle',
      bundle,
      '--trust',
      await pub(de),
      '--quorum',
      '0',
      '--file',
      evidence,
    ]);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.crossings.map((c) => [c.kind, c.from])).toEqual([
      ['register', NL],
      ['transfer', NL],
    ]);
    const text = await custody(['verify-bundle', bundle, '--trust', await pub(de), '--quorum', '0']);
    expect(text.stdout).toContain(`The exhibit's history in the ledger "${NL}"`);
    // No cleartext crossed with NL's statements: the report says where it is kept.
    expect(text.stdout).toContain(`withheld, held by ${NL}`);
    // Pinned to the other authority, it is not anchored.
    const wrong = await custody([
      'verify-bundle',
      bundle,
      '--trust',
      await pub(nl),
      '--quorum',
      '0',
      '--json',
    ]);
    expect(wrong.code).not.toBe(0);
    expect(JSON.parse(wrong.stdout).verdict).not.toBe('VERIFIED');
  }, 60_000);

  it('one journey file for both ledgers verifies against the trust manifest alone; each way to break it is named', async () => {
    const nlBundle = join(dir, 'nl.custody');
    await exportFor(nl, nlBundle);
    const journey = join(dir, 'phone.journey');
    await json(['journey', nlBundle, join(dir, 'de.custody'), '--out', journey]);
    const fingerprint = async (s: Side) =>
      createHash('sha256')
        .update(
          Buffer.from(
            (await json<{ publicKey: string }>(['key', 'show', s.authority.key])).publicKey,
            'base64',
          ),
        )
        .digest('hex');
    const entry = async (s: Side, fp?: string) => ({
      origin: s.origin,
      authority: [fp ?? (await fingerprint(s))],
      policy: `log ${(await json<{ vkey: string }>(['checkpoint', '--vkey'], at(s))).vkey}\nquorum none\n`,
    });
    const manifest = (name: string, ledgers: unknown[]) => {
      const f = join(dir, name);
      writeFileSync(f, JSON.stringify({ custody: 'trust', v: 1, ledgers }));
      return f;
    };
    const good = manifest('trust.json', [await entry(nl), await entry(de)]);
    type J = {
      verdict: string;
      journey: { links: { kind: string; fromSeq: number | null }[]; problems: { code: string }[] };
    };
    const v = await json<J>(['verify-bundle', journey, '--trust-policy', good, '--file', evidence]);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.journey.links.map((l) => l.kind).sort()).toEqual(['accept', 'register', 'transfer']);
    expect(v.journey.links.every((l) => l.fromSeq !== null)).toBe(true);
    const codes = async (file: string, m: string) => {
      const r = await custody(['verify-bundle', file, '--trust-policy', m, '--json']);
      const j = JSON.parse(r.stdout) as J;
      return { verdict: j.verdict, codes: j.journey.problems.map((p) => p.code), exit: r.code };
    };
    // DE pinned with another key: not anchored.
    const wrongKey = manifest('wrong.json', [await entry(nl), await entry(de, '00'.repeat(32))]);
    expect(await codes(journey, wrongKey)).toMatchObject({ verdict: 'UNANCHORED' });
    // DE not in the manifest at all.
    const nlOnly = manifest('nl-only.json', [await entry(nl)]);
    expect(await codes(journey, nlOnly)).toMatchObject({
      verdict: 'UNANCHORED',
      codes: ['JOURNEY_LEDGER_UNTRUSTED'],
    });
    // DE's segment alone: the registering ledger's is missing.
    const deOnly = join(dir, 'de-only.journey');
    await json(['journey', join(dir, 'de.custody'), '--out', deOnly]);
    const lone = await codes(deOnly, good);
    expect(lone.verdict).toBe('INCOMPLETE');
    expect(lone.codes).toContain('JOURNEY_SEGMENT_MISSING');
    // NL's segment from before the hand-over does not show the transfer DE imported.
    const stale = join(dir, 'stale.journey');
    await json(['journey', join(dir, 'nl-early.custody'), join(dir, 'de.custody'), '--out', stale]);
    const hidden = await codes(stale, good);
    expect(hidden).toMatchObject({ verdict: 'FAILED', exit: 1 });
    expect(hidden.codes).toContain('JOURNEY_CROSSING_UNMATCHED');
  }, 90_000);

  it('a peer that cannot be reached: a clear error, nothing written on either side', async () => {
    await json(
      [
        'register',
        evidenceFile(dir, 'disk.img'),
        '--key',
        nl.actor.key,
        '--case',
        'NL-2026-0042',
        '--exhibit',
        'DISK-01',
        '--description',
        'disk',
      ],
      at(nl),
    );
    const examiner = await keyHex(de);
    await json(transferArgs('DISK-01', `${DE}/${examiner}`), at(nl));
    const [nlSize, deSize] = [
      (await json<{ size: number }>(['log', '--limit', '0'], at(nl))).size,
      (await json<{ size: number }>(['log', '--limit', '0'], at(de))).size,
    ];
    const r = await custody(['push', 'DISK-01', '--to-ledger', 'http://127.0.0.1:9'], at(nl));
    expectFailure(r, { exit: 4, code: 'LEDGER_UNREACHABLE' });
    expect((await json<{ size: number }>(['log', '--limit', '0'], at(nl))).size).toBe(nlSize);
    expect((await json<{ size: number }>(['log', '--limit', '0'], at(de))).size).toBe(deSize);
    // Carried by hand instead: written to a file, damaged on the way, refused; the intact one imports.
    const file = join(dir, 'disk.crossing');
    await json(['push', 'DISK-01', '--out', file], at(nl));
    const bytes = readFileSync(file);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 40]! ^= 0x01;
    const bad = join(dir, 'damaged.crossing');
    writeFileSync(bad, damaged);
    const refused = await custody(['import', bad], at(de));
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/\[(FOREIGN|STATEMENT)_[A-Z_]+\]\n$/);
    expect((await json<{ size: number }>(['log', '--limit', '0'], at(de))).size).toBe(deSize);
    const imported = await json<{ kind: string; from: string }>(['import', file], at(de));
    expect(imported).toMatchObject({ kind: 'transfer', from: NL });
  }, 60_000);

  it('a cancel in NL asks DE, which logs it before any answer; the confirmation returns DISK-01 to NL', async () => {
    // DISK-01 was imported by DE above and nobody there answered yet.
    const asked = await json<{ requested: boolean; peer: string }>(
      ['cancel', 'DISK-01', '--key', nl.actor.key, '--reason', 'the EIO was withdrawn'],
      at(nl),
    );
    expect(asked).toMatchObject({ requested: true, peer: DE });
    // Still in transit in NL: DE decides.
    const text = await custody(['show', 'DISK-01'], at(nl));
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`awaiting: ${DE} to log the cancel before any answer`);
    expect(text.stdout).toContain('Status: in-transit');
    await json(['push', 'DISK-01', '--to-ledger', de.server!.url], at(nl));
    // The receiver is too late now: DE logged the cancel first.
    const late = await custody(['accept', 'DISK-01', '--key', de.actor.key], at(de));
    expectFailure(late, { exit: 3, code: 'EXHIBIT_ELSEWHERE' });
    const back = await json<{ to: string }>(['push', 'DISK-01', '--to-ledger', nl.server!.url], at(de));
    expect(back.to).toBe(NL);
    const home = await json<{ exhibits: { label: string; state: string }[] }>(['exhibits'], at(nl));
    expect(home.exhibits.find((x) => x.label === 'DISK-01')?.state).toBe('held');
    // The sender may hand it over again; and both ledgers, and NL's bundle of it, still verify.
    for (const s of [nl, de]) {
      const pub = (await json<{ publicKey: string }>(['key', 'show', s.authority.key])).publicKey;
      expect((await json<{ ok: boolean }>(['verify', '--trust', pub], at(s))).ok).toBe(true);
    }
    const bundle = join(dir, 'disk-nl.custody');
    await json(
      [
        'export',
        'DISK-01',
        '--out',
        bundle,
        '--key',
        nl.actor.key,
        '--profile',
        'court',
        '--recipient',
        'Tribunal',
        '--legal-basis',
        'MLA FR-2026-7',
      ],
      at(nl),
    );
    const pub = (await json<{ publicKey: string }>(['key', 'show', nl.authority.key])).publicKey;
    const v = await json<{
      verdict: string;
      crossings: { kind: string; from: string; confirmation?: true }[];
    }>(['verify-bundle', bundle, '--trust', pub, '--quorum', '0']);
    expect(v.verdict).toBe('VERIFIED');
    // The confirmation came from DE, which logged the cancel before any answer.
    expect(v.crossings).toEqual([
      { kind: 'cancel', from: DE, confirmation: true, seq: expect.any(Number), id: expect.any(String) },
    ]);
    const report = await custody(['verify-bundle', bundle, '--trust', pub, '--quorum', '0']);
    expect(report.stdout).toContain(`confirmed by: ${DE}`);
    expect(report.stdout).toMatch(/cancelled at entry \d+/);
    // Both ledgers' bundles of DISK-01 in one journey: the confirmation is matched with DE's import.
    const deBundle = join(dir, 'disk-de.custody');
    await json(
      [
        'export',
        'DISK-01',
        '--out',
        deBundle,
        '--key',
        de.actor.key,
        '--profile',
        'court',
        '--recipient',
        'Tribunal',
        '--legal-basis',
        'MLA FR-2026-7',
      ],
      at(de),
    );
    const journey = join(dir, 'disk.journey');
    await json(['journey', bundle, deBundle, '--out', journey]);
    const trust = await writeTrustManifest(join(dir, 'disk-trust.json'), [nl, de]);
    const j = await json<{
      verdict: string;
      journey: { links: { kind: string; from: string; fromSeq: number | null }[] };
    }>(['verify-bundle', journey, '--trust-policy', trust]);
    expect(j.verdict).toBe('VERIFIED');
    expect(j.journey.links.map((l) => [l.kind, l.from]).sort()).toEqual([
      ['cancel', DE],
      ['cancel', NL],
      ['register', NL],
      ['transfer', NL],
    ]);
    expect(j.journey.links.every((l) => l.fromSeq !== null)).toBe(true);
  }, 90_000);

  it("NL gathers the whole journey of PHONE-01: DE hands over its segment at NL's signed request, and logs that it did", async () => {
    const journey = join(dir, 'gathered.journey');
    const g = await json<{ journey: boolean; segments: { origin: string }[] }>(
      [
        'export',
        'PHONE-01',
        '--out',
        journey,
        '--key',
        nl.actor.key,
        '--profile',
        'court',
        '--recipient',
        'Tribunal judiciaire de Paris',
        '--legal-basis',
        'MLA FR-2026-7',
        '--gather',
        '--peer-key',
        credential.get(nl)!,
      ],
      at(nl),
    );
    expect(g).toMatchObject({ journey: true, segments: [{ origin: DE }] });
    const trust = await writeTrustManifest(join(dir, 'gathered-trust.json'), [nl, de]);
    const v = await json<{ verdict: string; journey: { segments: { origin: string }[] } }>([
      'verify-bundle',
      journey,
      '--trust-policy',
      trust,
    ]);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.journey.segments.map((x) => x.origin)).toEqual([NL, DE]);
    // The same manifest anchors NL's report from its live ledger.
    const live = await json<{ verdict: string }>(['report', 'PHONE-01', '--trust-policy', trust], at(nl));
    expect(live.verdict).toBe('VERIFIED');
    // DE's log says what it handed to whom, at whose signed request; and it still verifies.
    const log = await json<{ entries: { kind: string; signerName: string }[] }>(['log'], at(de));
    expect(log.entries.filter((e) => e.kind === 'disclosure')).toEqual([
      expect.objectContaining({ signerName: `the log, for ${NL} (peer)` }),
    ]);
    const pub = (await json<{ publicKey: string }>(['key', 'show', de.authority.key])).publicKey;
    expect((await json<{ ok: boolean }>(['verify', '--trust', pub], at(de))).ok).toBe(true);
    // An actor's access key (DE's examiner's, enrolled there) is not a peer's credential: refused.
    const refused = await custody(
      [
        'export',
        'PHONE-01',
        '--out',
        join(dir, 'x.journey'),
        '--key',
        nl.actor.key,
        '--profile',
        'court',
        '--recipient',
        'T',
        '--legal-basis',
        'x',
        '--gather',
        '--peer-key',
        de.access,
      ],
      at(nl),
    );
    expectFailure(refused, { exit: 2, code: 'FORBIDDEN', message: "peer ledgers' credentials" });
    expect(
      (await json<{ entries: { kind: string }[] }>(['log'], at(de))).entries.filter(
        (e) => e.kind === 'disclosure',
      ),
    ).toHaveLength(1);
  }, 90_000);
});
