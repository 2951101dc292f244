/**
 * The refusals the state map throws (docs/ERRORS.md §State map). Proof
 * verification never throws; its failure reasons are in ./verify.ts.
 */
import { CustodyError } from '../errors.js';

/** A namespace or key outside the limits of docs/STATE-MAP.md §Keys. */
export const keyInvalid = (message: string): CustodyError =>
  new CustodyError('MAP_KEY_INVALID', message, 'input');

/** A value that is not exactly 32 bytes. */
export const valueInvalid = (message: string): CustodyError =>
  new CustodyError('MAP_VALUE_INVALID', message, 'input');

/** A snapshot used after release(): a bug in the caller. */
export const snapshotReleased = (): CustodyError =>
  new CustodyError('MAP_SNAPSHOT_RELEASED', 'state map snapshot used after release()', 'internal');

/** Stored node bytes that do not decode to a node of docs/STATE-MAP.md §Node encoding. */
export const nodeMalformed = (message: string): CustodyError =>
  new CustodyError('MAP_NODE_MALFORMED', `state map node is damaged: ${message}`, 'unavailable');
