import { describe, expect, it } from 'vitest';
import { concat } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { decodeEntry, ENTRY_MAX_BYTES, type Entry, encodeEntry } from '../../src/format/entry.js';
import { FormatError } from '../../src/format/format-error.js';

const codeOf = (b: Uint8Array) => {
  try {
    decodeEntry(b);
    return undefined;
  } catch (e) {
    return (e as FormatError).code;
  }
};

const entry: Entry = {
  index: 7,
  time: Date.UTC(2026, 2, 1),
  mapRoot: new Uint8Array(32).fill(0xaa),
  payloadType: 1,
  payloadHash: new Uint8Array(32).fill(0xbb),
};

describe('entries', () => {
  it('round-trip, and the leaf hash is SHA-256(0x00 ‖ entry)', () => {
    const b = encodeEntry(entry);
    const d = decodeEntry(b);
    expect(d.entry).toEqual(entry);
    expect(d.leafHash).toEqual(sha256(concat(new Uint8Array([0]), b)));
  });

  it('the largest possible entry is exactly the documented maximum', () => {
    const max = encodeEntry({
      ...entry,
      index: Number.MAX_SAFE_INTEGER,
      time: 253_402_300_799_999,
      payloadType: 127,
    });
    expect(max.length).toBe(ENTRY_MAX_BYTES);
    expect(decodeEntry(max).entry.index).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses every deviation with its code and never throws anything else', () => {
    const raw = (a: unknown[]) => encodeCanonical(a as never);
    const h = new Uint8Array(32);
    expect(codeOf(raw([1, 0, 0, h, 1, h]))).toBe('ENTRY_SCHEMA');
    expect(codeOf(raw([2, 0, 0, h, 0, h]))).toBe('ENTRY_SCHEMA');
    expect(codeOf(raw([2, 0, 0, h, 128, h]))).toBe('ENTRY_SCHEMA');
    expect(codeOf(raw([2, 0, 0, h.slice(1), 1, h]))).toBe('ENTRY_SCHEMA');
    expect(codeOf(raw([2, 0, 253_402_300_800_000, h, 1, h]))).toBe('ENTRY_SCHEMA');
    expect(codeOf(raw([2, 0, 0, h, 1]))).toBe('ENTRY_MALFORMED');
    expect(codeOf(raw([2, 0, 0, h, 1, h, 0]))).toBe('ENTRY_MALFORMED');
    expect(codeOf(new Uint8Array([0x96, 0x02, 0xcc, 0x01]))).toBe('ENTRY_MALFORMED');
    // index 1 written as uint8: msgpack, but not the shortest form.
    expect(
      codeOf(
        concat(
          new Uint8Array([0x96, 0x02, 0xcc, 0x01, 0x00]),
          encodeCanonical(h),
          new Uint8Array([1]),
          encodeCanonical(h),
        ),
      ),
    ).toBe('ENTRY_NON_CANONICAL');
    expect(codeOf(new Uint8Array(90))).toBe('ENTRY_MALFORMED');
    for (let i = 0; i < 2000; i++) {
      const junk = sha256(new Uint8Array([i & 0xff, i >> 8])).slice(0, 1 + (i % 32));
      expect(() => decodeEntry(junk)).toThrow(FormatError);
    }
  });
});
