/**
 * Text rules through the built CLI (docs/FORMAT-V2.md §Text, docs/CLI.md):
 * typed text is signed in NFC — clear fields and committed ones alike — TAB
 * and invisible characters are refused before signing, and labels are looked
 * up in NFC and any case (src/names/keys.ts labelKey).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  copyLedger,
  custody,
  entryCount,
  evidenceFile,
  expectFailure,
  fixturePerson,
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
const NAME_NFD = 'Insp. A. Mu\u0308ller-Sko\u0301ra'; // ü and ó decomposed

interface Shown {
  exhibit: string;
  label: string;
  events: { actorName: string; details: Record<string, string> }[];
}

describe.concurrent('text typed on the command line', () => {
  it('is signed in NFC, and the label is found in NFC and any case', async () => {
    const ledger = copyLedger(w.ledger);
    expect(LABEL).not.toBe(LABEL_NFD);
    const file = evidenceFile(w.dir, 'phone.bin', 1024);
    const id = await register(ledger, w.police, file, LABEL_NFD, [
      '--description',
      `Telefon aus ${LABEL_NFD}`,
    ]);
    const shown = await json<Shown>(['show', 'Łódź-tel-01'], { ledger });
    expect(shown.exhibit).toBe(id);
    expect(shown.label).toBe(LABEL);
    expect(shown.events[0]!.details['label']).toBe(LABEL);
    // A committed field (the description) is signed, and revealed, in NFC too.
    expect(shown.events[0]!.details['description']).toBe(`Telefon aus ${LABEL}`);
    // Typed decomposed, found all the same (the look-up input is normalised too).
    expect((await json<Shown>(['show', LABEL_NFD.replace('TEL', 'tel')], { ledger })).exhibit).toBe(id);
    // Case folds beyond ASCII (ł is Ł: src/names/keys.ts labelKey), but Ł is not L.
    expect((await json<Shown>(['show', 'łódź-tel-01'], { ledger })).exhibit).toBe(id);
    expectFailure(await custody(['show', 'Lodz-TEL-01'], { ledger }), { exit: 2, code: 'EXHIBIT_UNKNOWN' });
    // The same look-up in verify --exhibit.
    const v = await json<{ exhibit: string }>(['verify', '--trust-log', w.log.key, '--exhibit', 'hdd-01'], {
      ledger,
    });
    expect(v.exhibit).toBe(w.exhibit);
  });

  it('enrols a name typed decomposed in NFC, and finds the actor by either form', async () => {
    const ledger = copyLedger(w.ledger);
    const p = fixturePerson(w.dir, `mueller-${Date.now()}.key`, NAME_NFD, 'NL', 'Politie', 'custodian');
    await json(
      [
        'actor',
        'add',
        '--key',
        w.authority.key,
        '--public-key',
        p.key,
        '--name',
        NAME_NFD,
        '--role',
        'custodian',
        '--jurisdiction',
        'NL',
        '--org',
        'Politie',
      ],
      { ledger },
    );
    const list = await json<{ actors: { actor: string; name: string }[] }>(['actor', 'list'], { ledger });
    expect(list.actors.find((a) => a.actor === p.id)?.name).toBe(NAME_NFD.normalize('NFC'));
    for (const typed of [NAME_NFD, NAME_NFD.normalize('NFC')]) {
      const l = copyLedger(ledger);
      const t = await json<{ to: string }>(
        ['transfer', w.exhibit, '--to', typed, '--key', w.police.key, '--reason', 'analysis'],
        { ledger: l },
      );
      expect(t.to).toBe(`${NAME_NFD.normalize('NFC')} (Politie, NL, ${p.id})`);
    }
  });

  it('refuses TAB in free text and invisible characters, before anything is signed', async () => {
    const ledger = copyLedger(w.ledger);
    const before = await entryCount(ledger);
    const file = evidenceFile(w.dir, 'usb.bin', 1024);
    const base = ['register', file, '--key', w.police.key, '--case', 'JIT-2026-017'];
    // The description is committed: its cleartext (the opening) is refused.
    const tab = await custody([...base, '--exhibit', 'USB-1', '--description', 'Condition:\tgood'], {
      ledger,
    });
    expectFailure(tab, {
      exit: 2,
      code: 'OPENING_TEXT_REFUSED',
      message: /register: description contains U\+0009, a refused control/,
    });
    // The label is in clear: the body is refused.
    const zwsp = await custody([...base, '--exhibit', 'USB\u200b-1', '--description', 'usb stick'], {
      ledger,
    });
    expectFailure(zwsp, {
      exit: 2,
      code: 'BODY_SCHEMA',
      message: /register body: label contains U\+200B, a refused control/,
    });
    const rlo = await custody([...base, '--exhibit', 'USB-1', '--description', 'ok', '--seal', 'S\u202e1'], {
      ledger,
    });
    expectFailure(rlo, { exit: 2, code: 'BODY_SCHEMA', message: /seal contains U\+202E/ });
    expect(await entryCount(ledger)).toBe(before);
  });

  it('refuses a label that differs only in case from another in the case, unless the registrar says they differ', async () => {
    const ledger = copyLedger(w.ledger);
    const before = await entryCount(ledger);
    const file = evidenceFile(w.dir, 'hdd-lower.bin', 1024);
    const base = ['register', file, '--key', w.police.key, '--case', 'JIT-2026-017', '--description', 'x'];
    expectFailure(await custody([...base, '--exhibit', 'hdd-01'], { ledger }), {
      exit: 3,
      code: 'NAME_TOO_SIMILAR',
      message: `case JIT-2026-017 already has exhibit ${w.exhibit} labelled HDD-01, the same label in other letter case as hdd-01`,
    });
    // Confusable by UTS #39 (a Cyrillic O for the digit 0): refused too.
    expectFailure(await custody([...base, '--exhibit', 'HDD-\u041e1'], { ledger }), {
      exit: 3,
      code: 'NAME_TOO_SIMILAR',
    });
    expect(await entryCount(ledger)).toBe(before);
  });

  it('makes two labels that differ only in ASCII case ambiguous, naming both exhibits', async () => {
    const ledger = copyLedger(w.ledger);
    const other = await register(ledger, w.police, evidenceFile(w.dir, 'hdd-lower.bin', 1024), 'hdd-01', [
      '--allow-similar-name',
    ]);
    expectFailure(await custody(['show', 'HDD-01'], { ledger }), {
      exit: 2,
      code: 'EXHIBIT_AMBIGUOUS',
      message: `2 exhibits are labelled HDD-01; use the exhibit id (`,
    });
    const r = await custody(['show', 'hdd-01'], { ledger });
    expect(r.stderr).toContain(w.exhibit);
    expect(r.stderr).toContain(other);
    expect((await json<Shown>(['show', w.exhibit], { ledger })).label).toBe('HDD-01');
    expect((await json<Shown>(['show', other], { ledger })).label).toBe('hdd-01');
  });
});
