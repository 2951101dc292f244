/**
 * Deterministic v2 statements of every kind, shared by the format tests and
 * the v2 vector generator: seeded keys, seeded salts, fixed times.
 */

import { utf8 } from '../../src/bytes.js';
import { formatVkey } from '../../src/checkpoint/note.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { bodyVersionFor, KINDS_V2 } from '../../src/format/kinds.js';
import { commitFields, type Openings } from '../../src/format/openings.js';
import { ed25519Key, type SignedStatement, signStatement } from '../../src/format/sign-statement.js';
import type { Statement, StatementClass } from '../../src/format/statement.js';
import { seededSigner } from '../helpers/world.js';

export const ORIGIN = 'ledger.nfi.example/2026';
export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

/** Salts from a counter, so vectors are reproducible (real salts come from the CSPRNG). */
export function seededRandom(label: string): (n: number) => Uint8Array {
  let i = 0;
  return (n) => sha256(new TextEncoder().encode(`${label} salt ${i++}`)).slice(0, n);
}

export const keys = {
  authority: seededSigner('v2 authority'),
  log: seededSigner('v2 log'),
  registrar: seededSigner('v2 registrar'),
  collector: seededSigner('v2 collector'),
  custodian: seededSigner('v2 custodian'),
  newAuthority: seededSigner('v2 new authority'),
};

export const statementKeyId = (pk: Uint8Array) => keyIdOf(ed25519Key(pk), KEY_PURPOSES.statement);

export interface Made extends SignedStatement {
  statement: Statement;
  openings: Openings;
}

/** Builds, commits and signs a statement of `kind` (bv 1) by `signer`. */
export function make(
  kind: string,
  signer: ReturnType<typeof seededSigner>,
  fields: Record<string, Canonical | undefined>,
  links: { exhibit?: Uint8Array; after?: Uint8Array; seen?: { size: number; root: Uint8Array } } = {},
  opts: {
    time?: number;
    cosigners?: ReturnType<typeof seededSigner>[];
    random?: (n: number) => Uint8Array;
    origin?: string;
  } = {},
): Made {
  const spec = KINDS_V2[kind]!;
  const { body, openings } = commitFields(spec, fields, opts.random ?? seededRandom(kind));
  const statement: Statement = {
    v: 2,
    origin: opts.origin ?? ORIGIN,
    class: spec.class as StatementClass,
    kind,
    bv: bodyVersionFor(kind, fields),
    time: opts.time ?? T0,
    tz: 'Europe/Amsterdam',
    signer: { key: ed25519Key(signer.publicKey) },
    body,
  };
  if (links.exhibit) statement.exhibit = links.exhibit;
  if (links.after) statement.after = links.after;
  if (links.seen) statement.seen = links.seen;
  return { ...signStatement(statement, signer, opts.cosigners ?? []), statement, openings };
}

const digest = (s: string) => ({ sha256: sha256(new TextEncoder().encode(s)) });
const SEEN = { size: 1, root: sha256(new TextEncoder().encode('checkpoint root at 1')) };

/** One statement or more of every kind, each valid in shape (the custody rules are not applied here). */
export function history(): Made[] {
  const genesis = make('genesis', keys.authority, {
    name: 'NFI evidence ledger',
    jurisdiction: 'NL',
    org: 'Netherlands Forensic Institute',
    logKey: [KEY_TYPES.ed25519, keys.log.publicKey],
    config: { clockSkewMs: 300_000 },
  });
  const enrol = (
    after: Uint8Array,
    who: ReturnType<typeof seededSigner>,
    roles: string[],
    name: string,
    t: number,
  ) =>
    make(
      'enrol',
      keys.authority,
      {
        key: [KEY_TYPES.ed25519, who.publicKey],
        purpose: 1,
        roles,
        jurisdiction: 'NL',
        name,
        org: 'Politie',
      },
      { after, seen: SEEN },
      { time: T0 + t },
    );
  const e1 = enrol(genesis.id, keys.registrar, ['registrar'], 'R. Registrar', 1000);
  const e2 = enrol(e1.id, keys.collector, ['collector', 'custodian'], 'Insp. J. de Vries', 2000);
  const e3 = enrol(e2.id, keys.custodian, ['custodian', 'examiner'], 'KHK K. Müller', 3000);
  const reg = make(
    'register',
    keys.collector,
    {
      label: 'HDD-01',
      caseRef: 'NL-2026-0042',
      description: "Image of the suspect's laptop disk",
      digests: digest('disk'),
      size: 10_000_000,
      seal: 'NL-0041187',
      location: 'Amsterdam',
    },
    {},
    { time: T0 + 10_000 },
  );
  const transfer = make(
    'transfer',
    keys.collector,
    { to: statementKeyId(keys.custodian.publicKey), reason: 'EIO execution', legalBasis: 'EIO DE-2026-0042' },
    { exhibit: reg.id, after: reg.id },
    { time: T0 + 11_000 },
  );
  const accept = make(
    'accept',
    keys.custodian,
    { digests: digest('disk'), seal: 'intact', note: 'Received sealed' },
    { exhibit: reg.id, after: transfer.id },
    { time: T0 + 12_000 },
  );
  const examine = make(
    'examine',
    keys.custodian,
    { action: 'Carved deleted files', tool: 'X-Ways 21.0' },
    { exhibit: reg.id, after: accept.id },
    { time: T0 + 13_000 },
  );
  const derived = make(
    'register',
    keys.custodian,
    {
      label: 'HDD-01-W1',
      caseRef: 'NL-2026-0042',
      description: 'Working copy',
      digests: digest('copy'),
      size: 10_000_000,
    },
    { exhibit: reg.id, after: examine.id },
    { time: T0 + 14_000 },
  );
  const dispose = make(
    'dispose',
    keys.custodian,
    { method: 'destroyed', reason: 'Case closed', recipient: 'Shredder room' },
    { exhibit: derived.id, after: derived.id },
    { time: T0 + 15_000 },
  );
  const configure = make(
    'configure',
    keys.authority,
    { config: { lateSubmissionMs: 86_400_000 } },
    { after: e3.id, seen: SEEN },
    { time: T0 + 16_000 },
  );
  const revoke = make(
    'revoke',
    keys.authority,
    { key: statementKeyId(keys.registrar.publicKey), reason: 'Left the service' },
    { after: configure.id, seen: SEEN },
    { time: T0 + 17_000 },
  );
  const rotate = make(
    'rotate',
    keys.authority,
    { key: [KEY_TYPES.ed25519, keys.newAuthority.publicKey] },
    { after: revoke.id, seen: SEEN },
    { time: T0 + 18_000, cosigners: [keys.newAuthority] },
  );
  const peer = make(
    'peer',
    keys.authority,
    {
      origin: 'ledger.bka.example/2026',
      policy: `log ${formatVkey('ledger.bka.example/2026', keys.log.publicKey)}\nquorum none`,
      url: 'https://custody.bka.example',
    },
    { after: rotate.id, seen: SEEN },
    { time: T0 + 18_500 },
  );
  const reject = make(
    'reject',
    keys.custodian,
    { reason: 'Wrong unit' },
    { exhibit: reg.id, after: examine.id },
    { time: T0 + 19_000 },
  );
  const cancel = make(
    'cancel',
    keys.custodian,
    { reason: 'Sent in error' },
    { exhibit: reg.id, after: examine.id },
    { time: T0 + 20_000 },
  );
  const disclose = make(
    'disclose',
    keys.custodian,
    {
      recipient: 'Tribunal judiciaire de Paris',
      profile: 'court',
      legalBasis: 'MLA FR-2026-7',
      fields: ['action', 'description', 'name', 'org', 'reason'],
      bundle: sha256(utf8('bundle bytes')),
    },
    { exhibit: reg.id, after: examine.id },
    { time: T0 + 21_000 },
  );
  const restrict = make(
    'restrict',
    keys.registrar,
    {
      fields: ['description', 'location'],
      recipients: ['court'],
      ground: 'Art. 16(3)(b) Directive 2016/680',
    },
    { exhibit: reg.id, after: examine.id },
    { time: T0 + 22_000 },
  );
  const release = make(
    'release',
    keys.registrar,
    { hold: restrict.id, ground: 'Proceedings closed' },
    { exhibit: reg.id, after: examine.id },
    { time: T0 + 23_000 },
  );
  const erase = make(
    'erase',
    keys.registrar,
    { fields: ['location'], ground: 'Art. 16(2) Directive 2016/680' },
    { exhibit: reg.id, after: examine.id },
    { time: T0 + 24_000 },
  );
  // Issue 29: lab evidence (register v2), the enrolling officer's choices (enrol v2), and the
  // resolution of a non-conformity the accept above could have opened (shape only).
  const regFolder = make(
    'register',
    keys.collector,
    {
      label: 'EXPORT-01',
      caseRef: 'NL-2026-0042',
      description: 'Cloud export folder',
      digests: digest('manifest file'),
      size: 52_000_000,
      evidence: 'directory',
      manifest: sha256(utf8('manifest root')),
      entries: 1_204,
      reported: {
        tool: 'hashdeep',
        version: '4.4',
        digests: { md5: new Uint8Array(16).fill(7) },
        log: sha256(utf8('hashdeep log')),
      },
      photos: [sha256(utf8('seal photo 1')), sha256(utf8('seal photo 2'))],
    },
    {},
    { time: T0 + 25_000 },
  );
  const enrolV2 = make(
    'enrol',
    keys.authority,
    {
      key: [KEY_TYPES.ed25519, keys.newAuthority.publicKey],
      purpose: 1,
      roles: ['examiner'],
      jurisdiction: 'NL',
      name: 'J. de Vries',
      org: 'NFI',
      similarName: true,
      identityCheck: 'Passport checked by the registrar',
    },
    { after: peer.id, seen: SEEN },
    { time: T0 + 26_000 },
  );
  const resolve = make(
    'resolve',
    keys.custodian,
    { issue: accept.id, action: 'Seal damage documented; digests re-checked and equal' },
    { exhibit: reg.id, after: examine.id },
    { time: T0 + 27_000 },
  );
  return [
    genesis,
    e1,
    e2,
    e3,
    reg,
    transfer,
    accept,
    examine,
    derived,
    dispose,
    configure,
    revoke,
    rotate,
    peer,
    reject,
    cancel,
    disclose,
    restrict,
    release,
    erase,
    regFolder,
    enrolV2,
    resolve,
  ];
}
