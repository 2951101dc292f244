/**
 * Whole-ledger verification of a v2 store (docs/VERIFYING.md): the store's
 * entries, payloads, openings, checkpoints and head go through the pure
 * verifier (./log-verify.ts); then the derived data only a store has — the
 * records the rules read and the Merkle nodes proofs are built from — is
 * audited against the replay (./log-audit.ts).
 *
 * Reads through the LogStore interface only, so LevelDB and memory stores are
 * verified alike; nothing here touches files.
 */
import { DenseNodeStore } from '../merkle/dense.js';
import type { LogStore } from '../store/log-store.js';
import { verifyStoredRecords, verifyStoredTree } from './log-audit.js';
import type { StoredCheckpoint } from './log-checkpoints.js';
import { DerivedAudit } from './log-derived.js';
import { type LogSource, type LogVerifyOptions, type LogVerifyResult, verifyLogV2 } from './log-verify.js';
import type { Problem } from './report.js';

export interface LogStoreVerifyOptions extends LogVerifyOptions {
  /** Audit the stored records and tree nodes against the replay (default true). */
  audit?: boolean;
}

const readFailed = (what: string, e: unknown): Problem => ({
  code: 'SOURCE_FAILED',
  severity: 'error',
  seq: null,
  exhibit: null,
  message: `reading ${what} failed: ${e instanceof Error ? e.message : String(e)}`,
});

/** Verifies everything a v2 store holds. Never throws on damaged data; storage errors become problems. */
export async function verifyLogStore(
  store: LogStore,
  opts: LogStoreVerifyOptions = {},
): Promise<LogVerifyResult> {
  const early: Problem[] = [];
  let head: LogSource['head'];
  try {
    const h = await store.readHead();
    head = h ? { kind: 'ok', head: h } : { kind: 'missing' };
  } catch (e) {
    head = { kind: 'damaged', message: e instanceof Error ? e.message : String(e) };
  }
  const checkpoints: StoredCheckpoint[] = [];
  try {
    for (const size of await store.checkpointSizes()) {
      const note = await store.checkpoint(size);
      if (note !== undefined) checkpoints.push({ size, note });
    }
  } catch (e) {
    early.push(readFailed('the checkpoints', e));
  }
  const audit = opts.audit === false ? undefined : new DerivedAudit(store);
  // The replay's tree, which the audit compares with the stored one; dropped with this scope.
  const nodes = new DenseNodeStore();
  const result = await verifyLogV2(
    { items: store.items(0, Number.MAX_SAFE_INTEGER, { openings: true }), checkpoints, head },
    audit ? { ...opts, nodes, observe: (e) => audit.observe(e) } : { ...opts, nodes },
  );
  if (early.length > 0) result.addProblems(early);
  if (opts.audit !== false) {
    try {
      result.addProblems(
        await verifyStoredRecords(
          (ns) => store.records(ns),
          (ns, key) => store.record(ns, key),
          result.state,
        ),
      );
    } catch (e) {
      result.addProblems([readFailed('the stored records', e)]);
    }
    result.addProblems(await verifyStoredTree(store, result.roots));
    try {
      // The map the entries produce must be stored: walk it from the replayed root.
      const map = result.state.map;
      result.addProblems(await audit!.finish(nodes, map.root, map.size > 1));
    } catch (e) {
      result.addProblems([readFailed('the derived data', e)]);
    }
  }
  return result;
}
