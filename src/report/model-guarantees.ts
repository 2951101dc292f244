/**
 * What each guarantee of a verdict rests on (docs/LONG-TERM.md §Algorithms
 * and guarantees): for content and order, signer identity and time, which
 * algorithm and which time. A court reading a report decades later needs to
 * know which of them would fall with Ed25519 and which would stand. The
 * wording is in the report's language (src/report/messages/guarantees.ts).
 */

import type { ExhibitVerdict } from '../bundle/verdict.js';
import { type Language, say, sayCount } from './i18n.js';
import { GUARANTEES } from './messages/guarantees.js';

export interface Guarantee {
  guarantee: 'content and order' | 'signer identity' | 'time';
  restsOn: string;
}

type Checkpoint = NonNullable<ExhibitVerdict['checkpoint']>;
type Evidence = NonNullable<ExhibitVerdict['timeEvidence']>;

/** "1st", "2nd", "22nd", "11th" in English; "1er", "2e" in French; "2." in German; "2e" in Dutch. */
const ordinal = (k: number, lang: Language) => {
  const category = new Intl.PluralRules(lang, { type: 'ordinal' }).select(k);
  const key = category === 'one' || category === 'two' || category === 'few' ? category : 'other';
  return say(GUARANTEES, lang, `ordinal_${key}`, { k });
};

/**
 * The earliest bounds the archived checkpoints give an event at `at`: those
 * archived checkpoints that cover it (size > at), the earliest token time and
 * the earliest witness bound among them.
 */
function archivedBounds(evidence: Evidence, at: number, lang: Language): string[] {
  const covering = evidence.filter((e) => e.size > at);
  const out: string[] = [];
  const token = covering
    .flatMap((e) => (e.token ? [{ ...e.token, e }] : []))
    .sort((a, b) => a.genTime.localeCompare(b.genTime))[0];
  if (token)
    out.push(
      say(GUARANTEES, lang, token.qualified ? 'boundTokenQualified' : 'boundTokenUnqualified', {
        genTime: token.genTime,
        accuracy: token.accuracyMs,
        tsa: token.tsa,
        size: token.e.size,
        index: token.e.index,
        renewedBy: token.renewedBy?.by,
        renewedAt: token.renewedBy?.time,
      }),
    );
  const w = covering
    .flatMap((e) => (e.witnesses ? [{ ...e.witnesses, e }] : []))
    .sort((a, b) => a.time.localeCompare(b.time))[0];
  if (w)
    out.push(
      sayCount(GUARANTEES, lang, 'boundWitness', w.of, {
        time: w.time,
        ord: ordinal(w.k, lang),
        size: w.e.size,
        index: w.e.index,
      }),
    );
  return out;
}

export function guaranteesOf(
  cp: Checkpoint,
  evidence: Evidence = [],
  lastEvent: number | null = null,
  lang: Language = 'en',
): Guarantee[] {
  const sunset = cp.sunset;
  const signed = { size: cp.size, pq: cp.mlDsaSignedBy?.length ? cp.mlDsaSignedBy.join(', ') : undefined };
  const content = sunset?.anchoredBy
    ? say(GUARANTEES, lang, 'contentAnchored', {
        ...signed,
        from: sunset.distrustedFrom,
        by: sunset.anchoredBy.by,
        at: sunset.anchoredBy.time,
      })
    : sunset
      ? say(GUARANTEES, lang, 'contentUnanchored', { ...signed, from: sunset.distrustedFrom })
      : say(GUARANTEES, lang, 'content', signed);
  const identity = sunset?.anchoredBy
    ? say(GUARANTEES, lang, 'identityAnchored', { from: sunset.distrustedFrom, at: sunset.anchoredBy.time })
    : sunset
      ? say(GUARANTEES, lang, 'identityUnanchored', { from: sunset.distrustedFrom })
      : say(GUARANTEES, lang, 'identity');
  const bound = cp.existedNoLaterThan;
  const archived = lastEvent === null ? [] : archivedBounds(evidence, lastEvent, lang);
  const time = archived.length
    ? say(GUARANTEES, lang, 'timeArchived', {
        last: lastEvent ?? undefined,
        bounds: archived.join(say(GUARANTEES, lang, 'boundsJoin')),
        itself: bound
          ? sayCount(GUARANTEES, lang, 'itself', bound.of, { time: bound.time, ord: ordinal(bound.k, lang) })
          : undefined,
      })
    : bound
      ? sayCount(GUARANTEES, lang, 'timeBound', bound.of, {
          time: bound.time,
          ord: ordinal(bound.k, lang),
          holds: sayCount(GUARANTEES, lang, 'holds', bound.k),
        })
      : cp.cosignedAt
        ? say(GUARANTEES, lang, 'timeCosigned', { at: cp.cosignedAt })
        : say(GUARANTEES, lang, 'timeNone');
  return [
    { guarantee: 'content and order', restsOn: content },
    { guarantee: 'signer identity', restsOn: identity },
    { guarantee: 'time', restsOn: time },
  ];
}
