/**
 * A random but legal custody workload over the cast's ledger, for crash trials
 * and concurrency tests: registrations, transfers (with a legal basis),
 * accepts (with the registered digest), rejects, cancels, examinations,
 * derived copies, disposals, fresh enrolments — plus, when asked, statements
 * the custody rules must refuse (a stranger hands over, a transfer to oneself,
 * an accept with nothing pending, an enrolment by a collector, a registration
 * by a court, an unknown exhibit, a broken signature).
 *
 * Many statements may be in flight at once. An exhibit with a statement in
 * flight is "busy" and gets no other until it settles (each chain statement
 * names the exhibit's previous one in `after`), and so is the ledger chain
 * while a governance statement is in flight: the outcome of each legal
 * statement is known in advance (accepted), and that of each illegal one too
 * (refused with a known code). The workload tracks the custody state from the
 * outcomes; it reads the store only in load(), to pick up a reopened ledger.
 */
import { toHex } from '../../../src/bytes.js';
import { type Signer, signerFromSeed } from '../../../src/crypto/ed25519.js';
import { sha256 } from '../../../src/crypto/sha256.js';
import type { ExhibitRecord, ExhibitState } from '../../../src/custody/records.js';
import { CustodyError } from '../../../src/errors.js';
import type { Canonical } from '../../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../../src/format/key-id.js';
import type { Composed } from '../../../src/ledger/compose.js';
import { LedgerView } from '../../../src/ledger/ledger-view.js';
import type { LogLedger, Submitted } from '../../../src/ledger/log-ledger.js';
import { ACTORS, AUTHORITY, byHex, type CastLedger, digestOf, type Member, seenNow, sign } from './cast.js';
import type { Prng } from './prng.js';

interface Tracked {
  id: Uint8Array;
  hex: string;
  /** Identity of the exhibit's last chain statement. */
  head: Uint8Array;
  holder: Member;
  state: ExhibitState;
  to?: Member;
  sha256: Uint8Array;
}

export type Outcome =
  | { ok: true; kind: string; id: Uint8Array; exhibits: Uint8Array[]; submitted: Submitted }
  | {
      ok: false;
      kind: string;
      id: Uint8Array;
      exhibits: Uint8Array[];
      code: string;
      expected: string | undefined;
      error: unknown;
    };

interface Planned {
  kind: string;
  composed: Composed;
  /** The refusal code the rules must give, or undefined for a legal statement. */
  refusal?: string;
  busy: string[];
  /** Exhibits whose history the statement joins (a derived copy: the copy and its parent). */
  exhibits?: Uint8Array[];
  after?: (s: Submitted) => void;
}

const LEDGER = 'ledger';
const HOLDERS = Object.values(ACTORS).filter((a) =>
  a.roles.some((r) => r === 'collector' || r === 'custodian' || r === 'examiner' || r === 'court'),
);
const can = (m: Member, ...roles: string[]) => m.roles.some((r) => roles.includes(r));

export class Workload {
  readonly #ledger: LogLedger;
  readonly #prng: Prng;
  readonly #exhibits = new Map<string, Tracked>();
  readonly #busy = new Set<string>();
  #ledgerHead: Uint8Array;
  #enrolled = 0;
  /** Probability of a statement the rules must refuse. */
  illegal = 0;

  constructor(cast: CastLedger, prng: Prng) {
    this.#ledger = cast.ledger;
    this.#ledgerHead = cast.ledgerHead;
    this.#prng = prng;
  }

  /** Loads the exhibits and the ledger chain's head from the store (the writer reopens between crashes). */
  async load(): Promise<void> {
    const view = new LedgerView(this.#ledger.store);
    this.#ledgerHead = (await view.ledger()).head;
    for (const { id, record: r } of await view.exhibits()) this.#track(id, r);
  }

  #track(id: Uint8Array, r: ExhibitRecord): void {
    const holder = byHex.get(toHex(r.holder));
    if (!holder) throw new Error(`workload: exhibit ${toHex(id)} is held by a key outside the cast`);
    const t: Tracked = { id, hex: toHex(id), head: r.head, holder, state: r.state, sha256: r.sha256 };
    if (r.to) {
      const to = byHex.get(toHex(r.to));
      if (!to) throw new Error('workload: a hand-over to a key outside the cast');
      t.to = to;
    }
    this.#exhibits.set(t.hex, t);
  }

  /** Every exhibit the workload knows of. */
  exhibitIds(): Uint8Array[] {
    return [...this.#exhibits.values()].map((t) => t.id);
  }

  /** Starts one statement; the promise never rejects. */
  next(): Promise<Outcome> {
    const plan = this.illegal > 0 && this.#prng.chance(this.illegal) ? this.#illegal() : this.#legal();
    for (const b of plan.busy) this.#busy.add(b);
    const release = () => {
      for (const b of plan.busy) this.#busy.delete(b);
    };
    const c = plan.composed;
    return this.#ledger.submit(c.bytes, c.openingBytes).then(
      (submitted): Outcome => {
        plan.after?.(submitted);
        release();
        return { ok: true, kind: plan.kind, id: c.id, exhibits: plan.exhibits ?? [], submitted };
      },
      (error: unknown): Outcome => {
        release();
        const code = error instanceof CustodyError ? error.code : 'NOT_A_CUSTODY_ERROR';
        const exhibits = plan.exhibits ?? [];
        return { ok: false, kind: plan.kind, id: c.id, exhibits, code, expected: plan.refusal, error };
      },
    );
  }

  #free(filter: (t: Tracked) => boolean): Tracked | undefined {
    const free = [...this.#exhibits.values()].filter((t) => !this.#busy.has(t.hex) && filter(t));
    return free.length > 0 ? this.#prng.pick(free) : undefined;
  }

  #register(parent?: Tracked): Planned {
    const content = this.#prng.bytes(16);
    const digests = digestOf(content);
    const signer = parent ? parent.holder : ACTORS.collector;
    const n = this.#prng.int(1, 99_999);
    const composed = sign({
      kind: 'register',
      signer: signer.signer,
      fields: {
        label: parent ? `COPY-${n}` : `HDD-${n}`,
        caseRef: 'NL-2026-0042',
        description: parent ? 'Working copy for examination' : 'Seized disk image',
        digests,
        size: content.length,
      },
      ...(parent ? { exhibit: parent.id, after: parent.head } : {}),
    });
    return {
      kind: 'register',
      composed,
      busy: parent ? [parent.hex] : [],
      exhibits: parent ? [composed.id, parent.id] : [composed.id],
      after: () => {
        if (parent) parent.head = composed.id;
        const hex = toHex(composed.id);
        this.#exhibits.set(hex, {
          id: composed.id,
          hex,
          head: composed.id,
          holder: signer,
          state: 'held',
          sha256: digests.sha256,
        });
      },
    };
  }

  /** A chain statement on `x` by `by`; `after` updates the tracked state once it is accepted. */
  #step(
    x: Tracked,
    kind: string,
    by: Member,
    fields: Record<string, Canonical | undefined>,
    after?: () => void,
  ): Planned {
    const composed = sign({ kind, signer: by.signer, fields, exhibit: x.id, after: x.head });
    return {
      kind,
      composed,
      busy: [x.hex],
      exhibits: [x.id],
      after: () => {
        x.head = composed.id;
        after?.();
      },
    };
  }

  #legal(): Planned {
    const p = this.#prng;
    if (p.chance(0.02) && !this.#busy.has(LEDGER)) return this.#enrol();
    const x = p.chance(0.15) ? undefined : this.#free((t) => t.state !== 'disposed');
    if (!x) return this.#register();
    if (x.state === 'pending') {
      const to = x.to!;
      const roll = p.next();
      if (roll < 0.7)
        return this.#step(x, 'accept', to, { digests: { sha256: x.sha256 }, seal: 'intact' }, () => {
          x.holder = to;
          x.state = 'held';
          delete x.to;
        });
      const cancel = roll < 0.85;
      return this.#step(
        x,
        cancel ? 'cancel' : 'reject',
        cancel ? x.holder : to,
        { reason: 'not expected' },
        () => {
          x.state = 'held';
          delete x.to;
        },
      );
    }
    const roll = p.next();
    if (roll < 0.12 && can(x.holder, 'examiner'))
      return this.#step(x, 'examine', x.holder, { action: 'imaged and indexed', tool: 'X-Ways 21' });
    if (roll < 0.2 && can(x.holder, 'examiner')) return this.#register(x);
    if (roll < 0.23 && can(x.holder, 'custodian', 'court'))
      return this.#step(x, 'dispose', x.holder, { method: 'archived', reason: 'case closed' }, () => {
        x.state = 'disposed';
      });
    const to = p.pick(HOLDERS.filter((h) => h.hex !== x.holder.hex));
    return this.#step(
      x,
      'transfer',
      x.holder,
      { to: to.id, reason: 'for examination', legalBasis: 'EIO DE-2026-0042' },
      () => {
        x.state = 'pending';
        x.to = to;
      },
    );
  }

  /** An enrolment; `by` other than the authority makes it one the rules refuse. */
  #enrol(by: Signer = AUTHORITY.signer): Planned {
    this.#enrolled++;
    const key = signerFromSeed(this.#prng.bytes(32));
    const composed = sign({
      kind: 'enrol',
      signer: by,
      fields: {
        key: [KEY_TYPES.ed25519, key.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles: ['examiner'],
        jurisdiction: 'BE',
        name: `Temporary examiner ${this.#enrolled}`,
        org: 'NICC',
      },
      after: this.#ledgerHead,
      seen: seenNow(this.#ledger),
    });
    return {
      kind: 'enrol',
      composed,
      busy: [LEDGER],
      after: () => {
        this.#ledgerHead = composed.id;
      },
    };
  }

  /** A statement the custody rules must refuse, with the code they must give. */
  #illegal(): Planned {
    const p = this.#prng;
    const held = this.#free((t) => t.state === 'held');
    const roll = p.next();
    if (held && roll < 0.25) {
      const other = p.pick(HOLDERS.filter((h) => h.hex !== held.holder.hex));
      const to = p.pick(HOLDERS.filter((h) => h.hex !== other.hex));
      const plan = this.#step(held, 'transfer', other, { to: to.id, reason: 'theft', legalBasis: 'none' });
      return { ...plan, refusal: 'NOT_HOLDER', after: () => {} };
    }
    if (held && roll < 0.4) {
      const plan = this.#step(held, 'transfer', held.holder, {
        to: held.holder.id,
        reason: 'loop',
        legalBasis: 'x',
      });
      return { ...plan, refusal: 'TRANSFER_TO_SELF', after: () => {} };
    }
    if (held && roll < 0.55) {
      const plan = this.#step(held, 'accept', held.holder, { seal: 'intact' });
      return { ...plan, refusal: 'NO_PENDING_TRANSFER', after: () => {} };
    }
    if (roll < 0.7 && !this.#busy.has(LEDGER)) {
      // Neither the authority nor a registrar: the governance rule refuses it.
      return { ...this.#enrol(ACTORS.collector.signer), refusal: 'NOT_REGISTRAR', after: () => {} };
    }
    if (roll < 0.8)
      return {
        kind: 'register',
        composed: sign({
          kind: 'register',
          signer: ACTORS.frCourt.signer,
          fields: {
            label: 'NO-ROLE',
            caseRef: 'NL-2026-0042',
            description: 'registered by someone without the collector role',
            digests: digestOf(p.bytes(8)),
            size: 8,
          },
        }),
        refusal: 'NOT_PERMITTED',
        busy: [],
      };
    if (roll < 0.9) {
      // A registration whose signature is broken: refused before the rules look at it.
      const c = sign({
        kind: 'register',
        signer: ACTORS.collector.signer,
        fields: {
          label: 'FORGED',
          caseRef: 'NL-2026-0042',
          description: 'a statement whose signature was altered',
          digests: digestOf(p.bytes(8)),
          size: 8,
        },
      });
      const bytes = Uint8Array.from(c.bytes);
      bytes[bytes.length - 1 - p.int(0, 31)]! ^= 1 << p.int(0, 7);
      return {
        kind: 'register',
        composed: { ...c, bytes },
        refusal: 'STATEMENT_SIGNATURE_INVALID',
        busy: [],
      };
    }
    const unknown = sha256(p.bytes(8));
    return {
      kind: 'examine',
      composed: sign({
        kind: 'examine',
        signer: ACTORS.nlExaminer.signer,
        fields: { action: 'look' },
        exhibit: unknown,
        after: unknown,
      }),
      refusal: 'EXHIBIT_UNKNOWN',
      busy: [],
    };
  }
}
