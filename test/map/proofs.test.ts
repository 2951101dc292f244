/**
 * Proofs under attack: forged absence next to a compacted leaf, every single
 * mutation of encoded proofs, swapped terminals and changed bitmaps, strict
 * decoding, and hostile inputs. None may verify, and nothing may throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../src/format/canonical.js';
import {
  decodeMapProof,
  encodeMapProof,
  type MapProof,
  mapPath,
  readMapProof,
  StateMap,
  verifyMapProof,
} from '../../src/map/index.js';
import { hex, keysSharingPrefix, refNibble, refPath } from './reference.js';

const NS = 'exhibit';
const value = (n: number): Uint8Array => new Uint8Array(32).fill(n);
const nib0 = (k: string) => refNibble(refPath(NS, k), 0);

/** Never throws, and returns ok: false. */
function refused(root: Uint8Array, key: string, proof: unknown): string {
  let r: ReturnType<typeof verifyMapProof>;
  try {
    r = verifyMapProof(root, NS, key, proof as MapProof);
  } catch (e) {
    throw new Error(`verifyMapProof threw: ${String(e)}`);
  }
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.reason;
}

describe('forged absence next to a compacted leaf', () => {
  // a and k share their first 3 nibbles; the map holds a, compacted at depth 1
  // (the other keys all start with other nibbles).
  const [a, k] = keysSharingPrefix(NS, 'f', 3, 2) as [string, string];
  const others = Array.from({ length: 40 }, (_, i) => `o${i}`).filter((o) => nib0(o) !== nib0(a));
  const m = new StateMap();
  m.set(NS, a, value(1));
  for (const o of others) m.set(NS, o, value(2));
  const root = m.root;

  it('the honest absence proof of k ends at a, one level down', () => {
    const p = m.prove(NS, k);
    expect(p.levels).toHaveLength(1);
    expect(p.terminal).toEqual({ kind: 'absent-leaf', path: refPath(NS, a), value: value(1) });
    expect(verifyMapProof(root, NS, k, encodeMapProof(p))).toEqual({ ok: true, present: false });
  });

  it("a's own leaf cannot prove a absent", () => {
    const p = m.prove(NS, k);
    expect(refused(root, a, p)).toBe('MAP_PROOF_LEAF_IS_KEY');
    expect(refused(root, a, { levels: m.prove(NS, a).levels, terminal: { kind: 'absent-empty' } })).toBe(
      'MAP_PROOF_ROOT_MISMATCH',
    );
  });

  it('once k is in, no old or spliced proof shows k absent', () => {
    const stale = m.prove(NS, k);
    const m2 = new StateMap();
    m2.set(NS, a, value(1));
    for (const o of others) m2.set(NS, o, value(2));
    m2.set(NS, k, value(3));
    const root2 = m2.root;
    const real = m2.prove(NS, k);
    expect(real.levels.length).toBeGreaterThanOrEqual(4);
    expect(refused(root2, k, stale)).toBe('MAP_PROOF_ROOT_MISMATCH');
    // Real upper levels, stopped early at a's old position.
    expect(refused(root2, k, { levels: real.levels.slice(0, 1), terminal: stale.terminal })).toBe(
      'MAP_PROOF_ROOT_MISMATCH',
    );
    // Full depth, with k's slot claimed empty.
    expect(refused(root2, k, { levels: real.levels, terminal: { kind: 'absent-empty' } })).toBe(
      'MAP_PROOF_ROOT_MISMATCH',
    );
    // k's slot claimed to hold a, at every depth: a shares only k's first 3
    // nibbles, so below depth 3 it cannot sit there at all; above, the hashes
    // differ (or the cut falls on a one-child branch, which no proof ends at).
    for (let d = 1; d <= real.levels.length; d++)
      expect(refused(root2, k, { levels: real.levels.slice(0, d), terminal: stale.terminal })).toMatch(
        d <= 3 ? /^MAP_PROOF_(ROOT_MISMATCH|NOT_COMPACTED)$/ : /^MAP_PROOF_LEAF_OFF_PATH$/,
      );
    // A leaf that cannot sit on k's path at that depth is refused before hashing.
    const off = m2.prove(NS, others[0]!);
    expect(
      refused(root2, k, {
        levels: real.levels,
        terminal: { kind: 'absent-leaf', path: refPath(NS, others[0]!), value: value(2) },
      }),
    ).toBe('MAP_PROOF_LEAF_OFF_PATH');
    expect(off.terminal.kind).toBe('member');
  });
});

describe('mutated proofs', () => {
  const m = new StateMap();
  for (let i = 0; i < 600; i++) m.set(NS, `m${i}`, value(i % 250));
  const [d1, d2] = keysSharingPrefix(NS, 'g', 4, 2) as [string, string];
  m.set(NS, d1, value(9));
  m.set(NS, d2, value(9));
  const root = m.root;
  const cases: [string, string][] = [
    ['member (deep chain)', d1],
    ['member', 'm7'],
    ['absent', 'missing-1'],
    ['absent', 'missing-2'],
    ['absent', 'missing-3'],
  ];

  it.each(cases)('%s %s: every flipped byte, truncation and extension is refused', (_, key) => {
    const bytes = encodeMapProof(m.prove(NS, key));
    expect(verifyMapProof(root, NS, key, bytes).ok).toBe(true);
    const reasons = new Set<string>();
    for (let i = 0; i < bytes.length; i++)
      for (const x of [0x01, 0x80, 0xff]) {
        const b = Uint8Array.from(bytes);
        b[i]! ^= x;
        reasons.add(refused(root, key, b));
      }
    for (let n = 0; n < bytes.length; n++) reasons.add(refused(root, key, bytes.subarray(0, n)));
    for (const extra of [0x00, 0xc0, 0x90]) reasons.add(refused(root, key, Uint8Array.of(...bytes, extra)));
    expect(reasons.has('MAP_PROOF_ROOT_MISMATCH')).toBe(true);
    expect(reasons.has('MAP_PROOF_MALFORMED')).toBe(true);
  });

  it('random multi-byte mutations never verify and never throw', () => {
    const proofs = cases.map(([, key]) => ({ key, bytes: encodeMapProof(m.prove(NS, key)) }));
    fc.assert(
      fc.property(
        fc.nat(proofs.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }),
        (which, edits) => {
          const { key, bytes } = proofs[which]!;
          const b = Uint8Array.from(bytes);
          for (const [at, x] of edits) b[at % b.length]! ^= x;
          if (hex(b) !== hex(bytes)) refused(root, key, b);
        },
      ),
      { seed: 0x6d7574, numRuns: 3000 },
    );
  });

  it('changed bitmaps, swapped terminals, other roots are refused', () => {
    const p = m.prove(NS, d1);
    const last = p.levels.length - 1;
    for (let l = 0; l <= last; l++)
      for (let bit = 0; bit < 16; bit++) {
        const levels = p.levels.map((x, i) =>
          i === l ? { bitmap: x.bitmap ^ (1 << bit), siblings: x.siblings } : x,
        );
        const reason = refused(root, d1, { levels, terminal: p.terminal });
        expect(['MAP_PROOF_SIBLINGS', 'MAP_PROOF_OWN_BIT', 'MAP_PROOF_NOT_COMPACTED']).toContain(reason);
        // With a made-up sibling hash to match the new bitmap, the root no longer matches.
        const own = refNibble(refPath(NS, d1), l);
        if (bit === own) continue;
        const before = [...Array(bit).keys()].filter((i) => (p.levels[l]!.bitmap >>> i) & 1).length;
        const s = p.levels[l]!.siblings;
        const siblings =
          (p.levels[l]!.bitmap >>> bit) & 1
            ? Uint8Array.of(...s.subarray(0, 32 * before), ...s.subarray(32 * before + 32))
            : Uint8Array.of(...s.subarray(0, 32 * before), ...value(5), ...s.subarray(32 * before));
        const adjusted = p.levels.map((x, i) => (i === l ? { bitmap: x.bitmap ^ (1 << bit), siblings } : x));
        expect(['MAP_PROOF_ROOT_MISMATCH', 'MAP_PROOF_NOT_COMPACTED']).toContain(
          refused(root, d1, { levels: adjusted, terminal: p.terminal }),
        );
      }
    const terminals = [
      { kind: 'absent-empty' },
      { kind: 'absent-leaf', path: refPath(NS, d2), value: value(9) },
      { kind: 'absent-leaf', path: refPath(NS, d1), value: value(9) },
      { kind: 'member', value: value(8) },
    ];
    for (const terminal of terminals) refused(root, d1, { levels: p.levels, terminal });
    // Dropping or adding a level.
    refused(root, d1, { levels: p.levels.slice(1), terminal: p.terminal });
    refused(root, d1, { levels: p.levels.slice(0, -1), terminal: p.terminal });
    refused(root, d1, { levels: [...p.levels, p.levels[last]!], terminal: p.terminal });
    // Another root, another key.
    const other = Uint8Array.from(root);
    other[0]! ^= 1;
    expect(refused(other, d1, p)).toBe('MAP_PROOF_ROOT_MISMATCH');
    // d2 is d1's sibling at the last level: its bit is set in d1's proof.
    expect(refused(root, d2, p)).toBe('MAP_PROOF_OWN_BIT');
    refused(root, 'm7', p);
    expect(refused(new StateMap().root, d1, p)).toBe('MAP_PROOF_ROOT_MISMATCH');
  });
});

describe('strict decoding', () => {
  const m = new StateMap();
  for (let i = 0; i < 50; i++) m.set(NS, `s${i}`, value(i + 1));
  const p = m.prove(NS, 's1');
  const wire = (levels: unknown[], terminal: unknown) => encodeCanonical([levels, terminal] as never);
  const levels = p.levels.map((l) => [l.bitmap, l.siblings]);
  const ok = wire(levels, [0, value(2)]);
  const err = (b: Uint8Array) => {
    const d = decodeMapProof(b);
    return 'error' in d ? d.error : 'ok';
  };

  it('accepts exactly the canonical encoding', () => {
    expect(hex(encodeMapProof(p))).toBe(hex(ok));
    expect(err(ok)).toBe('ok');
    expect(verifyMapProof(m.root, NS, 's1', ok).ok).toBe(true);
  });

  it('refuses malformed shapes', () => {
    const bad = [
      new Uint8Array(0),
      Uint8Array.of(...ok, 0),
      ok.subarray(0, ok.length - 1),
      encodeCanonical([levels]),
      encodeCanonical([levels, [0, value(2)], 0]),
      encodeCanonical({ levels: 1 }),
      wire(levels, [0]),
      wire(levels, [0, value(2), value(2)]),
      wire(levels, [0, new Uint8Array(31)]),
      wire(levels, [1, value(2)]),
      wire(levels, [2, value(2)]),
      wire(levels, [2, value(2), new Uint8Array(33)]),
      wire(levels, [3]),
      wire(levels, 'member'),
      wire([[1]], [1]),
      wire([[1, value(1), 0]], [1]),
      wire([[0x10000, value(1)]], [1]),
      wire([['1', value(1)]], [1]),
      wire([[1, 'x'.repeat(32)]], [1]),
      wire([{ b: 1 }], [1]),
    ];
    for (const b of bad) expect(err(b), hex(b)).toBe('MAP_PROOF_MALFORMED');
  });

  it('refuses non-canonical MessagePack', () => {
    // A level bitmap 5 written as uint16 (cd 00 05) instead of a fixint.
    const oneLevel = wire([[5, new Uint8Array(64)]], [1]);
    expect(err(oneLevel)).toBe('ok');
    const at = hex(oneLevel).indexOf('9205c440');
    expect(at).toBeGreaterThan(0);
    const longInt = Buffer.from(hex(oneLevel).replace('9205c440', '92cd0005c440'), 'hex');
    expect(err(longInt)).toBe('MAP_PROOF_NON_CANONICAL');
    // bin16 header for a 64-byte value.
    const longBin = Buffer.from(hex(oneLevel).replace('9205c440', '9205c50040'), 'hex');
    expect(err(longBin)).toBe('MAP_PROOF_NON_CANONICAL');
  });

  it('refuses sibling bytes that do not match the bitmap, too many levels, and uncompacted ends', () => {
    expect(err(wire([[3, new Uint8Array(32)]], [1]))).toBe('MAP_PROOF_SIBLINGS');
    expect(err(wire([[3, new Uint8Array(96)]], [1]))).toBe('MAP_PROOF_SIBLINGS');
    expect(err(wire([[0xffff, new Uint8Array(512)]], [1]))).toBe('MAP_PROOF_OWN_BIT');
    const level = [1, new Uint8Array(32)];
    expect(err(wire(Array(64).fill(level), [1]))).toBe('ok');
    expect(err(wire(Array(65).fill(level), [1]))).toBe('MAP_PROOF_TOO_DEEP');
    expect(err(wire([level, [0, new Uint8Array(0)]], [1]))).toBe('MAP_PROOF_NOT_COMPACTED');
    expect(err(wire([[0, new Uint8Array(0)], level], [1]))).toBe('ok');
  });

  it("refuses a bitmap with the path's own bit set (at verification, which knows the path)", () => {
    const own = refNibble(refPath(NS, 's1'), 0);
    const l0 = p.levels[0]!;
    const forged = { bitmap: l0.bitmap | (1 << own), siblings: Uint8Array.of(...l0.siblings, ...value(0)) };
    const b = wire([[forged.bitmap, forged.siblings], ...levels.slice(1)], [0, value(2)]);
    expect(err(b)).toBe('ok');
    expect(refused(m.root, 's1', b)).toBe('MAP_PROOF_OWN_BIT');
  });
});

describe('hostile inputs', () => {
  const m = new StateMap();
  m.set(NS, 'a', value(1));
  m.set(NS, 'b', value(2));
  const p = m.prove(NS, 'a');
  const throwing = new Proxy(
    {},
    {
      get() {
        throw new Error('boom');
      },
    },
  );

  it('never throw, and name the reason', () => {
    expect(refused(m.root, 'a', throwing)).toBe('MAP_PROOF_MALFORMED');
    expect(refused(m.root, 'a', null)).toBe('MAP_PROOF_MALFORMED');
    expect(refused(m.root, 'a', 'proof')).toBe('MAP_PROOF_MALFORMED');
    expect(refused(m.root, 'a', { levels: throwing, terminal: p.terminal })).toBe('MAP_PROOF_MALFORMED');
    expect(refused(m.root, 'a', { levels: [throwing], terminal: p.terminal })).toBe('MAP_PROOF_MALFORMED');
    expect(refused(m.root, 'a', { levels: p.levels, terminal: throwing })).toBe('MAP_PROOF_MALFORMED');
    expect(refused(m.root, 'a', { levels: { length: 1, 0: p.levels[0] }, terminal: p.terminal })).toBe(
      'MAP_PROOF_MALFORMED',
    );
    const fakeBytes = Object.create(Uint8Array.prototype) as object;
    expect(refused(m.root, 'a', { levels: [], terminal: { kind: 'member', value: fakeBytes } })).toBe(
      'MAP_PROOF_MALFORMED',
    );
    expect(
      refused(m.root, 'a', { levels: [{ bitmap: 1.5, siblings: new Uint8Array(32) }], terminal: p.terminal }),
    ).toBe('MAP_PROOF_MALFORMED');
    expect(refused(m.root, 'a', { levels: Array(65).fill(p.levels[0]), terminal: p.terminal })).toBe(
      'MAP_PROOF_TOO_DEEP',
    );
    expect(refused(new Uint8Array(31), 'a', p)).toBe('MAP_ROOT_INVALID');
    expect(refused(throwing as Uint8Array, 'a', p)).toBe('MAP_ROOT_INVALID');
    expect(verifyMapProof(m.root, '', 'a', p)).toEqual({ ok: false, reason: 'MAP_KEY_INVALID' });
    expect(verifyMapProof(m.root, NS, throwing as string, p)).toEqual({
      ok: false,
      reason: 'MAP_KEY_INVALID',
    });
    expect(decodeMapProof(throwing as Uint8Array)).toEqual({ error: 'MAP_PROOF_MALFORMED' });
    expect(readMapProof(p)).toEqual({ proof: p });
  });

  it('a proof object read once is copied: later changes to it do not matter', () => {
    const r = readMapProof(p);
    expect('proof' in r).toBe(true);
    if (!('proof' in r)) return;
    (p.levels[0]!.siblings as Uint8Array)[0]! ^= 1;
    expect(verifyMapProof(m.root, NS, 'a', r.proof).ok).toBe(true);
    expect(verifyMapProof(m.root, NS, 'a', p).ok).toBe(false);
    expect(hex(mapPath(NS, 'a'))).toBe(hex(refPath(NS, 'a')));
  });
});
