/**
 * The v2 custody rules, one case per refusal, each checked both ways: the
 * sequencer refuses the statement with its code (and changes nothing), and
 * the same statement forged into a log (test/helpers/forge.ts) is reported by
 * the whole-ledger verifier with the same code at that entry, and nothing
 * else. These are the v1 rule cases (docs/CUSTODY-RULES.md) that
 * engine.test.ts does not already cover, with the v2 codes; plus what only a
 * forged log can break, and custody behaviour that is allowed.
 */
import { describe, expect, it } from 'vitest';
import type { Signer } from '../../src/crypto/ed25519.js';
import { type ExhibitRecord, NS } from '../../src/custody/records.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../src/format/key-id.js';
import { KINDS_V2 } from '../../src/format/kinds.js';
import { commitFields } from '../../src/format/openings.js';
import { ed25519Key, signStatement } from '../../src/format/sign-statement.js';
import type { Statement } from '../../src/format/statement.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { Sequencer } from '../../src/ledger/sequencer.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { replayEntries } from '../../src/verify/entries.js';
import { verifyLogV2 } from '../../src/verify/log-verify.js';
import { seededRandom } from '../format/v2-fixtures.js';
import { collect, envelope, forgeStatement, impostor, LogForger, SMALL_ORDER_KEY } from '../helpers/forge.js';
import { seededSigner } from '../helpers/world.js';
import {
  digestOf,
  idOf,
  makeV2World,
  ORIGIN,
  seenNow,
  sign,
  submitOk,
  T0,
  type V2World,
} from './v2-world.js';

const OTHER_ORIGIN = 'ledger.bka.example/2026';
const items = (w: V2World) => w.seq.log.map((s, index) => ({ index, entry: s.entry, payload: s.payload }));

/**
 * The sequencer refuses `bytes` with `code` and changes nothing; forged into
 * the log instead, the verifier reports exactly `code` at that entry.
 */
async function refusedAndReported(w: V2World, bytes: Uint8Array, code: string) {
  const before = items(w);
  const root = w.seq.state.map.root;
  const r = await w.seq.submit(bytes);
  expect(r.ok ? 'accepted' : r.violation.code, 'the sequencer').toBe(code);
  expect(w.seq.size).toBe(before.length);
  expect(w.seq.state.map.root).toEqual(root);
  const f = await LogForger.after(before);
  const forged = await f.add(bytes);
  expect(forged.violation?.code, 'the forger judges as the replay').toBe(code);
  const { report } = await verifyLogV2({ items: f.items });
  expect(
    report.problems.map((p) => [p.code, p.seq]),
    'the verifier',
  ).toEqual([[code, forged.index]]);
  expect(report.ok).toBe(false);
}

async function registered(w: V2World, by: Signer = w.collector, label = 'HDD-01', extra = {}) {
  const s = sign(
    'register',
    by,
    {
      label,
      caseRef: 'NL-2026-0042',
      description: 'Laptop disk image',
      digests: digestOf(label),
      size: 1000,
      ...extra,
    },
    {},
    { time: w.now.t },
  );
  await submitOk(w, s);
  return s.id;
}

/** A chain statement of exhibit `x` after `after`, submitted; returns its id. */
async function chained(
  w: V2World,
  kind: string,
  by: Signer,
  fields: Record<string, Canonical | undefined>,
  x: Uint8Array,
  after: Uint8Array,
) {
  const s = sign(kind, by, fields, { exhibit: x, after });
  await submitOk(w, s);
  return s.id;
}

/** A ledger statement linked to the governance chain and the current tree. */
async function governance(
  w: V2World,
  kind: string,
  by: Signer,
  fields: Record<string, Canonical | undefined>,
  cosigners: Signer[] = [],
) {
  return sign(kind, by, fields, { after: w.ledgerHead, seen: await seenNow(w) }, { cosigners });
}

async function governed(
  w: V2World,
  kind: string,
  by: Signer,
  fields: Record<string, Canonical | undefined>,
  cosigners: Signer[] = [],
) {
  const s = await governance(w, kind, by, fields, cosigners);
  await submitOk(w, s);
  w.ledgerHead = s.id;
  return s.id;
}

const enrolFields = (
  key: Uint8Array,
  roles: string[],
  more: Record<string, Canonical | undefined> = {},
): Record<string, Canonical | undefined> => ({
  key: [KEY_TYPES.ed25519, key],
  purpose: KEY_PURPOSES.statement,
  roles,
  jurisdiction: 'NL',
  name: 'N',
  org: 'O',
  ...more,
});

async function withRegistrar(w: V2World) {
  const registrar = seededSigner('registrar');
  await governed(w, 'enrol', w.authority, enrolFields(registrar.publicKey, ['registrar']));
  return registrar;
}

const transferTo = (to: Signer, more = {}) => ({ to: idOf(to), reason: 'r', ...more });

interface Row {
  code: string;
  where: string;
  bad: (w: V2World) => Promise<Uint8Array>;
}

const ROWS: Row[] = [
  // ------------------------------------------------------------------ governance
  {
    code: 'KEY_NOT_ADMISSIBLE',
    where: 'enrolment of a small-order key',
    bad: async (w) =>
      (await governance(w, 'enrol', w.authority, enrolFields(SMALL_ORDER_KEY, ['custodian']))).bytes,
  },
  {
    code: 'ACTOR_UNKNOWN',
    where: 'a signer that was never enrolled',
    bad: async (w) =>
      sign(
        'register',
        seededSigner('stranger'),
        { label: 'X', caseRef: 'C', description: 'd', digests: digestOf('stranger'), size: 1 },
        {},
        { time: w.now.t },
      ).bytes,
  },
  {
    code: 'ACTOR_UNKNOWN',
    where: 'revocation of a key that was never enrolled',
    bad: async (w) =>
      (await governance(w, 'revoke', w.authority, { key: idOf(seededSigner('stranger')), reason: 'r' }))
        .bytes,
  },
  {
    code: 'ALREADY_REVOKED',
    where: 'revocation of a key already revoked',
    bad: async (w) => {
      await governed(w, 'revoke', w.authority, { key: idOf(w.examiner), reason: 'r' });
      return (await governance(w, 'revoke', w.authority, { key: idOf(w.examiner), reason: 'again' })).bytes;
    },
  },
  {
    code: 'NOT_REGISTRAR',
    where: 'revocation by an actor that is neither the authority nor a registrar',
    bad: async (w) =>
      (await governance(w, 'revoke', w.collector, { key: idOf(w.examiner), reason: 'r' })).bytes,
  },
  {
    code: 'NOT_AUTHORITY',
    where: 'configuration by a registrar',
    bad: async (w) =>
      (await governance(w, 'configure', await withRegistrar(w), { config: { clockSkewMs: 1000 } })).bytes,
  },
  {
    code: 'REVOCATION_STALE',
    where: "a revocation made against a checkpoint older than the key's last statement",
    bad: async (w) => {
      const old = await seenNow(w);
      await registered(w);
      return sign(
        'revoke',
        w.authority,
        { key: idOf(w.collector), reason: 'r' },
        { after: w.ledgerHead, seen: old },
      ).bytes;
    },
  },
  {
    code: 'ROTATION_STALE',
    where: "a rotation made against a checkpoint older than the authority's last statement",
    bad: async (w) => {
      const old = await seenNow(w);
      await governed(w, 'enrol', w.authority, enrolFields(seededSigner('late').publicKey, ['custodian']));
      const next = seededSigner('next');
      return sign(
        'rotate',
        w.authority,
        { key: [KEY_TYPES.ed25519, next.publicKey] },
        { after: w.ledgerHead, seen: old },
        { cosigners: [next] },
      ).bytes;
    },
  },
  {
    code: 'NOT_AUTHORITY',
    where: 'rotation by a registrar (co-signed by the new key)',
    bad: async (w) => {
      const next = seededSigner('next');
      return (
        await governance(w, 'rotate', await withRegistrar(w), { key: [KEY_TYPES.ed25519, next.publicKey] }, [
          next,
        ])
      ).bytes;
    },
  },
  {
    code: 'NOT_AUTHORITY',
    where: 'a registrar enrolling a registrar (only the authority grants administrative roles)',
    bad: async (w) =>
      (
        await governance(
          w,
          'enrol',
          await withRegistrar(w),
          enrolFields(seededSigner('registrar 2').publicKey, ['registrar']),
        )
      ).bytes,
  },
  {
    code: 'NOT_AUTHORITY',
    where: 'a registrar revoking the log key',
    bad: async (w) =>
      (
        await governance(w, 'revoke', await withRegistrar(w), {
          key: keyIdOf(ed25519Key(w.log.publicKey), KEY_PURPOSES.log),
          reason: 'r',
        })
      ).bytes,
  },
  {
    code: 'KEY_IN_USE',
    where: 'rotation to the key of an enrolled actor',
    bad: async (w) =>
      (
        await governance(w, 'rotate', w.authority, { key: [KEY_TYPES.ed25519, w.collector.publicKey] }, [
          w.collector,
        ])
      ).bytes,
  },
  {
    code: 'CANNOT_REVOKE_AUTHORITY',
    where: 'revocation of the authority (it is replaced by rotate)',
    bad: async (w) =>
      (await governance(w, 'revoke', await withRegistrar(w), { key: idOf(w.authority), reason: 'r' })).bytes,
  },
  {
    code: 'ROLES_INVALID',
    where: 'a statement key enrolled without a role',
    bad: async (w) =>
      (await governance(w, 'enrol', w.authority, enrolFields(seededSigner('no role').publicKey, []))).bytes,
  },
  {
    code: 'ROLES_INVALID',
    where: 'a witness key enrolled with a role',
    bad: async (w) =>
      (
        await governance(
          w,
          'enrol',
          w.authority,
          enrolFields(seededSigner('witness').publicKey, ['custodian'], { purpose: KEY_PURPOSES.witness }),
        )
      ).bytes,
  },
  {
    code: 'KEY_TYPE_NOT_ALLOWED',
    where: 'an ML-DSA-44 statement key (statement keys are Ed25519)',
    bad: async (w) =>
      (
        await governance(w, 'enrol', w.authority, {
          ...enrolFields(new Uint8Array(32), ['custodian']),
          key: [KEY_TYPES.mldsa44, new Uint8Array(1312).fill(7)],
        })
      ).bytes,
  },
  {
    code: 'COMPROMISED_SINCE_AHEAD',
    where: 'a revocation that dates the compromise after itself',
    bad: async (w) =>
      (
        await governance(w, 'revoke', w.authority, {
          key: idOf(w.examiner),
          reason: 'stolen',
          compromisedSince: w.seq.size + 5,
        })
      ).bytes,
  },
  {
    code: 'ACTOR_EXPIRED',
    where: 'a signer whose enrolment had expired when it signed',
    bad: async (w) => {
      const temp = seededSigner('temporary collector');
      await governed(
        w,
        'enrol',
        w.authority,
        enrolFields(temp.publicKey, ['collector'], { validUntil: T0 + 1000 }),
      );
      return sign(
        'register',
        temp,
        { label: 'L', caseRef: 'C', description: 'd', digests: digestOf('expired'), size: 1 },
        {},
        { time: w.now.t },
      ).bytes;
    },
  },
  {
    code: 'SIGNER_FOREIGN',
    where: 'a key enrolled in another ledger (federation is a later capability)',
    bad: async (w) => {
      const spec = KINDS_V2['register']!;
      const { body } = commitFields(
        spec,
        { label: 'L', caseRef: 'C', description: 'd', digests: digestOf('foreign'), size: 1 },
        seededRandom('foreign'),
      );
      const s: Statement = {
        v: 2,
        origin: ORIGIN,
        class: 'chain',
        kind: 'register',
        bv: 1,
        time: T0,
        tz: 'UTC',
        signer: { key: ed25519Key(w.collector.publicKey), origin: OTHER_ORIGIN },
        body,
      };
      return signStatement(s, w.collector).bytes;
    },
  },
  // ------------------------------------------------------------------ custody
  {
    code: 'NOT_PERMITTED',
    where: 'registration of original evidence without the collector role',
    bad: async (w) =>
      sign(
        'register',
        w.examiner,
        { label: 'X', caseRef: 'C', description: 'd', digests: digestOf('by examiner'), size: 1 },
        {},
        { time: w.now.t },
      ).bytes,
  },
  {
    code: 'NOT_PERMITTED',
    where: 'a derived copy registered by the holder of the parent without the examiner role',
    bad: async (w) => {
      const x = await registered(w);
      return sign(
        'register',
        w.collector,
        { label: 'X-copy', caseRef: 'C', description: 'd', digests: digestOf('copy'), size: 1 },
        { exhibit: x, after: x },
      ).bytes;
    },
  },
  {
    code: 'NOT_PERMITTED',
    where: 'disposal by a holder without the custodian or court role',
    bad: async (w) => {
      const x = await registered(w);
      const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
      const a = await chained(w, 'accept', w.examiner, {}, x, t);
      return sign('dispose', w.examiner, { method: 'destroyed', reason: 'r' }, { exhibit: x, after: a })
        .bytes;
    },
  },
  {
    code: 'SEIZED_AFTER_REGISTRATION',
    where: 'seized after it was registered',
    bad: async (w) =>
      sign(
        'register',
        w.collector,
        {
          label: 'X',
          caseRef: 'C',
          description: 'd',
          digests: digestOf('seized later'),
          size: 1,
          seizedAt: w.now.t + 1,
        },
        {},
        { time: w.now.t },
      ).bytes,
  },
  {
    code: 'EXHIBIT_DISPOSED',
    where: 'a transfer after disposal',
    bad: async (w) => {
      const x = await registered(w);
      const d = await chained(w, 'dispose', w.collector, { method: 'destroyed', reason: 'r' }, x, x);
      return sign('transfer', w.collector, transferTo(w.examiner), { exhibit: x, after: d }).bytes;
    },
  },
  {
    code: 'EXHIBIT_IN_TRANSIT',
    where: 'a second transfer while the first is pending',
    bad: async (w) => {
      const x = await registered(w);
      const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
      return sign('transfer', w.collector, transferTo(w.court, { legalBasis: 'MLA' }), {
        exhibit: x,
        after: t,
      }).bytes;
    },
  },
  {
    code: 'EXHIBIT_IN_TRANSIT',
    where: 'a derived copy of a parent in transit',
    bad: async (w) => {
      const x = await registered(w);
      const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
      return sign(
        'register',
        w.examiner,
        { label: 'X-copy', caseRef: 'C', description: 'd', digests: digestOf('copy'), size: 1 },
        { exhibit: x, after: t },
      ).bytes;
    },
  },
  {
    code: 'EXHIBIT_IN_TRANSIT',
    where: 'a disposal while a transfer is pending',
    bad: async (w) => {
      const x = await registered(w);
      const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
      return sign('dispose', w.collector, { method: 'destroyed', reason: 'r' }, { exhibit: x, after: t })
        .bytes;
    },
  },
  {
    code: 'NOT_HOLDER',
    where: 'an examination by an examiner who does not hold it',
    bad: async (w) => {
      const x = await registered(w);
      return sign('examine', w.examiner, { action: 'look' }, { exhibit: x, after: x }).bytes;
    },
  },
  {
    code: 'NOT_HOLDER',
    where: 'a derived copy by an examiner who does not hold the parent',
    bad: async (w) => {
      const x = await registered(w);
      return sign(
        'register',
        w.examiner,
        { label: 'X-copy', caseRef: 'C', description: 'd', digests: digestOf('copy'), size: 1 },
        { exhibit: x, after: x },
      ).bytes;
    },
  },
  {
    code: 'NOT_HOLDER',
    where: 'a cancellation by the receiver (only the sender cancels)',
    bad: async (w) => {
      const x = await registered(w);
      const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
      return sign('cancel', w.examiner, { reason: 'r' }, { exhibit: x, after: t }).bytes;
    },
  },
  {
    code: 'RECEIVER_REVOKED',
    where: 'a transfer to a revoked actor',
    bad: async (w) => {
      const x = await registered(w);
      await governed(w, 'revoke', w.authority, { key: idOf(w.examiner), reason: 'r' });
      return sign('transfer', w.collector, transferTo(w.examiner), { exhibit: x, after: x }).bytes;
    },
  },
  {
    code: 'RECEIVER_NOT_PERMITTED',
    where: 'a transfer to an actor who may not hold evidence (a registrar)',
    bad: async (w) => {
      const registrar = await withRegistrar(w);
      const x = await registered(w);
      return sign('transfer', w.collector, transferTo(registrar), { exhibit: x, after: x }).bytes;
    },
  },
  {
    code: 'RECEIVER_UNKNOWN',
    where: 'a transfer to the log key (enrolled, but not an actor)',
    bad: async (w) => {
      const x = await registered(w);
      return sign(
        'transfer',
        w.collector,
        { to: keyIdOf(ed25519Key(w.log.publicKey), KEY_PURPOSES.log), reason: 'r' },
        { exhibit: x, after: x },
      ).bytes;
    },
  },
  {
    code: 'RECEIVER_FOREIGN',
    where: 'a transfer to an actor of another ledger (federation is a later capability)',
    bad: async (w) => {
      const x = await registered(w);
      return sign(
        'transfer',
        w.collector,
        { to: [OTHER_ORIGIN, idOf(w.examiner)], reason: 'r', legalBasis: 'EIO' },
        { exhibit: x, after: x },
      ).bytes;
    },
  },
  {
    code: 'NO_PENDING_TRANSFER',
    where: 'a rejection with nothing sent',
    bad: async (w) => {
      const x = await registered(w);
      return sign('reject', w.examiner, { reason: 'r' }, { exhibit: x, after: x }).bytes;
    },
  },
  {
    code: 'NO_PENDING_TRANSFER',
    where: 'a cancellation by the holder with nothing pending',
    bad: async (w) => {
      const x = await registered(w);
      return sign('cancel', w.collector, { reason: 'r' }, { exhibit: x, after: x }).bytes;
    },
  },
  {
    code: 'NOT_RECEIVER',
    where: 'a rejection by the sender',
    bad: async (w) => {
      const x = await registered(w);
      const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
      return sign('reject', w.collector, { reason: 'r' }, { exhibit: x, after: t }).bytes;
    },
  },
];

describe('custody rules: the sequencer refuses, the verifier reports', () => {
  it.each(ROWS)('$code — $where', async (row) => {
    const w = await makeV2World();
    const bytes = await row.bad(w);
    await refusedAndReported(w, bytes, row.code);
  });
});

describe('the kinds table before the rules', () => {
  it('roles out of canonical order: signing refuses it; forged, the sequencer and the verifier give one schema code', async () => {
    const w = await makeV2World();
    const fields = enrolFields(seededSigner('unsorted').publicKey, ['examiner', 'custodian']);
    await expect(governance(w, 'enrol', w.authority, fields)).rejects.toMatchObject({ code: 'BODY_SCHEMA' });
    const { body } = commitFields(KINDS_V2['enrol']!, fields, seededRandom('unsorted'));
    const s = envelope('enrol', 'ledger', w.authority, body, {
      origin: ORIGIN,
      after: w.ledgerHead,
      seen: await seenNow(w),
    });
    await refusedAndReported(w, forgeStatement(s, [w.authority]).bytes, 'BODY_SCHEMA');
  });
});

describe('custody rules only a forged log can break', () => {
  it('KEY_NOT_ADMISSIBLE — a genesis naming a small-order log key', async () => {
    const a = seededSigner('g authority');
    const g = sign('genesis', a, {
      name: 'L',
      jurisdiction: 'NL',
      org: 'O',
      logKey: [KEY_TYPES.ed25519, SMALL_ORDER_KEY],
    });
    const seq = new Sequencer(() => T0 + 60_000);
    const r = await seq.submit(g.bytes);
    expect(r.ok ? 'accepted' : r.violation.code).toBe('KEY_NOT_ADMISSIBLE');
    const f = new LogForger({ start: T0 });
    await f.add(g.bytes);
    const { report } = await verifyLogV2({ items: f.items });
    expect(report.problems.map((p) => [p.code, p.seq])).toEqual([
      ['KEY_NOT_ADMISSIBLE', 0],
      ['GENESIS_UNVERIFIED', null],
    ]);
  });

  it('a genesis by a small-order authority key is refused before the rules: its signature cannot verify', async () => {
    const fake = impostor(SMALL_ORDER_KEY, seededSigner('g authority'));
    const g = sign('genesis', fake, {
      name: 'L',
      jurisdiction: 'NL',
      org: 'O',
      logKey: [KEY_TYPES.ed25519, seededSigner('g log').publicKey],
    });
    const r = await new Sequencer(() => T0 + 60_000).submit(g.bytes);
    expect(r.ok ? 'accepted' : r.violation.code).toBe('STATEMENT_SIGNATURE_INVALID');
    const f = new LogForger({ start: T0 });
    await f.add(g.bytes);
    const { report } = await verifyLogV2({ items: f.items });
    expect(report.problems.map((p) => p.code)).toEqual(['STATEMENT_SIGNATURE_INVALID', 'GENESIS_UNVERIFIED']);
  });

  it('a rotation to a small-order key cannot be co-signed by it: refused before the rules', async () => {
    const w = await makeV2World();
    const s = await governance(w, 'rotate', w.authority, { key: [KEY_TYPES.ed25519, SMALL_ORDER_KEY] }, [
      impostor(SMALL_ORDER_KEY, seededSigner('someone')),
    ]);
    await refusedAndReported(w, s.bytes, 'STATEMENT_SIGNATURE_INVALID');
  });

  it('a revocation placed late in a fabricated history does not extend the key’s life', async () => {
    // The log key's holder forks after checkpoint n: a statement of the stolen key at n, then
    // the real revocation (made against n, so its seen still matches the fork). By position
    // the forged statement comes before the revocation; by the tree it is after the key's end.
    const w = await makeV2World();
    const n = await seenNow(w);
    const revocation = sign(
      'revoke',
      w.authority,
      { key: idOf(w.collector), reason: 'stolen' },
      { after: w.ledgerHead, seen: n },
    );
    const f = await LogForger.after(items(w));
    const forged = sign(
      'register',
      w.collector,
      { label: 'PLANTED', caseRef: 'C', description: 'd', digests: digestOf('planted'), size: 1 },
      {},
      { time: w.now.t },
    );
    const planted = await f.add(forged.bytes);
    const revoked = await f.add(revocation.bytes);
    expect(planted.violation).toBeUndefined();
    const { report } = await verifyLogV2({ items: f.items });
    expect(report.problems.map((p) => [p.code, p.seq])).toEqual([['REVOCATION_STALE', revoked.index]]);
  });

  it('ENTRY_TIME_REGRESSION — an entry whose log time is before the previous one', async () => {
    const w = await makeV2World();
    const before = items(w);
    const f = await LogForger.after(before);
    const reg = sign(
      'register',
      w.collector,
      { label: 'X', caseRef: 'C', description: 'd', digests: digestOf('time'), size: 1 },
      {},
      { time: w.now.t },
    );
    const forged = await f.add(reg.bytes, { time: f.time - 5000 });
    const { report } = await verifyLogV2({ items: f.items });
    expect(report.problems.map((p) => [p.code, p.seq])).toEqual([['ENTRY_TIME_REGRESSION', forged.index]]);
  });
});

describe('custody behaviour that is allowed', () => {
  it.each(['reject', 'cancel'] as const)(
    'a %s leaves the exhibit held by the sender, who may hand it over again',
    async (kind) => {
      const w = await makeV2World();
      const x = await registered(w);
      const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
      expect(w.seq.state.get('exhibit', x)).toMatchObject({ state: 'pending', to: idOf(w.examiner) });
      const by = kind === 'reject' ? w.examiner : w.collector;
      const back = await chained(w, kind, by, { reason: 'not expected' }, x, t);
      const rec = w.seq.state.get('exhibit', x);
      expect(rec).toMatchObject({ state: 'held', holder: idOf(w.collector), head: back });
      expect(rec).not.toHaveProperty('to');
      // The receiver can no longer accept it ...
      const late = await w.seq.submit(sign('accept', w.examiner, {}, { exhibit: x, after: back }).bytes);
      expect(late.ok ? 'accepted' : late.violation.code).toBe('NO_PENDING_TRANSFER');
      // ... and the sender hands it over again.
      await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, back);
      expect((await replayEntries(items(w))).problems).toEqual([]);
    },
  );

  it('an acceptance with a mismatching digest or a broken seal is accepted, not refused', async () => {
    const w = await makeV2World();
    const x = await registered(w);
    const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
    await chained(w, 'accept', w.examiner, { digests: digestOf('something else'), seal: 'broken' }, x, t);
    expect(w.seq.state.get('exhibit', x)).toMatchObject({ state: 'held', holder: idOf(w.examiner) });
    const { report } = await verifyLogV2({ items: items(w) });
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  // v1 refused this as DIGEST_NOT_COMPARABLE; v2 accepts it, and the re-hash compares nothing
  // (see the known report bug in test/report/model.test.ts).
  it('an acceptance that re-hashed only in an algorithm that was not registered is accepted', async () => {
    const w = await makeV2World();
    const x = await registered(w);
    const t = await chained(w, 'transfer', w.collector, transferTo(w.examiner), x, x);
    const md5 = digestOf('HDD-01').sha256.slice(0, 16);
    await chained(w, 'accept', w.examiner, { digests: { md5 } }, x, t);
    expect(w.seq.state.get('exhibit', x)).toMatchObject({ state: 'held', holder: idOf(w.examiner) });
  });

  it('a revocation stops signing and leaves the entries before it valid', async () => {
    const w = await makeV2World();
    const x = await registered(w);
    await governed(w, 'revoke', w.authority, { key: idOf(w.collector), reason: 'left' });
    const late = await w.seq.submit(
      sign('transfer', w.collector, transferTo(w.examiner), { exhibit: x, after: x }).bytes,
    );
    expect(late.ok ? 'accepted' : late.violation.code).toBe('ACTOR_REVOKED');
    expect((await verifyLogV2({ items: items(w) })).report).toMatchObject({ ok: true, problems: [] });
  });

  it('key lifetimes: a revocation ends the key at its checkpoint, and every statement records its signer’s last position', async () => {
    const w = await makeV2World();
    const x = await registered(w);
    expect(w.seq.state.get('key', idOf(w.collector))).toMatchObject({ last: w.seq.size - 1 });
    const seen = await seenNow(w);
    await governed(w, 'revoke', w.authority, { key: idOf(w.collector), reason: 'left' });
    expect(w.seq.state.get('key', idOf(w.collector))).toMatchObject({ revokedAt: seen.size });
    expect(w.seq.state.get('key', idOf(w.authority))).toMatchObject({ last: w.seq.size - 1 });
    const late = await w.seq.submit(
      sign('transfer', w.collector, transferTo(w.examiner), { exhibit: x, after: x }).bytes,
    );
    expect(late.ok ? 'accepted' : late.violation.code).toBe('ACTOR_REVOKED');
  });

  it('a stale revocation that says the key was compromised is accepted (after a theft)', async () => {
    const w = await makeV2World();
    const old = await seenNow(w);
    await registered(w);
    const s = sign(
      'revoke',
      w.authority,
      { key: idOf(w.collector), reason: 'stolen', compromisedSince: old.size },
      { after: w.ledgerHead, seen: old },
    );
    await submitOk(w, s);
    expect(w.seq.state.get('key', idOf(w.collector))).toMatchObject({
      revokedAt: old.size,
      compromisedSince: old.size,
    });
  });

  it('a registrar enrols and revokes actors', async () => {
    const w = await makeV2World();
    const registrar = await withRegistrar(w);
    const officer = seededSigner('officer');
    await governed(w, 'enrol', registrar, enrolFields(officer.publicKey, ['custodian']));
    await governed(w, 'revoke', registrar, { key: idOf(officer), reason: 'moved on' });
    expect(w.seq.state.get('key', idOf(officer))).toMatchObject({ revokedAt: w.seq.size - 1 });
    expect((await replayEntries(items(w))).problems).toEqual([]);
  });

  it('the ledger clamps a clock that goes back: log times never decrease, nothing is refused', async () => {
    let now = T0 + 120_000;
    const clock = { now: () => (now -= 10_000), zone: () => 'UTC' };
    const store = new MemoryLogStore();
    const ledger = await LogLedger.open(store, { clock });
    const a = seededSigner('clamp authority');
    const g = sign('genesis', a, {
      name: 'L',
      jurisdiction: 'NL',
      org: 'O',
      logKey: [KEY_TYPES.ed25519, seededSigner('clamp log').publicKey],
    });
    const first = await ledger.submit(g.bytes);
    const e = sign('enrol', a, enrolFields(seededSigner('clamp actor').publicKey, ['custodian']), {
      after: g.id,
      seen: { size: 1, root: ledger.root() },
    });
    const second = await ledger.submit(e.bytes);
    expect(second.time).toBe(first.time);
    expect((await verifyLogV2({ items: await collect(store.items(0, 10)) })).report.problems).toEqual([]);
  });
});

describe('annotations: disclose', () => {
  const disclosure = (more: Record<string, Canonical | undefined> = {}) => ({
    recipient: 'Defence counsel Mr. A. Smit',
    profile: 'defence',
    legalBasis: 'Art. 30 Sv (NL)',
    fields: ['description', 'name', 'org'],
    bundle: new Uint8Array(32).fill(7),
    ...more,
  });

  it('is recorded at the head and moves nothing: the chain signed before it still links', async () => {
    const w = await makeV2World('annotation ok ');
    const x = await registered(w);
    await submitOk(w, sign('disclose', w.collector, disclosure(), { exhibit: x, after: x }));
    expect(w.seq.state.get<ExhibitRecord>(NS.exhibit, x)!.head).toEqual(x);
    // The transfer was signed against the registration (offline, say); the disclosure did not move the head.
    await chained(w, 'transfer', w.collector, transferTo(w.deCustodian, { legalBasis: 'EIO' }), x, x);
    const { report } = await verifyLogV2({ items: items(w) });
    expect(report.problems).toEqual([]);
  });

  it('is refused, and reported when forged, when it is not at the head, twice, or about an unknown exhibit', async () => {
    const w = await makeV2World('annotation refused ');
    const x = await registered(w);
    const t = await chained(
      w,
      'transfer',
      w.collector,
      transferTo(w.deCustodian, { legalBasis: 'EIO' }),
      x,
      x,
    );
    // Signed against the registration, which is no longer the head.
    await refusedAndReported(
      w,
      sign('disclose', w.collector, disclosure(), { exhibit: x, after: x }).bytes,
      'EXHIBIT_LINK_BROKEN',
    );
    const d = sign('disclose', w.collector, disclosure(), { exhibit: x, after: t });
    await submitOk(w, d);
    await refusedAndReported(w, d.bytes, 'STATEMENT_DUPLICATE');
    const nowhere = new Uint8Array(32).fill(9);
    await refusedAndReported(
      w,
      sign('disclose', w.collector, disclosure(), { exhibit: nowhere, after: nowhere }).bytes,
      'EXHIBIT_UNKNOWN',
    );
  });

  it('refuses a body out of shape: unknown profile, unsorted fields', async () => {
    const w = await makeV2World('annotation schema ');
    const x = await registered(w);
    for (const bad of [{ profile: 'press' }, { fields: ['org', 'name'] }, { fields: ['name', 'name'] }])
      expect(() => sign('disclose', w.collector, disclosure(bad), { exhibit: x, after: x })).toThrow(
        /BODY_SCHEMA|fields|profile/,
      );
  });
});

describe('annotations: restrict, release, erase', () => {
  async function withDpo(prefix: string) {
    const w = await makeV2World(prefix);
    const dpo = seededSigner(`${prefix}dpo`);
    await governed(w, 'enrol', w.authority, enrolFields(dpo.publicKey, ['data-protection']));
    const x = await registered(w);
    return { w, dpo, x };
  }
  const hold = (fields: string[] = ['description'], recipients: string[] = ['court']) => ({
    fields,
    recipients,
    ground: 'Art. 16(3)(b)',
  });

  it('only a data-protection officer restricts or erases (NOT_PERMITTED, also when forged)', async () => {
    const { w, x } = await withDpo('dpo only ');
    await refusedAndReported(
      w,
      sign('restrict', w.collector, hold(), { exhibit: x, after: x }).bytes,
      'NOT_PERMITTED',
    );
    await refusedAndReported(
      w,
      sign('erase', w.collector, { fields: ['location'], ground: 'g' }, { exhibit: x, after: x }).bytes,
      'NOT_PERMITTED',
    );
  });

  it('a hold stops erasure of what it covers until it is released; other fields may be erased', async () => {
    const { w, dpo, x } = await withDpo('hold ');
    const r = sign('restrict', dpo, hold(['description']), { exhibit: x, after: x });
    await submitOk(w, r);
    await refusedAndReported(
      w,
      sign('erase', dpo, { fields: ['description', 'location'], ground: 'g' }, { exhibit: x, after: x })
        .bytes,
      'ERASURE_RESTRICTED',
    );
    await submitOk(w, sign('erase', dpo, { fields: ['location'], ground: 'g' }, { exhibit: x, after: x }));
    await refusedAndReported(
      w,
      sign('release', dpo, { hold: new Uint8Array(32).fill(3), ground: 'g' }, { exhibit: x, after: x }).bytes,
      'HOLD_UNKNOWN',
    );
    await submitOk(w, sign('release', dpo, { hold: r.id, ground: 'closed' }, { exhibit: x, after: x }));
    await submitOk(
      w,
      sign('erase', dpo, { fields: ['description'], ground: 'g2' }, { exhibit: x, after: x }),
    );
    expect((await verifyLogV2({ items: items(w) })).report.problems).toEqual([]);
  });

  it('a hold on the whole exhibit (no fields named) stops every erasure; an erasure of nothing is refused', async () => {
    const { w, dpo, x } = await withDpo('whole hold ');
    await submitOk(w, sign('restrict', dpo, hold([], []), { exhibit: x, after: x }));
    await refusedAndReported(
      w,
      sign('erase', dpo, { fields: ['location'], ground: 'g' }, { exhibit: x, after: x }).bytes,
      'ERASURE_RESTRICTED',
    );
    await refusedAndReported(
      w,
      sign('erase', dpo, { fields: [], ground: 'g' }, { exhibit: x, after: x }).bytes,
      'ERASE_NOTHING',
    );
  });
});

describe('submitting later (offline signing): refused on append, and reported when forged', () => {
  const reg = (w: V2World, time: number, label = 'LATE-1') =>
    sign(
      'register',
      w.collector,
      { label, caseRef: 'C', description: 'd', digests: digestOf(label), size: 1 },
      {},
      { time },
    );

  it('a statement submitted twice: STATEMENT_DUPLICATE (the ledger answers the repeat with its entry)', async () => {
    const w = await makeV2World('offline dup ');
    const s = reg(w, w.now.t);
    await submitOk(w, s);
    await refusedAndReported(w, s.bytes, 'STATEMENT_DUPLICATE');
  });

  it('a claimed time ahead of the log beyond the skew: CLAIMED_TIME_AHEAD', async () => {
    const w = await makeV2World('offline ahead ');
    await refusedAndReported(w, reg(w, w.now.t + 3_600_000).bytes, 'CLAIMED_TIME_AHEAD');
  });

  it('signed longer ago than the late-submission window: SUBMITTED_TOO_LATE', async () => {
    const w = await makeV2World('offline late ');
    await refusedAndReported(w, reg(w, w.now.t - 40 * 86_400_000).bytes, 'SUBMITTED_TOO_LATE');
  });
});
