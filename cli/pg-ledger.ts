/**
 * `--ledger postgres://…` (docs/CLI.md §PostgreSQL ledgers). A ledger in a
 * shared database has one writer, its server (`custody serve`, the only
 * sequencer), and its cleartext is read through that server, where need to
 * know and the access log apply. So the CLI opens such a ledger itself only
 * to create it (`custody init`) and for the readers that read no cleartext
 * (`verify`, `audit`, and `log`, which then shows no names); every other
 * command is refused before it does anything (LEDGER_SHARED, exit 2).
 *
 * The store's module (and the `pg` driver) loads only when a postgres:// URL
 * is given: other commands start without it.
 */
import type { Signer } from '../src/crypto/ed25519.js';
import { CustodyError } from '../src/errors.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../src/format/key-id.js';
import { ed25519Key } from '../src/format/sign-statement.js';
import { systemClock } from '../src/ledger/clock.js';
import { compose } from '../src/ledger/compose.js';
import type { LedgerView } from '../src/ledger/ledger-view.js';
import type { LogLedger } from '../src/ledger/log-ledger.js';
import type { LogStore } from '../src/store/log-store.js';
import { seenFileOfUrl } from './seen.js';

export const isPostgresUrl = (s: string): boolean => /^postgres(?:ql)?:\/\//i.test(s);

/** The database as a message shows it: no password, no options. */
export function databaseOf(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    return `${u.protocol}//${user}${u.host}${u.pathname}`;
  } catch {
    return 'a PostgreSQL database';
  }
}

/** The refusal of a command that would write, or read cleartext from, a shared database directly. */
export const sharedLedgerRefused = (url: string, what = 'this command'): CustodyError =>
  new CustodyError(
    'LEDGER_SHARED',
    `${what} does not run on the PostgreSQL ledger ${databaseOf(url)} directly (its server is the only writer); use the server: --ledger <server url> (only init, serve, verify, audit and log take a postgres:// ledger)`,
    'input',
  );

/** The file where this client remembers what it saw of the ledger in that database (not by password). */
export const seenFileOfDatabase = (url: string): string => seenFileOfUrl(new URL(databaseOf(url)));

export async function openPostgres(url: string, mode: 'create' | 'open'): Promise<LogStore> {
  const { PostgresLogStore } = await import('../src/store/log-postgres.js');
  return PostgresLogStore.open(url, mode);
}

/**
 * The store as a reader of no cleartext sees it: no openings, so names and
 * descriptions are never read from the database by a workstation.
 */
export function withoutOpenings(store: LogStore): LogStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'openings') return async () => undefined;
      if (key === 'items') return (from: number, to: number) => target.items(from, to, { openings: false });
      const v: unknown = Reflect.get(target, key, target);
      // Bound to the store itself: its private fields are not the proxy's.
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** The files a server on a database keeps outside it: there is no directory to put them beside. */
export function requirePostgresFiles(o: { signedFile?: string; accessLogPath?: string }): void {
  if (o.signedFile === undefined || o.accessLogPath === undefined)
    throw new CustodyError(
      'USAGE',
      'custody serve on a postgres:// ledger needs --signed-checkpoint <file> and --access-log <file>, outside the database (docs/SERVER.md §Standby and takeover)',
      'input',
    );
}

/**
 * `custody init --ledger postgres://… --access-key <file>`: enrols that access
 * key for the authority right after genesis (entry 1), as `actor
 * add-access-key` would. Every later enrolment goes through the server, which
 * needs an enrolled access key to read with; without this one there would be
 * none, and no local append to make it.
 */
export async function enrolAuthorityAccess(
  ledger: LogLedger,
  view: LedgerView,
  signer: Signer,
  accessKey: Uint8Array,
): Promise<void> {
  const genesis = await view.ledger();
  const org = (await view.statementAt(0)).statement.body['org'] as string;
  const jurisdiction = (await view.statementAt(0)).statement.body['jurisdiction'] as string;
  const composed = compose({
    kind: 'enrol',
    origin: genesis.origin,
    signer,
    fields: {
      key: [KEY_TYPES.ed25519, accessKey],
      purpose: KEY_PURPOSES.access,
      roles: [],
      jurisdiction,
      name: `${org} authority`,
      org,
      actor: keyIdOf(ed25519Key(signer.publicKey), KEY_PURPOSES.statement),
    },
    after: genesis.head,
    seen: await view.seen(),
    clock: systemClock,
  });
  await ledger.submit(composed.bytes, composed.openingBytes);
}
