/**
 * Verifying a stored v2 ledger against a checkpoint seen earlier, as
 * `custody verify --checkpoint` does (verifyLogStore's `checkpoints` option
 * and checkCheckpointNoteV2): truncation after the checkpoint is
 * LOG_TRUNCATED, a rewritten history of the same size signed with the same
 * keys is CHECKPOINT_MISMATCH, a checkpoint not signed by the log key
 * genesis names is CHECKPOINT_SIGNATURE_INVALID (v1: CHECKPOINT_UNSIGNED),
 * and too few witness cosignatures is WITNESS_QUORUM.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cosignatureVerifier,
  formatCheckpoint,
  formatNote,
  parseCheckpoint,
  parseNote,
  signCheckpoint,
  signNoteLine,
  witnessCosign,
} from '../../src/checkpoint/index.js';
import { ed25519NoteVerifier } from '../../src/checkpoint/note.js';
import { attachCosignature, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import type { LogStore } from '../../src/store/log-store.js';
import { checkCheckpointNoteV2 } from '../../src/verify/checkpoint-note.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import type { Problem } from '../../src/verify/report.js';
import { seededSigner } from '../helpers/world.js';
import {
  copyDir,
  growTo,
  makeWorld,
  ORIGIN,
  type ProofWorld,
  removeTempDirs,
  reopened,
  tempDir,
  truncateLevelLedger,
} from './helpers.js';

afterAll(removeTempDirs);

const codes = (ps: readonly Problem[]) => ps.map((p) => p.code);
const expectation = (note: string) => {
  const cp = parseCheckpoint(parseNote(note).text);
  return { size: cp.size, root: cp.root };
};

/** What `custody verify --trust <authority> --checkpoint <note>` runs. */
async function verifyWith(
  store: LogStore,
  w: ProofWorld,
  note: string,
  witnesses: ReturnType<typeof cosignatureVerifier>[] = [],
  quorum = 0,
) {
  const result = await verifyLogStore(store, {
    trustedKeys: [w.authority.publicKey],
    checkpoints: [expectation(note)],
  });
  const cc = checkCheckpointNoteV2(note, result.ledger, witnesses, quorum);
  return { report: result.report, cc, all: [...codes(result.report.problems), ...codes(cc.problems)] };
}

async function levelWorld(size: number) {
  const dir = join(tempDir(), 'ledger');
  const w = await makeWorld(await LevelLogStore.open(dir, 'create'));
  await growTo(w, size);
  return { w, dir };
}

const checkpointLedger = (w: ProofWorld) => signLogCheckpoint(w.view, w.log);

describe('the genuine ledger', () => {
  it('verifies against its checkpoint, at the checkpointed size and after growing', async () => {
    const { w, dir } = await levelWorld(16);
    const { note } = await checkpointLedger(w);
    await growTo(w, 25);
    await w.ledger.close();
    const store = await LevelLogStore.open(dir, 'open');
    try {
      const r = await verifyWith(store, w, note);
      expect(r.all).toEqual([]);
      expect(r.report.ok).toBe(true);
      expect(r.cc.signedBy).toBe(`${ORIGIN} log key`);
      expect(r.cc.checkpoint?.size).toBe(16);
    } finally {
      await store.close();
    }
  });
});

describe('LOG_TRUNCATED', () => {
  it('entries deleted from a copy of the LevelDB directory (entries only)', async () => {
    const { w, dir } = await levelWorld(20);
    const { note } = await checkpointLedger(w);
    await w.ledger.close();
    const cut = copyDir(dir);
    await truncateLevelLedger(cut, 14, { careful: false });
    const store = await LevelLogStore.open(cut, 'open');
    try {
      const r = await verifyWith(store, w, note);
      expect(r.all).toContain('LOG_TRUNCATED');
      // The store's own checkpoint and head still say 20 entries.
      expect(r.all).toEqual(expect.arrayContaining(['CHECKPOINT_BEYOND_LOG', 'STORE_HEAD_MISMATCH']));
      expect(r.report.ok).toBe(false);
      expect(r.report.entries).toBe(14);
    } finally {
      await store.close();
    }
  });

  it('a careful insider (entries, derived data and head): LOG_TRUNCATED is the only problem', async () => {
    const { w, dir } = await levelWorld(20);
    const { note } = await checkpointLedger(w);
    await w.ledger.close();
    const cut = copyDir(dir);
    await truncateLevelLedger(cut, 11, { careful: true, dropCheckpoints: true });
    // Without the checkpoint the truncated store is self-consistent: a cut tail looks like an older log.
    const plain = await LevelLogStore.open(cut, 'open');
    try {
      const r = await verifyLogStore(plain, { trustedKeys: [w.authority.publicKey] });
      expect(codes(r.report.problems)).toEqual([]);
      expect(r.report.entries).toBe(11);
    } finally {
      await plain.close();
    }
    // The ledger opens and even signs a fresh checkpoint at 11 (the insider also dropped the stored one) ...
    const l = await reopened(w, await LevelLogStore.open(cut, 'open'));
    const fresh = await checkpointLedger(l);
    expect(fresh).toMatchObject({ size: 11, created: true });
    await l.ledger.close();
    // ... but the checkpoint seen earlier shows the cut.
    const store = await LevelLogStore.open(cut, 'open');
    try {
      const r = await verifyWith(store, w, note);
      expect(r.all).toEqual(['LOG_TRUNCATED']);
      expect(r.report.problems[0]!.message).toMatch(/20 entries but the log has only 11/);
    } finally {
      await store.close();
    }
  });

  it('a fresh ledger rebuilt with the same keys and fewer entries', async () => {
    const w = await makeWorld();
    await growTo(w, 18);
    const { note } = await checkpointLedger(w);
    const rebuilt = await makeWorld();
    await growTo(rebuilt, 15);
    const r = await verifyWith(rebuilt.store, w, note);
    expect(r.all).toEqual(['LOG_TRUNCATED']);
    // The same rebuilt ledger grown past the checkpoint with other entries is a rewrite instead.
    await growTo(rebuilt, 22, 'OTHER');
    expect((await verifyWith(rebuilt.store, w, note)).all).toEqual(['CHECKPOINT_MISMATCH']);
  });
});

describe('CHECKPOINT_MISMATCH', () => {
  it('a different ledger of the same size, signed with the same keys', async () => {
    const w = await makeWorld();
    await growTo(w, 16);
    const { note } = await checkpointLedger(w);
    const rewritten = await makeWorld();
    await growTo(rewritten, 10);
    await growTo(rewritten, 16, 'REWRITE');
    const r = await verifyWith(rewritten.store, w, note);
    // The checkpoint is genuinely signed by the (same) log key; the log under it changed.
    expect(r.cc.signedBy).toBe(`${ORIGIN} log key`);
    expect(r.all).toEqual(['CHECKPOINT_MISMATCH']);
    // Without the checkpoint, the rewritten ledger verifies cleanly: only the checkpoint shows it.
    const plain = await verifyLogStore(rewritten.store, { trustedKeys: [w.authority.publicKey] });
    expect(plain.report.ok).toBe(true);
  });
});

describe('a checkpoint not signed by the log key, and WITNESS_QUORUM', () => {
  it('a checkpoint signed by a key that is not the log key genesis names', async () => {
    const w = await makeWorld();
    await growTo(w, 9);
    const body = { origin: ORIGIN, size: w.ledger.size, root: w.ledger.root() };
    for (const signer of [seededSigner('stranger'), w.collector, w.authority]) {
      const note = signCheckpoint(body, ORIGIN, signer);
      const r = await verifyWith(w.store, w, note);
      expect(r.all).toEqual(['CHECKPOINT_SIGNATURE_INVALID']);
      expect(r.cc.signedBy).toBeNull();
    }
    // Signed by the log key but under another key name than the origin: not a checkpoint of this log.
    const text = formatCheckpoint(body);
    const misnamed = formatNote(text, [signNoteLine(text, 'custody.test/elsewhere', w.log)]);
    expect((await verifyWith(w.store, w, misnamed)).all).toEqual(['CHECKPOINT_SIGNATURE_INVALID']);
    const real = await checkpointLedger(w);
    expect((await verifyWith(w.store, w, real.note)).all).toEqual([]);
  });

  it('a checkpoint of a ledger without an accepted genesis cannot be checked: CHECKPOINT_UNVERIFIABLE', async () => {
    const w = await makeWorld();
    const { note } = await checkpointLedger(w);
    expect(codes(checkCheckpointNoteV2(note, undefined).problems)).toEqual(['CHECKPOINT_UNVERIFIABLE']);
  });

  it('a checkpoint with fewer witness cosignatures than the quorum', async () => {
    const w = await makeWorld();
    await growTo(w, 12);
    const { note, size } = await checkpointLedger(w);
    const names = ['eurojust.europa.eu/witness', 'witness.bka.de/1'];
    const signers = [seededSigner('eurojust witness'), seededSigner('bka witness')];
    const verifiers = names.map((n, i) => cosignatureVerifier(n, signers[i]!.publicKey));
    const r = witnessCosign({
      state: undefined,
      noteText: note,
      logVerifier: ed25519NoteVerifier(ORIGIN, w.log.publicKey),
      consistencyProof: [],
      witnessName: names[0]!,
      witnessSigner: signers[0]!,
      now: 1_772_400_000,
    });
    const cosigned = await attachCosignature(w.view, size, r.cosignatureLine, verifiers[0]!);

    const one = await verifyWith(w.store, w, cosigned, verifiers, 1);
    expect(one.all).toEqual([]);
    expect(one.cc.witnessesVerified).toEqual([names[0]]);

    const two = await verifyWith(w.store, w, cosigned, verifiers, 2);
    expect(two.all).toEqual(['WITNESS_QUORUM']);
    expect(two.cc.problems[0]!.message).toMatch(/1 of the 2 required witnesses/);

    const none = await verifyWith(w.store, w, note, verifiers, 1);
    expect(none.all).toEqual(['WITNESS_QUORUM']);
  });
});
