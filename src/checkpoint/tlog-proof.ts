/**
 * Receipts in C2SP tlog-proof form (https://c2sp.org/tlog-proof, v1): an
 * offline-verifiable proof that an entry is in the log, as the checkpoint the
 * log signed (with any witness cosignatures), the entry's index and its RFC
 * 9162 inclusion proof. docs/PROOFS.md §Receipts (C2SP tlog-proof).
 *
 * tlog-proof §Format, lines separated by U+000A:
 *
 *     c2sp.org/tlog-proof@v1
 *     extra <base64 of opaque extra data>            (optional)
 *     index <zero-based index, ASCII decimal, no leading zeroes>
 *     <base64 of one inclusion proof hash>           (zero or more, leaf side first)
 *     <empty line>
 *     <the signed checkpoint note, verbatim>
 *
 * custody puts the entry bytes (docs/FORMAT.md §Entries, at most 89 bytes) in
 * `extra`: the leaf is the RFC 9162 §2.1.1 leaf hash of the entry, so the
 * holder rebuilds it from there, and the entry's payloadHash binds the signed
 * statement. `extra` is not authenticated (tlog-proof §Format: "Applications
 * MUST NOT implicitly trust the extra data"): it counts only because the
 * inclusion proof of its leaf hash leads to the signed root.
 *
 * Pure: no I/O. Error codes (CustodyError): RECEIPT_MALFORMED (input) for text
 * off the format; NOTE_* and CHECKPOINT_* for the checkpoint note (./note.ts,
 * ./checkpoint.ts); when verifying, also PROOF_INVALID, PAYLOAD_HASH_MISMATCH,
 * WITNESS_QUORUM (verification), ENTRY_* (the entry's decoding) and
 * POLICY_INVALID (./policy.ts).
 */
import { equalBytes, fromBase64, toBase64 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError, type CustodyErrorCode } from '../errors.js';
import { decodeEntry, type Entry } from '../format/entry.js';
import { utf8Length } from '../format/text.js';
import { HASH_SIZE } from '../merkle/hash.js';
import { verifyInclusion } from '../merkle/verify.js';
import { type Checkpoint, parseCheckpoint } from './checkpoint.js';
import { MAX_NOTE_BYTES, type NoteVerifier, type ParsedNote, parseNote, SIG_TYPE_ED25519 } from './note.js';
import { verifyWithPolicy } from './policy.js';

/** tlog-proof §Format: "The first line MUST be the string `c2sp.org/tlog-proof@v1`." */
export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

/**
 * At most 63 proof hashes: a tree of at most 2^63 leaves (tlog-checkpoint
 * sizes are uint64; tlog-witness §add-checkpoint caps proofs at 63 lines the
 * same way) has no deeper path. Ours stay far below (2^53 - 1 leaves).
 */
export const MAX_TLOG_PROOF_HASHES = 63;

/**
 * A receipt is bounded before anything is parsed: the checkpoint note's own
 * limit (1 MiB, ./note.ts) plus 64 KiB for the lines before it (63 hashes are
 * under 3 KiB; the rest is for extra data, which custody keeps to 89 bytes).
 */
export const MAX_TLOG_PROOF_BYTES = MAX_NOTE_BYTES + (64 << 10);

export interface TlogProof {
  /** The opaque extra data (custody: the entry bytes); undefined when the line is absent. */
  readonly extra?: Uint8Array;
  /** Zero-based index of the entry in the log. */
  readonly index: number;
  /** RFC 9162 §2.1.3 inclusion proof, leaf side first, 32-byte hashes. */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, exactly as it appears in the receipt. */
  readonly checkpointNote: string;
  /** The note and checkpoint parsed (not verified). */
  readonly note: ParsedNote;
  readonly checkpoint: Checkpoint;
}

export interface TlogProofInput {
  readonly index: number;
  readonly proof: readonly Uint8Array[];
  readonly checkpointNote: string;
  readonly extra?: Uint8Array;
}

const malformed = (message: string, details?: Record<string, unknown>) =>
  new CustodyError('RECEIPT_MALFORMED', `not a C2SP tlog-proof receipt: ${message}`, 'input', details);

/**
 * tlog-proof §Format: the index is "represented as an ASCII decimal with no
 * leading zeroes (unless the index is `0`)". Bounded by 2^53 - 1 so that it
 * stays an exact JS number, as tree sizes do in ./checkpoint.ts.
 */
function parseIndex(s: string): number | undefined {
  if (s.length === 0 || s.length > 16) return undefined;
  if (s.length > 1 && s.charCodeAt(0) === 0x30) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;

/**
 * Formats a receipt exactly as tlog-proof §Format lays it out. The result is
 * parsed back before it is returned, so whatever this produces parseTlogProof
 * accepts. RECEIPT_MALFORMED for an unusable input (NOTE_* / CHECKPOINT_* for
 * a note that is not a signed checkpoint).
 */
export function formatTlogProof(input: TlogProofInput): string {
  const { index, proof, checkpointNote, extra } = input;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0)
    throw malformed('the index must be an integer in [0, 2^53 - 1]');
  if (!Array.isArray(proof) || proof.length > MAX_TLOG_PROOF_HASHES || !proof.every(isHash))
    throw malformed(`the inclusion proof must be at most ${MAX_TLOG_PROOF_HASHES} hashes of 32 bytes`);
  // "If no extra data is present, this line is omitted": an empty extra is written as none,
  // which would not round-trip, so it is refused.
  if (extra !== undefined && (!(extra instanceof Uint8Array) || extra.length === 0))
    throw malformed('extra data, when given, must be non-empty bytes');
  if (typeof checkpointNote !== 'string') throw malformed('the checkpoint must be a signed note');
  let text = `${TLOG_PROOF_HEADER}\n`;
  if (extra !== undefined) text += `extra ${toBase64(extra)}\n`;
  text += `index ${index.toString(10)}\n`;
  for (const h of proof) text += `${toBase64(h)}\n`;
  text += `\n${checkpointNote}`;
  parseTlogProof(text);
  return text;
}

/**
 * Parses a receipt strictly (tlog-proof §Format): the header line exactly; an
 * optional `extra` line of canonical, non-empty standard base64 (RFC 4648 §4);
 * `index` in decimal without leading zeroes; at most 63 lines each canonical
 * base64 of exactly 32 bytes; an empty line; then a signed note (signed-note)
 * whose text is a checkpoint (tlog-checkpoint). Nothing else: no CR, no BOM,
 * no spaces, no trailing data after the note (the note parser refuses it).
 */
export function parseTlogProof(text: string): TlogProof {
  if (typeof text !== 'string') throw malformed('a receipt is text');
  // A UTF-8 encoding is never shorter than the UTF-16 code-unit count.
  if (text.length > MAX_TLOG_PROOF_BYTES || utf8Length(text) > MAX_TLOG_PROOF_BYTES)
    throw malformed(`larger than ${MAX_TLOG_PROOF_BYTES} bytes`);
  let pos = 0;
  /** The next line without its newline; undefined when the text ends without one. */
  const line = (): string | undefined => {
    const end = text.indexOf('\n', pos);
    if (end < 0) return undefined;
    const l = text.slice(pos, end);
    pos = end + 1;
    return l;
  };
  if (line() !== TLOG_PROOF_HEADER) throw malformed(`the first line must be ${TLOG_PROOF_HEADER}`);
  let l = line();
  let extra: Uint8Array | undefined;
  // "The second line MAY start with the string `extra` followed by a space (U+0020) and
  // base64-encoded opaque extra data. If no extra data is present, this line is omitted."
  if (l?.startsWith('extra ')) {
    const decoded = fromBase64(l.slice('extra '.length));
    if (decoded === undefined || decoded.length === 0)
      throw malformed('the extra line must carry non-empty canonical base64');
    extra = decoded;
    l = line();
  }
  // "The next line MUST start with the string `index` followed by a space (U+0020) and the
  // zero-based index of the entry in the log."
  if (l === undefined || !l.startsWith('index '))
    throw malformed('an index line must follow the header (and extra line)');
  const index = parseIndex(l.slice('index '.length));
  if (index === undefined)
    throw malformed('the index must be decimal without leading zeroes, at most 2^53 - 1');
  // "The next zero or more non-empty lines are the base64-encoded Merkle inclusion proof …
  // one SHA-256 hash per line"; then "an empty line".
  const proof: Uint8Array[] = [];
  for (;;) {
    l = line();
    if (l === undefined) throw malformed('no empty line before the checkpoint');
    if (l === '') break;
    if (proof.length === MAX_TLOG_PROOF_HASHES)
      throw malformed(`more than ${MAX_TLOG_PROOF_HASHES} inclusion proof hashes`);
    const h = fromBase64(l);
    if (h === undefined || h.length !== HASH_SIZE)
      throw malformed(`inclusion proof line ${proof.length + 1} is not canonical base64 of 32 bytes`);
    proof.push(h);
  }
  // "the checkpoint issued by the log is included verbatim": a signed note whose text is a
  // checkpoint; its parsers give NOTE_MALFORMED and CHECKPOINT_MALFORMED.
  const checkpointNote = text.slice(pos);
  const note = parseNote(checkpointNote);
  const checkpoint = parseCheckpoint(note.text);
  return { ...(extra === undefined ? {} : { extra }), index, proof, checkpointNote, note, checkpoint };
}

export interface TlogProofTrust {
  /** The log's key; its name must be the checkpoint's origin (tlog-checkpoint §Signatures). */
  readonly log: NoteVerifier;
  /** Witness cosigner keys (default none). */
  readonly witnesses?: readonly NoteVerifier[];
  /** Distinct witnesses that must have cosigned (default: 0, the log key alone). */
  readonly quorum?: number;
}

export interface TlogProofCheck extends TlogProofTrust {
  /**
   * The entry bytes, if the caller holds them; by default the receipt's `extra`. Either way the
   * bytes count only through their leaf hash and the inclusion proof, never because they came.
   */
  readonly entry?: Uint8Array;
  /** The signed statement the entry should commit to (its payloadHash is SHA-256 of it). */
  readonly statement?: Uint8Array;
}

export interface VerifiedTlogProof {
  readonly origin: string;
  readonly index: number;
  /** The checkpoint's tree size and root, as signed. */
  readonly size: number;
  readonly root: Uint8Array;
  readonly leafHash: Uint8Array;
  readonly entry: Entry;
  /** Names of the configured witnesses whose cosignature verified, in the order given. */
  readonly witnessesVerified: string[];
  /** Whether a statement was given and found to be the one the entry commits to. */
  readonly statementChecked: boolean;
}

const invalid = (code: CustodyErrorCode, message: string, details?: Record<string, unknown>) =>
  new CustodyError(code, message, 'verification', details);

/**
 * Verifies a receipt, all or nothing, by the steps of docs/PROOFS.md §Receipts (C2SP
 * tlog-proof), §Verifying a receipt:
 *  1. the text parses (parseTlogProof, when given a string);
 *  2-3. the checkpoint note is signed by `log`, whose name is its origin, and at least `quorum`
 *     of `witnesses` cosigned it (verifyWithPolicy: the same code as every other checkpoint);
 *  4. the entry (given, or the `extra` data) decodes as an entry (docs/FORMAT.md §Entries);
 *  5. the index is inside the checkpoint's tree;
 *  6. the RFC 9162 §2.1.3.2 inclusion proof leads from SHA-256(0x00 ‖ entry) at that index
 *     to the checkpoint's root, at the checkpoint's size;
 *  7. the entry names the same index;
 *  8. with a statement: SHA-256 of its bytes is the entry's payloadHash.
 * Returns what was proven; throws otherwise.
 */
export function verifyTlogProof(receipt: TlogProof | string, check: TlogProofCheck): VerifiedTlogProof {
  const p = typeof receipt === 'string' ? parseTlogProof(receipt) : receipt;
  // tlog-checkpoint §Signatures: the log signs with a note signature (type 0x01 here); a
  // cosigner's key in the log's place would let one cosignature pass for the log's own.
  if (check.log?.type !== SIG_TYPE_ED25519)
    throw new CustodyError('POLICY_INVALID', 'the log key must be an Ed25519 note-signing key', 'input');
  // Steps 2-3. The signed note is what counts, never the parsed copy carried beside it.
  const policy = { log: check.log, witnesses: check.witnesses ?? [], quorum: check.quorum ?? 0 };
  const { checkpoint, witnessesVerified, quorumMet } = verifyWithPolicy(p.checkpointNote, policy);
  const where = { origin: checkpoint.origin, size: checkpoint.size, index: p.index };
  if (!quorumMet)
    throw invalid(
      'WITNESS_QUORUM',
      `${witnessesVerified.length} of the ${policy.quorum} required witnesses cosigned the receipt's checkpoint`,
      { ...where, witnessesVerified, quorum: policy.quorum },
    );
  // Step 4.
  const entryBytes = check.entry ?? p.extra;
  if (entryBytes === undefined)
    throw malformed('it carries no entry (no extra line), and none was given to check it against');
  const { entry, leafHash } = decodeEntry(entryBytes);
  // Step 5.
  if (!Number.isSafeInteger(p.index) || p.index < 0 || p.index >= checkpoint.size)
    throw invalid(
      'PROOF_INVALID',
      `entry ${p.index} is not in the checkpoint's tree of size ${checkpoint.size}`,
      where,
    );
  // Step 6: at the signed size, against the signed root (never a root alone, docs/PROOFS.md).
  if (!verifyInclusion(p.index, checkpoint.size, leafHash, p.proof, checkpoint.root))
    throw invalid(
      'PROOF_INVALID',
      `the inclusion proof of entry ${p.index} does not lead to the root of ${checkpoint.origin} at size ${checkpoint.size}`,
      where,
    );
  // Step 7: a log writes entry i at position i; anything else is not a receipt of that entry.
  if (entry.index !== p.index)
    throw invalid(
      'PROOF_INVALID',
      `the entry says it is entry ${entry.index}, the receipt says ${p.index}`,
      where,
    );
  // Step 8.
  if (check.statement !== undefined && !equalBytes(sha256(check.statement), entry.payloadHash))
    throw invalid(
      'PAYLOAD_HASH_MISMATCH',
      `the statement is not the one entry ${p.index} commits to (SHA-256 differs from its payloadHash)`,
      where,
    );
  return {
    origin: checkpoint.origin,
    index: p.index,
    size: checkpoint.size,
    root: checkpoint.root,
    leafHash,
    entry,
    witnessesVerified,
    statementChecked: check.statement !== undefined,
  };
}
