/**
 * Derived state is never trusted (issue 24 item 7; docs/STORAGE.md §Derived
 * data is checked): the rules on append, the views behind `show`, `log`,
 * label look-ups and export read records through the state map the last
 * entry commits to. An insider who edits a stored record, an index row or
 * the head gets STORE_CORRUPT, never a decision taken on the edited data.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecordBytes, encodeRecord, type KeyRecord, NS } from '../../src/custody/records.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { decodeEntry } from '../../src/format/entry.js';
import { foldLabel } from '../../src/format/text.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { encodeHead } from '../../src/store/log-head.js';
import { K } from '../../src/store/log-keys.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { clockAt, sign } from './lib/cast.js';
import { buildHistory, T0 } from './lib/history.js';
import { copyLedger, getValue, removeTempDirs, tempDir, withRawDb } from './lib/insider.js';

afterAll(removeTempDirs);

const BASE = join(tempDir(), 'ledger');
const h = await buildHistory(await LevelLogStore.open(BASE, 'create'));
const p = h.people;
const LATER = T0 + 60 * 60_000;

/** The revoked German custodian hands x1 (which it held before the revocation) to the Dutch examiner. */
const lateTransfer = () =>
  sign({
    kind: 'transfer',
    signer: p.deCustodian.signer,
    fields: { to: p.nlExaminer.id, reason: 'after revocation' },
    exhibit: h.x1,
    after: h.statements[h.at.acceptX1Abroad]!.id,
    clock: clockAt(() => LATER),
  });

async function withLedger<T>(dir: string, f: (l: LogLedger, s: LevelLogStore) => Promise<T>): Promise<T> {
  const s = await LevelLogStore.open(dir, 'open');
  try {
    // The log's clock a minute after the history's last entry, so the statement is not late.
    const l = await LogLedger.open(s, { clock: clockAt(() => LATER) });
    try {
      return await f(l, s);
    } finally {
      await l.close();
    }
  } finally {
    await s.close();
  }
}

describe('the rules on append read only committed state', () => {
  it('untouched: a statement by the revoked key is ACTOR_REVOKED', async () => {
    const dir = copyLedger(BASE);
    const c = lateTransfer();
    await expect(withLedger(dir, (l) => l.submit(c.bytes, c.openingBytes))).rejects.toMatchObject({
      code: 'ACTOR_REVOKED',
    });
  });

  it('a key record stripped of its revocation is STORE_CORRUPT, and nothing is appended', async () => {
    const dir = copyLedger(BASE);
    await withRawDb(dir, async (db) => {
      const k = K.record(NS.key, p.deCustodian.id);
      const rec = decodeRecordBytes<KeyRecord>(await getValue(db, k))!;
      expect(rec.revokedAt).toBeTypeOf('number');
      const { revokedAt: _, ...unrevoked } = rec;
      await db.put(k, encodeRecord(unrevoked as KeyRecord));
    });
    const c = lateTransfer();
    await expect(withLedger(dir, (l) => l.submit(c.bytes, c.openingBytes))).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
    });
    const size = await withLedger(dir, async (l) => l.size);
    expect(size).toBe(h.size);
    // The view refuses it as well: `custody actor list` never shows the key as active.
    const s = await LevelLogStore.open(dir, 'open');
    try {
      await expect(new LedgerView(s).key(p.deCustodian.id)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
      await expect(new LedgerView(s).keys()).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    } finally {
      await s.close();
    }
  });
});

describe('the head must be what the last entry says', () => {
  it.each([
    [
      'log time',
      (head: Record<string, unknown>) => ({ ...head, lastTime: (head['lastTime'] as number) + 1 }),
    ],
    ['map root', (head: Record<string, unknown>) => ({ ...head, mapRoot: new Uint8Array(32).fill(7) })],
  ])('a head with another %s: the ledger and the view refuse to open on it', async (_what, edit) => {
    const dir = copyLedger(BASE);
    const s0 = await LevelLogStore.open(dir, 'open');
    const head = (await s0.readHead())!;
    await s0.close();
    await withRawDb(dir, async (db) => {
      const changed = edit(head as unknown as Record<string, unknown>) as typeof head;
      await db.put(K.head, encodeHead(changed));
    });
    await expect(withLedger(dir, async () => undefined)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    const s = await LevelLogStore.open(dir, 'open');
    try {
      await expect(new LedgerView(s).exhibit(h.x1)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    } finally {
      await s.close();
    }
  });
});

describe('a head rolled back over stored entries', () => {
  it('is refused: the ledger would judge on an old state and append over them', async () => {
    const dir = copyLedger(BASE);
    const s0 = await LevelLogStore.open(dir, 'open');
    const head = (await s0.readHead())!;
    const previous = decodeEntry((await s0.entry(head.size - 2))!).entry;
    await s0.close();
    // Self-consistent with entry size − 2: its time and map root, one entry less.
    const rolled = { ...head, size: head.size - 1, lastTime: previous.time, mapRoot: previous.mapRoot };
    await withRawDb(dir, (db) => db.put(K.head, encodeHead(rolled)));
    await expect(withLedger(dir, async () => undefined)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });
});

describe('label look-ups read only committed index rows', () => {
  it('a label row pointed at another exhibit is STORE_CORRUPT, not the other exhibit', async () => {
    const dir = copyLedger(BASE);
    const key = encodeCanonical(['NL-2026-0042', foldLabel('HDD-01'), 0]);
    await withRawDb(dir, (db) => db.put(K.record(NS.label, key), encodeRecord({ v: 1, id: h.x2 })));
    const s = await LevelLogStore.open(dir, 'open');
    try {
      await expect(
        new LedgerView(s).lookup(NS.label, ['NL-2026-0042', foldLabel('HDD-01')]),
      ).rejects.toMatchObject({
        code: 'STORE_CORRUPT',
      });
    } finally {
      await s.close();
    }
  });
});
