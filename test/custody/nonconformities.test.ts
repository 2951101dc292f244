/**
 * Non-conformities (docs/CUSTODY-RULES.md §Non-conformities): an accept that
 * found the seal broken, or a re-check whose SHA-256 differs from the
 * registered one, opens one; a `resolve` naming that statement closes it.
 * Checked on the sequencer (append), on the whole-ledger replay (the
 * verifier), on a store-backed LogLedger (which loads only what touched.ts
 * declares), and against the pure derivation from the statements.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import {
  fromReplay,
  type OpenNonconformity,
  openNonconformities,
  openNonconformitiesAll,
  openNonconformitiesOf,
  type Replayed,
} from '../../src/custody/nonconformities.js';
import { NS } from '../../src/custody/records.js';
import type { Canonical } from '../../src/format/canonical.js';
import { decodeSignedStatement } from '../../src/format/statement.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { replayEntries } from '../../src/verify/entries.js';
import { LogForger } from '../helpers/forge.js';
import { seededSigner } from '../helpers/world.js';
import { digestOf, enrolActor, idOf, makeV2World, sign, submitOk, type V2World } from './v2-world.js';

const items = (w: V2World) => w.seq.log.map((s, index) => ({ index, entry: s.entry, payload: s.payload }));
const OTHER = { sha256: sha256(utf8('other bytes')) };

/** The accepted statements of the sequencer's log, as a replay yields them. */
function replayed(w: V2World): Replayed[] {
  return w.seq.log.map((s, index) => {
    const d = decodeSignedStatement(s.payload);
    return { index, id: d.id, statement: d.statement };
  });
}

const brief = (list: readonly OpenNonconformity[]) => list.map((n) => [toHex(n.opener), n.kind, n.at]);

/** An exhibit registered by the collector (digests of `label`), handed to `to`, who accepted it. */
class Exhibit {
  head: Uint8Array;
  holder: Signer;
  constructor(
    readonly w: V2World,
    readonly id: Uint8Array,
  ) {
    this.head = id;
    this.holder = w.collector;
  }
  static async register(w: V2World, label = 'HDD-01'): Promise<Exhibit> {
    const s = sign(
      'register',
      w.collector,
      { label, caseRef: 'NL-2026-0042', description: 'disk', digests: digestOf(label), size: 1000 },
      {},
      { time: w.now.t },
    );
    await submitOk(w, s);
    return new Exhibit(w, s.id);
  }
  sign(kind: string, by: Signer, fields: Record<string, Canonical | undefined>) {
    return sign(kind, by, fields, { exhibit: this.id, after: this.head }, { time: this.w.now.t });
  }
  /** Submits a chain statement; it becomes the head. */
  async chain(kind: string, by: Signer, fields: Record<string, Canonical | undefined>) {
    const s = this.sign(kind, by, fields);
    await submitOk(this.w, s);
    this.head = s.id;
    return s.id;
  }
  /** Hands over to `to`, who accepts with `fields` (seal, digests); returns the accept's id. */
  async handTo(to: Signer, accept: Record<string, Canonical | undefined> = {}) {
    await this.chain('transfer', this.holder, { to: idOf(to), reason: 'lab', legalBasis: 'EIO DE-1' });
    const a = await this.chain('accept', to, accept);
    this.holder = to;
    return a;
  }
  /** Submits an annotation at the head: accepted (its id) or refused (the code). */
  async annotate(kind: string, by: Signer, fields: Record<string, Canonical | undefined>) {
    const s = this.sign(kind, by, fields);
    const r = await this.w.seq.submit(s.bytes);
    return r.ok ? { id: s.id } : { code: r.violation.code };
  }
  resolve(by: Signer, issue: Uint8Array) {
    return this.annotate('resolve', by, { issue, action: 'Documented and reported to the quality manager' });
  }
  open() {
    return openNonconformities(this.w.seq.state, this.id);
  }
}

describe('non-conformities', () => {
  it('a broken seal opens one, the holder resolves it, and the replay agrees', async () => {
    const w = await makeV2World('nc seal ');
    const x = await Exhibit.register(w);
    const a = await x.handTo(w.deCustodian, { seal: 'broken' });
    expect(brief(x.open())).toEqual([[toHex(a), 'seal-broken', w.seq.size - 1]]);
    expect(x.open()[0]!.time).toBe(w.now.t);
    expect(brief(openNonconformitiesOf(x.id, replayed(w)))).toEqual(brief(x.open()));

    expect(await x.resolve(w.deCustodian, a)).toHaveProperty('id');
    expect(x.open()).toEqual([]);
    // Nothing open: the exhibit has no record in the namespace at all.
    expect(w.seq.state.get(NS.nonconformity, x.id)).toBeUndefined();
    expect(openNonconformitiesOf(x.id, replayed(w))).toEqual([]);
    const replay = await replayEntries(items(w));
    expect(replay.problems).toEqual([]);
    expect(replay.mapRoot).toEqual(w.seq.state.map.root);
  });

  it('a re-check with another SHA-256 opens a digest mismatch, on accept and on examine; matching digests and an intact seal open nothing', async () => {
    const w = await makeV2World('nc digest ');
    const x = await Exhibit.register(w);
    await x.handTo(w.deCustodian, { seal: 'intact', digests: digestOf('HDD-01') });
    const fine = await x.chain('examine', w.deCustodian, { action: 'imaged', digests: digestOf('HDD-01') });
    expect(x.open()).toEqual([]);
    const e = await x.chain('examine', w.deCustodian, { action: 'imaged again', digests: OTHER });
    // Both found: one non-conformity, of the graver kind (the bytes differ).
    const a = await x.handTo(w.examiner, { seal: 'broken', digests: OTHER });
    expect(x.open().map((n) => [toHex(n.opener), n.kind])).toEqual([
      [toHex(e), 'digest-mismatch'],
      [toHex(a), 'digest-mismatch'],
    ]);
    expect(brief(openNonconformitiesAll(replayed(w)))).toEqual(brief(x.open()));
    // Only SHA-256 is compared: another algorithm alone opens nothing.
    await x.chain('examine', w.examiner, { action: 'md5 only', digests: { md5: new Uint8Array(16) } });
    expect(x.open()).toHaveLength(2);

    expect(await x.resolve(w.examiner, fine)).toEqual({ code: 'NONCONFORMITY_UNKNOWN' });
    expect(await x.resolve(w.examiner, e)).toHaveProperty('id');
    expect(brief(x.open())).toEqual([[toHex(a), 'digest-mismatch', x.open()[0]!.at]]);
    expect((await replayEntries(items(w))).problems).toEqual([]);
  });

  it('a resolve is refused for a statement that opened nothing, of another exhibit, or already resolved', async () => {
    const w = await makeV2World('nc refused ');
    const x = await Exhibit.register(w, 'HDD-01');
    const y = await Exhibit.register(w, 'HDD-02');
    const a = await x.handTo(w.deCustodian, { seal: 'broken' });
    expect(await y.resolve(w.collector, a)).toEqual({ code: 'NONCONFORMITY_UNKNOWN' });
    expect(await x.resolve(w.deCustodian, new Uint8Array(32).fill(9))).toEqual({
      code: 'NONCONFORMITY_UNKNOWN',
    });
    expect(await x.resolve(w.deCustodian, a)).toHaveProperty('id');
    const root = w.seq.state.map.root;
    expect(await x.resolve(w.deCustodian, a)).toEqual({ code: 'NONCONFORMITY_UNKNOWN' });
    expect(w.seq.state.map.root).toEqual(root);

    // Forged into the log anyway, the verifier reports the same code at that entry.
    const f = await LogForger.after(items(w));
    const forged = await f.add(x.sign('resolve', w.deCustodian, { issue: a, action: 'again' }).bytes);
    expect(forged.violation?.code).toBe('NONCONFORMITY_UNKNOWN');
    const replay = await replayEntries(f.items);
    expect(replay.problems.map((p) => [p.code, p.index])).toEqual([['NONCONFORMITY_UNKNOWN', forged.index]]);
  });

  it('the holder, a custodian or an examiner may resolve; a collector who does not hold it may not', async () => {
    const w = await makeV2World('nc who ');
    const x = await Exhibit.register(w);
    const a1 = await x.handTo(w.court, { seal: 'broken' });
    await x.handTo(w.deCustodian, { seal: 'broken' });
    const a3 = await x.handTo(w.court, { digests: OTHER });
    // The collector (collector, custodian) holds nothing now but is a custodian; the court holds it.
    expect(await x.resolve(w.collector, a1)).toHaveProperty('id');
    expect(await x.resolve(w.court, a3)).toHaveProperty('id');
    expect(x.open()).toHaveLength(1);
    const outsider = await enrolled(w, ['collector']);
    const open = x.open()[0]!.opener;
    expect(await x.resolve(outsider, open)).toEqual({ code: 'NOT_PERMITTED' });
    expect(await x.resolve(w.examiner, open)).toHaveProperty('id');
    expect((await replayEntries(items(w))).problems).toEqual([]);
  });

  it('a store-backed LogLedger judges alike: it loads the exhibit’s open list before a re-check or a resolve', async () => {
    const w = await makeV2World('nc store ');
    const x = await Exhibit.register(w);
    const a = await x.handTo(w.deCustodian, { seal: 'broken', digests: OTHER });
    await x.chain('examine', w.deCustodian, { action: 'imaged', digests: OTHER });
    expect(await x.resolve(w.deCustodian, a)).toHaveProperty('id');
    const store = new MemoryLogStore();
    const ledger = await LogLedger.open(store, { clock: { now: () => w.now.t, zone: () => 'UTC' } });
    for (const s of w.seq.log) await ledger.submit(s.payload);
    expect(ledger.root()).toEqual(await w.seq.rootAt(w.seq.size));
    const again = x.sign('resolve', w.deCustodian, { issue: a, action: 'again' });
    await expect(ledger.submit(again.bytes)).rejects.toMatchObject({ code: 'NONCONFORMITY_UNKNOWN' });
    await ledger.close();
  });
});

async function enrolled(w: V2World, roles: string[]): Promise<Signer> {
  const s = seededSigner(`nc outsider ${roles.join(',')}`);
  await enrolActor(w, s, roles, 'NL', 'Outsider');
  return s;
}

/**
 * Random histories of one exhibit handed between two examiners: re-checks
 * that match or not, accepts with the seal intact or broken, resolves of any
 * chain statement so far (one that opened a non-conformity, or not, or twice).
 */
type Step =
  | { op: 'examine'; same: boolean }
  | { op: 'hand'; seal: 'intact' | 'broken' | undefined; digests: 'same' | 'other' | undefined }
  | { op: 'resolve'; pick: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('examine' as const), same: fc.boolean() }),
  fc.record({
    op: fc.constant('hand' as const),
    seal: fc.constantFrom('intact' as const, 'broken' as const, undefined),
    digests: fc.constantFrom('same' as const, 'other' as const, undefined),
  }),
  fc.record({ op: fc.constant('resolve' as const), pick: fc.nat() }),
);

describe('non-conformities, property', () => {
  it('open = opened − resolved; a resolve is accepted exactly when it names an open one; state, replay and derivation agree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        const w = await makeV2World('nc property ');
        const x = await Exhibit.register(w);
        await x.handTo(w.deCustodian);
        const other = (s: Signer) => (s === w.deCustodian ? w.examiner : w.deCustodian);
        const chain: Uint8Array[] = [];
        let open: string[] = [];
        for (const s of steps) {
          if (s.op === 'examine') {
            const id = await x.chain('examine', x.holder, {
              action: 'checked',
              digests: s.same ? digestOf('HDD-01') : OTHER,
            });
            chain.push(id);
            if (!s.same) open.push(toHex(id));
          } else if (s.op === 'hand') {
            const digests =
              s.digests === undefined ? undefined : s.digests === 'same' ? digestOf('HDD-01') : OTHER;
            const id = await x.handTo(other(x.holder), { seal: s.seal, digests });
            chain.push(id);
            if (s.seal === 'broken' || s.digests === 'other') open.push(toHex(id));
          } else if (chain.length > 0) {
            const issue = chain[s.pick % chain.length]!;
            const r = await x.resolve(x.holder, issue);
            const wasOpen = open.includes(toHex(issue));
            expect(r).toEqual(wasOpen ? { id: expect.any(Uint8Array) } : { code: 'NONCONFORMITY_UNKNOWN' });
            open = open.filter((o) => o !== toHex(issue));
          }
          expect(x.open().map((n) => toHex(n.opener))).toEqual(open);
        }
        const derived = fromReplay(replayed(w)).get(toHex(x.id)) ?? [];
        expect(brief(derived)).toEqual(brief(x.open()));
        const replay = await replayEntries(items(w));
        expect(replay.problems).toEqual([]);
        expect(brief(openNonconformities(replay.state, x.id))).toEqual(brief(x.open()));
      }),
      { numRuns: 20 },
    );
  });
});
