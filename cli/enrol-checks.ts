/**
 * What `custody actor add` checks before an enrolment is signed (issue 29):
 * a name that reads as that of an active actor of the same organisation.
 *
 * A rule of this program on append, never a verifier code (docs/FORMAT.md
 * §enrol, body version 2): an enrolment signed with `similarName: true`
 * records that the officer saw the warning and went on. It reads the ledger
 * through the same view locally or on a server, so it holds for both.
 *
 * Security assumption: two people of one organisation whose names read alike
 * ("Pаul Janssen" with a Cyrillic а, or an NFD "Müller") are how a transfer
 * reaches the wrong key. In another organisation the organisation tells them
 * apart in every output (./party.ts), and a revoked or expired key can no
 * longer receive anything, so neither is refused.
 */
import { CustodyError } from '../src/errors.js';
import type { LedgerView } from '../src/ledger/ledger-view.js';
import { nameKey } from '../src/names/keys.js';
import { similarNames } from '../src/names/similar.js';
import { type KnownActor, knownActors, partyText } from './party.js';

const REASON = {
  'same-nfc': 'the same name',
  'same-case-folded': 'the same name in other letter case',
  confusable: 'a name that looks the same (Unicode confusables)',
} as const;

/**
 * NAME_TOO_SIMILAR when an active actor of organisation `org` (compared by
 * nameKey) has a name NFC-equal or confusable with `name`. Actors whose name
 * or organisation the ledger holds only as a commitment cannot be compared
 * and are skipped.
 */
export async function refuseSimilarName(
  view: LedgerView,
  name: string,
  org: string,
  now: number,
): Promise<void> {
  const sameOrg = (await knownActors(view, now)).filter(
    (a): a is KnownActor & { name: string; org: string } =>
      a.active && a.name !== undefined && a.org !== undefined && nameKey(a.org) === nameKey(org),
  );
  const [hit] = similarNames(name, sameOrg);
  if (hit)
    throw new CustodyError(
      'NAME_TOO_SIMILAR',
      `${org} already has an active actor ${partyText(hit.entry)}, ${REASON[hit.reason]} as ${name}; check it is not the same person, and give --allow-similar-name if it is not`,
      'custody',
    );
}
