/**
 * The custody rules (src/custody/rules.ts), one test per violation `evaluate`
 * can produce, each shown twice where possible:
 *   (a) the ledger refuses the append with that code (category 'custody') and writes nothing;
 *   (b) a forged ledger in which the rule is broken is reported by the verifier
 *       with exactly that code, at that entry, for that exhibit.
 * Codes the ledger API cannot even attempt (it fills seq, prev, links and the
 * genesis itself) are shown on forged logs only; codes no log can reach are
 * shown on `evaluate` directly.
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { evaluate } from '../../src/custody/rules.js';
import { type ExhibitRecord, MemoryState } from '../../src/custody/state.js';
import { CustodyError } from '../../src/errors.js';
import { exhibitOf, type Payload, type Role } from '../../src/format/events.js';
import { exhibitIdFromBytes, keyId } from '../../src/format/ids.js';
import { ZERO_HASH } from '../../src/format/record.js';
import type { Draft } from '../../src/ledger/draft.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { MemoryStore } from '../../src/store/memory.js';
import { scopeToExhibit } from '../../src/verify/exhibit.js';
import type { Problem } from '../../src/verify/report.js';
import { verifyLog } from '../../src/verify/verifier.js';
import {
  appendForged,
  collect,
  type Forged,
  Forger,
  type ForgeStep,
  forgeLog,
  impostor,
  SMALL_ORDER_KEY,
  type StoredRecord,
} from '../helpers/forge.js';
import {
  type Actor,
  digestsOf,
  makeWorld,
  registerExhibit,
  seededSigner,
  steppingClock,
  type World,
} from '../helpers/world.js';

// ---------------------------------------------------------------- helpers

const ORIGIN = 'custody.test/nl-nfi';
const CONTENT = 'disk image bytes';
const stranger = seededSigner('stranger');
const newAuthority = seededSigner('new authority');
const UNKNOWN_EXHIBIT = exhibitIdFromBytes(new Uint8Array([9, 9, 9, 9, 9, 9]));
const FUTURE = Date.UTC(2030, 0, 1);

const summary = (p: Problem) => ({ code: p.code, seq: p.seq, exhibit: p.exhibit, severity: p.severity });

async function reg(w: World): Promise<string> {
  const { exhibit } = await registerExhibit(w);
  return exhibit!;
}

function send(w: World, x: string, from: Actor, to: Actor, legalBasis?: string) {
  return w.ledger.append(
    {
      kind: 'transfer',
      body: { exhibit: x, to: to.id, reason: 'for examination', ...(legalBasis ? { legalBasis } : {}) },
    },
    from.signer,
  );
}
const take = (w: World, x: string, by: Actor) =>
  w.ledger.append({ kind: 'accept', body: { exhibit: x } }, by.signer);
const revoke = (w: World, a: Actor | string) =>
  w.ledger.append(
    { kind: 'revoke', body: { actor: typeof a === 'string' ? a : a.id, reason: 'left the service' } },
    w.authority.signer,
  );

/** An exhibit registered by the NL collector and held by the NL examiner. */
async function heldByNlExaminer(w: World): Promise<string> {
  const x = await reg(w);
  await send(w, x, w.nlCollector, w.nlExaminer);
  await take(w, x, w.nlExaminer);
  return x;
}

const originalBody = () => ({
  label: 'HDD-01 image',
  caseRef: 'NL-2026-0042',
  description: 'E01 image of HDD-01',
  digests: digestsOf('image bytes'),
  size: 11,
});
const copyBody = (parent: string) => ({ ...originalBody(), parent });

const enrolBody = (pk: Uint8Array, roles: Role[] = ['custodian']) => ({
  publicKey: pk,
  name: 'P. Janssen',
  roles,
  jurisdiction: 'NL',
  org: 'Politie Utrecht',
});

function codeOf(e: unknown): { code: string; category: string } | undefined {
  return e instanceof CustodyError ? { code: e.code, category: e.category } : undefined;
}

// ---------------------------------------------------------------- (a)+(b): rules the ledger can be asked to break

interface Attempt {
  draft: Draft;
  signer: Signer;
  time?: number;
}
interface LedgerRow {
  code: string;
  where: string;
  setup?: (w: World) => Promise<string>;
  attempt: (w: World, x: string) => Attempt;
}

const LEDGER_ROWS: LedgerRow[] = [
  {
    code: 'TIME_REGRESSION',
    where: 'an entry claims a time before the previous one',
    attempt: (w) => ({
      draft: { kind: 'revoke', body: { actor: w.witness.id, reason: 'backdated' } },
      signer: w.authority.signer,
      time: Date.UTC(2020, 0, 1),
    }),
  },
  {
    code: 'KEY_NOT_ADMISSIBLE',
    where: 'enrolment of a small-order key',
    attempt: (w) => ({
      draft: { kind: 'enrol', body: enrolBody(SMALL_ORDER_KEY) },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'KEY_NOT_ADMISSIBLE',
    where: 'rotation to a small-order key',
    attempt: (w) => ({
      draft: { kind: 'rotate', newAuthority: impostor(SMALL_ORDER_KEY, newAuthority) },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'ACTOR_UNKNOWN',
    where: 'signer was never enrolled',
    attempt: () => ({
      draft: { kind: 'register', body: originalBody() },
      signer: stranger,
    }),
  },
  {
    code: 'ACTOR_UNKNOWN',
    where: 'revocation of an actor that was never enrolled',
    attempt: (w) => ({
      draft: { kind: 'revoke', body: { actor: keyId(stranger.publicKey), reason: 'who?' } },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'ACTOR_REVOKED',
    where: 'signer was revoked earlier',
    setup: async (w) => {
      const x = await reg(w);
      await revoke(w, w.nlCollector);
      return x;
    },
    attempt: (w, x) => ({
      draft: { kind: 'transfer', body: { exhibit: x, to: w.nlExaminer.id, reason: 'after revocation' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'ACTOR_REVOKED',
    where: 'revocation of an actor already revoked',
    setup: async (w) => {
      await revoke(w, w.witness);
      return '';
    },
    attempt: (w) => ({
      draft: { kind: 'revoke', body: { actor: w.witness.id, reason: 'again' } },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'NOT_AUTHORITY',
    where: 'enrolment by a non-authority',
    attempt: (w) => ({
      draft: { kind: 'enrol', body: enrolBody(stranger.publicKey) },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'NOT_AUTHORITY',
    where: 'revocation by a non-authority',
    attempt: (w) => ({
      draft: { kind: 'revoke', body: { actor: w.witness.id, reason: 'coup' } },
      signer: w.frCourt.signer,
    }),
  },
  {
    code: 'NOT_AUTHORITY',
    where: 'rotation by a non-authority',
    attempt: (w) => ({ draft: { kind: 'rotate', newAuthority }, signer: w.deCustodian.signer }),
  },
  {
    code: 'ROLE_NOT_GRANTABLE',
    where: 'enrolment with the authority role',
    attempt: (w) => ({
      draft: { kind: 'enrol', body: enrolBody(stranger.publicKey, ['authority', 'custodian']) },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'ACTOR_EXISTS',
    where: 'enrolment of a key already enrolled',
    attempt: (w) => ({
      draft: { kind: 'enrol', body: enrolBody(w.nlCollector.signer.publicKey) },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'ACTOR_EXISTS',
    where: 'rotation to the key of an enrolled actor',
    attempt: (w) => ({
      draft: { kind: 'rotate', newAuthority: w.nlCollector.signer },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'AUTHORITY_NOT_REVOCABLE',
    where: 'revocation of the authority',
    attempt: (w) => ({
      draft: { kind: 'revoke', body: { actor: w.authority.id, reason: 'self' } },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'ROTATION_PROOF_INVALID',
    where: 'the proof is not signed by the new key',
    attempt: (w) => ({
      draft: { kind: 'rotate', newAuthority: impostor(newAuthority.publicKey, stranger) },
      signer: w.authority.signer,
    }),
  },
  {
    code: 'ROLE_REQUIRED',
    where: 'registration of original evidence without the collector role',
    attempt: (w) => ({
      draft: { kind: 'register', body: originalBody() },
      signer: w.deCustodian.signer,
    }),
  },
  {
    code: 'ROLE_REQUIRED',
    where: 'registration of a derived copy without the examiner role (holder of the parent)',
    setup: reg,
    attempt: (w, x) => ({ draft: { kind: 'register', body: copyBody(x) }, signer: w.nlCollector.signer }),
  },
  {
    code: 'ROLE_REQUIRED',
    where: 'examination without the examiner role (holder)',
    setup: reg,
    attempt: (w, x) => ({
      draft: { kind: 'examine', body: { exhibit: x, action: 'imaging' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'ROLE_REQUIRED',
    where: 'disposal without the custodian or court role (holder)',
    setup: async (w) => {
      const x = await reg(w);
      await send(w, x, w.nlCollector, w.deExaminer, 'EIO 2026/7');
      await take(w, x, w.deExaminer);
      return x;
    },
    attempt: (w, x) => ({
      draft: { kind: 'dispose', body: { exhibit: x, method: 'destroyed', reason: 'done' } },
      signer: w.deExaminer.signer,
    }),
  },
  {
    code: 'EXHIBIT_EXISTS',
    where: 'registration under an id already registered',
    setup: reg,
    attempt: (w, x) => ({
      draft: { kind: 'register', body: { ...originalBody(), exhibit: x } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'TIME_INVALID',
    where: 'seized after it was registered',
    attempt: (w) => ({
      draft: { kind: 'register', body: { ...originalBody(), seizedAt: FUTURE } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'EXHIBIT_UNKNOWN',
    where: 'transfer of an exhibit never registered',
    attempt: (w) => ({
      draft: { kind: 'transfer', body: { exhibit: UNKNOWN_EXHIBIT, to: w.nlExaminer.id, reason: 'r' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'EXHIBIT_UNKNOWN',
    where: 'derived copy of a parent never registered',
    attempt: (w) => ({
      draft: { kind: 'register', body: copyBody(UNKNOWN_EXHIBIT) },
      signer: w.nlExaminer.signer,
    }),
  },
  {
    code: 'EXHIBIT_DISPOSED',
    where: 'transfer after disposal',
    setup: async (w) => {
      const x = await reg(w);
      await w.ledger.append(
        { kind: 'dispose', body: { exhibit: x, method: 'returned', reason: 'case closed' } },
        w.nlCollector.signer,
      );
      return x;
    },
    attempt: (w, x) => ({
      draft: { kind: 'transfer', body: { exhibit: x, to: w.nlExaminer.id, reason: 'r' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'EXHIBIT_DISPOSED',
    where: 'accept after disposal (receiver check)',
    setup: async (w) => {
      const x = await reg(w);
      await w.ledger.append(
        { kind: 'dispose', body: { exhibit: x, method: 'archived', reason: 'case closed' } },
        w.nlCollector.signer,
      );
      return x;
    },
    attempt: (w, x) => ({ draft: { kind: 'accept', body: { exhibit: x } }, signer: w.nlExaminer.signer }),
  },
  {
    code: 'EXHIBIT_IN_TRANSIT',
    where: 'a second transfer while the first is pending',
    setup: async (w) => {
      const x = await reg(w);
      await send(w, x, w.nlCollector, w.nlExaminer);
      return x;
    },
    attempt: (w, x) => ({
      draft: {
        kind: 'transfer',
        body: { exhibit: x, to: w.frCourt.id, reason: 'r', legalBasis: 'MLA FR-1' },
      },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'EXHIBIT_IN_TRANSIT',
    where: 'derived copy of a parent in transit',
    setup: async (w) => {
      const x = await heldByNlExaminer(w);
      await send(w, x, w.nlExaminer, w.deCustodian, 'EIO 2026/8');
      return x;
    },
    attempt: (w, x) => ({ draft: { kind: 'register', body: copyBody(x) }, signer: w.nlExaminer.signer }),
  },
  {
    code: 'NOT_HOLDER',
    where: 'transfer by someone else',
    setup: reg,
    attempt: (w, x) => ({
      draft: {
        kind: 'transfer',
        body: { exhibit: x, to: w.deCustodian.id, reason: 'r', legalBasis: 'MLA 1' },
      },
      signer: w.nlExaminer.signer,
    }),
  },
  {
    code: 'NOT_HOLDER',
    where: 'examination by an examiner who does not hold it',
    setup: reg,
    attempt: (w, x) => ({
      draft: { kind: 'examine', body: { exhibit: x, action: 'imaging' } },
      signer: w.nlExaminer.signer,
    }),
  },
  {
    code: 'NOT_HOLDER',
    where: 'derived copy by an examiner who does not hold the parent',
    setup: reg,
    attempt: (w, x) => ({ draft: { kind: 'register', body: copyBody(x) }, signer: w.nlExaminer.signer }),
  },
  {
    code: 'TRANSFER_TO_SELF',
    where: 'holder hands over to itself',
    setup: reg,
    attempt: (w, x) => ({
      draft: { kind: 'transfer', body: { exhibit: x, to: w.nlCollector.id, reason: 'r' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'RECEIVER_UNKNOWN',
    where: 'transfer to an actor never enrolled',
    setup: reg,
    attempt: (w, x) => ({
      draft: { kind: 'transfer', body: { exhibit: x, to: keyId(stranger.publicKey), reason: 'r' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'RECEIVER_REVOKED',
    where: 'transfer to a revoked actor',
    setup: async (w) => {
      const x = await reg(w);
      await revoke(w, w.deCustodian);
      return x;
    },
    attempt: (w, x) => ({
      draft: {
        kind: 'transfer',
        body: { exhibit: x, to: w.deCustodian.id, reason: 'r', legalBasis: 'EIO 1' },
      },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'RECEIVER_CANNOT_HOLD',
    where: 'transfer to a witness',
    setup: reg,
    attempt: (w, x) => ({
      draft: { kind: 'transfer', body: { exhibit: x, to: w.witness.id, reason: 'r', legalBasis: 'JIT 4' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'LEGAL_BASIS_REQUIRED',
    where: 'NL to DE without a legal basis',
    setup: reg,
    attempt: (w, x) => ({
      draft: { kind: 'transfer', body: { exhibit: x, to: w.deCustodian.id, reason: 'r' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'NOT_IN_TRANSIT',
    where: 'accept of an exhibit nobody sent',
    setup: reg,
    attempt: (w, x) => ({ draft: { kind: 'accept', body: { exhibit: x } }, signer: w.nlExaminer.signer }),
  },
  {
    code: 'NOT_IN_TRANSIT',
    where: 'cancel by the holder with nothing pending',
    setup: reg,
    attempt: (w, x) => ({
      draft: { kind: 'cancel', body: { exhibit: x, reason: 'r' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'NOT_RECEIVER',
    where: 'accept by someone other than the named receiver',
    setup: async (w) => {
      const x = await reg(w);
      await send(w, x, w.nlCollector, w.deCustodian, 'EIO 2026/9');
      return x;
    },
    attempt: (w, x) => ({ draft: { kind: 'accept', body: { exhibit: x } }, signer: w.frCourt.signer }),
  },
  {
    code: 'NOT_RECEIVER',
    where: 'reject by the sender',
    setup: async (w) => {
      const x = await reg(w);
      await send(w, x, w.nlCollector, w.nlExaminer);
      return x;
    },
    attempt: (w, x) => ({
      draft: { kind: 'reject', body: { exhibit: x, reason: 'r' } },
      signer: w.nlCollector.signer,
    }),
  },
  {
    code: 'NOT_SENDER',
    where: 'cancel by the receiver',
    setup: async (w) => {
      const x = await reg(w);
      await send(w, x, w.nlCollector, w.nlExaminer);
      return x;
    },
    attempt: (w, x) => ({
      draft: { kind: 'cancel', body: { exhibit: x, reason: 'r' } },
      signer: w.nlExaminer.signer,
    }),
  },
  {
    code: 'DIGEST_NOT_COMPARABLE',
    where: 'accept with only an algorithm that was not registered',
    setup: async (w) => {
      const x = await reg(w);
      await send(w, x, w.nlCollector, w.nlExaminer);
      return x;
    },
    attempt: (w, x) => ({
      draft: { kind: 'accept', body: { exhibit: x, digests: { md5: new Uint8Array(16) } } },
      signer: w.nlExaminer.signer,
    }),
  },
  {
    code: 'DIGEST_NOT_COMPARABLE',
    where: 'examination with only an algorithm that was not registered',
    setup: heldByNlExaminer,
    attempt: (w, x) => ({
      draft: { kind: 'examine', body: { exhibit: x, action: 'hash', digests: { sha1: new Uint8Array(20) } } },
      signer: w.nlExaminer.signer,
    }),
  },
];

describe('custody rules: the ledger refuses, the verifier reports', () => {
  it.each(LEDGER_ROWS)('$code — $where', async (row) => {
    const w = await makeWorld();
    const x = row.setup ? await row.setup(w) : '';
    const a = row.attempt(w, x);
    const before = w.ledger.size;
    const head = toHex(w.ledger.head.head);

    // (a) the ledger refuses and writes nothing
    const err = await w.ledger.append(a.draft, a.signer, a.time === undefined ? {} : { time: a.time }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CustodyError);
    expect(codeOf(err)).toEqual({ code: row.code, category: 'custody' });
    expect(w.ledger.size).toBe(before);
    expect(toHex(w.ledger.head.head)).toBe(head);
    const recs = await collect(w.ledger.records());
    expect(recs).toHaveLength(before);

    // (b) a forged log with the very same entry is reported, exactly there
    const { records, forged } = appendForged(recs, [
      { signer: a.signer, event: a.draft, ...(a.time === undefined ? {} : { time: a.time }) },
    ]);
    const f = forged[0]!;
    expect(f.seq).toBe(before);
    const { report } = await verifyLog(records, { trustedKeys: [w.authority.signer.publicKey] });
    expect(report.ok).toBe(false);
    expect(report.anchored).toBe(true);
    expect(report.problems.map(summary)).toEqual([
      { code: row.code, seq: before, exhibit: exhibitOf(f.payload) ?? null, severity: 'error' },
    ]);
  });
});

// ---------------------------------------------------------------- (b) only: rules the ledger API cannot be asked to break

interface ForgedCase {
  records: StoredRecord[];
  forged: Forged;
  /** Other problems that necessarily come with this one. */
  alsoAt?: { code: string; seq: number }[];
}
interface ForgedRow {
  code: string;
  where: string;
  /** Why the ledger API cannot attempt it, shown where it can be shown. */
  ledger: string | ((w: World) => Promise<void>);
  build: () => Promise<ForgedCase>;
}

const authority = seededSigner('authority');
const genesisBody = {
  origin: ORIGIN,
  publicKey: authority.publicKey,
  name: 'Forged',
  jurisdiction: 'NL',
  org: 'Nobody',
};

async function worldRecords(setup?: (w: World) => Promise<unknown>) {
  const w = await makeWorld();
  await setup?.(w);
  return { w, recs: await collect(w.ledger.records()) };
}
function extend(recs: StoredRecord[], step: Parameters<Forger['add']>[0]): ForgedCase {
  const { records, forged } = appendForged(recs, [step]);
  return { records, forged: forged[0]! };
}

const FORGED_ROWS: ForgedRow[] = [
  {
    code: 'SEQ_MISMATCH',
    where: 'an entry numbered one ahead of its position',
    ledger: 'the ledger numbers entries itself',
    build: async () => {
      const { w, recs } = await worldRecords();
      return extend(recs, {
        signer: w.authority.signer,
        event: { kind: 'revoke', body: { actor: w.witness.id, reason: 'r' } },
        seq: recs.length + 1,
      });
    },
  },
  {
    code: 'CHAIN_BROKEN',
    where: 'an entry that does not link to its predecessor',
    ledger: 'the ledger links entries itself',
    build: async () => {
      let x = '';
      // (The entry before it is no exhibit event: see the #relink note in test/verify/properties.test.ts.)
      const { w, recs } = await worldRecords(async (w) => {
        x = await reg(w);
        await revoke(w, w.witness);
      });
      return extend(recs, {
        signer: w.nlCollector.signer,
        event: { kind: 'dispose', body: { exhibit: x, method: 'destroyed', reason: 'r' } },
        prev: hashLeaf(recs[0]!.bytes),
      });
    },
  },
  {
    code: 'CHAIN_BROKEN',
    where: 'a genesis that does not link to the zero hash',
    ledger: 'Ledger.create writes the genesis itself',
    build: async () => {
      const f = new Forger(ORIGIN);
      return {
        records: f.records,
        forged: f.add({
          signer: authority,
          event: { kind: 'genesis', body: genesisBody },
          prev: new Uint8Array(32).fill(1),
        }),
      };
    },
  },
  {
    code: 'GENESIS_MISSING',
    where: 'a log that starts with an enrolment',
    ledger: async () => {
      const e = await Ledger.open(new MemoryStore()).catch((e: unknown) => e);
      expect(codeOf(e)).toEqual({ code: 'LEDGER_EMPTY', category: 'unavailable' });
    },
    build: async () => {
      const f = new Forger(ORIGIN);
      return {
        records: f.records,
        forged: f.add({ signer: authority, event: { kind: 'enrol', body: enrolBody(stranger.publicKey) } }),
      };
    },
  },
  {
    code: 'GENESIS_NOT_FIRST',
    where: 'a second genesis',
    ledger: async (w) => {
      const e = await Ledger.create(w.store, w.authority.signer, {
        origin: ORIGIN,
        name: 'n',
        jurisdiction: 'NL',
        org: 'o',
      }).catch((e: unknown) => e);
      expect(codeOf(e)).toEqual({ code: 'LEDGER_EXISTS', category: 'input' });
    },
    build: async () => {
      const { recs } = await worldRecords();
      return extend(recs, { signer: authority, event: { kind: 'genesis', body: genesisBody } });
    },
  },
  {
    code: 'KEY_NOT_ADMISSIBLE',
    where: 'a genesis with a small-order authority key (its signature cannot verify either)',
    ledger: async () => {
      const store = new MemoryStore();
      const e = await Ledger.create(store, impostor(SMALL_ORDER_KEY, authority), {
        origin: ORIGIN,
        name: 'n',
        jurisdiction: 'NL',
        org: 'o',
      }).catch((e: unknown) => e);
      // The ledger checks its own signature first, so it never gets as far as the rules.
      expect(codeOf(e)).toEqual({ code: 'SIGNER_FAULT', category: 'input' });
      expect(await store.readHead()).toBeUndefined();
    },
    build: async () => {
      const f = new Forger(ORIGIN);
      const forged = f.add({
        signer: impostor(SMALL_ORDER_KEY, authority),
        event: { kind: 'genesis', body: { ...genesisBody, publicKey: SMALL_ORDER_KEY } },
      });
      return { records: f.records, forged, alsoAt: [{ code: 'SIGNATURE_INVALID', seq: 0 }] };
    },
  },
  {
    code: 'SIGNER_MISMATCH',
    where: 'a genesis whose actor is not the id of its key',
    ledger: 'Ledger.create derives the actor from the key',
    build: async () => {
      const f = new Forger(ORIGIN);
      return {
        records: f.records,
        forged: f.add({
          signer: authority,
          actor: keyId(stranger.publicKey),
          event: { kind: 'genesis', body: genesisBody },
        }),
      };
    },
  },
  {
    code: 'EXHIBIT_LINK_BROKEN',
    where: 'an event linking to an older event of its exhibit',
    ledger: 'the ledger fills `after` itself',
    build: async () => {
      let x = '';
      const { w, recs } = await worldRecords(async (w) => {
        x = await heldByNlExaminer(w);
      });
      const registration = recs.length - 3;
      return extend(recs, {
        signer: w.nlExaminer.signer,
        event: {
          kind: 'examine',
          body: { exhibit: x, action: 'imaging', after: hashLeaf(recs[registration]!.bytes) },
        },
      });
    },
  },
  {
    code: 'EXHIBIT_LINK_BROKEN',
    where: 'a derived copy whose parentAfter is stale',
    ledger: 'the ledger fills `parentAfter` itself',
    build: async () => {
      let x = '';
      const { w, recs } = await worldRecords(async (w) => {
        x = await heldByNlExaminer(w);
      });
      return extend(recs, {
        signer: w.nlExaminer.signer,
        event: { kind: 'register', body: { ...copyBody(x), parentAfter: ZERO_HASH } },
      });
    },
  },
];

describe('custody rules only a forged log can break', () => {
  it.each(FORGED_ROWS)('$code — $where', async (row) => {
    if (typeof row.ledger === 'function') await row.ledger(await makeWorld());
    else expect(row.ledger).not.toBe('');
    const { records, forged, alsoAt = [] } = await row.build();
    const { report } = await verifyLog(records);
    expect(report.ok).toBe(false);
    const exhibit = exhibitOf(forged.payload) ?? null;
    expect(report.problems.map(summary)).toEqual([
      { code: row.code, seq: forged.seq, exhibit, severity: 'error' },
      ...alsoAt.map((p) => ({ ...p, exhibit, severity: 'error' })),
    ]);
  });
});

// ---------------------------------------------------------------- evaluate only: branches no log can reach

describe('rule branches that no ledger or log can reach', () => {
  const witness = seededSigner('witness');
  const sender = seededSigner('nl-collector');
  const mkState = () => {
    const s = new MemoryState();
    s.size = 10;
    s.head = new Uint8Array(32).fill(3);
    s.lastTime = 1000;
    s.origin = ORIGIN;
    s.authority = keyId(authority.publicKey);
    for (const [signer, roles] of [
      [witness, ['witness']],
      [sender, ['collector']],
    ] as const)
      s.actors.set(keyId(signer.publicKey), {
        id: keyId(signer.publicKey),
        publicKey: signer.publicKey,
        name: 'n',
        roles: [...roles],
        jurisdiction: 'NL',
        org: 'o',
        enrolledSeq: 1,
      });
    return s;
  };

  it('ROLE_REQUIRED — accept by a receiver without a holding role (transfer already refuses such a receiver)', async () => {
    const s = mkState();
    const x: ExhibitRecord = {
      id: UNKNOWN_EXHIBIT,
      label: 'l',
      caseRef: 'c',
      registeredSeq: 2,
      digests: digestsOf(CONTENT),
      size: 1,
      holder: keyId(sender.publicKey),
      status: 'in-transit',
      pending: { from: keyId(sender.publicKey), to: keyId(witness.publicKey), seq: 9 },
      lastSeq: 9,
      lastHash: new Uint8Array(32).fill(4),
      events: 2,
      mismatches: [],
      brokenSeals: [],
    };
    s.exhibits.set(x.id, x);
    const p: Payload = {
      v: 1,
      seq: 10,
      prev: s.head,
      time: 2000,
      tz: 'UTC',
      actor: keyId(witness.publicKey),
      kind: 'accept',
      body: { exhibit: x.id, after: x.lastHash },
    };
    const v = evaluate(s, p, new Uint8Array(32));
    expect(v.ok ? undefined : v.violation.code).toBe('ROLE_REQUIRED');

    // In a log the transfer to the witness is itself refused, so the accept finds nothing in transit.
    const { w, recs } = await worldRecords();
    const x2 = exhibitIdFromBytes(new Uint8Array([7, 7, 7, 7, 7, 7]));
    const { records } = appendForged(recs, [
      { signer: w.nlCollector.signer, event: { kind: 'register', body: { ...originalBody(), exhibit: x2 } } },
      {
        signer: w.nlCollector.signer,
        event: { kind: 'transfer', body: { exhibit: x2, to: w.witness.id, reason: 'r', legalBasis: 'JIT' } },
      },
      { signer: w.witness.signer, event: { kind: 'accept', body: { exhibit: x2 } } },
    ]);
    const { report } = await verifyLog(records);
    expect(report.problems.map((q) => [q.code, q.seq])).toEqual([
      ['RECEIVER_CANNOT_HOLD', recs.length + 1],
      // The refused transfer still moved the chain, so the accept (linking to it) breaks the exhibit link.
      ['EXHIBIT_LINK_BROKEN', recs.length + 2],
    ]);
  });

  it('CHAIN_BROKEN inside genesis — only for a state view whose head is not zero at size 0', () => {
    const s = new MemoryState();
    s.head = new Uint8Array(32).fill(5);
    const p: Payload = {
      v: 1,
      seq: 0,
      prev: s.head,
      time: 0,
      tz: 'UTC',
      actor: keyId(authority.publicKey),
      kind: 'genesis',
      body: genesisBody,
    };
    const v = evaluate(s, p, new Uint8Array(32));
    expect(v.ok ? undefined : v.violation.code).toBe('CHAIN_BROKEN');
    // A real state starts at the zero hash, where the generic prev check fires first.
    expect(new MemoryState().head).toEqual(ZERO_HASH);
  });
});

describe('schema problems are input errors, not custody refusals', () => {
  it('roles out of canonical order: the ledger says EVENT_INVALID (input), the verifier RECORD_SCHEMA', async () => {
    const w = await makeWorld();
    const before = w.ledger.size;
    const draft: Draft = { kind: 'enrol', body: enrolBody(stranger.publicKey, ['examiner', 'custodian']) };
    const err = await w.ledger.append(draft, w.authority.signer).catch((e: unknown) => e);
    expect(codeOf(err)).toEqual({ code: 'EVENT_INVALID', category: 'input' });
    expect(w.ledger.size).toBe(before);
    const { records } = appendForged(await collect(w.ledger.records()), [
      { signer: w.authority.signer, event: draft },
    ]);
    const { report } = await verifyLog(records);
    expect(report.problems.map(summary)).toEqual([
      { code: 'RECORD_SCHEMA', seq: before, exhibit: null, severity: 'error' },
    ]);
  });
});

// ---------------------------------------------------------------- positive behaviour

async function verified(w: World) {
  return verifyLog(await collect(w.ledger.records()), { trustedKeys: [w.authority.signer.publicKey] });
}

describe('custody behaviour that is allowed', () => {
  it('accept with a matching digest hands custody over and records nothing against the exhibit', async () => {
    const w = await makeWorld();
    const x = await reg(w);
    await send(w, x, w.nlCollector, w.deCustodian, 'EIO 2026/123');
    const acc = await w.ledger.append(
      { kind: 'accept', body: { exhibit: x, digests: digestsOf(CONTENT), seal: 'intact' } },
      w.deCustodian.signer,
    );
    const st = await w.ledger.exhibit(x);
    expect(st).toMatchObject({
      holder: w.deCustodian.id,
      status: 'held',
      mismatches: [],
      brokenSeals: [],
      lastSeq: acc.seq,
    });
    expect(st?.pending).toBeUndefined();
    const result = await verified(w);
    expect(result.report).toMatchObject({ ok: true, anchored: true, problems: [] });
    const scoped = scopeToExhibit(result, x, digestsOf(CONTENT));
    expect(scoped).toMatchObject({ ok: true, problems: [], holder: w.deCustodian.id, fileChecked: true });
  });

  it('accept with a mismatching digest is accepted but recorded; the log is fine, the exhibit is not', async () => {
    const w = await makeWorld();
    const x = await reg(w);
    await send(w, x, w.nlCollector, w.deCustodian, 'EIO 2026/123');
    const acc = await w.ledger.append(
      { kind: 'accept', body: { exhibit: x, digests: digestsOf('tampered bytes'), seal: 'broken' } },
      w.deCustodian.signer,
    );
    const st = await w.ledger.exhibit(x);
    expect(st).toMatchObject({
      holder: w.deCustodian.id,
      status: 'held',
      mismatches: [acc.seq],
      brokenSeals: [acc.seq],
    });
    const result = await verified(w);
    // For the log these are recorded facts, reported as warnings: the log itself is intact.
    expect(result.report.ok).toBe(true);
    expect(result.report.problems.map(summary)).toEqual([
      { code: 'DIGEST_MISMATCH_RECORDED', seq: acc.seq, exhibit: x, severity: 'warning' },
      { code: 'SEAL_BROKEN_RECORDED', seq: acc.seq, exhibit: x, severity: 'warning' },
    ]);
    expect(result.exhibit(x)?.mismatches).toEqual([acc.seq]);
    const scoped = scopeToExhibit(result, x);
    expect(scoped.ok).toBe(false);
    expect(scoped.problems.map(summary)).toEqual([
      { code: 'DIGEST_MISMATCH_RECORDED', seq: acc.seq, exhibit: x, severity: 'error' },
      { code: 'SEAL_BROKEN_RECORDED', seq: acc.seq, exhibit: x, severity: 'error' },
    ]);
  });

  it('examination with a mismatching digest is recorded the same way', async () => {
    const w = await makeWorld();
    const x = await heldByNlExaminer(w);
    const ex = await w.ledger.append(
      {
        kind: 'examine',
        body: { exhibit: x, action: 'hash check', tool: 'sha256sum', digests: digestsOf('other') },
      },
      w.nlExaminer.signer,
    );
    expect((await w.ledger.exhibit(x))?.mismatches).toEqual([ex.seq]);
    const result = await verified(w);
    expect(result.report.ok).toBe(true);
    expect(scopeToExhibit(result, x).problems.map((p) => p.code)).toEqual(['DIGEST_MISMATCH_RECORDED']);
  });

  it.each(['reject', 'cancel'] as const)(
    '%s returns custody to the sender, who can hand it over again',
    async (kind) => {
      const w = await makeWorld();
      const x = await reg(w);
      await send(w, x, w.nlCollector, w.deCustodian, 'EIO 2026/1');
      expect(await w.ledger.exhibit(x)).toMatchObject({
        status: 'in-transit',
        holder: w.nlCollector.id,
        pending: { from: w.nlCollector.id, to: w.deCustodian.id, legalBasis: 'EIO 2026/1' },
      });
      const by = kind === 'reject' ? w.deCustodian : w.nlCollector;
      await w.ledger.append({ kind, body: { exhibit: x, reason: 'wrong addressee' } }, by.signer);
      const st = await w.ledger.exhibit(x);
      expect(st).toMatchObject({ status: 'held', holder: w.nlCollector.id });
      expect(st?.pending).toBeUndefined();
      // The old receiver can no longer accept; the sender can send again.
      const late = await take(w, x, w.deCustodian).catch((e: unknown) => e);
      expect(codeOf(late)?.code).toBe('NOT_IN_TRANSIT');
      await send(w, x, w.nlCollector, w.nlExaminer);
      await take(w, x, w.nlExaminer);
      expect((await w.ledger.exhibit(x))?.holder).toBe(w.nlExaminer.id);
      expect((await verified(w)).report).toMatchObject({ ok: true, problems: [] });
    },
  );

  it('a derived copy registered by the examiner holding the parent links into the parent history', async () => {
    const w = await makeWorld();
    const parent = await heldByNlExaminer(w);
    const before = await w.ledger.exhibit(parent);
    const d = await w.ledger.append({ kind: 'register', body: copyBody(parent) }, w.nlExaminer.signer);
    const child = d.exhibit!;
    expect(child).not.toBe(parent);
    expect(await w.ledger.exhibit(child)).toMatchObject({
      parent,
      holder: w.nlExaminer.id,
      status: 'held',
      events: 1,
    });
    const p = await w.ledger.exhibit(parent);
    expect(p).toMatchObject({
      lastSeq: d.seq,
      events: (before?.events ?? 0) + 1,
      holder: w.nlExaminer.id,
      status: 'held',
    });
    expect(toHex(p!.lastHash)).toBe(toHex(d.leafHash));
    // The parent's history contains the derivation; the child's, with ancestors, the parent's whole history.
    expect((await w.ledger.history(parent)).map((r) => r.payload.seq)).toContain(d.seq);
    const withAncestors = (await w.ledger.history(child, { ancestors: true })).map((r) => r.payload.seq);
    expect(withAncestors).toEqual(expect.arrayContaining([before!.registeredSeq, d.seq]));
    // The next event on the parent must link to the derivation.
    const next = await w.ledger.append(
      { kind: 'examine', body: { exhibit: parent, action: 'return to bag' } },
      w.nlExaminer.signer,
    );
    const nextPayload = (await w.ledger.get(next.seq)).payload;
    expect(nextPayload.kind).toBe('examine');
    if (nextPayload.kind === 'examine') expect(toHex(nextPayload.body.after)).toBe(toHex(d.leafHash));
    const result = await verified(w);
    expect(result.report).toMatchObject({ ok: true, problems: [], exhibits: 2 });
    const scoped = scopeToExhibit(result, child);
    expect(scoped).toMatchObject({ ok: true, lineage: [parent, child] });
  });

  it('a mismatch recorded on the parent taints the scoped report of a derived copy', async () => {
    const w = await makeWorld();
    const parent = await reg(w);
    await send(w, parent, w.nlCollector, w.nlExaminer);
    const acc = await w.ledger.append(
      { kind: 'accept', body: { exhibit: parent, digests: digestsOf('x') } },
      w.nlExaminer.signer,
    );
    const { exhibit: child } = await w.ledger.append(
      { kind: 'register', body: copyBody(parent) },
      w.nlExaminer.signer,
    );
    const scoped = scopeToExhibit(await verified(w), child!);
    expect(scoped.ok).toBe(false);
    expect(scoped.problems.map(summary)).toEqual([
      { code: 'DIGEST_MISMATCH_RECORDED', seq: acc.seq, exhibit: parent, severity: 'error' },
    ]);
  });

  it('rotation: the new authority enrols, the old key is refused as ACTOR_REVOKED (not NOT_AUTHORITY)', async () => {
    const w = await makeWorld();
    const rot = await w.ledger.append({ kind: 'rotate', newAuthority }, w.authority.signer);
    const newId = keyId(newAuthority.publicKey);
    expect(w.ledger.head.authority).toBe(newId);
    expect(await w.ledger.actor(w.authority.id)).toMatchObject({ retiredSeq: rot.seq });
    expect((await w.ledger.actor(w.authority.id))?.revokedSeq).toBeUndefined();
    expect(await w.ledger.actor(newId)).toMatchObject({ roles: ['authority', 'log'], enrolledSeq: rot.seq });

    await w.ledger.append({ kind: 'enrol', body: enrolBody(stranger.publicKey) }, newAuthority);
    expect(await w.ledger.actor(keyId(stranger.publicKey))).toMatchObject({ enrolledSeq: rot.seq + 1 });

    const size = w.ledger.size;
    const old = await w.ledger
      .append({ kind: 'enrol', body: enrolBody(seededSigner('late').publicKey) }, w.authority.signer)
      .catch((e: unknown) => e);
    expect(codeOf(old)).toEqual({ code: 'ACTOR_REVOKED', category: 'custody' });
    expect(w.ledger.size).toBe(size);
    // The retired key cannot be revoked again, and the new authority cannot be revoked at all.
    expect(codeOf(await revoke(w, w.authority).catch((e: unknown) => e))?.code).toBe('ACTOR_REVOKED');
    const selfRevoke = await w.ledger
      .append({ kind: 'revoke', body: { actor: newId, reason: 'r' } }, newAuthority)
      .catch((e: unknown) => e);
    expect(codeOf(selfRevoke)?.code).toBe('AUTHORITY_NOT_REVOCABLE');

    const recs = await collect(w.ledger.records());
    const byOld = await verifyLog(recs, { trustedKeys: [w.authority.signer.publicKey] });
    expect(byOld.report).toMatchObject({ ok: true, anchored: true, anchor: { via: 'genesis', seq: 0 } });
    const byNew = await verifyLog(recs, { trustedKeys: [newAuthority.publicKey] });
    expect(byNew.report).toMatchObject({
      ok: true,
      anchored: true,
      anchor: { via: 'rotation', seq: rot.seq, actor: newId },
    });

    // Forged: the old key enrolling after the rotation is ACTOR_REVOKED in the verifier too.
    const { records, forged } = appendForged(recs, [
      {
        signer: w.authority.signer,
        event: { kind: 'enrol', body: enrolBody(seededSigner('late').publicKey) },
      },
    ]);
    const { report } = await verifyLog(records);
    expect(report.problems.map(summary)).toEqual([
      { code: 'ACTOR_REVOKED', seq: forged[0]!.seq, exhibit: null, severity: 'error' },
    ]);
  });

  it('a rotation proof is bound to its position: replayed elsewhere it is ROTATION_PROOF_INVALID', async () => {
    const w = await makeWorld();
    const recs = await collect(w.ledger.records());
    const f = Forger.after(recs);
    // A proof made for the current head…
    const honest = f.add({ signer: w.authority.signer, event: { kind: 'rotate', newAuthority } });
    const stale = honest.payload.kind === 'rotate' ? honest.payload.body : undefined;
    // …reused in a different history (one entry later) no longer verifies.
    const g = Forger.after(recs);
    g.add({
      signer: w.authority.signer,
      event: { kind: 'revoke', body: { actor: w.witness.id, reason: 'r' } },
    });
    const replayed = g.add({ signer: w.authority.signer, event: { kind: 'rotate', body: stale! } });
    expect((await verifyLog(f.records)).report.ok).toBe(true);
    const { report } = await verifyLog(g.records);
    expect(report.problems.map(summary)).toEqual([
      { code: 'ROTATION_PROOF_INVALID', seq: replayed.seq, exhibit: null, severity: 'error' },
    ]);
  });

  it('revocation stops signing, leaves earlier entries valid and blocks transfers to the revoked actor', async () => {
    const w = await makeWorld();
    const x = await heldByNlExaminer(w);
    await w.ledger.append({ kind: 'examine', body: { exhibit: x, action: 'imaging' } }, w.nlExaminer.signer);
    await send(w, x, w.nlExaminer, w.nlCollector);
    await take(w, x, w.nlCollector);
    const r = await revoke(w, w.nlExaminer);
    expect(await w.ledger.actor(w.nlExaminer.id)).toMatchObject({
      revokedSeq: r.seq,
      revokeReason: 'left the service',
    });
    const size = w.ledger.size;
    const signed = await w.ledger
      .append({ kind: 'examine', body: { exhibit: x, action: 'late' } }, w.nlExaminer.signer)
      .catch((e: unknown) => e);
    expect(codeOf(signed)).toEqual({ code: 'ACTOR_REVOKED', category: 'custody' });
    const to = await send(w, x, w.nlCollector, w.nlExaminer).catch((e: unknown) => e);
    expect(codeOf(to)).toEqual({ code: 'RECEIVER_REVOKED', category: 'custody' });
    expect(w.ledger.size).toBe(size);
    expect((await verified(w)).report).toMatchObject({ ok: true, problems: [] });
  });

  it('time order: equal times are fine, earlier ones are refused, a clock that goes back is clamped', async () => {
    const w = await makeWorld();
    const last = w.ledger.head.lastTime;
    const same = await registerExhibit(w, 'A').then(() =>
      w.ledger.append({ kind: 'revoke', body: { actor: w.witness.id, reason: 'r' } }, w.authority.signer, {
        time: w.ledger.head.lastTime,
      }),
    );
    expect(same.time).toBe(w.ledger.head.lastTime);
    expect(same.time).toBeGreaterThan(last);
    const earlier = await registerExhibit(w, 'B')
      .then(() =>
        w.ledger.append({ kind: 'enrol', body: enrolBody(stranger.publicKey) }, w.authority.signer, {
          time: last,
        }),
      )
      .catch((e: unknown) => e);
    expect(codeOf(earlier)).toEqual({ code: 'TIME_REGRESSION', category: 'custody' });

    // A clock that runs backwards after setup: appends take the last time instead.
    let t = Date.UTC(2026, 5, 1);
    const w2 = await makeWorld(new MemoryStore(), {
      clock: { zone: steppingClock().zone, now: () => (t -= 60_000) },
    });
    const before = w2.ledger.head.lastTime;
    const a = await registerExhibit(w2);
    expect(a.time).toBe(before);
    expect((await verified(w2)).report.ok).toBe(true);
    expect((await verified(w)).report).toMatchObject({ ok: true, problems: [] });
  });
});

// ---------------------------------------------------------------- questionable behaviour, documented

describe('scoping a report to an exhibit', () => {
  /**
   * Regression: a derivation entry is an event of BOTH the child and the parent,
   * so a forged derivation signature must fail the parent's scoped report too.
   */
  it('a forged derivation signature taints the scoped report of the parent', async () => {
    const w = await makeWorld();
    const parent = await heldByNlExaminer(w);
    const recs = await collect(w.ledger.records());
    const { records, forged } = appendForged(recs, [
      {
        signer: w.nlExaminer.signer,
        signWith: w.deExaminer.signer,
        event: { kind: 'register', body: copyBody(parent) },
      },
    ]);
    const result = await verifyLog(records);
    expect(result.report.problems.map((p) => p.code)).toEqual(['SIGNATURE_INVALID']);
    expect(result.exhibit(parent)?.lastSeq).toBe(forged[0]!.seq);
    expect(scopeToExhibit(result, parent).ok).toBe(false);
  });
});

// Keep the forger honest: a log it builds from scratch with valid steps verifies.
describe('forge helper', () => {
  it('builds a valid log when asked to follow the rules, and a wrong seq when told', async () => {
    const collector = seededSigner('nl-collector');
    const steps: ForgeStep[] = [
      { signer: authority, event: { kind: 'genesis', body: genesisBody } },
      { signer: authority, event: { kind: 'enrol', body: enrolBody(collector.publicKey, ['collector']) } },
      { signer: collector, event: { kind: 'register', body: originalBody() } },
    ];
    const good = forgeLog(ORIGIN, steps);
    expect((await verifyLog(good, { trustedKeys: [authority.publicKey] })).report).toMatchObject({
      ok: true,
      anchored: true,
      exhibits: 1,
    });
    const bad = new Forger(ORIGIN);
    bad.addAll(steps.slice(0, 2));
    bad.add({ ...steps[2]!, seq: 7 });
    expect((await verifyLog(bad.records)).report.problems.map((p) => [p.code, p.seq])).toEqual([
      ['SEQ_MISMATCH', 2],
    ]);
  });
});
