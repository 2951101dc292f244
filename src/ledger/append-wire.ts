/**
 * The append protocol of a ledger server (docs/SERVER.md §Appending): the
 * body of `POST /v1/statements` and of its answer, both canonical msgpack
 * (docs/FORMAT.md §Canonical MessagePack). Both sides are here, so they cannot
 * drift.
 *
 *   request   {statements: [{statement: bin, openings?: bin}, …], witnessed?: true}
 *             at most MAX_APPEND_BATCH statements; `witnessed`: acknowledge only once a
 *             checkpoint covering them carries the server's quorum of witness cosignatures
 *   answer    {results: [{index, id: bin32, leafHash: bin32, time, duplicate?: true,
 *                         receipt: <C2SP tlog-proof text>}
 *                        | {error: {code, message, category}}, …]}    one per statement, in order
 *
 * Writes need no HTTP signature: each statement is signed by its actor, and
 * the server admits it exactly as a local ledger would. A receipt is not
 * trusted for being sent: the client verifies it against the log key
 * (src/checkpoint/tlog-proof.ts) before it reports the append.
 */
import {
  CustodyError,
  type CustodyErrorCode,
  type ErrorCategory,
  isErrorCategory,
  serverCodeOf,
} from '../errors.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';

/** Statements one request may carry. */
export const MAX_APPEND_BATCH = 1024;

export interface AppendItem {
  /** A signed statement, or with `foreign` a foreign statement payload (docs/FORMAT.md §Foreign statements). */
  statement: Uint8Array;
  openings?: Uint8Array;
  foreign?: true;
}

export type AppendResult =
  | { index: number; id: Uint8Array; leafHash: Uint8Array; time: number; duplicate?: true; receipt: string }
  | { error: { code: CustodyErrorCode; message: string; category: ErrorCategory } };

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
const bad = (what: string) =>
  new CustodyError('APPEND_REQUEST_MALFORMED', `the append request ${what}`, 'input');

export function encodeAppendRequest(items: readonly AppendItem[], witnessed = false): Uint8Array {
  return encodeCanonical({
    ...(witnessed ? { witnessed: true } : {}),
    statements: items.map((i) =>
      i.foreign
        ? { foreign: i.statement }
        : i.openings
          ? { statement: i.statement, openings: i.openings }
          : { statement: i.statement },
    ),
  });
}

/** The statements, with `witnessed` set when the request asks to wait for the witness quorum. */
export function decodeAppendRequest(body: Uint8Array): AppendItem[] & { witnessed?: true } {
  const d = decodeCanonical(body);
  if ('error' in d) throw bad('is not canonical msgpack');
  const list = isObj(d.value) ? d.value['statements'] : undefined;
  const witnessed = isObj(d.value) ? d.value['witnessed'] : undefined;
  if (witnessed !== undefined && witnessed !== true) throw bad('has a witnessed member that is not true');
  if (!isObj(d.value) || Object.keys(d.value).length !== (witnessed ? 2 : 1) || !Array.isArray(list))
    throw bad('has no statements list');
  if (list.length === 0 || list.length > MAX_APPEND_BATCH)
    throw bad(`must carry 1 to ${MAX_APPEND_BATCH} statements`);
  const items: AppendItem[] & { witnessed?: true } = list.map((s): AppendItem => {
    if (isObj(s) && s['foreign'] !== undefined) {
      if (!(s['foreign'] instanceof Uint8Array) || Object.keys(s).length !== 1)
        throw bad('has a foreign statement that is not bytes alone');
      return { statement: s['foreign'], foreign: true };
    }
    if (!isObj(s) || !(s['statement'] instanceof Uint8Array)) throw bad('has a statement that is not bytes');
    const o = s['openings'];
    if (o !== undefined && !(o instanceof Uint8Array)) throw bad('has openings that are not bytes');
    if (Object.keys(s).some((k) => k !== 'statement' && k !== 'openings')) throw bad('has an unknown field');
    return o ? { statement: s['statement'], openings: o } : { statement: s['statement'] };
  });
  if (witnessed) items.witnessed = true;
  return items;
}

export function encodeAppendAnswer(results: readonly AppendResult[]): Uint8Array {
  return encodeCanonical({
    results: results.map((r): Canonical => {
      if ('error' in r) return { error: { ...r.error } };
      const m: Record<string, Canonical> = {
        index: r.index,
        id: r.id,
        leafHash: r.leafHash,
        time: r.time,
        receipt: r.receipt,
      };
      if (r.duplicate) m['duplicate'] = true;
      return m;
    }),
  });
}

/** The server's answer, checked for shape (what it claims is verified by the caller). */
export function decodeAppendAnswer(body: Uint8Array, expected: number): AppendResult[] {
  const malformed = () =>
    new CustodyError('STORE_CORRUPT', "the server's answer to an append is malformed", 'unavailable');
  const d = decodeCanonical(body);
  if ('error' in d || !isObj(d.value)) throw malformed();
  const list = d.value['results'];
  if (!Array.isArray(list) || list.length !== expected) throw malformed();
  return list.map((r): AppendResult => {
    if (!isObj(r)) throw malformed();
    const e = r['error'];
    if (e !== undefined) {
      if (!isObj(e) || typeof e['code'] !== 'string' || typeof e['message'] !== 'string') throw malformed();
      const category = e['category'];
      if (!isErrorCategory(category)) throw malformed();
      // The server's code is narrowed, never cast: one this version does not know is SERVER_ERROR.
      return { error: { ...serverCodeOf(e['code'], e['message']), category } };
    }
    const { index, id, leafHash, time, receipt, duplicate } = r;
    if (
      !isUint(index) ||
      !(id instanceof Uint8Array) ||
      id.length !== 32 ||
      !(leafHash instanceof Uint8Array) ||
      leafHash.length !== 32 ||
      !isUint(time) ||
      typeof receipt !== 'string' ||
      (duplicate !== undefined && duplicate !== true)
    )
      throw malformed();
    return duplicate
      ? { index, id, leafHash, time, receipt, duplicate }
      : { index, id, leafHash, time, receipt };
  });
}
