/**
 * subtree/v1 ML-DSA-44 cosignatures (c2sp.org/tlog-cosignature v1.1, type 0x06),
 * src/checkpoint/cosignature-mldsa.ts: byte-exact against the torchwood
 * litewitness vector (../shared/vectors/ml-dsa-44/litewitness-mldsa-cosignature.txt,
 * read at test time), the refusals, counting in witness policies, and a
 * property test that mutated lines never verify.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, fromBase64, fromUtf8, toBase64, toHex, utf8 } from '../../src/bytes.js';
import {
  checkpointSubtreeMessage,
  cosignatureTimestampOf,
  cosignatureVerifier,
  formatCheckpoint,
  formatMlDsaCosignaturePayload,
  formatMlDsaCosignerVkey,
  formatNote,
  formatSignatureLine,
  formatVkeyOfType,
  MLDSA_COSIGNATURE_LENGTH,
  mlDsaCosignatureKeyId,
  mlDsaCosignatureTimestamp,
  mlDsaCosignatureVerifier,
  parseMlDsaCosignaturePayload,
  parseTlogPolicy,
  parseVkey,
  SIG_TYPE_COSIGNATURE_MLDSA,
  signCheckpoint,
  signCosignature,
  signMlDsaCosignature,
  subtreeMessage,
  verifierFromVkey,
  verifyMlDsaCosignature,
  verifyNote,
  verifyWithPolicy,
} from '../../src/checkpoint/index.js';
import { mlDsa44SignerFromSeed, mlDsa44Verify } from '../../src/crypto/ml-dsa.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import {
  expectCode,
  LOG_ORIGIN,
  leaves,
  logSigner,
  mth,
  seed,
  witnessNames,
  witnessSigners,
} from './helpers.js';

/** KEY=VALUE lines of the torchwood vector. */
const vector = Object.fromEntries(
  readFileSync(
    new URL('../../../shared/vectors/ml-dsa-44/litewitness-mldsa-cosignature.txt', import.meta.url),
    'utf8',
  )
    .trim()
    .split('\n')
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
) as Record<'VKEY' | 'SIG' | 'SEED' | 'ORIGIN' | 'ROOT', string>;

const hexBytes = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => Number.parseInt(h, 16)));
const u64 = (n: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), false);
  return b;
};

const V_NAME = vector.VKEY.slice(0, vector.VKEY.indexOf('+'));
const V_ROOT = fromBase64(vector.ROOT)!;
/** The vector's checkpoint: its origin, size 1, its root (no extension lines). */
const V_BODY = formatCheckpoint({ origin: vector.ORIGIN, size: 1, root: V_ROOT });
const V_LINE = `\u2014 ${V_NAME} ${vector.SIG}\n`;
const V_SIGNER = mlDsa44SignerFromSeed(hexBytes(vector.SEED));
const V_COSIGNER = { name: V_NAME, publicKey: V_SIGNER.publicKey };

describe('subtree/v1 against the torchwood litewitness vector', () => {
  it('the key derived from the seed gives the vector vkey byte for byte (type 0x06, key ID)', () => {
    expect(formatMlDsaCosignerVkey(V_NAME, V_SIGNER.publicKey)).toBe(vector.VKEY);
    const k = parseVkey(vector.VKEY);
    expect(k.type).toBe(SIG_TYPE_COSIGNATURE_MLDSA);
    expect(k.publicKey).toHaveLength(1312);
    // tlog-cosignature §Format: SHA-256(<name> || "\n" || 0x06 || 1312-byte key)[:4].
    const id = sha256(concat(utf8(V_NAME), new Uint8Array([0x0a, 0x06]), k.publicKey)).slice(0, 4);
    expect(toHex(mlDsaCosignatureKeyId(V_NAME, k.publicKey))).toBe(toHex(id));
    expect(toHex(k.keyId)).toBe(toHex(id));
  });

  it('rebuilds the cosigned_message byte for byte and verifies the published signature', () => {
    const name = utf8(V_NAME);
    const origin = utf8(vector.ORIGIN);
    const expected = concat(
      utf8('subtree/v1\n\0'),
      new Uint8Array([name.length]),
      name,
      u64(0),
      new Uint8Array([origin.length]),
      origin,
      u64(0),
      u64(1),
      V_ROOT,
    );
    const message = checkpointSubtreeMessage(V_BODY, V_NAME, 0);
    expect(toHex(message)).toBe(toHex(expected));
    const raw = fromBase64(vector.SIG)!;
    const p = parseMlDsaCosignaturePayload(raw);
    expect(p.timestamp).toBe(0);
    expect(toHex(p.keyId)).toBe(toHex(mlDsaCosignatureKeyId(V_NAME, V_SIGNER.publicKey)));
    expect(toBase64(formatMlDsaCosignaturePayload(p))).toBe(vector.SIG);
    expect(mlDsa44Verify(p.signature, message, V_SIGNER.publicKey)).toBe(true);
    expect(verifyMlDsaCosignature(V_BODY, V_LINE, V_COSIGNER)).toEqual({ timestamp: 0 });
    // A timestamp of 0 states no time, so it dates nothing.
    expect(mlDsaCosignatureTimestamp(raw.subarray(4))).toBeUndefined();
  });

  it('counts through verifyNote and verifierFromVkey (type 0x06)', () => {
    const v = verifierFromVkey(vector.VKEY);
    expect(v.type).toBe(0x06);
    expect(verifyNote(formatNote(V_BODY, [V_LINE]), [v]).verified).toEqual([v]);
  });

  it('signing deterministically: stable, verifies, and the line has the vector layout', () => {
    // torchwood signs hedged (FIPS 204 §3.4), so its signature cannot be reproduced;
    // the message, payload and line are compared byte for byte instead (above, and here).
    const a = signMlDsaCosignature(V_BODY, V_NAME, V_SIGNER, 0, { mode: 'deterministic' });
    const b = signMlDsaCosignature(V_BODY, V_NAME, V_SIGNER, 0, { mode: 'deterministic' });
    expect(a).toBe(b);
    expect(a).not.toBe(V_LINE);
    expect(a).toHaveLength(V_LINE.length);
    expect(a.slice(0, a.indexOf(' ', 2) + 17)).toBe(V_LINE.slice(0, V_LINE.indexOf(' ', 2) + 17));
    expect(verifyMlDsaCosignature(V_BODY, a, V_COSIGNER)).toEqual({ timestamp: 0 });
    const hedged = signMlDsaCosignature(V_BODY, V_NAME, V_SIGNER, 0);
    expect(hedged).not.toBe(a);
    expect(verifyMlDsaCosignature(V_BODY, hedged, V_COSIGNER)).toEqual({ timestamp: 0 });
  });

  it('fails for a flipped root bit, another name or a context', () => {
    const root = V_ROOT.slice();
    root[7]! ^= 0x10;
    const flipped = formatCheckpoint({ origin: vector.ORIGIN, size: 1, root });
    expectCode(() => verifyMlDsaCosignature(flipped, V_LINE, V_COSIGNER), 'COSIGNATURE_INVALID');
    // Another size is another statement too.
    const bigger = formatCheckpoint({ origin: vector.ORIGIN, size: 2, root: V_ROOT });
    expectCode(() => verifyMlDsaCosignature(bigger, V_LINE, V_COSIGNER), 'COSIGNATURE_INVALID');
    // Another name: the line is not that cosigner's, and the message commits to the name.
    expectCode(
      () => verifyMlDsaCosignature(V_BODY, V_LINE, { ...V_COSIGNER, name: 'example.com/other' }),
      'COSIGNATURE_INVALID',
    );
    const renamed = formatSignatureLine(
      'example.com/other',
      mlDsaCosignatureKeyId('example.com/other', V_SIGNER.publicKey),
      fromBase64(vector.SIG)!.subarray(4),
    );
    expectCode(
      () => verifyMlDsaCosignature(V_BODY, renamed, { ...V_COSIGNER, name: 'example.com/other' }),
      'COSIGNATURE_INVALID',
    );
    // A context (FIPS 204 §5.2) the spec does not use: the signature no longer verifies.
    const p = parseMlDsaCosignaturePayload(fromBase64(vector.SIG)!);
    const message = checkpointSubtreeMessage(V_BODY, V_NAME, 0);
    expect(mlDsa44Verify(p.signature, message, V_SIGNER.publicKey, utf8('subtree/v1'))).toBe(false);
    expect(mlDsa44Verify(p.signature, message, V_SIGNER.publicKey, new Uint8Array(1))).toBe(false);
  });
});

describe('subtree/v1 refusals', () => {
  const hash = new Uint8Array(32).fill(3);
  const base = { cosignerName: 'w.example', timestamp: 0, origin: 'log.example', start: 0, end: 5, hash };

  it('a non-zero start takes timestamp 0 (tlog-cosignature §ML-DSA-44 signed message)', () => {
    expect(subtreeMessage({ ...base, start: 4, end: 8 })).toHaveLength(12 + 10 + 8 + 12 + 8 + 8 + 32);
    expectCode(
      () => subtreeMessage({ ...base, start: 4, end: 8, timestamp: 1 }),
      'COSIGNATURE_MESSAGE_INVALID',
    );
    expect(subtreeMessage({ ...base, timestamp: 1 })).toHaveLength(90);
  });

  it('names and origins of 1 to 255 bytes; hashes of 32 bytes; start ≤ end; safe integers', () => {
    expect(subtreeMessage({ ...base, cosignerName: 'é'.repeat(127) + 'x' })).toBeDefined();
    for (const bad of [
      { cosignerName: 'é'.repeat(128) },
      { cosignerName: 'n'.repeat(256) },
      { cosignerName: '' },
      { origin: '' },
      { origin: 'o'.repeat(256) },
      { hash: new Uint8Array(31) },
      { start: 6, end: 5 },
      { end: 2 ** 53 },
      { start: -1 },
      { end: 1.5 },
    ]) {
      expectCode(() => subtreeMessage({ ...base, ...bad }), 'COSIGNATURE_MESSAGE_INVALID');
    }
    for (const t of [-1, 1.5, 2 ** 53, Number.NaN]) {
      expectCode(() => subtreeMessage({ ...base, timestamp: t }), 'COSIGNATURE_TIMESTAMP_INVALID');
    }
    const long = `n${'x'.repeat(255)}`;
    expectCode(() => signMlDsaCosignature(V_BODY, long, V_SIGNER, 0), 'COSIGNATURE_MESSAGE_INVALID');
    expectCode(() => mlDsaCosignatureVerifier(long, V_SIGNER.publicKey), 'COSIGNATURE_MESSAGE_INVALID');
  });

  it('refuses checkpoints with extension lines, which it would not cover', () => {
    const ext = formatCheckpoint({ origin: vector.ORIGIN, size: 1, root: V_ROOT, extensions: ['ext line'] });
    expectCode(() => signMlDsaCosignature(ext, V_NAME, V_SIGNER, 0), 'COSIGNATURE_EXTENSION_LINES');
    expectCode(() => verifyMlDsaCosignature(ext, V_LINE, V_COSIGNER), 'COSIGNATURE_EXTENSION_LINES');
    expect(verifierFromVkey(vector.VKEY).verify(ext, fromBase64(vector.SIG)!.subarray(4))).toBe(false);
    expectCode(() => signMlDsaCosignature('not a checkpoint\n', V_NAME, V_SIGNER, 0), 'CHECKPOINT_MALFORMED');
  });

  it('refuses wrong sizes: payload, public key, vkey key', () => {
    const raw = fromBase64(vector.SIG)!;
    expectCode(() => parseMlDsaCosignaturePayload(raw.subarray(1)), 'COSIGNATURE_MALFORMED');
    expectCode(() => parseMlDsaCosignaturePayload(concat(raw, new Uint8Array(1))), 'COSIGNATURE_MALFORMED');
    const big = raw.slice();
    big[4] = 0x80; // timestamp ≥ 2^63
    expectCode(() => parseMlDsaCosignaturePayload(big), 'COSIGNATURE_MALFORMED');
    expectCode(
      () =>
        formatMlDsaCosignaturePayload({
          keyId: raw.subarray(0, 4),
          timestamp: 0,
          signature: new Uint8Array(64),
        }),
      'COSIGNATURE_MALFORMED',
    );
    const short = formatSignatureLine(V_NAME, raw.subarray(0, 4), raw.subarray(4, 4 + 72));
    expectCode(() => verifyMlDsaCosignature(V_BODY, short, V_COSIGNER), 'COSIGNATURE_MALFORMED');
    expect(MLDSA_COSIGNATURE_LENGTH).toBe(2428);
    expectCode(() => mlDsaCosignatureVerifier(V_NAME, V_SIGNER.publicKey.subarray(1)), 'NOTE_KEY_INVALID');
    expectCode(
      () => formatVkeyOfType(V_NAME, SIG_TYPE_COSIGNATURE_MLDSA, new Uint8Array(32)),
      'NOTE_KEY_INVALID',
    );
    // A type 0x06 vkey with a 32-byte key, and a type 0x04 vkey with a 1312-byte key.
    const vk = (type: number, key: Uint8Array) => {
      const id = toHex(sha256(concat(utf8('w.example'), new Uint8Array([0x0a, type]), key)).slice(0, 4));
      return `w.example+${id}+${toBase64(concat(new Uint8Array([type]), key))}`;
    };
    expectCode(() => parseVkey(vk(0x06, new Uint8Array(32).fill(9))), 'VKEY_MALFORMED');
    expectCode(() => parseVkey(vk(0x04, V_SIGNER.publicKey)), 'VKEY_MALFORMED');
    expect(parseVkey(vk(0x06, V_SIGNER.publicKey)).publicKey).toHaveLength(1312);
  });
});

describe('ML-DSA-44 witnesses in checkpoint policies', () => {
  const size = 9;
  const body = formatCheckpoint({ origin: LOG_ORIGIN, size, root: mth(leaves.slice(0, size)) });
  const note = signCheckpoint(
    { origin: LOG_ORIGIN, size, root: mth(leaves.slice(0, size)) },
    LOG_ORIGIN,
    logSigner,
  );
  const pq = mlDsa44SignerFromSeed(seed(40));
  const pqName = 'pq.example/witness';
  const T = 1_700_000_000;
  const edLine = signCosignature(body, witnessNames[0]!, witnessSigners[0]!, T - 5);
  const pqLine = signMlDsaCosignature(body, pqName, pq, T);
  const cosigned = `${note}${edLine}${pqLine}`;
  const ed = cosignatureVerifier(witnessNames[0]!, witnessSigners[0]!.publicKey);
  const ml = verifierFromVkey(formatMlDsaCosignerVkey(pqName, pq.publicKey));
  const log = verifierFromVkey(formatVkeyOfType(LOG_ORIGIN, 0x01, logSigner.publicKey));

  it('a type 0x06 witness counts like an Ed25519 one', () => {
    const r = verifyWithPolicy(cosigned, { log, witnesses: [ed, ml], quorum: 2 });
    expect(r.witnessesVerified).toEqual([witnessNames[0], pqName]);
    expect(r.quorumMet).toBe(true);
    expect(
      verifyWithPolicy(`${note}${pqLine}`, { log, witnesses: [ed, ml], quorum: 1 }).witnessesVerified,
    ).toEqual([pqName]);
  });

  it('a verifier that does not know the ML-DSA key ignores its line (signed-note §Signatures)', () => {
    const r = verifyWithPolicy(cosigned, { log, witnesses: [ed], quorum: 1 });
    expect(r.witnessesVerified).toEqual([witnessNames[0]]);
    // The same name with another ML-DSA key: a different key ID, so ignored too.
    const other = mlDsaCosignatureVerifier(pqName, mlDsa44SignerFromSeed(seed(41)).publicKey);
    expect(verifyWithPolicy(cosigned, { log, witnesses: [ed, other], quorum: 2 }).quorumMet).toBe(false);
  });

  it('a bad line by a configured ML-DSA witness rejects the note, as for Ed25519', () => {
    const raw = fromBase64(pqLine.slice(pqLine.indexOf(' ', 2) + 1, -1))!;
    raw[100]! ^= 1;
    const bad = formatSignatureLine(pqName, raw.subarray(0, 4), raw.subarray(4));
    expectCode(
      () => verifyWithPolicy(`${note}${bad}`, { log, witnesses: [ml], quorum: 1 }),
      'NOTE_BAD_SIGNATURE',
    );
  });

  it('tlog-policy files take type 0x06 witness vkeys', () => {
    const p = parseTlogPolicy(
      `log ${formatVkeyOfType(LOG_ORIGIN, 0x01, logSigner.publicKey)}\nwitness PQ ${formatMlDsaCosignerVkey(pqName, pq.publicKey)}\nquorum PQ\n`,
    );
    expect(p.witnesses[0]!.verifier.type).toBe(0x06);
    expect(
      verifyWithPolicy(cosigned, { log, witnesses: [p.witnesses[0]!.verifier], quorum: 1 }).quorumMet,
    ).toBe(true);
  });

  it('the cosignature timestamp of a type 0x06 line is read by key type', () => {
    const sig = fromBase64(pqLine.slice(pqLine.indexOf(' ', 2) + 1, -1))!.subarray(4);
    expect(cosignatureTimestampOf(0x06, sig)).toBe(T);
    expect(cosignatureTimestampOf(0x04, sig)).toBeUndefined();
    expect(cosignatureTimestampOf(0x01, sig)).toBeUndefined();
  });
});

describe('property: a mutated line never verifies', () => {
  const lineBytes = utf8(V_LINE);
  const verifies = (line: string): boolean => {
    try {
      verifyMlDsaCosignature(V_BODY, line, V_COSIGNER);
      return true;
    } catch (e) {
      if (!(e instanceof CustodyError)) throw e;
      return false;
    }
  };

  it('flipping bits of the decoded payload (200 runs)', () => {
    const raw = fromBase64(vector.SIG)!;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: raw.length - 1 }), fc.integer({ min: 0, max: 7 }), (i, bit) => {
        const m = raw.slice();
        m[i]! ^= 1 << bit;
        return !verifies(formatSignatureLine(V_NAME, m.subarray(0, 4), m.subarray(4)));
      }),
      { numRuns: 200, seed: 4204 },
    );
  });

  it('replacing, inserting or deleting a byte of the line (200 runs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: lineBytes.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('replace', 'insert', 'delete'),
        (i, byte, op) => {
          const m =
            op === 'replace'
              ? Uint8Array.from(lineBytes, (b, j) => (j === i ? byte : b))
              : op === 'insert'
                ? concat(lineBytes.subarray(0, i), new Uint8Array([byte]), lineBytes.subarray(i))
                : concat(lineBytes.subarray(0, i), lineBytes.subarray(i + 1));
          fc.pre(toHex(m) !== toHex(lineBytes));
          let line: string;
          try {
            line = fromUtf8(m);
          } catch {
            return true; // not UTF-8: never a line
          }
          return !verifies(line);
        },
      ),
      { numRuns: 200, seed: 4205 },
    );
  });
});
