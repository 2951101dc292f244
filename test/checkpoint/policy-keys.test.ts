/**
 * A witness named with two keys (src/checkpoint/policy.ts): C2SP tlog-witness
 * witnesses publish an Ed25519 cosigner key (type 0x04, cosignature/v1) and an
 * ML-DSA-44 one (type 0x06, subtree/v1) under one name, and a relying party
 * may list both. The witness counts once toward the quorum if any one of its
 * keys cosigned, never twice; the same name and key ID twice is still
 * POLICY_INVALID; the post-quantum quorum (src/verify/bundle-v2-cosigners.ts
 * pqQuorum) counts names too. The policy file and the CLI's --policy reach it
 * (cli/relying-party.ts), and a bundle verified so is VERIFIED, not UNWITNESSED.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { relyingParty } from '../../cli/relying-party.js';
import type { BundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { fromBase64, toBase64 } from '../../src/bytes.js';
import {
  cosignatureVerifier,
  ed25519NoteVerifier,
  formatCheckpoint,
  formatCosignerVkey,
  formatMlDsaCosignerVkey,
  formatNote,
  formatSignatureLine,
  mlDsaCosignatureVerifier,
  type NoteVerifier,
  parseNote,
  signCheckpoint,
  signCosignature,
  signMlDsaCosignature,
  verifierFromVkey,
  verifyWithPolicy,
} from '../../src/checkpoint/index.js';
import { parseRelyingPolicy } from '../../src/checkpoint/relying-policy.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import { mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { KEY_TYPES } from '../../src/format/key-id.js';
import type { BundleV2Trust } from '../../src/verify/bundle-v2.js';
import { Findings } from '../../src/verify/bundle-v2-checks.js';
import { pqQuorum, witnessQuorum } from '../../src/verify/bundle-v2-cosigners.js';
import { bundleWorld, checkpointOf, codesOf, pinAuthority, verify } from '../bundle/v2-helpers.js';
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
const size = 7;
const cp = { origin: LOG_ORIGIN, size, root: mth(leaves.slice(0, size)) };
const body = formatCheckpoint(cp);
const logNote = signCheckpoint(cp, LOG_ORIGIN, logSigner);
const log = ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey);

/** Three witnesses, each with an Ed25519 key, an ML-DSA-44 key, and a second (rotated) Ed25519 key. */
const N = 3;
const names = witnessNames.slice(0, N);
const edSigners = witnessSigners.slice(0, N);
const mlSigners = names.map((_, i) => mlDsa44SignerFromSeed(seed(60 + i)));
const ed2Signers = names.map((_, i) => signerFromSeed(seed(70 + i)));
const ed = names.map((n, i) => cosignatureVerifier(n, edSigners[i]!.publicKey));
const ml = names.map((n, i) => mlDsaCosignatureVerifier(n, mlSigners[i]!.publicKey));
const ed2 = names.map((n, i) => cosignatureVerifier(n, ed2Signers[i]!.publicKey));
const edLine = names.map((n, i) => signCosignature(body, n, edSigners[i]!, T + i));
const mlLine = names.map((n, i) => signMlDsaCosignature(body, n, mlSigners[i]!, T + 10 + i));
const ed2Line = names.map((n, i) => signCosignature(body, n, ed2Signers[i]!, T + 20 + i));
const W0 = names[0]!;
const W1 = names[1]!;

const check = (note: string, witnesses: NoteVerifier[], quorum: number) =>
  verifyWithPolicy(note, { log, witnesses, quorum });

/** The line with one byte of its signature flipped (name and key ID kept). */
function tampered(line: string): string {
  const s = parseNote(`${logNote}${line}`).signatures.at(-1)!;
  const raw = fromBase64(line.trim().split(' ').at(-1)!)!;
  raw[raw.length - 1]! ^= 0x01;
  return formatSignatureLine(s.name, raw.subarray(0, 4), raw.subarray(4));
}

describe('a witness listed with its Ed25519 and its ML-DSA-44 key under one name', () => {
  it('counts once toward the quorum, whichever of its keys cosigned', () => {
    const both = [ed[0]!, ml[0]!];
    for (const lines of [edLine[0]!, mlLine[0]!, `${edLine[0]}${mlLine[0]}`, `${mlLine[0]}${edLine[0]}`]) {
      const r = check(`${logNote}${lines}`, both, 1);
      expect(r.witnessesVerified).toEqual([W0]);
      expect(r.quorumMet).toBe(true);
    }
    const none = check(logNote, both, 1);
    expect([none.witnessesVerified, none.quorumMet]).toEqual([[], false]);
  });

  it('never counts twice: both its keys cosigning is one witness of a quorum of two', () => {
    const witnesses = [ed[0]!, ml[0]!, ed[1]!];
    const r = check(`${logNote}${edLine[0]}${mlLine[0]}`, witnesses, 2);
    expect(r.witnessesVerified).toEqual([W0]);
    expect(r.quorumMet).toBe(false);
    const met = check(`${logNote}${mlLine[0]}${edLine[1]}`, witnesses, 2);
    expect(met.witnessesVerified).toEqual([W0, W1]);
    expect(met.quorumMet).toBe(true);
    // Its ML-DSA-44 key listed last, after another witness: still once, in policy order.
    const late = check(`${logNote}${edLine[1]}${mlLine[0]}${edLine[0]}`, [ed[0]!, ed[1]!, ml[0]!], 2);
    expect(late.witnessesVerified).toEqual([W0, W1]);
  });

  it('two Ed25519 keys under one name (a key rotation) count once too', () => {
    const r = check(`${logNote}${edLine[0]}${ed2Line[0]}`, [ed[0]!, ed2[0]!, ed[1]!], 2);
    expect(r.witnessesVerified).toEqual([W0]);
    expect(r.quorumMet).toBe(false);
  });

  it('a quorum above the distinct names is POLICY_INVALID: it could never be met', () => {
    const e = expectCode(
      () => check(`${logNote}${edLine[0]}${mlLine[0]}`, [ed[0]!, ml[0]!], 2),
      'POLICY_INVALID',
    );
    expect(e.message).toContain('distinct witnesses (1, from 2 keys)');
    expect(check(`${logNote}${edLine[0]}`, [ed[0]!, ml[0]!, ed[1]!], 2).quorumMet).toBe(false);
  });

  it('the same name and key ID twice stays POLICY_INVALID, as does one key under two names', () => {
    // An exact copy.
    expectCode(() => check(`${logNote}${edLine[0]}`, [ed[0]!, ed[0]!], 1), 'POLICY_INVALID');
    expectCode(() => check(`${logNote}${mlLine[0]}`, [ml[0]!, ed[0]!, ml[0]!], 1), 'POLICY_INVALID');
    // Another key under the same name and key ID (a key ID collision): refused by the policy
    // itself, before any line is matched to either key.
    const collide: NoteVerifier = { ...ed2[0]!, keyId: ed[0]!.keyId };
    const e = expectCode(() => check(`${logNote}${edLine[0]}`, [ed[0]!, collide], 1), 'POLICY_INVALID');
    expect(e.message).toContain('listed twice');
    // One key under two names.
    const renamed = cosignatureVerifier('other.example/witness', edSigners[0]!.publicKey);
    expectCode(() => check(`${logNote}${edLine[0]}`, [ed[0]!, renamed], 1), 'POLICY_INVALID');
  });

  it('a bad line by either of its keys still rejects the note (signed-note §Signatures)', () => {
    expectCode(
      () => check(`${logNote}${edLine[0]}${tampered(mlLine[0]!)}`, [ed[0]!, ml[0]!], 1),
      'NOTE_BAD_SIGNATURE',
    );
    expectCode(
      () => check(`${logNote}${tampered(edLine[0]!)}${mlLine[0]}`, [ed[0]!, ml[0]!], 1),
      'NOTE_BAD_SIGNATURE',
    );
  });
});

describe('property: the quorum counts distinct names, never more', () => {
  const entries = names.flatMap((_, i) => [
    { v: ed[i]!, line: edLine[i]! },
    { v: ml[i]!, line: mlLine[i]! },
    { v: ed2[i]!, line: ed2Line[i]! },
  ]);

  it('witnessesVerified is the distinct names with a line by any of their keys, and the quorum compares with it', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(entries),
        fc.shuffledSubarray(entries),
        fc.nat({ max: N + 1 }),
        (listed, signing, q) => {
          const witnesses = listed.map((e) => e.v);
          const distinct = new Set(witnesses.map((w) => w.name));
          const note = `${logNote}${signing.map((e) => e.line).join('')}`;
          if (q > distinct.size) {
            expectCode(() => check(note, witnesses, q), 'POLICY_INVALID');
            return;
          }
          const r = check(note, witnesses, q);
          const expected = new Set(listed.filter((e) => signing.includes(e)).map((e) => e.v.name));
          expect(r.witnessesVerified.length).toBeLessThanOrEqual(distinct.size);
          expect(new Set(r.witnessesVerified).size).toBe(r.witnessesVerified.length);
          expect(new Set(r.witnessesVerified)).toEqual(expected);
          expect(r.quorumMet).toBe(expected.size >= q);
        },
      ),
      { numRuns: 60, seed: 0x9a11 },
    );
  });
});

describe('through the relying party’s policy and the bundle verifier', () => {
  const ED_VKEY = formatCosignerVkey(W0, edSigners[0]!.publicKey);
  const ML_VKEY = formatMlDsaCosignerVkey(W0, mlSigners[0]!.publicKey);
  const ML2_VKEY = formatMlDsaCosignerVkey(W0, mlDsa44SignerFromSeed(seed(80)).publicKey);
  const logKey = { type: KEY_TYPES.ed25519, publicKey: logSigner.publicKey };
  const bundleOf = (note: string) => ({ origin: LOG_ORIGIN, checkpoint: note }) as unknown as BundleV2;
  const counted = (note: string, trust: BundleV2Trust) => {
    const f = new Findings();
    const b = bundleOf(note);
    return { witnessed: witnessQuorum(b, trust, logKey, f), pq: pqQuorum(b, trust, logKey, f), f };
  };

  it('a policy file may name one witness with both keys; it is counted once, and once post-quantum', () => {
    const p = parseRelyingPolicy(
      JSON.stringify({
        custody: 'policy',
        v: 1,
        witnesses: [ED_VKEY, ML_VKEY],
        witnessQuorum: 1,
        pqQuorum: 1,
      }),
    );
    const trust: BundleV2Trust = { witnesses: p.witnesses, quorum: p.witnessQuorum!, pqQuorum: p.pqQuorum };
    const { witnessed, pq, f } = counted(`${logNote}${edLine[0]}${mlLine[0]}`, trust);
    expect(f.problems).toEqual([]);
    expect(witnessed).toEqual({ verified: [W0], quorum: 1 });
    expect(pq).toEqual({ verified: [W0], quorum: 1 });
    // Only its Ed25519 line: witnessed, not post-quantum.
    const edOnly = counted(`${logNote}${edLine[0]}`, trust);
    expect(edOnly.witnessed.verified).toEqual([W0]);
    expect(edOnly.f.problems.map((x) => x.code)).toEqual(['PQ_QUORUM']);
  });

  it('the library’s default quorum (BundleV2Trust without quorum) is every witness given, by name', () => {
    const { witnessed, f } = counted(`${logNote}${mlLine[0]}`, { witnesses: [ed[0]!, ml[0]!] });
    expect([witnessed, f.problems]).toEqual([{ verified: [W0], quorum: 1 }, []]);
    const short = counted(`${logNote}${mlLine[0]}${edLine[0]}`, { witnesses: [ed[0]!, ml[0]!, ed[1]!] });
    expect(short.witnessed).toEqual({ verified: [W0], quorum: 2 });
    expect(short.f.problems.map((x) => x.code)).toEqual(['WITNESS_QUORUM']);
  });

  it('pqQuorum counts a name once, however many of its ML-DSA-44 keys cosigned, in whichever role', () => {
    const ml2 = verifierFromVkey(ML2_VKEY);
    const ml2Line = signMlDsaCosignature(body, W0, mlDsa44SignerFromSeed(seed(80)), T + 30);
    const note = `${logNote}${mlLine[0]}${ml2Line}`;
    for (const trust of [
      { witnesses: [ml[0]!, ml2], quorum: 1, pqQuorum: 2 },
      { witnesses: [ml[0]!], auditors: [ml2], auditorQuorum: 1, pqQuorum: 2 },
    ] satisfies BundleV2Trust[]) {
      const { pq, f } = counted(note, trust);
      expect(pq).toEqual({ verified: [W0], quorum: 2 });
      const problem = f.problems.find((x) => x.code === 'PQ_QUORUM');
      expect(problem?.message).toContain('1 of the 2 required post-quantum');
      expect(problem?.message).toContain('only 1 of the cosigners that count has an ML-DSA-44 key');
    }
    // Two names, each with an ML-DSA-44 key: two.
    const two = counted(`${logNote}${mlLine[0]}${mlLine[1]}`, {
      witnesses: [ml[0]!, ml[1]!],
      quorum: 2,
      pqQuorum: 2,
    });
    expect([two.pq.verified, two.f.problems]).toEqual([[W0, W1], []]);
  });

  it('a bundle verified with such a policy file (--policy) is VERIFIED, not UNWITNESSED', async () => {
    const w = await bundleWorld('policy keys ');
    const p = parseNote(await checkpointOf(w));
    const witnessEd = signerFromSeed(seed(90));
    const witnessMl = mlDsa44SignerFromSeed(seed(91));
    const name = 'both.witness.example';
    const lines = [
      ...p.signatures.map((s) => s.line),
      signCosignature(p.text, name, witnessEd, T),
      signMlDsaCosignature(p.text, name, witnessMl, T + 1),
    ];
    const bytes = await exportBundleV2(w.ledger.store, w.ids.get('HDD-01')!, formatNote(p.text, lines));
    const dir = mkdtempSync(join(tmpdir(), 'custody-policy-keys-'));
    try {
      const file = join(dir, 'court-policy.json');
      writeFileSync(
        file,
        JSON.stringify({
          custody: 'policy',
          v: 1,
          witnesses: [
            formatCosignerVkey(name, witnessEd.publicKey),
            formatMlDsaCosignerVkey(name, witnessMl.publicKey),
          ],
          witnessQuorum: 1,
          pqQuorum: 1,
        }),
      );
      const { trust } = relyingParty({
        trust: [toBase64(w.authority.publicKey)],
        trustLog: [],
        witness: [],
        auditor: [],
        policy: file,
      });
      const v = await verify(bytes, trust);
      expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
      expect(v.checkpoint).toMatchObject({ quorum: 1, pqQuorum: 1, pqCosigned: [name] });
      expect(v.checks.find((c) => c.id === 'witness-quorum')?.detail).toContain(
        `1 of the 1 required witnesses cosigned the checkpoint (${name})`,
      );
      // Asking for two witnesses of one: refused, never met by its two keys.
      const two = await verify(bytes, { ...pinAuthority(w), witnesses: trust.witnesses!, quorum: 2 });
      expect(two.verdict).not.toBe('VERIFIED');
      expect(codesOf(two)).toContain('WITNESS_QUORUM');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
