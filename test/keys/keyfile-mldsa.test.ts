/**
 * ML-DSA-44 key files: the custody-key/v2 container of test/keys/keyfile.test.ts
 * with `"type":"ml-dsa-44"` after `format`, the 1312-byte public key and the
 * 32-byte seed sealed. Round trip (the seed gives FIPS 204 keygen(seed)'s key
 * pair), wrong passphrase, the type bound into the AAD, strict parsing of the
 * new field, and Ed25519 files unchanged.
 */
import { describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/bytes.js';
import { ed25519 } from '../../src/crypto/ed25519.js';
import {
  ML_DSA_44_PUBLIC_KEY_LENGTH,
  mlDsa44KeyPairFromSeed,
  mlDsa44SignerFromSeed,
  mlDsa44Verify,
} from '../../src/crypto/ml-dsa.js';
import { CustodyError } from '../../src/errors.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf, shortKeyId, statementKeyShort } from '../../src/format/key-id.js';
import {
  decryptKeyFile,
  encryptKeyFile,
  KEY_FILE_FORMAT,
  keyFileKeyId,
  readKeyFileHeader,
  WRONG_PASSPHRASE_MESSAGE,
} from '../../src/keys/keyfile.js';

const FAST = { N: 2 ** 14, r: 8, p: 1 } as const;
const SEED = Uint8Array.from({ length: 32 }, (_, i) => (i * 53 + 7) & 255);
const PASS = 'correct horse battery staple';
const NAME = 'witness.example/w1';

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CustodyError) return e.code;
    throw e;
  }
  throw new Error('expected a CustodyError, nothing was thrown');
}

const mldsaFile = () =>
  encryptKeyFile({ name: NAME, seed: SEED, passphrase: PASS, kdf: FAST, type: 'ml-dsa-44' });
type Json = Record<string, unknown>;
const edit = (text: string, f: (o: Json) => Json): string =>
  `${JSON.stringify(f(JSON.parse(text) as Json))}\n`;

describe('ML-DSA-44 key files', () => {
  const text = mldsaFile();
  const expected = mlDsa44KeyPairFromSeed(SEED).publicKey;

  it('has the v2 fields plus "type":"ml-dsa-44" right after format, and the 1312-byte public key', () => {
    const o = JSON.parse(text) as Json;
    expect(Object.keys(o)).toEqual([
      'format',
      'type',
      'name',
      'publicKey',
      'keyId',
      'kdf',
      'cipher',
      'ciphertext',
    ]);
    expect(o['format']).toBe(KEY_FILE_FORMAT);
    expect(o['type']).toBe('ml-dsa-44');
    expect(Buffer.from(o['publicKey'] as string, 'base64')).toHaveLength(ML_DSA_44_PUBLIC_KEY_LENGTH);
    // The seed is sealed (32 bytes + 16-byte tag), never the 2560-byte secret key.
    expect(Buffer.from(o['ciphertext'] as string, 'base64')).toHaveLength(48);
    const want = shortKeyId(keyIdOf({ type: KEY_TYPES.mldsa44, publicKey: expected }, KEY_PURPOSES.witness));
    expect(o['keyId']).toBe(want);
    expect(keyFileKeyId('ml-dsa-44', expected)).toBe(want);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain(Buffer.from(SEED).toString('base64'));
  });

  it('round trip: the header reads without the passphrase; the seed decrypts and gives keygen(seed)', () => {
    const h = readKeyFileHeader(text);
    expect(h.type).toBe('ml-dsa-44');
    expect(h.name).toBe(NAME);
    expect(equalBytes(h.publicKey, expected)).toBe(true);
    const d = decryptKeyFile(text, PASS);
    expect(d.type).toBe('ml-dsa-44');
    expect(equalBytes(d.seed, SEED)).toBe(true);
    expect(equalBytes(d.publicKey, expected)).toBe(true);
    expect(d.keyId).toBe(h.keyId);
    const signer = mlDsa44SignerFromSeed(d.seed);
    const msg = new TextEncoder().encode('subtree/v1 test');
    expect(mlDsa44Verify(signer.sign(msg), msg, h.publicKey)).toBe(true);
    // The passphrase is normalized to NFC, as for Ed25519 files.
    const nfd = encryptKeyFile({ name: NAME, seed: SEED, passphrase: 'Åsa', kdf: FAST, type: 'ml-dsa-44' });
    expect(equalBytes(decryptKeyFile(nfd, 'A\u030asa').seed, SEED)).toBe(true);
  });

  it('a wrong passphrase is KEY_PASSPHRASE_WRONG, with no secret in the message', () => {
    try {
      decryptKeyFile(text, `${PASS}!`);
      throw new Error('decrypted with a wrong passphrase');
    } catch (e) {
      expect(e).toBeInstanceOf(CustodyError);
      expect((e as CustodyError).code).toBe('KEY_PASSPHRASE_WRONG');
      expect((e as CustodyError).message).toBe(WRONG_PASSPHRASE_MESSAGE);
      expect((e as CustodyError).message).not.toContain(PASS);
    }
  });

  it('the type is authenticated: an Ed25519 file made from the same seed cannot be relabelled', () => {
    const ed = encryptKeyFile({ name: NAME, seed: SEED, passphrase: PASS, kdf: FAST });
    const o = JSON.parse(ed) as Json;
    // Ed25519 files are exactly as before: no type field, the 32-byte key, the actor id.
    expect(Object.keys(o)).not.toContain('type');
    expect(o['keyId']).toBe(statementKeyShort(ed25519.publicKey(SEED)));
    expect(readKeyFileHeader(ed).type).toBe('ed25519');
    expect(decryptKeyFile(ed, PASS).type).toBe('ed25519');
    // The ML-DSA-44 header with the Ed25519 file's ciphertext (same seed, same passphrase): refused.
    const swapped = edit(text, (m) => ({ ...m, ciphertext: o['ciphertext'] }));
    expect(code(() => decryptKeyFile(swapped, PASS))).toBe('KEY_PASSPHRASE_WRONG');
  });

  it('strict parsing of the type field', () => {
    const withType = (type: unknown) => edit(text, (m) => ({ ...m, type }));
    expect(code(() => readKeyFileHeader(withType('ed25519')))).toBe('KEY_FILE_MALFORMED');
    expect(code(() => readKeyFileHeader(withType('ML-DSA-44')))).toBe('KEY_FILE_MALFORMED');
    expect(code(() => readKeyFileHeader(withType(6)))).toBe('KEY_FILE_MALFORMED');
    // Without the type the 1312-byte key is not an Ed25519 key.
    const untyped = edit(text, ({ type: _t, ...m }) => m);
    expect(code(() => readKeyFileHeader(untyped))).toBe('KEY_FILE_MALFORMED');
    // The type after name is not the canonical order.
    const moved = edit(text, ({ type, ...m }) => ({ ...m, type }));
    expect(code(() => readKeyFileHeader(moved))).toBe('KEY_FILE_MALFORMED');
    // An Ed25519 file with "type":"ml-dsa-44" added: wrong key length.
    const ed = encryptKeyFile({ name: NAME, seed: SEED, passphrase: PASS, kdf: FAST });
    const relabelled = edit(ed, ({ format, ...m }) => ({ format, type: 'ml-dsa-44', ...m }));
    expect(code(() => readKeyFileHeader(relabelled))).toBe('KEY_FILE_MALFORMED');
    // A public key or key id of another seed: malformed (key id) or mismatch (decrypts to another key).
    const other = mlDsa44KeyPairFromSeed(new Uint8Array(32)).publicKey;
    const otherKey = edit(text, (m) => ({ ...m, publicKey: Buffer.from(other).toString('base64') }));
    expect(code(() => readKeyFileHeader(otherKey))).toBe('KEY_FILE_MALFORMED');
  });

  it('an unknown type is refused on write', () => {
    const bad = { name: NAME, seed: SEED, passphrase: PASS, kdf: FAST, type: 'rsa' } as unknown as Parameters<
      typeof encryptKeyFile
    >[0];
    expect(code(() => encryptKeyFile(bad))).toBe('KEY_TYPE_INVALID');
  });
});
