/**
 * A ledger whose operator hid a registration (docs/PROOFS.md §Fraud proofs):
 * HDD-01 registered honestly, then HDD-02's registration, which the rules
 * accept, logged with the real log key as if it changed nothing (the
 * pre-state's map root kept), and a checkpoint signed over it. A witness
 * (signatures and consistency only) cosigns it; only a replay finds it.
 * With `forged` false, HDD-02 is not appended: the honest log of the same
 * world, for the auditor to cosign.
 */
import { signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { rootAt } from '../../src/merkle/proofs.js';
import { foundedWorld, register } from '../bundle/v2-helpers.js';
import { digestOf } from '../custody/v2-world.js';
import { make, ORIGIN, seededRandom } from '../format/v2-fixtures.js';
import { appendWithMapRoot } from '../helpers/forge.js';

export async function forgedWorld(prefix = 'fraud ', forged = true) {
  const w = await foundedWorld(prefix);
  await register(w, w.collector, 'HDD-01');
  let p = -1;
  if (forged) {
    const m = make(
      'register',
      w.collector,
      {
        label: 'HDD-02',
        caseRef: 'NL-2026-0042',
        description: 'Seized HDD-02',
        digests: digestOf('HDD-02'),
        size: 1000,
      },
      {},
      { time: Date.UTC(2026, 2, 1, 9, 0, 30), random: seededRandom(`${prefix}hidden registration`) },
    );
    const before = (await w.ledger.store.readHead())!.mapRoot;
    // The ledger object is left idle: the insider writes to its store behind it.
    p = await appendWithMapRoot(w.ledger.store, m.bytes, before);
  }
  const size = (await w.ledger.store.readHead())!.size;
  const note = signCheckpoint(
    { origin: ORIGIN, size, root: await rootAt(w.ledger.store, size) },
    ORIGIN,
    w.log,
  );
  return { w, p, note, store: w.ledger.store };
}
