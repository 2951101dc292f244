/**
 * People in the report: an actor of the timeline as a Party, and the lane of
 * the custody picture a party belongs to.
 */
import type { ActorInfo } from '../custody/timeline.js';
import { type Language, say } from './i18n.js';
import { CUSTODY } from './messages/custody.js';
import type { Party } from './model-types.js';

/**
 * An actor as the report names them: "Name (Org, NL)". Names, organisations and jurisdictions
 * are the record's data, the same in every language; the form is punctuation only.
 */
export const party = (a: ActorInfo): Party => ({
  id: a.id,
  name: a.name,
  org: a.org,
  jurisdiction: a.jurisdiction,
  text: `${a.name} (${a.org}, ${a.jurisdiction})`,
});

/** The receiver of a hand-over that names none, in the report's language. */
export const unknownReceiver = (lang: Language): Party =>
  party({
    id: '',
    name: say(CUSTODY, lang, 'unknownReceiver'),
    org: say(CUSTODY, lang, 'unknownOrg'),
    jurisdiction: '??',
  });

/** Lanes of the custody picture: one per jurisdiction and organisation. */
export const laneKey = (p: Pick<Party, 'jurisdiction' | 'org'>): string => `${p.jurisdiction}\u0000${p.org}`;
