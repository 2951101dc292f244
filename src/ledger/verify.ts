/**
 * Verifying a stored ledger: streams its records through the pure verifier,
 * using worker threads for signatures when the ledger is large, then checks
 * that the derived data the store keeps (head, Merkle root) agrees with what
 * the records say.
 */
import { toHex } from '../bytes.js';
import { WorkerPoolChecker } from '../crypto/verify-pool.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import type { LedgerStore } from '../store/store.js';
import type { Problem } from '../verify/report.js';
import { type VerifyOptions, type VerifyResult, verifyLog } from '../verify/verifier.js';
import { auditStore } from './audit.js';

/** Below this many entries threads cost more than they save. */
const PARALLEL_THRESHOLD = 5_000;

export async function verifyStore(
  store: LedgerStore,
  /**
   * threads: 1 checks signatures inline; more forces a pool of that size; default decides by size.
   * deep: also audit every derived record the store keeps (./audit.ts).
   */
  opts: VerifyOptions & { threads?: number; deep?: boolean } = {},
): Promise<VerifyResult> {
  const head = await store.readHead().catch(() => undefined);
  const size = head?.size ?? Number.MAX_SAFE_INTEGER;
  const usePool =
    !opts.checker && opts.threads !== 1 && (size >= PARALLEL_THRESHOLD || (opts.threads ?? 0) > 1);
  const pool = usePool ? new WorkerPoolChecker(opts.threads) : undefined;
  try {
    const result = await verifyLog(store.entries(0, Number.MAX_SAFE_INTEGER), {
      ...opts,
      ...(pool ? { checker: pool } : {}),
    });
    const r = result.report;
    const extra = [];
    if (!head) extra.push({ code: 'STORE_HEAD_MISSING', message: 'the stored head is missing or damaged' });
    else if (
      head.size !== r.entries ||
      toHex(head.head) !== r.head ||
      head.origin !== r.origin ||
      head.lastTime !== result.final.lastTime ||
      head.authority !== result.final.authority
    )
      extra.push({
        code: 'STORE_HEAD_MISMATCH',
        message: `the stored head says ${head.size} entries ending in ${toHex(head.head).slice(0, 16)}…, the records say ${r.entries} ending in ${r.head.slice(0, 16)}…`,
      });
    else {
      const stored = await MerkleFrontier.load(store, head.size).then(
        (f) => toHex(f.root()),
        () => undefined,
      );
      if (stored !== r.root)
        extra.push({
          code: 'STORE_TREE_MISMATCH',
          message: 'the stored Merkle tree does not match the records',
        });
    }
    const found: Problem[] = extra.map((e) => ({
      ...e,
      severity: 'error' as const,
      seq: null,
      exhibit: null,
    }));
    if (opts.deep) found.push(...(await auditStore(store, result)));
    result.addProblems(found);
    return result;
  } finally {
    await pool?.close();
  }
}
