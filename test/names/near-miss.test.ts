/** "Did you mean" after a failed look-up (src/names/near-miss.ts). */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { editDistance, nearMisses } from '../../src/names/near-miss.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps, over code points', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('Müller', 'Muller')).toBe(1);
    expect(editDistance('Müller', 'Mu\u0308ller')).toBe(2); // NFD is longer: callers compare keys
    expect(editDistance('Jürgen', 'Jrügen')).toBe(1); // one swap
    expect(editDistance('Bakker', 'Baker')).toBe(1);
    expect(editDistance('𝐀B', 'AB')).toBe(1); // an astral letter is one code point, not two units
    expect(editDistance('kitten', 'sitting')).toBe(3);
    // Restricted (optimal string alignment): a swapped pair is not edited again.
    expect(editDistance('ca', 'abc')).toBe(3);
  });

  test.prop([fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })])(
    'is symmetric, zero only for equal texts, and at most the longer length',
    (a, b) => {
      const d = editDistance(a, b);
      expect(editDistance(b, a)).toBe(d);
      expect(d === 0).toBe(a === b);
      expect(d).toBeLessThanOrEqual(Math.max([...a].length, [...b].length));
    },
  );
});

describe('nearMisses', () => {
  const actors = [
    { id: 'A', name: 'KHK J\u00fcrgen M\u00fcller' },
    { id: 'B', name: 'KHK K. M\u00fcller' },
    { id: 'C', name: 'Dr. A. Bakker' },
    { id: 'D', name: 'Insp. J. de Vries' },
    { id: 'E', name: 'KHK J\u00fcrgen M\u00fcller' },
  ];
  const ids = (input: string, limit?: number) => nearMisses(input, actors, limit).map((a) => a.id);

  it('offers the name typed in another case, or with a look-alike letter, first', () => {
    expect(ids('khk jürgen müller')).toEqual(['A', 'E']);
    expect(ids('Dr. A. B\u0430kker')).toEqual(['C']); // Cyrillic а
    const labels = [{ name: 'HDD-01' }, { name: '\u0141\u00f3d\u017a-TEL-01' }];
    expect(nearMisses('Lodz-TEL-01', labels)).toEqual([labels[1]]); // no accents, and L for Ł
    expect(nearMisses('\uff28\uff24\uff24-01', labels)).toEqual([labels[0]]); // fullwidth ＨＤＤ
  });

  it('orders by distance, then by name, then as given', () => {
    // "KHK Jurgen Muller": 2 from A and E; "KHK K. Müller" is 6 away, beyond max(2, 17/4).
    expect(ids('KHK Jurgen Muller')).toEqual(['A', 'E']);
    const named = [
      { name: 'HDD-2' },
      { name: 'HDD-10' },
      { name: 'HDD-02' },
      { name: 'hdd-01' },
      { name: 'HDD-0' },
    ];
    // Distances from HDD-01: hdd-01 0 (case), HDD-0, HDD-02 and HDD-10 (a swap) 1, HDD-2 2.
    expect(nearMisses('HDD-01', named, 10).map((x) => x.name)).toEqual([
      'hdd-01',
      'HDD-0',
      'HDD-02',
      'HDD-10',
      'HDD-2',
    ]);
    expect(nearMisses('HDD-01', named).map((x) => x.name)).toEqual(['hdd-01', 'HDD-0', 'HDD-02']);
  });

  it('keeps only names within max(2, a quarter of the input) edits', () => {
    expect(ids('Dr. A. Backer')).toEqual(['C']); // 1
    expect(ids('Dr. B. Backer')).toEqual(['C']); // 2
    expect(ids('Dr. B. Bucket')).toEqual([]); // 4 > max(2, 13/4)
    expect(ids('Insp. J. de Fries-Smit')).toEqual([]);
    expect(ids('Nobody')).toEqual([]);
    expect(nearMisses('Bo', [{ name: 'Al' }, { name: 'Bob' }])).toEqual([{ name: 'Bob' }]); // not "Al": 2 edits of 2
  });

  it('offers nothing from nothing', () => {
    expect(nearMisses('anyone', [])).toEqual([]);
    expect(ids('khk jürgen müller', 0)).toEqual([]);
  });
});
