/**
 * Checkpoints, proofs, witnesses and evidence bundles through the CLI:
 * checkpoint (signed with the log key genesis names, never another key) /
 * checkpoints / prove / consistency / witness vkey|cosign|attach,
 * verify --checkpoint, export / verify-bundle / report. The steps share one
 * ledger and run in order.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { independentVerify } from '../checkpoint/independent-verifier.js';
import { verifyConsistencyIndependently, verifyInclusionIndependently } from '../proofs/independent.js';
import {
  alteredCopy,
  copyLedger,
  custody,
  enrol,
  evidenceFile,
  expectFailure,
  expectFields,
  exportFor,
  fixturePeople,
  HEX32,
  initArgs,
  json,
  ok,
  type Person,
  parseJson,
  removeTempDirs,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

const ORIGIN = 'e2e.custody.example/checkpoints';
const h = (x: string) => Buffer.from(x, 'hex');

interface Checkpoint {
  size: number;
  root: string;
  origin: string;
  created: boolean;
  note: string;
}
/** The --json document of verify-bundle and report (docs/CLI.md §Verdicts), the report model under `report`. */
interface VerdictJson {
  ok: boolean;
  verdict: string;
  anchored: boolean;
  report: ReportJson;
}
interface ReportJson {
  format: string;
  verdict: { status: string; verified: boolean; anchored: boolean; reasons: string[] };
  identification: { exhibitId: string; description: string };
  checks: { id: string; verdict: string; detail: string }[];
  checkpoint: { size: number; witnessesVerified: number; quorum: number; quorumMet: boolean };
}

describe('checkpoints, proofs, witnesses and bundles', () => {
  let dir: string;
  let ledger: string;
  let evidence: string;
  let exhibit: string;
  let registeredLeaf: string;
  let root6: string;
  let witnessVkey: string;
  let logVkey: string;
  let atSize6: string; // a copy of the ledger taken when it had 6 entries
  let bundle: string;
  const who = {} as Record<'authority' | 'log' | 'police' | 'bka' | 'witness', Person>;
  const run = (args: string[]) => custody(args, { ledger });
  const j = <T = Record<string, unknown>>(args: string[]) => json<T>(args, { ledger });
  const logPublicKey = () => Buffer.from(who.log.publicKey, 'base64');

  beforeAll(async () => {
    dir = tempDir('custody-e2e-cp-');
    ledger = join(dir, 'ledger');
    Object.assign(
      who,
      fixturePeople(dir, {
        authority: ['Ledger authority', 'NL', 'NFI', ''],
        log: ['NFI log key', 'NL', 'NFI', ''],
        police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian'],
        bka: ['KHK K. Müller', 'DE', 'Bundeskriminalamt', 'custodian,examiner'],
        witness: ['Witness', 'BE', 'Witness service', ''],
      }),
    );
    await j(initArgs(ORIGIN, who.authority, who.log, 'NFI'));
    await enrol(ledger, who.authority, who.police);
    await enrol(ledger, who.authority, who.bka);
    evidence = evidenceFile(dir, 'HDD-01.dd');
    const reg = await j<{ exhibit: string; receipt: { leafHash: string } }>([
      'register',
      evidence,
      '--key',
      who.police.key,
      '--case',
      'C-1',
      '--exhibit',
      'HDD-01',
      '--description',
      'disk image',
      '--hash',
      'sha256,sha1',
    ]);
    exhibit = reg.exhibit;
    registeredLeaf = reg.receipt.leafHash;
    await j([
      'transfer',
      exhibit,
      '--to',
      who.bka.id,
      '--key',
      who.police.key,
      '--reason',
      'EIO',
      '--legal-basis',
      'EIO 1',
    ]);
    await j(['accept', exhibit, '--key', who.bka.key, '--file', evidence]);
  });

  it('checkpoint: none stored yet; only the log key signs one (once); without a key shows the stored one', async () => {
    expectFailure(await run(['checkpoint']), {
      exit: 2,
      code: 'CHECKPOINT_NEEDS_KEY',
      message:
        'custody: no checkpoint at size 6 yet; give --log-key <log key file> to sign one [CHECKPOINT_NEEDS_KEY]',
    });
    // Export needs a checkpoint covering the exhibit too.
    expectFailure(
      await run(['export', exhibit, '--out', join(dir, 'early.custody'), ...exportFor(who.police)]),
      {
        exit: 2,
        code: 'CHECKPOINT_NEEDS_KEY',
        message: `no stored checkpoint covers the last event of ${exhibit} (entry 5); give --log-key <log key file>`,
      },
    );
    // The authority key, or an actor's, is not the log key: nothing is signed or stored.
    for (const k of [who.authority.key, who.police.key])
      expectFailure(await run(['checkpoint', '--log-key', k]), {
        exit: 2,
        code: 'CHECKPOINT_SIGNER_NOT_LOG',
        message: 'this key is not the log key named in the genesis statement',
      });
    expect(await j(['checkpoints'])).toEqual({ checkpoints: [] });

    const c = await j<Checkpoint>(['checkpoint', '--log-key', who.log.key]);
    expectFields(c, ['size', 'root', 'origin', 'created', 'dualSigned', 'note']);
    expect(c).toMatchObject({ size: 6, origin: ORIGIN, created: true });
    expect(c.root).toMatch(HEX32);
    expect(
      c.note.startsWith(`${ORIGIN}\n6\n${Buffer.from(c.root, 'hex').toString('base64')}\n\n— ${ORIGIN} `),
    ).toBe(true);
    // The note verifies independently under the log key, and under no other key of this ledger.
    const named = (k: Buffer) => [{ name: ORIGIN, type: 1 as const, publicKey: k }];
    expect(independentVerify(c.note, named(logPublicKey()))).toMatchObject({ ok: true, verified: [ORIGIN] });
    expect(independentVerify(c.note, named(Buffer.from(who.authority.publicKey, 'base64'))).ok).toBe(false);
    root6 = c.root;
    const v = await j<{ root: string }>(['verify', '--trust-log', who.log.key]);
    expect(v.root).toBe(root6);
    const again = await j<{ created: boolean; note: string }>(['checkpoint', '--log-key', who.log.key]);
    expect(again).toMatchObject({ created: false, note: c.note });
    const shown = await run(['checkpoint']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(c.note);
    expect(shown.stderr).toBe('checkpoint at size 6 (already signed)\n');
    const list = await j<{ checkpoints: unknown[] }>(['checkpoints']);
    expect(list).toEqual({ checkpoints: [{ size: 6, root: root6, signatures: 1 }] });
    const vk = await j<{ vkey: string }>(['checkpoint', '--vkey']);
    expectFields(vk, ['vkey']);
    const keyId = createHash('sha256')
      .update(Buffer.concat([Buffer.from(ORIGIN), Buffer.from([0x0a, 0x01]), logPublicKey()]))
      .digest()
      .subarray(0, 4)
      .toString('hex');
    expect(vk.vkey).toBe(
      `${ORIGIN}+${keyId}+${Buffer.concat([Buffer.from([1]), logPublicKey()]).toString('base64')}`,
    );
    logVkey = vk.vkey;
    atSize6 = copyLedger(ledger);
  });

  // Read-only, on the copy taken at size 6: runs alongside the witness steps.
  it.concurrent('prove and consistency give RFC 9162 proofs that check out independently', async () => {
    const j = <T>(args: string[]) => json<T>(args, { ledger: atSize6 });
    const p = await j<{ index: number; size: number; leafHash: string; root: string; proof: string[] }>([
      'prove',
      '3',
    ]);
    expectFields(p, ['index', 'size', 'leafHash', 'root', 'proof']);
    expect(p).toMatchObject({ index: 3, size: 6, leafHash: registeredLeaf, root: root6 });
    expect(verifyInclusionIndependently(3, 6, h(p.leafHash), p.proof.map(h), h(root6))).toBe(true);
    expect(verifyInclusionIndependently(2, 6, h(p.leafHash), p.proof.map(h), h(root6))).toBe(false);
    const small = await j<{ root: string; proof: string[]; leafHash: string }>(['prove', '3', '--size', '4']);
    expect(verifyInclusionIndependently(3, 4, h(small.leafHash), small.proof.map(h), h(small.root))).toBe(
      true,
    );

    const c = await j<{
      first: number;
      second: number;
      firstRoot: string;
      secondRoot: string;
      proof: string[];
    }>(['consistency', '4']);
    expectFields(c, ['first', 'second', 'firstRoot', 'secondRoot', 'proof']);
    expect(c).toMatchObject({ first: 4, second: 6, firstRoot: small.root, secondRoot: root6 });
    expect(verifyConsistencyIndependently(4, 6, h(c.firstRoot), h(c.secondRoot), c.proof.map(h))).toBe(true);
    const empty = await j<{ firstRoot: string; proof: string[] }>(['consistency', '0']);
    expect(empty).toMatchObject({ firstRoot: createHash('sha256').digest('hex'), proof: [] });
  });

  it.concurrent('prove and consistency refuse positions and sizes within the ledger as usage errors', async () => {
    const run = (args: string[]) => custody(args, { ledger: copyLedger(atSize6) });
    expectFailure(await run(['prove', '9']), {
      exit: 2,
      code: 'USAGE',
      message: 'entry 9 is not in a tree of size 6',
    });
    expectFailure(await run(['consistency', '5', '4']), {
      exit: 2,
      code: 'USAGE',
      message: 'size 5 is larger than 4',
    });
    expectFailure(await run(['consistency', '7']), {
      exit: 2,
      code: 'USAGE',
      message: 'size 7 is larger than 6',
    });
  });

  // A size beyond the ledger is bad input too, never "damage" (it once read tree nodes that do not
  // exist and answered STORE_CORRUPT, exit 4). docs/ERRORS.md: PROOF_RANGE of v1 is USAGE in v2.
  it.concurrent('prove --size and consistency beyond the ledger are usage errors, not damage', async () => {
    const run = (args: string[]) => custody(args, { ledger: copyLedger(atSize6) });
    expectFailure(await run(['prove', '3', '--size', '20']), {
      exit: 2,
      code: 'USAGE',
      message: '--size 20 is larger than the log (6 entries)',
    });
    expectFailure(await run(['consistency', '4', '20']), {
      exit: 2,
      code: 'USAGE',
      message: 'size 20 is larger than the log (6 entries)',
    });
  });

  it.concurrent('a witness cosigns, the cosignature is attached, and verify --checkpoint checks it', async () => {
    const wv = await j<{ name: string; vkey: string }>([
      'witness',
      'vkey',
      '--key',
      who.witness.key,
      '--name',
      'witness.example/w1',
    ]);
    expectFields(wv, ['name', 'vkey']);
    expect(wv.vkey.startsWith('witness.example/w1+')).toBe(true);
    witnessVkey = wv.vkey;
    const state = join(dir, 'w1.state');
    const cs = await j<{ origin: string; size: number; witness: string; cosignature: string }>([
      'witness',
      'cosign',
      '--key',
      who.witness.key,
      '--name',
      'witness.example/w1',
      '--state',
      state,
      '--log-vkey',
      logVkey,
    ]);
    expectFields(cs, ['origin', 'size', 'witness', 'cosignature']);
    expect(cs).toMatchObject({ origin: ORIGIN, size: 6, witness: 'witness.example/w1' });
    expect(cs.cosignature.startsWith('— witness.example/w1 ')).toBe(true);
    expect(statSync(state).mode & 0o777).toBe(0o600);
    const line = join(dir, 'cosig.txt');
    writeFileSync(line, cs.cosignature);
    const at = await j(['witness', 'attach', line, '--witness', witnessVkey]);
    expect(at).toEqual({ size: 6, witness: 'witness.example/w1', signatures: 2 });
    const cp6 = join(dir, 'cp6.txt');
    writeFileSync(cp6, (await ok(['checkpoint'], { ledger })).stdout);
    expect(readFileSync(cp6, 'utf8')).toContain(cs.cosignature);

    const v = await j<{ ok: boolean; checkpoint: unknown }>([
      'verify',
      '--trust',
      who.authority.publicKey,
      '--checkpoint',
      cp6,
      '--witness',
      witnessVkey,
    ]);
    expect(v.ok).toBe(true);
    expect(v.checkpoint).toEqual({
      size: 6,
      root: root6,
      signedBy: `${ORIGIN} log key`,
      witnessesVerified: ['witness.example/w1'],
      quorum: 1,
    });
    expectFailure(await run(['verify', '--witness', witnessVkey]), {
      exit: 2,
      code: 'USAGE',
      message: '--witness needs --checkpoint',
    });
    expectFailure(await run(['verify', '--checkpoint', cp6, '--witness', witnessVkey, '--quorum', '2']), {
      exit: 2,
      code: 'USAGE',
      message: '--quorum must be between 0 and the number of witnesses named by --witness (1)',
    });
  });

  it('a ledger cut back to an earlier size fails verify --checkpoint of a later checkpoint', async () => {
    await j(['examine', exhibit, '--key', who.bka.key, '--action', 'imaged', '--file', evidence]);
    const c7 = await j<Checkpoint>(['checkpoint', '--log-key', who.log.key]);
    expect(c7).toMatchObject({ size: 7, created: true });
    const cp7 = join(dir, 'cp7.txt');
    writeFileSync(cp7, c7.note);
    // The witness sees size 7 extend size 6 (a consistency proof computed from the ledger).
    const cs = await custody(
      [
        'witness',
        'cosign',
        '--key',
        who.witness.key,
        '--name',
        'witness.example/w1',
        '--state',
        join(dir, 'w1.state'),
        '--log-vkey',
        logVkey,
      ],
      { ledger },
    );
    expect(cs.code, cs.stderr).toBe(0);
    expect(cs.stderr).toBe(`cosigned ${ORIGIN} at size 7 (consistent with size 6)\n`);
    // The human form prints exactly the cosignature line; `witness attach -` reads it from a file or stdin.
    expect(cs.stdout).toMatch(/^— witness\.example\/w1 [A-Za-z0-9+/]{102}==\n$/);
    const line = join(dir, 'cosig7.txt');
    writeFileSync(line, cs.stdout);
    expect(await j(['witness', 'attach', line, '--witness', witnessVkey, '--size', '7'])).toEqual({
      size: 7,
      witness: 'witness.example/w1',
      signatures: 2,
    });
    // The current ledger extends it; the copy taken at size 6 does not.
    expect((await j<{ ok: boolean }>(['verify', '--checkpoint', cp7, '--trust-log', who.log.key])).ok).toBe(
      true,
    );
    const r = await custody(['verify', '--trust', who.authority.publicKey, '--checkpoint', cp7, '--json'], {
      ledger: atSize6,
    });
    expectFailure(r, { exit: 1, code: 'VERIFICATION_FAILED', message: 'first LOG_TRUNCATED', stdout: 'any' });
    const report = parseJson<{ ok: boolean; problems: { code: string }[] }>(r);
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => p.code)).toEqual(['LOG_TRUNCATED']);
  });

  it('export writes a bundle under the stored checkpoint that verify-bundle checks offline', async () => {
    bundle = join(dir, 'HDD-01.custody');
    const e = await j<Record<string, unknown>>([
      'export',
      exhibit,
      '--out',
      bundle,
      ...exportFor(who.police),
    ]);
    expectFields(e, [
      'exhibit',
      'out',
      'bytes',
      'entries',
      'checkpointSize',
      'sha256',
      'profile',
      'disclosed',
      'withheld',
      'disclosure',
      'authority',
      'logKey',
    ]);
    expect(e).toMatchObject({
      exhibit,
      out: bundle,
      bytes: statSync(bundle).size,
      // Genesis, two enrolments, register, transfer, accept, examine.
      entries: 7,
      checkpointSize: 7,
      profile: 'court',
      withheld: [],
      // The export itself is recorded, as the next entry.
      disclosure: { index: 7, id: expect.stringMatching(/^[0-9a-f]{64}$/) },
      authority: who.authority.publicKey,
      logKey: who.log.publicKey,
    });
    expectFailure(await run(['export', exhibit, '--out', bundle, ...exportFor(who.police)]), {
      exit: 2,
      code: 'FILE_EXISTS',
      message: `${bundle} exists`,
    });

    const altered = alteredCopy(evidence, join(dir, 'altered.dd'), 0);
    const html = join(dir, 'report.html');
    const nowhere = { ledger: join(dir, 'no-ledger-here') }; // verify-bundle needs no ledger
    const other = fixturePeople(tempDir(), { w2: ['Other witness', 'BE', 'W', ''] }).w2;
    const otherVkey = (
      await json<{ vkey: string }>(['witness', 'vkey', '--key', other.key, '--name', 'w2.example'])
    ).vkey;
    const [good, byLog, wrongKey, logAsAuthority, wrongFile, witnessed, unwitnessed, noTrust] =
      await Promise.all([
        custody(
          [
            'verify-bundle',
            bundle,
            '--trust',
            who.authority.publicKey,
            '--quorum',
            '0',
            '--file',
            evidence,
            '--json',
            '--report',
            html,
          ],
          nowhere,
        ),
        custody(['verify-bundle', bundle, '--trust-log', who.log.key, '--quorum', '0', '--quiet'], nowhere),
        custody(['verify-bundle', bundle, '--trust', who.police.publicKey], nowhere),
        custody(['verify-bundle', bundle, '--trust', who.log.publicKey, '--quiet'], nowhere),
        custody(['verify-bundle', bundle, '--trust', who.authority.publicKey, '--file', altered], nowhere),
        custody(
          ['verify-bundle', bundle, '--trust', who.authority.key, '--witness', witnessVkey, '--json'],
          nowhere,
        ),
        custody(['verify-bundle', bundle, '--trust', who.authority.key, '--witness', otherVkey], nowhere),
        custody(['verify-bundle', bundle], nowhere),
      ]);
    expect(good!.code, good!.stderr).toBe(0);
    const top = parseJson<VerdictJson>(good!);
    expect(top).toMatchObject({ ok: true, verdict: 'VERIFIED', anchored: true });
    const report = top.report;
    expect(report.format).toBe('custody-report/v1');
    expect(report.verdict).toMatchObject({ status: 'VERIFIED', verified: true, anchored: true });
    expect(report.checks.find((c) => c.id === 'file-digests')!.verdict).toBe('pass');
    expect(readFileSync(html, 'utf8').startsWith('<!DOCTYPE html>')).toBe(true);
    expect(byLog!.code, byLog!.stderr).toBe(0);
    expect(byLog!.stdout).toBe(`VERIFIED: HDD-01 (${exhibit})\n`);
    expectFailure(wrongKey!, {
      exit: 6,
      code: 'VERIFICATION_UNANCHORED',
      message: 'trust anchor',
      stdout: 'any',
    });
    expectFailure(logAsAuthority!, {
      exit: 6,
      code: 'VERIFICATION_UNANCHORED',
      message: 'trust anchor',
      stdout: 'any',
    });
    expect(logAsAuthority!.stdout).toBe(`UNANCHORED: HDD-01 (${exhibit})\n`);
    expectFailure(wrongFile!, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'the file in hand',
      stdout: 'any',
    });
    // The checkpoint at size 7 carries the witness's cosignature: the quorum of that witness is met.
    expect(witnessed!.code, witnessed!.stderr).toBe(0);
    expect(parseJson<VerdictJson>(witnessed!).report.checkpoint).toMatchObject({
      size: 7,
      witnessesVerified: 1,
      quorum: 1,
      quorumMet: true,
    });
    expectFailure(unwitnessed!, {
      exit: 7,
      code: 'VERIFICATION_UNWITNESSED',
      message: 'witness cosignatures',
      stdout: 'any',
    });
    expectFailure(noTrust!, {
      exit: 2,
      code: 'USAGE',
      message: 'give the key you trust: --trust <authority public key> or --trust-log <log public key>',
    });
  });

  it('export for the public leaves the cleartext out; the bundle still verifies and shows "withheld"', async () => {
    const withheld = join(dir, 'HDD-01-withheld.custody');
    const e = await j<{ disclosed: string[]; entries: number; bytes: number }>([
      'export',
      'HDD-01',
      '--out',
      withheld,
      ...exportFor(who.police, 'public', 'Press office'),
    ]);
    expect(e).toMatchObject({ disclosed: [], entries: 7 });
    expect(e.bytes).toBeLessThan(statSync(bundle).size);
    const bytes = readFileSync(withheld);
    for (const secret of ['disk image', 'Insp. J. de Vries', 'Politie Amsterdam', 'imaged'])
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
    const [jr, text] = await Promise.all([
      custody(['verify-bundle', withheld, '--trust', who.authority.publicKey, '--quorum', '0', '--json']),
      custody(['verify-bundle', withheld, '--trust', who.authority.publicKey, '--quorum', '0']),
    ]);
    expect(jr.code, jr.stderr).toBe(0);
    const r = parseJson<VerdictJson>(jr).report;
    expect(r.verdict).toMatchObject({ status: 'VERIFIED', verified: true });
    expect(r.identification.description).toBe('withheld');
    const openings = r.checks.find((c) => c.id === 'openings')!;
    expect(openings.verdict).toBe('pass');
    expect(openings.detail).toMatch(/^0 revealed fields open their commitments; \d+ withheld$/);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('Description:       withheld');
    expect(text.stdout).toContain('Registered by withheld (withheld, NL)');
    expect(text.stdout).not.toContain('disk image');
  });

  it('report builds the same report from the live ledger', async () => {
    const r = (
      await j<VerdictJson>(['report', 'HDD-01', '--trust', who.authority.publicKey, '--quorum', '0'])
    ).report;
    expect(r).toMatchObject({
      format: 'custody-report/v1',
      verdict: { verified: true },
      identification: { exhibitId: exhibit, description: 'disk image' },
    });
    expectFailure(await run(['report', exhibit, '--trust', who.authority.key, '--format', 'docx']), {
      exit: 2,
      code: 'USAGE',
      message: '--format must be text, json, html or pdf',
    });
    expectFailure(await run(['report', exhibit, '--trust', who.authority.key, '--format', 'pdf']), {
      exit: 2,
      code: 'USAGE',
      message: 'a PDF is written to a file: give --out <file.pdf>',
    });
    expectFailure(await run(['report', exhibit]), {
      exit: 2,
      code: 'USAGE',
      message: 'give the key you trust: --trust <authority public key> or --trust-log <log public key>',
    });
    const wrong = await run(['report', exhibit, '--trust', who.police.publicKey, '--format', 'text']);
    expectFailure(wrong, {
      exit: 6,
      code: 'VERIFICATION_UNANCHORED',
      message: 'trust anchor',
      stdout: 'any',
    });
    expect(wrong.stdout).toContain('NOT VERIFIED');
  });

  // The report once said "NOT VERIFIED … not anchored to a trusted authority key" here while the
  // command exited 0: a pinned log key anchors the verdict as well (docs/BUNDLE.md §Trust).
  it('a report pinned to the log key only says VERIFIED, as its exit code does', async () => {
    const r = await custody(
      ['report', exhibit, '--trust-log', who.log.publicKey, '--quorum', '0', '--json'],
      {
        ledger,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    const byLog = parseJson<{ report: ReportJson & { anchors: { role: string; matched: boolean }[] } }>(
      r,
    ).report;
    expect(byLog.anchors).toEqual([expect.objectContaining({ role: 'log', matched: true })]);
    expect(byLog.checks.find((c) => c.id === 'anchor')!.verdict).toBe('pass');
    expect(byLog.verdict).toMatchObject({ status: 'VERIFIED', verified: true, anchored: true });
  });

  it('a later event needs a later checkpoint: export refuses a stale one, or signs one with --log-key', async () => {
    await j([
      'transfer',
      exhibit,
      '--to',
      who.police.id,
      '--key',
      who.bka.key,
      '--reason',
      'return',
      '--legal-basis',
      'EIO 1',
    ]);
    const later = join(dir, 'later.custody');
    expectFailure(await run(['export', exhibit, '--out', later, ...exportFor(who.police)]), {
      exit: 2,
      code: 'CHECKPOINT_NEEDS_KEY',
      // Entries 7 and 8 are the two exports above, recorded; the hand-over is 9.
      message: `no stored checkpoint covers the last event of ${exhibit} (entry 9)`,
    });
    const report = await run(['report', exhibit, '--trust', who.authority.publicKey]);
    expectFailure(report, { exit: 2, code: 'CHECKPOINT_NEEDS_KEY' });
    expectFailure(
      await run([
        'export',
        exhibit,
        '--out',
        later,
        '--log-key',
        who.authority.key,
        ...exportFor(who.police),
      ]),
      {
        exit: 2,
        code: 'CHECKPOINT_SIGNER_NOT_LOG',
      },
    );
    const e = await j<{ checkpointSize: number; entries: number }>([
      'export',
      exhibit,
      '--out',
      later,
      '--log-key',
      who.log.key,
      ...exportFor(who.police),
    ]);
    // The bundle carries the earlier exports' disclose statements: a court sees who else got the record.
    expect(e).toMatchObject({ checkpointSize: 10, entries: 10 });
    expect(
      (await j<{ checkpoints: { size: number }[] }>(['checkpoints'])).checkpoints.map((c) => c.size),
    ).toEqual([6, 7, 10]);
    const v = await custody([
      'verify-bundle',
      later,
      '--trust',
      who.authority.publicKey,
      '--quorum',
      '0',
      '--json',
    ]);
    expect(v.code, v.stderr).toBe(0);
    expect(parseJson<VerdictJson>(v).report.verdict.status).toBe('VERIFIED');
  });
});
