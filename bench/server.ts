/**
 * The ledger server under load (issue 26; docs/PERFORMANCE.md §Server):
 *   server.append_per_s         32 concurrent remote clients, each sending whole exhibit lives
 *                               (10 statements signed before the timed phase, in one request),
 *                               against the local append rate measured in this run with the same
 *                               lives and 32 local writers: target ratio >= 0.5
 *   server.append_latency_ms_*  4 clients, one statement per request (below saturation): p99 < 50 ms
 *   server.tile_reads_per_s     full level-0 hash tiles, 32 concurrent readers
 * A real `custody serve` process on loopback; the clients are fetch() in this process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptKeyFile } from '../src/keys/keyfile.js';
import { decodeAppendAnswer, encodeAppendRequest } from '../src/ledger/append-wire.js';
import { LevelLogStore } from '../src/store/log-level.js';
import { createWorld, type Signed, seed, signLife, submitLife } from './workload.js';

const CLIENTS = 32;
const PASSPHRASE = 'bench';

export interface ServerBench {
  appendPerS: number;
  localPerS: number;
  latencyP50: number;
  latencyP99: number;
  tileReadsPerS: number;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** Runs `work` on `n` concurrent loops that take items from one queue. */
async function pool<T>(items: readonly T[], n: number, work: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

function startServer(
  cli: string,
  ledger: string,
  keyFile: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const proc = spawn(
    process.execPath,
    [
      ...(process.env['CUSTODY_BENCH_PROF']
        ? ['--cpu-prof', '--cpu-prof-dir', process.env['CUSTODY_BENCH_PROF']]
        : []),
      cli,
      'serve',
      '--ledger',
      ledger,
      '--log-key',
      keyFile,
      '--listen',
      '127.0.0.1:0',
      '--json',
    ],
    {
      env: { ...process.env, CUSTODY_PASSPHRASE: PASSPHRASE },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  return new Promise((resolve, reject) => {
    proc.stderr.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      const m = /^\{"url":"([^"]+)"\}$/m.exec(err);
      if (m)
        resolve({
          url: m[1]!,
          stop: () =>
            new Promise((done) => {
              proc.on('exit', () => done());
              proc.kill('SIGTERM');
            }),
        });
    });
    proc.on('exit', (code) => reject(new Error(`server exited (${code}): ${err}`)));
  });
}

async function post(url: string, statements: readonly Signed[]): Promise<void> {
  const body = encodeAppendRequest(
    statements.map((s) =>
      s.openings ? { statement: s.bytes, openings: s.openings } : { statement: s.bytes },
    ),
  );
  const res = await fetch(`${url}/v1/statements`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/msgpack' },
  });
  const answer = decodeAppendAnswer(new Uint8Array(await res.arrayBuffer()), statements.length);
  for (const r of answer)
    if ('error' in r) throw new Error(`append refused: ${r.error.code} ${r.error.message}`);
}

export async function benchServer(
  cli: string,
  lives: number,
  say: (s: string) => void,
): Promise<ServerBench> {
  const dir = mkdtempSync(join(tmpdir(), 'custody-bench-server-'));
  try {
    // The local reference: the same lives, 32 writers on a LogLedger in this process.
    const localStore = await LevelLogStore.open(join(dir, 'local'), 'create');
    const local = await createWorld(localStore);
    const localLives = Array.from({ length: lives }, (_, i) => signLife(local, i));
    let t = performance.now();
    await pool(localLives, CLIENTS, (life) => submitLife(local, life, () => {}));
    const localPerS = (lives * 10) / ((performance.now() - t) / 1000);
    await local.ledger.close();
    say(`  local: ${Math.round(localPerS)} entries/s`);

    const ledger = join(dir, 'served');
    const store = await LevelLogStore.open(ledger, 'create');
    const w = await createWorld(store);
    const signed = Array.from({ length: lives + 400 }, (_, i) => signLife(w, i));
    await w.ledger.close();
    const keyFile = join(dir, 'log.key');
    writeFileSync(
      keyFile,
      encryptKeyFile({
        name: 'bench log',
        seed: seed('log'),
        passphrase: PASSPHRASE,
        kdf: { N: 16384, r: 8, p: 1 },
      }),
    );
    const server = await startServer(cli, ledger, keyFile);
    try {
      t = performance.now();
      await pool(signed.slice(0, lives), CLIENTS, (life) => post(server.url, life));
      const appendPerS = (lives * 10) / ((performance.now() - t) / 1000);
      say(`  server: ${Math.round(appendPerS)} entries/s`);

      const latencies: number[] = [];
      await pool(signed.slice(lives, lives + 400), 4, async (life) => {
        for (const s of life) {
          const a = performance.now();
          await post(server.url, [s]);
          latencies.push(performance.now() - a);
        }
      });

      const fullTiles = Math.floor((49 + (lives + 400) * 10) / 256);
      let reads = 0;
      const until = performance.now() + 2000;
      t = performance.now();
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, c) => {
          for (let i = c; performance.now() < until; i++) {
            const n = i % fullTiles;
            const path = `tile/0/${String(n % 1000).padStart(3, '0')}`;
            const res = await fetch(
              `${server.url}/${n >= 1000 ? `tile/0/x${String(Math.floor(n / 1000)).padStart(3, '0')}/${String(n % 1000).padStart(3, '0')}` : path}`,
            );
            if (res.status !== 200) throw new Error(`tile read: HTTP ${res.status}`);
            await res.arrayBuffer();
            reads++;
          }
        }),
      );
      const tileReadsPerS = reads / ((performance.now() - t) / 1000);
      return {
        appendPerS,
        localPerS,
        latencyP50: percentile(latencies, 50),
        latencyP99: percentile(latencies, 99),
        tileReadsPerS,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `node dist/bench/server.js [lives]`: this part of the bench alone. */
if (process.argv[1]?.endsWith('server.js')) {
  const lives = Number(process.argv[2] ?? 2000);
  const cli = join(import.meta.dirname, '..', 'cli', 'main.js');
  const r = await benchServer(cli, lives, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
