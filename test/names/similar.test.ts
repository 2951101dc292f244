/**
 * Names and labels too similar to existing ones (src/names/similar.ts), what
 * the enrolment and registration rules will refuse (NAME_TOO_SIMILAR).
 */
import { describe, expect, it } from 'vitest';
import { similarLabels, similarNames } from '../../src/names/similar.js';

const actors = [
  { id: 'A', name: 'KHK J\u00fcrgen M\u00fcller' },
  { id: 'B', name: 'Paul Janssen' },
  { id: 'C', name: 'Dr. A. Bakker' },
  { id: 'D', name: 'OTTO' },
];
const reasons = (found: { entry: { id: string }; reason: string }[]) =>
  found.map((f) => [f.entry.id, f.reason]);

describe('similarNames', () => {
  it('finds the NFD spelling of an enrolled name as the same name', () => {
    expect(reasons(similarNames('KHK Ju\u0308rgen Mu\u0308ller', actors))).toEqual([['A', 'same-nfc']]);
    expect(reasons(similarNames('KHK J\u00fcrgen M\u00fcller', actors))).toEqual([['A', 'same-nfc']]);
  });

  it('finds look-alikes: Cyrillic а, Greek omicron, the digit 0, fullwidth letters, ZWJ', () => {
    expect(reasons(similarNames('P\u0430ul Janssen', actors))).toEqual([['B', 'confusable']]);
    expect(reasons(similarNames('\u039fTT\u039f', actors))).toEqual([['D', 'confusable']]);
    expect(reasons(similarNames('0TT0', actors))).toEqual([['D', 'confusable']]);
    expect(reasons(similarNames('\uff2f\uff34\uff34\uff2f', actors))).toEqual([['D', 'confusable']]); // by NFKC
    expect(reasons(similarNames('Dr. A. Ba\u200dkker', actors))).toEqual([['C', 'confusable']]);
  });

  it('leaves apart what only differs in case, an accent or a letter', () => {
    expect(similarNames('paul janssen', actors)).toEqual([]);
    expect(similarNames('Otto', actors)).toEqual([]); // o is not O: the skeleton keeps case
    expect(similarNames('KHK Jurgen Muller', actors)).toEqual([]);
    expect(similarNames('Paul Jansen', actors)).toEqual([]);
  });

  it('lists every similar entry, in the given order', () => {
    const two = [...actors, { id: 'E', name: 'P\u0430ul Janssen' }];
    expect(reasons(similarNames('Paul Janssen', two))).toEqual([
      ['B', 'same-nfc'],
      ['E', 'confusable'],
    ]);
  });
});

describe('similarLabels', () => {
  const labels = [
    { id: 'A', label: 'HDD-01' },
    { id: 'B', label: '\u0141\u00f3d\u017a-TEL-01' },
    { id: 'C', label: 'USB-7' },
  ];

  it('finds the same label in NFD, in another case, and both', () => {
    expect(reasons(similarLabels('\u0141o\u0301dz\u0301-TEL-01', labels))).toEqual([['B', 'same-nfc']]);
    expect(reasons(similarLabels('łódź-tel-01', labels))).toEqual([['B', 'same-case-folded']]);
    expect(reasons(similarLabels('ło\u0301dz\u0301-tel-01', labels))).toEqual([['B', 'same-case-folded']]);
    expect(reasons(similarLabels('hdd-01', labels))).toEqual([['A', 'same-case-folded']]);
  });

  it('finds look-alikes in any case: HDD-0I, hdd-O1, ＨＤＤ－０１', () => {
    expect(reasons(similarLabels('HDD-0I', labels))).toEqual([['A', 'confusable']]);
    expect(reasons(similarLabels('hdd-O1', labels))).toEqual([['A', 'confusable']]);
    expect(reasons(similarLabels('\uff28\uff24\uff24\uff0d\uff10\uff11', labels))).toEqual([
      ['A', 'confusable'],
    ]);
    expect(reasons(similarLabels('U\u0405B-7', labels))).toEqual([['C', 'confusable']]); // Cyrillic Ѕ
  });

  it('leaves apart other labels', () => {
    expect(similarLabels('HDD-02', labels)).toEqual([]);
    expect(similarLabels('Lodz-TEL-01', labels)).toEqual([]);
  });
});
