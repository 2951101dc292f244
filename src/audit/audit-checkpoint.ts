/**
 * An auditor's decision (docs/PROOFS.md §Auditors): replay the whole log
 * with the whole-log verifier (the same code as `custody verify`), check that
 * the checkpoint is the log key's and has the replayed root at its size, and
 * vouch for it only if nothing at all is wrong. Shared by `custody audit`
 * (a ledger directory or server) and a server auditing its peers
 * (docs/FEDERATION.md §Peers witness and audit each other).
 *
 * Security assumption: the store is not trusted; everything it answers goes
 * through the verifier, and a store that fails to answer is a problem, never
 * a pass. Reads no personal data: the rules and the map see commitments only.
 */
import type { SignatureChecker } from '../crypto/signature-checker.js';
import type { ProblemCode } from '../problem-codes.js';
import type { LogStore } from '../store/log-store.js';
import { checkCheckpointNoteV2, checkpointBody } from '../verify/checkpoint-note.js';
import { verifyLogStore } from '../verify/log-store-verify.js';
import type { LogVerifyResult } from '../verify/log-verify.js';
import type { Problem } from '../verify/report.js';
import { decideVerdict, type VerdictOutcome } from '../verify/verdict.js';

export interface CheckpointAudit {
  origin: string;
  size: number;
  root: Uint8Array;
  result: LogVerifyResult;
  outcome: VerdictOutcome;
}

/** Replays `store` and judges `note` against it; throws only for a note that is not a checkpoint. */
export async function auditCheckpoint(
  store: LogStore,
  note: string,
  checker?: SignatureChecker,
): Promise<CheckpointAudit | { code: ProblemCode; message: string }> {
  const body = checkpointBody(note);
  if ('code' in body) return body;
  const result = await verifyLogStore(store, {
    ...(checker ? { checker } : {}),
    checkpoints: [{ size: body.size, root: body.root }],
  });
  // The checkpoint must be the log key's: an auditor vouches for what the log signed.
  result.addProblems(checkCheckpointNoteV2(note, result.ledger, [], 0).problems);
  // Nothing pinned here: the auditor checks that the log is right, not whom it belongs to.
  const outcome = decideVerdict({ problems: result.allProblems(), anchored: true });
  return { origin: body.origin, size: body.size, root: body.root, result, outcome };
}

/** The first entry whose map root the replay does not give: where a fraud proof points. */
export const firstMapRootMismatch = (problems: readonly Problem[], size: number): number | undefined =>
  problems.find((p) => p.code === 'MAP_ROOT_MISMATCH' && p.seq !== null && p.seq >= 1 && p.seq < size)?.seq ??
  undefined;
