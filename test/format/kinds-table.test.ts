/**
 * The kinds table is the one place a kind is declared (src/format/kinds.ts):
 * the rules, a timeline's details, the report's wording and the picture's
 * glyphs are keyed by its literal types, so a new kind does not compile until
 * each of them says something about it. These tests pin the runtime side.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/custody/judge.js';
import {
  CHAIN_KINDS,
  type ChainKind,
  chainView,
  isChainKind,
  isKind,
  KINDS_V2,
} from '../../src/format/kinds.js';
import { EVENT_WORDING } from '../../src/report/wording.js';

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

  it('gives every chain kind a view, and no ledger kind one', () => {
    for (const [k, spec] of Object.entries(KINDS_V2))
      expect(spec.chain !== undefined, k).toBe(spec.class === 'chain');
    expect([...CHAIN_KINDS].sort()).toEqual(Object.keys(CHAIN).sort());
    for (const k of ['genesis', 'enrol', 'toString', '']) expect(isChainKind(k)).toBe(false);
  });

  it('a kind that ends a hand-over (receive, return) says in its wording how it ended; no other kind does', () => {
    for (const k of CHAIN_KINDS) {
      const ends = ['receive', 'return'].includes(chainView(k).custody);
      expect(EVENT_WORDING[k].ended !== undefined, k).toBe(ends);
    }
  });

  it('only kinds that re-compute digests record the seal state, and only registration opens custody', () => {
    for (const k of CHAIN_KINDS) {
      const v = chainView(k);
      if (v.sealState) expect(v.recomputes, k).toBe(true);
      expect(v.custody === 'register', k).toBe(k === 'register');
      // A kind that records digests it re-computed has a digests field to record them in.
      if (v.recomputes) expect(Object.keys(KINDS_V2[k]!.versions[1]!)).toContain('digests');
    }
  });
});
