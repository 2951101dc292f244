/**
 * The verifier against hostile input: it must never throw and never report
 * ok=true for a log it could not fully check; and with a pinned key it must
 * tell a look-alike log from the real one.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nobleEd25519 } from '../../src/crypto/ed25519.js';
import { type Canonical, encodeCanonical } from '../../src/format/canonical.js';
import type { Role } from '../../src/format/events.js';
import { keyId } from '../../src/format/ids.js';
import { decodeRecord, encodeRecord } from '../../src/format/record.js';
import { EMPTY_ROOT } from '../../src/merkle/hash.js';
import type { Problem } from '../../src/verify/report.js';
import type { SignatureChecker } from '../../src/verify/signatures.js';
import { type VerifyOptions, verifyLog } from '../../src/verify/verifier.js';
import { collect, Forger, type StoredRecord } from '../helpers/forge.js';
import { digestsOf, makeWorld, registerExhibit, seededSigner, type World } from '../helpers/world.js';

const ORIGIN = 'custody.test/nl-nfi';
const codes = (ps: Problem[]) => ps.map((p) => [p.code, p.seq]);

/** verifyLog that turns a rejection into a test failure with a clear message. */
async function safeVerify(
  records: Iterable<StoredRecord> | AsyncIterable<StoredRecord>,
  opts: VerifyOptions = {},
) {
  try {
    return await verifyLog(records, opts);
  } catch (e) {
    throw new Error(`verifyLog threw: ${String(e)}`);
  }
}

let w: World;
let recs: StoredRecord[];
let exhibit: string;
let authorityKey: Uint8Array;

beforeAll(async () => {
  w = await makeWorld();
  const reg = await registerExhibit(w);
  exhibit = reg.exhibit!;
  await w.ledger.append(
    {
      kind: 'transfer',
      body: { exhibit, to: w.deCustodian.id, reason: 'EIO execution', legalBasis: 'EIO 2026/123' },
    },
    w.nlCollector.signer,
  );
  await w.ledger.append(
    { kind: 'accept', body: { exhibit, digests: digestsOf('disk image bytes') } },
    w.deCustodian.signer,
  );
  recs = await collect(w.ledger.records());
  authorityKey = w.authority.signer.publicKey;
  const { report } = await verifyLog(recs, { trustedKeys: [authorityKey] });
  expect(report).toMatchObject({ ok: true, anchored: true, problems: [] });
});

describe('empty and garbage input', () => {
  it('an empty log is LOG_EMPTY (and unanchored when a key is pinned)', async () => {
    const plain = (await safeVerify([])).report;
    expect(plain).toMatchObject({ ok: false, anchored: false, entries: 0 });
    expect(codes(plain.problems)).toEqual([['LOG_EMPTY', null]]);
    async function* none(): AsyncGenerator<StoredRecord> {}
    const pinned = (await safeVerify(none(), { trustedKeys: [authorityKey] })).report;
    expect(pinned.ok).toBe(false);
    expect(codes(pinned.problems)).toEqual([
      ['LOG_EMPTY', null],
      ['ANCHOR_MISMATCH', 0],
    ]);
  });

  it('random bytes, alone or after a valid log, never throw and never verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (junk, afterValid) => {
          const prefix = afterValid ? recs : [];
          const log = [...prefix, ...junk.map((bytes, i) => ({ seq: prefix.length + i, bytes }))];
          const { report } = await safeVerify(log, { trustedKeys: [authorityKey] });
          expect(report.ok).toBe(false);
          expect(report.problems[0]?.seq).toBe(afterValid ? prefix.length : 0);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('well-formed records around random payloads and signatures never throw and never verify', async () => {
    const value = fc.oneof(
      fc.nat(),
      fc.string({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 40 }),
      fc.constant(null),
    );
    const fields = ['v', 'seq', 'prev', 'time', 'tz', 'actor', 'kind', 'body', 'exhibit', 'after', 'to'];
    const real = decodeRecord(recs[recs.length - 1]!.bytes).payload as unknown as Record<string, Canonical>;
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .array(fc.tuple(fc.string({ maxLength: 8 }), value), { maxLength: 6 })
        .map((es) => encodeCanonical(Object.fromEntries(es))),
      // A real payload with one field (top level or in the body) replaced by something else.
      fc.tuple(fc.constantFrom(...fields), value).map(([k, v]) => {
        const body = real['body'] as Record<string, Canonical>;
        const copy = k in real ? { ...real, [k]: v } : { ...real, body: { ...body, [k]: v } };
        return encodeCanonical(copy);
      }),
    );
    await fc.assert(
      fc.asyncProperty(payload, fc.uint8Array({ minLength: 64, maxLength: 64 }), async (p, sig) => {
        const log = [...recs, { seq: recs.length, bytes: encodeRecord(p, sig) }];
        const { report } = await safeVerify(log);
        expect(report.ok).toBe(false);
        expect(report.problems[0]?.seq).toBe(recs.length);
      }),
      { seed: 43, numRuns: 150 },
    );
  });

  it('a truncated record is reported at its position as malformed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (i0, cut0) => {
        const i = i0 % recs.length;
        const full = recs[i]!.bytes;
        const bytes = full.slice(0, cut0 % full.length);
        const { report } = await safeVerify(recs.map((r, k) => (k === i ? { seq: k, bytes } : r)));
        expect(report.ok).toBe(false);
        expect(report.problems[0]).toMatchObject({ seq: i });
        expect(['RECORD_MALFORMED', 'RECORD_NON_CANONICAL']).toContain(report.problems[0]?.code);
      }),
      { seed: 44, numRuns: 80 },
    );
  });

  it('an oversized record is RECORD_TOO_LARGE', async () => {
    const big = new Uint8Array(65_536 + 129).fill(0x41);
    const { report } = await safeVerify([...recs, { seq: recs.length, bytes: big }]);
    expect(codes(report.problems)).toEqual([['RECORD_TOO_LARGE', recs.length]]);
  });

  it('a record with a non-canonical encoding (bin16 for a 64-byte signature) is RECORD_NON_CANONICAL', async () => {
    const i = recs.length - 1;
    const b = recs[i]!.bytes;
    // The record ends with the signature as bin8: 0xc4 0x40 <64 bytes>.
    expect([b[b.length - 66], b[b.length - 65]]).toEqual([0xc4, 0x40]);
    const bytes = new Uint8Array(b.length + 1);
    bytes.set(b.subarray(0, b.length - 66));
    bytes.set([0xc5, 0x00, 0x40], b.length - 66);
    bytes.set(b.subarray(b.length - 64), b.length - 63);
    const { report } = await safeVerify(recs.map((r, k) => (k === i ? { seq: k, bytes } : r)));
    expect(codes(report.problems)).toEqual([['RECORD_NON_CANONICAL', i]]);
  });

  it('a source that fails midway is SOURCE_FAILED, not an exception', async () => {
    async function* failing() {
      yield* recs.slice(0, 3);
      throw new Error('disk gone');
    }
    const { report } = await safeVerify(failing());
    expect(report.ok).toBe(false);
    expect(codes(report.problems)).toEqual([['SOURCE_FAILED', 3]]);
  });

  /** Regression: a source that throws a non-object is still reported as SOURCE_FAILED. */
  it('a source that throws a non-Error is still SOURCE_FAILED', async () => {
    async function* failing() {
      yield* recs.slice(0, 2);
      throw undefined;
    }
    const { report } = await safeVerify(failing());
    expect(codes(report.problems)).toEqual([['SOURCE_FAILED', 2]]);
  });

  /**
   * Regression: a record whose seq key is huge (a hostile bundle or damaged store
   * can carry any key) must not make the verifier walk the gap; it stops with
   * VERIFICATION_STOPPED. Runs in a child process with a 5 s budget.
   */
  it('a record claiming a huge position does not hang the verifier', () => {
    const script = fileURLToPath(new URL('./fixtures/huge-gap.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, String(2 ** 40)], {
      timeout: 5000,
      encoding: 'utf8',
    });
    expect(run.signal).toBeNull();
    expect(JSON.parse(run.stdout || '{}')).toMatchObject({ ok: false });
  });
});

describe('trust anchoring', () => {
  const other = seededSigner('someone else');
  const genesisBy = (key: typeof other, origin = ORIGIN) => ({
    signer: key,
    event: {
      kind: 'genesis' as const,
      body: {
        origin,
        publicKey: key.publicKey,
        name: 'NFI ledger authority',
        jurisdiction: 'NL',
        org: 'Netherlands Forensic Institute',
      },
    },
  });

  it('a genesis by another key than the pinned one is ANCHOR_MISMATCH', async () => {
    const f = new Forger(ORIGIN);
    f.add(genesisBy(other));
    const { report } = await safeVerify(f.records, { trustedKeys: [authorityKey] });
    expect(report).toMatchObject({ ok: false, anchored: false, anchor: null });
    expect(codes(report.problems)).toEqual([['ANCHOR_MISMATCH', 0]]);
  });

  it('a look-alike ledger (same origin and names, other keys) verifies only until the real key is pinned', async () => {
    const f = new Forger(ORIGIN);
    const fakes = new Map<string, typeof other>();
    f.add(genesisBy(other));
    const people: [string, string, Role[], string][] = [
      ['nl-collector', 'J. de Vries', ['collector', 'custodian'], 'NL'],
      ['de-custodian', 'K. Müller', ['custodian'], 'DE'],
    ];
    for (const [label, name, roles, jurisdiction] of people) {
      const s = seededSigner(`fake ${label}`);
      fakes.set(label, s);
      f.add({
        signer: other,
        event: { kind: 'enrol', body: { publicKey: s.publicKey, name, roles, jurisdiction, org: 'Org' } },
      });
    }
    const collector = fakes.get('nl-collector')!;
    const custodian = fakes.get('de-custodian')!;
    const reg = f.add({
      signer: collector,
      event: {
        kind: 'register',
        body: {
          exhibit,
          label: 'HDD-01',
          caseRef: 'NL-2026-0042',
          description: 'planted',
          digests: digestsOf('planted'),
          size: 7,
        },
      },
    });
    f.add({
      signer: collector,
      event: {
        kind: 'transfer',
        body: { exhibit, to: keyId(custodian.publicKey), reason: 'r', legalBasis: 'EIO 2026/123' },
      },
    });
    f.add({ signer: custodian, event: { kind: 'accept', body: { exhibit } } });
    expect(reg.payload.kind).toBe('register');

    const unpinned = (await safeVerify(f.records)).report;
    expect(unpinned).toMatchObject({
      ok: true,
      anchored: false,
      anchor: null,
      problems: [],
      origin: ORIGIN,
      exhibits: 1,
    });
    const pinned = (await safeVerify(f.records, { trustedKeys: [authorityKey] })).report;
    expect(pinned).toMatchObject({ ok: false, anchored: false });
    expect(codes(pinned.problems)).toEqual([['ANCHOR_MISMATCH', 0]]);
    const own = (await safeVerify(f.records, { trustedKeys: [other.publicKey] })).report;
    expect(own).toMatchObject({ ok: true, anchored: true });
  });

  it('an entry signed for another origin does not verify here (signatures bind the origin)', async () => {
    const f = Forger.after(recs);
    const forged = f.add({
      signer: w.deCustodian.signer,
      signOrigin: 'custody.test/other-ledger',
      event: { kind: 'examine', body: { exhibit, action: 'x' } },
    });
    const { report } = await safeVerify(f.records);
    // (The custodian may not examine either — the rules and the signature both object.)
    expect(report.problems.map((p) => p.code)).toContain('SIGNATURE_INVALID');
    expect(report.problems.every((p) => p.seq === forged.seq)).toBe(true);
  });
});

describe('signatures', () => {
  it('an entry signed by the wrong key is SIGNATURE_INVALID at that entry, for its exhibit', async () => {
    const f = Forger.after(recs);
    const forged = f.add({
      signer: w.deCustodian.signer,
      signWith: w.nlCollector.signer,
      event: { kind: 'transfer', body: { exhibit, to: w.frCourt.id, reason: 'r', legalBasis: 'MLA FR' } },
    });
    const { report } = await safeVerify(f.records, { trustedKeys: [authorityKey] });
    expect(report).toMatchObject({ ok: false, anchored: true });
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'SIGNATURE_INVALID', seq: forged.seq, exhibit }),
    ]);
  });

  it('a malleated signature (S + L) is SIGNATURE_INVALID', async () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const i = recs.length - 1;
    const bytes = recs[i]!.bytes.slice();
    const at = bytes.length - 32;
    let s = 0n;
    for (let k = 31; k >= 0; k--) s = (s << 8n) | BigInt(bytes[at + k]!);
    s += L;
    for (let k = 0; k < 32; k++) {
      bytes[at + k] = Number(s & 0xffn);
      s >>= 8n;
    }
    const { report } = await safeVerify(recs.map((r, k) => (k === i ? { seq: k, bytes } : r)));
    expect(codes(report.problems)).toContainEqual(['SIGNATURE_INVALID', i]);
    expect(report.ok).toBe(false);
  });

  it('a checker that throws or answers short counts every signature as invalid', async () => {
    const throwing: SignatureChecker = {
      check: async () => {
        throw new Error('worker died');
      },
    };
    const short: SignatureChecker = { check: async (jobs) => jobs.slice(1).map(() => true) };
    for (const checker of [throwing, short]) {
      const { report } = await safeVerify(recs, { checker });
      expect(report.ok).toBe(false);
      expect(report.problems.every((p) => p.code === 'SIGNATURE_INVALID')).toBe(true);
      expect(report.problems.length).toBeGreaterThan(0);
    }
  });

  it('the noble backend gives exactly the same report as the default one', async () => {
    const noble: SignatureChecker = {
      check: async (jobs) => jobs.map((j) => nobleEd25519.verify(j.signature, j.message, j.publicKey)),
    };
    const tampered = recs.map((r, k) => {
      if (k !== 8) return r;
      const bytes = r.bytes.slice();
      bytes[bytes.length - 3]! ^= 1;
      return { seq: k, bytes };
    });
    const f = Forger.after(recs);
    f.add({
      signer: w.nlCollector.signer,
      signWith: w.witness.signer,
      event: { kind: 'revoke', body: { actor: w.witness.id, reason: 'r' } },
    });
    for (const log of [recs, tampered, f.records]) {
      const opts = { trustedKeys: [authorityKey], batchSize: 3 };
      const a = (await safeVerify(log, opts)).report;
      const b = (await safeVerify(log, { ...opts, checker: noble })).report;
      expect(b).toEqual(a);
      expect(a.signaturesChecked).toBeGreaterThan(0);
    }
  });
});

describe('checkpoints', () => {
  it('a history rewritten under a checkpoint is CHECKPOINT_MISMATCH, even though it is self-consistent', async () => {
    const k = recs.length - 1;
    const root = await w.ledger.rootAt(k);
    // Rewrite entry k-1 (the transfer) with a different, validly signed one.
    const f = Forger.after(recs.slice(0, k - 1));
    f.add({
      signer: w.nlCollector.signer,
      event: {
        kind: 'transfer',
        body: { exhibit, to: w.frCourt.id, reason: 'rewritten', legalBasis: 'MLA FR-9' },
      },
    });
    f.add({ signer: w.frCourt.signer, event: { kind: 'accept', body: { exhibit } } });
    const alone = (await safeVerify(f.records, { trustedKeys: [authorityKey] })).report;
    expect(alone).toMatchObject({ ok: true, problems: [] });
    const { report } = await safeVerify(f.records, {
      trustedKeys: [authorityKey],
      checkpoints: [{ size: k, root }],
    });
    expect(report.ok).toBe(false);
    expect(codes(report.problems)).toEqual([['CHECKPOINT_MISMATCH', k - 1]]);
  });

  it('a log shorter than a checkpoint is LOG_TRUNCATED; matching checkpoints in any order pass', async () => {
    const n = recs.length;
    const full = { size: n, root: w.ledger.root() };
    const early = { size: 3, root: await w.ledger.rootAt(3) };
    const fine = (await safeVerify(recs, { checkpoints: [full, early] })).report;
    expect(fine).toMatchObject({ ok: true, problems: [] });
    const cut = (await safeVerify(recs.slice(0, n - 2), { checkpoints: [early, full] })).report;
    expect(cut.ok).toBe(false);
    expect(codes(cut.problems)).toEqual([['LOG_TRUNCATED', n - 2]]);
  });

  /** Regression: a size-0 checkpoint (the RFC 9162 empty root) is true of every log. */
  it('a size-0 checkpoint (the empty root) is true of every log', async () => {
    const { report } = await safeVerify(recs, { checkpoints: [{ size: 0, root: EMPTY_ROOT }] });
    expect(report.problems).toEqual([]);
  });
});

describe('odd store keys', () => {
  it('a repeated seq key is reported once, at that key, and the rest still verifies', async () => {
    const dup = [...recs.slice(0, 4), recs[3]!, ...recs.slice(4)];
    const { report } = await safeVerify(dup);
    expect(report.ok).toBe(false);
    expect(codes(report.problems)).toEqual([['ENTRY_OUT_OF_ORDER', 3]]);
    expect(report.entries).toBe(recs.length);
  });
});
