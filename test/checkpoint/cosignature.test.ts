/**
 * cosignature/v1 (c2sp.org/tlog-cosignature): key IDs, exact signed message,
 * timestamp encoding, verification and vkeys.
 *
 * Known answer for timestamp extraction: transparency-dev/formats
 * note/note_cosigv1_test.go (TestCoSigV1Timestamp).
 */
import { describe, expect, it } from 'vitest';
import { concat, fromBase64, toBase64, toHex, utf8 } from '../../src/bytes.js';
import {
  COSIGNATURE_V1_LENGTH,
  cosignatureKeyId,
  cosignatureMessage,
  cosignatureTimestamp,
  cosignatureVerifier,
  ed25519NoteVerifier,
  formatCheckpoint,
  formatCosignerVkey,
  formatNote,
  formatVkey,
  parseSignatureLine,
  parseVkey,
  signCheckpoint,
  signCosignature,
  signNoteLine,
  verifierFromVkey,
  verifyCosignature,
  verifyNote,
} from '../../src/checkpoint/index.js';
import { ed25519, signerFromSeed } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { expectCode, LOG_ORIGIN, leaves, logSigner, mth, witnessNames, witnessSigners } from './helpers.js';

const w = witnessSigners[0]!;
const wName = witnessNames[0]!;
const body = formatCheckpoint({ origin: LOG_ORIGIN, size: 9, root: mth(leaves.slice(0, 9)) });
const T = 1679315147;

describe('cosignature/v1 format', () => {
  it('key ID is SHA-256(name || 0x0A || 0x04 || key)[:4], distinct from the 0x01 key ID', () => {
    const expected = sha256(concat(utf8(wName), new Uint8Array([0x0a, 0x04]), w.publicKey)).slice(0, 4);
    expect(toHex(cosignatureKeyId(wName, w.publicKey))).toBe(toHex(expected));
    expect(toHex(cosignatureKeyId(wName, w.publicKey))).not.toBe(
      toHex(ed25519NoteVerifier(wName, w.publicKey).keyId),
    );
  });

  it('signs exactly "cosignature/v1\\ntime <t>\\n" + checkpoint body (the spec example message)', () => {
    const specBody = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
    expect(new TextDecoder().decode(cosignatureMessage(specBody, 1679315147))).toBe(
      `cosignature/v1\ntime 1679315147\n${specBody}`,
    );
    expect(new TextDecoder().decode(cosignatureMessage(specBody, 0))).toBe(
      `cosignature/v1\ntime 0\n${specBody}`,
    );
  });

  it('produces keyID || u64be(timestamp) || Ed25519 signature', () => {
    const line = signCosignature(body, wName, w, T);
    const sig = parseSignatureLine(line);
    expect(sig.name).toBe(wName);
    expect(toHex(sig.keyId)).toBe(toHex(cosignatureKeyId(wName, w.publicKey)));
    expect(sig.signature.length).toBe(COSIGNATURE_V1_LENGTH);
    expect(toHex(sig.signature.slice(0, 8))).toBe(T.toString(16).padStart(16, '0'));
    expect(ed25519.verify(sig.signature.slice(8), cosignatureMessage(body, T), w.publicKey)).toBe(true);
    expect(cosignatureTimestamp(sig.signature)).toBe(T);
  });

  it('extracts the timestamp of the transparency-dev vector', () => {
    const raw = fromBase64(
      'ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==',
    )!;
    expect(cosignatureTimestamp(raw.slice(4))).toBe(1727964367);
    // "wrong type of signature": a plain Ed25519 note signature.
    const plain = fromBase64(
      'eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=',
    )!;
    expect(cosignatureTimestamp(plain.slice(4))).toBeUndefined();
  });

  it('refuses timestamps that are not safe non-negative integers', () => {
    for (const t of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expectCode(() => signCosignature(body, wName, w, t), 'COSIGNATURE_TIMESTAMP_INVALID');
    }
    expect(
      parseSignatureLine(signCosignature(body, wName, w, Number.MAX_SAFE_INTEGER)).signature.length,
    ).toBe(72);
  });

  it('refuses to cosign something that is not a checkpoint', () => {
    expectCode(() => signCosignature('hello\n', wName, w, T), 'CHECKPOINT_MALFORMED');
    expectCode(() => signCosignature(body, 'bad name', w, T), 'NOTE_KEY_INVALID');
  });
});

describe('cosignature verification', () => {
  const note = signCheckpoint(
    { origin: LOG_ORIGIN, size: 9, root: mth(leaves.slice(0, 9)) },
    LOG_ORIGIN,
    logSigner,
  );
  const line = signCosignature(body, wName, w, T);
  const cosigned = `${note}${line}`;
  const cv = cosignatureVerifier(wName, w.publicKey);

  it('verifies through verifyNote with a type 0x04 verifier', () => {
    expect(verifyNote(cosigned, [cv]).verified).toEqual([cv]);
  });

  it('verifyCosignature returns the timestamp', () => {
    expect(verifyCosignature(body, line, { name: wName, publicKey: w.publicKey })).toEqual({ timestamp: T });
  });

  it('rejects a cosignature from another witness or over another body', () => {
    const other = witnessSigners[1]!;
    expectCode(
      () => verifyCosignature(body, line, { name: wName, publicKey: other.publicKey }),
      'COSIGNATURE_INVALID',
    );
    expectCode(
      () => verifyCosignature(body, line, { name: 'x.example', publicKey: w.publicKey }),
      'COSIGNATURE_INVALID',
    );
    const body2 = formatCheckpoint({ origin: LOG_ORIGIN, size: 10, root: mth(leaves.slice(0, 10)) });
    expectCode(
      () => verifyCosignature(body2, line, { name: wName, publicKey: w.publicKey }),
      'COSIGNATURE_INVALID',
    );
    expectCode(
      () => verifyCosignature(body, 'junk', { name: wName, publicKey: w.publicKey }),
      'NOTE_MALFORMED',
    );
  });

  it('rejects a changed timestamp (it is signed)', () => {
    const sig = parseSignatureLine(line);
    const raw = concat(sig.keyId, sig.signature);
    raw[4 + 7] = raw[4 + 7]! ^ 1;
    const tampered = `\u2014 ${wName} ${toBase64(raw)}\n`;
    expectCode(() => verifyNote(`${note}${tampered}`, [cv]), 'NOTE_BAD_SIGNATURE');
  });

  it('rejects a timestamp above 2^63 - 1 even if the Ed25519 signature is valid', () => {
    const t = 2n ** 63n;
    const msg = utf8(`cosignature/v1\ntime ${t}\n${body}`);
    const ts = new Uint8Array(8);
    new DataView(ts.buffer).setBigUint64(0, t);
    const raw = concat(cosignatureKeyId(wName, w.publicKey), ts, w.sign(msg));
    const l = `\u2014 ${wName} ${toBase64(raw)}\n`;
    expectCode(() => verifyNote(`${note}${l}`, [cv]), 'NOTE_BAD_SIGNATURE');
  });

  it('rejects wrong lengths and a plain 0x01 signature relabelled with the 0x04 key ID', () => {
    const plain = parseSignatureLine(signNoteLine(body, wName, w));
    const relabelled = `\u2014 ${wName} ${toBase64(concat(cv.keyId, plain.signature))}\n`;
    expectCode(() => verifyNote(`${note}${relabelled}`, [cv]), 'NOTE_BAD_SIGNATURE');
    const sig = parseSignatureLine(line);
    const short = `\u2014 ${wName} ${toBase64(concat(sig.keyId, sig.signature.slice(0, 71)))}\n`;
    expectCode(() => verifyNote(`${note}${short}`, [cv]), 'NOTE_BAD_SIGNATURE');
  });

  it('a cosignature is not a log signature and vice versa (domain separation by type)', () => {
    const asLog = ed25519NoteVerifier(wName, w.publicKey);
    expectCode(() => verifyNote(cosigned, [asLog]), 'NOTE_UNVERIFIED');
    const logAsCosigner = cosignatureVerifier(LOG_ORIGIN, logSigner.publicKey);
    expectCode(() => verifyNote(note, [logAsCosigner]), 'NOTE_UNVERIFIED');
  });

  it('can reject cosignatures from the future', () => {
    const strict = cosignatureVerifier(wName, w.publicKey, { notAfter: T - 1 });
    expectCode(() => verifyNote(cosigned, [strict]), 'NOTE_BAD_SIGNATURE');
    const lenient = cosignatureVerifier(wName, w.publicKey, { notAfter: T });
    expect(verifyNote(cosigned, [lenient]).verified).toEqual([lenient]);
    expectCode(
      () => verifyCosignature(body, line, { name: wName, publicKey: w.publicKey }, { notAfter: T - 1 }),
      'COSIGNATURE_INVALID',
    );
  });

  it('covers extension lines', () => {
    const ext = formatCheckpoint({
      origin: LOG_ORIGIN,
      size: 9,
      root: mth(leaves.slice(0, 9)),
      extensions: ['e1'],
    });
    const l = signCosignature(ext, wName, w, T);
    const n = formatNote(ext, [signNoteLine(ext, LOG_ORIGIN, logSigner), l]);
    expect(verifyNote(n, [cv]).verified).toEqual([cv]);
    const n2 = formatNote(ext.replace('e1', 'e2'), [l]);
    expectCode(() => verifyNote(n2, [cv]), 'NOTE_BAD_SIGNATURE');
  });
});

describe('cosigner vkeys', () => {
  it('formats a type 0x04 vkey that parses back and builds a cosignature verifier', () => {
    const vk = formatCosignerVkey(wName, w.publicKey);
    const k = parseVkey(vk);
    expect(k.type).toBe(0x04);
    expect(toHex(k.keyId)).toBe(toHex(cosignatureKeyId(wName, w.publicKey)));
    expect(vk.startsWith(`${wName}+${toHex(k.keyId)}+BA`)).toBe(true); // base64 of 0x04… starts "B"
    const v = verifierFromVkey(vk);
    expect(v.type).toBe(0x04);
    const note = `${signCheckpoint({ origin: LOG_ORIGIN, size: 9, root: mth(leaves.slice(0, 9)) }, LOG_ORIGIN, logSigner)}${signCosignature(body, wName, w, T)}`;
    expect(verifyNote(note, [v]).verified).toEqual([v]);
  });

  it('verifierFromVkey dispatches on the type byte', () => {
    expect(verifierFromVkey(formatVkey(LOG_ORIGIN, logSigner.publicKey)).type).toBe(0x01);
    expect(
      verifierFromVkey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2').keyId,
    ).toEqual(parseVkey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2').keyId);
    expectCode(() => verifierFromVkey('x+00000000+AA=='), 'VKEY_MALFORMED');
  });

  it('a signer derived from a seed matches its own vkey', () => {
    const s = signerFromSeed(new Uint8Array(32).fill(9));
    expect(parseVkey(formatCosignerVkey('w.example', s.publicKey)).publicKey).toEqual(s.publicKey);
  });
});
