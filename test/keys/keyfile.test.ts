/**
 * custody-key/v2 encrypted key files: round trip, wrong passphrase, every
 * header field tampered, hostile KDF parameters, strict parsing, and no
 * secret in the file or in any error.
 */
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { nobleEd25519 } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { statementKeyShort as keyId } from '../../src/format/key-id.js';
import {
  DEFAULT_KDF,
  decryptKeyFile,
  encryptKeyFile,
  KEY_FILE_FORMAT,
  readKeyFileHeader,
  WRONG_PASSPHRASE_MESSAGE,
} from '../../src/keys/keyfile.js';

const FAST = { N: 2 ** 14, r: 8, p: 1 } as const;
const SEED = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 255);
const PASS = 'correct horse battery staple';
const NAME = 'Evidence Officer Åsa Lindqvist';

const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** Every CustodyError thrown in this file, to check that none leaks a secret. */
const seenErrors: CustodyError[] = [];

function thrown(f: () => unknown): CustodyError {
  try {
    f();
  } catch (e) {
    if (!(e instanceof CustodyError)) throw e;
    seenErrors.push(e);
    return e;
  }
  throw new Error('expected a CustodyError, nothing was thrown');
}

function expectCode(f: () => unknown, code: string): CustodyError {
  const e = thrown(f);
  expect(e.code, e.message).toBe(code);
  expect(e.category).toBe('input');
  return e;
}

type Json = Record<string, unknown> & { kdf: Record<string, unknown>; cipher: Record<string, unknown> };
const parseFile = (text: string): Json => JSON.parse(text) as Json;
const writeFile = (o: Json): string => `${JSON.stringify(o)}\n`;
const edit = (text: string, f: (o: Json) => void): string => {
  const o = parseFile(text);
  f(o);
  return writeFile(o);
};

const DELETE = Symbol('delete');
/** The file text with one field (a path such as ['kdf', 'N']) set to `value`, or removed with DELETE. */
function withField(
  text: string,
  path: readonly [string] | readonly [string, string],
  value: unknown,
): string {
  const o: Record<string, unknown> = parseFile(text);
  const [first, second] = path;
  const target = second === undefined ? o : (o[first] as Record<string, unknown>);
  const key = second ?? first;
  if (value === DELETE) delete target[key];
  else target[key] = value;
  return `${JSON.stringify(o)}\n`;
}

/**
 * An independent writer of the documented format (node:crypto and Buffer base64
 * only, nothing from src/keys): pins the AAD layout and lets the tests build
 * files the library would never write, such as a well-sealed file naming the
 * wrong public key.
 */
function craft(o: {
  name: string;
  seed: Uint8Array;
  publicKey: Uint8Array;
  passphrase: string;
  N: number;
  r: number;
  p: number;
}): string {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const kid = keyId(o.publicKey);
  const aad = JSON.stringify([
    'custody-key/v2',
    o.name,
    b64(o.publicKey),
    kid,
    'scrypt',
    o.N,
    o.r,
    o.p,
    b64(salt),
    'aes-256-gcm',
    b64(nonce),
  ]);
  const key = scryptSync(o.passphrase.normalize('NFC'), salt, 32, {
    N: o.N,
    r: o.r,
    p: o.p,
    maxmem: 256 * o.N * o.r,
  });
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(o.seed), c.final(), c.getAuthTag()]);
  return (
    JSON.stringify({
      format: 'custody-key/v2',
      name: o.name,
      publicKey: b64(o.publicKey),
      keyId: kid,
      kdf: { name: 'scrypt', N: o.N, r: o.r, p: o.p, salt: b64(salt) },
      cipher: { name: 'aes-256-gcm', nonce: b64(nonce) },
      ciphertext: b64(ct),
    }) + '\n'
  );
}

const FILE = encryptKeyFile({ name: NAME, seed: SEED, passphrase: PASS, kdf: FAST });
const PUB = nobleEd25519.publicKey(SEED);

describe('round trip', () => {
  it('decrypts to the same seed, name, public key and key id', () => {
    const k = decryptKeyFile(FILE, PASS);
    expect(toHex(k.seed)).toBe(toHex(SEED));
    expect(k.name).toBe(NAME);
    expect(toHex(k.publicKey)).toBe(toHex(PUB));
    expect(k.keyId).toBe(keyId(PUB));
  });

  it('writes one JSON object on one line with a trailing newline, fields in the documented order', () => {
    expect(FILE.endsWith('}\n')).toBe(true);
    expect(FILE.indexOf('\n')).toBe(FILE.length - 1);
    const o = parseFile(FILE);
    expect(Object.keys(o)).toEqual(['format', 'name', 'publicKey', 'keyId', 'kdf', 'cipher', 'ciphertext']);
    expect(o['format']).toBe(KEY_FILE_FORMAT);
    expect(o['publicKey']).toBe(b64(PUB));
    expect(o['keyId']).toBe(keyId(PUB));
    expect(Object.keys(o.kdf)).toEqual(['name', 'N', 'r', 'p', 'salt']);
    expect(o.kdf).toMatchObject({ name: 'scrypt', N: 16384, r: 8, p: 1 });
    expect(Buffer.from(o.kdf['salt'] as string, 'base64').length).toBe(16);
    expect(o.cipher['name']).toBe('aes-256-gcm');
    expect(Buffer.from(o.cipher['nonce'] as string, 'base64').length).toBe(12);
    expect(Buffer.from(o['ciphertext'] as string, 'base64').length).toBe(48);
  });

  it('readKeyFileHeader returns the header without the passphrase', () => {
    const h = readKeyFileHeader(FILE);
    expect(h.name).toBe(NAME);
    expect(toHex(h.publicKey)).toBe(toHex(PUB));
    expect(h.keyId).toBe(keyId(PUB));
    expect(h.kdf).toMatchObject({ name: 'scrypt', N: 16384, r: 8, p: 1 });
    expect(h.kdf.salt.length).toBe(16);
    expect(h.cipher.nonce.length).toBe(12);
  });

  it('uses N = 2^15, r = 8, p = 1 by default', () => {
    expect(DEFAULT_KDF).toEqual({ N: 32768, r: 8, p: 1 });
    const text = encryptKeyFile({ name: 'default', seed: SEED, passphrase: PASS });
    expect(readKeyFileHeader(text).kdf).toMatchObject({ N: 32768, r: 8, p: 1 });
    expect(toHex(decryptKeyFile(text, PASS).seed)).toBe(toHex(SEED));
  });

  it('fresh salt and nonce every time', () => {
    const a = parseFile(encryptKeyFile({ name: NAME, seed: SEED, passphrase: PASS, kdf: FAST }));
    const b = parseFile(FILE);
    expect(a.kdf['salt']).not.toBe(b.kdf['salt']);
    expect(a.cipher['nonce']).not.toBe(b.cipher['nonce']);
    expect(a['ciphertext']).not.toBe(b['ciphertext']);
  });

  it('normalizes the passphrase to NFC (composed and decomposed spellings open the same file)', () => {
    const composed = 'p\u00e4ssw\u00f6rd \u00c5';
    const decomposed = 'pa\u0308sswo\u0308rd A\u030a';
    expect(composed).not.toBe(decomposed);
    const text = encryptKeyFile({ name: 'nfc', seed: SEED, passphrase: decomposed, kdf: FAST });
    expect(toHex(decryptKeyFile(text, composed).seed)).toBe(toHex(SEED));
  });

  it('reads a file written by an independent implementation of the documented format', () => {
    const text = craft({ name: 'interop', seed: SEED, publicKey: PUB, passphrase: PASS, ...FAST });
    expect(toHex(decryptKeyFile(text, PASS).seed)).toBe(toHex(SEED));
  });

  it('accepts the other allowed KDF settings (p = 2)', () => {
    const text = encryptKeyFile({
      name: 'p2',
      seed: SEED,
      passphrase: PASS,
      kdf: { N: 2 ** 14, r: 8, p: 2 },
    });
    expect(toHex(decryptKeyFile(text, PASS).seed)).toBe(toHex(SEED));
  });
});

describe('wrong passphrase', () => {
  for (const wrong of ['', 'correct horse battery stapl', `${PASS} `, 'CORRECT HORSE BATTERY STAPLE']) {
    it(`${JSON.stringify(wrong)} is refused with KEY_PASSPHRASE_WRONG`, () => {
      const e = expectCode(() => decryptKeyFile(FILE, wrong), 'KEY_PASSPHRASE_WRONG');
      expect(e.message).toBe(WRONG_PASSPHRASE_MESSAGE);
      expect(e.message).toBe('wrong passphrase for key file (or the file was altered)');
    });
  }
});

describe('tampering with any field is detected', () => {
  const other = nobleEd25519.publicKey(new Uint8Array(32).fill(1));
  const otherFile = encryptKeyFile({
    name: NAME,
    seed: new Uint8Array(32).fill(1),
    passphrase: PASS,
    kdf: FAST,
  });
  const from = parseFile(otherFile);

  const cases: [string, string, string][] = [
    ['name changed', withField(FILE, ['name'], 'Someone Else'), 'KEY_PASSPHRASE_WRONG'],
    ['name: one letter case', withField(FILE, ['name'], NAME.toLowerCase()), 'KEY_PASSPHRASE_WRONG'],
    [
      'publicKey and keyId replaced by another admissible key',
      edit(FILE, (o) => {
        o['publicKey'] = b64(other);
        o['keyId'] = keyId(other);
      }),
      'KEY_PASSPHRASE_WRONG',
    ],
    ['publicKey replaced, keyId left', withField(FILE, ['publicKey'], b64(other)), 'KEY_FILE_MALFORMED'],
    ['keyId replaced', withField(FILE, ['keyId'], keyId(other)), 'KEY_FILE_MALFORMED'],
    ['salt from another file', withField(FILE, ['kdf', 'salt'], from.kdf['salt']), 'KEY_PASSPHRASE_WRONG'],
    [
      'nonce from another file',
      withField(FILE, ['cipher', 'nonce'], from.cipher['nonce']),
      'KEY_PASSPHRASE_WRONG',
    ],
    [
      'ciphertext from another file',
      withField(FILE, ['ciphertext'], from['ciphertext']),
      'KEY_PASSPHRASE_WRONG',
    ],
    ['kdf.N doubled', withField(FILE, ['kdf', 'N'], 2 ** 15), 'KEY_PASSPHRASE_WRONG'],
    ['kdf.p raised', withField(FILE, ['kdf', 'p'], 2), 'KEY_PASSPHRASE_WRONG'],
    ['kdf.r changed', withField(FILE, ['kdf', 'r'], 16), 'KEY_FILE_MALFORMED'],
    ['kdf.name changed', withField(FILE, ['kdf', 'name'], 'pbkdf2'), 'KEY_FILE_MALFORMED'],
    ['cipher.name changed', withField(FILE, ['cipher', 'name'], 'aes-128-gcm'), 'KEY_FILE_MALFORMED'],
    ['format changed', withField(FILE, ['format'], 'custody-key/v1'), 'KEY_FILE_MALFORMED'],
  ];
  for (const [what, text, code] of cases) {
    it(`${what} → ${code}`, () => {
      expect(text).not.toBe(FILE);
      expectCode(() => decryptKeyFile(text, PASS), code);
    });
  }

  it('salt: every byte changed (one bit each)', () => {
    const salt = Buffer.from(parseFile(FILE).kdf['salt'] as string, 'base64');
    for (let i = 0; i < salt.length; i++) {
      const s = Buffer.from(salt);
      s[i]! ^= 1 << (i % 8);
      const text = withField(FILE, ['kdf', 'salt'], b64(s));
      expectCode(() => decryptKeyFile(text, PASS), 'KEY_PASSPHRASE_WRONG');
    }
  });

  it('nonce: every byte changed (one bit each, rotating)', () => {
    const nonce = Buffer.from(parseFile(FILE).cipher['nonce'] as string, 'base64');
    for (let i = 0; i < nonce.length; i++) {
      const n = Buffer.from(nonce);
      n[i]! ^= 1 << (i % 8);
      const text = withField(FILE, ['cipher', 'nonce'], b64(n));
      expectCode(() => decryptKeyFile(text, PASS), 'KEY_PASSPHRASE_WRONG');
    }
  });

  it('ciphertext and tag: every byte changed (one bit each, rotating), and truncation/extension', () => {
    const ct = Buffer.from(parseFile(FILE)['ciphertext'] as string, 'base64');
    for (let i = 0; i < ct.length; i++) {
      const c = Buffer.from(ct);
      c[i]! ^= 1 << (i % 8);
      const text = withField(FILE, ['ciphertext'], b64(c));
      expectCode(() => decryptKeyFile(text, PASS), 'KEY_PASSPHRASE_WRONG');
    }
    expectCode(
      () => decryptKeyFile(withField(FILE, ['ciphertext'], b64(ct.subarray(0, 47))), PASS),
      'KEY_FILE_MALFORMED',
    );
    expectCode(
      () => decryptKeyFile(withField(FILE, ['ciphertext'], b64(Buffer.concat([ct, Buffer.from([0])]))), PASS),
      'KEY_FILE_MALFORMED',
    );
  });

  it('a sealed file naming the wrong public key (made by someone with the passphrase) → KEY_FILE_MISMATCH', () => {
    const text = craft({ name: 'liar', seed: SEED, publicKey: other, passphrase: PASS, ...FAST });
    expect(readKeyFileHeader(text).keyId).toBe(keyId(other));
    const e = expectCode(() => decryptKeyFile(text, PASS), 'KEY_FILE_MISMATCH');
    expect(e.details).toEqual({ keyId: keyId(other) });
  });
});

describe('hostile KDF parameters are refused before any work', () => {
  const hostile: [string, Record<string, unknown>][] = [
    ['N = 2^30', { N: 2 ** 30 }],
    ['N = 2^21', { N: 2 ** 21 }],
    ['N = 2^13', { N: 2 ** 13 }],
    ['N = 2^53', { N: 2 ** 53 }],
    ['N = 1e308', { N: 1e308 }],
    ['N not a power of two', { N: 3 * 2 ** 14 }],
    ['N = 2^14 + 0.5', { N: 2 ** 14 + 0.5 }],
    ['N negative', { N: -(2 ** 14) }],
    ['N as a string', { N: '16384' }],
    ['N null', { N: null }],
    ['r = 1', { r: 1 }],
    ['r = 1024', { r: 1024 }],
    ['r as a string', { r: '8' }],
    ['p = 0', { p: 0 }],
    ['p = 5', { p: 5 }],
    ['p = 2^30', { p: 2 ** 30 }],
    ['p = 1.5', { p: 1.5 }],
    ['p as a string', { p: '1' }],
  ];
  for (const [what, patch] of hostile) {
    it(`${what} → KEY_FILE_MALFORMED in well under a scrypt`, () => {
      const text = edit(FILE, (o) => Object.assign(o.kdf, patch));
      const t0 = performance.now();
      expectCode(() => readKeyFileHeader(text), 'KEY_FILE_MALFORMED');
      expectCode(() => decryptKeyFile(text, PASS), 'KEY_FILE_MALFORMED');
      // A refused file costs microseconds; even the smallest accepted scrypt (2^14) costs ~40 ms, and
      // the hostile ones would cost seconds and gigabytes.
      expect(performance.now() - t0).toBeLessThan(100);
    });
  }

  it('N = 2^20 (the largest allowed) is not refused by the parser', () => {
    const text = withField(FILE, ['kdf', 'N'], 2 ** 20);
    expect(readKeyFileHeader(text).kdf.N).toBe(2 ** 20);
  });

  it('encryptKeyFile refuses to write out-of-bounds parameters (KEY_KDF_INVALID)', () => {
    for (const kdf of [
      { N: 2 ** 13, r: 8, p: 1 },
      { N: 2 ** 21, r: 8, p: 1 },
      { N: 20000, r: 8, p: 1 },
      { N: 2 ** 14, r: 4, p: 1 },
      { N: 2 ** 14, r: 8, p: 0 },
      { N: 2 ** 14, r: 8, p: 5 },
    ]) {
      expectCode(() => encryptKeyFile({ name: NAME, seed: SEED, passphrase: PASS, kdf }), 'KEY_KDF_INVALID');
    }
  });
});

describe('strict parsing (KEY_FILE_MALFORMED)', () => {
  const o = parseFile(FILE);
  const malformed: [string, unknown][] = [
    ['empty', ''],
    ['not JSON', 'hello'],
    ['a JSON array', '[]\n'],
    ['JSON null', 'null\n'],
    ['not text', 42],
    ['huge', `${FILE.slice(0, -2)},"x":"${'a'.repeat(100_000)}"}\n`],
    ['no trailing newline', FILE.slice(0, -1)],
    ['CRLF', `${FILE.slice(0, -1)}\r\n`],
    ['two trailing newlines', `${FILE}\n`],
    ['pretty-printed', `${JSON.stringify(o, null, 2)}\n`],
    ['leading space', ` ${FILE}`],
    ['fields reordered', `${JSON.stringify({ name: o['name'], ...o })}\n`],
    [
      'duplicate field',
      FILE.replace('"format":"custody-key/v2",', '"format":"custody-key/v2","format":"custody-key/v2",'),
    ],
    ['extra field', withField(FILE, ['comment'], 'hi')],
    ['missing keyId', withField(FILE, ['keyId'], DELETE)],
    ['missing ciphertext', withField(FILE, ['ciphertext'], DELETE)],
    ['__proto__ field', FILE.replace('{"format"', '{"__proto__":{},"format"')],
    ['extra kdf field', withField(FILE, ['kdf', 'dkLen'], 32)],
    ['extra cipher field', withField(FILE, ['cipher', 'tag'], '')],
    ['kdf not an object', withField(FILE, ['kdf'], 'scrypt')],
    ['salt of 15 bytes', withField(FILE, ['kdf', 'salt'], b64(new Uint8Array(15)))],
    ['salt of 17 bytes', withField(FILE, ['kdf', 'salt'], b64(new Uint8Array(17)))],
    ['nonce of 16 bytes', withField(FILE, ['cipher', 'nonce'], b64(new Uint8Array(16)))],
    ['salt in base64url', withField(FILE, ['kdf', 'salt'], b64url(new Uint8Array(16).fill(0xfb)))],
    [
      'salt without padding',
      withField(FILE, ['kdf', 'salt'], (parseFile(FILE).kdf['salt'] as string).replace(/=+$/, '')),
    ],
    ['non-canonical base64 (unused bits set)', withField(FILE, ['kdf', 'salt'], 'AAAAAAAAAAAAAAAAAAAAAB==')],
    ['publicKey of 31 bytes', withField(FILE, ['publicKey'], b64(PUB.subarray(0, 31)))],
    [
      'publicKey of small order (with its keyId)',
      edit(FILE, (x) => {
        const identity = new Uint8Array(32);
        identity[0] = 1;
        x['publicKey'] = b64(identity);
        x['keyId'] = keyId(identity);
      }),
    ],
    ['name empty', withField(FILE, ['name'], '')],
    ['name with a newline', withField(FILE, ['name'], 'a\nb')],
    ['name not a string', withField(FILE, ['name'], 7)],
    ['name too long', withField(FILE, ['name'], 'x'.repeat(129))],
  ];
  for (const [what, text] of malformed) {
    it(what, () => {
      expectCode(() => readKeyFileHeader(text as string), 'KEY_FILE_MALFORMED');
      expectCode(() => decryptKeyFile(text as string, PASS), 'KEY_FILE_MALFORMED');
    });
  }

  it('the malformed error says why, in details.reason', () => {
    const e = expectCode(() => readKeyFileHeader(withField(FILE, ['kdf', 'r'], 1)), 'KEY_FILE_MALFORMED');
    expect(e.details['reason']).toMatch(/kdf\.r/);
  });
});

describe('encryptKeyFile validates its input', () => {
  it('seed must be 32 bytes', () => {
    for (const n of [0, 31, 33, 64]) {
      expectCode(
        () => encryptKeyFile({ name: NAME, seed: new Uint8Array(n), passphrase: PASS, kdf: FAST }),
        'KEY_SEED_INVALID',
      );
    }
  });

  it('passphrase must be non-empty, well-formed text', () => {
    for (const passphrase of ['', 'abc\ud800', '\udc00abc']) {
      expectCode(
        () => encryptKeyFile({ name: NAME, seed: SEED, passphrase, kdf: FAST }),
        'KEY_PASSPHRASE_INVALID',
      );
    }
  });

  it('name must be 1..128 printable characters without surrounding white space', () => {
    for (const name of ['', ' lead', 'trail ', 'a\u0000b', 'tab\there', 'x'.repeat(129), 'bad\ud800']) {
      expectCode(() => encryptKeyFile({ name, seed: SEED, passphrase: PASS, kdf: FAST }), 'KEY_NAME_INVALID');
    }
    const ok = encryptKeyFile({ name: '証拠管理官 🔑', seed: SEED, passphrase: PASS, kdf: FAST });
    expect(readKeyFileHeader(ok).name).toBe('証拠管理官 🔑');
  });
});

describe('no secret leaks', () => {
  it('the file text never contains the seed (hex, base64, base64url) or the passphrase', () => {
    for (let i = 0; i < 5; i++) {
      const seed = new Uint8Array(randomBytes(32));
      const text = encryptKeyFile({ name: `k${i}`, seed, passphrase: PASS, kdf: FAST });
      const lower = text.toLowerCase();
      expect(lower).not.toContain(toHex(seed));
      expect(text).not.toContain(b64(seed));
      expect(text).not.toContain(b64(seed).replace(/=+$/, ''));
      expect(text).not.toContain(b64url(seed));
      // Any 12-byte window of the seed, base64-aligned, would show up as 16 characters.
      for (let j = 0; j + 12 <= 32; j += 3) expect(text).not.toContain(b64(seed.subarray(j, j + 12)));
      expect(text).not.toContain(PASS);
    }
  });

  it('no error message or details mention the seed or the passphrase', () => {
    // Exercise the three decrypt failures once more so this test stands alone.
    thrown(() => decryptKeyFile(FILE, 'nope'));
    thrown(() => decryptKeyFile(FILE.replace('"scrypt"', '"Scrypt"'), PASS));
    const other = nobleEd25519.publicKey(new Uint8Array(32).fill(2));
    thrown(() =>
      decryptKeyFile(craft({ name: 'x', seed: SEED, publicKey: other, passphrase: PASS, ...FAST }), PASS),
    );
    expect(new Set(seenErrors.map((e) => e.code))).toEqual(
      new Set([
        'KEY_PASSPHRASE_WRONG',
        'KEY_FILE_MALFORMED',
        'KEY_FILE_MISMATCH',
        'KEY_KDF_INVALID',
        'KEY_SEED_INVALID',
        'KEY_PASSPHRASE_INVALID',
        'KEY_NAME_INVALID',
      ]),
    );
    expect(seenErrors.length).toBeGreaterThan(20);
    const secrets = [toHex(SEED), b64(SEED), PASS, 'correct horse', 'nope'];
    for (const e of seenErrors) {
      const everything = `${e.message}\n${JSON.stringify(e.details)}\n${String(e.stack)}`;
      for (const s of secrets) expect(everything).not.toContain(s);
    }
  });
});
