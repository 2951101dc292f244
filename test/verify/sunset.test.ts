/**
 * Algorithm sunsets and time bounds in the bundle verifier
 * (src/verify/bundle-v2-sunset.ts, docs/LONG-TERM.md): a simulated break of
 * Ed25519 at Tb. A checkpoint the log dual-signed at T2 < Tb still verifies
 * after Tb; the same with T2 after Tb, a checkpoint with Ed25519 alone, and a
 * checkpoint forged with the log's Ed25519 key after Tb do not; Ed25519
 * witness cosignatures count for nothing after Tb, ML-DSA-44 ones still do.
 * And the k-th smallest witness timestamp bounds when the checkpoint existed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBundleV2, encodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { cosignatureVerifier, signCosignature } from '../../src/checkpoint/cosignature.js';
import { mlDsaCosignatureVerifier, signMlDsaCosignature } from '../../src/checkpoint/cosignature-mldsa.js';
import { formatCheckpoint, formatNote, parseNote, signNoteLine } from '../../src/checkpoint/index.js';
import { parseRelyingPolicy } from '../../src/checkpoint/relying-policy.js';
import { mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { archiveLatestCheckpoint } from '../../src/ledger/archive.js';
import { storeOf } from '../../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { type BundleV2Trust, verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { HAVE_OPENSSL, localTsa, OPENSSL } from '../helpers/local-tsa.js';
import { seededSigner } from '../helpers/world.js';
import { dualKeyWorld, growTo, ORIGIN, type ProofWorld } from '../proofs/helpers.js';

const mlDsa = (label: string) => mlDsa44SignerFromSeed(sha256(new TextEncoder().encode(`sunset ${label}`)));
const logPq = mlDsa('log');
const pqWitness = mlDsa('witness');
const edWitness = seededSigner('sunset ed witness');

const T2 = 1_900_000_000; // seconds: the post-quantum signature
const DAY = 86_400_000;

/** A ledger with the log's ML-DSA-44 key enrolled and one exhibit. */
const world = () => dualKeyWorld(logPq, 8);

const withLines = (note: string, ...lines: string[]) => {
  const p = parseNote(note);
  return formatNote(p.text, [...p.signatures.map((s) => s.line), ...lines]);
};
const verify = async (w: ProofWorld, exhibit: Uint8Array, note: string, trust: BundleV2Trust) =>
  verifyBundleV2(await exportBundle(w.view, exhibit, note), {
    authorityKeys: [w.authority.publicKey],
    ...trust,
  });
const codes = (v: { problems: { code: string }[] }) => v.problems.map((p) => p.code);

describe('Ed25519 past its sunset (a simulated break at Tb)', () => {
  it('a checkpoint the log dual-signed at T2 < Tb still verifies, and says what anchors it', async () => {
    const { w, exhibit } = await world();
    const { note } = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 });
    const Tb = (T2 + 3600) * 1000;
    const before = await verify(w, exhibit, note, { quorum: 0, distrust: { ed25519: Tb }, now: Tb - DAY });
    expect(before.verdict).toBe('VERIFIED');
    expect(before.checkpoint?.sunset).toBeUndefined();
    const after = await verify(w, exhibit, note, {
      quorum: 0,
      distrust: { ed25519: Tb },
      now: Tb + 365 * DAY,
    });
    expect(after.verdict).toBe('VERIFIED');
    expect(after.checkpoint?.sunset).toEqual({
      algorithm: 'Ed25519',
      distrustedFrom: new Date(Tb).toISOString(),
      anchoredBy: { by: "the log's ML-DSA-44 key", time: new Date(T2 * 1000).toISOString() },
    });
    expect(after.checks.find((c) => c.id === 'anchor')?.detail).toMatch(/Ed25519 is distrusted from/);
  });

  it('with the post-quantum signature after Tb, or none at all, nothing is anchored: UNANCHORED (ALGORITHM_SUNSET)', async () => {
    const { w, exhibit } = await world();
    const { note } = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 });
    const Tb = (T2 - 60) * 1000;
    const late = await verify(w, exhibit, note, { quorum: 0, distrust: { ed25519: Tb }, now: Tb + DAY });
    expect(late.verdict).toBe('UNANCHORED');
    expect(codes(late)).toEqual(['ALGORITHM_SUNSET']);

    const edOnly = parseNote(note);
    const alone = formatNote(edOnly.text, [edOnly.signatures[0]!.line]);
    const none = await verify(w, exhibit, alone, {
      quorum: 0,
      distrust: { ed25519: (T2 + 60) * 1000 },
      now: (T2 + 120) * 1000,
    });
    expect(none.verdict).toBe('UNANCHORED');
    expect(codes(none)).toEqual(['ALGORITHM_SUNSET']);
  });

  it('a checkpoint forged with the log’s Ed25519 key after Tb is refused, even with a genuine ML-DSA-44 line copied over', async () => {
    const { w, exhibit } = await world();
    const { note } = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 });
    await growTo(w, 10);
    // The forger holds (can forge) the log's Ed25519 key: a checkpoint of the grown log, signed after Tb.
    const text = formatCheckpoint({ origin: ORIGIN, size: 10, root: await w.view.rootAt(10) });
    const forged = formatNote(text, [signNoteLine(text, ORIGIN, w.log)]);
    const Tb = (T2 + 3600) * 1000;
    const trust = { quorum: 0, distrust: { ed25519: Tb }, now: Tb + DAY };
    const v = await verify(w, exhibit, forged, trust);
    expect(v.verdict).toBe('UNANCHORED');
    expect(codes(v)).toContain('ALGORITHM_SUNSET');
    // The genuine line covers another checkpoint's text: it does not verify here.
    const copied = withLines(forged, parseNote(note).signatures[1]!.line);
    const c = await verify(w, exhibit, copied, trust);
    expect(c.verdict).toBe('FAILED');
    expect(codes(c)).toContain('CHECKPOINT_SIGNATURE_INVALID');
  });

  it('past Tb an Ed25519 witness counts for nothing; the same witness’s ML-DSA-44 cosignature before Tb still counts', async () => {
    const { w, exhibit } = await world();
    const { note } = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 });
    const text = parseNote(note).text;
    const ed = cosignatureVerifier('witness.example', edWitness.publicKey);
    const pq = mlDsaCosignatureVerifier('witness.example', pqWitness.publicKey);
    const cosigned = withLines(
      note,
      signCosignature(text, 'witness.example', edWitness, T2 + 5),
      signMlDsaCosignature(text, 'witness.example', pqWitness, T2 + 5),
    );
    const Tb = (T2 + 3600) * 1000;
    const late = { distrust: { ed25519: Tb }, now: Tb + DAY };
    const edOnly = await verify(w, exhibit, cosigned, { witnesses: [ed], quorum: 1, ...late });
    expect(edOnly.verdict).toBe('UNWITNESSED');
    expect(edOnly.problems).toEqual([
      expect.objectContaining({
        code: 'COSIGNATURE_MISSING',
        message: expect.stringMatching(/Ed25519, which the relying party distrusts/),
      }),
    ]);
    const both = await verify(w, exhibit, cosigned, { witnesses: [ed, pq], quorum: 1, pqQuorum: 1, ...late });
    expect(both.verdict).toBe('VERIFIED');
    expect(both.checkpoint?.witnesses).toEqual([{ name: 'witness.example', verified: true }]);
  });

  it('the relying party’s policy file names the sunset', () => {
    const p = parseRelyingPolicy(
      JSON.stringify({ custody: 'policy', v: 1, distrust: { ed25519: '2035-01-01T00:00:00Z' } }),
    );
    expect(p.distrust).toEqual({ ed25519: Date.UTC(2035, 0, 1) });
    const all = parseRelyingPolicy(
      JSON.stringify({
        custody: 'policy',
        v: 1,
        distrust: { rsa: '2034-01-01T00:00:00Z', ecdsa: '2034-06-01T00:00:00+02:00' },
      }),
    );
    expect(all.distrust).toEqual({ rsa: Date.UTC(2034, 0, 1), ecdsa: Date.UTC(2034, 4, 31, 22) });
    for (const bad of [
      { md5: '2035-01-01T00:00:00Z' },
      { ed25519: '2035-01-01' },
      { ed25519: 2035 },
      'ed25519',
    ])
      expect(() => parseRelyingPolicy(JSON.stringify({ custody: 'policy', v: 1, distrust: bad }))).toThrow(
        expect.objectContaining({ code: 'POLICY_INVALID' }),
      );
  });
});

describe('when the checkpoint existed, by its witnesses', () => {
  it('timestamps t, t+2 and t+3600 with k = 2 give t+2; a zero timestamp dates nothing', async () => {
    const { w, exhibit } = await world();
    const { note } = await signLogCheckpoint(w.view, w.log);
    const text = parseNote(note).text;
    const t = 1_800_000_000;
    const signers = ['a', 'b', 'c', 'z'].map((n) => ({
      name: `w-${n}.example`,
      s: seededSigner(`sunset witness ${n}`),
    }));
    const stamps = [t + 3600, t, t + 2, 0];
    const lines = signers.map((x, i) => signCosignature(text, x.name, x.s, stamps[i]!));
    const witnesses = signers.map((x) => cosignatureVerifier(x.name, x.s.publicKey));
    const v = await verify(w, exhibit, withLines(note, ...lines), { witnesses, quorum: 2 });
    expect(v.verdict).toBe('VERIFIED');
    expect(v.checkpoint?.existedNoLaterThan).toEqual({
      time: new Date((t + 2) * 1000).toISOString(),
      k: 2,
      of: 3,
    });
  });
});

describe('a simulated break with an archived checkpoint (C1 at T1, archived; C2 dual-signed at T2; Ed25519 distrusted from Tb > T2)', () => {
  it('the bundle at C2 verifies after Tb and keeps T1, the Ed25519 witness time of the archived C1', async () => {
    const { w, exhibit } = await world();
    const c1 = await signLogCheckpoint(w.view, w.log);
    const T1 = T2 - 86_400;
    const text1 = parseNote(c1.note).text;
    const edLine = signCosignature(text1, 'witness.example', edWitness, T1);
    await storeOf(w.view).putCheckpoint(c1.size, withLines(c1.note, edLine));
    await archiveLatestCheckpoint(w.ledger, w.view);
    const c2 = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 });
    const text2 = parseNote(c2.note).text;
    const note2 = withLines(c2.note, signMlDsaCosignature(text2, 'witness.example', pqWitness, T2 + 1));
    const ed = cosignatureVerifier('witness.example', edWitness.publicKey);
    const pq = mlDsaCosignatureVerifier('witness.example', pqWitness.publicKey);
    const Tb = (T2 + 3600) * 1000;
    const v = await verify(w, exhibit, note2, {
      witnesses: [ed, pq],
      quorum: 1,
      pqQuorum: 1,
      distrust: { ed25519: Tb },
      now: Tb + 10 * 365 * DAY,
    });
    expect(v.verdict).toBe('VERIFIED');
    expect(v.checkpoint?.sunset?.anchoredBy?.time).toBe(new Date(T2 * 1000).toISOString());
    expect(v.timeEvidence).toEqual([
      { index: c1.size, size: c1.size, witnesses: { time: new Date(T1 * 1000).toISOString(), k: 1, of: 1 } },
    ]);
    // A forged Ed25519 cosignature line on C2 itself, after Tb, changes nothing: it is not counted.
    const forgedLine = signCosignature(text2, 'witness.example', edWitness, Tb / 1000 + 10);
    const again = await verify(w, exhibit, withLines(note2, forgedLine), {
      witnesses: [ed, pq],
      quorum: 1,
      pqQuorum: 1,
      distrust: { ed25519: Tb },
      now: Tb + 10 * 365 * DAY,
    });
    expect(again.verdict).toBe('VERIFIED');
    expect(again.checkpoint?.cosignedAt).toBe(new Date((T2 + 1) * 1000).toISOString());
  });

  it('an archived checkpoint whose consistency proof or record was tampered with fails', async () => {
    const { w, exhibit } = await world();
    await signLogCheckpoint(w.view, w.log);
    await archiveLatestCheckpoint(w.ledger, w.view);
    const c2 = await signLogCheckpoint(w.view, w.log);
    const bytes = await exportBundle(w.view, exhibit, c2.note);
    const b = decodeBundleV2(bytes);
    expect(b.archives).toHaveLength(1);
    const trust = { authorityKeys: [w.authority.publicKey], quorum: 0 };
    expect((await verifyBundleV2(bytes, trust)).verdict).toBe('VERIFIED');
    const a = b.archives![0]!;
    const badConsistency = {
      ...b,
      archives: [{ ...a, consistency: a.consistency.map((h) => h.map((x) => x ^ 1)) }],
    };
    const v1 = await verifyBundleV2(encodeBundleV2(badConsistency), trust);
    expect(codes(v1)).toContain('ARCHIVED_CHECKPOINT_INVALID');
    const badPayload = {
      ...b,
      archives: [{ ...a, payload: a.payload.map((x, i) => (i === 40 ? x ^ 1 : x)) }],
    };
    const v2 = await verifyBundleV2(encodeBundleV2(badPayload), trust);
    expect(v2.verdict).toBe('FAILED');
    expect(codes(v2)).toContain('ARCHIVED_CHECKPOINT_INVALID');
  });
});

describe.skipIf(!HAVE_OPENSSL)(
  'tokens past a sunset of their algorithm (local OpenSSL TSA, ECDSA P-256)',
  () => {
    it('a token logged before Tb keeps its time, qualified by the policy; with the post-quantum signature after Tb it dates nothing', async () => {
      const tsa = localTsa(mkdtempSync(join(tmpdir(), 'custody-sunset-tsa-')));
      const der = (f: string) =>
        new Uint8Array(execFileSync(OPENSSL, ['x509', '-in', f, '-outform', 'DER'], { stdio: 'pipe' }));
      const chain = [der(tsa.tsaCert), der(tsa.rootCert)];
      const ask = async (req: Uint8Array) =>
        new Uint8Array(execFileSync('/bin/sh', ['-c', tsa.command], { input: req, stdio: 'pipe' }));
      const { w, exhibit } = await world();
      await signLogCheckpoint(w.view, w.log);
      await archiveLatestCheckpoint(w.ledger, w.view, { tsa: ask, tsaChain: chain });
      const c2 = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 });
      const base = { quorum: 0, tsaRoots: [chain[1]!], qualifiedTsaRoots: [chain[1]!] };

      const Tb = (T2 + 3600) * 1000;
      const kept = await verify(w, exhibit, c2.note, {
        ...base,
        distrust: { ecdsa: Tb },
        now: Tb + 365 * DAY,
      });
      expect(kept.verdict).toBe('VERIFIED');
      expect(kept.timeEvidence?.[0]?.token).toMatchObject({
        qualified: true,
        renewedBy: { by: "the log's ML-DSA-44 key", time: new Date(T2 * 1000).toISOString() },
      });

      const early = (T2 - 60) * 1000;
      const lost = await verify(w, exhibit, c2.note, {
        ...base,
        distrust: { ecdsa: early },
        now: early + DAY,
      });
      expect(lost.verdict).toBe('VERIFIED');
      expect(lost.timeEvidence?.[0]?.token).toBeUndefined();
      expect(lost.warnings.map((p) => p.code)).toContain('TIMESTAMP_NOT_CHECKED');

      const unqualified = await verify(w, exhibit, c2.note, { quorum: 0, tsaRoots: [chain[1]!] });
      expect(unqualified.timeEvidence?.[0]?.token?.qualified).toBe(false);
    });
  },
);
