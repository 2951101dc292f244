/**
 * A forger for "forged ledger" tests: builds record bytes exactly as the ledger
 * would (canonical payload, Ed25519 over `signedMessage(origin, payload)`,
 * record = [payload, signature]) but WITHOUT applying the custody rules, so a
 * test can write down any history — including ones the ledger would refuse —
 * and see what the verifier says about it.
 *
 * Chaining (seq, prev), per-exhibit links (`after`, `parentAfter`), exhibit ids,
 * times and rotation proofs are filled in the way the ledger fills them, unless
 * the step overrides them (to break them on purpose).
 */
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { rotationProofMessage } from '../../src/custody/rules.js';
import { type Event, exhibitOf, type GenesisBody, type Payload } from '../../src/format/events.js';
import { exhibitIdFromBytes, keyId } from '../../src/format/ids.js';
import {
  decodeRecord,
  encodePayload,
  encodeRecord,
  signedMessage,
  ZERO_HASH,
} from '../../src/format/record.js';
import type { Draft } from '../../src/ledger/draft.js';
import { hashLeaf } from '../../src/merkle/hash.js';

/** One stored record as a store yields it. */
export interface StoredRecord {
  seq: number;
  bytes: Uint8Array;
}

/** What a forged entry is: a ledger draft, a complete event, or a genesis. */
export type ForgeEvent = Draft | Event | { kind: 'genesis'; body: GenesisBody };

export interface ForgeStep {
  /** Whose entry it claims to be: the payload's `actor` is this key's id unless `actor` is given. */
  signer: Signer;
  event: ForgeEvent;
  /** Payload overrides, to break chaining or time order on purpose. */
  seq?: number;
  prev?: Uint8Array;
  time?: number;
  tz?: string;
  actor?: string;
  /** Sign with this key instead of `signer` (the payload still names `signer`). */
  signWith?: Signer;
  /** Sign for this origin instead of the ledger's. */
  signOrigin?: string;
}

export interface Forged extends StoredRecord {
  payload: Payload;
  leafHash: Uint8Array;
}

const DEFAULT_START = Date.UTC(2026, 2, 1, 9, 0, 0);

export class Forger {
  origin: string;
  readonly records: StoredRecord[] = [];
  #head: Uint8Array = ZERO_HASH;
  #lastTime: number;
  #step: number;
  #exhibitHeads = new Map<string, Uint8Array>();
  #ids = 0;

  constructor(origin: string, opts: { start?: number; step?: number } = {}) {
    this.origin = origin;
    this.#lastTime = opts.start ?? DEFAULT_START;
    this.#step = opts.step ?? 1000;
  }

  /**
   * A forger that continues after existing records (e.g. a real ledger's),
   * taking the origin from their genesis unless given.
   */
  static after(records: readonly StoredRecord[], origin?: string): Forger {
    const f = new Forger(origin ?? '');
    for (const r of records) {
      const d = decodeRecord(r.bytes);
      if (origin === undefined && d.payload.kind === 'genesis' && f.origin === '')
        f.origin = d.payload.body.origin;
      f.#note(r, d.payload, d.leafHash);
    }
    return f;
  }

  get size(): number {
    return this.records.length;
  }
  get head(): Uint8Array {
    return this.#head;
  }
  /** The leaf hash of the last entry that named this exhibit (what `after` must be). */
  after(exhibit: string): Uint8Array {
    return this.#exhibitHeads.get(exhibit) ?? ZERO_HASH;
  }

  #note(r: StoredRecord, p: Payload, leafHash: Uint8Array) {
    this.records.push({ seq: r.seq, bytes: r.bytes });
    this.#head = leafHash;
    this.#lastTime = Math.max(this.#lastTime, p.time);
    const x = exhibitOf(p);
    if (x !== undefined) this.#exhibitHeads.set(x, leafHash);
    if (p.kind === 'register' && p.body.parent !== undefined) this.#exhibitHeads.set(p.body.parent, leafHash);
  }

  #freshExhibitId(): string {
    this.#ids++;
    return exhibitIdFromBytes(
      sha256(new TextEncoder().encode(`forged exhibit ${this.origin} ${this.#ids}`)).slice(0, 6),
    );
  }

  /** Fills what the ledger would fill; keeps anything the event already carries. */
  #fill(e: ForgeEvent, prev: Uint8Array): { kind: Payload['kind']; body: object } {
    if (e.kind === 'rotate' && 'newAuthority' in e) {
      const pk = e.newAuthority.publicKey;
      return {
        kind: 'rotate',
        body: { publicKey: pk, proof: e.newAuthority.sign(rotationProofMessage(this.origin, prev, pk)) },
      };
    }
    if (e.kind === 'register') {
      const b = e.body as Record<string, unknown> & {
        exhibit?: string;
        parent?: string;
        parentAfter?: Uint8Array;
      };
      const body: Record<string, unknown> = { ...b, exhibit: b.exhibit ?? this.#freshExhibitId() };
      if (b.parent !== undefined && b.parentAfter === undefined) body['parentAfter'] = this.after(b.parent);
      return { kind: 'register', body };
    }
    if (e.kind === 'genesis' || e.kind === 'enrol' || e.kind === 'revoke' || e.kind === 'rotate')
      return e as { kind: Payload['kind']; body: object };
    const b = e.body as { exhibit: string; after?: Uint8Array };
    return { kind: e.kind, body: { ...b, after: b.after ?? this.after(b.exhibit) } };
  }

  /** Forges one entry and appends it at the next position. */
  add(step: ForgeStep): Forged {
    const position = this.records.length;
    const prev = step.prev ?? this.#head;
    const { kind, body } = this.#fill(step.event, prev);
    const time = step.time ?? this.#lastTime + this.#step;
    const payload = {
      v: 1,
      seq: step.seq ?? position,
      prev,
      time,
      tz: step.tz ?? 'Europe/Amsterdam',
      actor: step.actor ?? keyId(step.signer.publicKey),
      kind,
      body,
    } as Payload;
    if (payload.kind === 'genesis' && this.origin === '') this.origin = payload.body.origin;
    const payloadBytes = encodePayload(payload);
    const signature = (step.signWith ?? step.signer).sign(
      signedMessage(step.signOrigin ?? this.origin, payloadBytes),
    );
    const bytes = encodeRecord(payloadBytes, signature);
    const leafHash = hashLeaf(bytes);
    const r = { seq: position, bytes };
    this.#note(r, payload, leafHash);
    return { ...r, payload, leafHash };
  }

  /** Forges several entries; returns them. */
  addAll(steps: readonly ForgeStep[]): Forged[] {
    return steps.map((s) => this.add(s));
  }
}

/** A forged log from scratch: `steps[0]` is normally a genesis. */
export function forgeLog(origin: string, steps: readonly ForgeStep[]): StoredRecord[] {
  const f = new Forger(origin);
  f.addAll(steps);
  return f.records;
}

/** A real ledger's records followed by forged entries (the originals are not copied or changed). */
export function appendForged(
  records: readonly StoredRecord[],
  steps: readonly ForgeStep[],
): { records: StoredRecord[]; forged: Forged[] } {
  const f = Forger.after(records);
  const forged = f.addAll(steps);
  return { records: f.records, forged };
}

/** Collects a ledger's (or any source's) records into an array. */
export async function collect(source: AsyncIterable<StoredRecord>): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for await (const r of source) out.push(r);
  return out;
}

/** A signer that answers with another key's signatures (a "faulty" or impostor signer). */
export function impostor(publicKey: Uint8Array, signWith: Signer): Signer {
  return { publicKey, sign: (m) => signWith.sign(m) };
}

/** The encoding of the identity point: a small-order key that admission refuses. */
export const SMALL_ORDER_KEY: Uint8Array = (() => {
  const k = new Uint8Array(32);
  k[0] = 1;
  return k;
})();
