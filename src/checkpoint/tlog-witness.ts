/**
 * The C2SP tlog-witness protocol (https://c2sp.org/tlog-witness,
 * §add-checkpoint), without HTTP or storage: the request body, and the answer
 * a witness gives, status code included. The cosigning decision itself is
 * ./witness.ts (witnessCosign); this adds what the protocol says around it:
 *
 *   body      "old <size>\n" <0..63 lines of base64 proof hashes> "\n" <checkpoint note>
 *   404       the checkpoint's origin is not a log this witness knows
 *   403       no signature by a key it trusts for that origin verifies
 *   400       old size > checkpoint size, or a malformed body
 *   409       old size ≠ the size of the latest checkpoint cosigned for the origin (0 if none),
 *             or the same size with another root; body "<that size>\n", text/x.tlog.size;
 *             the latter is a split view, and the answer carries both notes as evidence
 *   422       the consistency proof does not verify
 *   200       the cosignature line(s), each ending in "\n"
 *
 * The caller must persist the new state before it answers 200, atomically
 * with the check of the old size (the spec's race: a check and a write of two
 * requests interleaved would roll the state back).
 */
import { fromBase64 } from '../bytes.js';
import type { Signer } from '../crypto/ed25519.js';
import { CustodyError } from '../errors.js';
import { decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { openCheckpoint } from './checkpoint.js';
import type { NoteVerifier } from './note.js';
import { checkSplitView, type SplitView } from './split-view.js';
import {
  checkpointOriginOf,
  MAX_CONSISTENCY_PROOF_HASHES,
  type WitnessLogState,
  type WitnessMlDsaSigner,
  witnessCosign,
} from './witness.js';

export const TLOG_SIZE_CONTENT_TYPE = 'text/x.tlog.size';

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Uint8Array[];
  note: string;
}

const malformed = (why: string) => new CustodyError('WITNESS_REQUEST_MALFORMED', why, 'input');

/** Parses an add-checkpoint body strictly (tlog-witness §add-checkpoint). */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const first = body.indexOf('\n');
  const m = first < 0 ? null : /^old (0|[1-9][0-9]{0,15})$/.exec(body.slice(0, first));
  if (!m) throw malformed('the body must start with "old <size>"');
  const oldSize = Number(m[1]);
  if (!Number.isSafeInteger(oldSize)) throw malformed('the old size is too large');
  const proof: Uint8Array[] = [];
  let at = first + 1;
  for (;;) {
    const end = body.indexOf('\n', at);
    if (end < 0) throw malformed('the proof lines must end with an empty line');
    const line = body.slice(at, end);
    at = end + 1;
    if (line === '') break;
    const h = /^[A-Za-z0-9+/]{43}=$/.test(line) ? fromBase64(line) : undefined;
    if (h?.length !== 32) throw malformed('a proof line is not the base64 of a 32-byte hash');
    proof.push(h);
    if (proof.length > MAX_CONSISTENCY_PROOF_HASHES) throw malformed('more than 63 proof lines');
  }
  return { oldSize, proof, note: body.slice(at) };
}

/** The state a witness keeps per origin: the latest cosigned checkpoint, with its cosignature. */
export interface CosignedState extends WitnessLogState {
  /** The checkpoint note with this witness's cosignature line added (for monitors). */
  readonly note: string;
}

export type AddCheckpointAnswer =
  | { status: 200; body: string; origin: string; state: CosignedState }
  | { status: 400 | 403 | 404 | 409 | 422; body: string; contentType: string; splitView?: SplitView };

export interface WitnessConfig {
  name: string;
  signer: Signer | WitnessMlDsaSigner;
  /** origin -> the log key trusted for it. */
  logs: ReadonlyMap<string, NoteVerifier>;
}

const plain = (status: 400 | 403 | 404 | 422, why: string): AddCheckpointAnswer => ({
  status,
  body: `${why}\n`,
  contentType: 'text/plain; charset=utf-8',
});
const conflict = (size: number) => ({
  status: 409 as const,
  body: `${size}\n`,
  contentType: TLOG_SIZE_CONTENT_TYPE,
});

/** The origin a body claims, to load its state first; undefined if the body does not parse. */
export function requestOrigin(body: string): string | undefined {
  try {
    return checkpointOriginOf(parseAddCheckpoint(body).note);
  } catch {
    return undefined;
  }
}

/**
 * Answers one add-checkpoint request, given the state stored for the
 * checkpoint's origin (undefined if this witness never cosigned it).
 */
export function answerAddCheckpoint(
  w: WitnessConfig,
  body: string,
  state: CosignedState | undefined,
  now: number,
): AddCheckpointAnswer {
  let req: AddCheckpointRequest;
  let origin: string;
  try {
    req = parseAddCheckpoint(body);
    origin = checkpointOriginOf(req.note);
  } catch (e) {
    return plain(400, e instanceof CustodyError ? e.message : 'malformed request');
  }
  const log = w.logs.get(origin);
  if (!log) return plain(404, 'unknown log origin');
  let size: number;
  try {
    size = openCheckpoint(req.note, log).checkpoint.size;
  } catch {
    return plain(403, 'the checkpoint is not signed by a key this witness trusts for its origin');
  }
  if (req.oldSize > size) return plain(400, 'the old size is larger than the checkpoint size');
  const stored = state?.size ?? 0;
  if (req.oldSize !== stored) return conflict(stored);
  try {
    const r = witnessCosign({
      state,
      noteText: req.note,
      logVerifier: log,
      consistencyProof: req.proof,
      witnessName: w.name,
      witnessSigner: w.signer,
      now,
    });
    // The line ends in its own newline (signed-note §Signatures).
    const note = `${req.note}${r.cosignatureLine}`;
    return {
      status: 200,
      body: r.cosignatureLine,
      origin,
      state: { size: r.state.size, root: r.state.root, note },
    };
  } catch (e) {
    const code = e instanceof CustodyError ? e.code : '';
    if (code === 'WITNESS_CONFLICT') {
      // The log signed two trees of one size: both notes are the evidence (./split-view.ts),
      // when the stored one still proves itself (a state written by hand may not).
      let splitView: SplitView | undefined;
      try {
        splitView = state && checkSplitView(state.note, req.note, log);
      } catch {
        splitView = undefined;
      }
      return splitView ? { ...conflict(stored), splitView } : conflict(stored);
    }
    if (code === 'WITNESS_PROOF_MALFORMED') return plain(400, 'malformed consistency proof');
    if (code === 'WITNESS_INCONSISTENT' || code === 'WITNESS_ROLLBACK')
      return plain(422, 'the consistency proof does not verify');
    throw e;
  }
}

/** The stored form of a CosignedState: canonical msgpack {size, root, note}. */
export function encodeCosignedState(s: CosignedState): Uint8Array {
  return encodeCanonical({ size: s.size, root: s.root, note: s.note });
}

export function decodeCosignedState(bytes: Uint8Array): CosignedState {
  const d = decodeCanonical(bytes);
  const m = 'error' in d ? undefined : (d.value as Record<string, unknown>);
  if (
    !m ||
    typeof m['size'] !== 'number' ||
    !Number.isSafeInteger(m['size']) ||
    !(m['root'] instanceof Uint8Array) ||
    m['root'].length !== 32 ||
    typeof m['note'] !== 'string'
  )
    throw new CustodyError('STORE_CORRUPT', 'the stored witness state is damaged', 'unavailable');
  return { size: m['size'], root: m['root'], note: m['note'] };
}
