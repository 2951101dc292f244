/**
 * A ledger server as a witness of peer logs (C2SP tlog-witness;
 * docs/SERVER.md §Witnessing other logs): its answers to add-checkpoint
 * (../checkpoint/tlog-witness.ts), and what it cosigned for monitors. Its
 * state is kept in the ledger's own store, one record per witnessed origin.
 * Requests are answered one at a time and the new state is stored before the
 * answer: the check of the old size and the write are one step
 * (compare-and-set), as the spec requires.
 */
import {
  type AddCheckpointAnswer,
  answerAddCheckpoint,
  decodeCosignedState,
  encodeCosignedState,
  requestOrigin,
  type WitnessConfig,
} from '../checkpoint/tlog-witness.js';
import type { LogStore } from '../store/log-store.js';

export class WitnessRole {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: LogStore,
    private readonly config: WitnessConfig,
  ) {}

  addCheckpoint(body: string): Promise<AddCheckpointAnswer> {
    const next = this.#queue.then(async (): Promise<AddCheckpointAnswer> => {
      const origin = requestOrigin(body);
      const stored = origin === undefined ? undefined : await this.store.witnessState(origin);
      const state = stored && decodeCosignedState(stored);
      const answer = answerAddCheckpoint(this.config, body, state, Math.floor(Date.now() / 1000));
      if (answer.status === 200)
        await this.store.putWitnessState(answer.origin, encodeCosignedState(answer.state));
      return answer;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** The latest checkpoint cosigned for `origin`, with the cosignature (for monitors). */
  async witnessed(origin: string): Promise<string | undefined> {
    const stored = await this.store.witnessState(origin);
    return stored && decodeCosignedState(stored).note;
  }

  /** The origins this server witnesses. */
  get origins(): string[] {
    return [...this.config.logs.keys()];
  }
}
