/**
 * What a local append answers with (docs/FORMAT.md §Entries, docs/THREAT-MODEL.md
 * §Local mode): the entry's position, its leaf hash, the root of the tree that
 * ends with it and the RFC 9162 §2.1.3 inclusion proof against that root.
 *
 * Unsigned on purpose: in local mode the log key's private half never sits in
 * or beside the ledger directory, so nothing here can vouch for the root. It
 * lets the signer later check that a signed checkpoint (custody checkpoint
 * --log-key, or a server's) still contains the entry.
 */
import { inclusionProof, rootAt } from '../merkle/proofs.js';
import type { LogStore } from '../store/log-store.js';

export interface LocalReceipt {
  index: number;
  /** Tree size the proof is against: index + 1. */
  size: number;
  leafHash: Uint8Array;
  root: Uint8Array;
  proof: Uint8Array[];
}

export async function localReceipt(store: LogStore, index: number): Promise<LocalReceipt> {
  const size = index + 1;
  const [leafHash, root, proof] = await Promise.all([
    store.node(0, index),
    rootAt(store, size),
    inclusionProof(store, index, size),
  ]);
  return { index, size, leafHash, root, proof };
}
