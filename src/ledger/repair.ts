/**
 * Repairing damaged entries from a backup (docs/STORAGE.md §Repairing a
 * damaged entry; issue 24 item 6): an entry or payload changed or lost
 * behind the ledger is put back from a backup copy of the ledger, but only
 * bytes that a signed checkpoint commits to.
 *
 * For each position below the checkpoint's size N, the stored entry is kept
 * when it is the backup's too; where the two differ, the one whose leaf hash
 * the stored tree holds is taken as the candidate (the tree's level 0 is
 * derived from the entries as appended). A payload is kept when it has the
 * hash its (chosen) entry commits to, else the backup's is taken if it has.
 * Then the tree root over the N chosen entries is recomputed from nothing and
 * must be the checkpoint's root, and the checkpoint must carry a valid
 * signature of the log key that the chosen genesis names: only then is
 * anything written (LogStore.restoreEntries, one synced batch). So a backup,
 * a stored tree or a checkpoint that does not agree with the signed root
 * changes nothing.
 *
 * Security assumption: the checkpoint is the log key's, and whoever relies
 * on the repaired ledger still verifies it against the keys they pin
 * (`custody verify --trust …`), as after any change.
 */
import { equalBytes } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { ed25519NoteVerifier, parseNote, verifyNote } from '../checkpoint/note.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError } from '../errors.js';
import { decodeEntry, type Entry } from '../format/entry.js';
import { KEY_TYPES } from '../format/key-id.js';
import { wireKey } from '../format/kinds.js';
import { decodeSignedStatement } from '../format/statement.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import type { LogStore } from '../store/log-store.js';

export interface RepairResult {
  /** The checkpoint the repair was checked against. */
  size: number;
  /** Positions whose entry or payload was (or, with dryRun, would be) put back. */
  restored: { index: number; entry: boolean; payload: boolean }[];
  written: boolean;
}

const refused = (message: string) => new CustodyError('REPAIR_UNVERIFIED', message, 'verification');

function entryOf(bytes: Uint8Array | undefined): Entry | undefined {
  if (!bytes) return undefined;
  try {
    return decodeEntry(bytes).entry;
  } catch {
    return undefined;
  }
}

async function storedLeaf(store: LogStore, index: number): Promise<Uint8Array | undefined> {
  try {
    return await store.node(0, index);
  } catch {
    return undefined;
  }
}

/** Repairs `store` from `backup` against the signed checkpoint `note`. */
export async function repairFromBackup(
  store: LogStore,
  backup: LogStore,
  note: string,
  opts: { dryRun?: boolean } = {},
): Promise<RepairResult> {
  let cp: ReturnType<typeof parseCheckpoint>;
  try {
    cp = parseCheckpoint(parseNote(note).text);
  } catch (e) {
    throw new CustodyError(
      'CHECKPOINT_MALFORMED',
      e instanceof Error ? e.message : 'not a checkpoint',
      'input',
    );
  }
  const n = cp.size;
  const head = await store.readHead();
  if (n === 0 || !head || n > head.size)
    throw new CustodyError(
      'CHECKPOINT_BEYOND_LOG',
      `the ledger has fewer than the checkpoint's ${n} entries`,
      'input',
    );
  const frontier = MerkleFrontier.empty();
  const restored: RepairResult['restored'] = [];
  const items: { index: number; entry: Uint8Array; payload: Uint8Array }[] = [];
  let genesisPayload: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const [mine, theirs] = await Promise.all([store.entry(i), backup.entry(i)]);
    let entry = mine;
    if (!mine || !theirs || !equalBytes(mine, theirs)) {
      // They differ (or one is missing): the stored tree's leaf says which was appended.
      const leaf = await storedLeaf(store, i);
      if (theirs && (!mine || (leaf && equalBytes(leaf, hashLeaf(theirs))))) entry = theirs;
    }
    if (!entry) throw refused(`entry ${i} is missing from the ledger and from the backup`);
    const e = entryOf(entry);
    const [p, q] = await Promise.all([store.payload(i), backup.payload(i)]);
    const fits = (x: Uint8Array | undefined): x is Uint8Array =>
      !!x && !!e && equalBytes(sha256(x), e.payloadHash);
    const payload = fits(p) ? p : fits(q) ? q : undefined;
    if (!payload) throw refused(`no copy of the payload of entry ${i} has the hash its entry commits to`);
    if (i === 0) genesisPayload = payload;
    frontier.append(hashLeaf(entry));
    const entryChanged = !mine || !equalBytes(mine, entry);
    const payloadChanged = !p || !equalBytes(p, payload);
    if (entryChanged || payloadChanged) {
      restored.push({ index: i, entry: entryChanged, payload: payloadChanged });
      items.push({ index: i, entry, payload });
    }
  }
  if (!equalBytes(frontier.root(), cp.root))
    throw refused(
      `the entries of the ledger and the backup do not give the root of the checkpoint of size ${n}: nothing was written`,
    );
  // The root is the signed one only if the log key genesis names signed it.
  try {
    const g = decodeSignedStatement(genesisPayload!).statement;
    const logKey = wireKey(g.body['logKey']);
    if (g.kind !== 'genesis' || g.origin !== cp.origin || logKey.type !== KEY_TYPES.ed25519)
      throw new Error();
    verifyNote(note, [ed25519NoteVerifier(cp.origin, logKey.publicKey)]);
  } catch {
    throw refused(
      'the checkpoint is not signed by the log key the ledger’s genesis names: nothing was written',
    );
  }
  const write = !opts.dryRun && items.length > 0;
  if (write) await store.restoreEntries(items);
  return { size: n, restored, written: write };
}
