/**
 * Whole-ledger verification of a v2 store (docs/VERIFYING-V2.md): the store's
 * entries, payloads, openings, checkpoints and head go through the pure
 * verifier (./log-verify.ts); then the derived data only a store has — the
 * records the rules read and the Merkle nodes proofs are built from — is
 * audited against the replay (./log-audit.ts).
 *
 * Reads through the LogStore interface only, so LevelDB and memory stores are
 * verified alike; nothing here touches files.
 */
import type { LogStore } from '../store/log-store.js';
import { verifyStoredRecords, verifyStoredTree } from './log-audit.js';
import type { StoredCheckpoint } from './log-checkpoints.js';
import {
  type LogItem,
  type LogSource,
  type LogVerifyOptions,
  type LogVerifyResult,
  verifyLogV2,
} from './log-verify.js';
import type { Problem } from './report.js';

export interface LogStoreVerifyOptions extends LogVerifyOptions {
  /** Audit the stored records and tree nodes against the replay (default true). */
  audit?: boolean;
}

/** Items read ahead at once, so the openings of a run of entries are fetched together. */
const READ_AHEAD = 256;

/** Entries and payloads in order, each with its stored openings. */
async function* withOpenings(store: LogStore): AsyncGenerator<LogItem> {
  let run: { index: number; entry: Uint8Array; payload: Uint8Array }[] = [];
  const flush = async () => {
    const openings = await Promise.all(run.map((it) => store.openings(it.index)));
    const out = run.map((it, i): LogItem => {
      const o = openings[i];
      return o === undefined ? it : { ...it, openings: o };
    });
    run = [];
    return out;
  };
  for await (const it of store.items(0, Number.MAX_SAFE_INTEGER)) {
    run.push(it);
    if (run.length >= READ_AHEAD) yield* await flush();
  }
  yield* await flush();
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
  const result = await verifyLogV2({ items: withOpenings(store), checkpoints, head }, opts);
  if (early.length > 0) result.addProblems(early);
  if (opts.audit !== false) {
    result.addProblems(
      await verifyStoredRecords((ns, key) => store.record(ns, key), result.state, result.written),
    );
    result.addProblems(await verifyStoredTree(store, result.roots));
  }
  return result;
}
