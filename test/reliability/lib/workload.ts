/**
 * A random but legal custody workload over the cast's ledger, for crash trials
 * and concurrency tests: registrations, transfers (with a legal basis),
 * accepts (re-hashed), rejects, cancels, examinations, derived copies,
 * disposals, fresh enrolments — plus, when asked, requests the custody rules
 * must refuse (wrong signer, transfer to self, unknown exhibit, …).
 *
 * Many requests may be in flight at once. An exhibit with a request in flight
 * is "busy" and gets no other request until it settles, so the outcome of each
 * legal request is known in advance (accepted) and that of each illegal one too
 * (refused with a known code). The workload tracks the custody state from the
 * outcomes; it never reads derived data back from the store.
 */
import { type Signer, signerFromSeed } from '../../../src/crypto/ed25519.js';
import { sha256 } from '../../../src/crypto/sha256.js';
import { CustodyError } from '../../../src/errors.js';
import { exhibitIdFromBytes } from '../../../src/format/ids.js';
import type { Draft } from '../../../src/ledger/draft.js';
import type { Appended, Ledger } from '../../../src/ledger/ledger.js';
import { ACTORS, AUTHORITY, byId, type Member } from './cast.js';
import type { Prng } from './prng.js';

interface Tracked {
  id: string;
  holder: string;
  status: 'held' | 'in-transit' | 'disposed';
  pending?: { from: string; to: string };
  sha256: Uint8Array;
}

export type Outcome =
  | { ok: true; kind: Draft['kind']; appended: Appended }
  | { ok: false; kind: Draft['kind']; code: string; expected: string | undefined; error: unknown };

interface Planned {
  draft: Draft;
  signer: Signer;
  /** The refusal code the rules must give, or undefined for a legal request. */
  refusal?: string;
  busy: string[];
  after?: (a: Appended) => void;
}

const HOLDERS = Object.values(ACTORS).filter((a) =>
  a.roles.some((r) => r === 'collector' || r === 'custodian' || r === 'examiner' || r === 'court'),
);
/** A well-formed exhibit id that no registration uses. */
export const UNKNOWN_EXHIBIT = exhibitIdFromBytes(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]));
const can = (m: Member | undefined, ...roles: string[]) => !!m && m.roles.some((r) => roles.includes(r));

export class Workload {
  readonly #ledger: Ledger;
  readonly #prng: Prng;
  readonly #exhibits = new Map<string, Tracked>();
  readonly #busy = new Set<string>();
  #enrolled = 0;
  /** Probability of a request the rules must refuse. */
  illegal = 0;

  constructor(ledger: Ledger, prng: Prng) {
    this.#ledger = ledger;
    this.#prng = prng;
  }

  /** Loads the exhibits already in the ledger (the writer re-opens a ledger between crashes). */
  async load(): Promise<void> {
    for (const x of await this.#ledger.exhibits()) {
      const t: Tracked = { id: x.id, holder: x.holder, status: x.status, sha256: x.digests.sha256 };
      if (x.pending) t.pending = { from: x.pending.from, to: x.pending.to };
      this.#exhibits.set(x.id, t);
    }
  }

  /** Starts one request; the promise never rejects. */
  next(): Promise<Outcome> {
    const plan = this.illegal > 0 && this.#prng.chance(this.illegal) ? this.#illegal() : this.#legal();
    for (const id of plan.busy) this.#busy.add(id);
    return this.#ledger.append(plan.draft, plan.signer).then(
      (appended): Outcome => {
        plan.after?.(appended);
        for (const id of plan.busy) this.#busy.delete(id);
        return { ok: true, kind: plan.draft.kind, appended };
      },
      (error: unknown): Outcome => {
        for (const id of plan.busy) this.#busy.delete(id);
        const code = error instanceof CustodyError ? error.code : 'NOT_A_CUSTODY_ERROR';
        return { ok: false, kind: plan.draft.kind, code, expected: plan.refusal, error };
      },
    );
  }

  #free(filter: (t: Tracked) => boolean): Tracked | undefined {
    const free = [...this.#exhibits.values()].filter((t) => !this.#busy.has(t.id) && filter(t));
    return free.length > 0 ? this.#prng.pick(free) : undefined;
  }

  #register(parent?: Tracked, examiner?: Member): Planned {
    const content = this.#prng.bytes(16);
    const digest = sha256(content);
    const signer = parent ? examiner! : ACTORS.collector;
    const n = this.#prng.int(1, 99_999);
    const body: Extract<Draft, { kind: 'register' }>['body'] = {
      label: parent ? `COPY-${n}` : `HDD-${n}`,
      caseRef: 'NL-2026-0042',
      description: parent ? 'Working copy for examination' : 'Seized disk image',
      digests: { sha256: digest },
      size: content.length,
    };
    if (parent) body.parent = parent.id;
    return {
      draft: { kind: 'register', body },
      signer: signer.signer,
      busy: parent ? [parent.id] : [],
      after: (a) => {
        this.#exhibits.set(a.exhibit!, { id: a.exhibit!, holder: signer.id, status: 'held', sha256: digest });
      },
    };
  }

  #legal(): Planned {
    const p = this.#prng;
    if (p.chance(0.02)) return this.#enrol();
    const x = p.chance(0.15) ? undefined : this.#free((t) => t.status !== 'disposed');
    if (!x) return this.#register();
    const holder = byId.get(x.holder);
    if (x.status === 'in-transit') {
      const { from, to } = x.pending!;
      const roll = p.next();
      const body = { exhibit: x.id, reason: 'not expected' };
      if (roll < 0.7) {
        const accept: Draft = {
          kind: 'accept',
          body: { exhibit: x.id, digests: { sha256: x.sha256 }, seal: 'intact' },
        };
        return this.#step(x, accept, to, () => {
          x.holder = to;
          x.status = 'held';
          delete x.pending;
        });
      }
      const cancel = roll < 0.85;
      return this.#step(x, { kind: cancel ? 'cancel' : 'reject', body }, cancel ? from : to, () => {
        x.status = 'held';
        delete x.pending;
      });
    }
    const roll = p.next();
    if (roll < 0.12 && can(holder, 'examiner'))
      return this.#step(
        x,
        { kind: 'examine', body: { exhibit: x.id, action: 'imaged and indexed' } },
        x.holder,
      );
    if (roll < 0.2 && can(holder, 'examiner')) return this.#register(x, holder);
    if (roll < 0.23 && can(holder, 'custodian', 'court'))
      return this.#step(
        x,
        { kind: 'dispose', body: { exhibit: x.id, method: 'archived', reason: 'case closed' } },
        x.holder,
        () => {
          x.status = 'disposed';
        },
      );
    const to = p.pick(HOLDERS.filter((h) => h.id !== x.holder));
    const transfer: Draft = {
      kind: 'transfer',
      body: { exhibit: x.id, to: to.id, reason: 'for examination', legalBasis: 'EIO DE-2026-0042' },
    };
    return this.#step(x, transfer, x.holder, () => {
      x.status = 'in-transit';
      x.pending = { from: x.holder, to: to.id };
    });
  }

  #step(x: Tracked, draft: Draft, signer: string, after?: () => void): Planned {
    const plan: Planned = { draft, signer: byId.get(signer)!.signer, busy: [x.id] };
    if (after) plan.after = after;
    return plan;
  }

  #enrol(): Planned {
    this.#enrolled++;
    const signer = signerFromSeed(this.#prng.bytes(32));
    return {
      draft: {
        kind: 'enrol',
        body: {
          publicKey: signer.publicKey,
          name: `Temporary examiner ${this.#enrolled}`,
          roles: ['examiner'],
          jurisdiction: 'BE',
          org: 'NICC',
        },
      },
      signer: AUTHORITY.signer,
      busy: [],
    };
  }

  /** A request the custody rules must refuse, with the code they must give. */
  #illegal(): Planned {
    const p = this.#prng;
    const held = this.#free((t) => t.status === 'held');
    const roll = p.next();
    if (held && roll < 0.3) {
      const other = p.pick(HOLDERS.filter((h) => h.id !== held.holder));
      const to = p.pick(HOLDERS.filter((h) => h.id !== other.id));
      const plan = this.#step(
        held,
        { kind: 'transfer', body: { exhibit: held.id, to: to.id, reason: 'theft', legalBasis: 'none' } },
        other.id,
      );
      return { ...plan, refusal: 'NOT_HOLDER' };
    }
    if (held && roll < 0.45) {
      const plan = this.#step(
        held,
        { kind: 'transfer', body: { exhibit: held.id, to: held.holder, reason: 'loop', legalBasis: 'x' } },
        held.holder,
      );
      return { ...plan, refusal: 'TRANSFER_TO_SELF' };
    }
    if (held && roll < 0.6) {
      const plan = this.#step(held, { kind: 'accept', body: { exhibit: held.id } }, held.holder);
      return { ...plan, refusal: 'NOT_IN_TRANSIT' };
    }
    if (roll < 0.75) {
      const signer = signerFromSeed(p.bytes(32));
      return {
        draft: {
          kind: 'enrol',
          body: {
            publicKey: signer.publicKey,
            name: 'Sock puppet',
            roles: ['court'],
            jurisdiction: 'NL',
            org: 'x',
          },
        },
        signer: ACTORS.collector.signer,
        refusal: 'NOT_AUTHORITY',
        busy: [],
      };
    }
    if (roll < 0.9)
      return {
        draft: {
          kind: 'register',
          body: {
            label: 'NO-ROLE',
            caseRef: 'NL-2026-0042',
            description: 'registered by someone without the collector role',
            digests: { sha256: sha256(p.bytes(8)) },
            size: 8,
          },
        },
        signer: ACTORS.frCourt.signer,
        refusal: 'ROLE_REQUIRED',
        busy: [],
      };
    return {
      draft: { kind: 'examine', body: { exhibit: UNKNOWN_EXHIBIT, action: 'look' } },
      signer: ACTORS.nlExaminer.signer,
      refusal: 'EXHIBIT_UNKNOWN',
      busy: [],
    };
  }
}
