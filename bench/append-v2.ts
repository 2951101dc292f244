/**
 * Format v2 append throughput over LevelDB (docs/PERFORMANCE.md): statements
 * are signed before the timed phase, as a server receives them, then
 * submitted to a LogLedger in concurrent streams; signatures are verified on
 * the worker pool while the main thread sequences, and every acknowledgement
 * waits for a synced batch. The reference is raw Ed25519 verification on all
 * cores measured in the same run (ed25519.limit_per_s).
 *
 *   npm run build && node dist/bench/append-v2.js [--entries N] [--streams S]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signerFromSeed } from '../src/crypto/ed25519.js';
import { sha256 } from '../src/crypto/sha256.js';
import { WorkerPoolChecker } from '../src/crypto/verify-pool.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../src/format/key-id.js';
import { ed25519Key } from '../src/format/sign-statement.js';
import { LogLedger } from '../src/ledger/log-ledger.js';
import { rootAt } from '../src/merkle/proofs.js';
import { LevelLogStore } from '../src/store/log-level.js';
import { ed25519LimitPerSecond } from './ed25519-limit.js';
import { benchStatement } from './v2-statement.js';

const ORIGIN = 'bench.custody.example/append-v2';
const T0 = Date.UTC(2026, 2, 1);
type Key = ReturnType<typeof signerFromSeed>;
const enc = new TextEncoder();
const statement = (
  ...a: Parameters<typeof benchStatement> extends [string, number, ...infer R] ? R : never
) => benchStatement(ORIGIN, T0, ...a);

export interface AppendV2Result {
  entries: number;
  entriesPerS: number;
  limitPerS: number;
  ratio: number;
}

export async function measureAppendV2(n: number, streams = 256): Promise<AppendV2Result> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-v2-'));
  const checker = new WorkerPoolChecker();
  try {
    const clock = { now: () => T0 + 1000, zone: () => 'UTC' };
    const ledger = await LogLedger.open(await LevelLogStore.open(join(dir, 'ledger'), 'create'), {
      clock,
      checker,
    });
    const authority = signerFromSeed(sha256(enc.encode('bench v2 authority')));
    const log = signerFromSeed(sha256(enc.encode('bench v2 log')));
    const g = statement('genesis', authority, {
      name: 'Bench',
      jurisdiction: 'NL',
      org: 'Bench',
      logKey: [KEY_TYPES.ed25519, log.publicKey],
    });
    await ledger.submit(g.bytes);
    let head = g.id;
    const collectors: Key[] = [];
    for (let i = 0; i < streams; i++) {
      const who = signerFromSeed(sha256(enc.encode(`bench v2 collector ${i}`)));
      const e = statement(
        'enrol',
        authority,
        {
          key: [KEY_TYPES.ed25519, who.publicKey],
          purpose: KEY_PURPOSES.statement,
          roles: ['collector', 'custodian'],
          jurisdiction: 'NL',
          name: 'X',
          org: 'Y',
        },
        { after: head, seen: { size: ledger.size, root: await rootAt(ledger.store, ledger.size) } },
      );
      await ledger.submit(e.bytes);
      head = e.id;
      collectors.push(who);
    }
    // Pre-signed: each stream registers exhibits and hands each to the next stream's collector.
    const work: Uint8Array[][] = collectors.map(() => []);
    for (let i = 0, made = 0; made < n; i++, made += 2) {
      const s = i % streams;
      const me = collectors[s]!;
      const next = keyIdOf(ed25519Key(collectors[(s + 1) % streams]!.publicKey), KEY_PURPOSES.statement);
      const r = statement('register', me, {
        label: `X-${i}`,
        caseRef: 'BENCH',
        description: 'Bench exhibit',
        digests: { sha256: sha256(enc.encode(`bytes ${i}`)) },
        size: 1,
      });
      const t = statement('transfer', me, { to: next, reason: 'Bench' }, { exhibit: r.id, after: r.id });
      work[s]!.push(r.bytes, t.bytes);
    }
    const limitPerS = await ed25519LimitPerSecond(2000);
    const start = performance.now();
    await Promise.all(
      work.map(async (list) => {
        for (const b of list) await ledger.submit(b);
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const entries = work.flat().length;
    await ledger.close();
    const entriesPerS = entries / seconds;
    return { entries, entriesPerS, limitPerS, ratio: entriesPerS / limitPerS };
  } finally {
    await checker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--entries');
  const w = process.argv.indexOf('--streams');
  const r = await measureAppendV2(
    i >= 0 ? Number(process.argv[i + 1]) : 50_000,
    w >= 0 ? Number(process.argv[w + 1]) : undefined,
  );
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
