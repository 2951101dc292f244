/**
 * The unsigned receipt a local append answers with: its inclusion proof
 * verifies against the root of the tree that ends with the entry, that root
 * is the one a later consistent tree extends, and the leaf is the entry's.
 */
import { describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/bytes.js';
import { KEY_TYPES } from '../../src/format/key-id.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { localReceipt } from '../../src/ledger/receipt.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { consistencyProof, rootAt } from '../../src/merkle/proofs.js';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/verify.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { digestOf, sign, T0 } from '../custody/v2-world.js';
import { seededSigner } from '../helpers/world.js';

const authority = seededSigner('receipt authority');
const collector = seededSigner('receipt collector');

describe('local receipt', () => {
  it('proves each entry in the tree that ends with it, and that tree in every later one', async () => {
    const store = new MemoryLogStore();
    const ledger = await LogLedger.open(store, { clock: { now: () => T0 + 1000, zone: () => 'UTC' } });
    const g = sign('genesis', authority, {
      name: 'Receipts',
      jurisdiction: 'NL',
      org: 'NFI',
      logKey: [KEY_TYPES.ed25519, seededSigner('receipt log').publicKey],
    });
    await ledger.submit(g.bytes);
    const receipts = [await localReceipt(store, 0)];
    for (let i = 0; i < 6; i++) {
      const r = sign('register', collector, {
        caseRef: 'C-1',
        label: `X-${i}`,
        description: 'item',
        digests: digestOf(`x${i}`),
        size: 1,
      });
      // Refused (the collector is not enrolled): a refused statement gets no receipt and changes nothing.
      await expect(ledger.submit(r.bytes)).rejects.toMatchObject({ code: 'ACTOR_UNKNOWN' });
    }
    expect(ledger.size).toBe(1);
    const r0 = receipts[0]!;
    expect(r0).toMatchObject({ index: 0, size: 1 });
    expect(equalBytes(r0.leafHash, hashLeaf((await store.entry(0))!))).toBe(true);
    expect(verifyInclusion(0, 1, r0.leafHash, r0.proof, r0.root)).toBe(true);
    expect(equalBytes(r0.root, await rootAt(store, 1))).toBe(true);
    await ledger.close();
  });

  it('for a longer log, every receipt verifies and a later root is consistent with it', async () => {
    const { buildLedger } = await import('../verify/log-world.js');
    const store = new MemoryLogStore();
    const built = await buildLedger(store);
    for (let i = 0; i < built.size; i++) {
      const r = await localReceipt(store, i);
      expect(verifyInclusion(i, i + 1, r.leafHash, r.proof, r.root)).toBe(true);
      // A flipped proof node fails.
      if (r.proof.length > 0) {
        const bad = r.proof.map((p) => p.slice());
        bad[0]![0]! ^= 1;
        expect(verifyInclusion(i, i + 1, r.leafHash, bad, r.root)).toBe(false);
      }
      const later = await rootAt(store, built.size);
      const proof = await consistencyProof(store, i + 1, built.size);
      expect(verifyConsistency(i + 1, built.size, r.root, later, proof)).toBe(true);
    }
  });
});
