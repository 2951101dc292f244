/**
 * Who may read the cleartext of an entry on a ledger server (docs/SERVER.md
 * §Need to know; Directive (EU) 2016/680 Art. 20, data protection by design).
 *
 * Statements (kinds, labels, case references, digests, key ids, commitments)
 * are readable by every authenticated reader, as any auditor of the log reads
 * them. The cleartext of committed fields (descriptions, locations, names,
 * reasons: the openings) follows need to know:
 *   - of a chain or annotation statement about an exhibit: only actors of that
 *     exhibit's case, that is actors who signed a statement about one of the
 *     case's exhibits or to whom one was transferred (a court that received
 *     an exhibit reads its case), and actors a registrar assigned to the case
 *     (the server's configuration);
 *   - of a ledger statement (enrolments, revocations: the names of colleagues):
 *     every actor, never an auditor or peer;
 *   - never, for an auditor or peer credential.
 * Pure over a LedgerView; the server keeps one and feeds it as the log grows.
 */
import { toHex } from '../bytes.js';
import { decodeForeign } from '../format/foreign.js';
import { KEY_PURPOSES, keyIdOf } from '../format/key-id.js';
import { decodeSignedStatement, type Ref } from '../format/statement.js';
import type { LedgerView, LoggedStatement } from './ledger-view.js';

const refId = (r: Ref | undefined): Uint8Array | undefined => (r instanceof Uint8Array ? r : r?.id);

export class NeedToKnow {
  /** caseRef -> hex key ids of the actors who acted in it. */
  readonly #actors = new Map<string, Set<string>>();
  /** hex exhibit id -> caseRef. */
  readonly #caseOf = new Map<string, string>();
  #scanned = 0;
  #scanning: Promise<unknown> = Promise.resolve();

  /** `assignments`: caseRef -> hex statement key ids a registrar assigned to it. */
  /** `viewNow`: a consistent view of the ledger as it is now (a snapshot, on a server). */
  constructor(
    private readonly viewNow: () => Promise<LedgerView>,
    private readonly assignments: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
  ) {}

  /** Reads the entries appended since the last call into the case index. */
  async #catchUp(view: LedgerView): Promise<void> {
    const size = await view.head().then(
      (h) => h.size,
      () => 0,
    );
    for (; this.#scanned < size; this.#scanned++) {
      const e = await view.entryAt(this.#scanned);
      if ('statement' in e) this.#index(e);
    }
  }

  #index(e: LoggedStatement): void {
    const s = e.statement;
    if (s.class === 'ledger') return;
    const own = toHex(e.id);
    const exhibit =
      s.kind === 'register'
        ? own
        : (() => {
            const id = refId(s.exhibit);
            return id && toHex(id);
          })();
    if (exhibit === undefined) return;
    if (s.kind === 'register' && typeof s.body['caseRef'] === 'string')
      this.#caseOf.set(own, s.body['caseRef']);
    // A hand-over from a peer ledger brings its exhibit's case with the registration it carries.
    const carried =
      e.foreign && s.kind === 'transfer' ? decodeForeign(e.foreign.payload).registration : undefined;
    if (carried) {
      const caseRef = decodeSignedStatement(carried).statement.body['caseRef'];
      if (typeof caseRef === 'string') this.#caseOf.set(exhibit, caseRef);
    }
    const caseRef = this.#caseOf.get(exhibit);
    if (caseRef === undefined) return;
    const actors = this.#actors.get(caseRef) ?? new Set<string>();
    this.#actors.set(caseRef, actors);
    actors.add(toHex(keyIdOf(s.signer.key, KEY_PURPOSES.statement)));
    const to = s.body['to'];
    if (s.kind === 'transfer' && to instanceof Uint8Array) actors.add(toHex(to));
    // Imported, the hand-over names its receiver here as [this origin, key id].
    if (e.foreign && s.kind === 'transfer' && Array.isArray(to) && to[1] instanceof Uint8Array)
      actors.add(toHex(to[1]));
  }

  /**
   * What an entry's cleartext belongs to: nothing (a log record has none), the
   * ledger (a ledger statement), or the case of the exhibit it concerns
   * (caseRef undefined when the case is not known here: then nobody reads it).
   */
  async #ownerOf(
    view: LedgerView,
    index: number,
  ): Promise<{ of: 'none' } | { of: 'ledger' } | { of: 'case'; caseRef?: string }> {
    const e = await view.entryAt(index);
    // A log record, or a peer's statement carried here, has no cleartext in this ledger.
    if (!('statement' in e) || e.foreign) return { of: 'none' };
    if (e.statement.class === 'ledger') return { of: 'ledger' };
    const id = e.statement.kind === 'register' ? e.id : refId(e.statement.exhibit);
    const caseRef = id && this.#caseOf.get(toHex(id));
    return caseRef === undefined ? { of: 'case' } : { of: 'case', caseRef };
  }

  /**
   * Undefined when `actor` (hex statement key id; undefined for an auditor or
   * peer) may read the cleartext of every entry in `indexes`; else the first
   * entry it may not, with the case that entry belongs to.
   */
  async refused(
    actor: string | undefined,
    indexes: readonly number[],
  ): Promise<{ index: number; caseRef?: string } | undefined> {
    const view = await this.viewNow();
    // One catch-up at a time: two interleaved could leave an entry unindexed while a later
    // call believes it is scanned.
    const run = this.#scanning.then(() => this.#catchUp(view));
    this.#scanning = run.catch(() => undefined);
    await run;
    for (const index of indexes) {
      if (index >= this.#scanned) continue; // nothing there to reveal
      const o = await this.#ownerOf(view, index);
      if (o.of === 'none') continue;
      if (o.of === 'ledger') {
        if (actor === undefined) return { index };
        continue;
      }
      if (o.caseRef === undefined) return { index };
      const c = o.caseRef;
      if (actor === undefined || (!this.#actors.get(c)?.has(actor) && !this.assignments.get(c)?.has(actor)))
        return { index, caseRef: c };
    }
    return undefined;
  }
}
