/**
 * signLogCheckpoint (format v2): the note it signs is a C2SP tlog-checkpoint
 * that an independent signed-note verifier (test/checkpoint/independent-verifier.ts,
 * node:crypto only) accepts under the log key genesis names; one note per
 * size; only the log key signs; later checkpoints extend earlier ones; a
 * store that no longer matches its latest checkpoint is refused.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatVkey, signCheckpoint } from '../../src/checkpoint/index.js';
import { KEY_TYPES } from '../../src/format/key-id.js';
import { listCheckpoints, logPublicKey, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { consistencyProof } from '../../src/merkle/proofs.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { independentVerify } from '../checkpoint/independent-verifier.js';
import { seededSigner } from '../helpers/world.js';
import {
  codeOf,
  copyDir,
  govern,
  growTo,
  leavesOf,
  makeWorld,
  ORIGIN,
  overwriteNode,
  type ProofWorld,
  removeTempDirs,
  reopened,
  tempDir,
  truncateLevelLedger,
} from './helpers.js';
import { hexOf, mth, verifyConsistencyIndependently } from './independent.js';

afterAll(removeTempDirs);

/** What `custody checkpoint --log-key` runs. */
const checkpointLedger = (w: ProofWorld, signer = w.log) => signLogCheckpoint(w.view, signer);

/** key id = SHA-256(name || 0x0A || type || public key)[:4], computed here from the spec. */
const keyIdOf = (name: string, type: number, pk: Uint8Array) =>
  createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, type]))
    .update(pk)
    .digest()
    .subarray(0, 4);

/** Splits a checkpoint note by hand (no src/ code): body lines and signature lines. */
function dissect(note: string) {
  const split = note.lastIndexOf('\n\n');
  const text = note.slice(0, split + 1);
  const sigLines = note
    .slice(split + 2)
    .split('\n')
    .filter((l) => l !== '');
  const [origin, size, root, ...ext] = text.slice(0, -1).split('\n');
  const sigs = sigLines.map((l) => {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(l);
    if (!m) throw new Error(`not a signature line: ${l}`);
    const raw = Buffer.from(m[2]!, 'base64');
    return { name: m[1]!, keyId: raw.subarray(0, 4), sig: raw.subarray(4) };
  });
  return { text, origin, size: Number(size), sizeLine: size, root: Buffer.from(root!, 'base64'), ext, sigs };
}

const logKey = (w: ProofWorld) => ({ name: ORIGIN, type: 1 as const, publicKey: w.log.publicKey });

describe('signLogCheckpoint output', () => {
  it('is a C2SP checkpoint signed by the log key under key name = origin, verified independently', async () => {
    const w = await makeWorld();
    await growTo(w, 11);
    const { note, size, created } = await checkpointLedger(w);
    expect(created).toBe(true);
    expect(size).toBe(11);

    const r = independentVerify(note, [logKey(w)]);
    expect(r).toMatchObject({ ok: true, verified: [ORIGIN] });

    const d = dissect(note);
    expect(d.origin).toBe(ORIGIN);
    expect(d.sizeLine).toBe('11');
    expect(d.size).toBe(11);
    expect(d.ext).toEqual([]);
    expect(hexOf(d.root)).toBe(hexOf(mth(await leavesOf(w.store))));
    expect(d.text).toBe(`${ORIGIN}\n11\n${d.root.toString('base64')}\n`);
    expect(note).toBe(
      `${d.text}\n\u2014 ${ORIGIN} ${Buffer.concat([d.sigs[0]!.keyId, d.sigs[0]!.sig]).toString('base64')}\n`,
    );
    expect(d.sigs).toHaveLength(1);
    expect(d.sigs[0]!.name).toBe(ORIGIN);
    expect(hexOf(d.sigs[0]!.keyId)).toBe(hexOf(keyIdOf(ORIGIN, 0x01, w.log.publicKey)));
    expect(d.sigs[0]!.sig).toHaveLength(64);

    // The independent verifier refuses it under another key (the authority's too), another name, or with the body changed.
    const other = seededSigner('someone else').publicKey;
    expect(independentVerify(note, [{ ...logKey(w), publicKey: w.authority.publicKey }]).ok).toBe(false);
    expect(independentVerify(note, [{ ...logKey(w), publicKey: other }]).ok).toBe(false);
    expect(independentVerify(note, [{ ...logKey(w), name: 'custody.test/other' }]).ok).toBe(false);
    expect(independentVerify(note.replace('\n11\n', '\n12\n'), [logKey(w)]).ok).toBe(false);
  });

  it('formatVkey gives <origin>+<hex key id>+<base64(0x01 || public key)> of the log key genesis names', async () => {
    const w = await makeWorld();
    const pk = w.log.publicKey;
    expect(hexOf(await logPublicKey(w.view))).toBe(hexOf(pk));
    const vkey = formatVkey(ORIGIN, pk);
    expect(vkey).toBe(
      `${ORIGIN}+${hexOf(keyIdOf(ORIGIN, 1, pk))}+${Buffer.concat([Buffer.from([1]), pk]).toString('base64')}`,
    );
    expect(vkey).toMatch(/^custody\.test\/nl-nfi\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
    const { note } = await checkpointLedger(w);
    // The key id in the vkey is the one on the signature line.
    expect(hexOf(dissect(note).sigs[0]!.keyId)).toBe(vkey.split('+')[1]);
  });

  it('the same size gives the same note, re-used (created: false); another key is refused even then', async () => {
    const w = await makeWorld();
    const a = await checkpointLedger(w);
    const b = await checkpointLedger(w);
    expect(b).toEqual({ note: a.note, size: a.size, created: false, dualSigned: false });
    expect(await codeOf(() => checkpointLedger(w, w.collector))).toBe('CHECKPOINT_SIGNER_NOT_LOG');
    expect(await w.store.checkpointSizes()).toEqual([a.size]);
  });

  it('refuses a signer that is not the log key genesis names: CHECKPOINT_SIGNER_NOT_LOG', async () => {
    const w = await makeWorld();
    for (const s of [w.authority, w.collector, w.custodian, seededSigner('stranger')])
      expect(await codeOf(() => checkpointLedger(w, s))).toBe('CHECKPOINT_SIGNER_NOT_LOG');
    // Rotating the authority changes nothing: the log key is fixed at genesis (v2 has no
    // statement that changes it), so neither authority key signs checkpoints and the log key still does.
    const next = seededSigner('authority 2');
    await govern(w, 'rotate', { key: [KEY_TYPES.ed25519, next.publicKey] }, [next]);
    for (const s of [w.authority, next])
      expect(await codeOf(() => checkpointLedger(w, s))).toBe('CHECKPOINT_SIGNER_NOT_LOG');
    const { note } = await checkpointLedger(w);
    expect(independentVerify(note, [logKey(w)]).ok).toBe(true);
    expect(independentVerify(note, [{ ...logKey(w), publicKey: next.publicKey }]).ok).toBe(false);
    expect(await w.store.checkpointSizes()).toEqual([w.ledger.size]);
  });

  it('a later checkpoint is consistent with an earlier one; listCheckpoints lists both', async () => {
    const w = await makeWorld();
    const first = await checkpointLedger(w);
    await growTo(w, 23);
    const second = await checkpointLedger(w);
    expect([first.size, second.size]).toEqual([3, 23]);
    const a = dissect(first.note);
    const b = dissect(second.note);
    const proof = await consistencyProof(w.store, a.size, b.size);
    expect(verifyConsistencyIndependently(a.size, b.size, a.root, b.root, proof)).toBe(true);
    const list = await listCheckpoints(w.store);
    expect(list.map((c) => [c.size, c.note, hexOf(c.root)])).toEqual([
      [3, first.note, hexOf(a.root)],
      [23, second.note, hexOf(b.root)],
    ]);
  });
});

describe('CHECKPOINT_INCONSISTENT: the store no longer matches its latest checkpoint', () => {
  it('a Merkle node under the checkpoint overwritten in LevelDB', async () => {
    const dir = join(tempDir(), 'ledger');
    const w = await makeWorld(await LevelLogStore.open(dir, 'create'));
    await growTo(w, 8);
    await checkpointLedger(w); // size 8: the one node (3, 0)
    await growTo(w, 12);
    await w.ledger.close();
    await overwriteNode(dir, 3, 0, new Uint8Array(32).fill(7));
    const l = await reopened(w, await LevelLogStore.open(dir, 'open'));
    try {
      expect(await codeOf(() => checkpointLedger(l))).toBe('CHECKPOINT_INCONSISTENT');
      expect(await l.store.checkpointSizes()).toEqual([8]);
    } finally {
      await l.ledger.close();
    }
  });

  it('the store truncated below its latest checkpoint (entries, nodes and head, carefully)', async () => {
    const dir = join(tempDir(), 'ledger');
    const w = await makeWorld(await LevelLogStore.open(dir, 'create'));
    await growTo(w, 20);
    await checkpointLedger(w);
    await w.ledger.close();
    const cut = copyDir(dir);
    await truncateLevelLedger(cut, 13);
    const l = await reopened(w, await LevelLogStore.open(cut, 'open'));
    try {
      expect(l.ledger.size).toBe(13);
      expect(await codeOf(() => checkpointLedger(l))).toBe('CHECKPOINT_INCONSISTENT');
      // Growing back past the checkpointed size with other entries does not help.
      await growTo(l, 21, 'Y');
      expect(await codeOf(() => checkpointLedger(l))).toBe('CHECKPOINT_INCONSISTENT');
      expect(await l.store.checkpointSizes()).toEqual([20]);
    } finally {
      await l.ledger.close();
    }
  });

  it('a history rewritten under the same keys, with the old checkpoint kept in the store', async () => {
    const w = await makeWorld();
    await growTo(w, 10);
    const old = await checkpointLedger(w);
    const fork = await makeWorld();
    await growTo(fork, 9, 'FORK');
    await fork.store.putCheckpoint(old.size, old.note);
    await growTo(fork, 14, 'FORK');
    expect(await codeOf(() => checkpointLedger(fork))).toBe('CHECKPOINT_INCONSISTENT');
    // A stored checkpoint signed over a root the log never had is caught the same way.
    const w2 = await makeWorld();
    await growTo(w2, 7);
    const forged = signCheckpoint({ origin: ORIGIN, size: 7, root: new Uint8Array(32) }, ORIGIN, w2.log);
    await w2.store.putCheckpoint(7, forged);
    await growTo(w2, 8);
    expect(await codeOf(() => checkpointLedger(w2))).toBe('CHECKPOINT_INCONSISTENT');
  });

  // Regression (v1): a stored checkpoint at the current size was handed out without
  // being checked against the current tree. After the store is truncated and grown
  // back to exactly the checkpointed size with other entries, it must not be
  // printed as "already signed": it is CHECKPOINT_INCONSISTENT.
  it('a store grown back to exactly the checkpointed size with other entries is refused too', async () => {
    const dir = join(tempDir(), 'ledger');
    const w = await makeWorld(await LevelLogStore.open(dir, 'create'));
    await growTo(w, 20);
    const old = await checkpointLedger(w);
    await w.ledger.close();
    const cut = copyDir(dir);
    await truncateLevelLedger(cut, 13);
    const l = await reopened(w, await LevelLogStore.open(cut, 'open'));
    try {
      await growTo(l, 20, 'Y');
      expect(hexOf(dissect(old.note).root)).not.toBe(hexOf(l.ledger.root()));
      const got = await checkpointLedger(l).then(
        (r) =>
          `returned a note with root ${hexOf(dissect(r.note).root)} (log root ${hexOf(l.ledger.root())})`,
        (e: unknown) => (e as { code?: string }).code,
      );
      expect(got).toBe('CHECKPOINT_INCONSISTENT');
    } finally {
      await l.ledger.close();
    }
  });
});
