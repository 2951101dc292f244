/**
 * Dual-signed checkpoints (docs/PROOFS.md §Dual-signed checkpoints): the log
 * signs with its Ed25519 key (genesis) and with an ML-DSA-44 key the
 * authority enrolled for purpose log. The whole-ledger verifier and the
 * bundle verifier check the ML-DSA-44 line; an unenrolled key cannot sign;
 * a damaged line is CHECKPOINT_SIGNATURE_INVALID; a verifier that knows only
 * Ed25519 still accepts the note.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { verifyMlDsaCosignature } from '../../src/checkpoint/cosignature-mldsa.js';
import { formatNote, parseNote } from '../../src/checkpoint/note.js';
import { mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { storeOf } from '../../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { independentVerify } from '../checkpoint/independent-verifier.js';
import { digestsOf } from '../helpers/world.js';
import {
  codeOf,
  enrolLogMlDsaKey,
  growTo,
  makeWorld,
  ORIGIN,
  type ProofWorld,
  removeTempDirs,
  submit,
} from './helpers.js';

afterAll(removeTempDirs);

const pqKey = (label: string) =>
  mlDsa44SignerFromSeed(sha256(new TextEncoder().encode(`dual-signed ${label}`)));
const NOW = 1_790_000_000;

async function enrolPq(w: ProofWorld, pq = pqKey('log')) {
  await enrolLogMlDsaKey(w, pq);
  return pq;
}

const codes = async (w: ProofWorld) =>
  (await verifyLogStore(w.store, { trustedKeys: [w.authority.publicKey] })).report.problems.map(
    (p) => p.code,
  );

/** Flips one byte of the signature line whose key name is the origin and that is `n`-th. */
function damageLine(note: string, n: number): string {
  const p = parseNote(note);
  const lines = p.signatures.map((s) => s.line);
  const l = lines[n]!;
  const i = l.length - 10;
  lines[n] = l.slice(0, i) + (l[i] === 'A' ? 'B' : 'A') + l.slice(i + 1);
  return formatNote(p.text, lines);
}

describe('dual-signed checkpoints', () => {
  it('carry an Ed25519 line and a subtree/v1 ML-DSA-44 line by the log, both verifying', async () => {
    const w = await makeWorld();
    const pq = await enrolPq(w);
    await growTo(w, 6);
    const r = await signLogCheckpoint(w.view, w.log, { mlDsa: pq, now: NOW });
    expect(r).toMatchObject({ created: true, dualSigned: true, size: 6 });
    const note = parseNote(r.note);
    expect(note.signatures.map((s) => s.name)).toEqual([ORIGIN, ORIGIN]);
    expect(
      verifyMlDsaCosignature(note.text, note.signatures[1]!.line, { name: ORIGIN, publicKey: pq.publicKey }),
    ).toEqual({ timestamp: NOW });
    // A verifier that knows only Ed25519 ignores the 0x06 line (signed-note §Signatures).
    expect(independentVerify(r.note, [{ name: ORIGIN, type: 1, publicKey: w.log.publicKey }])).toMatchObject({
      ok: true,
      verified: [ORIGIN],
    });
    expect(await codes(w)).toEqual([]);
  });

  it('adds the ML-DSA-44 line to a checkpoint already signed with Ed25519 alone, once', async () => {
    const w = await makeWorld();
    const pq = await enrolPq(w);
    await growTo(w, 5);
    const first = await signLogCheckpoint(w.view, w.log);
    expect(parseNote(first.note).signatures).toHaveLength(1);
    const again = await signLogCheckpoint(w.view, w.log, { mlDsa: pq, now: NOW });
    expect(again).toMatchObject({ created: false, dualSigned: true });
    expect(parseNote(again.note).signatures).toHaveLength(2);
    expect(parseNote(again.note).text).toBe(parseNote(first.note).text);
    const third = await signLogCheckpoint(w.view, w.log, { mlDsa: pq, now: NOW + 5 });
    expect(third.note).toBe(again.note);
    expect(await w.view.checkpoint(5)).toBe(again.note);
  });

  it('refuses an ML-DSA-44 key the authority did not enrol as a log key', async () => {
    const w = await makeWorld();
    await growTo(w, 4);
    expect(await codeOf(() => signLogCheckpoint(w.view, w.log, { mlDsa: pqKey('stranger') }))).toBe(
      'CHECKPOINT_SIGNER_NOT_LOG',
    );
    expect(await w.view.checkpoint(4)).toBeUndefined();
  });

  it('a damaged ML-DSA-44 line fails the whole-ledger verification, a damaged Ed25519 line too', async () => {
    const w = await makeWorld();
    const pq = await enrolPq(w);
    await growTo(w, 6);
    const { note } = await signLogCheckpoint(w.view, w.log, { mlDsa: pq, now: NOW });
    await storeOf(w.view).putCheckpoint(6, damageLine(note, 1));
    expect(await codes(w)).toContain('CHECKPOINT_SIGNATURE_INVALID');
    await storeOf(w.view).putCheckpoint(6, damageLine(note, 0));
    expect(await codes(w)).toContain('CHECKPOINT_SIGNATURE_INVALID');
    await storeOf(w.view).putCheckpoint(6, note);
    expect(await codes(w)).toEqual([]);
  });

  it('a bundle says which ML-DSA-44 log key dual-signed its checkpoint, and fails on a damaged line', async () => {
    const w = await makeWorld();
    const pq = await enrolPq(w);
    const reg = await submit(w, 'register', w.collector, {
      label: 'HDD-01',
      caseRef: 'NL-2026-0042',
      description: 'a hard disk',
      digests: digestsOf('disk'),
      size: 4,
    });
    await growTo(w, 7);
    const { note } = await signLogCheckpoint(w.view, w.log, { mlDsa: pq, now: NOW });
    // No witnesses asked for (quorum 0): the verdict rests on the pinned authority alone.
    const trust = { authorityKeys: [w.authority.publicKey], quorum: 0 };
    const good = await verifyBundleV2(await exportBundle(w.view, reg.id, note), trust);
    expect(good.verdict).toBe('VERIFIED');
    expect(good.checkpoint?.mlDsaSignedBy).toHaveLength(1);
    expect(good.checks.find((c) => c.id === 'checkpoint-signature')?.detail).toMatch(/ML-DSA-44 log key K-/);

    const bad = await verifyBundleV2(await exportBundle(w.view, reg.id, damageLine(note, 1)), trust);
    expect(bad.verdict).toBe('FAILED');
    expect(bad.problems.map((p) => p.code)).toContain('CHECKPOINT_SIGNATURE_INVALID');
    expect(bad.checkpoint?.mlDsaSignedBy).toBeUndefined();
  });
});
