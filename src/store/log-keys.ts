/**
 * LevelDB key layout of a format v2 ledger (docs/STORAGE.md). One ASCII
 * byte of prefix, then fixed-width big-endian integers, so that LevelDB's
 * bytewise order is numeric order.
 *
 *   'E' index:u64                 -> entry bytes (≤ 89)                 primary
 *   'P' index:u64                 -> payload bytes (signed statement)   primary
 *   'O' index:u64                 -> sealed openings (./opening-seal.ts) primary, erasable
 *   'n' level:u8 index:u64        -> Merkle node of a complete subtree  derived
 *   'M' nodeHash(32)              -> state-map branch                   derived
 *   'R' u8(len ns) ns key         -> state record                       derived
 *   'S' statementId(32)           -> index:u64                          derived
 *   'x' exhibitId(32) index:u64   -> ''                                 derived
 *   'c' size:u64                  -> checkpoint signed note (UTF-8)
 *   'w' sha256(origin)            -> witness state of a peer log (canonical msgpack {size, root, note})
 *   'H'                           -> head
 *   'V'                           -> layout version (2)
 */
import { concat, utf8 } from '../bytes.js';

const P = (c: string) => new Uint8Array([c.charCodeAt(0)]);
function u64(n: number): Uint8Array {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  v.setUint32(0, Math.floor(n / 0x100000000));
  v.setUint32(4, n >>> 0);
  return b;
}

export function readU64(b: Uint8Array, offset: number): number {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return v.getUint32(offset) * 0x100000000 + v.getUint32(offset + 4);
}

/** [gte, lt) bounds of every key starting with `prefix`. */
export function prefixRange(prefix: Uint8Array): { gte: Uint8Array; lt: Uint8Array } {
  const lt = prefix.slice();
  let i = lt.length - 1;
  while (i >= 0 && lt[i] === 0xff) i--;
  lt[i] = lt[i]! + 1;
  return { gte: prefix, lt: lt.subarray(0, i + 1) };
}

// 3: openings are sealed, their keys in opening-keys/ (docs/STORAGE.md §Openings).
export const LOG_STORE_VERSION = 3;
export const K = {
  entry: (i: number) => concat(P('E'), u64(i)),
  payload: (i: number) => concat(P('P'), u64(i)),
  openings: (i: number) => concat(P('O'), u64(i)),
  treeNode: (level: number, index: number) => concat(P('n'), new Uint8Array([level]), u64(index)),
  mapNode: (hash: Uint8Array) => concat(P('M'), hash),
  record: (ns: string, key: Uint8Array) => {
    const n = utf8(ns);
    return concat(P('R'), new Uint8Array([n.length]), n, key);
  },
  recordsIn: (ns: string) => {
    const n = utf8(ns);
    return concat(P('R'), new Uint8Array([n.length]), n);
  },
  statement: (id: Uint8Array) => concat(P('S'), id),
  statements: P('S'),
  treeNodes: P('n'),
  exhibitEvent: (id: Uint8Array, i: number) => concat(P('x'), id, u64(i)),
  exhibitEvents: (id: Uint8Array) => concat(P('x'), id),
  checkpoint: (size: number) => concat(P('c'), u64(size)),
  checkpoints: P('c'),
  witness: (originHash: Uint8Array) => concat(P('w'), originHash),
  head: P('H'),
  version: P('V'),
} as const;

export const u64Bytes = u64;
/** The trailing u64 of a key. */
export const lastU64 = (k: Uint8Array): number => readU64(k, k.length - 8);
