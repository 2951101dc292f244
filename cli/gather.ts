/**
 * Gathering an exhibit's history across ledgers for `custody export
 * --gather` (docs/FEDERATION.md §Gathering a journey): every peer ledger the
 * exhibit passed through is asked for its segment with a request signed by
 * this ledger's peer credential (an access key the peers configured among
 * their readers), and each peer logs the disclosure before it answers
 * (cli/server/segment-route.ts). Peers named in a gathered segment are asked
 * in turn, at the URL this ledger, or a segment's governance, records for
 * them.
 *
 * Nothing gathered is trusted here: the journey is verified by whoever
 * receives it (`custody verify-bundle --trust-policy`), against their own
 * trust manifest.
 */
import { decodeBundleV2 } from '../src/bundle/bundle-v2.js';
import { toHex } from '../src/bytes.js';
import type { Signer } from '../src/crypto/ed25519.js';
import { confirmingLedger } from '../src/custody/foreign-rules.js';
import { CustodyError } from '../src/errors.js';
import { decodeEntry, PAYLOAD_TYPES } from '../src/format/entry.js';
import { decodeForeign } from '../src/format/foreign.js';
import { PEER_PROFILE } from '../src/format/log-record.js';
import { decodeSignedStatement } from '../src/format/statement.js';
import type { LedgerView } from '../src/ledger/ledger-view.js';
import { HttpLedger } from './remote.js';

export interface Gathered {
  origin: string;
  url: string;
  bytes: Uint8Array;
}

/** Journeys are at most this many ledgers long (src/bundle/journey.ts). */
const MAX_LEDGERS = 16;

/** The other ledgers a segment shows the exhibit crossing to or from, and the peer URLs its governance records. */
function neighbours(bytes: Uint8Array): { origins: Set<string>; urls: Map<string, string> } {
  const b = decodeBundleV2(bytes);
  const origins = new Set<string>();
  const urls = new Map<string, string>();
  for (const e of b.entries) {
    const type = decodeEntry(e.entry).entry.payloadType;
    if (type === PAYLOAD_TYPES.foreign) {
      origins.add(
        confirmingLedger(e.payload) ??
          decodeSignedStatement(decodeForeign(e.payload).statement).statement.origin,
      );
      continue;
    }
    if (type !== PAYLOAD_TYPES.statement) continue;
    const s = decodeSignedStatement(e.payload).statement;
    const to = s.body['to'];
    if (s.kind === 'transfer' && Array.isArray(to) && typeof to[0] === 'string') origins.add(to[0]);
    if (s.kind === 'peer' && typeof s.body['url'] === 'string')
      urls.set(s.body['origin'] as string, s.body['url']);
  }
  origins.delete(b.origin);
  return { origins, urls };
}

/**
 * The segments of every other ledger `own` (this ledger's bundle of the
 * exhibit) leads to, transitively. PEER_URL_UNKNOWN when no recorded peer
 * URL is known for one; the peers' own refusals and LEDGER_UNREACHABLE as
 * they come.
 */
export async function gatherSegments(
  view: LedgerView,
  own: Uint8Array,
  exhibit: Uint8Array,
  credential: Signer,
  recipient: string,
): Promise<Gathered[]> {
  const origin = decodeBundleV2(own).origin;
  const done = new Set([origin]);
  const out: Gathered[] = [];
  const start = neighbours(own);
  const queue = [...start.origins];
  const urls = start.urls;
  for (const p of await view.peers()) if (p.record.url) urls.set(p.origin, p.record.url);
  while (queue.length > 0) {
    const next = queue.shift()!;
    if (done.has(next)) continue;
    done.add(next);
    if (done.size > MAX_LEDGERS)
      throw new CustodyError('USAGE', `the journey crosses more than ${MAX_LEDGERS} ledgers`, 'input');
    const url = urls.get(next);
    if (!url)
      throw new CustodyError(
        'PEER_URL_UNKNOWN',
        `the exhibit passed through ${next}, and no server URL is recorded for it (custody peer add --url)`,
        'input',
      );
    const path = `v1/federation/segment/${toHex(exhibit)}?recipient=${encodeURIComponent(recipient)}&profile=${PEER_PROFILE}`;
    const bytes = (await new HttpLedger(url, { signer: credential }, undefined).request('GET', path, {
      signed: true,
    }))!;
    let n: ReturnType<typeof neighbours>;
    try {
      if (decodeBundleV2(bytes).origin !== next) throw new Error(`it is of ${decodeBundleV2(bytes).origin}`);
      n = neighbours(bytes);
    } catch (e) {
      throw new CustodyError(
        'STORE_CORRUPT',
        `${url} answered something other than ${next}'s segment (${(e as Error).message})`,
        'unavailable',
      );
    }
    out.push({ origin: next, url, bytes });
    for (const o of n.origins) if (!done.has(o)) queue.push(o);
    for (const [o, u] of n.urls) if (!urls.has(o)) urls.set(o, u);
  }
  return out;
}
