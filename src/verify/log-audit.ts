/**
 * Store audits of a v2 ledger (docs/VERIFYING.md §Store audit): the
 * derived data a store keeps (docs/STORAGE.md §What is stored) compared
 * with what the replay rebuilt from the entries and payloads alone. The
 * ledger appends by reading this data (the head on open, records before each
 * statement is judged, tree nodes for `seen` roots and proofs), so damage
 * here would make it refuse good statements or serve wrong answers and
 * proofs, even though the entries themselves are intact.
 *
 * Pure: every read goes through a function the caller passes (a LogStore's
 * methods, or anything else).
 */
import { equalBytes, toHex } from '../bytes.js';
import type { CustodyState } from '../custody/custody-state.js';
import { NS } from '../custody/records.js';
import { ids45 } from '../format/short-id.js';
import { checkRootRecord } from '../map/lazy.js';
import { type NodeReader, rootAt } from '../merkle/proofs.js';
import type { ProblemCode } from '../problem-codes.js';
import type { Problem } from './report.js';

/** The stored head's fields (structurally the LogHead of src/store/log-store.ts). */
export interface HeadFields {
  size: number;
  lastTime: number;
  mapRoot: Uint8Array;
  mapSize: number;
  mapRootLeaf: { path: Uint8Array; value: Uint8Array } | null;
}

export type StoredHead =
  | { kind: 'ok'; head: HeadFields }
  | { kind: 'missing' }
  | { kind: 'damaged'; message: string };

/** What the replay ends with, to compare the head with. */
export interface ReplayedHead {
  size: number;
  lastTime: number;
  mapRoot: Uint8Array;
  mapSize: number;
}

const problem = (code: ProblemCode, message: string, exhibit: string | null = null): Problem => ({
  code,
  severity: 'error',
  seq: null,
  exhibit,
  message,
});

/** The head must say what the replay ends with (STORAGE.md §LevelDB key layout, `H`). */
export function checkStoredHead(stored: StoredHead, r: ReplayedHead): Problem[] {
  if (stored.kind === 'missing')
    return r.size === 0 ? [] : [problem('STORE_HEAD_MISSING', 'the store has entries but no head')];
  if (stored.kind === 'damaged')
    return [problem('STORE_HEAD_MISSING', `the stored head is damaged: ${stored.message}`)];
  const h = stored.head;
  const diff: string[] = [];
  if (h.size !== r.size) diff.push(`size ${h.size}, the entries ${r.size}`);
  if (h.lastTime !== r.lastTime) diff.push(`last time ${h.lastTime}, the entries ${r.lastTime}`);
  if (!equalBytes(h.mapRoot, r.mapRoot))
    diff.push(`map root ${toHex(h.mapRoot)}, replayed ${toHex(r.mapRoot)}`);
  if (h.mapSize !== r.mapSize) diff.push(`map size ${h.mapSize}, replayed ${r.mapSize}`);
  if (diff.length === 0)
    try {
      // The root leaf is what a ledger opens its map from (STATE-MAP.md §Persistence and lazy opening).
      checkRootRecord(h.mapRoot, h.mapSize, h.mapRootLeaf);
    } catch (e) {
      diff.push(`its map root record contradicts itself (${e instanceof Error ? e.message : String(e)})`);
    }
  return diff.length === 0
    ? []
    : [problem('STORE_HEAD_MISMATCH', `the stored head disagrees with the entries: ${diff.join('; ')}`)];
}

export type RecordReader = (ns: string, key: Uint8Array) => Promise<Uint8Array | undefined>;

/** Every stored record of one namespace, as the store lists them. */
export type RecordLister = (ns: string) => AsyncIterable<{ key: Uint8Array; bytes: Uint8Array }>;

/**
 * The stored records must be exactly the ones the replay produces, byte for
 * byte (STORAGE.md §LevelDB key layout, `R`): the rules and look-ups read
 * these records, not the map, so a deleted, edited or added record changes
 * what the ledger accepts next.
 *
 * One pass over the stored records in key order (an iterator, not a read per
 * record): each is compared with the replay's (`STORE_RECORD_MISMATCH`), or
 * is one the entries do not produce (`STORE_RECORD_EXTRA`). A namespace with
 * fewer matching records than the replay holds is then searched record by
 * record for the missing ones (`STORE_RECORD_MISSING`), which only damage
 * makes necessary.
 */
export async function verifyStoredRecords(
  list: RecordLister,
  record: RecordReader,
  state: CustodyState,
): Promise<Problem[]> {
  const out: Problem[] = [];
  const exhibitOf = (ns: string, key: Uint8Array) =>
    ns === NS.exhibit && key.length >= 6 ? ids45('EX', key) : null;
  const what = (ns: string, key: Uint8Array) =>
    key.length > 0 ? `the ${ns} record ${toHex(key)}` : `the ${ns} record`;
  for (const ns of Object.values(NS)) {
    let found = 0;
    try {
      for await (const r of list(ns)) {
        const held = state.bytes(ns, r.key);
        if (held === undefined) {
          out.push(
            problem(
              'STORE_RECORD_EXTRA',
              `${what(ns, r.key)} is stored but the entries do not produce it`,
              exhibitOf(ns, r.key),
            ),
          );
          continue;
        }
        found++;
        if (!equalBytes(held, r.bytes))
          out.push(
            problem(
              'STORE_RECORD_MISMATCH',
              `${what(ns, r.key)} differs from the one the entries produce`,
              exhibitOf(ns, r.key),
            ),
          );
      }
    } catch (e) {
      out.push(problem('STORE_RECORD_MISMATCH', `the ${ns} records cannot be read: ${String(e)}`, null));
      continue;
    }
    if (found === state.count(ns)) continue;
    for (const r of state.records())
      if (r.ns === ns && (await record(ns, r.key).catch(() => undefined)) === undefined)
        out.push(
          problem(
            'STORE_RECORD_MISSING',
            `${what(ns, r.key)} is missing from the store`,
            exhibitOf(ns, r.key),
          ),
        );
  }
  return out;
}

/**
 * The stored Merkle nodes must give the replayed root at each size the
 * replay kept (STORAGE.md: tree nodes are derived; inclusion and
 * consistency proofs and `seen` roots are read from them).
 */
export async function verifyStoredTree(
  nodes: NodeReader,
  roots: Iterable<[number, Uint8Array]>,
): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const [size, root] of roots) {
    let stored: Uint8Array;
    try {
      stored = await rootAt(nodes, size);
    } catch (e) {
      out.push(
        problem('STORE_TREE_MISMATCH', `the stored tree of ${size} entries cannot be read: ${String(e)}`),
      );
      continue;
    }
    if (!equalBytes(stored, root))
      out.push(problem('STORE_TREE_MISMATCH', `the stored tree of ${size} entries has another root`));
  }
  return out;
}
