/**
 * Never two histories (src/ledger/signing-guard.ts): before the log signs
 * again, the store must still extend the last checkpoint it signed. The
 * ledgers here are the deterministic proof worlds (test/proofs/helpers.ts):
 * the same calls give the same entries, so two stores can share a prefix
 * exactly, as a store and an older backup of it do, or part ways after it,
 * as a rewritten store does.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCheckpoint, signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { ed25519NoteVerifier, formatNote, signNoteLine } from '../../src/checkpoint/note.js';
import { CustodyError } from '../../src/errors.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { checkSignedHistory } from '../../src/ledger/signing-guard.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import {
  copyDir,
  growTo,
  makeWorld,
  ORIGIN,
  type ProofWorld,
  removeTempDirs,
  reopened,
  tempDir,
} from '../proofs/helpers.js';

afterAll(removeTempDirs);

const logKey = (w: ProofWorld) => ed25519NoteVerifier(ORIGIN, w.log.publicKey);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function world(size: number, tag?: string) {
  const w = await makeWorld(new MemoryLogStore());
  await growTo(w, size, tag);
  return w;
}

/** The checkpoint the log signed at `size` of a world grown that far. */
async function signedAt(size: number) {
  const w = await world(size);
  const { note } = await signLogCheckpoint(w.view, w.log);
  return { w, note };
}

describe('checkSignedHistory', () => {
  it('the fixture: two worlds built alike share their entries', async () => {
    const a = await world(10);
    const b = await world(7);
    for (const s of [1, 3, 7]) expect(hex(await b.view.rootAt(s))).toBe(hex(await a.view.rootAt(s)));
    const c = await world(10, 'Y');
    // Grown with other exhibits from the enrolments on: the same first 3 entries, then not.
    expect(hex(await c.view.rootAt(3))).toBe(hex(await a.view.rootAt(3)));
    expect(hex(await c.view.rootAt(4))).not.toBe(hex(await a.view.rootAt(4)));
  });

  it('ok for the checkpoint of the store as it is', async () => {
    const { w, note } = await signedAt(10);
    expect(await checkSignedHistory(w.view, note, logKey(w))).toEqual({ ok: true, size: 10 });
  });

  it('ok for an older checkpoint of the same log, with the size the store has now', async () => {
    const { w, note } = await signedAt(10);
    await growTo(w, 16);
    expect(await checkSignedHistory(w.view, note, logKey(w))).toEqual({ ok: true, size: 16 });
    const newer = await signLogCheckpoint(w.view, w.log);
    expect(await checkSignedHistory(w.view, newer.note, logKey(w))).toEqual({ ok: true, size: 16 });
  });

  it('not ok when the store has fewer entries than the log signed (an older backup)', async () => {
    const { w, note } = await signedAt(10);
    // The same first 7 entries: the store as it was before the last 3 appends.
    const backup = await world(7);
    const r = await checkSignedHistory(backup.view, note, logKey(w));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toContain('older backup');
    expect(r.reason).toContain('the store has 7 entries');
    expect(r.reason).toContain('a checkpoint of 10');
    // Once the missing entries are back, signing may go on.
    await growTo(backup, 10);
    expect(await checkSignedHistory(backup.view, note, logKey(w))).toEqual({ ok: true, size: 10 });
  });

  it('not ok for an empty store', async () => {
    const { w, note } = await signedAt(4);
    const r = await checkSignedHistory(new LedgerView(new MemoryLogStore()), note, logKey(w));
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toMatch(/has 0 entries.*older backup/);
  });

  it('not ok when the store restored from a copy of its directory lags the signed checkpoint', async () => {
    const dir = join(tempDir(), 'ledger');
    const w = await makeWorld(await LevelLogStore.open(dir, 'create'));
    await growTo(w, 6);
    await w.ledger.close();
    await w.store.close();
    const copy = copyDir(dir);
    const live = await LevelLogStore.open(dir, 'open');
    const lw = await reopened(w, live);
    await growTo(lw, 9);
    const { note, size } = await signLogCheckpoint(lw.view, w.log);
    expect(size).toBe(9);
    await lw.ledger.close();
    await live.close();
    const restored = await LevelLogStore.open(copy, 'open');
    const r = await checkSignedHistory(new LedgerView(restored), note, logKey(w));
    await restored.close();
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toContain('has 6 entries, but this log already signed a checkpoint of 9');
  });

  it('not ok when the store holds another history at the signed size (a second history)', async () => {
    const { w, note } = await signedAt(10);
    // The same size, other entries after the enrolments.
    const fork = await world(10, 'Y');
    const r = await checkSignedHistory(fork.view, note, logKey(w));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toContain('second history');
    expect(r.reason).toContain('first 10 entries');
    expect(r.reason).not.toContain('older backup');
    // The same first 7, then other entries, grown past the signed size.
    const later = await world(7);
    await growTo(later, 14, 'Z');
    const r2 = await checkSignedHistory(later.view, note, logKey(w));
    expect(r2).toMatchObject({ ok: false });
    if (!r2.ok) expect(r2.reason).toContain('second history');
    // Signing there would indeed be a fork: the store's own checkpoint at 10 has another root.
    expect(hex(await later.view.rootAt(10))).not.toBe(hex(await w.view.rootAt(10)));
  });

  it('throws when the note is not signed by the log key', async () => {
    const { w, note } = await signedAt(10);
    const root = await w.view.rootAt(10);
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => 'resolved',
        (e: unknown) => (e instanceof CustodyError ? e.code : String(e)),
      );
    // Signed by the authority under the log's origin.
    const byAuthority = signCheckpoint({ origin: ORIGIN, size: 10, root }, ORIGIN, w.authority);
    expect(await codeOf(checkSignedHistory(w.view, byAuthority, logKey(w)))).toBe('NOTE_UNVERIFIED');
    // The log's note, checked against another key.
    const otherKey = ed25519NoteVerifier(ORIGIN, w.collector.publicKey);
    expect(await codeOf(checkSignedHistory(w.view, note, otherKey))).toBe('NOTE_UNVERIFIED');
    // The log's key, but the note names another origin.
    const text = formatCheckpoint({ origin: 'other.example/log', size: 10, root });
    const elsewhere = formatNote(text, [signNoteLine(text, ORIGIN, w.log)]);
    expect(await codeOf(checkSignedHistory(w.view, elsewhere, logKey(w)))).toBe('CHECKPOINT_ORIGIN_MISMATCH');
    // The log's note with its size edited after signing: the signature no longer holds.
    const edited = note.replace('\n10\n', '\n7\n');
    expect(edited).not.toBe(note);
    expect(await codeOf(checkSignedHistory(w.view, edited, logKey(w)))).toBe('NOTE_BAD_SIGNATURE');
    // Not a note at all.
    expect(await codeOf(checkSignedHistory(w.view, 'not a checkpoint', logKey(w)))).toMatch(/^NOTE_/);
    // A forged note is refused even on a store it would not agree with: it never reaches the tree.
    const shorter = await world(4);
    expect(await codeOf(checkSignedHistory(shorter.view, byAuthority, logKey(w)))).toBe('NOTE_UNVERIFIED');
  });
});
