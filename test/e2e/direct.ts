/**
 * Writing a ledger in-process, the way the CLI's commands do (cli/context.ts
 * `submit`, cli/commands/admin.ts `governance`): statements composed with the
 * ledger's origin, governance statements linked to the ledger chain's head and
 * to the log as it is now (`seen`), chain statements linked to the exhibit's
 * head. For fixtures of the end-to-end tests, where one process start-up per
 * statement would dominate (the commands under test still run as the built
 * CLI), and for ledgers the CLI cannot make (a rewritten history signed with
 * the same keys).
 */
import type { Signer } from '../../src/crypto/ed25519.js';
import type { Canonical } from '../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import type { Clock } from '../../src/ledger/clock.js';
import { systemClock } from '../../src/ledger/clock.js';
import { compose } from '../../src/ledger/compose.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import type { LogStore } from '../../src/store/log-store.js';

type Fields = Record<string, Canonical | undefined>;

export class DirectLedger {
  private constructor(
    readonly ledger: LogLedger,
    readonly view: LedgerView,
    readonly clock: Clock,
  ) {}

  /** Opens (or creates) a ledger over any LogStore. */
  static async over(store: LogStore, clock: Clock = systemClock): Promise<DirectLedger> {
    return new DirectLedger(await LogLedger.open(store, { clock }), new LedgerView(store), clock);
  }

  /** Opens (or creates) the ledger in a directory. */
  static async at(dir: string, mode: 'open' | 'create', clock: Clock = systemClock): Promise<DirectLedger> {
    return DirectLedger.over(await LevelLogStore.open(dir, mode), clock);
  }

  get size() {
    return this.ledger.size;
  }

  close() {
    return this.ledger.close();
  }

  async #submit(input: Omit<Parameters<typeof compose>[0], 'clock'>) {
    const c = compose({ ...input, clock: this.clock });
    const s = await this.ledger.submit(c.bytes, c.openingBytes);
    return { index: s.index, id: c.id };
  }

  genesis(
    origin: string,
    authority: Signer,
    logKey: Uint8Array,
    f: { name?: string; jurisdiction: string; org: string },
  ) {
    return this.#submit({
      kind: 'genesis',
      origin,
      signer: authority,
      fields: {
        name: f.name ?? origin,
        jurisdiction: f.jurisdiction,
        org: f.org,
        logKey: [KEY_TYPES.ed25519, logKey],
      },
    });
  }

  /** A ledger statement (enrol, revoke, rotate, configure), linked as the CLI links it. */
  async govern(kind: string, signer: Signer, fields: Fields, cosigners: Signer[] = []) {
    const rec = await this.view.ledger();
    return this.#submit({
      kind,
      origin: rec.origin,
      signer,
      cosigners,
      fields,
      after: rec.head,
      seen: await this.view.seen(),
    });
  }

  enrol(
    by: Signer,
    publicKey: Uint8Array,
    f: { name: string; org: string; roles: string[]; jurisdiction: string },
  ) {
    return this.govern('enrol', by, {
      key: [KEY_TYPES.ed25519, publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: [...f.roles].sort(),
      jurisdiction: f.jurisdiction,
      name: f.name,
      org: f.org,
    });
  }

  /** An original registration, or (with `parent`) a derived copy advancing the parent's chain. */
  async register(by: Signer, fields: Fields, parent?: Uint8Array) {
    const { origin } = await this.view.ledger();
    const links = parent ? { exhibit: parent, after: (await this.view.exhibit(parent))!.head } : {};
    return this.#submit({ kind: 'register', origin, signer: by, fields, ...links });
  }

  /** A chain statement about `exhibit`, linked to its head. */
  async chain(kind: string, by: Signer, exhibit: Uint8Array, fields: Fields) {
    const { origin } = await this.view.ledger();
    const after = (await this.view.exhibit(exhibit))!.head;
    return this.#submit({ kind, origin, signer: by, fields, exhibit, after });
  }
}
