/**
 * Fraud proofs of a wrong map transition (docs/PROOFS.md §Fraud proofs).
 * Whoever holds the log key appends an entry whose map root the rules do not
 * give, signs a checkpoint over it, and a witness (who checks only
 * consistency) cosigns it. The auditor's replay finds the entry; the fraud
 * proof built from the store convinces a verifier that has nothing else;
 * an honest entry's "proof" proves nothing; and damaged proof bytes never
 * prove anything, nor throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFraudProof } from '../../src/audit/build-fraud-proof.js';
import { FRAUD_PROOF_MAGIC, verifyFraudProof } from '../../src/audit/fraud-proof.js';
import { toHex } from '../../src/bytes.js';
import { signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { formatCosignerVkey, signCosignature, verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { formatNote, parseNote, verifyNote } from '../../src/checkpoint/note.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';
import { rootAt } from '../../src/merkle/proofs.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { ORIGIN } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';
import { forgedWorld } from './forged-world.js';

describe('a false map root appended with the real log key', () => {
  it('is cosigned by a witness, refused by the replay, and proven by the fraud proof alone', async () => {
    const { w, p, note, store } = await forgedWorld('fraud ');
    // A witness checks only signatures and consistency: it cosigns.
    const witness = seededSigner('fraud witness');
    const line = signCosignature(parseNote(note).text, 'witness.example', witness, 1_780_000_000);
    const cosigned = formatNote(parseNote(note).text, [
      ...parseNote(note).signatures.map((s) => s.line),
      line,
    ]);
    const vkey = formatCosignerVkey('witness.example', witness.publicKey);
    expect(verifyNote(cosigned, [verifierFromVkey(vkey)]).verified).toHaveLength(1);

    // The auditor's replay names the entry.
    const replay = await verifyLogStore(store, {});
    expect(replay.allProblems().find((x) => x.code === 'MAP_ROOT_MISMATCH')?.seq).toBe(p);

    const proof = await buildFraudProof(store, p, cosigned);
    const r = await verifyFraudProof(proof);
    expect(r).toMatchObject({ proven: true, index: p, origin: ORIGIN, size: p + 1, outcome: 'accepted' });
    if (!r.proven) return;
    expect(toHex(r.logKey)).toBe(toHex(w.log.publicKey));
    expect(toHex(r.claimed)).not.toBe(toHex(r.correct));
    // Compact: a few branches and records, not the log.
    expect(proof.length).toBeLessThan(64 * 1024);
  });

  it('an honest entry’s proof proves nothing', async () => {
    const { p, note, store } = await forgedWorld('fraud ');
    const r = await verifyFraudProof(await buildFraudProof(store, p - 1, note));
    expect(r).toMatchObject({ proven: false });
    if (!r.proven) expect(r.reason).toMatch(/no fraud/);
  });

  it('an honest statement’s proof stripped of its seen root (or given another) proves nothing', async () => {
    // Without the root `seen` names, the rules would refuse the statement (SEEN_MISMATCH) and
    // the honest root would look false: the proof must be refused as incomplete instead.
    const { note, store } = await forgedWorld('fraud ');
    const honest = await buildFraudProof(store, 2, note); // an enrolment: a ledger statement with seen
    const magic = new TextEncoder().encode(FRAUD_PROOF_MAGIC).length;
    const body = decodeCanonical(honest.subarray(magic));
    if ('error' in body) throw new Error(body.error);
    const m = body.value as Record<string, Canonical>;
    expect(m['seen']).toBeDefined();
    const withBody = (b: Record<string, Canonical | undefined>) => {
      const e = encodeCanonical(b as Canonical);
      const out = new Uint8Array(magic + e.length);
      out.set(honest.subarray(0, magic));
      out.set(e, magic);
      return out;
    };
    const stripped = await verifyFraudProof(withBody({ ...m, seen: undefined }));
    expect(stripped).toMatchObject({ proven: false });
    if (!stripped.proven) expect(stripped.reason).toMatch(/lacks the root/);
    const seen = m['seen'] as Record<string, Canonical>;
    const other = await verifyFraudProof(
      withBody({ ...m, seen: { ...seen, root: new Uint8Array(32).fill(9) } }),
    );
    expect(other).toMatchObject({ proven: false });
  });

  it('a proof against a checkpoint the log key did not sign proves nothing', async () => {
    const { p, store } = await forgedWorld('fraud ');
    const size = p + 1;
    const other = signCheckpoint(
      { origin: ORIGIN, size, root: await rootAt(store, size) },
      ORIGIN,
      seededSigner('not the log key'),
    );
    const r = await verifyFraudProof(await buildFraudProof(store, p, other));
    expect(r).toMatchObject({ proven: false });
  });

  it('damaged proof bytes never prove anything and never throw', async () => {
    const { p, note, store } = await forgedWorld('fraud ');
    const proof = await buildFraudProof(store, p, note);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: proof.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (at, x) => {
          const b = proof.slice();
          b[at]! ^= x;
          const r = await verifyFraudProof(b);
          // A flipped byte that still proves fraud would have to leave every hash and signature intact.
          if (r.proven) expect(r.index).toBe(p);
        },
      ),
      { numRuns: 200, seed: 24 },
    );
    for (const junk of [new Uint8Array(0), new Uint8Array(100), proof.subarray(0, proof.length - 1)])
      expect((await verifyFraudProof(junk)).proven).toBe(false);
  });
});
