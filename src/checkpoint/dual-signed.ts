/**
 * Dual-signed checkpoints (docs/PROOFS.md §Dual-signed checkpoints; issue
 * "long-term"): a checkpoint note that carries
 *
 *   1. the log's Ed25519 signed-note line (type 0x01, key name = origin), so
 *      existing clients and Go's sumdb/note keep working, and
 *   2. an ML-DSA-44 cosignature by the log itself: a C2SP tlog-cosignature
 *      v1.1 `subtree/v1` line (type 0x06) under the same name, start 0,
 *      end = size, with the time it was signed.
 *
 * There are no extension lines: a verifier that knows one algorithm ignores
 * the other's line as a signature by an unknown key (signed-note
 * §Signatures). The ML-DSA-44 key is not in genesis; the authority enrols
 * it (an `enrol` with purpose log and type 0x06), so a verifier that pins
 * only the authority key still anchors it through the log.
 *
 * Security assumption: the ML-DSA line adds a guarantee that survives an
 * Ed25519 forger only for a verifier that knows the ML-DSA key from a record
 * the forger could not have written, i.e. from the authority's enrolment
 * under a checkpoint it already trusted, or pinned out of band.
 *
 * Pure: no I/O.
 */
import { equalBytes } from '../bytes.js';
import type { MlDsa44Signer } from '../crypto/ml-dsa.js';
import { mlDsaCosignatureKeyId, signMlDsaCosignature, verifyMlDsaCosignature } from './cosignature-mldsa.js';
import { formatNote, type ParsedNote, parseNote } from './note.js';

/** The log's ML-DSA-44 line of a checkpoint note, if the note has one by this key. */
function lineBy(note: ParsedNote, origin: string, publicKey: Uint8Array) {
  const id = mlDsaCosignatureKeyId(origin, publicKey);
  return note.signatures.find((s) => s.name === origin && equalBytes(s.keyId, id));
}

/**
 * Adds the log's ML-DSA-44 line to a signed checkpoint note, dated `now`
 * (POSIX seconds), unless a line by this key is already there. Lines are
 * kept in order: the log's lines before anyone else's.
 */
export function addLogMlDsaLine(
  noteText: string,
  origin: string,
  signer: MlDsa44Signer,
  now: number,
): string {
  const note = parseNote(noteText);
  if (lineBy(note, origin, signer.publicKey)) return noteText;
  const line = signMlDsaCosignature(note.text, origin, signer, now);
  const own = note.signatures.filter((s) => s.name === origin).map((s) => s.line);
  const others = note.signatures.filter((s) => s.name !== origin).map((s) => s.line);
  return formatNote(note.text, [...own, line, ...others]);
}

/** What a checkpoint's ML-DSA-44 lines by the log show. */
export interface LogMlDsaResult {
  /** Public keys (of those given) whose line verified, with the time each stated. */
  readonly verified: { publicKey: Uint8Array; timestamp: number }[];
  /** Keys whose line is present but does not verify, with the reason. */
  readonly invalid: { publicKey: Uint8Array; reason: string }[];
}

/**
 * Checks the log's ML-DSA-44 lines of a checkpoint against the log's
 * enrolled ML-DSA-44 keys. A key with no line is in neither list: dual
 * signing is at most about once a second, so most checkpoints carry the
 * Ed25519 line alone. Never throws.
 */
export function checkLogMlDsaLines(
  note: ParsedNote,
  origin: string,
  keys: readonly Uint8Array[],
): LogMlDsaResult {
  const out: LogMlDsaResult = { verified: [], invalid: [] };
  for (const publicKey of keys) {
    const sig = lineBy(note, origin, publicKey);
    if (!sig) continue;
    try {
      const { timestamp } = verifyMlDsaCosignature(note.text, sig.line, { name: origin, publicKey });
      out.verified.push({ publicKey, timestamp });
    } catch (e) {
      out.invalid.push({ publicKey, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}
