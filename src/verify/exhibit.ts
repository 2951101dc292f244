/**
 * Narrows a whole-log report to one exhibit (and the exhibits it was derived
 * from). The whole log is always replayed — custody state depends on all of it —
 * but the verdict for an exhibit ignores problems that concern only other
 * exhibits. Recorded digest mismatches and broken seals, which are warnings for
 * the log, are errors for the exhibit: its integrity can no longer be shown.
 */
import type { ExhibitRecord } from '../custody/state.js';
import type { DigestAlgorithm } from '../format/events.js';
import type { Problem, VerifyReport } from './report.js';
import { fileProblems, type VerifyResult } from './verifier.js';

export interface ExhibitReport extends VerifyReport {
  exhibit: string;
  /** The exhibit and its ancestors, oldest first. */
  lineage: string[];
  holder: string | null;
  state: ExhibitRecord['status'] | null;
  fileChecked: boolean;
}

export function scopeToExhibit(
  result: VerifyResult,
  exhibit: string,
  file?: Partial<Record<DigestAlgorithm, Uint8Array>>,
): ExhibitReport {
  const x = result.exhibit(exhibit);
  const lineage: string[] = [];
  for (
    let cur = x, guard = 0;
    cur && guard < 1000;
    cur = cur.parent ? result.exhibit(cur.parent) : undefined, guard++
  )
    lineage.unshift(cur.id);
  const scope = new Set(lineage);
  // A derivation is an event of the copy and of its parent: its problems concern both.
  const problems: Problem[] = result
    .allProblems()
    .filter(
      (p) =>
        p.exhibit === null ||
        scope.has(p.exhibit) ||
        (p.seq !== null && result.concerns(p.seq).some((id) => scope.has(id))),
    );
  if (!x)
    problems.push({
      code: 'EXHIBIT_UNKNOWN',
      severity: 'error',
      seq: null,
      exhibit,
      message: `exhibit ${exhibit} is not registered in this log`,
    });
  // Recorded mismatches and broken seals in the lineage: warnings for the log, errors for the exhibit.
  for (let i = 0; i < problems.length; i++) {
    const p = problems[i]!;
    if (p.severity === 'warning' && p.exhibit !== null && scope.has(p.exhibit))
      problems[i] = { ...p, severity: 'error' };
  }
  if (x && file) problems.push(...fileProblems(x, file));
  problems.sort((a, b) => (a.seq ?? -1) - (b.seq ?? -1));
  return {
    ...result.report,
    ok: !problems.some((p) => p.severity === 'error'),
    problems,
    problemCount: problems.length,
    exhibit,
    lineage,
    holder: x?.holder ?? null,
    state: x?.status ?? null,
    fileChecked: !!(x && file),
  };
}
