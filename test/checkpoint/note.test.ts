/**
 * Signed notes (c2sp.org/signed-note): known answers from Go's reference
 * implementation, strict parsing, verification rules and vkeys.
 *
 * Known-answer vectors: golang.org/x/mod sumdb/note/note_test.go (TestSign,
 * TestOpen, TestNewVerifier) and transparency-dev/formats note/note_cosigv1_test.go
 * (TestCoSigV1NewVerifier).
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, toHex, utf8 } from '../../src/bytes.js';
import {
  ed25519NoteVerifier,
  formatNote,
  formatVkey,
  MAX_NOTE_BYTES,
  type NoteVerifier,
  noteKeyId,
  noteVerifierFromVkey,
  parseNote,
  parseNoteBytes,
  parseSignatureLine,
  parseVkey,
  signNoteLine,
  verifyNote,
} from '../../src/checkpoint/index.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import { expectCode, seed } from './helpers.js';
import { ENOCH_SIG, ENOCH_VKEY, GO_TEXT, PETER_SIG, PETER_SKEY_B64, PETER_VKEY } from './vectors.js';

describe('known answers from Go sumdb/note', () => {
  const skey = fromBase64(PETER_SKEY_B64)!;
  const peterSigner = signerFromSeed(skey.slice(1));
  const peter = noteVerifierFromVkey(PETER_VKEY);
  const enoch = noteVerifierFromVkey(ENOCH_VKEY);

  it('derives the same public key and key ID as the vkey', () => {
    expect(skey[0]).toBe(0x01);
    expect(formatVkey('PeterNeumann', peterSigner.publicKey)).toBe(PETER_VKEY);
    expect(toHex(noteKeyId('PeterNeumann', 0x01, peterSigner.publicKey))).toBe('c74f20a3');
    expect(toHex(peter.keyId)).toBe('c74f20a3');
    expect(toHex(enoch.keyId)).toBe('af0cfe78');
  });

  it('signs byte-for-byte like Go (TestSign)', () => {
    expect(signNoteLine(GO_TEXT, 'PeterNeumann', peterSigner)).toBe(PETER_SIG);
    expect(formatNote(GO_TEXT, [PETER_SIG])).toBe(`${GO_TEXT}\n${PETER_SIG}`);
  });

  it('opens with one known and one unknown signer (TestOpen)', () => {
    const note = `${GO_TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const parsed = parseNote(note);
    expect(parsed.text).toBe(GO_TEXT);
    expect(parsed.signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(toHex(parsed.signatures[0]!.keyId)).toBe('c74f20a3');
    expect(parsed.signatures[0]!.signature.length).toBe(64);
    expect(verifyNote(note, [peter]).verified).toEqual([peter]);
    expect(verifyNote(note, [peter, enoch]).verified).toEqual([peter, enoch]);
    expect(verifyNote(note, [enoch, peter]).verified).toEqual([enoch, peter]);
  });

  it('rejects a note with no known signer (NOTE_UNVERIFIED)', () => {
    expectCode(() => verifyNote(`${GO_TEXT}\n${PETER_SIG}${ENOCH_SIG}`, []), 'NOTE_UNVERIFIED');
  });

  it('rejects 101 signatures even if all verify (too many)', () => {
    expectCode(() => parseNote(`${GO_TEXT}\n${PETER_SIG.repeat(101)}`), 'NOTE_MALFORMED');
    expect(parseNote(`${GO_TEXT}\n${PETER_SIG.repeat(100)}`).signatures.length).toBe(100);
    expect(verifyNote(`${GO_TEXT}\n${PETER_SIG.repeat(100)}`, [peter]).verified).toEqual([peter]);
  });

  it('rejects an invalid signature by a known key (NOTE_BAD_SIGNATURE)', () => {
    const bad = `${GO_TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`;
    const e = expectCode(() => verifyNote(bad, [peter]), 'NOTE_BAD_SIGNATURE');
    expect(e.category).toBe('verification');
    expect(e.details['keyId']).toBe('c74f20a3');
  });

  it('ignores duplicated and corrupted unknown signatures', () => {
    const enochABCD = `${ENOCH_SIG.slice(0, 60)}ABCD${ENOCH_SIG.slice(60)}`;
    const note = `${GO_TEXT}\n${PETER_SIG}${PETER_SIG}${ENOCH_SIG}${ENOCH_SIG}${enochABCD}`;
    expect(verifyNote(note, [peter]).verified).toEqual([peter]);
    // …but a corrupted signature by a key we do know rejects the note.
    expectCode(() => verifyNote(note, [peter, enoch]), 'NOTE_BAD_SIGNATURE');
  });

  it('rejects the malformed messages of TestOpen', () => {
    const bad = [
      GO_TEXT,
      `${GO_TEXT}\n`,
      `${GO_TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\x01${GO_TEXT}\n${PETER_SIG}`,
      `${GO_TEXT}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=`,
      `${GO_TEXT}\n${PETER_SIG}Unexpected line.\n`,
    ];
    for (const m of bad) expectCode(() => parseNote(m), 'NOTE_MALFORMED');
    // "\xff" + text: invalid UTF-8, only expressible as bytes.
    const bytes = new Uint8Array([0xff, ...utf8(`${GO_TEXT}\n${PETER_SIG}`)]);
    expectCode(() => parseNoteBytes(bytes), 'NOTE_MALFORMED');
    expect(parseNoteBytes(utf8(`${GO_TEXT}\n${PETER_SIG}`)).text).toBe(GO_TEXT);
  });

  it('ignores a signature whose name or key ID (but not both) matches a known key', () => {
    const misnamed = PETER_SIG.replace('PeterNeumann', 'CarmenSandiego');
    expectCode(() => verifyNote(`${GO_TEXT}\n${misnamed}`, [peter]), 'NOTE_UNVERIFIED');
    const wrongHash = PETER_SIG.replace('x08g', 'xxxx');
    expectCode(() => verifyNote(`${GO_TEXT}\n${wrongHash}`, [peter]), 'NOTE_UNVERIFIED');
  });
});

describe('vkeys', () => {
  it('accepts the Go vkey and rejects every substring and single-character mangling (TestNewVerifier)', () => {
    expect(parseVkey(PETER_VKEY).name).toBe('PeterNeumann');
    const b = [...PETER_VKEY];
    for (let i = 0; i <= b.length; i++) {
      for (let j = i + 1; j <= b.length; j++) {
        if (i === 0 && j === b.length) continue;
        expectCode(() => parseVkey(b.slice(i, j).join('')), 'VKEY_MALFORMED');
      }
    }
    for (let i = 0; i < b.length; i++) {
      const m = [...b];
      m[i] = String.fromCharCode(m[i]!.charCodeAt(0) + 1);
      expectCode(() => parseVkey(m.join('')), 'VKEY_MALFORMED');
    }
    // Wrong key length / unknown algorithm, each with a key ID adjusted to match.
    expectCode(
      () => parseVkey('PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='),
      'VKEY_MALFORMED',
    );
    expectCode(
      () => parseVkey('PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'),
      'VKEY_MALFORMED',
    );
  });

  it('parses the transparency-dev vkeys of types 0x01 and 0x04 and rejects the bad ones', () => {
    const ed = parseVkey('TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6');
    expect(ed.type).toBe(0x01);
    expect(ed.name).toBe('TEST');
    const co = parseVkey('remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2');
    expect(co.type).toBe(0x04);
    expect(toHex(co.keyId)).toBe('da77ade7');
    for (const bad of [
      'bananas.sigstore.dev+12344556',
      'rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!',
      'rekor.sigstore.dev+12345678+AwEB',
      'rekor.sigstore.dev+NOT_A_NUMBER+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6',
      'TEST+00000000+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6',
      'TEST+7997405C+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6', // uppercase hex is not canonical
      'TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6 ',
    ]) {
      expectCode(() => parseVkey(bad), 'VKEY_MALFORMED');
    }
  });

  it('round-trips formatVkey / parseVkey for generated keys', () => {
    const s = signerFromSeed(seed(42));
    const v = parseVkey(formatVkey('example.org/log-1', s.publicKey));
    expect(v.type).toBe(0x01);
    expect(toHex(v.publicKey)).toBe(toHex(s.publicKey));
    expect(toHex(v.keyId)).toBe(toHex(noteKeyId('example.org/log-1', 0x01, s.publicKey)));
    expect(noteVerifierFromVkey(formatVkey('example.org/log-1', s.publicKey)).name).toBe('example.org/log-1');
  });

  it('refuses invalid names and inadmissible keys', () => {
    const s = signerFromSeed(seed(42));
    for (const name of ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u2003b', 'a\u3000b', 'a\nb']) {
      expectCode(() => formatVkey(name, s.publicKey), 'NOTE_KEY_INVALID');
      expectCode(() => ed25519NoteVerifier(name, s.publicKey), 'NOTE_KEY_INVALID');
    }
    // The identity point (small order) is not admissible.
    const identity = new Uint8Array(32);
    identity[0] = 1;
    expectCode(() => ed25519NoteVerifier('x', identity), 'NOTE_KEY_INVALID');
    expectCode(() => ed25519NoteVerifier('x', new Uint8Array(31)), 'NOTE_KEY_INVALID');
    expectCode(() => noteVerifierFromVkey(formatVkey('x', identity)), 'VKEY_MALFORMED');
  });
});

describe('strict note parsing', () => {
  const signer = signerFromSeed(seed(7));
  const text = 'hello\nworld\n';
  const line = signNoteLine(text, 'example.com/k', signer);
  const good = formatNote(text, [line]);

  it('round-trips text and signature lines', () => {
    const p = parseNote(good);
    expect(p.text).toBe(text);
    expect(p.signatures.map((s) => s.line)).toEqual([line]);
    expect(
      formatNote(
        p.text,
        p.signatures.map((s) => s.line),
      ),
    ).toBe(good);
  });

  it('splits at the last blank line, so the text may contain blank lines', () => {
    const t = 'a\n\nb\n\n\nc\n';
    const n = formatNote(t, [signNoteLine(t, 'k', signer)]);
    expect(parseNote(n).text).toBe(t);
    const v = ed25519NoteVerifier('k', signer.publicKey);
    expect(verifyNote(n, [v]).text).toBe(t);
  });

  it('accepts non-ASCII text and names', () => {
    const t = 'Ognuno sta solo sul cuor della terra\ned è subito sera. 🌅\n';
    const n = formatNote(t, [signNoteLine(t, 'quasimodo.example/salvatoré', signer)]);
    const v = ed25519NoteVerifier('quasimodo.example/salvatoré', signer.publicKey);
    expect(verifyNote(n, [v]).verified).toEqual([v]);
  });

  const rejections: [string, string][] = [
    ['empty', ''],
    ['no blank line', `${text}${line}`],
    ['no signatures', `${text}\n`],
    ['signature without final newline', `${text}\n${line.slice(0, -1)}`],
    ['trailing blank line', `${good}\n`],
    ['hyphen instead of em dash', `${text}\n-${line.slice(1)}`],
    ['en dash instead of em dash', `${text}\n\u2013${line.slice(1)}`],
    ['no space after dash', `${text}\n\u2014${line.slice(2)}`],
    ['two spaces after dash', `${text}\n\u2014 ${line.slice(1)}`],
    ['two spaces before base64', line.replace('example.com/k ', 'example.com/k  ')],
    ['missing base64', `${text}\n\u2014 example.com/k\n`],
    ['empty base64', `${text}\n\u2014 example.com/k \n`],
    ['trailing space', `${text}\n${line.slice(0, -1)} \n`],
    ['CR LF line ending', `${text}\n${line.slice(0, -1)}\r\n`],
    ['tab in text', `hel\tlo\n\n${line}`],
    ['NUL in text', `hel\0lo\n\n${line}`],
    ['CR in text', `hello\r\n\n${line}`],
    ['lone high surrogate', `hel\ud800lo\n\n${line}`],
    ['lone low surrogate', `hel\udc00lo\n\n${line}`],
    ['plus in name', `${text}\n\u2014 a+b ${line.split(' ')[2]}`],
    ['NBSP in name', `${text}\n\u2014 a\u00a0b ${line.split(' ')[2]}`],
    ['ideographic space in name', `${text}\n\u2014 a\u3000b ${line.split(' ')[2]}`],
    ['base64 without padding', line.replace(/=\n$/, '\n')],
    ['base64 with non-canonical trailing bits', `${text}\n\u2014 k AAAAAAB=\n`],
    ['base64 url alphabet', `${text}\n\u2014 k AAAA-_AA\n`],
    ['signature of only a key ID', `${text}\n\u2014 k AAAAAA==\n`],
    ['garbage after signatures', `${good}garbage\n`],
  ];
  for (const [what, note] of rejections) {
    it(`rejects: ${what}`, () => {
      const e = expectCode(() => parseNote(note), 'NOTE_MALFORMED');
      expect(e.category).toBe('input');
    });
  }

  it('rejects notes over 1 MiB, measured in UTF-8 bytes', () => {
    const big = 'a'.repeat(MAX_NOTE_BYTES);
    expectCode(() => parseNote(`${big}\n\n${line}`), 'NOTE_MALFORMED');
    // 400k three-byte characters: under 1 Mi UTF-16 units, over 1 MiB of UTF-8.
    const wide = '\u20ac'.repeat(400_000);
    expectCode(() => parseNote(`${wide}\n\n${line}`), 'NOTE_MALFORMED');
    expectCode(() => parseNoteBytes(new Uint8Array(MAX_NOTE_BYTES + 1)), 'NOTE_MALFORMED');
  });

  it('keeps a leading BOM as text instead of dropping it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(good)]);
    expect(parseNoteBytes(bytes).text).toBe(`\ufeff${text}`);
  });

  it('parseSignatureLine needs exactly one terminated line', () => {
    expect(parseSignatureLine(line).name).toBe('example.com/k');
    expectCode(() => parseSignatureLine(line.slice(0, -1)), 'NOTE_MALFORMED');
    expectCode(() => parseSignatureLine(line + line), 'NOTE_MALFORMED');
  });

  it('signNoteLine and formatNote refuse bad text and names', () => {
    for (const t of ['', 'no newline', 'a\tb\n', 'a\r\n']) {
      expectCode(() => signNoteLine(t, 'k', signer), 'NOTE_MALFORMED');
    }
    for (const n of ['', 'a b', 'a+b']) expectCode(() => signNoteLine(text, n, signer), 'NOTE_KEY_INVALID');
    expectCode(() => formatNote(text, []), 'NOTE_MALFORMED');
    expectCode(() => formatNote(text, ['not a line\n']), 'NOTE_MALFORMED');
  });
});

describe('verification rules', () => {
  const a = signerFromSeed(seed(10));
  const b = signerFromSeed(seed(11));
  const text = 'statement\n';
  const va = ed25519NoteVerifier('a.example', a.publicKey);
  const vb = ed25519NoteVerifier('b.example', b.publicKey);
  const note = formatNote(text, [signNoteLine(text, 'a.example', a), signNoteLine(text, 'b.example', b)]);

  it('reports each verified key once, in verifier order', () => {
    expect(verifyNote(note, [vb, va]).verified).toEqual([vb, va]);
    expect(verifyNote(note, [va, va]).verified).toEqual([va]);
  });

  it('rejects a signature by the wrong key under a known name', () => {
    // b signs but claims to be a: the key ID differs, so the line is unknown…
    const forged = formatNote(text, [signNoteLine(text, 'a.example', b)]);
    expectCode(() => verifyNote(forged, [va]), 'NOTE_UNVERIFIED');
    // …and with a's key ID spliced in, it is a bad signature from a known key.
    const sig = parseSignatureLine(signNoteLine(text, 'a.example', b));
    const spliced = `\u2014 a.example ${Buffer.from([...va.keyId, ...sig.signature]).toString('base64')}\n`;
    expectCode(() => verifyNote(formatNote(text, [spliced]), [va]), 'NOTE_BAD_SIGNATURE');
  });

  it('rejects a signature over different text', () => {
    const other = formatNote('other\n', [signNoteLine(text, 'a.example', a)]);
    expectCode(() => verifyNote(other, [va]), 'NOTE_BAD_SIGNATURE');
  });

  it('refuses two different keys with the same name and key ID', () => {
    const clash: NoteVerifier = { ...vb, name: va.name, keyId: va.keyId };
    expectCode(() => verifyNote(note, [va, clash]), 'NOTE_VERIFIER_AMBIGUOUS');
  });

  it('treats a throwing verifier as a failed signature', () => {
    const throwing: NoteVerifier = {
      ...va,
      verify: () => {
        throw new Error('boom');
      },
    };
    expectCode(() => verifyNote(note, [throwing]), 'NOTE_BAD_SIGNATURE');
  });
});
