/**
 * Evidence of a split view (docs/FEDERATION.md §Split views): two
 * checkpoints of one log, signed by its key, of the same tree size and with
 * different root hashes. A log that signs both has shown two histories
 * (C2SP tlog-checkpoint: a log must never sign a checkpoint inconsistent with
 * one it signed before), and the pair proves it to anyone who knows the log
 * key, with nothing else trusted.
 *
 * Only this pair is kept as evidence. A larger checkpoint whose consistency
 * proof fails proves nothing by itself (the proof may be what is wrong), so a
 * witness refuses it (422) without calling it a split view.
 */
import { equalBytes, toHex } from '../bytes.js';
import { CustodyError } from '../errors.js';
import { decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { openCheckpoint } from './checkpoint.js';
import type { NoteVerifier } from './note.js';

export interface SplitView {
  origin: string;
  size: number;
  /** The two signed notes, as received (the first may carry the witness's own cosignature). */
  notes: readonly [string, string];
  /** The roots the notes commit to, in the same order (hex). */
  roots: readonly [string, string];
}

const unproven = (why: string) =>
  new CustodyError('SPLIT_VIEW_UNPROVEN', `the two checkpoints prove no split view: ${why}`, 'verification');

/**
 * Checks that `a` and `b` are a split view of the log `log` verifies;
 * SPLIT_VIEW_UNPROVEN otherwise. Notes carrying other signature lines
 * (cosignatures) are accepted: only the log key's signature counts.
 */
export function checkSplitView(a: string, b: string, log: NoteVerifier): SplitView {
  const open = (n: string, which: string) => {
    try {
      return openCheckpoint(n, log).checkpoint;
    } catch (e) {
      throw unproven(`the ${which} is not a checkpoint signed by the log key (${(e as Error).message})`);
    }
  };
  const x = open(a, 'first');
  const y = open(b, 'second');
  if (x.size !== y.size) throw unproven(`their tree sizes differ (${x.size}, ${y.size})`);
  if (equalBytes(x.root, y.root)) throw unproven('they have the same root hash');
  return { origin: x.origin, size: x.size, notes: [a, b], roots: [toHex(x.root), toHex(y.root)] };
}

/** The stored form, and the JSON a server serves: {origin, size, notes: [a, b]}. */
export function splitViewDocument(s: SplitView): { origin: string; size: number; notes: [string, string] } {
  return { origin: s.origin, size: s.size, notes: [s.notes[0], s.notes[1]] };
}

export const encodeSplitView = (s: SplitView): Uint8Array =>
  encodeCanonical({ a: s.notes[0], b: s.notes[1] });

/** The stored pair; re-checked against the log key on the way out, so a damaged record is never served as proof. */
export function decodeSplitView(bytes: Uint8Array, log: NoteVerifier): SplitView {
  const d = decodeCanonical(bytes);
  const m = 'error' in d ? undefined : (d.value as Record<string, unknown>);
  if (!m || typeof m['a'] !== 'string' || typeof m['b'] !== 'string')
    throw new CustodyError('STORE_CORRUPT', 'the stored split-view evidence is damaged', 'unavailable');
  return checkSplitView(m['a'], m['b'], log);
}
