/**
 * `custody refresh` and `verify-bundle --fresh` through the built CLI
 * (docs/BUNDLE.md §Freshness: a newer checkpoint for a bundle): a bundle
 * exported at N, more events on the ledger (of another exhibit: the export's
 * own `disclose` annotation does not change the exhibit's record), a newer
 * checkpoint, a freshness file, and the bundle VERIFIED as of that checkpoint;
 * then a later event of the exhibit makes the refreshed verdict INCOMPLETE
 * (exit 5), and junk as a freshness file is refused (exit 2).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  custody,
  enrol,
  evidenceFile,
  expectFailure,
  exportFor,
  fixturePeople,
  initArgs,
  json,
  type Person,
  parseJson,
  register,
  removeTempDirs,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

const ORIGIN = 'e2e.custody.example/refresh';

interface Verdict {
  verdict: string;
  problems: { code: string }[];
  report: { checkpoint: { size: number } };
}

describe('custody refresh and verify-bundle --fresh', () => {
  let dir: string;
  let ledger: string;
  const who = {} as Record<'authority' | 'log' | 'police', Person>;
  const j = <T = Record<string, unknown>>(args: string[]) => json<T>(args, { ledger });
  const verifyFresh = (bundle: string, fresh: string) =>
    custody(
      [
        'verify-bundle',
        bundle,
        '--trust',
        who.authority.publicKey,
        '--quorum',
        '0',
        '--fresh',
        fresh,
        '--json',
      ],
      { ledger },
    );

  beforeAll(async () => {
    dir = tempDir('custody-e2e-refresh-');
    ledger = join(dir, 'ledger');
    Object.assign(
      who,
      fixturePeople(dir, {
        authority: ['Ledger authority', 'NL', 'NFI', ''],
        log: ['NFI log key', 'NL', 'NFI', ''],
        police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian,examiner'],
      }),
    );
    await j(initArgs(ORIGIN, who.authority, who.log, 'NFI'));
    await enrol(ledger, who.authority, who.police);
    await register(ledger, who.police, evidenceFile(dir, 'HDD-01.dd'), 'HDD-01');
  });

  it('export at N, more events, a newer checkpoint, refresh: VERIFIED as of M; a later event: INCOMPLETE', async () => {
    const bundle = join(dir, 'HDD-01.custody');
    const exported = await j<{ checkpointSize: number }>([
      'export',
      'HDD-01',
      '--out',
      bundle,
      ...exportFor(who.police),
      '--log-key',
      who.log.key,
    ]);
    const n = exported.checkpointSize;
    await register(ledger, who.police, evidenceFile(dir, 'USB-02.img'), 'USB-02');
    await j(['checkpoint', '--log-key', who.log.key]);

    // Without --log-key: the latest stored checkpoint.
    const fresh = join(dir, 'HDD-01.fresh');
    const r = await j<{ size: number; checkpointSize: number }>(['refresh', bundle, '--out', fresh]);
    expect(r.size).toBe(n);
    expect(r.checkpointSize).toBeGreaterThan(n);
    const v = await verifyFresh(bundle, fresh);
    expect(v.code, v.stderr).toBe(0);
    const ok = parseJson<Verdict>(v);
    expect([ok.verdict, ok.problems]).toEqual(['VERIFIED', []]);
    expect(ok.report.checkpoint.size).toBe(r.checkpointSize);

    // A later event of the exhibit, a checkpoint signed by refresh itself.
    await j(['examine', 'HDD-01', '--key', who.police.key, '--action', 'imaged again']);
    const fresh2 = join(dir, 'HDD-01-2.fresh');
    await j(['refresh', bundle, '--out', fresh2, '--log-key', who.log.key]);
    const later = await verifyFresh(bundle, fresh2);
    expect(later.code, later.stderr).toBe(5);
    const inc = parseJson<Verdict>(later);
    expect([inc.verdict, inc.problems.map((p) => p.code)]).toEqual(['INCOMPLETE', ['EXHIBIT_CHANGED_SINCE']]);

    // Not a freshness file at all: unusable input, nothing verified.
    const junk = join(dir, 'junk.fresh');
    writeFileSync(junk, 'not a freshness file');
    expectFailure(
      await custody([
        'verify-bundle',
        bundle,
        '--trust',
        who.authority.publicKey,
        '--quorum',
        '0',
        '--fresh',
        junk,
      ]),
      { exit: 2, code: 'FRESHNESS_MALFORMED' },
    );
    // An existing output is never overwritten.
    expectFailure(await custody(['refresh', bundle, '--out', fresh], { ledger }), {
      exit: 2,
      code: 'FILE_EXISTS',
    });
  });
});
