/**
 * The QR payload of an evidence-bag label (src/label/qr-payload.ts): every origin the
 * ledger format allows (docs/FORMAT.md §Field types: 0x21..0x7e except '+', ':' included)
 * and every exhibit id round-trip; decoding is strict, refusing any other text.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { isOrigin } from '../../src/format/text.js';
import { decodeLabelPayload, encodeLabelPayload } from '../../src/label/qr-payload.js';

const ORIGIN_CHARS = [...Array(0x7e - 0x21 + 1)]
  .map((_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => c !== '+');
// Colons and hex digits weighted up: the characters that could confuse the separator.
const origin = fc.string({
  unit: fc.oneof(fc.constantFrom(...ORIGIN_CHARS), fc.constantFrom(':', 'a', 'f', '0', '9')),
  minLength: 1,
  maxLength: 255,
});
const id = fc.uint8Array({ minLength: 32, maxLength: 32 });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const refused = (text: string) => {
  try {
    decodeLabelPayload(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).code).toBe('LABEL_PAYLOAD_INVALID');
    return true;
  }
  return false;
};

describe('the label QR payload', () => {
  test.prop([origin, id], { numRuns: 500 })('decodes back to the origin and the id it encodes', (o, x) => {
    const text = encodeLabelPayload({ origin: o, exhibit: x });
    expect(text).toBe(`custody:1:${o}:${hex(x)}`);
    const d = decodeLabelPayload(text);
    expect(d.origin).toBe(o);
    expect(hex(d.exhibit)).toBe(hex(x));
  });

  test.prop([origin, id, fc.string({ maxLength: 300 })], { numRuns: 500 })(
    'decodes any text only to the payload that encodes back to that very text',
    (o, x, junk) => {
      const text = encodeLabelPayload({ origin: o, exhibit: x });
      for (const t of [junk, `${text}${junk}`, `${junk}${text}`, text.toUpperCase(), text.slice(0, -1)]) {
        let d: ReturnType<typeof decodeLabelPayload> | undefined;
        try {
          d = decodeLabelPayload(t);
        } catch (e) {
          expect((e as CustodyError).code).toBe('LABEL_PAYLOAD_INVALID');
          continue;
        }
        expect(encodeLabelPayload(d)).toBe(t);
      }
    },
  );

  it('refuses other schemes, versions, uppercase hex, bad origins and short ids', () => {
    const x = 'ab'.repeat(32);
    expect(refused(`custody:1:ledger.example:${x}`)).toBe(false);
    for (const t of [
      '',
      `custody:2:ledger.example:${x}`,
      `Custody:1:ledger.example:${x}`,
      `custody:01:ledger.example:${x}`,
      `https://ledger.example/${x}`,
      `custody:1:ledger.example:${x.toUpperCase()}`,
      `custody:1:ledger.example:${x.slice(2)}`,
      `custody:1:ledger.example:${x}00`,
      `custody:1:ledger.example;${x}`,
      `custody:1::${x}`,
      `custody:1:ledger+example:${x}`,
      `custody:1:ledger example:${x}`,
      `custody:1:${'a'.repeat(256)}:${x}`,
      `custody:1:ledger.example:${x}\n`,
      ` custody:1:ledger.example:${x}`,
      `custody:1:lédger:${x}`,
    ])
      expect(refused(t), JSON.stringify(t)).toBe(true);
  });

  it('refuses to encode what the ledger could not hold', () => {
    expect(() => encodeLabelPayload({ origin: 'a+b', exhibit: new Uint8Array(32) })).toThrow(CustodyError);
    expect(() => encodeLabelPayload({ origin: 'ok', exhibit: new Uint8Array(31) })).toThrow(CustodyError);
    // The generator's origins are exactly the format's.
    fc.assert(fc.property(origin, (o) => isOrigin(o)));
  });
});
