/**
 * Auditors and the relying party's policy in the bundle verifier
 * (docs/PROOFS.md §Auditors, docs/VERIFYING.md §The relying party's policy):
 * an auditor's cosignature is counted against the auditor keys asked for
 * (missing: AUDITOR_QUORUM, UNWITNESSED); the verdict says as of when
 * (the newest verified cosignature); evidence older than the maximum age is
 * INCOMPLETE (EVIDENCE_TOO_OLD), never VERIFIED.
 */
import { describe, expect, it } from 'vitest';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { formatCosignerVkey, signCosignature, verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { formatNote, parseNote } from '../../src/checkpoint/note.js';
import { parseRelyingPolicy } from '../../src/checkpoint/relying-policy.js';
import { seededSigner } from '../helpers/world.js';
import { bundleWorld, checkpointOf, codesOf, pinAuthority, verify } from './v2-helpers.js';

const T = 1_780_000_000; // seconds: 2026-05-28
const auditor = seededSigner('bundle auditor');
const witness = seededSigner('bundle witness');
const AUDITOR = verifierFromVkey(formatCosignerVkey('audit.example', auditor.publicKey));
const WITNESS = verifierFromVkey(formatCosignerVkey('witness.example', witness.publicKey));

async function cosignedBundle(lines: { name: string; signer: typeof auditor; t: number }[]) {
  const w = await bundleWorld('auditors ');
  const note = await checkpointOf(w);
  const p = parseNote(note);
  const cosigned = formatNote(p.text, [
    ...p.signatures.map((s) => s.line),
    ...lines.map((l) => signCosignature(p.text, l.name, l.signer, l.t)),
  ]);
  return { w, bytes: await exportBundleV2(w.ledger.store, w.ids.get('HDD-01')!, cosigned) };
}

describe('auditors in the bundle verdict', () => {
  it('an auditor asked for who cosigned: VERIFIED, and the verdict says as of when and by whom', async () => {
    const { w, bytes } = await cosignedBundle([
      { name: 'witness.example', signer: witness, t: T },
      { name: 'audit.example', signer: auditor, t: T + 60 },
    ]);
    const v = await verify(bytes, pinAuthority(w, { witnesses: [WITNESS], auditors: [AUDITOR] }));
    expect([v.verdict, codesOf(v)]).toEqual(['VERIFIED', []]);
    expect(v.checkpoint).toMatchObject({
      auditors: [{ name: 'audit.example', verified: true }],
      auditorQuorum: 1,
      cosignedAt: new Date((T + 60) * 1000).toISOString(),
      cosignedBy: ['audit.example'],
    });
  });

  it('an auditor asked for who did not cosign: UNWITNESSED with AUDITOR_QUORUM, though the witness did', async () => {
    const { w, bytes } = await cosignedBundle([{ name: 'witness.example', signer: witness, t: T }]);
    const v = await verify(bytes, pinAuthority(w, { witnesses: [WITNESS], auditors: [AUDITOR] }));
    expect([v.verdict, codesOf(v)]).toEqual(['UNWITNESSED', ['AUDITOR_QUORUM']]);
  });

  it('a witness line is not an auditor line: the same key under the witness name does not count as the auditor', async () => {
    const { w, bytes } = await cosignedBundle([{ name: 'witness.example', signer: auditor, t: T }]);
    const v = await verify(bytes, pinAuthority(w, { quorum: 0, auditors: [AUDITOR] }));
    expect(codesOf(v)).toContain('AUDITOR_QUORUM');
  });

  it('maximum age: fresh enough is VERIFIED; older, or not dated by any cosignature, is INCOMPLETE', async () => {
    const { w, bytes } = await cosignedBundle([{ name: 'audit.example', signer: auditor, t: T }]);
    const day = 86_400_000;
    const trust = (now: number) =>
      pinAuthority(w, { quorum: 0, auditors: [AUDITOR], maxAgeMs: 30 * day, now });
    expect((await verify(bytes, trust(T * 1000 + 29 * day))).verdict).toBe('VERIFIED');
    const old = await verify(bytes, trust(T * 1000 + 31 * day));
    expect([old.verdict, codesOf(old)]).toEqual(['INCOMPLETE', ['EVIDENCE_TOO_OLD']]);
    const ahead = await verify(bytes, trust(T * 1000 - day));
    expect([ahead.verdict, codesOf(ahead)]).toEqual(['INCOMPLETE', ['EVIDENCE_TOO_OLD']]);
    const undated = await verify(bytes, pinAuthority(w, { quorum: 0, maxAgeMs: day, now: T * 1000 }));
    expect([undated.verdict, codesOf(undated)]).toEqual(['INCOMPLETE', ['EVIDENCE_TOO_OLD']]);
  });
});

describe('the relying party’s policy file', () => {
  const a = formatCosignerVkey('audit.example', auditor.publicKey);
  const wv = formatCosignerVkey('witness.example', witness.publicKey);
  it('parses witnesses, auditors, quorums (default: all listed) and a maximum age', () => {
    const p = parseRelyingPolicy(
      JSON.stringify({ custody: 'policy', v: 1, witnesses: [wv], auditors: [a], maxAgeDays: 2 }),
    );
    expect(p.witnesses.map((k) => k.name)).toEqual(['witness.example']);
    expect(p.auditors.map((k) => k.name)).toEqual(['audit.example']);
    expect([p.witnessQuorum, p.auditorQuorum, p.maxAgeMs]).toEqual([1, 1, 2 * 86_400_000]);
  });
  it('no witness listed and no quorum: the default (one cosignature) stands; 0 must be written out', () => {
    expect(
      parseRelyingPolicy(JSON.stringify({ custody: 'policy', v: 1, auditors: [a] })).witnessQuorum,
    ).toBeUndefined();
    expect(
      parseRelyingPolicy(JSON.stringify({ custody: 'policy', v: 1, witnessQuorum: 0 })).witnessQuorum,
    ).toBe(0);
  });
  it.each([
    ['not JSON', '{', 'not JSON'],
    ['an unknown field', JSON.stringify({ custody: 'policy', v: 1, sunset: 1 }), 'unknown field'],
    ['another version', JSON.stringify({ custody: 'policy', v: 2 }), '"v" 1'],
    [
      'a quorum above the keys',
      JSON.stringify({ custody: 'policy', v: 1, auditors: [a], auditorQuorum: 2 }),
      'auditorQuorum',
    ],
    [
      'one key in both lists',
      JSON.stringify({ custody: 'policy', v: 1, witnesses: [a], auditors: [a] }),
      'listed twice',
    ],
    ['a key that is not a vkey', JSON.stringify({ custody: 'policy', v: 1, auditors: ['nope'] }), 'auditors'],
    ['a negative age', JSON.stringify({ custody: 'policy', v: 1, maxAgeDays: -1 }), 'maxAgeDays'],
  ])('refuses %s (POLICY_INVALID)', (_what, text, message) => {
    expect(() => parseRelyingPolicy(text)).toThrow(
      expect.objectContaining({ code: 'POLICY_INVALID', message: expect.stringContaining(message) }),
    );
  });
});
