/**
 * The stored head of a v2 ledger (docs/STORAGE.md §Head): canonical
 * msgpack `{size, lastTime, mapRoot, mapSize, mapRootLeaf?: [path, value]}`.
 * Derived data, checked on read: a head that does not decode is STORE_CORRUPT.
 */
import { CustodyError } from '../errors.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';
import type { LogHead } from './log-store.js';

export function encodeHead(h: LogHead): Uint8Array {
  const m: Record<string, Canonical> = {
    size: h.size,
    lastTime: h.lastTime,
    mapRoot: h.mapRoot,
    mapSize: h.mapSize,
  };
  if (h.mapRootLeaf) m['mapRootLeaf'] = [h.mapRootLeaf.path, h.mapRootLeaf.value];
  return encodeCanonical(m);
}

const uint = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const h32 = (v: unknown): v is Uint8Array => v instanceof Uint8Array && v.length === 32;

export function decodeHead(bytes: Uint8Array): LogHead {
  const r = decodeCanonical(bytes);
  const m = 'error' in r ? undefined : (r.value as Record<string, unknown>);
  const leaf = m?.['mapRootLeaf'];
  const leafOk =
    leaf === undefined || (Array.isArray(leaf) && leaf.length === 2 && h32(leaf[0]) && h32(leaf[1]));
  if (
    !m ||
    typeof m !== 'object' ||
    !uint(m['size']) ||
    !uint(m['lastTime']) ||
    !h32(m['mapRoot']) ||
    !uint(m['mapSize']) ||
    !leafOk
  )
    throw new CustodyError('STORE_CORRUPT', 'the stored head of the ledger is damaged', 'unavailable');
  const l = leaf as [Uint8Array, Uint8Array] | undefined;
  return {
    size: m['size'] as number,
    lastTime: m['lastTime'] as number,
    mapRoot: m['mapRoot'] as Uint8Array,
    mapSize: m['mapSize'] as number,
    mapRootLeaf: l ? { path: l[0], value: l[1] } : null,
  };
}
