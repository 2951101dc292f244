/**
 * The enrolment check of `custody actor add` (cli/enrol-checks.ts) over a
 * ledger in memory: which actors a new name is compared with (active, same
 * organisation, name and organisation held in clear), and that a name typed
 * in any mix of composed and decomposed forms is refused beside itself.
 */
import { createHash } from 'node:crypto';
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { refuseSimilarName } from '../../cli/enrol-checks.js';
import { knownActors, partyText } from '../../cli/party.js';
import { type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { compose } from '../../src/ledger/compose.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { DirectLedger } from '../e2e/direct.js';

const key = (label: string): Signer =>
  signerFromSeed(createHash('sha256').update(`custody enrol-checks test ${label}`).digest());
const idOf = (s: Signer) =>
  keyIdOf({ type: KEY_TYPES.ed25519, publicKey: s.publicKey }, KEY_PURPOSES.statement);

const ORG = 'Bundeskriminalamt';
const NAMES = [
  'KHK J\u00fcrgen M\u00fcller',
  '\u0141ucja \u017b\u00f3\u0142kiewska',
  'Fran\u00e7oise L\u00e9vy',
];
const VALID_UNTIL = Date.UTC(2030, 0, 1);

/** The code a check throws, or 'ok'. */
async function verdict(p: Promise<void>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (e instanceof CustodyError) return e.code;
    throw e;
  }
}

let l: DirectLedger;
beforeAll(async () => {
  const authority = key('authority');
  l = await DirectLedger.over(new MemoryLogStore());
  await l.genesis('enrol-checks.custody.example/test', authority, key('log').publicKey, {
    jurisdiction: 'DE',
    org: ORG,
  });
  for (const [i, name] of NAMES.entries())
    await l.enrol(authority, key(`active ${i}`).publicKey, {
      name,
      org: ORG,
      roles: ['custodian'],
      jurisdiction: 'DE',
    });
  await l.enrol(authority, key('revoked').publicKey, {
    name: 'Paul Janssen',
    org: ORG,
    roles: ['custodian'],
    jurisdiction: 'DE',
  });
  await l.govern('revoke', authority, { key: idOf(key('revoked')), reason: 'left' });
  await l.govern('enrol', authority, {
    key: [KEY_TYPES.ed25519, key('expiring').publicKey],
    purpose: KEY_PURPOSES.statement,
    roles: ['custodian'],
    jurisdiction: 'DE',
    name: 'Anna Schmidt',
    org: ORG,
    validUntil: VALID_UNTIL,
  });
  // Enrolled without its openings: name and org are commitments only here.
  const rec = await l.view.ledger();
  const hidden = compose({
    kind: 'enrol',
    origin: rec.origin,
    signer: authority,
    fields: {
      key: [KEY_TYPES.ed25519, key('hidden').publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: ['custodian'],
      jurisdiction: 'DE',
      name: 'Hidden Person',
      org: ORG,
    },
    after: rec.head,
    seen: await l.view.seen(),
    clock: l.clock,
  });
  await l.ledger.submit(hidden.bytes);
});

/** The name with each character composed or decomposed as `forms` says (what macOS and Linux type). */
const typed = (name: string, forms: boolean[]) =>
  [...name.normalize('NFC')].map((c, i) => (forms[i % forms.length] ? c.normalize('NFD') : c)).join('');

describe('refuseSimilarName', () => {
  fcTest.prop([fc.constantFrom(...NAMES), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 })])(
    'refuses an active name of the organisation however it is composed, and never in another organisation',
    async (name, forms) => {
      const t = typed(name, forms);
      expect(await verdict(refuseSimilarName(l.view, t, ORG, 0))).toBe('NAME_TOO_SIMILAR');
      expect(await verdict(refuseSimilarName(l.view, t, typed(ORG, forms), 0))).toBe('NAME_TOO_SIMILAR');
      expect(await verdict(refuseSimilarName(l.view, t, 'Landeskriminalamt Bayern', 0))).toBe('ok');
    },
  );

  it('names the existing actor with organisation, jurisdiction and key id', async () => {
    const e = await refuseSimilarName(l.view, 'KHK J\u00fcrgen M\u00fcller', ORG, 0).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).message).toContain(
      partyText({ id: idOf(key('active 0')), name: NAMES[0]!, org: ORG, jurisdiction: 'DE' }),
    );
  });

  it('refuses a confusable spelling (Cyrillic о for Latin o)', async () => {
    expect(await verdict(refuseSimilarName(l.view, 'Fran\u00e7\u043eise L\u00e9vy', ORG, 0))).toBe(
      'NAME_TOO_SIMILAR',
    );
  });

  it('does not compare with a revoked actor, nor with one whose validity is over', async () => {
    expect(await verdict(refuseSimilarName(l.view, 'Paul Janssen', ORG, 0))).toBe('ok');
    expect(await verdict(refuseSimilarName(l.view, 'Anna Schmidt', ORG, VALID_UNTIL - 1))).toBe(
      'NAME_TOO_SIMILAR',
    );
    expect(await verdict(refuseSimilarName(l.view, 'Anna Schmidt', ORG, VALID_UNTIL))).toBe('ok');
  });

  it('skips names held only as commitments, and does not read "withheld" as a name', async () => {
    const hidden = (await knownActors(l.view, 0)).find((a) => partyText(a).includes('name withheld'));
    expect(hidden).toMatchObject({ jurisdiction: 'DE', active: true });
    expect(hidden?.name).toBeUndefined();
    expect(hidden?.org).toBeUndefined();
    expect(await verdict(refuseSimilarName(l.view, 'Hidden Person', ORG, 0))).toBe('ok');
    expect(await verdict(refuseSimilarName(l.view, 'withheld', 'withheld', 0))).toBe('ok');
  });
});
