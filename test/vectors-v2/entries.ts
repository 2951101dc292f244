/**
 * entries.json: valid entries (the entries of logs.json, the smallest and the
 * largest entry) and entries decodeEntry must refuse (docs/FORMAT.md
 * §Entries).
 */
import { concat, toHex } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { decodeEntry, ENTRY_MAX_BYTES, type Entry, encodeEntry } from '../../src/format/entry.js';
import { FormatError } from '../../src/format/format-error.js';
import { b, be, binAs, enc, type Json, rawArray } from './json.js';

export interface EntryVector {
  name: string;
  description: string;
  bytes: Uint8Array;
}

export interface InvalidEntry extends EntryVector {
  expected: 'ENTRY_MALFORMED' | 'ENTRY_NON_CANONICAL' | 'ENTRY_SCHEMA';
}

const MAX_TIME = 253_402_300_799_999;
const h = (s: string) => sha256(new TextEncoder().encode(s));

/** The code decodeEntry raises, or 'ACCEPTED'. */
export function entryCode(bytes: Uint8Array): string {
  try {
    decodeEntry(bytes);
    return 'ACCEPTED';
  } catch (e) {
    return e instanceof FormatError ? e.code : `THREW ${String(e)}`;
  }
}

export function buildEntries(logEntries: { index: number; kind: string; entry: Uint8Array }[]): {
  json: Json;
  deviations: string[];
} {
  const valid: EntryVector[] = logEntries.map((e) => ({
    name: `log-${e.index}`,
    description: `entry ${e.index} of logs.json (${e.kind})`,
    bytes: e.entry,
  }));
  const base: Entry = {
    index: 3,
    time: Date.UTC(2026, 2, 1, 9, 0, 0),
    mapRoot: h('vectors-v2 entry map root'),
    payloadType: 1,
    payloadHash: h('vectors-v2 entry payload'),
  };
  const max: Entry = {
    index: Number.MAX_SAFE_INTEGER,
    time: MAX_TIME,
    mapRoot: h('vectors-v2 max map root'),
    payloadType: 127,
    payloadHash: h('vectors-v2 max payload'),
  };
  const maxBytes = encodeEntry(max);
  if (maxBytes.length !== ENTRY_MAX_BYTES) throw new Error('the largest entry is not 89 bytes');
  valid.push(
    {
      name: 'smallest',
      description:
        'index 0, time 0, an empty-map root (32 zero bytes), payload type 1: the smallest entry (73 bytes)',
      bytes: encodeEntry({ ...base, index: 0, time: 0, mapRoot: new Uint8Array(32) }),
    },
    {
      name: 'largest-89',
      description:
        'index 2^53 - 1 and time 9999-12-31T23:59:59.999Z (both uint64), payload type 127: the largest entry, 89 bytes',
      bytes: maxBytes,
    },
    {
      name: 'payload-type-2',
      description:
        'payload type 2 (a log record): decodes; a verifier that does not know the type reports INCOMPLETE',
      bytes: encodeEntry({ ...base, payloadType: 2 }),
    },
  );

  /** The six elements of `base` encoded, with element i replaced by raw bytes. */
  const elements = (e: Entry) => [
    enc(2),
    enc(e.index),
    enc(e.time),
    enc(e.mapRoot),
    enc(e.payloadType),
    enc(e.payloadHash),
  ];
  const withElement = (i: number, bytes: Uint8Array, e: Entry = base) => {
    const els = elements(e);
    els[i] = bytes;
    return rawArray(els);
  };
  const baseBytes = encodeEntry(base);

  const invalid: InvalidEntry[] = [];
  const add = (expected: InvalidEntry['expected'], name: string, description: string, bytes: Uint8Array) =>
    invalid.push({ name, description, bytes, expected });

  add('ENTRY_MALFORMED', 'empty', 'no bytes', new Uint8Array(0));
  add('ENTRY_MALFORMED', 'truncated', 'a valid entry without its last byte', baseBytes.slice(0, -1));
  add('ENTRY_MALFORMED', 'trailing-byte', 'a valid entry followed by 00', concat(baseBytes, b(0)));
  add(
    'ENTRY_MALFORMED',
    'over-89-bytes',
    'the largest entry with payload type 128 (cc 80): 90 bytes, refused for its length before anything else',
    encodeEntry({ ...max, payloadType: 128 }),
  );
  add('ENTRY_MALFORMED', 'array-of-5', 'no payloadHash', rawArray(elements(base).slice(0, 5)));
  add('ENTRY_MALFORMED', 'array-of-7', 'an extra element', rawArray([...elements(base), enc(0)]));
  add(
    'ENTRY_MALFORMED',
    'map',
    'a map of the six fields instead of an array',
    encodeCanonical({
      v: 2,
      index: base.index,
      time: base.time,
      mapRoot: base.mapRoot,
      payloadType: 1,
      payloadHash: base.payloadHash,
    }),
  );
  add('ENTRY_MALFORMED', 'uint', 'a bare integer', b(2));
  add('ENTRY_MALFORMED', 'c1', 'the byte c1, never used in MessagePack', b(0xc1));

  add('ENTRY_NON_CANONICAL', 'index-uint8', 'index 3 written as uint8 (cc 03)', withElement(1, b(0xcc, 3)));
  add(
    'ENTRY_NON_CANONICAL',
    'time-uint64-small',
    'time 1000 written as uint64 (cf 00 00 00 00 00 00 03 e8)',
    withElement(2, concat(b(0xcf), be(1000, 8))),
  );
  add(
    'ENTRY_NON_CANONICAL',
    'maproot-bin16',
    'mapRoot with a bin16 header (c5 00 20)',
    withElement(3, binAs(0xc5, base.mapRoot)),
  );
  add(
    'ENTRY_NON_CANONICAL',
    'array16',
    'the array of 6 with an array16 header (dc 00 06)',
    rawArray(elements(base), concat(b(0xdc), be(6, 2))),
  );
  add(
    'ENTRY_NON_CANONICAL',
    'payload-type-negative',
    'payloadType as a negative fixint (ff)',
    withElement(4, b(0xff)),
  );
  add(
    'ENTRY_NON_CANONICAL',
    'time-float',
    'time as a float64 (cb)',
    withElement(
      2,
      (() => {
        const f = new Uint8Array(9);
        f[0] = 0xcb;
        new DataView(f.buffer).setFloat64(1, base.time);
        return f;
      })(),
    ),
  );
  add(
    'ENTRY_NON_CANONICAL',
    'index-2^53',
    'index 2^53 as uint64: above 2^53 - 1, outside canonical MessagePack here',
    withElement(1, concat(b(0xcf), be(2n ** 53n, 8))),
  );

  add('ENTRY_SCHEMA', 'version-1', 'entry version 1', withElement(0, enc(1)));
  add('ENTRY_SCHEMA', 'version-3', 'entry version 3', withElement(0, enc(3)));
  add('ENTRY_SCHEMA', 'index-nil', 'index nil', withElement(1, b(0xc0)));
  add('ENTRY_SCHEMA', 'index-string', 'index "3"', withElement(1, enc('3')));
  add(
    'ENTRY_SCHEMA',
    'time-after-9999',
    'time 253,402,300,800,000 (after 9999-12-31T23:59:59.999Z)',
    withElement(2, enc(MAX_TIME + 1)),
  );
  add('ENTRY_SCHEMA', 'time-true', 'time true', withElement(2, b(0xc3)));
  add('ENTRY_SCHEMA', 'maproot-31', 'a 31-byte mapRoot', withElement(3, enc(base.mapRoot.slice(1))));
  add('ENTRY_SCHEMA', 'maproot-33', 'a 33-byte mapRoot', withElement(3, enc(concat(base.mapRoot, b(0)))));
  add('ENTRY_SCHEMA', 'maproot-string', 'mapRoot as the string "root"', withElement(3, enc('root')));
  add('ENTRY_SCHEMA', 'payload-type-0', 'payloadType 0', withElement(4, enc(0)));
  add('ENTRY_SCHEMA', 'payload-type-128', 'payloadType 128', withElement(4, enc(128)));
  add(
    'ENTRY_SCHEMA',
    'payload-hash-31',
    'a 31-byte payloadHash',
    withElement(5, enc(base.payloadHash.slice(1))),
  );

  const deviations: string[] = [];
  const validJson = valid.map((v) => {
    const code = entryCode(v.bytes);
    if (code !== 'ACCEPTED') deviations.push(`entries.valid ${v.name}: got ${code}`);
    const d = decodeEntry(v.bytes);
    return {
      name: v.name,
      description: v.description,
      entryHex: toHex(v.bytes),
      size: v.bytes.length,
      entry: {
        v: 2,
        index: d.entry.index,
        time: d.entry.time,
        mapRootHex: toHex(d.entry.mapRoot),
        payloadType: d.entry.payloadType,
        payloadHashHex: toHex(d.entry.payloadHash),
      },
      leafHashHex: toHex(d.leafHash),
    };
  });
  const invalidJson = invalid.map((c) => {
    const code = entryCode(c.bytes);
    if (code !== c.expected)
      deviations.push(`entries.invalid ${c.name}: expected ${c.expected}, got ${code}`);
    return { name: c.name, description: c.description, entryHex: toHex(c.bytes), expectedError: c.expected };
  });
  return {
    json: {
      about:
        'Format v2 entries (docs/FORMAT.md §Entries): [2, index, time, mapRoot, payloadType, payloadHash], canonical, at most 89 bytes; ' +
        'leaf hash = SHA-256(00 || entry). `valid`: entries that decode, with the decoded fields and the leaf hash. ' +
        '`invalid`: entries decodeEntry must refuse with `expectedError`. ' +
        'Generated by test/vectors-v2/generate.ts (npm run vectors:v2); do not edit.',
      maxBytes: ENTRY_MAX_BYTES,
      valid: validJson,
      invalid: invalidJson,
    },
    deviations,
  };
}
