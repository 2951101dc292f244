/**
 * custody tiles --out <dir>: the latest signed checkpoint and every hash tile
 * of its tree, as files at their C2SP tlog-tiles paths (docs/PROOFS.md
 * §Tiles), for any static web server to publish.
 *
 * Order matters to readers of the directory: every tile is written (and
 * synced) before `checkpoint` is replaced, so a client never reads a
 * checkpoint whose tiles are missing. Tiles are immutable (tlog-tiles §Merkle
 * Tree): an existing identical one is kept, a different one is refused
 * (TILE_CONFLICT), never overwritten; nor is a published checkpoint rolled
 * back or replaced by one of another history. Partial tiles of earlier
 * checkpoints stay, as tlog-tiles §Partial Tiles wants them served.
 *
 * The tiles are built from the stored leaf hashes alone (no stored interior
 * node is trusted) and their root is checked against the checkpoint's before
 * anything is written. Entry bundles are not written: reading entries needs
 * authentication (a custody server serves them, docs/SERVER.md).
 */
import {
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { equalBytes } from '../../src/bytes.js';
import { type Checkpoint, parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { parseNote } from '../../src/checkpoint/note.js';
import { CustodyError } from '../../src/errors.js';
import { HASH_SIZE } from '../../src/merkle/index.js';
import { buildTiles, TILE_WIDTH, type Tile, tilePath, tileTreeHash } from '../../src/merkle/tiles.js';
import { withLedger } from '../context.js';
import { hex, type Output } from '../io.js';
import type { Runner } from '../program.js';

const conflict = (message: string) => new CustodyError('TILE_CONFLICT', message, 'input');

const unwritable = (path: string, e: unknown) =>
  new CustodyError(
    'FILE_UNWRITABLE',
    `cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    'input',
  );

/** The file at `path` if it is a regular file of at most `max` bytes; undefined if absent; TILE_CONFLICT if something else is there. */
function existing(path: string, max: number): Buffer | undefined {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unwritable(path, e);
  }
  if (!st.isFile()) throw conflict(`${path} exists and is not a regular file; it is never replaced`);
  // Larger than the file we would write there: different, and not worth reading.
  if (st.size > max) return Buffer.alloc(max + 1);
  return readFileSync(path);
}

/** A whole file or none (temporary file, fsync, rename), readable by a web server (0644). */
function writeFileAtomically(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, data, { mode: 0o644 });
    const fd = openSync(tmp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw unwritable(path, e);
  }
}

/** Makes the renames in a directory durable. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw unwritable(dir, e);
  }
}

/** The checkpoint already published in `dir`, if any (its signatures are not checked: it only guards against rollback). */
function publishedCheckpoint(dir: string): Checkpoint | undefined {
  const path = join(dir, 'checkpoint');
  const bytes = existing(path, 1 << 20);
  if (bytes === undefined) return undefined;
  try {
    return parseCheckpoint(parseNote(bytes.toString('utf8')).text);
  } catch {
    throw conflict(`${path} is not a checkpoint; choose another directory`);
  }
}

export function tilesCommand(program: Command, run: Runner) {
  run(
    program
      .command('tiles')
      .description(
        'write the latest signed checkpoint and the hash tiles of its tree for static serving (C2SP tlog-tiles)',
      )
      .requiredOption('--out <dir>', 'directory to write checkpoint and tile/… into (created if missing)'),
    async (o: { out: string }, out: Output) => {
      const dir = resolve(o.out);
      const built = await withLedger(out.opts, async ({ view }) => {
        const latest = await view.latestCheckpoint();
        if (latest === undefined)
          throw new CustodyError(
            'CHECKPOINT_UNKNOWN',
            'the ledger has no checkpoint yet; sign one with custody checkpoint --log-key <log key file>',
            'input',
          );
        const cp = parseCheckpoint(parseNote(latest.note).text);
        // What readers of the directory may already hold must stay true: same log, no rollback, same history.
        const published = publishedCheckpoint(dir);
        if (published) {
          if (published.origin !== cp.origin)
            throw conflict(`${dir} publishes another log (${published.origin}); choose another directory`);
          if (published.size > cp.size)
            throw conflict(
              `${dir} publishes a checkpoint of size ${published.size}, beyond this ledger's latest (${cp.size}); it is never rolled back`,
            );
          if (!equalBytes(await view.rootAt(published.size), published.root))
            throw conflict(
              `${dir} publishes a checkpoint of size ${published.size} whose root this ledger does not have: another history; run custody verify`,
            );
        }
        const leaves = new Uint8Array(cp.size * HASH_SIZE);
        for (let i = 0; i < cp.size; i += TILE_WIDTH) {
          const n = Math.min(TILE_WIDTH, cp.size - i);
          const hashes = await Promise.all(Array.from({ length: n }, (_, j) => view.leafHash(i + j)));
          hashes.forEach((h, j) => {
            leaves.set(h, (i + j) * HASH_SIZE);
          });
        }
        const tiles = buildTiles(cp.size, leaves);
        const byPath = new Map(tiles.map((t) => [tilePath(t.level, t.index, t.width), t.data]));
        const root = await tileTreeHash(cp.size, async (l, n, w) => byPath.get(tilePath(l, n, w)));
        if (!equalBytes(root, cp.root))
          throw new CustodyError(
            'CHECKPOINT_INCONSISTENT',
            `the stored entries do not hash to the root of the latest checkpoint (size ${cp.size}); nothing is written; run custody verify`,
            'verification',
          );
        return { note: latest.note, cp, tiles };
      });

      const { note, cp, tiles } = built;
      // Every existing file is checked before the first write, so a refusal leaves the directory as it was.
      const todo: { path: string; tile: Tile }[] = [];
      for (const tile of tiles) {
        const path = join(dir, tilePath(tile.level, tile.index, tile.width));
        const there = existing(path, tile.data.length);
        if (there === undefined) todo.push({ path, tile });
        else if (!equalBytes(there, tile.data))
          throw conflict(
            `${path} exists with other content: ${dir} holds tiles of another log or history; a tile is never overwritten`,
          );
      }
      const dirs = new Set<string>();
      for (const { path, tile } of todo) {
        const d = dirname(path);
        if (!dirs.has(d)) {
          try {
            mkdirSync(d, { recursive: true });
          } catch (e) {
            throw unwritable(d, e);
          }
          dirs.add(d);
        }
        writeFileAtomically(path, tile.data);
      }
      // Tiles durable before the checkpoint that needs them.
      for (const d of dirs) syncDirectory(d);
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw unwritable(dir, e);
      }
      writeFileAtomically(join(dir, 'checkpoint'), note);
      syncDirectory(dir);

      out.result(
        {
          checkpoint: { size: cp.size, root: hex(cp.root) },
          tiles: tiles.length,
          written: todo.length,
          out: dir,
        },
        () => {
          out.line(
            `wrote the checkpoint of size ${cp.size} and ${todo.length} new tile(s) to ${dir} (${tiles.length} tiles in its tree)`,
          );
          out.note(
            'entry bundles (tile/entries/…) are not written: reading entries needs authentication; a custody server serves them (docs/SERVER.md)',
          );
        },
      );
    },
  );
}
