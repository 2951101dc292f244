/**
 * Property tests of the verifier (fast-check, fixed seeds):
 *  (a) every history built through the real Ledger out of random VALID actions
 *      verifies clean, anchored to the authority key, and the verifier's replayed
 *      custody state equals the state the ledger persisted;
 *  (b) every single-byte change, deletion, duplication or swap of stored records
 *      is detected, and the first problem points at the entry concerned.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import type { Kind } from '../../src/format/events.js';
import { decodeRecord } from '../../src/format/record.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { verifyLog } from '../../src/verify/verifier.js';
import { collect, type StoredRecord } from '../helpers/forge.js';
import { choiceArb, fixedChoices, norm, runHistory } from './history.js';

/** Errors only: recorded digest mismatches and broken seals are warnings (facts the log states). */
const errorsOf = (r: { problems: readonly { severity: string; code: string; seq: number | null }[] }) =>
  r.problems.filter((p) => p.severity === 'error');

describe('random valid custody histories', () => {
  it('always verify clean, anchored, with the state the ledger persisted', async () => {
    const seen = new Map<Kind, number>();
    let entries = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(choiceArb, { minLength: 5, maxLength: 45 }), async (choices) => {
        const tag = `run ${runs++}`;
        const h = await runHistory(choices, tag);
        const { w } = h;
        expect(h.kinds).toHaveLength(choices.length);
        for (const k of h.kinds) seen.set(k, (seen.get(k) ?? 0) + 1);
        entries += w.ledger.size;
        const result = await verifyLog(await collect(w.ledger.records()), {
          trustedKeys: [w.authority.signer.publicKey],
        });
        const r = result.report;
        expect(errorsOf(r)).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.anchored).toBe(true);
        expect(r.anchor?.via).toBe('genesis');
        expect(r.entries).toBe(w.ledger.size);
        expect(r.root).toBe(toHex(w.ledger.root()));
        expect(r.head).toBe(toHex(w.ledger.head.head));
        expect(r.exhibits).toBe(h.exhibits.length);
        for (const id of h.exhibits)
          expect(norm(result.exhibit(id))).toEqual(norm(await w.ledger.exhibit(id)));
      }),
      { seed: 42, numRuns: 25 },
    );
    // The generator really exercised every kind of event.
    for (const k of [
      'enrol',
      'revoke',
      'rotate',
      'register',
      'transfer',
      'accept',
      'reject',
      'cancel',
      'examine',
      'dispose',
    ] as const)
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    expect(entries).toBeGreaterThan(25 * 7);
  });
});

// ---------------------------------------------------------------- tampering with stored records

describe('tampering with a stored log', () => {
  let recs: StoredRecord[] = [];
  let trusted: Uint8Array;
  let checkpoint: { size: number; root: Uint8Array };

  beforeAll(async () => {
    const h = await runHistory(fixedChoices(32, 21), 'fixed');
    recs = await collect(h.w.ledger.records());
    trusted = h.w.authority.signer.publicKey;
    checkpoint = { size: recs.length, root: h.w.ledger.root() };
    const { report } = await verifyLog(recs, { trustedKeys: [trusted], checkpoints: [checkpoint] });
    expect(report.ok).toBe(true);
    expect(errorsOf(report)).toEqual([]);
    // Every kind of event (genesis aside) occurs in it, including a derived copy.
    expect(new Set(h.kinds).size).toBe(10);
  });

  const n = () => recs.length;
  /** The log with one bit flipped inside the prev hash of entry i (the last 32 bytes equal to it: body.after may hold the same hash and comes first). */
  const withPrevDamaged = (i: number) => {
    const bytes = recs[i]!.bytes.slice();
    const at = lastIndexOf(bytes, hashLeaf(recs[i - 1]!.bytes));
    expect(at).toBeGreaterThan(0);
    bytes[at + 7]! ^= 0x40;
    return recs.map((r, k) => (k === i ? { seq: k, bytes } : r));
  };
  const renumber = (xs: StoredRecord[]) => xs.map((r, seq) => ({ seq, bytes: r.bytes }));
  const verify = (xs: StoredRecord[], withCheckpoint = false) =>
    verifyLog(xs, { trustedKeys: [trusted], ...(withCheckpoint ? { checkpoints: [checkpoint] } : {}) }).then(
      (r) => r.report,
    );

  it('any single-byte change is detected, first at the changed entry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (i0, off0, delta) => {
        const i = i0 % n();
        const bytes = recs[i]!.bytes.slice();
        const off = off0 % bytes.length;
        bytes[off]! ^= delta;
        const report = await verify(recs.map((r, k) => (k === i ? { seq: k, bytes } : r)));
        expect(report.ok).toBe(false);
        expect(errorsOf(report)[0]?.seq).toBe(i);
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it('a change inside the embedded prev hash is CHAIN_BROKEN at that entry', async () => {
    for (let i = 1; i < n(); i++) {
      const report = await verify(withPrevDamaged(i));
      const codesAt = (seq: number) =>
        errorsOf(report)
          .filter((p) => p.seq === seq)
          .map((p) => p.code);
      expect(errorsOf(report)[0]).toMatchObject({ code: 'CHAIN_BROKEN', seq: i });
      // The signature covers prev too, so the entry is also unsigned (a rotation's proof,
      // bound to prev, fails as well) …
      expect(codesAt(i)).toEqual(expect.arrayContaining(['CHAIN_BROKEN', 'SIGNATURE_INVALID']));
      // … and its leaf hash changed, so the next entry no longer links to it.
      if (i + 1 < n()) expect(codesAt(i + 1)).toContain('CHAIN_BROKEN');
      expect(errorsOf(report).every((p) => p.seq !== null && p.seq >= i)).toBe(true);
    }
  });

  /**
   * Regression: when entry i's OWN prev field is damaged, later correctly signed
   * events of entry i-1's exhibits must not be blamed (the verifier accepts the
   * stored link as well as the one entry i vouches for). A damaged ROTATION is
   * excluded: its proof is bound to prev, so what the new key signs later is
   * legitimately ACTOR_UNKNOWN.
   */
  it('a damaged prev hash in a non-rotation entry i blames only entries i and i+1', async () => {
    const blamed: number[] = [];
    for (let i = 1; i < n(); i++) {
      if (decodeRecord(recs[i]!.bytes).payload.kind === 'rotate') continue;
      const report = await verify(withPrevDamaged(i));
      if (errorsOf(report).some((p) => p.seq !== i && p.seq !== i + 1)) blamed.push(i);
    }
    expect(blamed).toEqual([]);
  });

  it('a change inside a signature is SIGNATURE_INVALID at that entry and breaks the next link', async () => {
    for (let i = 0; i < n(); i++) {
      const bytes = recs[i]!.bytes.slice();
      bytes[bytes.length - 5]! ^= 0x01;
      const report = await verify(recs.map((r, k) => (k === i ? { seq: k, bytes } : r)));
      const expected = [['SIGNATURE_INVALID', i]];
      if (i + 1 < n()) expected.push(['CHAIN_BROKEN', i + 1]);
      expect(errorsOf(report).map((p) => [p.code, p.seq])).toEqual(expected);
    }
  });

  it('deleting any entry (store renumbers) is detected at its position; the tail only with a checkpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (i0) => {
        const i = i0 % n();
        const cut = renumber(recs.filter((_, k) => k !== i));
        const report = await verify(cut, true);
        expect(report.ok).toBe(false);
        expect(errorsOf(report)[0]?.seq).toBe(i);
        expect(errorsOf(report)[0]?.code).toBe(i === n() - 1 ? 'LOG_TRUNCATED' : 'SEQ_MISMATCH');
        if (i < n() - 1) expect((await verify(cut)).ok).toBe(false);
      }),
      { seed: 7, numRuns: 30 },
    );
    // Legitimately undetectable without a checkpoint: a log cut at its tail is an older, valid log.
    const tail = await verify(recs.slice(0, -1));
    expect(tail).toMatchObject({ ok: true, entries: n() - 1 });
  });

  it('deleting any entry but keeping the seq keys (a gap) is ENTRY_MISSING at the gap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (i0) => {
        const i = i0 % (n() - 1); // a gap at the very end is a truncation, tested above
        const gap = recs.filter((_, k) => k !== i);
        const report = await verify(gap);
        expect(report.ok).toBe(false);
        expect(errorsOf(report)[0]).toMatchObject({ code: 'ENTRY_MISSING', seq: i });
        // Replay resynchronises on a zero hash, so the next entry's link is also reported
        // (and without its genesis the log is not anchored either).
        expect(errorsOf(report)).toContainEqual(
          expect.objectContaining({ code: 'CHAIN_BROKEN', seq: i + 1 }),
        );
        expect(errorsOf(report).some((p) => p.code === 'ANCHOR_MISMATCH')).toBe(i === 0);
      }),
      { seed: 8, numRuns: 30 },
    );
  });

  it('duplicating any entry is detected at the copy (position i+1: entry i itself is intact)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (i0) => {
        const i = i0 % n();
        const dup = renumber([...recs.slice(0, i + 1), recs[i]!, ...recs.slice(i + 1)]);
        const report = await verify(dup, true);
        expect(report.ok).toBe(false);
        expect(errorsOf(report)[0]).toMatchObject({ code: 'SEQ_MISMATCH', seq: i + 1 });
      }),
      { seed: 9, numRuns: 30 },
    );
  });

  it('swapping any two entries is detected at the first of them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (a0, b0) => {
        const a = a0 % n();
        const b = b0 % n();
        fc.pre(a !== b);
        const i = Math.min(a, b);
        const swapped = recs.map((r) => r.bytes);
        [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
        const report = await verify(swapped.map((bytes, seq) => ({ seq, bytes })));
        expect(report.ok).toBe(false);
        expect(errorsOf(report)[0]).toMatchObject({ code: 'SEQ_MISMATCH', seq: i });
      }),
      { seed: 10, numRuns: 50 },
    );
  });
});

function lastIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = hay.length - needle.length; i >= 0; i--) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
