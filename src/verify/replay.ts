/**
 * Replays a log record by record (pure, synchronous, never throws on data):
 * strict decoding, chain position, the custody rules from src/custody (the same
 * function the ledger applies on append), and the Merkle tree over the same
 * leaves. Signatures are not checked here: the replay emits a job per entry,
 * which the verifier checks in batches, possibly on other threads.
 */
import { equalBytes, toBase64 } from '../bytes.js';
import { evaluate } from '../custody/rules.js';
import { MemoryState } from '../custody/state.js';
import type { Payload } from '../format/events.js';
import { exhibitOf, exhibitsOf } from '../format/events.js';
import { keyId } from '../format/ids.js';
import { decodeRecord, RecordError, signedPrefix } from '../format/record.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import type { Anchor, Problem, Severity } from './report.js';

/**
 * A signature to check: the signed message is prefix ‖ payload. The parts are
 * views of the record; the verifier copies them into its batch at once, so
 * the record can be freed while the batch waits for a thread.
 */
export interface ReplayJob {
  seq: number;
  exhibit: string | null;
  prefix: Uint8Array;
  payload: Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array;
}

export const KEEP_PROBLEMS = 100_000;

/** Largest run of missing positions that is filled in to keep checking what follows. */
const MAX_GAP = 100_000;

export interface ReplayOptions {
  /** Authority public keys the caller trusts (pinned out of band). */
  trustedKeys?: readonly Uint8Array[];
}

export class Replayer {
  readonly state = new MemoryState();
  readonly frontier = MerkleFrontier.empty();
  readonly problems: Problem[] = [];
  anchor: Anchor | null = null;
  readonly #trusted: Set<string>;
  /** Exhibits the previous entry concerned (for #relink). */
  #lastExhibits: string[] = [];

  constructor(opts: ReplayOptions = {}) {
    this.#trusted = new Set((opts.trustedKeys ?? []).map((k) => toBase64(k)));
  }

  /** Problems beyond KEEP_PROBLEMS are counted, not kept: a forged log must not exhaust memory. */
  dropped = 0;

  problem(
    code: string,
    seq: number | null,
    exhibit: string | null,
    message: string,
    severity: Severity = 'error',
  ) {
    if (this.problems.length >= KEEP_PROBLEMS) this.dropped++;
    else this.problems.push({ code, severity, seq, exhibit, message });
  }

  /** Set when the source is beyond repair (a gap too large to fill); later records are ignored. */
  halted = false;
  /** For derivations: the entry concerns the copy and its parent (for scoping problems). */
  readonly derivations = new Map<number, string[]>();
  /** Per-exhibit link values replaced by #relink, mapped to the stored value they replaced. */
  readonly #aliases = new Map<string, Uint8Array>();

  /**
   * Feeds the record stored at position `position`. Returns the signature job
   * for it, or undefined if it cannot be checked (undecodable, unknown signer).
   */
  feed(position: number, bytes: Uint8Array): ReplayJob | undefined {
    if (this.halted) return undefined;
    if (position < this.state.size) {
      this.problem(
        'ENTRY_OUT_OF_ORDER',
        position,
        null,
        `a second record claims position ${position}; it was ignored`,
      );
      return undefined;
    }
    if (position > this.state.size) {
      this.problem(
        'ENTRY_MISSING',
        this.state.size,
        null,
        `entries ${this.state.size}..${position - 1} are missing`,
      );
      if (position - this.state.size > MAX_GAP) {
        this.halted = true;
        this.problem(
          'VERIFICATION_STOPPED',
          position,
          null,
          `the gap is too large to continue; nothing after entry ${this.state.size - 1} was checked`,
        );
        return undefined;
      }
      // Resynchronise so later entries are still checked against their links.
      while (this.state.size < position) this.#advance(new Uint8Array(32));
    }
    let rec: ReturnType<typeof decodeRecord>;
    try {
      rec = decodeRecord(bytes);
    } catch (e) {
      const code = e instanceof RecordError ? e.code : 'RECORD_MALFORMED';
      this.problem(code, position, null, `entry ${position} is not a valid record: ${(e as Error).message}`);
      this.#advance(hashLeaf(bytes));
      this.#lastExhibits = [];
      return undefined;
    }
    const p = rec.payload;
    const exhibit = exhibitOf(p) ?? null;
    const touched = exhibitsOf(p);
    if (touched.length > 1) this.derivations.set(position, touched);
    const signerKey = p.kind === 'genesis' ? p.body.publicKey : this.state.actor(p.actor)?.publicKey;
    const origin = p.kind === 'genesis' ? p.body.origin : this.state.origin;
    if (p.seq === this.state.size && p.kind !== 'genesis' && !equalBytes(p.prev, this.state.head))
      this.#relink(p, position, exhibit);
    this.#unalias(p);
    const verdict = evaluate(this.state, p, rec.leafHash);
    if (!verdict.ok) {
      this.problem(verdict.violation.code, position, exhibit, verdict.violation.message);
      // A refused entry changes nothing, not even the clock: a forged far-future
      // time must not make every later genuine entry look out of order.
      this.#advance(rec.leafHash);
    } else {
      this.#noteAnchor(p, position);
      this.state.apply(verdict.changes, rec.leafHash, p.time);
      this.frontier.append(rec.leafHash);
    }
    this.#lastExhibits = touched;
    if (!signerKey) return undefined;
    return {
      seq: position,
      exhibit,
      prefix: signedPrefix(origin),
      payload: rec.payloadBytes,
      signature: rec.signature,
      publicKey: signerKey,
    };
  }

  /**
   * The entry names a different predecessor than the one stored. Usually the
   * stored predecessor was altered: report it once, then continue from the
   * predecessor this entry vouches for, so one damaged entry yields one chain
   * problem instead of a cascade through every later event of its exhibits.
   * If instead this entry's own link was damaged, later events of those
   * exhibits still link to the stored value; #unalias accepts either.
   */
  #relink(p: Payload, position: number, exhibit: string | null) {
    this.problem(
      'CHAIN_BROKEN',
      position,
      exhibit,
      `entry ${position} does not link to entry ${position - 1} as stored: one of the two was altered, replaced or removed`,
    );
    const stored = this.state.head;
    for (const id of this.#lastExhibits) {
      const x = this.state.exhibits.get(id);
      if (x && equalBytes(x.lastHash, stored)) {
        this.state.exhibits.set(id, { ...x, lastHash: p.prev });
        this.#aliases.set(toBase64(p.prev), stored);
      }
    }
    this.state.head = p.prev;
  }

  /** Restores a relinked exhibit link when this entry links to the stored value instead. */
  #unalias(p: Payload) {
    if (this.#aliases.size === 0) return;
    const b = p.body as { exhibit?: string; after?: Uint8Array; parent?: string; parentAfter?: Uint8Array };
    for (const [id, link] of [
      [b.exhibit, b.after],
      [b.parent, b.parentAfter],
    ] as const) {
      if (!id || !link) continue;
      const x = this.state.exhibits.get(id);
      const original = x && this.#aliases.get(toBase64(x.lastHash));
      if (x && original && equalBytes(link, original))
        this.state.exhibits.set(id, { ...x, lastHash: original });
    }
  }

  /** Moves past an entry whose effects were refused, keeping positions and links aligned. */
  #advance(leafHash: Uint8Array) {
    this.state.apply({ actors: [], exhibits: [] }, leafHash, 0);
    this.frontier.append(leafHash);
  }

  #noteAnchor(p: Payload, seq: number) {
    if (this.anchor || this.#trusted.size === 0) return;
    if (p.kind === 'genesis' || p.kind === 'rotate') {
      const pk = toBase64(p.body.publicKey);
      if (this.#trusted.has(pk))
        this.anchor = {
          publicKey: pk,
          actor: keyId(p.body.publicKey),
          via: p.kind === 'genesis' ? 'genesis' : 'rotation',
          seq,
        };
    }
  }

  get trustRequested(): boolean {
    return this.#trusted.size > 0;
  }
}
