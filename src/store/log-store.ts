/**
 * LogStore: the storage interface of a format v2 ledger (docs/STORAGE.md).
 * It will replace LedgerStore when the ledger switches to v2; until then the
 * sequencer's output can be persisted and read back through it, and the same
 * conformance suite runs against LevelDB and memory.
 *
 * Primary data: each entry, its payload (the signed statement) and its
 * openings (the cleartext of committed fields). Derived data: Merkle tree
 * nodes, state-map branches (content-addressed by node hash, so every older
 * root stays provable), the records the map commits to, the statement index
 * (identity -> position), the events of each exhibit, and the head. One
 * batch per group commit, atomic and durable, so derived data never
 * disagrees with the entries after a crash.
 */
import type { EncodedMapNode } from '../map/index.js';
import type { NewNode } from '../merkle/frontier.js';
import type { NodeReader } from '../merkle/proofs.js';

export interface LogHead {
  size: number;
  /** Log time of the last entry (the next may not be earlier). */
  lastTime: number;
  mapRoot: Uint8Array;
  mapSize: number;
  /** The map's root leaf when the map holds one key (no branch holds it). */
  mapRootLeaf: { path: Uint8Array; value: Uint8Array } | null;
}

export interface LoggedEntry {
  index: number;
  entry: Uint8Array;
  payload: Uint8Array;
  /** Canonical openings (docs/FORMAT.md §Openings); absent when nothing is revealed. */
  openings?: Uint8Array;
  /** The statement's identity (for payload type 1). */
  id?: Uint8Array;
  /** Exhibits whose history this entry belongs to (a derived registration: the copy and its parent). */
  exhibits: Uint8Array[];
}

export interface RecordWrite {
  ns: string;
  key: Uint8Array;
  /** The record bytes, or undefined to remove the record. */
  bytes: Uint8Array | undefined;
}

export interface LogBatch {
  entries: LoggedEntry[];
  treeNodes: NewNode[];
  mapNodes: readonly EncodedMapNode[];
  records: RecordWrite[];
  head: LogHead;
}

export interface LogStore extends NodeReader {
  readonly kind: 'leveldb' | 'memory' | 'remote' | 'postgres';
  readHead(): Promise<LogHead | undefined>;
  /** Writes the batch atomically and durably (fsync) before resolving. */
  write(batch: LogBatch): Promise<void>;
  entry(index: number): Promise<Uint8Array | undefined>;
  payload(index: number): Promise<Uint8Array | undefined>;
  /** Canonical openings of the fields still held (an erased field is left out); undefined when none. */
  openings(index: number): Promise<Uint8Array | undefined>;
  /**
   * Erases these fields' openings for good (docs/PRIVACY.md §Erasure): on
   * LevelDB, destroys their keys, so that no file of the ledger can open them.
   */
  eraseOpenings(refs: readonly { index: number; fields: readonly string[] }[]): Promise<void>;
  /**
   * Puts back entries and payloads that were damaged (docs/STORAGE.md §Repairing a damaged
   * entry), atomically and durably, touching nothing else. Only src/ledger/repair.ts calls it,
   * after checking every restored byte against a signed checkpoint's root.
   */
  restoreEntries(items: readonly { index: number; entry: Uint8Array; payload: Uint8Array }[]): Promise<void>;
  /** Entries and payloads with from <= index < to, in order; with `openings`, each with its stored openings. */
  items(
    from: number,
    to: number,
    opts?: { openings?: boolean },
  ): AsyncIterable<{ index: number; entry: Uint8Array; payload: Uint8Array; openings?: Uint8Array }>;
  /** A state-map branch by its node hash (docs/STATE-MAP.md §Persistence). */
  mapNode(hash: Uint8Array): Promise<Uint8Array | undefined>;
  /** The record under (namespace, key), as stored. */
  record(ns: string, key: Uint8Array): Promise<Uint8Array | undefined>;
  /** Every record of a namespace, in key order (listing keys and exhibits). */
  records(ns: string): AsyncIterable<{ key: Uint8Array; bytes: Uint8Array }>;
  /** The stored complete-subtree nodes of one level, by ascending index (the store audit). */
  treeNodes(level: number): AsyncIterable<{ index: number; hash: Uint8Array }>;
  /** Every statement-index row (identity -> position), in identity order (the store audit). */
  statementRows(): AsyncIterable<{ id: Uint8Array; index: number }>;
  /** Position of the statement with this identity, if logged. */
  statementIndex(id: Uint8Array): Promise<number | undefined>;
  /** Positions of the entries in an exhibit's history, ascending. */
  exhibitEvents(id: Uint8Array): Promise<number[]>;
  putCheckpoint(size: number, note: string): Promise<void>;
  checkpoint(size: number): Promise<string | undefined>;
  checkpointSizes(): Promise<number[]>;
  /** The state this ledger's server keeps as a witness of the log `origin` (tlog-witness), as stored. */
  witnessState(origin: string): Promise<Uint8Array | undefined>;
  /** Replaces it, durably (the caller checks and writes under one lock: compare-and-set). */
  putWitnessState(origin: string, bytes: Uint8Array): Promise<void>;
  /**
   * A read-only view of the store as it is now, unchanged by later writes
   * (LevelDB: an explicit snapshot); its close() releases it. Optional: a
   * store without it is read live.
   */
  snapshot?(): LogStore;
  close(): Promise<void>;
}
