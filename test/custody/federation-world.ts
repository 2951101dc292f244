/**
 * A sovereign ledger on the pure core, for the federation tests: a Sequencer
 * with its own origin, authority and log key, governance signed by its
 * authority, checkpoints cosigned by one witness, and the crossing
 * (FORMAT.md §Foreign statements) of an exhibit's last event as its ledger
 * hands it out (src/ledger/crossing.ts does the same over a store).
 */
import { toHex } from '../../src/bytes.js';
import { signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { formatCosignerVkey, signCosignature } from '../../src/checkpoint/cosignature.js';
import { formatVkey, parseNote } from '../../src/checkpoint/note.js';
import { formatTlogProof } from '../../src/checkpoint/tlog-proof.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { encodeReceiverProof } from '../../src/custody/receiver-proof.js';
import { type ExhibitRecord, encodeRecord, type KeyRecord, NS } from '../../src/custody/records.js';
import type { Canonical } from '../../src/format/canonical.js';
import { decodeForeign, encodeForeign } from '../../src/format/foreign.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import type { SignedStatement } from '../../src/format/sign-statement.js';
import { decodeSignedStatement } from '../../src/format/statement.js';
import { Sequencer } from '../../src/ledger/sequencer.js';
import { encodeMapProof } from '../../src/map/index.js';
import { inclusionProof } from '../../src/merkle/proofs.js';
import { make, seededRandom } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';

export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
/** A structured legal basis (transfer body version 2), as a hand-over between ledgers needs. */
export const BASIS = {
  instrument: 'EIO',
  issuing: 'Officier van justitie, Amsterdam',
  executing: 'Generalstaatsanwaltschaft Frankfurt am Main',
  basisDate: Date.UTC(2026, 1, 20),
} as const;
const WITNESS = seededSigner('federation witness');
const WITNESS_NAME = 'witness.example';
let salt = 0;
/** Every registration signed in these tests, by exhibit id: what a transfer's crossing carries. */
const REGISTRATIONS = new Map<string, Uint8Array>();

export class Ledger {
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
  /**
   * The confirmation of a peer's cancel this ledger imported last (its entry is
   * a foreign statement): the peer's own cancel, with this ledger's entry as `logged`.
   */
  async carryBack(exhibit: Uint8Array) {
    const { last, receipt, record } = await this.#lastProven(exhibit, true);
    return encodeForeign({
      statement: decodeForeign(last.payload).statement,
      receipt,
      record: encodeRecord(record),
      proof: encodeMapProof(this.seq.state.map.prove(NS.exhibit, exhibit)),
      logged: last.payload,
    });
  }

  /** The last entry, its receipt against a checkpoint of the whole log, and the exhibit's record. */
  async #lastProven(exhibit: Uint8Array, cosigned: boolean) {
    const last = this.seq.log[this.seq.size - 1]!;
    const receipt = formatTlogProof({
      index: last.index,
      proof: await inclusionProof(this.seq.nodes, last.index, this.seq.size),
      checkpointNote: await this.checkpoint(cosigned),
      extra: last.entry,
    });
    return { last, receipt, record: this.seq.state.get<ExhibitRecord>(NS.exhibit, exhibit)! };
  }

  /** A receiver proof (src/custody/receiver-proof.ts) of `keyId` at the whole log, cosigned. */
  async receiverProof(keyId: Uint8Array) {
    const last = this.seq.log[this.seq.size - 1]!;
    const receipt = formatTlogProof({
      index: last.index,
      proof: await inclusionProof(this.seq.nodes, last.index, this.seq.size),
      checkpointNote: await this.checkpoint(),
      extra: last.entry,
    });
    const record = this.seq.state.get<KeyRecord>(NS.key, keyId);
    return encodeReceiverProof({
      receipt,
      proof: encodeMapProof(this.seq.state.map.prove(NS.key, keyId)),
      ...(record ? { record: encodeRecord(record) } : {}),
    });
  }

  /** The foreign payload of the last entry (a chain statement on `exhibit`), as its ledger hands it out. */
  async carry(exhibit: Uint8Array, opts: { cosigned?: boolean; registration?: Uint8Array } = {}) {
    const { last, receipt, record } = await this.#lastProven(exhibit, opts.cosigned ?? true);
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
