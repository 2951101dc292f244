/**
 * LevelDB key layout (docs/STORAGE.md). One byte of prefix, then fixed-width
 * big-endian integers so that LevelDB's bytewise order is numeric order.
 *
 *   'e' seq:u64                    -> record bytes (the primary data)
 *   'n' level:u8 index:u64         -> Merkle node of a complete subtree (level 0 = leaf hash)
 *   'A' actorId                    -> actor state record
 *   'X' exhibitId                  -> exhibit state record
 *   'x' exhibitId 0x00 seq:u64     -> '' (index: events of an exhibit)
 *   'a' actorId 0x00 seq:u64       -> '' (index: entries signed by an actor)
 *   'c' size:u64                   -> checkpoint signed note (UTF-8)
 *   'H'                            -> head (size, last leaf hash, last time, origin, authority)
 *   'V'                            -> store layout version
 */
import { concat, utf8 } from '../bytes.js';

const P = (c: string) => c.charCodeAt(0);

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

export const entryKey = (seq: number) => concat(new Uint8Array([P('e')]), u64(seq));
export const nodeKey = (level: number, index: number) => concat(new Uint8Array([P('n'), level]), u64(index));
export const actorKey = (id: string) => concat(new Uint8Array([P('A')]), utf8(id));
export const exhibitKey = (id: string) => concat(new Uint8Array([P('X')]), utf8(id));
export const exhibitEventKey = (id: string, seq: number) =>
  concat(new Uint8Array([P('x')]), utf8(id), new Uint8Array([0]), u64(seq));
export const actorEntryKey = (id: string, seq: number) =>
  concat(new Uint8Array([P('a')]), utf8(id), new Uint8Array([0]), u64(seq));
export const checkpointKey = (size: number) => concat(new Uint8Array([P('c')]), u64(size));
export const HEAD_KEY = new Uint8Array([P('H')]);
export const VERSION_KEY = new Uint8Array([P('V')]);
export const STORE_VERSION = 1;

/** [gte, lt) bounds of every key starting with `prefix`. */
export function prefixRange(prefix: Uint8Array): { gte: Uint8Array; lt: Uint8Array } {
  const lt = prefix.slice();
  let i = lt.length - 1;
  while (i >= 0 && lt[i] === 0xff) i--;
  lt[i] = lt[i]! + 1;
  return { gte: prefix, lt: lt.subarray(0, i + 1) };
}

export const exhibitEventPrefix = (id: string) =>
  concat(new Uint8Array([P('x')]), utf8(id), new Uint8Array([0]));
export const actorEntryPrefix = (id: string) =>
  concat(new Uint8Array([P('a')]), utf8(id), new Uint8Array([0]));
export const PREFIX = {
  actor: new Uint8Array([P('A')]),
  exhibit: new Uint8Array([P('X')]),
  checkpoint: new Uint8Array([P('c')]),
};
