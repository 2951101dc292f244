/**
 * Disclosure profiles (docs/PRIVACY.md §Disclosure profiles): which
 * committed fields' cleartext a bundle carries, by who receives it. Police
 * data law asks for data minimisation (Directive (EU) 2016/680 Art. 4(1)(c)):
 * a recipient gets the personal data its role needs, and a withheld field
 * still verifies (its commitment is signed; only the opening is left out).
 *
 * Every committed field of the kinds table is personal or may be (names of
 * people, their organisations, free text about people, places and
 * recipients); fields in clear (labels, case references, legal bases, seals,
 * tools, digests) carry none by design (FORMAT.md §Kinds and bodies).
 */
import { CustodyError } from '../errors.js';
import { COMMITTED_FIELDS } from '../format/kinds.js';
import type { DisclosureProfile } from '../format/vocabulary.js';

/**
 *   court    everything: the court decides on the evidence and on its use
 *   defence  everything but where it was seized and to whom it was returned
 *            (third parties' addresses and names), and how an officer's
 *            identity was checked at enrolment (identityCheck: document
 *            details of the officer, not evidence); the court can order more.
 *            Device identifiers (IMEI, serial numbers) go to the defence: they
 *            say which device the evidence is
 *   peer     another authority's ledger receiving the exhibit: who handled
 *            it (names, organisations) and what it is (description), no free
 *            text about reasons, notes, actions, places or recipients
 *   public   nothing: the record verifies, every committed field withheld
 */
const PROFILE_FIELDS: Readonly<Record<DisclosureProfile, (f: string) => boolean>> = {
  court: () => true,
  defence: (f) => f !== 'location' && f !== 'recipient' && f !== 'identityCheck',
  peer: (f) => f === 'name' || f === 'org' || f === 'description',
  public: () => false,
};

/** Refuses a name that is not a committed field (FIELD_UNKNOWN): a typo must not hold or reveal nothing silently. */
export function checkFieldNames(fields: readonly string[]): void {
  for (const f of fields)
    if (!COMMITTED_FIELDS.includes(f))
      throw new CustodyError(
        'FIELD_UNKNOWN',
        `${JSON.stringify(f)} is not a committed field; choose from ${COMMITTED_FIELDS.join(', ')}`,
        'input',
      );
}

/**
 * The committed fields a bundle for `profile` discloses, with `--disclose`
 * added and `--withhold` removed (withhold wins). Sorted and unique, as a
 * disclose statement records them. Unknown field names are refused
 * (FIELD_UNKNOWN), so a typo never discloses or withholds nothing silently.
 */
export function disclosedFields(
  profile: DisclosureProfile,
  overrides: { disclose?: readonly string[]; withhold?: readonly string[] } = {},
): string[] {
  checkFieldNames([...(overrides.disclose ?? []), ...(overrides.withhold ?? [])]);
  const out = new Set(COMMITTED_FIELDS.filter(PROFILE_FIELDS[profile]));
  for (const f of overrides.disclose ?? []) out.add(f);
  for (const f of overrides.withhold ?? []) out.delete(f);
  return [...out].sort();
}
