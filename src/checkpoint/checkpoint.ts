/**
 * Transparency log checkpoints (https://c2sp.org/tlog-checkpoint, v1.0.0): a
 * signed note whose text is exactly
 *
 *     <origin>\n
 *     <tree size, ASCII decimal, no leading zeroes>\n
 *     <base64 of the RFC 6962 root hash>\n
 *     [<extension line>\n ...]
 *
 * Error codes raised (CustodyError): CHECKPOINT_MALFORMED (input),
 * CHECKPOINT_ORIGIN_MISMATCH (input when signing, verification when opening),
 * plus the NOTE_* codes of ./note.ts.
 */
import { fromBase64, toBase64 } from '../bytes.js';
import type { Signer } from '../crypto/ed25519.js';
import { CustodyError } from '../errors.js';
import {
  checkNoteText,
  formatNote,
  type NoteVerifier,
  type ParsedNote,
  parseNote,
  signNoteLine,
  verifyNote,
} from './note.js';

/** RFC 6962 root hashes are SHA-256 digests. */
export const ROOT_HASH_LENGTH = 32;

export interface Checkpoint {
  /** tlog-checkpoint §Note text (1): the log's identity. */
  readonly origin: string;
  /** (2): number of leaves; kept within Number.MAX_SAFE_INTEGER. */
  readonly size: number;
  /** (3): the 32-byte root hash. */
  readonly root: Uint8Array;
  /** (4): opaque, non-empty extension lines (without their newlines). */
  readonly extensions: readonly string[];
}

export interface CheckpointInput {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly extensions?: readonly string[];
}

const malformed = (message: string, details?: Record<string, unknown>) =>
  new CustodyError('CHECKPOINT_MALFORMED', message, 'input', details);

/**
 * A line of the checkpoint text: non-empty, no control characters (C0, DEL,
 * C1) and no lone surrogates. tlog-checkpoint §Note text: the origin "MUST be
 * non-empty", and extension lines "MUST be non-empty".
 */
function isPrintableLine(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/**
 * tlog-checkpoint §Note text (2): "the ASCII decimal representation of the
 * number of leaves in the tree, with no leading zeroes (unless the tree is
 * empty, in which case the tree size is `0`)". Parsed by hand; bounded by
 * Number.MAX_SAFE_INTEGER (2^53 - 1) so sizes stay exact JS numbers.
 */
function parseSize(s: string): number | undefined {
  if (s.length === 0 || s.length > 16) return undefined;
  if (s.length > 1 && s.charCodeAt(0) === 0x30) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

const isValidSize = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** Formats a checkpoint's note text (tlog-checkpoint §Note text). */
export function formatCheckpoint(cp: CheckpointInput): string {
  if (typeof cp.origin !== 'string' || !isPrintableLine(cp.origin)) {
    throw malformed('origin must be a non-empty printable line');
  }
  if (typeof cp.size !== 'number' || !isValidSize(cp.size)) {
    throw malformed('tree size must be an integer in [0, 2^53 - 1]');
  }
  if (!(cp.root instanceof Uint8Array) || cp.root.length !== ROOT_HASH_LENGTH) {
    throw malformed('root hash must be 32 bytes');
  }
  const ext = cp.extensions ?? [];
  for (const e of ext) {
    if (typeof e !== 'string' || !isPrintableLine(e)) {
      throw malformed('extension lines must be non-empty printable lines');
    }
  }
  let text = `${cp.origin}\n${cp.size.toString(10)}\n${toBase64(cp.root)}\n`;
  for (const e of ext) text += `${e}\n`;
  checkNoteText(text);
  return text;
}

/** Parses a checkpoint's note text strictly (tlog-checkpoint §Note text). Throws CHECKPOINT_MALFORMED. */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw malformed('checkpoint must end with a newline');
  // "a sequence of at least three non-empty lines, separated by newlines"
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw malformed('checkpoint needs origin, size and root hash lines');
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (!isPrintableLine(origin)) throw malformed('origin must be a non-empty printable line');
  const size = parseSize(sizeLine);
  if (size === undefined) {
    throw malformed('tree size must be decimal without leading zeroes, at most 2^53 - 1');
  }
  const root = fromBase64(rootLine);
  if (root === undefined || root.length !== ROOT_HASH_LENGTH) {
    throw malformed('root hash must be canonical base64 of 32 bytes');
  }
  for (const e of extensions) {
    if (!isPrintableLine(e)) throw malformed('extension lines must be non-empty printable lines');
  }
  return { origin, size, root, extensions };
}

/**
 * Signs a checkpoint as a note with a type 0x01 Ed25519 key and returns the
 * whole signed note. tlog-checkpoint §Signatures: the log's key name "SHOULD
 * match the origin line"; openCheckpoint requires it, so this refuses a
 * different name (CHECKPOINT_ORIGIN_MISMATCH, input).
 */
export function signCheckpoint(cp: CheckpointInput, name: string, signer: Signer): string {
  const text = formatCheckpoint(cp);
  if (name !== cp.origin) {
    throw new CustodyError(
      'CHECKPOINT_ORIGIN_MISMATCH',
      'log key name must equal the checkpoint origin',
      'input',
      {
        origin: cp.origin,
        name,
      },
    );
  }
  return formatNote(text, [signNoteLine(text, name, signer)]);
}

export interface OpenCheckpointOptions {
  /** Accept extension lines (default true; tlog-checkpoint makes them OPTIONAL). */
  readonly allowExtensions?: boolean;
}

/**
 * Opens a signed checkpoint: parses the note, requires the log verifier's key
 * name to equal the origin line, and requires a valid signature by that key
 * (other signature lines, such as cosignatures, are ignored here: they are
 * unknown keys to this check, signed-note §Signatures).
 */
export function openCheckpoint(
  noteText: string,
  logVerifier: NoteVerifier,
  opts: OpenCheckpointOptions = {},
): { checkpoint: Checkpoint; note: ParsedNote } {
  const note = parseNote(noteText);
  const checkpoint = parseCheckpoint(note.text);
  if (opts.allowExtensions === false && checkpoint.extensions.length > 0) {
    throw malformed('checkpoint extension lines are not accepted here');
  }
  if (logVerifier.name !== checkpoint.origin) {
    throw new CustodyError(
      'CHECKPOINT_ORIGIN_MISMATCH',
      'checkpoint origin does not match the log key name',
      'verification',
      { origin: checkpoint.origin, name: logVerifier.name },
    );
  }
  verifyNote(note, [logVerifier]);
  return { checkpoint, note };
}
