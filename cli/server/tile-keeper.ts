/**
 * A witness keeps the hash tiles of the peer logs it cosigns
 * (docs/FEDERATION.md §Peers witness and audit each other), so that a court
 * can still check consistency against a peer that went offline, and a
 * restored peer can find the tree it signed. Hash tiles only (C2SP
 * tlog-tiles), never entries: this is not a tlog-mirror.
 *
 * After each cosignature, the tiles of the cosigned tree that are not kept
 * yet are fetched from the peer's public tile endpoint, and kept only if the
 * tree they give has the root just cosigned (tileTreeHash): a peer cannot
 * make its witness keep tiles of another tree. Full tiles are kept once;
 * each partial tile under its own width. Kept in the ledger's own store, as
 * the witness state is (key "tiles" LF origin LF tile path). Best effort: a
 * peer that does not answer is tried again at its next cosignature; nothing
 * here ever delays or changes a witness's answer.
 */
import { equalBytes } from '../../src/bytes.js';
import {
  fullTileHash,
  TILE_WIDTH,
  tileCoordinates,
  tilePath,
  tileTreeHash,
  tileWidthAt,
} from '../../src/merkle/tiles.js';

/** Tiles fetched per cosignature at most (a first sight of a large log catches up over several). */
const MAX_FETCH = 512;
const TIMEOUT_MS = 10_000;

export class TileKeeper {
  #busy = new Set<string>();
  #next = new Map<string, { size: number; root: Uint8Array }>();

  constructor(
    /** The ledger store's witness records (LogStore.witnessState / putWitnessState). */
    private readonly kept: {
      get(key: string): Promise<Uint8Array | undefined>;
      put(key: string, bytes: Uint8Array): Promise<void>;
    },
    /** origin -> the peer's tile base URL (its server). */
    private readonly urls: ReadonlyMap<string, string>,
  ) {}

  static key(origin: string, path: string): string {
    return `tiles\n${origin}\n${path}`;
  }

  /** The kept tile at `path` ("tile/L/N[.p/W]") of `origin`, if any. */
  tile(origin: string, path: string): Promise<Uint8Array | undefined> {
    return this.kept.get(TileKeeper.key(origin, path));
  }

  /**
   * Fetches and keeps the tiles of the tree of `size` with root `root`; never
   * throws. One fetch per peer at a time; a tree cosigned meanwhile is kept
   * next (only the latest one waits).
   */
  keep(origin: string, size: number, root: Uint8Array): void {
    const url = this.urls.get(origin);
    if (!url || size === 0) return;
    if (this.#busy.has(origin)) {
      this.#next.set(origin, { size, root });
      return;
    }
    this.#busy.add(origin);
    void this.#keep(origin, url, size, root)
      .catch(() => undefined)
      .finally(() => {
        this.#busy.delete(origin);
        const next = this.#next.get(origin);
        this.#next.delete(origin);
        if (next) this.keep(origin, next.size, next.root);
      });
  }

  async #keep(origin: string, url: string, size: number, root: Uint8Array): Promise<void> {
    const base = url.endsWith('/') ? url : `${url}/`;
    const tiles = new Map<string, Uint8Array>();
    const fetched: string[] = [];
    for (const c of tileCoordinates(size)) {
      const path = tilePath(c.level, c.index, c.width);
      const kept = await this.tile(origin, path);
      if (kept) {
        tiles.set(path, kept);
        continue;
      }
      if (fetched.length >= MAX_FETCH) return;
      const res = await fetch(new URL(path, base), { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) return;
      tiles.set(path, new Uint8Array(await res.arrayBuffer()));
      fetched.push(path);
    }
    const read = (level: number, index: number, width: number) =>
      Promise.resolve(tiles.get(tilePath(level, index, width)));
    // The right edge gives the root just cosigned; every full tile hashes to its entry in the tile
    // above it. Then every tile is the tree's, and only then is any of it kept.
    if (!equalBytes(await tileTreeHash(size, read), root)) return;
    for (const c of tileCoordinates(size)) {
      if (c.width !== TILE_WIDTH) continue;
      const data = tiles.get(tilePath(c.level, c.index, c.width))!;
      const parentIndex = Math.floor(c.index / TILE_WIDTH);
      const parent = tiles.get(
        tilePath(c.level + 1, parentIndex, tileWidthAt(size, c.level + 1, parentIndex)),
      );
      const at = (c.index % TILE_WIDTH) * 32;
      if (!parent || !equalBytes(fullTileHash(data), parent.subarray(at, at + 32))) return;
    }
    for (const path of fetched) await this.kept.put(TileKeeper.key(origin, path), tiles.get(path)!);
  }
}
