/**
 * tlog checkpoints (c2sp.org/tlog-checkpoint): formatting, strict parsing,
 * signing and opening, with known answers from real logs.
 *
 * Known-answer vectors: signed checkpoints of a Sigsum test log from
 * FiloSottile/torchwood internal/witness/witness_test.go (TestRace) and
 * cmd/litewitness/testdata/multi-cosigs-ed25519.txt.
 */
import { describe, expect, it } from 'vitest';
import { toBase64, toHex } from '../../src/bytes.js';
import {
  ed25519NoteVerifier,
  formatCheckpoint,
  formatNote,
  openCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  signNoteLine,
} from '../../src/checkpoint/index.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { expectCode, LOG_ORIGIN, leaves, logSigner, mth, seed } from './helpers.js';
import {
  LITE_CP,
  LITE_ORIGIN,
  LITE_PK,
  SIGSUM_CP1,
  SIGSUM_CP3,
  SIGSUM_CP5,
  SIGSUM_ORIGIN,
  SIGSUM_PK,
} from './vectors.js';

describe('known answers: Sigsum log checkpoints verified by Go code', () => {
  const v = ed25519NoteVerifier(SIGSUM_ORIGIN, SIGSUM_PK);

  it('the fixtures are self-consistent (Sigsum origin = hex SHA-256 of the key)', () => {
    expect(SIGSUM_ORIGIN.endsWith(toHex(sha256(SIGSUM_PK)))).toBe(true);
    expect(LITE_ORIGIN.endsWith(toHex(sha256(LITE_PK)))).toBe(true);
  });

  it('opens the size 1, 3 and 5 checkpoints', () => {
    expect(openCheckpoint(SIGSUM_CP1, v).checkpoint.size).toBe(1);
    expect(toHex(openCheckpoint(SIGSUM_CP1, v).checkpoint.root)).toBe(`2a${'00'.repeat(31)}`);
    expect(openCheckpoint(SIGSUM_CP3, v).checkpoint.size).toBe(3);
    const c5 = openCheckpoint(SIGSUM_CP5, v).checkpoint;
    expect(c5.origin).toBe(SIGSUM_ORIGIN);
    expect(c5.size).toBe(5);
    expect(toHex(c5.root)).toBe('42bb57ad06420afa4882c4a63ac6a1ec77480b330b2f20dfc53a0caa5f564e36');
    expect(c5.extensions).toEqual([]);
  });

  it('opens the litewitness test checkpoint', () => {
    const lv = ed25519NoteVerifier(LITE_ORIGIN, LITE_PK);
    expect(openCheckpoint(LITE_CP, lv).checkpoint.size).toBe(1);
    expectCode(() => openCheckpoint(LITE_CP, v), 'CHECKPOINT_ORIGIN_MISMATCH');
  });

  it('rejects a checkpoint with a changed size or root', () => {
    expectCode(() => openCheckpoint(SIGSUM_CP5.replace('\n5\n', '\n6\n'), v), 'NOTE_BAD_SIGNATURE');
    expectCode(() => openCheckpoint(SIGSUM_CP1.replace('KgAAAAAA', 'KgEAAAAA'), v), 'NOTE_BAD_SIGNATURE');
  });
});

describe('formatCheckpoint / parseCheckpoint', () => {
  const root = mth(leaves.slice(0, 7));

  it('formats origin, decimal size and base64 root, each newline-terminated', () => {
    expect(formatCheckpoint({ origin: 'example.com/log', size: 7, root })).toBe(
      `example.com/log\n7\n${toBase64(root)}\n`,
    );
    expect(formatCheckpoint({ origin: 'o', size: 0, root, extensions: ['x y', 'z'] })).toBe(
      `o\n0\n${toBase64(root)}\nx y\nz\n`,
    );
  });

  it('round-trips, including extension lines and large sizes', () => {
    for (const size of [0, 1, 20852163, 2 ** 32, Number.MAX_SAFE_INTEGER]) {
      const cp = { origin: 'example.com/behind-the-sofa', size, root, extensions: ['ext 1', 'ext 2'] };
      const p = parseCheckpoint(formatCheckpoint(cp));
      expect(p.origin).toBe(cp.origin);
      expect(p.size).toBe(size);
      expect(toHex(p.root)).toBe(toHex(root));
      expect(p.extensions).toEqual(cp.extensions);
    }
  });

  it('parses the spec example body (tlog-checkpoint)', () => {
    const p = parseCheckpoint(
      'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
    expect(p.size).toBe(20852163);
    expect(p.root.length).toBe(32);
  });

  const r = toBase64(root);
  const bad: [string, string][] = [
    ['empty', ''],
    ['no final newline', `o\n1\n${r}`],
    ['two lines', `o\n1\n`],
    ['empty origin', `\n1\n${r}\n`],
    ['leading zero', `o\n01\n${r}\n`],
    ['double zero', `o\n00\n${r}\n`],
    ['plus sign', `o\n+1\n${r}\n`],
    ['minus sign', `o\n-1\n${r}\n`],
    ['space in size', `o\n 1\n${r}\n`],
    ['hex size', `o\n0x10\n${r}\n`],
    ['exponent', `o\n1e3\n${r}\n`],
    ['empty size', `o\n\n${r}\n`],
    ['size above 2^53 - 1', `o\n9007199254740992\n${r}\n`],
    ['huge size', `o\n${'9'.repeat(30)}\n${r}\n`],
    ['fullwidth digit', `o\n\uff11\n${r}\n`],
    ['short root', `o\n1\n${toBase64(root.slice(0, 31))}\n`],
    ['long root', `o\n1\n${toBase64(new Uint8Array(33))}\n`],
    ['unpadded root', `o\n1\n${r.slice(0, -1)}\n`],
    ['root with whitespace', `o\n1\n ${r}\n`],
    ['hex root', `o\n1\n${toHex(root)}\n`],
    ['empty extension line', `o\n1\n${r}\n\next\n`],
    ['trailing empty line', `o\n1\n${r}\n\n`],
    ['control character in origin', `o\x7f\n1\n${r}\n`],
    ['tab in extension', `o\n1\n${r}\na\tb\n`],
    ['CR line endings', `o\r\n1\r\n${r}\r\n`],
  ];
  for (const [what, text] of bad) {
    it(`rejects: ${what}`, () => {
      expectCode(() => parseCheckpoint(text), 'CHECKPOINT_MALFORMED');
    });
  }

  it('formatCheckpoint refuses what parseCheckpoint would reject', () => {
    const ok = { origin: 'o', size: 1, root };
    for (const cp of [
      { ...ok, origin: '' },
      { ...ok, origin: 'a\nb' },
      { ...ok, size: -1 },
      { ...ok, size: 1.5 },
      { ...ok, size: Number.NaN },
      { ...ok, size: 2 ** 53 },
      { ...ok, root: root.slice(1) },
      { ...ok, extensions: [''] },
      { ...ok, extensions: ['a\nb'] },
    ]) {
      expectCode(() => formatCheckpoint(cp), 'CHECKPOINT_MALFORMED');
    }
  });
});

describe('signCheckpoint / openCheckpoint', () => {
  const root = mth(leaves.slice(0, 5));
  const cp = { origin: LOG_ORIGIN, size: 5, root };
  const v = ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey);

  it('round-trips through a signed note', () => {
    const note = signCheckpoint(cp, LOG_ORIGIN, logSigner);
    expect(note.startsWith(`${LOG_ORIGIN}\n5\n${toBase64(root)}\n\n\u2014 ${LOG_ORIGIN} `)).toBe(true);
    const { checkpoint, note: parsed } = openCheckpoint(note, v);
    expect(checkpoint.size).toBe(5);
    expect(toHex(checkpoint.root)).toBe(toHex(root));
    expect(parsed.signatures.length).toBe(1);
  });

  it('requires the key name to equal the origin', () => {
    expectCode(() => signCheckpoint(cp, 'other.example/log', logSigner), 'CHECKPOINT_ORIGIN_MISMATCH');
    const text = formatCheckpoint(cp);
    const note = formatNote(text, [signNoteLine(text, 'other.example/log', logSigner)]);
    const other = ed25519NoteVerifier('other.example/log', logSigner.publicKey);
    const e = expectCode(() => openCheckpoint(note, other), 'CHECKPOINT_ORIGIN_MISMATCH');
    expect(e.category).toBe('verification');
  });

  it('rejects a checkpoint signed by another key', () => {
    const mallory = signerFromSeed(seed(666));
    const note = signCheckpoint(cp, LOG_ORIGIN, mallory);
    expectCode(() => openCheckpoint(note, v), 'NOTE_UNVERIFIED');
  });

  it('rejects a note whose text is not a checkpoint', () => {
    const text = 'just some text\n';
    const note = formatNote(text, [signNoteLine(text, LOG_ORIGIN, logSigner)]);
    expectCode(() => openCheckpoint(note, v), 'CHECKPOINT_MALFORMED');
  });

  it('can refuse extension lines', () => {
    const note = signCheckpoint({ ...cp, extensions: ['hello'] }, LOG_ORIGIN, logSigner);
    expect(openCheckpoint(note, v).checkpoint.extensions).toEqual(['hello']);
    expectCode(() => openCheckpoint(note, v, { allowExtensions: false }), 'CHECKPOINT_MALFORMED');
  });
});
