/**
 * The kinds table is the one place a kind is declared (src/format/kinds.ts):
 * the rules, a timeline's details, the report's wording and the picture's
 * glyphs are keyed by its literal types, so a new kind does not compile until
 * each of them says something about it. These tests pin the runtime side.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/custody/judge.js';
import { type ChainKind, isKind, KINDS_V2 } from '../../src/format/kinds.js';

/** Compile-time: exactly the chain kinds (an extra or a missing key does not compile). */
const CHAIN: Record<ChainKind, true> = {
  register: true,
  transfer: true,
  accept: true,
  reject: true,
  cancel: true,
  examine: true,
  dispose: true,
};

describe('the kinds table', () => {
  it('gives every kind a rule, and nothing else one', () => {
    expect(Object.keys(RULES).sort()).toEqual(Object.keys(KINDS_V2).sort());
  });

  it('ChainKind is exactly the kinds of class chain', () => {
    const chain = Object.entries(KINDS_V2)
      .filter(([, spec]) => spec.class === 'chain')
      .map(([k]) => k);
    expect(chain.sort()).toEqual(Object.keys(CHAIN).sort());
  });

  it('isKind knows the table and nothing from the prototype', () => {
    for (const k of Object.keys(KINDS_V2)) expect(isKind(k)).toBe(true);
    for (const k of ['toString', '__proto__', 'constructor', 'photograph', '']) expect(isKind(k)).toBe(false);
  });
});
