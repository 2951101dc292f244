/**
 * Tampering with each thing a v2 store holds, through the store's own data
 * (raw LevelDB writes; an overlay standing in for the memory store's private
 * maps), is reported with its own code (docs/ERRORS.md §Whole-ledger
 * verification, format v2). Includes the v1 defect: a deleted exhibit record
 * must not verify.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { signCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { NS } from '../../src/custody/records.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogStore } from '../../src/store/log-store.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { type LogItem, verifyLogV2 } from '../../src/verify/log-verify.js';
import { ORIGIN } from '../custody/v2-world.js';
import {
  type Built,
  buildLedger,
  type Change,
  flip,
  people,
  someRoot,
  tamperLevel,
  tamperMemory,
} from './log-world.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Case {
  name: string;
  /** The changes, computed from the intact store. */
  changes: (s: LogStore, b: Built) => Promise<Change[]>;
  /** The code that must be reported, at this entry (null: the log as a whole). */
  code: string;
  seq: (b: Built) => number | null;
  /** When set, the codes of every problem, exactly. */
  only?: string[];
}

const bytes = async (p: Promise<Uint8Array | undefined>) => (await p)!;

const CASES: Case[] = [
  {
    name: 'an exhibit record added that no entry wrote',
    changes: async (s, b) => [
      {
        kind: 'record',
        ns: NS.exhibit,
        key: someRoot,
        bytes: await bytes(s.record(NS.exhibit, b.exhibit)),
      },
    ],
    code: 'STORE_RECORD_EXTRA',
    seq: () => null,
    only: ['STORE_RECORD_EXTRA'],
  },
  {
    name: 'an entry byte (its payload hash)',
    changes: async (s, b) => [
      { kind: 'entry', index: b.registeredAt, bytes: flip(await bytes(s.entry(b.registeredAt)), -1) },
    ],
    code: 'PAYLOAD_HASH_MISMATCH',
    seq: (b) => b.registeredAt,
  },
  {
    name: 'an entry byte (its map root)',
    changes: async (s, _b) => [{ kind: 'entry', index: 4, bytes: flip(await bytes(s.entry(4)), -40) }],
    code: 'MAP_ROOT_MISMATCH',
    seq: () => 4,
  },
  {
    name: 'a payload byte',
    changes: async (s) => [{ kind: 'payload', index: 2, bytes: flip(await bytes(s.payload(2)), 30) }],
    code: 'PAYLOAD_HASH_MISMATCH',
    seq: () => 2,
  },
  {
    name: 'an openings byte',
    changes: async (s, b) => [
      { kind: 'openings', index: b.registeredAt, bytes: flip(await bytes(s.openings(b.registeredAt)), -3) },
    ],
    code: 'OPENINGS_MISMATCH',
    seq: (b) => b.registeredAt,
    only: ['OPENINGS_MISMATCH'],
  },
  {
    name: 'an exhibit record deleted (the v1 defect)',
    changes: async (_s, b) => [{ kind: 'record', ns: NS.exhibit, key: b.exhibit, bytes: undefined }],
    code: 'STORE_RECORD_MISSING',
    seq: () => null,
    only: ['STORE_RECORD_MISSING'],
  },
  {
    name: 'an exhibit record edited',
    changes: async (s, b) => [
      {
        kind: 'record',
        ns: NS.exhibit,
        key: b.exhibit,
        bytes: flip(await bytes(s.record(NS.exhibit, b.exhibit)), -1),
      },
    ],
    code: 'STORE_RECORD_MISMATCH',
    seq: () => null,
    only: ['STORE_RECORD_MISMATCH'],
  },
  {
    name: 'a checkpoint signed by another key',
    changes: async (s, b) => [
      {
        kind: 'checkpoint',
        size: b.size,
        note: signCheckpoint(
          { origin: ORIGIN, size: b.size, root: await rootOf(s, b.size) },
          ORIGIN,
          people.stranger,
        ),
      },
    ],
    code: 'CHECKPOINT_UNSIGNED',
    seq: () => null,
    only: ['CHECKPOINT_UNSIGNED'],
  },
  {
    name: 'a checkpoint with a wrong root',
    changes: async (_s, b) => [
      {
        kind: 'checkpoint',
        size: b.size,
        note: signCheckpoint({ origin: ORIGIN, size: b.size, root: someRoot }, ORIGIN, people.log),
      },
    ],
    code: 'CHECKPOINT_ROOT_MISMATCH',
    seq: () => null,
    only: ['CHECKPOINT_ROOT_MISMATCH'],
  },
  {
    name: 'a checkpoint of another origin',
    changes: async (s) => [
      {
        kind: 'checkpoint',
        size: 3,
        note: signCheckpoint(
          { origin: 'other.example', size: 3, root: await rootOf(s, 3) },
          'other.example',
          people.log,
        ),
      },
    ],
    code: 'CHECKPOINT_ORIGIN_MISMATCH',
    seq: () => null,
    only: ['CHECKPOINT_ORIGIN_MISMATCH'],
  },
  {
    name: 'a checkpoint moved to another size',
    changes: async (s) => [{ kind: 'checkpoint', size: 4, note: (await s.checkpoint(3))! }],
    code: 'CHECKPOINT_SIZE_MISMATCH',
    seq: () => null,
    only: ['CHECKPOINT_SIZE_MISMATCH'],
  },
  {
    name: 'a checkpoint mangled',
    changes: async (s) => [
      { kind: 'checkpoint', size: 3, note: (await s.checkpoint(3))!.replace('\n\n', '\n') },
    ],
    code: 'CHECKPOINT_MALFORMED',
    seq: () => null,
    only: ['CHECKPOINT_MALFORMED'],
  },
  {
    name: 'the head edited',
    changes: async (s) => [{ kind: 'head', head: { ...(await s.readHead())!, lastTime: 1 } }],
    code: 'STORE_HEAD_MISMATCH',
    seq: () => null,
    only: ['STORE_HEAD_MISMATCH'],
  },
  {
    name: 'an entry deleted (with its payload)',
    changes: async () => [
      { kind: 'entry', index: 5, bytes: undefined },
      { kind: 'payload', index: 5, bytes: undefined },
    ],
    code: 'ENTRY_MISSING',
    seq: () => 5,
  },
  {
    name: 'the last entry deleted (with its payload)',
    changes: async (_s, b) => [
      { kind: 'entry', index: b.size - 1, bytes: undefined },
      { kind: 'payload', index: b.size - 1, bytes: undefined },
    ],
    code: 'CHECKPOINT_BEYOND_LOG',
    seq: () => null,
    // The derived data of the deleted entry is still stored: its exhibit's history lists it,
    // its statement-index row and its tree node point past the log.
    only: [
      'STORE_HEAD_MISMATCH',
      'CHECKPOINT_BEYOND_LOG',
      'STORE_RECORD_MISMATCH',
      'STORE_EVENTS_MISMATCH',
      'STORE_INDEX_MISMATCH',
      'STORE_TREE_MISMATCH',
    ],
  },
];

async function rootOf(s: LogStore, size: number) {
  const { rootAt } = await import('../../src/merkle/proofs.js');
  return rootAt(s, size);
}

/** Builds a ledger on `backend`, applies the changes through the store's data, returns the store to verify. */
async function tampered(backend: 'memory' | 'leveldb', c: Case): Promise<{ store: LogStore; built: Built }> {
  if (backend === 'memory') {
    const base = new MemoryLogStore();
    const built = await buildLedger(base);
    return { store: tamperMemory(base, await c.changes(base, built)), built };
  }
  const d = mkdtempSync(join(tmpdir(), 'custody-logtamper-'));
  dirs.push(d);
  const dir = join(d, 'ledger');
  const first = await LevelLogStore.open(dir, 'create');
  const built = await buildLedger(first);
  const changes = await c.changes(first, built);
  await first.close();
  await tamperLevel(dir, changes);
  return { store: await LevelLogStore.open(dir, 'open'), built };
}

describe.each(['memory', 'leveldb'] as const)('tampering with a %s store', (backend) => {
  it.each(CASES)('$name is reported as $code', async (c) => {
    const { store, built } = await tampered(backend, c);
    try {
      const r = await verifyLogStore(store, { trustedKeys: [people.authority.publicKey] });
      expect(r.report.ok).toBe(false);
      const codes = r.report.problems.map((p) => p.code);
      if (c.only) expect([...new Set(codes)].sort()).toEqual([...c.only].sort());
      expect(r.report.problems).toContainEqual(expect.objectContaining({ code: c.code, seq: c.seq(built) }));
    } finally {
      await store.close();
    }
  });
});

describe('random corruption', () => {
  const intact = (async () => {
    const store = new MemoryLogStore();
    const built = await buildLedger(store);
    const items: LogItem[] = [];
    for await (const it of store.items(0, Number.MAX_SAFE_INTEGER)) items.push(it);
    const checkpoints = [];
    for (const size of await store.checkpointSizes())
      checkpoints.push({ size, note: (await store.checkpoint(size))! });
    return { built, items, checkpoints, head: (await store.readHead())! };
  })();

  it('leaves the intact log ok', async () => {
    const { items, checkpoints, head } = await intact;
    expect((await verifyLogV2({ items, checkpoints, head: { kind: 'ok', head } })).report.ok).toBe(true);
  });

  test.prop([fc.nat(), fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 })], { numRuns: 150 })(
    'of one byte of any stored entry or payload never yields ok',
    async (which, isEntry, at, xor) => {
      const { items, checkpoints, head } = await intact;
      const i = which % items.length;
      const copy = items.map((it) => ({ ...it }));
      const target = Uint8Array.from(isEntry ? copy[i]!.entry : copy[i]!.payload);
      target[at % target.length]! ^= xor;
      if (isEntry) copy[i]!.entry = target;
      else copy[i]!.payload = target;
      const r = await verifyLogV2({ items: copy, checkpoints, head: { kind: 'ok', head } });
      expect(r.report.ok).toBe(false);
    },
  );
});
