/**
 * The format v2 stores side by side (src/store/log-store.ts): LevelDB and
 * memory answer alike for the same batches, LevelDB keeps everything across a
 * reopen, and the memory store refuses a batch that does not follow the log.
 * The conformance suite each store runs on its own is ./conformance.ts (from
 * memory.test.ts and level.test.ts, which also holds opening, locking and the
 * layout version).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/crypto/sha256.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogBatch, LogStore } from '../../src/store/log-store.js';

const h = (s: string) => sha256(new TextEncoder().encode(s));

function batch(from: number, n: number, opts: { exhibit?: Uint8Array } = {}): LogBatch {
  const entries = Array.from({ length: n }, (_, k) => {
    const index = from + k;
    return {
      index,
      entry: encodeCanonical([2, index, 1000 + index, h(`map ${index}`), 1, h(`payload ${index}`)]),
      payload: new TextEncoder().encode(`payload ${index}`),
      ...(index % 2 === 0 ? { openings: encodeCanonical({ reason: [h('salt'), `why ${index}`] }) } : {}),
      id: h(`statement ${index}`),
      exhibits: opts.exhibit ? [opts.exhibit] : [],
    };
  });
  return {
    entries,
    treeNodes: entries.map((e) => ({ level: 0, index: e.index, hash: h(`leaf ${e.index}`) })),
    mapNodes: [{ hash: h(`node ${from}`), bytes: new TextEncoder().encode(`branch ${from}`) }],
    records: [
      { ns: 'exhibit', key: h('x'), bytes: encodeCanonical({ v: 1, at: from + n - 1 }) },
      { ns: 'key', key: h(`k ${from}`), bytes: encodeCanonical({ v: 1 }) },
    ],
    head: {
      size: from + n,
      lastTime: 1000 + from + n - 1,
      mapRoot: h(`root ${from + n}`),
      mapSize: from + n,
      mapRootLeaf: null,
    },
  };
}

/** Plain copies: LevelDB hands out Buffers, memory Uint8Arrays; the bytes are what must agree. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return Uint8Array.from(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

async function readAll(s: LogStore) {
  const items = [];
  for await (const it of s.items(0, 100)) items.push(it);
  return plain({
    head: await s.readHead(),
    items,
    openings: await Promise.all([0, 1, 2, 3, 4].map((i) => s.openings(i))),
    exhibit: await s.record('exhibit', h('x')),
    keys: await Promise.all([0, 3].map((i) => s.record('key', h(`k ${i}`)))),
    gone: await s.record('key', h('k 9')),
    node: await s.mapNode(h('node 3')),
    missingNode: await s.mapNode(h('nothing')),
    statement: await s.statementIndex(h('statement 4')),
    unknown: await s.statementIndex(h('statement 99')),
    events: await s.exhibitEvents(h('X-1')),
    leaf: await s.node(0, 4),
    checkpoints: await s.checkpointSizes(),
    checkpoint: await s.checkpoint(5),
  }) as Record<string, unknown> & {
    items: unknown[];
    head: { size: number };
    openings: unknown[];
    keys: unknown[];
  };
}

async function fill(s: LogStore) {
  await s.write(batch(0, 3, { exhibit: h('X-1') }));
  await s.write({
    ...batch(3, 2, { exhibit: h('X-1') }),
    records: [{ ns: 'key', key: h('k 0'), bytes: undefined }, ...batch(3, 2).records],
  });
  await s.putCheckpoint(5, 'ledger.example\n5\nroot\n\n— sig\n');
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'custody-logstore-'));
  dirs.push(d);
  return join(d, 'ledger');
};

describe('v2 log stores', () => {
  it('LevelDB and memory answer alike, and LevelDB keeps it all across a reopen', async () => {
    const mem = new MemoryLogStore();
    const dir = tempDir();
    const lvl = await LevelLogStore.open(dir, 'create');
    await fill(mem);
    await fill(lvl);
    const a = await readAll(mem);
    expect(a.items).toHaveLength(5);
    expect(a.head?.size).toBe(5);
    expect(a.openings.map((o) => o !== undefined)).toEqual([true, false, true, false, true]);
    expect(a.keys[0]).toBeUndefined(); // removed by the second batch
    expect(a.statement).toBe(4);
    expect(a.unknown).toBeUndefined();
    expect(a.events).toEqual([0, 1, 2, 3, 4]);
    expect(a.missingNode).toBeUndefined();
    expect(a.checkpoints).toEqual([5]);
    expect(await readAll(lvl)).toEqual(a);
    await lvl.close();
    const again = await LevelLogStore.open(dir, 'open');
    expect(await readAll(again)).toEqual(a);
    await again.close();
  });

  it('refuses a batch that does not follow the log, and keeps nothing of it', async () => {
    const mem = new MemoryLogStore();
    await mem.write(batch(0, 2));
    await expect(mem.write(batch(3, 1))).rejects.toMatchObject({ code: 'STORE_GAP' });
    expect((await mem.readHead())?.size).toBe(2);
    expect(await mem.entry(3)).toBeUndefined();
  });

  it('a damaged head is STORE_CORRUPT, not a crash', async () => {
    const { decodeHead } = await import('../../src/store/log-head.js');
    expect(() => decodeHead(new Uint8Array([0xc1]))).toThrow(
      expect.objectContaining({ code: 'STORE_CORRUPT' }),
    );
    expect(() => decodeHead(encodeCanonical({ size: 1 }))).toThrow(
      expect.objectContaining({ code: 'STORE_CORRUPT' }),
    );
  });
});
