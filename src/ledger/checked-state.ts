/**
 * Derived state, never trusted (docs/STORAGE.md §Derived data is checked):
 * everything the ledger and its views read from the store's derived data
 * goes through here.
 *
 *   - The head (size, last log time, map root) must be what the last entry
 *     itself says: an entry's mapRoot commits to the state after it
 *     (FORMAT.md §Entries), and the entry's leaf hash must be the tree's
 *     stored leaf. checkHead refuses a head that disagrees.
 *   - Records are read through a CustodyState over the map whose root the
 *     head names: a record whose hash is not the map's value under its key,
 *     or one the map does not hold, is STORE_CORRUPT when read
 *     (src/custody/custody-state.ts), never used.
 *
 * Security assumption: whoever edits the store without the log key can
 * rewrite derived data consistently only up to the entries; the entries are
 * bound to the signed checkpoints, which `custody verify` checks. This module
 * makes sure nothing is decided on derived data that the entries contradict.
 */
import { equalBytes } from '../bytes.js';
import { CustodyState } from '../custody/custody-state.js';
import { CustodyError } from '../errors.js';
import { decodeEntry } from '../format/entry.js';
import { StateMap } from '../map/index.js';
import { hashLeaf } from '../merkle/hash.js';
import type { LogHead, LogStore } from '../store/log-store.js';

const corrupt = (message: string) => new CustodyError('STORE_CORRUPT', message, 'unavailable');

/** A state whose every record read is checked against the map the head commits to. */
export function stateOverStore(store: LogStore, head: LogHead): CustodyState {
  const map = StateMap.open(head.mapRoot, head.mapSize, head.mapRootLeaf, {
    node: (h) => store.mapNode(h),
  });
  return new CustodyState({ map, records: (ns, key) => store.record(ns, key) });
}

/**
 * Checks the stored head against the last entry: its log time and map root,
 * and its leaf in the stored tree. Throws STORE_CORRUPT (unavailable).
 */
export async function checkHead(store: LogStore, head: LogHead): Promise<void> {
  // A head rolled back over entries still stored would make the ledger judge on an old state
  // and append over them.
  if (await store.entry(head.size))
    throw corrupt(
      `the stored head says ${head.size} entries, but entry ${head.size} is stored too; run custody verify`,
    );
  if (head.size === 0) return;
  const last = head.size - 1;
  const bytes = await store.entry(last);
  if (!bytes) throw corrupt(`the last entry (${last}) is missing; run custody verify`);
  let entry: ReturnType<typeof decodeEntry>['entry'];
  try {
    entry = decodeEntry(bytes).entry;
  } catch {
    throw corrupt(`the last entry (${last}) does not decode; run custody verify`);
  }
  if (entry.index !== last || entry.time !== head.lastTime || !equalBytes(entry.mapRoot, head.mapRoot))
    throw corrupt(
      'the stored head disagrees with the last entry (size, log time or map root); run custody verify',
    );
  const leaf = await store.node(0, last);
  if (!equalBytes(leaf, hashLeaf(bytes)))
    throw corrupt(`the stored tree does not hold the last entry (${last}) as its leaf; run custody verify`);
}
