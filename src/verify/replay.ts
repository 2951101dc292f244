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
import { exhibitOf } from '../format/events.js';
import { keyId } from '../format/ids.js';
import { decodeRecord, RecordError, signedMessage } from '../format/record.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashLeaf } from '../merkle/hash.js';
import type { Anchor, Problem, Severity } from './report.js';
import type { SignatureJob } from './signatures.js';

export interface ReplayJob extends SignatureJob {
  seq: number;
  exhibit: string | null;
}

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
  /** Seq of every payload seen, for callers that index (e.g. bundles). */
  lastPayload: Payload | undefined;

  constructor(opts: ReplayOptions = {}) {
    this.#trusted = new Set((opts.trustedKeys ?? []).map((k) => toBase64(k)));
  }

  problem(
    code: string,
    seq: number | null,
    exhibit: string | null,
    message: string,
    severity: Severity = 'error',
  ) {
    this.problems.push({ code, severity, seq, exhibit, message });
  }

  /**
   * Feeds the record stored at position `position`. Returns the signature job
   * for it, or undefined if it cannot be checked (undecodable, unknown signer).
   */
  feed(position: number, bytes: Uint8Array): ReplayJob | undefined {
    this.lastPayload = undefined;
    if (position !== this.state.size) {
      // The store skipped positions: entries are missing.
      this.problem(
        'ENTRY_MISSING',
        this.state.size,
        null,
        `entries ${this.state.size}..${position - 1} are missing`,
      );
      // Resynchronise so later entries are still checked against their links.
      while (this.state.size < position) this.#advance(new Uint8Array(32), 0);
    }
    let rec: ReturnType<typeof decodeRecord>;
    try {
      rec = decodeRecord(bytes);
    } catch (e) {
      const code = e instanceof RecordError ? e.code : 'RECORD_MALFORMED';
      this.problem(code, position, null, `entry ${position} is not a valid record: ${(e as Error).message}`);
      this.#advance(hashLeaf(bytes), 0);
      this.#lastExhibits = [];
      return undefined;
    }
    const p = rec.payload;
    this.lastPayload = p;
    const exhibit = exhibitOf(p) ?? null;
    const touched = exhibit
      ? [exhibit, ...(p.kind === 'register' && p.body.parent ? [p.body.parent] : [])]
      : [];
    const signerKey = p.kind === 'genesis' ? p.body.publicKey : this.state.actor(p.actor)?.publicKey;
    const origin = p.kind === 'genesis' ? p.body.origin : this.state.origin;
    if (p.seq === this.state.size && p.kind !== 'genesis' && !equalBytes(p.prev, this.state.head))
      this.#relink(p, position, exhibit);
    const verdict = evaluate(this.state, p, rec.leafHash);
    if (!verdict.ok) {
      this.problem(verdict.violation.code, position, exhibit, verdict.violation.message);
      this.#advance(rec.leafHash, p.time);
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
      message: signedMessage(origin, rec.payloadBytes),
      signature: rec.signature,
      publicKey: signerKey,
    };
  }

  /**
   * The entry names a different predecessor than the one stored: the stored
   * predecessor was altered or replaced. Report it once, then continue from the
   * predecessor this entry vouches for, so one damaged entry yields one chain
   * problem instead of a cascade through every later event of its exhibits.
   */
  #relink(p: Payload, position: number, exhibit: string | null) {
    this.problem(
      'CHAIN_BROKEN',
      position,
      exhibit,
      `entry ${position} does not link to entry ${position - 1} as stored: entry ${position - 1} was altered, replaced or removed`,
    );
    const stored = this.state.head;
    for (const id of this.#lastExhibits) {
      const x = this.state.exhibits.get(id);
      if (x && equalBytes(x.lastHash, stored)) this.state.exhibits.set(id, { ...x, lastHash: p.prev });
    }
    this.state.head = p.prev;
  }

  /** Moves past an entry whose effects were refused, keeping positions and links aligned. */
  #advance(leafHash: Uint8Array, time: number) {
    this.state.apply({ actors: [], exhibits: [] }, leafHash, time);
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
