/**
 * The named checks of a v2 bundle verdict and the problems that fail them
 * (docs/BUNDLE.md §Checks and problem codes). Every problem has a stable
 * code; each code belongs to exactly one check, so a report can say which
 * property failed. A check that could not be carried out is "not-checked",
 * never "pass" (a verdict never reports as checked what was not).
 */

import type { Check } from '../bundle/verdict.js';
import { ids45 } from '../format/short-id.js';
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
] as const;
export type CheckIdV2 = (typeof CHECKS_V2)[number][0];

const sets: [CheckIdV2, readonly string[]][] = [
  ['bundle-structure', ['BUNDLE_MALFORMED', 'VERIFIER_FAILED']],
  ['anchor', ['ANCHOR_MISMATCH', 'LOG_KEY_MISMATCH', 'TRUST_NOT_PINNED']],
  [
    'checkpoint-signature',
    [
      'CHECKPOINT_MALFORMED',
      'CHECKPOINT_ORIGIN_MISMATCH',
      'CHECKPOINT_SIGNATURE_INVALID',
      'CHECKPOINT_UNSIGNED',
      'CHECKPOINT_UNVERIFIABLE',
      'LOG_KEY_REVOKED',
    ],
  ],
  ['witness-quorum', ['WITNESS_QUORUM', 'COSIGNATURE_MISSING', 'COSIGNATURE_NOT_ASKED']],
  ['inclusion-proofs', ['PROOF_INVALID', 'TAIL_INVALID', 'SEEN_PROOF_INVALID']],
  ['signatures', ['STATEMENT_SIGNATURE_INVALID']],
  [
    'signers',
    [
      'ACTOR_UNKNOWN',
      'ACTOR_REVOKED',
      'ACTOR_EXPIRED',
      'NOT_AUTHORITY',
      'NOT_REGISTRAR',
      'SIGNER_FOREIGN',
      'SIGNER_REVOKED',
      'SIGNER_COMPROMISED',
      'KEY_RECORD_MISMATCH',
    ],
  ],
  ['exhibit-links', ['EXHIBIT_LINK_BROKEN', 'LEDGER_LINK_BROKEN']],
  [
    'history-complete',
    [
      'EXHIBIT_HEAD_MISMATCH',
      'EXHIBIT_RECORD_MISMATCH',
      'LEDGER_HEAD_MISMATCH',
      'LEDGER_RECORD_MISMATCH',
      'RECORD_MISSING',
      'RECORD_HASH_MISMATCH',
      'RECORD_UNEXPECTED',
      'MAP_PROOF_INVALID',
    ],
  ],
  ['openings', ['OPENING_INVALID', 'OPENING_TEXT_REFUSED']],
  ['recorded-integrity', ['DIGEST_MISMATCH_RECORDED', 'SEAL_BROKEN_RECORDED']],
  ['file-digests', ['FILE_DIGEST_MISMATCH', 'FILE_NOT_COMPARED', 'FILE_SIZE_MISMATCH']],
];
const CHECK_OF = new Map<string, CheckIdV2>(sets.flatMap(([c, codes]) => codes.map((k) => [k, c] as const)));

/** Decoding of entries and statements, and the kinds table (FORMAT.md §Error codes). */
const FORMAT =
  /^(ENTRY_(MALFORMED|NON_CANONICAL|SCHEMA|INDEX_MISMATCH|TIME_REGRESSION)|PAYLOAD_|STATEMENT_(TOO_LARGE|MALFORMED|NON_CANONICAL|SCHEMA)|KIND_|BODY_)/;

/** The check a code fails; every custody-rule code not named above is a custody rule. */
export function checkOf(code: string): CheckIdV2 {
  return CHECK_OF.get(code) ?? (FORMAT.test(code) ? 'records' : 'custody-rules');
}

/** Problems by check, and checks that could not be carried out. */
export class Findings {
  readonly problems: Problem[] = [];
  readonly #byCheck = new Map<CheckIdV2, Problem[]>();
  readonly #notChecked = new Map<CheckIdV2, string>();

  add(
    code: string,
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
