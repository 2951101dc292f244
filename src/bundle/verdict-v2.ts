/**
 * The result of verifying a v2 evidence bundle (docs/BUNDLE.md
 * §Verification result). It is the v1 ExhibitVerdict (./verdict.ts), which the
 * report renders, widened with what only format v2 has: commitments whose
 * cleartext may be revealed or withheld, pins of log keys as well as
 * authority keys, and the log position up to which the history is proven.
 *
 * Display conventions: exhibits are short ids (ids45('EX', id)), keys are
 * short key ids (ids45('K', keyId)), `seq` is a log index, and a committed
 * field that was not revealed reads "withheld".
 */
import type { Problem, Verdict } from '../findings.js';
import type { ExhibitVerdict } from './verdict.js';

/** What a cleartext that is not in the bundle reads as, everywhere in the result. */
export { WITHHELD } from '../custody/timeline-v2.js';

/** One committed field of one bundled statement (FORMAT.md §Commitments and openings). */
export interface OpenedField {
  /** Log index of the statement. */
  index: number;
  kind: string;
  field: string;
  /**
   * revealed: the cleartext opens the signed commitment and obeys the text rules;
   * withheld: the bundle carries no cleartext for it (not a problem);
   * invalid: the bundle carries a cleartext that does not open it (a problem).
   */
  status: 'revealed' | 'withheld' | 'invalid';
  /** The cleartext, when revealed. */
  value?: string;
}

/** What the verdict is anchored to: the pinned keys that matched. Empty when nothing pinned matched. */
export type AnchorKind = 'authority' | 'log';

export interface ExhibitVerdictV2 extends ExhibitVerdict {
  format: 2;
  /** docs/VERIFYING.md §Verdicts; `ok` is `verdict === 'VERIFIED'`. */
  verdict: Verdict;
  /** The checkpoint is signed by genesis's log key and a pinned key matched. */
  anchored: boolean;
  /** Problems that do not decide the verdict (`problems` holds those that do). */
  warnings: Problem[];
  /** Full exhibit id, lowercase hex (the short id is `exhibit.id`). */
  exhibitId: string;
  /**
   * The pinned keys the result rests on. `ok` is never true when this is
   * empty: without a pin, anyone could have built a consistent bundle.
   */
  anchoredTo: AnchorKind[];
  /** True when the caller pinned no key at all. */
  nothingPinned: boolean;
  /** The history is proven complete up to (not including) this log size: the checkpoint's N (M when refreshed). */
  coveredSize: number | null;
  /**
   * With a freshness file (docs/BUNDLE.md §Freshness): the bundle's own checkpoint size N, the
   * verdict being judged as of the newer checkpoint (`checkpoint`, `coveredSize`: M).
   */
  refreshedFrom?: number;
  /** Every committed field of every bundled statement, in index order. */
  openings: OpenedField[];
}
