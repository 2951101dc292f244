/**
 * statements.json: signed statements of every kind, statements that decoding,
 * the kinds table or signature checking must refuse, and openings of
 * commitments, valid and invalid (docs/FORMAT.md §Statements, §Signatures,
 * §Kinds and bodies, §Commitments and openings).
 */
import { concat, toHex, utf8 } from '../../src/bytes.js';
import { formatVkey } from '../../src/checkpoint/note.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';
import { COMMIT_DOMAIN, commit, type Opening } from '../../src/format/commitment.js';
import { FormatError } from '../../src/format/format-error.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { checkKind, KINDS_V2 } from '../../src/format/kinds.js';
import { checkOpenings, commitFields, decodeOpenings, encodeOpenings } from '../../src/format/openings.js';
import { ed25519Key, signatureProblem, signStatement } from '../../src/format/sign-statement.js';
import {
  decodeSignedStatement,
  encodeSignedStatement,
  type Ref,
  STATEMENT_DOMAIN,
  STATEMENT_ID_DOMAIN,
  STATEMENT_LIMITS,
  type Statement,
  statementMessage,
} from '../../src/format/statement.js';
import { type Made, make, ORIGIN, seededRandom, T0 } from '../format/v2-fixtures.js';
import {
  b,
  be,
  binAs,
  containerHeader,
  enc,
  encodeWith,
  type Json,
  type Obj,
  rawArray,
  rawMap,
  readable,
  reversedMap,
  strAs,
} from './json.js';
import { describeKeys, type NamedKey, namedKey } from './keys.js';

export const OTHER_ORIGIN = 'ledger.bka.example/2026';
const DAY = 86_400_000;

/** The keys statements.json uses (the signers of test/format/v2-fixtures.ts, plus a witness). */
export const K = {
  authority: namedKey('authority', 'v2 authority'),
  log: namedKey('log', 'v2 log', KEY_PURPOSES.log),
  registrar: namedKey('registrar', 'v2 registrar'),
  collector: namedKey('collector', 'v2 collector'),
  custodian: namedKey('custodian', 'v2 custodian'),
  newAuthority: namedKey('new authority', 'v2 new authority'),
  witness: namedKey('witness', 'v2 witness', KEY_PURPOSES.witness),
} satisfies Record<string, NamedKey>;

const idOf = (k: NamedKey) => keyIdOf(ed25519Key(k.signer.publicKey), KEY_PURPOSES.statement);
const text = (s: string) => utf8(s);
const digest = (s: string) => sha256(text(s));
/** The root of a checkpoint the signer says it verified (shape only: these statements are not logged). */
const SEEN_ROOT = digest('vectors-v2 checkpoint root');

// ---------------------------------------------------------------------------
// Valid statements

export interface Valid {
  name: string;
  description: string;
  made: Made;
  /** The keys that signed, in signature order. */
  signers: NamedKey[];
}

interface MakeOpts {
  links?: { exhibit?: Uint8Array; after?: Uint8Array; seen?: { size: number; root: Uint8Array } };
  time?: number;
  cosigners?: NamedKey[];
}

function made(
  name: string,
  kind: string,
  signer: NamedKey,
  fields: Record<string, Canonical | undefined>,
  o: MakeOpts = {},
): Made {
  return make(kind, signer.signer, fields, o.links ?? {}, {
    time: o.time ?? T0,
    cosigners: (o.cosigners ?? []).map((k) => k.signer),
    random: seededRandom(`vectors-v2 ${name}`),
  });
}

/** A statement make() cannot build (a foreign exhibit ref, a signer enrolled elsewhere). */
function custom(
  name: string,
  kind: string,
  signer: NamedKey,
  fields: Record<string, Canonical | undefined>,
  envelope: { exhibit?: Ref; after?: Uint8Array; signerOrigin?: string; time: number },
): Made {
  const spec = KINDS_V2[kind]!;
  const { body, openings } = commitFields(spec, fields, seededRandom(`vectors-v2 ${name}`));
  const statement: Statement = {
    v: 2,
    origin: ORIGIN,
    class: spec.class,
    kind,
    bv: 1,
    time: envelope.time,
    tz: 'Europe/Berlin',
    signer: { key: ed25519Key(signer.signer.publicKey) },
    body,
  };
  if (envelope.signerOrigin !== undefined) statement.signer.origin = envelope.signerOrigin;
  if (envelope.exhibit !== undefined) statement.exhibit = envelope.exhibit;
  if (envelope.after !== undefined) statement.after = envelope.after;
  return { ...signStatement(statement, signer.signer), statement, openings };
}

export function validStatements(): Valid[] {
  const out: Valid[] = [];
  const add = (name: string, description: string, m: Made, signers: NamedKey[]) => {
    out.push({ name, description, made: m, signers });
    return m;
  };
  const seen = (size: number) => ({ size, root: SEEN_ROOT });

  const genesis = add(
    'genesis',
    'founds the ledger: the signer becomes the authority; names the log key and the rule parameters',
    made(
      'genesis',
      'genesis',
      K.authority,
      {
        name: 'NFI evidence ledger',
        jurisdiction: 'NL',
        org: 'Netherlands Forensic Institute',
        logKey: [KEY_TYPES.ed25519, K.log.signer.publicKey],
        config: { clockSkewMs: 300_000, lateSubmissionMs: 2_592_000_000 },
      },
      { time: T0 },
    ),
    [K.authority],
  );
  const enrolRegistrar = add(
    'enrol-registrar',
    'the authority enrols a registrar (name and org committed); after = genesis, seen = a checkpoint',
    made(
      'enrol-registrar',
      'enrol',
      K.authority,
      {
        key: [KEY_TYPES.ed25519, K.registrar.signer.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles: ['registrar'],
        jurisdiction: 'NL',
        name: 'R. Registrar',
        org: 'Netherlands Forensic Institute',
      },
      { links: { after: genesis.id, seen: seen(1) }, time: T0 + 60_000 },
    ),
    [K.authority],
  );
  const enrolCollector = add(
    'enrol-collector',
    'a registrar enrols a collector and custodian until a given time',
    made(
      'enrol-collector',
      'enrol',
      K.registrar,
      {
        key: [KEY_TYPES.ed25519, K.collector.signer.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles: ['collector', 'custodian'],
        jurisdiction: 'NL',
        name: 'Insp. J. de Vries',
        org: 'Politie Amsterdam',
        validUntil: T0 + 365 * DAY,
      },
      { links: { after: enrolRegistrar.id, seen: seen(2) }, time: T0 + 120_000 },
    ),
    [K.registrar],
  );
  const enrolCustodian = add(
    'enrol-custodian',
    'a registrar enrols a German custodian and examiner (non-ASCII committed name)',
    made(
      'enrol-custodian',
      'enrol',
      K.registrar,
      {
        key: [KEY_TYPES.ed25519, K.custodian.signer.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles: ['custodian', 'examiner'],
        jurisdiction: 'DE',
        name: 'KHK K. M\u00fcller',
        org: 'Bundeskriminalamt',
      },
      { links: { after: enrolCollector.id, seen: seen(3) }, time: T0 + 180_000 },
    ),
    [K.registrar],
  );
  const enrolWitness = add(
    'enrol-witness',
    'the authority enrols a witness key (purpose 4, no roles)',
    made(
      'enrol-witness',
      'enrol',
      K.authority,
      {
        key: [KEY_TYPES.ed25519, K.witness.signer.publicKey],
        purpose: KEY_PURPOSES.witness,
        roles: [],
        jurisdiction: 'NL',
        name: 'Witness operator',
        org: 'Witness Network',
      },
      { links: { after: enrolCustodian.id, seen: seen(4) }, time: T0 + 240_000 },
    ),
    [K.authority],
  );
  const configure = add(
    'configure',
    'the authority shortens the late-submission window',
    made(
      'configure',
      'configure',
      K.authority,
      { config: { lateSubmissionMs: 7 * DAY } },
      { links: { after: enrolWitness.id, seen: seen(5) }, time: T0 + 300_000 },
    ),
    [K.authority],
  );
  const revoke = add(
    'revoke',
    'a registrar revokes a key, compromised since entry 3 (reason committed)',
    made(
      'revoke',
      'revoke',
      K.registrar,
      { key: idOf(K.collector), reason: 'Laptop stolen', compromisedSince: 3 },
      { links: { after: configure.id, seen: seen(6) }, time: T0 + 360_000 },
    ),
    [K.registrar],
  );
  add(
    'rotate',
    'the authority hands over to a new key, which co-signs the same message (two signatures)',
    made(
      'rotate',
      'rotate',
      K.authority,
      { key: [KEY_TYPES.ed25519, K.newAuthority.signer.publicKey] },
      { links: { after: revoke.id, seen: seen(7) }, time: T0 + 420_000, cosigners: [K.newAuthority] },
    ),
    [K.authority, K.newAuthority],
  );

  add(
    'peer',
    'the authority records a peer ledger: its origin, its C2SP tlog-policy (without the final newline) and its URL',
    made(
      'peer',
      'peer',
      K.authority,
      {
        origin: 'ledger.bka.example/2026',
        policy: `log ${formatVkey('ledger.bka.example/2026', K.newAuthority.signer.publicKey)}\nquorum none`,
        url: 'https://custody.bka.example',
      },
      { links: { after: configure.id, seen: seen(6) }, time: T0 + 390_000 },
    ),
    [K.authority],
  );

  const reg = add(
    'register',
    'a collector registers an exhibit with every optional field; description (multi-line) and location committed',
    made(
      'register',
      'register',
      K.collector,
      {
        label: 'HDD-01',
        caseRef: 'NL-2026-0042',
        description:
          'Seagate 2 TB disk from the suspect\u2019s desk.\nSealed in bag NL-0041187, casing intact.',
        digests: {
          md5: digest('disk md5').slice(0, 16),
          sha1: digest('disk sha1').slice(0, 20),
          sha256: digest('disk'),
          sha512: concat(digest('disk sha512 a'), digest('disk sha512 b')),
        },
        size: 2_000_398_934_016,
        seal: 'NL-0041187',
        location: 'Keizersgracht 1, Amsterdam',
        seizedAt: T0 + 400_000,
      },
      { time: T0 + 480_000 },
    ),
    [K.collector],
  );
  add(
    'register-duplicate',
    'a registration of bytes already registered, said so in the body (duplicate: true); the fewest fields',
    made(
      'register-duplicate',
      'register',
      K.collector,
      {
        label: 'HDD-01 (second image)',
        caseRef: 'NL-2026-0042',
        description: 'Second image of the same disk',
        digests: { sha256: digest('disk') },
        size: 2_000_398_934_016,
        duplicate: true,
      },
      { time: T0 + 490_000 },
    ),
    [K.collector],
  );
  add(
    'register-offline-seen',
    'a chain statement may carry seen: the last checkpoint the signer verified',
    made(
      'register-offline-seen',
      'register',
      K.collector,
      {
        label: 'PHONE-03',
        caseRef: 'NL-2026-0042',
        description: 'Phone',
        digests: { sha256: digest('phone') },
        size: 64_000_000_000,
      },
      { links: { seen: seen(8) }, time: T0 + 495_000 },
    ),
    [K.collector],
  );
  const transfer = add(
    'transfer',
    'the holder hands the exhibit over across a border (legal basis in clear, reason committed)',
    made(
      'transfer',
      'transfer',
      K.collector,
      {
        to: idOf(K.custodian),
        reason: 'Execution of the European Investigation Order',
        method: 'courier',
        seal: 'NL-0041187',
        legalBasis: 'EIO DE-2026-0042',
      },
      { links: { exhibit: reg.id, after: reg.id }, time: T0 + 540_000 },
    ),
    [K.collector],
  );
  const accept = add(
    'accept',
    'the receiver accepts, re-hashed, seal intact, with a note (committed)',
    made(
      'accept',
      'accept',
      K.custodian,
      { digests: { sha256: digest('disk') }, seal: 'intact', note: 'Received sealed; bag undamaged.' },
      { links: { exhibit: reg.id, after: transfer.id }, time: T0 + 600_000 },
    ),
    [K.custodian],
  );
  add(
    'accept-minimal',
    'an accept with an empty body',
    made('accept-minimal', 'accept', K.custodian, {}, { links: { exhibit: reg.id, after: transfer.id } }),
    [K.custodian],
  );
  add(
    'reject',
    'the receiver rejects the hand-over (reason committed)',
    made(
      'reject',
      'reject',
      K.custodian,
      { reason: 'Wrong unit' },
      { links: { exhibit: reg.id, after: transfer.id }, time: T0 + 610_000 },
    ),
    [K.custodian],
  );
  add(
    'cancel',
    'the sender cancels the hand-over (reason committed)',
    made(
      'cancel',
      'cancel',
      K.collector,
      { reason: 'Sent in error' },
      { links: { exhibit: reg.id, after: transfer.id }, time: T0 + 620_000 },
    ),
    [K.collector],
  );
  const examine = add(
    'examine',
    'the holder examines (action committed; tool, digests and seal in clear)',
    made(
      'examine',
      'examine',
      K.custodian,
      {
        action: 'Imaged the disk.\nCarved deleted files.',
        tool: 'X-Ways Forensics 21.0',
        digests: { sha256: digest('disk') },
        seal: 'DE-7781',
      },
      { links: { exhibit: reg.id, after: accept.id }, time: T0 + 660_000 },
    ),
    [K.custodian],
  );
  const derived = add(
    'register-derived',
    'a derived copy: founds a new exhibit and advances the parent (exhibit and after name the parent)',
    made(
      'register-derived',
      'register',
      K.custodian,
      {
        label: 'HDD-01-W1',
        caseRef: 'NL-2026-0042',
        description: 'Working copy of HDD-01',
        digests: { sha256: digest('disk') },
        size: 2_000_398_934_016,
      },
      { links: { exhibit: reg.id, after: examine.id }, time: T0 + 720_000 },
    ),
    [K.custodian],
  );
  add(
    'dispose',
    'the holder disposes of the copy (reason and recipient committed)',
    made(
      'dispose',
      'dispose',
      K.custodian,
      { method: 'destroyed', reason: 'Case closed', recipient: 'Shredder room B' },
      { links: { exhibit: derived.id, after: derived.id }, time: T0 + 780_000 },
    ),
    [K.custodian],
  );
  add(
    'disclose',
    'an export recorded as an annotation: recipient committed, profile, legal basis, fields disclosed and the bundle hash',
    made(
      'disclose',
      'disclose',
      K.custodian,
      {
        recipient: 'Tribunal judiciaire de Paris',
        profile: 'court',
        legalBasis: 'MLA FR-2026-7',
        fields: ['action', 'description', 'name', 'org', 'reason'],
        bundle: digest('bundle'),
      },
      { links: { exhibit: reg.id, after: derived.id }, time: T0 + 790_000 },
    ),
    [K.custodian],
  );
  add(
    'disclose-manifest',
    "disclose body version 2: the export gave the folder's manifest too, named by its Merkle root",
    made(
      'disclose',
      'disclose',
      K.custodian,
      {
        recipient: 'Tribunal judiciaire de Paris',
        profile: 'court',
        legalBasis: 'MLA FR-2026-7',
        fields: [],
        bundle: digest('bundle 2'),
        manifest: digest('manifest root'),
      },
      { links: { exhibit: reg.id, after: derived.id }, time: T0 + 795_000 },
    ),
    [K.custodian],
  );
  const restrict = add(
    'restrict',
    'a legal hold on fields of the exhibit: the profiles that may still receive them, and its ground',
    made(
      'restrict',
      'restrict',
      K.custodian,
      {
        fields: ['description', 'location'],
        recipients: ['court'],
        ground: 'Art. 16(3)(b) Directive (EU) 2016/680',
      },
      { links: { exhibit: reg.id, after: derived.id }, time: T0 + 791_000 },
    ),
    [K.custodian],
  );
  add(
    'release',
    'the end of a hold, named by its restrict statement',
    made(
      'release',
      'release',
      K.custodian,
      { hold: restrict.id, ground: 'Proceedings closed' },
      { links: { exhibit: reg.id, after: derived.id }, time: T0 + 792_000 },
    ),
    [K.custodian],
  );
  add(
    'erase',
    'the erasure of fields of the exhibit, with its ground',
    made(
      'erase',
      'erase',
      K.custodian,
      { fields: ['location'], ground: 'Art. 16(2) Directive (EU) 2016/680' },
      { links: { exhibit: reg.id, after: derived.id }, time: T0 + 793_000 },
    ),
    [K.custodian],
  );
  // Issue 29: lab evidence (register body version 2), the enrolling officer's choices (enrol
  // body version 2), and the resolution of a non-conformity (an annotation).
  add(
    'register-directory',
    'register body version 2: a folder by its manifest (Merkle root and entry count); digests of the manifest file, size the files\u2019 total; digests a hashdeep log reported; seal photographs',
    made(
      'register-directory',
      'register',
      K.collector,
      {
        label: 'EXPORT-01',
        caseRef: 'NL-2026-0042',
        description: 'Cloud account export, as downloaded',
        digests: { sha256: digest('manifest file') },
        size: 52_428_800,
        evidence: 'directory',
        manifest: digest('manifest root'),
        entries: 1_204,
        reported: {
          tool: 'hashdeep',
          version: '4.4',
          digests: { md5: digest('hashdeep md5').slice(0, 16) },
          log: digest('hashdeep log'),
          verification: 'verified',
        },
        photos: [digest('seal photo 1'), digest('seal photo 2')],
      },
      { time: T0 + 492_000 },
    ),
    [K.collector],
  );
  add(
    'register-device',
    'register body version 2: a block device as the kernel had it (read-only, not mounted), its identifiers committed, a label knowingly similar to another (similarName)',
    made(
      'register-device',
      'register',
      K.collector,
      {
        label: 'PHONE-04',
        caseRef: 'NL-2026-0042',
        description: 'Samsung phone, internal storage',
        digests: { sha256: digest('phone storage') },
        size: 128_035_676_160,
        evidence: 'device',
        device: { model: 'Samsung SM-S911B', readOnly: 'yes', mounted: 'no' },
        identifiers: 'IMEI 356938035643809\nSerial R5CT30ABCDE',
        similarName: true,
      },
      { time: T0 + 494_000 },
    ),
    [K.collector],
  );
  add(
    'enrol-similar-name',
    'enrol body version 2: a name knowingly similar to another actor\u2019s (similarName) and how the identity was checked (committed)',
    made(
      'enrol-similar-name',
      'enrol',
      K.registrar,
      {
        key: [KEY_TYPES.ed25519, K.newAuthority.signer.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles: ['examiner'],
        jurisdiction: 'NL',
        name: 'J. de Vries',
        org: 'Netherlands Forensic Institute',
        similarName: true,
        identityCheck: 'Passport NL checked in person by the registrar',
      },
      { links: { after: enrolWitness.id, seen: seen(5) }, time: T0 + 250_000 },
    ),
    [K.registrar],
  );
  add(
    'resolve',
    'the resolution of a non-conformity: issue names the statement that opened it, action (committed) what was done',
    made(
      'resolve',
      'resolve',
      K.custodian,
      { issue: accept.id, action: 'Seal damage photographed and reported;\ndigests re-computed: equal.' },
      { links: { exhibit: reg.id, after: derived.id }, time: T0 + 794_000 },
    ),
    [K.custodian],
  );
  add(
    'transfer-foreign-receiver',
    'a hand-over to a key of another ledger: to = [origin, key id] (valid in shape; the rules need federation)',
    made(
      'transfer-foreign-receiver',
      'transfer',
      K.collector,
      { to: [OTHER_ORIGIN, idOf(K.custodian)], reason: 'Mutual legal assistance', legalBasis: 'MLA 2026/7' },
      { links: { exhibit: reg.id, after: reg.id }, time: T0 + 545_000 },
    ),
    [K.collector],
  );
  add(
    'examine-foreign-exhibit',
    "a statement about another ledger's exhibit: exhibit = [origin, id] (valid in shape)",
    custom(
      'examine-foreign-exhibit',
      'examine',
      K.custodian,
      { action: 'Checked the seal' },
      {
        exhibit: { origin: OTHER_ORIGIN, id: digest('foreign exhibit') },
        after: digest('foreign head'),
        time: T0,
      },
    ),
    [K.custodian],
  );
  add(
    'register-foreign-signer',
    'a signer enrolled in another ledger: signer = [type, public key, origin] (valid in shape)',
    custom(
      'register-foreign-signer',
      'register',
      K.custodian,
      {
        label: 'USB-02',
        caseRef: 'DE-2026-0007',
        description: 'USB stick',
        digests: { sha256: digest('usb') },
        size: 1,
      },
      { signerOrigin: OTHER_ORIGIN, time: T0 },
    ),
    [K.custodian],
  );
  return out;
}

// ---------------------------------------------------------------------------
// Invalid statements

export type Stage = 'decode' | 'kinds' | 'signatures';

export interface Invalid {
  name: string;
  description: string;
  bytes: Uint8Array;
  expected: string;
  stage: Stage;
}

/** Where the library refuses a signed statement, and with which code ('ACCEPTED' if it does not). */
export function classify(bytes: Uint8Array): { code: string; stage: Stage | 'none' } {
  const codeOf = (e: unknown) => {
    if (e instanceof FormatError) return e.code;
    return `THREW ${String(e)}`;
  };
  let d: ReturnType<typeof decodeSignedStatement>;
  try {
    d = decodeSignedStatement(bytes);
  } catch (e) {
    return { code: codeOf(e), stage: 'decode' };
  }
  let spec: ReturnType<typeof checkKind>;
  try {
    spec = checkKind(d.statement);
  } catch (e) {
    return { code: codeOf(e), stage: 'kinds' };
  }
  try {
    if (signatureProblem(d, spec)) return { code: 'STATEMENT_SIGNATURE_INVALID', stage: 'signatures' };
  } catch (e) {
    return { code: codeOf(e), stage: 'signatures' };
  }
  return { code: 'ACCEPTED', stage: 'none' };
}

type Wire = { [key: string]: Canonical | undefined };
const wireOf = (tbs: Uint8Array): Wire => {
  const r = decodeCanonical(tbs);
  if ('error' in r) throw new Error('base tbs does not decode');
  return r.value as Wire;
};
const signAll = (tbs: Uint8Array, signers: readonly Signer[]) =>
  signers.map((s) => s.sign(statementMessage(tbs)));
/** A signed statement over `tbs` by `signers`, in order. */
const signed = (tbs: Uint8Array, signers: readonly NamedKey[]) =>
  encodeSignedStatement(
    tbs,
    signAll(
      tbs,
      signers.map((k) => k.signer),
    ),
  );

export function invalidStatements(valid: Valid[]): Invalid[] {
  const by = (name: string) => valid.find((v) => v.name === name)!;
  const out: Invalid[] = [];
  const add = (name: string, expected: string, stage: Stage, description: string, bytes: Uint8Array) =>
    out.push({ name, expected, stage, description, bytes });

  /** The base statement's envelope with `patch` applied (undefined removes), canonical, re-signed by its signers. */
  const envelope = (base: string, patch: Wire, signers = by(base).signers) => {
    const tbs = encodeCanonical({ ...wireOf(by(base).made.tbs), ...patch });
    return signed(tbs, signers);
  };
  const body = (base: string, patch: Wire, signers = by(base).signers) => {
    const w = wireOf(by(base).made.tbs);
    const tbs = encodeCanonical({ ...w, body: { ...(w['body'] as Wire), ...patch } });
    return signed(tbs, signers);
  };
  /** The tbs bytes given, signed by the base statement's signers. */
  const rawTbs = (base: string, tbs: Uint8Array) => signed(tbs, by(base).signers);

  const reg = by('register');
  const regWire = wireOf(reg.made.tbs);
  const regSig = decodeSignedStatement(reg.made.bytes).signatures[0]!;
  const rawSigned = (tbsItem: Uint8Array, sigs: Uint8Array) => rawArray([tbsItem, sigs]);
  const sigsItem = (...s: Uint8Array[]) => rawArray(s.map((x) => enc(x)));

  // --- STATEMENT_TOO_LARGE: the limit is on the whole signed statement, 16,384 bytes inclusive.
  const padded = (total: number) => {
    const w = regWire;
    const tbsOf = (n: number) =>
      encodeCanonical({ ...w, body: { ...(w['body'] as Wire), pad: new Uint8Array(n) } });
    const sizeOf = (n: number) => encodeSignedStatement(tbsOf(n), [new Uint8Array(64)]).length;
    let n = total - sizeOf(0);
    while (sizeOf(n) > total) n--;
    while (sizeOf(n) < total) n++;
    if (sizeOf(n) !== total) throw new Error(`cannot pad to ${total}`);
    return signed(tbsOf(n), [K.collector]);
  };
  add(
    'too-large-16385',
    'STATEMENT_TOO_LARGE',
    'decode',
    'a signed statement of 16,385 bytes (a register whose body has an extra 16 KB field): refused for its size before anything else',
    padded(STATEMENT_LIMITS.signed + 1),
  );
  add(
    'at-limit-16384',
    'BODY_SCHEMA',
    'kinds',
    'the same statement at exactly 16,384 bytes: the size is allowed (the limit is inclusive), so it is refused for the unknown body field',
    padded(STATEMENT_LIMITS.signed),
  );

  // --- STATEMENT_MALFORMED: not one msgpack value of the shape [tbs: bin, [1..4 signatures: bin]].
  add('malformed-empty', 'STATEMENT_MALFORMED', 'decode', 'no bytes at all', new Uint8Array(0));
  add(
    'malformed-truncated',
    'STATEMENT_MALFORMED',
    'decode',
    'a valid signed statement without its last byte',
    reg.made.bytes.slice(0, -1),
  );
  add(
    'malformed-trailing-byte',
    'STATEMENT_MALFORMED',
    'decode',
    'a valid signed statement followed by one byte 00',
    concat(reg.made.bytes, b(0)),
  );
  add('malformed-c1', 'STATEMENT_MALFORMED', 'decode', 'the byte c1, never used in MessagePack', b(0xc1));
  add(
    'malformed-outer-map',
    'STATEMENT_MALFORMED',
    'decode',
    'a map {signatures, tbs} instead of the array [tbs, signatures]',
    encodeCanonical({ tbs: reg.made.tbs, signatures: [regSig] }),
  );
  add(
    'malformed-outer-three',
    'STATEMENT_MALFORMED',
    'decode',
    '[tbs, signatures, 1]: an array of 3',
    encodeCanonical([reg.made.tbs, [regSig], 1]),
  );
  add(
    'malformed-outer-one',
    'STATEMENT_MALFORMED',
    'decode',
    '[tbs]: no signature list',
    encodeCanonical([reg.made.tbs]),
  );
  add(
    'malformed-no-signature',
    'STATEMENT_MALFORMED',
    'decode',
    '[tbs, []]: no signature',
    encodeSignedStatement(reg.made.tbs, []),
  );
  add(
    'malformed-five-signatures',
    'STATEMENT_MALFORMED',
    'decode',
    'five signatures (at most four)',
    encodeSignedStatement(reg.made.tbs, [regSig, regSig, regSig, regSig, regSig]),
  );
  add(
    'malformed-signatures-not-array',
    'STATEMENT_MALFORMED',
    'decode',
    '[tbs, signature]: the signature not in a list',
    encodeCanonical([reg.made.tbs, regSig]),
  );
  add(
    'malformed-signature-string',
    'STATEMENT_MALFORMED',
    'decode',
    'a signature given as a string (hex) instead of bin',
    encodeCanonical([reg.made.tbs, [toHex(regSig)]]),
  );
  add(
    'malformed-tbs-inline-map',
    'STATEMENT_MALFORMED',
    'decode',
    'the envelope map inline instead of its bytes as bin (tbs travels as opaque bytes)',
    rawSigned(reg.made.tbs, sigsItem(regSig)),
  );
  add(
    'malformed-tbs-truncated',
    'STATEMENT_MALFORMED',
    'decode',
    'a well-formed outer array whose tbs bin holds a truncated map',
    encodeSignedStatement(reg.made.tbs.slice(0, -1), [regSig]),
  );
  add(
    'malformed-signature-63',
    'STATEMENT_MALFORMED',
    'decode',
    "a first signature of 63 bytes (the signer's key type needs 64)",
    encodeSignedStatement(reg.made.tbs, [regSig.slice(0, 63)]),
  );
  const mldsaKey = concat(...Array.from({ length: 41 }, (_, i) => digest(`mldsa public key ${i}`))); // 1312 bytes
  const mldsaTbs = encodeCanonical({ ...regWire, signer: [KEY_TYPES.mldsa44, mldsaKey] });
  add(
    'malformed-mldsa-signer-64-byte-signature',
    'STATEMENT_MALFORMED',
    'decode',
    'an ML-DSA-44 (type 6) signer with a 64-byte first signature (type 6 signatures are 2,420 bytes)',
    encodeSignedStatement(mldsaTbs, [regSig]),
  );

  // --- STATEMENT_NON_CANONICAL: MessagePack, but not the one canonical encoding.
  const tbsBin = enc(reg.made.tbs);
  add(
    'non-canonical-outer-array16',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'the outer array of 2 with an array16 header (dc 00 02)',
    rawArray([tbsBin, sigsItem(regSig)], concat(b(0xdc), be(2, 2))),
  );
  add(
    'non-canonical-tbs-bin32',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'the tbs with a bin32 header (c6) where bin16 is the shortest',
    rawArray([binAs(0xc6, reg.made.tbs), sigsItem(regSig)]),
  );
  add(
    'non-canonical-signature-bin16',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'the signature with a bin16 header (c5 00 40)',
    rawArray([tbsBin, rawArray([binAs(0xc5, regSig)])]),
  );
  add(
    'non-canonical-envelope-unsorted',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'the envelope map with its keys in reverse order (re-signed)',
    rawTbs('register', reversedMap(regWire as Obj)),
  );
  add(
    'non-canonical-envelope-duplicate-key',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'the envelope with the key "v" twice (re-signed)',
    rawTbs(
      'register',
      rawMap(
        [
          ...Object.keys(regWire)
            .sort()
            .map((k): [Uint8Array, Uint8Array] => [enc(k), enc(regWire[k]!)]),
          [enc('v'), enc(2)],
        ],
        containerHeader('map', Object.keys(regWire).length + 1),
      ),
    ),
  );
  add(
    'non-canonical-bv-uint16',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'bv 1 written as uint16 (cd 00 01) (re-signed)',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['bv'], () => b(0xcd, 0, 1)),
    ),
  );
  add(
    'non-canonical-time-float',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'time written as a float64 (cb) (re-signed)',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['time'], (v) => {
        const f = new Uint8Array(9);
        f[0] = 0xcb;
        new DataView(f.buffer).setFloat64(1, v as number);
        return f;
      }),
    ),
  );
  add(
    'non-canonical-size-negative',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'body.size written as a negative fixint (ff = -1) (re-signed)',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['body', 'size'], () => b(0xff)),
    ),
  );
  add(
    'non-canonical-kind-str8',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'kind "register" with a str8 header (d9 08) where fixstr is the shortest (re-signed)',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['kind'], () => strAs(0xd9, text('register'))),
    ),
  );
  add(
    'non-canonical-tz-invalid-utf8',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'tz a string of invalid UTF-8 (a lone continuation byte 80) (re-signed)',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['tz'], () => concat(b(0xa3), b(0x55, 0x80, 0x43))),
    ),
  );
  add(
    'non-canonical-ext',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'body.seizedAt as a MessagePack timestamp extension (d6 ff) (re-signed)',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['body', 'seizedAt'], () =>
        concat(b(0xd6, 0xff), be(1_772_355_600, 4)),
      ),
    ),
  );
  add(
    'non-canonical-size-above-2^53',
    'STATEMENT_NON_CANONICAL',
    'decode',
    'body.size = 2^53 as uint64: above the largest integer canonical MessagePack carries here (re-signed)',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['body', 'size'], () => concat(b(0xcf), be(2n ** 53n, 8))),
    ),
  );

  // --- STATEMENT_SCHEMA: the envelope out of shape (decoding).
  const schema = (name: string, description: string, bytes: Uint8Array) =>
    add(`schema-${name}`, 'STATEMENT_SCHEMA', 'decode', description, bytes);
  schema('tbs-array', 'the tbs is an array, not a map', rawTbs('register', encodeCanonical([2, ORIGIN])));
  schema('v1', 'v = 1', envelope('register', { v: 1 }));
  schema('v-missing', 'no v', envelope('register', { v: undefined }));
  schema('unknown-field', 'an unknown envelope field "seq"', envelope('register', { seq: 7 }));
  schema(
    'proto-field',
    'an envelope field named "__proto__" (an unknown field like any other)',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['__proto__'], () => enc({})),
    ),
  );
  schema('class-other', 'class "other"', envelope('register', { class: 'other' }));
  schema(
    'kind-uppercase',
    'kind "Register": not [a-z][a-z-]{0,31}',
    envelope('register', { kind: 'Register' }),
  );
  schema('kind-too-long', 'a kind of 33 letters', envelope('register', { kind: 'r'.repeat(33) }));
  schema('bv-0', 'bv = 0', envelope('register', { bv: 0 }));
  schema('bv-65536', 'bv = 65536', envelope('register', { bv: 65_536 }));
  schema('origin-space', 'an origin with a space', envelope('register', { origin: 'ledger nfi example' }));
  schema('origin-plus', "an origin with '+'", envelope('register', { origin: 'ledger+nfi' }));
  schema('origin-empty', 'an empty origin', envelope('register', { origin: '' }));
  schema('origin-256', 'an origin of 256 bytes', envelope('register', { origin: 'o'.repeat(256) }));
  schema(
    'time-after-9999',
    'time 253,402,300,800,000 (after 9999-12-31T23:59:59.999Z)',
    envelope('register', { time: 253_402_300_800_000 }),
  );
  schema('tz-offset', 'tz "+01:00": not a zone name', envelope('register', { tz: '+01:00' }));
  schema(
    'signer-type-2',
    'signer of key type 2 (unknown)',
    envelope('register', { signer: [2, K.collector.signer.publicKey] }),
  );
  schema(
    'signer-short-key',
    'signer with a 31-byte Ed25519 key',
    envelope('register', { signer: [1, K.collector.signer.publicKey.slice(1)] }),
  );
  schema('signer-no-key', 'signer [1]', envelope('register', { signer: [1] }));
  schema(
    'signer-own-origin',
    "signer [type, key, origin] naming the statement's own origin (one encoding per meaning: leave it out)",
    envelope('register', { signer: [1, K.collector.signer.publicKey, ORIGIN] }),
  );
  schema(
    'signer-bad-origin',
    'signer naming an origin with a space',
    envelope('register', { signer: [1, K.collector.signer.publicKey, 'bad origin'] }),
  );
  const transferWire = wireOf(by('transfer').made.tbs);
  schema(
    'exhibit-own-origin',
    "exhibit written [origin, id] with the statement's own origin (one encoding per meaning: the plain 32 bytes)",
    envelope('transfer', { exhibit: [ORIGIN, transferWire['exhibit'] as Uint8Array] }),
  );
  schema(
    'exhibit-31',
    'exhibit of 31 bytes',
    envelope('transfer', { exhibit: (transferWire['exhibit'] as Uint8Array).slice(1) }),
  );
  schema(
    'exhibit-bad-origin',
    'exhibit [origin, id] with an empty origin',
    envelope('transfer', { exhibit: ['', transferWire['exhibit'] as Uint8Array] }),
  );
  schema(
    'after-31',
    'after of 31 bytes',
    envelope('transfer', { after: (transferWire['after'] as Uint8Array).slice(1) }),
  );
  schema(
    'after-nil',
    'after = nil (absent fields are left out, never nil)',
    envelope('transfer', { after: null }),
  );
  schema('seen-three', 'seen [size, root, 0]', envelope('register', { seen: [1, SEEN_ROOT, 0] }));
  schema('seen-root-31', 'seen with a 31-byte root', envelope('register', { seen: [1, SEEN_ROOT.slice(1)] }));
  schema(
    'seen-size-string',
    'seen with the size as a string',
    envelope('register', { seen: ['1', SEEN_ROOT] }),
  );
  schema('body-array', 'body an array', envelope('register', { body: [] }));
  schema('body-missing', 'no body', envelope('register', { body: undefined }));
  schema(
    'chain-exhibit-without-after',
    'chain class: exhibit without after',
    envelope('transfer', { after: undefined }),
  );
  schema(
    'chain-after-without-exhibit',
    'chain class: after without exhibit',
    envelope('transfer', { exhibit: undefined }),
  );
  schema(
    'ledger-with-exhibit',
    'ledger class: an enrol naming an exhibit',
    envelope('enrol-collector', { exhibit: digest('some exhibit') }),
  );
  schema(
    'annotation-without-links',
    'annotation class without exhibit and after (checked when decoding, before the kind is looked up)',
    envelope('register', { class: 'annotation', kind: 'disclose' }),
  );

  // --- STATEMENT_SCHEMA: a kind's link rule (the kinds table).
  const link = (name: string, description: string, bytes: Uint8Array) =>
    add(`link-${name}`, 'STATEMENT_SCHEMA', 'kinds', description, bytes);
  link('genesis-after', 'genesis with after', envelope('genesis', { after: digest('x') }));
  link('genesis-seen', 'genesis with seen', envelope('genesis', { seen: [0, SEEN_ROOT] }));
  link(
    'enrol-without-after',
    'enrol (ledger) without after',
    envelope('enrol-collector', { after: undefined }),
  );
  link(
    'transfer-without-links',
    'transfer without exhibit and after (the chain class allows neither, the kind needs both)',
    envelope('transfer', { exhibit: undefined, after: undefined }),
  );
  link(
    'accept-without-links',
    'accept without exhibit and after',
    envelope('accept', { exhibit: undefined, after: undefined }),
  );

  // --- STATEMENT_SIGNATURE_INVALID.
  const sig = (name: string, description: string, bytes: Uint8Array) =>
    add(`signature-${name}`, 'STATEMENT_SIGNATURE_INVALID', 'signatures', description, bytes);
  const rot = decodeSignedStatement(by('rotate').made.bytes);
  sig(
    'rotate-without-cosignature',
    'a rotate without the new key\u2019s co-signature',
    encodeSignedStatement(rot.tbs, [rot.signatures[0]!]),
  );
  sig(
    'rotate-wrong-cosigner',
    'a rotate co-signed by another key than the one it names',
    encodeSignedStatement(rot.tbs, [rot.signatures[0]!, K.registrar.signer.sign(statementMessage(rot.tbs))]),
  );
  sig(
    'rotate-swapped-order',
    'a rotate with the two signatures in the wrong order (the signer first, then the co-signer)',
    encodeSignedStatement(rot.tbs, [rot.signatures[1]!, rot.signatures[0]!]),
  );
  sig('wrong-key', "a register signed by another key than the signer's", signed(reg.made.tbs, [K.custodian]));
  const flip = (s: Uint8Array, i: number) => {
    const c = s.slice();
    c[i]! ^= 0x01;
    return c;
  };
  sig(
    'flipped-bit-r',
    'a signature with one bit of R flipped',
    encodeSignedStatement(reg.made.tbs, [flip(regSig, 0)]),
  );
  sig(
    'flipped-bit-s',
    'a signature with one bit of S flipped',
    encodeSignedStatement(reg.made.tbs, [flip(regSig, 40)]),
  );
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(regSig[i]!);
  s += L;
  const malleated = regSig.slice();
  for (let i = 32; i < 64; i++) {
    malleated[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  sig(
    's-plus-l',
    'the signature with S replaced by S + L (same point equation, non-canonical S): refused by strict verification',
    encodeSignedStatement(reg.made.tbs, [malleated]),
  );
  sig(
    'tbs-edited',
    'the tbs with its origin changed after signing (the signature is the original one)',
    encodeSignedStatement(encodeCanonical({ ...regWire, origin: OTHER_ORIGIN }), [regSig]),
  );
  sig(
    'no-domain',
    'signed over the bare tbs, without "custody/statement/v2\\n"',
    encodeSignedStatement(reg.made.tbs, [K.collector.signer.sign(reg.made.tbs)]),
  );
  sig(
    'identity-domain',
    'signed over "custody/statement-id/v2\\n" || tbs (the identity\u2019s prefix, not the message\u2019s)',
    encodeSignedStatement(reg.made.tbs, [
      K.collector.signer.sign(concat(text(STATEMENT_ID_DOMAIN), reg.made.tbs)),
    ]),
  );
  sig(
    'extra-signature',
    'a register carrying a second signature (valid, by another key): register has no co-signer',
    encodeSignedStatement(reg.made.tbs, [regSig, K.custodian.signer.sign(statementMessage(reg.made.tbs))]),
  );
  sig(
    'mldsa-signer',
    'an ML-DSA-44 signer with a 2,420-byte signature: statement keys are Ed25519 only',
    encodeSignedStatement(mldsaTbs, [new Uint8Array(2420)]),
  );

  // --- KIND_UNKNOWN, BODY_VERSION_UNKNOWN, KIND_CLASS_MISMATCH (INCOMPLETE, not invalid, for the first two).
  add(
    'kind-unknown-chain',
    'KIND_UNKNOWN',
    'kinds',
    'a chain statement of kind "seize"',
    envelope('register', { kind: 'seize' }),
  );
  add(
    'kind-unknown-constructor',
    'KIND_UNKNOWN',
    'kinds',
    'kind "constructor" (a property every JavaScript object inherits; not a kind)',
    envelope('register', { kind: 'constructor' }),
  );
  add(
    'kind-unknown-annotation',
    'KIND_UNKNOWN',
    'kinds',
    'an annotation of kind "remark" (not in v2) with exhibit and after',
    envelope('accept', { class: 'annotation', kind: 'remark' }),
  );
  add(
    'kind-unknown-ledger',
    'KIND_UNKNOWN',
    'kinds',
    'a ledger statement of kind "suspend"',
    envelope('configure', { kind: 'suspend' }),
  );
  add(
    'body-version-3',
    'BODY_VERSION_UNKNOWN',
    'kinds',
    'register at bv 3 (register has body versions 1 and 2)',
    envelope('register', { bv: 3 }),
  );
  add(
    'body-version-65535',
    'BODY_VERSION_UNKNOWN',
    'kinds',
    'genesis at bv 65535',
    envelope('genesis', { bv: 65_535 }),
  );
  add(
    'class-transfer-annotation',
    'KIND_CLASS_MISMATCH',
    'kinds',
    'transfer under class annotation',
    envelope('transfer', { class: 'annotation' }),
  );
  add(
    'class-genesis-chain',
    'KIND_CLASS_MISMATCH',
    'kinds',
    'genesis under class chain',
    envelope('genesis', { class: 'chain' }),
  );
  add(
    'class-register-ledger',
    'KIND_CLASS_MISMATCH',
    'kinds',
    'register under class ledger',
    envelope('register', { class: 'ledger' }),
  );

  // --- BODY_SCHEMA.
  const bodyCase = (name: string, description: string, bytes: Uint8Array) =>
    add(`body-${name}`, 'BODY_SCHEMA', 'kinds', description, bytes);
  bodyCase(
    'cleartext-description',
    'register: the description in clear where its commitment belongs',
    body('register', { description: 'Seagate 2 TB disk' }),
  );
  bodyCase(
    'cleartext-name',
    'enrol: the name in clear where its commitment belongs',
    body('enrol-collector', { name: 'J. de Vries' }),
  );
  bodyCase('cleartext-reason', 'transfer: the reason in clear', body('transfer', { reason: 'EIO' }));
  bodyCase(
    'commitment-31',
    'register: a 31-byte description commitment',
    body('register', { description: new Uint8Array(31) }),
  );
  bodyCase('unknown-field', 'register: an unknown field "notes"', body('register', { notes: 'x' }));
  bodyCase(
    'proto-field',
    'register: a body field named "__proto__"',
    rawTbs(
      'register',
      encodeWith(regWire as Canonical, ['body', '__proto__'], () => enc('x')),
    ),
  );
  bodyCase('missing-digests', 'register without digests', body('register', { digests: undefined }));
  bodyCase('missing-label', 'register without label', body('register', { label: undefined }));
  bodyCase(
    'digests-no-sha256',
    'register: digests without sha256',
    body('register', { digests: { md5: new Uint8Array(16) } }),
  );
  bodyCase(
    'digest-sha256-31',
    'register: a 31-byte sha256',
    body('register', { digests: { sha256: new Uint8Array(31) } }),
  );
  bodyCase(
    'digest-unknown-algorithm',
    'register: digest algorithm "crc32"',
    body('register', { digests: { crc32: new Uint8Array(4), sha256: digest('disk') } }),
  );
  bodyCase(
    'duplicate-false',
    'register: duplicate = false (true or absent)',
    body('register', { duplicate: false }),
  );
  bodyCase('size-string', 'register: size as a string', body('register', { size: '1000' }));
  bodyCase(
    'manifest-for-file',
    'register v2: a manifest with evidence file (manifests are for directory and segments)',
    body('register-device', { evidence: 'file', device: undefined, manifest: digest('root'), entries: 1 }),
  );
  bodyCase(
    'directory-without-manifest',
    'register v2: evidence directory without its manifest',
    body('register-directory', { manifest: undefined, entries: undefined }),
  );
  bodyCase(
    'manifest-without-entries',
    'register v2: a manifest without its entry count',
    body('register-directory', { entries: undefined }),
  );
  bodyCase(
    'device-map-for-directory',
    'register v2: a device map without evidence device',
    body('register-directory', { device: { readOnly: 'yes', mounted: 'no' } }),
  );
  bodyCase(
    'evidence-unknown',
    'register v2: evidence "cloud" (not a known evidence type)',
    body('register-device', { evidence: 'cloud' }),
  );
  bodyCase(
    'reported-tool-unknown',
    'register v2: reported by tool "dd" (not a known acquisition tool)',
    body('register-directory', {
      reported: { tool: 'dd', version: '9.4', digests: { md5: new Uint8Array(16) }, log: digest('log') },
    }),
  );
  bodyCase(
    'device-readonly-boolean',
    'register v2: device.readOnly as a boolean ("yes" or "no")',
    body('register-device', { device: { readOnly: true, mounted: 'no' } }),
  );
  bodyCase(
    'photos-empty',
    'register v2: an empty photos list (1..32)',
    body('register-directory', { photos: [] }),
  );
  bodyCase(
    'register-v1-evidence',
    'register v1 with evidence (a field of version 2)',
    body('register', { evidence: 'file' }),
  );
  bodyCase(
    'enrol-v2-nothing-new',
    'enrol v2 without similarName or identityCheck (that body is version 1)',
    body('enrol-similar-name', { similarName: undefined, identityCheck: undefined }),
  );
  bodyCase(
    'resolve-issue-31',
    'resolve: an issue of 31 bytes',
    body('resolve', { issue: new Uint8Array(31) }),
  );
  bodyCase(
    'label-tab',
    'register: a label with TAB (U+0009), a refused control',
    body('register', { label: 'HDD\t01' }),
  );
  bodyCase(
    'label-bidi-override',
    'register: a label with RIGHT-TO-LEFT OVERRIDE (U+202E)',
    body('register', { label: 'HDD-\u202e10' }),
  );
  bodyCase(
    'caseref-zwsp',
    'register: a case reference with ZERO WIDTH SPACE (U+200B)',
    body('register', { caseRef: 'NL-2026\u200b-0042' }),
  );
  bodyCase(
    'seal-c1',
    'register: a seal with NEXT LINE (U+0085), a C1 control',
    body('register', { seal: 'NL-\u00850041187' }),
  );
  bodyCase(
    'label-201',
    'register: a label of 201 bytes (limit 200)',
    body('register', { label: `HDD-${'x'.repeat(197)}` }),
  );
  bodyCase('label-empty', 'register: an empty label', body('register', { label: '' }));
  bodyCase(
    'label-leading-space',
    'register: a label with a leading space',
    body('register', { label: ' HDD-01' }),
  );
  bodyCase(
    'legal-basis-line-feed',
    'transfer: legalBasis with LF (single-line text)',
    body('transfer', { legalBasis: 'EIO\nDE-2026-0042' }),
  );
  bodyCase('to-31', 'transfer: to of 31 bytes', body('transfer', { to: idOf(K.custodian).slice(1) }));
  bodyCase(
    'to-bad-origin',
    'transfer: to [origin, key id] with an origin containing a space',
    body('transfer', { to: ['bad origin', idOf(K.custodian)] }),
  );
  bodyCase(
    'to-own-origin',
    "transfer: to [origin, key id] naming the statement's own origin (a key here is named by its 32-byte id alone)",
    body('transfer', { to: [ORIGIN, idOf(K.custodian)] }),
  );
  bodyCase(
    'tool-501',
    'examine: a tool of 501 bytes (limit 500)',
    body('examine', { tool: 't'.repeat(501) }),
  );
  bodyCase(
    'roles-unsorted',
    'enrol: roles not sorted',
    body('enrol-collector', { roles: ['custodian', 'collector'] }),
  );
  bodyCase(
    'roles-duplicate',
    'enrol: a role twice',
    body('enrol-collector', { roles: ['collector', 'collector'] }),
  );
  bodyCase('roles-unknown', 'enrol: role "admin"', body('enrol-collector', { roles: ['admin'] }));
  bodyCase('purpose-6', 'enrol: purpose 6', body('enrol-collector', { purpose: 6 }));
  bodyCase('purpose-0', 'enrol: purpose 0', body('enrol-collector', { purpose: 0 }));
  bodyCase(
    'jurisdiction-xx',
    'enrol: jurisdiction "XX" (not assigned)',
    body('enrol-collector', { jurisdiction: 'XX' }),
  );
  bodyCase(
    'jurisdiction-lowercase',
    'enrol: jurisdiction "nl"',
    body('enrol-collector', { jurisdiction: 'nl' }),
  );
  bodyCase(
    'key-type-2',
    'enrol: key of type 2',
    body('enrol-collector', { key: [2, K.collector.signer.publicKey] }),
  );
  bodyCase(
    'logkey-31',
    'genesis: a 31-byte log key',
    body('genesis', { logKey: [1, K.log.signer.publicKey.slice(1)] }),
  );
  bodyCase(
    'config-unknown',
    'genesis: config with an unknown parameter',
    body('genesis', { config: { maxExhibits: 5 } }),
  );
  bodyCase(
    'config-skew-too-large',
    'genesis: clockSkewMs 86,400,001 (at most a day)',
    body('genesis', { config: { clockSkewMs: 86_400_001 } }),
  );
  bodyCase(
    'genesis-name-bidi',
    'genesis: a name with LEFT-TO-RIGHT MARK (U+200E)',
    body('genesis', { name: 'NFI\u200e ledger' }),
  );
  bodyCase('dispose-method', 'dispose: method "burned"', body('dispose', { method: 'burned' }));
  bodyCase('accept-seal', 'accept: seal "ok" (intact or broken)', body('accept', { seal: 'ok' }));
  bodyCase('accept-digests-empty', 'accept: an empty digest map', body('accept', { digests: {} }));
  bodyCase('revoke-key-31', 'revoke: a 31-byte key id', body('revoke', { key: idOf(K.collector).slice(1) }));
  bodyCase(
    'rotate-key-missing',
    'rotate: no key (signed by the authority and the new key)',
    body('rotate', { key: undefined }),
  );
  return out;
}

// ---------------------------------------------------------------------------
// Commitments and openings

export interface OpeningCase {
  name: string;
  description: string;
  /** The signed statement whose body holds the commitment. */
  statement: Made;
  field: string;
  opening: Opening;
  expected: 'OPENING_INVALID' | 'OPENING_TEXT_REFUSED';
  /** For the shift attack: the honest opening whose bytes were moved. */
  honest?: Opening;
}

/** The bytes hashed to commit: canonical(["custody/commit/v2", field, salt, value]). */
export const commitmentPreimage = (field: string, o: Opening) =>
  encodeCanonical([COMMIT_DOMAIN, field, o.salt, o.value]);

/** The code checkOpenings raises for one revealed field, or 'ACCEPTED'. */
export function openingCode(statement: Made, field: string, opening: Opening): string {
  try {
    const d = decodeSignedStatement(statement.bytes);
    const spec = checkKind(d.statement);
    checkOpenings(spec, d.statement.kind, d.statement.body, { [field]: opening });
    return 'ACCEPTED';
  } catch (e) {
    if (e instanceof FormatError) return e.code;
    return `THREW ${String(e)}`;
  }
}

/** A salt from the seeded stream whose last byte is printable ASCII (for the shift attack). */
function saltEndingInAscii(label: string): Uint8Array {
  for (let i = 0; ; i++) {
    const s = sha256(text(`${label} ${i}`));
    if (s[31]! >= 0x21 && s[31]! <= 0x7e) return s;
  }
}

export function openingCases(valid: Valid[]): OpeningCase[] {
  const by = (name: string) => valid.find((v) => v.name === name)!.made;
  const out: OpeningCase[] = [];
  const add = (c: OpeningCase) => out.push(c);
  const dispose = by('dispose');
  const reason = dispose.openings['reason']!;
  const recipient = dispose.openings['recipient']!;

  add({
    name: 'wrong-salt',
    description: "dispose: the reason's value with the recipient's salt",
    statement: dispose,
    field: 'reason',
    opening: { salt: recipient.salt, value: reason.value },
    expected: 'OPENING_INVALID',
  });
  add({
    name: 'wrong-value',
    description: 'dispose: the reason with one letter changed',
    statement: dispose,
    field: 'reason',
    opening: { salt: reason.salt, value: 'Case closes' },
    expected: 'OPENING_INVALID',
  });
  add({
    name: 'wrong-field',
    description:
      "dispose: the reason's exact opening presented as the recipient (the field name is committed)",
    statement: dispose,
    field: 'recipient',
    opening: reason,
    expected: 'OPENING_INVALID',
  });
  add({
    name: 'field-not-committed',
    description: 'register: an opening for label, a field in clear',
    statement: by('register'),
    field: 'label',
    opening: { salt: reason.salt, value: 'HDD-01' },
    expected: 'OPENING_INVALID',
  });
  add({
    name: 'field-absent',
    description: 'register (derived copy): an opening for location, which this body does not carry',
    statement: by('register-derived'),
    field: 'location',
    opening: { salt: reason.salt, value: 'Wiesbaden' },
    expected: 'OPENING_INVALID',
  });

  // The shift attack: under a naive hash of field || salt || value, moving the
  // salt's last byte to the front of the value (or the value's first byte to
  // the end of the salt) would hash the same bytes. Canonical msgpack carries
  // each length, and the salt is exactly 32 bytes.
  const shiftSalt = saltEndingInAscii('vectors-v2 shift salt');
  const shiftStatement = make(
    'reject',
    K.custodian.signer,
    { reason: 'Wrong unit' },
    { exhibit: by('register').id, after: by('transfer').id },
    { time: T0 + 615_000, random: () => shiftSalt },
  );
  const honest = shiftStatement.openings['reason']!;
  add({
    name: 'shift-salt-31',
    description:
      "reject: a 31-byte salt and the value prefixed with the salt's last byte (the same bytes as salt || value)",
    statement: shiftStatement,
    field: 'reason',
    opening: { salt: honest.salt.slice(0, 31), value: String.fromCharCode(honest.salt[31]!) + honest.value },
    expected: 'OPENING_INVALID',
    honest,
  });
  add({
    name: 'shift-salt-33',
    description: "reject: a 33-byte salt ending with the value's first byte, and the rest of the value",
    statement: shiftStatement,
    field: 'reason',
    opening: { salt: concat(honest.salt, text(honest.value.slice(0, 1))), value: honest.value.slice(1) },
    expected: 'OPENING_INVALID',
    honest,
  });

  // Openings that match, of text the field's rules refuse (the signer committed to it).
  const refused = (
    name: string,
    description: string,
    kind: string,
    signer: NamedKey,
    field: string,
    fields: Record<string, Canonical | undefined>,
    links: MakeOpts['links'],
  ) => {
    const m = made(`refused-${name}`, kind, signer, fields, { links: links ?? {}, time: T0 + 900_000 });
    add({
      name: `text-refused-${name}`,
      description,
      statement: m,
      field,
      opening: m.openings[field]!,
      expected: 'OPENING_TEXT_REFUSED',
    });
  };
  const regLinks = { exhibit: by('register').id, after: by('transfer').id };
  refused(
    'bidi-override',
    'reject: the committed reason contains RIGHT-TO-LEFT OVERRIDE (U+202E)',
    'reject',
    K.custodian,
    'reason',
    { reason: 'Wrong \u202etinu' },
    regLinks,
  );
  refused(
    'nul',
    'cancel: the committed reason contains NUL (U+0000)',
    'cancel',
    K.collector,
    'reason',
    { reason: 'Sent\u0000in error' },
    regLinks,
  );
  refused(
    'tab-in-name',
    'enrol: the committed name contains TAB (U+0009)',
    'enrol',
    K.registrar,
    'name',
    {
      key: [KEY_TYPES.ed25519, K.witness.signer.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: ['examiner'],
      jurisdiction: 'NL',
      name: 'A.\tJansen',
      org: 'NFI',
    },
    { after: by('enrol-custodian').id, seen: { size: 4, root: SEEN_ROOT } },
  );
  refused(
    'line-feed-in-location',
    'register: the committed location (single-line) contains LF',
    'register',
    K.collector,
    'location',
    {
      label: 'SIM-01',
      caseRef: 'NL-2026-0042',
      description: 'SIM card',
      digests: { sha256: digest('sim') },
      size: 128_000,
      location: 'Keizersgracht 1\nAmsterdam',
    },
    {},
  );
  refused(
    'trailing-space',
    'dispose: the committed recipient ends with a space',
    'dispose',
    K.custodian,
    'recipient',
    { method: 'returned', reason: 'Returned to owner', recipient: 'J. Jansen ' },
    { exhibit: by('register').id, after: by('examine').id },
  );
  refused(
    'empty',
    'accept: the committed note is empty',
    'accept',
    K.custodian,
    'note',
    { note: '' },
    regLinks,
  );
  refused(
    'name-201-bytes',
    'enrol: the committed org is 201 bytes (limit 200)',
    'enrol',
    K.registrar,
    'org',
    {
      key: [KEY_TYPES.ed25519, K.witness.signer.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: ['examiner'],
      jurisdiction: 'NL',
      name: 'A. Jansen',
      org: `NFI ${'x'.repeat(197)}`,
    },
    { after: by('enrol-custodian').id, seen: { size: 4, root: SEEN_ROOT } },
  );
  return out;
}

/** Stored openings that do not decode (decodeOpenings: OPENING_INVALID). */
export function openingsDecodingCases(
  valid: Valid[],
): { name: string; description: string; bytes: Uint8Array }[] {
  const reason = valid.find((v) => v.name === 'dispose')!.made.openings['reason']!;
  return [
    {
      name: 'not-a-map',
      description: 'an array instead of a map',
      bytes: encodeCanonical([reason.salt, reason.value]),
    },
    {
      name: 'one-element',
      description: '{reason: [salt]}',
      bytes: encodeCanonical({ reason: [reason.salt] }),
    },
    {
      name: 'value-bin',
      description: '{reason: [salt, value as bin]}',
      bytes: encodeCanonical({ reason: [reason.salt, text(reason.value)] }),
    },
    {
      name: 'salt-31',
      description: '{reason: [31-byte salt, value]}',
      bytes: encodeCanonical({ reason: [reason.salt.slice(1), reason.value] }),
    },
    {
      name: 'non-canonical',
      description: 'the salt with a bin16 header',
      bytes: rawMap([[enc('reason'), rawArray([binAs(0xc5, reason.salt), enc(reason.value)])]]),
    },
    {
      name: 'trailing',
      description: 'valid openings followed by a byte',
      bytes: concat(encodeOpenings({ reason }), b(0)),
    },
  ];
}

// ---------------------------------------------------------------------------
// The file

export function buildStatements(): { json: Json; deviations: string[] } {
  const valid = validStatements();
  const kinds = new Set(valid.map((v) => v.made.statement.kind));
  for (const k of Object.keys(KINDS_V2))
    if (!kinds.has(k)) throw new Error(`no valid statement of kind ${k}`);
  const invalid = invalidStatements(valid);
  const openings = openingCases(valid);
  const decoding = openingsDecodingCases(valid);
  const deviations: string[] = [];

  const validJson = valid.map((v) => {
    const d = decodeSignedStatement(v.made.bytes);
    const commitments: Record<string, Json> = {};
    const spec = KINDS_V2[v.made.statement.kind]!;
    for (const f of Object.keys(spec.committed))
      if (d.statement.body[f] instanceof Uint8Array)
        commitments[f] = toHex(d.statement.body[f] as Uint8Array);
    const openingsJson: Record<string, Json> = {};
    for (const [f, o] of Object.entries(v.made.openings))
      openingsJson[f] = {
        saltHex: toHex(o.salt),
        value: o.value,
        preimageHex: toHex(commitmentPreimage(f, o)),
      };
    return {
      name: v.name,
      description: v.description,
      kind: v.made.statement.kind,
      class: v.made.statement.class,
      signedHex: toHex(v.made.bytes),
      tbsHex: toHex(d.tbs),
      messageHex: toHex(statementMessage(d.tbs)),
      identityHex: toHex(d.id),
      signatures: d.signatures.map((s, i) => ({
        signer: v.signers[i]!.name,
        publicKeyHex: toHex(v.signers[i]!.signer.publicKey),
        signatureHex: toHex(s),
      })),
      envelope: readable(wireOf(d.tbs)),
      commitments,
      openings: openingsJson,
      openingsHex: toHex(encodeOpenings(v.made.openings)),
    };
  });

  const invalidJson = invalid.map((c) => {
    const got = classify(c.bytes);
    if (got.code !== c.expected || got.stage !== c.stage)
      deviations.push(
        `statements.invalid ${c.name}: expected ${c.expected} at ${c.stage}, got ${got.code} at ${got.stage}`,
      );
    return {
      name: c.name,
      description: c.description,
      signedHex: toHex(c.bytes),
      expectedError: c.expected,
      stage: c.stage,
    };
  });

  const openingJson = openings.map((c) => {
    const got = openingCode(c.statement, c.field, c.opening);
    if (got !== c.expected)
      deviations.push(`statements.commitments ${c.name}: expected ${c.expected}, got ${got}`);
    const commitment = decodeSignedStatement(c.statement.bytes).statement.body[c.field];
    const j: { [key: string]: Json } = {
      name: c.name,
      description: c.description,
      kind: c.statement.statement.kind,
      signedHex: toHex(c.statement.bytes),
      field: c.field,
      commitmentHex: commitment instanceof Uint8Array ? toHex(commitment) : null,
      saltHex: toHex(c.opening.salt),
      value: c.opening.value,
      openingsHex: toHex(encodeOpenings({ [c.field]: c.opening })),
      expectedError: c.expected,
    };
    if (c.honest) j['honest'] = { saltHex: toHex(c.honest.salt), value: c.honest.value };
    return j;
  });

  const validOpenings = valid.flatMap((v) =>
    Object.entries(v.made.openings).map(([field, o]) => ({
      statement: v.name,
      field,
      saltHex: toHex(o.salt),
      value: o.value,
      preimageHex: toHex(commitmentPreimage(field, o)),
      commitmentHex: toHex(commit(field, o)),
    })),
  );

  const decodingJson = decoding.map((c) => {
    let got = 'ACCEPTED';
    try {
      decodeOpenings(c.bytes);
    } catch (e) {
      got = e instanceof FormatError ? e.code : `THREW ${String(e)}`;
    }
    if (got !== 'OPENING_INVALID') deviations.push(`statements.openingsDecoding ${c.name}: got ${got}`);
    return {
      name: c.name,
      description: c.description,
      openingsHex: toHex(c.bytes),
      expectedError: 'OPENING_INVALID',
    };
  });

  const json: Json = {
    about:
      'Format v2 statements (docs/FORMAT.md). `valid`: signed statements of every kind, each decoded (`envelope`: the tbs map, byte strings as hex), ' +
      'with its identity, signed message, signatures, commitments and openings. `invalid`: signed statements the library must refuse with `expectedError` ' +
      '(FormatError code) at `stage`: decode (decodeSignedStatement), kinds (checkKind, the kinds table) or signatures (every required signature, in order). ' +
      'Statements edited for a vector are re-signed by their signers unless the vector is about the signature, so only the stated fault is wrong. ' +
      '`commitments.valid`: every opening of `valid` with its preimage; `commitments.invalid`: an opening of one field of the statement `signedHex`, ' +
      'refused by checkOpenings with `expectedError`; `commitments.openingsDecoding`: stored openings decodeOpenings refuses. ' +
      'Keys are seededSigner(label) of test/helpers/world.ts: seed = SHA-256("custody test key " || label). ' +
      'Generated by test/vectors-v2/generate.ts (npm run vectors:v2); do not edit.',
    origin: ORIGIN,
    domains: { message: STATEMENT_DOMAIN, identity: STATEMENT_ID_DOMAIN, commitment: COMMIT_DOMAIN },
    limits: { signedBytes: STATEMENT_LIMITS.signed, signatures: STATEMENT_LIMITS.signatures },
    keys: describeKeys(Object.values(K)),
    valid: validJson,
    invalid: invalidJson,
    commitments: { valid: validOpenings, invalid: openingJson, openingsDecoding: decodingJson },
  };
  return { json, deviations };
}
