/**
 * A ledger server as a witness, or an auditor, of peer logs (C2SP
 * tlog-witness; docs/SERVER.md §Witnessing other logs, docs/FEDERATION.md
 * §Peers witness and audit each other): its answers to add-checkpoint
 * (../checkpoint/tlog-witness.ts), what it cosigned for monitors, and the
 * split views it was shown. Its state is kept in the ledger's own store, one
 * record per witnessed origin. Requests are answered one at a time and the
 * new state is stored before the answer: the check of the old size and the
 * write are one step (compare-and-set), as the spec requires.
 *
 * An auditor is the same protocol with one more condition before it
 * cosigns (`vouch`: the replay of the log up to the checkpoint,
 * ../audit/audit-checkpoint.ts), under its own name, key and state.
 */
import { decodeSplitView, encodeSplitView, type SplitView } from '../checkpoint/split-view.js';
import {
  type AddCheckpointAnswer,
  answerAddCheckpoint,
  decodeCosignedState,
  encodeCosignedState,
  requestOrigin,
  type WitnessConfig,
} from '../checkpoint/tlog-witness.js';
import type { LogStore } from '../store/log-store.js';

/** Why an auditor will not vouch for a checkpoint (one line), or undefined when it will. */
export type Vouch = (origin: string, note: string) => Promise<string | undefined>;

export interface RoleOptions {
  /**
   * Keys the role's records apart from another role's in the same store. A
   * newline never occurs in an origin (it is a note's first line), so
   * "<role>\n<origin>" cannot meet a plain origin.
   */
  role: 'witness' | 'audit';
  vouch?: Vouch;
  /** Told of each checkpoint cosigned (after its state is stored): the peer's tree to keep tiles of. */
  onCosigned?: (origin: string, size: number, root: Uint8Array) => void;
}

export class WitnessRole {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: LogStore,
    private readonly config: WitnessConfig,
    private readonly opts: RoleOptions = { role: 'witness' },
  ) {}

  /** The store key of the cosigned state (a witness's is the origin itself, as it always was). */
  #stateKey = (origin: string) => (this.opts.role === 'witness' ? origin : `${this.opts.role}\n${origin}`);
  #splitKey = (origin: string) => `${this.opts.role} split-view\n${origin}`;

  addCheckpoint(body: string): Promise<AddCheckpointAnswer> {
    const next = this.#queue.then(async (): Promise<AddCheckpointAnswer> => {
      const origin = requestOrigin(body);
      const stored = origin === undefined ? undefined : await this.store.witnessState(this.#stateKey(origin));
      const state = stored && decodeCosignedState(stored);
      const answer = answerAddCheckpoint(this.config, body, state, Math.floor(Date.now() / 1000));
      if (answer.status === 409 && answer.splitView) await this.#keepSplitView(answer.splitView);
      if (answer.status !== 200) return answer;
      const refused = await this.opts.vouch?.(answer.origin, answer.state.note);
      // tlog-witness has no status of its own for "the entries break the rules";
      // 422 ("will not cosign this checkpoint") with the reason is the closest.
      if (refused !== undefined)
        return { status: 422, body: `${refused}\n`, contentType: 'text/plain; charset=utf-8' };
      await this.store.putWitnessState(this.#stateKey(answer.origin), encodeCosignedState(answer.state));
      this.opts.onCosigned?.(answer.origin, answer.state.size, answer.state.root);
      return answer;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** The first split view of a log is kept for good: later ones add nothing a court needs. */
  async #keepSplitView(s: SplitView): Promise<void> {
    if ((await this.store.witnessState(this.#splitKey(s.origin))) === undefined)
      await this.store.putWitnessState(this.#splitKey(s.origin), encodeSplitView(s));
  }

  /** The latest checkpoint cosigned for `origin`, with the cosignature (for monitors). */
  async witnessed(origin: string): Promise<string | undefined> {
    const stored = await this.store.witnessState(this.#stateKey(origin));
    return stored && decodeCosignedState(stored).note;
  }

  /** The split view this role was shown for `origin`, if any (re-checked against the log key). */
  async splitView(origin: string): Promise<SplitView | undefined> {
    const log = this.config.logs.get(origin);
    const stored = log && (await this.store.witnessState(this.#splitKey(origin)));
    return stored && log && decodeSplitView(stored, log);
  }

  /** The origins whose split views this role holds. */
  async splitOrigins(): Promise<string[]> {
    const out: string[] = [];
    for (const o of this.origins)
      if ((await this.store.witnessState(this.#splitKey(o))) !== undefined) out.push(o);
    return out;
  }

  /** The origins this server witnesses (or audits). */
  get origins(): string[] {
    return [...this.config.logs.keys()];
  }

  get name(): string {
    return this.config.name;
  }
}
