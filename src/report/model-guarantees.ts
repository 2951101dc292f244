/**
 * What each guarantee of a verdict rests on (docs/LONG-TERM.md §Algorithms
 * and guarantees): for content and order, signer identity and time, which
 * algorithm and which time. A court reading a report decades later needs to
 * know which of them would fall with Ed25519 and which would stand.
 */

import type { ExhibitVerdict } from '../bundle/verdict.js';
import type { Language } from './i18n.js';

export interface Guarantee {
  guarantee: 'content and order' | 'signer identity' | 'time';
  restsOn: string;
}

type Checkpoint = NonNullable<ExhibitVerdict['checkpoint']>;
type Evidence = NonNullable<ExhibitVerdict['timeEvidence']>;

/**
 * The earliest bounds the archived checkpoints give an event at `at`: those
 * archived checkpoints that cover it (size > at), the earliest token time and
 * the earliest witness bound among them.
 */
function archivedBounds(evidence: Evidence, at: number): string[] {
  const covering = evidence.filter((e) => e.size > at);
  const out: string[] = [];
  const token = covering
    .flatMap((e) => (e.token ? [{ ...e.token, e }] : []))
    .sort((a, b) => a.genTime.localeCompare(b.genTime))[0];
  if (token)
    out.push(
      `no later than ${token.genTime}${token.accuracyMs === undefined ? '' : ` (±${token.accuracyMs} ms)`} by the RFC 3161 token of ${token.tsa} over the checkpoint of size ${token.e.size} archived at entry ${token.e.index} (${token.qualified ? 'a qualified time stamp: the relying party lists this TSA as qualified' : "the TSA's clock; not marked qualified by the relying party"}${token.renewedBy ? `; its own signature's algorithm is distrusted by now, and the ML-DSA-44 signature of ${token.renewedBy.by} made at ${token.renewedBy.time} vouches for it` : ''})`,
    );
  const w = covering
    .flatMap((e) => (e.witnesses ? [{ ...e.witnesses, e }] : []))
    .sort((a, b) => a.time.localeCompare(b.time))[0];
  if (w)
    out.push(
      `no later than ${w.time}, the ${ordinal(w.k)} earliest of ${w.of} witness timestamps on the checkpoint of size ${w.e.size} archived at entry ${w.e.index}`,
    );
  return out;
}

export function guaranteesOf(
  cp: Checkpoint,
  evidence: Evidence = [],
  lastEvent: number | null = null,
  lang: Language = 'en',
): Guarantee[] {
  const pq = cp.mlDsaSignedBy?.length
    ? ` and with ML-DSA-44 (FIPS 204, key ${cp.mlDsaSignedBy.join(', ')})`
    : '';
  const sunset = cp.sunset;
  const anchored = sunset?.anchoredBy
    ? `; Ed25519 is distrusted from ${sunset.distrustedFrom}, so this rests on the ML-DSA-44 signature of ${sunset.anchoredBy.by} made at ${sunset.anchoredBy.time}, before then`
    : sunset
      ? `; Ed25519 is distrusted from ${sunset.distrustedFrom} and nothing post-quantum vouched for the checkpoint before then: NOT proven`
      : '';
  const content = `the SHA-256 Merkle tree (RFC 9162) of the first ${cp.size} entries, whose root the log signed with Ed25519${pq}${anchored}`;
  const identity = sunset?.anchoredBy
    ? `the Ed25519 signatures of each statement, made before ${sunset.distrustedFrom}: the tree fixed them under the ML-DSA-44 signature of ${sunset.anchoredBy.time}`
    : sunset
      ? `the Ed25519 signatures of each statement, which are no longer trusted (from ${sunset.distrustedFrom}): NOT proven`
      : 'the Ed25519 signatures of each statement and of the enrolments naming their keys, trusted as long as Ed25519 is (no sunset set)';
  const bound = cp.existedNoLaterThan;
  const archived = lastEvent === null ? [] : archivedBounds(evidence, lastEvent);
  const time = archived.length
    ? `archived time evidence: the exhibit's last event (entry ${lastEvent}) existed ${archived.join(', and ')}${bound ? `; the checkpoint itself existed no later than ${bound.time} (${ordinal(bound.k)} earliest of ${bound.of} witness timestamps)` : ''}`
    : bound
      ? `the witnesses' clocks: the checkpoint existed no later than ${bound.time}, the ${ordinal(bound.k)} earliest of ${bound.of} witness timestamps (it holds if fewer than ${bound.k} witnesses lie about time); the statements' own times are their signers' word`
      : cp.cosignedAt
        ? `the cosigners' clocks: cosigned at ${cp.cosignedAt}; the statements' own times are their signers' word`
        : "only the log's own clock and the signers' word: no witness timestamp dates the checkpoint";
  return [
    { guarantee: 'content and order', restsOn: content },
    { guarantee: 'signer identity', restsOn: identity },
    { guarantee: 'time', restsOn: time },
  ];
}

const ordinal = (k: number) => (k === 1 ? '1st' : k === 2 ? '2nd' : k === 3 ? '3rd' : `${k}th`);
