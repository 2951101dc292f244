/**
 * Disclosure profiles (src/bundle/disclosure.ts, docs/PRIVACY.md): each
 * profile's set of committed fields, overrides, and the refusal of unknown
 * field names; and the exporter carrying exactly the disclosed openings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { disclosedFields } from '../../src/bundle/disclosure.js';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { COMMITTED_FIELDS } from '../../src/format/kinds.js';
import { decodeOpenings } from '../../src/format/openings.js';
import { DISCLOSURE_PROFILES } from '../../src/format/vocabulary.js';
import { bundleWorld, checkpointOf, expectVerified, pinAuthority, verify } from './v2-helpers.js';

describe('disclosure profiles', () => {
  it('court discloses every committed field, public none, and the others what PRIVACY.md says', () => {
    expect(disclosedFields('court')).toEqual([...COMMITTED_FIELDS]);
    expect(disclosedFields('public')).toEqual([]);
    // Third parties' places and names, and how an officer's identity was checked, stay with the court.
    expect(COMMITTED_FIELDS.filter((f) => !disclosedFields('defence').includes(f))).toEqual([
      'identityCheck',
      'location',
      'recipient',
    ]);
    expect(disclosedFields('defence')).toContain('identifiers');
    expect(disclosedFields('peer')).toEqual(['description', 'name', 'org']);
  });

  it('--disclose adds, --withhold removes and wins; an unknown field is refused', () => {
    expect(disclosedFields('public', { disclose: ['name'] })).toEqual(['name']);
    expect(disclosedFields('court', { withhold: ['location', 'name'] })).not.toContain('name');
    expect(disclosedFields('peer', { disclose: ['reason'], withhold: ['reason'] })).not.toContain('reason');
    expect(() => disclosedFields('court', { withhold: ['surname'] })).toThrow(
      /FIELD_UNKNOWN|not a committed field/,
    );
    expect(() => disclosedFields('court', { disclose: ['__proto__'] })).toThrow(/not a committed field/);
  });

  it('property: the result is sorted, unique, committed fields only, and never holds a withheld one', () => {
    const field = fc.constantFrom(...COMMITTED_FIELDS);
    fc.assert(
      fc.property(fc.constantFrom(...DISCLOSURE_PROFILES), fc.array(field), fc.array(field), (p, d, w) => {
        const out = disclosedFields(p, { disclose: d, withhold: w });
        expect(out).toEqual([...new Set(out)].sort());
        for (const f of out) expect(COMMITTED_FIELDS).toContain(f);
        for (const f of w) expect(out).not.toContain(f);
        for (const f of d) if (!w.includes(f)) expect(out).toContain(f);
      }),
    );
  });

  it('the exporter carries exactly the disclosed openings, and the bundle still verifies', async () => {
    const w = await bundleWorld('disclosure ');
    const cp = await checkpointOf(w);
    const fields = disclosedFields('peer');
    const bytes = await exportBundleV2(w.ledger.store, w.ids.get('HDD-01')!, cp, { disclose: fields });
    const revealed = new Set<string>();
    for (const e of decodeBundleV2(bytes).entries)
      if (e.openings) for (const f of Object.keys(decodeOpenings(e.openings))) revealed.add(f);
    expect([...revealed].sort()).toEqual(['description', 'name', 'org']);
    expectVerified(await verify(bytes, pinAuthority(w)));
  });
});
