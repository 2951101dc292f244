/**
 * From payload bytes to a statement the rules can judge: strict decoding, the
 * kinds table, and the signatures (docs/FORMAT.md §Statements, §Signatures).
 * Shared by the sequencer (append) and the replay (verify), so both refuse the
 * same bytes for the same reason.
 */
import { FormatError } from '../format/format-error.js';
import { checkKind } from '../format/kinds.js';
import { signatureProblem } from '../format/sign-statement.js';
import { type DecodedStatement, decodeSignedStatement } from '../format/statement.js';
import type { Judged } from './judge.js';
import type { Violation } from './judgement.js';

export type Admitted = Judged & { decoded: DecodedStatement };

/**
 * Decodes and checks a signed statement. `verifySignatures: false` is for a
 * caller that has already verified them (in a worker batch); it never skips
 * decoding or the kinds table.
 */
export function admit(bytes: Uint8Array, verifySignatures = true): Admitted | { violation: Violation } {
  try {
    const decoded = decodeSignedStatement(bytes);
    const spec = checkKind(decoded.statement);
    if (verifySignatures) {
      const p = signatureProblem(decoded, spec);
      if (p) return { violation: { code: 'STATEMENT_SIGNATURE_INVALID', message: p } };
    }
    return { decoded, statement: decoded.statement, spec, id: decoded.id };
  } catch (e) {
    if (e instanceof FormatError) return { violation: { code: e.code, message: e.message } };
    throw e;
  }
}
