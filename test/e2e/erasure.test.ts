/**
 * Restriction and erasure by key destruction (docs/PRIVACY.md), through the
 * built CLI: a legal hold keeps its fields out of exports to profiles it does
 * not name and stops their erasure until released; an erasure is recorded,
 * destroys the keys, and afterwards the ledger still verifies, shows what was
 * erased, when, by whom and why — and no file under the ledger directory
 * (LevelDB's logs and tables included) holds the cleartext or its key.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  custody,
  enrol,
  entryCount,
  evidenceFile,
  expectFailure,
  exportFor,
  fixturePerson,
  json,
  ok,
  type Person,
  register,
  removeTempDirs,
  type World,
} from './helpers.js';

const SECRET_PLACE = 'Keizersgracht 123, 1015 CJ Amsterdam (flat of the witness)';

let w: World;
let dpo: Person;
let exhibit: string;
let regIndex: number;

/** Every file under `dir`, recursively, with its bytes. */
function files(dir: string): { path: string; bytes: Buffer }[] {
  const out: { path: string; bytes: Buffer }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}
const holding = (dir: string, needle: Uint8Array) =>
  files(dir)
    .filter((f) => f.bytes.includes(Buffer.from(needle)))
    .map((f) => f.path);

/** The opening keys of one entry's field, read from the key store (the ledger closed). */
async function openingKey(index: number, field: string): Promise<Uint8Array | undefined> {
  const db = new Level<Uint8Array, Uint8Array>(join(w.ledger, 'opening-keys'), {
    keyEncoding: 'view',
    valueEncoding: 'view',
  });
  await db.open();
  try {
    const k = new Uint8Array(8 + field.length);
    new DataView(k.buffer).setBigUint64(0, BigInt(index));
    k.set(Buffer.from(field), 8);
    return await db.get(k);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  w = await buildWorld('e2e.custody.example/erasure');
  dpo = fixturePerson(w.dir, 'dpo.key', 'Mr. D. Protector', 'NL', 'NFI data protection', 'data-protection');
  await enrol(w.ledger, w.authority, dpo);
  regIndex = await entryCount(w.ledger);
  exhibit = await register(w.ledger, w.police, evidenceFile(w.dir, 'witness-laptop.bin'), 'WIT-01', [
    '--location',
    SECRET_PLACE,
  ]);
});
afterAll(removeTempDirs);

describe('restriction and erasure', () => {
  it('at rest the cleartext is only ever sealed: no file of the ledger holds it, its key is in the key store', async () => {
    expect(holding(w.ledger, Buffer.from(SECRET_PLACE))).toEqual([]);
    const key = await openingKey(regIndex, 'location');
    expect(key).toHaveLength(32);
    expect(holding(w.ledger, key!).every((p) => p.includes('/opening-keys/'))).toBe(true);
    const show = await json<{ events: { details: Record<string, string> }[] }>(['show', exhibit], {
      ledger: w.ledger,
    });
    expect(show.events[0]!.details['location']).toBe(SECRET_PLACE);
  });

  it('a hold withholds its fields from profiles it does not name, and stops their erasure until released', async () => {
    const r = await json<{ id: string }>(
      [
        'restrict',
        exhibit,
        '--key',
        dpo.key,
        '--fields',
        'location',
        '--recipients',
        'court',
        '--reason',
        'Art. 16(3)(b): proceedings open',
      ],
      { ledger: w.ledger },
    );
    const show = await json<{ holds: { hold: string; fields: string[]; recipients: string[] }[] }>(
      ['show', exhibit],
      {
        ledger: w.ledger,
      },
    );
    expect(show.holds).toEqual([{ hold: r.id, fields: ['location'], recipients: ['court'] }]);
    await ok(['checkpoint', '--log-key', w.log.key], { ledger: w.ledger });
    // A peer asks for the location explicitly: the hold keeps it back, with a warning.
    const peer = await custody(
      [
        'export',
        exhibit,
        '--out',
        join(w.dir, 'peer.custody'),
        ...exportFor(w.police, 'peer'),
        '--disclose',
        'location',
        '--json',
      ],
      { ledger: w.ledger },
    );
    expect(peer.code, peer.stderr).toBe(0);
    expect(peer.stderr).toContain('under a legal hold, withheld from a peer export: location');
    expect(JSON.parse(peer.stdout).disclosed).not.toContain('location');
    expect(readFileSync(join(w.dir, 'peer.custody')).includes(Buffer.from(SECRET_PLACE))).toBe(false);
    // The court, which the hold names, gets it.
    const court = await json<{ disclosed: string[] }>(
      ['export', exhibit, '--out', join(w.dir, 'court.custody'), ...exportFor(w.police)],
      { ledger: w.ledger },
    );
    expect(court.disclosed).toContain('location');
    // Erasure is refused while held, and nothing is appended.
    const before = await entryCount(w.ledger);
    expectFailure(
      await custody(['erase', exhibit, '--fields', 'location', '--reason', 'Art. 16(2)', '--key', dpo.key], {
        ledger: w.ledger,
      }),
      { exit: 3, code: 'ERASURE_RESTRICTED', message: 'location' },
    );
    expect(await entryCount(w.ledger)).toBe(before);
    // Only the data-protection officer restricts or erases.
    expectFailure(
      await custody(['erase', exhibit, '--fields', 'location', '--reason', 'x', '--key', w.police.key], {
        ledger: w.ledger,
      }),
      { exit: 3, code: 'NOT_PERMITTED' },
    );
    await json(['release', exhibit, '--hold', r.id, '--key', dpo.key, '--reason', 'Proceedings closed'], {
      ledger: w.ledger,
    });
  });

  it('erase records the erasure, destroys the keys: the ledger verifies, and no file holds the cleartext or its key', async () => {
    const key = (await openingKey(regIndex, 'location'))!;
    expect(holding(w.ledger, key).length).toBeGreaterThan(0);
    const e = await json<{ erased: string[]; openings: number }>(
      [
        'erase',
        exhibit,
        '--fields',
        'location',
        '--reason',
        'Art. 16(2) Directive (EU) 2016/680',
        '--key',
        dpo.key,
      ],
      { ledger: w.ledger },
    );
    expect(e).toMatchObject({ erased: ['location'], openings: 1 });
    expect(await openingKey(regIndex, 'location')).toBeUndefined();
    expect(holding(w.ledger, key)).toEqual([]);
    expect(holding(w.ledger, Buffer.from(SECRET_PLACE))).toEqual([]);
    // Still verifies; the field reads "withheld"; the erasure is shown with who, when and why.
    const v = await custody(['verify', '--trust', w.authority.key, '--exhibit', exhibit], {
      ledger: w.ledger,
    });
    expect(v.code, v.stderr).toBe(0);
    const show = await json<{
      events: { details: Record<string, string> }[];
      erasures: { byName: string; fields: string[]; ground: string }[];
    }>(['show', exhibit], { ledger: w.ledger });
    expect(show.events[0]!.details['location']).toBe('withheld');
    expect(show.events[0]!.details['description']).toBe(`exhibit WIT-01`);
    expect(show.erasures).toEqual([
      expect.objectContaining({
        byName: dpo.name,
        fields: ['location'],
        ground: 'Art. 16(2) Directive (EU) 2016/680',
      }),
    ]);
    // A court export after the erasure cannot disclose it, and verifies.
    await ok(['checkpoint', '--log-key', w.log.key], { ledger: w.ledger });
    const out = join(w.dir, 'after-erasure.custody');
    await json(['export', exhibit, '--out', out, ...exportFor(w.police)], { ledger: w.ledger });
    const report = join(w.dir, 'after-erasure.txt');
    const vb = await custody([
      'verify-bundle',
      out,
      '--trust',
      w.authority.publicKey,
      '--quorum',
      '0',
      '--report',
      report,
    ]);
    expect(vb.code, vb.stderr).toBe(0);
    // The report says what was erased, when, by whom and why; the erased field reads "withheld".
    const text = readFileSync(report, 'utf8');
    const flat = text.replace(/\s+/g, ' '); // the text report wraps long lines
    expect(flat).toContain(`Erased by ${dpo.name}`);
    expect(flat).toMatch(/Erased by [^:]*: location \(Art\. 16\(2\) Directive \(EU\) 2016\/680\)/);
    expect(flat).toMatch(/Placed under a legal hold by [^:]*: location, disclosed only to: court/);
    expect(text).toMatch(/location: withheld/);
    expect(text).not.toContain(SECRET_PLACE);
  });
});
