/**
 * MemoryLogStore: the conformance suite, and what only the memory store does
 * (it refuses a batch that does not follow the stored log: STORE_GAP, in
 * log-store.test.ts).
 */
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { logStoreConformance } from './conformance.js';

logStoreConformance('MemoryLogStore', async () => {
  const store = new MemoryLogStore();
  return { store, cleanup: () => store.close() };
});
