/**
 * Hostile-input properties (fast-check), shared by test/reliability/fuzz.test.ts
 * (fixed seeds, modest runs) and scripts/soak.ts (many more runs, fresh seeds).
 *
 * For the ledger and its store (format v2):
 *  - no crash: submit() refuses hostile statement and openings bytes with a
 *    CustodyError and appends nothing; the verifiers never throw;
 *  - no hang: every case finishes within a time bound;
 *  - never "ok" for damaged input, unless the damage left the bytes identical
 *    (or, for a log, left a non-empty prefix of it: a prefix of a valid log IS
 *    a valid log — truncation needs a checkpoint, docs/THREAT-MODEL.md; or,
 *    for openings, revealed less: a withheld field is allowed).
 * Plus the checkpoint-note check the CLI runs on `verify --checkpoint`, and
 * key files.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { equalBytes } from '../../../src/bytes.js';
import { parseCheckpoint } from '../../../src/checkpoint/checkpoint.js';
import {
  formatCosignerVkey,
  signCosignature,
  verifierFromVkey,
} from '../../../src/checkpoint/cosignature.js';
import { formatVkey, parseNote } from '../../../src/checkpoint/note.js';
import { serializeWitnessState, type WitnessLogState } from '../../../src/checkpoint/witness.js';
import { CustodyError } from '../../../src/errors.js';
import { decodeOpenings } from '../../../src/format/openings.js';
import { decryptKeyFile, encryptKeyFile, readKeyFileHeader } from '../../../src/keys/keyfile.js';
import type { Composed } from '../../../src/ledger/compose.js';
import { LogLedger as Ledger, type LogLedger } from '../../../src/ledger/log-ledger.js';
import { K } from '../../../src/store/log-keys.js';
import { LevelLogStore } from '../../../src/store/log-level.js';
import { MemoryLogStore } from '../../../src/store/log-memory.js';
import type { LogHead, LogStore } from '../../../src/store/log-store.js';
import { checkCheckpointNoteV2 } from '../../../src/verify/checkpoint-note.js';
import type { StoredCheckpoint } from '../../../src/verify/log-checkpoints.js';
import { verifyLogStore } from '../../../src/verify/log-store-verify.js';
import { type LogItem, verifyLogV2 } from '../../../src/verify/log-verify.js';
import { ACTORS, AUTHORITY, digestOf, LOG, ORIGIN, seededSigner, sign } from './cast.js';
import { buildHistory, impostors, logClock, SIGNING } from './history.js';
import { withRawDb } from './insider.js';

/** Longest a single hostile case may take (generous: the CI machine has 2 cores and is shared). */
export const CASE_LIMIT_MS = 5_000;

export const PASSPHRASE = 'fuzz passphrase';

export interface FuzzFixture {
  origin: string;
  /** The history's entries and payloads, with their stored openings. */
  items: LogItem[];
  /** Items of a forged ledger with the same origin, names and story (for splicing). */
  foreign: LogItem[];
  statements: Composed[];
  checkpoints: StoredCheckpoint[];
  head: LogHead;
  trusted: Uint8Array[];
  /** The last checkpoint with the log signature and one witness cosignature. */
  note: string;
  witnessVkey: string;
  logVkey: string;
  keyFile: string;
  witnessState: string;
  /** A closed LevelDB ledger holding the history, and the keys verification must check. */
  levelDir: string;
  audited: Uint8Array[];
  dispose(): void;
}

async function itemsOf(store: LogStore): Promise<LogItem[]> {
  const out: LogItem[] = [];
  for await (const it of store.items(0, Number.MAX_SAFE_INTEGER)) {
    const o = await store.openings(it.index);
    out.push(o === undefined ? { ...it } : { ...it, openings: o });
  }
  return out;
}

/** Tree nodes the store audit reads: the complete subtrees that tile each kept size. */
function edgeNodes(sizes: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const size of sizes)
    for (let level = 0, s = size; s > 0; level++, s = Math.floor(s / 2))
      if (s % 2 === 1) out.push([level, Math.floor(size / 2 ** level) - 1]);
  return out;
}

export async function makeFuzzFixture(): Promise<FuzzFixture> {
  const mem = await buildHistory(new MemoryLogStore(), { keepOpen: true });
  const store = mem.ledger.store;
  const forged = await buildHistory(new MemoryLogStore(), {
    keepOpen: true,
    people: impostors('fuzz forger '),
  });
  const checkpoints: StoredCheckpoint[] = [];
  for (const size of await store.checkpointSizes())
    checkpoints.push({ size, note: (await store.checkpoint(size))! });
  const witness = seededSigner('fuzz witness');
  const witnessName = 'witness.custody.test';
  const body = parseNote(mem.cp2.note).text;
  const states = new Map<string, WitnessLogState>([
    [ORIGIN, { size: mem.cp2.size, root: parseCheckpoint(body).root }],
    ['other.example/log', { size: 1, root: new Uint8Array(32) }],
  ]);
  const tmp = mkdtempSync(join(tmpdir(), 'custody-fuzz-'));
  const levelDir = join(tmp, 'ledger');
  const lvl = await buildHistory(await LevelLogStore.open(levelDir, 'create'));
  const head = (await store.readHead())!;
  const audited = await withRawDb(levelDir, async (db) => {
    const out: Uint8Array[] = [];
    for await (const k of db.keys()) if ('EPORcH'.includes(String.fromCharCode(k[0]!))) out.push(k);
    for (const [level, index] of edgeNodes([lvl.cp1.size, lvl.cp2.size, lvl.size]))
      out.push(K.treeNode(level, index));
    return out;
  });
  return {
    origin: ORIGIN,
    items: await itemsOf(store),
    foreign: await itemsOf(forged.ledger.store),
    statements: mem.statements,
    checkpoints,
    head,
    trusted: [AUTHORITY.signer.publicKey],
    note: mem.cp2.note + signCosignature(body, witnessName, witness, 1_780_000_000),
    witnessVkey: formatCosignerVkey(witnessName, witness.publicKey),
    logVkey: formatVkey(ORIGIN, LOG.publicKey),
    keyFile: encryptKeyFile({
      name: 'Fuzz key',
      seed: new Uint8Array(32).fill(7),
      passphrase: PASSPHRASE,
      kdf: { N: 16384, r: 8, p: 1 },
    }),
    witnessState: serializeWitnessState(states),
    levelDir,
    audited,
    dispose: () => rmSync(tmp, { recursive: true, force: true }),
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

/** Text from all of Unicode plus the characters notes and key files are made of. */
export const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({
      unit: fc.constantFrom('\n', ' ', '—', '+', '/', '=', '{', '}', '"', ':', ',', 'a', '0'),
      maxLength,
    }),
  );

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

/** submit() must refuse with a CustodyError (never another error) and append nothing. */
async function refused(
  ledger: LogLedger,
  bytes: Uint8Array,
  openings?: Uint8Array,
): Promise<CustodyError | 'accepted'> {
  const size = ledger.size;
  const out = await timed('submit', () =>
    ledger.submit(bytes, openings).then(
      () => 'accepted' as const,
      (e: unknown) => {
        if (!(e instanceof CustodyError))
          throw new Error(`submit rejected with a non-CustodyError: ${String(e)}`);
        return e;
      },
    ),
  );
  if (out !== 'accepted' && ledger.size !== size)
    throw new Error('a refused statement changed the ledger size');
  return out;
}

/** The openings reveal nothing the original did not (a withheld field is allowed). */
function revealsLess(mutated: Uint8Array | undefined, original: Uint8Array | undefined): boolean {
  if (mutated === undefined) return true;
  try {
    const m = decodeOpenings(mutated);
    const o = original === undefined ? {} : decodeOpenings(original);
    return Object.entries(m).every(([k, v]) => {
      const w = o[k];
      return w !== undefined && equalBytes(w.salt, v.salt) && w.value === v.value;
    });
  } catch {
    return false;
  }
}

const sameItem = (a: LogItem, b: LogItem) =>
  a.index === b.index &&
  equalBytes(a.entry, b.entry) &&
  equalBytes(a.payload, b.payload) &&
  (a.openings === undefined) === (b.openings === undefined) &&
  (a.openings === undefined || equalBytes(a.openings, b.openings!));
const isPrefix = (got: readonly LogItem[], of: readonly LogItem[]) =>
  got.length > 0 && got.length <= of.length && got.every((it, i) => sameItem(it, of[i]!));

// ---------------------------------------------------------------------------
// The properties

export interface FuzzProperty {
  name: string;
  /** Runs in `npm test`; the soak multiplies. */
  runs: number;
  check(params: { seed: number; numRuns: number }): Promise<void>;
}

/** A ledger holding the fixture's statements (a fresh one per property). */
async function openLedger(f: FuzzFixture): Promise<LogLedger> {
  const ledger = await Ledger.open(new MemoryLogStore(), { clock: logClock() });
  for (const s of f.statements) await ledger.submit(s.bytes, s.openingBytes);
  if (ledger.size !== f.head.size || !equalBytes(ledger.mapRoot, f.head.mapRoot))
    throw new Error('test setup: the rebuilt ledger differs from the fixture');
  return ledger;
}

export function fuzzProperties(f: FuzzFixture): FuzzProperty[] {
  const statementArb = fc.nat(f.statements.length - 1);
  const itemArb = fc.nat(f.items.length - 1);
  const fullSource = { checkpoints: f.checkpoints, head: { kind: 'ok' as const, head: f.head } };

  const props: FuzzProperty[] = [
    {
      name: 'submit: random bytes are refused with a CustodyError and never appended',
      runs: 300,
      check: async (p) => {
        const ledger = await openLedger(f);
        await fc.assert(
          fc.asyncProperty(
            fc.uint8Array({ maxLength: 600 }),
            async (b) => (await refused(ledger, b)) !== 'accepted',
          ),
          p,
        );
      },
    },
    {
      name: 'submit: a mutated logged statement is refused with a CustodyError and never appended',
      runs: 300,
      check: async (p) => {
        const ledger = await openLedger(f);
        await fc.assert(
          fc.asyncProperty(statementArb, mutationsArb, async (i, ms) => {
            const original = f.statements[i]!.bytes;
            const bytes = mutateAll(original, ms);
            const size = ledger.size;
            const out = await refused(ledger, bytes);
            // A mutation that changed nothing (a byte set to the value it had) is a resubmission:
            // answered with the entry it already has, and nothing is appended (STORAGE.md).
            if (bytes.length === original.length && bytes.every((b, j) => b === original[j]))
              return ledger.size === size;
            return out !== 'accepted';
          }),
          p,
        );
      },
    },
    {
      name: "submit: hostile openings beside a fresh statement are refused, unless they reveal only the statement's own",
      runs: 150,
      check: async (p) => {
        const ledger = await openLedger(f);
        let n = 0;
        await fc.assert(
          fc.asyncProperty(fc.oneof(mutationsArb, fc.uint8Array({ maxLength: 200 })), async (hostile) => {
            const c = sign({
              kind: 'register',
              signer: ACTORS.collector.signer,
              fields: {
                label: `FUZZ-${n}`,
                caseRef: 'NL-2026-0042',
                description: `fuzzed ${n}`,
                digests: digestOf(`fuzz ${n++}`),
                size: 1,
                location: 'Den Haag',
              },
              // Signed at the log's (test) time: a statement from the real clock would be refused as early.
              clock: SIGNING,
            });
            const openings = hostile instanceof Uint8Array ? hostile : mutateAll(c.openingBytes!, hostile);
            const size = ledger.size;
            const out = await refused(ledger, c.bytes, openings);
            if (out === 'accepted') return ledger.size === size + 1 && revealsLess(openings, c.openingBytes);
            return true;
          }),
          p,
        );
      },
    },
    {
      name: 'verifyLogV2: random items at random positions: never throws, never ok',
      runs: 150,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                index: fc.oneof(
                  { weight: 9, arbitrary: fc.nat(16) },
                  { weight: 1, arbitrary: fc.nat(300_000) },
                ),
                entry: fc.uint8Array({ maxLength: 100 }),
                payload: fc.uint8Array({ maxLength: 300 }),
              }),
              { maxLength: 8 },
            ),
            fc.boolean(),
            async (items, sorted) => {
              const source = sorted ? [...items].sort((a, b) => a.index - b.index) : items;
              const r = await timed('verifyLogV2', () =>
                verifyLogV2({ items: source }, { trustedKeys: f.trusted }),
              );
              return !r.report.ok && r.report.problems.length > 0;
            },
          ),
          p,
        ),
    },
    {
      name: 'verifyLogV2: mutated entries, payloads or openings are never ok, unless unchanged or revealing less',
      runs: 120,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(
            fc.array(fc.tuple(itemArb, fc.constantFrom('entry', 'payload', 'openings'), mutationsArb), {
              minLength: 1,
              maxLength: 2,
            }),
            async (edits) => {
              const items = f.items.map((it) => ({ ...it }));
              for (const [i, field, ms] of edits) {
                const it = items[i]!;
                if (field === 'openings') it.openings = mutateAll(it.openings ?? new Uint8Array(0), ms);
                else it[field] = mutateAll(it[field], ms);
              }
              const primary = items.every(
                (it, i) =>
                  equalBytes(it.entry, f.items[i]!.entry) && equalBytes(it.payload, f.items[i]!.payload),
              );
              const openings = items.every((it, i) => revealsLess(it.openings, f.items[i]!.openings));
              const r = await timed('verifyLogV2', () =>
                verifyLogV2({ items, ...fullSource }, { trustedKeys: f.trusted }),
              );
              return primary && openings ? r.report.ok : !r.report.ok && r.report.problems.length > 0;
            },
          ),
          p,
        ),
    },
    {
      name: 'verifyLogV2: deleted, duplicated, swapped, foreign or truncated items: ok only for a prefix',
      runs: 150,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.oneof(
                fc.record({ op: fc.constant('delete' as const), i: itemArb }),
                fc.record({ op: fc.constant('duplicate' as const), i: itemArb }),
                fc.record({ op: fc.constant('swap' as const), i: itemArb, j: itemArb }),
                fc.record({ op: fc.constant('foreign' as const), i: itemArb }),
                fc.record({ op: fc.constant('truncate' as const), i: itemArb }),
              ),
              { minLength: 1, maxLength: 3 },
            ),
            async (ops) => {
              // Positions as a store delivers them: each once, ascending; a pair moves with its openings.
              const at = new Map(f.items.map((it) => [it.index, it]));
              for (const o of ops) {
                const size = Math.max(0, ...at.keys()) + 1;
                const i = o.i % size;
                const here = at.get(i);
                const move = (it: LogItem | undefined, to: number) => {
                  if (it) at.set(to, { ...it, index: to });
                  else at.delete(to);
                };
                if (o.op === 'delete') at.delete(i);
                if (o.op === 'duplicate') move(here, i + 1);
                if (o.op === 'swap') {
                  const j = o.j % size;
                  const there = at.get(j);
                  move(here, j);
                  move(there, i);
                }
                if (o.op === 'foreign') move(f.foreign[i % f.foreign.length], i);
                if (o.op === 'truncate') for (const k of [...at.keys()]) if (k >= i) at.delete(k);
              }
              const source = [...at.values()].sort((a, b) => a.index - b.index);
              const r = await timed('verifyLogV2', () =>
                verifyLogV2({ items: source }, { trustedKeys: f.trusted }),
              );
              return r.report.ok === isPrefix(source, f.items);
            },
          ),
          p,
        ),
    },
    {
      name: 'verifyLogStore: random bytes over any audited stored value, or a stray record or checkpoint, never throw and are never ok',
      runs: 40,
      check: async (p) => {
        const tmp = mkdtempSync(join(tmpdir(), 'custody-fuzz-store-'));
        let n = 0;
        try {
          await fc.assert(
            fc.asyncProperty(
              fc.oneof(
                fc.record({ at: fc.nat(f.audited.length - 1), bytes: fc.uint8Array({ maxLength: 120 }) }),
                fc.record({ at: fc.nat(f.audited.length - 1), ms: mutationsArb }),
                fc.record({
                  stray: fc.constantFrom('R', 'c'),
                  key: fc.uint8Array({ minLength: 1, maxLength: 40 }),
                  bytes: fc.uint8Array({ maxLength: 120 }),
                }),
              ),
              async (change) => {
                const dir = join(tmp, `ledger-${n++}`);
                cpSync(f.levelDir, dir, { recursive: true });
                let unchanged = false;
                await withRawDb(dir, async (db) => {
                  if ('stray' in change) {
                    // A record in the exhibit namespace or a checkpoint no entry or signer made.
                    const key =
                      change.stray === 'R'
                        ? K.record('exhibit', change.key)
                        : K.checkpoint(1000 + (change.key[0] ?? 0));
                    await db.put(key, change.bytes);
                    return;
                  }
                  const key = f.audited[change.at]!;
                  const before = Uint8Array.from((await db.get(key))!);
                  const after = 'bytes' in change ? change.bytes : mutateAll(before, change.ms);
                  // Openings that still open what they open, only fewer of them, are allowed.
                  unchanged = equalBytes(before, after) || (key[0] === 0x4f && revealsLess(after, before));
                  await db.put(key, after);
                });
                const store = await LevelLogStore.open(dir, 'open');
                try {
                  const r = await timed('verifyLogStore', () =>
                    verifyLogStore(store, { trustedKeys: f.trusted }),
                  );
                  return unchanged ? r.report.ok : !r.report.ok && r.report.problems.length > 0;
                } finally {
                  await store.close();
                  rmSync(dir, { recursive: true, force: true });
                }
              },
            ),
            p,
          );
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'verifyLogStore: a LevelDB ledger of random keys and values never throws and is never ok',
      runs: 30,
      check: async (p) => {
        const tmp = mkdtempSync(join(tmpdir(), 'custody-fuzz-random-'));
        let n = 0;
        try {
          await fc.assert(
            fc.asyncProperty(
              fc.array(
                fc.record({
                  prefix: fc.constantFrom(...'EPOnMRSxcH'),
                  rest: fc.uint8Array({ maxLength: 12 }),
                  value: fc.uint8Array({ maxLength: 100 }),
                }),
                { maxLength: 12 },
              ),
              async (rows) => {
                const dir = join(tmp, `ledger-${n++}`);
                await (await LevelLogStore.open(dir, 'create')).close();
                await withRawDb(dir, async (db) => {
                  for (const r of rows)
                    await db.put(Uint8Array.from([r.prefix.charCodeAt(0), ...r.rest]), r.value);
                });
                const store = await LevelLogStore.open(dir, 'open');
                try {
                  const r = await timed('verifyLogStore', () =>
                    verifyLogStore(store, { trustedKeys: f.trusted }),
                  );
                  return !r.report.ok && r.report.problems.length > 0;
                } finally {
                  await store.close();
                  rmSync(dir, { recursive: true, force: true });
                }
              },
            ),
            p,
          );
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
      },
    },
    {
      name: 'checkCheckpointNoteV2 (verify --checkpoint): a mutated note never throws, and never passes for another checkpoint',
      runs: 300,
      check: async (p) => {
        const witness = verifierFromVkey(f.witnessVkey);
        const original = parseCheckpoint(parseNote(f.note).text);
        const ledger = { origin: f.origin, logKey: { type: 1 as const, publicKey: LOG.publicKey } };
        fc.assert(
          fc.property(mutationsArb, fc.boolean(), (ms, withWitness) => {
            const text = mutateText(f.note, ms);
            const c = checkCheckpointNoteV2(text, ledger, withWitness ? [witness] : [], withWitness ? 1 : 0);
            if (c.problems.length > 0) return true;
            const got = parseCheckpoint(parseNote(text).text);
            return (
              got.origin === original.origin &&
              got.size === original.size &&
              equalBytes(got.root, original.root)
            );
          }),
          p,
        );
      },
    },
    {
      name: 'readKeyFileHeader: random and mutated key files give KEY_FILE_MALFORMED or a header',
      runs: 400,
      check: async (p) => {
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
        );
      },
    },
    {
      name: 'decryptKeyFile: a mutated key file never decrypts unless unchanged (bounded scrypt cost)',
      runs: 30,
      check: (p) =>
        fc.assert(
          fc.asyncProperty(mutationsArb, async (ms) => {
            const text = mutateText(f.keyFile, ms);
            const out = await timed('decryptKeyFile', () =>
              custodyErrorsOnly(
                () => decryptKeyFile(text, PASSPHRASE),
                ['KEY_FILE_MALFORMED', 'KEY_PASSPHRASE_WRONG', 'KEY_FILE_MISMATCH'],
              ),
            );
            return out instanceof CustodyError || text === f.keyFile;
          }),
          p,
        ),
    },
  ];
  return props;
}
