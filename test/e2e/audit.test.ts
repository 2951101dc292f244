/**
 * Auditors through the CLI (docs/PROOFS.md §Auditors, §Fraud proofs):
 * `custody audit` replays an honest ledger and cosigns its checkpoint (the
 * line attached to the stored note); after the log key's holder appends an
 * entry with a false map root and signs a checkpoint over it, `audit`
 * refuses (exit 1, VERIFICATION_FAILED) and writes a fraud proof that
 * `custody verify-fraud-proof` accepts on its own (exit 0), refuses for
 * another pinned log key, and refuses as junk.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatementFile } from '../../src/format/statement-file.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { appendWithMapRoot } from '../helpers/forge.js';
import {
  copyLedger,
  custody,
  evidenceFile,
  expectFailure,
  exportFor,
  fixturePeople,
  json,
  type Person,
  parseJson,
  removeTempDirs,
  SMALL_LEDGER_PEOPLE,
  smallLedger,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

const ORIGIN = 'e2e.custody.example/audit';

describe('custody audit and verify-fraud-proof', () => {
  let dir: string;
  let ledger: string;
  const who = {} as Record<'authority' | 'log' | 'police' | 'auditor', Person>;
  const run = (args: string[]) => custody(args, { ledger });
  const j = <T = Record<string, unknown>>(args: string[]) => json<T>(args, { ledger });
  const audit = (more: string[] = []) =>
    run(['audit', '--key', who.auditor.key, '--name', 'auditor.example', '--json', ...more]);

  beforeAll(async () => {
    dir = tempDir('custody-e2e-audit-');
    ledger = join(dir, 'ledger');
    Object.assign(
      who,
      fixturePeople(dir, {
        ...SMALL_LEDGER_PEOPLE,
        auditor: ['Auditor', 'DE', 'BfDI audit service', ''],
      }),
    );
    await smallLedger(dir, ledger, ORIGIN, who);
    await j(['checkpoint', '--log-key', who.log.key]);
  });

  it('an honest ledger: audit replays it and cosigns the checkpoint, attached to the stored note', async () => {
    const r = await audit();
    expect(r.code, r.stderr).toBe(0);
    const a = parseJson<{
      cosigned: boolean;
      attached: boolean;
      size: number;
      cosignature: string;
      vkey: string;
    }>(r);
    expect(a).toMatchObject({ cosigned: true, attached: true, size: 3 });
    expect(a.cosignature).toMatch(/^— auditor\.example [A-Za-z0-9+/=]+\n$/);
    const cp = await j<{ note: string }>(['checkpoint']);
    expect(cp.note).toContain(a.cosignature);
    // The auditor's line is a cosignature any verifier checks with its vkey (the witness format).
    writeFileSync(join(dir, 'cp.txt'), cp.note);
    const ok = await run([
      'verify',
      '--checkpoint',
      join(dir, 'cp.txt'),
      '--witness',
      a.vkey,
      '--trust',
      who.authority.publicKey,
      '--json',
    ]);
    expect(ok.code, ok.stderr).toBe(0);

    // With --state the auditor also stands against split views, as a witness does: it audits
    // size 3, then 4; a fork of the same log that differs at size 4 is refused.
    const state = join(dir, 'auditor.state');
    expect((await audit(['--state', state])).code).toBe(0);
    const fork = copyLedger(ledger);
    const reg = (at: string, file: string, label: string) =>
      json(
        [
          'register',
          evidenceFile(dir, file, 2048),
          '--key',
          who.police.key,
          '--case',
          'C-1',
          '--exhibit',
          label,
          '--description',
          label,
        ],
        {
          ledger: at,
        },
      );
    await reg(ledger, 'HDD-03.dd', 'HDD-03');
    await j(['checkpoint', '--log-key', who.log.key]);
    const four = await audit(['--state', state]);
    expect(four.code, four.stderr).toBe(0);
    expect(parseJson(four)).toMatchObject({ size: 4, cosigned: true });
    await reg(fork, 'HDD-09.dd', 'HDD-09');
    await json(['checkpoint', '--log-key', who.log.key], { ledger: fork });
    expectFailure(
      await custody(['audit', '--key', who.auditor.key, '--name', 'auditor.example', '--state', state], {
        ledger: fork,
      }),
      { exit: 1, code: 'WITNESS_CONFLICT' },
    );

    // A court's policy names the auditor: the bundle's report says the state was replayed.
    const bundle = join(dir, 'HDD-01.custody');
    await j(['export', 'HDD-01', '--out', bundle, ...exportFor(who.police)]);
    const policy = join(dir, 'court-policy.json');
    writeFileSync(
      policy,
      JSON.stringify({ custody: 'policy', v: 1, witnessQuorum: 0, auditors: [a.vkey], maxAgeDays: 30 }),
    );
    const vb = await custody([
      'verify-bundle',
      bundle,
      '--trust',
      who.authority.publicKey,
      '--policy',
      policy,
      '--json',
    ]);
    expect(vb.code, vb.stderr).toBe(0);
    const report = parseJson<{
      verdict: string;
      report: {
        checkpoint: { auditors: { name: string; verified: boolean }[]; cosignedBy: string[] };
        scope: { proven: string[] };
      };
    }>(vb);
    expect(report.verdict).toBe('VERIFIED');
    expect(report.report.checkpoint.auditors).toEqual([{ name: 'auditor.example', verified: true }]);
    expect(report.report.checkpoint.cosignedBy).toEqual(['auditor.example']);
    expect(
      report.report.scope.proven.some((x) => x.startsWith('Replayed by an auditor: auditor.example')),
    ).toBe(true);
    // An auditor the policy asks for who did not cosign: UNWITNESSED (exit 7), naming the rule.
    const other = await j<{ vkey: string }>([
      'witness',
      'vkey',
      '--key',
      who.police.key,
      '--name',
      'other.example',
    ]);
    writeFileSync(
      policy,
      JSON.stringify({ custody: 'policy', v: 1, witnessQuorum: 0, auditors: [other.vkey] }),
    );
    expectFailure(
      await custody(['verify-bundle', bundle, '--trust', who.authority.publicKey, '--policy', policy]),
      {
        exit: 7,
        code: 'VERIFICATION_UNWITNESSED',
        stdout: 'any',
      },
    );
    // A policy with a field it does not know, or given with --witness: refused (exit 2).
    writeFileSync(policy, JSON.stringify({ custody: 'policy', v: 1, auditors: [], maxAge: 3 }));
    expectFailure(
      await custody(['verify-bundle', bundle, '--trust', who.authority.publicKey, '--policy', policy]),
      {
        exit: 2,
        code: 'POLICY_INVALID',
        message: 'policy: unknown field "maxAge"',
      },
    );
    expectFailure(
      await custody([
        'verify-bundle',
        bundle,
        '--trust',
        who.authority.publicKey,
        '--policy',
        policy,
        '--witness',
        a.vkey,
      ]),
      { exit: 2, code: 'USAGE', message: '--policy says which cosigners are required' },
    );
  });

  it('a false map root appended with the log key: audit refuses and writes a fraud proof that verifies alone', async () => {
    // A statement the rules accept, signed offline, then logged by the insider as if it changed nothing.
    const file = join(dir, 'hidden.cst');
    await json(
      [
        'register',
        evidenceFile(dir, 'HDD-02.dd', 4096),
        '--key',
        who.police.key,
        '--case',
        'C-1',
        '--exhibit',
        'HDD-02',
        '--description',
        'disk two',
        '--offline',
        file,
        '--origin',
        ORIGIN,
      ],
      { ledger: join(dir, 'no-ledger') },
    );
    const payload = readStatementFile(new Uint8Array(readFileSync(file))).statement;
    const store = await LevelLogStore.open(ledger, 'open');
    let p: number;
    try {
      p = await appendWithMapRoot(store, payload, (await store.readHead())!.mapRoot);
    } finally {
      await store.close();
    }
    // The honest-looking tool signs a checkpoint over it (it checks only consistency).
    await j(['checkpoint', '--log-key', who.log.key]);

    const proofFile = join(dir, 'fraud.cfp');
    const r = await audit(['--fraud-proof', proofFile]);
    expectFailure(r, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: `verification failed: not cosigned (`,
      stdout: 'any',
    });
    expect(parseJson<{ cosigned: boolean; fraudProof: { entry: number; file: string } }>(r)).toMatchObject({
      cosigned: false,
      fraudProof: { entry: p, file: proofFile },
    });

    const v = await custody(['verify-fraud-proof', proofFile, '--trust-log', who.log.publicKey, '--json']);
    expect(v.code, v.stderr).toBe(0);
    expect(parseJson(v)).toMatchObject({ proven: true, entry: p, statement: 'accepted', anchored: true });
    const text = await custody(['verify-fraud-proof', proofFile, '--trust-log', who.log.publicKey]);
    expect(text.stdout).toMatch(
      new RegExp(
        `^FRAUD PROVEN: the log ${ORIGIN} signed a tree of size ${p + 1} in which entry ${p} carries map root`,
      ),
    );

    expectFailure(await custody(['verify-fraud-proof', proofFile, '--trust-log', who.police.publicKey]), {
      exit: 1,
      code: 'FRAUD_PROOF_UNANCHORED',
      message: 'the fraud proof is valid, but for a log key other than the one you trust',
    });
    const junk = join(dir, 'junk.cfp');
    writeFileSync(junk, 'CUSTODY-FRAUD-PROOF/1\nnot msgpack');
    expectFailure(await custody(['verify-fraud-proof', junk, '--trust-log', who.log.publicKey]), {
      exit: 1,
      code: 'FRAUD_PROOF_INVALID',
      message: 'the fraud proof proves nothing: not a valid fraud proof',
    });
  });
});
