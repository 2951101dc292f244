/**
 * The named checks of a v2 bundle verdict and the problems that fail them
 * (docs/BUNDLE.md §Checks and problem codes). Every problem has a stable
 * code; each code belongs to exactly one check, so a report can say which
 * property failed. Which check that is, is the code's `check` in the one
 * table of codes (src/problem-codes.ts); the order and titles are here. A
 * check that could not be carried out is "not-checked", never "pass" (a
 * verdict never reports as checked what was not).
 */

import type { Check } from '../bundle/verdict.js';
import { ids45 } from '../format/short-id.js';
import { type BundleCheck, PROBLEM_INFO, type ProblemCode } from '../problem-codes.js';
import type { Problem, Severity } from './report.js';

export const CHECKS_V2 = [
  ['bundle-structure', 'Bundle structure'],
  ['anchor', 'Trust anchor'],
  ['checkpoint-signature', 'Checkpoint signature'],
  ['witness-quorum', 'Witness cosignatures'],
  ['inclusion-proofs', 'Inclusion in the log'],
  ['records', 'Entry and statement format'],
  ['signatures', 'Signatures'],
  ['signers', 'Signers entitled to act'],
  ['custody-rules', 'Custody rules'],
  ['exhibit-links', 'No missing events'],
  ['history-complete', 'Nothing left out up to the checkpoint'],
  ['openings', 'Revealed cleartext'],
  ['recorded-integrity', 'Integrity on every re-check'],
  ['file-digests', 'The file in hand'],
] as const satisfies readonly (readonly [BundleCheck, string])[];
export type CheckIdV2 = (typeof CHECKS_V2)[number][0];

/**
 * The check a code fails. A code the table gives no check is one only the
 * whole-ledger verifier reports; should one reach a bundle verdict, it counts
 * against the custody rules, as every unlisted code always has.
 */
export function checkOf(code: ProblemCode): CheckIdV2 {
  return PROBLEM_INFO[code].check ?? 'custody-rules';
}

/** Problems by check, and checks that could not be carried out. */
export class Findings {
  readonly problems: Problem[] = [];
  readonly #byCheck = new Map<CheckIdV2, Problem[]>();
  readonly #notChecked = new Map<CheckIdV2, string>();

  add(
    code: ProblemCode,
    seq: number | null,
    exhibit: Uint8Array | null,
    message: string,
    severity: Severity = 'error',
  ) {
    const p: Problem = { code, severity, seq, exhibit: exhibit ? ids45('EX', exhibit) : null, message };
    this.problems.push(p);
    const c = checkOf(code);
    const list = this.#byCheck.get(c);
    if (list) list.push(p);
    else this.#byCheck.set(c, [p]);
  }

  /** Marks a check as not carried out (unless a problem already failed it), with why. */
  notChecked(check: CheckIdV2, why: string) {
    if (!this.#notChecked.has(check)) this.#notChecked.set(check, why);
  }

  get errors(): number {
    return this.problems.filter((p) => p.severity === 'error').length;
  }

  /**
   * The checks in report order: fail on an error, or on a warning of a check
   * that was carried out (a recorded digest mismatch fails "integrity on
   * every re-check", as in v1); else not-checked if marked; else pass with
   * `passed[id]`.
   */
  checks(passed: Partial<Record<CheckIdV2, string>>): Check[] {
    return CHECKS_V2.map(([id, title]) => {
      const ps = this.#byCheck.get(id) ?? [];
      const why = this.#notChecked.get(id);
      if (ps.some((p) => p.severity === 'error') || (ps.length > 0 && why === undefined)) {
        const detail =
          ps
            .slice(0, 5)
            .map((p) => p.message)
            .join('; ') + (ps.length > 5 ? ` (and ${ps.length - 5} more)` : '');
        return { id, title, verdict: 'fail', detail };
      }
      if (why !== undefined) return { id, title, verdict: 'not-checked', detail: why };
      const pass = passed[id];
      // A check with nothing to say for itself was not carried out: never a silent pass.
      if (!pass) return { id, title, verdict: 'not-checked', detail: 'not carried out' };
      return { id, title, verdict: 'pass', detail: pass };
    });
  }
}
