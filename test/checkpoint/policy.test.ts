/** Verifier policy: mandatory log signature, k-of-n distinct witnesses. */
import { describe, expect, it } from 'vitest';
import { concat, toBase64 } from '../../src/bytes.js';
import {
  type CheckpointPolicy,
  cosignatureVerifier,
  ed25519NoteVerifier,
  formatCheckpoint,
  formatNote,
  parseSignatureLine,
  signCheckpoint,
  signCosignature,
  signNoteLine,
  verifyWithPolicy,
} from '../../src/checkpoint/index.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import {
  expectCode,
  LOG_ORIGIN,
  leaves,
  logSigner,
  mth,
  seed,
  witnessNames,
  witnessSigners,
} from './helpers.js';

const T = 1_700_000_000;
const cp = { origin: LOG_ORIGIN, size: 6, root: mth(leaves.slice(0, 6)) };
const body = formatCheckpoint(cp);
const logNote = signCheckpoint(cp, LOG_ORIGIN, logSigner);
const cosig = (i: number, t = T) => signCosignature(body, witnessNames[i]!, witnessSigners[i]!, t);
const log = ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey);
const witnesses = witnessSigners.map((s, i) => cosignatureVerifier(witnessNames[i]!, s.publicKey));
const policy = (quorum: number, ws = witnesses.slice(0, 3)): CheckpointPolicy => ({
  log,
  witnesses: ws,
  quorum,
});

describe('verifyWithPolicy', () => {
  it('counts distinct verified witnesses against the quorum', () => {
    const note = `${logNote}${cosig(0)}${cosig(2)}`;
    const r = verifyWithPolicy(note, policy(2));
    expect(r.checkpoint.size).toBe(6);
    expect(r.witnessesVerified).toEqual([witnessNames[0], witnessNames[2]]);
    expect(r.quorumMet).toBe(true);
    expect(verifyWithPolicy(note, policy(3)).quorumMet).toBe(false);
    expect(verifyWithPolicy(logNote, policy(0)).quorumMet).toBe(true);
    expect(verifyWithPolicy(logNote, policy(1)).witnessesVerified).toEqual([]);
  });

  it('counts a witness once however many cosignatures it added', () => {
    const note = `${logNote}${cosig(0)}${cosig(0, T + 1)}${cosig(0, T + 2)}`;
    const r = verifyWithPolicy(note, policy(2));
    expect(r.witnessesVerified).toEqual([witnessNames[0]]);
    expect(r.quorumMet).toBe(false);
  });

  it('ignores cosignatures from unconfigured witnesses', () => {
    const note = `${logNote}${cosig(3)}${cosig(1)}`;
    const r = verifyWithPolicy(note, policy(1));
    expect(r.witnessesVerified).toEqual([witnessNames[1]]);
    expect(r.quorumMet).toBe(true);
  });

  it('requires the log signature, whatever the witnesses say', () => {
    const unsignedByLog = formatNote(body, [cosig(0), cosig(1), cosig(2)]);
    expectCode(() => verifyWithPolicy(unsignedByLog, policy(1)), 'NOTE_UNVERIFIED');
    const mallory = signerFromSeed(seed(99));
    const forged = formatNote(body, [signNoteLine(body, LOG_ORIGIN, mallory), cosig(0), cosig(1), cosig(2)]);
    expectCode(() => verifyWithPolicy(forged, policy(1)), 'NOTE_UNVERIFIED');
  });

  it('rejects the note when a configured witness cosignature is bad', () => {
    const good = parseSignatureLine(cosig(1));
    const sig = good.signature.slice();
    sig[40] = sig[40]! ^ 0x80;
    const bad = `\u2014 ${witnessNames[1]} ${toBase64(concat(good.keyId, sig))}\n`;
    expectCode(() => verifyWithPolicy(`${logNote}${cosig(0)}${bad}`, policy(1)), 'NOTE_BAD_SIGNATURE');
  });

  it('rejects cosignatures over a different checkpoint', () => {
    const other = formatCheckpoint({ ...cp, size: 7, root: mth(leaves.slice(0, 7)) });
    const stale = signCosignature(other, witnessNames[0]!, witnessSigners[0]!, T);
    expectCode(() => verifyWithPolicy(`${logNote}${stale}`, policy(1)), 'NOTE_BAD_SIGNATURE');
  });

  it('counts a witness listed with two keys under its one name once (test/checkpoint/policy-keys.test.ts)', () => {
    const secondKey = cosignatureVerifier(witnessNames[0]!, witnessSigners[3]!.publicKey);
    const both = signCosignature(body, witnessNames[0]!, witnessSigners[3]!, T);
    const r = verifyWithPolicy(`${logNote}${cosig(0)}${both}`, policy(1, [witnesses[0]!, secondKey]));
    expect([r.witnessesVerified, r.quorumMet]).toEqual([[witnessNames[0]], true]);
    // One name: a quorum of two can never be met.
    expectCode(
      () => verifyWithPolicy(`${logNote}${cosig(0)}${both}`, policy(2, [witnesses[0]!, secondKey])),
      'POLICY_INVALID',
    );
  });

  it('refuses invalid policies', () => {
    const dupKey = cosignatureVerifier('other.example/w', witnessSigners[0]!.publicKey);
    const logAsWitness = cosignatureVerifier('log.example/w', logSigner.publicKey);
    for (const p of [
      policy(-1),
      policy(4),
      policy(1.5),
      policy(Number.NaN),
      policy(1, [witnesses[0]!, dupKey]),
      policy(1, [witnesses[0]!, witnesses[0]!]),
      policy(1, [logAsWitness]),
    ]) {
      const e = expectCode(() => verifyWithPolicy(`${logNote}${cosig(0)}`, p), 'POLICY_INVALID');
      expect(e.category).toBe('input');
    }
  });
});
