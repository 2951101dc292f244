/**
 * The ledger's state cache (src/ledger/state-cache.ts) is only a cache: a
 * ledger that keeps 3 records in memory must write exactly the same bytes,
 * and refuse exactly the same appends, as one that keeps them all.
 */
import { describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { StateCache } from '../../src/ledger/state-cache.js';
import { MemoryStore } from '../../src/store/memory.js';
import { verifyLog } from '../../src/verify/verifier.js';
import { makeWorld, registerExhibit, type World } from '../helpers/world.js';

async function history(w: World): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) ids.push((await registerExhibit(w, `HDD-${i}`, `content ${i}`)).exhibit!);
  // Hand every exhibit across, concurrently (group commit), then accept them in reverse order.
  await Promise.all(
    ids.map((x) =>
      w.ledger.append(
        { kind: 'transfer', body: { exhibit: x, to: w.deCustodian.id, reason: 'EIO', legalBasis: 'EIO 1' } },
        w.nlCollector.signer,
      ),
    ),
  );
  for (const x of [...ids].reverse())
    await w.ledger.append({ kind: 'accept', body: { exhibit: x } }, w.deCustodian.signer);
  return ids;
}

async function recordsOf(w: World) {
  const out: { seq: number; bytes: Uint8Array }[] = [];
  for await (const r of w.ledger.records()) out.push(r);
  return out;
}

describe('state cache limit', () => {
  it('a ledger keeping 3 records in memory writes the same bytes as one keeping all', async () => {
    const small = await makeWorld(new MemoryStore(), { cacheLimit: 3, maxBatch: 4 });
    const large = await makeWorld(new MemoryStore(), { maxBatch: 4 });
    const a = await history(small);
    const b = await history(large);
    expect(a).toEqual(b);
    const ra = await recordsOf(small);
    expect(ra.map((r) => Buffer.from(r.bytes).toString('hex'))).toEqual(
      (await recordsOf(large)).map((r) => Buffer.from(r.bytes).toString('hex')),
    );
    const { report } = await verifyLog(ra, { trustedKeys: [small.authority.signer.publicKey] });
    expect(report.ok).toBe(true);
    expect((await small.ledger.exhibit(a[0]!))?.holder).toBe(small.deCustodian.id);
  });

  it('still refuses what the rules refuse once the records it needs were dropped from memory', async () => {
    const w = await makeWorld(new MemoryStore(), { cacheLimit: 2 });
    const ids = await history(w);
    const before = w.ledger.size;
    // The old holder no longer holds the first exhibit (its record was evicted long ago).
    const err = await w.ledger
      .append(
        { kind: 'transfer', body: { exhibit: ids[0]!, to: w.frCourt.id, reason: 'x', legalBasis: 'MLA 2' } },
        w.nlCollector.signer,
      )
      .catch((e: unknown) => e);
    expect((err as CustodyError).code).toBe('NOT_HOLDER');
    expect(w.ledger.size).toBe(before);
    // And re-registering an evicted exhibit id is refused too.
    const again = await w.ledger
      .append(
        {
          kind: 'register',
          body: {
            exhibit: ids[1]!,
            label: 'dup',
            caseRef: 'C',
            description: 'd',
            digests: { sha256: new Uint8Array(32) },
            size: 1,
          },
        },
        w.nlCollector.signer,
      )
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(CustodyError);
    expect((again as CustodyError).code).toBe('EXHIBIT_EXISTS');
  });
});

describe('StateCache.trim', () => {
  it('drops the least recently loaded records down to three quarters of the limit, only when over it', async () => {
    const head = { size: 0, head: new Uint8Array(32), lastTime: 0, origin: '', authority: '' };
    const cache = new StateCache(new MemoryStore(), head, 8);
    await cache.prefetch([], ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    cache.trim();
    expect(cache.cached).toBe(8);
    await cache.prefetch(['k1'], ['i', 'j']);
    cache.trim();
    expect(cache.cached).toBe(7);
  });
});
