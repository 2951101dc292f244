/**
 * Evidence bundles (CUSTODY-BUNDLE/2) through the built command-line tool
 * (dist/cli/main.js): export → verify-bundle (exit 0), bundles damaged in each
 * of the ways a verifier must notice (exit 1, the failed check and the problem
 * named), random or truncated bytes (exit 2, BUNDLE_MALFORMED), --report
 * out.html (self-contained: no script, no remote resources), and
 * `custody report --format html`.
 *
 * Keys are made with `custody key new` under CUSTODY_PASSPHRASE (test/e2e/helpers.ts).
 * Process start-up dominates, so the history is written in-process (through
 * the library the CLI's commands use) and the independent verifications run
 * in parallel.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BundleV2, decodeBundleV2, encodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { fromBase64 } from '../../src/bytes.js';
import { NS } from '../../src/custody/records.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { decodeSignedStatement } from '../../src/format/statement.js';
import { DirectLedger } from '../e2e/direct.js';
import {
  custody,
  EXHIBIT_ID,
  evidenceFile,
  expectFailure,
  exportFor,
  json,
  type Person,
  parseJson,
  type RunResult,
  removeTempDirs,
  signerOf,
  tempDir,
} from '../e2e/helpers.js';

afterAll(removeTempDirs);

const ORIGIN = 'bundle.custody.example/cli';
const EIO = 'EIO DE-2026-0042 (Directive 2014/41/EU)';

type Who = 'authority' | 'log' | 'police' | 'bka';
interface Setup {
  dir: string;
  ledger: string;
  people: Record<Who, Person>;
  evidence: string;
  exhibit: string;
  bundle: string;
  exported: {
    exhibit: string;
    bytes: number;
    entries: number;
    checkpointSize: number;
    profile: string;
    withheld: string[];
  };
}
/** The report model, under `report` in the --json verdict document (docs/CLI.md §Verdicts). */
interface ReportJson {
  format: string;
  verdict: { status: string; verified: boolean; anchored: boolean };
  checks: { id: string; verdict: string; detail: string }[];
  /** The problems that decided the verdict and the warnings, marked by severity. */
  problems: { code: string; severity: string }[];
}
interface VerdictJson {
  ok: boolean;
  verdict: string;
  anchored: boolean;
  problems: { code: string }[];
  warnings: { code: string }[];
  report: ReportJson;
}

let s: Setup;
const runs = new Map<string, RunResult>();
const result = (name: string): RunResult => runs.get(name)!;

/** Writes a variant of the exported bundle next to it, decoded, edited and re-encoded canonically. */
function variant(name: string, edit: (b: BundleV2) => void): string {
  const path = join(s.dir, name);
  const b = decodeBundleV2(new Uint8Array(readFileSync(s.bundle)));
  edit(b);
  writeFileSync(path, encodeBundleV2(b));
  return path;
}

/** The bundled entry whose statement is of `kind`. */
const entryOf = (b: BundleV2, kind: string) =>
  b.entries.findIndex((e) => decodeSignedStatement(e.payload).statement.kind === kind);

/** The four key files this test needs, made with `custody key new` (in parallel). */
async function makeKeys(dir: string): Promise<Record<Who, Person>> {
  const people = {
    authority: ['NFI ledger authority', 'NL', 'Netherlands Forensic Institute', ''],
    log: ['NFI log key', 'NL', 'Netherlands Forensic Institute', ''],
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
  return Object.fromEntries(made) as Record<Who, Person>;
}

beforeAll(async () => {
  const dir = tempDir('custody-bundle-cli-');
  const ledger = join(dir, 'ledger');
  const p = await makeKeys(dir);
  // The history is written in-process (through the same library calls as `custody init`,
  // `actor add`, `register`, `transfer` and `accept`) to save a process start-up per statement;
  // the commands under test — export, verify-bundle, report — run as the built CLI.
  const [authority, police, bka] = [signerOf(p.authority), signerOf(p.police), signerOf(p.bka)];
  const evidence = evidenceFile(dir, 'HDD-01.dd', 16 << 10);
  const content = readFileSync(evidence);
  const digests = {
    sha256: new Uint8Array(createHash('sha256').update(content).digest()),
    md5: new Uint8Array(createHash('md5').update(content).digest()),
  };
  const l = await DirectLedger.at(ledger, 'create');
  await l.genesis(ORIGIN, authority, fromBase64(p.log.publicKey)!, {
    jurisdiction: 'NL',
    org: p.authority.org,
  });
  for (const who of [p.police, p.bka])
    await l.enrol(authority, fromBase64(who.publicKey)!, {
      name: who.name,
      org: who.org,
      roles: who.roles.split(','),
      jurisdiction: who.jurisdiction,
    });
  const reg = await l.register(police, {
    label: 'HDD-01',
    caseRef: 'JIT-2026-017',
    description: 'exhibit HDD-01',
    digests,
    size: content.length,
    seal: 'NL-0041187',
  });
  const id = reg.id;
  await l.chain('transfer', police, id, {
    to: keyIdOf({ type: KEY_TYPES.ed25519, publicKey: fromBase64(p.bka.publicKey)! }, KEY_PURPOSES.statement),
    reason: 'analysis',
    legalBasis: EIO,
  });
  await l.chain('accept', bka, id, { digests, seal: 'intact', note: 'received sealed' });
  await l.close();

  const bundle = join(dir, 'HDD-01.custody');
  const exported = await json<Setup['exported']>(
    ['export', Buffer.from(id).toString('hex'), '--out', bundle, '--log-key', p.log.key, ...exportFor(p.bka)],
    { ledger },
  );
  s = { dir, ledger, people: p, evidence, exhibit: exported.exhibit, bundle, exported };

  const payloadFlipped = variant('payload.custody', (b) => {
    const i = entryOf(b, 'transfer');
    const payload = b.entries[i]!.payload.slice();
    payload[payload.length - 5]! ^= 0x01; // inside the signature that ends the statement
    b.entries[i] = { ...b.entries[i]!, payload };
  });
  const gap = variant('gap.custody', (b) => {
    b.entries.splice(entryOf(b, 'transfer'), 1);
  });
  const noEnrol = variant('no-enrol.custody', (b) => {
    b.entries = b.entries.filter((e) => e.index !== 1);
  });
  const opening = variant('opening.custody', (b) => {
    const i = entryOf(b, 'accept');
    const o = Buffer.from(b.entries[i]!.openings!);
    const at = o.indexOf('received sealed');
    expect(at).toBeGreaterThan(0);
    o[at] = 'R'.charCodeAt(0);
    b.entries[i] = { ...b.entries[i]!, openings: new Uint8Array(o) };
  });
  const noRecord = variant('no-record.custody', (b) => {
    b.records = b.records.filter((r) => r.ns !== NS.exhibit);
  });
  const badNote = variant('checkpoint.custody', (b) => {
    // The note's signature line, one base64 character changed.
    const at = b.checkpoint.lastIndexOf(' ') + 10;
    const c = b.checkpoint[at] === 'A' ? 'B' : 'A';
    b.checkpoint = b.checkpoint.slice(0, at) + c + b.checkpoint.slice(at + 1);
  });
  const junk = join(dir, 'junk.custody');
  writeFileSync(junk, createHash('sha512').update('cli junk').digest());
  const full = new Uint8Array(readFileSync(bundle));
  const cut = join(dir, 'cut.custody');
  writeFileSync(cut, full.subarray(0, full.length - 100));
  const v1 = join(dir, 'v1.custody');
  writeFileSync(v1, Buffer.concat([Buffer.from('CUSTODY-BUNDLE/1\n'), full.subarray(17)]));

  // verify-bundle needs no ledger: CUSTODY_LEDGER points at nothing.
  const nowhere = { ledger: join(dir, 'no-ledger-here') };
  const pinned = ['--trust', p.authority.publicKey];
  // No witness in this suite: the log key alone is accepted (else every verdict is UNWITNESSED).
  const trust = [...pinned, '--quorum', '0'];
  const jobs: Record<string, string[]> = {
    ok: ['verify-bundle', bundle, ...trust, '--file', evidence, '--json', '--report', join(dir, 'ok.html')],
    payload: ['verify-bundle', payloadFlipped, ...trust, '--json'],
    gap: ['verify-bundle', gap, ...trust, '--json'],
    noEnrol: ['verify-bundle', noEnrol, ...trust, '--report', join(dir, 'failed.html'), '--json'],
    opening: ['verify-bundle', opening, ...trust, '--json'],
    noRecord: ['verify-bundle', noRecord, ...trust, '--json'],
    badNote: ['verify-bundle', badNote, ...trust, '--json'],
    wrongTrust: ['verify-bundle', bundle, '--trust', p.police.publicKey, '--quorum', '0', '--json'],
    unwitnessed: ['verify-bundle', bundle, ...pinned, '--json'],
    junk: ['verify-bundle', junk, ...trust],
    cut: ['verify-bundle', cut, ...trust],
    v1: ['verify-bundle', v1, ...trust],
    quorum: ['verify-bundle', bundle, ...pinned, '--quorum', '1'],
    noTrust: ['verify-bundle', bundle, '--file', evidence],
    missing: ['verify-bundle', join(dir, 'missing.custody'), ...trust],
  };
  const names = Object.keys(jobs);
  const [live, ...results] = await Promise.all([
    custody(['report', 'HDD-01', '--format', 'html', '--out', join(dir, 'live.html'), ...trust], { ledger }),
    ...names.map((n) => custody(jobs[n]!, nowhere)),
  ]);
  runs.set('live', live!);
  for (const [i, n] of names.entries()) runs.set(n, results[i]!);
});

/** The report a verify-bundle --json that did not verify still prints, with the check that failed and the codes. */
function failed(
  name: string,
  message: RegExp | string,
  verdict: 'FAILED' | 'UNANCHORED' | 'UNWITNESSED' = 'FAILED',
): ReportJson {
  const r = result(name);
  const exit = { FAILED: 1, UNANCHORED: 6, UNWITNESSED: 7 }[verdict];
  expectFailure(r, { exit, code: `VERIFICATION_${verdict}`, message, stdout: 'any' });
  const top = parseJson<VerdictJson>(r);
  expect(top).toMatchObject({ ok: false, verdict });
  expect(top.report.verdict).toMatchObject({ status: 'NOT VERIFIED', verified: false });
  return top.report;
}
const checkOf = (j: ReportJson, id: string) => j.checks.find((c) => c.id === id)?.verdict;
/** The codes of the report's problems, its warnings left out. */
const codesOf = (j: ReportJson) => j.problems.filter((p) => p.severity === 'error').map((p) => p.code);

describe('custody export / verify-bundle', () => {
  it('export writes a bundle under a checkpoint it signs with the log key; verify-bundle exits 0', () => {
    expect(s.exhibit).toMatch(EXHIBIT_ID);
    const bytes = new Uint8Array(readFileSync(s.bundle));
    expect(bytes.length).toBe(s.exported.bytes);
    expect(Buffer.from(bytes.subarray(0, 17)).toString()).toBe('CUSTODY-BUNDLE/2\n');
    // Genesis, two enrolments, register, transfer, accept.
    const b = decodeBundleV2(bytes);
    expect(b.entries.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(b.origin).toBe(ORIGIN);
    expect(s.exported).toMatchObject({ entries: 6, checkpointSize: 6, profile: 'court', withheld: [] });
    const ok = result('ok');
    expect(ok.code, ok.stderr).toBe(0);
    const top = parseJson<VerdictJson>(ok);
    expect(top).toMatchObject({ ok: true, verdict: 'VERIFIED', anchored: true, problems: [] });
    expect(top.warnings.map((w) => w.code)).toEqual(['COSIGNATURE_NOT_ASKED']);
    const j = top.report;
    expect(j.verdict).toMatchObject({ verified: true, status: 'VERIFIED', anchored: true });
    expect(j.problems.map((p) => [p.code, p.severity])).toEqual([['COSIGNATURE_NOT_ASKED', 'warning']]);
    expect(checkOf(j, 'file-digests')).toBe('pass');
    expect(ok.stdout).toContain(s.exhibit);
    expect(ok.stderr).toBe('');
  });

  it('a changed byte in a bundled statement: its entry no longer commits to it (exit 1)', () => {
    const j = failed('payload', /entry and statement format/i);
    expect(codesOf(j)).toContain('PAYLOAD_HASH_MISMATCH');
    expect(checkOf(j, 'records')).toBe('fail');
  });

  it('a removed middle event exits 1 with the missing-events check failed', () => {
    const j = failed('gap', /no missing events/i);
    expect(codesOf(j)).toContain('EXHIBIT_LINK_BROKEN');
    expect(checkOf(j, 'exhibit-links')).toBe('fail');
  });

  it('a removed enrolment: the signer is unknown and governance no longer forms one chain (exit 1)', () => {
    const j = failed('noEnrol', /signers entitled to act/i);
    expect(codesOf(j)).toEqual(expect.arrayContaining(['ACTOR_UNKNOWN', 'LEDGER_LINK_BROKEN']));
  });

  it('a changed cleartext: the opening no longer matches what was signed (exit 1)', () => {
    const j = failed('opening', /revealed cleartext/i);
    expect(codesOf(j)).toEqual(['OPENING_INVALID']);
    expect(checkOf(j, 'openings')).toBe('fail');
  });

  it('a record left out: the history can no longer be shown complete (exit 1)', () => {
    const j = failed('noRecord', /nothing left out/i);
    expect(codesOf(j)).toContain('RECORD_MISSING');
    expect(checkOf(j, 'history-complete')).toBe('fail');
  });

  it('a checkpoint whose signature does not verify under the genesis log key (exit 1)', () => {
    const j = failed('badNote', /checkpoint signature/i);
    expect(codesOf(j)).toContain('CHECKPOINT_SIGNATURE_INVALID');
  });

  it('without a witness, and without --quorum 0, the verdict is UNWITNESSED (exit 7)', () => {
    const j = failed('unwitnessed', /witness cosignatures/i, 'UNWITNESSED');
    expect(codesOf(j)).toEqual(['COSIGNATURE_MISSING']);
    expect(checkOf(j, 'witness-quorum')).toBe('fail');
  });

  it('the wrong trusted key is UNANCHORED, exit 6 (trust anchor)', () => {
    const j = failed('wrongTrust', /trust anchor/i, 'UNANCHORED');
    expect(checkOf(j, 'anchor')).toBe('fail');
    expect(codesOf(j)).toContain('ANCHOR_MISMATCH');
  });

  it('a bundle file that cannot be read exits 2 (FILE_UNREADABLE)', () => {
    expectFailure(result('missing'), {
      exit: 2,
      code: 'FILE_UNREADABLE',
      message: `cannot read bundle ${join(s.dir, 'missing.custody')}: ENOENT`,
    });
  });

  // Not a custody bundle at all is bad input, not a failed verification (it once printed a whole
  // report and exited 1): docs/ERRORS.md, BUNDLE_MALFORMED input / 2.
  it('random bytes, a truncated bundle and a version 1 header exit 2 with BUNDLE_MALFORMED', () => {
    for (const name of ['junk', 'cut', 'v1'])
      expectFailure(result(name), { exit: 2, code: 'BUNDLE_MALFORMED' });
  });

  it('usage errors: no trusted key at all; a --quorum larger than the number of --witness keys (exit 2)', () => {
    expectFailure(result('noTrust'), {
      exit: 2,
      code: 'USAGE',
      message: 'give the key you trust: --trust <authority public key> or --trust-log <log public key>',
    });
    expectFailure(result('quorum'), {
      exit: 2,
      code: 'USAGE',
      message: '--quorum must be between 0 and the number of witnesses named by --witness (0)',
    });
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
    expect(html).toContain(s.people.bka.name);
  });

  it('a failing verification still writes its report, naming the problem', () => {
    expect(result('noEnrol').code).toBe(1);
    const html = readFileSync(join(s.dir, 'failed.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toContain('NOT VERIFIED');
    expect(html).toContain('ACTOR_UNKNOWN');
  });

  it('custody report <exhibit> --format html --out f works from the live ledger', () => {
    const r = result('live');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`report on ${s.exhibit} written to ${join(s.dir, 'live.html')}: VERIFIED\n`);
    const html = readFileSync(join(s.dir, 'live.html'), 'utf8');
    expectSelfContained(html);
    expect(html).toContain(s.exhibit);
    expect(html).toContain('received sealed');
  });
});
