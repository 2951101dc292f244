/**
 * FIPS 204 conformance of src/crypto/ml-dsa.ts (ML-DSA-44):
 *  - the C2SP CCTV accumulated known-answer test (ML-DSA/accumulated): keygen
 *    from seeds read out of one SHAKE128 stream, public keys and deterministic
 *    signatures of the empty message absorbed into another; 100 iterations in
 *    `npm test`, 10,000 in `npm run test:slow` (CUSTODY_CCTV_ITERATIONS=10000,
 *    about a minute); both expected hashes from ../shared/vectors/README.md;
 *  - every Wycheproof verify vector (C2SP/wycheproof mldsa_44_verify_test.json),
 *    read at test time from ../shared/vectors/ml-dsa-44/;
 *  - the wrapper's own size checks.
 */
import { readFileSync } from 'node:fs';
import { shake128 } from '@noble/hashes/sha3.js';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../src/bytes.js';
import {
  ML_DSA_44_PUBLIC_KEY_LENGTH,
  ML_DSA_44_SIGNATURE_LENGTH,
  mlDsa44KeyPairFromSeed,
  mlDsa44Sign,
  mlDsa44SignerFromSeed,
  mlDsa44Verify,
} from '../../src/crypto/ml-dsa.js';
import { CustodyError } from '../../src/errors.js';

const VECTORS = new URL('../../../shared/vectors/ml-dsa-44/', import.meta.url);
const hex = (s: string) => {
  const b = fromHex(s);
  if (b === undefined) throw new Error(`bad hex in vector: ${s.slice(0, 16)}`);
  return b;
};

/** The published results (../shared/vectors/README.md), by iteration count. */
const CCTV_ACCUMULATED: Readonly<Record<number, string>> = {
  100: 'd51148e1f9f4fa1a723a6cf42e25f2a99eb5c1b378b3d2dbbd561b1203beeae4',
  10000: 'e7fd21f6a59bcba60d65adc44404bb29a7c00e5d8d3ec06a732c00a306a7d143',
};
/** CUSTODY_CCTV_ITERATIONS picks the run: 100 (default, `npm test`) or 10000 (`npm run test:slow`). */
const CCTV_ITERATIONS = Number(process.env.CUSTODY_CCTV_ITERATIONS ?? 100);
const CCTV_EXPECTED = CCTV_ACCUMULATED[CCTV_ITERATIONS];
if (CCTV_EXPECTED === undefined) {
  throw new Error(
    `CUSTODY_CCTV_ITERATIONS=${process.env.CUSTODY_CCTV_ITERATIONS}: no published result; use ${Object.keys(CCTV_ACCUMULATED).join(' or ')}`,
  );
}

describe('ML-DSA-44: C2SP CCTV accumulated known answers (FIPS 204 §5.1, §5.2 deterministic)', () => {
  it(
    `${CCTV_ITERATIONS} iterations give ${CCTV_EXPECTED.slice(0, 8)}…`,
    () => {
      const seeds = shake128.create({});
      const out = shake128.create({});
      for (let i = 0; i < CCTV_ITERATIONS; i++) {
        const seed = seeds.xof(32);
        const { publicKey, secretKey } = mlDsa44KeyPairFromSeed(seed);
        out.update(publicKey);
        out.update(mlDsa44Sign(new Uint8Array(0), secretKey, { mode: 'deterministic' }));
      }
      expect(toHex(out.xof(32))).toBe(CCTV_EXPECTED);
    },
    // ~6.5 ms an iteration here (64 s for 10,000); 60 ms each leaves room for a slow runner, never below 60 s.
    Math.max(60_000, CCTV_ITERATIONS * 60),
  );
});

interface WycheproofTest {
  tcId: number;
  comment: string;
  msg: string;
  ctx?: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
}
interface WycheproofGroup {
  type: string;
  publicKey: string;
  tests: WycheproofTest[];
}

const wycheproof = JSON.parse(
  readFileSync(new URL('wycheproof-mldsa_44_verify_test.json', VECTORS), 'utf8'),
) as { algorithm: string; numberOfTests: number; testGroups: WycheproofGroup[] };
const cases = wycheproof.testGroups.flatMap((g) =>
  g.tests.map((t) => ({ ...t, publicKey: g.publicKey, type: g.type })),
);

describe('ML-DSA-44: Wycheproof verify vectors (FIPS 204 §5.3)', () => {
  it('reads every vector of the file', () => {
    expect(wycheproof.algorithm).toBe('ML-DSA-44');
    expect(cases).toHaveLength(wycheproof.numberOfTests);
    expect(cases.every((c) => c.type === 'MlDsaVerify')).toBe(true);
    // "acceptable" would mean either answer conforms (Wycheproof's convention); this
    // file has none, and this count makes a future file with some fail loudly here
    // so that whoever updates it decides, rather than the test silently passing.
    expect(cases.filter((c) => c.result === 'acceptable')).toEqual([]);
  });

  it.each(cases.map((c) => [c.tcId, c.result, c.flags.join(','), c] as const))(
    'tcId %i is %s (%s)',
    (_id, result, _flags, c) => {
      const ctx = c.ctx === undefined ? new Uint8Array(0) : hex(c.ctx);
      const ok = mlDsa44Verify(hex(c.sig), hex(c.msg), hex(c.publicKey), ctx);
      expect(ok).toBe(result === 'valid');
    },
  );
});

describe('ML-DSA-44 wrapper', () => {
  const seed = new Uint8Array(32).fill(7);
  const signer = mlDsa44SignerFromSeed(seed);
  const msg = utf8('custody ml-dsa test');

  it('keygen from a seed is deterministic and gives FIPS 204 §4 Table 2 sizes', () => {
    const a = mlDsa44KeyPairFromSeed(seed);
    expect(a.publicKey).toHaveLength(ML_DSA_44_PUBLIC_KEY_LENGTH);
    expect(a.secretKey).toHaveLength(2560);
    expect(toHex(mlDsa44KeyPairFromSeed(seed).publicKey)).toBe(toHex(a.publicKey));
    expect(toHex(signer.publicKey)).toBe(toHex(a.publicKey));
  });

  it('deterministic signing repeats; hedged signing differs; both verify', () => {
    const d1 = signer.sign(msg, { mode: 'deterministic' });
    const d2 = signer.sign(msg, { mode: 'deterministic' });
    expect(d1).toHaveLength(ML_DSA_44_SIGNATURE_LENGTH);
    expect(toHex(d1)).toBe(toHex(d2));
    const h1 = signer.sign(msg);
    const h2 = signer.sign(msg);
    expect(toHex(h1)).not.toBe(toHex(h2));
    for (const s of [d1, h1, h2]) expect(mlDsa44Verify(s, msg, signer.publicKey)).toBe(true);
    // Given randomness makes the hedged variant reproducible.
    const rnd = new Uint8Array(32).fill(1);
    expect(toHex(signer.sign(msg, { randomness: rnd }))).toBe(toHex(signer.sign(msg, { randomness: rnd })));
  });

  it('the context is bound (FIPS 204 §5.2: M′ = 0 ‖ |ctx| ‖ ctx ‖ M)', () => {
    const ctx = utf8('ctx');
    const s = signer.sign(msg, { context: ctx, mode: 'deterministic' });
    expect(mlDsa44Verify(s, msg, signer.publicKey, ctx)).toBe(true);
    expect(mlDsa44Verify(s, msg, signer.publicKey)).toBe(false);
    expect(mlDsa44Verify(s, msg, signer.publicKey, utf8('cty'))).toBe(false);
    expect(mlDsa44Verify(s, msg, signer.publicKey, new Uint8Array(256))).toBe(false);
  });

  it('refuses wrong sizes with ML_DSA_INPUT_INVALID when signing, false when verifying', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof CustodyError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => mlDsa44KeyPairFromSeed(new Uint8Array(31)))).toBe('ML_DSA_INPUT_INVALID');
    expect(code(() => mlDsa44Sign(msg, new Uint8Array(2559)))).toBe('ML_DSA_INPUT_INVALID');
    expect(code(() => signer.sign(msg, { context: new Uint8Array(256) }))).toBe('ML_DSA_INPUT_INVALID');
    expect(code(() => signer.sign(msg, { randomness: new Uint8Array(31) }))).toBe('ML_DSA_INPUT_INVALID');
    expect(code(() => signer.sign(msg, { mode: 'deterministic', randomness: new Uint8Array(32) }))).toBe(
      'ML_DSA_INPUT_INVALID',
    );
    const s = signer.sign(msg);
    expect(mlDsa44Verify(s.subarray(1), msg, signer.publicKey)).toBe(false);
    expect(mlDsa44Verify(s, msg, signer.publicKey.subarray(1))).toBe(false);
  });
});
