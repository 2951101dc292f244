/**
 * The refusals the state map throws (docs/ERRORS.md §State map). Proof
 * verification never throws; its failure reasons are in ./verify.ts.
 */
import { toHex } from '../bytes.js';
import { CustodyError } from '../errors.js';

/** A namespace or key outside the limits of docs/STATE-MAP.md §Keys. */
export const keyInvalid = (message: string): CustodyError =>
  new CustodyError('MAP_KEY_INVALID', message, 'input');

/** A value that is not exactly 32 bytes. */
export const valueInvalid = (message: string): CustodyError =>
  new CustodyError('MAP_VALUE_INVALID', message, 'input');

/** A root that is not 32 bytes, given to open a map or prove from a store. */
export const rootInvalid = (message = 'a map root must be 32 bytes'): CustodyError =>
  new CustodyError('MAP_ROOT_INVALID', message, 'input');

/** A snapshot used after release(): a bug in the caller. */
export const snapshotReleased = (): CustodyError =>
  new CustodyError('MAP_SNAPSHOT_RELEASED', 'state map snapshot used after release()', 'internal');

/** Stored node bytes that do not decode to a node of docs/STATE-MAP.md §Node encoding. */
export const nodeMalformed = (message: string): CustodyError =>
  new CustodyError('MAP_NODE_MALFORMED', `state map node is damaged: ${message}`, 'unavailable');

/** A lazily opened map's source has no node under a hash the map needs (./lazy.ts). */
export const nodeMissing = (hash: Uint8Array, depth: number): CustodyError =>
  new CustodyError(
    'MAP_NODE_MISSING',
    `state map node ${toHex(hash)} (depth ${depth}) is not in the store`,
    'unavailable',
    { hash: toHex(hash), depth },
  );

/**
 * A key used on a lazily opened map before load() fetched its path: a bug in
 * the caller. Thrown before anything changes, so no wrong root is computed.
 */
export const pathNotLoaded = (depth: number): CustodyError =>
  new CustodyError(
    'MAP_PATH_NOT_LOADED',
    `state map: the key's path is not loaded (a branch at depth ${depth} is still a stub); await load() first`,
    'internal',
    { depth },
  );
