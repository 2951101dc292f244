/**
 * Appends that ask to be witnessed (docs/SERVER.md §Witnesses): each waits
 * until a checkpoint covering it carries the cosignatures of k of the log's
 * n witnesses, or answers WITNESS_QUORUM_TIMEOUT after waitMs (the entry
 * stays in the log). Told of every checkpoint as its cosignatures arrive.
 */
import type { NoteVerifier } from '../checkpoint/note.js';
import { verifyWithPolicy } from '../checkpoint/policy.js';
import { CustodyError } from '../errors.js';

type Checkpoint = { size: number; note: string };

interface Waiter {
  index: number;
  done: (cp: Checkpoint) => void;
}

export class QuorumWaiters {
  /** The newest checkpoint with the quorum. */
  #witnessed: Checkpoint | undefined;
  #waiters: Waiter[] = [];

  constructor(
    private readonly log: NoteVerifier,
    private readonly q: { witnesses: readonly NoteVerifier[]; k: number; waitMs: number },
  ) {}

  /** Takes the checkpoint of `size` as it now is (with the cosignatures attached so far). */
  check(size: number, note: string): void {
    if (this.#witnessed && this.#witnessed.size >= size) return;
    const { quorumMet } = verifyWithPolicy(note, {
      log: this.log,
      witnesses: this.q.witnesses,
      quorum: this.q.k,
    });
    if (!quorumMet) return;
    const cp = { size, note };
    this.#witnessed = cp;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.index < size) w.done(cp);
      else still.push(w);
    }
    this.#waiters = still;
  }

  /** A checkpoint covering entry `index` with the quorum, waited for up to waitMs. */
  covering(index: number): Promise<Checkpoint> {
    const q = this.q;
    if (this.#witnessed && this.#witnessed.size > index) return Promise.resolve(this.#witnessed);
    return new Promise((resolve, reject) => {
      const waiter = {
        index,
        done: (cp: Checkpoint) => {
          clearTimeout(timer);
          resolve(cp);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(
          new CustodyError(
            'WITNESS_QUORUM_TIMEOUT',
            `appended at entry ${index}, but no checkpoint covering it carries ${q.k} of ${q.witnesses.length} witness cosignatures after ${q.waitMs / 1000} s; the entry stays in the log`,
            'unavailable',
          ),
        );
      }, q.waitMs);
      this.#waiters.push(waiter);
    });
  }
}
