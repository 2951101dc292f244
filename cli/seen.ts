/**
 * Where the client keeps what it saw of each local ledger (src/ledger/last-seen.ts;
 * docs/STORAGE.md §What the client remembers): one small JSON file per ledger
 * directory, outside it, in $CUSTODY_STATE_DIR, else $XDG_STATE_HOME/custody,
 * else ~/.local/state/custody. The file is named by the SHA-256 of the ledger's
 * real path, so a copy of a ledger is another ledger here, and a directory
 * replaced by an older copy at the same path is the same one, rolled back.
 *
 * A local ledger's LevelDB lock is held while a command runs, so one process
 * at a time writes its file; a server's file may be written by several
 * commands at once. It is replaced whole (temporary file, fsync, rename), so
 * a crash leaves the old or the new memory; two commands writing together
 * may leave the smaller of their trees, which only makes the memory older.
 */
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fromHex, toHex } from '../src/bytes.js';
import { sha256 } from '../src/crypto/sha256.js';
import { CustodyError } from '../src/errors.js';
import type { SeenTree } from '../src/ledger/last-seen.js';
import { readTextFile, writeAtomically } from './files.js';

export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env['CUSTODY_STATE_DIR'];
  if (own) return resolve(own);
  const xdg = env['XDG_STATE_HOME'];
  return xdg ? join(resolve(xdg), 'custody') : join(homedir(), '.local', 'state', 'custody');
}

/** The memory file of the ledger at `ledgerDir` (which exists: it was just opened). */
export function seenFile(ledgerDir: string): string {
  const real = realpathSync(ledgerDir);
  return join(stateDir(), 'seen', `${toHex(sha256(new TextEncoder().encode(real))).slice(0, 32)}.json`);
}

/** The memory file of a ledger server, by its URL (scheme, host, port and path). */
export function seenFileOfUrl(url: URL): string {
  return join(
    stateDir(),
    'seen',
    `${toHex(sha256(new TextEncoder().encode(url.toString()))).slice(0, 32)}.json`,
  );
}

const damaged = (file: string) =>
  new CustodyError(
    'SEEN_STATE_INVALID',
    `the client's memory of this ledger (${file}) is not readable; move it aside to start afresh`,
    'input',
  );

export function readSeen(file: string): SeenTree | undefined {
  if (!existsSync(file)) return undefined;
  let j: unknown;
  // Several commands against one server may replace the file at once (each by a rename): a
  // read that met a replacement half-way (the file checked, then swapped before it was
  // opened) is tried again before the file is called damaged.
  for (let attempt = 1; ; attempt++) {
    try {
      j = JSON.parse(readTextFile(file, 'seen state', 4096));
      break;
    } catch {
      if (attempt >= 5) throw damaged(file);
    }
  }
  const o = j as { size?: unknown; root?: unknown };
  const root = typeof o?.root === 'string' && /^[0-9a-f]{64}$/.test(o.root) ? fromHex(o.root) : undefined;
  if (
    typeof o !== 'object' ||
    o === null ||
    !Number.isSafeInteger(o.size) ||
    (o.size as number) < 0 ||
    root === undefined
  )
    throw damaged(file);
  return { size: o.size as number, root };
}

/**
 * Remembers a tree, never a smaller one than remembered, unless `replace`:
 * `custody init`, where the user has just created a new ledger at this path.
 * Returns the tree it replaced, if any.
 */
export function writeSeen(
  file: string,
  ledgerDir: string,
  origin: string,
  tree: SeenTree,
  replace = false,
): SeenTree | undefined {
  const prior = replace ? readSeenOrNothing(file) : readSeen(file);
  if (prior && prior.size >= tree.size && !replace) return undefined;
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeAtomically(
    file,
    `${JSON.stringify({ ledger: /^(https?|postgres(ql)?):\/\//i.test(ledgerDir) ? ledgerDir : realpathSync(ledgerDir), origin, size: tree.size, root: toHex(tree.root), seenAt: new Date().toISOString() })}\n`,
  );
  return prior;
}

/** A memory being replaced may be damaged: it is dropped either way. */
function readSeenOrNothing(file: string): SeenTree | undefined {
  try {
    return readSeen(file);
  } catch {
    return undefined;
  }
}
