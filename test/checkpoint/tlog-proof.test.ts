/**
 * Receipts in C2SP tlog-proof form (src/checkpoint/tlog-proof.ts,
 * docs/PROOFS.md §Receipts (C2SP tlog-proof)): the exact text, strict parsing
 * of every line, and verification against the log key, witnesses, the
 * inclusion proof and a statement. A fast-check property: no mutation of a
 * valid receipt verifies.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64, utf8 } from '../../src/bytes.js';
import {
  cosignatureVerifier,
  ed25519NoteVerifier,
  formatCheckpoint,
  formatTlogProof,
  MAX_TLOG_PROOF_BYTES,
  MAX_TLOG_PROOF_HASHES,
  parseTlogProof,
  signCheckpoint,
  signCosignature,
  TLOG_PROOF_HEADER,
  type TlogProofCheck,
  verifyTlogProof,
} from '../../src/checkpoint/index.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { encodeEntry } from '../../src/format/entry.js';
import { hashLeaf, inclusionProof, MemoryNodeStore, MerkleFrontier } from '../../src/merkle/index.js';
import { expectCode, LOG_ORIGIN, logSigner, seed, witnessNames, witnessSigners } from './helpers.js';

// A log of 7 entries, each committing to a statement, as the ledger writes them.
const N = 7;
const T = 1_772_356_200;
const statements = Array.from({ length: N }, (_, i) => utf8(`signed statement ${i}`));
const entries = statements.map((s, i) =>
  encodeEntry({
    index: i,
    time: T * 1000 + i,
    mapRoot: sha256(utf8(`map root ${i}`)),
    payloadType: 1,
    payloadHash: sha256(s),
  }),
);
const store = new MemoryNodeStore();
const frontier = MerkleFrontier.empty();
for (const e of entries) store.put(frontier.append(hashLeaf(e)));
const body = formatCheckpoint({ origin: LOG_ORIGIN, size: N, root: frontier.root() });
const cosig = (i: number) => signCosignature(body, witnessNames[i]!, witnessSigners[i]!, T);
/** The log's signature, then two witnesses' cosignatures. */
const note = `${signCheckpoint({ origin: LOG_ORIGIN, size: N, root: frontier.root() }, LOG_ORIGIN, logSigner)}${cosig(0)}${cosig(1)}`;
const proofs = await Promise.all(entries.map((_, i) => inclusionProof(store, i, N)));

const log = ed25519NoteVerifier(LOG_ORIGIN, logSigner.publicKey);
const witnesses = witnessSigners
  .slice(0, 3)
  .map((s, i) => cosignatureVerifier(witnessNames[i]!, s.publicKey));
/** The receipt of entry i, carrying `extra` (default: the entry; null: no extra line). */
const receiptOf = (i: number, extra: Uint8Array | null = entries[i]!) =>
  formatTlogProof({ index: i, proof: proofs[i]!, checkpointNote: note, ...(extra ? { extra } : {}) });
const R2 = receiptOf(2);
const b64 = (h: Uint8Array) => toBase64(h);

describe('formatTlogProof', () => {
  it('writes exactly the lines of tlog-proof §Format', () => {
    expect(R2).toBe(
      [TLOG_PROOF_HEADER, `extra ${b64(entries[2]!)}`, 'index 2', ...proofs[2]!.map(b64), '', note].join(
        '\n',
      ),
    );
    // No extra: the line is omitted.
    expect(receiptOf(5, null)).toBe(
      `${TLOG_PROOF_HEADER}\nindex 5\n${proofs[5]!.map((h) => `${b64(h)}\n`).join('')}\n${note}`,
    );
  });

  it('round-trips through parseTlogProof, with and without extra, with an empty proof', async () => {
    for (let i = 0; i < N; i++) {
      const p = parseTlogProof(receiptOf(i));
      expect(p.index).toBe(i);
      expect(p.extra).toEqual(entries[i]);
      expect(p.proof).toEqual(proofs[i]);
      expect(p.checkpointNote).toBe(note);
      expect(p.checkpoint).toMatchObject({ origin: LOG_ORIGIN, size: N });
      expect(formatTlogProof(p)).toBe(receiptOf(i));
    }
    const bare = parseTlogProof(receiptOf(3, null));
    expect('extra' in bare).toBe(false);
    // A tree of one leaf: zero proof hashes, then the empty line.
    const note1 = signCheckpoint(
      { origin: LOG_ORIGIN, size: 1, root: hashLeaf(entries[0]!) },
      LOG_ORIGIN,
      logSigner,
    );
    const r = formatTlogProof({
      index: 0,
      proof: await inclusionProof(store, 0, 1),
      checkpointNote: note1,
      extra: entries[0]!,
    });
    expect(r).toBe(`${TLOG_PROOF_HEADER}\nextra ${b64(entries[0]!)}\nindex 0\n\n${note1}`);
    expect(verifyTlogProof(r, { log }).size).toBe(1);
  });

  it('refuses what it could not write to spec', () => {
    const base = { index: 2, proof: proofs[2]!, checkpointNote: note };
    for (const index of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, Number.NaN])
      expectCode(() => formatTlogProof({ ...base, index }), 'RECEIPT_MALFORMED');
    const h = proofs[2]![0]!;
    expectCode(() => formatTlogProof({ ...base, proof: Array(64).fill(h) }), 'RECEIPT_MALFORMED');
    expectCode(() => formatTlogProof({ ...base, proof: [h.subarray(1)] }), 'RECEIPT_MALFORMED');
    expectCode(() => formatTlogProof({ ...base, extra: new Uint8Array(0) }), 'RECEIPT_MALFORMED');
    expectCode(() => formatTlogProof({ ...base, checkpointNote: body }), 'NOTE_MALFORMED');
    // 63 hashes are the most a receipt can carry, and they are written.
    expect(parseTlogProof(formatTlogProof({ ...base, proof: Array(63).fill(h) })).proof).toHaveLength(
      MAX_TLOG_PROOF_HASHES,
    );
  });
});

describe('parseTlogProof', () => {
  it('reads the example of tlog-proof §Format (its signatures made real)', () => {
    const fancy = signerFromSeed(seed(99));
    const cp = {
      origin: 'example.com/fancylog',
      size: 109482,
      root: fromBase64('sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=')!,
    };
    const cpBody = formatCheckpoint(cp);
    const w = [1, 2, 3].map((n) => signerFromSeed(seed(100 + n)));
    const signed =
      signCheckpoint(cp, 'example.com/fancylog', fancy) +
      w.map((s, i) => signCosignature(cpBody, `witness${i + 1}.example`, s, T)).join('');
    const hashes = [
      'gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=',
      'B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=',
      'EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=',
      'RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=',
      'AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=',
    ];
    const extra = 'YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ';
    const text = `c2sp.org/tlog-proof@v1\nextra ${extra}\nindex 73894\n${hashes.join('\n')}\n\n${signed}`;
    const p = parseTlogProof(text);
    expect(p.extra).toEqual(fromBase64(extra));
    expect(p.index).toBe(73894);
    expect(p.proof.map(b64)).toEqual(hashes);
    expect(p.checkpoint).toMatchObject({ origin: 'example.com/fancylog', size: 109482, extensions: [] });
    expect(p.note.signatures.map((s) => s.name)).toEqual([
      'example.com/fancylog',
      'witness1.example',
      'witness2.example',
      'witness3.example',
    ]);
    expect(p.checkpointNote).toBe(signed);
    expect(formatTlogProof(p)).toBe(text);
  });

  const head = `${TLOG_PROOF_HEADER}\nextra ${b64(entries[2]!)}\nindex 2\n`;
  const hashLines = proofs[2]!.map((h) => `${b64(h)}\n`).join('');
  const tail = `\n${note}`;
  const h0 = proofs[2]![0]!;
  const MALFORMED: [string, string][] = [
    ['empty', ''],
    ['header only', `${TLOG_PROOF_HEADER}\n`],
    ['no header', R2.slice(TLOG_PROOF_HEADER.length + 1)],
    ['another version', R2.replace('@v1', '@v2')],
    ['header with a trailing space', R2.replace(`${TLOG_PROOF_HEADER}\n`, `${TLOG_PROOF_HEADER} \n`)],
    ['a byte-order mark', `\uFEFF${R2}`],
    ['CRLF line ends', R2.replaceAll('\n', '\r\n')],
    ['an empty extra', R2.replace(/^extra .*$/m, 'extra ')],
    ['extra not base64', R2.replace(/^extra .*$/m, 'extra !!notbase64!!')],
    ['extra without padding', R2.replace(/^extra .*$/m, 'extra YQ')],
    ['extra not canonical', R2.replace(/^extra .*$/m, 'extra YR==')],
    ['extra with two spaces', R2.replace('extra ', 'extra  ')],
    ['two extra lines', R2.replace(/^(extra .*)$/m, '$1\n$1')],
    [
      'extra after the index',
      `${TLOG_PROOF_HEADER}\nindex 2\nextra ${b64(entries[2]!)}\n${hashLines}${tail}`,
    ],
    ['no index line', `${TLOG_PROOF_HEADER}\nextra ${b64(entries[2]!)}\n${hashLines}${tail}`],
    ['index without a space', R2.replace('index 2', 'index2')],
    ['index with two spaces', R2.replace('index 2', 'index  2')],
    ['index with a leading zero', R2.replace('index 2', 'index 02')],
    ['index negative', R2.replace('index 2', 'index -2')],
    ['index with a sign', R2.replace('index 2', 'index +2')],
    ['index with a trailing space', R2.replace('index 2', 'index 2 ')],
    ['index in exponent form', R2.replace('index 2', 'index 2e0')],
    ['index in hex', R2.replace('index 2', 'index 0x2')],
    ['index empty', R2.replace('index 2', 'index ')],
    ['index beyond 2^53 - 1', R2.replace('index 2', 'index 9007199254740992')],
    ['Index capitalised', R2.replace('index 2', 'Index 2')],
    ['a hash not base64', `${head}${hashLines}***\n${tail}`],
    ['a hash of 31 bytes', `${head}${b64(h0.subarray(1))}\n${tail}`],
    ['a hash of 33 bytes', `${head}${b64(new Uint8Array([...h0, 0]))}\n${tail}`],
    ['a hash without padding', `${head}${b64(h0).slice(0, -1)}\n${tail}`],
    ['a hash in hex', `${head}${Buffer.from(h0).toString('hex')}\n${tail}`],
    ['a hash with a trailing space', `${head}${b64(h0)} \n${tail}`],
    ['a hash in URL-safe base64', `${head}${b64(h0).replaceAll('+', '-').replaceAll('/', '_')}x\n${tail}`],
    ['64 hashes', `${head}${`${b64(h0)}\n`.repeat(64)}${tail}`],
    ['no empty line', `${head}${hashLines}`],
    ['a line of spaces for the empty line', `${head}${hashLines} ${tail}`],
  ];
  it.each(MALFORMED)('refuses %s (RECEIPT_MALFORMED)', (_what, text) => {
    const e = expectCode(() => parseTlogProof(text), 'RECEIPT_MALFORMED');
    expect(e.category).toBe('input');
    expect(e.message).not.toContain('\n');
  });

  it('refuses a checkpoint part that is not a signed checkpoint (NOTE_*, CHECKPOINT_*)', () => {
    expectCode(() => parseTlogProof(`${head}${hashLines}\n`), 'NOTE_MALFORMED');
    expectCode(() => parseTlogProof(`${head}${hashLines}\n${body}`), 'NOTE_MALFORMED');
    // Trailing data after the note: an empty line more, or another line.
    expectCode(() => parseTlogProof(`${R2}\n`), 'NOTE_MALFORMED');
    expectCode(() => parseTlogProof(`${R2}more\n`), 'NOTE_MALFORMED');
    expectCode(() => parseTlogProof(R2.replace(/\n$/, '')), 'NOTE_MALFORMED');
    // A signed note whose text is not a checkpoint.
    const other = signCheckpoint(
      { origin: LOG_ORIGIN, size: 1, root: new Uint8Array(32) },
      LOG_ORIGIN,
      logSigner,
    );
    expectCode(
      () => parseTlogProof(`${head}${hashLines}\n${other.replace('\n1\n', '\n01\n')}`),
      'CHECKPOINT_MALFORMED',
    );
    // A control character inside the note.
    expectCode(
      () => parseTlogProof(R2.replace(`${LOG_ORIGIN}\n${N}`, `${LOG_ORIGIN}\t\n${N}`)),
      'NOTE_MALFORMED',
    );
  });

  it('refuses anything larger than its cap before parsing, and what is not text', () => {
    const big = `${head}${hashLines}${tail}`.padEnd(MAX_TLOG_PROOF_BYTES + 1, 'x');
    expect(expectCode(() => parseTlogProof(big), 'RECEIPT_MALFORMED').message).toContain('larger than');
    // Counted in UTF-8 bytes, not UTF-16 code units.
    const wide = `${R2}${'é'.repeat(MAX_TLOG_PROOF_BYTES / 2)}`;
    expect(wide.length).toBeLessThan(MAX_TLOG_PROOF_BYTES + R2.length);
    expect(expectCode(() => parseTlogProof(wide), 'RECEIPT_MALFORMED').message).toContain('larger than');
    expectCode(() => parseTlogProof(utf8(R2) as unknown as string), 'RECEIPT_MALFORMED');
  });

  it('throws nothing but CustodyErrors on arbitrary text (fast-check)', () => {
    const lines = fc.constantFrom(
      TLOG_PROOF_HEADER,
      `extra ${b64(entries[2]!)}`,
      'index 2',
      'index 0',
      b64(h0),
      '',
      'extra ',
      'x',
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.array(lines).map((ls) => ls.join('\n')),
          fc.string({ unit: 'binary' }),
        ),
        (s) => {
          try {
            parseTlogProof(s);
          } catch (e) {
            expect(e).toBeInstanceOf(CustodyError);
          }
        },
      ),
      { seed: 243, numRuns: 500 },
    );
  });
});

describe('verifyTlogProof', () => {
  const trust: TlogProofCheck = { log, witnesses: witnesses.slice(0, 2), quorum: 2 };

  it('verifies every entry: checkpoint, witnesses, inclusion, and the statement it commits to', () => {
    for (let i = 0; i < N; i++) {
      const v = verifyTlogProof(receiptOf(i), { ...trust, statement: statements[i]! });
      expect(v).toMatchObject({
        origin: LOG_ORIGIN,
        index: i,
        size: N,
        witnessesVerified: [witnessNames[0], witnessNames[1]],
        statementChecked: true,
      });
      expect(v.root).toEqual(frontier.root());
      expect(v.leafHash).toEqual(hashLeaf(entries[i]!));
      expect(v.entry.payloadHash).toEqual(sha256(statements[i]!));
    }
    // The log key alone (no witness asked for), and a parsed receipt as input.
    expect(verifyTlogProof(parseTlogProof(R2), { log }).statementChecked).toBe(false);
  });

  it('refuses a statement the entry does not commit to (PAYLOAD_HASH_MISMATCH)', () => {
    const e = expectCode(
      () => verifyTlogProof(R2, { ...trust, statement: statements[3]! }),
      'PAYLOAD_HASH_MISMATCH',
    );
    expect(e.category).toBe('verification');
  });

  it('refuses a checkpoint short of the witness quorum (WITNESS_QUORUM), or with a bad cosignature', () => {
    const e = expectCode(() => verifyTlogProof(R2, { log, witnesses, quorum: 3 }), 'WITNESS_QUORUM');
    expect(e.details).toMatchObject({ witnessesVerified: [witnessNames[0], witnessNames[1]], quorum: 3 });
    // A cosignature by a named witness over another checkpoint: the whole note is refused.
    const other = formatCheckpoint({ origin: LOG_ORIGIN, size: N - 1, root: frontier.root() });
    const forged = R2.replace(cosig(1), signCosignature(other, witnessNames[1]!, witnessSigners[1]!, T));
    expectCode(() => verifyTlogProof(forged, trust), 'NOTE_BAD_SIGNATURE');
    // A cosigner's key in the log's place: refused, whatever the note carries.
    expectCode(
      () => verifyTlogProof(R2, { log: cosignatureVerifier(LOG_ORIGIN, logSigner.publicKey) }),
      'POLICY_INVALID',
    );
    // The log key listed as a witness too: the policy is refused.
    expectCode(
      () =>
        verifyTlogProof(R2, { log, witnesses: [cosignatureVerifier('w', logSigner.publicKey)], quorum: 0 }),
      'POLICY_INVALID',
    );
  });

  it('refuses another log key, or the right key under another origin', () => {
    const stranger = ed25519NoteVerifier(LOG_ORIGIN, signerFromSeed(seed(50)).publicKey);
    expectCode(() => verifyTlogProof(R2, { log: stranger }), 'NOTE_UNVERIFIED');
    const renamed = ed25519NoteVerifier('other.example/log', logSigner.publicKey);
    expectCode(() => verifyTlogProof(R2, { log: renamed }), 'CHECKPOINT_ORIGIN_MISMATCH');
  });

  it('refuses a tampered hash, index, extra or checkpoint', () => {
    const p = parseTlogProof(R2);
    // Each proof hash with one bit flipped.
    for (let k = 0; k < p.proof.length; k++) {
      const proof = p.proof.map((h, j) => (j === k ? h.map((b, x) => (x === 0 ? b ^ 1 : b)) : h));
      expectCode(() => verifyTlogProof(formatTlogProof({ ...p, proof }), trust), 'PROOF_INVALID');
    }
    // A hash dropped, or one added.
    expectCode(
      () => verifyTlogProof(formatTlogProof({ ...p, proof: p.proof.slice(1) }), trust),
      'PROOF_INVALID',
    );
    expectCode(
      () => verifyTlogProof(formatTlogProof({ ...p, proof: [...p.proof, p.proof[0]!] }), trust),
      'PROOF_INVALID',
    );
    // Another index: with this proof, or with that index's own proof but this entry.
    for (const index of [0, 1, 3, 6, N, N + 1, 1000])
      expectCode(() => verifyTlogProof(formatTlogProof({ ...p, index }), trust), 'PROOF_INVALID');
    expectCode(
      () => verifyTlogProof(formatTlogProof({ ...p, index: 3, proof: proofs[3]! }), trust),
      'PROOF_INVALID',
    );
    // Another entry in extra: another index's entry, or this entry with another payload hash.
    expectCode(() => verifyTlogProof(receiptOf(2, entries[3]), trust), 'PROOF_INVALID');
    const swapped = encodeEntry({
      index: 2,
      time: T * 1000 + 2,
      mapRoot: sha256(utf8('map root 2')),
      payloadType: 1,
      payloadHash: sha256(utf8('another statement')),
    });
    expectCode(() => verifyTlogProof(receiptOf(2, swapped), trust), 'PROOF_INVALID');
    // Extra bytes that are not an entry at all.
    expectCode(() => verifyTlogProof(receiptOf(2, utf8('not an entry')), trust), 'ENTRY_MALFORMED');
    // The checkpoint's size or root changed under its signature.
    const root = b64(frontier.root());
    expectCode(
      () => verifyTlogProof(R2.replace(`\n${N}\n${root}`, `\n${N + 1}\n${root}`), trust),
      'NOTE_BAD_SIGNATURE',
    );
    const otherRoot = b64(sha256(utf8('another root')));
    expectCode(() => verifyTlogProof(R2.replace(root, otherRoot), trust), 'NOTE_BAD_SIGNATURE');
    // The log's signature line dropped: only unknown keys are left.
    const logLine = parseTlogProof(R2).note.signatures[0]!.line;
    expectCode(() => verifyTlogProof(R2.replace(logLine, ''), trust), 'NOTE_UNVERIFIED');
  });

  it('verifies an entry given beside a receipt without extra, and refuses one with neither', () => {
    const bare = receiptOf(4, null);
    expect(verifyTlogProof(bare, { ...trust, entry: entries[4]! }).index).toBe(4);
    expectCode(() => verifyTlogProof(bare, { ...trust, entry: entries[5]! }), 'PROOF_INVALID');
    expectCode(() => verifyTlogProof(bare, trust), 'RECEIPT_MALFORMED');
    // An entry given overrides extra: what is verified is what the caller holds.
    expectCode(() => verifyTlogProof(R2, { ...trust, entry: entries[3]! }), 'PROOF_INVALID');
  });

  it('never verifies a mutated receipt (fast-check: replaced, inserted and deleted characters)', () => {
    const alphabet = fc.constantFrom(...'\n 0123456789+/=ABCabcxyz—-.'.split(''), '\u2014');
    const mutation = fc.array(
      fc.record({
        kind: fc.constantFrom('replace', 'insert', 'delete'),
        at: fc.nat({ max: R2.length }),
        c: alphabet,
      }),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(mutation, (ms) => {
        let t = R2;
        for (const m of ms) {
          const at = m.at % (t.length + 1);
          if (m.kind === 'insert') t = t.slice(0, at) + m.c + t.slice(at);
          else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + 1);
          else t = t.slice(0, at) + m.c + t.slice(at + 1);
        }
        if (t === R2) return;
        let verified = false;
        try {
          verifyTlogProof(t, trust);
          verified = true;
        } catch (e) {
          expect(e).toBeInstanceOf(CustodyError);
        }
        expect(verified, JSON.stringify(t)).toBe(false);
      }),
      { seed: 2403, numRuns: 1500 },
    );
  });
});

describe('docs/PROOFS.md §Receipts (C2SP tlog-proof)', () => {
  it('holds a receipt of the worked example that verifies as the section says', () => {
    const doc = readFileSync(new URL('../../docs/PROOFS.md', import.meta.url), 'utf8');
    const block = doc.slice(
      doc.indexOf('<!-- receipt-example:begin'),
      doc.indexOf('<!-- receipt-example:end'),
    );
    const text = block.slice(block.indexOf('```\n') + 4, block.lastIndexOf('```'));
    const pk = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
    const origin = 'example.custody.test/ledger';
    const v = verifyTlogProof(text, {
      log: ed25519NoteVerifier(
        origin,
        pk('9346b1026df8e747aa934a5a3f475acb9fb7a627f3cff189258da6e1d1b5305a'),
      ),
      witnesses: [
        cosignatureVerifier(
          'witness.example.eu/w1',
          pk('19e293078d64a8decf3727ef10fdd746bcfd0ae34dccba053627d0d2c58e345d'),
        ),
      ],
      quorum: 1,
    });
    expect(v).toMatchObject({ origin, index: 2, size: 5, witnessesVerified: ['witness.example.eu/w1'] });
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    // L2, root5 and the payload hash as the section (and the worked example) give them.
    expect(hex(v.leafHash)).toBe('cbfd03adfe2994b24b4d71b290989b2cbc4099fe288db45b18b54d2f0b4abc26');
    expect(hex(v.root)).toBe('dc80fee2bebdcd5ea86b3e57f33968fa2a402a9179ec1a356818364b6d52e13b');
    expect(hex(v.entry.payloadHash)).toBe('21d0554d22248ef1a7487637c1c84cc211dffb7e01232903d882c57b3df379a1');
    expect(new Date(v.entry.time).toISOString()).toBe('2026-03-01T09:00:03.000Z');
    for (const h of [hex(v.entry.mapRoot), 'ce092a23', '44e07289', '192e07d3'])
      expect(doc.slice(doc.indexOf('## Receipts (C2SP tlog-proof)'))).toContain(h);
    expect(formatTlogProof(parseTlogProof(text))).toBe(text);
  });
});
