/**
 * Archiving checkpoints in the log (docs/LONG-TERM.md §Archived checkpoints):
 * the log appends the full signed note of its latest checkpoint as a log
 * record (docs/FORMAT.md §Log records), optionally with an RFC 3161 token
 * over the checkpoint text and the TSA's certificates. The next checkpoint
 * then commits to the earlier one, to its cosignatures and to its token, so
 * a later (post-quantum) signature renews all of them through the tree.
 *
 * Security assumption: the archived note is re-checked against the stored
 * tree before it is logged (its root must be the tree's at its size), and a
 * token is checked against the request (imprint, nonce) and against the TSA
 * chain the operator configured before it is logged: the log never commits
 * to a checkpoint or a token that does not hold.
 */
import { equalBytes, utf8 } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import { CustodyError } from '../errors.js';
import { encodeLogRecord } from '../format/log-record.js';
import type { LedgerView } from './ledger-view.js';
import type { LogLedger, Submitted } from './log-ledger.js';

/** A time-stamping authority: sends a TimeStampReq (DER) and returns its TimeStampResp (DER). */
export type TimestampAuthority = (request: Uint8Array) => Promise<Uint8Array>;

export interface ArchiveOptions {
  /** Ask this TSA for a token over the checkpoint text. */
  readonly tsa?: TimestampAuthority;
  /**
   * The TSA's certificates (DER), its own first and its root last: logged
   * beside the token, and the root the token is checked against now.
   */
  readonly tsaChain?: readonly Uint8Array[];
}

export interface Archived {
  /** The size of the checkpoint archived. */
  readonly size: number;
  /** The record's entry. */
  readonly submitted: Submitted;
  /** The token's time, when one was logged. */
  readonly genTime?: Date;
}

/**
 * Appends the latest stored checkpoint as a log record. CHECKPOINT_UNKNOWN
 * when none is stored yet; CHECKPOINT_INCONSISTENT when the tree no longer
 * has its root; the TIMESTAMP_* codes (src/time/rfc3161.ts) for a token that
 * does not hold.
 */
export async function archiveLatestCheckpoint(
  ledger: LogLedger,
  view: LedgerView,
  opts: ArchiveOptions = {},
): Promise<Archived> {
  const latest = await view.latestCheckpoint();
  if (!latest)
    throw new CustodyError(
      'CHECKPOINT_UNKNOWN',
      'there is no checkpoint to archive yet; sign one first',
      'input',
    );
  const note = parseNote(latest.note);
  const cp = parseCheckpoint(note.text);
  if (!equalBytes(cp.root, await view.rootAt(cp.size)))
    throw new CustodyError(
      'CHECKPOINT_INCONSISTENT',
      `the log no longer matches its checkpoint at size ${cp.size}; run custody verify`,
      'verification',
    );
  let timestamp: Uint8Array | undefined;
  let genTime: Date | undefined;
  const chain = opts.tsaChain ?? [];
  if (opts.tsa) {
    const root = chain[chain.length - 1];
    if (!root)
      throw new CustodyError(
        'USAGE',
        "a TSA needs its certificate chain (the TSA's certificate to its root)",
        'input',
      );
    // Loaded when a TSA is asked: pkijs is parsed only by the commands that need it.
    const { timestampTokenOf, verifyTimestampToken } = await import('../time/rfc3161.js');
    const { createTimestampRequest } = await import('../time/timestamp-request.js');
    const data = utf8(note.text);
    const req = createTimestampRequest(data);
    timestamp = timestampTokenOf(await opts.tsa(req.request));
    ({ genTime } = await verifyTimestampToken(timestamp, data, {
      trustedRoots: [root],
      certificates: chain,
      nonce: req.nonce,
    }));
  }
  const record = encodeLogRecord({
    kind: 'checkpoint',
    note: latest.note,
    ...(timestamp ? { timestamp, chain } : {}),
  });
  const submitted = await ledger.appendRecord(record);
  return { size: cp.size, submitted, ...(genTime ? { genTime } : {}) };
}
