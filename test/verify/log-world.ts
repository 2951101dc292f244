/**
 * A small v2 ledger for the whole-ledger verifier tests, over any LogStore:
 * genesis, two enrolments, a co-signed rotation, two exhibits (one handed
 * over from NL to DE) whose registrations store their openings, and two
 * checkpoints signed with the log key. Plus ways to tamper with what a store
 * holds: raw writes to the LevelDB directory, and an overlay over a memory
 * store (its maps are private, so the overlay stands in for them).
 */
import { Level } from 'level';
import { signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { encodeOpenings } from '../../src/format/openings.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { rootAt } from '../../src/merkle/proofs.js';
import { encodeHead } from '../../src/store/log-head.js';
import { K } from '../../src/store/log-keys.js';
import type { LogBatch, LogHead, LogStore } from '../../src/store/log-store.js';
import { digestOf, ORIGIN, sign, T0 } from '../custody/v2-world.js';
import { make, statementKeyId } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';

export const people = {
  authority: seededSigner('log-verify authority'),
  newAuthority: seededSigner('log-verify new authority'),
  log: seededSigner('log-verify log'),
  collector: seededSigner('log-verify collector'),
  custodian: seededSigner('log-verify custodian'),
  stranger: seededSigner('log-verify stranger'),
};
export const clock = { now: () => T0 + 60_000, zone: () => 'UTC' };

export interface Built {
  store: LogStore;
  size: number;
  /** Exhibit id of HDD-01 (handed over) and the index of its registration (which has openings). */
  exhibit: Uint8Array;
  registeredAt: number;
  rotatedAt: number;
}

export async function checkpointNow(store: LogStore, size: number, signer = people.log): Promise<string> {
  const note = signCheckpoint({ origin: ORIGIN, size, root: await rootAt(store, size) }, ORIGIN, signer);
  await store.putCheckpoint(size, note);
  return note;
}

/** Builds the ledger in `store` and closes nothing. */
export async function buildLedger(store: LogStore): Promise<Built> {
  const ledger = await LogLedger.open(store, { clock });
  const seen = async () => ({ size: ledger.size, root: await rootAt(store, ledger.size) });
  const g = sign('genesis', people.authority, {
    name: 'Verifier test ledger',
    jurisdiction: 'NL',
    org: 'NFI',
    logKey: [KEY_TYPES.ed25519, people.log.publicKey],
  });
  await ledger.submit(g.bytes);
  let head = g.id;
  for (const [who, roles, j] of [
    [people.collector, ['collector', 'custodian'], 'NL'],
    [people.custodian, ['custodian', 'examiner'], 'DE'],
  ] as const) {
    const e = sign(
      'enrol',
      people.authority,
      {
        key: [KEY_TYPES.ed25519, who.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles: [...roles],
        jurisdiction: j,
        name: 'N',
        org: 'O',
      },
      { after: head, seen: await seen() },
    );
    await ledger.submit(e.bytes);
    head = e.id;
  }
  await checkpointNow(store, ledger.size);
  const rot = sign(
    'rotate',
    people.authority,
    { key: [KEY_TYPES.ed25519, people.newAuthority.publicKey] },
    { after: head, seen: await seen() },
    { cosigners: [people.newAuthority] },
  );
  const rotatedAt = (await ledger.submit(rot.bytes)).index;
  const exhibits: Uint8Array[] = [];
  let registeredAt = -1;
  for (const label of ['HDD-01', 'PHONE-01']) {
    const reg = make(
      'register',
      people.collector,
      { label, caseRef: 'NL-1', description: `Seized ${label}`, digests: digestOf(label), size: 10 },
      {},
      { time: T0 },
    );
    const at = await ledger.submit(reg.bytes, encodeOpenings(reg.openings));
    if (registeredAt < 0) registeredAt = at.index;
    exhibits.push(reg.id);
  }
  const x = exhibits[0]!;
  const t = sign(
    'transfer',
    people.collector,
    { to: statementKeyId(people.custodian.publicKey), reason: 'EIO', legalBasis: 'EIO 1' },
    { exhibit: x, after: x },
  );
  await ledger.submit(t.bytes);
  await ledger.submit(
    sign('accept', people.custodian, { seal: 'intact' }, { exhibit: x, after: t.id }).bytes,
  );
  await checkpointNow(store, ledger.size);
  return { store, size: ledger.size, exhibit: x, registeredAt, rotatedAt };
}

/** One change to what a store holds; `undefined` bytes delete. */
export type Change =
  | { kind: 'entry'; index: number; bytes: Uint8Array | undefined }
  | { kind: 'payload'; index: number; bytes: Uint8Array | undefined }
  | { kind: 'openings'; index: number; bytes: Uint8Array | undefined }
  | { kind: 'record'; ns: string; key: Uint8Array; bytes: Uint8Array | undefined }
  | { kind: 'checkpoint'; size: number; note: string }
  | { kind: 'head'; head: LogHead };

/** Writes the changes straight into a closed LevelDB ledger directory. */
export async function tamperLevel(dir: string, changes: readonly Change[]): Promise<void> {
  const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  const set = async (key: Uint8Array, bytes: Uint8Array | undefined) =>
    bytes === undefined ? db.del(key) : db.put(key, bytes);
  for (const c of changes) {
    if (c.kind === 'entry') await set(K.entry(c.index), c.bytes);
    else if (c.kind === 'payload') await set(K.payload(c.index), c.bytes);
    else if (c.kind === 'openings') await set(K.openings(c.index), c.bytes);
    else if (c.kind === 'record') await set(K.record(c.ns, c.key), c.bytes);
    else if (c.kind === 'checkpoint') await set(K.checkpoint(c.size), new TextEncoder().encode(c.note));
    else await set(K.head, encodeHead(c.head));
  }
  await db.close();
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * A memory store as if its maps had been edited: reads see the changes. An
 * item whose entry or payload is deleted is skipped, as LevelDB's ordered
 * iteration skips a deleted pair.
 */
export function tamperMemory(base: LogStore, changes: readonly Change[]): LogStore {
  type Item = Extract<Change, { index: number }>;
  const at = (kind: Item['kind'], i: number) =>
    changes.findLast((c): c is Item => c.kind === kind && 'index' in c && c.index === i);
  const over = (c: Item | undefined, fallback: () => Promise<Uint8Array | undefined>) =>
    c ? Promise.resolve(c.bytes) : fallback();
  const head = changes.findLast((c): c is Extract<Change, { kind: 'head' }> => c.kind === 'head');
  return {
    kind: 'memory',
    readHead: async () => head?.head ?? (await base.readHead()),
    write: (b: LogBatch) => base.write(b),
    entry: (i) => over(at('entry', i), () => base.entry(i)),
    payload: (i) => over(at('payload', i), () => base.payload(i)),
    openings: (i) => over(at('openings', i), () => base.openings(i)),
    eraseOpenings: (refs) => base.eraseOpenings(refs),
    restoreEntries: (items) => base.restoreEntries(items),
    async *items(from, to, opts) {
      for await (const it of base.items(from, to, opts)) {
        const e = at('entry', it.index);
        const p = at('payload', it.index);
        const o = at('openings', it.index);
        const entry = e ? e.bytes : it.entry;
        const payload = p ? p.bytes : it.payload;
        const openings = o ? o.bytes : it.openings;
        if (entry && payload)
          yield openings
            ? { index: it.index, entry, payload, openings }
            : { index: it.index, entry, payload };
      }
    },
    node: (l, i) => base.node(l, i),
    mapNode: (h) => base.mapNode(h),
    record: (ns, key) => {
      const c = changes.findLast((x) => x.kind === 'record' && x.ns === ns && hex(x.key) === hex(key));
      return c && c.kind === 'record' ? Promise.resolve(c.bytes) : base.record(ns, key);
    },
    async *records(ns) {
      const seen = new Set<string>();
      for await (const r of base.records(ns)) {
        seen.add(hex(r.key));
        const c = changes.findLast((x) => x.kind === 'record' && x.ns === ns && hex(x.key) === hex(r.key));
        if (c?.kind !== 'record') yield r;
        else if (c.bytes) yield { key: r.key, bytes: c.bytes };
      }
      for (const c of changes)
        if (c.kind === 'record' && c.ns === ns && c.bytes && !seen.has(hex(c.key)))
          yield { key: c.key, bytes: c.bytes };
    },
    treeNodes: (level) => base.treeNodes(level),
    statementRows: () => base.statementRows(),
    statementIndex: (id) => base.statementIndex(id),
    exhibitEvents: (id) => base.exhibitEvents(id),
    putCheckpoint: (s, n) => base.putCheckpoint(s, n),
    checkpoint: async (s) => {
      const c = changes.findLast((x) => x.kind === 'checkpoint' && x.size === s);
      return c && c.kind === 'checkpoint' ? c.note : base.checkpoint(s);
    },
    checkpointSizes: async () => {
      const sizes = new Set(await base.checkpointSizes());
      for (const c of changes) if (c.kind === 'checkpoint') sizes.add(c.size);
      return [...sizes].sort((a, b) => a - b);
    },
    witnessState: (o) => base.witnessState(o),
    putWitnessState: (o, b) => base.putWitnessState(o, b),
    close: () => base.close(),
  };
}

/** Flips one bit of byte `at` (counted from the end when negative). */
export function flip(b: Uint8Array, at: number): Uint8Array {
  const out = Uint8Array.from(b);
  const i = at < 0 ? out.length + at : at;
  out[i]! ^= 0x01;
  return out;
}

export const someRoot = sha256(new TextEncoder().encode('not the root'));
