/**
 * Property tests of offline signing (docs/FORMAT.md §Identity and links):
 *  (a) chains of statements, each signed in order before any of it is logged,
 *      are all accepted when submitted interleaved with other exhibits' chains
 *      in any order that keeps each chain's own order, and the replay of the
 *      resulting log is clean;
 *  (b) any reordering inside one chain is refused exactly where a statement
 *      arrives before its predecessor, and refused statements change nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SignedStatement } from '../../src/format/sign-statement.js';
import { replayEntries } from '../../src/verify/entries.js';
import { digestOf, idOf, makeV2World, sign, type V2World } from './v2-world.js';

/** The life of one exhibit, signed offline in order: nothing here reads the log. */
function offlineChain(w: V2World, label: string): SignedStatement[] {
  const reg = sign('register', w.collector, {
    label,
    caseRef: 'NL-2026-0042',
    description: `Seized ${label}`,
    digests: digestOf(label),
    size: 1000,
  });
  const t1 = sign(
    'transfer',
    w.collector,
    { to: idOf(w.deCustodian), reason: 'EIO', legalBasis: 'EIO DE-2026-1' },
    { exhibit: reg.id, after: reg.id },
  );
  const a1 = sign('accept', w.deCustodian, { seal: 'intact' }, { exhibit: reg.id, after: t1.id });
  const ex = sign('examine', w.deCustodian, { action: 'Imaging' }, { exhibit: reg.id, after: a1.id });
  const t2 = sign(
    'transfer',
    w.deCustodian,
    { to: idOf(w.court), reason: 'Trial', legalBasis: 'MLA FR-7' },
    { exhibit: reg.id, after: ex.id },
  );
  const a2 = sign('accept', w.court, {}, { exhibit: reg.id, after: t2.id });
  const d = sign(
    'dispose',
    w.court,
    { method: 'returned', reason: 'Case closed' },
    { exhibit: reg.id, after: a2.id },
  );
  return [reg, t1, a1, ex, t2, a2, d];
}

/** Interleavings: a sequence of chain numbers, each chain's statements taken in order. */
const interleaving = (chains: number, length: number) =>
  fc.shuffledSubarray(
    Array.from({ length: chains * length }, (_, i) => Math.floor(i / length)),
    { minLength: chains * length, maxLength: chains * length },
  );

describe('offline-signed chains', () => {
  it('are accepted in any interleaving that keeps each chain in order, and replay clean', async () => {
    await fc.assert(
      fc.asyncProperty(interleaving(3, 7), async (order) => {
        const w = await makeV2World();
        const chains = ['HDD-01', 'PHONE-01', 'USB-01'].map((l) => offlineChain(w, l));
        const next = [0, 0, 0];
        for (const c of order) {
          const s = chains[c]![next[c]!++]!;
          const r = await w.seq.submit(s.bytes);
          expect(r.ok ? 'accepted' : r.violation.code).toBe('accepted');
        }
        const replay = await replayEntries(w.seq.log.map((s) => ({ entry: s.entry, payload: s.payload })));
        expect(replay.problems).toEqual([]);
        expect(replay.mapRoot).toEqual(w.seq.state.map.root);
        for (const chain of chains)
          expect(w.seq.state.get('exhibit', chain[0]!.id)).toMatchObject({
            state: 'disposed',
            head: chain[6]!.id,
          });
      }),
      { numRuns: 20, seed: 21 },
    );
  });

  it('are refused exactly where a statement comes before its predecessor', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6], { minLength: 7, maxLength: 7 }),
        async (perm) => {
          const w = await makeV2World();
          const chain = offlineChain(w, 'HDD-01');
          let expectedNext = 0;
          for (const i of perm) {
            const root = w.seq.state.map.root;
            const r = await w.seq.submit(chain[i]!.bytes);
            if (i === expectedNext) {
              expect(r.ok).toBe(true);
              expectedNext++;
            } else {
              expect(r.ok ? 'accepted' : r.violation.code).toBe(
                expectedNext === 0 ? 'EXHIBIT_UNKNOWN' : 'EXHIBIT_LINK_BROKEN',
              );
              expect(w.seq.state.map.root).toEqual(root);
            }
          }
          // Submitting the rest in order afterwards completes the chain: refusal lost nothing.
          for (let i = expectedNext; i < chain.length; i++)
            expect((await w.seq.submit(chain[i]!.bytes)).ok).toBe(true);
        },
      ),
      { numRuns: 40, seed: 22 },
    );
  });
});
