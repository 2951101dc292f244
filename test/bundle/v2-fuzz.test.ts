/**
 * v2 bundles under random damage: whatever happens to the bytes, and
 * whatever is fed in as a bundle, verifyBundleV2 never throws and never
 * returns ok (docs/BUNDLE.md §Verification: total, never ok for anything
 * not checked). decodeBundleV2 throws CustodyError BUNDLE_MALFORMED and
 * nothing else.
 *
 *  - random bytes, with and without the CUSTODY-BUNDLE/2 header;
 *  - one byte flipped at a dense sample of positions of a valid bundle;
 *  - fast-check (fixed seeds): bit flips, byte sets, inserts, deletes and
 *    truncations; and structural edits of the decoded bundle, re-encoded
 *    canonically so that they reach the deeper checks.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BUNDLE_V2_MAGIC,
  type BundleV2,
  decodeBundleV2,
  encodeBundleV2,
} from '../../src/bundle/bundle-v2.js';
import { exportBundleV2 } from '../../src/bundle/export-v2.js';
import { utf8 } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';
import type { BundleV2Trust } from '../../src/verify/bundle-v2.js';
import { verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { bundleWorld, checkpointOf, edit, expectVerified, flip, pinAuthority } from './v2-helpers.js';

let bytes: Uint8Array;
let trust: BundleV2Trust;

beforeAll(async () => {
  const w = await bundleWorld('fuzz ');
  bytes = await exportBundleV2(w.ledger.store, w.ids.get('HDD-01-W1')!, await checkpointOf(w));
  trust = pinAuthority(w, { logKeys: [w.log.publicKey] });
  expectVerified(await verifyBundleV2(bytes, trust));
});

const MAGIC = new TextEncoder().encode(BUNDLE_V2_MAGIC);
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** The contract on hostile input: no exception, never ok. Returns what broke it, or undefined. */
async function broken(input: Uint8Array): Promise<string | undefined> {
  try {
    const v = await verifyBundleV2(input, trust);
    if (v.ok) return 'verified';
  } catch (e) {
    return `threw ${String(e)}`;
  }
  try {
    decodeBundleV2(input);
  } catch (e) {
    if (!(e instanceof CustodyError) || e.code !== 'BUNDLE_MALFORMED') return `decode threw ${String(e)}`;
  }
  return undefined;
}

describe('v2 bundle fuzzing', () => {
  it('random bytes, with and without the header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), fc.boolean(), async (b, header) => {
        const input = header ? Uint8Array.from([...MAGIC, ...b]) : b;
        expect(await broken(input)).toBeUndefined();
      }),
      { seed: 20260301, numRuns: 300 },
    );
  });

  it('one byte flipped at a dense sample of positions', async () => {
    const failures: string[] = [];
    for (let at = 0; at < bytes.length; at += 7) {
      const mask = [0x01, 0x80, 0xff, 0x10][at % 4]!;
      const why = await broken(flip(bytes, at, mask));
      if (why) failures.push(`${at}^${mask}: ${why}`);
    }
    expect(failures).toEqual([]);
  });

  it('random byte-level mutations', async () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        op: fc.constant('insert' as const),
        at: fc.nat(),
        value: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (ms) => {
        let b = bytes;
        for (const m of ms) {
          const at = m.at % b.length;
          if (m.op === 'flip') b = flip(b, at, 1 << m.bit);
          else if (m.op === 'set') b = Uint8Array.from(b).fill(m.value, at, at + 1);
          else if (m.op === 'insert') b = Uint8Array.from([...b.subarray(0, at), m.value, ...b.subarray(at)]);
          else if (m.op === 'delete') b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + 1)]);
          else b = b.subarray(0, at);
        }
        fc.pre(!equal(b, bytes));
        expect(await broken(b)).toBeUndefined();
      }),
      { seed: 42, numRuns: 250 },
    );
  });

  it('random structural edits, re-encoded canonically', async () => {
    const base = decodeBundleV2(bytes);
    type Edit = (b: BundleV2, r: number) => void;
    const pick = <T>(xs: T[], r: number) => xs[r % xs.length]!;
    const edits: Edit[] = [
      (b, r) => b.entries.splice(r % b.entries.length, 1),
      (b, r) => {
        const e = pick(b.entries, r);
        e.index += 1 + (r % 3);
        b.entries.sort((x, y) => x.index - y.index);
        b.entries = b.entries.filter((x, i, a) => i === 0 || a[i - 1]!.index !== x.index);
      },
      (b, r) => {
        const e = pick(b.entries, r);
        e.payload = flip(e.payload, r % e.payload.length);
      },
      (b, r) => pick(b.entries, r).proof.pop(),
      (b, r) => pick(b.entries, r).proof.reverse(),
      // (Dropping openings is withholding, which verifies: moving them elsewhere must not.)
      (b, r) => {
        const from = pick(b.entries, r);
        const to = pick(b.entries, r + 1 + (r % 3));
        // An empty map (0x80) reveals nothing: moving it is withholding too.
        if (from !== to && from.openings && from.openings.length > 1) to.openings = from.openings;
      },
      (b, r) => {
        const e = pick(b.entries, r);
        if (e.openings) e.openings = flip(e.openings, r % e.openings.length);
      },
      (b, r) => b.records.splice(r % b.records.length, 1),
      (b, r) => {
        const x = pick(b.records, r);
        if (x.record) delete x.record;
        else x.record = new Uint8Array([0x80]);
      },
      (b, r) => {
        const x = pick(b.records, r);
        x.proof = flip(x.proof, r % x.proof.length);
      },
      (b, r) => {
        if (b.seen.length > 0) b.seen.splice(r % b.seen.length, 1);
        else b.tail.index += 1;
      },
      (b) => (b.tail.index = Math.max(0, b.tail.index - 1)),
      (b, r) => (b.exhibit = flip(b.exhibit, r % 32)),
      (b) => (b.origin = `${b.origin}x`),
      (b, r) => (b.checkpoint = b.checkpoint.slice(0, r % b.checkpoint.length)),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: edits.length - 1 }), fc.nat()), { minLength: 1, maxLength: 3 }),
        async (picks) => {
          const b = edit(bytes, (x) => {
            for (const [i, r] of picks) edits[i]!(x, r);
          });
          fc.pre(!equal(b, encodeBundleV2(base)));
          expect(await broken(b)).toBeUndefined();
        },
      ),
      { seed: 7, numRuns: 250 },
    );
  });
});

// The v1 malformed-file cases (test/bundle/damage.test.ts) the fuzzing above does not pin down.
describe('malformed v2 files: BUNDLE_MALFORMED, never another exception, never ok', () => {
  const body = (b: BundleV2, change: (m: Record<string, Canonical>) => void = () => {}) => {
    const enc = encodeBundleV2(b).subarray(MAGIC.length);
    const m = (decodeCanonical(enc) as { value: Record<string, Canonical> }).value;
    change(m);
    return encodeCanonical(m);
  };
  const withMagic = (magic: string, enc: Uint8Array) => Uint8Array.from([...utf8(magic), ...enc]);
  const malformed = async (input: Uint8Array, why?: RegExp) => {
    expect(await broken(input)).toBeUndefined();
    let err: unknown;
    try {
      decodeBundleV2(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CustodyError);
    expect((err as CustodyError).code).toBe('BUNDLE_MALFORMED');
    if (why) expect((err as CustodyError).message).toMatch(why);
    const v = await verifyBundleV2(input, trust);
    expect(v.problems.map((p) => p.code)).toContain('BUNDLE_MALFORMED');
  };

  it('the canonical body behind the magic is exactly the file', () => {
    expect(withMagic(BUNDLE_V2_MAGIC, body(decodeBundleV2(bytes)))).toEqual(bytes);
  });

  it('a valid body behind a wrong magic, or with another version', async () => {
    const enc = body(decodeBundleV2(bytes));
    await malformed(enc);
    for (const magic of [
      'CUSTODY-BUNDLE/1\n',
      'CUSTODY-BUNDLE/3\n',
      'CUSTODY-BUNDLE/2\r\n',
      'custody-bundle/2\n',
    ])
      await malformed(withMagic(magic, enc));
    for (const v of [0, 1, 3])
      await malformed(
        withMagic(
          BUNDLE_V2_MAGIC,
          body(decodeBundleV2(bytes), (m) => (m['v'] = v)),
        ),
      );
  });

  it('fields missing, unknown, of the wrong type, or out of bounds', async () => {
    const base = decodeBundleV2(bytes);
    const e0 = base.entries[0]!;
    for (const k of ['v', 'origin', 'exhibit', 'checkpoint', 'entries', 'tail', 'records', 'seen'])
      await malformed(
        withMagic(
          BUNDLE_V2_MAGIC,
          body(base, (m) => delete m[k]),
        ),
      );
    const variants: Record<string, Canonical>[] = [
      { extra: 1 },
      { origin: 7 },
      { origin: 'has a space' },
      { exhibit: 'EX-NOT-AN-ID' },
      { exhibit: new Uint8Array(31) },
      { checkpoint: utf8('bytes') },
      { entries: 'none' },
      { entries: [{ index: 0, entry: e0.entry, payload: e0.payload }] },
      { entries: [{ index: 0, entry: e0.entry, payload: e0.payload, proof: [], x: 1 }] },
      { entries: [{ index: '0', entry: e0.entry, payload: e0.payload, proof: [] }] },
      { entries: [{ index: 0, entry: new Uint8Array(0), payload: e0.payload, proof: [] }] },
      { entries: [{ index: 0, entry: e0.entry, payload: 'text', proof: [] }] },
      { entries: [{ index: 0, entry: e0.entry, payload: e0.payload, proof: [new Uint8Array(31)] }] },
      {
        entries: [
          {
            index: 0,
            entry: e0.entry,
            payload: e0.payload,
            proof: Array.from({ length: 65 }, () => new Uint8Array(32)),
          },
        ],
      },
      { entries: [[0, e0.entry, e0.payload, []]] },
      { tail: 'none' },
      { records: [{ ns: 'exhibit', key: new Uint8Array(32) }] },
      { seen: [{ size: 'one', root: new Uint8Array(32), proof: [] }] },
    ];
    for (const extra of variants)
      await malformed(
        withMagic(
          BUNDLE_V2_MAGIC,
          body(base, (m) => Object.assign(m, extra)),
        ),
      );
    await malformed(withMagic(BUNDLE_V2_MAGIC, encodeCanonical([1, 2, 3])));
  });

  it('trailing bytes after the body', async () => {
    await malformed(Uint8Array.from([...bytes, 0]));
    await malformed(Uint8Array.from([...bytes, ...bytes.subarray(MAGIC.length)]));
  });

  it('truncated at every length (each length of the first KiB, then every 17th)', async () => {
    const failures: string[] = [];
    for (let n = 0; n < bytes.length; n += n < 1024 ? 1 : 17) {
      const why = await broken(bytes.subarray(0, n));
      if (why) failures.push(`${n}: ${why}`);
      let code = 'decoded';
      try {
        decodeBundleV2(bytes.subarray(0, n));
      } catch (e) {
        code = e instanceof CustodyError ? e.code : String(e);
      }
      if (code !== 'BUNDLE_MALFORMED') failures.push(`${n}: ${code}`);
    }
    expect(failures).toEqual([]);
  });
});
