/**
 * Evidence bundles under random damage: whatever happens to the bytes of a
 * valid bundle, verifyBundle either throws CustodyError BUNDLE_MALFORMED or
 * returns ok=false — never ok=true, never another exception.
 *
 *  - one byte flipped at EVERY position of a small bundle (rotating masks);
 *  - a dense sample of positions in a larger, cross-border bundle;
 *  - fast-check (fixed seeds): bit flips, byte sets, inserts, deletes and
 *    truncations of the bytes, and structural edits of the decoded bundle
 *    re-encoded canonically (so they reach the deeper checks).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/export.js';
import { type Bundle, decodeBundle, encodeBundle } from '../../src/bundle/format.js';
import type { BundleVerifyOptions } from '../../src/bundle/verify.js';
import { makeWorld } from '../helpers/world.js';
import {
  accept,
  EIO,
  examine,
  expectVerified,
  prngBytes,
  register,
  transfer,
  trustAuthority,
  verifyHostile,
} from './helpers.js';

interface Fixture {
  bytes: Uint8Array;
  opts: BundleVerifyOptions;
}

/** Genesis, one enrolment, one registration, with checkpoint and head: about 2 KB. */
async function small(): Promise<Fixture> {
  const w = await makeWorld();
  const x = await register(w);
  const { bytes } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
  return { bytes, opts: trustAuthority(w) };
}

/** Ten entries, NL → NL → DE, every one of them needed: about 5 KB. */
async function medium(): Promise<Fixture> {
  const w = await makeWorld();
  const x = await register(w);
  await transfer(w, x, w.nlCollector, w.nlExaminer);
  await accept(w, x, w.nlExaminer);
  await examine(w, x, w.nlExaminer);
  await transfer(w, x, w.nlExaminer, w.deCustodian, EIO);
  await accept(w, x, w.deCustodian);
  const { bytes } = await exportBundle(w.ledger, x, { logKey: w.authority.signer });
  return { bytes, opts: trustAuthority(w) };
}

const MASKS = [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff];

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Verifies mutated bytes; returns a description of the failure of the contract, or undefined. */
async function contractBroken(bytes: Uint8Array, f: Fixture): Promise<string | undefined> {
  try {
    const v = await verifyHostile(bytes, f.opts);
    if (v !== 'malformed' && v.ok) return 'verified as ok';
    if (v !== 'malformed' && v.problems.length === 0 && v.checks.every((c) => c.verdict !== 'fail'))
      return 'not ok, but without any problem or failed check';
    return undefined;
  } catch (e) {
    return `threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

let smallF: Fixture;
let mediumF: Fixture;
beforeAll(async () => {
  [smallF, mediumF] = await Promise.all([small(), medium()]);
  expectVerified(await verifyHostileOk(smallF), ['witness-quorum', 'file-digests']);
  expectVerified(await verifyHostileOk(mediumF), ['witness-quorum', 'file-digests']);
});

async function verifyHostileOk(f: Fixture) {
  const v = await verifyHostile(f.bytes, f.opts);
  if (v === 'malformed') throw new Error('fixture is malformed');
  return v;
}

describe('one byte flipped', () => {
  it('at every position of a small bundle (the mask rotates through the bits, and 0xff)', async () => {
    const f = smallF;
    expect(f.bytes.length).toBeGreaterThan(1000);
    const failures: string[] = [];
    for (let i = 0; i < f.bytes.length; i++) {
      const m = f.bytes.slice();
      const mask = MASKS[i % MASKS.length]!;
      m[i]! ^= mask;
      const broken = await contractBroken(m, f);
      if (broken) failures.push(`byte ${i} ^ 0x${mask.toString(16)}: ${broken}`);
    }
    expect(failures).toEqual([]);
  });

  it('at a dense sample of a larger bundle (the first 256 bytes, then every 23rd)', async () => {
    const f = mediumF;
    expect(f.bytes.length).toBeGreaterThan(4000);
    const failures: string[] = [];
    for (let i = 0, k = 0; i < f.bytes.length; i += i < 256 ? 1 : 23, k++) {
      const m = f.bytes.slice();
      const mask = MASKS[k % MASKS.length]!;
      m[i]! ^= mask;
      const broken = await contractBroken(m, f);
      if (broken) failures.push(`byte ${i} ^ 0x${mask.toString(16)}: ${broken}`);
    }
    expect(failures).toEqual([]);
  });
});

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; byte: number }
  | { kind: 'delete'; at: number }
  | { kind: 'truncate'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(bytes: Uint8Array, ms: readonly Mutation[]): Uint8Array {
  let b = bytes.slice();
  for (const m of ms) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    if (m.kind === 'flip') b[at]! ^= 1 << m.bit;
    else if (m.kind === 'set') b[at] = m.byte;
    else if (m.kind === 'insert') b = Uint8Array.of(...b.subarray(0, at), m.byte, ...b.subarray(at));
    else if (m.kind === 'delete') b = Uint8Array.of(...b.subarray(0, at), ...b.subarray(at + 1));
    else b = b.slice(0, at);
  }
  return b;
}

describe('fast-check: random byte-level damage (fixed seeds)', () => {
  it.each([
    ['small', 0x5eed01],
    ['medium', 0x5eed02],
  ] as const)('%s bundle: never ok, never an exception other than BUNDLE_MALFORMED', async (which, seed) => {
    const f = which === 'small' ? smallF : mediumF;
    await fc.assert(
      fc.asyncProperty(fc.array(mutationArb, { minLength: 1, maxLength: 4 }), async (ms) => {
        const m = mutate(f.bytes, ms);
        fc.pre(!equal(m, f.bytes));
        const broken = await contractBroken(m, f);
        if (broken) throw new Error(broken);
      }),
      { seed, numRuns: 150 },
    );
  });
});

type Edit =
  | { kind: 'drop'; i: number }
  | { kind: 'reseq'; i: number; seq: number }
  | { kind: 'swapProofs'; i: number; j: number }
  | { kind: 'swapRecords'; i: number; j: number }
  | { kind: 'proofHash'; i: number; h: number; seed: number }
  | { kind: 'proofDrop'; i: number }
  | { kind: 'proofAdd'; i: number; seed: number }
  | { kind: 'recordByte'; i: number; at: number; bit: number }
  | { kind: 'checkpointLine'; seed: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('reseq' as const), i: fc.nat(), seq: fc.nat({ max: 40 }) }),
  fc.record({ kind: fc.constant('swapProofs' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ kind: fc.constant('swapRecords' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ kind: fc.constant('proofHash' as const), i: fc.nat(), h: fc.nat(), seed: fc.nat() }),
  fc.record({ kind: fc.constant('proofDrop' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('proofAdd' as const), i: fc.nat(), seed: fc.nat() }),
  fc.record({
    kind: fc.constant('recordByte' as const),
    i: fc.nat(),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constant('checkpointLine' as const), seed: fc.nat() }),
);

function edit(b: Bundle, edits: readonly Edit[]): Bundle {
  let entries = b.entries.map((e) => ({ ...e, proof: [...e.proof] }));
  const head = b.head;
  let checkpoint = b.checkpoint;
  for (const e of edits) {
    const n = entries.length;
    if (n === 0) break;
    const at = (i: number) => entries[i % n]!;
    switch (e.kind) {
      case 'drop':
        entries = entries.filter((_, k) => k !== e.i % n);
        break;
      case 'reseq':
        at(e.i).seq = e.seq;
        break;
      case 'swapProofs': {
        const [a, c] = [at(e.i), at(e.j)];
        [a.proof, c.proof] = [c.proof, a.proof];
        break;
      }
      case 'swapRecords': {
        const [a, c] = [at(e.i), at(e.j)];
        [a.record, c.record] = [c.record, a.record];
        break;
      }
      case 'proofHash': {
        const p = at(e.i).proof;
        if (p.length > 0) p[e.h % p.length] = prngBytes(`hash ${e.seed}`, 32);
        break;
      }
      case 'proofDrop':
        at(e.i).proof.pop();
        break;
      case 'proofAdd':
        at(e.i).proof.push(prngBytes(`extra ${e.seed}`, 32));
        break;
      case 'recordByte': {
        const r = at(e.i).record.slice();
        r[e.at % r.length]! ^= 1 << e.bit;
        at(e.i).record = r;
        break;
      }
      case 'checkpointLine': {
        // Replace the root line with another base64 hash.
        const lines = checkpoint.split('\n');
        lines[2] = Buffer.from(prngBytes(`root ${e.seed}`, 32)).toString('base64');
        checkpoint = lines.join('\n');
        break;
      }
    }
  }
  const out: Bundle = { origin: b.origin, exhibit: b.exhibit, checkpoint, entries };
  if (head !== undefined) out.head = head;
  return out;
}

describe('fast-check: structural edits re-encoded canonically (fixed seed)', () => {
  // The head attestation stays: without it, dropping the exhibit's last events leaves a valid
  // bundle of an earlier history (see damage.test.ts, "what a bundle cannot prove").
  it('medium bundle: dropped, moved or swapped entries, proofs and records are never ok', async () => {
    const f = mediumF;
    const original = decodeBundle(f.bytes);
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 3 }), async (edits) => {
        const edited = edit(original, edits);
        const m = encodeBundle(edited);
        fc.pre(!equal(m, f.bytes));
        const broken = await contractBroken(m, f);
        if (broken) throw new Error(`${broken}: ${JSON.stringify(edits)}`);
      }),
      { seed: 0x5eed03, numRuns: 120 },
    );
  });
});
