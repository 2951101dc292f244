/**
 * Insider tampering with a format v2 ledger on disk, beyond the one-edit
 * cases of test/verify/log-tamper.test.ts (a byte of an entry, payload or
 * openings, an exhibit record deleted or edited, checkpoints forged, moved or
 * mangled, the head's time, an entry deleted) — those are not repeated here.
 *
 * A ledger with cross-border hand-overs, an examination, a derived copy
 * handed to a court and disposed of, a revocation and two checkpoints is
 * built once. Each case damages a COPY of its directory through the `level`
 * package directly (what an insider with disk access can do) or rebuilds it
 * with the ledger's own code (the careful insider), then verifies it with
 * verifyLogStore, anchored to the authority key. Every case states what must
 * be reported — codes and entries; a case that must stay ok documents damage
 * that is NOT detectable from the store alone (docs/THREAT-MODEL.md).
 *
 * Damage verifyLogStore does not detect at all (map branches, the statement
 * index, exhibit events, tree nodes off the checked edges) is reproduced in
 * ./store-audit.test.ts; here, what the ledger does with it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { signCosignature } from '../../src/checkpoint/cosignature.js';
import { parseNote } from '../../src/checkpoint/note.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { NS, shortBits } from '../../src/custody/records.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';
import { decodeEntry, encodeEntry } from '../../src/format/entry.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { decodeHead, encodeHead } from '../../src/store/log-head.js';
import { K } from '../../src/store/log-keys.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogHead } from '../../src/store/log-store.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { ACTORS, AUTHORITY, digestOf, LOG, seededSigner, sign, submit } from './lib/cast.js';
import { type Cli, prepareCli } from './lib/cli.js';
import { buildHistory, entryTimes, impostors, rebuild, SIGNING } from './lib/history.js';
import {
  copyLedger,
  type DB,
  flipByte,
  getValue,
  keysWithPrefix,
  pointers,
  removeTempDirs,
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
const h = await buildHistory(await LevelLogStore.open(BASE, 'create'));
const at = h.at;
const N = h.size;
const TIMES = await withStore(BASE, entryTimes);
const rootOf = (note: string) => {
  const cp = parseCheckpoint(parseNote(note).text);
  return { size: cp.size, root: cp.root };
};
const CP = { cp1: rootOf(h.cp1.note), cp2: rootOf(h.cp2.note) };
const TRUST = { trustedKeys: [AUTHORITY.signer.publicKey], logKeys: [LOG.publicKey] };

async function withStore<T>(dir: string, f: (s: LevelLogStore) => Promise<T>): Promise<T> {
  const s = await LevelLogStore.open(dir, 'open');
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

const P = (code: string, seq: number | null = null) => `${code}@${seq ?? '-'}`;
const decoded = (b: Uint8Array) => {
  const r = decodeCanonical(b);
  if ('error' in r) throw new Error('test setup: not canonical');
  return r.value as Record<string, Canonical>;
};
const swap = (a: Uint8Array, b: Uint8Array) => async (db: DB) => {
  const [va, vb] = [await getValue(db, a), await getValue(db, b)];
  await db.put(a, vb);
  await db.put(b, va);
};
const editRecord = (ns: string, key: Uint8Array, change: Record<string, Canonical>) => async (db: DB) => {
  const r = decoded(await getValue(db, K.record(ns, key)));
  await db.put(K.record(ns, key), encodeCanonical({ ...r, ...change }));
};
const editHead = (change: Partial<LogHead>) => async (db: DB) => {
  await db.put(K.head, encodeHead({ ...decodeHead(await getValue(db, K.head)), ...change }));
};
/** The careful insider: the directory rebuilt by the ledger's own code from these statements. */
const rebuilt =
  (
    statements: () => { bytes: Uint8Array; openingBytes?: Uint8Array | undefined }[],
    keepCheckpoints: number[],
  ) =>
  async () => {
    const to = join(tempDir(), 'ledger');
    await rebuild(await LevelLogStore.open(to, 'create'), statements(), TIMES);
    const notes = new Map([
      [h.cp1.size, h.cp1.note],
      [h.cp2.size, h.cp2.note],
    ]);
    await withRawDb(to, async (db) => {
      for (const size of keepCheckpoints)
        await db.put(K.checkpoint(size), new TextEncoder().encode(notes.get(size)));
    });
    return to;
  };

type Prefix = 'E' | 'P' | 'O' | 'n' | 'M' | 'R' | 'S' | 'x' | 'c' | 'H' | 'V' | 'log';

interface Case {
  name: string;
  /** The kind of stored data damaged ('log': the sequence of statements as a whole). */
  kind: Prefix;
  /** Raw edits to a copy, or a directory the careful insider made instead. */
  edit?: (db: DB) => Promise<void>;
  replace?: () => Promise<string>;
  /** Roots kept from earlier checkpoints. */
  checkpoints?: { size: number; root: Uint8Array }[];
  /** Exactly these problems; [] = not detectable from the store. */
  want?: string[];
  /** These problems at least, and problems of exactly these codes. */
  contains?: string[];
  codes?: string[];
}

const revokedAt = at.revokeDeCustodian;
const prefixOf = (n: number) => h.statements.slice(0, n);
/**
 * The thief of the custodian's key rewrites history from just before the
 * custodian's revocation, which disappears: with the key still valid in that
 * history, both exhibits are legally handed back and taken on (22 entries,
 * past the checkpoint kept after the revocation).
 */
const stolenKeyHistory = () => {
  const heads = new Map([
    [Buffer.from(h.x1).toString('hex'), h.statements[at.acceptX1Abroad]!.id],
    [Buffer.from(h.x2).toString('hex'), h.statements[at.acceptX2]!.id],
  ]);
  const step = (
    x: Uint8Array,
    kind: string,
    by: (typeof ACTORS)[keyof typeof ACTORS],
    fields: Record<string, Canonical>,
  ) => {
    const k = Buffer.from(x).toString('hex');
    const s = sign({ kind, signer: by.signer, fields, exhibit: x, after: heads.get(k)!, clock: SIGNING });
    heads.set(k, s.id);
    return s;
  };
  const back = { reason: 'returned', legalBasis: 'MLA NL-DE 2026/9' };
  return [
    ...prefixOf(revokedAt),
    step(h.x1, 'transfer', ACTORS.deCustodian, { to: ACTORS.collector.id, ...back }),
    step(h.x2, 'transfer', ACTORS.deCustodian, { to: ACTORS.frCourt.id, ...back }),
    step(h.x1, 'accept', ACTORS.collector, { seal: 'intact' }),
    step(h.x2, 'accept', ACTORS.frCourt, { seal: 'intact' }),
    step(h.x1, 'transfer', ACTORS.collector, { to: ACTORS.nlExaminer.id, reason: 'examination' }),
    step(h.x1, 'accept', ACTORS.nlExaminer, { seal: 'intact' }),
  ];
};

const CASES: Case[] = [
  // ---- E, P: entries and payloads moved as pairs (each pair still matches) ----
  {
    name: 'two entries swapped with their payloads and openings (the registrations of x1 and x2)',
    kind: 'E',
    edit: async (db) => {
      for (const k of [K.entry, K.payload, K.openings]) await swap(k(at.registerX1), k(at.registerX2))(db);
    },
    // Every later `seen` names a tree that no longer exists: the revocation is refused.
    contains: [
      P('ENTRY_INDEX_MISMATCH', at.registerX1),
      P('ENTRY_INDEX_MISMATCH', at.registerX2),
      P('ENTRY_TIME_REGRESSION', at.registerX2),
      P('MAP_ROOT_MISMATCH', at.registerX1),
      P('SEEN_MISMATCH', at.revokeDeCustodian),
      P('CHECKPOINT_ROOT_MISMATCH'),
    ],
  },
  {
    name: "an entry duplicated with its payload (x1's hand-over written again over the accept)",
    kind: 'E',
    edit: async (db) => {
      await db.put(K.entry(at.acceptX1), await getValue(db, K.entry(at.transferX1)));
      await db.put(K.payload(at.acceptX1), await getValue(db, K.payload(at.transferX1)));
      await db.del(K.openings(at.acceptX1));
    },
    contains: [P('ENTRY_INDEX_MISMATCH', at.acceptX1), P('STATEMENT_DUPLICATE', at.acceptX1)],
  },
  {
    name: 'an entry re-encoded with a log time earlier than the one before it',
    kind: 'E',
    edit: async (db) => {
      const e = decodeEntry(await getValue(db, K.entry(at.acceptX1))).entry;
      await db.put(K.entry(at.acceptX1), encodeEntry({ ...e, time: TIMES[at.transferX1]! - 1 }));
    },
    contains: [
      P('ENTRY_TIME_REGRESSION', at.acceptX1),
      P('SEEN_MISMATCH', at.revokeDeCustodian),
      P('STORE_TREE_MISMATCH'),
      P('CHECKPOINT_ROOT_MISMATCH'),
    ],
    codes: [
      'ENTRY_TIME_REGRESSION',
      'SEEN_MISMATCH',
      'MAP_ROOT_MISMATCH',
      'STORE_TREE_MISMATCH',
      'CHECKPOINT_ROOT_MISMATCH',
      'STORE_HEAD_MISMATCH',
      'STORE_RECORD_MISMATCH',
      // The replay's map is not the stored one from the refused statement on.
      'STORE_MAP_MISMATCH',
    ],
  },
  {
    name: 'a payload replaced by a statement of a stranger, the entry re-encoded to commit to it',
    kind: 'P',
    edit: async (db) => {
      const forged = sign({
        kind: 'examine',
        signer: ACTORS.frCourt.signer,
        fields: { action: 'imaged' },
        exhibit: h.x1,
        after: h.statements[at.acceptX1]!.id,
        clock: SIGNING,
      });
      const e = decodeEntry(await getValue(db, K.entry(at.examineX1))).entry;
      await db.put(K.payload(at.examineX1), forged.bytes);
      await db.put(K.entry(at.examineX1), encodeEntry({ ...e, payloadHash: sha256(forged.bytes) }));
    },
    contains: [P('NOT_HOLDER', at.examineX1), P('EXHIBIT_LINK_BROKEN', at.deriveCopy)],
  },

  // ---- n: tree nodes (each is audited, and the roots built from them) ----
  {
    name: 'a node on the right edge of the whole tree',
    kind: 'n',
    edit: (db) => flipByte(db, K.treeNode(1, 10), 0),
    // The root at the end, and the node itself (complete with entry 21).
    want: [P('STORE_TREE_MISMATCH'), P('STORE_TREE_MISMATCH', 21)],
  },
  {
    name: "a node on the right edge of the first checkpoint's tree only",
    kind: 'n',
    edit: (db) => flipByte(db, K.treeNode(1, 6), 31),
    want: [P('STORE_TREE_MISMATCH'), P('STORE_TREE_MISMATCH', 13)],
  },
  {
    name: 'a node shared by the last checkpoint and the whole tree, cut to 31 bytes',
    kind: 'n',
    edit: async (db) => db.put(K.treeNode(2, 4), (await getValue(db, K.treeNode(2, 4))).slice(1)),
    want: [P('STORE_TREE_MISMATCH'), P('STORE_TREE_MISMATCH'), P('STORE_TREE_MISMATCH', 19)],
  },
  {
    name: 'the largest complete subtree deleted',
    kind: 'n',
    edit: (db) => db.del(K.treeNode(4, 0)),
    want: [P('STORE_TREE_MISMATCH'), P('STORE_TREE_MISMATCH'), P('STORE_TREE_MISMATCH', 15)],
  },

  // ---- R: records other than an exhibit's ----
  {
    name: "an actor's key record given the registrar role",
    kind: 'R',
    edit: editRecord(NS.key, ACTORS.frCourt.id, { roles: ['court', 'registrar'] }),
    want: [P('STORE_RECORD_MISMATCH')],
  },
  {
    name: 'the ledger record deleted',
    kind: 'R',
    edit: (db) => db.del(K.record(NS.ledger, new Uint8Array(0))),
    want: [P('STORE_RECORD_MISSING')],
  },
  {
    name: 'a short-id index record deleted (the exhibit no longer found by its EX- id)',
    kind: 'R',
    edit: (db) => db.del(K.record(NS.short, encodeCanonical(['EX', shortBits(h.x1), 0]))),
    want: [P('STORE_RECORD_MISSING')],
  },
  {
    name: 'an exhibit record added that no entry wrote',
    kind: 'R',
    edit: async (db) =>
      db.put(
        K.record(NS.exhibit, sha256(new TextEncoder().encode('phantom'))),
        await getValue(db, K.record(NS.exhibit, h.x3)),
      ),
    want: [P('STORE_RECORD_EXTRA')],
  },
  {
    name: 'a label index record added that no entry wrote (a second exhibit under the label)',
    kind: 'R',
    edit: (db) =>
      db.put(
        K.record(NS.label, encodeCanonical(['NL-2026-0042', 'HDD-01', 1])),
        encodeCanonical({ v: 1, id: h.x3 }),
      ),
    want: [P('STORE_RECORD_EXTRA')],
  },

  // ---- H: the head ----
  {
    name: 'the head deleted',
    kind: 'H',
    edit: (db) => db.del(K.head),
    want: [P('STORE_HEAD_MISSING')],
  },
  {
    name: 'the head claims one entry more',
    kind: 'H',
    edit: editHead({ size: N + 1 }),
    want: [P('STORE_HEAD_MISMATCH')],
  },
  {
    name: "the head's map size changed",
    kind: 'H',
    edit: editHead({ mapSize: 1 }),
    want: [P('STORE_HEAD_MISMATCH')],
  },
  {
    name: "the head's map root replaced by a leaf that hashes to nothing it says",
    kind: 'H',
    edit: editHead({ mapRootLeaf: { path: new Uint8Array(32), value: new Uint8Array(32) } }),
    want: [P('STORE_HEAD_MISMATCH')],
  },

  // ---- c: stored checkpoints ----
  {
    name: 'a stored checkpoint deleted: NOT detectable from the store (keep checkpoints elsewhere)',
    kind: 'c',
    edit: (db) => db.del(K.checkpoint(h.cp1.size)),
    want: [],
  },
  {
    name: "a stranger's witness cosignature added to a stored checkpoint: ignored, still ok",
    kind: 'c',
    edit: async (db) => {
      const note =
        h.cp2.note +
        signCosignature(
          parseNote(h.cp2.note).text,
          'stranger.example',
          seededSigner('stranger'),
          1_780_000_000,
        );
      await db.put(K.checkpoint(h.cp2.size), new TextEncoder().encode(note));
    },
    want: [],
  },

  // ---- log: the careful insider rebuilds the directory with the ledger's own code ----
  {
    name: 'the last 3 statements dropped, everything rebuilt, checkpoints beyond removed: NOT detectable without a checkpoint',
    kind: 'log',
    replace: rebuilt(() => prefixOf(N - 3), [h.cp1.size]),
    want: [],
  },
  {
    name: 'the same, against the checkpoints kept earlier: LOG_TRUNCATED',
    kind: 'log',
    replace: rebuilt(() => prefixOf(N - 3), [h.cp1.size]),
    checkpoints: [CP.cp1, CP.cp2],
    want: [P('LOG_TRUNCATED')],
  },
  {
    name: 'the same, but the stored checkpoint beyond the new end left in place',
    kind: 'log',
    replace: rebuilt(() => prefixOf(N - 3), [h.cp1.size, h.cp2.size]),
    want: [P('CHECKPOINT_BEYOND_LOG')],
  },
  {
    name: "history rewritten from just before the custodian's revocation with the custodian's stolen key: NOT detectable without a checkpoint covering the revocation",
    kind: 'log',
    replace: rebuilt(stolenKeyHistory, [h.cp1.size]),
    checkpoints: [CP.cp1],
    want: [],
  },
  {
    name: 'the same, against the checkpoint kept after the revocation: CHECKPOINT_MISMATCH',
    kind: 'log',
    replace: rebuilt(stolenKeyHistory, [h.cp1.size]),
    checkpoints: [CP.cp1, CP.cp2],
    want: [P('CHECKPOINT_MISMATCH')],
  },
];

async function damaged(c: Case): Promise<string> {
  if (c.replace) return c.replace();
  const dir = copyLedger(BASE);
  if (c.edit) await withRawDb(dir, c.edit);
  return dir;
}

describe('the undamaged ledger', () => {
  it('verifies, anchored to the authority and the log key, against both checkpoints, with no problem at all', async () => {
    const r = await verifyDir(copyLedger(BASE), { ...TRUST, checkpoints: [CP.cp1, CP.cp2] });
    expect(r.report.problems).toEqual([]);
    expect(r.report).toMatchObject({ ok: true, anchored: true, entries: N, exhibits: 4, actors: 7 });
    expect(N).toBe(23);
    expect([h.cp1.size, h.cp2.size]).toEqual([14, 21]);
  });
});

describe('tampering with the stored data, case by case', () => {
  for (const c of CASES)
    it(`${c.kind}: ${c.name}`, async () => {
      const dir = await damaged(c);
      const r = await verifyDir(dir, { ...TRUST, ...(c.checkpoints ? { checkpoints: c.checkpoints } : {}) });
      const got = pointers(r.report);
      const ctx = JSON.stringify(r.report.problems, null, 1);
      if (c.want) expect(got, ctx).toEqual([...c.want].sort());
      for (const p of c.contains ?? []) expect(got, ctx).toContain(p);
      if (c.codes)
        expect([...new Set(r.report.problems.map((p) => p.code))].sort(), ctx).toEqual([...c.codes].sort());
      expect(r.report.ok).toBe(got.length === 0);
    });
});

// ---------------------------------------------------------------------------

describe('what the ledger does with damaged derived data', () => {
  const transferX2 = (by: (typeof ACTORS)[keyof typeof ACTORS]) =>
    sign({
      kind: 'transfer',
      signer: by.signer,
      fields: { to: ACTORS.collector.id, reason: 'returned', legalBasis: 'MLA FR-NL 2026/117' },
      exhibit: h.x2,
      after: h.statements[at.acceptX2]!.id,
    });

  const newRegistration = () =>
    sign({
      kind: 'register',
      signer: ACTORS.collector.signer,
      fields: {
        label: 'NEW-01',
        caseRef: 'NL-2026-0042',
        description: 'new',
        digests: digestOf('new'),
        size: 3,
      },
    });

  it('a doctored exhibit record is refused when first needed (STORE_CORRUPT, checked against the map): a hand-over by someone who does not hold the exhibit is never judged on it', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, editRecord(NS.exhibit, h.x2, { holder: ACTORS.frCourt.id }));
    const ledger = await LogLedger.open(await LevelLogStore.open(dir, 'open'));
    try {
      await expect(submit(ledger, transferX2(ACTORS.frCourt))).rejects.toMatchObject({
        code: 'STORE_CORRUPT',
      });
      expect(ledger.size).toBe(N);
      expect((await ledger.store.readHead())?.size).toBe(N);
    } finally {
      await ledger.close();
    }
    const r = await verifyDir(dir, TRUST);
    expect(pointers(r.report)).toContain(P('STORE_RECORD_MISMATCH'));
    expect(r.report.ok).toBe(false);
    // The control: on an undamaged copy the rules themselves refuse it.
    const control = await LogLedger.open(await LevelLogStore.open(copyLedger(BASE), 'open'));
    await expect(submit(control, transferX2(ACTORS.frCourt))).rejects.toMatchObject({ code: 'NOT_HOLDER' });
    await control.close();
  });

  it('a doctored ledger record that makes a collector "the authority" is refused when first needed (STORE_CORRUPT): the forbidden enrolment is never appended', async () => {
    const dir = copyLedger(BASE);
    // The head is read before the damage: the view would refuse the doctored record too.
    const head = await withStore(dir, async (s) => (await new LedgerView(s).ledger()).head);
    await withRawDb(dir, editRecord(NS.ledger, new Uint8Array(0), { authority: ACTORS.collector.id }));
    const ledger = await LogLedger.open(await LevelLogStore.open(dir, 'open'));
    const puppet = seededSigner('sock puppet');
    const enrol = sign({
      kind: 'enrol',
      signer: ACTORS.collector.signer,
      fields: {
        key: [1, puppet.publicKey],
        purpose: 1,
        roles: ['court'],
        jurisdiction: 'NL',
        name: 'Sock puppet',
        org: 'x',
      },
      after: head,
      seen: { size: ledger.size, root: ledger.root() },
    });
    try {
      await expect(submit(ledger, enrol)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
      expect(ledger.size).toBe(N);
    } finally {
      await ledger.close();
    }
    const r = await verifyDir(dir, TRUST);
    expect(pointers(r.report)).toContain(P('STORE_RECORD_MISMATCH'));
  });

  it.each([
    ['flipped', (db: DB, k: Uint8Array) => flipByte(db, k, -1), 'MAP_NODE_MALFORMED'],
    ['deleted', (db: DB, k: Uint8Array) => db.del(k), 'MAP_NODE_MISSING'],
  ] as const)(
    'a state map branch %s: the ledger refuses what needs it (%s) and writes nothing',
    async (_how, damage, code) => {
      const dir = copyLedger(BASE);
      const root = await withStore(dir, async (s) => (await s.readHead())!.mapRoot);
      await withRawDb(dir, (db) => damage(db, K.mapNode(root)));
      const ledger = await LogLedger.open(await LevelLogStore.open(dir, 'open'));
      try {
        await expect(submit(ledger, newRegistration())).rejects.toMatchObject({ code });
        expect(ledger.size).toBe(N);
        expect((await ledger.store.readHead())?.size).toBe(N);
      } finally {
        await ledger.close();
      }
      // The control: on an undamaged copy the same statement is accepted.
      const control = await LogLedger.open(await LevelLogStore.open(copyLedger(BASE), 'open'));
      expect((await submit(control, newRegistration())).index).toBe(N);
      await control.close();
    },
  );

  it('a damaged node on the right edge makes the log key sign a checkpoint whose root the entries do not have; verify catches it', async () => {
    // Documented (docs/THREAT-MODEL.md): signing trusts the stored tree; run custody verify before signing.
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => flipByte(db, K.treeNode(1, 10), 0));
    const cp = await withStore(dir, (s) => signLogCheckpoint(new LedgerView(s), LOG));
    expect(cp).toMatchObject({ size: N, created: true });
    const r = await verifyDir(dir, TRUST);
    expect(pointers(r.report)).toEqual([
      P('CHECKPOINT_ROOT_MISMATCH'),
      P('STORE_TREE_MISMATCH'),
      P('STORE_TREE_MISMATCH', 21),
    ]);
    // Anyone holding that checkpoint finds it false of the undamaged ledger too.
    const clean = await verifyDir(copyLedger(BASE), { ...TRUST, checkpoints: [rootOf(cp.note)] });
    expect(pointers(clean.report)).toEqual([P('CHECKPOINT_MISMATCH')]);
  });
});

describe('single-byte changes of the head never go unnoticed', () => {
  class Doctored extends FaultyStore {
    head: Uint8Array | undefined;
    override async readHead() {
      return this.head ? decodeHead(this.head) : this.inner.readHead();
    }
  }

  it('every byte of the head (XOR 0x01, 0x80): STORE_HEAD_MISSING or STORE_HEAD_MISMATCH, never ok', async () => {
    const m = await buildHistory(new MemoryLogStore(), { keepOpen: true });
    const store = new Doctored(m.ledger.store);
    const original = encodeHead((await store.inner.readHead())!);
    let cases = 0;
    for (let i = 0; i < original.length; i++)
      for (const mask of [0x01, 0x80]) {
        store.head = Uint8Array.from(original);
        store.head[i]! ^= mask;
        const r = await verifyLogStore(store);
        expect(r.report.ok, `byte ${i} ^ ${mask}`).toBe(false);
        expect(pointers(r.report), `byte ${i} ^ ${mask}`).toEqual(
          expect.arrayContaining([expect.stringMatching(/^STORE_HEAD_(MISSING|MISMATCH)@/)]),
        );
        cases++;
      }
    expect(cases).toBe(original.length * 2);
  });
});

describe('a whole ledger replaced by a self-consistent forgery (other keys, same origin, names and story)', () => {
  const forgedDir = join(tempDir(), 'forged');
  const forged = (async () => {
    const f = await buildHistory(await LevelLogStore.open(forgedDir, 'create'), {
      people: impostors('forger '),
    });
    return f;
  })();

  it('verifies without pinned keys: NOT detectable that way', async () => {
    await forged;
    const r = await verifyDir(copyLedger(forgedDir));
    expect(r.report.problems).toEqual([]);
    expect(r.report).toMatchObject({
      ok: true,
      anchored: false,
      entries: N,
      origin: 'reliability.custody.test/ledger',
    });
  });

  it('is found with the pinned authority key, the pinned log key, or a checkpoint kept earlier', async () => {
    await forged;
    const dir = copyLedger(forgedDir);
    const codes = async (opts: Parameters<typeof verifyDir>[1]) =>
      pointers((await verifyDir(dir, opts)).report);
    expect(await codes({ trustedKeys: [AUTHORITY.signer.publicKey] })).toEqual([P('ANCHOR_KEY_UNMATCHED')]);
    expect(await codes({ logKeys: [LOG.publicKey] })).toEqual([P('ANCHOR_KEY_UNMATCHED')]);
    expect(await codes({ checkpoints: [CP.cp1] })).toEqual([P('CHECKPOINT_MISMATCH')]);
  });
});

describe('through the CLI', () => {
  let cli: Cli;
  afterAll(() => cli?.dispose());

  it('custody verify --trust <authority>: the forgery is UNANCHORED (exit 6); --checkpoint <kept earlier> exits 1 on a careful truncation that verifies without it', async () => {
    cli = await prepareCli();
    const f = join(tempDir(), 'forged');
    await buildHistory(await LevelLogStore.open(f, 'create'), { people: impostors('cli forger ') });
    const truncated = await rebuilt(() => prefixOf(N - 3), [h.cp1.size])();
    const file = join(tempDir(), 'cp2.txt');
    writeFileSync(file, h.cp2.note);
    const [anchored, clean, checked] = await Promise.all([
      cli.run(['verify', '--ledger', f, '--trust', toBase64(AUTHORITY.signer.publicKey), '--json']),
      cli.run(['verify', '--ledger', truncated, '--trust', toBase64(AUTHORITY.signer.publicKey), '--json']),
      cli.run(['verify', '--ledger', copyLedger(truncated), '--checkpoint', file, '--json']),
    ]);
    const problems = (r: { stdout: string }) =>
      (JSON.parse(r.stdout) as { problems: { code: string }[] }).problems.map((p) => p.code);
    // Consistent in itself, but not under the authority the court pinned: no pinned key vouches for it.
    expect(anchored!.code, anchored!.stderr).toBe(6);
    expect(problems(anchored!)).toEqual(['ANCHOR_KEY_UNMATCHED']);
    expect(anchored!.stderr).toMatch(
      /^custody: not anchored: no pinned key vouches for this: 1 problem, first ANCHOR_KEY_UNMATCHED \[VERIFICATION_UNANCHORED\]\n$/,
    );
    expect(clean!.code, `without the checkpoint the truncation is not visible\n${clean!.stderr}`).toBe(0);
    expect(checked!.code, checked!.stderr).toBe(1);
    expect(problems(checked!)).toEqual(['LOG_TRUNCATED']);
  });
});

describe('the case table', () => {
  it('covers every kind of key the store holds', async () => {
    // Guards the table: if the store grows a new kind of key, this fails until a case covers it.
    const prefixes = await withRawDb(BASE, async (db) => {
      const seen = new Set<string>();
      for await (const k of db.keys()) seen.add(String.fromCharCode(k[0]!));
      return seen;
    });
    expect([...prefixes].sort()).toEqual(['E', 'H', 'M', 'O', 'P', 'R', 'S', 'V', 'c', 'n', 'x']);
    expect((await withRawDb(BASE, (db) => keysWithPrefix(db, 'c'))).length).toBe(2);
    const covered = new Set<string>(CASES.map((c) => c.kind));
    // Covered in test/verify/log-tamper.test.ts (E, P, O, R, c, H), test/store/level.test.ts (V),
    // above (M: the ledger refuses), and in ./store-audit.test.ts (M, S, x, n: verify names them).
    for (const k of ['E', 'P', 'n', 'R', 'H', 'c', 'log']) expect(covered).toContain(k);
  });
});
