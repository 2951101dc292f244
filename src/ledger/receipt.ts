/**
 * Receipts of entries.
 *
 * localReceipt: what a local append answers with (docs/FORMAT.md §Entries,
 * docs/THREAT-MODEL.md §Local mode): the entry's position, its leaf hash, the
 * root of the tree that ends with it and the RFC 9162 §2.1.3 inclusion proof
 * against that root. Unsigned on purpose: in local mode the log key's private
 * half never sits in or beside the ledger directory, so nothing here can vouch
 * for the root. It lets the signer later check that a signed checkpoint
 * (custody checkpoint --log-key, or a server's) still contains the entry.
 *
 * tlogReceipt: the signed form, a C2SP tlog-proof (../checkpoint/tlog-proof.ts,
 * docs/PROOFS.md §Receipts (C2SP tlog-proof)) of an entry against a checkpoint
 * the log key signed, carrying the entry bytes as its extra data.
 */
import { equalBytes } from '../bytes.js';
import { openCheckpoint } from '../checkpoint/checkpoint.js';
import type { NoteVerifier } from '../checkpoint/note.js';
import { formatTlogProof, verifyTlogProof } from '../checkpoint/tlog-proof.js';
import { CustodyError } from '../errors.js';
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

export interface TlogReceipt {
  /** The receipt text (c2sp.org/tlog-proof@v1). */
  text: string;
  origin: string;
  index: number;
  /** The checkpoint's size and root. */
  size: number;
  root: Uint8Array;
  leafHash: Uint8Array;
}

/**
 * The tlog-proof receipt of entry `index` against `checkpointNote`, which must
 * be signed by `log` (the log key genesis names, under the ledger's origin:
 * NOTE_* / CHECKPOINT_ORIGIN_MISMATCH otherwise), cover at most the stored log
 * (CHECKPOINT_BEYOND_LOG, input), have the stored tree's root at its size
 * (CHECKPOINT_MISMATCH, verification: the log no longer is what was signed,
 * or the note is another log's), and contain the entry (USAGE otherwise). The
 * receipt is verified before it is returned, as any holder would verify it; a
 * stored entry or tree node that makes it fail is STORE_CORRUPT.
 */
export async function tlogReceipt(
  store: LogStore,
  index: number,
  checkpointNote: string,
  log: NoteVerifier,
): Promise<TlogReceipt> {
  const { checkpoint } = openCheckpoint(checkpointNote, log);
  const { origin, size } = checkpoint;
  const logSize = (await store.readHead())?.size ?? 0;
  if (size > logSize)
    throw new CustodyError(
      'CHECKPOINT_BEYOND_LOG',
      `the checkpoint covers ${size} entries; this ledger has ${logSize}`,
      'input',
      { size, logSize },
    );
  if (!equalBytes(await rootAt(store, size), checkpoint.root))
    throw new CustodyError(
      'CHECKPOINT_MISMATCH',
      `the ledger's first ${size} entries do not have the checkpoint's root; run custody verify`,
      'verification',
      { size },
    );
  if (!Number.isSafeInteger(index) || index < 0 || index >= size)
    throw new CustodyError(
      'USAGE',
      `entry ${index} is not in the checkpoint's tree of size ${size}`,
      'input',
    );
  const entry = await store.entry(index);
  const corrupt = () =>
    new CustodyError(
      'STORE_CORRUPT',
      `entry ${index} or the stored tree is damaged; run custody verify`,
      'unavailable',
    );
  if (entry === undefined) throw corrupt();
  const proof = await inclusionProof(store, index, size);
  const text = formatTlogProof({ index, proof, checkpointNote, extra: entry });
  try {
    const v = verifyTlogProof(text, { log });
    return { text, origin, index, size, root: checkpoint.root, leafHash: v.leafHash };
  } catch (e) {
    // The note verified above, so what fails here is the stored entry or tree.
    throw e instanceof CustodyError && e.category === 'verification' ? corrupt() : e;
  }
}
