/**
 * Property tests with fast-check (fixed seeds, so runs are reproducible):
 *  - the parsers never throw anything but a CustodyError, whatever the input;
 *  - a mutated note never verifies a signature line that was not in the
 *    original, nor a text other than the original;
 *  - a flipped bit in any signature never verifies.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, toBase64 } from '../../src/bytes.js';
import {
  cosignatureVerifier,
  ed25519NoteVerifier,
  formatCheckpoint,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  parseNoteBytes,
  parseVkey,
  parseWitnessState,
  signCheckpoint,
  signCosignature,
  verifierFromVkey,
  verifyNote,
  verifyWithPolicy,
  witnessCosign,
} from '../../src/checkpoint/index.js';
import { CustodyError } from '../../src/errors.js';
import { LOG_ORIGIN, leaves, logSigner, mth, witnessNames, witnessSigners } from './helpers.js';

/** Runs fn; passes if it returns or throws a CustodyError, fails on any other exception. */
function onlyCustodyErrors<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof CustodyError)) throw e;
    return undefined;
  }
}

const cp = { origin: LOG_ORIGIN, size: 9, root: mth(leaves.slice(0, 9)) };
const body = formatCheckpoint(cp);
const T = 1_700_000_000;
const original =
  signCheckpoint(cp, LOG_ORIGIN, logSigner) +
  witnessSigners.map((s, i) => signCosignature(body, witnessNames[i]!, s, T + i)).join('');
const originalLines = new Set(parseNote(original).signatures.map((s) => s.line));
const log = ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey);
const witnesses = witnessSigners.map((s, i) => cosignatureVerifier(witnessNames[i]!, s.publicKey));
const allKeys = [log, ...witnesses];

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnitString = (maxLength: number) =>
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength }).map((a) => String.fromCharCode(...a));

/** Strings assembled from note-like pieces, to get past the first checks. */
const noteish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\n',
        '\n\n',
        '\u2014 ',
        ' ',
        '+',
        '=',
        LOG_ORIGIN,
        '9\n',
        'AAAA',
        '\u2014',
        '\r',
        '\u00a0',
      ),
      fc.string({ maxLength: 12 }),
      fc.uint8Array({ minLength: 1, maxLength: 80 }).map((b) => toBase64(b)),
      fc.constantFrom(...original.split(/(?<=\n)/)),
    ),
    { maxLength: 25 },
  )
  .map((parts) => parts.join(''));

const anyString = fc.oneof(fc.string({ maxLength: 300 }), codeUnitString(300), noteish);

describe('parsers only ever throw CustodyError', () => {
  it('parseNote, verifyNote, parseCheckpoint, openCheckpoint (2000 runs)', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        onlyCustodyErrors(() => parseNote(s));
        onlyCustodyErrors(() => verifyNote(s, allKeys));
        onlyCustodyErrors(() => parseCheckpoint(s));
        onlyCustodyErrors(() => openCheckpoint(s, log));
        onlyCustodyErrors(() => verifyWithPolicy(s, { log, witnesses, quorum: 2 }));
      }),
      { seed: 0xf022, numRuns: 2000 },
    );
  });

  it('parseNoteBytes on random bytes (1000 runs)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
        onlyCustodyErrors(() => parseNoteBytes(b));
      }),
      { seed: 0xb17e5, numRuns: 1000 },
    );
  });

  it('parseVkey, verifierFromVkey and parseWitnessState (1000 runs)', () => {
    const vkeyish = fc
      .array(fc.oneof(fc.constantFrom('+', 'a', 'AQ', 'BA', '=', '0'), fc.string({ maxLength: 10 })), {
        maxLength: 12,
      })
      .map((p) => p.join(''));
    fc.assert(
      fc.property(fc.oneof(anyString, vkeyish, fc.json()), (s) => {
        onlyCustodyErrors(() => parseVkey(s));
        onlyCustodyErrors(() => verifierFromVkey(s));
        onlyCustodyErrors(() => parseWitnessState(s));
      }),
      { seed: 0x5ee5, numRuns: 1000 },
    );
  });
});

type Edit =
  | { kind: 'replace'; at: number; with: string }
  | { kind: 'insert'; at: number; with: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'swapLines'; a: number; b: number }
  | { kind: 'dupLine'; a: number };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    with: fc.string({ minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    with: fc.string({ minLength: 1, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('dupLine' as const), a: fc.nat() }),
);

function applyEdit(s: string, e: Edit): string {
  switch (e.kind) {
    case 'replace': {
      const i = e.at % s.length;
      return s.slice(0, i) + e.with + s.slice(i + e.with.length);
    }
    case 'insert': {
      const i = e.at % (s.length + 1);
      return s.slice(0, i) + e.with + s.slice(i);
    }
    case 'delete': {
      const i = e.at % s.length;
      return s.slice(0, i) + s.slice(i + e.length);
    }
    case 'swapLines': {
      const lines = s.split('\n');
      const a = e.a % lines.length;
      const b = e.b % lines.length;
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'dupLine': {
      const lines = s.split('\n');
      const a = e.a % lines.length;
      lines.splice(a, 0, lines[a]!);
      return lines.join('\n');
    }
  }
}

describe('mutations of a valid cosigned checkpoint', () => {
  it('the original verifies with all five keys', () => {
    const r = verifyWithPolicy(original, { log, witnesses, quorum: 4 });
    expect(r.witnessesVerified).toEqual(witnessNames);
  });

  it('never verify a line or a text that was not in the original (1500 runs)', () => {
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 3 }), (edits) => {
        const mutated = edits.reduce(applyEdit, original);
        const r = onlyCustodyErrors(() => verifyNote(mutated, allKeys));
        onlyCustodyErrors(() => verifyWithPolicy(mutated, { log, witnesses, quorum: 1 }));
        onlyCustodyErrors(() =>
          witnessCosign({
            state: { size: 9, root: cp.root },
            noteText: mutated,
            logVerifier: log,
            consistencyProof: [],
            witnessName: 'x.example/w',
            witnessSigner: witnessSigners[0]!,
            now: T,
          }),
        );
        if (r === undefined) return;
        // Verified: the text must be the original, and every line from a known
        // key (all of which verified, or verifyNote would have thrown) original.
        expect(r.text).toBe(body);
        for (const sig of parseNote(mutated).signatures) {
          if (allKeys.some((k) => k.name === sig.name && toHexStr(k.keyId) === toHexStr(sig.keyId))) {
            expect(originalLines.has(sig.line)).toBe(true);
          }
        }
      }),
      { seed: 0x3a7a7e, numRuns: 1500 },
    );
  });

  it('a flipped bit in any signature line never verifies that line (all lines x 600 runs)', () => {
    const sigs = parseNote(original).signatures;
    fc.assert(
      fc.property(fc.nat({ max: sigs.length - 1 }), fc.nat(), (which, bit) => {
        const s = sigs[which]!;
        const raw = concat(s.keyId, s.signature);
        const i = bit % (raw.length * 8);
        raw[i >> 3] = raw[i >> 3]! ^ (1 << (i & 7));
        const line = `\u2014 ${s.name} ${toBase64(raw)}\n`;
        const mutated = original.replace(s.line, line);
        const r = onlyCustodyErrors(() => verifyNote(mutated, allKeys));
        if (i < 32) {
          // The key ID changed: the line is now unknown and ignored (or the
          // note is unverified if it was the only known signature).
          if (r !== undefined) expect(r.verified.some((v) => v.name === s.name)).toBe(false);
        } else {
          expect(r).toBeUndefined();
        }
      }),
      { seed: 0xb1f11b, numRuns: 600 },
    );
  });
});

function toHexStr(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
