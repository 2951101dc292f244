/**
 * Signing without the ledger (docs/CLI.md §Offline signing): what an
 * appending command reads from the ledger when online, it takes from files
 * when run with --offline, and what it would append it writes to a statement
 * file (docs/FORMAT.md §Statement files) for `custody submit` later.
 *
 *   --after <file | id>  the exhibit's previous statement: a statement file
 *                        (its exhibit and origin come with it) or its 64-hex id
 *   --origin <origin>    the ledger the statement is for (required with an id)
 *   --to <id | key>      a receiver by full key id (64 hex) or public key (base64 or a
 *                        key file; 64 hex digits always mean a key id here)
 *
 * Nothing here trusts the files: the ledger judges the statement on submit.
 */
import { fromHex } from '../src/bytes.js';
import { parseCheckpoint } from '../src/checkpoint/checkpoint.js';
import { parseNote } from '../src/checkpoint/note.js';
import { CustodyError } from '../src/errors.js';
import { ids45, parse45 } from '../src/format/short-id.js';
import {
  encodeStatementFile,
  readStatementFile,
  STATEMENT_FILE_MAX_BYTES,
} from '../src/format/statement-file.js';
import { isOrigin } from '../src/format/text.js';
import type { Composed } from '../src/ledger/compose.js';
import { labelKey } from '../src/names/keys.js';
import { readInputFile, readTextFile, stageNewFile } from './files.js';
import { parsePublicKey } from './keys.js';

export interface OfflineOptions {
  offline?: string;
  after?: string;
  origin?: string;
}

/** Where an offline statement goes: its ledger, and for a chain statement its exhibit and previous statement. */
export interface OfflinePlace {
  origin: string;
  exhibit: Uint8Array;
  after: Uint8Array;
  /** The previous statement, when --after named a file. */
  previous?: ReturnType<typeof readStatementFile>;
}

const usage = (message: string) => new CustodyError('USAGE', message, 'input');

/** Refuses --after/--origin without --offline: online, the ledger says both. */
export function checkOfflineFlags(o: OfflineOptions): void {
  if (o.offline === undefined && (o.after !== undefined || o.origin !== undefined))
    throw usage('--after and --origin go with --offline (online, the ledger gives both)');
}

/** Reads a statement file named on the command line (a damaged one is refused with the statement's own code). */
export function readStatementFileArg(path: string) {
  const bytes = readInputFile(path, 'statement file', STATEMENT_FILE_MAX_BYTES, 'STATEMENT_FILE_INVALID');
  try {
    return readStatementFile(bytes);
  } catch (e) {
    if (e instanceof CustodyError) throw new CustodyError(e.code, `${path}: ${e.message}`, 'input');
    throw e;
  }
}

function checkOrigin(origin: string | undefined): string | undefined {
  if (origin !== undefined && !isOrigin(origin))
    throw new CustodyError(
      'ORIGIN_INVALID',
      `--origin ${JSON.stringify(origin)} is not a valid log origin`,
      'input',
    );
  return origin;
}

/** The ledger an offline registration is for: --origin, required. */
export function offlineOrigin(o: OfflineOptions): string {
  const origin = checkOrigin(o.origin);
  if (origin === undefined)
    throw usage('--offline needs --origin <origin> (the ledger the statement is for)');
  return origin;
}

/**
 * The exhibit and previous statement of an offline chain statement. The
 * exhibit argument must name the same exhibit as --after: its full id, its
 * short id, or (when --after is its registration file) its label.
 */
export function offlinePlace(o: OfflineOptions, exhibitInput: string): OfflinePlace {
  if (o.after === undefined)
    throw usage(
      "--offline needs --after <statement file | id>: the exhibit's previous statement (the ledger is not read)",
    );
  const origin = checkOrigin(o.origin);
  if (/^[0-9a-f]{64}$/i.test(o.after)) {
    const exhibit = /^[0-9a-f]{64}$/i.test(exhibitInput) ? fromHex(exhibitInput.toLowerCase()) : undefined;
    if (!exhibit) throw usage('with --after <id>, give the exhibit by its full 64-hex id');
    if (origin === undefined) throw usage('with --after <id>, give --origin <origin> too');
    return { origin, exhibit, after: fromHex(o.after.toLowerCase())! };
  }
  const previous = readStatementFileArg(o.after);
  const st = previous.decoded.statement;
  if (st.class !== 'chain')
    throw usage(`--after ${o.after} is a ${st.kind} statement, not one of an exhibit's chain`);
  if (st.exhibit !== undefined && !(st.exhibit instanceof Uint8Array))
    throw usage(`--after ${o.after} is about another ledger's exhibit (federation is not built yet)`);
  if (origin !== undefined && origin !== st.origin)
    throw usage(`--origin ${origin} differs from the origin of ${o.after} (${st.origin})`);
  // The exhibits whose last statement this is: a registration's own exhibit, and
  // for a derived copy also the parent (its registration advances both chains).
  const candidates: { id: Uint8Array; label?: string }[] = [];
  if (st.kind === 'register') candidates.push({ id: previous.decoded.id, label: st.body['label'] as string });
  if (st.exhibit instanceof Uint8Array) candidates.push({ id: st.exhibit });
  const hexInput = exhibitInput.toLowerCase();
  const found = candidates.find(
    (c) =>
      hexInput === Buffer.from(c.id).toString('hex') ||
      parse45('EX', exhibitInput) === ids45('EX', c.id) ||
      (c.label !== undefined && labelKey(exhibitInput) === labelKey(c.label)),
  );
  if (!found) {
    const named = candidates.map(
      (c) => ids45('EX', c.id) + (c.label === undefined ? '' : ` or "${c.label}"`),
    );
    throw usage(
      `${exhibitInput} is not the exhibit of ${o.after}: give ${named.join(', or ')}` +
        (st.kind === 'register'
          ? ''
          : ' (offline, a label is known only when --after is the registration file)'),
    );
  }
  return { origin: st.origin, exhibit: found.id, after: previous.decoded.id, previous };
}

/** A key named offline (a receiver, an actor to revoke): a full key id (64 hex), or a public key (base64 or key file). */
export function offlineKeyId(input: string, keyIdOf: (publicKey: Uint8Array) => Uint8Array): Uint8Array {
  if (/^[0-9a-f]{64}$/i.test(input)) return fromHex(input.toLowerCase())!;
  if (parse45('K', input))
    throw usage(
      `offline, name the receiver by full key id or public key: ${input} is a short id the ledger resolves`,
    );
  try {
    return keyIdOf(parsePublicKey(input));
  } catch {
    throw usage(
      `offline, name the receiver by full key id (64 hex) or public key (base64, hex or key file): ${input} is neither`,
    );
  }
}

/**
 * Writes the statement file whole or not at all (staged, synced, then linked
 * to its name), mode 0600, never over an existing file (STATEMENT_FILE_EXISTS).
 */
export function writeStatementFile(path: string, c: Composed): void {
  const bytes = encodeStatementFile({ statement: c.bytes, openings: c.openingBytes });
  stageNewFile(path, bytes, 'STATEMENT_FILE_EXISTS').commit();
}

/** Where an offline governance statement goes: its ledger, the ledger chain's last statement, and `seen`. */
export interface OfflineGovernance {
  origin: string;
  after: Uint8Array;
  seen: { size: number; root: Uint8Array };
}

/**
 * The links of an offline governance statement (enrol, revoke, rotate): the
 * ledger chain's last statement (--after: its statement file or 64-hex id)
 * and a checkpoint of the ledger (--checkpoint: a checkpoint note, as
 * `custody checkpoint` prints it), whose origin, size and root become the
 * statement's `seen` (FORMAT.md §Statements). The note's signature is not
 * checked here: the ledger checks `seen` against its own tree on submit
 * (SEEN_MISMATCH), and the rules check `after` against its chain.
 */
export function offlineGovernance(o: OfflineOptions & { checkpoint?: string }): OfflineGovernance {
  if (o.checkpoint === undefined)
    throw usage(
      '--offline needs --checkpoint <file>: a checkpoint of the ledger, as custody checkpoint prints it',
    );
  if (o.after === undefined)
    throw usage("--offline needs --after <statement file | id>: the ledger's last governance statement");
  let cp: { origin: string; size: number; root: Uint8Array };
  try {
    cp = parseCheckpoint(parseNote(readTextFile(o.checkpoint, 'checkpoint', 64 << 10)).text);
  } catch (e) {
    if (e instanceof CustodyError && e.code === 'FILE_UNREADABLE') throw e;
    throw new CustodyError('CHECKPOINT_MALFORMED', `${o.checkpoint} is not a checkpoint note`, 'input');
  }
  const origin = checkOrigin(o.origin) ?? cp.origin;
  if (origin !== cp.origin)
    throw usage(`--origin ${origin} differs from the checkpoint's origin (${cp.origin})`);
  if (/^[0-9a-f]{64}$/i.test(o.after)) return { origin, after: fromHex(o.after.toLowerCase())!, seen: cp };
  const previous = readStatementFileArg(o.after);
  const st = previous.decoded.statement;
  if (st.class !== 'ledger')
    throw usage(`--after ${o.after} is a ${st.kind} statement, not a governance statement`);
  if (st.origin !== origin) throw usage(`--after ${o.after} is of ${st.origin}, the checkpoint of ${origin}`);
  return { origin, after: previous.decoded.id, seen: { size: cp.size, root: cp.root } };
}
