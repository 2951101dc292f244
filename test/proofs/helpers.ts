/**
 * Shared fixtures for the proof tests: a small deterministic v2 ledger
 * (LogLedger over any LogStore) grown with exhibit registrations, its leaves
 * recomputed from the stored entries, and what an insider with write access
 * to a LevelDB ledger directory could do to it.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { expect } from 'vitest';
import type { Signer } from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import type { Canonical } from '../../src/format/canonical.js';
import { decodeEntry } from '../../src/format/entry.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { encodeOpenings } from '../../src/format/openings.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { encodeHead } from '../../src/store/log-head.js';
import { K, prefixRange, readU64 } from '../../src/store/log-keys.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogStore } from '../../src/store/log-store.js';
import { type LogItem, verifyLogV2 } from '../../src/verify/log-verify.js';
import { make, seededRandom } from '../format/v2-fixtures.js';
import { digestsOf, seededSigner } from '../helpers/world.js';
import { leafHashOf } from './independent.js';

export const ORIGIN = 'custody.test/nl-nfi';
export const T0 = Date.UTC(2026, 3, 1, 9, 0, 0);

export interface ProofWorld {
  ledger: LogLedger;
  store: LogStore;
  view: LedgerView;
  authority: Signer;
  /** The log key genesis names: it signs checkpoints. */
  log: Signer;
  collector: Signer;
  custodian: Signer;
  ledgerHead: Uint8Array;
  salt: number;
}

/** A clock one second further at each call. */
function clock() {
  let t = T0 + 60_000;
  return { now: () => (t += 1000), zone: () => 'Europe/Amsterdam' };
}

/** Signs `kind` and submits it with its openings; salts are seeded, so the bytes are reproducible. */
export async function submit(
  w: ProofWorld,
  kind: string,
  signer: Signer,
  fields: Record<string, Canonical | undefined>,
  links: { exhibit?: Uint8Array; after?: Uint8Array; seen?: { size: number; root: Uint8Array } } = {},
  cosigners: Signer[] = [],
) {
  const m = make(kind, signer, fields, links, {
    origin: ORIGIN,
    time: T0 + 30_000,
    random: seededRandom(`proofs ${w.salt++}`),
    cosigners,
  });
  const r = await w.ledger.submit(m.bytes, encodeOpenings(m.openings));
  return { ...m, index: r.index };
}

/** A ledger statement linked to the governance chain and to the current tree. */
export async function govern(
  w: ProofWorld,
  kind: string,
  fields: Record<string, Canonical | undefined>,
  cosigners: Signer[] = [],
) {
  const s = await submit(
    w,
    kind,
    w.authority,
    fields,
    { after: w.ledgerHead, seen: { size: w.ledger.size, root: w.ledger.root() } },
    cosigners,
  );
  w.ledgerHead = s.id;
  return s;
}

/**
 * Genesis (authority, log key) and the enrolment of a collector (NL) and a
 * custodian (DE): 3 entries. `keys` prefixes every key seed (a forger's
 * world with other keys); the same call gives the same bytes every time.
 */
export async function makeWorld(store: LogStore = new MemoryLogStore(), keys = ''): Promise<ProofWorld> {
  const key = (l: string) => seededSigner(`${keys}proofs ${l}`);
  const w: ProofWorld = {
    ledger: await LogLedger.open(store, { clock: clock() }),
    store,
    view: new LedgerView(store),
    authority: key('authority'),
    log: key('log'),
    collector: key('collector'),
    custodian: key('custodian'),
    ledgerHead: new Uint8Array(32),
    salt: 0,
  };
  const g = await submit(w, 'genesis', w.authority, {
    name: 'NFI ledger authority',
    jurisdiction: 'NL',
    org: 'Netherlands Forensic Institute',
    logKey: [KEY_TYPES.ed25519, w.log.publicKey],
  });
  w.ledgerHead = g.id;
  for (const [who, roles, j] of [
    [w.collector, ['collector', 'custodian'], 'NL'],
    [w.custodian, ['custodian', 'examiner'], 'DE'],
  ] as const)
    await govern(w, 'enrol', {
      key: [KEY_TYPES.ed25519, who.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: [...roles],
      jurisdiction: j,
      name: `actor ${j}`,
      org: 'Org',
    });
  return w;
}

/** The same world over a ledger reopened on another store (salts continue where they were). */
export async function reopened(w: ProofWorld, store: LogStore): Promise<ProofWorld> {
  return {
    ...w,
    store,
    view: new LedgerView(store),
    ledger: await LogLedger.open(store, { clock: clock() }),
    salt: w.salt + 1000,
  };
}

/** Registers exhibits by the collector until the ledger has `size` entries. */
export async function growTo(w: ProofWorld, size: number, tag = 'X'): Promise<void> {
  while (w.ledger.size < size) {
    const i = w.ledger.size;
    await submit(w, 'register', w.collector, {
      label: `${tag}-${i}`,
      caseRef: 'NL-2026-0042',
      description: `exhibit ${tag} number ${i}`,
      digests: digestsOf(`${tag} content ${i}`),
      size: 100 + i,
      seal: `NL-SEAL-${i}`,
      location: 'Keizersgracht 1, Amsterdam',
    });
  }
}

/** The stored entries and payloads, in order. */
export async function itemsOf(store: LogStore): Promise<LogItem[]> {
  const out: LogItem[] = [];
  for await (const it of store.items(0, Number.MAX_SAFE_INTEGER)) out.push(it);
  return out;
}

/** Leaf hashes recomputed from the stored entries: SHA-256(0x00 || entry). */
export async function leavesOf(store: LogStore): Promise<Buffer[]> {
  return (await itemsOf(store)).map((it) => leafHashOf(it.entry));
}

/** Awaits `fn` (which may throw synchronously or reject) and returns the CustodyError code. */
export async function codeOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    return (e as CustodyError).code;
  }
  throw new Error('expected a CustodyError, nothing was thrown');
}

const temps: string[] = [];

export function tempDir(prefix = 'custody-proofs-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function copyDir(from: string): string {
  const to = join(tempDir('custody-proofs-copy-'), 'ledger');
  cpSync(from, to, { recursive: true });
  return to;
}

type RawDB = Level<Uint8Array, Uint8Array>;

async function withRaw<T>(dir: string, fn: (db: RawDB) => Promise<T>): Promise<T> {
  const db: RawDB = new Level<Uint8Array, Uint8Array>(dir, {
    keyEncoding: 'view',
    valueEncoding: 'view',
    createIfMissing: false,
  });
  await db.open();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export interface TruncateOptions {
  /**
   * Also make the derived data agree with the shorter log (default true):
   * delete the tree nodes, statement-index rows and exhibit events of the
   * removed entries, put back the state records as the remaining entries
   * leave them, and rewrite the head.
   */
  careful?: boolean;
  /** Also delete stored checkpoints larger than the new size (default false). */
  dropCheckpoints?: boolean;
}

/**
 * What an insider with write access to the ledger directory could do: delete
 * every entry from `size` on (entry, payload, openings), directly in LevelDB.
 * A careful insider also rewrites the derived data so that the store agrees
 * with itself again, as if the log had never been longer.
 */
export async function truncateLevelLedger(dir: string, size: number, opts: TruncateOptions = {}) {
  const careful = opts.careful ?? true;
  await withRaw(dir, async (db) => {
    const ops: ({ type: 'del'; key: Uint8Array } | { type: 'put'; key: Uint8Array; value: Uint8Array })[] =
      [];
    const del = (key: Uint8Array) => ops.push({ type: 'del', key });
    const kept: LogItem[] = [];
    for (let i = 0; ; i++) {
      const entry = await db.get(K.entry(i));
      if (entry === undefined) break;
      const payload = (await db.get(K.payload(i)))!;
      if (i < size) {
        kept.push({ index: i, entry, payload });
        continue;
      }
      del(K.entry(i));
      del(K.payload(i));
      del(K.openings(i));
    }
    if (careful) {
      const r = await verifyLogV2({ items: kept });
      expect(r.report.problems).toEqual([]);
      for await (const k of db.keys(prefixRange(Uint8Array.of(0x6e)))) {
        const level = k[1]!;
        const index = readU64(k, 2);
        if ((index + 1) * 2 ** level > size) del(k);
      }
      for await (const [k, v] of db.iterator(prefixRange(Uint8Array.of(0x53))))
        if (readU64(v, 0) >= size) del(k);
      for await (const k of db.keys(prefixRange(Uint8Array.of(0x78))))
        if (readU64(k, k.length - 8) >= size) del(k);
      for await (const k of db.keys(prefixRange(Uint8Array.of(0x52)))) del(k);
      for (const rec of r.state.records())
        ops.push({ type: 'put', key: K.record(rec.ns, rec.key), value: rec.bytes });
      const last = decodeEntry(kept[kept.length - 1]!.entry).entry;
      expect(r.state.map.size).toBeGreaterThan(1);
      ops.push({
        type: 'put',
        key: K.head,
        value: encodeHead({
          size,
          lastTime: last.time,
          mapRoot: last.mapRoot,
          mapSize: r.state.map.size,
          mapRootLeaf: null,
        }),
      });
    }
    if (opts.dropCheckpoints)
      for await (const k of db.keys(prefixRange(K.checkpoints))) if (readU64(k, 1) > size) del(k);
    await db.batch(ops, { sync: true });
  });
}

/** Overwrites one stored Merkle node directly in LevelDB. */
export async function overwriteNode(dir: string, level: number, index: number, hash: Uint8Array) {
  await withRaw(dir, (db) => db.put(K.treeNode(level, index), hash, { sync: true }));
}

/** The authority enrols `pq` as the log's ML-DSA-44 key (purpose log, type 0x06). */
export function enrolLogMlDsaKey(w: ProofWorld, pq: { publicKey: Uint8Array }) {
  return govern(w, 'enrol', {
    key: [KEY_TYPES.mldsa44, pq.publicKey],
    purpose: KEY_PURPOSES.log,
    roles: [],
    jurisdiction: 'NL',
    name: 'log key (ML-DSA-44)',
    org: 'NFI',
  });
}

/**
 * A world whose log also has an ML-DSA-44 key (`pq`), enrolled by the authority (purpose log),
 * and one exhibit, HDD-01, registered by the collector; grown to `size` entries.
 */
export async function dualKeyWorld(
  pq: { publicKey: Uint8Array },
  size: number,
): Promise<{ w: ProofWorld; exhibit: Uint8Array }> {
  const w = await makeWorld();
  await enrolLogMlDsaKey(w, pq);
  const reg = await submit(w, 'register', w.collector, {
    label: 'HDD-01',
    caseRef: 'NL-2026-0042',
    description: 'a disk',
    digests: digestsOf('disk'),
    size: 4,
  });
  await growTo(w, size);
  return { w, exhibit: reg.id };
}
