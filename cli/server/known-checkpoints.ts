/**
 * What others hold of this log, asked before the first signing and at every
 * takeover (docs/SERVER.md §Never two histories; issue 30: "its own record
 * kept outside the database, its witnesses, its peers"):
 *
 * - each witness's latest cosigned checkpoint, from its monitoring path
 *   (`<url>/witness/<sha256(origin)>/checkpoint`);
 * - each other server of this ledger named in the configuration's
 *   `checkpointSources` (a standby or the sequencer on the same database,
 *   or one on a restored copy): its `<url>/checkpoint`;
 * - each peer recorded in the ledger with a URL: the checkpoint of this log
 *   it cosigned as a witness or an auditor (`<url>/witness/…/checkpoint`,
 *   `<url>/audit/witness/…/checkpoint`).
 *
 * Security assumption: none of these is trusted. The signing guard
 * (src/ledger/signing-guard.ts) uses only notes that verify with this log's
 * key; anything else (a peer's own checkpoint, garbage, a source that does
 * not answer within 5 s) is skipped. So a source can only stop a signing,
 * by showing a checkpoint this log really signed that the tree does not
 * extend, never cause one.
 */
import { toHex, utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { HeldCheckpoint } from '../../src/ledger/signing-guard.js';

const TIMEOUT_MS = 5_000;
/** A checkpoint note is a few hundred bytes; more is not one. */
const MAX_NOTE = 64 << 10;

export interface CheckpointSources {
  witnesses: readonly { url: string }[];
  /** Other servers of this ledger: their /checkpoint. */
  servers: readonly string[];
  /** Peers recorded in the ledger with a server URL. */
  peers: readonly string[];
}

const under = (base: string, path: string) => new URL(path, base.endsWith('/') ? base : `${base}/`);

async function fetchNote(url: URL): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) return undefined;
    const text = await res.text();
    return text.length <= MAX_NOTE ? text : undefined;
  } catch {
    return undefined; // unreachable: skipped
  }
}

export async function knownCheckpoints(
  sources: CheckpointSources,
  origin: string,
): Promise<HeldCheckpoint[]> {
  const hash = toHex(sha256(utf8(origin)));
  const asks: { by: string; url: URL }[] = [
    ...sources.witnesses.map((w) => ({
      by: `witness ${w.url}`,
      url: under(w.url, `witness/${hash}/checkpoint`),
    })),
    ...sources.servers.map((s) => ({ by: `server ${s}`, url: under(s, 'checkpoint') })),
    ...sources.peers.flatMap((p) => [
      { by: `peer ${p}`, url: under(p, `witness/${hash}/checkpoint`) },
      { by: `peer ${p} (auditor)`, url: under(p, `audit/witness/${hash}/checkpoint`) },
    ]),
  ];
  const notes = await Promise.all(asks.map(async (a) => ({ by: a.by, note: await fetchNote(a.url) })));
  return notes.flatMap((n) => (n.note === undefined ? [] : [{ by: n.by, note: n.note }]));
}
