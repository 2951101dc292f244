/**
 * One exhibit's verdict out of a whole-ledger verification (docs/VERIFYING.md
 * §Verdicts for one exhibit): never blinder than the whole, and one bad record
 * elsewhere does not fail every case.
 *
 * The exhibit's events are the positions its committed record and its chain
 * name (LedgerView.history: the map-checked head, each statement's `after`
 * back to the registration). Against that set each failure is sorted:
 *
 *  - about the exhibit (one of its events, or its own records): kept, FAILED;
 *  - about the commitments everyone shares (a checkpoint, the tree, a map root
 *    the log signed over an intact entry, the head): kept, FAILED for every
 *    exhibit, because the committed data that says which events are the
 *    exhibit's is itself in doubt;
 *  - about another entry (damaged, unsigned, refused by the rules) or about
 *    derived data of other records: held back as OUTSIDE_EXHIBIT, class
 *    incomplete, naming the entry and the original code. Such an entry may
 *    still bear on the exhibit (a revocation of a key its holder used), so the
 *    verdict is INCOMPLETE, never VERIFIED.
 *
 * Security assumption: the set of events comes from committed data only (the
 * map root in the last entry, covered by the tree and any checkpoint), never
 * from the problems' own `exhibit` field, which the damaged entry itself
 * could name falsely (issue 24, attack 3: a junk record "about another
 * exhibit" replacing an exhibit's last event).
 */
import type { Problem } from '../findings.js';
import { type ProblemCode, problemCodeInfo } from '../problem-codes.js';
import { problemClass } from './verdict.js';

/** Codes that say one entry could not be read or checked (its payload, statement, signature or rule). */
const ENTRY_DAMAGE_AREAS = new Set(['decoding', 'signature', 'custody']);
const ENTRY_DAMAGE_CODES = new Set<ProblemCode>(['PAYLOAD_HASH_MISMATCH', 'STORE_INDEX_MISMATCH']);

/** Derived data about records other than the exhibit's; the tree and the head stay shared. */
const SHARED_STORE_CODES = new Set<ProblemCode>(['STORE_TREE_MISMATCH', 'STORE_HEAD_MISMATCH']);

export interface ExhibitScope {
  /** The exhibit as problems name it (its short id). */
  exhibit: string;
  /** Log positions of the exhibit's events, from the committed data. */
  events: ReadonlySet<number>;
}

const isEntryDamage = (p: Problem) => {
  const area = problemCodeInfo(p.code)?.area;
  return (
    p.seq !== null && (ENTRY_DAMAGE_CODES.has(p.code) || (area !== undefined && ENTRY_DAMAGE_AREAS.has(area)))
  );
};

/**
 * The problems of a whole-ledger verification as seen from one exhibit: its
 * own and the shared ones unchanged, the rest as OUTSIDE_EXHIBIT.
 */
export function scopeProblems(problems: readonly Problem[], scope: ExhibitScope): Problem[] {
  const ours = (p: Problem) => p.exhibit === scope.exhibit || (p.seq !== null && scope.events.has(p.seq));
  // Entries outside the exhibit that could not be checked: a map root that
  // disagrees there follows from the damage (the replay could not apply the
  // entry), not from a false root, and so does the derived data after it.
  const damaged = new Set<number>();
  for (const p of problems) if (!ours(p) && isEntryDamage(p)) damaged.add(p.seq as number);
  const outside = (p: Problem): boolean => {
    if (ours(p) || problemClass(p.code) !== 'failure') return false;
    if (isEntryDamage(p)) return true;
    if (p.code === 'MAP_ROOT_MISMATCH') return p.seq !== null && damaged.has(p.seq);
    if (problemCodeInfo(p.code)?.area !== 'store') return false;
    return !SHARED_STORE_CODES.has(p.code) || damaged.size > 0;
  };
  return problems.map((p) =>
    outside(p)
      ? {
          code: 'OUTSIDE_EXHIBIT',
          severity: 'error',
          seq: p.seq,
          exhibit: p.exhibit,
          message: `${p.code}: ${p.message} (not one of ${scope.exhibit}'s events, which are checked; it may still bear on them, so the verdict is held back)`,
        }
      : p,
  );
}
