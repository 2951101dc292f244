/**
 * Slab growth (src/map/slabs.ts): the first chunk of branches and of leaves
 * starts small and doubles up to a full chunk, then full chunks follow. A map
 * growing through every step (past 1,024 branches and 8,192 leaves), with
 * deletions reusing freed slots and a snapshot holding old ones, keeps the
 * reference's root; a small map holds kilobytes.
 */
import { describe, expect, it } from 'vitest';
import { StateMap } from '../../src/map/index.js';
import { hex, RefMap, refPath, refRoot } from './reference.js';

const NS = 'exhibit';
const value = (n: number): Uint8Array => new Uint8Array(32).fill(n & 255);

describe('slabs', () => {
  it('grow through the first chunk and past it, keeping every node', () => {
    const m = new StateMap();
    const model = new RefMap();
    const check = () => expect(hex(m.root)).toBe(hex(refRoot(model.entries())));
    for (let i = 0; i < 20_000; i++) {
      m.set(NS, `g${i}`, value(i));
      model.set(refPath(NS, `g${i}`), value(i));
      if ((i & (i + 1)) === 0) check(); // at 1, 3, 7, … 16383
    }
    check();
    expect(m.stats().branches).toBeGreaterThan(1024);
    const snap = m.snapshot();
    const old = hex(m.root);
    for (let i = 0; i < 20_000; i += 2) {
      m.delete(NS, `g${i}`);
      model.delete(refPath(NS, `g${i}`));
    }
    check();
    for (let i = 0; i < 5_000; i++) {
      m.set(NS, `h${i}`, value(i + 1));
      model.set(refPath(NS, `h${i}`), value(i + 1));
    }
    check();
    expect(hex(snap.root)).toBe(old);
    expect(snap.get(NS, 'g0')).toEqual(value(0));
    snap.release();
    expect(m.size).toBe(15_000);
  });

  it('keep a small map small', () => {
    const m = new StateMap();
    for (let i = 0; i < 10; i++) m.set(NS, `s${i}`, value(i));
    expect(m.stats().slabBytes).toBeLessThan(16 * 1024);
  });
});
