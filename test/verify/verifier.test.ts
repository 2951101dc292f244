/**
 * The v2 whole-ledger verifier (verifyLogV2) against hostile input: it must
 * never throw and never report ok=true for a log it could not fully check;
 * and with a pinned key it must tell a look-alike log from the real one.
 * Forged logs are written with test/helpers/forge.ts: entries and payloads
 * exactly as the ledger writes them, but nothing refused.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nobleEd25519, type Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import type { SignatureChecker } from '../../src/crypto/signature-checker.js';
import { type ExhibitRecord, NS } from '../../src/custody/records.js';
import { type Canonical, decodeCanonical, encodeCanonical } from '../../src/format/canonical.js';
import { decodeEntry, encodeEntry, PAYLOAD_TYPES } from '../../src/format/entry.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { ids45 } from '../../src/format/short-id.js';
import {
  decodeSignedStatement,
  encodeSignedStatement,
  STATEMENT_LIMITS,
} from '../../src/format/statement.js';
import { EMPTY_ROOT } from '../../src/merkle/hash.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { type LogItem, type LogVerifyOptions, verifyLogV2 } from '../../src/verify/log-verify.js';
import type { Problem } from '../../src/verify/report.js';
import { digestOf, ORIGIN } from '../custody/v2-world.js';
import { make, seededRandom, statementKeyId } from '../format/v2-fixtures.js';
import { collect, envelope, forgeStatement, LogForger } from '../helpers/forge.js';
import { seededSigner } from '../helpers/world.js';
import { type Built, buildLedger, people } from './log-world.js';

const codes = (ps: readonly Problem[]) => ps.map((p) => [p.code, p.seq]);

/** verifyLogV2 that turns a rejection into a test failure with a clear message. */
async function safeVerify(items: Iterable<LogItem> | AsyncIterable<LogItem>, opts: LogVerifyOptions = {}) {
  try {
    return await verifyLogV2({ items }, opts);
  } catch (e) {
    throw new Error(`verifyLogV2 threw: ${String(e)}`);
  }
}

let built: Built;
let items: LogItem[];
const authorityKey = people.authority.publicKey;

beforeAll(async () => {
  const store = new MemoryLogStore();
  built = await buildLedger(store);
  items = await collect(store.items(0, Number.MAX_SAFE_INTEGER));
  const { report } = await verifyLogV2({ items }, { trustedKeys: [authorityKey] });
  expect(report).toMatchObject({ ok: true, anchored: true, problems: [] });
});

/** An entry at `index` that commits to `payload`, as the ledger writes it. */
const entryFor = (index: number, payload: Uint8Array, time = Date.UTC(2026, 2, 2)) =>
  encodeEntry({
    index,
    time,
    mapRoot: new Uint8Array(32),
    payloadType: PAYLOAD_TYPES.statement,
    payloadHash: sha256(payload),
  });

describe('empty and garbage input', () => {
  it('an empty log is LOG_EMPTY (and a pinned key matches nothing)', async () => {
    const plain = (await safeVerify([])).report;
    expect(plain).toMatchObject({ ok: false, anchored: false, entries: 0 });
    expect(codes(plain.problems)).toEqual([['LOG_EMPTY', null]]);
    async function* none(): AsyncGenerator<LogItem> {}
    const pinned = (await safeVerify(none(), { trustedKeys: [authorityKey] })).report;
    expect(pinned.ok).toBe(false);
    expect(codes(pinned.problems)).toEqual([
      ['LOG_EMPTY', null],
      ['ANCHOR_KEY_UNMATCHED', null],
    ]);
  });

  it('random bytes, alone or after a valid log, never throw and never verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 300 })), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.boolean(),
        async (junk, afterValid) => {
          const prefix = afterValid ? items : [];
          const log = [
            ...prefix,
            ...junk.map(([entry, payload], i) => ({ index: prefix.length + i, entry, payload })),
          ];
          const { report } = await safeVerify(log, { trustedKeys: [authorityKey] });
          expect(report.ok).toBe(false);
          expect(report.problems[0]?.seq).toBe(afterValid ? prefix.length : 0);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('well-formed entries around random payloads and statements never throw and never verify', async () => {
    const value = fc.oneof(
      fc.nat(),
      fc.string({ maxLength: 20 }),
      fc.uint8Array({ maxLength: 40 }),
      fc.constant(null),
    );
    const fields = ['v', 'origin', 'class', 'kind', 'bv', 'exhibit', 'after', 'time', 'tz', 'signer', 'body'];
    const last = decodeSignedStatement(items[items.length - 1]!.payload);
    const tbs = (decodeCanonical(last.tbs) as { value: Record<string, Canonical> }).value;
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .array(fc.tuple(fc.string({ maxLength: 8 }), value), { maxLength: 6 })
        .map((es) => encodeCanonical(Object.fromEntries(es))),
      // A real statement with one field (of the envelope or of the body) replaced, its signatures kept.
      fc.tuple(fc.constantFrom(...fields), fc.string({ maxLength: 8 }), value).map(([k, bk, v]) => {
        const body = tbs['body'] as Record<string, Canonical>;
        const copy = k === 'body' ? { ...tbs, body: { ...body, [bk]: v } } : { ...tbs, [k]: v };
        return encodeSignedStatement(encodeCanonical(copy), last.signatures);
      }),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const log = [...items, { index: items.length, entry: entryFor(items.length, p), payload: p }];
        const { report } = await safeVerify(log);
        expect(report.ok).toBe(false);
        expect(report.problems[0]?.seq).toBe(items.length);
      }),
      { seed: 43, numRuns: 150 },
    );
  });

  it('a truncated entry is reported at its position as malformed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), async (i0, cut0) => {
        const i = i0 % items.length;
        const full = items[i]!.entry;
        const entry = full.slice(0, cut0 % full.length);
        const { report } = await safeVerify(items.map((it, k) => (k === i ? { ...it, entry } : it)));
        expect(report.ok).toBe(false);
        expect(report.problems[0]).toMatchObject({ seq: i });
        expect(['ENTRY_MALFORMED', 'ENTRY_NON_CANONICAL']).toContain(report.problems[0]?.code);
      }),
      { seed: 44, numRuns: 80 },
    );
  });

  it('an oversized statement is STATEMENT_TOO_LARGE', async () => {
    const big = new Uint8Array(STATEMENT_LIMITS.signed + 129).fill(0x41);
    const { report } = await safeVerify([
      ...items,
      { index: items.length, entry: entryFor(items.length, big), payload: big },
    ]);
    expect(report.problems[0]).toMatchObject({ seq: items.length });
    expect(report.problems.map((p) => p.code)).toContain('STATEMENT_TOO_LARGE');
  });

  it('an entry with a non-canonical encoding (uint16 for a small index) is ENTRY_NON_CANONICAL', async () => {
    const i = 3;
    const b = items[i]!.entry;
    // [0x96, 0x02, index (positive fixint) …]: write the index as uint16 instead.
    expect([b[0], b[1], b[2]]).toEqual([0x96, 0x02, i]);
    const entry = new Uint8Array(b.length + 2);
    entry.set([0x96, 0x02, 0xcd, 0x00, i]);
    entry.set(b.subarray(3), 5);
    const { report } = await safeVerify(items.map((it, k) => (k === i ? { ...it, entry } : it)));
    expect(codes(report.problems)[0]).toEqual(['ENTRY_NON_CANONICAL', i]);
  });

  /** Regression: a source that throws a non-object is still reported as SOURCE_FAILED. */
  it('a source that throws a non-Error is still SOURCE_FAILED', async () => {
    async function* failing() {
      yield* items.slice(0, 2);
      throw undefined;
    }
    const { report } = await safeVerify(failing());
    expect(codes(report.problems)).toEqual([['SOURCE_FAILED', 2]]);
  });

  /**
   * Regression (v1: VERIFICATION_STOPPED): an item whose position is huge (a
   * hostile bundle or a damaged store can carry any key) must not make the
   * verifier walk the gap, and an entry claiming a huge index is just wrong.
   */
  it('an item or an entry claiming a huge position does not hang the verifier', async () => {
    const gap = 2 ** 40;
    const skip = (await safeVerify([items[0]!, { ...items[1]!, index: gap }])).report;
    expect(codes(skip.problems)).toEqual([['ENTRY_MISSING', 1]]);
    const e = decodeEntry(items[1]!.entry).entry;
    const claim = (await safeVerify([items[0]!, { ...items[1]!, entry: encodeEntry({ ...e, index: gap }) }]))
      .report;
    expect(codes(claim.problems)).toEqual([['ENTRY_INDEX_MISMATCH', 1]]);
  });
});

describe('trust anchoring', () => {
  const other = seededSigner('someone else');

  /** A forged log: genesis by `authority` for ORIGIN, two enrolments, an exhibit handed over and accepted. */
  async function lookAlike(authority: Signer) {
    const f = new LogForger();
    const g = make(
      'genesis',
      authority,
      {
        name: 'Verifier test ledger',
        jurisdiction: 'NL',
        org: 'NFI',
        logKey: [KEY_TYPES.ed25519, seededSigner('fake log').publicKey],
      },
      {},
      { random: seededRandom('look-alike') },
    );
    await f.add(g.bytes);
    let head = g.id;
    const collector = seededSigner('fake collector');
    const custodian = seededSigner('fake custodian');
    for (const [who, roles, j] of [
      [collector, ['collector', 'custodian'], 'NL'],
      [custodian, ['custodian'], 'DE'],
    ] as const) {
      const e = make(
        'enrol',
        authority,
        {
          key: [KEY_TYPES.ed25519, who.publicKey],
          purpose: KEY_PURPOSES.statement,
          roles: [...roles],
          jurisdiction: j,
          name: 'N',
          org: 'O',
        },
        { after: head, seen: f.seen() },
      );
      await f.add(e.bytes);
      head = e.id;
    }
    const reg = make('register', collector, {
      label: 'HDD-01',
      caseRef: 'NL-1',
      description: 'planted',
      digests: digestOf('planted'),
      size: 7,
    });
    await f.add(reg.bytes);
    const t = make(
      'transfer',
      collector,
      { to: statementKeyId(custodian.publicKey), reason: 'r', legalBasis: 'EIO 2026/123' },
      { exhibit: reg.id, after: reg.id },
    );
    await f.add(t.bytes);
    await f.add(make('accept', custodian, {}, { exhibit: reg.id, after: t.id }).bytes);
    expect(f.items.every((x) => x.violation === undefined)).toBe(true);
    return f.items;
  }

  it('a genesis by another key than the pinned one is ANCHOR_KEY_UNMATCHED', async () => {
    const forged = (await lookAlike(other)).slice(0, 1);
    const { report } = await safeVerify(forged, { trustedKeys: [authorityKey] });
    expect(report).toMatchObject({ ok: false, anchored: false, anchor: null });
    expect(codes(report.problems)).toEqual([['ANCHOR_KEY_UNMATCHED', null]]);
  });

  it('a look-alike ledger (same origin and names, other keys) verifies only until the real key is pinned', async () => {
    const forged = await lookAlike(other);
    const unpinned = (await safeVerify(forged)).report;
    expect(unpinned).toMatchObject({
      ok: true,
      anchored: false,
      anchor: null,
      problems: [],
      origin: ORIGIN,
      exhibits: 1,
    });
    const pinned = (await safeVerify(forged, { trustedKeys: [authorityKey] })).report;
    expect(pinned).toMatchObject({ ok: false, anchored: false });
    expect(codes(pinned.problems)).toEqual([['ANCHOR_KEY_UNMATCHED', null]]);
    // Pinning the real log key instead does not help the look-alike either.
    const log = (await safeVerify(forged, { logKeys: [people.log.publicKey] })).report;
    expect(codes(log.problems)).toEqual([['ANCHOR_KEY_UNMATCHED', null]]);
    const own = (await safeVerify(forged, { trustedKeys: [other.publicKey] })).report;
    expect(own).toMatchObject({ ok: true, anchored: true });
  });

  it('a statement signed for another origin is ORIGIN_MISMATCH at that entry (statements bind the origin)', async () => {
    const f = await LogForger.after(items);
    const forged = await f.add(
      make(
        'examine',
        people.custodian,
        { action: 'x' },
        { exhibit: built.exhibit, after: f.state.get<ExhibitRecord>(NS.exhibit, built.exhibit)!.head },
        { origin: 'custody.test/other-ledger' },
      ).bytes,
    );
    const { report } = await safeVerify(f.items);
    expect(codes(report.problems)).toEqual([['ORIGIN_MISMATCH', forged.index]]);
  });
});

describe('signatures', () => {
  it('a statement signed by the wrong key is STATEMENT_SIGNATURE_INVALID at that entry, for its exhibit', async () => {
    const f = await LogForger.after(items);
    const head = f.state.get<ExhibitRecord>(NS.exhibit, built.exhibit)!.head;
    const s = envelope(
      'transfer',
      'chain',
      people.custodian,
      {
        to: statementKeyId(people.collector.publicKey),
        reason: sha256(new Uint8Array(1)),
        legalBasis: 'MLA FR',
      },
      { exhibit: built.exhibit, after: head },
    );
    const forged = await f.add(forgeStatement(s, [people.collector]).bytes);
    const { report } = await safeVerify(f.items, { trustedKeys: [authorityKey] });
    expect(report).toMatchObject({ ok: false, anchored: true });
    expect(report.problems).toEqual([
      expect.objectContaining({
        code: 'STATEMENT_SIGNATURE_INVALID',
        seq: forged.index,
        exhibit: ids45('EX', built.exhibit),
      }),
    ]);
  });

  it('a malleated signature (S + L) is STATEMENT_SIGNATURE_INVALID', async () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const i = items.length - 1;
    const d = decodeSignedStatement(items[i]!.payload);
    const sig = d.signatures[0]!.slice();
    let s = 0n;
    for (let k = 31; k >= 0; k--) s = (s << 8n) | BigInt(sig[32 + k]!);
    s += L;
    for (let k = 0; k < 32; k++) {
      sig[32 + k] = Number(s & 0xffn);
      s >>= 8n;
    }
    const f = await LogForger.after(items.slice(0, i));
    await f.add(encodeSignedStatement(d.tbs, [sig, ...d.signatures.slice(1)]));
    const { report } = await safeVerify(f.items);
    expect(codes(report.problems)).toContainEqual(['STATEMENT_SIGNATURE_INVALID', i]);
    expect(report.ok).toBe(false);
  });

  it('a checker that throws counts every signature as invalid; one that answers short, every unanswered one', async () => {
    const throwing: SignatureChecker = {
      check: async () => {
        throw new Error('worker died');
      },
    };
    const thrown = (await safeVerify(items, { checker: throwing })).report;
    expect(thrown.ok).toBe(false);
    // Genesis cannot be accepted, so nothing after it is judged as if it had been.
    expect(thrown.problems[0]).toMatchObject({ code: 'STATEMENT_SIGNATURE_INVALID', seq: 0 });
    expect(thrown.problems[0]!.message).toContain('worker died');
    expect(thrown.problems.map((p) => p.code)).toContain('GENESIS_UNVERIFIED');
    // One answer missing (the last job of the batch): that statement is refused, never passed.
    const short: SignatureChecker = { check: async (jobs) => jobs.slice(1).map(() => true) };
    const r = (await safeVerify(items, { checker: short })).report;
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatchObject({ code: 'STATEMENT_SIGNATURE_INVALID', seq: items.length - 1 });
  });

  it('the noble backend gives exactly the same report as the default one', async () => {
    const noble: SignatureChecker = {
      check: async (jobs) => jobs.map((j) => nobleEd25519.verify(j.signature, j.message, j.publicKey)),
    };
    const f = await LogForger.after(items);
    const s = envelope('revoke', 'ledger', people.collector, {
      key: statementKeyId(people.custodian.publicKey),
      reason: sha256(new Uint8Array(2)),
    });
    await f.add(forgeStatement(s, [people.stranger]).bytes);
    const damaged = await LogForger.after(items.slice(0, 4));
    const d = decodeSignedStatement(items[4]!.payload);
    const bad = d.signatures.map((x) => x.slice());
    bad[0]![3]! ^= 1;
    await damaged.add(encodeSignedStatement(d.tbs, bad));
    for (const log of [items, f.items, damaged.items]) {
      const opts = { trustedKeys: [authorityKey], batchSize: 3 };
      const a = (await safeVerify(log, opts)).report;
      const b = (await safeVerify(log, { ...opts, checker: noble })).report;
      expect(b).toEqual(a);
      expect(a.signaturesChecked).toBeGreaterThan(0);
    }
  });
});

describe('checkpoints', () => {
  /** Regression: a size-0 checkpoint (the RFC 9162 empty root) is true of every log. */
  it('a size-0 checkpoint (the empty root) is true of every log', async () => {
    const { report } = await safeVerify(items, { checkpoints: [{ size: 0, root: EMPTY_ROOT }] });
    expect(report.problems).toEqual([]);
  });
});
