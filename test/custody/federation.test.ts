/**
 * Hand-over between two sovereign ledgers (docs/FEDERATION.md), on the pure
 * core: two sequencers, each with its own origin, authority and log key; the
 * authorities record each other as peers; a transfer in A to an actor of B is
 * carried to B as a foreign statement (payload type 3) with A's receipt and
 * map proof; the receiver accepts in B; B's accept is carried back to A. Each
 * forged or misdirected crossing is refused with its own code, and a replay
 * of each ledger reaches the same state.
 */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { checkReceiverProof } from '../../src/custody/receiver-proof.js';
import { type ExhibitRecord, encodeRecord, NS } from '../../src/custody/records.js';
import type { Canonical } from '../../src/format/canonical.js';
import { PAYLOAD_TYPES } from '../../src/format/entry.js';
import { decodeForeign, encodeForeign } from '../../src/format/foreign.js';
import { decodeSignedStatement } from '../../src/format/statement.js';
import { replayEntries } from '../../src/verify/entries.js';
import { statementKeyId } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';
import { BASIS, Ledger } from './federation-world.js';

const digests = { sha256: sha256(utf8('the seized phone image')) };

async function journey() {
  const nl = await Ledger.open('ledger.nfi.example/2026', 'NL');
  const de = await Ledger.open('ledger.bka.example/2026', 'DE');
  const collector = seededSigner('nl collector');
  const examiner = seededSigner('de examiner');
  const idle = seededSigner('de clerk');
  await nl.enrol(collector, ['collector', 'custodian']);
  await de.enrol(examiner, ['examiner', 'custodian']);
  await de.enrol(idle, ['registrar']);
  await nl.governance('peer', { origin: de.origin, policy: de.policy(), url: 'https://de.example' });
  await de.governance('peer', { origin: nl.origin, policy: nl.policy() });
  const reg = nl.sign('register', collector, {
    label: 'PHONE-01',
    caseRef: 'NL-2026-0042',
    description: 'a phone',
    size: 1000,
    digests,
  });
  await nl.ok(reg);
  const exhibit = reg.id;
  const to: Canonical = [de.origin, statementKeyId(examiner.publicKey)];
  const transfer = (fields: Record<string, Canonical | undefined> = {}) =>
    nl.sign(
      'transfer',
      collector,
      { to, reason: 'EIO', legalBasis: 'EIO 2026/117 NL→DE', ...BASIS, ...fields },
      { exhibit, after: reg.id },
    );
  return { nl, de, collector, examiner, idle, exhibit, reg, to, transfer };
}

const refusal = async (r: Promise<{ ok: boolean; violation?: { code: string } }>) => {
  const out = await r;
  return out.ok ? 'accepted' : out.violation!.code;
};

describe('hand-over between ledgers (docs/FEDERATION.md)', () => {
  it('NL hands over to DE: DE imports, the receiver accepts, NL imports the acceptance; both replay', async () => {
    const { nl, de, examiner, exhibit, transfer } = await journey();
    const t = transfer();
    await nl.ok(t);
    expect(nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)).toMatchObject({
      state: 'pending',
      toOrigin: de.origin,
    });
    const imported = await de.seq.submitForeign(await nl.carry(exhibit));
    expect(imported.ok).toBe(true);
    expect(de.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)).toMatchObject({
      state: 'pending',
      holderOrigin: nl.origin,
      sha256: digests.sha256,
    });
    const acc = de.sign('accept', examiner, { seal: 'intact' }, { exhibit, after: t.id });
    await de.ok(acc);
    expect(de.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)).toMatchObject({ state: 'held' });
    const closed = await nl.seq.submitForeign(await de.carry(exhibit));
    expect(closed.ok).toBe(true);
    const rec = nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)!;
    expect(rec).toMatchObject({ state: 'away', holderOrigin: de.origin });
    expect(rec.to).toBeUndefined();
    // Nothing more happens to the exhibit in NL while DE holds it.
    const late = nl.sign(
      'examine',
      seededSigner('nl collector'),
      { action: 'x' },
      { exhibit, after: acc.id },
    );
    expect(await refusal(nl.seq.submit(late.bytes))).toBe('EXHIBIT_ELSEWHERE');
    // Each ledger replays to the map roots its entries carry.
    for (const l of [nl, de]) {
      const replay = await replayEntries(l.seq.log);
      expect(replay.problems).toEqual([]);
      expect(replay.mapRoot).toEqual(l.seq.state.map.root);
    }
  });

  it('and back: DE hands it over to NL again, which imports it although it was away', async () => {
    const { nl, de, examiner, collector, exhibit, transfer } = await journey();
    const t = transfer();
    await nl.ok(t);
    await de.seq.submitForeign(await nl.carry(exhibit));
    const acc = de.sign('accept', examiner, {}, { exhibit, after: t.id });
    await de.ok(acc);
    await nl.seq.submitForeign(await de.carry(exhibit));
    const back = de.sign(
      'transfer',
      examiner,
      {
        to: [nl.origin, statementKeyId(collector.publicKey)],
        reason: 'return',
        legalBasis: 'EIO 2026/117',
        ...BASIS,
      },
      { exhibit, after: acc.id },
    );
    await de.ok(back);
    expect((await nl.seq.submitForeign(await de.carry(exhibit))).ok).toBe(true);
    const acc2 = nl.sign('accept', collector, {}, { exhibit, after: back.id });
    await nl.ok(acc2);
    expect(nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)).toMatchObject({ state: 'held' });
    expect((await de.seq.submitForeign(await nl.carry(exhibit))).ok).toBe(true);
    expect(de.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)).toMatchObject({
      state: 'away',
      holderOrigin: nl.origin,
    });
  });

  it('a rejection in DE returns custody to the sender in NL', async () => {
    const { nl, de, examiner, collector, exhibit, transfer } = await journey();
    const t = transfer();
    await nl.ok(t);
    await de.seq.submitForeign(await nl.carry(exhibit));
    const rej = de.sign('reject', examiner, { reason: 'wrong exhibit' }, { exhibit, after: t.id });
    await de.ok(rej);
    expect(de.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)).toMatchObject({ state: 'away' });
    expect((await nl.seq.submitForeign(await de.carry(exhibit))).ok).toBe(true);
    const rec = nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)!;
    expect(rec.state).toBe('held');
    expect(rec.holder).toEqual(statementKeyId(collector.publicKey));
  });

  it('refuses a hand-over to a ledger that is not a peer, and one without a legal basis', async () => {
    const { nl, collector, exhibit, reg } = await journey();
    const to = (origin: string) => [origin, statementKeyId(collector.publicKey)];
    const stranger = nl.sign(
      'transfer',
      collector,
      { to: to('ledger.unknown.example'), reason: 'x', legalBasis: 'y' },
      { exhibit, after: reg.id },
    );
    expect(await refusal(nl.seq.submit(stranger.bytes))).toBe('RECEIVER_FOREIGN');
    const bare = nl.sign(
      'transfer',
      collector,
      { to: to('ledger.bka.example/2026'), reason: 'x' },
      { exhibit, after: reg.id },
    );
    expect(await refusal(nl.seq.submit(bare.bytes))).toBe('LEGAL_BASIS_MISSING');
    // A reference alone is not enough between ledgers: the instrument, authorities and date too.
    const refOnly = nl.sign(
      'transfer',
      collector,
      { to: to('ledger.bka.example/2026'), reason: 'x', legalBasis: 'EIO 2026/117' },
      { exhibit, after: reg.id },
    );
    expect(refOnly.statement.bv).toBe(1);
    expect(await refusal(nl.seq.submit(refOnly.bytes))).toBe('LEGAL_BASIS_MISSING');
    const full = nl.sign(
      'transfer',
      collector,
      { to: to('ledger.bka.example/2026'), reason: 'x', legalBasis: 'EIO 2026/117', ...BASIS },
      { exhibit, after: reg.id },
    );
    expect(full.statement.bv).toBe(2);
    // The structured basis is all or nothing: a version 2 body without its date is not even signed.
    const { basisDate: _, ...partial } = BASIS;
    expect(() =>
      nl.sign(
        'transfer',
        collector,
        { to: to('ledger.bka.example/2026'), reason: 'x', legalBasis: 'EIO 2026/117', ...partial },
        { exhibit, after: reg.id },
      ),
    ).toThrow(/missing field basisDate/);
  });

  it('a cancel in NL is a request: DE logs it before any answer, and its confirmation returns custody in NL', async () => {
    const { nl, de, collector, examiner, exhibit, transfer, to } = await journey();
    const t = transfer();
    await nl.ok(t);
    await de.seq.submitForeign(await nl.carry(exhibit));
    const cancel = nl.sign(
      'cancel',
      collector,
      { reason: 'the EIO was withdrawn' },
      { exhibit, after: t.id },
    );
    await nl.ok(cancel);
    // Only asked: still pending in NL until DE answers; one request at a time.
    expect(nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)).toMatchObject({
      state: 'pending',
      toOrigin: de.origin,
      head: cancel.id,
      cancelOf: t.id,
    });
    const again = nl.sign('cancel', collector, { reason: 'again' }, { exhibit, after: cancel.id });
    expect(await refusal(nl.seq.submit(again.bytes))).toBe('CANCEL_ALREADY_REQUESTED');
    expect((await de.seq.submitForeign(await nl.carry(exhibit))).ok).toBe(true);
    expect(de.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)).toMatchObject({
      state: 'away',
      holderOrigin: nl.origin,
      holder: statementKeyId(collector.publicKey),
    });
    // The receiver comes too late: nothing is pending in DE any more.
    const late = de.sign('accept', examiner, {}, { exhibit, after: t.id });
    expect(await refusal(de.seq.submit(late.bytes))).toBe('EXHIBIT_LINK_BROKEN');
    const lateOnHead = de.sign('accept', examiner, {}, { exhibit, after: cancel.id });
    expect(await refusal(de.seq.submit(lateOnHead.bytes))).toBe('EXHIBIT_ELSEWHERE');
    expect((await nl.seq.submitForeign(await de.carryBack(exhibit))).ok).toBe(true);
    const rec = nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)!;
    expect(rec).toMatchObject({
      state: 'held',
      holder: statementKeyId(collector.publicKey),
      head: cancel.id,
    });
    expect(rec.toOrigin).toBeUndefined();
    expect(rec.cancelOf).toBeUndefined();
    // The sender acts on it again, after the cancel: a new hand-over to DE, say.
    const anew = nl.sign(
      'transfer',
      collector,
      { to, reason: 'EIO', legalBasis: 'EIO 2026/118', ...BASIS },
      { exhibit, after: cancel.id },
    );
    expect(await refusal(nl.seq.submit(anew.bytes))).toBe('accepted');
    // Neither confirmation nor cancel counts twice.
    expect(await refusal(nl.seq.submitForeign(await de.carryBack(exhibit)))).toBe('STATEMENT_DUPLICATE');
    for (const l of [nl, de]) {
      const replay = await replayEntries(l.seq.log);
      expect(replay.problems).toEqual([]);
      expect(replay.mapRoot).toEqual(l.seq.state.map.root);
    }
  });

  it('a cancel that reaches DE after the acceptance is refused there, and NL imports the acceptance', async () => {
    const { nl, de, collector, examiner, exhibit, transfer } = await journey();
    const t = transfer();
    await nl.ok(t);
    await de.seq.submitForeign(await nl.carry(exhibit));
    const acc = de.sign('accept', examiner, {}, { exhibit, after: t.id });
    await de.ok(acc);
    const cancel = nl.sign('cancel', collector, { reason: 'too late' }, { exhibit, after: t.id });
    await nl.ok(cancel);
    expect(await refusal(de.seq.submitForeign(await nl.carry(exhibit)))).toBe('NO_PENDING_TRANSFER');
    expect((await nl.seq.submitForeign(await de.carry(exhibit))).ok).toBe(true);
    const rec = nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)!;
    expect(rec).toMatchObject({ state: 'away', holderOrigin: de.origin });
    expect(rec.cancelOf).toBeUndefined();
    const replay = await replayEntries(nl.seq.log);
    expect(replay.problems).toEqual([]);
  });

  it('a cancel racing the acceptance: exactly one wins, in every order the two ledgers can log them', async () => {
    // The steps, each possible once its inputs exist: NL logs the cancel request (c), DE's
    // receiver accepts (a), DE imports the cancel (C), NL imports the acceptance (A), NL imports
    // DE's confirmation (K). Every interleaving is played; every step that a ledger refuses is
    // refused for a reason, and at the end exactly one ledger holds the exhibit.
    type Step = 'c' | 'a' | 'C' | 'A' | 'K';
    const orders: Step[][] = [];
    const grow = (done: Step[]) => {
      const next = (['c', 'a', 'C', 'A', 'K'] as Step[]).filter(
        (x) =>
          !done.includes(x) &&
          (x !== 'C' || done.includes('c')) &&
          (x !== 'A' || done.includes('a')) &&
          (x !== 'K' || done.includes('C')),
      );
      if (next.length === 0) orders.push(done);
      for (const x of next) grow([...done, x]);
    };
    grow([]);
    // Two chains, c→C→K and a→A, interleaved: 5!/(3!·2!) orders.
    expect(orders.length).toBe(10);
    for (const order of orders) {
      const { nl, de, collector, examiner, exhibit, transfer } = await journey();
      const t = transfer();
      await nl.ok(t);
      await de.seq.submitForeign(await nl.carry(exhibit));
      const cancel = nl.sign('cancel', collector, { reason: 'race' }, { exhibit, after: t.id });
      const acc = de.sign('accept', examiner, {}, { exhibit, after: t.id });
      // What each ledger carries out is taken right after its own step, as a push would.
      let cancelOut: Uint8Array | undefined;
      let acceptOut: Uint8Array | undefined;
      let confirmOut: Uint8Array | undefined;
      const outcome: Record<string, string> = {};
      for (const step of order) {
        if (step === 'c') {
          outcome.c = await refusal(nl.seq.submit(cancel.bytes));
          if (outcome.c === 'accepted') cancelOut = await nl.carry(exhibit);
        } else if (step === 'a') {
          outcome.a = await refusal(de.seq.submit(acc.bytes));
          if (outcome.a === 'accepted') acceptOut = await de.carry(exhibit);
        } else if (step === 'C' && cancelOut) {
          outcome.C = await refusal(de.seq.submitForeign(cancelOut));
          if (outcome.C === 'accepted') confirmOut = await de.carryBack(exhibit);
        } else if (step === 'A' && acceptOut) outcome.A = await refusal(nl.seq.submitForeign(acceptOut));
        else if (step === 'K' && confirmOut) outcome.K = await refusal(nl.seq.submitForeign(confirmOut));
      }
      const here = nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)!;
      const there = de.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)!;
      const cancelWon = outcome.C === 'accepted';
      const acceptWon = outcome.a === 'accepted';
      expect(cancelWon !== acceptWon, `${order.join('')}: ${JSON.stringify(outcome)}`).toBe(true);
      if (cancelWon) {
        expect(there.state).toBe('away');
        expect(here.state).toBe('held');
      } else {
        expect(there.state).toBe('held');
        // NL learns of it when it imports the acceptance, which it does in every order.
        expect(here).toMatchObject({ state: 'away', holderOrigin: de.origin });
      }
      for (const l of [nl, de]) expect((await replayEntries(l.seq.log)).problems).toEqual([]);
    }
  });

  it('refuses each forged or misdirected import with its own code', async () => {
    const { nl, de, exhibit, transfer, idle, collector } = await journey();
    const t = transfer();
    await nl.ok(t);
    const good = await nl.carry(exhibit);
    const parts = decodeForeign(good);
    // Not cosigned by the witness quorum of NL's policy.
    expect(await refusal(de.seq.submitForeign(await nl.carry(exhibit, { cosigned: false })))).toBe(
      'FOREIGN_RECEIPT_INVALID',
    );
    // A statement NL never logged, carried with NL's receipt for another one.
    const forged = transfer({ reason: 'forged' });
    expect(await refusal(de.seq.submitForeign(encodeForeign({ ...parts, statement: forged.bytes })))).toBe(
      'FOREIGN_RECEIPT_INVALID',
    );
    // A record that is not the one NL's map commits to.
    const rec = nl.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)!;
    const lie = encodeRecord({ ...rec, to: statementKeyId(idle.publicKey) });
    expect(await refusal(de.seq.submitForeign(encodeForeign({ ...parts, record: lie })))).toBe(
      'FOREIGN_STATE_UNPROVEN',
    );
    // Another exhibit's registration carried with the hand-over.
    const other = nl.sign('register', collector, {
      label: 'Y',
      caseRef: 'C',
      description: 'd',
      size: 1,
      digests,
    });
    expect(await refusal(de.seq.submitForeign(encodeForeign({ ...parts, registration: other.bytes })))).toBe(
      'FOREIGN_STATE_UNPROVEN',
    );
    // None at all.
    const { registration: _, ...bare } = parts;
    expect(await refusal(de.seq.submitForeign(encodeForeign(bare)))).toBe('FOREIGN_MALFORMED');
    // Random bytes as a payload.
    expect(await refusal(de.seq.submitForeign(utf8('not a foreign statement')))).toBe('FOREIGN_MALFORMED');
    // A ledger that has not recorded NL as a peer.
    const fr = await Ledger.open('ledger.court.example/2026', 'FR');
    expect(await refusal(fr.seq.submitForeign(good))).toBe('PEER_UNKNOWN');
    // Imported once; twice is a duplicate.
    expect(await refusal(de.seq.submitForeign(good))).toBe('accepted');
    expect(await refusal(de.seq.submitForeign(good))).toBe('STATEMENT_DUPLICATE');
    // NL's own statements are not foreign to NL.
    expect(await refusal(nl.seq.submitForeign(good))).toBe('ORIGIN_MISMATCH');
    // A register is not a crossing.
    const reg2 = nl.sign('register', collector, {
      label: 'X',
      caseRef: 'C',
      description: 'd',
      size: 1,
      digests: { sha256: sha256(utf8('x')) },
    });
    await nl.ok(reg2);
    expect(await refusal(de.seq.submitForeign(await nl.carry(reg2.id)))).toBe('FOREIGN_KIND');
  });

  it('a ledger that carries a crossing its rules refuse is caught by the replay, at that entry', async () => {
    const { nl, de, exhibit, transfer } = await journey();
    await nl.ok(transfer());
    const good = decodeForeign(await nl.carry(exhibit));
    // DE's operator appends, without the rules, a crossing whose checkpoint NL's log key never signed.
    const forged = encodeForeign({ ...good, receipt: good.receipt.replace(/— .*\n/, '') });
    const index = de.seq.size;
    de.seq.seal(forged, decodeSignedStatement(good.statement).id, de.now.t, PAYLOAD_TYPES.foreign);
    const replay = await replayEntries(de.seq.log);
    expect(replay.problems.map((p) => [p.index, p.code])).toContainEqual([index, 'FOREIGN_RECEIPT_INVALID']);
  });

  it('refuses an import that names another receiver, and one whose receiver may not hold', async () => {
    const { nl, de, idle, exhibit, reg, collector } = await journey();
    const t = nl.sign(
      'transfer',
      collector,
      { to: [de.origin, statementKeyId(idle.publicKey)], reason: 'x', legalBasis: 'EIO', ...BASIS },
      { exhibit, after: reg.id },
    );
    await nl.ok(t);
    expect(await refusal(de.seq.submitForeign(await nl.carry(exhibit)))).toBe('RECEIVER_NOT_PERMITTED');
  });

  it('an exhibit already held in the receiving ledger cannot also arrive there (two holders)', async () => {
    const { nl, de, examiner, collector, exhibit, reg, transfer } = await journey();
    const t = transfer();
    await nl.ok(t);
    const carried = await nl.carry(exhibit);
    await de.seq.submitForeign(carried);
    await de.ok(de.sign('accept', examiner, {}, { exhibit, after: t.id }));
    // The same hand-over re-sent: imported once, never again.
    expect(await refusal(de.seq.submitForeign(carried))).toBe('STATEMENT_DUPLICATE');
    // A fork of NL (same origin and keys, another history) hands the same exhibit over again.
    const fork = await Ledger.open(nl.origin, 'NL');
    await fork.enrol(collector, ['collector', 'custodian']);
    await fork.governance('peer', { origin: de.origin, policy: de.policy() });
    await fork.ok(reg);
    await fork.ok(
      fork.sign(
        'transfer',
        collector,
        { to: [de.origin, statementKeyId(examiner.publicKey)], reason: 'again', legalBasis: 'EIO', ...BASIS },
        { exhibit, after: reg.id },
      ),
    );
    expect(await refusal(de.seq.submitForeign(await fork.carry(exhibit)))).toBe('TRANSFER_CONFLICT');
  });

  it('a hand-over rejected and then replayed does not put the exhibit in transit again', async () => {
    const { nl, de, examiner, exhibit, transfer } = await journey();
    const t = transfer();
    await nl.ok(t);
    const carried = await nl.carry(exhibit);
    await de.seq.submitForeign(carried);
    await de.ok(de.sign('reject', examiner, { reason: 'no' }, { exhibit, after: t.id }));
    expect(await refusal(de.seq.submitForeign(carried))).toBe('STATEMENT_DUPLICATE');
    expect(de.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)?.state).toBe('away');
  });
});

describe('receiver proofs (docs/FEDERATION.md §The protocol)', () => {
  it('show an active actor who may hold, and refuse an unknown, revoked or non-holding key, a wrong log and a lie', async () => {
    const { nl, de, examiner, idle } = await journey();
    const check = async (key: Uint8Array, proof?: Uint8Array, policy = de.policy()) => {
      const r = checkReceiverProof(proof ?? (await de.receiverProof(key)), policy, de.origin, key);
      return r.ok ? r.record.jurisdiction : r.code;
    };
    expect(await check(statementKeyId(examiner.publicKey))).toBe('DE');
    expect(await check(statementKeyId(seededSigner('nobody').publicKey))).toBe('RECEIVER_UNKNOWN');
    expect(await check(statementKeyId(idle.publicKey))).toBe('RECEIVER_NOT_PERMITTED');
    // Checked against the policy NL recorded for DE: a proof of another log is not DE's.
    expect(
      await check(
        statementKeyId(examiner.publicKey),
        await nl.receiverProof(statementKeyId(examiner.publicKey)),
      ),
    ).toBe('FOREIGN_RECEIPT_INVALID');
    expect(await check(statementKeyId(examiner.publicKey), utf8('random bytes'))).toBe('FOREIGN_MALFORMED');
    await de.governance('revoke', { key: statementKeyId(examiner.publicKey), reason: 'left the service' });
    expect(await check(statementKeyId(examiner.publicKey))).toBe('RECEIVER_REVOKED');
  });
});
