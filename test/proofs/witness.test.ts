/**
 * The witness flow over a real v2 ledger: a witness of another jurisdiction
 * (Eurojust, EU) cosigns the ledger's checkpoints (signed with the log key
 * genesis names) in sequence, checking each against the last one it cosigned
 * with a consistency proof from the ledger, and refuses rollback, a
 * conflicting checkpoint of a forked ledger (same origin and log key) and a
 * rewritten history. Cosignatures are attached to the stored notes and
 * counted by a k-of-n verifier policy.
 */
import { describe, expect, it } from 'vitest';
import {
  cosignatureVerifier,
  formatVkey,
  noteVerifierFromVkey,
  parseCheckpoint,
  parseNote,
  parseWitnessState,
  serializeWitnessState,
  signCheckpoint,
  verifyWithPolicy,
  type WitnessLogState,
  witnessCosign,
} from '../../src/checkpoint/index.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { attachCosignature, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { consistencyProof, rootAt } from '../../src/merkle/proofs.js';
import { independentVerify } from '../checkpoint/independent-verifier.js';
import { seededSigner } from '../helpers/world.js';
import { codeOf, growTo, makeWorld, ORIGIN, type ProofWorld } from './helpers.js';
import { hexOf } from './independent.js';

const EU_WITNESS = seededSigner('eurojust witness');
const checkpointLedger = (w: ProofWorld) => signLogCheckpoint(w.view, w.log);
const NOW = 1_772_400_000;

interface Witness {
  name: string;
  signer: Signer;
  state: WitnessLogState | undefined;
}

const witnessOf = (name: string, signer: Signer): Witness => ({ name, signer, state: undefined });
const verifierOf = (w: Witness) => cosignatureVerifier(w.name, w.signer.publicKey);

/** What a witness does with a submission from the ledger: cosign against its state, then persist. */
function submit(w: Witness, log: ProofWorld, note: string, proof: readonly Uint8Array[], now = NOW) {
  const r = witnessCosign({
    state: w.state,
    noteText: note,
    logVerifier: noteVerifierFromVkey(formatVkey(ORIGIN, log.log.publicKey)),
    consistencyProof: proof,
    witnessName: w.name,
    witnessSigner: w.signer,
    now,
  });
  w.state = r.state;
  return r;
}

/** The ledger side: checkpoint now, and the proof from what the witness last saw. */
async function checkpointFor(log: ProofWorld, w: Witness) {
  const { note, size } = await checkpointLedger(log);
  const from = w.state?.size;
  const proof =
    from !== undefined && from > 0 && from < size ? await consistencyProof(log.store, from, size) : [];
  return { note, size, proof };
}

describe('a witness cosigns the ledger in sequence', () => {
  it('first checkpoint on trust, then each later one only with a valid consistency proof', async () => {
    const log = await makeWorld();
    const eu = witnessOf('eurojust.europa.eu/witness', EU_WITNESS);
    const seen: number[] = [];
    for (const size of [3, 12, 12, 20, 33]) {
      await growTo(log, size);
      const { note, proof } = await checkpointFor(log, eu);
      const before = eu.state?.size;
      if (before !== undefined && before < size) expect(proof.length).toBeGreaterThan(0);
      const r = submit(eu, log, note, proof, NOW + size);
      expect(r.checkpoint.size).toBe(size);
      expect(hexOf(r.state.root)).toBe(hexOf(log.ledger.root()));
      const stored = await attachCosignature(log.view, size, r.cosignatureLine, verifierOf(eu));
      // A re-used checkpoint already carries this witness's line (same size, root and timestamp).
      expect(stored).toBe(note.endsWith(r.cosignatureLine) ? note : `${note}${r.cosignatureLine}`);
      // Attaching the same line again changes nothing.
      expect(await attachCosignature(log.view, size, r.cosignatureLine, verifierOf(eu))).toBe(stored);
      expect(await log.store.checkpoint(size)).toBe(stored);
      // The independent verifier accepts the log signature and the cosignature (type 0x04).
      const ind = independentVerify(stored, [
        { name: ORIGIN, type: 1, publicKey: log.log.publicKey },
        { name: eu.name, type: 4, publicKey: eu.signer.publicKey },
      ]);
      expect(ind).toMatchObject({ ok: true, verified: [ORIGIN, eu.name] });
      seen.push(size);
    }
    expect(seen).toEqual([3, 12, 12, 20, 33]);
    expect(eu.state?.size).toBe(33);
    // The persisted form of the state round-trips.
    const states = new Map([[ORIGIN, eu.state!]]);
    const back = parseWitnessState(serializeWitnessState(states)).get(ORIGIN)!;
    expect([back.size, hexOf(back.root)]).toEqual([33, hexOf(eu.state!.root)]);
  });

  it('refuses rollback, a fork of the same size, and a rewritten history; the state never moves', async () => {
    const log = await makeWorld();
    const eu = witnessOf('eurojust.europa.eu/witness', EU_WITNESS);
    // The fork: the same origin and log key; identical up to 12 entries, then different.
    const fork = await makeWorld();
    expect(hexOf(fork.log.publicKey)).toBe(hexOf(log.log.publicKey));

    await growTo(log, 12);
    const cp12 = await checkpointFor(log, eu);
    submit(eu, log, cp12.note, cp12.proof);
    await growTo(log, 20);
    const cp20 = await checkpointFor(log, eu);
    submit(eu, log, cp20.note, cp20.proof);
    const state = eu.state!;

    const refused = async (note: string, proof: readonly Uint8Array[]) => {
      const code = await codeOf(() => submit(eu, log, note, proof));
      expect(eu.state).toBe(state);
      return code;
    };

    // Rollback: the size-12 checkpoint (genuine, log-signed) after the size-20 one.
    expect(await refused(cp12.note, [])).toBe('WITNESS_ROLLBACK');

    // Conflict: the fork signed at size 20 with the same key.
    await growTo(fork, 12);
    expect(hexOf(fork.ledger.root())).toBe(hexOf(await rootAt(log.store, 12)));
    await growTo(fork, 20, 'FORK');
    const f20 = await checkpointLedger(fork);
    expect(hexOf(fork.ledger.root())).not.toBe(hexOf(log.ledger.root()));
    expect(await refused(f20.note, [])).toBe('WITNESS_CONFLICT');

    // Inconsistent: the fork grows on; its own proof from 20 does not connect to what the witness saw.
    await growTo(fork, 27, 'FORK');
    const f27 = await checkpointLedger(fork);
    expect(await refused(f27.note, await consistencyProof(fork.store, 20, 27))).toBe('WITNESS_INCONSISTENT');
    // ... nor does the genuine log's proof for the same sizes, nor an empty one.
    await growTo(log, 27);
    expect(await refused(f27.note, await consistencyProof(log.store, 20, 27))).toBe('WITNESS_INCONSISTENT');
    expect(await refused(f27.note, [])).toBe('WITNESS_INCONSISTENT');

    // The genuine log still goes on.
    const cp27 = await checkpointFor(log, eu);
    expect(submit(eu, log, cp27.note, cp27.proof).checkpoint.size).toBe(27);
  });

  it('a rewritten history below the witnessed size (the fork diverges before it) is refused', async () => {
    const log = await makeWorld();
    const eu = witnessOf('eurojust.europa.eu/witness', EU_WITNESS);
    await growTo(log, 15);
    const cp = await checkpointFor(log, eu);
    submit(eu, log, cp.note, cp.proof);
    const rewritten = await makeWorld();
    await growTo(rewritten, 9);
    await growTo(rewritten, 18, 'REWRITE');
    const r = await checkpointLedger(rewritten);
    expect(await codeOf(() => submit(eu, log, r.note, []))).toBe('WITNESS_INCONSISTENT');
    const p = await consistencyProof(rewritten.store, 15, 18);
    expect(await codeOf(() => submit(eu, log, r.note, p))).toBe('WITNESS_INCONSISTENT');
    expect(eu.state?.size).toBe(15);
  });

  it('refuses a first checkpoint with a proof, and a checkpoint not signed by the log key', async () => {
    const log = await makeWorld();
    const eu = witnessOf('eurojust.europa.eu/witness', EU_WITNESS);
    await growTo(log, 9);
    const { note } = await checkpointLedger(log);
    expect(await codeOf(() => submit(eu, log, note, [new Uint8Array(32)]))).toBe('WITNESS_INCONSISTENT');
    // The same checkpoint body signed under the origin by a key that is not the log's.
    const stranger = seededSigner('stranger');
    const body = parseNote(note).text;
    const forged = signCheckpoint(parseCheckpoint(body), ORIGIN, stranger);
    expect(parseNote(forged).text).toBe(body);
    expect(await codeOf(() => submit(eu, log, forged, []))).toBe('NOTE_UNVERIFIED');
    // A stolen log signature line under a different body does not verify either.
    const sigLine = parseNote(note).signatures[0]!.line;
    const moved = `${body.replace(/\n9\n/, '\n10\n')}\n${sigLine}`;
    expect(await codeOf(() => submit(eu, log, moved, []))).toBe('NOTE_BAD_SIGNATURE');
    expect(eu.state).toBeUndefined();
  });
});

describe('attachCosignature and a k-of-n verifier policy', () => {
  it('stores each witness line and counts distinct configured witnesses', async () => {
    const log = await makeWorld();
    await growTo(log, 10);
    const ws = [
      witnessOf('eurojust.europa.eu/witness', EU_WITNESS),
      witnessOf('witness.bka.de/1', seededSigner('bka witness')),
      witnessOf('witness.example.fr/cour', seededSigner('fr witness')),
    ];
    const { note, size } = await checkpointLedger(log);
    for (const w of ws.slice(0, 2)) {
      const r = submit(w, log, note, []);
      await attachCosignature(log.view, size, r.cosignatureLine, verifierOf(w));
    }
    const stored = (await log.store.checkpoint(size))!;
    expect(parseNote(stored).signatures.map((s) => s.name)).toEqual([ORIGIN, ws[0]!.name, ws[1]!.name]);
    expect(parseNote(stored).text).toBe(parseNote(note).text);

    const policy = (quorum: number) => ({
      log: noteVerifierFromVkey(formatVkey(ORIGIN, log.log.publicKey)),
      witnesses: ws.map(verifierOf),
      quorum,
    });
    for (const k of [0, 1, 2, 3]) {
      const r = verifyWithPolicy(stored, policy(k));
      expect(r.witnessesVerified).toEqual([ws[0]!.name, ws[1]!.name]);
      expect(r.quorumMet, `quorum ${k}`).toBe(k <= 2);
      expect(r.checkpoint.size).toBe(size);
    }
    // The original note (no cosignatures) meets only quorum 0.
    expect(verifyWithPolicy(note, policy(1)).quorumMet).toBe(false);
    expect(verifyWithPolicy(note, policy(0)).quorumMet).toBe(true);

    // A cosignature that does not verify under the named witness key is not attached.
    const r3 = submit(ws[2]!, log, note, []);
    const sameNameOtherKey = witnessOf(ws[2]!.name, seededSigner('not the fr witness'));
    expect(
      await codeOf(() => attachCosignature(log.view, size, r3.cosignatureLine, verifierOf(sameNameOtherKey))),
    ).toBe('COSIGNATURE_INVALID');
    expect(
      await codeOf(() => attachCosignature(log.view, size + 1, r3.cosignatureLine, verifierOf(ws[2]!))),
    ).toBe('CHECKPOINT_UNKNOWN');
    // A cosignature over another checkpoint (same witness, same name) is refused for this one.
    await growTo(log, 11);
    const other = await checkpointLedger(log);
    const w2 = witnessOf(ws[2]!.name, ws[2]!.signer);
    const line11 = submit(w2, log, other.note, []).cosignatureLine;
    expect(await codeOf(() => attachCosignature(log.view, size, line11, verifierOf(ws[2]!)))).toBe(
      'COSIGNATURE_INVALID',
    );
    expect(await log.store.checkpoint(size)).toBe(stored);
  });

  // Regression (v1): attachCosignature checked that *some* line of the resulting
  // note verified under the given witness key, not that the NEW line did. Once a
  // witness had cosigned, any well-formed line could be attached "as" that
  // witness: here a line claiming to be witness B's, with a broken signature,
  // named as witness A. Every verifier that trusts B would then reject the
  // stored checkpoint outright. Expected: COSIGNATURE_INVALID, note unchanged.
  it('attaching a line that is not by the named witness is refused even if that witness already cosigned', async () => {
    const log = await makeWorld();
    const a = witnessOf('eurojust.europa.eu/witness', EU_WITNESS);
    const b = witnessOf('witness.bka.de/1', seededSigner('bka witness'));
    const { note, size } = await checkpointLedger(log);
    await attachCosignature(log.view, size, submit(a, log, note, []).cosignatureLine, verifierOf(a));
    const before = (await log.store.checkpoint(size))!;
    const good = parseNote(`${note}${submit(b, log, note, []).cosignatureLine}`).signatures[1]!;
    const sig = Uint8Array.from(good.signature);
    sig[sig.length - 1]! ^= 0xff;
    const broken = `\u2014 ${b.name} ${Buffer.concat([good.keyId, sig]).toString('base64')}\n`;
    const got = await attachCosignature(log.view, size, broken, verifierOf(a)).then(
      () => 'attached',
      (e: unknown) => (e instanceof CustodyError ? e.code : String(e)),
    );
    const after = (await log.store.checkpoint(size))!;
    // What the damage does: a verifier trusting B can no longer use the stored checkpoint.
    const policyB = {
      log: noteVerifierFromVkey(formatVkey(ORIGIN, log.log.publicKey)),
      witnesses: [verifierOf(a), verifierOf(b)],
      quorum: 1,
    };
    const usable = await codeOf(() => verifyWithPolicy(after, policyB)).catch(() => 'usable');
    expect({ got, unchanged: after === before, usable }).toEqual({
      got: 'COSIGNATURE_INVALID',
      unchanged: true,
      usable: 'usable',
    });
  });

  // Regression (v1): docs/ERRORS.md says `custody witness attach` refuses a cosignature
  // that "is not from the expected witness or does not verify" with
  // COSIGNATURE_INVALID; v1 threw NOTE_UNVERIFIED or NOTE_BAD_SIGNATURE instead.
  it('a cosignature not by the witness, or over another checkpoint, is COSIGNATURE_INVALID', async () => {
    const log = await makeWorld();
    const a = witnessOf('eurojust.europa.eu/witness', EU_WITNESS);
    const { note, size } = await checkpointLedger(log);
    const line = submit(a, log, note, []).cosignatureLine;
    const impostor = witnessOf(a.name, seededSigner('impostor'));
    const notByWitness = await codeOf(() => attachCosignature(log.view, size, line, verifierOf(impostor)));
    await growTo(log, size + 1);
    const next = await checkpointLedger(log);
    const otherLine = submit(witnessOf(a.name, a.signer), log, next.note, []).cosignatureLine;
    const otherCheckpoint = await codeOf(() => attachCosignature(log.view, size, otherLine, verifierOf(a)));
    expect({ notByWitness, otherCheckpoint }).toEqual({
      notByWitness: 'COSIGNATURE_INVALID',
      otherCheckpoint: 'COSIGNATURE_INVALID',
    });
  });
});
