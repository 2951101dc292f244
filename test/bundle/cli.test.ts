/**
 * Evidence bundles through the built command-line tool (dist/cli/main.js):
 * export → verify-bundle (exit 0), a damaged bundle (exit 1, problem listed),
 * random bytes (exit 2, BUNDLE_MALFORMED), --report out.html (self-contained:
 * no script, no remote resources), and `custody report --format html`.
 *
 * Keys are made with `custody key new` under CUSTODY_PASSPHRASE (test/e2e/helpers.ts).
 * Process start-up dominates, so the history is written in-process and the
 * independent verifications run in parallel.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle } from '../../src/bundle/format.js';
import { fromBase64 } from '../../src/bytes.js';
import { type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { Role } from '../../src/format/events.js';
import { decodeRecord } from '../../src/format/record.js';
import { decryptKeyFile } from '../../src/keys/keyfile.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { LevelStore } from '../../src/store/level.js';
import {
  custody,
  evidenceFile,
  expectFailure,
  json,
  PASSPHRASE,
  type Person,
  parseJson,
  type RunResult,
  removeTempDirs,
  tempDir,
} from '../e2e/helpers.js';
import { EIO, prngBytes } from './helpers.js';

afterAll(removeTempDirs);

interface Setup {
  dir: string;
  ledger: string;
  authority: Person;
  police: Person;
  bka: Person;
  evidence: string;
  exhibit: string;
  bundle: string;
  exported: { bytes: number; entries: number; headAttested: boolean };
}

let s: Setup;
const runs = new Map<string, RunResult>();
const result = (name: string): RunResult => runs.get(name)!;

/** Writes a variant of the exported bundle next to it. */
function variant(name: string, edit: (b: ReturnType<typeof decodeBundle>) => Uint8Array): string {
  const path = join(s.dir, name);
  writeFileSync(path, edit(decodeBundle(new Uint8Array(readFileSync(s.bundle)))));
  return path;
}

/** The three key files this test needs, made with `custody key new` (in parallel). */
async function makeKeys(dir: string): Promise<Record<'authority' | 'police' | 'bka', Person>> {
  const people = {
    authority: ['NFI ledger authority', 'NL', 'Netherlands Forensic Institute', ''],
    police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian'],
    bka: ['KHK K. Müller', 'DE', 'Bundeskriminalamt', 'custodian,examiner'],
  } as const;
  const made = await Promise.all(
    Object.entries(people).map(async ([who, [name, jurisdiction, org, roles]]) => {
      const key = join(dir, `${who}.key`);
      const k = await json<{ keyId: string; publicKey: string }>([
        'key',
        'new',
        '--name',
        name,
        '--out',
        key,
      ]);
      return [who, { name, key, id: k.keyId, publicKey: k.publicKey, jurisdiction, org, roles }] as const;
    }),
  );
  return Object.fromEntries(made) as Record<'authority' | 'police' | 'bka', Person>;
}

/** A signer from a key file written by `custody key new`, opened with the e2e passphrase. */
function signerOf(p: Person): Signer {
  return signerFromSeed(decryptKeyFile(readFileSync(p.key, 'utf8'), PASSPHRASE).seed);
}

beforeAll(async () => {
  const dir = tempDir('custody-bundle-cli-');
  const ledger = join(dir, 'ledger');
  const p = await makeKeys(dir);
  // The history is written in-process (through the same library as `custody init`, `actor add`,
  // `register`, `transfer` and `accept`) to save a process start-up per event; the commands under
  // test — export, verify-bundle, report — run as the built CLI.
  const [authority, police, bka] = [signerOf(p.authority), signerOf(p.police), signerOf(p.bka)];
  const evidence = evidenceFile(dir, 'HDD-01.dd', 16 << 10);
  const content = readFileSync(evidence);
  const l = await Ledger.create(await LevelStore.open(ledger, 'create'), authority, {
    origin: 'bundle.custody.example/cli',
    name: p.authority.name,
    jurisdiction: 'NL',
    org: p.authority.org,
  });
  for (const who of [p.police, p.bka])
    await l.append(
      {
        kind: 'enrol',
        body: {
          publicKey: fromBase64(who.publicKey)!,
          name: who.name,
          roles: who.roles.split(',') as Role[],
          jurisdiction: who.jurisdiction,
          org: who.org,
        },
      },
      authority,
    );
  const digests = {
    sha256: sha256(content),
    md5: new Uint8Array(createHash('md5').update(content).digest()),
  };
  const exhibit = (
    await l.append(
      {
        kind: 'register',
        body: {
          label: 'HDD-01',
          caseRef: 'JIT-2026-017',
          description: 'exhibit HDD-01',
          digests,
          size: content.length,
        },
      },
      police,
    )
  ).exhibit!;
  await l.append(
    { kind: 'transfer', body: { exhibit, to: p.bka.id, reason: 'analysis', legalBasis: EIO } },
    police,
  );
  await l.append({ kind: 'accept', body: { exhibit, digests, seal: 'intact' } }, bka);
  await l.close();

  const bundle = join(dir, 'HDD-01.custody');
  const exported = (await json(['export', exhibit, '--out', bundle, '--key', p.authority.key], {
    ledger,
  })) as Setup['exported'];
  s = {
    dir,
    ledger,
    authority: p.authority,
    police: p.police,
    bka: p.bka,
    evidence,
    exhibit,
    bundle,
    exported,
  };

  const damaged = variant('damaged.custody', (b) => {
    const i = b.entries.findIndex((e) => decodeRecord(e.record).payload.kind === 'transfer');
    const record = b.entries[i]!.record.slice();
    record[record.length - 5]! ^= 0x01; // inside the 64-byte signature that ends the record
    b.entries[i] = { ...b.entries[i]!, record };
    return encodeBundle(b);
  });
  const gap = variant('gap.custody', (b) => {
    b.entries.splice(
      b.entries.findIndex((e) => decodeRecord(e.record).payload.kind === 'transfer'),
      1,
    );
    return encodeBundle(b);
  });
  const noEnrol = variant('no-enrol.custody', (b) => {
    b.entries = b.entries.filter((e) => e.seq !== 1);
    return encodeBundle(b);
  });
  const junk = join(dir, 'junk.custody');
  writeFileSync(junk, prngBytes('cli junk', 4096));
  const full = new Uint8Array(readFileSync(bundle));
  const cut = join(dir, 'cut.custody');
  writeFileSync(cut, full.subarray(0, full.length - 100));

  // verify-bundle needs no ledger: CUSTODY_LEDGER points at nothing.
  const nowhere = { ledger: join(dir, 'no-ledger-here') };
  const trust = ['--trust', p.authority.publicKey];
  const jobs: Record<string, string[]> = {
    ok: ['verify-bundle', bundle, ...trust, '--file', evidence, '--json', '--report', join(dir, 'ok.html')],
    damaged: ['verify-bundle', damaged, ...trust],
    gap: ['verify-bundle', gap, ...trust],
    wrongTrust: ['verify-bundle', bundle, '--trust', p.police.publicKey],
    failedReport: ['verify-bundle', noEnrol, ...trust, '--report', join(dir, 'failed.html')],
    junk: ['verify-bundle', junk, ...trust],
    cut: ['verify-bundle', cut, ...trust],
    quorum: ['verify-bundle', bundle, ...trust, '--quorum', '1'],
  };
  const names = Object.keys(jobs);
  const [live, ...results] = await Promise.all([
    custody(['report', exhibit, '--format', 'html', '--out', join(dir, 'live.html'), ...trust], { ledger }),
    ...names.map((n) => custody(jobs[n]!, nowhere)),
  ]);
  runs.set('live', live!);
  for (const [i, n] of names.entries()) runs.set(n, results[i]!);
});

describe('custody export / verify-bundle', () => {
  it('export writes a head-attested bundle; verify-bundle exits 0', () => {
    expect(s.exported.headAttested).toBe(true);
    const bytes = new Uint8Array(readFileSync(s.bundle));
    expect(bytes.length).toBe(s.exported.bytes);
    // Genesis, two enrolments, register, transfer, accept.
    expect(decodeBundle(bytes).entries).toHaveLength(6);
    expect(s.exported.entries).toBe(6);
    const ok = result('ok');
    expect(ok.code, ok.stderr).toBe(0);
    const j = parseJson<{ verdict: { verified: boolean; status: string } }>(ok);
    expect(j.verdict).toMatchObject({ verified: true, status: 'VERIFIED' });
    expect(ok.stdout).toContain(s.exhibit);
  });

  it('a damaged bundle (one signature bit) exits 1 and lists the problem in its report', () => {
    const r = result('damaged');
    expectFailure(r, { exit: 1, code: 'VERIFICATION_FAILED', message: /signatures/i, stdout: 'any' });
    expect(r.stdout).toContain('SIGNATURE_INVALID');
  });

  it('a removed middle event exits 1 with the missing-events check failed', () => {
    expectFailure(result('gap'), {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: /no missing events/i,
      stdout: 'any',
    });
    expect(result('gap').stdout).toMatch(/EXHIBIT_LINK_BROKEN|does not link/);
  });

  it('the wrong trust key exits 1 (trust anchor)', () => {
    expectFailure(result('wrongTrust'), {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: /trust anchor/i,
      stdout: 'any',
    });
  });

  it('random bytes exit 2 with BUNDLE_MALFORMED, and so does a truncated bundle', () => {
    expectFailure(result('junk'), { exit: 2, code: 'BUNDLE_MALFORMED' });
    expectFailure(result('cut'), { exit: 2, code: 'BUNDLE_MALFORMED' });
  });

  it('a --quorum larger than the number of --witness keys is a usage error (exit 2)', () => {
    expectFailure(result('quorum'), { exit: 2, code: 'USAGE' });
  });
});

/** Self-contained HTML: no script, and no http(s) reference beyond the SVG namespace name. */
function expectSelfContained(html: string) {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html.toLowerCase()).not.toContain('<script');
  const withoutNamespaces = html.replace(/\sxmlns(:[a-z]+)?="http:\/\/www\.w3\.org\/[^"]*"/g, '');
  expect(withoutNamespaces).not.toMatch(/https?:\/\//i);
  expect(html).not.toMatch(/(src|href|action)\s*=\s*["']?\s*(https?:|\/\/)/i);
  expect(html).not.toMatch(/@import|url\(\s*['"]?(?!data:)/i);
}

describe('reports', () => {
  it('verify-bundle --report out.html writes a self-contained HTML report', () => {
    const r = result('ok');
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(s.dir, 'ok.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toContain(s.exhibit);
    expect(html).toContain('EIO DE-2026-0042');
  });

  it('a failing verification still writes its report, naming the problem', () => {
    const r = result('failedReport');
    expect(r.code, r.stderr).toBe(1);
    const html = readFileSync(join(s.dir, 'failed.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toMatch(/ACTOR_UNKNOWN|not enrolled/);
  });

  it('custody report <exhibit> --format html --out f works from the live ledger', () => {
    const r = result('live');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('verified');
    const html = readFileSync(join(s.dir, 'live.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toContain(s.exhibit);
  });
});
