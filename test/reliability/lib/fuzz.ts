/**
 * Hostile-input properties (fast-check), shared by test/reliability/fuzz.test.ts
 * (fixed seeds, modest runs) and scripts/soak.ts (many more runs, fresh seeds).
 *
 * For every parser and verifier that reads something from outside:
 *  - no crash: the only exception allowed is a CustodyError (where a throw is
 *    allowed at all — verifyLog and checkCheckpointNote never throw);
 *  - no hang: every case finishes within a time bound;
 *  - never "ok"/"verified" for mutated input, unless the mutation left the
 *    bytes identical (or, for a log, left a non-empty prefix of it: a prefix of
 *    a valid log IS a valid log — truncation needs a checkpoint, see
 *    docs/THREAT-MODEL.md).
 */
import fc from 'fast-check';
import { exportBundle } from '../../../src/bundle/export.js';
import { decodeBundle } from '../../../src/bundle/format.js';
import { parseExhibitHead } from '../../../src/bundle/head.js';
import { verifyBundle } from '../../../src/bundle/verify.js';
import { equalBytes } from '../../../src/bytes.js';
import { parseCheckpoint } from '../../../src/checkpoint/checkpoint.js';
import {
  cosignatureTimestamp,
  formatCosignerVkey,
  signCosignature,
  verifierFromVkey,
  verifyCosignature,
} from '../../../src/checkpoint/cosignature.js';
import {
  formatVkey,
  noteVerifierFromVkey,
  parseNote,
  parseNoteBytes,
  parseSignatureLine,
  parseVkey,
} from '../../../src/checkpoint/note.js';
import {
  checkpointOriginOf,
  parseWitnessState,
  serializeWitnessState,
  type WitnessLogState,
} from '../../../src/checkpoint/witness.js';
import { ed25519 } from '../../../src/crypto/ed25519.js';
import type { ActorRecord } from '../../../src/custody/state.js';
import { CustodyError } from '../../../src/errors.js';
import { decodeRecord, RecordError, signedMessage } from '../../../src/format/record.js';
import { decryptKeyFile, encryptKeyFile, readKeyFileHeader } from '../../../src/keys/keyfile.js';
import { MemoryStore } from '../../../src/store/memory.js';
import { checkCheckpointNote } from '../../../src/verify/checkpoint-note.js';
import { verifyLog } from '../../../src/verify/verifier.js';
import { collect, type StoredRecord } from '../../helpers/forge.js';
import { buildHistory, forgeHistory } from './history.js';

/** Longest a single hostile case may take (generous: the CI machine has 2 cores and is shared). */
export const CASE_LIMIT_MS = 5_000;

export const PASSPHRASE = 'fuzz passphrase';

export interface FuzzFixture {
  origin: string;
  records: StoredRecord[];
  /** Records of a forged ledger with the same origin (for splicing). */
  foreign: StoredRecord[];
  actors: ActorRecord[];
  bundle: Uint8Array;
  trusted: Uint8Array[];
  /** A checkpoint note with the log signature and one witness cosignature. */
  note: string;
  witnessVkey: string;
  logVkey: string;
  keyFile: string;
  witnessState: string;
}

export async function makeFuzzFixture(): Promise<FuzzFixture> {
  const h = await buildHistory(new MemoryStore());
  const w = h.world;
  const records = await collect(w.ledger.records());
  const forged = await forgeHistory(new MemoryStore());
  const foreign = await collect(forged.world.ledger.records());
  const actors = (await verifyLog(records)).actors();
  const { bytes: bundle } = await exportBundle(w.ledger, h.x1, { logKey: w.authority.signer });
  const body = parseNote(h.cp2.note).text;
  const witnessName = 'witness.custody.test';
  const note = h.cp2.note + signCosignature(body, witnessName, w.witness.signer, 1_780_000_000);
  const states = new Map<string, WitnessLogState>([
    [h.world.ledger.origin, { size: h.cp2.size, root: parseCheckpoint(body).root }],
    ['other.example/log', { size: 1, root: new Uint8Array(32) }],
  ]);
  return {
    origin: w.ledger.origin,
    records,
    foreign,
    actors,
    bundle,
    trusted: [w.authority.signer.publicKey],
    note,
    witnessVkey: formatCosignerVkey(witnessName, w.witness.signer.publicKey),
    logVkey: formatVkey(w.ledger.origin, w.authority.signer.publicKey),
    keyFile: encryptKeyFile({
      name: 'Fuzz key',
      seed: new Uint8Array(32).fill(7),
      passphrase: PASSPHRASE,
      kdf: { N: 16384, r: 8, p: 1 },
    }),
    witnessState: serializeWitnessState(states),
  };
}

// ---------------------------------------------------------------------------
// Mutations

export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'insert'; at: number; value: number }
  | { op: 'delete'; at: number; len: number }
  | { op: 'truncate'; at: number }
  | { op: 'append'; bytes: Uint8Array }
  | { op: 'copy'; from: number; to: number; len: number };

const byte = fc.integer({ min: 0, max: 255 });
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: byte }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), value: byte }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('delete' as const),
      at: fc.nat(),
      len: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('append' as const),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('copy' as const),
      from: fc.nat(),
      to: fc.nat(),
      len: fc.integer({ min: 1, max: 32 }),
    }),
  },
);
export const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 3 });

export function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const b = Uint8Array.from(input);
  const n = b.length;
  switch (m.op) {
    case 'flip':
      if (n > 0) b[m.at % n]! ^= 1 << m.bit;
      return b;
    case 'set':
      if (n > 0) b[m.at % n] = m.value;
      return b;
    case 'insert': {
      const at = m.at % (n + 1);
      const out = new Uint8Array(n + 1);
      out.set(b.subarray(0, at));
      out[at] = m.value;
      out.set(b.subarray(at), at + 1);
      return out;
    }
    case 'delete': {
      if (n === 0) return b;
      const at = m.at % n;
      const out = new Uint8Array(n - Math.min(m.len, n - at));
      out.set(b.subarray(0, at));
      out.set(b.subarray(at + m.len), at);
      return out;
    }
    case 'truncate':
      return b.slice(0, m.at % (n + 1));
    case 'append': {
      const out = new Uint8Array(n + m.bytes.length);
      out.set(b);
      out.set(m.bytes, n);
      return out;
    }
    case 'copy': {
      if (n === 0) return b;
      const from = m.from % n;
      const to = m.to % n;
      const len = Math.min(m.len, n - from, n - to);
      b.set(input.subarray(from, from + len), to);
      return b;
    }
  }
}

export const mutateAll = (input: Uint8Array, ms: readonly Mutation[]) => ms.reduce(mutate, input);

const enc = new TextEncoder();
const dec = new TextDecoder();
export const mutateText = (text: string, ms: readonly Mutation[]) =>
  dec.decode(mutateAll(enc.encode(text), ms));

/** Any UTF-16 code units, lone surrogates and controls included. */
export const codeUnits = (maxLength: number) =>
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength }).map((a) => String.fromCharCode(...a));
export const anyText = (maxLength: number) =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), codeUnits(maxLength));

const B64 = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'];
const KEY_FIELDS = ['name', 'salt', 'nonce', 'ciphertext'] as const;

/** Replaces one character inside a key file's string field (not the last one of base64, which may carry padding bits). */
export function editKeyField(
  file: string,
  field: (typeof KEY_FIELDS)[number],
  at: number,
  ch: string,
): string {
  const start = file.indexOf(`"${field}":"`) + field.length + 4;
  const end = file.indexOf('"', start);
  const value = file.slice(start, end).replace(/=+$/, '');
  const i = at % Math.max(value.length - 1, 1);
  return file.slice(0, start + i) + ch + file.slice(start + i + 1);
}

// ---------------------------------------------------------------------------
// Contract helpers

/** Runs `f`; a CustodyError (of one of `codes`, if given) is fine, anything else fails the property. */
export function custodyErrorsOnly<T>(f: () => T, codes?: readonly string[]): T | CustodyError {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof CustodyError)) throw new Error(`threw a non-CustodyError: ${String(e)}`);
    if (codes && !codes.includes(e.code))
      throw new Error(`threw ${e.code}, expected one of ${codes.join(', ')}`);
    return e;
  }
}

async function timed<T>(what: string, f: () => Promise<T> | T): Promise<T> {
  const t = performance.now();
  const out = await f();
  const ms = performance.now() - t;
  if (ms > CASE_LIMIT_MS) throw new Error(`${what} took ${Math.round(ms)} ms (limit ${CASE_LIMIT_MS})`);
  return out;
}

const isPrefix = (got: readonly StoredRecord[], of: readonly StoredRecord[]) =>
  got.length > 0 &&
  got.length <= of.length &&
  got.every((r, i) => r.seq === of[i]!.seq && equalBytes(r.bytes, of[i]!.bytes));

// ---------------------------------------------------------------------------
// The properties

export interface FuzzProperty {
  name: string;
  /** Runs in `npm test`; the soak multiplies. */
  runs: number;
  check(params: { seed: number; numRuns: number }): Promise<void>;
}

const RECORD_CODES = ['RECORD_TOO_LARGE', 'RECORD_MALFORMED', 'RECORD_NON_CANONICAL', 'RECORD_SCHEMA'];

export function fuzzProperties(f: FuzzFixture): FuzzProperty[] {
  const keyOf = new Map(f.actors.map((a) => [a.id, a.publicKey]));
  const recordArb = fc.nat(f.records.length - 1);
  const genesisKey = keyOf.get(f.actors.find((a) => a.enrolledSeq === 0)!.id)!;

  const decodeOnly = (bytes: Uint8Array) => {
    try {
      return decodeRecord(bytes);
    } catch (e) {
      if (!(e instanceof RecordError) || !RECORD_CODES.includes(e.code))
        throw new Error(`decodeRecord threw ${e instanceof CustodyError ? e.code : String(e)}`);
      return undefined;
    }
  };

  const props: FuzzProperty[] = [
    {
      name: 'decodeRecord: random bytes give a record or a RecordError, nothing else',
      runs: 400,
      check: (p) =>
        Promise.resolve(
          fc.assert(
            fc.property(fc.uint8Array({ maxLength: 700 }), (b) => {
              decodeOnly(b);
            }),
            p,
          ),
        ),
    },
    {
      name: 'decodeRecord: random payloads in a well-formed envelope reach the payload decoder safely',
      runs: 400,
      check: (p) =>
        Promise.resolve(
          fc.assert(
            fc.property(
              fc.uint8Array({ maxLength: 300 }),
              fc.uint8Array({ minLength: 64, maxLength: 64 }),
              (payload, sig) => {
                const head =
                  payload.length < 256
                    ? [0x92, 0xc4, payload.length]
                    : [0x92, 0xc5, payload.length >> 8, payload.length & 255];
                const bytes = new Uint8Array([...head, ...payload, 0xc4, 0x40, ...sig]);
                const r = decodeOnly(bytes);
                // A random 64-byte string is not a signature of anyone's.
                if (r)
                  return !ed25519.verify(r.signature, signedMessage(f.origin, r.payloadBytes), genesisKey);
                return true;
              },
            ),
            p,
          ),
        ),
    },
    {
      name: 'decodeRecord: a mutated valid record never carries a valid signature unless unchanged',
      runs: 400,
      check: (p) =>
        Promise.resolve(
          fc.assert(
            fc.property(recordArb, mutationsArb, (i, ms) => {
              const original = f.records[i]!.bytes;
              const bytes = mutateAll(original, ms);
              const r = decodeOnly(bytes);
              if (!r || equalBytes(bytes, original)) return true;
              const p0 = r.payload;
              const key = p0.kind === 'genesis' ? p0.body.publicKey : keyOf.get(p0.actor);
              return !key || !ed25519.verify(r.signature, signedMessage(f.origin, r.payloadBytes), key);
            }),
            p,
          ),
        ),
    },
    {
      name: 'verifyLog: random arrays of byte strings at random positions: never throws, never ok',
      runs: 150,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                // Mostly small positions; now and then a gap near or beyond the verifier's
                // 100,000-position limit (filling a gap costs ~0.25 s per 100,000 positions).
                seq: fc.oneof(
                  { weight: 39, arbitrary: fc.nat(64) },
                  { weight: 1, arbitrary: fc.nat(300_000) },
                ),
                bytes: fc.uint8Array({ maxLength: 300 }),
              }),
              { maxLength: 8 },
            ),
            fc.boolean(),
            async (items, sorted) => {
              const source = sorted ? [...items].sort((a, b) => a.seq - b.seq) : items;
              const r = await timed('verifyLog', () => verifyLog(source, { trustedKeys: f.trusted }));
              return !r.report.ok && r.report.problems.length > 0;
            },
          ),
          p,
        ),
    },
    {
      name: 'verifyLog: a valid log with mutated records is never ok unless the bytes are unchanged',
      runs: 120,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(recordArb, mutationsArb), { minLength: 1, maxLength: 2 }),
            async (edits) => {
              const records = f.records.map((r) => ({ ...r }));
              for (const [i, ms] of edits) records[i] = { seq: i, bytes: mutateAll(records[i]!.bytes, ms) };
              const same = records.every((r, i) => equalBytes(r.bytes, f.records[i]!.bytes));
              const r = await timed('verifyLog', () => verifyLog(records, { trustedKeys: f.trusted }));
              return same ? r.report.ok : !r.report.ok && r.report.problems.length > 0;
            },
          ),
          p,
        ),
    },
    {
      name: 'verifyLog: deleted, duplicated, swapped, foreign or reordered records: ok only for a prefix',
      runs: 150,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.oneof(
                fc.record({ op: fc.constant('delete' as const), i: recordArb }),
                fc.record({ op: fc.constant('duplicate' as const), i: recordArb }),
                fc.record({ op: fc.constant('swap' as const), i: recordArb, j: recordArb }),
                fc.record({ op: fc.constant('foreign' as const), i: recordArb }),
                fc.record({ op: fc.constant('truncate' as const), i: recordArb }),
                fc.record({ op: fc.constant('renumber' as const), i: recordArb, seq: fc.nat(40) }),
              ),
              { minLength: 1, maxLength: 3 },
            ),
            async (ops) => {
              let rs: StoredRecord[] = f.records.map((r) => ({ ...r }));
              for (const o of ops) {
                const i = o.i % Math.max(rs.length, 1);
                if (rs.length === 0) break;
                if (o.op === 'delete') rs.splice(i, 1);
                if (o.op === 'duplicate') rs.splice(i + 1, 0, { ...rs[i]! });
                if (o.op === 'swap') {
                  const j = o.j % rs.length;
                  const [a, b] = [rs[i]!.bytes, rs[j]!.bytes];
                  rs[i] = { seq: rs[i]!.seq, bytes: b };
                  rs[j] = { seq: rs[j]!.seq, bytes: a };
                }
                if (o.op === 'foreign')
                  rs[i] = { seq: rs[i]!.seq, bytes: f.foreign[i % f.foreign.length]!.bytes };
                if (o.op === 'truncate') rs = rs.slice(0, i);
                if (o.op === 'renumber') rs[i] = { ...rs[i]!, seq: o.seq };
              }
              // Positions as a store would deliver them: ascending, each once (a LevelDB key per seq).
              const bySeq = new Map<number, StoredRecord>();
              for (const r of rs) bySeq.set(r.seq, r);
              const source = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
              const r = await timed('verifyLog', () => verifyLog(source, { trustedKeys: f.trusted }));
              return r.report.ok === isPrefix(source, f.records);
            },
          ),
          p,
        ),
    },
    {
      name: 'decodeBundle: random bytes (with and without the header) give BUNDLE_MALFORMED or a bundle',
      runs: 400,
      check: (p) =>
        Promise.resolve(
          fc.assert(
            fc.property(fc.uint8Array({ maxLength: 500 }), fc.boolean(), (b, magic) => {
              const bytes = magic ? new Uint8Array([...enc.encode('CUSTODY-BUNDLE/1\n'), ...b]) : b;
              custodyErrorsOnly(() => decodeBundle(bytes), ['BUNDLE_MALFORMED']);
            }),
            p,
          ),
        ),
    },
    {
      name: 'verifyBundle: a mutated bundle is BUNDLE_MALFORMED or fails verification, unless unchanged',
      runs: 100,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(mutationsArb, async (ms) => {
            const bytes = mutateAll(f.bundle, ms);
            try {
              const v = await timed('verifyBundle', () => verifyBundle(bytes, { trustedKeys: f.trusted }));
              return equalBytes(bytes, f.bundle) ? v.ok : !v.ok;
            } catch (e) {
              if (e instanceof CustodyError && e.code === 'BUNDLE_MALFORMED') return true;
              throw e;
            }
          }),
          p,
        ),
    },
    {
      name: 'note, checkpoint, signature line, vkey and exhibit-head parsers: CustodyError or a result',
      runs: 400,
      check: (p) =>
        Promise.resolve(
          fc.assert(
            fc.property(
              fc.oneof(
                anyText(400),
                fc.constant(f.note).chain((n) => mutationsArb.map((ms) => mutateText(n, ms))),
                fc.constant(f.witnessVkey).chain((n) => mutationsArb.map((ms) => mutateText(n, ms))),
              ),
              (text) => {
                custodyErrorsOnly(() => parseNote(text));
                custodyErrorsOnly(() => parseNoteBytes(enc.encode(text)));
                custodyErrorsOnly(() => parseCheckpoint(text));
                custodyErrorsOnly(() => parseSignatureLine(text));
                custodyErrorsOnly(() => parseVkey(text));
                custodyErrorsOnly(() => noteVerifierFromVkey(text));
                custodyErrorsOnly(() => verifierFromVkey(text));
                custodyErrorsOnly(() => checkpointOriginOf(text));
                parseExhibitHead(text);
                cosignatureTimestamp(enc.encode(text).subarray(0, 72));
              },
            ),
            p,
          ),
        ),
    },
    {
      name: 'checkCheckpointNote: a mutated note never throws, and never passes for another checkpoint',
      runs: 300,
      check: (p) => {
        const witness = verifierFromVkey(f.witnessVkey);
        const original = parseCheckpoint(parseNote(f.note).text);
        return Promise.resolve(
          fc.assert(
            fc.property(mutationsArb, fc.boolean(), (ms, withWitness) => {
              const text = mutateText(f.note, ms);
              const c = checkCheckpointNote(
                text,
                f.origin,
                f.actors,
                withWitness ? [witness] : [],
                withWitness ? 1 : 0,
              );
              if (c.problems.length > 0) return true;
              const got = parseCheckpoint(parseNote(text).text);
              return (
                got.origin === original.origin &&
                got.size === original.size &&
                equalBytes(got.root, original.root)
              );
            }),
            p,
          ),
        );
      },
    },
    {
      name: 'verifyCosignature: a mutated cosignature line or checkpoint body never verifies unless unchanged',
      runs: 300,
      check: (p) => {
        const { text: body, signatures } = parseNote(f.note);
        const line = signatures[signatures.length - 1]!.line;
        const cosigner = parseVkey(f.witnessVkey);
        return Promise.resolve(
          fc.assert(
            fc.property(mutationsArb, fc.boolean(), (ms, ofBody) => {
              const [b, l] = ofBody ? [mutateText(body, ms), line] : [body, mutateText(line, ms)];
              const r = custodyErrorsOnly(
                () => verifyCosignature(b, l, { name: cosigner.name, publicKey: cosigner.publicKey }),
                ['NOTE_MALFORMED', 'COSIGNATURE_INVALID', 'CHECKPOINT_MALFORMED'],
              );
              return r instanceof CustodyError || (b === body && l === line);
            }),
            p,
          ),
        );
      },
    },
    {
      name: 'parseWitnessState: random and mutated state files give WITNESS_STATE_MALFORMED or a state',
      runs: 300,
      check: (p) =>
        Promise.resolve(
          fc.assert(
            fc.property(
              fc.oneof(
                anyText(300),
                mutationsArb.map((ms) => mutateText(f.witnessState, ms)),
              ),
              (text) => {
                custodyErrorsOnly(() => parseWitnessState(text), ['WITNESS_STATE_MALFORMED']);
              },
            ),
            p,
          ),
        ),
    },
    {
      name: 'readKeyFileHeader: random and mutated key files give KEY_FILE_MALFORMED or a header',
      runs: 400,
      check: (p) =>
        Promise.resolve(
          fc.assert(
            fc.property(
              fc.oneof(
                anyText(500),
                mutationsArb.map((ms) => mutateText(f.keyFile, ms)),
              ),
              (text) => {
                custodyErrorsOnly(() => readKeyFileHeader(text), ['KEY_FILE_MALFORMED']);
              },
            ),
            p,
          ),
        ),
    },
    {
      name: 'decryptKeyFile: a mutated key file never decrypts unless unchanged (bounded scrypt cost)',
      runs: 40,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(
            fc.oneof(
              mutationsArb.map((ms) => mutateText(f.keyFile, ms)),
              // Edits that keep the file well-formed, so that decryption is attempted.
              fc
                .record({ field: fc.constantFrom(...KEY_FIELDS), at: fc.nat(), ch: fc.constantFrom(...B64) })
                .map(({ field, at, ch }) => editKeyField(f.keyFile, field, at, ch)),
            ),
            async (text) => {
              const out = await timed('decryptKeyFile', () =>
                custodyErrorsOnly(
                  () => decryptKeyFile(text, PASSPHRASE),
                  ['KEY_FILE_MALFORMED', 'KEY_PASSPHRASE_WRONG', 'KEY_FILE_MISMATCH'],
                ),
              );
              return out instanceof CustodyError || text === f.keyFile;
            },
          ),
          p,
        ),
    },
  ];
  return props;
}
