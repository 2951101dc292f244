/**
 * Disclosure by profile (docs/PRIVACY.md), through the built CLI: an export
 * names its recipient and profile, carries only the cleartext the profile
 * allows, and is itself recorded as a `disclose` statement with the right
 * recipient, fields and bundle hash; a withheld field still verifies and
 * reads "withheld"; an export that cannot be recorded leaves no file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  copyLedger,
  custody,
  entryCount,
  expectFailure,
  exportFor,
  fixturePerson,
  json,
  ok,
  removeTempDirs,
  type World,
} from './helpers.js';

let w: World;
beforeAll(async () => {
  w = await buildWorld('e2e.custody.example/disclosure');
  await ok(['checkpoint', '--log-key', w.log.key], { ledger: w.ledger });
});
afterAll(removeTempDirs);

interface ShowJson {
  disclosures: {
    index: number;
    by: string;
    recipient: string;
    profile: string;
    legalBasis: string;
    fields: string[];
    bundle: string;
  }[];
}

describe('custody export records what it disclosed, to whom and why', () => {
  it('a defence export without the description: recorded with its recipient, fields and hash; still verifies', async () => {
    const ledger = copyLedger(w.ledger);
    const before = await entryCount(ledger);
    const out = join(w.dir, 'defence.custody');
    const e = await json<{
      disclosed: string[];
      withheld: string[];
      sha256: string;
      disclosure: { index: number };
    }>(
      [
        'export',
        'HDD-01',
        '--out',
        out,
        ...exportFor(w.police, 'defence', 'Mr. A. Smit, defence counsel'),
        '--withhold',
        'description',
      ],
      { ledger },
    );
    expect(e.withheld).toEqual(['description', 'identityCheck', 'location', 'recipient']);
    expect(e.disclosed).toEqual(['action', 'identifiers', 'name', 'note', 'org', 'reason']);
    expect(e.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
    expect(await entryCount(ledger)).toBe(before + 1);
    expect(e.disclosure.index).toBe(before);

    const show = await json<ShowJson>(['show', 'HDD-01'], { ledger });
    expect(show.disclosures).toEqual([
      {
        index: before,
        time: expect.any(String),
        loggedAt: expect.any(String),
        by: w.police.id,
        byName: w.police.name,
        recipient: 'Mr. A. Smit, defence counsel',
        profile: 'defence',
        legalBasis: 'MLA FR-2026-7',
        fields: e.disclosed,
        bundle: e.sha256,
      },
    ]);
    const log = await json<{ entries: { index: number; kind: string }[] }>(['log'], { ledger });
    expect(log.entries.find((x) => x.index === before)?.kind).toBe('disclose');

    // The bundle carries no description, yet verifies, and says "withheld".
    expect(readFileSync(out).includes(Buffer.from('exhibit HDD-01'))).toBe(false);
    const v = await custody([
      'verify-bundle',
      out,
      '--trust',
      w.authority.publicKey,
      '--quorum',
      '0',
      '--json',
    ]);
    expect(v.code, v.stderr).toBe(0);
    const doc = JSON.parse(v.stdout) as { verdict: string };
    expect(doc.verdict).toBe('VERIFIED');
    const text = await custody([
      'verify-bundle',
      out,
      '--trust',
      w.authority.publicKey,
      '--quorum',
      '0',
      '--report',
      join(w.dir, 'defence.txt'),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(readFileSync(join(w.dir, 'defence.txt'), 'utf8')).toMatch(/description: withheld/);
    // Verified verdict after the record moved on: the next export's bundle carries this disclosure.
    await ok(['checkpoint', '--log-key', w.log.key], { ledger });
    const court = join(w.dir, 'court.custody');
    await json(['export', 'HDD-01', '--out', court, ...exportFor(w.police)], { ledger });
    const again = await json<ShowJson>(['show', 'HDD-01'], { ledger });
    expect(again.disclosures.map((d) => [d.profile, d.recipient])).toEqual([
      ['defence', 'Mr. A. Smit, defence counsel'],
      ['court', 'Tribunal judiciaire de Paris'],
    ]);
  });

  it('an export that cannot be recorded leaves no file and no entry; bad profiles and fields are refused first', async () => {
    const ledger = copyLedger(w.ledger);
    const before = await entryCount(ledger);
    const stranger = fixturePerson(w.dir, 'stranger.key', 'Nobody', 'NL', 'None', '');
    const out = join(w.dir, 'stranger.custody');
    expectFailure(await custody(['export', 'HDD-01', '--out', out, ...exportFor(stranger)], { ledger }), {
      exit: 3,
      code: 'ACTOR_UNKNOWN',
    });
    expect(existsSync(out)).toBe(false);
    expectFailure(
      await custody(['export', 'HDD-01', '--out', out, ...exportFor(w.police, 'press')], { ledger }),
      { exit: 2, code: 'USAGE', message: '--profile' },
    );
    expectFailure(
      await custody(['export', 'HDD-01', '--out', out, ...exportFor(w.police), '--withhold', 'surname'], {
        ledger,
      }),
      { exit: 2, code: 'FIELD_UNKNOWN', message: 'surname' },
    );
    expect(existsSync(out)).toBe(false);
    expect(await entryCount(ledger)).toBe(before);
  });
});
