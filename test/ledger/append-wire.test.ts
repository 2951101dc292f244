/**
 * The append protocol's bodies (src/ledger/append-wire.ts): requests and
 * answers round-trip; a request that is not exactly the documented shape is
 * APPEND_REQUEST_MALFORMED (input), an answer that is not is STORE_CORRUPT,
 * an error code the server sends that this version does not know is
 * SERVER_ERROR, and no input at all makes either decoder throw anything but a
 * CustodyError.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { concat, utf8 } from '../../src/bytes.js';
import { ERROR_CODES, VERDICT_CODES } from '../../src/error-codes.js';
import { CustodyError } from '../../src/errors.js';
import { type Canonical, encodeCanonical } from '../../src/format/canonical.js';
import {
  type AppendItem,
  type AppendResult,
  decodeAppendAnswer,
  decodeAppendRequest,
  encodeAppendAnswer,
  encodeAppendRequest,
  MAX_APPEND_BATCH,
} from '../../src/ledger/append-wire.js';
import { PROBLEM_CODES, type ProblemCode } from '../../src/problem-codes.js';

function thrown(fn: () => unknown): CustodyError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    return e as CustodyError;
  }
  throw new Error('expected a CustodyError, nothing was thrown');
}
const malformedRequest = (body: Uint8Array) => {
  const e = thrown(() => decodeAppendRequest(body));
  expect(e.code).toBe('APPEND_REQUEST_MALFORMED');
  expect(e.category).toBe('input');
  return e;
};
const corruptAnswer = (body: Uint8Array, expected: number) => {
  const e = thrown(() => decodeAppendAnswer(body, expected));
  expect(e.code).toBe('STORE_CORRUPT');
  return e;
};

const bin = fc.uint8Array({ maxLength: 48 });
const item: fc.Arbitrary<AppendItem> = fc.oneof(
  fc.record({ statement: bin }),
  fc.record({ statement: bin, openings: bin }),
);
const CATEGORIES = ['verification', 'input', 'custody', 'unavailable', 'internal'] as const;
const VERDICTS: readonly string[] = VERDICT_CODES;
/** Every code a server may send back as it is (any other becomes SERVER_ERROR). */
const SENDABLE = [
  ...ERROR_CODES.filter((c) => !VERDICTS.includes(c)),
  ...(Object.keys(PROBLEM_CODES) as ProblemCode[]),
];
const result: fc.Arbitrary<AppendResult> = fc.oneof(
  fc.record({
    index: fc.maxSafeNat(),
    id: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    leafHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    time: fc.maxSafeNat(),
    receipt: fc.string({ maxLength: 60 }),
  }),
  fc.record({
    index: fc.maxSafeNat(),
    id: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    leafHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    time: fc.maxSafeNat(),
    duplicate: fc.constant(true as const),
    receipt: fc.string({ maxLength: 60 }),
  }),
  fc.record({
    error: fc.record({
      code: fc.constantFrom(...SENDABLE),
      message: fc.string({ maxLength: 40 }),
      category: fc.constantFrom(...CATEGORIES),
    }),
  }),
);

const st = (n: number) => utf8(`statement ${n}`);

describe('requests', () => {
  test.prop([fc.array(item, { minLength: 1, maxLength: 20 })], { numRuns: 200 })(
    'decodeAppendRequest(encodeAppendRequest(items)) is items',
    (items) => {
      const body = encodeAppendRequest(items);
      expect(decodeAppendRequest(body)).toEqual(items);
      // Canonical: the same items always encode to the same bytes.
      expect(encodeAppendRequest(decodeAppendRequest(body))).toEqual(body);
    },
  );

  it('encodes the documented shape: {statements: [{statement, openings?}]}', () => {
    const body = encodeAppendRequest([{ statement: st(1) }, { statement: st(2), openings: st(3) }]);
    expect(body).toEqual(
      encodeCanonical({ statements: [{ statement: st(1) }, { statement: st(2), openings: st(3) }] }),
    );
  });

  it('carries 1 to MAX_APPEND_BATCH statements, no more and no fewer', () => {
    expect(MAX_APPEND_BATCH).toBe(1024);
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ statement: Uint8Array.of(i & 0xff) }));
    expect(decodeAppendRequest(encodeAppendRequest(many(1)))).toHaveLength(1);
    expect(decodeAppendRequest(encodeAppendRequest(many(MAX_APPEND_BATCH)))).toHaveLength(MAX_APPEND_BATCH);
    expect(malformedRequest(encodeAppendRequest([])).message).toMatch(/1 to 1024 statements/);
    expect(malformedRequest(encodeAppendRequest(many(MAX_APPEND_BATCH + 1))).message).toMatch(
      /1 to 1024 statements/,
    );
  });

  it.each<[string, Canonical]>([
    ['a map without statements', {}],
    ['a list', [{ statement: st(1) }]],
    ['nil', null],
    ['bytes', st(1)],
    ['statements that are not a list', { statements: { statement: st(1) } }],
    ['statements as bytes', { statements: st(1) }],
    ['an unknown top-level field', { statements: [{ statement: st(1) }], signature: st(2) }],
    ['an unknown field of a statement', { statements: [{ statement: st(1), time: 1 }] }],
    ['an unknown field beside openings', { statements: [{ statement: st(1), openings: st(2), x: null }] }],
    ['a statement that is a string', { statements: [{ statement: 'statement' }] }],
    ['a statement that is a list of bytes', { statements: [{ statement: [st(1)] }] }],
    ['a missing statement', { statements: [{ openings: st(1) }] }],
    ['an item that is bytes', { statements: [st(1)] }],
    ['an item that is nil', { statements: [null] }],
    ['openings that are a string', { statements: [{ statement: st(1), openings: 'o' }] }],
    ['openings that are nil', { statements: [{ statement: st(1), openings: null }] }],
    ['openings that are a map', { statements: [{ statement: st(1), openings: { description: 'x' } }] }],
    ['a good statement, then a bad one', { statements: [{ statement: st(1) }, { statement: 2 }] }],
  ])('refuses %s', (_, value) => {
    malformedRequest(encodeCanonical(value));
  });

  it('refuses what is not canonical msgpack', () => {
    const good = encodeAppendRequest([{ statement: st(1) }]);
    expect(decodeAppendRequest(good)).toEqual([{ statement: st(1) }]);
    const noncanonical = [
      new Uint8Array(0),
      // trailing bytes after the value
      concat(good, Uint8Array.of(0xc0)),
      // the same map with its key as str8 (0xd9) instead of fixstr
      concat(Uint8Array.of(0x81, 0xd9, 10), utf8('statements'), good.slice(12)),
      // an array length as array16 (0xdc) instead of fixarray
      concat(good.slice(0, 12), Uint8Array.of(0xdc, 0x00, 0x01), good.slice(13)),
      // a float
      Uint8Array.of(0xcb, 0, 0, 0, 0, 0, 0, 0, 0),
      // the body cut short
      good.slice(0, good.length - 1),
    ];
    expect(good[0]).toBe(0x81);
    expect(good[1]).toBe(0xaa);
    expect(good[12]).toBe(0x91);
    for (const body of noncanonical)
      expect(malformedRequest(body).message).toBe('the append request is not canonical msgpack');
    // Keys out of order: openings must sort before statement.
    const unsorted = concat(
      Uint8Array.of(0x81, 0xaa),
      utf8('statements'),
      Uint8Array.of(0x91, 0x82, 0xa9),
      utf8('statement'),
      Uint8Array.of(0xc4, 1, 7, 0xa8),
      utf8('openings'),
      Uint8Array.of(0xc4, 1, 8),
    );
    expect(malformedRequest(unsorted).message).toBe('the append request is not canonical msgpack');
  });
});

describe('answers', () => {
  test.prop([fc.array(result, { maxLength: 12 })], { numRuns: 200 })(
    'decodeAppendAnswer(encodeAppendAnswer(results), results.length) is results',
    (results) => {
      const body = encodeAppendAnswer(results);
      expect(decodeAppendAnswer(body, results.length)).toEqual(results);
    },
  );

  test.prop([fc.array(result, { maxLength: 12 }), fc.nat(14)])(
    'the answer must carry exactly one result per statement sent',
    (results, expected) => {
      fc.pre(expected !== results.length);
      corruptAnswer(encodeAppendAnswer(results), expected);
    },
  );

  const ok = {
    index: 5,
    id: new Uint8Array(32),
    leafHash: new Uint8Array(32).fill(1),
    time: 1_700_000_000_000,
    receipt: 'receipt text',
  };
  it('drops a duplicate flag that is not set, and keeps one that is', () => {
    const body = encodeAppendAnswer([{ ...ok }, { ...ok, duplicate: true }]);
    const [a, b] = decodeAppendAnswer(body, 2);
    expect(a).not.toHaveProperty('duplicate');
    expect(b).toMatchObject({ duplicate: true });
  });

  // A hostile or newer server cannot put a code into the typed union: an unknown one, a verdict's
  // (cli/exit.ts would take its exit code from it) or an Object.prototype name is SERVER_ERROR,
  // with the server's category and the original code, when shaped like one, before the message.
  it.each<[string, string]>([
    ['SOMETHING_NEW', 'SOMETHING_NEW: m'],
    ['VERIFICATION_FAILED', 'VERIFICATION_FAILED: m'],
    ['VERIFICATION_UNANCHORED', 'VERIFICATION_UNANCHORED: m'],
    ['toString', 'm'],
    ['__proto__', 'm'],
    ['', 'm'],
    ['NOT_HOLDER\u001b[2J', 'm'],
  ])('narrows the error code %j to SERVER_ERROR', (code, message) => {
    const body = encodeCanonical({ results: [{ error: { code, message: 'm', category: 'custody' } }] });
    expect(decodeAppendAnswer(body, 1)).toEqual([
      { error: { code: 'SERVER_ERROR', message, category: 'custody' } },
    ]);
  });

  it('keeps an error code or a problem code it knows', () => {
    for (const code of ['LEDGER_MOVED', 'NOT_HOLDER', 'STATEMENT_SIGNATURE_INVALID', 'INTERNAL']) {
      const body = encodeCanonical({ results: [{ error: { code, message: 'm', category: 'input' } }] });
      expect(decodeAppendAnswer(body, 1)).toEqual([{ error: { code, message: 'm', category: 'input' } }]);
    }
  });

  it.each<[string, Canonical]>([
    ['a list', []],
    ['a map without results', {}],
    ['results that are not a list', { results: { 0: ok } }],
    ['a result that is nil', { results: [null] }],
    ['a negative-free but string index', { results: [{ ...ok, index: '5' }] }],
    ['a missing id', { results: [{ ...ok, id: undefined }] }],
    ['an id that is a string', { results: [{ ...ok, id: 'id' }] }],
    ['a missing leafHash', { results: [{ ...ok, leafHash: undefined }] }],
    ['a time that is bytes', { results: [{ ...ok, time: new Uint8Array(8) }] }],
    ['a receipt that is bytes', { results: [{ ...ok, receipt: utf8('r') }] }],
    ['a duplicate that is false', { results: [{ ...ok, duplicate: false }] }],
    ['a duplicate that is 1', { results: [{ ...ok, duplicate: 1 }] }],
    ['an error that is a string', { results: [{ error: 'refused' }] }],
    ['an error without a code', { results: [{ error: { message: 'm', category: 'input' } }] }],
    [
      'an error whose message is nil',
      { results: [{ error: { code: 'C', message: null, category: 'input' } }] },
    ],
    [
      'an error of an unknown category',
      { results: [{ error: { code: 'C', message: 'm', category: 'fatal' } }] },
    ],
    ['an error without a category', { results: [{ error: { code: 'C', message: 'm' } }] }],
  ])('refuses %s', (_, value) => {
    corruptAnswer(encodeCanonical(value), 1);
  });

  // The documented shape: id and leafHash are bin32 (a statement's identity, an RFC 9162 leaf hash).
  it('refuses an id or a leafHash that is not 32 bytes', () => {
    for (const n of [0, 31, 33, 64]) {
      corruptAnswer(encodeCanonical({ results: [{ ...ok, id: new Uint8Array(n) }] }), 1);
      corruptAnswer(encodeCanonical({ results: [{ ...ok, leafHash: new Uint8Array(n) }] }), 1);
    }
  });

  it('refuses what is not canonical msgpack', () => {
    const good = encodeAppendAnswer([ok]);
    expect(decodeAppendAnswer(good, 1)).toEqual([ok]);
    corruptAnswer(concat(good, Uint8Array.of(0)), 1);
    corruptAnswer(good.slice(0, -1), 1);
    corruptAnswer(new Uint8Array(0), 0);
  });
});

describe('no input makes the decoders throw anything but a CustodyError', () => {
  const key = fc.constantFrom(
    'statements',
    'statement',
    'openings',
    'results',
    'index',
    'id',
    'leafHash',
    'time',
    'receipt',
    'duplicate',
    'error',
    'code',
    'message',
    'category',
    '__proto__',
    'constructor',
    'x',
  );
  const leaf: fc.Arbitrary<Canonical> = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.oneof(fc.nat(300), fc.maxSafeNat()),
    fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...CATEGORIES)),
    fc.uint8Array({ maxLength: 33 }),
  );
  const value: fc.Arbitrary<Canonical> = fc.letrec<{ v: Canonical }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('v'), { maxLength: 4 }),
      fc.array(fc.tuple(key, tie('v')), { maxLength: 5 }).map((kv) => Object.fromEntries(kv) as Canonical),
    ),
  })).v;
  // Arbitrary bytes, canonical values of nearly the right shape, and those values cut or extended.
  const body = fc.oneof(
    fc.uint8Array({ maxLength: 80 }),
    value.map((v) => encodeCanonical(v)),
    fc.tuple(value, fc.nat(), fc.uint8Array({ maxLength: 3 })).map(([v, cut, tail]) => {
      const b = encodeCanonical(v);
      return concat(b.slice(0, cut % (b.length + 1)), tail);
    }),
  );

  const onlyCustody = (fn: () => unknown, code: string) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(CustodyError);
      expect((e as CustodyError).code).toBe(code);
    }
  };

  test.prop([body], { numRuns: 1000 })('decodeAppendRequest', (b) => {
    onlyCustody(() => decodeAppendRequest(b), 'APPEND_REQUEST_MALFORMED');
  });

  test.prop([body, fc.nat(4)], { numRuns: 1000 })('decodeAppendAnswer', (b, n) => {
    onlyCustody(() => decodeAppendAnswer(b, n), 'STORE_CORRUPT');
  });

  test.prop([fc.array(fc.tuple(key, value), { maxLength: 4 })], { numRuns: 300 })(
    'a request item with extra fields is refused, whatever they hold',
    (extra) => {
      const fields = Object.fromEntries(extra.filter(([k]) => k !== 'statement' && k !== 'openings'));
      fc.pre(Object.keys(fields).length > 0);
      malformedRequest(encodeCanonical({ statements: [{ statement: st(0), ...fields }] }));
    },
  );
});
