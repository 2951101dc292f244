/**
 * Witness decision logic (c2sp.org/tlog-witness §add-checkpoint) and the
 * witness state file. Replays the Sigsum checkpoints and consistency proofs
 * that torchwood's Go witness accepts (TestRace), then checks every refusal.
 */
import { describe, expect, it } from 'vitest';
import { toBase64, toHex } from '../../src/bytes.js';
import {
  checkpointOriginOf,
  cosignatureVerifier,
  ed25519NoteVerifier,
  parseSignatureLine,
  parseWitnessState,
  serializeWitnessState,
  signCheckpoint,
  verifyCosignature,
  verifyNote,
  WITNESS_STATE_FORMAT,
  type WitnessLogState,
  witnessCosign,
} from '../../src/checkpoint/index.js';
import { sha256 } from '../../src/crypto/sha256.js';
import {
  consistencyProof,
  expectCode,
  LOG_ORIGIN,
  leaves,
  logSigner,
  mth,
  witnessNames,
  witnessSigners,
} from './helpers.js';
import {
  SIGSUM_CP1,
  SIGSUM_CP3,
  SIGSUM_CP5,
  SIGSUM_ORIGIN,
  SIGSUM_PK,
  SIGSUM_PROOF_1_3,
  SIGSUM_PROOF_1_5,
} from './vectors.js';

const wName = witnessNames[0]!;
const wSigner = witnessSigners[0]!;
const NOW = 1_750_000_000;
const logVerifier = ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey);
const cp = (size: number) =>
  signCheckpoint({ origin: LOG_ORIGIN, size, root: mth(leaves.slice(0, size)) }, LOG_ORIGIN, logSigner);
const stateAt = (size: number): WitnessLogState => ({ size, root: mth(leaves.slice(0, size)) });

function cosign(state: WitnessLogState | undefined, noteText: string, proof: Uint8Array[]) {
  return witnessCosign({
    state,
    noteText,
    logVerifier,
    consistencyProof: proof,
    witnessName: wName,
    witnessSigner: wSigner,
    now: NOW,
  });
}

describe('known answers: the Sigsum checkpoints torchwood accepts', () => {
  const v = ed25519NoteVerifier(SIGSUM_ORIGIN, SIGSUM_PK);
  const run = (state: WitnessLogState | undefined, note: string, proof: Uint8Array[]) =>
    witnessCosign({
      state,
      noteText: note,
      logVerifier: v,
      consistencyProof: proof,
      witnessName: 'example.com/witness',
      witnessSigner: wSigner,
      now: NOW,
    });

  it('TOFU at size 1, then 1 -> 3 and 1 -> 5 with the published proofs', () => {
    const s1 = run(undefined, SIGSUM_CP1, []).state;
    expect(s1.size).toBe(1);
    const s3 = run(s1, SIGSUM_CP3, SIGSUM_PROOF_1_3);
    expect(s3.state.size).toBe(3);
    const s5 = run(s1, SIGSUM_CP5, SIGSUM_PROOF_1_5);
    expect(toHex(s5.state.root)).toBe('42bb57ad06420afa4882c4a63ac6a1ec77480b330b2f20dfc53a0caa5f564e36');
    // The cosignature verifies over the checkpoint as submitted.
    const cv = cosignatureVerifier('example.com/witness', wSigner.publicKey);
    expect(verifyNote(`${SIGSUM_CP5}${s5.cosignatureLine}`, [cv]).verified).toEqual([cv]);
  });

  it('refuses the rollback from 5 to 3 (the conflicting request of TestRace)', () => {
    const s1 = run(undefined, SIGSUM_CP1, []).state;
    const s5 = run(s1, SIGSUM_CP5, SIGSUM_PROOF_1_5).state;
    expectCode(() => run(s5, SIGSUM_CP3, SIGSUM_PROOF_1_3), 'WITNESS_ROLLBACK');
  });

  it('refuses the published proofs for the wrong target', () => {
    const s1 = run(undefined, SIGSUM_CP1, []).state;
    expectCode(() => run(s1, SIGSUM_CP5, SIGSUM_PROOF_1_3), 'WITNESS_INCONSISTENT');
    expectCode(() => run(s1, SIGSUM_CP3, SIGSUM_PROOF_1_5), 'WITNESS_INCONSISTENT');
  });
});

describe('witnessCosign', () => {
  it('trusts the first checkpoint and returns a verifying cosignature/v1 line', () => {
    const note = cp(7);
    const r = cosign(undefined, note, []);
    expect(r.state.size).toBe(7);
    expect(toHex(r.state.root)).toBe(toHex(mth(leaves.slice(0, 7))));
    expect(r.checkpoint.origin).toBe(LOG_ORIGIN);
    const body = note.slice(0, note.lastIndexOf('\n\n') + 1);
    expect(verifyCosignature(body, r.cosignatureLine, { name: wName, publicKey: wSigner.publicKey })).toEqual(
      {
        timestamp: NOW,
      },
    );
    expect(parseSignatureLine(r.cosignatureLine).name).toBe(wName);
  });

  it('refuses a non-empty proof for a first checkpoint', () => {
    expectCode(
      () => cosign(undefined, cp(7), consistencyProof(3, leaves.slice(0, 7))),
      'WITNESS_INCONSISTENT',
    );
  });

  it('advances along consistent checkpoints for every old/new size pair', () => {
    for (let m = 1; m <= 12; m++) {
      for (let n = m + 1; n <= 13; n++) {
        const r = cosign(stateAt(m), cp(n), consistencyProof(m, leaves.slice(0, n)));
        expect(r.state.size).toBe(n);
      }
    }
  });

  it('re-cosigns the same checkpoint without changing state', () => {
    const r = cosign(stateAt(5), cp(5), []);
    expect(r.state.size).toBe(5);
    expect(toHex(r.state.root)).toBe(toHex(stateAt(5).root));
  });

  it('WITNESS_ROLLBACK for a smaller tree', () => {
    const e = expectCode(() => cosign(stateAt(8), cp(5), []), 'WITNESS_ROLLBACK');
    expect(e.category).toBe('verification');
    expect(e.details['stateSize']).toBe(8);
    expect(e.details['size']).toBe(5);
  });

  it('WITNESS_CONFLICT for the same size with another root', () => {
    const fork = { size: 5, root: sha256(new Uint8Array([1, 2, 3])) };
    const e = expectCode(() => cosign(fork, cp(5), []), 'WITNESS_CONFLICT');
    expect(e.category).toBe('verification');
  });

  it('WITNESS_INCONSISTENT for a proof that does not verify', () => {
    const forked = leaves.slice(0, 9).map((l, i) => (i === 2 ? sha256(l) : l));
    // The log signs a tree that rewrote leaf 2: no proof from the old state can link them.
    const forkNote = signCheckpoint(
      { origin: LOG_ORIGIN, size: 9, root: mth(forked) },
      LOG_ORIGIN,
      logSigner,
    );
    expectCode(() => cosign(stateAt(5), forkNote, consistencyProof(5, forked)), 'WITNESS_INCONSISTENT');
    expectCode(
      () => cosign(stateAt(5), forkNote, consistencyProof(5, leaves.slice(0, 9))),
      'WITNESS_INCONSISTENT',
    );
    expectCode(() => cosign(stateAt(5), cp(9), []), 'WITNESS_INCONSISTENT');
    expectCode(
      () => cosign(stateAt(5), cp(9), consistencyProof(4, leaves.slice(0, 9))),
      'WITNESS_INCONSISTENT',
    );
    expectCode(
      () => cosign(stateAt(5), cp(5), consistencyProof(4, leaves.slice(0, 5))),
      'WITNESS_INCONSISTENT',
    );
  });

  it('handles the empty tree: only the empty-tree root, and an empty proof from it', () => {
    const empty = cp(0);
    expect(cosign(undefined, empty, []).state.size).toBe(0);
    expect(toHex(cosign(undefined, empty, []).state.root)).toBe(toHex(sha256(new Uint8Array(0))));
    expect(cosign(stateAt(0), cp(4), []).state.size).toBe(4);
    expectCode(
      () => cosign(stateAt(0), cp(4), consistencyProof(1, leaves.slice(0, 4))),
      'WITNESS_INCONSISTENT',
    );
    const badEmpty = signCheckpoint({ origin: LOG_ORIGIN, size: 0, root: leaves[0]! }, LOG_ORIGIN, logSigner);
    expectCode(() => cosign(undefined, badEmpty, []), 'WITNESS_INCONSISTENT');
  });

  it('refuses malformed proofs', () => {
    const tooMany = Array.from({ length: 64 }, () => leaves[0]!);
    expectCode(() => cosign(stateAt(5), cp(9), tooMany), 'WITNESS_PROOF_MALFORMED');
    expectCode(() => cosign(stateAt(5), cp(9), [new Uint8Array(31)]), 'WITNESS_PROOF_MALFORMED');
  });

  it('refuses checkpoints not signed by the log key before looking at state', () => {
    const mallory = signCheckpoint(
      { origin: LOG_ORIGIN, size: 9, root: mth(leaves.slice(0, 9)) },
      LOG_ORIGIN,
      witnessSigners[3]!,
    );
    expectCode(() => cosign(undefined, mallory, []), 'NOTE_UNVERIFIED');
    const other = signCheckpoint(
      { origin: 'other.example', size: 1, root: leaves[0]! },
      'other.example',
      logSigner,
    );
    expectCode(() => cosign(undefined, other, []), 'CHECKPOINT_ORIGIN_MISMATCH');
    expectCode(() => cosign(undefined, 'garbage', []), 'NOTE_MALFORMED');
  });

  it('refuses a malformed stored state and a bad timestamp', () => {
    expectCode(() => cosign({ size: -1, root: leaves[0]! }, cp(3), []), 'WITNESS_STATE_MALFORMED');
    expectCode(() => cosign({ size: 3, root: new Uint8Array(3) }, cp(3), []), 'WITNESS_STATE_MALFORMED');
    expectCode(
      () =>
        witnessCosign({
          state: undefined,
          noteText: cp(3),
          logVerifier,
          consistencyProof: [],
          witnessName: wName,
          witnessSigner: wSigner,
          now: 1.5,
        }),
      'COSIGNATURE_TIMESTAMP_INVALID',
    );
  });

  it('checkpointOriginOf reads the claimed origin', () => {
    expect(checkpointOriginOf(cp(3))).toBe(LOG_ORIGIN);
    expect(checkpointOriginOf(SIGSUM_CP1)).toBe(SIGSUM_ORIGIN);
    expectCode(() => checkpointOriginOf('x'), 'NOTE_MALFORMED');
  });
});

describe('witness state file', () => {
  const states = new Map<string, WitnessLogState>([
    ['b.example/log', { size: 3, root: mth(leaves.slice(0, 3)) }],
    ['a.example/log', { size: 0, root: sha256(new Uint8Array(0)) }],
    [SIGSUM_ORIGIN, { size: Number.MAX_SAFE_INTEGER, root: leaves[1]! }],
  ]);

  it('round-trips and is canonical (sorted by origin)', () => {
    const text = serializeWitnessState(states);
    const back = parseWitnessState(text);
    expect([...back.keys()]).toEqual(['a.example/log', 'b.example/log', SIGSUM_ORIGIN]);
    for (const [k, v] of states) {
      expect(back.get(k)!.size).toBe(v.size);
      expect(toHex(back.get(k)!.root)).toBe(toHex(v.root));
    }
    expect(serializeWitnessState(back)).toBe(text);
    expect(serializeWitnessState(new Map())).toBe(`{"format":"${WITNESS_STATE_FORMAT}","logs":[]}\n`);
  });

  const root = toBase64(leaves[0]!);
  const entry = (o: Record<string, unknown>) => JSON.stringify({ format: WITNESS_STATE_FORMAT, logs: [o] });
  const bad: [string, string][] = [
    ['not JSON', '{'],
    ['array', '[]'],
    ['wrong format', JSON.stringify({ format: 'other/v1', logs: [] })],
    ['extra top-level field', JSON.stringify({ format: WITNESS_STATE_FORMAT, logs: [], x: 1 })],
    ['logs not an array', JSON.stringify({ format: WITNESS_STATE_FORMAT, logs: {} })],
    ['missing root', entry({ origin: 'o', size: 1 })],
    ['extra field', entry({ origin: 'o', size: 1, root, x: 1 })],
    ['string size', entry({ origin: 'o', size: '1', root })],
    ['negative size', entry({ origin: 'o', size: -1, root })],
    ['fractional size', entry({ origin: 'o', size: 1.5, root })],
    ['unsafe size', entry({ origin: 'o', size: 2 ** 53, root })],
    ['short root', entry({ origin: 'o', size: 1, root: toBase64(new Uint8Array(31)) })],
    ['hex root', entry({ origin: 'o', size: 1, root: toHex(leaves[0]!) })],
    ['empty origin', entry({ origin: '', size: 1, root })],
    ['origin with newline', entry({ origin: 'a\nb', size: 1, root })],
    [
      'duplicate origin',
      JSON.stringify({
        format: WITNESS_STATE_FORMAT,
        logs: [
          { origin: 'o', size: 1, root },
          { origin: 'o', size: 2, root },
        ],
      }),
    ],
  ];
  for (const [what, text] of bad) {
    it(`rejects: ${what}`, () => {
      const e = expectCode(() => parseWitnessState(text), 'WITNESS_STATE_MALFORMED');
      expect(e.category).toBe('input');
    });
  }

  it('serializeWitnessState refuses invalid states', () => {
    expectCode(
      () => serializeWitnessState(new Map([['o', { size: 1.5, root: leaves[0]! }]])),
      'WITNESS_STATE_MALFORMED',
    );
    expectCode(
      () => serializeWitnessState(new Map([['', { size: 1, root: leaves[0]! }]])),
      'WITNESS_STATE_MALFORMED',
    );
  });

  it('a witness run persists through the state file', () => {
    const r1 = cosign(undefined, cp(4), []);
    const file = serializeWitnessState(new Map([[r1.checkpoint.origin, r1.state]]));
    const loaded = parseWitnessState(file).get(LOG_ORIGIN);
    const r2 = cosign(loaded, cp(11), consistencyProof(4, leaves.slice(0, 11)));
    expect(r2.state.size).toBe(11);
    expectCode(() => cosign(parseWitnessState(file).get(LOG_ORIGIN), cp(3), []), 'WITNESS_ROLLBACK');
  });
});
