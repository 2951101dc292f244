/**
 * Names and labels too similar to existing ones (issue 29; docs/ERRORS.md
 * NAME_TOO_SIMILAR): what an enrolment or a registration is refused for unless
 * its signer says the choice was deliberate. The ledger's rule calls these;
 * this file only finds the existing entries and says why each is similar.
 *
 * Security assumption: an actor or exhibit that reads like another is how a
 * transfer reaches the wrong key, or a court reads the wrong exhibit. A
 * person cannot tell "Pаul" (Cyrillic а) from "Paul", nor an NFD "Müller"
 * from an NFC one, so neither may be added silently beside the other.
 */
import { labelKey, nameKey } from './keys.js';
import { skeleton } from './skeleton.js';

/**
 * Why an existing entry is similar, the strongest reason first:
 * 'same-nfc'          the same text once both are NFC (canonically equivalent);
 * 'same-case-folded'  labels only: the same once case is folded (labelKey);
 * 'confusable'        the same UTS #39 skeleton, of the text or of its NFKC form
 *                     (fullwidth letters, which confusables.txt mostly omits);
 *                     for labels also of its upper- and lower-cased forms.
 */
export type Similarity = 'same-nfc' | 'same-case-folded' | 'confusable';

export interface Similar<T> {
  entry: T;
  reason: Similarity;
}

/** The skeletons a text is confusable by: of the text and of its NFKC form (and their cases, for labels). */
function confusableKeys(s: string, caseless: boolean): Set<string> {
  const forms = [s, s.normalize('NFKC')];
  if (caseless) for (const f of [...forms]) forms.push(f.toUpperCase(), f.toLowerCase());
  return new Set(forms.map(skeleton));
}

const meets = (a: ReadonlySet<string>, b: ReadonlySet<string>) => [...a].some((k) => b.has(k));

/**
 * The existing actors whose name is too similar to `candidate`: NFC-equal or
 * confusable (names are case-sensitive: "Paul" and "PAUL" are not similar
 * unless their skeletons meet). In the order of `existing`.
 */
export function similarNames<T extends { readonly name: string }>(
  candidate: string,
  existing: readonly T[],
): Similar<T>[] {
  const key = nameKey(candidate);
  const keys = confusableKeys(candidate, false);
  const out: Similar<T>[] = [];
  for (const entry of existing) {
    if (nameKey(entry.name) === key) out.push({ entry, reason: 'same-nfc' });
    else if (meets(keys, confusableKeys(entry.name, false))) out.push({ entry, reason: 'confusable' });
  }
  return out;
}

/**
 * The existing exhibits whose label is too similar to `candidate` (the caller
 * passes those of the same case): NFC-equal, equal once case is folded (as the
 * CLI looks labels up: "hdd-01" finds "HDD-01"), or confusable in any case
 * ("HDD-0I" and "hdd-01"). In the order of `existing`.
 */
export function similarLabels<T extends { readonly label: string }>(
  candidate: string,
  existing: readonly T[],
): Similar<T>[] {
  const nfc = nameKey(candidate);
  const folded = labelKey(candidate);
  const keys = confusableKeys(candidate, true);
  const out: Similar<T>[] = [];
  for (const entry of existing) {
    if (nameKey(entry.label) === nfc) out.push({ entry, reason: 'same-nfc' });
    else if (labelKey(entry.label) === folded) out.push({ entry, reason: 'same-case-folded' });
    else if (meets(keys, confusableKeys(entry.label, true))) out.push({ entry, reason: 'confusable' });
  }
  return out;
}
