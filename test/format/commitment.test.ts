import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/crypto/sha256.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { commit, opens } from '../../src/format/commitment.js';
import type { FormatError } from '../../src/format/format-error.js';
import { KINDS_V2 } from '../../src/format/kinds.js';
import { checkOpenings, commitFields, decodeOpenings, encodeOpenings } from '../../src/format/openings.js';
import { seededRandom } from './v2-fixtures.js';

const salt = new Uint8Array(32).fill(7);

describe('commitments', () => {
  it('are SHA-256 of the canonical array [domain, field, salt, value]', () => {
    expect(commit('name', { salt, value: 'J. de Vries' })).toEqual(
      sha256(encodeCanonical(['custody/commit/v2', 'name', salt, 'J. de Vries'])),
    );
  });

  it('bind the field name and the salt', () => {
    const c = commit('name', { salt, value: 'J. de Vries' });
    expect(opens(c, 'name', { salt, value: 'J. de Vries' })).toBe(true);
    expect(opens(c, 'org', { salt, value: 'J. de Vries' })).toBe(false);
    expect(opens(c, 'name', { salt: new Uint8Array(32).fill(8), value: 'J. de Vries' })).toBe(false);
  });

  it('cannot be opened by shifting bytes between salt and value', () => {
    // Without fixed lengths, salt ‖ value = salt[0..31] ‖ (salt[31] ‖ value) would match.
    const c = commit('name', { salt, value: 'Alice' });
    const shifted = { salt: salt.slice(0, 31), value: `\u0007Alice` };
    expect(opens(c, 'name', shifted)).toBe(false);
    const longer = { salt: new Uint8Array([...salt, 0x41]), value: 'lice' };
    expect(opens(c, 'name', longer)).toBe(false);
    expect(() => commit('name', shifted)).toThrow(RangeError);
    // Nor between the field name and the value.
    expect(opens(commit('na', { salt, value: 'meAlice' }), 'name', { salt, value: 'Alice' })).toBe(false);
  });

  it('openings round-trip and are checked against the body', () => {
    const spec = KINDS_V2['transfer']!;
    const { body, openings } = commitFields(
      spec,
      { to: new Uint8Array(32), reason: 'EIO execution', legalBasis: 'EIO 1' },
      seededRandom('t'),
    );
    expect(body['legalBasis']).toBe('EIO 1');
    expect(body['reason']).toEqual(commit('reason', openings['reason']!));
    const decoded = decodeOpenings(encodeOpenings(openings));
    expect(decoded).toEqual(openings);
    expect(() => checkOpenings(spec, 'transfer', body, decoded)).not.toThrow();
    expect(() => checkOpenings(spec, 'transfer', body, {})).not.toThrow(); // withheld
    const code = (f: () => void) => {
      try {
        f();
        return undefined;
      } catch (e) {
        return (e as FormatError).code;
      }
    };
    expect(
      code(() => checkOpenings(spec, 'transfer', body, { reason: { salt, value: 'EIO execution' } })),
    ).toBe('OPENING_INVALID');
    expect(code(() => checkOpenings(spec, 'transfer', body, { legalBasis: { salt, value: 'EIO 1' } }))).toBe(
      'OPENING_INVALID',
    );
    // A commitment to text the rules refuse: the opening matches, and is still refused, with its own code.
    const bad = commitFields(
      spec,
      { to: new Uint8Array(32), reason: 'evil\u202eexe.pdf' },
      seededRandom('b'),
    );
    expect(code(() => checkOpenings(spec, 'transfer', bad.body, bad.openings))).toBe('OPENING_TEXT_REFUSED');
    expect(code(() => decodeOpenings(encodeCanonical({ reason: [salt.slice(1), 'x'] })))).toBe(
      'OPENING_INVALID',
    );
    expect(code(() => decodeOpenings(new Uint8Array([0xc1])))).toBe('OPENING_INVALID');
    expect(code(() => decodeOpenings(encodeCanonical([1])))).toBe('OPENING_INVALID');
  });
});
