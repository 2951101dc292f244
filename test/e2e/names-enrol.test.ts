/**
 * Enrolling names as people type them, through the built CLI (issue 29,
 * cli/enrol-checks.ts, cli/party.ts): `custody actor add` refuses a name that
 * reads as that of an active actor of the same organisation (NFC-equal or
 * UTS #39 confusable) unless --allow-similar-name, which is signed
 * (`similarName`, enrol body version 2, docs/FORMAT.md §enrol), as is
 * --identity-check (a committed line). Appending commands name the other
 * party in full: name, organisation, jurisdiction and key id.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSeed, signerFromSeed } from '../../src/crypto/ed25519.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { systemClock } from '../../src/ledger/clock.js';
import { compose } from '../../src/ledger/compose.js';
import { DirectLedger } from './direct.js';
import {
  buildWorld,
  copyLedger,
  custody,
  entryCount,
  expectFailure,
  fixturePeople,
  fixturePerson,
  initArgs,
  json,
  ok,
  type Person,
  removeTempDirs,
  signerOf,
  tempDir,
  type World,
} from './helpers.js';
import { startServer } from './server-helpers.js';

const NAME = 'KHK J\u00fcrgen M\u00fcller'; // NFC
const NAME_NFD = 'KHK Ju\u0308rgen Mu\u0308ller';
const ORG = 'Bundeskriminalamt Wiesbaden';

let w: World;
let n = 0;
beforeAll(async () => {
  w = await buildWorld('e2e.custody.example/names-enrol');
});
afterAll(removeTempDirs);

/** A new key for a person called `name` of `org` (not enrolled). */
const person = (name: string, org = ORG, roles = 'custodian,examiner'): Person =>
  fixturePerson(w.dir, `enrol-${n++}.key`, name, 'DE', org, roles);

const addArgs = (p: Person, ...extra: string[]) => [
  ...['actor', 'add', '--key', w.authority.key, '--public-key', p.publicKey, '--name', p.name],
  ...['--role', p.roles, '--jurisdiction', p.jurisdiction, '--org', p.org, ...extra],
];

interface Enrolled {
  actor: string;
  index: number;
  enrolled: { actor: string; keyId: string; name: string; org: string; jurisdiction: string };
  similarName?: true;
}

/** The enrol statement at `index` of a local ledger, with its openings. */
async function statementAt(ledger: string, index: number) {
  const d = await DirectLedger.at(ledger, 'open');
  try {
    return await d.view.statementAt(index);
  } finally {
    await d.close();
  }
}

describe.concurrent('custody actor add: a name like an active actor’s of the same organisation', () => {
  it('refuses the NFD spelling of an enrolled name (NAME_TOO_SIMILAR, exit 3), nothing appended', async () => {
    const ledger = copyLedger(w.ledger);
    const first = person(NAME);
    const e = await json<Enrolled>(addArgs(first), { ledger });
    expect(e.enrolled).toMatchObject({ actor: first.id, name: NAME, org: ORG, jurisdiction: 'DE' });
    const before = await entryCount(ledger);
    const r = await custody(addArgs(person(NAME_NFD)), { ledger });
    expectFailure(r, { exit: 3, code: 'NAME_TOO_SIMILAR' });
    // The message names the existing actor with its organisation and key id.
    expect(r.stderr).toContain(`${NAME} (${ORG}, DE, ${first.id})`);
    expect(r.stderr).toContain('--allow-similar-name');
    expect(await entryCount(ledger)).toBe(before);
  });

  it('refuses a spelling with a Cyrillic letter that looks Latin', async () => {
    const ledger = copyLedger(w.ledger);
    const paul = person('Paul Janssen');
    await json(addArgs(paul), { ledger });
    const before = await entryCount(ledger);
    const r = await custody(addArgs(person('P\u0430ul Janssen')), { ledger }); // а U+0430
    expectFailure(r, { exit: 3, code: 'NAME_TOO_SIMILAR' });
    expect(r.stderr).toContain(paul.id);
    expect(r.stderr).toContain('Unicode confusables');
    expect(await entryCount(ledger)).toBe(before);
  });

  it('enrols the same name in another organisation, and again once the first is revoked', async () => {
    const ledger = copyLedger(w.ledger);
    const first = person(NAME);
    await json(addArgs(first), { ledger });
    const other = person(NAME, 'Landeskriminalamt Bayern');
    const t = await ok(addArgs(other), { ledger });
    expect(t.stdout).toMatch(
      new RegExp(
        `^enrolled ${NAME} \\(Landeskriminalamt Bayern, DE, ${other.id}\\) as custodian, examiner at entry \\d+\\n$`,
      ),
    );
    // A revoked actor can no longer receive anything: its name is free in its organisation.
    await json(['actor', 'revoke', first.id, '--key', w.authority.key, '--reason', 'left'], { ledger });
    const again = await json<Enrolled>(addArgs(person(NAME)), { ledger });
    expect(again.similarName).toBeUndefined();
  });

  it('--allow-similar-name enrols it and signs similarName; --identity-check is committed', async () => {
    const ledger = copyLedger(w.ledger);
    await json(addArgs(person(NAME)), { ledger });
    const check = 'passport NL checked by J. Jansen, registrar';
    const second = person(NAME_NFD);
    const e = await json<Enrolled>(addArgs(second, '--allow-similar-name', '--identity-check', check), {
      ledger,
    });
    expect(e).toMatchObject({ actor: second.id, similarName: true });
    const s = await statementAt(ledger, e.index);
    expect(s.statement.kind).toBe('enrol');
    expect(s.statement.body['similarName']).toBe(true);
    // identityCheck is a commitment in the body; its opening holds the line as typed.
    expect(s.statement.body['identityCheck']).toBeInstanceOf(Uint8Array);
    expect(s.openings['identityCheck']?.value).toBe(check);
    // Without either, the body stays version 1 (no similarName, no identityCheck).
    const plain = await json<Enrolled>(addArgs(person('Dr. H. Schmidt')), { ledger });
    const p = await statementAt(ledger, plain.index);
    expect(p.statement.body['similarName']).toBeUndefined();
    expect(p.statement.body['identityCheck']).toBeUndefined();
  });

  it('skips names the ledger holds only as commitments, and never compares the word "withheld"', async () => {
    const ledger = copyLedger(w.ledger);
    // An enrolment submitted without its openings: actor list shows "withheld" for its name and org.
    const ghost = signerFromSeed(randomSeed());
    const d = await DirectLedger.at(ledger, 'open');
    try {
      const rec = await d.view.ledger();
      const enrol = compose({
        kind: 'enrol',
        origin: rec.origin,
        signer: signerOf(w.authority),
        fields: {
          key: [KEY_TYPES.ed25519, ghost.publicKey],
          purpose: KEY_PURPOSES.statement,
          roles: ['custodian'],
          jurisdiction: 'NL',
          name: 'Unseen Officer',
          org: 'Politie',
        },
        after: rec.head,
        seen: await d.view.seen(),
        clock: systemClock,
      });
      await d.ledger.submit(enrol.bytes);
    } finally {
      await d.close();
    }
    // Its real name is unknown here, so an actor really called "withheld" is not refused for it...
    await json(addArgs(person('withheld', 'withheld')), { ledger });
    // ...but is compared once enrolled with its name in clear.
    const r = await custody(addArgs(person('withheld', 'withheld')), { ledger });
    expectFailure(r, { exit: 3, code: 'NAME_TOO_SIMILAR' });
  });
});

describe('the other party named in full', () => {
  it('transfer names the receiver (name, organisation, jurisdiction, key id); accept names the sender', async () => {
    const ledger = copyLedger(w.ledger);
    const t = await ok(
      [
        'transfer',
        w.exhibit,
        '--to',
        w.bka.name,
        '--key',
        w.police.key,
        '--reason',
        'exam',
        '--legal-basis',
        'EIO 2026/17',
      ],
      {
        ledger,
      },
    );
    const receiver = `${w.bka.name} (${w.bka.org}, DE, ${w.bka.id})`;
    expect(t.stdout).toMatch(
      new RegExp(
        `^handed ${w.exhibit} over to ${literal(receiver)}; they must accept it \\(entry \\d+\\)\\n$`,
      ),
    );
    const a = await ok(['accept', w.exhibit, '--key', w.bka.key], { ledger });
    const sender = `${w.police.name} (${w.police.org}, NL, ${w.police.id})`;
    expect(a.stdout).toMatch(
      new RegExp(`^accepted ${w.exhibit} from ${literal(sender)} \\(entry \\d+\\)\\n$`),
    );
  });

  it('--json adds the receiver and the sender as objects', async () => {
    const ledger = copyLedger(w.ledger);
    const t = await json<{ to: string; receiver: Record<string, string> }>(
      [
        'transfer',
        w.exhibit,
        '--to',
        w.court.id,
        '--key',
        w.police.key,
        '--reason',
        'trial',
        '--legal-basis',
        'EIO 2026/18',
      ],
      { ledger },
    );
    expect(t.to).toBe(`${w.court.name} (${w.court.org}, FR, ${w.court.id})`);
    expect(t.receiver).toEqual({
      actor: w.court.id,
      keyId: expect.stringMatching(/^[0-9a-f]{64}$/),
      name: w.court.name,
      org: w.court.org,
      jurisdiction: 'FR',
    });
    const a = await json<{ sender: Record<string, string> }>(['accept', w.exhibit, '--key', w.court.key], {
      ledger,
    });
    expect(a.sender).toMatchObject({
      actor: w.police.id,
      name: w.police.name,
      org: w.police.org,
      jurisdiction: 'NL',
    });
  });
});

describe('against a ledger server', () => {
  it('refuses the similar name there too, and enrols it with --allow-similar-name', async () => {
    const dir = tempDir('custody-e2e-names-enrol-');
    const people = fixturePeople(dir, {
      authority: ['Registry authority', 'DE', ORG, ''],
      log: ['Registry log key', 'DE', ORG, ''],
    });
    const access = join(dir, 'authority.access');
    await json(['key', 'new-access', '--name', 'registry workstation', '--out', access]);
    const ledger = join(dir, 'ledger');
    await json(initArgs('e2e.custody.example/names-enrol-server', people.authority, people.log), { ledger });
    // The authority's way in through the server.
    await json(
      ['actor', 'add-access-key', people.authority.id, '--key', people.authority.key, '--public-key', access],
      { ledger },
    );
    const server = await startServer(ledger, people.log.key);
    try {
      const via = { ledger: server.url, env: { CUSTODY_ACCESS_KEY: access, CUSTODY_PURPOSE: 'enrolment' } };
      const add = (p: Person, ...extra: string[]) => [
        ...['actor', 'add', '--key', people.authority.key, '--public-key', p.publicKey, '--name', p.name],
        ...['--role', 'custodian', '--jurisdiction', 'DE', '--org', ORG, ...extra],
      ];
      const first = fixturePerson(dir, 'first.key', NAME, 'DE', ORG, 'custodian');
      await json(add(first), via);
      const r = await custody(add(fixturePerson(dir, 'second.key', NAME_NFD, 'DE', ORG, 'custodian')), via);
      expectFailure(r, { exit: 3, code: 'NAME_TOO_SIMILAR' });
      expect(r.stderr).toContain(first.id);
      const e = await json<Enrolled>(
        add(fixturePerson(dir, 'third.key', NAME_NFD, 'DE', ORG, 'custodian'), '--allow-similar-name'),
        via,
      );
      expect(e.similarName).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

/** A literal for a RegExp. */
function literal(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
