/**
 * Canonical MessagePack (docs/FORMAT.md §Canonical encoding) against an
 * independent reference, msgpackr: whatever we encode, msgpackr decodes to the
 * same value; our decoder accepts exactly our encodings and refuses the
 * other valid MessagePack forms of the same value (non-shortest integers,
 * strings, maps; unsorted or duplicate keys), which msgpackr accepts.
 */
import { fc, test } from '@fast-check/vitest';
import { Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';

const reference = new Unpackr({ useRecords: false, mapsAsObjects: true, int64AsType: 'number' });
const plain = (v: unknown): unknown =>
  v instanceof Uint8Array
    ? Array.from(v)
    : Array.isArray(v)
      ? v.map(plain)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
        : v;

const key = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_-0123456789'),
  minLength: 1,
  maxLength: 12,
});
/**
 * Keys for the comparison with msgpackr: not "__proto__", which the reference
 * decoder assigns on a plain object (setting its prototype, not a property),
 * so the two could never agree on it. Our own decoder is tested with it below.
 */
const referenceKey = key.filter((k) => k !== '__proto__');
const leaf: fc.Arbitrary<Canonical> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.oneof(fc.nat(200), fc.nat(70_000), fc.maxSafeNat()),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }),
);
const valueWith = (k: fc.Arbitrary<string>): fc.Arbitrary<Canonical> =>
  fc.letrec<{ v: Canonical }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('v'), { maxLength: 5 }),
      fc.dictionary(k, tie('v'), { maxKeys: 5, noNullPrototype: true }),
    ),
  })).v;
const value = valueWith(key);
const referenceValue = valueWith(referenceKey);

describe('canonical encoding', () => {
  test.prop([referenceValue], { numRuns: 400 })('msgpackr decodes our bytes to the same value', (v) => {
    const bytes = encodeCanonical(v);
    expect(plain(reference.unpack(bytes))).toEqual(plain(v));
  });

  test.prop([value], { numRuns: 400 })('our decoder reads back exactly what we encoded', (v) => {
    const bytes = encodeCanonical(v);
    const r = decodeCanonical(bytes);
    expect('value' in r).toBe(true);
    if ('value' in r) expect(encodeCanonical(r.value as Canonical)).toEqual(bytes);
  });

  // Each is valid MessagePack for a value we encode otherwise; msgpackr accepts it, we refuse it.
  const OTHER_FORMS: [string, number[], unknown][] = [
    ['1 as uint8', [0xcc, 0x01], 1],
    ['200 as uint16', [0xcd, 0x00, 0xc8], 200],
    ['70000 as uint64', [0xcf, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70], 70000],
    ['"a" as str8', [0xd9, 0x01, 0x61], 'a'],
    ['bin as bin16', [0xc5, 0x00, 0x01, 0x07], [7]],
    ['[] as array16', [0xdc, 0x00, 0x00], []],
    ['{} as map16', [0xde, 0x00, 0x00], {}],
    ['keys out of order', [0x82, 0xa1, 0x62, 0x01, 0xa1, 0x61, 0x02], { b: 1, a: 2 }],
  ];
  for (const [name, bytes, meaning] of OTHER_FORMS)
    it(`refuses ${name}, which msgpackr reads as ${JSON.stringify(meaning)}`, () => {
      const b = Uint8Array.from(bytes);
      expect(plain(reference.unpack(b))).toEqual(meaning);
      expect(decodeCanonical(b)).toEqual({ error: 'non-canonical' });
    });

  it('refuses duplicate keys and types outside the subset', () => {
    for (const bytes of [
      [0x82, 0xa1, 0x61, 0x01, 0xa1, 0x61, 0x02], // {a:1, a:2}
      [0xca, 0x3f, 0x80, 0x00, 0x00], // float32 1.0
      [0xff], // negative fixint -1
      [0xd4, 0x01, 0x00], // fixext1
    ]) {
      const r = decodeCanonical(Uint8Array.from(bytes));
      expect('error' in r).toBe(true);
    }
  });
});
