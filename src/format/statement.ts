/**
 * Statements (docs/FORMAT.md §Statements): what an actor signs. A statement
 * names nothing that only the log knows (no position, no log time, no leaf
 * hash), so it can be signed on a laptop at a seizure and submitted later, and
 * a chain of them can be signed in order before any is logged.
 *
 *   tbs              = canonical map (the envelope, below)       "to be signed"
 *   signed statement = canonical array [ tbs: bin, signatures: array of bin ]
 *   message          = "custody/statement/v2\n" ‖ tbs             what each key signs
 *   identity         = SHA-256("custody/statement-id/v2\n" ‖ tbs)  what links, exhibit ids
 *                                                                   and duplicate detection use
 *
 * Sign bytes, store bytes: tbs travels as opaque bytes, so nothing is
 * re-encoded to verify or to hash. The origin inside tbs binds every signature
 * and identity to one ledger; the two domain prefixes keep a signature from
 * being valid as anything else and an identity from colliding with any other
 * hash we compute. Signatures are outside the identity, so co-signatures can be
 * added over the same bytes without changing what the statement is.
 */
import { concat, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { type Canonical, decodeCanonical, encodeCanonical } from './canonical.js';
import { bin, type Check, checkFields, type Fields, isObj, opt, req, uint } from './checks.js';
import { FormatError } from './format-error.js';
import { isKeyType, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH, type TypedKey } from './key-id.js';
import { isOrigin, isTimeZoneName } from './text.js';

export const STATEMENT_DOMAIN = 'custody/statement/v2\n';
export const STATEMENT_ID_DOMAIN = 'custody/statement-id/v2\n';
const MESSAGE_PREFIX = utf8(STATEMENT_DOMAIN);
const ID_PREFIX = utf8(STATEMENT_ID_DOMAIN);

/** Limits an offline signer can check before it signs (docs/FORMAT.md §Limits). */
export const STATEMENT_LIMITS = {
  /** The whole signed statement, tbs and signatures, in bytes. */
  signed: 16_384,
  /** Signatures on one statement: the signer and at most three co-signers. */
  signatures: 4,
  maxTime: 253_402_300_799_999, // 9999-12-31T23:59:59.999Z
  maxBodyVersion: 65_535,
} as const;

/**
 * ledger:     founds or governs the whole ledger (genesis, rotate, enrol, revoke, configure);
 *             linked in one chain of its own through `after`.
 * chain:      advances one exhibit's chain (register, transfer, accept, ...).
 * annotation: concerns one exhibit and names a statement in its chain; moves nothing.
 */
export const STATEMENT_CLASSES = ['ledger', 'chain', 'annotation'] as const;
export type StatementClass = (typeof STATEMENT_CLASSES)[number];

/** A reference to a statement: in this ledger by identity, or in another one with its origin. */
export type Ref = Uint8Array | { origin: string; id: Uint8Array };

export interface Seen {
  size: number;
  root: Uint8Array;
}

export interface Signer {
  key: TypedKey;
  /** The ledger that enrolled the key, when it is not the statement's origin. */
  origin?: string;
}

export interface Statement {
  v: 2;
  origin: string;
  class: StatementClass;
  kind: string;
  bv: number;
  exhibit?: Ref;
  after?: Uint8Array;
  seen?: Seen;
  time: number;
  tz: string;
  signer: Signer;
  body: Record<string, Canonical>;
}

export interface DecodedStatement {
  /** The signed statement as given. */
  bytes: Uint8Array;
  tbs: Uint8Array;
  signatures: Uint8Array[];
  statement: Statement;
  id: Uint8Array;
}

const KIND = /^[a-z][a-z-]{0,31}$/;

// ---------------------------------------------------------------------------
// Encoding

const refWire = (r: Ref): Canonical => (r instanceof Uint8Array ? r : [r.origin, r.id]);

/** The envelope as the canonical map that is signed; absent optional fields are omitted. */
export function encodeTbs(s: Statement): Uint8Array {
  const signer: Canonical[] = [s.signer.key.type, s.signer.key.publicKey];
  if (s.signer.origin !== undefined) signer.push(s.signer.origin);
  return encodeCanonical({
    v: s.v,
    origin: s.origin,
    class: s.class,
    kind: s.kind,
    bv: s.bv,
    exhibit: s.exhibit === undefined ? undefined : refWire(s.exhibit),
    after: s.after,
    seen: s.seen === undefined ? undefined : [s.seen.size, s.seen.root],
    time: s.time,
    tz: s.tz,
    signer,
    body: s.body,
  });
}

export function encodeSignedStatement(tbs: Uint8Array, signatures: readonly Uint8Array[]): Uint8Array {
  return encodeCanonical([tbs, signatures]);
}

/** "custody/statement/v2\n" ‖ tbs: the bytes every key on the statement signs. */
export function statementMessage(tbs: Uint8Array): Uint8Array {
  return concat(MESSAGE_PREFIX, tbs);
}

// The identity's hash input, "custody/statement-id/v2\n" ‖ tbs, is built in
// one scratch buffer (hashing is synchronous and keeps no reference to it).
const idScratch = new Uint8Array(ID_PREFIX.length + STATEMENT_LIMITS.signed);
idScratch.set(ID_PREFIX);

/** The statement's identity (docs/FORMAT.md §Identity). */
export function statementId(tbs: Uint8Array): Uint8Array {
  if (tbs.length > STATEMENT_LIMITS.signed) return sha256(concat(ID_PREFIX, tbs));
  idScratch.set(tbs, ID_PREFIX.length);
  return sha256(idScratch.subarray(0, ID_PREFIX.length + tbs.length));
}

// ---------------------------------------------------------------------------
// Strict decoding

/**
 * A string test that remembers the strings it accepted (a few dozen at most):
 * statements of one ledger repeat the same origin, zone and kinds, so most
 * tests are then one look-up. The tests are pure, so the answer is the same.
 */
function remembering(test: (s: string) => boolean): (s: string) => boolean {
  const accepted = new Set<string>();
  return (s) => {
    if (accepted.has(s)) return true;
    if (!test(s)) return false;
    if (accepted.size >= 64) accepted.clear();
    accepted.add(s);
    return true;
  };
}
const isOriginFast = remembering(isOrigin);
const isTimeZoneNameFast = remembering(isTimeZoneName);
const isKindName = remembering((s) => KIND.test(s));

const origin: Check = (v) =>
  typeof v === 'string' && isOriginFast(v) ? undefined : 'must be a valid origin';

/** bin(32), or [origin, bin(32)] naming another ledger (never this one: one encoding per meaning). */
const ref =
  (own: string): Check =>
  (v) => {
    if (v instanceof Uint8Array) return v.length === 32 ? undefined : 'must be 32 bytes';
    if (!Array.isArray(v) || v.length !== 2) return 'must be 32 bytes or [origin, 32 bytes]';
    const [o, id] = v as unknown[];
    if (origin(o)) return 'names an invalid origin';
    if (o === own) return 'names this ledger by origin (use the plain 32-byte form)';
    return id instanceof Uint8Array && id.length === 32 ? undefined : 'id must be 32 bytes';
  };

const signerCheck =
  (own: string): Check =>
  (v) => {
    if (!Array.isArray(v) || (v.length !== 2 && v.length !== 3))
      return 'must be [type, public key (, origin)]';
    const [type, pk, o] = v as unknown[];
    if (!isKeyType(type)) return 'has an unknown key type';
    if (!(pk instanceof Uint8Array) || pk.length !== PUBLIC_KEY_LENGTH[type])
      return 'public key has the wrong length for its type';
    if (v.length === 3 && (origin(o) || o === own)) return 'origin must be another valid origin';
    return undefined;
  };

const seen: Check = (v) => {
  if (!Array.isArray(v) || v.length !== 2) return 'must be [size, root]';
  return uint(Number.MAX_SAFE_INTEGER)(v[0]) ?? bin(32)(v[1]);
};

function envelopeFields(own: string): Fields {
  return {
    v: req((v) => (v === 2 ? undefined : 'unsupported format version')),
    origin: req(origin),
    class: req((v) =>
      typeof v === 'string' && (STATEMENT_CLASSES as readonly string[]).includes(v)
        ? undefined
        : 'must be ledger, chain or annotation',
    ),
    kind: req((v) => (typeof v === 'string' && isKindName(v) ? undefined : 'must be a kind name')),
    bv: req((v) =>
      typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= STATEMENT_LIMITS.maxBodyVersion
        ? undefined
        : 'must be a body version from 1',
    ),
    exhibit: opt(ref(own)),
    after: opt(bin(32)),
    seen: opt(seen),
    time: req(uint(STATEMENT_LIMITS.maxTime)),
    tz: req((v) =>
      typeof v === 'string' && isTimeZoneNameFast(v) ? undefined : 'must be an IANA time zone name',
    ),
    signer: req(signerCheck(own)),
    body: req((v) => (isObj(v) ? undefined : 'must be a map')),
  };
}

/** The envelope's fields for statements of origin `own`, made once per origin in a row. */
let fieldsOwn: string | undefined;
let fieldsForOwn: Fields | undefined;
function envelopeFieldsFor(own: string): Fields {
  if (fieldsForOwn === undefined || fieldsOwn !== own) {
    fieldsForOwn = envelopeFields(own);
    fieldsOwn = own;
  }
  return fieldsForOwn;
}

/** Which links each class must carry; the kinds table (./kinds.ts) narrows this per kind. */
function classProblem(m: Record<string, unknown>): string | undefined {
  const hasExhibit = m['exhibit'] !== undefined;
  const hasAfter = m['after'] !== undefined;
  switch (m['class']) {
    case 'ledger':
      return hasExhibit ? 'a ledger statement names no exhibit' : undefined;
    case 'chain':
      return hasExhibit === hasAfter ? undefined : 'exhibit and after go together';
    default:
      return hasExhibit && hasAfter ? undefined : 'an annotation names an exhibit and a statement (after)';
  }
}

function toStatement(m: Record<string, unknown>): Statement {
  const signerWire = m['signer'] as [number, Uint8Array, string?];
  const signer: Signer = { key: { type: signerWire[0] as TypedKey['type'], publicKey: signerWire[1] } };
  if (signerWire.length === 3) signer.origin = signerWire[2]!;
  const s: Statement = {
    v: 2,
    origin: m['origin'] as string,
    class: m['class'] as StatementClass,
    kind: m['kind'] as string,
    bv: m['bv'] as number,
    time: m['time'] as number,
    tz: m['tz'] as string,
    signer,
    body: m['body'] as Record<string, Canonical>,
  };
  const x = m['exhibit'];
  if (x !== undefined)
    s.exhibit = x instanceof Uint8Array ? x : { origin: (x as string[])[0]!, id: (x as Uint8Array[])[1]! };
  if (m['after'] !== undefined) s.after = m['after'] as Uint8Array;
  const sn = m['seen'] as [number, Uint8Array] | undefined;
  if (sn) s.seen = { size: sn[0], root: sn[1] };
  return s;
}

function decodeOrThrow(bytes: Uint8Array, what: string): unknown {
  const r = decodeCanonical(bytes);
  if ('error' in r)
    throw new FormatError(
      r.error === 'malformed' ? 'STATEMENT_MALFORMED' : 'STATEMENT_NON_CANONICAL',
      `${what} is ${r.error}`,
    );
  return r.value;
}

/** Strictly decodes the envelope of a tbs. Throws FormatError only. Bodies are checked by ./kinds.ts. */
export function decodeTbs(tbs: Uint8Array): Statement {
  if (tbs.length > STATEMENT_LIMITS.signed)
    throw new FormatError('STATEMENT_TOO_LARGE', `statement of ${tbs.length} bytes exceeds the limit`);
  const m = decodeOrThrow(tbs, 'statement');
  if (!isObj(m)) throw new FormatError('STATEMENT_SCHEMA', 'statement must be a map');
  const own = typeof m['origin'] === 'string' ? m['origin'] : '';
  const problem = checkFields(m, envelopeFieldsFor(own), 'statement') ?? classProblem(m);
  if (problem) throw new FormatError('STATEMENT_SCHEMA', problem);
  return toStatement(m);
}

/**
 * Strictly decodes a signed statement: [tbs, [signature, ...]], one to four
 * signatures, the first of the signer's length. Signatures are not verified
 * here (that needs the kinds table for co-signers, and is done in batches).
 */
export function decodeSignedStatement(bytes: Uint8Array): DecodedStatement {
  if (bytes.length > STATEMENT_LIMITS.signed)
    throw new FormatError(
      'STATEMENT_TOO_LARGE',
      `signed statement of ${bytes.length} bytes exceeds the limit`,
    );
  const split = splitSigned(bytes);
  if (split) return decoded(bytes, split[0], split[1]);
  const outer = decodeOrThrow(bytes, 'signed statement');
  if (
    !Array.isArray(outer) ||
    outer.length !== 2 ||
    !(outer[0] instanceof Uint8Array) ||
    !Array.isArray(outer[1]) ||
    outer[1].length < 1 ||
    outer[1].length > STATEMENT_LIMITS.signatures ||
    !outer[1].every((s: unknown) => s instanceof Uint8Array)
  )
    throw new FormatError('STATEMENT_MALFORMED', 'a signed statement is [tbs, [1 to 4 signatures]]');
  return decoded(bytes, outer[0] as Uint8Array, outer[1] as Uint8Array[]);
}

function decoded(bytes: Uint8Array, tbs: Uint8Array, signatures: Uint8Array[]): DecodedStatement {
  const statement = decodeTbs(tbs);
  if (signatures[0]!.length !== SIGNATURE_LENGTH[statement.signer.key.type])
    throw new FormatError(
      'STATEMENT_MALFORMED',
      "the first signature has the wrong length for the signer's key",
    );
  return { bytes, tbs, signatures, statement, id: statementId(tbs) };
}

/** The [start, end) of a canonical bin8 (any length) or bin16 (256 bytes or more) at b[at], or undefined. */
function binSpan(b: Uint8Array, at: number): [number, number] | undefined {
  const h = b[at];
  if (h === 0xc4 && at + 2 <= b.length) return [at + 2, at + 2 + b[at + 1]!];
  if (h === 0xc5 && at + 3 <= b.length) {
    const len = (b[at + 1]! << 8) | b[at + 2]!;
    return len >= 0x100 ? [at + 3, at + 3 + len] : undefined;
  }
  return undefined;
}

/**
 * The common case without the general decoder: a canonical signed statement
 * is exactly
 *   92 | bin tbs | 91..94 | bin signature ...
 * each bin in its shortest header (bin8, or bin16 from 256 bytes; bin32 is
 * beyond the size limit). Anything else returns undefined and takes the
 * general path, which classifies it. The parts are views of `bytes`, which
 * the decoded statement keeps anyway.
 */
function splitSigned(b: Uint8Array): [Uint8Array, Uint8Array[]] | undefined {
  if (b[0] !== 0x92) return undefined;
  const t = binSpan(b, 1);
  if (t === undefined || t[1] >= b.length) return undefined;
  const h = b[t[1]]!;
  if (h < 0x91 || h > 0x94) return undefined;
  const signatures: Uint8Array[] = [];
  let at = t[1] + 1;
  for (let i = 0; i < (h & 0x0f); i++) {
    const sig = binSpan(b, at);
    if (sig === undefined || sig[1] > b.length) return undefined;
    signatures.push(view(b, sig[0], sig[1]));
    at = sig[1];
  }
  return at === b.length ? [view(b, t[0], t[1]), signatures] : undefined;
}

/** A plain Uint8Array view of b[start, end), whatever subclass b is (a Node Buffer, say). */
const view = (b: Uint8Array, start: number, end: number): Uint8Array =>
  new Uint8Array(b.buffer, b.byteOffset + start, end - start);
