/**
 * Need to know on a ledger server (src/ledger/need-to-know.ts), over a
 * realistic ledger built in process (bench/workload.ts: collectors register,
 * hand over to examiners, to foreign custodians under an EIO, to courts): the
 * cleartext of a case's entries is for the actors of that case and those a
 * registrar assigned to it; ledger statements are for every actor, never an
 * auditor; log records hold no cleartext and need nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Actor, createWorld, signLife, submitLife, type World } from '../../bench/workload.js';
import { toHex } from '../../src/bytes.js';
import { archiveLatestCheckpoint } from '../../src/ledger/archive.js';
import { LedgerView, type LoggedStatement } from '../../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { NeedToKnow } from '../../src/ledger/need-to-know.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';

const hex = (a: Actor) => toHex(a.id);
const keyOf = (s: LoggedStatement) => s.statement.signer.key.publicKey;
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

/** The actors of exhibit n's life, as bench/workload.ts signLife picks them. */
function lifeActors(w: World, n: number) {
  const pick = <T>(a: T[], k: number) => a[k % a.length]!;
  const collector = pick(w.collectors, n);
  const examiner = w.examiners.find((e) => e.jurisdiction === collector.jurisdiction)!;
  const foreign = pick(
    w.custodians.filter((c) => c.jurisdiction !== collector.jurisdiction),
    n >> 2,
  );
  const court = pick(
    w.courts.filter((c) => c.jurisdiction !== foreign.jurisdiction),
    n >> 3,
  );
  return { collector, examiner, foreign, court };
}

interface Life {
  n: number;
  caseRef: string;
  /** Positions of its 10 entries. */
  at: number[];
  actors: ReturnType<typeof lifeActors>;
}

let w: World;
const lives = new Map<number, Life>();
let recordAt: number;

async function live(n: number): Promise<Life> {
  const from = w.ledger.size;
  await submitLife(w, signLife(w, n), () => undefined);
  const life: Life = { n, caseRef: `CASE-${n >> 4}`, at: range(from, 10), actors: lifeActors(w, n) };
  lives.set(n, life);
  return life;
}

beforeAll(async () => {
  w = await createWorld(new MemoryLogStore());
  // Two exhibits of CASE-0, one of CASE-1.
  for (const n of [0, 1, 16]) await live(n);
  await signLogCheckpoint(w.view, w.log);
  recordAt = (await archiveLatestCheckpoint(w.ledger, w.view)).submitted.index;
});

const viewNow = () => Promise.resolve(new LedgerView(w.store));
const l = (n: number) => lives.get(n)!;

describe('the fixture', () => {
  it('is what the tests below assume: cases, positions, hand-overs and the log record', async () => {
    expect(w.ledger.size).toBe(49 + 30 + 1);
    for (const life of lives.values()) {
      const reg = await w.view.statementAt(life.at[0]!);
      expect(reg.statement.kind).toBe('register');
      expect(reg.statement.body['caseRef']).toBe(life.caseRef);
      expect(toHex(keyOf(reg))).toBe(toHex(life.actors.collector.signer.publicKey));
      // The hand-overs go to the actors lifeActors names.
      const to = await Promise.all([1, 5, 7].map((k) => w.view.statementAt(life.at[k]!)));
      expect(to.map((s) => s.statement.kind)).toEqual(['transfer', 'transfer', 'transfer']);
      expect(to.map((s) => toHex(s.statement.body['to'] as Uint8Array))).toEqual(
        [life.actors.examiner, life.actors.foreign, life.actors.court].map(hex),
      );
      // Openings are held (there is cleartext to protect).
      expect(Object.keys(reg.openings)).toContain('description');
    }
    expect(l(0).caseRef).toBe(l(1).caseRef);
    expect(l(16).caseRef).not.toBe(l(0).caseRef);
    const rec = await w.view.entryAt(recordAt);
    expect('record' in rec).toBe(true);
  });
});

describe('NeedToKnow.refused', () => {
  /** An actor enrolled but in no life: it never acted in any case. */
  const stranger = () => w.examiners[11]!;
  const actorsOf = (life: Life) => Object.values(life.actors);

  it('the stranger of the fixture acted in no case', () => {
    for (const life of lives.values()) expect(actorsOf(life).map(hex)).not.toContain(hex(stranger()));
  });

  it('the registering collector reads the cleartext of its exhibit', async () => {
    const ntk = new NeedToKnow(viewNow);
    expect(await ntk.refused(hex(l(0).actors.collector), l(0).at)).toBeUndefined();
    expect(await ntk.refused(hex(l(16).actors.collector), l(16).at)).toBeUndefined();
  });

  it('the examiner it was transferred to reads it, and so do the foreign custodian and the court', async () => {
    const ntk = new NeedToKnow(viewNow);
    for (const life of lives.values())
      for (const a of [life.actors.examiner, life.actors.foreign, life.actors.court])
        expect(await ntk.refused(hex(a), life.at)).toBeUndefined();
  });

  it('an actor of a case reads every exhibit of that case, not only its own', async () => {
    const ntk = new NeedToKnow(viewNow);
    // Exhibit 1 is another collector's, in the same case as exhibit 0.
    expect(hex(l(1).actors.collector)).not.toBe(hex(l(0).actors.collector));
    expect(await ntk.refused(hex(l(0).actors.collector), l(1).at)).toBeUndefined();
  });

  it('an actor who never acted in the case is refused, with the first entry and its case', async () => {
    const ntk = new NeedToKnow(viewNow);
    expect(await ntk.refused(hex(stranger()), l(0).at)).toEqual({ index: l(0).at[0], caseRef: 'CASE-0' });
    // The first entry refused, in the order asked.
    expect(await ntk.refused(hex(stranger()), [l(16).at[3]!, l(0).at[0]!])).toEqual({
      index: l(16).at[3],
      caseRef: 'CASE-1',
    });
    // Readable entries before it do not hide it.
    expect(await ntk.refused(hex(stranger()), [0, 1, recordAt, l(0).at[9]!])).toEqual({
      index: l(0).at[9],
      caseRef: 'CASE-0',
    });
  });

  it('acting in one case gives nothing of another', async () => {
    const ntk = new NeedToKnow(viewNow);
    const case1 = actorsOf(l(16)).filter((a) => !actorsOf(l(0)).some((b) => hex(a) === hex(b)));
    expect(case1.length).toBeGreaterThan(0);
    for (const a of case1) {
      expect(await ntk.refused(hex(a), l(16).at)).toBeUndefined();
      expect(await ntk.refused(hex(a), l(0).at)).toEqual({ index: l(0).at[0], caseRef: 'CASE-0' });
    }
  });

  it('an assignment in the constructor lets an actor read that case, and only that case', async () => {
    const assigned = new NeedToKnow(viewNow, new Map([['CASE-0', new Set([hex(stranger())])]]));
    expect(await assigned.refused(hex(stranger()), [...l(0).at, ...l(1).at])).toBeUndefined();
    expect(await assigned.refused(hex(stranger()), l(16).at)).toEqual({
      index: l(16).at[0],
      caseRef: 'CASE-1',
    });
    // An assignment names a statement key id: another form of the same key does not match.
    const byPublicKey = new NeedToKnow(
      viewNow,
      new Map([['CASE-0', new Set([toHex(stranger().signer.publicKey)])]]),
    );
    expect(await byPublicKey.refused(hex(stranger()), l(0).at)).toEqual({
      index: l(0).at[0],
      caseRef: 'CASE-0',
    });
  });

  it('an auditor (undefined) reads no case cleartext, not even with an assignment', async () => {
    const ntk = new NeedToKnow(viewNow, new Map([['CASE-0', new Set([hex(stranger())])]]));
    expect(await ntk.refused(undefined, l(0).at)).toEqual({ index: l(0).at[0], caseRef: 'CASE-0' });
    expect(await ntk.refused(undefined, [l(16).at[4]!])).toEqual({ index: l(16).at[4], caseRef: 'CASE-1' });
  });

  it('ledger statements (genesis, enrolments) are for any actor, never for an auditor', async () => {
    const ntk = new NeedToKnow(viewNow);
    const ledger = range(0, 49);
    for (const a of [stranger(), l(0).actors.collector, w.courts[5]!])
      expect(await ntk.refused(hex(a), ledger)).toBeUndefined();
    // Even a key id nobody enrolled: the caller authenticates; this only decides on cleartext.
    expect(await ntk.refused('00'.repeat(32), ledger)).toBeUndefined();
    expect(await ntk.refused(undefined, [0])).toEqual({ index: 0 });
    expect(await ntk.refused(undefined, [17])).toEqual({ index: 17 });
  });

  it('a log record holds no cleartext: anyone, an auditor included, may read it', async () => {
    const ntk = new NeedToKnow(viewNow);
    expect(await ntk.refused(undefined, [recordAt])).toBeUndefined();
    expect(await ntk.refused(hex(stranger()), [recordAt])).toBeUndefined();
  });

  it('nothing asked, or nothing there yet, refuses nothing', async () => {
    const ntk = new NeedToKnow(viewNow);
    expect(await ntk.refused(undefined, [])).toBeUndefined();
    expect(await ntk.refused(undefined, [w.ledger.size, w.ledger.size + 100])).toBeUndefined();
    const empty = new NeedToKnow(() => Promise.resolve(new LedgerView(new MemoryLogStore())));
    expect(await empty.refused(undefined, [0, 1, 2])).toBeUndefined();
  });

  it('catches up with entries appended after its first answer', async () => {
    const ntk = new NeedToKnow(viewNow);
    let views = 0;
    const counting = new NeedToKnow(() => {
      views++;
      return viewNow();
    });
    expect(await ntk.refused(hex(stranger()), l(0).at)).toEqual({ index: l(0).at[0], caseRef: 'CASE-0' });
    expect(await counting.refused(hex(stranger()), [0])).toBeUndefined();
    // A new case, with new actors, appended after both were asked.
    const later = await live(32);
    expect(later.caseRef).toBe('CASE-2');
    for (const a of actorsOf(later)) expect(await ntk.refused(hex(a), later.at)).toBeUndefined();
    expect(await ntk.refused(hex(stranger()), later.at)).toEqual({ index: later.at[0], caseRef: 'CASE-2' });
    expect(await counting.refused(undefined, later.at)).toEqual({ index: later.at[0], caseRef: 'CASE-2' });
    // Each answer reads the ledger as it is now.
    expect(views).toBe(2);
  });
});
