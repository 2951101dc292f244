/**
 * Property tests of the v2 whole-ledger verifier (fast-check, fixed seeds):
 *  (a) every history built through the real LogLedger out of random VALID
 *      statements verifies clean, anchored to the genesis authority, and the
 *      verifier's replayed custody state equals the records the ledger stored;
 *  (b) every single-byte change, deletion, duplication or swap of stored
 *      entries and payloads is detected, and the first problem points at the
 *      entry concerned (nothing before it is blamed).
 * Fixed cases of tampering with each thing a store holds are in
 * log-tamper.test.ts; these are the invariants over any position.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { NS } from '../../src/custody/records.js';
import { decodeEntry, encodeEntry } from '../../src/format/entry.js';
import { decodeSignedStatement, encodeSignedStatement } from '../../src/format/statement.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { type LogItem, verifyLogV2 } from '../../src/verify/log-verify.js';
import { collect } from '../helpers/forge.js';
import { choiceArb, fixedChoices, runHistory } from './history.js';

/** Errors only: recorded digest mismatches and broken seals are facts the log states, not errors. */
const errorsOf = (r: { problems: readonly { severity: string; code: string; seq: number | null }[] }) =>
  r.problems.filter((p) => p.severity === 'error');

describe('random valid custody histories', () => {
  it('always verify clean, anchored, with the state the ledger stored', async () => {
    const seen = new Map<string, number>();
    let entries = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(choiceArb, { minLength: 5, maxLength: 40 }), async (choices) => {
        const h = await runHistory(choices, `run ${runs++}`);
        expect(h.kinds).toHaveLength(choices.length);
        for (const k of h.kinds) seen.set(k, (seen.get(k) ?? 0) + 1);
        entries += h.ledger.size;
        const result = await verifyLogStore(h.store, { trustedKeys: [h.founder.publicKey] });
        const r = result.report;
        expect(errorsOf(r)).toEqual([]);
        expect(r.ok).toBe(true);
        expect(r.anchored).toBe(true);
        expect(r.anchor?.via).toBe('genesis');
        expect(r.entries).toBe(h.ledger.size);
        expect(r.root).toBe(toHex(h.ledger.root()));
        expect(r.exhibits).toBe(h.exhibits.length);
        // The replay's state is the ledger's, record for record (not only under the map root).
        expect(toHex(result.state.map.root)).toBe(toHex(h.ledger.mapRoot));
        for (const id of h.exhibits)
          expect(toHex(result.state.bytes(NS.exhibit, id)!)).toBe(
            toHex((await h.store.record(NS.exhibit, id))!),
          );
        for (const w of result.state.records()) {
          const stored = await h.store.record(w.ns, w.key);
          expect(stored && toHex(stored), `${w.ns} ${toHex(w.key)}`).toBe(toHex(w.bytes));
        }
      }),
      { seed: 42, numRuns: 15 },
    );
    // The generator really exercised every kind of statement.
    for (const k of [
      'enrol',
      'revoke',
      'rotate',
      'configure',
      'register',
      'transfer',
      'accept',
      'reject',
      'cancel',
      'examine',
      'dispose',
    ])
      expect(seen.get(k) ?? 0, k).toBeGreaterThan(0);
    expect(entries).toBeGreaterThan(15 * 10);
  });
});

// ---------------------------------------------------------------- tampering with stored entries

describe('tampering with a stored log', () => {
  let items: LogItem[] = [];
  let trusted: Uint8Array;
  let checkpoint: { size: number; root: Uint8Array };

  beforeAll(async () => {
    const h = await runHistory(fixedChoices(32, 21), 'fixed');
    items = await collect(h.store.items(0, Number.MAX_SAFE_INTEGER));
    trusted = h.founder.publicKey;
    checkpoint = { size: items.length, root: h.ledger.root() };
    const { report } = await verifyLogV2({ items }, { trustedKeys: [trusted], checkpoints: [checkpoint] });
    expect(report.ok).toBe(true);
    expect(errorsOf(report)).toEqual([]);
    expect(new Set(h.kinds).size).toBeGreaterThanOrEqual(8);
  });

  const n = () => items.length;
  const renumber = (xs: LogItem[]) => xs.map((it, index) => ({ ...it, index }));
  const verify = (xs: LogItem[], withCheckpoint = false) =>
    verifyLogV2(
      { items: xs },
      { trustedKeys: [trusted], ...(withCheckpoint ? { checkpoints: [checkpoint] } : {}) },
    ).then((r) => r.report);
  const replaced = (i: number, change: Partial<LogItem>) =>
    items.map((it, k) => (k === i ? { ...it, ...change } : it));

  it('any single-byte change of a payload is detected, first at the changed entry', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (i0, off0, delta) => {
        const i = i0 % n();
        const payload = items[i]!.payload.slice();
        payload[off0 % payload.length]! ^= delta;
        const report = await verify(replaced(i, { payload }));
        expect(report.ok).toBe(false);
        expect(errorsOf(report)[0]).toMatchObject({ code: 'PAYLOAD_HASH_MISMATCH', seq: i });
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  /**
   * An entry is the log's own claim (index, log time, map root, payload
   * type and hash), signed only through the checkpoint's root: a change that
   * leaves it well-formed and in order (a log time moved a little) is
   * invisible without a checkpoint, so the property is stated with one.
   */
  it('any single-byte change of an entry is detected with a checkpoint, and nothing before it is blamed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), async (i0, off0, delta) => {
        const i = i0 % n();
        const entry = items[i]!.entry.slice();
        entry[off0 % entry.length]! ^= delta;
        const report = await verify(replaced(i, { entry }), true);
        expect(report.ok).toBe(false);
        for (const p of errorsOf(report)) if (p.seq !== null) expect(p.seq).toBeGreaterThanOrEqual(i);
      }),
      { seed: 43, numRuns: 100 },
    );
  });

  /**
   * A changed map root is reported at its entry. The entry's leaf changed too,
   * so the next statement that names (`seen`) a tree containing it is refused
   * as SEEN_MISMATCH: rightly, it vouched for another log; what depends on a
   * refused statement is refused in turn. Nothing before the entry is blamed.
   */
  it('a changed map root in an entry is MAP_ROOT_MISMATCH there, then SEEN_MISMATCH where a later statement saw it', async () => {
    for (let i = 0; i < n(); i += 3) {
      const e = decodeEntry(items[i]!.entry).entry;
      const mapRoot = sha256(e.mapRoot);
      const report = await verify(replaced(i, { entry: encodeEntry({ ...e, mapRoot }) }));
      const errors = errorsOf(report);
      expect(errors[0]).toMatchObject({ code: 'MAP_ROOT_MISMATCH', seq: i });
      expect(errors.filter((p) => p.seq === i).map((p) => p.code)).toEqual(['MAP_ROOT_MISMATCH']);
      const later = errors.filter((p) => p.seq !== i);
      for (const p of later) expect(p.seq).toBeGreaterThan(i);
      if (later.length > 0) expect(later[0]!.code).toBe('SEEN_MISMATCH');
    }
    const last = n() - 1;
    const e = decodeEntry(items[last]!.entry).entry;
    const report = await verify(replaced(last, { entry: encodeEntry({ ...e, mapRoot: sha256(e.mapRoot) }) }));
    expect(errorsOf(report).map((p) => [p.code, p.seq])).toEqual([['MAP_ROOT_MISMATCH', last]]);
  });

  /**
   * An insider who rewrites a payload AND the entry that commits to it: a
   * statement whose signature no longer verifies is refused at that entry
   * and changes nothing, so the map root the entry claims is not the one
   * the replay has. Nothing before the entry is blamed.
   */
  it('a changed signature, with its entry re-committed, is STATEMENT_SIGNATURE_INVALID at that entry', async () => {
    for (let i = 0; i < n(); i++) {
      const d = decodeSignedStatement(items[i]!.payload);
      const signatures = d.signatures.map((s) => s.slice());
      signatures[0]![signatures[0]!.length - 5]! ^= 0x01;
      const payload = encodeSignedStatement(d.tbs, signatures);
      const e = decodeEntry(items[i]!.entry).entry;
      const entry = encodeEntry({ ...e, payloadHash: sha256(payload) });
      const report = await verify(replaced(i, { entry, payload }));
      const errors = errorsOf(report);
      expect(errors[0]).toMatchObject({ code: 'STATEMENT_SIGNATURE_INVALID', seq: i });
      expect(errors.filter((p) => p.seq === i).map((p) => p.code)).toContain('MAP_ROOT_MISMATCH');
      expect(errors.every((p) => p.seq === null || p.seq >= i)).toBe(true);
      // The checkpoint seen earlier catches the rewrite too.
      expect((await verify(replaced(i, { entry, payload }), true)).problems.map((p) => p.code)).toContain(
        'CHECKPOINT_MISMATCH',
      );
    }
  });

  it('deleting any entry (store renumbers) is detected at its position; the tail only with a checkpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (i0) => {
        const i = i0 % n();
        const cut = renumber(items.filter((_, k) => k !== i));
        const report = await verify(cut, true);
        expect(report.ok).toBe(false);
        if (i === n() - 1)
          expect(errorsOf(report)).toEqual([expect.objectContaining({ code: 'LOG_TRUNCATED' })]);
        else {
          expect(errorsOf(report)[0]).toMatchObject({ code: 'ENTRY_INDEX_MISMATCH', seq: i });
          expect((await verify(cut)).ok).toBe(false);
        }
      }),
      { seed: 7, numRuns: 30 },
    );
    // Legitimately undetectable without a checkpoint: a log cut at its tail is an older, valid log.
    const tail = await verify(items.slice(0, -1));
    expect(tail).toMatchObject({ ok: true, entries: n() - 1 });
  });

  it('duplicating any entry is detected at the copy (position i+1: entry i itself is intact)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (i0) => {
        const i = i0 % n();
        const dup = renumber([...items.slice(0, i + 1), items[i]!, ...items.slice(i + 1)]);
        const report = await verify(dup, true);
        expect(report.ok).toBe(false);
        expect(errorsOf(report)[0]).toMatchObject({ code: 'ENTRY_INDEX_MISMATCH', seq: i + 1 });
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
        const swapped = items.slice();
        [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
        const report = await verify(renumber(swapped));
        expect(report.ok).toBe(false);
        expect(errorsOf(report)[0]).toMatchObject({ code: 'ENTRY_INDEX_MISMATCH', seq: Math.min(a, b) });
      }),
      { seed: 10, numRuns: 50 },
    );
  });
});
