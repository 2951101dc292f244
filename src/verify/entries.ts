/**
 * Replay of a v2 log from its entries and payloads (docs/FORMAT-V2.md): the
 * verifier's side of the sequencer. Every entry is decoded strictly, its
 * position, log time and payload hash checked, its statement admitted and
 * judged by the same rules that appended it, and the map root it carries
 * compared with the root the replay computes. A refused statement is
 * reported and changes nothing, exactly as on append, so one bad entry does
 * not cascade into false reports about the ones after it.
 *
 * Pure: no I/O. Never throws on hostile input.
 */
import { equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { admit } from '../custody/admit.js';
import { CustodyState } from '../custody/custody-state.js';
import { judge } from '../custody/judge.js';
import { decodeEntry, PAYLOAD_TYPES } from '../format/entry.js';
import { FormatError } from '../format/format-error.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import { MemoryNodeStore } from '../merkle/memory.js';
import { rootAt } from '../merkle/proofs.js';

export interface LoggedItem {
  entry: Uint8Array;
  payload: Uint8Array;
}

export interface EntryProblem {
  index: number;
  code: string;
  message: string;
  /** True when the problem means "cannot judge" (an unknown kind or payload type), not "wrong". */
  incomplete?: boolean;
}

export interface ReplayResult {
  size: number;
  root: Uint8Array;
  mapRoot: Uint8Array;
  problems: EntryProblem[];
  state: CustodyState;
}

const UNKNOWN = new Set(['KIND_UNKNOWN', 'BODY_VERSION_UNKNOWN', 'PAYLOAD_TYPE_UNKNOWN']);

export async function replayEntries(items: Iterable<LoggedItem>): Promise<ReplayResult> {
  const state = new CustodyState();
  const frontier = MerkleFrontier.empty();
  const nodes = new MemoryNodeStore();
  const problems: EntryProblem[] = [];
  let lastTime = 0;
  const report = (index: number, code: string, message: string) =>
    problems.push(UNKNOWN.has(code) ? { index, code, message, incomplete: true } : { index, code, message });

  for (const item of items) {
    const index = frontier.size;
    let decoded: ReturnType<typeof decodeEntry>;
    try {
      decoded = decodeEntry(item.entry);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      report(index, e.code, e.message);
      // An undecodable entry still occupies its leaf: the tree is of the bytes as logged.
      nodes.put(frontier.append(hashLeaf(item.entry)));
      continue;
    }
    nodes.put(frontier.append(decoded.leafHash));
    const e = decoded.entry;
    if (e.index !== index) report(index, 'ENTRY_INDEX_MISMATCH', `entry says index ${e.index}`);
    if (e.time < lastTime) report(index, 'ENTRY_TIME_REGRESSION', 'log time went backwards');
    lastTime = Math.max(lastTime, e.time);
    if (!equalBytes(sha256(item.payload), e.payloadHash)) {
      report(index, 'PAYLOAD_HASH_MISMATCH', 'the stored payload is not the one the entry commits to');
    } else if (e.payloadType !== PAYLOAD_TYPES.statement) {
      report(index, 'PAYLOAD_TYPE_UNKNOWN', `payload type ${e.payloadType} is not known to this verifier`);
    } else {
      const a = admit(item.payload);
      if ('violation' in a) report(index, a.violation.code, a.violation.message);
      else {
        const seen = a.statement.seen;
        const at =
          seen && seen.size <= index
            ? { index, time: e.time, seenRoot: await rootAt(nodes, seen.size) }
            : { index, time: e.time };
        const o = judge(state, a, at);
        if (o.ok) state.apply(o.writes);
        else report(index, o.violation.code, o.violation.message);
      }
    }
    if (!equalBytes(e.mapRoot, state.map.root))
      report(index, 'MAP_ROOT_MISMATCH', 'the map root in the entry is not the one the rules produce');
  }
  return { size: frontier.size, root: frontier.root(), mapRoot: state.map.root, problems, state };
}
