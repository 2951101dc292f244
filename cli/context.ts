/**
 * Opening the ledger and resolving what users type: exhibit and key ids
 * (short `EX-…`/`K-…` or full hex), exhibit labels and actor names. Names
 * are committed fields, so they are read from the openings this ledger
 * holds; a name whose opening was erased cannot be typed any more (use the id).
 */
import { fromHex, toHex } from '../src/bytes.js';
import type { Signer } from '../src/crypto/ed25519.js';
import { CustodyError } from '../src/errors.js';
import { KEY_PURPOSES, keyIdOf } from '../src/format/key-id.js';
import { ids45, parse45 } from '../src/format/short-id.js';
import { ed25519Key } from '../src/format/sign-statement.js';
import { systemClock } from '../src/ledger/clock.js';
import { type Composed, type ComposeInput, compose } from '../src/ledger/compose.js';
import { checkSeen } from '../src/ledger/last-seen.js';
import { LedgerView } from '../src/ledger/ledger-view.js';
import { LogLedger, type Submitted } from '../src/ledger/log-ledger.js';
import type { LocalReceipt } from '../src/ledger/receipt.js';
import { labelKey, nameKey } from '../src/names/keys.js';
import { nearMisses } from '../src/names/near-miss.js';
import { LevelLogStore } from '../src/store/log-level.js';
import { LEDGER_MOVED, RemoteLogStore } from '../src/store/log-remote.js';
import type { LogStore } from '../src/store/log-store.js';
import { readAccessKey } from './access-key.js';
import type { GlobalOptions } from './io.js';
import {
  databaseOf,
  isPostgresUrl,
  openPostgres,
  seenFileOfDatabase,
  sharedLedgerRefused,
  withoutOpenings,
} from './pg-ledger.js';
import { HttpLedger, isLedgerUrl } from './remote.js';
import { readSeen, seenFile, seenFileOfUrl, writeSeen } from './seen.js';

export const exhibitShort = (id: Uint8Array) => ids45('EX', id);
export const keyShort = (id: Uint8Array) => ids45('K', id);
export const statementKeyId = (publicKey: Uint8Array) =>
  keyIdOf(ed25519Key(publicKey), KEY_PURPOSES.statement);

/** What appends: the local ledger, or a ledger server (../remote.ts). */
export interface LedgerWriter {
  submit(bytes: Uint8Array, openings?: Uint8Array): Promise<Submitted>;
  /** Appends a foreign statement (payload type 3: docs/FEDERATION.md). */
  submitForeign(payload: Uint8Array): Promise<Submitted>;
}

export interface Open {
  ledger: LedgerWriter;
  view: LedgerView;
  /** The local ledger, for what changes the store directly; a server refuses (run it on the server). */
  local(): LogLedger;
}

/**
 * Refuses, before anything is done, a command that writes the ledger's store
 * directly when --ledger names a server: it must run on the server's ledger
 * directory (docs/SERVER.md §Clients).
 */
export function requireLocalLedger(opts: GlobalOptions, what: string): void {
  if (isPostgresUrl(opts.ledger)) throw sharedLedgerRefused(opts.ledger, what);
  if (isLedgerUrl(opts.ledger))
    throw new CustodyError(
      'LEDGER_REMOTE_READ_ONLY',
      `${what} changes the ledger's store directly; run it on the server's ledger directory, not against ${opts.ledger}`,
      'input',
    );
}

/** Runs `fn` with the ledger open and always closes it. */
export async function withLedger<T>(opts: GlobalOptions, fn: (o: Open) => Promise<T>): Promise<T> {
  if (isLedgerUrl(opts.ledger)) return withServer(opts, fn);
  if (isPostgresUrl(opts.ledger)) throw sharedLedgerRefused(opts.ledger);
  const store = await LevelLogStore.open(opts.ledger, 'open', { waitMs: (opts.wait ?? 0) * 1000 });
  let ledger: LogLedger;
  try {
    ledger = await LogLedger.open(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  try {
    const view = new LedgerView(store);
    const remember = await checkRemembered(seenFile(opts.ledger), opts.ledger, view);
    const local = ledger;
    const result = await fn({ ledger, view, local: () => local });
    await remember();
    return result;
  } finally {
    await ledger.close();
  }
}

/**
 * As withLedger, for a command that reads no cleartext (`custody log`): on a
 * PostgreSQL ledger it reads the database directly, without openings, and
 * appends nothing.
 */
export async function withReader<T>(opts: GlobalOptions, fn: (o: Open) => Promise<T>): Promise<T> {
  if (!isPostgresUrl(opts.ledger)) return withLedger(opts, fn);
  const store = withoutOpenings(await openPostgres(opts.ledger, 'open'));
  const refused = (): never => {
    throw sharedLedgerRefused(opts.ledger, 'appending');
  };
  try {
    const view = new LedgerView(store);
    const remember = await checkRemembered(seenFileOfDatabase(opts.ledger), databaseOf(opts.ledger), view);
    const result = await fn({ ledger: { submit: refused, submitForeign: refused }, view, local: refused });
    await remember();
    return result;
  } finally {
    await store.close();
  }
}

/**
 * The store a whole-ledger reader (verify, audit) reads: the directory's, a
 * PostgreSQL database's (read directly: these read no cleartext out), or a
 * server's over its store read protocol; the file where this client
 * remembers what it saw of that ledger, and the ledger's name for that file.
 */
export async function openReadStore(
  opts: GlobalOptions,
): Promise<{ store: LogStore; memory: string; name: string }> {
  if (isPostgresUrl(opts.ledger)) {
    const store = await openPostgres(opts.ledger, 'open');
    return { store, memory: seenFileOfDatabase(opts.ledger), name: databaseOf(opts.ledger) };
  }
  if (!isLedgerUrl(opts.ledger)) {
    const store = await LevelLogStore.open(opts.ledger, 'open', {
      scan: true,
      waitMs: (opts.wait ?? 0) * 1000,
    });
    return { store, memory: seenFile(opts.ledger), name: opts.ledger };
  }
  const server = serverOf(opts);
  const store = new RemoteLogStore(server);
  await reachable(new LedgerView(store));
  return { store, memory: seenFileOfUrl(server.base), name: opts.ledger };
}

/** Says at once why a server cannot be read (unreachable, 401, 403): not as an empty ledger later. */
async function reachable(view: LedgerView): Promise<void> {
  await view.head().catch((e: unknown) => {
    if (!(e instanceof CustodyError && e.code === 'LEDGER_EMPTY')) throw e;
  });
}

/** The ledger server `--ledger` names, with the access key and purpose of the command line. */
export const serverOf = (opts: GlobalOptions) =>
  new HttpLedger(
    opts.ledger,
    opts.accessKey ? { signer: readAccessKey(opts.accessKey) } : undefined,
    opts.purpose,
    opts.witnessed === true,
  );

/**
 * The same against a ledger server. The command reads one snapshot of the
 * server's ledger (src/store/log-remote.ts); if the ledger grew under it
 * before it appended anything, it starts over on a new snapshot
 * (LEDGER_MOVED), a few times at most. After an append the snapshot is
 * re-taken, so the command sees its own entry.
 */
async function withServer<T>(opts: GlobalOptions, fn: (o: Open) => Promise<T>): Promise<T> {
  const server = serverOf(opts);
  const store = new RemoteLogStore(server);
  const view = new LedgerView(store);
  const local = (): LogLedger => {
    throw new CustodyError(
      'LEDGER_REMOTE_READ_ONLY',
      "this command changes the ledger's store directly; run it on the server's ledger directory",
      'input',
    );
  };
  for (let attempt = 1; ; attempt++) {
    let appended = false;
    store.repin();
    try {
      await reachable(view);
      const remember = await checkRemembered(seenFileOfUrl(server.base), server.base.toString(), view);
      const ledger: LedgerWriter = {
        submit: async (bytes, openings) => {
          appended = true;
          const r = await server.submit(view, bytes, openings);
          store.repin();
          return r;
        },
        submitForeign: async (payload) => {
          appended = true;
          const r = await server.submit(view, payload, undefined, true);
          store.repin();
          return r;
        },
      };
      const result = await fn({ ledger, view, local });
      await moved(() => {
        store.repin();
        return remember();
      });
      return result;
    } catch (e) {
      if (!(e instanceof CustodyError && e.code === LEDGER_MOVED) || appended || attempt >= MOVED_ATTEMPTS)
        throw e;
    }
  }
}

const MOVED_ATTEMPTS = 8;

/** Runs a read that may be retried (nothing it does appends) until the ledger holds still. */
async function moved<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (e) {
      if (!(e instanceof CustodyError && e.code === LEDGER_MOVED) || attempt >= MOVED_ATTEMPTS) throw e;
    }
  }
}

/**
 * Refuses a ledger rolled back or rewritten since this client last saw it
 * (src/ledger/last-seen.ts), and returns what records the tree it leaves,
 * called once the command has done its work.
 */
export async function checkRemembered(
  file: string,
  dir: string,
  view: LedgerView,
): Promise<() => Promise<void>> {
  // An empty ledger (or one whose head cannot be read, which the command itself reports) has no tree to compare.
  const size = await view.head().then(
    (h) => h.size,
    () => 0,
  );
  const remembered = readSeen(file);
  try {
    await checkSeen(remembered, size, (n) => view.rootAt(n));
  } catch (e) {
    if (e instanceof CustodyError && e.code !== 'SEEN_STATE_INVALID')
      throw new CustodyError(
        e.code,
        `${e.message}; if it was restored on purpose, move ${file} aside`,
        e.category,
      );
    throw e;
  }
  return async () => {
    // A command that appended nothing (most reads) leaves the memory as it is: no write, no fsync.
    if (remembered && (await view.head()).size <= remembered.size) return;
    writeSeen(file, dir, (await view.ledger()).origin, await view.seen());
  };
}

/** Composes with this ledger's origin and the system clock, submits, and returns both. */
export async function submit(
  o: Open,
  input: Omit<ComposeInput, 'origin' | 'clock'>,
): Promise<{ composed: Composed; submitted: Submitted; receipt: ReceiptJson }> {
  const { origin } = await o.view.ledger();
  const composed = compose({ ...input, origin, clock: systemClock });
  const submitted = await o.ledger.submit(composed.bytes, composed.openingBytes);
  return { composed, submitted, receipt: receiptJson(await o.view.receipt(submitted.index)) };
}

export interface ReceiptJson {
  index: number;
  size: number;
  leafHash: string;
  root: string;
  proof: string[];
}

/** The unsigned local receipt as every appending command prints it in --json (docs/CLI.md §Receipts). */
export const receiptJson = (r: LocalReceipt): ReceiptJson => ({
  index: r.index,
  size: r.size,
  leafHash: toHex(r.leafHash),
  root: toHex(r.root),
  proof: r.proof.map(toHex),
});

function ambiguous(code: CustodyError['code'], what: string, ids: string[]): CustodyError {
  return new CustodyError(code, `${what} is ambiguous: ${ids.join(', ')}; use the full id`, 'input');
}

/** Refuses input shaped like an exhibit id whose check symbol is wrong: a typo, not a label. */
export function refuseMistypedExhibitId(input: string): void {
  if (/^EX[-\s]?[0-9A-Z]{5}[-\s]?[0-9A-Z]{5}$/i.test(input.trim()))
    throw new CustodyError(
      'EXHIBIT_ID_INVALID',
      `${input} is not a valid exhibit id: its check symbol does not match (a typo?)`,
      'input',
    );
}

/** Ids whose short form is `short` (canonical), through the ledger's short index. */
async function byShort(view: LedgerView, prefix: 'K' | 'EX', short: string): Promise<Uint8Array[]> {
  // The index is keyed by the 45 bits; rebuild them from the typed id's first 6 bytes.
  const all = await view.lookupShort(prefix, short);
  return all.filter((id) => ids45(prefix, id) === short);
}

/**
 * An exhibit by full id (64 hex digits), short id (EX-XXXXX-XXXXC) or label.
 * A label is matched NFC and case-insensitively (labelKey, src/names/keys.ts),
 * so `hdd-01` finds `HDD-01` and `łódź-tel-01` finds `Łódź-TEL-01` however
 * either was composed, but `lodz` never finds `Łódź`; several exhibits with
 * the key are ambiguous. (The ledger's label index keeps its own key,
 * foldLabel: this look-up reads every label, not the index.)
 */
export async function resolveExhibit(view: LedgerView, input: string, caseRef?: string): Promise<Uint8Array> {
  const full = /^[0-9a-f]{64}$/i.test(input) ? fromHex(input.toLowerCase()) : undefined;
  if (full) {
    if (!(await view.exhibit(full)))
      throw new CustodyError('EXHIBIT_UNKNOWN', `no exhibit ${input} in this ledger`, 'input');
    return full;
  }
  const short = parse45('EX', input);
  if (short) {
    const ids = await byShort(view, 'EX', short);
    if (ids.length === 1) return ids[0]!;
    if (ids.length > 1)
      throw ambiguous(
        'EXHIBIT_AMBIGUOUS',
        short,
        ids.map((i) => Buffer.from(i).toString('hex')),
      );
    throw new CustodyError('EXHIBIT_UNKNOWN', `no exhibit ${short} in this ledger`, 'input');
  }
  refuseMistypedExhibitId(input);
  const key = labelKey(input);
  const inCase = (await view.labels()).filter(
    (x) => caseRef === undefined || nameKey(x.caseRef) === nameKey(caseRef),
  );
  const matches = inCase.filter((x) => labelKey(x.label) === key);
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1)
    throw new CustodyError(
      'EXHIBIT_AMBIGUOUS',
      `${matches.length} exhibits are labelled ${input}; use the exhibit id (${matches.map((m) => `${exhibitShort(m.id)} in case ${m.caseRef}`).join(', ')})`,
      'input',
    );
  const near = nearMisses(
    input,
    inCase.map((x) => ({ ...x, name: x.label })),
  ).map((x) => `${x.label} (${exhibitShort(x.id)} in case ${x.caseRef})`);
  throw new CustodyError(
    'EXHIBIT_UNKNOWN',
    `no exhibit with id or label ${input} (ids look like EX-XXXXX-XXXXX; a mistyped id fails its check symbol)${didYouMean(near)}`,
    'input',
  );
}

/** "; did you mean: A, B?" after a failed look-up, or nothing when no name is near. */
const didYouMean = (near: string[]) => (near.length === 0 ? '' : `; did you mean: ${near.join(', ')}?`);

/**
 * A statement key by full id, short id (K-XXXXX-XXXXC) or the enrolled name,
 * if exactly one key has it. Names are compared in NFC (nameKey), so a name
 * enrolled decomposed, by a statement signed elsewhere, is found as typed.
 */
export async function resolveKey(view: LedgerView, input: string): Promise<Uint8Array> {
  const full = /^[0-9a-f]{64}$/i.test(input) ? fromHex(input.toLowerCase()) : undefined;
  if (full) {
    if (!(await view.key(full)))
      throw new CustodyError('ACTOR_UNKNOWN', `no key ${input} is enrolled in this ledger`, 'input');
    return full;
  }
  const short = parse45('K', input);
  if (short) {
    const ids = await byShort(view, 'K', short);
    if (ids.length === 1) return ids[0]!;
    if (ids.length > 1)
      throw ambiguous(
        'ACTOR_AMBIGUOUS',
        short,
        ids.map((i) => Buffer.from(i).toString('hex')),
      );
    throw new CustodyError('ACTOR_UNKNOWN', `no key ${short} is enrolled in this ledger`, 'input');
  }
  const actors = await view.actors();
  const matches = actors.filter((a) => nameKey(a.name) === nameKey(input));
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length > 1)
    throw new CustodyError(
      'ACTOR_AMBIGUOUS',
      `${matches.length} actors are named ${input}; use the key id (${matches.map((m) => keyShort(m.id)).join(', ')})`,
      'input',
    );
  const near = nearMisses(input, actors).map((a) => `${a.name} (${keyShort(a.id)})`);
  throw new CustodyError('ACTOR_UNKNOWN', `no actor with id or name ${input}${didYouMean(near)}`, 'input');
}

/** Refuses a signer who is not the authority before anything is signed (a clear message, not a rule code). */
export async function requireKey(view: LedgerView, signer: Signer): Promise<Uint8Array> {
  const id = statementKeyId(signer.publicKey);
  if (!(await view.key(id)))
    throw new CustodyError(
      'ACTOR_UNKNOWN',
      `the key ${keyShort(id)} is not enrolled in this ledger (custody actor add enrols it)`,
      'custody',
    );
  return id;
}
