/**
 * Checking the log's own records (docs/FORMAT.md §Log records) during a
 * whole-ledger verification: an archived checkpoint must be a checkpoint
 * this log signed of its own tree, and its RFC 3161 token, when the relying
 * party pins TSA roots, must date exactly that checkpoint.
 *
 * What a valid archived checkpoint proves (docs/LONG-TERM.md): the root it
 * signs existed when the record was appended, so every later checkpoint
 * commits to it, its cosignatures and its token. What it does not prove: that
 * the times in it are right (a cosignature's time is its witness's word; a
 * token's time the TSA's, which the relying party decides to trust).
 *
 * Pure: no I/O.
 */
import { equalBytes, toHex, utf8 } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { checkLogMlDsaLines } from '../checkpoint/dual-signed.js';
import { ed25519NoteVerifier, parseNote, verifyNote } from '../checkpoint/note.js';
import { ed25519 } from '../crypto/ed25519.js';
import { CustodyError } from '../errors.js';
import { KEY_TYPES } from '../format/key-id.js';
import { type CheckpointRecord, type DisclosureRecord, PEER_PROFILE } from '../format/log-record.js';
import type { ProblemCode } from '../problem-codes.js';
import type { LedgerIdentity } from './log-checkpoints.js';
import type { Problem } from './report.js';

/** An archived checkpoint that held, with its token still to check. */
export interface ArchivedCheckpoint {
  /** The record's entry. */
  index: number;
  /** The archived checkpoint's size. */
  size: number;
  /** The checkpoint text the token must date. */
  text: string;
  timestamp?: Uint8Array;
  chain?: readonly Uint8Array[];
}

/** What a token that verified says: the checkpoint of `size` existed no later than `genTime`. */
export interface TimestampFact {
  index: number;
  size: number;
  genTime: string;
  accuracyMs?: number;
  tsa: string;
  policy: string;
  /** The TSA key's algorithm (for a relying party's sunset of RSA or ECDSA). */
  keyAlgorithm: 'rsa' | 'ecdsa' | 'other';
  /** The root (DER) the token chained to, among those pinned. */
  root: Uint8Array;
}

const problem = (
  code: ProblemCode,
  index: number | null,
  message: string,
  severity: Problem['severity'] = 'error',
): Problem => ({
  code,
  severity,
  seq: index,
  exhibit: null,
  message,
});

const reason = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * An archived checkpoint at entry `index`: parsed, of this origin, of a size
 * not beyond the record, signed by the log key (and by every enrolled
 * ML-DSA-44 log key whose line it carries), with the root the tree had at
 * its size. ARCHIVED_CHECKPOINT_INVALID otherwise.
 */
export function checkArchivedCheckpoint(
  record: CheckpointRecord,
  index: number,
  rootAtSize: Uint8Array | undefined,
  ledger: LedgerIdentity | undefined,
): { problems: Problem[]; archived?: ArchivedCheckpoint } {
  const bad = (why: string) => ({
    problems: [
      problem('ARCHIVED_CHECKPOINT_INVALID', index, `the checkpoint archived at entry ${index} ${why}`),
    ],
  });
  if (!ledger) return bad('cannot be checked: no genesis was accepted');
  let text: string;
  let size: number;
  try {
    const note = parseNote(record.note);
    const cp = parseCheckpoint(note.text);
    text = note.text;
    size = cp.size;
    if (cp.origin !== ledger.origin) return bad(`is of ${cp.origin}, not of ${ledger.origin}`);
    if (cp.size > index) return bad(`covers ${cp.size} entries, more than came before it`);
    if (ledger.logKey.type !== KEY_TYPES.ed25519) return bad('cannot be checked: the log key is not Ed25519');
    verifyNote(note, [ed25519NoteVerifier(ledger.origin, ledger.logKey.publicKey)]);
    const pq = checkLogMlDsaLines(note, ledger.origin, ledger.mlDsaLogKeys ?? []);
    if (pq.invalid.length > 0) return bad("carries an ML-DSA-44 line by the log's key that does not verify");
    if (!rootAtSize || !equalBytes(rootAtSize, cp.root))
      return bad(`signs a root the first ${cp.size} entries do not have: the log signed another history`);
  } catch (e) {
    return bad(`is not a checkpoint signed by this log's key: ${reason(e)}`);
  }
  return {
    problems: [],
    archived: {
      index,
      size,
      text,
      ...(record.timestamp ? { timestamp: record.timestamp } : {}),
      ...(record.chain ? { chain: record.chain } : {}),
    },
  };
}

/**
 * The tokens of archived checkpoints, against the TSA roots the relying
 * party pins. None pinned: the tokens are not checked and date nothing
 * (TIMESTAMP_NOT_CHECKED, a note). A token that does not verify is
 * TIMESTAMP_INVALID, its message naming the library's own code.
 */
export async function checkTimestamps(
  archived: readonly ArchivedCheckpoint[],
  tsaRoots: readonly Uint8Array[],
  now?: Date,
): Promise<{ problems: Problem[]; facts: TimestampFact[] }> {
  const out = { problems: [] as Problem[], facts: [] as TimestampFact[] };
  const stamped = archived.filter((a) => a.timestamp);
  if (stamped.length === 0) return out;
  if (tsaRoots.length === 0) {
    out.problems.push(
      problem(
        'TIMESTAMP_NOT_CHECKED',
        null,
        `${stamped.length} archived checkpoint(s) carry RFC 3161 tokens, but no TSA root was pinned (--tsa-root): they date nothing here`,
        'warning',
      ),
    );
    return out;
  }
  // Loaded only when a token is there to check: its ASN.1 and X.509 code (pkijs) is most of
  // what a command would otherwise parse at every start (docs/PERFORMANCE.md §Starting the CLI).
  const { verifyTimestampToken } = await import('../time/rfc3161.js');
  for (const a of stamped) {
    try {
      const v = await verifyTimestampToken(a.timestamp!, utf8(a.text), {
        trustedRoots: tsaRoots,
        certificates: a.chain ?? [],
        ...(now ? { now } : {}),
      });
      out.facts.push({
        index: a.index,
        size: a.size,
        genTime: v.genTime.toISOString(),
        ...(v.accuracyMs === undefined ? {} : { accuracyMs: v.accuracyMs }),
        tsa: v.tsaSubject,
        policy: v.policy,
        keyAlgorithm: v.keyAlgorithm,
        root: v.chain[v.chain.length - 1] ?? new Uint8Array(0),
      });
    } catch (e) {
      const code = e instanceof CustodyError ? e.code : 'TIMESTAMP_MALFORMED';
      out.problems.push(
        problem(
          'TIMESTAMP_INVALID',
          a.index,
          `the RFC 3161 token archived at entry ${a.index} does not date the checkpoint of size ${a.size} (${code}): ${reason(e)}`,
        ),
      );
    }
  }
  return out;
}

/**
 * A disclosure record at entry `index` (FORMAT.md §Log records): the
 * requester's Ed25519 signature verifies over the embedded RFC 9421
 * signature base, and that base asks for exactly what the record says was
 * handed over: `"@method": GET` and a `"@target-uri"` whose path ends in
 * `/v1/federation/segment/<exhibit hex>` and whose query names the same
 * recipient and profile. DISCLOSURE_RECORD_INVALID otherwise.
 *
 * What it proves: the holder of that access key asked for this segment for
 * this recipient. Not that the key is the peer's (the server's configuration
 * says whose it is), nor which bytes were handed over beyond their hash.
 */
export function checkDisclosureRecord(record: DisclosureRecord, index: number): Problem[] {
  const bad = (why: string) => [
    problem('DISCLOSURE_RECORD_INVALID', index, `the disclosure recorded at entry ${index} ${why}`),
  ];
  let ok = false;
  try {
    ok = ed25519.verify(record.signature, utf8(record.base), record.key);
  } catch {
    ok = false;
  }
  if (!ok) return bad("carries a request whose signature does not verify with the requester's key");
  const line = (name: string) =>
    record.base
      .split('\n')
      .find((l) => l.startsWith(`"${name}": `))
      ?.slice(name.length + 4);
  if (line('@method') !== 'GET') return bad('carries a request that is not a GET');
  let target: URL;
  try {
    target = new URL(line('@target-uri') ?? '');
  } catch {
    return bad('carries a request without a target URI');
  }
  if (!target.pathname.endsWith(`/v1/federation/segment/${toHex(record.exhibit)}`))
    return bad('carries a request for another exhibit');
  if (target.searchParams.get('recipient') !== record.recipient)
    return bad('carries a request for another recipient');
  if (target.searchParams.get('profile') !== record.profile || record.profile !== PEER_PROFILE)
    return bad(`carries a request for another profile than "${PEER_PROFILE}"`);
  return [];
}
