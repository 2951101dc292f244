/**
 * `custody export --format csv` (docs/CLI.md §custody export --format csv): the exhibits
 * table and one exhibit's events table, read back with the strict RFC 4180 reader; the
 * formula-injection guard on a label typed to attack a spreadsheet; UTF-8 without a BOM;
 * the bundle export's shape and refusals unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '../../src/export/csv.js';
import {
  buildWorld,
  custody,
  evidenceFile,
  expectFailure,
  exportFor,
  json,
  removeTempDirs,
  type World,
} from './helpers.js';

afterAll(removeTempDirs);

const EXHIBIT_COLUMNS = [
  'exhibit',
  'exhibit_id',
  'label',
  'case',
  'state',
  'holder',
  'holder_key',
  'holder_jurisdiction',
  'registered_at',
  'registered_by',
  'size',
  'sha256',
];
const EVENT_COLUMNS = ['position', 'time', 'kind', 'signer', 'signer_key', 'to', 'summary'];

describe('custody export --format csv', () => {
  let w: World;
  let attack: string;
  const ATTACK = '=HYPERLINK("http://evil.example","Łódź, \'x\'")';

  beforeAll(async () => {
    w = await buildWorld('e2e.custody.example/csv');
    await json(
      [
        'transfer',
        w.exhibit,
        '--to',
        w.nfi.id,
        '--key',
        w.police.key,
        '--reason',
        'imaging, then return',
        '--legal-basis',
        'case file 17',
      ],
      { ledger: w.ledger },
    );
    await json(['accept', w.exhibit, '--key', w.nfi.key, '--file', w.evidence], { ledger: w.ledger });
    attack = (
      await json<{ exhibit: string }>(
        [
          'register',
          evidenceFile(w.dir, 'usb.bin', 512),
          '--key',
          w.police.key,
          '--case',
          'C-2',
          '--exhibit',
          ATTACK,
          '--description',
          'usb stick',
        ],
        { ledger: w.ledger },
      )
    ).exhibit;
  }, 120_000);

  it('writes the exhibits table to a file: one row per exhibit, the documented columns', async () => {
    const out = join(w.dir, 'exhibits.csv');
    const j = await json<Record<string, unknown>>(['export', '--format', 'csv', '--out', out], {
      ledger: w.ledger,
    });
    const bytes = readFileSync(out);
    expect(j).toMatchObject({ out, format: 'csv', table: 'exhibits', rows: 2, bytes: bytes.length });
    expect(j['columns']).toEqual(EXHIBIT_COLUMNS);
    expect(j['sha256']).toBe(createHash('sha256').update(bytes).digest('hex'));
    // UTF-8 without a byte order mark, CRLF line ends.
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').endsWith('\r\n')).toBe(true);
    const [header, ...rows] = readCsv(bytes.toString('utf8'));
    expect(header).toEqual(EXHIBIT_COLUMNS);
    expect(rows).toHaveLength(2);
    const col = (row: string[], name: string) => row[EXHIBIT_COLUMNS.indexOf(name)];
    const hdd = rows.find((r) => col(r, 'exhibit') === w.exhibit)!;
    expect(hdd).toEqual([
      w.exhibit,
      w.exhibitId,
      'HDD-01',
      'JIT-2026-017',
      'held',
      w.nfi.name,
      w.nfi.id,
      'NL',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      w.police.name,
      String(64 << 10),
      createHash('sha256').update(readFileSync(w.evidence)).digest('hex'),
    ]);
    // The label that would run as a formula is text, behind a single quote; nothing else changed.
    const usb = rows.find((r) => col(r, 'exhibit') === attack)!;
    expect(col(usb, 'label')).toBe(`'${ATTACK}`);
    expect(bytes.toString('utf8')).toContain(`"'=HYPERLINK(""http://evil.example"",""Łódź, 'x'"")"`);
  });

  it("writes one exhibit's events to standard output, as the argument or --exhibit", async () => {
    const r = await custody(['export', '--format', 'csv', '--exhibit', 'hdd-01'], { ledger: w.ledger });
    expect(r.code, r.stderr).toBe(0);
    const same = await custody(['export', w.exhibit, '--format', 'csv'], { ledger: w.ledger });
    expect(same.stdout).toBe(r.stdout);
    const [header, ...rows] = readCsv(r.stdout);
    expect(header).toEqual(EVENT_COLUMNS);
    expect(rows.map((x) => x[2])).toEqual(['register', 'transfer', 'accept']);
    const [reg, transfer, accept] = rows as [string[], string[], string[]];
    expect(reg.slice(3, 5)).toEqual([w.police.name, w.police.id]);
    expect(Number(transfer[0])).toBeGreaterThan(Number(reg[0]));
    expect(transfer.slice(3, 6)).toEqual([w.police.name, w.police.id, `${w.nfi.name} (${w.nfi.id})`]);
    expect(transfer[6]).toContain('reason: imaging, then return');
    expect(transfer[6]).toContain('legalBasis: case file 17');
    expect(accept.slice(3, 6)).toEqual([w.nfi.name, w.nfi.id, '']);
    expect(reg[6]).toContain('label: HDD-01');
  });

  it('refuses bundle flags, --json without --out, a taken file and an unknown format', async () => {
    const opts = { ledger: w.ledger };
    expectFailure(await custody(['export', '--format', 'csv', '--key', w.police.key], opts), {
      exit: 2,
      code: 'USAGE',
      message: '--key is for a bundle export, not --format csv',
    });
    // With --json a failure is one JSON document on stdout too (docs/CLI.md §Output).
    const noOut = await custody(['export', '--format', 'csv', '--json'], opts);
    expectFailure(noOut, {
      exit: 2,
      code: 'USAGE',
      message: '--json with --format csv needs --out',
      stdout: 'any',
    });
    expect(JSON.parse(noOut.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expectFailure(await custody(['export', w.exhibit, '--format', 'csv', '--exhibit', w.exhibit], opts), {
      exit: 2,
      code: 'USAGE',
      message: 'name the exhibit once',
    });
    const taken = join(w.dir, 'taken.csv');
    writeFileSync(taken, 'mine');
    expectFailure(await custody(['export', '--format', 'csv', '--out', taken], opts), {
      exit: 2,
      code: 'FILE_EXISTS',
    });
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    expectFailure(await custody(['export', '--format', 'xml', '--out', join(w.dir, 'x.xml')], opts), {
      exit: 2,
      code: 'USAGE',
      message: '--format must be bundle or csv',
    });
  });

  it('leaves the bundle export as it was: its argument and flags still required', async () => {
    const opts = { ledger: w.ledger };
    expectFailure(await custody(['export'], opts), {
      exit: 2,
      code: 'USAGE',
      message: "missing required argument 'exhibit'",
    });
    expectFailure(await custody(['export', w.exhibit, '--out', join(w.dir, 'b.custody')], opts), {
      exit: 2,
      code: 'USAGE',
      message: "required option '--key <key file>' not specified",
    });
    const out = join(w.dir, 'HDD-01.custody');
    const j = await json<{ exhibit: string; out: string }>(
      ['export', w.exhibit, '--out', out, '--log-key', w.log.key, ...exportFor(w.nfi)],
      opts,
    );
    expect(j).toMatchObject({ exhibit: w.exhibit, out });
    expect(existsSync(out)).toBe(true);
  });
});
