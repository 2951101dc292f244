/**
 * The client's memory of a ledger (issue 24 item 3; docs/STORAGE.md §What the
 * client remembers): the largest tree it has seen, kept outside the ledger
 * directory, and checked on every call, as Go's sumdb client keeps its
 * latest tree ("go.sum database", golang.org/x/mod/sumdb/client.go: checkTrees).
 *
 * A ledger whose tree is now smaller than one the client saw was rolled back;
 * one whose tree at the seen size has another root was rewritten (a fork).
 * Either is refused before anything is read or appended. Comparing the root
 * at the seen size with the remembered one is the consistency check: RFC 9162
 * §2.1.4 consistency between the two trees holds exactly when the larger
 * tree's first `size` leaves hash to the remembered root.
 *
 * Security assumption: the memory is the user's, not the ledger holder's. An
 * insider who can write the ledger directory but not the client's state
 * cannot roll back or rewrite what that client saw without it noticing; a
 * client that never saw the ledger, or whose state is lost, learns nothing.
 */
import { equalBytes, toHex } from '../bytes.js';
import { CustodyError } from '../errors.js';

export interface SeenTree {
  size: number;
  root: Uint8Array;
}

/**
 * Refuses a ledger inconsistent with what was seen: LEDGER_ROLLED_BACK (its
 * tree shrank) or LEDGER_FORKED (another root at the seen size). `rootAt`
 * computes the ledger's root at a size not beyond its own.
 */
export async function checkSeen(
  seen: SeenTree | undefined,
  size: number,
  rootAt: (size: number) => Promise<Uint8Array>,
): Promise<void> {
  if (!seen || seen.size === 0) return;
  if (size < seen.size)
    throw new CustodyError(
      'LEDGER_ROLLED_BACK',
      `the ledger has ${size} entries, but this client saw ${seen.size} before: it was rolled back or replaced`,
      'verification',
    );
  const root = await rootAt(seen.size);
  if (!equalBytes(root, seen.root))
    throw new CustodyError(
      'LEDGER_FORKED',
      `the ledger's tree at size ${seen.size} has root ${toHex(root)}, but this client saw ${toHex(seen.root)}: its history was rewritten`,
      'verification',
    );
}
