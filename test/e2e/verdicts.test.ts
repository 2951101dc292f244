/**
 * The verdict contract (docs/CLI.md §Verdicts) across the three verifying
 * commands: `verify` (the whole ledger), `verify-bundle` (an exported bundle)
 * and `report` (the live ledger, as a bundle). Each is run on the same valid,
 * forged, incomplete and unanchored inputs; the verdict, the exit code and the
 * top of the --json document must agree, and a command that cannot verify at
 * all answers with one JSON error document.
 */
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tamperWithPayload } from '../../src/store/log-level.js';
import {
  buildWorld,
  copyLedger,
  custody,
  expectFailure,
  exportFor,
  fixturePeople,
  json,
  ok,
  type Person,
  parseJson,
  type RunResult,
  removeTempDirs,
  tempDir,
  type World,
} from './helpers.js';

afterAll(removeTempDirs);

interface Top {
  ok: boolean;
  verdict: string;
  anchored: boolean;
  problems: { code: string; severity: string }[];
  warnings: { code: string; severity: string }[];
  /** verify-bundle and report: the report model. */
  report?: { verdict: { status: string; outcome: string } };
}

const EXIT: Record<string, number> = { VERIFIED: 0, FAILED: 1, INCOMPLETE: 5, UNANCHORED: 6, UNWITNESSED: 7 };
const ERROR_CODE: Record<string, string> = {
  FAILED: 'VERIFICATION_FAILED',
  INCOMPLETE: 'VERIFICATION_INCOMPLETE',
  UNANCHORED: 'VERIFICATION_UNANCHORED',
  UNWITNESSED: 'VERIFICATION_UNWITNESSED',
};

/** Asserts one verdict: exit code, the shared top of the JSON document, and the error line. */
function expectVerdict(r: RunResult, verdict: string): Top {
  const ctx = `exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 3000)}--- stderr\n${r.stderr}`;
  expect(r.code, ctx).toBe(EXIT[verdict]);
  const top = parseJson<Top>(r);
  expect(Object.keys(top).slice(0, 5), ctx).toEqual(['ok', 'verdict', 'anchored', 'problems', 'warnings']);
  expect(top.verdict, ctx).toBe(verdict);
  expect(top.ok).toBe(verdict === 'VERIFIED');
  for (const p of top.problems) expect(p.severity).toBe('error');
  for (const p of top.warnings) expect(p.severity).toBe('warning');
  // The report a court reads says what the exit code says.
  if (top.report) {
    expect(top.report.verdict.outcome, ctx).toBe(verdict);
    expect(top.report.verdict.status).toBe(verdict === 'VERIFIED' ? 'VERIFIED' : 'NOT VERIFIED');
  }
  if (verdict === 'VERIFIED') expect(top.problems).toEqual([]);
  else expectFailure(r, { exit: EXIT[verdict]!, code: ERROR_CODE[verdict]!, stdout: 'any' });
  return top;
}

describe('one verdict contract for verify, verify-bundle and report', () => {
  let w: World;
  let witness: Person;
  let witnessVkey: string;
  let bundle: string;
  const trust = () => ['--trust', w.authority.publicKey];

  beforeAll(async () => {
    w = await buildWorld('e2e.custody.example/verdicts');
    const run = (args: string[]) => json<Record<string, unknown>>(args, { ledger: w.ledger });
    // A checkpoint by the log key, cosigned by one witness.
    await run(['checkpoint', '--log-key', w.log.key]);
    witness = fixturePeople(tempDir(), { w1: ['Witness', 'BE', 'W', ''] }).w1;
    witnessVkey = (
      await json<{ vkey: string }>(['witness', 'vkey', '--key', witness.key, '--name', 'w1.example'])
    ).vkey;
    const logVkey = (await run(['checkpoint', '--vkey']))['vkey'] as string;
    const cs = await run([
      'witness',
      'cosign',
      '--key',
      witness.key,
      '--name',
      'w1.example',
      '--state',
      join(w.dir, 'w1.state'),
      '--log-vkey',
      logVkey,
    ]);
    const line = join(w.dir, 'cosig.txt');
    writeFileSync(line, cs['cosignature'] as string);
    await run(['witness', 'attach', line, '--witness', witnessVkey]);
    writeFileSync(join(w.dir, 'cp.txt'), (await ok(['checkpoint'], { ledger: w.ledger })).stdout);
    bundle = join(w.dir, 'HDD-01.custody');
    await run(['export', w.exhibit, '--out', bundle, ...exportFor(w.police)]);
  });

  // Each run on its own copy: a ledger is opened by one process at a time, and these run at once.
  const verify = (ledger: string, extra: string[]) =>
    custody(['verify', '--json', ...extra], { ledger: copyLedger(ledger) });
  const verifyBundle = (file: string, extra: string[]) =>
    custody(['verify-bundle', file, '--json', ...extra], { ledger: join(w.dir, 'no-ledger-here') });
  const report = (ledger: string, extra: string[]) =>
    custody(['report', w.exhibit, '--json', ...extra], { ledger: copyLedger(ledger) });

  it('valid: VERIFIED (0) from all three; without a witness, UNWITNESSED (7) for bundles, a warning for verify', async () => {
    const cp = join(w.dir, 'cp.txt');
    const witnessed = ['--witness', witnessVkey];
    const [v, b, r, vBare, bBare, rBare, bWaived] = await Promise.all([
      verify(w.ledger, [...trust(), '--checkpoint', cp, ...witnessed]),
      verifyBundle(bundle, [...trust(), ...witnessed]),
      report(w.ledger, [...trust(), ...witnessed]),
      verify(w.ledger, trust()),
      verifyBundle(bundle, trust()),
      report(w.ledger, trust()),
      verifyBundle(bundle, [...trust(), '--quorum', '0']),
    ]);
    for (const x of [v, b, r]) expect(expectVerdict(x!, 'VERIFIED').warnings).toEqual([]);
    expect(expectVerdict(vBare!, 'VERIFIED').warnings.map((p) => p.code)).toEqual(['COSIGNATURE_NOT_ASKED']);
    for (const x of [bBare, rBare])
      expect(expectVerdict(x!, 'UNWITNESSED').problems.map((p) => p.code)).toEqual(['COSIGNATURE_MISSING']);
    expect(expectVerdict(bWaived!, 'VERIFIED').warnings.map((p) => p.code)).toEqual([
      'COSIGNATURE_NOT_ASKED',
    ]);
  });

  it('forged: a statement changed after signing is FAILED (1) from all three', async () => {
    // The registration's label, inside the signed statement, rewritten in the ledger and in the bundle.
    const forge = (b: Uint8Array) => {
      const s = Buffer.from(b);
      const at = s.indexOf('HDD-01');
      expect(at).toBeGreaterThan(0);
      s.write('HDD-07', at);
      return new Uint8Array(s);
    };
    const forgedLedger = copyLedger(w.ledger);
    await tamperWithPayload(forgedLedger, 5, forge);
    const forgedBundle = join(w.dir, 'forged.custody');
    writeFileSync(forgedBundle, forge(readFileSync(bundle)));
    const witnessed = ['--witness', witnessVkey];
    const [v, b, r] = await Promise.all([
      verify(forgedLedger, trust()),
      verifyBundle(forgedBundle, [...trust(), ...witnessed]),
      report(forgedLedger, [...trust(), ...witnessed]),
    ]);
    for (const x of [v, b, r]) expect(expectVerdict(x!, 'FAILED').problems.length).toBeGreaterThan(0);
  });

  it('incomplete: beyond a verifier limit, or with data missing, is INCOMPLETE (5), never FAILED', async () => {
    const huge = join(w.dir, 'huge.custody');
    writeFileSync(huge, readFileSync(bundle));
    truncateSync(huge, 257 << 20); // sparse: nothing is written, nothing is read
    const b = await verifyBundle(huge, trust());
    expect(expectVerdict(b, 'INCOMPLETE').problems.map((p) => p.code)).toEqual(['BUNDLE_TOO_LARGE']);
  });

  it('unanchored: nothing pinned, or a key that is not this ledger’s, is UNANCHORED (6) from all three', async () => {
    const wrong = ['--trust', w.police.publicKey, '--witness', witnessVkey];
    const [v, vNone, b, r] = await Promise.all([
      verify(w.ledger, ['--trust', w.police.publicKey]),
      verify(w.ledger, []),
      verifyBundle(bundle, wrong),
      report(w.ledger, wrong),
    ]);
    for (const x of [v, vNone, b, r]) expect(expectVerdict(x!, 'UNANCHORED').anchored).toBe(false);
  });

  it('--strict fails a recorded broken seal; without it the seal is a warning on a VERIFIED record', async () => {
    const ledger = copyLedger(w.ledger);
    const run = (args: string[]) => json(args, { ledger });
    await run([
      'transfer',
      w.exhibit,
      '--key',
      w.police.key,
      '--to',
      w.nfi.name,
      '--reason',
      'analysis',
      '--legal-basis',
      'EIO 1',
    ]);
    await run(['accept', w.exhibit, '--key', w.nfi.key, '--seal-broken']);
    const args = [...trust(), '--quorum', '0', '--log-key', w.log.key];
    const [lenient, strict, vLenient, vStrict] = await Promise.all([
      report(ledger, args),
      report(ledger, [...args, '--strict']),
      verify(ledger, [...trust(), '--exhibit', w.exhibit]),
      verify(ledger, [...trust(), '--exhibit', w.exhibit, '--strict']),
    ]);
    for (const x of [lenient, vLenient])
      expect(expectVerdict(x!, 'VERIFIED').warnings.map((p) => p.code)).toContain('SEAL_BROKEN_RECORDED');
    for (const x of [strict, vStrict])
      expect(expectVerdict(x!, 'FAILED').problems.map((p) => p.code)).toContain('SEAL_BROKEN_RECORDED');
  });

  it('a command that cannot verify prints one JSON error document (exit 2, 4)', async () => {
    const [usage, missing, noLedger] = await Promise.all([
      custody(['verify-bundle', bundle, '--json']),
      custody(['verify-bundle', join(w.dir, 'nothing.custody'), '--json', ...trust()]),
      custody(['verify', '--json'], { ledger: join(w.dir, 'no-ledger-here') }),
    ]);
    for (const [r, exit, code] of [
      [usage, 2, 'USAGE'],
      [missing, 2, 'FILE_UNREADABLE'],
      [noLedger, 4, 'LEDGER_NOT_FOUND'],
    ] as const) {
      expectFailure(r, { exit, code, stdout: 'any' });
      const doc = parseJson<{ ok: boolean; error: { code: string; message: string } }>(r);
      expect(doc).toEqual({ ok: false, error: { code, message: expect.any(String) } });
      expect(r.stderr).toContain(doc.error.message);
    }
  });
});
