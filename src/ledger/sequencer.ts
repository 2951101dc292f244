/**
 * The pure core of appending in format v2: admit a signed statement, judge it
 * against the state, and if it passes, apply it to the state map, wrap it in
 * an entry carrying the new map root, and add the entry's leaf to the tree
 * (docs/FORMAT-V2.md §Entries). In memory and synchronous apart from the tree
 * look-up a `seen` needs; the store-backed ledger persists what it produces.
 */
import { sha256 } from '../crypto/sha256.js';
import { admit } from '../custody/admit.js';
import { CustodyState } from '../custody/custody-state.js';
import { judge } from '../custody/judge.js';
import type { Violation } from '../custody/judgement.js';
import { encodeEntry, PAYLOAD_TYPES } from '../format/entry.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import { MemoryNodeStore } from '../merkle/memory.js';
import { rootAt } from '../merkle/proofs.js';

export interface Sequenced {
  index: number;
  id: Uint8Array;
  entry: Uint8Array;
  leafHash: Uint8Array;
  payload: Uint8Array;
}

export type SubmitResult = ({ ok: true } & Sequenced) | { ok: false; violation: Violation };

export class Sequencer {
  readonly state = new CustodyState();
  readonly frontier = MerkleFrontier.empty();
  readonly nodes = new MemoryNodeStore();
  /** What was appended, in order (the store-backed ledger persists these instead of keeping them). */
  readonly log: Sequenced[] = [];
  #lastTime = 0;

  constructor(private readonly clock: () => number) {}

  get size(): number {
    return this.frontier.size;
  }

  /** The tree root of the first `size` entries. */
  rootAt(size: number): Promise<Uint8Array> {
    return rootAt(this.nodes, size);
  }

  /**
   * Appends a signed statement, or says why the rules refuse it (nothing is
   * then changed). `signaturesVerified` is for a caller that verified the
   * signatures already, in a worker batch (docs/STORAGE.md §Writing).
   */
  async submit(bytes: Uint8Array, { signaturesVerified = false } = {}): Promise<SubmitResult> {
    const a = admit(bytes, !signaturesVerified);
    if ('violation' in a) return { ok: false, violation: a.violation };
    const index = this.frontier.size;
    // Log time never decreases, whatever the clock does (FORMAT-V2.md §Entries).
    const time = Math.max(this.clock(), this.#lastTime);
    const seen = a.statement.seen;
    const at =
      seen && seen.size <= index ? { index, time, seenRoot: await this.rootAt(seen.size) } : { index, time };
    if (this.frontier.size !== index) return this.submit(bytes, { signaturesVerified }); // another submit completed meanwhile
    const o = judge(this.state, a, at);
    if (!o.ok) return { ok: false, violation: o.violation };
    this.state.apply(o.writes);
    const entry = encodeEntry({
      index,
      time,
      mapRoot: this.state.map.root,
      payloadType: PAYLOAD_TYPES.statement,
      payloadHash: sha256(bytes),
    });
    const leafHash = hashLeaf(entry);
    this.nodes.put(this.frontier.append(leafHash));
    this.#lastTime = time;
    const done: Sequenced = { index, id: a.id, entry, leafHash, payload: bytes };
    this.log.push(done);
    return { ok: true, ...done };
  }
}
