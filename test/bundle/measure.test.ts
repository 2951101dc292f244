/**
 * Measurement, not an assertion: the size of a bundle and the time to verify it
 * for an exhibit with 50+ events (three cross-border custody rounds), printed
 * for the record. Timings depend on the machine; only sanity is asserted.
 */
import { describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/export.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { makeWorld } from '../helpers/world.js';
import { longHistory, noise, trustAuthority } from './helpers.js';

describe('measurements', () => {
  it('bundle size and verify time for an exhibit with 50+ events', async () => {
    const w = await makeWorld();
    await noise(w, 100);
    const { exhibit, events } = await longHistory(w, 3);
    await noise(w, 100);
    const { bytes, bundle } = await exportBundle(w.ledger, exhibit, { logKey: w.authority.signer });
    const opts = trustAuthority(w);
    expect((await verifyBundle(bytes, opts)).ok).toBe(true); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const t = performance.now();
      await verifyBundle(bytes, opts);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const proofHashes = bundle.entries.reduce((n, e) => n + e.proof.length, 0);
    const records = bundle.entries.reduce((n, e) => n + e.record.length, 0);
    const line =
      `bundle measurement: exhibit with ${events} events in a ledger of ${w.ledger.size} entries → ` +
      `${bytes.length} bytes, ${bundle.entries.length} entries (${records} bytes of records, ` +
      `${proofHashes} proof hashes = ${proofHashes * 32} bytes), ` +
      `verify median ${times[4]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[8]!.toFixed(1)})`;
    console.log(line);
    expect(events).toBeGreaterThanOrEqual(50);
  });
});
