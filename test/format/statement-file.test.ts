/**
 * Statement files (docs/FORMAT.md §Statement files): what `--offline` writes
 * and `submit` reads. A file round-trips; anything else — random bytes, a
 * flipped bit, an extra key, openings that do not open — is refused with a
 * FormatError and never throws anything else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../src/format/canonical.js';
import { FormatError } from '../../src/format/format-error.js';
import { encodeOpenings } from '../../src/format/openings.js';
import { encodeStatementFile, readStatementFile } from '../../src/format/statement-file.js';
import { history } from './v2-fixtures.js';

const codeOf = (bytes: Uint8Array): string | undefined => {
  try {
    readStatementFile(bytes);
    return undefined;
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    return e.code;
  }
};

describe('statement files', () => {
  const all = history();
  const reg = all.find((m) => m.statement.kind === 'register')!;
  const file = encodeStatementFile({ statement: reg.bytes, openings: encodeOpenings(reg.openings) });

  it('round-trip every fixture statement with its openings', () => {
    for (const m of all) {
      const openings = Object.keys(m.openings).length ? encodeOpenings(m.openings) : undefined;
      const r = readStatementFile(encodeStatementFile({ statement: m.bytes, openings }));
      expect(r.decoded.id).toEqual(m.id);
      expect(r.statement).toEqual(m.bytes);
      expect(r.openings).toEqual(openings);
    }
  });

  it('refuse a file of another shape, with STATEMENT_FILE_INVALID', () => {
    const bad = (m: Record<string, unknown>) => codeOf(encodeCanonical(m as never));
    expect(bad({ custody: 'statement', v: 1, statement: reg.bytes, extra: 1 })).toBe(
      'STATEMENT_FILE_INVALID',
    );
    expect(bad({ custody: 'bundle', v: 1, statement: reg.bytes })).toBe('STATEMENT_FILE_INVALID');
    expect(bad({ custody: 'statement', v: 2, statement: reg.bytes })).toBe('STATEMENT_FILE_INVALID');
    expect(bad({ custody: 'statement', v: 1 })).toBe('STATEMENT_FILE_INVALID');
    expect(codeOf(new Uint8Array(0))).toBe('STATEMENT_FILE_INVALID');
    expect(codeOf(new Uint8Array(256 * 1024 + 1))).toBe('STATEMENT_FILE_INVALID');
  });

  it('refuse openings that do not open their commitment, and a statement whose signature fails', () => {
    const wrong = encodeOpenings({
      description: { salt: reg.openings['description']!.salt, value: 'Another disk' },
    });
    expect(codeOf(encodeStatementFile({ statement: reg.bytes, openings: wrong }))).toBe('OPENING_INVALID');
    const forged = Uint8Array.from(reg.bytes);
    forged[forged.length - 1]! ^= 1; // in the signature
    expect(codeOf(encodeStatementFile({ statement: forged, openings: undefined }))).toBe(
      'STATEMENT_SIGNATURE_INVALID',
    );
  });

  it('property: random bytes and any single-byte change are refused with a FormatError, never a crash', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (b) => {
        expect(codeOf(b)).toBeDefined();
      }),
    );
    fc.assert(
      fc.property(fc.nat(file.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const b = Uint8Array.from(file);
        b[at]! ^= x;
        expect(codeOf(b)).toBeDefined();
      }),
    );
  });
});
