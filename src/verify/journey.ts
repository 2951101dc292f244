/**
 * Verifying a journey (docs/FEDERATION.md §Verifying a journey): an
 * exhibit's history across ledgers, one segment per ledger, against the
 * relying party's trust manifest alone. Pure and total, like the bundle
 * verifier it runs on each segment.
 *
 *  1. Each segment is verified as a bundle (./bundle-v2.ts) against its own
 *     ledger's entry in the manifest: the authority keys whose fingerprints
 *     it lists (found in the segment's governance, so a rotation counts) and
 *     its tlog-policy (log keys, witnesses, quorum). A ledger the manifest
 *     does not list is JOURNEY_LEDGER_UNTRUSTED.
 *  2. Every crossing a segment shows (a statement that came from a peer) must
 *     be a statement of that peer's own segment (JOURNEY_CROSSING_UNMATCHED);
 *     a peer without a segment is JOURNEY_SEGMENT_MISSING, as is an exhibit
 *     whose registering ledger has none.
 *  3. The policy each ledger recorded for a peer it imported from must list
 *     the log key of that peer's segment (JOURNEY_PEER_KEY_MISMATCH): else
 *     the ledger imported from another log under that origin, a fork.
 *
 * The verdict is the worst of the segments' and of these (src/verify/verdict.ts).
 */
import { type BundleV2, decodeBundleV2 } from '../bundle/bundle-v2.js';
import { decodeJourney } from '../bundle/journey.js';
import type { ExhibitVerdictV2 } from '../bundle/verdict-v2.js';
import { equalBytes, toHex } from '../bytes.js';
import type { TrustManifest } from '../checkpoint/trust-manifest.js';
import { sha256 } from '../crypto/sha256.js';
import { parsePeerPolicy } from '../custody/peer-policy.js';
import { legalBasisText } from '../custody/timeline-v2.js';
import type { Problem, Verdict } from '../findings.js';
import { decodeEntry, PAYLOAD_TYPES } from '../format/entry.js';
import { decodeForeign } from '../format/foreign.js';
import { wireKey } from '../format/kinds.js';
import { decodeSignedStatement, type Statement } from '../format/statement.js';
import type { ProblemCode } from '../problem-codes.js';
import { type BundleV2Trust, verifyBundleV2 } from './bundle-v2.js';
import { decideVerdict } from './verdict.js';

export interface JourneySegment {
  origin: string;
  verdict: ExhibitVerdictV2;
}

/** A statement that crossed, as the two segments show it. */
export interface JourneyLink {
  kind: string;
  id: string;
  from: string;
  to: string;
  /** Its entry in the segment that imported it. */
  seq: number;
  /** Its entry in its own ledger's segment; null when that segment does not show it. */
  fromSeq: number | null;
  /** When each side's log recorded it (ms since the epoch): its own ledger (if shown), the importing one. */
  fromTime: number | null;
  toTime: number | null;
  /** For a transfer: its legal basis, as one line (reference; instrument, authorities and date when structured). */
  legalBasis?: string;
}

export interface JourneyVerdict {
  verdict: Verdict;
  ok: boolean;
  exhibit: string;
  segments: JourneySegment[];
  links: JourneyLink[];
  /** The journey's own problems (each segment's are in its verdict). */
  problems: Problem[];
}

/** What the relying party gives besides the manifest: the evidence file, and the bundle options. */
export type JourneyOptions = Omit<
  BundleV2Trust,
  'authorityKeys' | 'logKeys' | 'tlogPolicy' | 'witnesses' | 'quorum'
>;

interface Scanned {
  b: BundleV2 | undefined;
  /** Own statements (payload type 1) by identity, with their entry. */
  own: Map<string, { seq: number; statement: Statement }>;
  /** Statements of other ledgers this one imported (payload type 3), by identity, with their entry. */
  imported: Map<string, { seq: number; statement: Statement }>;
  /** The log time of each entry the segment shows, by position. */
  times: Map<number, number>;
  /** Public keys that were the authority: the genesis signer and each rotation's new key. */
  authorities: Uint8Array[];
  logKey: Uint8Array | undefined;
  /** The tlog-policy text each `peer` statement recorded, by peer origin, in log order. */
  peers: Map<string, string[]>;
}

/** What a verifier needs from a segment before verifying it: never throws. */
function scan(bytes: Uint8Array): Scanned {
  const out: Scanned = {
    b: undefined,
    own: new Map(),
    imported: new Map(),
    times: new Map(),
    authorities: [],
    logKey: undefined,
    peers: new Map(),
  };
  try {
    out.b = decodeBundleV2(bytes);
  } catch {
    return out;
  }
  for (const e of out.b.entries) {
    try {
      const decoded = decodeEntry(e.entry).entry;
      out.times.set(e.index, decoded.time);
      const type = decoded.payloadType;
      if (type === PAYLOAD_TYPES.foreign) {
        const d = decodeSignedStatement(decodeForeign(e.payload).statement);
        out.imported.set(toHex(d.id), { seq: e.index, statement: d.statement });
        continue;
      }
      if (type !== PAYLOAD_TYPES.statement) continue;
      const d = decodeSignedStatement(e.payload);
      const s = d.statement;
      out.own.set(toHex(d.id), { seq: e.index, statement: s });
      if (s.kind === 'genesis') {
        out.authorities.push(s.signer.key.publicKey);
        out.logKey = wireKey(s.body['logKey']).publicKey;
      } else if (s.kind === 'rotate') out.authorities.push(wireKey(s.body['key']).publicKey);
      else if (s.kind === 'peer') {
        const origin = s.body['origin'] as string;
        out.peers.set(origin, [...(out.peers.get(origin) ?? []), s.body['policy'] as string]);
      }
    } catch {
      // Not decodable here: the segment's own verification reports it.
    }
  }
  return out;
}

/**
 * What the manifest pins for a bundle: the authority keys of its governance whose fingerprints
 * the manifest lists for its origin (so a rotation the ledger made counts), and that ledger's
 * tlog-policy. A ledger the manifest does not list pins nothing: UNANCHORED.
 */
function trustOf(s: Scanned, manifest: TrustManifest): BundleV2Trust {
  const trusted = s.b ? manifest.ledgers.find((l) => l.origin === s.b!.origin) : undefined;
  if (!trusted) return { authorityKeys: [], quorum: 0 };
  return {
    authorityKeys: s.authorities.filter((k) => trusted.authority.includes(toHex(sha256(k)))),
    tlogPolicy: trusted.policy,
  };
}

/** The trust a manifest gives one bundle (verify-bundle --trust-policy on a single bundle). */
export const manifestTrust = (bundle: Uint8Array, manifest: TrustManifest): BundleV2Trust =>
  trustOf(scan(bundle), manifest);

const problem = (code: ProblemCode, message: string, seq: number | null = null): Problem => ({
  code,
  severity: 'error',
  seq,
  exhibit: null,
  message,
});

export async function verifyJourney(
  bytes: Uint8Array,
  manifest: TrustManifest,
  opts: JourneyOptions = {},
): Promise<JourneyVerdict> {
  const problems: Problem[] = [];
  let segments: Uint8Array[];
  let exhibit: Uint8Array;
  try {
    ({ segments, exhibit } = decodeJourney(bytes));
  } catch (e) {
    const p = problem('BUNDLE_MALFORMED', e instanceof Error ? e.message : 'not a journey');
    return { verdict: 'FAILED', ok: false, exhibit: '', segments: [], links: [], problems: [p] };
  }
  const scanned = segments.map(scan);
  const out: JourneySegment[] = [];
  for (const [i, seg] of segments.entries()) {
    const s = scanned[i]!;
    const origin = s.b?.origin ?? '';
    if (s.b && !equalBytes(s.b.exhibit, exhibit))
      problems.push(problem('JOURNEY_EXHIBIT_MISMATCH', `the segment of ${origin} is of another exhibit`));
    const trusted = manifest.ledgers.find((l) => l.origin === origin);
    if (!trusted && s.b)
      problems.push(
        problem('JOURNEY_LEDGER_UNTRUSTED', `the trust manifest does not list the ledger ${origin}`),
      );
    // Pinned by fingerprint: the authority keys of the segment's governance that the manifest names.
    const authorityKeys = trusted
      ? s.authorities.filter((k) => trusted.authority.includes(toHex(sha256(k))))
      : [];
    const trust: BundleV2Trust = {
      ...opts,
      authorityKeys,
      ...(trusted ? { tlogPolicy: trusted.policy } : { quorum: 0 }),
    };
    out.push({ origin, verdict: await verifyBundleV2(seg, trust) });
  }
  const links = linksOf(out, scanned, problems);
  peerKeys(out, scanned, problems);
  const registered = out.some(
    (s) => s.verdict.exhibit && !s.verdict.crossings?.some((c) => c.kind === 'register'),
  );
  if (!registered)
    problems.push(
      problem('JOURNEY_SEGMENT_MISSING', 'no segment is of the ledger where the exhibit was registered'),
    );
  const all = [...problems, ...out.flatMap((s) => [...s.verdict.problems, ...s.verdict.warnings])];
  const outcome = decideVerdict({
    problems: all,
    anchored: out.length > 0 && out.every((s) => s.verdict.anchored),
    ...(opts.strict ? { strict: true } : {}),
  });
  return {
    verdict: outcome.verdict,
    ok: outcome.ok,
    exhibit: toHex(exhibit),
    segments: out,
    links,
    problems,
  };
}

/** Every crossing each segment shows, matched with the statement in its own ledger's segment. */
function linksOf(out: JourneySegment[], scanned: Scanned[], problems: Problem[]): JourneyLink[] {
  const links: JourneyLink[] = [];
  for (const [k, seg] of out.entries())
    for (const c of seg.verdict.crossings ?? []) {
      const i = out.findIndex((s) => s.origin === c.from);
      const toTime = scanned[k]!.times.get(c.seq) ?? null;
      if (i < 0) {
        problems.push(
          problem(
            'JOURNEY_SEGMENT_MISSING',
            `${seg.origin} shows a ${c.kind} from ${c.from}, whose segment is not in the journey`,
            c.seq,
          ),
        );
        links.push({
          kind: c.kind,
          id: c.id,
          from: c.from,
          to: seg.origin,
          seq: c.seq,
          fromSeq: null,
          fromTime: null,
          toTime,
        });
        continue;
      }
      // A cancel confirmation is matched with the entry by which the other ledger imported the cancel.
      const there = (c.confirmation ? scanned[i]!.imported : scanned[i]!.own).get(c.id);
      if (!there || there.statement.kind !== c.kind)
        problems.push(
          problem(
            'JOURNEY_CROSSING_UNMATCHED',
            `${seg.origin} shows a ${c.kind} from ${c.from} (entry ${c.seq}) that ${c.from}'s own segment does not`,
            c.seq,
          ),
        );
      const basis = c.kind === 'transfer' && there ? legalBasisText(there.statement.body) : undefined;
      links.push({
        kind: c.kind,
        id: c.id,
        from: c.from,
        to: seg.origin,
        seq: c.seq,
        fromSeq: there?.seq ?? null,
        fromTime: there ? (scanned[i]!.times.get(there.seq) ?? null) : null,
        toTime,
        ...(basis === undefined ? {} : { legalBasis: basis }),
      });
    }
  return links;
}

/** A ledger that imported from a peer recorded a policy listing the log key of the peer's segment. */
function peerKeys(out: JourneySegment[], scanned: Scanned[], problems: Problem[]): void {
  for (const [i, seg] of out.entries()) {
    const froms = new Set((seg.verdict.crossings ?? []).map((c) => c.from));
    for (const from of froms) {
      const j = out.findIndex((s) => s.origin === from);
      const key = j >= 0 ? scanned[j]!.logKey : undefined;
      if (key === undefined) continue;
      const recorded = scanned[i]!.peers.get(from) ?? [];
      const lists = recorded.some((text) => {
        try {
          return parsePeerPolicy(text).logs.some(
            (l) => l.verifier.name === from && equalBytes(l.verifier.publicKey, key),
          );
        } catch {
          return false;
        }
      });
      if (!lists)
        problems.push(
          problem(
            'JOURNEY_PEER_KEY_MISMATCH',
            `${seg.origin} imported from a log of ${from} whose key is not the one ${from}'s segment is signed with`,
          ),
        );
    }
  }
}
