/**
 * Tamper detection on the real LevelDB files.
 *
 * A ledger with exhibits, cross-border transfers, an examination, a derived
 * copy, a revocation, a disposal and two checkpoints is built once. Each case
 * damages a COPY of its directory through the `level` package directly (what
 * an insider with disk access can do), then opens it with the custody store
 * and verifies it: without `deep` (the records) and/or with `deep` (every
 * derived record), with or without checkpoints kept earlier and a pinned
 * authority key. Every case states the exact problems — code, entry and
 * exhibit — the verifier must report; an empty list documents damage that is
 * NOT detectable that way (see docs/THREAT-MODEL.md).
 *
 * Regression cases for defects found here state what should be reported and
 * fail until it is fixed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { parseNote, signNoteLine } from '../../src/checkpoint/note.js';
import type { ActorRecord, ExhibitRecord, StateHead } from '../../src/custody/state.js';
import { CustodyError } from '../../src/errors.js';
import { exhibitOf } from '../../src/format/events.js';
import { exhibitIdFromBytes } from '../../src/format/ids.js';
import { checkpointLedger } from '../../src/ledger/checkpoints.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { verifyStore } from '../../src/ledger/verify.js';
import {
  decodeState,
  encodeState,
  looksLikeActor,
  looksLikeExhibit,
  looksLikeHead,
} from '../../src/store/codec.js';
import {
  actorEntryKey,
  actorKey,
  checkpointKey,
  entryKey,
  exhibitEventKey,
  exhibitKey,
  HEAD_KEY,
  nodeKey,
  VERSION_KEY,
} from '../../src/store/keys.js';
import { LevelStore } from '../../src/store/level.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { CheckpointExpectation } from '../../src/verify/verifier.js';
import { custody } from '../e2e/helpers.js';
import { appendForged } from '../helpers/forge.js';
import { seededSigner } from '../helpers/world.js';
import { buildHistory, EIO, forgeHistory } from './lib/history.js';
import {
  copyLedger,
  type DB,
  flipByte,
  getValue,
  keysWithPrefix,
  offsetOf,
  pointers,
  readRecords,
  removeTempDirs,
  rewriteLedger,
  tempDir,
  verifyDir,
  withRawDb,
} from './lib/insider.js';
import { FaultyStore } from './lib/stores.js';

afterAll(removeTempDirs);

// ---------------------------------------------------------------------------
// The ledger every case damages a copy of (built once, at collection time, so
// that the case table can name entries and exhibits).

const BASE = join(tempDir(), 'ledger');
const h = await buildHistory(await LevelStore.open(BASE, 'create'));
await h.world.ledger.close();
const RECORDS = await withRawDb(BASE, readRecords);
const w = h.world;
const s = h.seq;
const N = h.size;
const expectation = (note: string): CheckpointExpectation => {
  const cp = parseCheckpoint(parseNote(note).text);
  return { size: cp.size, root: cp.root };
};
const CP = { cp1: expectation(h.cp1.note), cp2: expectation(h.cp2.note) };
const AUTHORITY_KEY = w.authority.signer.publicKey;

/** `CODE@seq/exhibit`, as `pointers` prints problems. */
const P = (code: string, seq: number | null = null, exhibit: string | null = null) =>
  `${code}@${seq ?? '-'}/${exhibit ?? '-'}`;

/** The copy's events after its derivation: hand-over to the court, accept, disposal. */
const copyEvents = [s.disposeCopy - 2, s.disposeCopy - 1, s.disposeCopy];
/**
 * When the examination of x1 is lost (deleted, or undecodable), the verifier cannot know
 * which exhibits it concerned: the next entry (the derivation of the copy from x1) breaks
 * the chain and x1's link, the derivation is refused, and later events of x1 and of the
 * copy are reported too. The first problem still points at the damaged entry.
 */
const lostExamination = [
  P('CHAIN_BROKEN', s.deriveCopy, h.copy),
  P('EXHIBIT_LINK_BROKEN', s.deriveCopy, h.copy),
  P('EXHIBIT_LINK_BROKEN', s.transferX1Abroad, h.x1),
  P('EXHIBIT_LINK_BROKEN', s.acceptX1Abroad, h.x1),
  ...copyEvents.map((q) => P('EXHIBIT_UNKNOWN', q, h.copy)),
  P('STORE_TREE_MISMATCH'),
];

const flipEntry =
  (seq: number, text: string | number, mask = 0x01) =>
  async (db: DB) => {
    const key = entryKey(seq);
    const offset = typeof text === 'number' ? text : offsetOf(await getValue(db, key), text);
    await flipByte(db, key, offset, mask);
  };

const deleteKeys =
  (...keys: Uint8Array[]) =>
  async (db: DB) => {
    for (const k of keys) await db.del(k);
  };

/** Writes a head record with one field changed (a "flip" that still decodes). */
const rewriteHead =
  (change: (head: Record<string, unknown>) => void) =>
  async (db: DB): Promise<void> => {
    const head = decodeState<StateHead>(await getValue(db, HEAD_KEY), 'head', looksLikeHead);
    const edited: Record<string, unknown> = { ...head };
    change(edited);
    await db.put(HEAD_KEY, encodeState(edited as unknown as StateHead), { sync: true });
  };

const BOGUS_EXHIBIT = exhibitIdFromBytes(new Uint8Array([9, 9, 9, 9, 9, 9]));

type Kind = 'e' | 'n' | 'X' | 'A' | 'x' | 'a' | 'H' | 'c' | 'V' | 'log';

interface Case {
  name: string;
  /** Which stored record kind is damaged ('log': the sequence of records as a whole). */
  kind: Kind;
  edit: (db: DB) => Promise<void>;
  /** Verification the case is about. */
  deep?: boolean;
  checkpoints?: readonly CheckpointExpectation[];
  trust?: boolean;
  /** Exactly the problems reported; [] = not detected this way. */
  want: string[];
  /** For derived-data cases: what a plain (not deep) verify reports. */
  shallow?: string[];
  /** A problem message that must appear (for problems without seq/exhibit, e.g. tree nodes). */
  message?: RegExp;
}

const cases: Case[] = [
  // ---- 'e': the records (primary data), found by a plain verify ----
  {
    name: 'genesis: one byte of the authority name',
    kind: 'e',
    edit: flipEntry(s.genesis, 'NFI ledger'),
    want: [P('SIGNATURE_INVALID', 0), P('CHAIN_BROKEN', 1), P('STORE_TREE_MISMATCH')],
  },
  {
    name: "an enrolment: one byte of the actor's name",
    kind: 'e',
    edit: flipEntry(s.enrolDeCustodian, 'K. M'),
    want: [P('SIGNATURE_INVALID', 3), P('CHAIN_BROKEN', 4), P('STORE_TREE_MISMATCH')],
  },
  {
    name: "a registration: one byte of the exhibit's label",
    kind: 'e',
    edit: flipEntry(s.registerX1, 'HDD-01'),
    want: [
      P('SIGNATURE_INVALID', s.registerX1, h.x1),
      P('CHAIN_BROKEN', s.registerX1 + 1, h.x2),
      P('STORE_TREE_MISMATCH'),
    ],
  },
  {
    name: 'a cross-border transfer: one byte of the legal basis',
    kind: 'e',
    edit: flipEntry(s.transferX1Abroad, EIO),
    want: [
      P('SIGNATURE_INVALID', s.transferX1Abroad, h.x1),
      P('CHAIN_BROKEN', s.transferX1Abroad + 1, h.x1),
      P('STORE_TREE_MISMATCH'),
    ],
  },
  {
    name: 'an accept: one bit of the signature',
    kind: 'e',
    edit: flipEntry(s.acceptX1, -1),
    want: [
      P('SIGNATURE_INVALID', s.acceptX1, h.x1),
      P('CHAIN_BROKEN', s.acceptX1 + 1, h.x1),
      P('STORE_TREE_MISMATCH'),
    ],
  },
  {
    name: 'a derived copy: one byte of its label',
    kind: 'e',
    edit: flipEntry(s.deriveCopy, 'COPY'),
    want: [
      P('SIGNATURE_INVALID', s.deriveCopy, h.copy),
      P('CHAIN_BROKEN', s.deriveCopy + 1, h.x1),
      P('STORE_TREE_MISMATCH'),
    ],
  },
  {
    name: 'a revocation: one byte of its reason',
    kind: 'e',
    edit: flipEntry(s.revokeDeCustodian, 'compromised'),
    want: [
      P('SIGNATURE_INVALID', s.revokeDeCustodian),
      P('CHAIN_BROKEN', s.revokeDeCustodian + 1, h.copy),
      P('STORE_TREE_MISMATCH'),
    ],
  },
  {
    name: 'the last entry: one bit of the signature',
    kind: 'e',
    edit: flipEntry(s.last, -1, 0x80),
    want: [P('SIGNATURE_INVALID', s.last, h.x3), P('STORE_HEAD_MISMATCH')],
  },
  {
    name: 'an examination: its first (structural) byte — undecodable, so later events of its exhibit cascade',
    kind: 'e',
    edit: flipEntry(s.examineX1, 0),
    want: [P('RECORD_MALFORMED', s.examineX1), ...lostExamination],
  },

  // ---- 'n': tree nodes (derived), found by --deep; plain verify reads only the right edge ----
  {
    name: 'a leaf hash inside the tree (not on the right edge)',
    kind: 'n',
    edit: (db) => flipByte(db, nodeKey(0, 5), 7),
    deep: true,
    want: [P('STORE_LEAF_MISMATCH', 5), P('STORE_NODE_MISMATCH')],
    message: /node 1\/2 /,
    shallow: [],
  },
  {
    name: 'an interior node inside the tree (level 2)',
    kind: 'n',
    edit: (db) => flipByte(db, nodeKey(2, 1), 0),
    deep: true,
    want: [P('STORE_NODE_MISMATCH'), P('STORE_NODE_MISMATCH')],
    message: /node 2\/1 /,
    shallow: [],
  },
  {
    name: 'an interior node on the right edge (level 3, leaves 16..23)',
    kind: 'n',
    edit: (db) => flipByte(db, nodeKey(3, 2), 31),
    deep: true,
    want: [P('STORE_NODE_MISMATCH'), P('STORE_TREE_MISMATCH')],
    message: /node 3\/2 /,
    shallow: [P('STORE_TREE_MISMATCH')],
  },
  {
    name: 'the last leaf hash (with 24 entries the root is read from the subtree 3/2 above it)',
    kind: 'n',
    edit: (db) => flipByte(db, nodeKey(0, N - 1), 0),
    deep: true,
    want: [P('STORE_LEAF_MISMATCH', N - 1), P('STORE_NODE_MISMATCH')],
    message: /node 1\/11 /,
    shallow: [],
  },

  // ---- 'X', 'A': custody state (derived), found by --deep ----
  {
    name: "an exhibit's state: one byte of its label",
    kind: 'X',
    edit: async (db) =>
      flipByte(db, exhibitKey(h.x1), offsetOf(await getValue(db, exhibitKey(h.x1)), 'HDD-01')),
    deep: true,
    want: [P('STORE_STATE_MISMATCH', null, h.x1)],
    shallow: [],
  },
  {
    name: "an exhibit's state: its holder changed to another actor (still decodes)",
    kind: 'X',
    edit: async (db) => {
      const v = await getValue(db, exhibitKey(h.x2));
      const at = offsetOf(v, w.deCustodian.id);
      v.set(new TextEncoder().encode(w.nlCollector.id), at);
      await db.put(exhibitKey(h.x2), v);
    },
    deep: true,
    want: [P('STORE_STATE_MISMATCH', null, h.x2)],
    shallow: [],
  },
  {
    name: "an actor's state: one byte of the name",
    kind: 'A',
    edit: async (db) =>
      flipByte(
        db,
        actorKey(w.deCustodian.id),
        offsetOf(await getValue(db, actorKey(w.deCustodian.id)), 'K. M'),
      ),
    deep: true,
    want: [P('STORE_STATE_MISMATCH')],
    message: new RegExp(`actor ${w.deCustodian.id} does not match`),
    shallow: [],
  },

  // ---- 'x', 'a': indexes (derived), found by --deep ----
  {
    name: "exhibit index: one of an exhibit's rows deleted",
    kind: 'x',
    edit: deleteKeys(exhibitEventKey(h.x1, s.transferX1Abroad)),
    deep: true,
    want: [P('STORE_INDEX_MISMATCH', s.transferX1Abroad, h.x1)],
    shallow: [],
  },
  {
    name: "exhibit index: a bogus row (another exhibit's entry)",
    kind: 'x',
    edit: (db) => db.put(exhibitEventKey(h.x1, s.registerX1 + 1), new Uint8Array(0)),
    deep: true,
    want: [P('STORE_INDEX_MISMATCH', s.registerX1 + 1, h.x1)],
    shallow: [],
  },
  {
    name: 'exhibit index: a row for an exhibit that does not exist',
    kind: 'x',
    edit: (db) => db.put(exhibitEventKey(BOGUS_EXHIBIT, 5), new Uint8Array(0)),
    deep: true,
    want: [P('STORE_INDEX_MISMATCH', 5, BOGUS_EXHIBIT)],
    shallow: [],
  },
  {
    name: "actor index: one of an actor's rows deleted",
    kind: 'a',
    edit: deleteKeys(actorEntryKey(w.nlExaminer.id, s.acceptX1)),
    deep: true,
    want: [P('STORE_INDEX_MISMATCH', s.acceptX1)],
    message: new RegExp(`index of ${w.nlExaminer.id} `),
    shallow: [],
  },
  {
    name: 'actor index: a bogus row',
    kind: 'a',
    edit: (db) => db.put(actorEntryKey(w.frCourt.id, 2), new Uint8Array(0)),
    deep: true,
    want: [P('STORE_INDEX_MISMATCH', 2)],
    shallow: [],
  },

  // ---- 'H': the head (derived) ----
  {
    name: 'head: one bit of its entry count',
    kind: 'H',
    edit: async (db) => flipByte(db, HEAD_KEY, offsetOf(await getValue(db, HEAD_KEY), 'size') + 4),
    want: [P('STORE_HEAD_MISMATCH')],
  },
  {
    name: 'head: one byte of the last leaf hash',
    kind: 'H',
    edit: async (db) => {
      const v = await getValue(db, HEAD_KEY);
      await flipByte(db, HEAD_KEY, offsetOf(v, 'head') + 7);
    },
    want: [P('STORE_HEAD_MISMATCH')],
  },
  {
    name: 'head: its first byte (no longer decodes)',
    kind: 'H',
    edit: (db) => flipByte(db, HEAD_KEY, 0, 0xff),
    want: [P('STORE_HEAD_MISSING')],
  },
  {
    name: 'head: lastTime moved a year ahead',
    kind: 'H',
    edit: rewriteHead((hd) => {
      hd['lastTime'] = (hd['lastTime'] as number) + 365 * 86_400_000;
    }),
    want: [P('STORE_HEAD_MISMATCH')],
  },
  {
    name: 'head: the authority changed to an enrolled collector',
    kind: 'H',
    edit: rewriteHead((hd) => {
      hd['authority'] = w.nlCollector.id;
    }),
    want: [P('STORE_HEAD_MISMATCH')],
  },
  {
    name: 'head: the origin changed',
    kind: 'H',
    edit: rewriteHead((hd) => {
      hd['origin'] = 'custody.test/other';
    }),
    want: [P('STORE_HEAD_MISMATCH')],
  },

  // ---- 'c': stored checkpoints (signed statements), found by --deep ----
  {
    name: 'checkpoint 1: one byte of its signature',
    kind: 'c',
    edit: (db) => flipByte(db, checkpointKey(h.cp1.size), -3),
    deep: true,
    want: [P('STORE_CHECKPOINT_MISMATCH', h.cp1.size - 1)],
    shallow: [],
  },
  {
    name: 'checkpoint 2: one byte of its root hash',
    kind: 'c',
    edit: async (db) => {
      const v = await getValue(db, checkpointKey(h.cp2.size));
      await flipByte(db, checkpointKey(h.cp2.size), offsetOf(v, `\n${h.cp2.size}\n`) + 6, 0x02);
    },
    deep: true,
    want: [P('STORE_CHECKPOINT_MISMATCH', h.cp2.size - 1)],
    shallow: [],
  },
  {
    name: 'a checkpoint added, signed by a key that is not a log key',
    kind: 'c',
    edit: async (db) => {
      const text = formatCheckpoint({ origin: 'custody.test/nl-nfi', size: 10, root: new Uint8Array(32) });
      const note = `${text}\n${signNoteLine(text, 'custody.test/nl-nfi', w.nlCollector.signer)}`;
      await db.put(checkpointKey(10), new TextEncoder().encode(note));
    },
    deep: true,
    want: [P('STORE_CHECKPOINT_MISMATCH', 9)],
    shallow: [],
  },
  {
    name: 'a stored checkpoint deleted (NOT detectable from the store: keep checkpoints elsewhere)',
    kind: 'c',
    edit: deleteKeys(checkpointKey(h.cp1.size)),
    deep: true,
    want: [],
  },

  // ---- 'V': layout version, refused on open ----

  // ---- 'log': the sequence of records ----
  {
    name: 'an entry deleted from the middle',
    kind: 'log',
    edit: deleteKeys(entryKey(s.examineX1)),
    want: [P('ENTRY_MISSING', s.examineX1), ...lostExamination],
  },
  {
    name: 'the last entry deleted (nothing else)',
    kind: 'log',
    edit: deleteKeys(entryKey(s.last)),
    want: [P('STORE_HEAD_MISMATCH')],
  },
  {
    name: "an entry duplicated (entry i's bytes written at i+1)",
    kind: 'log',
    edit: async (db) => db.put(entryKey(s.transferX1 + 1), await getValue(db, entryKey(s.transferX1))),
    want: [
      P('SEQ_MISMATCH', s.acceptX1, h.x1),
      P('CHAIN_BROKEN', s.examineX1, h.x1),
      // With the accept replaced, x1 is still in transit: the examination is refused…
      P('EXHIBIT_IN_TRANSIT', s.examineX1, h.x1),
      // …and the later events of x1 and of its copy cascade, as for a lost examination.
      ...lostExamination.filter((p) => !p.startsWith('CHAIN_BROKEN')),
    ],
  },
  {
    name: 'two entries swapped',
    kind: 'log',
    edit: async (db) => {
      const a = await getValue(db, entryKey(s.registerX1));
      const b = await getValue(db, entryKey(s.registerX1 + 1));
      await db.put(entryKey(s.registerX1), b);
      await db.put(entryKey(s.registerX1 + 1), a);
    },
    want: [
      P('SEQ_MISMATCH', s.registerX1, h.x2),
      P('SEQ_MISMATCH', s.registerX1 + 1, h.x1),
      P('CHAIN_BROKEN', s.transferX1, h.x1),
      // Neither registration is accepted, so every later event of both exhibits (and of the
      // copy derived from x1) names an unknown exhibit.
      ...[s.transferX1, s.acceptX1, s.examineX1, s.transferX1Abroad, s.acceptX1Abroad].map((q) =>
        P('EXHIBIT_UNKNOWN', q, h.x1),
      ),
      ...[s.acceptX1Abroad + 1, s.acceptX1Abroad + 2].map((q) => P('EXHIBIT_UNKNOWN', q, h.x2)),
      ...[s.deriveCopy, ...copyEvents].map((q) => P('EXHIBIT_UNKNOWN', q, h.copy)),
      P('STORE_TREE_MISMATCH'),
    ],
  },
  {
    name: 'the tail dropped carelessly (the last 3 entries deleted, derived data left)',
    kind: 'log',
    edit: deleteKeys(entryKey(N - 1), entryKey(N - 2), entryKey(N - 3)),
    want: [P('STORE_HEAD_MISMATCH')],
  },
  {
    name: 'the tail dropped carefully (3 entries + their nodes, index rows, state, head, checkpoints): NOT detectable without a checkpoint',
    kind: 'log',
    edit: (db) => rewriteLedger(db, RECORDS.slice(0, N - 3)),
    deep: true,
    want: [],
  },
  {
    name: 'the tail dropped carefully, against the checkpoints kept earlier: LOG_TRUNCATED',
    kind: 'log',
    edit: (db) => rewriteLedger(db, RECORDS.slice(0, N - 3)),
    deep: true,
    checkpoints: [CP.cp1, CP.cp2],
    want: [P('LOG_TRUNCATED', N - 3)],
  },
  {
    name: 'the tail dropped, but a stored checkpoint beyond it left in place',
    kind: 'log',
    edit: async (db) => {
      const cp2 = await getValue(db, checkpointKey(h.cp2.size));
      await rewriteLedger(db, RECORDS.slice(0, N - 3));
      await db.put(checkpointKey(h.cp2.size), cp2);
    },
    deep: true,
    want: [P('STORE_CHECKPOINT_MISMATCH', h.cp2.size - 1)],
  },
];

// The careful insider who stole the revoked custodian's key: history after the
// revocation is replaced by entries signed with that key, derived data rewritten.
const revokedKeySteps = () => {
  const x = (exhibit: string, to: string) => ({
    signer: w.deCustodian.signer,
    event: {
      kind: 'transfer' as const,
      body: { exhibit, to, reason: 'returned to the NL police', legalBasis: 'MLA NL-DE 2026/9' },
    },
  });
  return [
    x(h.x1, w.nlCollector.id),
    x(h.x2, w.nlCollector.id),
    x(h.x1, w.frCourt.id),
    x(h.x2, w.frCourt.id),
    x(h.x1, w.nlExaminer.id),
    x(h.x2, w.nlExaminer.id),
  ];
};
const afterRevocation = appendForged(RECORDS.slice(0, s.revokeDeCustodian + 1), revokedKeySteps());
// The same thief, more careful: the history is rewritten from just before the revocation,
// which disappears; the custodian (not revoked in this history) legally hands both exhibits
// back and forth — only the custodian's key is needed.
const handBack = (exhibit: string, to: string, kind: 'transfer' | 'cancel') => ({
  signer: w.deCustodian.signer,
  event:
    kind === 'transfer'
      ? { kind, body: { exhibit, to, reason: 'returned', legalBasis: 'MLA NL-DE 2026/9' } }
      : { kind, body: { exhibit, reason: 'not needed after all' } },
});
const beforeRevocation = appendForged(RECORDS.slice(0, s.revokeDeCustodian), [
  handBack(h.x1, w.nlCollector.id, 'transfer'),
  handBack(h.x1, '', 'cancel'),
  handBack(h.x2, w.frCourt.id, 'transfer'),
  handBack(h.x2, '', 'cancel'),
  handBack(h.x1, w.frCourt.id, 'transfer'),
  handBack(h.x2, w.nlCollector.id, 'transfer'),
]);
cases.push(
  {
    name: 'history after a revocation rewritten and re-signed with the revoked key',
    kind: 'log',
    edit: async (db) => {
      await rewriteLedger(db, afterRevocation.records);
      await db.del(checkpointKey(h.cp2.size));
    },
    deep: true,
    checkpoints: [CP.cp1, CP.cp2],
    want: [
      ...afterRevocation.forged.map((f) => P('ACTOR_REVOKED', f.seq, exhibitOf(f.payload) ?? null)),
      P('CHECKPOINT_MISMATCH', h.cp2.size - 1),
    ],
  },
  ...[false, true].map(
    (withCheckpoint): Case => ({
      name: `history rewritten from just BEFORE the revocation with the stolen key (the revocation is gone)${withCheckpoint ? '' : ': NOT detectable without a checkpoint covering the revocation'}`,
      kind: 'log',
      edit: async (db) => {
        await rewriteLedger(db, beforeRevocation.records);
        await db.del(checkpointKey(h.cp2.size));
      },
      deep: true,
      ...(withCheckpoint ? { checkpoints: [CP.cp1, CP.cp2] } : {}),
      want: withCheckpoint ? [P('CHECKPOINT_MISMATCH', h.cp2.size - 1)] : [],
    }),
  ),
);

const kinds = new Map<Kind, number>();
for (const c of cases) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);

async function run(c: Case, deep: boolean) {
  const dir = copyLedger(BASE);
  await withRawDb(dir, c.edit);
  return verifyDir(dir, {
    deep,
    ...(c.checkpoints ? { checkpoints: c.checkpoints } : {}),
    ...(c.trust ? { trustedKeys: [AUTHORITY_KEY] } : {}),
  });
}

describe('the undamaged ledger', () => {
  it('verifies, deeply, anchored and against both checkpoints, with no problem at all', async () => {
    const r = await verifyDir(copyLedger(BASE), {
      deep: true,
      trustedKeys: [AUTHORITY_KEY],
      checkpoints: [CP.cp1, CP.cp2],
    });
    expect(r.report.problems).toEqual([]);
    expect(r.report.anchored).toBe(true);
    expect(r.report.entries).toBe(N);
    expect(N).toBe(24);
  });
});

describe('tampering with the stored records, case by case', () => {
  for (const c of cases) {
    const how = `${c.checkpoints ? ' (with checkpoints)' : ''}${c.deep ? ' [deep]' : ''}`;
    it(`${c.kind}: ${c.name}${how}`, async () => {
      const r = await run(c, c.deep ?? false);
      expect(pointers(r.report), JSON.stringify(r.report.problems, null, 1)).toEqual([...c.want].sort());
      expect(r.report.ok).toBe(c.want.length === 0);
      if (c.message) expect(r.report.problems.map((p) => p.message).join('\n')).toMatch(c.message);
      if (c.shallow) {
        const plain = await run(c, false);
        expect(pointers(plain.report), 'plain verify').toEqual([...c.shallow].sort());
      }
    });
  }

  it('V: the layout version byte changed: the store refuses to open it (STORE_VERSION)', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => flipByte(db, VERSION_KEY, 0, 0x02));
    const e = await LevelStore.open(dir, 'open').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).code).toBe('STORE_VERSION');
  });

  it(`covers every kind of stored record (${cases.length + 1} cases)`, () => {
    expect(new Set([...kinds.keys(), 'V'])).toEqual(
      new Set(['e', 'n', 'X', 'A', 'x', 'a', 'H', 'c', 'V', 'log']),
    );
    expect(cases.length + 1).toBeGreaterThanOrEqual(40);
    process.stderr.write(
      `tamper cases: ${cases.length + 1} (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}, V 1), of which ${cases.filter((c) => c.want.length === 0).length} document damage not detectable that way\n`,
    );
  });
});

// ---------------------------------------------------------------------------

describe('insiders and forgers beyond byte flips', () => {
  it('tampered derived state makes the ledger accept what the rules forbid; verify finds the entry (NOT_AUTHORITY)', async () => {
    // The insider makes the collector "the authority" in the head and in its actor record.
    const dir = copyLedger(BASE);
    await withRawDb(dir, async (db) => {
      await rewriteHead((hd) => {
        hd['authority'] = w.nlCollector.id;
      })(db);
      const key = actorKey(w.nlCollector.id);
      const a = decodeState<ActorRecord>(await getValue(db, key), 'actor', looksLikeActor);
      await db.put(key, encodeState({ ...a, roles: ['authority', ...a.roles] }));
    });
    const ledger = await Ledger.open(await LevelStore.open(dir, 'open'));
    const sock = seededSigner('sock puppet');
    const a = await ledger.append(
      {
        kind: 'enrol',
        body: {
          publicKey: sock.publicKey,
          name: 'Sock puppet',
          roles: ['court'],
          jurisdiction: 'NL',
          org: 'x',
        },
      },
      w.nlCollector.signer,
    );
    await ledger.close();
    // The plain verify replays the records only: the enrolment breaks the rules.
    const plain = await verifyDir(dir);
    expect(pointers(plain.report)).toEqual([P('NOT_AUTHORITY', a.seq), P('STORE_HEAD_MISMATCH')]);
    // The deep audit also names the doctored actor record.
    const deep = await verifyDir(dir, { deep: true });
    expect(pointers(deep.report)).toContain(P('STORE_STATE_MISMATCH'));
  });

  describe('a whole ledger replaced by a self-consistent forgery (other keys, same origin and names)', () => {
    let dir: string;
    const forgedDir = join(tempDir(), 'forged');

    it('is consistent and verifies deeply without a trust anchor: NOT detectable that way', async () => {
      const f = await forgeHistory(await LevelStore.open(forgedDir, 'create'));
      await f.world.ledger.close();
      dir = copyLedger(forgedDir);
      const r = await verifyDir(dir, { deep: true });
      expect(r.report.problems).toEqual([]);
      expect(r.report.origin).toBe('custody.test/nl-nfi');
      expect(r.report.entries).toBe(N);
      expect(r.report.anchored).toBe(false);
    });

    it('is found with the pinned authority key: ANCHOR_MISMATCH at entry 0', async () => {
      const r = await verifyDir(dir, { trustedKeys: [AUTHORITY_KEY] });
      expect(pointers(r.report)).toEqual([P('ANCHOR_MISMATCH', 0)]);
    });

    it('is found against a checkpoint kept earlier: CHECKPOINT_MISMATCH', async () => {
      const r = await verifyDir(dir, { checkpoints: [CP.cp1] });
      expect(pointers(r.report)).toEqual([P('CHECKPOINT_MISMATCH', h.cp1.size - 1)]);
    });

    it('custody verify --trust <authority key> exits 1 with ANCHOR_MISMATCH', async () => {
      const r = await custody([
        'verify',
        '--ledger',
        dir,
        '--trust',
        Buffer.from(AUTHORITY_KEY).toString('base64'),
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(r.stdout) as { problems: { code: string; seq: number | null }[] };
      expect(report.problems.map((p) => `${p.code}@${p.seq}`)).toEqual(['ANCHOR_MISMATCH@0']);
      expect(r.stderr).toMatch(
        /^custody: verification failed: 1 problem, first ANCHOR_MISMATCH at entry 0 \[VERIFICATION_FAILED\]\n$/,
      );
    });
  });

  it('custody verify --checkpoint <checkpoint kept earlier> exits 1 with LOG_TRUNCATED on a carefully truncated copy', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => rewriteLedger(db, RECORDS.slice(0, N - 3)));
    const file = join(tempDir(), 'cp2.txt');
    writeFileSync(file, h.cp2.note);
    const clean = await custody(['verify', '--ledger', dir, '--deep', '--json']);
    expect(clean.code, 'without the checkpoint the truncation is not visible').toBe(0);
    const r = await custody(['verify', '--ledger', dir, '--deep', '--checkpoint', file, '--json']);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { problems: { code: string; seq: number | null }[] };
    expect(report.problems.map((p) => `${p.code}@${p.seq}`)).toEqual([`LOG_TRUNCATED@${N - 3}`]);
  });

  it('the case table covers every kind of key the store holds', async () => {
    // Guards the table: if the store grows a new kind of key, this fails until a case covers it.
    const prefixes = await withRawDb(BASE, async (db) => {
      const seen = new Set<string>();
      for await (const k of db.keys()) seen.add(String.fromCharCode(k[0]!));
      return seen;
    });
    expect([...prefixes].sort()).toEqual(['A', 'H', 'V', 'X', 'a', 'c', 'e', 'n', 'x']);
    expect((await withRawDb(BASE, (db) => keysWithPrefix(db, 'c'))).length).toBe(2);
  });
});

// ---------------------------------------------------------------------------
// Regression (was a bug in src/ledger/audit.ts): the deep audit reads all exhibit records, and all actor
// records, inside ONE guard() each. A record that no longer decodes makes the store's
// listExhibits()/listActors() throw: the audit reports a single
//   STORE_CORRUPT (seq null, exhibit null) "exhibit records could not be read: stored exhibit is damaged"
// that names no record, and stops auditing the records of that kind — so an alteration of
// another record of the same kind that still decodes goes unreported.
//   input:    flip byte 0 of the 'X' value of one exhibit (or 'A' of one actor) with the `level` package
//   expected: a problem naming that exhibit (or actor), and every other damaged record still reported
//   actual:   one STORE_CORRUPT naming nothing; other damaged records of the kind not reported
describe('regression: a state record that no longer decodes is not named and hides other damage', () => {
  const named = (r: { problems: { code: string; exhibit: string | null; message: string }[] }, id: string) =>
    r.problems.some(
      (p) =>
        (p.code === 'STORE_STATE_MISMATCH' || p.code === 'STORE_CORRUPT') &&
        (p.exhibit === id || p.message.includes(id)),
    );

  it('an undecodable exhibit record is reported without naming the exhibit', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => flipByte(db, exhibitKey(h.x1), 0, 0xff));
    const r = await verifyDir(dir, { deep: true });
    expect(r.report.ok).toBe(false);
    expect(named(r.report, h.x1), JSON.stringify(r.report.problems)).toBe(true);
  });

  it('an undecodable actor record is reported without naming the actor', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => flipByte(db, actorKey(w.frCourt.id), 0, 0xff));
    const r = await verifyDir(dir, { deep: true });
    expect(r.report.ok).toBe(false);
    expect(named(r.report, w.frCourt.id), JSON.stringify(r.report.problems)).toBe(true);
  });

  it('after an undecodable exhibit record, a doctored one that still decodes goes unreported', async () => {
    const [first, second] = [h.x1, h.x2, h.copy, h.x3].sort();
    const dir = copyLedger(BASE);
    await withRawDb(dir, async (db) => {
      await flipByte(db, exhibitKey(first!), 0, 0xff);
      await flipByte(
        db,
        exhibitKey(second!),
        offsetOf(await getValue(db, exhibitKey(second!)), 'NL-2026'),
        0x01,
      );
    });
    const r = await verifyDir(dir, { deep: true });
    expect(pointers(r.report)).toContain(P('STORE_STATE_MISMATCH', null, second!));
  });
});

describe('what the ledger serves from damaged derived data', () => {
  /** A copy with the right-edge node 3/2 damaged, on which the log key then signs a checkpoint. */
  async function signedOverDamage() {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => flipByte(db, nodeKey(3, 2), 0));
    const ledger = await Ledger.open(await LevelStore.open(dir, 'open'));
    const cp = await checkpointLedger(ledger, w.authority.signer);
    await ledger.close();
    return { dir, cp };
  }

  it('a damaged node on the right edge makes `checkpoint` sign a root the records do not have (caught downstream)', async () => {
    // Documented behaviour (docs/THREAT-MODEL.md): signing a checkpoint trusts the stored tree;
    // only the previous checkpoint is checked to be a prefix. Run `custody verify` before signing.
    const { dir, cp } = await signedOverDamage();
    expect(cp).toMatchObject({ size: N, created: true });
    // The log key has signed a false statement; anyone holding it finds the mismatch…
    const r = await verifyDir(copyLedger(BASE), { checkpoints: [expectation(cp.note)] });
    expect(pointers(r.report)).toEqual([P('CHECKPOINT_MISMATCH', N - 1)]);
    // …and a plain verify of the damaged ledger reports the tree.
    expect(pointers((await verifyDir(dir)).report)).toEqual([P('STORE_TREE_MISMATCH')]);
  });

  it('the deep audit does not name a stored checkpoint that is false of the records but true of the damaged tree', async () => {
    // Regression (was a bug in src/ledger/audit.ts, step 5): a stored checkpoint is compared with rootAt(store, size),
    // i.e. with the STORED tree nodes, not with the root of the records (result.report.root for
    // the full size). A checkpoint signed over a damaged tree therefore passes the audit.
    //   input:    flip a byte of node n/3/2 (size 24), open the ledger, `custody checkpoint --key`
    //   expected: verify --deep reports STORE_CHECKPOINT_MISMATCH at entry 23 (the comment of the
    //             audit: "Stored checkpoints: well-formed, signed by a log key, and true of the records")
    //   actual:   only STORE_NODE_MISMATCH and STORE_TREE_MISMATCH
    const { dir } = await signedOverDamage();
    const d = await verifyDir(dir, { deep: true });
    expect(pointers(d.report)).toContain(P('STORE_CHECKPOINT_MISMATCH', N - 1));
  });
});

// ---------------------------------------------------------------------------
// Could a flipped byte in a head or state record go unnoticed because it still
// decodes to the same value (the state codec, src/store/codec.ts, need not be
// canonical)? Decided by testing, at every byte: each change either fails to
// decode or decodes to a different value, which verify (head) or verify --deep
// (state) then reports.

class Doctored extends FaultyStore {
  head: Uint8Array | undefined;
  exhibitId = '';
  exhibitBytes: Uint8Array | undefined;

  override async readHead() {
    if (!this.head) return this.inner.readHead();
    return decodeState<StateHead>(this.head, 'head', looksLikeHead);
  }
  override async exhibit(id: string) {
    if (id === this.exhibitId && this.exhibitBytes)
      return decodeState<ExhibitRecord>(this.exhibitBytes, 'exhibit', looksLikeExhibit);
    return this.inner.exhibit(id);
  }
  override async *listExhibits() {
    for await (const x of this.inner.listExhibits())
      yield x.id === this.exhibitId && this.exhibitBytes
        ? decodeState<ExhibitRecord>(this.exhibitBytes, 'exhibit', looksLikeExhibit)
        : x;
  }
}

describe('single-byte changes of the head and of a state record never re-encode identically', () => {
  it('every byte of the head (XOR 0x01, 0x80): STORE_HEAD_MISSING or STORE_HEAD_MISMATCH, never ok', async () => {
    const m = await buildHistory(new MemoryStore());
    const store = new Doctored(m.world.store);
    // A copy: the encoder may return a Buffer, whose slice() would be a view.
    const original = Uint8Array.from(encodeState((await m.world.store.readHead())!));
    let cases = 0;
    for (let at = 0; at < original.length; at++)
      for (const mask of [0x01, 0x80]) {
        store.head = Uint8Array.from(original);
        store.head[at]! ^= mask;
        const r = await verifyStore(store, { threads: 1 });
        expect(pointers(r.report), `byte ${at} ^ ${mask}`).toEqual(
          expect.arrayContaining([expect.stringMatching(/^STORE_HEAD_(MISSING|MISMATCH)@/)]),
        );
        cases++;
      }
    expect(cases).toBe(original.length * 2);
  });

  it("every byte of an exhibit's state record (XOR 0x01): STORE_STATE_MISMATCH naming the exhibit, never ok", async () => {
    const m = await buildHistory(new MemoryStore());
    const store = new Doctored(m.world.store);
    store.exhibitId = m.x1;
    const original = Uint8Array.from(encodeState((await m.world.store.exhibit(m.x1))!));
    const seen = new Set<string>();
    for (let at = 0; at < original.length; at++) {
      store.exhibitBytes = Uint8Array.from(original);
      store.exhibitBytes[at]! ^= 0x01;
      const r = await verifyStore(store, { threads: 1, deep: true });
      const codes = pointers(r.report);
      expect(r.report.ok, `byte ${at}`).toBe(false);
      expect(codes, `byte ${at}`).toEqual(
        expect.arrayContaining([expect.stringMatching(/^STORE_STATE_MISMATCH@-\/EX-/)]),
      );
      for (const c of codes) seen.add(c.split('@')[0]!);
    }
    // Damaged (undecodable) or doctored, the audit names the exhibit either way (an
    // undecodable record also makes the listing of all records report STORE_CORRUPT).
    expect(seen.has('STORE_STATE_MISMATCH')).toBe(true);
    expect([...seen].every((c) => c === 'STORE_STATE_MISMATCH' || c === 'STORE_CORRUPT')).toBe(true);
  });
});
