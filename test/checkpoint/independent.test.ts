/**
 * Cross-check against an independent verifier (./independent-verifier.ts,
 * written from the specs over node:crypto, sharing no code with src/): every
 * note src/checkpoint produces verifies there, every tampered one is rejected
 * there, and both agree on Go's reference vectors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ed25519NoteVerifier,
  formatCheckpoint,
  formatNote,
  signCheckpoint,
  signCosignature,
  signNoteLine,
  witnessCosign,
} from '../../src/checkpoint/index.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import {
  consistencyProof,
  LOG_ORIGIN,
  leaves,
  logSigner,
  mth,
  witnessNames,
  witnessSigners,
} from './helpers.js';
import { type IndependentKey, independentVerify } from './independent-verifier.js';
import {
  ENOCH_SIG,
  GO_TEXT,
  PETER_SIG,
  PETER_VKEY,
  SIGSUM_CP5,
  SIGSUM_ORIGIN,
  SIGSUM_PK,
} from './vectors.js';

const logKey: IndependentKey = { name: LOG_ORIGIN, type: 1, publicKey: logSigner.publicKey };
const witnessKeys: IndependentKey[] = witnessSigners.map((s, i) => ({
  name: witnessNames[i]!,
  type: 4,
  publicKey: s.publicKey,
}));

function cosignedNote(size: number, t: number, extensions: string[] = []): string {
  const cp = { origin: LOG_ORIGIN, size, root: mth(leaves.slice(0, size)), extensions };
  const body = formatCheckpoint(cp);
  let note = signCheckpoint(cp, LOG_ORIGIN, logSigner);
  for (let i = 0; i < witnessSigners.length; i++)
    note += signCosignature(body, witnessNames[i]!, witnessSigners[i]!, t);
  return note;
}

describe('the independent verifier itself', () => {
  it("accepts Go's reference note and rejects it tampered", () => {
    const pk = Buffer.from(PETER_VKEY.split('+')[2]!, 'base64').subarray(1);
    const peter: IndependentKey = { name: 'PeterNeumann', type: 1, publicKey: pk };
    const note = `${GO_TEXT}\n${PETER_SIG}${ENOCH_SIG}`;
    const r = independentVerify(note, [peter]);
    expect(r.ok && r.verified).toEqual(['PeterNeumann']);
    expect(independentVerify(note.replace('problem,', 'problem;'), [peter]).ok).toBe(false);
    expect(independentVerify(note, []).ok).toBe(false);
  });

  it('accepts the Sigsum checkpoint verified by Go', () => {
    expect(independentVerify(SIGSUM_CP5, [{ name: SIGSUM_ORIGIN, type: 1, publicKey: SIGSUM_PK }]).ok).toBe(
      true,
    );
  });
});

describe('src/checkpoint output verifies independently', () => {
  it('a log-signed, four-times cosigned checkpoint', () => {
    const note = cosignedNote(9, 1_700_000_000, ['ext']);
    const r = independentVerify(note, [logKey, ...witnessKeys]);
    expect(r.ok).toBe(true);
    expect(r.ok && r.verified).toEqual([LOG_ORIGIN, ...witnessNames]);
  });

  it('a witnessCosign result appended to the log note', () => {
    const note = signCheckpoint(
      { origin: LOG_ORIGIN, size: 12, root: mth(leaves.slice(0, 12)) },
      LOG_ORIGIN,
      logSigner,
    );
    const r = witnessCosign({
      state: { size: 5, root: mth(leaves.slice(0, 5)) },
      noteText: note,
      logVerifier: ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey),
      consistencyProof: consistencyProof(5, leaves.slice(0, 12)),
      witnessName: witnessNames[2]!,
      witnessSigner: witnessSigners[2]!,
      now: 1_760_000_000,
    });
    const v = independentVerify(note + r.cosignatureLine, [witnessKeys[2]!]);
    expect(v.ok && v.verified).toEqual([witnessNames[2]]);
  });

  it('random texts, names, keys and timestamps (100 runs)', () => {
    const nameArb = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
      .filter((s) => !/[\s+\u0085\u007f]/u.test(s) && !/[\u0000-\u001f]/.test(s));
    const lineArb = fc
      .string({ unit: 'grapheme', maxLength: 40 })
      .map((s) => s.replace(/[\u0000-\u001f]/g, ''));
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 6 }),
        nameArb,
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 19 }),
        (textLines, name, sd, t, size) => {
          const signer = signerFromSeed(sd);
          const text = `${textLines.join('\n')}\n`;
          const note = formatNote(text, [signNoteLine(text, name, signer)]);
          const r = independentVerify(note, [{ name, type: 1, publicKey: signer.publicKey }]);
          expect(r.ok).toBe(true);

          const cp = { origin: LOG_ORIGIN, size, root: mth(leaves.slice(0, size)) };
          const cosigned =
            signCheckpoint(cp, LOG_ORIGIN, logSigner) +
            signCosignature(formatCheckpoint(cp), name, signer, t);
          const c = independentVerify(cosigned, [{ name, type: 4, publicKey: signer.publicKey }]);
          expect(c.ok).toBe(true);
        },
      ),
      { seed: 0xc05_1a7e, numRuns: 100 },
    );
  });
});

describe('the independent verifier rejects tampered output', () => {
  const note = cosignedNote(9, 1_700_000_000);

  it('every single-character substitution in the body or a signature line (sampled)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: note.length - 1 }),
        fc.constantFrom('A', 'z', '0', '/', '+', '\n', ' ', '\u2014'),
        (i, c) => {
          if (note[i] === c) return;
          const tampered = note.slice(0, i) + c + note.slice(i + 1);
          // Whatever changed (text, a name, a key ID, a signature, the layout),
          // the five keys can no longer all verify.
          const r = independentVerify(tampered, [logKey, ...witnessKeys]);
          expect(r.ok && r.verified.length === 5).toBe(false);
        },
      ),
      { seed: 0x7a3e, numRuns: 300 },
    );
  });

  it('a cosignature re-timestamped, moved to another checkpoint or signed by another key', () => {
    const other = cosignedNote(10, 1_700_000_000);
    const cosigLine = note.split('\n').find((l) => l.startsWith(`\u2014 ${witnessNames[0]} `))!;
    const moved = `${other.slice(0, other.indexOf('\n\n') + 2)}${cosigLine}\n`;
    expect(independentVerify(moved, [witnessKeys[0]!]).ok).toBe(false);
    const wrongKey = { ...witnessKeys[0]!, publicKey: witnessSigners[1]!.publicKey };
    expect(independentVerify(note, [wrongKey]).ok).toBe(false);
    const raw = Buffer.from(cosigLine.split(' ')[2]!, 'base64');
    raw[11] = raw[11]! ^ 1; // last byte of the timestamp
    const retimed = note.replace(cosigLine, `\u2014 ${witnessNames[0]} ${raw.toString('base64')}`);
    expect(independentVerify(retimed, [witnessKeys[0]!]).ok).toBe(false);
  });
});
