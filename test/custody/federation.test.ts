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
import { toHex, utf8 } from '../../src/bytes.js';
import { signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { formatCosignerVkey, signCosignature } from '../../src/checkpoint/cosignature.js';
import { formatVkey, parseNote } from '../../src/checkpoint/note.js';
import { formatTlogProof } from '../../src/checkpoint/tlog-proof.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { type ExhibitRecord, encodeRecord, NS } from '../../src/custody/records.js';
import type { Canonical } from '../../src/format/canonical.js';
import { PAYLOAD_TYPES } from '../../src/format/entry.js';
import { decodeForeign, encodeForeign } from '../../src/format/foreign.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import type { SignedStatement } from '../../src/format/sign-statement.js';
import { decodeSignedStatement } from '../../src/format/statement.js';
import { Sequencer } from '../../src/ledger/sequencer.js';
import { encodeMapProof } from '../../src/map/index.js';
import { inclusionProof } from '../../src/merkle/proofs.js';
import { replayEntries } from '../../src/verify/entries.js';
import { make, seededRandom, statementKeyId } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const WITNESS = seededSigner('federation witness');
const WITNESS_NAME = 'witness.example';
let salt = 0;
/** Every registration signed in these tests, by exhibit id: what a transfer's crossing carries. */
const REGISTRATIONS = new Map<string, Uint8Array>();

class Ledger {
  readonly seq: Sequencer;
  readonly authority: Signer;
  readonly log: Signer;
  head: Uint8Array = new Uint8Array(32);
  readonly now = { t: T0 };
  constructor(
    readonly origin: string,
    readonly jurisdiction: string,
  ) {
    this.seq = new Sequencer(() => this.now.t);
    this.authority = seededSigner(`${origin} authority`);
    this.log = seededSigner(`${origin} log`);
  }
  sign(kind: string, signer: Signer, fields: Record<string, Canonical | undefined>, links = {}) {
    this.now.t += 1000;
    return make(kind, signer, fields, links, {
      origin: this.origin,
      time: this.now.t,
      random: seededRandom(`federation ${salt++}`),
    });
  }
  async ok(s: SignedStatement) {
    if (decodeSignedStatement(s.bytes).statement.kind === 'register') REGISTRATIONS.set(toHex(s.id), s.bytes);
    const r = await this.seq.submit(s.bytes);
    if (!r.ok) throw new Error(`${r.violation.code}: ${r.violation.message}`);
    return r;
  }
  async seen() {
    return { size: this.seq.size, root: await this.seq.rootAt(this.seq.size) };
  }
  async governance(kind: string, fields: Record<string, Canonical | undefined>) {
    const s = this.sign(kind, this.authority, fields, { after: this.head, seen: await this.seen() });
    await this.ok(s);
    this.head = s.id;
  }
  static async open(origin: string, jurisdiction: string) {
    const l = new Ledger(origin, jurisdiction);
    const g = l.sign('genesis', l.authority, {
      name: `${origin} ledger`,
      jurisdiction,
      org: 'Org',
      logKey: [KEY_TYPES.ed25519, l.log.publicKey],
    });
    await l.ok(g);
    l.head = g.id;
    return l;
  }
  async enrol(signer: Signer, roles: string[]) {
    await this.governance('enrol', {
      key: [KEY_TYPES.ed25519, signer.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: [...roles].sort(),
      jurisdiction: this.jurisdiction,
      name: 'Someone',
      org: 'Org',
    });
  }
  /** The tlog-policy a peer records for this ledger: its log key, one witness, quorum that witness. */
  policy(quorum = WITNESS_NAME) {
    return [
      `log ${formatVkey(this.origin, this.log.publicKey)}`,
      `witness w ${formatCosignerVkey(WITNESS_NAME, WITNESS.publicKey)}`,
      `quorum ${quorum === WITNESS_NAME ? 'w' : quorum}`,
    ].join('\n');
  }
  /** The checkpoint of the whole log, signed by the log key and cosigned by the witness. */
  async checkpoint(cosigned = true) {
    const size = this.seq.size;
    const note = signCheckpoint(
      { origin: this.origin, size, root: await this.seq.rootAt(size) },
      this.origin,
      this.log,
    );
    if (!cosigned) return note;
    // A cosignature is one more signature line (C2SP tlog-cosignature), after the log's.
    return note + signCosignature(parseNote(note).text, WITNESS_NAME, WITNESS, T0);
  }
  /** The foreign payload of the last entry (a chain statement on `exhibit`), as its ledger hands it out. */
  async carry(exhibit: Uint8Array, opts: { cosigned?: boolean; registration?: Uint8Array } = {}) {
    const last = this.seq.log[this.seq.size - 1]!;
    const note = await this.checkpoint(opts.cosigned ?? true);
    const receipt = formatTlogProof({
      index: last.index,
      proof: await inclusionProof(this.seq.nodes, last.index, this.seq.size),
      checkpointNote: note,
      extra: last.entry,
    });
    const record = this.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)!;
    return encodeForeign({
      statement: last.payload,
      receipt,
      record: encodeRecord(record),
      proof: encodeMapProof(this.seq.state.map.prove(NS.exhibit, exhibit)),
      // A transfer carries the exhibit's registration (FORMAT.md §Foreign statements).
      ...(decodeSignedStatement(last.payload).statement.kind === 'transfer'
        ? { registration: opts.registration ?? REGISTRATIONS.get(toHex(exhibit))! }
        : {}),
    });
  }
}

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
      { to, reason: 'EIO', legalBasis: 'EIO 2026/117 NL→DE', ...fields },
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
      { to: [nl.origin, statementKeyId(collector.publicKey)], reason: 'return', legalBasis: 'EIO 2026/117' },
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
  });

  it('the sender cannot cancel on its own while the receiving ledger decides', async () => {
    const { nl, collector, exhibit, transfer } = await journey();
    const t = transfer();
    await nl.ok(t);
    const cancel = nl.sign('cancel', collector, { reason: 'changed my mind' }, { exhibit, after: t.id });
    expect(await refusal(nl.seq.submit(cancel.bytes))).toBe('CANCEL_ACROSS_LEDGERS');
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
      { to: [de.origin, statementKeyId(idle.publicKey)], reason: 'x', legalBasis: 'EIO' },
      { exhibit, after: reg.id },
    );
    await nl.ok(t);
    expect(await refusal(de.seq.submitForeign(await nl.carry(exhibit)))).toBe('RECEIVER_NOT_PERMITTED');
  });

  it('an exhibit already held in the receiving ledger cannot also arrive there (two holders)', async () => {
    const { nl, de, examiner, exhibit, transfer } = await journey();
    const t = transfer();
    await nl.ok(t);
    const carried = await nl.carry(exhibit);
    await de.seq.submitForeign(carried);
    await de.ok(de.sign('accept', examiner, {}, { exhibit, after: t.id }));
    // The same hand-over's evidence, re-sent after the acceptance: the record is held, not away.
    expect(await refusal(de.seq.submitForeign(carried))).toBe('TRANSFER_CONFLICT');
  });
});
