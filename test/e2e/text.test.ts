/**
 * Text rules through the built CLI (docs/FORMAT.md §Text, docs/CLI.md): typed
 * text is signed in NFC, TAB and invisible characters are refused before
 * signing, and labels are looked up with only ASCII letters folded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  copyLedger,
  custody,
  entryCount,
  evidenceFile,
  expectFailure,
  json,
  register,
  removeTempDirs,
  type World,
} from './helpers.js';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(removeTempDirs);

const LABEL_NFD = '\u0141o\u0301dz\u0301-TEL-01'; // Łódź-TEL-01 with ó and ź decomposed
const LABEL = LABEL_NFD.normalize('NFC');

interface Shown {
  exhibit: string;
  label: string;
  events: { details: Record<string, string> }[];
}

describe('text typed on the command line', () => {
  it('is signed in NFC, and the label is found with ASCII letters folded only', async () => {
    const ledger = copyLedger(w.ledger);
    expect(LABEL).not.toBe(LABEL_NFD);
    const file = evidenceFile(w.dir, 'phone.bin', 1024);
    const id = await register(ledger, w.police, file, LABEL_NFD);
    const shown = await json<Shown>(['show', 'Łódź-tel-01'], { ledger });
    expect(shown.exhibit).toBe(id);
    expect(shown.label).toBe(LABEL);
    expect(shown.events[0]!.details['label']).toBe(LABEL);
    // Typed decomposed, found all the same (the look-up input is normalised too).
    expect((await json<Shown>(['show', LABEL_NFD.replace('TEL', 'tel')], { ledger })).exhibit).toBe(id);
    // Only A–Z fold: Ł is not L, ł is not Ł.
    for (const other of ['łódź-tel-01', 'Lodz-TEL-01'])
      expectFailure(await custody(['show', other], { ledger }), { exit: 2, code: 'EXHIBIT_UNKNOWN' });
    // The same look-up in verify --exhibit.
    const v = await json<{ exhibit: string }>(['verify', '--exhibit', 'hdd-01'], { ledger });
    expect(v.exhibit).toBe(w.exhibit);
  });

  it('refuses TAB in free text and invisible characters, before anything is signed', async () => {
    const ledger = copyLedger(w.ledger);
    const before = await entryCount(ledger);
    const file = evidenceFile(w.dir, 'usb.bin', 1024);
    const base = ['register', file, '--key', w.police.key, '--case', 'JIT-2026-017'];
    const tab = await custody([...base, '--exhibit', 'USB-1', '--description', 'Condition:\tgood'], {
      ledger,
    });
    expectFailure(tab, { exit: 2, code: 'EVENT_INVALID', message: /description contains U\+0009/ });
    const zwsp = await custody([...base, '--exhibit', 'USB\u200b-1', '--description', 'usb stick'], {
      ledger,
    });
    expectFailure(zwsp, { exit: 2, code: 'EVENT_INVALID', message: /label contains U\+200B/ });
    expect(await entryCount(ledger)).toBe(before);
  });

  it('makes two labels that differ only in ASCII case ambiguous', async () => {
    const ledger = copyLedger(w.ledger);
    await register(ledger, w.police, evidenceFile(w.dir, 'hdd-lower.bin', 1024), 'hdd-01');
    expectFailure(await custody(['show', 'HDD-01'], { ledger }), { exit: 2, code: 'EXHIBIT_AMBIGUOUS' });
    expect((await json<Shown>(['show', w.exhibit], { ledger })).label).toBe('HDD-01');
  });
});
