/**
 * Long-term proofs through the built CLI (docs/LONG-TERM.md): the authority
 * enrols the log's ML-DSA-44 key (`authority add-log-key`), `checkpoint
 * --mldsa-key` dual-signs, `checkpoint --archive --tsa-command` archives the
 * previous checkpoint with an RFC 3161 token from a local OpenSSL TSA, `log`
 * shows the record, and `verify --tsa-root` reports what the token dates.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_OPENSSL, type LocalTsa, localTsa } from '../helpers/local-tsa.js';
import {
  custody,
  expectFailure,
  exportFor,
  fixtureKey,
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

const ORIGIN = 'e2e.custody.example/long-term';

interface VerifyJson {
  verdict: string;
  archived: { index: number; size: number; timestamped: boolean }[];
  timestamps: { index: number; size: number; genTime: string; tsa: string }[];
  warnings: { code: string }[];
  problems: { code: string }[];
}

describe.skipIf(!HAVE_OPENSSL)('dual-signed, archived and time-stamped checkpoints', () => {
  let dir: string;
  let ledger: string;
  let pqKey: string;
  let tsa: LocalTsa;
  const who = {} as Record<'authority' | 'log' | 'police', Person>;
  const j = <T = Record<string, unknown>>(args: string[]) => json<T>(args, { ledger });

  beforeAll(async () => {
    dir = tempDir('custody-e2e-long-term-');
    ledger = join(dir, 'ledger');
    Object.assign(who, fixturePeople(dir, SMALL_LEDGER_PEOPLE));
    pqKey = join(dir, 'log-pq.key');
    tsa = localTsa(tempDir('custody-e2e-tsa-'));
    await json(['key', 'new', '--type', 'ml-dsa-44', '--name', 'NFI log (ML-DSA-44)', '--out', pqKey]);
    await smallLedger(dir, ledger, ORIGIN, who);
    await j(['checkpoint', '--log-key', who.log.key]);
  });

  it('an unenrolled ML-DSA-44 key cannot sign; once the authority enrols it, checkpoints are dual-signed', async () => {
    expectFailure(
      await custody(['checkpoint', '--log-key', who.log.key, '--mldsa-key', pqKey, '--json'], { ledger }),
      { exit: 2, code: 'CHECKPOINT_SIGNER_NOT_LOG', stdout: 'any' },
    );
    const enrolled = await j<{ logKey: string; index: number }>([
      'authority',
      'add-log-key',
      '--key',
      who.authority.key,
      '--log-key',
      pqKey,
    ]);
    expect(enrolled.index).toBe(3);
    const cp = await j<{ size: number; dualSigned: boolean; note: string }>([
      'checkpoint',
      '--log-key',
      who.log.key,
      '--mldsa-key',
      pqKey,
    ]);
    expect(cp).toMatchObject({ size: 4, dualSigned: true });
    const lines = cp.note.split('\n\n')[1]!.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[1])).toEqual([ORIGIN, ORIGIN]);
  });

  it('checkpoint --archive with a TSA logs the previous checkpoint and its token; verify reports the time', async () => {
    const cp = await j<{ size: number; archived: { size: number; index: number; genTime: string } }>([
      'checkpoint',
      '--log-key',
      who.log.key,
      '--mldsa-key',
      pqKey,
      '--archive',
      '--tsa-command',
      tsa.command,
      '--tsa-chain',
      tsa.tsaCert,
      '--tsa-chain',
      tsa.rootCert,
    ]);
    expect(cp.archived).toMatchObject({ size: 4, index: 4 });
    expect(Date.parse(cp.archived.genTime)).toBeGreaterThan(Date.now() - 600_000);
    expect(cp.size).toBe(5);

    const log = await j<{ entries: { index: number; kind: string; signerName: string }[] }>(['log']);
    expect(log.entries[4]).toMatchObject({
      index: 4,
      kind: 'checkpoint',
      signerName: 'the log (with an RFC 3161 token)',
    });

    const v = parseJson<VerifyJson>(
      await custody(['verify', '--trust', who.authority.key, '--tsa-root', tsa.rootCert, '--json'], {
        ledger,
      }),
    );
    expect(v.verdict).toBe('VERIFIED');
    expect(v.archived).toEqual([{ index: 4, size: 4, timestamped: true }]);
    expect(v.timestamps).toEqual([
      expect.objectContaining({ index: 4, size: 4, genTime: cp.archived.genTime }),
    ]);

    const human = await custody(['verify', '--trust', who.authority.key, '--tsa-root', tsa.rootCert], {
      ledger,
    });
    expect(human.stdout).toContain(`time: the first 4 entries existed no later than ${cp.archived.genTime}`);

    const unpinned = parseJson<VerifyJson>(
      await custody(['verify', '--trust', who.authority.key, '--json'], { ledger }),
    );
    expect(unpinned.verdict).toBe('VERIFIED');
    expect(unpinned.warnings.map((w) => w.code)).toContain('TIMESTAMP_NOT_CHECKED');
    expect(unpinned.timestamps).toEqual([]);
  });

  it('verify-bundle past the sunset of Ed25519: the dual-signed checkpoint still anchors; an Ed25519-only one does not', async () => {
    const nowhere = { ledger: join(dir, 'no-ledger-here') };
    const dual = join(dir, 'dual.custody');
    await j(['export', 'HDD-01', '--out', dual, ...exportFor(who.police)]);
    await j(['checkpoint', '--log-key', who.log.key]);
    const edOnly = join(dir, 'ed-only.custody');
    await j(['export', 'HDD-01', '--out', edOnly, ...exportFor(who.police)]);
    // Ed25519 is distrusted from now on: after the dual-signed checkpoint's ML-DSA-44 line was made.
    const policy = join(dir, 'sunset-policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        custody: 'policy',
        v: 1,
        witnessQuorum: 0,
        distrust: { ed25519: new Date().toISOString() },
      }),
    );
    const verify = (b: string) =>
      custody(
        ['verify-bundle', b, '--trust', who.authority.publicKey, '--policy', policy, '--json'],
        nowhere,
      );
    const good = await verify(dual);
    expect(good.code, good.stderr).toBe(0);
    const v = parseJson<{
      verdict: string;
      report: { checkpoint: { guarantees: { guarantee: string; restsOn: string }[] } };
    }>(good);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.report.checkpoint.guarantees.map((g) => g.guarantee)).toEqual([
      'content and order',
      'signer identity',
      'time',
    ]);
    expect(v.report.checkpoint.guarantees[0]!.restsOn).toMatch(
      /Ed25519 is distrusted from .*, so this rests on the ML-DSA-44 signature of the log's ML-DSA-44 key made at /,
    );
    const reportFile = join(dir, 'sunset-report.txt');
    const withReport = await custody(
      ['verify-bundle', dual, '--trust', who.authority.publicKey, '--policy', policy, '--report', reportFile],
      nowhere,
    );
    expect(withReport.code, withReport.stderr).toBe(0);
    const report = readFileSync(reportFile, 'utf8');
    expect(report).toMatch(/content and order rests on the SHA-256 Merkle tree/);
    expect(report).toMatch(/Ed25519 is distrusted from/);

    // The bundle carries the checkpoint archived at entry 4 and its token: with the TSA's root
    // pinned, the report dates the exhibit's last event by it.
    const dated = await custody(
      [
        'verify-bundle',
        dual,
        '--trust',
        who.authority.publicKey,
        '--policy',
        policy,
        '--tsa-root',
        tsa.rootCert,
        '--json',
      ],
      nowhere,
    );
    expect(dated.code, dated.stderr).toBe(0);
    const time = parseJson<{ report: { checkpoint: { guarantees: { restsOn: string }[] } } }>(dated).report
      .checkpoint.guarantees[2]!.restsOn;
    expect(time).toMatch(
      /the exhibit's last event \(entry 2\) existed no later than \S+ \(±1000 ms\) by the RFC 3161 token of O=Custody Test, CN=Local Test TSA over the checkpoint of size 4 archived at entry 4/,
    );

    const bad = await verify(edOnly);
    expect(bad.code).toBe(6);
    expect(parseJson<{ verdict: string; problems: { code: string }[] }>(bad)).toMatchObject({
      verdict: 'UNANCHORED',
      problems: [expect.objectContaining({ code: 'ALGORITHM_SUNSET' })],
    });
  });

  it('refresh --append renews an Ed25519-only bundle with a newer dual-signed checkpoint, in the bundle itself', async () => {
    const nowhere = { ledger: join(dir, 'no-ledger-here') };
    const edOnly = join(dir, 'ed-only.custody');
    await j(['checkpoint', '--log-key', who.log.key, '--mldsa-key', pqKey]);
    const renewed = join(dir, 'renewed.custody');
    const r = await j<{ renewals: number; out: string }>(['refresh', edOnly, '--append', '--out', renewed]);
    expect(r).toMatchObject({ renewals: 1, out: renewed });
    const policy = join(dir, 'sunset-policy-2.json');
    writeFileSync(
      policy,
      JSON.stringify({
        custody: 'policy',
        v: 1,
        witnessQuorum: 0,
        distrust: { ed25519: new Date().toISOString() },
      }),
    );
    const verify = (b: string) =>
      custody(
        ['verify-bundle', b, '--trust', who.authority.publicKey, '--policy', policy, '--json'],
        nowhere,
      );
    const [old, renewedV] = await Promise.all([verify(edOnly), verify(renewed)]);
    expect(old.code).toBe(6);
    expect(renewedV.code, renewedV.stderr).toBe(0);
    expect(parseJson<{ verdict: string }>(renewedV).verdict).toBe('VERIFIED');
  });

  it("a witness that requires the log's ML-DSA-44 line cosigns a dual-signed checkpoint and refuses one without it", async () => {
    const witnessKey = join(dir, 'witness-pq.key');
    fixtureKey(witnessKey, 'PQ witness');
    const state = join(dir, 'witness-pq.state');
    const logVkey = (await j<{ vkey: string }>(['checkpoint', '--vkey'])).vkey;
    const pqVkeys = (await j<{ vkeys: string[] }>(['checkpoint', '--mldsa-vkey'])).vkeys;
    expect(pqVkeys).toHaveLength(1);
    expect(pqVkeys[0]!.startsWith(`${ORIGIN}+`)).toBe(true);
    const cosign = (note: string) =>
      custody(
        [
          'witness',
          'cosign',
          '--key',
          witnessKey,
          '--state',
          state,
          '--log-vkey',
          logVkey,
          '--log-mldsa-vkey',
          pqVkeys[0]!,
          '--checkpoint',
          note,
          '--json',
        ],
        { ledger },
      );
    // The latest checkpoint is dual-signed (the test before signed it with --mldsa-key).
    const dual = join(dir, 'dual.note');
    writeFileSync(dual, (await j<{ note: string }>(['checkpoint'])).note);
    const ok = await cosign(dual);
    expect(ok.code, ok.stderr).toBe(0);
    // The same checkpoint with the log's Ed25519 line alone: refused, and the state is unchanged.
    const note = readFileSync(dual, 'utf8');
    const [text, sigs] = note.split('\n\n') as [string, string];
    const edOnly = join(dir, 'ed-only.note');
    writeFileSync(edOnly, `${text}\n\n${sigs.split('\n')[0]}\n`);
    expectFailure(await cosign(edOnly), { exit: 1, code: 'WITNESS_PQ_LINE_MISSING', stdout: 'any' });
    // An Ed25519 vkey given as the log's ML-DSA-44 one is a usage error of the vkey.
    expectFailure(
      await custody(
        [
          'witness',
          'cosign',
          '--key',
          witnessKey,
          '--state',
          state,
          '--log-vkey',
          logVkey,
          '--log-mldsa-vkey',
          logVkey,
          '--checkpoint',
          dual,
        ],
        { ledger },
      ),
      { exit: 2, code: 'NOTE_KEY_INVALID' },
    );
  });

  it('refusals: a TSA without --archive or without its chain, a failing TSA command, a root that is not the TSA’s', async () => {
    const base = ['checkpoint', '--log-key', who.log.key, '--json'];
    expectFailure(
      await custody([...base, '--tsa-command', tsa.command, '--tsa-chain', tsa.rootCert], { ledger }),
      { exit: 2, code: 'USAGE', stdout: 'any' },
    );
    expectFailure(await custody([...base, '--archive', '--tsa-command', tsa.command], { ledger }), {
      exit: 2,
      code: 'USAGE',
      stdout: 'any',
    });
    expectFailure(
      await custody(
        [
          ...base,
          '--archive',
          '--tsa-command',
          'exit 3',
          '--tsa-chain',
          tsa.tsaCert,
          '--tsa-chain',
          tsa.rootCert,
        ],
        {
          ledger,
        },
      ),
      { exit: 4, code: 'TSA_UNREACHABLE', stdout: 'any' },
    );
    const junk = join(dir, 'junk.der');
    writeFileSync(junk, Buffer.from('not a certificate at all'));
    expectFailure(await custody(['verify', '--trust', who.authority.key, '--tsa-root', junk], { ledger }), {
      exit: 2,
      code: 'CERTIFICATE_INVALID',
    });
    const other = localTsa(tempDir('custody-e2e-tsa-other-'));
    expectFailure(
      await custody(['verify', '--trust', who.authority.key, '--tsa-root', other.rootCert, '--json'], {
        ledger,
      }),
      { exit: 1, code: 'VERIFICATION_FAILED', stdout: 'any' },
    );
  });
});
