/**
 * Names and labels as people type them, through the built CLI (issue 29,
 * src/names): a name is found whichever Unicode form it was enrolled or typed
 * in (NFC or NFD), a label also in any case, and a look-up that finds nothing
 * names the near misses.
 *
 * The CLI signs what is typed in NFC (cli/program.ts), but a statement signed
 * elsewhere may carry NFD text: the second case enrols such a name in-process
 * (test/e2e/direct.ts), as another tool would, and the CLI must still find it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectLedger } from './direct.js';
import {
  buildWorld,
  copyLedger,
  custody,
  enrol,
  evidenceFile,
  expectFailure,
  fixturePerson,
  json,
  register,
  removeTempDirs,
  signerOf,
  type World,
} from './helpers.js';

const NAME = 'KHK J\u00fcrgen M\u00fcller'; // NFC
const NAME_NFD = 'KHK Ju\u0308rgen Mu\u0308ller';
const LABEL_NFD = '\u0141o\u0301dz\u0301-TEL-01'; // Łódź-TEL-01, ó and ź decomposed

let w: World;
beforeAll(async () => {
  w = await buildWorld('e2e.custody.example/names');
});
afterAll(removeTempDirs);

const transferTo = (ledger: string, to: string) =>
  custody(['transfer', w.exhibit, '--to', to, '--key', w.police.key, '--reason', 'analysis', '--json'], {
    ledger,
  });

describe.concurrent('names and labels as people type them', () => {
  it('transfers --to the NFD spelling of a name enrolled in NFC', async () => {
    const ledger = copyLedger(w.ledger);
    const p = fixturePerson(w.dir, `juergen-${Date.now()}.key`, NAME, 'NL', 'Politie Utrecht', 'custodian');
    await enrol(ledger, w.authority, p);
    expect(NAME_NFD).not.toBe(NAME);
    const r = await transferTo(ledger, NAME_NFD);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).to).toBe(`${NAME} (Politie Utrecht, NL, ${p.id})`);
  });

  it('finds a name enrolled in NFD (signed elsewhere) when it is typed in NFC', async () => {
    const ledger = copyLedger(w.ledger);
    const p = fixturePerson(
      w.dir,
      `juergen-nfd-${Date.now()}.key`,
      NAME_NFD,
      'NL',
      'Politie Utrecht',
      'custodian',
    );
    const direct = await DirectLedger.at(ledger, 'open');
    try {
      await direct.enrol(signerOf(w.authority), Buffer.from(p.publicKey, 'base64'), {
        name: NAME_NFD,
        org: 'Politie Utrecht',
        roles: ['custodian'],
        jurisdiction: 'NL',
      });
    } finally {
      await direct.close();
    }
    const r = await transferTo(ledger, NAME);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).to).toBe(`${NAME_NFD} (Politie Utrecht, NL, ${p.id})`);
  });

  it('names the near misses of a name that matches no actor', async () => {
    const ledger = copyLedger(w.ledger);
    const p = fixturePerson(
      w.dir,
      `juergen-near-${Date.now()}.key`,
      NAME,
      'NL',
      'Politie Utrecht',
      'custodian',
    );
    await enrol(ledger, w.authority, p);
    expectFailure(await transferTo(ledger, 'KHK Jurgen Muller'), {
      exit: 2,
      code: 'ACTOR_UNKNOWN',
      message: `no actor with id or name KHK Jurgen Muller; did you mean: ${NAME} (${p.id})?`,
      stdout: 'any', // --json: the error as JSON too
    });
    // Names are case-sensitive: another case is not the name, but it is offered first.
    const lower = await transferTo(ledger, NAME.toLowerCase());
    expectFailure(lower, {
      exit: 2,
      code: 'ACTOR_UNKNOWN',
      message: `did you mean: ${NAME} (${p.id})?`,
      stdout: 'any',
    });
    // Nothing near: no suggestion at all.
    const nobody = await transferTo(ledger, 'Nobody');
    expectFailure(nobody, {
      exit: 2,
      code: 'ACTOR_UNKNOWN',
      message: 'no actor with id or name Nobody',
      stdout: 'any',
    });
    expect(nobody.stderr).not.toContain('did you mean');
  });

  it('finds a label in NFD, NFC or another case, and names its near misses', async () => {
    const ledger = copyLedger(w.ledger);
    const id = await register(
      ledger,
      w.police,
      evidenceFile(w.dir, `phone-${Date.now()}.bin`, 1024),
      LABEL_NFD,
    );
    for (const typed of [LABEL_NFD, 'łódź-tel-01', 'ŁÓDŹ-TEL-01', 'ło\u0301dz\u0301-tel-01'])
      expect((await json<{ exhibit: string }>(['show', typed], { ledger })).exhibit, typed).toBe(id);
    const r = await custody(['show', 'Lodz-TEL-01'], { ledger });
    expectFailure(r, {
      exit: 2,
      code: 'EXHIBIT_UNKNOWN',
      message: `; did you mean: ${LABEL_NFD.normalize('NFC')} (${id} in case JIT-2026-017)?`,
    });
  });
});
