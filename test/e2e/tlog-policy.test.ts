/**
 * `--tlog-policy` through the built CLI (docs/VERIFYING.md §The relying
 * party's policy, docs/CLI.md §custody verify-bundle): an unmodified C2SP
 * tlog-policy file names the log key and the witnesses and their quorum; the
 * relying party's --policy beside it names only auditors and a maximum age.
 * A witness cosigns with `witness cosign`, an auditor with `audit`; the
 * bundle is VERIFIED under a file that lists the log and whose quorum the
 * witness meets, UNANCHORED (exit 6, LOG_KEY_NOT_LISTED) under one that lists
 * another log key, UNWITNESSED (exit 7) under one whose quorum it does not
 * meet; a file off the grammar is POLICY_INVALID naming its line, and
 * --tlog-policy with --witness or --quorum is USAGE (both exit 2).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatVkey } from '../../src/checkpoint/note.js';
import {
  custody,
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

const ORIGIN = 'e2e.custody.example/tlog-policy';

interface VerdictJson {
  ok: boolean;
  verdict: string;
  problems: { code: string; message: string }[];
  report: {
    checkpoint: {
      witnesses: { name: string; verified: boolean }[];
      auditors: { name: string; verified: boolean }[];
      cosignedBy: string[];
    };
  };
}

describe('custody verify-bundle and report --tlog-policy', () => {
  let dir: string;
  let ledger: string;
  let bundle: string;
  let logVkey: string;
  let auditorVkey: string;
  const vkeys = {} as Record<'w1' | 'w2', string>;
  const who = {} as Record<'authority' | 'log' | 'police' | 'w1' | 'w2' | 'auditor', Person>;
  const j = <T = Record<string, unknown>>(args: string[]) => json<T>(args, { ledger });
  /** A file in the test directory with these lines (each ends in a newline, as the grammar requires). */
  const file = (name: string, ...lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
    return path;
  };
  const verifyBundle = (...more: string[]) =>
    custody(['verify-bundle', bundle, '--trust', who.authority.publicKey, ...more]);

  beforeAll(async () => {
    dir = tempDir('custody-e2e-tlog-policy-');
    ledger = join(dir, 'ledger');
    Object.assign(
      who,
      fixturePeople(dir, {
        ...SMALL_LEDGER_PEOPLE,
        w1: ['Witness one', 'NL', 'Eurojust witness', ''],
        w2: ['Witness two', 'DE', 'BSI witness', ''],
        auditor: ['Auditor', 'DE', 'BfDI audit service', ''],
      }),
    );
    await smallLedger(dir, ledger, ORIGIN, who);
    await j(['checkpoint', '--log-key', who.log.key]);
    logVkey = (await j<{ vkey: string }>(['checkpoint', '--vkey'])).vkey;
    for (const w of ['w1', 'w2'] as const)
      vkeys[w] = (
        await j<{ vkey: string }>(['witness', 'vkey', '--key', who[w].key, '--name', `${w}.witness.example`])
      ).vkey;
    // Witness one cosigns the stored checkpoint; witness two does not.
    const cs = await j<{ cosignature: string }>([
      'witness',
      'cosign',
      '--key',
      who.w1.key,
      '--name',
      'w1.witness.example',
      '--state',
      join(dir, 'w1.state'),
      '--log-vkey',
      logVkey,
    ]);
    await j(['witness', 'attach', file('w1.cosig', cs.cosignature.trimEnd()), '--witness', vkeys.w1]);
    auditorVkey = (
      await j<{ vkey: string }>(['audit', '--key', who.auditor.key, '--name', 'auditor.example'])
    ).vkey;
  });

  /** A tlog-policy file: the log key given (the ledger's by default), both witnesses, any or all of them. */
  const tlogPolicy = (name: string, threshold: 'any' | 'all', log = logVkey) =>
    file(
      name,
      '# the court of Paris: witnesses and logs (c2sp.org/tlog-policy)',
      `log ${log}`,
      '',
      `witness W1 ${vkeys.w1} https://w1.witness.example/`,
      `witness W2 ${vkeys.w2}`,
      // A name is a group member once in the whole file (tlog-policy §Defining a witness group).
      `group court-witnesses ${threshold} W1 W2`,
      'quorum court-witnesses',
    );

  it('report: the live ledger under a tlog-policy file that lists the log and whose quorum is met', async () => {
    const v = await j<VerdictJson>([
      'report',
      'HDD-01',
      '--trust',
      who.authority.publicKey,
      '--tlog-policy',
      tlogPolicy('court.tlog-policy', 'any'),
    ]);
    expect([v.verdict, v.problems]).toEqual(['VERIFIED', []]);
  });

  it('verify-bundle: listed, met, unlisted, unmet, malformed, and mixed with --witness', async () => {
    bundle = join(dir, 'HDD-01.custody');
    await j(['export', 'HDD-01', '--out', bundle, ...exportFor(who.police)]);
    const good = tlogPolicy('court.tlog-policy', 'any');

    const ok = await verifyBundle('--tlog-policy', good, '--json');
    expect(ok.code, ok.stderr).toBe(0);
    const v = parseJson<VerdictJson>(ok);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.report.checkpoint.witnesses).toEqual([
      { name: 'w1.witness.example', verified: true },
      { name: 'w2.witness.example', verified: false },
    ]);

    // Another log key listed: the ledger's log key is not the file's, whatever the pins say.
    const otherLog = formatVkey(ORIGIN, Buffer.from(who.police.publicKey, 'base64'));
    const unlisted = await verifyBundle('--tlog-policy', tlogPolicy('other-log', 'any', otherLog), '--json');
    expectFailure(unlisted, { exit: 6, code: 'VERIFICATION_UNANCHORED', stdout: 'any' });
    expect(parseJson<VerdictJson>(unlisted).problems.map((p) => p.code)).toEqual(['LOG_KEY_NOT_LISTED']);

    // Both witnesses required, one cosigned: UNWITNESSED, naming the rule.
    const unmet = await verifyBundle('--tlog-policy', tlogPolicy('both', 'all'), '--json');
    expectFailure(unmet, { exit: 7, code: 'VERIFICATION_UNWITNESSED', stdout: 'any' });
    expect(parseJson<VerdictJson>(unmet).problems).toEqual([
      expect.objectContaining({
        code: 'WITNESS_QUORUM',
        message:
          'the tlog-policy quorum "court-witnesses" is not met: only W1 cosigned the checkpoint, and at least 1 more witness would have to',
      }),
    ]);

    // Off the grammar (a trailing comment): refused before anything is verified, naming the line.
    const bad = file('bad.tlog-policy', `log ${logVkey}`, `witness W1 ${vkeys.w1} # eurojust`, 'quorum W1');
    expectFailure(await verifyBundle('--tlog-policy', bad), {
      exit: 2,
      code: 'POLICY_INVALID',
      message: 'tlog-policy line 2: a witness line is "witness <name> <vkey> [<url>]"',
    });
    expectFailure(await verifyBundle('--tlog-policy', good, '--witness', vkeys.w1), {
      exit: 2,
      code: 'USAGE',
      message: '--tlog-policy names the witnesses and their quorum: give it without --witness or --quorum',
    });
    expectFailure(await verifyBundle('--tlog-policy', good, '--quorum', '0'), { exit: 2, code: 'USAGE' });
  });

  it('beside the tlog-policy file, --policy names the auditors and the maximum age, and nothing else', async () => {
    const good = tlogPolicy('court.tlog-policy', 'any');
    const policy = join(dir, 'court-policy.json');
    writeFileSync(
      policy,
      JSON.stringify({ custody: 'policy', v: 1, auditors: [auditorVkey], auditorQuorum: 1, maxAgeDays: 30 }),
    );
    const r = await verifyBundle('--tlog-policy', good, '--policy', policy, '--json');
    expect(r.code, r.stderr).toBe(0);
    const v = parseJson<VerdictJson>(r);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.report.checkpoint.auditors).toEqual([{ name: 'auditor.example', verified: true }]);

    // Witnesses in the --policy file too: which ones count would be ambiguous.
    writeFileSync(policy, JSON.stringify({ custody: 'policy', v: 1, witnesses: [vkeys.w1] }));
    expectFailure(await verifyBundle('--tlog-policy', good, '--policy', policy), {
      exit: 2,
      code: 'USAGE',
      message: 'with --tlog-policy the witnesses and their quorum come from the tlog-policy file',
    });
    // A witness of the file named an auditor: one key counts in one role.
    const w2AsAuditor = await j<{ vkey: string }>([
      'witness',
      'vkey',
      '--key',
      who.w2.key,
      '--name',
      'w2.audit.example',
    ]);
    expectFailure(await verifyBundle('--tlog-policy', good, '--auditor', w2AsAuditor.vkey), {
      exit: 2,
      code: 'USAGE',
      message: "has the key of the tlog-policy file's witness W2: one key counts in one role",
    });
  });
});
