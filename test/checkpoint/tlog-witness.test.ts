/**
 * The C2SP tlog-witness add-checkpoint protocol (src/checkpoint/tlog-witness.ts):
 * the request body is parsed strictly; each refusal of the spec has its
 * status (404 unknown origin, 403 no trusted signature, 400 malformed or old
 * size past the checkpoint, 409 with the witness's size as text/x.tlog.size,
 * 422 a proof that does not verify); a 200 answers exactly the cosignature
 * line, and the state to persist carries the note with that line added. The
 * stored state round-trips and garbage is STORE_CORRUPT.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { toBase64, toHex } from '../../src/bytes.js';
import {
  cosignatureVerifier,
  ed25519NoteVerifier,
  parseSignatureLine,
  signCheckpoint,
  verifyCosignature,
  verifyNote,
} from '../../src/checkpoint/index.js';
import {
  type AddCheckpointAnswer,
  answerAddCheckpoint,
  type CosignedState,
  decodeCosignedState,
  encodeCosignedState,
  parseAddCheckpoint,
  requestOrigin,
  TLOG_SIZE_CONTENT_TYPE,
  type WitnessConfig,
} from '../../src/checkpoint/tlog-witness.js';
import { CustodyError } from '../../src/errors.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import {
  consistencyProof,
  expectCode,
  LOG_ORIGIN,
  leaves,
  logSigner,
  mth,
  witnessNames,
  witnessSigners,
} from './helpers.js';

const NOW = 1_750_000_000;
const wName = witnessNames[0]!;
const wSigner = witnessSigners[0]!;
const OTHER_ORIGIN = 'other.example/log';
const otherLogSigner = witnessSigners[3]!;

const config: WitnessConfig = {
  name: wName,
  signer: wSigner,
  logs: new Map([
    [LOG_ORIGIN, ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey)],
    [OTHER_ORIGIN, ed25519NoteVerifier(OTHER_ORIGIN, otherLogSigner.publicKey)],
  ]),
};

const cp = (size: number, signer = logSigner, origin = LOG_ORIGIN) =>
  signCheckpoint({ origin, size, root: mth(leaves.slice(0, size)) }, origin, signer);
const body = (old: number, proof: readonly Uint8Array[], note: string) =>
  `old ${old}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${note}`;
const stateOf = (size: number, note = cp(size)): CosignedState => ({
  size,
  root: mth(leaves.slice(0, size)),
  note,
});
const answer = (b: string, state?: CosignedState) => answerAddCheckpoint(config, b, state, NOW);

function expectStatus(a: AddCheckpointAnswer, status: number) {
  expect(a.status, a.body).toBe(status);
  if (a.status === 200) return a;
  expect(a.body.endsWith('\n')).toBe(true);
  expect(a.contentType).toBe(status === 409 ? TLOG_SIZE_CONTENT_TYPE : 'text/plain; charset=utf-8');
  return a;
}

describe('parseAddCheckpoint', () => {
  it('parses the spec example shape: old size, proof lines, empty line, checkpoint', () => {
    const proof = consistencyProof(3, leaves.slice(0, 7));
    const note = cp(7);
    expect(parseAddCheckpoint(body(3, proof, note))).toEqual({ oldSize: 3, proof, note });
    expect(parseAddCheckpoint(body(0, [], note))).toEqual({ oldSize: 0, proof: [], note });
  });

  test.prop(
    [
      fc.oneof(fc.nat(100), fc.maxSafeNat()),
      fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 63 }),
      fc.string({ unit: 'binary', maxLength: 80 }),
    ],
    { numRuns: 200 },
  )('parses back any body it could be sent', (oldSize, proof, note) => {
    expect(parseAddCheckpoint(body(oldSize, proof, note))).toEqual({ oldSize, proof, note });
  });

  const malformed = (b: string) => expectCode(() => parseAddCheckpoint(b), 'WITNESS_REQUEST_MALFORMED');
  const h = toBase64(new Uint8Array(32).fill(7));
  const note = cp(7);

  it.each([
    ['no old line at all', `\n${note}`],
    ['no newline anywhere', 'old 3'],
    ['a bare size', `3\n\n${note}`],
    ['"old" capitalised', `Old 3\n\n${note}`],
    ['two spaces', `old  3\n\n${note}`],
    ['a tab', `old\t3\n\n${note}`],
    ['a trailing space', `old 3 \n\n${note}`],
    ['a CRLF line end', `old 3\r\n\r\n${note}`],
    ['a leading zero', `old 03\n\n${note}`],
    ['"00"', `old 00\n\n${note}`],
    ['a sign', `old +3\n\n${note}`],
    ['a negative size', `old -1\n\n${note}`],
    ['hex', `old 0x3\n\n${note}`],
    ['an exponent', `old 3e0\n\n${note}`],
    ['17 digits', `old 10000000000000000\n\n${note}`],
    ['a size past 2^53 - 1', `old 9007199254740992\n\n${note}`],
    ['the old "old <size> <hash>" line of an earlier draft', `old 3 ${h}\n\n${note}`],
  ])('refuses an old size line with %s', (_, b) => {
    malformed(b);
  });

  it('takes the largest safe size', () => {
    expect(parseAddCheckpoint(`old 9007199254740991\n\n${note}`).oldSize).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('takes 63 proof lines and refuses 64', () => {
    const proof = Array.from({ length: 63 }, (_, i) => new Uint8Array(32).fill(i));
    expect(parseAddCheckpoint(body(3, proof, note)).proof).toHaveLength(63);
    expect(malformed(body(3, [...proof, new Uint8Array(32)], note)).message).toMatch(/63/);
  });

  it.each([
    ['unpadded', h.slice(0, 43)],
    ['double padding', `${h.slice(0, 42)}==`],
    ['URL-safe characters', `${h.slice(0, 41)}-_=`],
    ['a character outside base64', `${h.slice(0, 42)}*=`],
    ['31 bytes', toBase64(new Uint8Array(31))],
    ['33 bytes', toBase64(new Uint8Array(33))],
    ['64 bytes', toBase64(new Uint8Array(64))],
    ['inner whitespace', `${h.slice(0, 20)} ${h.slice(21)}`],
    ['a trailing space', `${h} `],
    ['a trailing CR', `${h}\r`],
  ])('refuses a proof line that is %s', (_, line) => {
    malformed(`old 3\n${line}\n\n${note}`);
  });

  it('refuses a body whose proof lines are not ended by an empty line', () => {
    // Without the empty line, the checkpoint's first line is read as a proof line.
    malformed(`old 0\n${note}`);
    malformed(`old 3\n${h}\n${note}`);
    // A body that ends inside the proof lines.
    malformed(`old 3\n${h}\n`);
    malformed(`old 3\n${h}`);
    malformed('old 3\n');
  });

  it('an empty checkpoint is not its business: it parses to an empty note', () => {
    expect(parseAddCheckpoint('old 0\n\n')).toEqual({ oldSize: 0, proof: [], note: '' });
  });
});

describe('requestOrigin', () => {
  it("names the origin a body claims, unverified, or undefined when it doesn't parse", () => {
    expect(requestOrigin(body(0, [], cp(7)))).toBe(LOG_ORIGIN);
    expect(requestOrigin(body(0, [], cp(7, witnessSigners[2]!)))).toBe(LOG_ORIGIN);
    expect(requestOrigin(body(0, [], cp(5, otherLogSigner, OTHER_ORIGIN)))).toBe(OTHER_ORIGIN);
    expect(requestOrigin(`old 01\n\n${cp(7)}`)).toBeUndefined();
    expect(requestOrigin('old 0\n\nnot a checkpoint')).toBeUndefined();
  });
});

describe('answerAddCheckpoint', () => {
  it('200 on a first checkpoint: the body is exactly the cosignature line, the state is the note with it', () => {
    const note = cp(7);
    const a = expectStatus(answer(body(0, [], note)), 200);
    if (a.status !== 200) throw new Error('unreachable');
    expect(a.origin).toBe(LOG_ORIGIN);
    // One signature line, by this witness, ending in its newline.
    expect(a.body.startsWith(`— ${wName} `)).toBe(true);
    expect(a.body.endsWith('\n')).toBe(true);
    expect(a.body.indexOf('\n')).toBe(a.body.length - 1);
    expect(parseSignatureLine(a.body).name).toBe(wName);
    const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
    expect(verifyCosignature(text, a.body, { name: wName, publicKey: wSigner.publicKey })).toEqual({
      timestamp: NOW,
    });
    expect(a.state.note).toBe(note + a.body);
    expect(a.state.size).toBe(7);
    expect(toHex(a.state.root)).toBe(toHex(mth(leaves.slice(0, 7))));
    // The note with the line added verifies with the log key and with the witness's cosignature key.
    const cv = cosignatureVerifier(wName, wSigner.publicKey);
    const log = config.logs.get(LOG_ORIGIN)!;
    expect(verifyNote(a.state.note, [log, cv]).verified).toEqual([log, cv]);
  });

  it('200 on a consistent extension; the state moves on; the same checkpoint again is 200 too', () => {
    const first = answer(body(0, [], cp(7)));
    if (first.status !== 200) throw new Error(first.body);
    const next = answer(body(7, consistencyProof(7, leaves.slice(0, 13)), cp(13)), first.state);
    expectStatus(next, 200);
    if (next.status !== 200) throw new Error('unreachable');
    expect(next.state.size).toBe(13);
    expect(next.state.note).toBe(cp(13) + next.body);
    expect(toHex(next.state.root)).toBe(toHex(mth(leaves.slice(0, 13))));
    // The same size and root again: nothing to prove.
    const again = answer(body(13, [], cp(13)), next.state);
    expectStatus(again, 200);
  });

  it('keeps the other signatures of the submitted note in the state note', () => {
    // A note signed by the log and cosigned by another witness before.
    const note = cp(7);
    const other = answer(body(0, [], note));
    if (other.status !== 200) throw new Error(other.body);
    const w2: WitnessConfig = { ...config, name: witnessNames[1]!, signer: witnessSigners[1]! };
    const a = answerAddCheckpoint(w2, body(0, [], other.state.note), undefined, NOW);
    if (a.status !== 200) throw new Error(a.body);
    expect(a.state.note).toBe(other.state.note + a.body);
    expect(a.state.note.split('\n— ')).toHaveLength(4);
  });

  it('404 for an origin the witness does not know', () => {
    const a = answer(body(0, [], cp(7, witnessSigners[2]!, 'unknown.example/log')));
    expectStatus(a, 404);
  });

  it('403 when no signature by the key trusted for the origin verifies', () => {
    // Signed by another key under the right origin.
    expectStatus(answer(body(0, [], cp(7, otherLogSigner))), 403);
    // Signed by our log's key under the other log's origin, which trusts another key.
    expectStatus(answer(body(0, [], cp(5, logSigner, OTHER_ORIGIN))), 403);
    // The right signature over another text: the root edited after signing.
    const note = cp(7);
    const lines = note.split('\n');
    lines[2] = toBase64(mth(leaves.slice(0, 6)));
    expectStatus(answer(body(0, [], lines.join('\n'))), 403);
    // 403 comes before the size checks.
    expectStatus(answer(body(9, [], cp(7, otherLogSigner)), stateOf(3)), 403);
  });

  it('400 for a malformed body, and for an old size larger than the checkpoint', () => {
    expectStatus(answer(`old 03\n\n${cp(7)}`), 400);
    expectStatus(answer(`old 0\n${cp(7)}`), 400);
    expectStatus(answer('old 0\n\nnot a checkpoint\n'), 400);
    expectStatus(answer(''), 400);
    // Old size past the checkpoint: 400, even when it is the witness's own size.
    expectStatus(answer(body(8, [], cp(7))), 400);
    expectStatus(answer(body(13, [], cp(7)), stateOf(13)), 400);
    // Proof lines of 32 bytes are all the body can carry; 64 of them are malformed.
    const tooMany = Array.from({ length: 64 }, () => new Uint8Array(32));
    expectStatus(answer(body(3, tooMany, cp(7)), stateOf(3)), 400);
  });

  it('409 with the latest cosigned size when the old size is not it', () => {
    // Never cosigned: the size is 0.
    const a = expectStatus(answer(body(3, consistencyProof(3, leaves.slice(0, 7)), cp(7))), 409);
    expect(a.body).toBe('0\n');
    // Cosigned at 5: any other old size is 409 "5\n".
    for (const old of [0, 3, 6, 7]) {
      const proof = old === 0 || old === 7 ? [] : consistencyProof(old, leaves.slice(0, 7));
      const c = expectStatus(answer(body(old, proof, cp(7)), stateOf(5)), 409);
      expect(c.body).toBe('5\n');
    }
  });

  it('409 for the same size with another root', () => {
    const forked: CosignedState = { size: 7, root: mth(leaves.slice(1, 8)), note: 'the state note\n' };
    const a = expectStatus(answer(body(7, [], cp(7)), forked), 409);
    expect(a.body).toBe('7\n');
    // A stored note that proves nothing is no evidence; a signed one is (a split view).
    expect('splitView' in a && a.splitView).toBeFalsy();
    const signedFork = signCheckpoint(
      { origin: LOG_ORIGIN, size: 7, root: forked.root },
      LOG_ORIGIN,
      logSigner,
    );
    const b = expectStatus(answer(body(7, [], cp(7)), { ...forked, note: signedFork }), 409);
    expect(b.status === 409 && b.splitView?.notes).toEqual([signedFork, cp(7)]);
  });

  it('422 when the consistency proof does not verify', () => {
    const good = consistencyProof(5, leaves.slice(0, 13));
    expectStatus(answer(body(5, good, cp(13)), stateOf(5)), 200);
    // A proof for other sizes, a hash flipped, a hash missing, an extra hash.
    expectStatus(answer(body(5, consistencyProof(4, leaves.slice(0, 13)), cp(13)), stateOf(5)), 422);
    const flipped = good.map((x) => x.slice());
    flipped[0]![0]! ^= 1;
    expectStatus(answer(body(5, flipped, cp(13)), stateOf(5)), 422);
    expectStatus(answer(body(5, good.slice(1), cp(13)), stateOf(5)), 422);
    expectStatus(answer(body(5, [...good, new Uint8Array(32)], cp(13)), stateOf(5)), 422);
    // A state whose root is not the log's at its size: the log forked from what the witness saw.
    const seenFork: CosignedState = { size: 5, root: mth(leaves.slice(1, 6)), note: '' };
    expectStatus(answer(body(5, good, cp(13)), seenFork), 422);
    // A proof where the spec wants none: from size 0, and for the same checkpoint again.
    expectStatus(answer(body(0, [new Uint8Array(32)], cp(7))), 422);
    expectStatus(answer(body(7, [new Uint8Array(32)], cp(7)), stateOf(7)), 422);
  });

  it('a refusal changes nothing a caller could persist: only a 200 carries a state', () => {
    const answers = [
      answer(body(0, [], cp(7, witnessSigners[2]!, 'unknown.example/log'))),
      answer(body(0, [], cp(7, otherLogSigner))),
      answer(body(8, [], cp(7))),
      answer(body(3, [], cp(7))),
      answer(body(5, consistencyProof(4, leaves.slice(0, 13)), cp(13)), stateOf(5)),
    ];
    expect(answers.map((a) => a.status)).toEqual([404, 403, 400, 409, 422]);
    for (const a of answers) expect(a).not.toHaveProperty('state');
  });
});

describe('the stored state', () => {
  test.prop(
    [fc.maxSafeNat(), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ unit: 'binary' })],
    { numRuns: 200 },
  )('decodeCosignedState(encodeCosignedState(s)) is s', (size, root, note) => {
    const s: CosignedState = { size, root, note };
    expect(decodeCosignedState(encodeCosignedState(s))).toEqual(s);
  });

  it('round-trips the state a 200 returns', () => {
    const a = answer(body(0, [], cp(7)));
    if (a.status !== 200) throw new Error(a.body);
    const back = decodeCosignedState(encodeCosignedState(a.state));
    expect(back).toEqual(a.state);
    // The decoded state drives the next request as the original would.
    const next = answer(body(7, consistencyProof(7, leaves.slice(0, 9)), cp(9)), back);
    expect(next.status).toBe(200);
  });

  const corrupt = (b: Uint8Array) => expectCode(() => decodeCosignedState(b), 'STORE_CORRUPT');
  const root = new Uint8Array(32);
  it.each([
    ['empty bytes', new Uint8Array(0)],
    ['not msgpack', new TextEncoder().encode('{"size":1}')],
    ['nil', encodeCanonical(null)],
    ['a list', encodeCanonical([1, root, 'n'])],
    ['a missing size', encodeCanonical({ root, note: 'n' })],
    ['a string size', encodeCanonical({ size: '1', root, note: 'n' })],
    ['a 31-byte root', encodeCanonical({ size: 1, root: root.slice(1), note: 'n' })],
    ['a string root', encodeCanonical({ size: 1, root: toHex(root), note: 'n' })],
    ['a note in bytes', encodeCanonical({ size: 1, root, note: new Uint8Array(1) })],
    ['a missing note', encodeCanonical({ size: 1, root })],
    ['trailing bytes', Uint8Array.of(...encodeCanonical({ size: 1, root, note: 'n' }), 0)],
  ])('STORE_CORRUPT on %s', (_, b) => {
    corrupt(b);
  });

  test.prop([fc.uint8Array({ maxLength: 100 })], { numRuns: 500 })(
    'garbage is STORE_CORRUPT, never another exception',
    (b) => {
      try {
        const s = decodeCosignedState(b);
        expect(Number.isSafeInteger(s.size)).toBe(true);
        expect(s.root).toHaveLength(32);
      } catch (e) {
        expect(e).toBeInstanceOf(CustodyError);
        expect((e as CustodyError).code).toBe('STORE_CORRUPT');
      }
    },
  );
});
