/**
 * The worker-thread checker (src/crypto/verify-pool.ts) must answer exactly
 * like the inline checker for every kind of job, across batches of different
 * sizes in flight at once (its shared buffers are reused between batches).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { ed25519, signerFromSeed } from '../../src/crypto/ed25519.js';
import { inlineChecker, type SignatureJob } from '../../src/crypto/signature-checker.js';
import { WorkerPoolChecker } from '../../src/crypto/verify-pool.js';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const signers = [1, 2, 3].map((n) => signerFromSeed(new Uint8Array(32).fill(n)));
/** y = 1: the identity point, small order, refused by key admission. */
const smallOrderKey = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 1 : 0));

function addL(sig: Uint8Array): Uint8Array {
  const out = sig.slice();
  let s = 0n;
  for (let k = 63; k >= 32; k--) s = (s << 8n) | BigInt(out[k]!);
  s += L;
  for (let k = 32; k < 64; k++) {
    out[k] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

/** n jobs of every kind, with messages of varying length. */
function jobs(n: number, salt: string): SignatureJob[] {
  return Array.from({ length: n }, (_, i) => {
    const s = signers[i % signers.length]!;
    const message = utf8(`${salt} ${i} ${'x'.repeat((i * 37) % 900)}`);
    const signature = s.sign(message);
    switch (i % 6) {
      case 1: {
        const bad = signature.slice();
        bad[5]! ^= 1;
        return { message, signature: bad, publicKey: s.publicKey };
      }
      case 2:
        return { message, signature: addL(signature), publicKey: s.publicKey };
      case 3:
        return { message, signature, publicKey: smallOrderKey };
      case 4:
        return { message, signature: signature.subarray(0, 63), publicKey: s.publicKey };
      case 5:
        return { message, signature, publicKey: signers[(i + 1) % signers.length]!.publicKey };
      default:
        return { message, signature, publicKey: s.publicKey };
    }
  });
}

const pool = new WorkerPoolChecker(2);
afterAll(() => pool.close());

describe('WorkerPoolChecker', () => {
  it('answers like the inline checker for valid, altered, malleated, small-order-key, short and wrong-key jobs', async () => {
    const js = jobs(60, 'a');
    const want = await inlineChecker.check(js);
    expect(want.filter(Boolean).length).toBe(10);
    expect(await pool.check(js)).toEqual(want);
  });

  it('keeps batches of different sizes apart when many are in flight (buffers reused and grown)', async () => {
    // 3,000 jobs of up to ~940 bytes exceed the first 1 MiB buffer; small ones follow and reuse it.
    const batches = [5, 3000, 1, 200, 3000, 7, 0, 64].map((n, k) => jobs(n, `batch ${k}`));
    const answers = await Promise.all(batches.map((b) => pool.check(b)));
    for (let k = 0; k < batches.length; k++)
      expect(answers[k]).toEqual(await inlineChecker.check(batches[k]!));
    const again = await Promise.all(batches.map((b) => pool.check(b)));
    expect(again).toEqual(answers);
  });

  it('does not read a job after check() resolves: the caller may reuse its bytes', async () => {
    const js = jobs(12, 'c');
    const first = await pool.check(js);
    for (const j of js) j.message.fill(0);
    const expected = js.map((j) => ed25519.verify(j.signature, j.message, j.publicKey));
    expect(await pool.check(js)).toEqual(expected);
    expect(first).not.toEqual(expected);
  });
});
