/**
 * Random journeys across three sovereign ledgers (docs/FEDERATION.md), on
 * the pure core: an exhibit registered in the first is handed from ledger to
 * ledger, each hand-over accepted or rejected by its receiver (or cancelled by
 * its sender, the receiving ledger logging the cancel first) and the answer
 * carried back. Whatever the journey:
 *   - every crossing is accepted where it belongs, and each ledger replays to
 *     the map roots its entries carry, with no problem;
 *   - exactly one ledger holds the exhibit, by its own actor, the one the
 *     journey says; every other ledger that saw it has it away;
 *   - no crossing is accepted a second time, or in another ledger, later;
 *   - a crossing with one byte changed is refused, and changes nothing.
 * `npm test` runs a few dozen journeys; `CUSTODY_FEDERATION_RUNS` (npm run
 * soak) runs more.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { ExhibitRecord } from '../../src/custody/records.js';
import { NS } from '../../src/custody/records.js';
import { replayEntries } from '../../src/verify/entries.js';
import { statementKeyId } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';
import { BASIS, Ledger } from './federation-world.js';

const RUNS = Number(process.env['CUSTODY_FEDERATION_RUNS'] ?? 24);
const ORIGINS = [
  ['ledger.nfi.example/2026', 'NL'],
  ['ledger.bka.example/2026', 'DE'],
  ['ledger.court.example/2026', 'FR'],
] as const;

async function threeLedgers() {
  const ledgers = await Promise.all(ORIGINS.map(([o, j]) => Ledger.open(o, j)));
  const actors = ledgers.map((l) => seededSigner(`journey actor of ${l.origin}`));
  for (const [i, l] of ledgers.entries()) {
    await l.enrol(actors[i]!, ['collector', 'custodian']);
    for (const peer of ledgers)
      if (peer !== l) await l.governance('peer', { origin: peer.origin, policy: peer.policy() });
  }
  return { ledgers, actors };
}

const hop = fc.record({
  to: fc.integer({ min: 0, max: 2 }),
  answer: fc.constantFrom('accept', 'reject', 'cancel'),
});

describe('random journeys across three ledgers', () => {
  it('always verify, leave one holder, and refuse every replayed, misplaced or damaged crossing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(hop, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.nat(),
        async (hops, pick, at) => {
          const { ledgers, actors } = await threeLedgers();
          const reg = ledgers[0]!.sign('register', actors[0]!, {
            label: 'PHONE-01',
            caseRef: 'NL-2026-0042',
            description: 'a phone',
            size: 1000,
            digests: { sha256: sha256(utf8('the phone image')) },
          });
          await ledgers[0]!.ok(reg);
          const exhibit = reg.id;
          let holder = 0;
          let head = reg.id;
          const crossings: { bytes: Uint8Array; to: number }[] = [];
          const deliver = async (from: number, to: number, back = false) => {
            const bytes = back
              ? await ledgers[from]!.carryBack(exhibit)
              : await ledgers[from]!.carry(exhibit);
            const r = await ledgers[to]!.seq.submitForeign(bytes);
            expect(r.ok ? 'accepted' : r.violation.code).toBe('accepted');
            crossings.push({ bytes, to });
          };
          for (const h of hops) {
            if (h.to === holder) continue;
            const sender = ledgers[holder]!;
            const t = sender.sign(
              'transfer',
              actors[holder]!,
              {
                to: [ledgers[h.to]!.origin, statementKeyId(actors[h.to]!.publicKey)],
                reason: 'MLA',
                legalBasis: 'EIO 2026/1',
                ...BASIS,
              },
              { exhibit, after: head },
            );
            await sender.ok(t);
            await deliver(holder, h.to);
            if (h.answer === 'cancel') {
              // The sender's cancel, logged by the receiving ledger before any answer, and confirmed back.
              const c = sender.sign(
                'cancel',
                actors[holder]!,
                { reason: 'withdrawn' },
                { exhibit, after: t.id },
              );
              await sender.ok(c);
              await deliver(holder, h.to);
              const late = ledgers[h.to]!.sign('accept', actors[h.to]!, {}, { exhibit, after: c.id });
              expect((await ledgers[h.to]!.seq.submit(late.bytes)).ok).toBe(false);
              await deliver(h.to, holder, true);
              head = c.id;
              continue;
            }
            const answer = ledgers[h.to]!.sign(
              h.answer,
              actors[h.to]!,
              h.answer === 'accept' ? {} : { reason: 'not ours' },
              { exhibit, after: t.id },
            );
            await ledgers[h.to]!.ok(answer);
            await deliver(h.to, holder);
            head = answer.id;
            if (h.answer === 'accept') holder = h.to;
          }
          // One holder: the ledger the journey ended in, by its own actor; the others have it away or never saw it.
          for (const [i, l] of ledgers.entries()) {
            const rec = l.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit);
            if (i === holder) {
              expect(rec?.state).toBe('held');
              expect(rec?.holder).toEqual(statementKeyId(actors[i]!.publicKey));
            } else expect(rec === undefined || rec.state === 'away').toBe(true);
          }
          // Nothing crosses twice, or into another ledger.
          for (const c of crossings)
            for (const l of ledgers) expect((await l.seq.submitForeign(c.bytes)).ok).toBe(false);
          // One byte changed: refused where it belongs.
          if (crossings.length > 0) {
            const c = crossings[pick % crossings.length]!;
            const bad = Uint8Array.from(c.bytes);
            bad[at % bad.length]! ^= 0x01;
            expect((await ledgers[c.to]!.seq.submitForeign(bad)).ok).toBe(false);
          }
          // Every ledger replays to the roots its entries carry.
          for (const l of ledgers) {
            const replay = await replayEntries(l.seq.log);
            expect(replay.problems).toEqual([]);
            expect(replay.mapRoot).toEqual(l.seq.state.map.root);
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
