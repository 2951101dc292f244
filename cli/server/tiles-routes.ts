/**
 * GET /tile/… (C2SP tlog-tiles, docs/PROOFS.md §Tiles): the log's hash tiles,
 * public, and its entry bundles, for authenticated readers only.
 *
 * Tiles are served for the tree of the latest signed checkpoint (`treeSize`),
 * never beyond it: a tile not yet covered by a checkpoint would let a client
 * see hashes no signed root commits to. Partial tiles are served for the
 * latest checkpoint's size and for every earlier checkpoint's size too:
 * tlog-tiles §Partial Tiles says logs MUST serve the partial tiles of every
 * size they produced a checkpoint for (a client still on an older checkpoint
 * asks for those), and MAY stop once the full tile is available; we keep them.
 *
 * Caching (tlog-tiles §Merkle Tree: "This endpoint is immutable, so its caching
 * headers SHOULD be long-lived"): the bytes at a tile path never change, a
 * partial tile's path included, since it names its width (`.p/<W>`) and a
 * complete subtree's hash never changes. So full and partial hash tiles are
 * both `public, max-age=31536000, immutable`. Entry bundles deviate from the
 * spec's long-lived caching on purpose: they need authentication, so they are
 * `private, no-store` (no shared cache may hand them to someone else, and each
 * read is authorized and written to the access log). A refusal (404 for a tile
 * the tree does not have yet, 401/403) is `no-store`: the tile may exist later.
 * Entry bundles are not compressed here (§Log entries: SHOULD be, at the HTTP
 * layer): a front end may do it.
 *
 * Security assumption: clients verify every tile against a checkpoint they
 * verified (src/merkle/tiles.ts); the server does not re-verify what it reads
 * from its own store.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CustodyError } from '../../src/errors.js';
import {
  encodeEntryBundle,
  entryBundlePath,
  parseTilePath,
  partialTileSizes,
  readTile,
  TILE_WIDTH,
  tilePath,
  tileWidthAt,
} from '../../src/merkle/tiles.js';
import type { LogStore } from '../../src/store/log-store.js';

/** What tiles are read from: the tree's nodes, the entries and the signed sizes. */
export type TileSource = Pick<LogStore, 'node' | 'entry' | 'checkpointSizes'>;

export interface TileRouteOptions<R> {
  source: TileSource;
  /** Size of the latest signed checkpoint (0: none yet); tiles are served for that tree only. */
  treeSize: () => number;
  /** Authenticates a read of entry bundles; throws UNAUTHENTICATED / FORBIDDEN. */
  authenticate: (req: FastifyRequest) => Promise<R>;
  /** Records an allowed read (the access log). */
  recordAccess: (reader: R, req: FastifyRequest, what: string) => Promise<void>;
  /** Sends an error (./http-errors.ts). */
  fail: (reply: FastifyReply, e: unknown) => FastifyReply;
}

const OCTETS = 'application/octet-stream';
/** Hash tiles kept in memory (8 KiB each at most: 32 MiB). */
const TILE_CACHE = 4096;
const IMMUTABLE = 'public, max-age=31536000, immutable';

const notFound = (what: string) => new CustodyError('NOT_FOUND', what, 'input');

export function registerTileRoutes<R>(
  app: FastifyInstance,
  { source, treeSize, authenticate, recordAccess, fail }: TileRouteOptions<R>,
): void {
  const cache = new Map<string, Uint8Array>();
  // Checkpoint sizes, re-read when the latest checkpoint changes (a partial tile of an older one is asked rarely).
  let sizes: { at: number; sizes: Promise<number[]> } | undefined;
  const checkpointSizes = (at: number): Promise<number[]> => {
    if (sizes?.at !== at) sizes = { at, sizes: source.checkpointSizes() };
    return sizes.sizes;
  };

  /**
   * The size of a signed tree, at most the latest, that has this tile
   * (level, index, width), or undefined: the latest for a full tile or its own
   * partial tile, else an earlier checkpoint whose partial tile it is.
   */
  async function treeWith(level: number, index: number, width: number): Promise<number | undefined> {
    const latest = treeSize();
    const have = tileWidthAt(latest, level, index);
    if (have === width) return latest;
    // A full tile the latest tree does not have yet, or a partial tile wider than the latest tree's: no signed tree has it.
    if (width === TILE_WIDTH || (have !== TILE_WIDTH && width > have)) return undefined;
    const { from, to } = partialTileSizes(level, index, width);
    return (await checkpointSizes(latest)).find((s) => s >= from && s < to && s <= latest);
  }

  app.get('/tile/*', async (req, reply) => {
    const refuse = (e: unknown) => fail(reply.header('cache-control', 'no-store'), e);
    try {
      const path = `tile/${(req.params as { '*': string })['*']}`;
      const t = parseTilePath(path);
      if (t === undefined) throw notFound('no such tile (c2sp.org/tlog-tiles paths)');
      if (t.kind === 'hash') {
        const size = await treeWith(t.level, t.index, t.width);
        const key = `${t.level}/${t.index}/${t.width}`;
        const data =
          size === undefined
            ? undefined
            : (cache.get(key) ?? (await readTile(source, size, t.level, t.index, t.width)));
        // A tile's bytes never change (its path names its width), so it is kept once read.
        if (data !== undefined && !cache.has(key)) {
          if (cache.size >= TILE_CACHE) cache.delete(cache.keys().next().value!);
          cache.set(key, data);
        }
        if (data === undefined)
          throw notFound(`${tilePath(t.level, t.index, t.width)} is not in a tree this log signed`);
        return reply.type(OCTETS).header('cache-control', IMMUTABLE).send(Buffer.from(data));
      }
      // Entries need a reader who may see them; authenticate before saying whether a bundle exists.
      const reader = await authenticate(req);
      const what = entryBundlePath(t.index, t.width);
      if ((await treeWith(0, t.index, t.width)) === undefined)
        throw notFound(`${what} is not in a tree this log signed`);
      const first = t.index * TILE_WIDTH;
      const entries = await Promise.all(
        Array.from({ length: t.width }, async (_, i) => {
          const e = await source.entry(first + i);
          // Below a signed size every entry exists: a missing one is a damaged store, not a 404.
          if (e === undefined) throw new Error(`entry ${first + i} is missing from the store`);
          return e;
        }),
      );
      const bundle = encodeEntryBundle(entries);
      await recordAccess(reader, req, what);
      return reply.type(OCTETS).header('cache-control', 'private, no-store').send(Buffer.from(bundle));
    } catch (e) {
      return refuse(e);
    }
  });
}
