/**
 * SignatureBatch copies each job's bytes at once (src/verify/batch.ts): the
 * jobs it hands to a checker must be exactly prefix ‖ payload, signature and
 * key, and must not depend on the record buffers after add() returns.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { concat, fromHex, toHex, utf8 } from '../../src/bytes.js';
import { ed25519 } from '../../src/crypto/ed25519.js';
import { decodeRecord, signedMessage, signedPrefix } from '../../src/format/record.js';
import { SignatureBatch } from '../../src/verify/batch.js';
import type { ReplayJob } from '../../src/verify/replay.js';
import { verifyLog } from '../../src/verify/verifier.js';

const valid = JSON.parse(
  readFileSync(fileURLToPath(new URL('../vectors/valid.json', import.meta.url)), 'utf8'),
) as {
  origin: string;
  entries: { seq: number; recordHex: string; signerPublicKeyHex: string; signedMessageHex: string }[];
};

const job = (seq: number, payload: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): ReplayJob => ({
  seq,
  exhibit: seq % 2 ? `EX-${seq}` : null,
  prefix: signedPrefix('test.example/log'),
  payload,
  signature,
  publicKey,
});

describe('SignatureBatch', () => {
  it('hands out prefix ‖ payload, the signature and the key, in order, with seq and exhibit', () => {
    const b = new SignatureBatch();
    const pk = new Uint8Array(32).fill(7);
    for (let i = 0; i < 5; i++)
      b.add(
        job(
          i,
          Uint8Array.from({ length: 10 + i }, (_, k) => k + i),
          new Uint8Array(64).fill(i),
          pk,
        ),
      );
    expect(b.length).toBe(5);
    b.jobs.forEach((j, i) => {
      const payload = Uint8Array.from({ length: 10 + i }, (_, k) => k + i);
      expect(toHex(j.message)).toBe(toHex(signedMessage('test.example/log', payload)));
      expect(j.signature).toEqual(new Uint8Array(64).fill(i));
      expect(j.publicKey).toBe(pk);
    });
    expect(b.seqs).toEqual([0, 1, 2, 3, 4]);
    expect(b.exhibits).toEqual([null, 'EX-1', null, 'EX-3', null]);
  });

  it('copies: changing or dropping the record afterwards does not change a job', () => {
    const b = new SignatureBatch();
    const record = utf8('payload bytes of some record, then a signature');
    const payload = record.subarray(0, 20);
    const signature = new Uint8Array(64).fill(9);
    b.add(job(0, payload, signature, new Uint8Array(32)));
    const before = toHex(b.jobs[0]!.message);
    record.fill(0);
    signature.fill(0);
    expect(toHex(b.jobs[0]!.message)).toBe(before);
    expect(b.jobs[0]!.signature).toEqual(new Uint8Array(64).fill(9));
    expect(b.jobs[0]!.message.buffer).not.toBe(record.buffer);
  });

  it('spans several buffers when a batch outgrows one, and takes a job larger than a buffer', () => {
    const b = new SignatureBatch();
    const big = new Uint8Array(300_000).fill(3);
    const small = new Uint8Array(200_000).fill(4);
    for (const p of [small, small, big, small])
      b.add(job(b.length, p, new Uint8Array(64), new Uint8Array(32)));
    const prefix = signedPrefix('test.example/log');
    expect(b.jobs.map((j) => j.message.length)).toEqual(
      [small, small, big, small].map((p) => prefix.length + p.length),
    );
    expect(toHex(b.jobs[2]!.message)).toBe(toHex(concat(prefix, big)));
    expect(toHex(b.jobs[3]!.message)).toBe(toHex(concat(prefix, small)));
  });
});

describe('the verifier with packed batches', () => {
  it('checks exactly the messages the signers signed (committed vectors), in batches of any size', async () => {
    const records = valid.entries.map((e) => ({ seq: e.seq, bytes: Buffer.from(fromHex(e.recordHex)!) }));
    const seen: string[] = [];
    for (const batchSize of [1, 3, 1024]) {
      seen.length = 0;
      const { report } = await verifyLog(records, {
        batchSize,
        checker: {
          async check(jobs) {
            for (const j of jobs) seen.push(toHex(j.message));
            return jobs.map((j) => ed25519.verify(j.signature, j.message, j.publicKey));
          },
        },
      });
      expect(report.ok).toBe(true);
      expect(seen).toEqual(valid.entries.map((e) => e.signedMessageHex));
    }
  });

  it('decoded values are copies, not views of a Buffer record (they outlive it)', () => {
    const e = valid.entries[1]!;
    const bytes = Buffer.from(fromHex(e.recordHex)!);
    const rec = decodeRecord(bytes);
    const prev = toHex(rec.payload.prev);
    expect(rec.payload.prev.buffer).not.toBe(bytes.buffer);
    bytes.fill(0);
    expect(toHex(rec.payload.prev)).toBe(prev);
  });
});

describe('signature batches end to end', () => {
  it('the verifier reports every bad signature of every batch when buffers are reused', async () => {
    const records = valid.entries.map((e) => ({ seq: e.seq, bytes: fromHex(e.recordHex)! }));
    const bad = records.map((r, i) => {
      if (i % 3 !== 1) return r;
      const bytes = r.bytes.slice();
      bytes[bytes.length - 40]! ^= 1;
      return { seq: r.seq, bytes };
    });
    const { report } = await verifyLog(bad, { batchSize: 2, parallel: 2 });
    const flagged = report.problems.filter((p) => p.code === 'SIGNATURE_INVALID').map((p) => p.seq);
    expect(flagged).toEqual(records.map((r) => r.seq).filter((s) => s % 3 === 1));
    expect(report.signaturesChecked).toBe(records.length);
  });
});
