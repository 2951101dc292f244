/**
 * v2 bundles with archived checkpoints and renewals under random damage
 * (docs/BUNDLE.md §Archived checkpoints, §Renewals): whatever happens to the
 * bytes, verifyBundleV2 never throws, never stops on an internal error
 * (VERIFIER_FAILED) and never returns VERIFIED; decodeBundleV2 throws
 * CustodyError BUNDLE_MALFORMED and nothing else. As test/bundle/v2-fuzz.test.ts,
 * with fixed seeds:
 *
 *  - one byte flipped anywhere (random position, random mask), and in the
 *    archives and renewals fields in particular;
 *  - structural edits of the decoded bundle, re-encoded canonically so that
 *    they reach the deeper checks: an archive's payload, entry, proof or
 *    consistency hashes replaced by random ones of the same shape, or its
 *    index changed; renewals dropped, duplicated or reordered; a byte of a
 *    renewal flipped;
 *  - random bytes as a renewal, and as an archive's payload.
 *
 * The genuine bundle: the log's ML-DSA-44 key enrolled, an exhibit, a
 * checkpoint C1 (size 8) archived in the log, the bundle exported at C2
 * (size 9, dual-signed) with that archive, and one renewal to C3 (size 12,
 * dual-signed). It verifies (asserted), so the fuzz is meaningful.
 *
 * The one change a byte flip may make that still verifies: a signature line
 * of a note turned into a line by a key the verifier does not know (its name
 * or key ID changed), which signed-note §Signatures says verifiers ignore, as
 * they ignore any line anyone may add. Nothing else is exempt.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BundleV2,
  type BundleV2Archive,
  decodeBundleV2,
  encodeBundleV2,
} from '../../src/bundle/bundle-v2.js';
import { exportFreshness } from '../../src/bundle/export-freshness.js';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { decodeFreshness, encodeFreshness, FRESHNESS_MAGIC } from '../../src/bundle/freshness.js';
import { appendRenewal } from '../../src/bundle/renewal.js';
import { toBase64, toHex, utf8 } from '../../src/bytes.js';
import { formatNote, parseNote } from '../../src/checkpoint/note.js';
import { mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { archiveLatestCheckpoint } from '../../src/ledger/archive.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { type BundleV2Trust, verifyBundleV2 } from '../../src/verify/bundle-v2.js';
import { dualKeyWorld, growTo } from '../proofs/helpers.js';
import { flip } from './v2-helpers.js';

const logPq = mlDsa44SignerFromSeed(sha256(utf8('archives fuzz log')));
const T2 = 1_900_000_000; // seconds: when C2 is dual-signed

/** The genuine bundle: one archive, one renewal. */
let bytes: Uint8Array;
/** The same with a second renewal (to C4, size 14): renewals to drop, duplicate and reorder. */
let twice: Uint8Array;
let trust: BundleV2Trust;

beforeAll(async () => {
  const { w, exhibit } = await dualKeyWorld(logPq, 8);
  await signLogCheckpoint(w.view, w.log);
  await archiveLatestCheckpoint(w.ledger, w.view);
  const c2 = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 });
  const bundle = await exportBundle(w.view, exhibit, c2.note);
  await growTo(w, 12);
  const c3 = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 + 60 });
  bytes = appendRenewal(bundle, await exportFreshness(w.view, bundle, c3.note));
  await growTo(w, 14);
  const c4 = await signLogCheckpoint(w.view, w.log, { mlDsa: logPq, now: T2 + 120 });
  twice = appendRenewal(bytes, await exportFreshness(w.view, bytes, c4.note));
  trust = { authorityKeys: [w.authority.publicKey], quorum: 0 };

  const b = decodeBundleV2(bytes);
  expect(b.archives).toHaveLength(1);
  expect(b.renewals).toHaveLength(1);
  expect(decodeBundleV2(twice).renewals).toHaveLength(2);
  for (const [genuine, size] of [
    [bundle, 9],
    [bytes, 12],
    [twice, 14],
  ] as const) {
    const v = await verifyBundleV2(genuine, trust);
    expect(v.problems).toEqual([]);
    expect(v.verdict).toBe('VERIFIED');
    expect(v.ok).toBe(true);
    expect(v.coveredSize).toBe(size);
    // The archive is checked, not skipped: it dates the first 8 entries.
    expect(v.timeEvidence).toEqual([{ index: 8, size: 8 }]);
  }
});

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * When note `mut` is note `orig` with exactly one signature line changed: whether that line is now
 * by a key that made one of orig's lines (so the verifier knows it and must check it) or by another.
 */
function lineChange(mut: string, orig: string): 'known key' | 'unknown key' | undefined {
  let m: ReturnType<typeof parseNote>;
  let o: ReturnType<typeof parseNote>;
  try {
    m = parseNote(mut);
    o = parseNote(orig);
  } catch {
    return undefined;
  }
  if (m.text !== o.text || m.signatures.length !== o.signatures.length) return undefined;
  const known = new Set(o.signatures.map((s) => `${s.name} ${toHex(s.keyId)}`));
  const changed = m.signatures.filter((s, i) => s.line !== o.signatures[i]!.line);
  if (changed.length !== 1) return undefined;
  return known.has(`${changed[0]!.name} ${toHex(changed[0]!.keyId)}`) ? 'known key' : 'unknown key';
}

/**
 * When `input` is `genuine` but for one signature line of its checkpoint or of a renewal's
 * checkpoint: which note, and whether that line is by a known key.
 */
function changedLine(
  input: Uint8Array,
  genuine: Uint8Array,
): { where: string; by: 'known key' | 'unknown key' } | undefined {
  const o = decodeBundleV2(genuine);
  let m: BundleV2;
  try {
    m = decodeBundleV2(input);
  } catch {
    return undefined;
  }
  if (m.checkpoint !== o.checkpoint) {
    const by = lineChange(m.checkpoint, o.checkpoint);
    const rest = equal(encodeBundleV2({ ...m, checkpoint: o.checkpoint }), genuine);
    return by && rest ? { where: 'the checkpoint', by } : undefined;
  }
  const [mr, or] = [m.renewals ?? [], o.renewals ?? []];
  const i = mr.findIndex((r, k) => or[k] === undefined || !equal(r, or[k]!));
  if (mr.length !== or.length || i < 0) return undefined;
  try {
    const [fm, fo] = [decodeFreshness(mr[i]!), decodeFreshness(or[i]!)];
    const by = lineChange(fm.checkpoint, fo.checkpoint);
    const rest =
      equal(encodeFreshness({ ...fm, checkpoint: fo.checkpoint }), or[i]!) &&
      equal(encodeBundleV2({ ...m, renewals: or }), genuine);
    return by && rest ? { where: `renewal ${i}'s checkpoint`, by } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The contract on hostile input: no exception, no internal error, never VERIFIED but for a line
 * by an unknown key (the file comment). Returns what broke it, or undefined.
 */
async function broken(input: Uint8Array, genuine = bytes): Promise<string | undefined> {
  try {
    const v = await verifyBundleV2(input, trust);
    const codes = v.problems.map((p) => p.code);
    if (codes.includes('VERIFIER_FAILED')) return 'VERIFIER_FAILED: the verifier stopped on an exception';
    if (v.ok || v.verdict === 'VERIFIED') {
      const c = changedLine(input, genuine);
      if (c?.by !== 'unknown key')
        return `verified (ok ${v.ok}, verdict ${v.verdict})${c ? `, though ${c.where} carries a damaged signature line by a key the verifier knows` : ''}`;
    }
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

/** Where `part` sits in `whole` (its first occurrence). */
function spanOf(whole: Uint8Array, part: Uint8Array): { at: number; length: number } {
  outer: for (let i = 0; i + part.length <= whole.length; i++) {
    for (let j = 0; j < part.length; j++) if (whole[i + j] !== part[j]) continue outer;
    return { at: i, length: part.length };
  }
  throw new Error('not found');
}

/** Decodes `genuine`, edits it and re-encodes it; undefined when the edit changed nothing. */
function edited(genuine: Uint8Array, change: (b: BundleV2) => void): Uint8Array | undefined {
  const b = decodeBundleV2(genuine);
  change(b);
  const out = encodeBundleV2(b);
  return equal(out, genuine) ? undefined : out;
}

const mask = fc.integer({ min: 1, max: 255 });

describe('bundles with archives and renewals: one byte flipped', () => {
  it('anywhere in the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: bytes.length - 1 }), mask, async (at, m) => {
        expect(await broken(flip(bytes, at, m))).toBeUndefined();
      }),
      { seed: 20260601, numRuns: 200 },
    );
  });

  it('inside the archive item or the renewal', async () => {
    const b = decodeBundleV2(bytes);
    const a = b.archives![0]!;
    const spans = [
      spanOf(bytes, a.entry),
      spanOf(bytes, a.payload),
      ...a.proof.map((h) => spanOf(bytes, h)),
      ...a.consistency.map((h) => spanOf(bytes, h)),
      spanOf(bytes, b.renewals![0]!),
    ];
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: spans.length - 1 }), fc.nat(), mask, async (s, r, m) => {
        const { at, length } = spans[s]!;
        expect(await broken(flip(bytes, at + (r % length), m))).toBeUndefined();
      }),
      { seed: 20260602, numRuns: 200 },
    );
  });
});

describe('bundles with archives and renewals: structural edits, re-encoded canonically', () => {
  it('an archive’s payload, entry, proof or consistency hashes replaced, or its index changed', async () => {
    const a = decodeBundleV2(bytes).archives![0]!;
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const same = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
    // Tagged, so that a counterexample reads as what was done.
    const edit = fc.oneof(
      // (a) random bytes of the same shape …
      fc.record({ op: fc.constant('payload' as const), value: same(a.payload.length) }),
      fc.record({ op: fc.constant('entry' as const), value: same(a.entry.length) }),
      fc.record({ op: fc.constant('proof' as const), at: fc.nat(), value: hash }),
      fc.record({ op: fc.constant('consistency' as const), at: fc.nat(), value: hash }),
      // … or one byte of them flipped, which keeps the rest of their structure
      fc.record({
        op: fc.constant('flip' as const),
        field: fc.constantFrom('payload' as const, 'entry' as const),
        at: fc.nat(),
        mask,
      }),
      // proofs shortened, lengthened, reversed, swapped
      fc.record({
        op: fc.constantFrom(
          'pop proof' as const,
          'pop consistency' as const,
          'reverse consistency' as const,
          'push proof' as const,
          'push consistency' as const,
          'swap proofs' as const,
        ),
      }),
      // (d) the index: near it, at or beyond the checkpoint's size, or anywhere
      fc.record({
        op: fc.constant('index' as const),
        value: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.maxSafeNat()),
      }),
    );
    const apply = (x: BundleV2Archive, e: typeof edit extends fc.Arbitrary<infer E> ? E : never) => {
      const some = new Uint8Array(32).fill(0x5a);
      switch (e.op) {
        case 'payload':
        case 'entry':
          x[e.op] = e.value;
          break;
        case 'proof':
        case 'consistency':
          if (x[e.op].length > 0) x[e.op][e.at % x[e.op].length] = e.value;
          break;
        case 'flip':
          x[e.field] = flip(x[e.field], e.at % x[e.field].length, e.mask);
          break;
        case 'pop proof':
          x.proof.pop();
          break;
        case 'pop consistency':
          x.consistency.pop();
          break;
        case 'reverse consistency':
          x.consistency.reverse();
          break;
        case 'push proof':
          x.proof.push(some);
          break;
        case 'push consistency':
          x.consistency.push(some);
          break;
        case 'swap proofs':
          [x.proof, x.consistency] = [x.consistency, x.proof];
          break;
        case 'index':
          x.index = e.value;
          break;
      }
    };
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
        const b = edited(bytes, (x) => {
          for (const e of edits) apply(x.archives![0]!, e);
        });
        fc.pre(b !== undefined);
        expect(await broken(b!)).toBeUndefined();
      }),
      { seed: 20260603, numRuns: 150 },
    );
  });

  it('renewals dropped, duplicated or reordered: only the genuine prefixes verify', async () => {
    const genuine = decodeBundleV2(twice).renewals!;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: genuine.length - 1 }), { maxLength: 4 }), async (order) => {
        const b = encodeBundleV2({ ...decodeBundleV2(twice), renewals: order.map((i) => genuine[i]!) });
        if (order.every((i, k) => i === k)) {
          // A genuine bundle renewed fewer times (none, once, twice): nothing hostile.
          const v = await verifyBundleV2(b, trust);
          expect([v.verdict, v.problems]).toEqual(['VERIFIED', []]);
        } else expect(await broken(b, twice)).toBeUndefined();
      }),
      { seed: 20260604, numRuns: 40 },
    );
  });

  it('one byte of a renewal flipped', async () => {
    const genuine = decodeBundleV2(twice).renewals!;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: genuine.length - 1 }), fc.nat(), mask, async (i, at, m) => {
        const b = edited(twice, (x) => {
          x.renewals![i] = flip(x.renewals![i]!, at % x.renewals![i]!.length, m);
        });
        expect(await broken(b!, twice)).toBeUndefined();
      }),
      { seed: 20260605, numRuns: 150 },
    );
  });
});

describe('bundles with archives and renewals: random bytes', () => {
  const random = fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.boolean());
  const withMagic = (b: Uint8Array, magic: string) => Uint8Array.from([...utf8(magic), ...b]);

  it('random bytes appended as a renewal, or in place of the renewal, with and without the header', async () => {
    await fc.assert(
      fc.asyncProperty(random, fc.boolean(), async ([r, header], append) => {
        const fresh = header ? withMagic(r, FRESHNESS_MAGIC) : r;
        const b = edited(bytes, (x) => (x.renewals = append ? [...x.renewals!, fresh] : [fresh]));
        expect(await broken(b!)).toBeUndefined();
      }),
      { seed: 20260606, numRuns: 100 },
    );
  });

  it('random bytes as an archive’s payload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 1024 }), async (p) => {
        const b = edited(bytes, (x) => (x.archives![0]!.payload = p));
        fc.pre(b !== undefined);
        expect(await broken(b!)).toBeUndefined();
      }),
      { seed: 20260607, numRuns: 100 },
    );
  });
});

/**
 * What the byte flips above find in a renewal's checkpoint, pinned down: a line by the log's
 * enrolled ML-DSA-44 key that does not verify is a known key's bad signature (signed-note), on a
 * renewal's checkpoint or on a freshness file given beside the bundle as on the bundle's own.
 */
describe('the log’s ML-DSA-44 line on a newer checkpoint', () => {
  /** The note with one byte flipped inside the signature of its second line, the log's ML-DSA-44 one. */
  const damageMlDsaLine = (note: string) => {
    const p = parseNote(note);
    const [ed, pq] = p.signatures;
    expect(pq).toBeDefined();
    const raw = Uint8Array.from([...pq!.keyId, ...pq!.signature]);
    // Past the key ID (4) and the timestamp (8): inside the ML-DSA-44 signature itself.
    raw[4 + 8 + 100]! ^= 0x01;
    const line = `${pq!.line.slice(0, pq!.line.lastIndexOf(' ') + 1)}${toBase64(raw)}\n`;
    return formatNote(p.text, [ed!.line, line, ...p.signatures.slice(2).map((s) => s.line)]);
  };
  const damagedRenewal = (b: BundleV2) => {
    const f = decodeFreshness(b.renewals![0]!);
    return encodeFreshness({ ...f, checkpoint: damageMlDsaLine(f.checkpoint) });
  };

  it('a damaged line on the bundle’s own checkpoint fails the bundle', async () => {
    const b = decodeBundleV2(bytes);
    const v = await verifyBundleV2(
      encodeBundleV2({ ...b, checkpoint: damageMlDsaLine(b.checkpoint) }),
      trust,
    );
    expect(v.verdict).toBe('FAILED');
    expect(v.problems.map((p) => p.code)).toContain('CHECKPOINT_SIGNATURE_INVALID');
  });

  it('a damaged line on a renewal’s checkpoint is not VERIFIED either', async () => {
    const b = decodeBundleV2(bytes);
    const v = await verifyBundleV2(encodeBundleV2({ ...b, renewals: [damagedRenewal(b)] }), trust);
    expect(v.verdict).not.toBe('VERIFIED');
  });

  it('nor on the checkpoint of a freshness file given beside the bundle', async () => {
    const b = decodeBundleV2(bytes);
    const bare = edited(bytes, (x) => delete x.renewals)!;
    expect((await verifyBundleV2(bare, trust, { fresh: b.renewals![0]! })).verdict).toBe('VERIFIED');
    const v = await verifyBundleV2(bare, trust, { fresh: damagedRenewal(b) });
    expect(v.verdict).not.toBe('VERIFIED');
  });
});
