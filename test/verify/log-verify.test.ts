/**
 * The whole-ledger verifier of format v2 (docs/VERIFYING.md) on intact
 * ledgers: a ledger appended by LogLedger over memory and over LevelDB
 * verifies, anchors to pinned keys as the genesis authority, a rotated-in
 * authority or the log key, and reports what it could not check.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/bytes.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { inlineChecker } from '../../src/crypto/signature-checker.js';
import { WorkerPoolChecker } from '../../src/crypto/verify-pool.js';
import { decodeEntry, encodeEntry } from '../../src/format/entry.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogStore } from '../../src/store/log-store.js';
import { replayEntries } from '../../src/verify/entries.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { type LogItem, verifyLogV2 } from '../../src/verify/log-verify.js';
import { buildLedger, people, someRoot } from './log-world.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function items(store: LogStore): Promise<LogItem[]> {
  const out: LogItem[] = [];
  for await (const it of store.items(0, Number.MAX_SAFE_INTEGER)) out.push(it);
  return out;
}

const backends: [string, () => Promise<LogStore>][] = [
  ['memory', async () => new MemoryLogStore()],
  [
    'leveldb',
    async () => {
      const d = mkdtempSync(join(tmpdir(), 'custody-logverify-'));
      dirs.push(d);
      return LevelLogStore.open(join(d, 'ledger'), 'create');
    },
  ],
];

describe.each(backends)('verifyLogStore over %s', (_name, open) => {
  it('verifies an intact ledger, anchored by the pinned genesis authority', async () => {
    const store = await open();
    const b = await buildLedger(store);
    const progress: number[] = [];
    const r = await verifyLogStore(store, {
      trustedKeys: [people.authority.publicKey],
      progress: (n) => progress.push(n),
    });
    expect(r.report.problems).toEqual([]);
    expect(r.report).toMatchObject({
      ok: true,
      anchored: true,
      origin: 'ledger.nfi.example/2026',
      entries: b.size,
      exhibits: 2,
      problemCount: 0,
    });
    expect(r.report.anchor).toMatchObject({
      via: 'genesis',
      seq: 0,
      role: 'authority',
      publicKey: toBase64(people.authority.publicKey),
    });
    expect(r.report.anchor?.actor).toMatch(/^K-/);
    // Two signatures on the rotation, one on everything else.
    expect(r.report.signaturesChecked).toBe(b.size + 1);
    expect(r.ledger?.logKey.publicKey).toEqual(people.log.publicKey);
    expect(progress.at(-1)).toBe(b.size);
    await store.close();
  });

  it('is ok but not anchored without pinned keys', async () => {
    const store = await open();
    await buildLedger(store);
    const r = await verifyLogStore(store);
    expect(r.report.ok).toBe(true);
    expect(r.report.anchored).toBe(false);
    expect(r.report.anchor).toBeNull();
    await store.close();
  });

  it('anchors by a rotated-in authority key and by the log key, and says which', async () => {
    const store = await open();
    const b = await buildLedger(store);
    const rotated = await verifyLogStore(store, { trustedKeys: [people.newAuthority.publicKey] });
    expect(rotated.report.ok).toBe(true);
    expect(rotated.report.anchor).toMatchObject({ via: 'rotation', seq: b.rotatedAt, role: 'authority' });
    const log = await verifyLogStore(store, { logKeys: [people.log.publicKey] });
    expect(log.report.ok).toBe(true);
    expect(log.report.anchor).toMatchObject({ via: 'genesis', seq: 0, role: 'log' });
    await store.close();
  });

  it('reports a pinned key that matches nothing, even beside one that matches', async () => {
    const store = await open();
    await buildLedger(store);
    const r = await verifyLogStore(store, {
      trustedKeys: [people.authority.publicKey, people.stranger.publicKey],
      logKeys: [people.collector.publicKey],
    });
    expect(r.report.ok).toBe(false);
    expect(r.report.anchored).toBe(true);
    expect(r.report.problems.map((p) => p.code)).toEqual(['ANCHOR_KEY_UNMATCHED', 'ANCHOR_KEY_UNMATCHED']);
    await store.close();
  });

  it('checks roots seen earlier: a different root, a size the log no longer has', async () => {
    const store = await open();
    const b = await buildLedger(store);
    const r = await verifyLogStore(store, {
      checkpoints: [
        { size: 2, root: someRoot },
        { size: b.size + 5, root: someRoot },
      ],
    });
    expect(r.report.problems.map((p) => p.code)).toEqual(['CHECKPOINT_MISMATCH', 'LOG_TRUNCATED']);
    await store.close();
  });

  it('is never ok for an empty ledger', async () => {
    const store = await open();
    const r = await verifyLogStore(store, { trustedKeys: [people.authority.publicKey] });
    expect(r.report.ok).toBe(false);
    expect(r.report.problems.map((p) => p.code)).toEqual(['LOG_EMPTY', 'ANCHOR_KEY_UNMATCHED']);
    await store.close();
  });
});

describe('verifyLogV2 (pure)', () => {
  it('verifies signatures on the worker pool with the same outcome, and reports a forged one', async () => {
    const store = new MemoryLogStore();
    const b = await buildLedger(store);
    const log = await items(store);
    // A payload whose signature is broken, with an entry that commits to it: only the signature is wrong.
    const i = b.registeredAt + 1;
    const payload = Uint8Array.from(log[i]!.payload);
    payload[payload.length - 10]! ^= 1;
    const e = decodeEntry(log[i]!.entry).entry;
    const forged = [...log];
    forged[i] = { index: i, entry: encodeEntry({ ...e, payloadHash: sha256(payload) }), payload };
    const pool = new WorkerPoolChecker(2);
    try {
      for (const checker of [undefined, pool]) {
        const good = await verifyLogV2({ items: log }, { ...(checker ? { checker } : {}), batchSize: 3 });
        expect(good.report.ok).toBe(true);
        expect(good.report.signaturesChecked).toBe(b.size + 1);
        const bad = await verifyLogV2({ items: forged }, { ...(checker ? { checker } : {}), batchSize: 3 });
        expect(bad.report.ok).toBe(false);
        expect(bad.report.problems[0]).toMatchObject({ code: 'STATEMENT_SIGNATURE_INVALID', seq: i });
        expect(bad.report.problems[0]!.exhibit).toMatch(/^EX-/);
      }
    } finally {
      await pool.close();
    }
  });

  it('reports a source that fails part-way, a gap and a repeated position, and never throws', async () => {
    const store = new MemoryLogStore();
    await buildLedger(store);
    const log = await items(store);
    async function* failing() {
      yield log[0]!;
      yield log[1]!;
      throw new Error('disk on fire');
    }
    const failed = await verifyLogV2({ items: failing() });
    expect(failed.report.ok).toBe(false);
    expect(failed.report.problems.map((p) => p.code)).toEqual(['SOURCE_FAILED']);
    expect(failed.report.entries).toBe(2);

    const gap = await verifyLogV2({ items: [log[0]!, log[1]!, log[3]!, log[4]!] });
    expect(gap.report.problems.map((p) => [p.code, p.seq])).toEqual([['ENTRY_MISSING', 2]]);
    expect(gap.report.entries).toBe(2);

    const again = await verifyLogV2({ items: [log[0]!, log[0]!, ...log.slice(1)] });
    expect(again.report.problems.map((p) => [p.code, p.seq])).toEqual([['ENTRY_OUT_OF_ORDER', 0]]);

    const garbage = [
      { index: 0, entry: new Uint8Array([0x96, 2, 0]), payload: new Uint8Array(3) },
      { index: 1, entry: new Uint8Array(0), payload: new Uint8Array(0) },
    ];
    const g = await verifyLogV2({ items: garbage, checkpoints: [{ size: 1, note: 'nonsense' }] });
    expect(g.report.ok).toBe(false);
    expect(g.report.problems.map((p) => p.code)).toContain('GENESIS_UNVERIFIED');
    expect(g.report.problems.map((p) => p.code)).toContain('CHECKPOINT_MALFORMED');
  });
});

describe('replayEntries with a checker', () => {
  it('gives exactly what the inline replay gives, on intact and damaged logs', async () => {
    const store = new MemoryLogStore();
    await buildLedger(store);
    const log = await items(store);
    const damaged = (i: number, field: 'entry' | 'payload', at: number) =>
      log.map((it, k) => {
        if (k !== i) return it;
        const b = Uint8Array.from(it[field]);
        b[at < 0 ? b.length + at : at]! ^= 1;
        return { ...it, [field]: b };
      });
    for (const l of [
      log,
      damaged(2, 'payload', 30),
      damaged(4, 'entry', -40),
      damaged(0, 'entry', 3),
      log.slice(1),
    ]) {
      const inline = await replayEntries(l);
      for (const batchSize of [1, 3, 256]) {
        const batched = await replayEntries(l, { checker: inlineChecker, batchSize });
        expect(batched.problems).toEqual(inline.problems);
        expect(batched.root).toEqual(inline.root);
        expect(batched.mapRoot).toEqual(inline.mapRoot);
      }
    }
  });
});

describe('purity', () => {
  it('log-verify.ts imports no I/O, storage or thread module', () => {
    const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
    const seen = new Map<string, string[]>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      const specs = [
        ...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm),
      ];
      seen.set(
        file,
        specs.map((m) => m[1]!),
      );
      for (const [, s] of specs)
        if (s!.startsWith('.')) visit(join(dirname(file), s!.replace(/\.js$/, '.ts')));
    };
    visit(join(src, 'verify/log-verify.ts'));
    const all = [...seen].flatMap(([f, specs]) => specs.map((s) => `${f}: ${s}`));
    expect(all.filter((s) => /: (node:|level|classic-level)/.test(s))).toEqual([]);
    expect([...seen.keys()].filter((f) => /\/src\/(store|ledger|files|keys)\//.test(f))).toEqual([]);
  });
});
