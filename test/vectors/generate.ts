/**
 * Test-vector generator for the custody record format (docs/FORMAT.md).
 *
 *   npx tsx test/vectors/generate.ts      (also: npm run vectors)
 *
 * Builds a small ledger with the real Ledger code and deterministic inputs
 * (seeded keys, a stepping clock, counting exhibit randomness; Ed25519
 * signatures are deterministic), then writes:
 *   - valid.json:   every entry byte by byte, key ids, exhibit ids, the Merkle root;
 *   - invalid.json: records decodeRecord must refuse (with the expected error
 *                   code), and well-formed records that verifyLog must report
 *                   (with the expected problem code), each after a prefix of
 *                   the valid log.
 * Output is reproducible: keys sorted, fixed indentation, ASCII only (other
 * characters as \uXXXX escapes), nothing from the run's environment.
 * vectors.test.ts calls buildVectors() and compares with the committed files.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { concat, toHex, utf8 } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { rotationProofMessage } from '../../src/custody/rules.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';
import type { Payload } from '../../src/format/events.js';
import { exhibitIdFromBytes, keyId, parseActorId, parseExhibitId } from '../../src/format/ids.js';
import {
  decodeRecord,
  encodeRecord,
  type RecordErrorCode,
  signedMessage,
  ZERO_HASH,
} from '../../src/format/record.js';
import { MerkleFrontier } from '../../src/merkle/frontier.js';
import { type Actor, digestsOf, makeWorld, seededSigner } from '../helpers/world.js';
import { type Json, readable, renderJson } from '../vectors-v2/json.js';

// ---------------------------------------------------------------------------
// JSON output

// One rendering for both generations of vectors (test/vectors-v2/json.ts).
export { type Json, renderJson };

// ---------------------------------------------------------------------------
// Hand-built MessagePack (docs/FORMAT.md §Canonical MessagePack) for the
// non-canonical forms our encoder can never produce.

const b = (...bytes: number[]) => new Uint8Array(bytes);
const be = (n: number | bigint, len: number): Uint8Array => {
  const out = new Uint8Array(len);
  let x = BigInt(n);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
};
const enc = (v: Canonical): Uint8Array => encodeCanonical(v);

/** Canonical header of a map or array of n elements. */
function containerHeader(kind: 'map' | 'array', n: number): Uint8Array {
  if (n <= 15) return b((kind === 'map' ? 0x80 : 0x90) | n);
  if (n <= 0xffff) return concat(b(kind === 'map' ? 0xde : 0xdc), be(n, 2));
  return concat(b(kind === 'map' ? 0xdf : 0xdd), be(n, 4));
}
const rawMap = (pairs: [Uint8Array, Uint8Array][], header = containerHeader('map', pairs.length)) =>
  concat(header, ...pairs.flat());
const rawArray = (items: Uint8Array[], header = containerHeader('array', items.length)) =>
  concat(header, ...items);
/** str with an explicit header byte (0xd9 str8, 0xda str16, 0xdb str32), whatever the length. */
function strAs(code: 0xd9 | 0xda | 0xdb, bytes: Uint8Array): Uint8Array {
  return concat(b(code), be(bytes.length, code === 0xd9 ? 1 : code === 0xda ? 2 : 4), bytes);
}
/** bin with an explicit header byte (0xc4 bin8, 0xc5 bin16, 0xc6 bin32). */
function binAs(code: 0xc4 | 0xc5 | 0xc6, bytes: Uint8Array): Uint8Array {
  return concat(b(code), be(bytes.length, code === 0xc4 ? 1 : code === 0xc5 ? 2 : 4), bytes);
}
/** The next longer bin header than the canonical one for these bytes. */
const binLonger = (bytes: Uint8Array) => binAs(bytes.length < 0x100 ? 0xc5 : 0xc6, bytes);

type Obj = { [key: string]: Canonical | undefined };
const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

/** Canonical map pairs (keys sorted, undefined values left out). */
function pairsOf(o: Obj): [Uint8Array, Uint8Array][] {
  return Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => [enc(k), enc(o[k]!)]);
}

/** Canonical map pairs of `o` plus `extra` pairs (key, encoded value), all sorted bytewise by key. */
function sortedPairs(o: Obj, extra: [string, Uint8Array][]): [Uint8Array, Uint8Array][] {
  const all: [string, Uint8Array][] = [
    ...Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .map((k): [string, Uint8Array] => [k, enc(o[k]!)]),
    ...extra,
  ];
  all.sort((x, y) => Buffer.compare(utf8(x[0]), utf8(y[0])));
  return all.map(([k, v]) => [enc(k), v]);
}

/** Encodes `v` canonically except at `path`, where `replacement(value)` supplies the bytes. */
function encodeWith(
  v: Canonical,
  path: readonly string[],
  replacement: (value: Canonical | undefined) => Uint8Array,
): Uint8Array {
  if (path.length === 0) return replacement(v);
  if (!isObj(v)) throw new Error('path leads through a non-map');
  const [head, ...rest] = path as [string, ...string[]];
  const keys = [...new Set([...Object.keys(v).filter((k) => v[k] !== undefined), head])].sort();
  return rawMap(
    keys.map((k) => [enc(k), k === head ? encodeWith(v[k] ?? null, rest, replacement) : enc(v[k]!)]),
  );
}

// ---------------------------------------------------------------------------
// The ledger

const ORIGIN = 'custody.test/nl-nfi';

interface Built {
  records: Uint8Array[];
  signers: Map<string, Signer>;
  labels: Map<string, string>;
  newAuthority: Signer;
}

async function buildLedger(): Promise<Built> {
  const w = await makeWorld();
  const L = w.ledger;
  const berlin = { tz: 'Europe/Berlin' };
  const named: [string, Actor][] = [
    ['authority', w.authority],
    ['nl-collector', w.nlCollector],
    ['nl-examiner', w.nlExaminer],
    ['de-custodian', w.deCustodian],
    ['de-examiner', w.deExaminer],
    ['fr-court', w.frCourt],
    ['witness', w.witness],
  ];
  const content = 'disk image bytes';
  const hdd = await L.append(
    {
      kind: 'register',
      body: {
        label: 'HDD-01',
        caseRef: 'NL-2026-0042',
        description:
          'Seagate Barracuda 2 TB hard disk (serial ZFL0ABCD), found in the top drawer of the suspect\u2019s desk.\n' +
          'Seized under warrant RC-2026-117 of the rechter-commissaris, Rechtbank Amsterdam.\n' +
          'Condition: good; casing intact, no visible damage.\n' +
          'Packed in anti-static bag, sealed with tamper-evident bag NL-SEAL-1001.',
        digests: {
          sha256: sha256(utf8(content)),
          md5: sha256(utf8(`md5 stand-in ${content}`)).slice(0, 16),
          sha512: concat(sha256(utf8(`sha512 a ${content}`)), sha256(utf8(`sha512 b ${content}`))),
        },
        size: 2_000_398_934_016,
        seal: 'NL-SEAL-1001',
        location: 'Keizersgracht 1, 1015 CJ Amsterdam',
        seizedAt: Date.UTC(2026, 1, 28, 21, 47, 0),
      },
    },
    w.nlCollector.signer,
  );
  const original = hdd.exhibit!;
  await L.append(
    {
      kind: 'transfer',
      body: {
        exhibit: original,
        to: w.nlExaminer.id,
        reason: 'Forensic imaging and examination',
        method: 'Hand delivery by police courier',
        seal: 'NL-SEAL-1001',
      },
    },
    w.nlCollector.signer,
  );
  await L.append(
    {
      kind: 'accept',
      body: {
        exhibit: original,
        digests: digestsOf(content),
        seal: 'intact',
        note: 'Received at the NFI evidence desk.',
      },
    },
    w.nlExaminer.signer,
  );
  await L.append(
    {
      kind: 'examine',
      body: {
        exhibit: original,
        action:
          'Imaged through a hardware write blocker (E01, verified).\nFile names include \u{20BB7}\u91ce\u5bb6, ' +
          // ZWNJ (U+200C) and ZWJ (U+200D) are allowed text (docs/FORMAT.md §Text): Persian and Indic need them.
          '\u06af\u0632\u0627\u0631\u0634\u200c\u0647\u0627 and \u0915\u094d\u200d\u0937.',
        tool: 'FTK Imager 4.7.1',
        digests: { sha256: sha256(utf8(content)), md5: sha256(utf8(`md5 stand-in ${content}`)).slice(0, 16) },
        seal: 'NL-SEAL-1002',
      },
    },
    w.nlExaminer.signer,
  );
  const image = 'E01 image bytes';
  const img = await L.append(
    {
      kind: 'register',
      body: {
        label: 'HDD-01-IMG',
        caseRef: 'NL-2026-0042',
        description: 'Forensic image (E01) of HDD-01.',
        digests: { sha256: sha256(utf8(image)), sha1: sha256(utf8(`sha1 stand-in ${image}`)).slice(0, 20) },
        size: 1_048_576,
        parent: original,
      },
    },
    w.nlExaminer.signer,
  );
  const copy = img.exhibit!;
  const eio = 'EIO 2026/123 (Directive 2014/41/EU)';
  await L.append(
    {
      kind: 'transfer',
      body: { exhibit: copy, to: w.deCustodian.id, reason: 'Execution of the EIO', legalBasis: eio },
    },
    w.nlExaminer.signer,
  );
  await L.append(
    {
      kind: 'reject',
      body: {
        exhibit: copy,
        reason: 'Transfer form names seal NL-SEAL-1003; the package shows NL-SEAL-1004.',
      },
    },
    w.deCustodian.signer,
    berlin,
  );
  await L.append(
    {
      kind: 'transfer',
      body: { exhibit: copy, to: w.frCourt.id, reason: 'Execution of the EIO', legalBasis: 'EIO 2026/124' },
    },
    w.nlExaminer.signer,
  );
  await L.append(
    { kind: 'cancel', body: { exhibit: copy, reason: 'Sent to the wrong authority; the EIO is German.' } },
    w.nlExaminer.signer,
  );
  await L.append(
    {
      kind: 'transfer',
      body: {
        exhibit: copy,
        to: w.deCustodian.id,
        reason: 'Execution of the EIO',
        seal: 'NL-SEAL-1004',
        legalBasis: eio,
      },
    },
    w.nlExaminer.signer,
  );
  await L.append(
    {
      kind: 'accept',
      body: {
        exhibit: copy,
        digests: { sha256: sha256(utf8(image)) },
        seal: 'broken',
        note: 'Seal torn at one corner; contents complete.',
      },
    },
    w.deCustodian.signer,
    berlin,
  );
  await L.append(
    {
      kind: 'dispose',
      body: {
        exhibit: original,
        method: 'returned',
        reason: 'Returned to the owner by order of the court.',
        recipient: 'Owner, via Politie Amsterdam',
      },
    },
    w.nlExaminer.signer,
  );
  await L.append(
    { kind: 'revoke', body: { actor: w.witness.id, reason: 'Witness service moved to a new key.' } },
    w.authority.signer,
  );
  const newAuthority = seededSigner('authority-2');
  await L.append({ kind: 'rotate', newAuthority }, w.authority.signer, { tz: 'UTC' });
  const xk = seededSigner('xk-custodian');
  await L.append(
    {
      kind: 'enrol',
      body: {
        publicKey: xk.publicKey,
        name: 'EULEX evidence unit',
        roles: ['court', 'custodian'],
        jurisdiction: 'XK',
        // Exactly 200 UTF-8 bytes (the limit), fewer characters.
        org: padTo200(`Policia e Kosov\u00ebs \u2014 ${'\u00eb'.repeat(80)}`),
      },
    },
    newAuthority,
    { tz: 'Europe/Belgrade' },
  );
  const records: Uint8Array[] = [];
  for await (const r of L.records()) records.push(r.bytes);
  const signers = new Map<string, Signer>();
  const labels = new Map<string, string>();
  for (const [label, a] of named) {
    signers.set(a.id, a.signer);
    labels.set(a.id, label);
  }
  for (const [label, s] of [
    ['authority-2', newAuthority],
    ['xk-custodian', xk],
  ] as const) {
    signers.set(keyId(s.publicKey), s);
    labels.set(keyId(s.publicKey), label);
  }
  return { records, signers, labels, newAuthority };
}

// ---------------------------------------------------------------------------
// valid.json

interface Entry {
  seq: number;
  kind: string;
  payload: Payload;
  payloadBytes: Uint8Array;
  record: Uint8Array;
  leafHash: Uint8Array;
  signerPublicKey: Uint8Array;
  actor: string;
}

const BINARY_FIELDS =
  'prev, body.publicKey, body.proof, body.after, body.parentAfter and every value of body.digests';

function buildValid(built: Built): { json: Json; entries: Entry[]; root: Uint8Array } {
  const entries: Entry[] = [];
  const frontier = MerkleFrontier.empty();
  const jsonEntries: Json[] = [];
  const keyOf = new Map<string, Uint8Array>();
  for (const s of built.signers.values()) keyOf.set(keyId(s.publicKey), s.publicKey);
  for (const [seq, record] of built.records.entries()) {
    const rec = decodeRecord(record);
    const p = rec.payload;
    const signerPublicKey = p.kind === 'genesis' ? p.body.publicKey : keyOf.get(p.actor);
    if (!signerPublicKey) throw new Error(`no key for ${p.actor}`);
    frontier.append(rec.leafHash);
    const e: Entry = {
      seq,
      kind: p.kind,
      payload: p,
      payloadBytes: rec.payloadBytes,
      record,
      leafHash: rec.leafHash,
      signerPublicKey,
      actor: p.actor,
    };
    entries.push(e);
    const j: { [key: string]: Json } = {
      seq,
      kind: p.kind,
      payload: readable(p),
      payloadHex: toHex(rec.payloadBytes),
      signedMessageHex: toHex(signedMessage(ORIGIN, rec.payloadBytes)),
      signatureHex: toHex(rec.signature),
      recordHex: toHex(record),
      leafHashHex: toHex(rec.leafHash),
      rootHex: toHex(frontier.root()),
      signerPublicKeyHex: toHex(signerPublicKey),
      actorId: p.actor,
    };
    if (p.kind === 'rotate')
      j['rotationProofMessageHex'] = toHex(rotationProofMessage(ORIGIN, p.prev, p.body.publicKey));
    jsonEntries.push(j);
  }
  const genesis = entries[0]!.payload;
  if (genesis.kind !== 'genesis') throw new Error('entry 0 is not genesis');

  const keyIds: Json[] = [...built.signers.entries()]
    .map(([id, s]) => ({
      label: built.labels.get(id)!,
      seedHex: toHex(sha256(utf8(`custody test key ${built.labels.get(id)!}`))),
      publicKeyHex: toHex(s.publicKey),
      keyId: keyId(s.publicKey),
    }))
    .sort((x, y) => (x.label < y.label ? -1 : 1));

  const exhibitInputs = [
    '000000000000',
    '000000000007',
    '000000000008',
    'ffffffffffff',
    '0123456789ab',
    'deadbeefcafe',
    '8421084210ff',
  ];
  const exhibitIds: Json[] = exhibitInputs.map((hex) => ({
    randomHex: hex,
    exhibitId: exhibitIdFromBytes(Uint8Array.from(Buffer.from(hex, 'hex'))),
  }));

  const someActor = keyId(built.signers.values().next().value!.publicKey);
  const someExhibit = exhibitIdFromBytes(Uint8Array.from(Buffer.from('0123456789ab', 'hex')));
  const compact = someActor.replace(/-/g, '');
  const wrongCheck = someActor.slice(0, -1) + (someActor.endsWith('0') ? '1' : '0');
  const actorInputs = [
    someActor,
    someActor.toLowerCase(),
    compact,
    `  ${someActor.slice(0, 7)} ${someActor.slice(8)} `,
    someActor.replace(/0/g, 'O').replace(/1/g, 'l'),
    someActor.replace(/1/g, 'I'),
    wrongCheck,
    someActor.replace(/^K/, 'EX'),
    someActor.slice(0, -1),
    `${someActor}0`,
    someActor.slice(0, 2) + 'U' + someActor.slice(3),
  ];
  const exhibitInputsParse = [
    someExhibit,
    someExhibit.toLowerCase().replace(/-/g, ''),
    someExhibit.replace(/^EX/, 'K'),
  ];
  const idParsing: Json[] = [
    ...actorInputs.map((input) => ({ type: 'actor', input, canonical: parseActorId(input) ?? null })),
    ...exhibitInputsParse.map((input) => ({
      type: 'exhibit',
      input,
      canonical: parseExhibitId(input) ?? null,
    })),
  ];

  const json: Json = {
    about:
      'Valid custody records (docs/FORMAT.md). Entries are one ledger, in order. In `payload`, integers are JSON numbers and ' +
      `byte strings are lowercase hex strings; the byte-string fields are ${BINARY_FIELDS}. ` +
      '`rootHex` is the Merkle root (RFC 9162) of entries 0..seq. Key seeds are SHA-256("custody test key " + label). ' +
      'Generated by test/vectors/generate.ts; do not edit.',
    format: 'custody/entry/v1',
    origin: ORIGIN,
    authorityPublicKeyHex: toHex(genesis.body.publicKey),
    entries: jsonEntries,
    merkleRootHex: toHex(frontier.root()),
    keyIds,
    exhibitIds,
    idParsing,
  };
  return { json, entries, root: frontier.root() };
}

// ---------------------------------------------------------------------------
// invalid.json

interface DecodeCase {
  id: string;
  description: string;
  base: number | null;
  record: Uint8Array;
  expected: RecordErrorCode;
}

interface VerifyCase {
  id: string;
  description: string;
  context: number;
  record: Uint8Array;
  expected: string;
}

/** A fresh, mutable copy of an entry's payload, envelope and body. */
function fresh(e: Entry): { p: Obj; body: Obj } {
  const d = decodeCanonical(e.payloadBytes);
  if (!('value' in d) || !isObj(d.value)) throw new Error('bad base payload');
  const p = d.value;
  const body = p['body'];
  if (!isObj(body)) throw new Error('bad base body');
  return { p, body };
}

function buildInvalid(built: Built, entries: Entry[]): { decode: DecodeCase[]; verify: VerifyCase[] } {
  const decode: DecodeCase[] = [];
  const signerFor = (actor: string): Signer => {
    const s = built.signers.get(actor);
    if (!s) throw new Error(`no signer for ${actor}`);
    return s;
  };
  const entry = (seq: number) => entries[seq]!;
  const sign = (e: Entry, payloadBytes: Uint8Array) =>
    signerFor(e.actor).sign(signedMessage(ORIGIN, payloadBytes));
  /** A record around hand-made payload bytes, correctly signed by the base entry's signer. */
  const withPayload = (e: Entry, payloadBytes: Uint8Array) =>
    encodeRecord(payloadBytes, sign(e, payloadBytes));
  const add = (
    id: string,
    expected: RecordErrorCode,
    base: number | null,
    description: string,
    record: Uint8Array,
  ) => decode.push({ id, description, base, record, expected });
  /** A payload case: the base payload with a change at `path` made by hand. */
  const at = (
    id: string,
    expected: RecordErrorCode,
    base: number,
    path: string[],
    description: string,
    replacement: (v: Canonical | undefined) => Uint8Array,
  ) => {
    const { p } = fresh(entry(base));
    add(id, expected, base, description, withPayload(entry(base), encodeWith(p, path, replacement)));
  };
  /** A schema case: the base payload changed as a value, then encoded canonically. */
  const schema = (id: string, base: number, description: string, change: (p: Obj, body: Obj) => void) => {
    const { p, body } = fresh(entry(base));
    change(p, body);
    add(id, 'RECORD_SCHEMA', base, description, withPayload(entry(base), enc(p)));
  };

  const reg = entry(7); // register (original exhibit)
  const regParts = fresh(reg);
  const sig7 = decodeRecord(reg.record).signature;

  // --- record level ---------------------------------------------------------
  add('record-empty', 'RECORD_MALFORMED', null, 'zero bytes', new Uint8Array(0));
  add('record-nil', 'RECORD_MALFORMED', null, 'a lone nil (0xc0) instead of the record array', b(0xc0));
  add('record-reserved-c1', 'RECORD_MALFORMED', null, 'the never-used byte 0xc1', b(0xc1));
  add(
    'record-trailing-byte',
    'RECORD_MALFORMED',
    7,
    'entry 7 followed by one extra byte 0x00',
    concat(reg.record, b(0x00)),
  );
  add(
    'record-trailing-value',
    'RECORD_MALFORMED',
    7,
    'entry 7 followed by a second value (nil)',
    concat(reg.record, b(0xc0)),
  );
  add('record-truncated', 'RECORD_MALFORMED', 7, 'entry 7 without its last byte', reg.record.slice(0, -1));
  add(
    'record-truncated-header',
    'RECORD_MALFORMED',
    7,
    'entry 7 cut inside the payload bin header',
    reg.record.slice(0, 2),
  );
  add(
    'record-three-elements',
    'RECORD_MALFORMED',
    7,
    'record array of 3 elements [payload, signature, signature]',
    rawArray([enc(reg.payloadBytes), enc(sig7), enc(sig7)]),
  );
  add(
    'record-one-element',
    'RECORD_MALFORMED',
    7,
    'record array of 1 element [payload]',
    rawArray([enc(reg.payloadBytes)]),
  );
  add(
    'record-swapped',
    'RECORD_MALFORMED',
    7,
    'record array [signature, payload]: the 64-byte signature is not a map, the payload is not 64 bytes',
    rawArray([enc(sig7), enc(reg.payloadBytes)]),
  );
  add(
    'record-as-map',
    'RECORD_MALFORMED',
    7,
    'record as a map {payload, signature} instead of an array',
    enc({ payload: reg.payloadBytes, signature: sig7 }),
  );
  add(
    'record-payload-as-map',
    'RECORD_MALFORMED',
    7,
    'record array whose first element is the payload map itself, not a bin holding its bytes',
    rawArray([reg.payloadBytes, enc(sig7)]),
  );
  add(
    'record-payload-as-str',
    'RECORD_NON_CANONICAL',
    7,
    'payload bytes carried in a str, not a bin: they are not UTF-8, which puts the record outside the subset before its shape is checked',
    rawArray([strAs(reg.payloadBytes.length < 0x100 ? 0xd9 : 0xda, reg.payloadBytes), enc(sig7)]),
  );
  add(
    'record-first-element-str',
    'RECORD_MALFORMED',
    7,
    'record array whose first element is the str "payload" (valid UTF-8) instead of a bin',
    rawArray([enc('payload'), enc(sig7)]),
  );
  add(
    'record-signature-63',
    'RECORD_MALFORMED',
    7,
    'signature of 63 bytes',
    enc([reg.payloadBytes, sig7.slice(0, 63)]),
  );
  add(
    'record-signature-65',
    'RECORD_MALFORMED',
    7,
    'signature of 65 bytes',
    enc([reg.payloadBytes, concat(sig7, b(0))]),
  );
  add(
    'record-signature-as-str',
    'RECORD_MALFORMED',
    7,
    'signature as a 64-byte str instead of a bin',
    rawArray([enc(reg.payloadBytes), strAs(0xd9, new Uint8Array(64).fill(0x41))]),
  );
  add(
    'record-array16',
    'RECORD_NON_CANONICAL',
    7,
    'record array with an array16 header (0xdc 0x0002) instead of fixarray 0x92',
    rawArray([enc(reg.payloadBytes), enc(sig7)], b(0xdc, 0x00, 0x02)),
  );
  add(
    'record-payload-bin-longer',
    'RECORD_NON_CANONICAL',
    7,
    'payload bin with a longer header than needed (bin16 for < 256 bytes, or bin32 for < 65536)',
    rawArray([binLonger(reg.payloadBytes), enc(sig7)]),
  );
  add(
    'record-signature-bin16',
    'RECORD_NON_CANONICAL',
    7,
    'signature with a bin16 header (0xc5 0x0040) instead of bin8',
    rawArray([enc(reg.payloadBytes), binAs(0xc5, sig7)]),
  );
  add(
    'record-too-large',
    'RECORD_TOO_LARGE',
    null,
    'a record of 65665 bytes (limit 65664), checked before decoding',
    concat(
      b(0x92, 0xc6),
      be(65665 - 6 - 66, 4),
      new Uint8Array(65665 - 6 - 66),
      b(0xc4, 0x40),
      new Uint8Array(64),
    ),
  );
  add(
    'record-payload-too-large',
    'RECORD_TOO_LARGE',
    null,
    'a payload bin of 65537 bytes (limit 65536) in a record under the record limit',
    enc([new Uint8Array(65537), new Uint8Array(64)]),
  );
  add(
    'payload-trailing-byte',
    'RECORD_MALFORMED',
    7,
    'payload bytes of entry 7 plus one byte 0x00 inside the bin',
    withPayload(reg, concat(reg.payloadBytes, b(0x00))),
  );
  add(
    'payload-truncated',
    'RECORD_MALFORMED',
    7,
    'payload bytes of entry 7 without their last byte',
    withPayload(reg, reg.payloadBytes.slice(0, -1)),
  );
  add('payload-empty', 'RECORD_MALFORMED', 7, 'empty payload bin', withPayload(reg, new Uint8Array(0)));
  add(
    'payload-reserved-c1',
    'RECORD_MALFORMED',
    7,
    'the value of `tz` is the never-used byte 0xc1',
    withPayload(
      reg,
      encodeWith(regParts.p, ['tz'], () => b(0xc1)),
    ),
  );

  // --- canonical encoding of the payload ------------------------------------
  const seq = reg.seq;
  at(
    'payload-map16',
    'RECORD_NON_CANONICAL',
    7,
    [],
    'payload map of 8 entries with a map16 header (0xde 0x0008) instead of fixmap 0x88',
    (v) => rawMap(pairsOf(v as Obj), b(0xde, 0x00, 0x08)),
  );
  at(
    'payload-map32',
    'RECORD_NON_CANONICAL',
    7,
    [],
    'payload map with a map32 header (0xdf 0x00000008)',
    (v) => rawMap(pairsOf(v as Obj), b(0xdf, 0, 0, 0, 0x08)),
  );
  at(
    'body-map16',
    'RECORD_NON_CANONICAL',
    7,
    ['body'],
    'register body with a map16 header instead of a fixmap',
    (v) => {
      const pairs = pairsOf(v as Obj);
      return rawMap(pairs, concat(b(0xde), be(pairs.length, 2)));
    },
  );
  at(
    'roles-array16',
    'RECORD_NON_CANONICAL',
    1,
    ['body', 'roles'],
    'enrol roles array with an array16 header instead of a fixarray',
    (v) => rawArray((v as Canonical[]).map(enc), concat(b(0xdc), be((v as Canonical[]).length, 2))),
  );
  at(
    'seq-uint8',
    'RECORD_NON_CANONICAL',
    7,
    ['seq'],
    `seq ${seq} as uint8 (0xcc) instead of positive fixint`,
    () => b(0xcc, seq),
  );
  at('seq-uint16', 'RECORD_NON_CANONICAL', 7, ['seq'], `seq ${seq} as uint16 (0xcd)`, () =>
    concat(b(0xcd), be(seq, 2)),
  );
  at('seq-uint32', 'RECORD_NON_CANONICAL', 7, ['seq'], `seq ${seq} as uint32 (0xce)`, () =>
    concat(b(0xce), be(seq, 4)),
  );
  at('seq-uint64', 'RECORD_NON_CANONICAL', 7, ['seq'], `seq ${seq} as uint64 (0xcf)`, () =>
    concat(b(0xcf), be(seq, 8)),
  );
  at(
    'seq-int8',
    'RECORD_NON_CANONICAL',
    7,
    ['seq'],
    `seq ${seq} as int8 (0xd0): signed integer formats are outside the subset`,
    () => b(0xd0, seq),
  );
  at('seq-int64', 'RECORD_NON_CANONICAL', 7, ['seq'], `seq ${seq} as int64 (0xd3)`, () =>
    concat(b(0xd3), be(seq, 8)),
  );
  at('seq-float64', 'RECORD_NON_CANONICAL', 7, ['seq'], `seq ${seq} as float64 (0xcb) ${seq}.0`, () => {
    const f = new Uint8Array(8);
    new DataView(f.buffer).setFloat64(0, seq);
    return concat(b(0xcb), f);
  });
  at('seq-float32', 'RECORD_NON_CANONICAL', 7, ['seq'], `seq ${seq} as float32 (0xca) ${seq}.0`, () => {
    const f = new Uint8Array(4);
    new DataView(f.buffer).setFloat32(0, seq);
    return concat(b(0xca), f);
  });
  at(
    'seq-negative-fixint',
    'RECORD_NON_CANONICAL',
    7,
    ['seq'],
    'seq as negative fixint 0xff (-1): negative integers are outside the subset',
    () => b(0xff),
  );
  at(
    'size-uint64-2^53',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'size'],
    'size 2^53 as uint64: integers above 2^53-1 are outside the subset',
    () => concat(b(0xcf), be(2n ** 53n, 8)),
  );
  at('size-uint64-max', 'RECORD_NON_CANONICAL', 7, ['body', 'size'], 'size 2^64-1 as uint64', () =>
    concat(b(0xcf), be(2n ** 64n - 1n, 8)),
  );
  at(
    'size-shorter-uint64-as-uint64',
    'RECORD_NON_CANONICAL',
    11,
    ['body', 'size'],
    'size 1048576 as uint64 instead of uint32',
    () => concat(b(0xcf), be(1_048_576, 8)),
  );
  at(
    'time-timestamp-ext',
    'RECORD_NON_CANONICAL',
    7,
    ['time'],
    'time as a MessagePack timestamp extension (0xd7 0xff, timestamp 64) instead of an integer',
    (v) => {
      const ms = BigInt(v as number);
      const sec = ms / 1000n;
      const ns = (ms % 1000n) * 1_000_000n;
      return concat(b(0xd7, 0xff), be((ns << 34n) | sec, 8));
    },
  );
  at(
    'tz-str8',
    'RECORD_NON_CANONICAL',
    7,
    ['tz'],
    'tz "Europe/Amsterdam" (16 bytes) as str8 (0xd9 0x10) instead of fixstr 0xb0',
    (v) => strAs(0xd9, utf8(v as string)),
  );
  at('tz-str16', 'RECORD_NON_CANONICAL', 7, ['tz'], 'tz as str16 (0xda)', (v) =>
    strAs(0xda, utf8(v as string)),
  );
  at('tz-str32', 'RECORD_NON_CANONICAL', 7, ['tz'], 'tz as str32 (0xdb)', (v) =>
    strAs(0xdb, utf8(v as string)),
  );
  at(
    'description-str32',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'description'],
    'a description of 256..65535 bytes as str32 instead of str16',
    (v) => strAs(0xdb, utf8(v as string)),
  );
  at(
    'location-str16',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'location'],
    'location of 32..255 bytes as str16 instead of str8',
    (v) => strAs(0xda, utf8(v as string)),
  );
  at(
    'prev-bin16',
    'RECORD_NON_CANONICAL',
    7,
    ['prev'],
    'prev (32 bytes) as bin16 (0xc5 0x0020) instead of bin8',
    (v) => binAs(0xc5, v as Uint8Array),
  );
  at('prev-bin32', 'RECORD_NON_CANONICAL', 7, ['prev'], 'prev as bin32 (0xc6)', (v) =>
    binAs(0xc6, v as Uint8Array),
  );
  at('keys-unsorted', 'RECORD_NON_CANONICAL', 7, [], 'payload keys in reverse order', (v) =>
    rawMap(pairsOf(v as Obj).reverse()),
  );
  at(
    'keys-unsorted-length-first',
    'RECORD_NON_CANONICAL',
    7,
    [],
    'payload keys sorted by length first, then bytewise (v, tz, seq, ...): the order is bytewise only',
    (v) => rawMap(pairsOf(v as Obj).sort((x, y) => x[0].length - y[0].length)),
  );
  at(
    'body-keys-unsorted',
    'RECORD_NON_CANONICAL',
    7,
    ['body'],
    'register body keys with the first two swapped',
    (v) => {
      const pairs = pairsOf(v as Obj);
      [pairs[0], pairs[1]] = [pairs[1]!, pairs[0]!];
      return rawMap(pairs);
    },
  );
  at(
    'digests-keys-unsorted',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'digests'],
    'digests map keys in reverse order (sha512, sha256, md5)',
    (v) => rawMap(pairsOf(v as Obj).reverse()),
  );
  at(
    'duplicate-key-same-value',
    'RECORD_NON_CANONICAL',
    7,
    [],
    'key `tz` twice with the same value (map of 9 entries)',
    (v) => {
      const pairs = pairsOf(v as Obj);
      const i = pairs.findIndex(([k]) => toHex(k) === toHex(enc('tz')));
      pairs.splice(i + 1, 0, pairs[i]!);
      return rawMap(pairs);
    },
  );
  at(
    'duplicate-key-other-value',
    'RECORD_NON_CANONICAL',
    7,
    [],
    'key `seq` twice, with values 7 and 8',
    (v) => {
      const pairs = pairsOf(v as Obj);
      const i = pairs.findIndex(([k]) => toHex(k) === toHex(enc('seq')));
      pairs.splice(i + 1, 0, [enc('seq'), enc(seq + 1)]);
      return rawMap(pairs);
    },
  );
  at(
    'ext-fixext1',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'seal'],
    'seal as an extension value (fixext1 0xd4, type 1): extension types are outside the subset',
    () => b(0xd4, 0x01, 0x00),
  );
  at(
    'ext-ext8',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'seal'],
    'seal as an extension value (ext8 0xc7, type 5, 3 bytes)',
    () => b(0xc7, 0x03, 0x05, 0x41, 0x42, 0x43),
  );
  at(
    'label-invalid-utf8',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'label'],
    'label with a 0xff byte (not UTF-8)',
    () => concat(b(0xa7), utf8('HDD-01'), b(0xff)),
  );
  at(
    'tz-overlong-utf8',
    'RECORD_NON_CANONICAL',
    7,
    ['tz'],
    'tz with "/" written as the overlong UTF-8 sequence 0xc0 0xaf',
    () => concat(b(0xb1), utf8('Europe'), b(0xc0, 0xaf), utf8('Amsterdam')),
  );
  at(
    'label-utf8-surrogate',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'label'],
    'label containing a UTF-8-encoded surrogate (0xed 0xa0 0x80, U+D800)',
    () => concat(b(0xa9), utf8('HDD-01'), b(0xed, 0xa0, 0x80)),
  );
  at(
    'map-integer-key',
    'RECORD_NON_CANONICAL',
    7,
    [],
    'payload map with an extra entry whose key is the integer 1',
    (v) => rawMap([[b(0x01), b(0x01)], ...pairsOf(v as Obj)]),
  );
  at(
    'map-bin-key',
    'RECORD_NON_CANONICAL',
    7,
    [],
    'payload map with an extra entry whose key is a bin ("a")',
    (v) => rawMap([[b(0xc4, 0x01, 0x61), b(0x01)], ...pairsOf(v as Obj)]),
  );
  at(
    'nesting-too-deep',
    'RECORD_NON_CANONICAL',
    7,
    ['body', 'x'],
    'an extra body field whose value is 17 nested arrays around 0 (the 0 is at depth 19; the limit is 16)',
    () => concat(new Uint8Array(17).fill(0x91), b(0x00)),
  );
  // Keys that trip over JavaScript object semantics, and keys outside ASCII.
  at(
    'key-proto',
    'RECORD_SCHEMA',
    7,
    [],
    'an extra payload field named "__proto__" with an empty map as value (canonical bytes; an unknown field)',
    (v) => rawMap(sortedPairs({ ...(v as Obj) }, [['__proto__', b(0x80)]])),
  );
  at(
    'key-non-ascii',
    'RECORD_NON_CANONICAL',
    7,
    [],
    'an extra payload field named "\u00e9t\u00e9" (map keys must be ASCII), placed after the ASCII keys',
    (v) => rawMap([...pairsOf(v as Obj), [enc('\u00e9t\u00e9'), b(0x01)]]),
  );
  at(
    'key-non-ascii-astral',
    'RECORD_NON_CANONICAL',
    7,
    ['body'],
    'an extra body field named U+1F600 (UTF-8 f0 9f 98 80; map keys must be ASCII)',
    (v) => rawMap([...pairsOf(v as Obj), [enc('\u{1f600}'), b(0x01)]]),
  );
  at(
    'nil-for-absent-optional',
    'RECORD_SCHEMA',
    11,
    ['body', 'seal'],
    'derived register with seal: nil; absent optional fields are left out, never nil',
    () => b(0xc0),
  );

  // --- schema ----------------------------------------------------------------
  schema('unknown-field', 7, 'extra payload field "note"', (p) => {
    p['note'] = 'x';
  });
  schema('unknown-body-field', 7, 'extra register body field "colour"', (_p, body) => {
    body['colour'] = 'grey';
  });
  schema(
    'unknown-field-constructor',
    7,
    'extra payload field named "constructor" (an unknown field like any other)',
    (p) => {
      p['constructor'] = 1;
    },
  );
  schema('unknown-body-field-tostring', 7, 'extra register body field named "toString"', (_p, body) => {
    body['toString'] = 'x';
  });
  schema(
    'unknown-body-field-hasownproperty',
    8,
    'extra transfer body field named "hasOwnProperty"',
    (_p, body) => {
      body['hasOwnProperty'] = true;
    },
  );
  schema('missing-tz', 7, 'payload without `tz`', (p) => {
    delete p['tz'];
  });
  schema('missing-v', 7, 'payload without `v`', (p) => {
    delete p['v'];
  });
  schema('missing-body-field', 7, 'register body without `caseRef`', (_p, body) => {
    delete body['caseRef'];
  });
  schema('seq-as-string', 7, 'seq as the string "7"', (p) => {
    p['seq'] = '7';
  });
  schema('v-true', 7, 'v as true', (p) => {
    p['v'] = true;
  });
  schema('version-2', 7, 'v = 2: unknown format version', (p) => {
    p['v'] = 2;
  });
  schema('version-0', 7, 'v = 0', (p) => {
    p['v'] = 0;
  });
  schema('unknown-kind', 7, 'kind "seize"', (p) => {
    p['kind'] = 'seize';
  });
  schema('kind-case', 7, 'kind "Register" (kinds are lowercase)', (p) => {
    p['kind'] = 'Register';
  });
  schema('kind-body-mismatch', 7, 'kind "transfer" with a register body', (p) => {
    p['kind'] = 'transfer';
  });
  schema('body-as-bin', 7, 'body as a bin', (p) => {
    p['body'] = new Uint8Array(4);
  });
  schema('body-as-array', 7, 'body as an array', (p) => {
    p['body'] = [];
  });
  schema('name-as-bin', 1, 'enrol name as a bin holding UTF-8 text', (_p, body) => {
    body['name'] = utf8('J. de Vries');
  });
  schema('prev-31-bytes', 7, 'prev of 31 bytes', (p) => {
    p['prev'] = (p['prev'] as Uint8Array).slice(0, 31);
  });
  schema('prev-33-bytes', 7, 'prev of 33 bytes', (p) => {
    p['prev'] = concat(p['prev'] as Uint8Array, b(0));
  });
  schema('after-31-bytes', 8, 'transfer `after` of 31 bytes', (_p, body) => {
    body['after'] = (body['after'] as Uint8Array).slice(1);
  });
  schema('public-key-31-bytes', 1, 'enrol publicKey of 31 bytes', (_p, body) => {
    body['publicKey'] = (body['publicKey'] as Uint8Array).slice(0, 31);
  });
  schema('proof-63-bytes', 20, 'rotate proof of 63 bytes', (_p, body) => {
    body['proof'] = (body['proof'] as Uint8Array).slice(0, 63);
  });
  schema('sha256-31-bytes', 7, 'digests.sha256 of 31 bytes', (_p, body) => {
    (body['digests'] as Obj)['sha256'] = new Uint8Array(31);
  });
  schema('md5-20-bytes', 7, 'digests.md5 of 20 bytes (md5 is 16)', (_p, body) => {
    (body['digests'] as Obj)['md5'] = new Uint8Array(20);
  });
  schema('digests-unknown-algorithm', 7, 'digests with an extra "sha3-256" entry', (_p, body) => {
    (body['digests'] as Obj)['sha3-256'] = new Uint8Array(32);
  });
  schema('digests-empty', 9, 'accept with an empty digests map', (_p, body) => {
    body['digests'] = {};
  });
  schema('register-without-sha256', 7, 'register digests without sha256', (_p, body) => {
    delete (body['digests'] as Obj)['sha256'];
  });
  schema('size-negative-as-string', 7, 'size as the string "2000398934016"', (_p, body) => {
    body['size'] = '2000398934016';
  });
  schema(
    'time-too-late',
    7,
    'time 253402300800000 (10000-01-01T00:00:00Z; the limit is 253402300799999)',
    (p) => {
      p['time'] = 253_402_300_800_000;
    },
  );
  schema('seized-at-too-late', 7, 'seizedAt 253402300800000', (_p, body) => {
    body['seizedAt'] = 253_402_300_800_000;
  });
  schema('name-201-bytes', 1, 'enrol name of 201 ASCII bytes (limit 200)', (_p, body) => {
    body['name'] = 'n'.repeat(201);
  });
  schema(
    'name-201-bytes-multibyte',
    1,
    'enrol name of 101 U+00FC: 101 characters but 202 UTF-8 bytes (limit 200)',
    (_p, body) => {
      body['name'] = '\u00fc'.repeat(101);
    },
  );
  schema('org-201-bytes-astral', 1, 'enrol org of 50 U+1F600 (200 bytes) plus "x": 201 bytes', (_p, body) => {
    body['org'] = '\u{1f600}'.repeat(50) + 'x';
  });
  schema('description-8193-bytes', 7, 'description of 8193 bytes (limit 8192)', (_p, body) => {
    body['description'] = 'd'.repeat(8193);
  });
  schema('location-501-bytes', 7, 'location of 501 bytes (limit 500)', (_p, body) => {
    body['location'] = 'l'.repeat(501);
  });
  schema('label-empty', 7, 'empty label', (_p, body) => {
    body['label'] = '';
  });
  schema('reason-empty', 8, 'empty transfer reason', (_p, body) => {
    body['reason'] = '';
  });
  schema('label-leading-space', 7, 'label " HDD-01"', (_p, body) => {
    body['label'] = ' HDD-01';
  });
  schema('name-trailing-space', 1, 'name "J. de Vries "', (_p, body) => {
    body['name'] = 'J. de Vries ';
  });
  schema('description-trailing-newline', 7, 'description ending with LF', (_p, body) => {
    body['description'] = `${body['description'] as string}\n`;
  });
  schema('label-trailing-nbsp', 7, 'label ending with U+00A0 NO-BREAK SPACE (white space)', (_p, body) => {
    body['label'] = 'HDD-01\u00a0';
  });
  schema('label-leading-ideographic-space', 7, 'label starting with U+3000 IDEOGRAPHIC SPACE', (_p, body) => {
    body['label'] = '\u3000HDD-01';
  });
  schema('label-tab', 7, 'label with a TAB (single-line field)', (_p, body) => {
    body['label'] = 'HDD\t01';
  });
  schema('name-newline', 1, 'name with an LF (single-line field)', (_p, body) => {
    body['name'] = 'J. de\nVries';
  });
  schema('description-cr', 7, 'description with CR LF (CR is a control character)', (_p, body) => {
    body['description'] = 'line one\r\nline two';
  });
  schema('description-bel', 7, 'description with U+0007 BEL', (_p, body) => {
    body['description'] = 'ding\u0007dong';
  });
  schema('description-nul', 7, 'description with U+0000', (_p, body) => {
    body['description'] = 'a\u0000b';
  });
  schema('description-esc', 7, 'description with an ANSI escape sequence (U+001B)', (_p, body) => {
    body['description'] = '\u001b[2Jcleared';
  });
  schema('description-del', 7, 'description with U+007F DELETE', (_p, body) => {
    body['description'] = 'a\u007fb';
  });
  schema('description-c1-nel', 7, 'description with U+0085 NEXT LINE (C1)', (_p, body) => {
    body['description'] = 'a\u0085b';
  });
  schema('description-c1-csi', 7, 'description with U+009B CSI (C1)', (_p, body) => {
    body['description'] = 'a\u009b2Jb';
  });
  schema('description-rlo', 7, 'description with U+202E RIGHT-TO-LEFT OVERRIDE', (_p, body) => {
    body['description'] = 'sealed \u202edesserp\u202c';
  });
  schema('description-lre', 7, 'description with U+202A LEFT-TO-RIGHT EMBEDDING', (_p, body) => {
    body['description'] = 'a\u202ab';
  });
  schema(
    'name-rli',
    1,
    'name with U+2067 RIGHT-TO-LEFT ISOLATE and U+2069 POP DIRECTIONAL ISOLATE',
    (_p, body) => {
      body['name'] = 'J. \u2067de\u2069 Vries';
    },
  );
  schema('name-fsi', 1, 'name with U+2068 FIRST STRONG ISOLATE', (_p, body) => {
    body['name'] = 'J. \u2068de Vries';
  });
  schema('name-rlm', 1, 'name with U+200F RIGHT-TO-LEFT MARK', (_p, body) => {
    body['name'] = 'J. de\u200f Vries';
  });
  schema('name-lrm', 1, 'name with U+200E LEFT-TO-RIGHT MARK', (_p, body) => {
    body['name'] = 'J. de\u200e Vries';
  });
  schema('name-alm', 1, 'name with U+061C ARABIC LETTER MARK', (_p, body) => {
    body['name'] = 'J. de\u061c Vries';
  });
  schema('label-bom', 7, 'label with U+FEFF (byte order mark) inside', (_p, body) => {
    body['label'] = 'HDD\ufeff-01';
  });
  schema('description-tab', 7, 'description with a TAB (refused in free text too)', (_p, body) => {
    body['description'] = 'Condition:\tgood';
  });
  // One vector per further range of refused code points (docs/FORMAT.md §Text), at
  // its first or last code point; astral ones check that a verifier looks up code
  // points, not UTF-16 units.
  for (const [field, base, cp, what] of [
    ['description', 7, 0x00ad, 'SOFT HYPHEN'],
    ['name', 1, 0x034f, 'COMBINING GRAPHEME JOINER'],
    ['name', 1, 0x115f, 'HANGUL CHOSEONG FILLER'],
    ['name', 1, 0x1160, 'HANGUL JUNGSEONG FILLER'],
    ['description', 7, 0x17b4, 'KHMER VOWEL INHERENT AQ'],
    ['description', 7, 0x180e, 'MONGOLIAN VOWEL SEPARATOR (white space before Unicode 6.3)'],
    ['label', 7, 0x200b, 'ZERO WIDTH SPACE'],
    ['description', 7, 0x2028, 'LINE SEPARATOR'],
    ['description', 7, 0x2029, 'PARAGRAPH SEPARATOR'],
    ['name', 1, 0x2060, 'WORD JOINER'],
    ['description', 7, 0x206f, 'NOMINAL DIGIT SHAPES'],
    ['name', 1, 0x3164, 'HANGUL FILLER'],
    ['label', 7, 0xfe0f, 'VARIATION SELECTOR-16'],
    ['name', 1, 0xffa0, 'HALFWIDTH HANGUL FILLER'],
    ['description', 7, 0xfff9, 'INTERLINEAR ANNOTATION ANCHOR'],
    ['description', 7, 0x1bca0, 'SHORTHAND FORMAT LETTER OVERLAP'],
    ['description', 7, 0x1d173, 'MUSICAL SYMBOL BEGIN BEAM'],
    ['label', 7, 0xe0001, 'LANGUAGE TAG'],
    ['description', 7, 0xe0100, 'VARIATION SELECTOR-17'],
    ['description', 7, 0xe0fff, 'the last code point of the refused tag block'],
  ] as const) {
    const hex = cp.toString(16).padStart(4, '0');
    schema(`${field}-u${hex}`, base, `${field} with U+${hex.toUpperCase()} ${what}`, (_p, body) => {
      body[field] = `a${String.fromCodePoint(cp)}b`;
    });
  }
  schema('actor-bad-check', 7, 'actor id with a wrong check symbol', (p) => {
    const a = p['actor'] as string;
    p['actor'] = a.slice(0, -1) + (a.endsWith('0') ? '1' : '0');
  });
  schema('actor-lowercase', 7, 'actor id in lowercase (the stored form is uppercase)', (p) => {
    p['actor'] = (p['actor'] as string).toLowerCase();
  });
  schema('actor-no-hyphens', 7, 'actor id without hyphens', (p) => {
    p['actor'] = (p['actor'] as string).replace(/-/g, '');
  });
  schema('actor-exhibit-prefix', 8, 'transfer `to` with an exhibit id', (_p, body) => {
    body['to'] = body['exhibit']!;
  });
  schema('exhibit-actor-prefix', 8, 'transfer `exhibit` with an actor id', (p, body) => {
    body['exhibit'] = p['actor']!;
  });
  schema(
    'id-alias',
    8,
    'an id (the first of exhibit, to, actor that has a 0 or 1) written with the Crockford alias O for 0 or I for 1 (aliases are for typed input only)',
    (p, body) => {
      for (const [obj, k] of [
        [body, 'exhibit'],
        [body, 'to'],
        [p, 'actor'],
      ] as const) {
        const id = obj[k] as string;
        const variant = aliasVariant(id);
        if (variant !== undefined) {
          obj[k] = variant;
          return;
        }
      }
      throw new Error('no id with a 0 or 1');
    },
  );
  schema('exhibit-lowercase', 8, 'exhibit id in lowercase', (_p, body) => {
    body['exhibit'] = (body['exhibit'] as string).toLowerCase();
  });
  schema('jurisdiction-uk', 1, 'jurisdiction "UK" (the ISO 3166-1 code is GB)', (_p, body) => {
    body['jurisdiction'] = 'UK';
  });
  schema('jurisdiction-lowercase', 1, 'jurisdiction "nl"', (_p, body) => {
    body['jurisdiction'] = 'nl';
  });
  schema('jurisdiction-alpha3', 1, 'jurisdiction "NLD" (alpha-3)', (_p, body) => {
    body['jurisdiction'] = 'NLD';
  });
  schema(
    'jurisdiction-user-assigned',
    1,
    'jurisdiction "XX" (user-assigned, not in the list)',
    (_p, body) => {
      body['jurisdiction'] = 'XX';
    },
  );
  schema('tz-offset', 7, 'tz "+01:00" (an offset, not a zone name)', (p) => {
    p['tz'] = '+01:00';
  });
  schema('tz-space', 7, 'tz "Europe/Amsterdam " (trailing space)', (p) => {
    p['tz'] = 'Europe/Amsterdam ';
  });
  schema('tz-four-parts', 7, 'tz with three slashes "America/Indiana/Knox/X"', (p) => {
    p['tz'] = 'America/Indiana/Knox/X';
  });
  schema(
    'tz-four-components',
    7,
    'tz "Europe/a/b/c": more than three components does not have the required shape',
    (p) => {
      p['tz'] = 'Europe/a/b/c';
    },
  );
  schema('tz-dotdot', 7, 'tz "Europe/../etc"', (p) => {
    p['tz'] = 'Europe/../etc';
  });
  schema('tz-too-long', 7, 'tz of 65 characters', (p) => {
    p['tz'] = `Europe/${'A'.repeat(58)}`;
  });
  schema('roles-unsorted', 1, 'enrol roles ["custodian", "collector"] (not sorted)', (_p, body) => {
    body['roles'] = ['custodian', 'collector'];
  });
  schema('roles-duplicate', 1, 'enrol roles ["collector", "collector"]', (_p, body) => {
    body['roles'] = ['collector', 'collector'];
  });
  schema('roles-unknown', 1, 'enrol roles ["collector", "prosecutor"]', (_p, body) => {
    body['roles'] = ['collector', 'prosecutor'];
  });
  schema('roles-empty', 1, 'enrol roles []', (_p, body) => {
    body['roles'] = [];
  });
  schema('dispose-method-unknown', 18, 'dispose method "burned"', (_p, body) => {
    body['method'] = 'burned';
  });
  schema('accept-seal-unknown', 9, 'accept seal "cracked" (only intact or broken)', (_p, body) => {
    body['seal'] = 'cracked';
  });
  schema(
    'register-parent-without-after',
    11,
    'derived register with parent but no parentAfter',
    (_p, body) => {
      delete body['parentAfter'];
    },
  );
  schema(
    'register-after-without-parent',
    11,
    'derived register with parentAfter but no parent',
    (_p, body) => {
      delete body['parent'];
    },
  );
  schema('origin-plus', 0, 'genesis origin with a "+"', (_p, body) => {
    body['origin'] = 'custody.test/nl+nfi';
  });
  schema('origin-space', 0, 'genesis origin with a space', (_p, body) => {
    body['origin'] = 'custody.test nl-nfi';
  });
  schema('origin-non-ascii', 0, 'genesis origin with U+00E9', (_p, body) => {
    body['origin'] = 'custody.test/nl-nf\u00e9';
  });
  schema('origin-256', 0, 'genesis origin of 256 bytes (limit 255)', (_p, body) => {
    body['origin'] = 'o'.repeat(256);
  });
  {
    const { p } = fresh(reg);
    add(
      'payload-as-array',
      'RECORD_SCHEMA',
      7,
      'payload is an array (of the payload map), not a map',
      withPayload(reg, enc([p])),
    );
    add('payload-as-nil', 'RECORD_SCHEMA', 7, 'payload is nil', withPayload(reg, b(0xc0)));
  }

  // --- verification (well-formed, refused by verifyLog) -----------------------
  const verify: VerifyCase[] = [];
  const addV = (id: string, expected: string, context: number, description: string, record: Uint8Array) =>
    verify.push({ id, description, context, record, expected });
  const payloadAt = (n: number) => fresh(entry(n));
  const signed = (signer: Signer, p: Obj, origin = ORIGIN) => {
    const bytes = enc(p);
    return encodeRecord(bytes, signer.sign(signedMessage(origin, bytes)));
  };
  const author = (n: number) => signerFor(entry(n).actor);
  /** The actor id enrolled by entry n. */
  const enrolledId = (n: number): string => {
    const p = entry(n).payload;
    if (p.kind !== 'enrol') throw new Error(`entry ${n} is not an enrolment`);
    return keyId(p.body.publicKey);
  };
  {
    const r = decodeRecord(entry(7).record);
    const sig = r.signature.slice();
    sig[0] = sig[0]! ^ 0x01;
    addV(
      'signature-bit-flip',
      'SIGNATURE_INVALID',
      7,
      'entry 7 with the first signature byte changed',
      encodeRecord(r.payloadBytes, sig),
    );
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(r.signature[i]!);
    s += L;
    const big = r.signature.slice();
    for (let i = 32; i < 64; i++) {
      big[i] = Number(s & 0xffn);
      s >>= 8n;
    }
    addV(
      'signature-s-plus-l',
      'SIGNATURE_INVALID',
      7,
      'entry 7 with S replaced by S + L (a malleated signature; S must be < L)',
      encodeRecord(r.payloadBytes, big),
    );
    const { p } = payloadAt(7);
    addV(
      'signature-other-origin',
      'SIGNATURE_INVALID',
      7,
      'entry 7 signed for the origin "custody.test/other" (replay from another ledger)',
      signed(author(7), p, 'custody.test/other'),
    );
    addV(
      'signature-no-domain',
      'SIGNATURE_INVALID',
      7,
      'entry 7 with a signature over the bare payload bytes (no domain prefix, no origin)',
      encodeRecord(r.payloadBytes, author(7).sign(r.payloadBytes)),
    );
    addV(
      'signature-other-actor-key',
      'SIGNATURE_INVALID',
      7,
      'entry 7 (actor nl-collector) signed by nl-examiner, who is enrolled',
      signed(signerFor(entry(11).actor), p),
    );
  }
  // Chain breaks on an enrolment: it links no exhibit, so the break is the only problem.
  {
    const { p } = payloadAt(2);
    p['prev'] = entries[0]!.leafHash;
    addV(
      'chain-prev-skips',
      'CHAIN_BROKEN',
      2,
      'entry 2 whose prev is the leaf hash of entry 0, not 1',
      signed(author(2), p),
    );
  }
  {
    const { p } = payloadAt(2);
    p['prev'] = sha256(entries[1]!.record);
    addV(
      'chain-prev-plain-hash',
      'CHAIN_BROKEN',
      2,
      'entry 2 whose prev is SHA-256(record 1) without the 0x00 leaf prefix',
      signed(author(2), p),
    );
  }
  {
    const { p } = payloadAt(0);
    p['prev'] = sha256(new Uint8Array(0));
    addV(
      'genesis-prev-not-zero',
      'CHAIN_BROKEN',
      0,
      'genesis whose prev is SHA-256("") rather than 32 zero bytes',
      signed(author(0), p),
    );
  }
  {
    const { p } = payloadAt(8);
    p['seq'] = 9;
    addV('seq-skips', 'SEQ_MISMATCH', 8, 'entry at position 8 claiming seq 9', signed(author(8), p));
  }
  {
    const { p } = payloadAt(8);
    p['time'] = entries[7]!.payload.time - 1;
    addV(
      'time-regression',
      'TIME_REGRESSION',
      8,
      'entry 8 one millisecond earlier than entry 7 (equal times are allowed)',
      signed(author(8), p),
    );
  }
  {
    const { p } = payloadAt(1);
    p['seq'] = 0;
    p['prev'] = ZERO_HASH;
    addV(
      'genesis-missing',
      'GENESIS_MISSING',
      0,
      'a log whose first entry is an enrolment',
      signed(author(1), p),
    );
  }
  {
    const { p } = payloadAt(0);
    p['seq'] = 7;
    p['prev'] = entries[6]!.leafHash;
    p['time'] = entries[6]!.payload.time;
    addV('genesis-not-first', 'GENESIS_NOT_FIRST', 7, 'a second genesis at position 7', signed(author(0), p));
  }
  {
    const { p } = payloadAt(0);
    p['actor'] = enrolledId(1);
    addV(
      'genesis-signer-mismatch',
      'SIGNER_MISMATCH',
      0,
      'genesis whose actor is not the key id of body.publicKey',
      signed(author(0), p),
    );
  }
  {
    const outsider = seededSigner('outsider');
    const { p } = payloadAt(7);
    p['actor'] = keyId(outsider.publicKey);
    addV(
      'actor-unknown',
      'ACTOR_UNKNOWN',
      7,
      'entry 7 signed by a key that was never enrolled',
      signed(outsider, p),
    );
  }
  {
    const { p, body } = payloadAt(1);
    p['seq'] = 7;
    p['prev'] = entries[6]!.leafHash;
    p['time'] = entries[6]!.payload.time;
    body['publicKey'] = concat(b(0x01), new Uint8Array(31));
    addV(
      'enrol-small-order-key',
      'KEY_NOT_ADMISSIBLE',
      7,
      'enrolment of the identity point (01 00..00), a small-order key',
      signed(author(0), p),
    );
  }
  {
    const { p, body } = payloadAt(20);
    body['proof'] = built.newAuthority.sign(
      rotationProofMessage(ORIGIN, ZERO_HASH, body['publicKey'] as Uint8Array),
    );
    addV(
      'rotation-proof-wrong-prev',
      'ROTATION_PROOF_INVALID',
      20,
      'rotation whose proof binds 32 zero bytes instead of prev',
      signed(author(20), p),
    );
  }
  {
    const { p, body } = payloadAt(20);
    body['proof'] = built.newAuthority.sign(
      concat(
        utf8('custody/rotate/v1\n'),
        utf8(ORIGIN),
        b(0x0a),
        body['publicKey'] as Uint8Array,
        p['prev'] as Uint8Array,
      ),
    );
    addV(
      'rotation-proof-swapped',
      'ROTATION_PROOF_INVALID',
      20,
      'rotation whose proof has the new key before prev',
      signed(author(20), p),
    );
  }
  {
    const { p } = payloadAt(21);
    addV(
      'retired-authority',
      'ACTOR_REVOKED',
      21,
      'entry 21 (an enrolment) signed by the authority key that entry 20 rotated out',
      (() => {
        p['actor'] = entry(0).actor;
        return signed(author(0), p);
      })(),
    );
  }
  {
    const { p, body } = payloadAt(8);
    body['after'] = ZERO_HASH;
    addV(
      'exhibit-link-broken',
      'EXHIBIT_LINK_BROKEN',
      8,
      "transfer whose `after` is not the leaf hash of the exhibit's last event",
      signed(author(8), p),
    );
  }
  {
    const { p, body } = payloadAt(8);
    delete body['legalBasis'];
    body['to'] = enrolledId(3);
    addV(
      'legal-basis-required',
      'LEGAL_BASIS_REQUIRED',
      8,
      'transfer from NL to DE without legalBasis',
      signed(author(8), p),
    );
  }
  return { decode, verify };
}

/** `s` followed by as many "x" as make it 200 UTF-8 bytes long. */
function padTo200(s: string): string {
  return s + 'x'.repeat(200 - utf8(s).length);
}

/** The canonical id with every 0 written as O (or, failing that, every 1 as I); undefined if it has neither. */
function aliasVariant(id: string): string | undefined {
  const cut = id.indexOf('-');
  const prefix = id.slice(0, cut);
  const rest = id.slice(cut);
  const swapped = rest.includes('0') ? rest.replace(/0/g, 'O') : rest.replace(/1/g, 'I');
  return swapped === rest ? undefined : prefix + swapped;
}

// ---------------------------------------------------------------------------

export interface VectorFiles {
  valid: Json;
  invalid: Json;
}

/** Builds both vector files (as JSON values; render with renderJson). */
export async function buildVectors(): Promise<VectorFiles> {
  const built = await buildLedger();
  const { json: valid, entries } = buildValid(built);
  const { decode, verify } = buildInvalid(built, entries);
  const invalid: Json = {
    about:
      'Invalid custody records (docs/FORMAT.md). `records`: decoding must refuse recordHex with expectedError. ' +
      '`verification`: records that decode, but which a verifier must report with expectedProblem when the record is ' +
      'placed at position `context` after entries 0..context-1 of valid.json (nothing after it); it is the only problem. Payload cases are ' +
      'correctly signed by the signer of entry `base` of valid.json, so only the stated fault is wrong. ' +
      'Generated by test/vectors/generate.ts; do not edit.',
    records: decode.map((c) => ({
      id: c.id,
      description: c.description,
      base: c.base,
      recordHex: toHex(c.record),
      expectedError: c.expected,
    })),
    verification: verify.map((c) => ({
      id: c.id,
      description: c.description,
      context: c.context,
      recordHex: toHex(c.record),
      expectedProblem: c.expected,
    })),
  };
  return { valid, invalid };
}

export const VALID_PATH = fileURLToPath(new URL('./valid.json', import.meta.url));
export const INVALID_PATH = fileURLToPath(new URL('./invalid.json', import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const v = await buildVectors();
  writeFileSync(VALID_PATH, renderJson(v.valid));
  writeFileSync(INVALID_PATH, renderJson(v.invalid));
  const count = (j: Json, k: string) =>
    j !== null && typeof j === 'object' && !Array.isArray(j) && Array.isArray(j[k]) ? j[k].length : 0;
  console.log(
    `wrote ${count(v.valid, 'entries')} valid entries, ${count(v.invalid, 'records')} invalid records and ${count(v.invalid, 'verification')} verification cases`,
  );
}
