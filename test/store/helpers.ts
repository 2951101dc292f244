/**
 * Shared helpers of the store tests: hand-built AppendBatch objects (a fake log
 * whose Merkle nodes are real, computed with MerkleFrontier), error assertions
 * and a full dump of a store's contents for before/after comparisons.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { sha256 } from '../../src/crypto/sha256.js';
import type { ActorRecord, ExhibitRecord, StateHead } from '../../src/custody/state.js';
import { CustodyError } from '../../src/errors.js';
import { MerkleFrontier } from '../../src/merkle/frontier.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import type { AppendBatch, LedgerStore, StoredEntry } from '../../src/store/store.js';
import { digestsOf, makeWorld, registerExhibit, type World } from '../helpers/world.js';

/**
 * Byte arrays compare by content in these tests: LevelStore hands out Node
 * Buffers (a Uint8Array subclass, from `level` and msgpackr) where MemoryStore
 * hands out plain Uint8Arrays, and vitest's toEqual would otherwise tell them apart.
 */
expect.addEqualityTesters([
  (a: unknown, b: unknown) =>
    a instanceof Uint8Array && b instanceof Uint8Array ? Buffer.compare(a, b) === 0 : undefined,
]);

const enc = new TextEncoder();
export const hash32 = (label: string): Uint8Array => sha256(enc.encode(label));

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Awaits `p`, expects it to reject with a CustodyError (of `code`, if given) and returns the error. */
export async function expectCustodyError(p: Promise<unknown>, code?: string): Promise<CustodyError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected a CustodyError, but the promise resolved').toBeInstanceOf(CustodyError);
  const err = e as CustodyError;
  if (code !== undefined) expect(err.code, err.message).toBe(code);
  return err;
}

/** Temp directories removed by `removeTempDirs` (call it in afterEach). */
const tempDirs: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'custody-'));
  tempDirs.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Distinct, variable-length record bytes for a seq (8..307 bytes, starts with the seq as u64 BE). */
export function recordBytes(seq: number, salt = 0): Uint8Array {
  const b = new Uint8Array(8 + ((seq * 37 + salt) % 300));
  new DataView(b.buffer).setBigUint64(0, BigInt(seq));
  for (let i = 8; i < b.length; i++) b[i] = (seq * 7 + i * 13 + salt) & 0xff;
  return b;
}

export const ACTOR_IDS = ['AC-zulu', 'AC-alpha', 'AC-mike'] as const;
export const EXHIBIT_IDS = ['EX-one', 'EX-two', 'EX-one-copy'] as const;

export function actorRecord(id: string, enrolledSeq: number, extra: Partial<ActorRecord> = {}): ActorRecord {
  return {
    id,
    publicKey: hash32(`pk ${id}`),
    name: `Actor ${id} — Müller`,
    roles: ['custodian', 'examiner'],
    jurisdiction: 'NL',
    org: 'Netherlands Forensic Institute',
    enrolledSeq,
    ...extra,
  };
}

export function exhibitRecord(
  id: string,
  registeredSeq: number,
  lastSeq: number,
  extra: Partial<ExhibitRecord> = {},
): ExhibitRecord {
  return {
    id,
    label: `label of ${id}`,
    caseRef: 'NL-2026-0042',
    registeredSeq,
    digests: { sha256: hash32(`content ${id}`), md5: hash32(`md5 ${id}`).slice(0, 16) },
    size: 2_000_000_000,
    holder: ACTOR_IDS[0],
    status: 'held',
    lastSeq,
    lastHash: hash32(`last ${id} ${lastSeq}`),
    events: lastSeq - registeredSeq + 1,
    mismatches: [],
    brokenSeals: [],
    ...extra,
  };
}

/**
 * A fake log that produces consecutive hand-built batches. Entries are not
 * valid records (the store never decodes them), but the Merkle nodes are the
 * real ones for their leaf hashes, so rootAt() over the store can be checked.
 */
export class FakeLog {
  readonly frontier = MerkleFrontier.empty();
  readonly records: Uint8Array[] = [];
  readonly entries: StoredEntry[] = [];
  /** Root after each size (index = size). */
  readonly roots: Uint8Array[] = [this.frontier.root()];
  lastHash: Uint8Array = new Uint8Array(32);

  get size(): number {
    return this.records.length;
  }

  head(): StateHead {
    return {
      size: this.size,
      head: this.lastHash.slice(),
      lastTime: Date.UTC(2026, 2, 1) + this.size * 1000,
      origin: 'custody.test/conformance',
      authority: ACTOR_IDS[0],
    };
  }

  /**
   * The next batch of `count` entries. By default entry seq is signed by
   * ACTOR_IDS[seq % 3] and is an event of EX-one when seq is even, of EX-two
   * when seq % 3 == 0.
   */
  batch(
    count: number,
    opts: {
      actors?: ActorRecord[];
      exhibits?: ExhibitRecord[];
      tag?: (seq: number) => { exhibits: string[]; actor: string };
    } = {},
  ): AppendBatch {
    const tag =
      opts.tag ??
      ((seq: number) => ({
        actor: ACTOR_IDS[seq % 3]!,
        exhibits: [...(seq % 2 === 0 ? [EXHIBIT_IDS[0]] : []), ...(seq % 3 === 0 ? [EXHIBIT_IDS[1]] : [])],
      }));
    const out: AppendBatch = {
      entries: [],
      nodes: [],
      actors: opts.actors ?? [],
      exhibits: opts.exhibits ?? [],
      head: this.head(),
    };
    for (let i = 0; i < count; i++) {
      const seq = this.size;
      const bytes = recordBytes(seq);
      const entry: StoredEntry = { seq, bytes, ...tag(seq) };
      this.records.push(bytes);
      this.entries.push(structuredClone(entry));
      this.lastHash = hashLeaf(bytes);
      out.entries.push(entry);
      out.nodes.push(...this.frontier.append(this.lastHash));
      this.roots.push(this.frontier.root());
    }
    out.head = this.head();
    return out;
  }

  /** Seqs of the entries tagged with exhibit `id`, ascending. */
  exhibitSeqs(id: string): number[] {
    return this.entries.filter((e) => e.exhibits.includes(id)).map((e) => e.seq);
  }
  actorSeqs(id: string): number[] {
    return this.entries.filter((e) => e.actor === id).map((e) => e.seq);
  }
}

/** Every complete-subtree node (level, index) of a tree of `size` leaves. */
export function completeNodes(size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let level = 0; 2 ** level <= size; level++)
    for (let index = 0; (index + 1) * 2 ** level <= size; index++) out.push([level, index]);
  return out;
}

export interface Snapshot {
  head: StateHead | undefined;
  entries: { seq: number; bytes: Uint8Array }[];
  nodes: [number, number, Uint8Array][];
  actors: ActorRecord[];
  exhibits: ExhibitRecord[];
  actorById: (ActorRecord | undefined)[];
  exhibitById: (ExhibitRecord | undefined)[];
  exhibitEvents: number[][];
  actorEntries: number[][];
  checkpoints: [number, string | undefined][];
}

/** Everything readable from a store, for the ids given. listExhibits has no specified order: sorted by id. */
export async function snapshot(
  store: LedgerStore,
  ids: { actors: string[]; exhibits: string[] },
): Promise<Snapshot> {
  const head = await store.readHead();
  const size = head?.size ?? 0;
  const nodes: [number, number, Uint8Array][] = [];
  for (const [level, index] of completeNodes(size))
    nodes.push([level, index, await store.node(level, index)]);
  const exhibits = await collect(store.listExhibits());
  const checkpoints: [number, string | undefined][] = [];
  for (const s of await store.checkpointSizes()) checkpoints.push([s, await store.checkpoint(s)]);
  return {
    head,
    entries: await collect(store.entries(0, size + 10)),
    nodes,
    actors: await collect(store.listActors()),
    exhibits: exhibits.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    actorById: await Promise.all(ids.actors.map((id) => store.actor(id))),
    exhibitById: await Promise.all(ids.exhibits.map((id) => store.exhibit(id))),
    exhibitEvents: await Promise.all(ids.exhibits.map((id) => store.exhibitEvents(id))),
    actorEntries: await Promise.all(ids.actors.map((id) => store.actorEntries(id))),
    checkpoints,
  };
}

export interface Scenario {
  w: World;
  /** The parent exhibit and its derived copy. */
  parent: string;
  child: string;
  other: string[];
  seqs: { register: number; transfer: number; accept: number; derive: number; examine: number };
}

/**
 * A real custody history over `store`: genesis + 6 enrolments (seqs 0..6), an
 * exhibit registered, handed to the examiner, a derived copy registered from it
 * and examined, plus three registrations queued at once (group commit).
 */
export async function custodyScenario(store: LedgerStore): Promise<Scenario> {
  const w = await makeWorld(store);
  const reg = await registerExhibit(w);
  const parent = reg.exhibit!;
  const transfer = await w.ledger.append(
    { kind: 'transfer', body: { exhibit: parent, to: w.nlExaminer.id, reason: 'imaging' } },
    w.nlCollector.signer,
  );
  const accept = await w.ledger.append(
    { kind: 'accept', body: { exhibit: parent, digests: digestsOf('disk image bytes'), seal: 'intact' } },
    w.nlExaminer.signer,
  );
  const derive = await w.ledger.append(
    {
      kind: 'register',
      body: {
        label: 'HDD-01 image',
        caseRef: 'NL-2026-0042',
        description: 'E01 image of HDD-01',
        digests: digestsOf('e01 image bytes'),
        size: 15,
        parent,
      },
    },
    w.nlExaminer.signer,
  );
  const child = derive.exhibit!;
  const examine = await w.ledger.append(
    { kind: 'examine', body: { exhibit: child, action: 'keyword search', tool: 'X-Ways 21' } },
    w.nlExaminer.signer,
  );
  const more = await Promise.all([1, 2, 3].map((i) => registerExhibit(w, `USB-0${i}`, `usb ${i}`)));
  return {
    w,
    parent,
    child,
    other: more.map((m) => m.exhibit!),
    seqs: {
      register: reg.seq,
      transfer: transfer.seq,
      accept: accept.seq,
      derive: derive.seq,
      examine: examine.seq,
    },
  };
}

export const worldActorIds = (w: World): string[] => [
  w.authority.id,
  w.nlCollector.id,
  w.nlExaminer.id,
  w.deCustodian.id,
  w.deExaminer.id,
  w.frCourt.id,
  w.witness.id,
];
