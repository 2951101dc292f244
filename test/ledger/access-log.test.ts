/**
 * The hash-chained access log of a ledger server (src/ledger/access-log.ts):
 * lines chain by seq and prev, a built log verifies and reads back as its
 * records, and any edit an attacker makes without rewriting every later line
 * (a character changed, deleted or duplicated, a line duplicated, swapped or
 * inserted, a line edited with its own hash recomputed) is ACCESS_LOG_BROKEN
 * naming the line where the chain breaks.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import {
  type AccessFields,
  type AccessRecord,
  GENESIS_PREV,
  nextAccessLine,
  verifyAccessLog,
} from '../../src/ledger/access-log.js';

const fields = (i: number, over: Partial<AccessFields> = {}): AccessFields => ({
  time: new Date(Date.UTC(2026, 0, 1, 12, 0, i)).toISOString(),
  key: toHex(sha256(utf8(`access key ${i % 3}`))),
  actor: i % 2 === 0 ? toHex(sha256(utf8(`actor ${i}`))) : null,
  name: i % 4 === 1 ? null : `reader ${i}`,
  purpose: i % 3 === 0 ? null : `case NL-${i}`,
  what: `store/entry/${i}`,
  ...over,
});

/** Builds a log of these fields: its records, its lines, and its text (newline-terminated). */
function build(all: readonly AccessFields[]): { records: AccessRecord[]; lines: string[]; text: string } {
  const records: AccessRecord[] = [];
  const lines: string[] = [];
  for (const f of all) {
    const { record, line } = nextAccessLine(records[records.length - 1], f);
    records.push(record);
    lines.push(line);
  }
  return { records, lines, text: lines.map((l) => `${l}\n`).join('') };
}

/** The ACCESS_LOG_BROKEN error verifyAccessLog throws on `text`, with the line it names. */
function brokenAt(text: string): number {
  let err: unknown;
  try {
    verifyAccessLog(text);
  } catch (e) {
    err = e;
  }
  expect(err, 'verifyAccessLog accepted a tampered log').toBeInstanceOf(CustodyError);
  const e = err as CustodyError;
  expect(e.code).toBe('ACCESS_LOG_BROKEN');
  expect(e.category).toBe('verification');
  const line = e.details['line'];
  expect(typeof line).toBe('number');
  expect(e.message).toContain(`access log line ${line}:`);
  return line as number;
}

/** Fields with arbitrary text, including non-ASCII, quotes, backslashes and control characters. */
const anyText = fc.string({ unit: 'binary', maxLength: 24 });
const anyFields: fc.Arbitrary<AccessFields> = fc.record({
  time: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex),
  actor: fc.option(fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toHex), { nil: null }),
  name: fc.option(anyText, { nil: null }),
  purpose: fc.option(anyText, { nil: null }),
  what: anyText,
});
const anyLog = fc.array(anyFields, { minLength: 1, maxLength: 6 }).map(build);

describe('nextAccessLine', () => {
  it('chains: seq counts from 0, the first prev is 64 zeros, each prev is the hash before', () => {
    const { records, lines } = build([0, 1, 2, 3, 4].map((i) => fields(i)));
    expect(GENESIS_PREV).toBe('0'.repeat(64));
    records.forEach((r, i) => {
      expect(r.seq).toBe(i);
      expect(r.prev).toBe(i === 0 ? GENESIS_PREV : records[i - 1]!.hash);
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r).toMatchObject(fields(i));
      // The line is the record's JSON, members in the documented order, hash last.
      expect(lines[i]).toBe(JSON.stringify(r));
      expect(Object.keys(JSON.parse(lines[i]!))).toEqual([
        'seq',
        'time',
        'key',
        'actor',
        'name',
        'purpose',
        'what',
        'prev',
        'hash',
      ]);
    });
    expect(new Set(records.map((r) => r.hash)).size).toBe(records.length);
  });

  it('hashes the documented preimage: the domain line, then the JSON without "hash"', () => {
    const { record } = nextAccessLine(undefined, fields(0));
    const { hash, ...rest } = record;
    expect(hash).toBe(toHex(sha256(utf8(`custody/access-log/v1\n${JSON.stringify(rest)}`))));
  });

  it('the same fields after another line give another hash (the hash covers seq and prev)', () => {
    const first = nextAccessLine(undefined, fields(0)).record;
    const again = nextAccessLine(first, fields(0)).record;
    expect(again.seq).toBe(1);
    expect(again.hash).not.toBe(first.hash);
  });

  it('takes only the documented members of its fields argument', () => {
    const f = { ...fields(1), extra: 'ignored', hash: 'x'.repeat(64), prev: 'y'.repeat(64) } as AccessFields;
    const { record, line } = nextAccessLine(undefined, f);
    expect(record.seq).toBe(0);
    expect(record.prev).toBe(GENESIS_PREV);
    expect(record.hash).not.toBe('x'.repeat(64));
    expect(line).not.toContain('extra');
    expect(verifyAccessLog(line)).toEqual([record]);
  });
});

describe('verifyAccessLog', () => {
  it('an empty text is an empty log', () => {
    expect(verifyAccessLog('')).toEqual([]);
  });

  it('accepts a built log and returns its records, with or without the final newline', () => {
    const { records, text } = build([0, 1, 2, 3, 4, 5].map((i) => fields(i)));
    expect(verifyAccessLog(text)).toEqual(records);
    expect(verifyAccessLog(text.slice(0, -1))).toEqual(records);
  });

  test.prop([anyLog], { numRuns: 100 })('accepts every built log, whatever its text fields hold', (log) => {
    expect(verifyAccessLog(log.text)).toEqual(log.records);
  });

  it('refuses an empty line, a line that is not JSON and a JSON value that is not a record', () => {
    const { text } = build([fields(0), fields(1)]);
    expect(brokenAt(`${text}\n`)).toBe(3);
    expect(brokenAt('\n')).toBe(1);
    expect(brokenAt('not json\n')).toBe(1);
    expect(brokenAt('null\n')).toBe(1);
    expect(brokenAt('[]\n')).toBe(1);
    expect(brokenAt(`${text}{"seq":2}\n`)).toBe(3);
  });

  it('refuses a line whose members are reordered or re-spaced (its bytes are what the hash covers)', () => {
    const { records, lines } = build([fields(0), fields(1)]);
    const r = records[1]!;
    // The same members, the hash first.
    const { hash, ...rest } = r;
    const reordered = JSON.stringify({ hash, ...rest });
    expect(reordered).not.toBe(lines[1]);
    expect(JSON.parse(reordered)).toEqual(r);
    expect(brokenAt(`${lines[0]}\n${reordered}\n`)).toBe(2);
    expect(brokenAt(`${lines[0]}\n${JSON.stringify(r, null, 1).replaceAll('\n', '')}\n`)).toBe(2);
  });

  it('refuses a record whose fields have the wrong types', () => {
    const { records } = build([fields(0)]);
    const r = records[0]!;
    for (const bad of [
      { ...r, seq: '0' },
      { ...r, time: 0 },
      { ...r, key: null },
      { ...r, actor: 1 },
      { ...r, name: false },
      { ...r, purpose: [] },
      { ...r, what: null },
      { ...r, prev: null },
      { ...r, hash: 1 },
    ])
      expect(brokenAt(JSON.stringify(bad))).toBe(1);
  });

  it('a log whose first line does not start from 64 zeros is broken at line 1', () => {
    const { lines } = build([fields(0), fields(1), fields(2)]);
    // A log cut at its head: lines 2.. alone no longer start the chain.
    expect(brokenAt(lines.slice(1).join('\n'))).toBe(1);
  });
});

describe('tampering breaks the chain at the line tampered with', () => {
  /** Which (1-based) line of `text` holds character `pos`. */
  const lineOf = (text: string, pos: number) => text.slice(0, pos).split('\n').length;

  test.prop(
    [
      anyLog.chain((log) =>
        fc.record({
          log: fc.constant(log),
          pos: fc.nat({ max: log.text.length - 1 }),
          ch: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        }),
      ),
    ],
    { numRuns: 300 },
  )('any single character changed', ({ log, pos, ch }) => {
    fc.pre(log.text[pos] !== ch);
    const text = log.text.slice(0, pos) + ch + log.text.slice(pos + 1);
    expect(brokenAt(text)).toBe(lineOf(log.text, pos));
  });

  test.prop(
    [
      anyLog.chain((log) =>
        // Every character but the final newline (without it, the text is the same log).
        fc.record({ log: fc.constant(log), pos: fc.nat({ max: log.text.length - 2 }) }),
      ),
    ],
    { numRuns: 300 },
  )('any single character deleted', ({ log, pos }) => {
    const text = log.text.slice(0, pos) + log.text.slice(pos + 1);
    expect(brokenAt(text)).toBe(lineOf(log.text, pos));
  });

  test.prop(
    [anyLog.chain((log) => fc.record({ log: fc.constant(log), pos: fc.nat({ max: log.text.length - 1 }) }))],
    { numRuns: 300 },
  )('any single character duplicated', ({ log, pos }) => {
    const text = log.text.slice(0, pos + 1) + log.text.slice(pos);
    // A doubled newline is an empty line after the line it ends.
    expect(brokenAt(text)).toBe(lineOf(log.text, pos) + (log.text[pos] === '\n' ? 1 : 0));
  });

  test.prop(
    [anyLog.chain((log) => fc.record({ log: fc.constant(log), i: fc.nat({ max: log.lines.length - 1 }) }))],
    { numRuns: 100 },
  )('any line duplicated: broken at the copy', ({ log, i }) => {
    const lines = [...log.lines];
    lines.splice(i + 1, 0, lines[i]!);
    expect(brokenAt(lines.join('\n'))).toBe(i + 2);
  });

  test.prop(
    [
      fc.array(anyFields, { minLength: 2, maxLength: 6 }).chain((all) => {
        const log = build(all);
        return fc
          .uniqueArray(fc.nat({ max: all.length - 1 }), { minLength: 2, maxLength: 2 })
          .map(([a, b]) => ({ log, i: Math.min(a!, b!), j: Math.max(a!, b!) }));
      }),
    ],
    { numRuns: 100 },
  )('any two lines swapped: broken at the first of them', ({ log, i, j }) => {
    const lines = [...log.lines];
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    expect(brokenAt(lines.join('\n'))).toBe(i + 1);
  });

  test.prop(
    [
      anyLog.chain((log) =>
        fc.record({
          log: fc.constant(log),
          // Before the last line: a well-formed line put after the last one is an append.
          at: fc.nat({ max: log.lines.length - 1 }),
          f: anyFields,
        }),
      ),
    ],
    { numRuns: 100 },
  )('a well-chained line inserted: broken at the line after it', ({ log, at, f }) => {
    const inserted = nextAccessLine(log.records[at - 1], f).line;
    const lines = [...log.lines];
    lines.splice(at, 0, inserted);
    // The inserted line itself follows; the one it displaced does not.
    expect(brokenAt(lines.join('\n'))).toBe(at + 2);
  });

  test.prop(
    [
      anyLog.chain((log) =>
        fc.record({
          log: fc.constant(log),
          at: fc.nat({ max: log.lines.length }),
          line: fc.oneof(
            // a line of another log, at the same position
            fc.array(anyFields, { minLength: 1, maxLength: 6 }).map((o) => build(o).lines.at(-1)!),
            fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\n')),
          ),
        }),
      ),
    ],
    { numRuns: 200 },
  )(
    'any foreign line inserted anywhere, the end included: broken at it or right after it',
    ({ log, at, line }) => {
      const lines = [...log.lines];
      lines.splice(at, 0, line);
      const n = brokenAt(lines.map((l) => `${l}\n`).join(''));
      expect([at + 1, at + 2]).toContain(n);
    },
  );

  test.prop(
    [
      fc.array(anyFields, { minLength: 2, maxLength: 6 }).chain((all) =>
        fc.record({
          log: fc.constant(build(all)),
          at: fc.nat({ max: all.length - 2 }),
          what: fc.string({ maxLength: 20 }),
        }),
      ),
    ],
    { numRuns: 100 },
  )('a line edited with its hash recomputed still breaks the chain at the next line', ({ log, at, what }) => {
    const old = log.records[at]!;
    fc.pre(old.what !== what);
    // The attacker edits one record and makes its line self-consistent again.
    const forged = nextAccessLine(log.records[at - 1], { ...old, what });
    expect(forged.record.prev).toBe(old.prev);
    expect(forged.record.hash).not.toBe(old.hash);
    const lines = [...log.lines];
    lines[at] = forged.line;
    expect(brokenAt(lines.join('\n'))).toBe(at + 2);
    // Only rewriting every later line hides the edit: the documented limit (the head hash must be kept elsewhere).
    let last = forged.record;
    for (let k = at + 1; k < lines.length; k++) {
      const next = nextAccessLine(last, log.records[k]!);
      lines[k] = next.line;
      last = next.record;
    }
    expect(verifyAccessLog(lines.join('\n')).at(-1)!.hash).not.toBe(log.records.at(-1)!.hash);
  });
});
