/**
 * LedgerStore: the storage interface of a ledger (docs/STORAGE.md). Two
 * implementations — LevelDB (./level.ts) and memory (./memory.ts) — pass one
 * conformance suite (test/store/conformance.ts).
 *
 * The store holds the records (the only primary data) and data derived from
 * them: Merkle tree nodes, the custody state, indexes and the head. All of it is
 * written in ONE atomic, durable batch per group commit, so the derived data can
 * never disagree with the records after a crash.
 */
import type { ActorRecord, ExhibitRecord, StateHead } from '../custody/state.js';
import type { NewNode } from '../merkle/frontier.js';
import type { NodeReader } from '../merkle/proofs.js';

export interface StoredEntry {
  seq: number;
  bytes: Uint8Array;
  /** Exhibits this entry is an event of (a derived registration is also an event of its parent). */
  exhibits: string[];
  actor: string;
}

export interface AppendBatch {
  entries: StoredEntry[];
  nodes: NewNode[];
  actors: ActorRecord[];
  exhibits: ExhibitRecord[];
  head: StateHead;
}

export interface LedgerStore extends NodeReader {
  readonly kind: 'leveldb' | 'memory';
  /** The head after the last committed batch, or undefined for an empty store. */
  readHead(): Promise<StateHead | undefined>;
  /** Writes the batch atomically and durably (fsync) before resolving. */
  write(batch: AppendBatch): Promise<void>;
  entry(seq: number): Promise<Uint8Array | undefined>;
  /** Records with from <= seq < to, in order. */
  entries(from: number, to: number): AsyncIterable<{ seq: number; bytes: Uint8Array }>;
  actor(id: string): Promise<ActorRecord | undefined>;
  exhibit(id: string): Promise<ExhibitRecord | undefined>;
  listActors(): AsyncIterable<ActorRecord>;
  listExhibits(): AsyncIterable<ExhibitRecord>;
  /** Seqs of the events of an exhibit, ascending. */
  exhibitEvents(id: string): Promise<number[]>;
  /** Seqs of the entries signed by an actor, ascending. */
  actorEntries(id: string): Promise<number[]>;
  /** Every stored Merkle node of one level, ascending by index (for the deep audit). */
  levelNodes(level: number): AsyncIterable<{ index: number; hash: Uint8Array }>;
  /** Every index row, ascending by (id, seq) (for the deep audit). */
  indexRows(kind: 'exhibit' | 'actor'): AsyncIterable<{ id: string; seq: number }>;
  putCheckpoint(size: number, note: string): Promise<void>;
  checkpoint(size: number): Promise<string | undefined>;
  /** Sizes of the stored checkpoints, ascending. */
  checkpointSizes(): Promise<number[]>;
  close(): Promise<void>;
}
