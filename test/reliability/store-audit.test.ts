/**
 * Derived data the ledger and LedgerView read (`custody show`, `log`, export,
 * proofs) instead of the entries: damage to any of it would give wrong
 * answers, so the store audit of verifyLogStore (src/verify/log-derived.ts)
 * checks it against the replay and names it: map branches (M) walked from the
 * replayed root and checked by hash, the statement index (S), the exhibit
 * events (x), and every complete subtree of the tree (n). Also: the memory
 * store copies bytes in and out, as LevelDB does.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/bytes.js';
import { parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { parseNote } from '../../src/checkpoint/note.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { verifyInclusion } from '../../src/merkle/verify.js';
import { K, u64Bytes } from '../../src/store/log-keys.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { AUTHORITY } from './lib/cast.js';
import { buildHistory } from './lib/history.js';
import { copyLedger, flipByte, removeTempDirs, tempDir, verifyDir, withRawDb } from './lib/insider.js';

afterAll(removeTempDirs);

const BASE = join(tempDir(), 'ledger');
const h = await buildHistory(await LevelLogStore.open(BASE, 'create'));
const TRUST = { trustedKeys: [AUTHORITY.signer.publicKey] };

async function view<T>(dir: string, f: (v: LedgerView, s: LevelLogStore) => Promise<T>): Promise<T> {
  const s = await LevelLogStore.open(dir, 'open');
  try {
    return await f(new LedgerView(s), s);
  } finally {
    await s.close();
  }
}

describe('the store audit covers the state map branches (M)', () => {
  it.each(['flipped', 'deleted'])('a branch %s: verify names it', async (how) => {
    const dir = copyLedger(BASE);
    const root = await view(dir, async (v) => (await v.head()).mapRoot);
    await withRawDb(dir, (db) =>
      how === 'flipped' ? flipByte(db, K.mapNode(root), -1) : db.del(K.mapNode(root)),
    );
    const r = await verifyDir(dir, TRUST);
    expect(r.report.ok).toBe(false);
    expect(r.report.problems.map((p) => p.code)).toContain('STORE_MAP_MISMATCH');
  });
});

describe('the store audit covers the statement index (S)', () => {
  it('a redirected row: the view refuses to serve another exhibit’s registration, and verify names it', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => db.put(K.statement(h.x1), u64Bytes(h.at.registerX2)));
    await expect(view(dir, (v) => v.registration(h.x1))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    const r = await verifyDir(dir, TRUST);
    expect(r.report.ok).toBe(false);
    expect(r.report.problems.map((p) => p.code)).toContain('STORE_INDEX_MISMATCH');
  });

  it('a deleted row: verify names it', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => db.del(K.statement(h.x1)));
    const r = await verifyDir(dir, TRUST);
    expect(r.report.ok).toBe(false);
    expect(r.report.problems.map((p) => p.code)).toContain('STORE_INDEX_MISMATCH');
  });
});

describe('the store audit covers the exhibit events (x)', () => {
  it('a deleted event: the view refuses a history without the hand-over abroad, and verify names it', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => db.del(K.exhibitEvent(h.x1, h.at.transferX1Abroad)));
    await expect(view(dir, (v) => v.history(h.x1))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    const r = await verifyDir(dir, TRUST);
    expect(r.report.ok).toBe(false);
    expect(r.report.problems.map((p) => p.code)).toContain('STORE_EVENTS_MISMATCH');
  });

  it("an added event: the view refuses a history with another exhibit's accept, and verify names it", async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => db.put(K.exhibitEvent(h.x1, h.at.acceptX2), new Uint8Array(0)));
    await expect(view(dir, (v) => v.history(h.x1))).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    const r = await verifyDir(dir, TRUST);
    expect(r.report.ok).toBe(false);
    expect(r.report.problems.map((p) => p.code)).toContain('STORE_EVENTS_MISMATCH');
  });
});

describe('the store audit covers every tree node (n)', () => {
  it('a leaf node inside the tree: proofs served from it fail, and verify names it', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, (db) => flipByte(db, K.treeNode(0, 5), 7));
    const cp = parseCheckpoint(parseNote(h.cp2.note).text);
    const ok = await view(dir, async (v, s) => {
      const proof = await v.inclusionProof(4, cp.size);
      const leaf = hashLeaf((await s.entry(4))!);
      return verifyInclusion(4, cp.size, leaf, proof, cp.root);
    });
    expect(ok, 'the served proof is broken').toBe(false);
    const r = await verifyDir(dir, TRUST);
    expect(r.report.ok).toBe(false);
    expect(r.report.problems.map((p) => p.code)).toContain('STORE_TREE_MISMATCH');
  });
});

describe('MemoryLogStore copies bytes in and out', () => {
  it('a payload changed by the caller after write() or after payload() leaves the store unchanged', async () => {
    const { MemoryLogStore } = await import('../../src/store/log-memory.js');
    const store = new MemoryLogStore();
    const payload = new Uint8Array([1, 2, 3]);
    const entry = new Uint8Array([9, 9]);
    await store.write({
      entries: [{ index: 0, entry, payload, exhibits: [] }],
      treeNodes: [{ level: 0, index: 0, hash: hashLeaf(entry) }],
      mapNodes: [],
      records: [],
      head: { size: 1, lastTime: 0, mapRoot: new Uint8Array(32), mapSize: 0, mapRootLeaf: null },
    });
    payload[0] = 7;
    (await store.payload(0))![1] = 7;
    expect(equalBytes((await store.payload(0))!, new Uint8Array([1, 2, 3]))).toBe(true);
  });
});
