/**
 * The construction of docs/STATE-MAP.md, checked by hand on small maps: the
 * path hash and its limits, the empty map, one leaf, two leaves sharing a
 * first nibble (a chain branch above the branch that splits them), and
 * deletion re-compacting back to the single-leaf root.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Into, sha256Portable } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { emptyHash, MAX_LEVELS, mapPath, StateMap, verifyMapProof } from '../../src/map/index.js';
import { hex, keysSharingPrefix, refNibble, refPath, unhex } from './reference.js';

const sha = (h: string): string => createHash('sha256').update(Buffer.from(h, 'hex')).digest('hex');
const value = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const NS = 'exhibit';

function expectCode(f: () => unknown, code: string) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('sha256Into', () => {
  it('writes the same digest as the portable SHA-256, at the offset, touching nothing else', () => {
    for (const n of [0, 1, 55, 56, 64, 65, 513, 1077, 5000]) {
      const data = new Uint8Array(n).map((_, i) => (i * 131 + n) & 255);
      const out = new Uint8Array(100).fill(0xaa);
      sha256Into(data, out, 17);
      expect(hex(out.subarray(17, 49))).toBe(hex(sha256Portable(data)));
      expect(out.subarray(0, 17).every((x) => x === 0xaa) && out.subarray(49).every((x) => x === 0xaa)).toBe(
        true,
      );
    }
  });
});

describe('paths', () => {
  it('hash the domain, the namespace length, the namespace and the key', () => {
    // "custody/map/path/v2\n" ‖ 07 ‖ "exhibit" ‖ "EX-1"
    const input = `${Buffer.from('custody/map/path/v2\n').toString('hex')}07${Buffer.from('exhibitEX-1').toString('hex')}`;
    expect(input).toBe('637573746f64792f6d61702f706174682f76320a07' + '65786869626974' + '45582d31');
    expect(hex(mapPath(NS, 'EX-1'))).toBe(sha(input));
    expect(hex(mapPath(NS, new TextEncoder().encode('EX-1')))).toBe(sha(input));
    expect(hex(mapPath(NS, 'EX-1'))).toBe(hex(refPath(NS, 'EX-1')));
  });

  it('keep (namespace, key) pairs apart and accept the limits', () => {
    expect(hex(mapPath('ab', 'c'))).not.toBe(hex(mapPath('a', 'bc')));
    expect(hex(mapPath('!', ''))).toBe(sha(`${Buffer.from('custody/map/path/v2\n').toString('hex')}0121`));
    expect(mapPath('~'.repeat(32), new Uint8Array(1024))).toHaveLength(32);
    expect(mapPath(NS, 'é'.repeat(512))).toHaveLength(32);
  });

  it('refuse namespaces and keys outside the limits (MAP_KEY_INVALID)', () => {
    for (const ns of ['', 'x'.repeat(33), 'a b', 'caf\u00e9', 'a\nb', '\x7f'])
      expectCode(() => mapPath(ns, 'k'), 'MAP_KEY_INVALID');
    expectCode(() => mapPath(NS, new Uint8Array(1025)), 'MAP_KEY_INVALID');
    expectCode(() => mapPath(NS, 'é'.repeat(513)), 'MAP_KEY_INVALID');
    expectCode(() => mapPath(NS, '\ud800'), 'MAP_KEY_INVALID');
    expectCode(() => new StateMap().set(NS, 'k', new Uint8Array(31)), 'MAP_VALUE_INVALID');
    expectCode(() => new StateMap().setAtPath(new Uint8Array(31), value(1)), 'MAP_KEY_INVALID');
  });
});

describe('small maps', () => {
  it('the empty map has root EMPTY (32 zero bytes) and proves every key absent with zero levels', () => {
    const m = new StateMap();
    expect(hex(m.root)).toBe('00'.repeat(32));
    expect(hex(emptyHash())).toBe('00'.repeat(32));
    expect(MAX_LEVELS).toBe(64);
    const p = m.prove(NS, 'EX-1');
    expect(p).toEqual({ levels: [], terminal: { kind: 'absent-empty' } });
    expect(verifyMapProof(m.root, NS, 'EX-1', p)).toEqual({ ok: true, present: false });
  });

  it('one key: the root is its leaf hash, compacted at depth 0', () => {
    const m = new StateMap();
    m.set(NS, 'EX-1', value(7));
    const path = hex(mapPath(NS, 'EX-1'));
    expect(hex(m.root)).toBe(sha(`00${path}${'07'.repeat(32)}`));
    expect(m.size).toBe(1);
    expect(hex(m.get(NS, 'EX-1')!)).toBe('07'.repeat(32));
    expect(m.get(NS, 'EX-2')).toBeUndefined();
    const member = m.prove(NS, 'EX-1');
    expect(member).toEqual({ levels: [], terminal: { kind: 'member', value: value(7) } });
    expect(verifyMapProof(m.root, NS, 'EX-1', member)).toEqual({ ok: true, present: true, value: value(7) });
    const absent = m.prove(NS, 'EX-2');
    expect(absent).toEqual({
      levels: [],
      terminal: { kind: 'absent-leaf', path: unhex(path), value: value(7) },
    });
    expect(verifyMapProof(m.root, NS, 'EX-2', absent)).toEqual({ ok: true, present: false });
  });

  it('two keys sharing their first nibble: a one-child branch above the branch that splits them', () => {
    // The first pair whose paths share nibble 0 and differ at nibble 1.
    const [a, b] = keysSharingPrefix(NS, 'k', 1, 2) as [string, string];
    const pa = refPath(NS, a);
    const pb = refPath(NS, b);
    expect(refNibble(pa, 0)).toBe(refNibble(pb, 0));
    expect(refNibble(pa, 1)).not.toBe(refNibble(pb, 1));
    const m = new StateMap();
    m.set(NS, a, value(1));
    m.set(NS, b, value(2));

    const leafA = sha(`00${hex(pa)}${'01'.repeat(32)}`);
    const leafB = sha(`00${hex(pb)}${'02'.repeat(32)}`);
    const node = (slots: Record<number, string>) =>
      sha(`01${Array.from({ length: 16 }, (_, i) => slots[i] ?? '00'.repeat(32)).join('')}`);
    const inner = node({ [refNibble(pa, 1)]: leafA, [refNibble(pb, 1)]: leafB });
    const root = node({ [refNibble(pa, 0)]: inner });
    expect(hex(m.root)).toBe(root);

    const p = m.prove(NS, a);
    expect(p.levels).toHaveLength(2);
    expect(p.levels[0]).toEqual({ bitmap: 0, siblings: new Uint8Array(0) });
    expect(p.levels[1]).toEqual({ bitmap: 1 << refNibble(pb, 1), siblings: unhex(leafB) });
    expect(p.terminal).toEqual({ kind: 'member', value: value(1) });
    expect(verifyMapProof(m.root, NS, a, p)).toEqual({ ok: true, present: true, value: value(1) });

    // Insertion order does not matter.
    const r = new StateMap();
    r.set(NS, b, value(2));
    r.set(NS, a, value(1));
    expect(hex(r.root)).toBe(root);
  });

  it('deleting re-compacts: back to the single-leaf root, and to the empty root', () => {
    const [a, b, c] = keysSharingPrefix(NS, 'd', 2, 3) as [string, string, string];
    const m = new StateMap();
    m.set(NS, a, value(1));
    const single = hex(m.root);
    m.set(NS, b, value(2));
    m.set(NS, c, value(3));
    expect(m.prove(NS, a).levels.length).toBeGreaterThanOrEqual(3);
    expect(m.delete(NS, c)).toBe(true);
    expect(m.delete(NS, c)).toBe(false);
    expect(m.delete(NS, 'never set')).toBe(false);
    expect(m.delete(NS, b)).toBe(true);
    expect(hex(m.root)).toBe(single);
    expect(m.prove(NS, a)).toEqual({ levels: [], terminal: { kind: 'member', value: value(1) } });
    expect(m.delete(NS, a)).toBe(true);
    expect(hex(m.root)).toBe('00'.repeat(32));
    expect(m.size).toBe(0);
  });

  it('a branch whose only child is a branch of two or more leaves does not collapse', () => {
    // a and b share two nibbles, c shares only the first: deleting c leaves
    // root → (one child) → branch(a, b)… which must stay a chain.
    const [a, b] = keysSharingPrefix(NS, 'e', 3, 2) as [string, string];
    const m = new StateMap();
    m.set(NS, a, value(1));
    m.set(NS, b, value(2));
    const chain = hex(m.root);
    const depth = m.prove(NS, a).levels.length;
    // A third key in another slot of the root, then removed again.
    const c = ['o0', 'o1', 'o2', 'o3', 'o4'].find(
      (k) => refNibble(refPath(NS, k), 0) !== refNibble(refPath(NS, a), 0),
    )!;
    m.set(NS, c, value(3));
    m.delete(NS, c);
    expect(hex(m.root)).toBe(chain);
    expect(m.prove(NS, a).levels.length).toBe(depth);
  });

  it('setting the same value changes nothing; another value changes the root', () => {
    const m = new StateMap();
    m.set(NS, 'x', value(1));
    m.set(NS, 'y', value(2));
    const r = hex(m.root);
    m.set(NS, 'x', value(1));
    expect(hex(m.root)).toBe(r);
    m.set(NS, 'x', value(3));
    expect(hex(m.root)).not.toBe(r);
    m.set(NS, 'x', value(1));
    expect(hex(m.root)).toBe(r);
    expect(m.size).toBe(2);
  });
});
