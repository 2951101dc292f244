/**
 * Submitting the log's checkpoints to its witnesses (C2SP tlog-witness,
 * §add-checkpoint; docs/SERVER.md §Witnesses), and attaching the
 * cosignatures they return to the stored checkpoint, which /checkpoint then
 * serves. Submissions are coalesced: at most one round per interval (about a
 * second by default), always of the latest checkpoint, so a busy log does not
 * flood its witnesses. A witness that cannot be reached, or refuses, never
 * holds up an append: it shows as down in /metrics and /healthz, and the next
 * round tries again.
 */

import { toBase64 } from '../../src/bytes.js';
import type { NoteVerifier } from '../../src/checkpoint/note.js';
import { TLOG_SIZE_CONTENT_TYPE } from '../../src/checkpoint/tlog-witness.js';
import type { LedgerHost } from '../../src/ledger/ledger-host.js';
import type { Metrics } from './metrics.js';

export interface WitnessTarget {
  /** The witness's submission prefix (add-checkpoint is POSTed under it). */
  url: string;
  /** Its cosigner verifier (from its vkey). */
  verifier: NoteVerifier;
}

/** Milliseconds before a witness that missed a round is tried again. */
const RETRY_MS = 5_000;

/** Milliseconds one submission may take. */
const TIMEOUT_MS = 10_000;

export class WitnessSubmitter {
  /** Per witness URL: the size of the latest checkpoint it cosigned for us, as far as we know. */
  readonly #known = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: LedgerHost,
    private readonly targets: readonly WitnessTarget[],
    private readonly intervalMs: number,
    private readonly metrics: Metrics,
  ) {}

  /** A new checkpoint was signed: submit it in the next round. */
  notify(): void {
    if (this.#closed || this.targets.length === 0) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#round().finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.notify();
        }
      });
    }, this.intervalMs);
  }

  async #round(): Promise<void> {
    const latest = this.host.latest;
    if (!latest) return;
    await Promise.all(this.targets.map((t) => this.#submit(t, latest.size, latest.note)));
    // A witness that missed this round gets the checkpoint again later, even if the log is quiet.
    if (!this.#closed && this.targets.some((t) => this.metrics.witnesses.get(t.verifier.name)?.up === false))
      this.#retry ??= setTimeout(() => {
        this.#retry = undefined;
        this.notify();
      }, RETRY_MS);
  }

  async #submit(t: WitnessTarget, size: number, note: string): Promise<void> {
    const name = t.verifier.name;
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const old = this.#known.get(t.url) ?? 0;
        if (old > size) return;
        const proof = old === 0 || old === size ? [] : await this.host.consistencyProof(old, size);
        const body = `old ${old}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${note}`;
        const res = await fetch(new URL('add-checkpoint', t.url.endsWith('/') ? t.url : `${t.url}/`), {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        const text = await res.text();
        if (res.status === 409 && res.headers.get('content-type')?.startsWith(TLOG_SIZE_CONTENT_TYPE)) {
          // The witness knows a newer size than we thought: prove from there.
          const m = /^(0|[1-9][0-9]{0,15})\n$/.exec(text);
          if (!m) break;
          this.#known.set(t.url, Number(m[1]));
          continue;
        }
        if (res.status !== 200) break;
        let attached = 0;
        for (const line of text.split('\n').filter((l) => l !== '')) {
          try {
            await this.host.attachCosignature(size, line, t.verifier);
            attached++;
          } catch {
            // A line by an unknown key, or not over this checkpoint: ignored (tlog-witness: the
            // client MUST ignore cosignatures from unknown keys).
          }
        }
        if (attached === 0) break;
        this.#known.set(t.url, size);
        this.metrics.witnesses.set(name, { up: true, at: Math.floor(Date.now() / 1000) });
        return;
      }
    } catch {
      // unreachable or timed out: down, below
    }
    this.metrics.witnesses.set(name, { up: false, at: Math.floor(Date.now() / 1000) });
  }

  /** Stops scheduling rounds and waits for the one in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#retry) clearTimeout(this.#retry);
    await this.#running;
  }
}
