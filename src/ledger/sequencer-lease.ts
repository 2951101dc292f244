/**
 * One sequencer at a time on a shared store (docs/SERVER.md §Standby and
 * takeover). Every server on the same database runs this loop: about once a
 * second it renews its lease (src/store/pg-lease.ts). The one that holds it
 * is the sequencer; the others are standbys (LedgerHost: reads answered,
 * appends refused with NOT_SEQUENCER). A standby that takes the lease
 * promotes its host, which re-reads the store and checks it against the
 * checkpoints known now (its own record outside the database, the newest
 * stored one, its witnesses') before it signs, or refuses to sign. A
 * sequencer that loses its lease (its session ended) stops at once.
 */
import type { SequencerLease } from '../store/pg-lease.js';
import type { LedgerHost } from './ledger-host.js';
import type { HeldCheckpoint } from './signing-guard.js';

export interface SequencerOptions {
  lease: SequencerLease;
  host: LedgerHost;
  /** Whether the lease was already held when the host was opened (then the host is the sequencer). */
  held: boolean;
  /** The checkpoints known at the moment of a takeover: this server's own record, its witnesses'. */
  known: () => Promise<{ lastSigned: string | undefined; elsewhere: readonly HeldCheckpoint[] }>;
  /** Milliseconds between renewals (default 1,000). */
  intervalMs?: number;
  /** Told of every change of role, with why. */
  onRole?: (role: 'sequencer' | 'standby', why: string) => void;
}

export const STANDBY_REASON =
  'this server is a standby: another server on the same database is the sequencer; send appends there (this one takes over when that one stops)';

export class SequencerRole {
  readonly #o: SequencerOptions;
  #held: boolean;
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #closed = false;

  constructor(o: SequencerOptions) {
    this.#o = o;
    this.#held = o.held;
  }

  start(): void {
    this.#schedule();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#tick = this.#renew().finally(() => {
        this.#tick = undefined;
        this.#schedule();
      });
    }, this.#o.intervalMs ?? 1_000);
    // The loop alone does not keep the process alive: the listening server does.
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    const { lease, host } = this.#o;
    const held = await lease.renew();
    // A database that went away (issue 30): the host says so (/healthz, LEDGER_UNAVAILABLE to
    // appends) rather than claim another server is the sequencer; cleared once it answers again.
    host.storeOutage(lease.unreachable);
    if (held && !this.#held) {
      this.#held = true;
      try {
        const k = await this.#o.known();
        await host.promote(k.lastSigned, k.elsewhere);
        this.#o.onRole?.('sequencer', host.refusal ?? 'took the lease');
      } catch (e) {
        // Not ready to sequence (the database failed under the takeover): let another try.
        this.#held = false;
        host.demote(STANDBY_REASON);
        await lease.release();
        this.#o.onRole?.('standby', e instanceof Error ? e.message : String(e));
      }
    } else if (!held && this.#held) {
      this.#held = false;
      host.demote(STANDBY_REASON);
      this.#o.onRole?.('standby', 'lost the lease (its database session ended)');
    } else if (!held) {
      await host.follow().catch(() => undefined);
    }
  }

  /** Stops the loop and gives the lease up (after the host has stopped appending). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#tick;
    await this.#o.lease.close();
  }
}
