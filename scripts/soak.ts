/**
 * npm run soak — the long version of test/reliability (not part of npm test).
 *
 *   node --import tsx scripts/soak.ts [--trials 1000] [--fuzz-scale 25] [--seed N]
 *                                     [--only crash|fuzz|flips|caps|server|federation|manifest] [--tsx]
 *                                     [--flip-statements 24]
 *
 * Format v2 throughout: LogLedger over LevelLogStore / MemoryLogStore.
 *
 *  crash  SIGKILL crash trials (test/reliability/lib/crash.ts): every acknowledged
 *         append survives with its leaf hash, verifyLogStore is ok (entries,
 *         checkpoints, head, records, tree), the ledger takes the next append.
 *         A fresh ledger every 25 trials keeps each check fast.
 *  fuzz   every hostile-input property of test/reliability/lib/fuzz.ts with
 *         `--fuzz-scale` times its npm-test runs, on fresh seeds (loaded when
 *         run: if that file does not load, this part fails and says why).
 *  flips  every single-byte change (XOR 0x01, 0x80 and 0xff) at every position of
 *         every entry, payload and openings of a seeded v2 history (the cast's
 *         ledger, a legal random workload from test/reliability/lib/workload.ts,
 *         a checkpoint signed by the log key, the stored head): verifyLogV2 must
 *         never report ok; a changed payload or openings must be named at its
 *         entry or the next. (A changed entry is caught by the signed checkpoint
 *         and the head, which cannot say which entry changed: v2 entries carry
 *         no signature of their own, so that one must only fail.)
 *  server the ledger server's reliability and fuzz tests (test/e2e/server-reliability.test.ts,
 *         server-fuzz.test.ts) at soak scale: 50 concurrent CLI clients, 50 SIGKILL trials
 *         under load (each restart must hold every acknowledged append; the ledger verifies),
 *         and 1,000 runs of each HTTP fuzz property.
 *  federation  random journeys across three ledgers (test/custody/federation-property.test.ts)
 *         at soak scale: 500 journeys, each crossing replayed everywhere and one damaged.
 *  manifest  a folder of 100,000 small files listed, hashed and its manifest encoded,
 *         read back in chunks, its root recomputed and a diff after changes
 *         (scripts/soak-manifest.ts; npm test registers 10,000).
 *  caps   the CLI on a bundle of exactly 256 MiB (read whole, then refused as
 *         malformed) and 256 MiB + 1 (refused unread).
 *
 * Prints counts; exits 1 if anything failed, with the seed to reproduce it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUNDLE_V2_LIMITS } from '../src/bundle/bundle-v2.js';
import { LedgerView } from '../src/ledger/ledger-view.js';
import { signLogCheckpoint } from '../src/ledger/log-checkpoints.js';
import { LevelLogStore } from '../src/store/log-level.js';
import { MemoryLogStore } from '../src/store/log-memory.js';
import { type LogItem, verifyLogV2 } from '../src/verify/log-verify.js';
import { AUTHORITY, createCastLedger, LOG } from '../test/reliability/lib/cast.js';
import { checkAfterCrash, prepareWriter, ROOT, runWriter } from '../test/reliability/lib/crash.js';
import { Prng } from '../test/reliability/lib/prng.js';
import { Workload } from '../test/reliability/lib/workload.js';
import { soakManifest } from './soak-manifest.js';

const { values: opt } = parseArgs({
  options: {
    trials: { type: 'string', default: '1000' },
    'fuzz-scale': { type: 'string', default: '25' },
    seed: { type: 'string' },
    only: { type: 'string' },
    tsx: { type: 'boolean', default: false },
    'flip-statements': { type: 'string', default: '24' },
  },
});
const seed = Number(opt.seed ?? Date.now() % 2 ** 31);
const only = opt.only;
const log = (s: string) => process.stdout.write(`${s}\n`);
const failures: string[] = [];
const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'custody-soak-'));
  temps.push(d);
  return d;
};
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

log(`custody soak — seed ${seed}${only ? `, only ${only}` : ''}`);

/** A fresh ledger now and then keeps each check (verify --deep of the whole ledger) fast. */
const TRIALS_PER_LEDGER = 25;

async function crash() {
  const trials = Number(opt.trials);
  const cmd = await prepareWriter({ tsx: opt.tsx });
  const prng = new Prng(seed);
  const stats = { trials: 0, killed: 0, killedAfterAcks: 0, acked: 0, finished: 0, ledgers: 0, maxSize: 0 };
  let dir = '';
  try {
    for (let i = 0; i < trials; i++) {
      if (i % TRIALS_PER_LEDGER === 0) {
        dir = join(tempDir(), 'ledger');
        const cast = await createCastLedger(await LevelLogStore.open(dir, 'create'));
        await cast.ledger.close();
        stats.ledgers++;
      }
      const fromSpawn = prng.chance(0.1);
      const finish = prng.chance(0.02);
      const t = {
        seed: seed + i,
        window: prng.pick([1, 2, 4, 8, 16, 32, 64]),
        killFrom: fromSpawn ? ('spawn' as const) : ('open' as const),
        ...(finish ? {} : { killAfterMs: fromSpawn ? prng.int(0, 600) : prng.int(0, 400) }),
        writeMs: finish ? prng.int(50, 400) : 10_000,
      };
      const run = await runWriter(cmd, dir, t);
      stats.trials++;
      if (run.killed) stats.killed++;
      else if (run.exitCode === 0) stats.finished++;
      else failures.push(`crash trial ${i} (seed ${t.seed}): writer exited ${run.exitCode}: ${run.stderr}`);
      if (run.killed && run.acked.size > 0) stats.killedAfterAcks++;
      if (/refused/.test(run.stderr))
        failures.push(`crash trial ${i} (seed ${t.seed}): ${run.stderr.trim()}`);
      stats.acked += run.acked.size;
      const check = await checkAfterCrash(dir, run.acked);
      stats.maxSize = Math.max(stats.maxSize, check.size);
      for (const f of check.failures) failures.push(`crash trial ${i} (seed ${t.seed}): ${f}`);
      if ((i + 1) % 50 === 0)
        log(`  crash: ${i + 1}/${trials} trials, ${failures.length} failures, ${elapsed()}`);
    }
  } finally {
    cmd.dispose();
  }
  log(
    `crash: ${stats.trials} trials (${stats.killed} killed, ${stats.killedAfterAcks} after acknowledged appends, ` +
      `${stats.finished} finished cleanly), ${stats.acked} acknowledged appends, all checked; ` +
      `${stats.ledgers} ledgers, largest ${stats.maxSize} entries; writer: ${cmd.mode}`,
  );
}

async function fuzz() {
  const scale = Number(opt['fuzz-scale']);
  // Loaded here, not at the top: a fuzz library that does not load fails this part only.
  let lib: typeof import('../test/reliability/lib/fuzz.js');
  try {
    lib = await import('../test/reliability/lib/fuzz.js');
  } catch (e) {
    failures.push(`fuzz: test/reliability/lib/fuzz.ts did not load: ${(e as Error).message}`);
    log('fuzz: NOT RUN (its library did not load)');
    return;
  }
  const props = lib.fuzzProperties(await lib.makeFuzzFixture());
  let runs = 0;
  for (const [i, p] of props.entries()) {
    const numRuns = p.runs * scale;
    const t = Date.now();
    try {
      await p.check({ seed: seed + i, numRuns });
    } catch (e) {
      failures.push(`fuzz "${p.name}" (seed ${seed + i}, ${numRuns} runs): ${(e as Error).message}`);
    }
    runs += numRuns;
    log(`  fuzz: ${p.name}: ${numRuns} runs, ${Date.now() - t} ms`);
  }
  log(`fuzz: ${props.length} properties, ${runs} runs`);
}

/** The parts of a stored v2 entry a byte can be changed in. */
const FLIP_PARTS = ['entry', 'payload', 'openings'] as const;

async function flips() {
  // A seeded history: genesis, five enrolments and a legal random workload, with openings.
  const store = new MemoryLogStore();
  const cast = await createCastLedger(store);
  const work = new Workload(cast, new Prng(seed));
  await work.load();
  for (let i = 0; i < Number(opt['flip-statements']); i++) {
    const o = await work.next();
    if (!o.ok) failures.push(`flips: the history's ${o.kind} was refused: ${o.code}`);
  }
  const cp = await signLogCheckpoint(new LedgerView(store), LOG);
  const checkpoints = [{ size: cp.size, note: cp.note }];
  const stored = await store.readHead();
  const head = stored ? { kind: 'ok' as const, head: stored } : { kind: 'missing' as const };
  const items: LogItem[] = [];
  for await (const it of store.items(0, cast.ledger.size)) {
    const openings = await store.openings(it.index);
    items.push(openings ? { ...it, openings } : { ...it });
  }
  await cast.ledger.close();
  const trustedKeys = [AUTHORITY.signer.publicKey];
  const clean = await verifyLogV2({ items, checkpoints, head }, { trustedKeys });
  if (!clean.report.ok)
    failures.push(
      `flips: the undamaged history does not verify: ${clean.report.problems.map((p) => p.code).join(', ')}`,
    );
  const before = failures.length;
  let cases = 0;
  for (const [i, item] of items.entries())
    for (const part of FLIP_PARTS) {
      const original = item[part];
      if (!original) continue;
      for (let at = 0; at < original.length; at++)
        for (const mask of [0x01, 0x80, 0xff]) {
          const bytes = original.slice();
          bytes[at]! ^= mask;
          const damaged = items.map((x, j) => (j === i ? { ...x, [part]: bytes } : x));
          const v = await verifyLogV2({ items: damaged, checkpoints, head }, { trustedKeys });
          cases++;
          const where = `flips: entry ${i} ${part}, byte ${at} ^ ${mask}`;
          if (v.report.ok) failures.push(`${where}: verified as ok`);
          else if (part !== 'entry' && !v.allProblems().some((p) => p.seq === i || p.seq === i + 1))
            failures.push(`${where}: no problem at entry ${i} or ${i + 1}`);
        }
    }
  const missed = failures.length - before;
  log(
    `flips: ${cases} single-byte changes in the entries, payloads and openings of ${items.length} entries; ` +
      (missed === 0
        ? 'every one detected, payloads and openings at their entry'
        : `${missed} NOT as required`),
  );
}

function caps() {
  const outcomes: string[] = [];
  const dir = tempDir();
  const key = execFileSync(
    process.execPath,
    [join(ROOT, 'dist/cli/main.js'), 'key', 'new', '--name', 'Soak', '--out', join(dir, 'k.key'), '--json'],
    {
      env: { ...process.env, CUSTODY_PASSPHRASE: 'soak' },
    },
  );
  const pk = (JSON.parse(String(key)) as { publicKey: string }).publicKey;
  const limit = BUNDLE_V2_LIMITS.bytes;
  for (const size of [limit, limit + 1]) {
    const file = join(dir, `b-${size}.custody`);
    writeFileSync(file, '');
    truncateSync(file, size);
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'dist/cli/main.js'), 'verify-bundle', file, '--trust', pk],
      {
        encoding: 'utf8',
      },
    );
    // At the limit the file is read whole and decoded: refused for its missing header.
    // Over it, refused before it is read. Both BUNDLE_MALFORMED, exit 2 (docs/CLI.md).
    const want = size === limit ? 'missing the header' : `larger than ${limit} bytes`;
    const ok = r.status === 2 && r.stderr.includes(want) && r.stderr.endsWith('[BUNDLE_MALFORMED]\n');
    if (!ok)
      failures.push(`caps: bundle of ${size} bytes: exit ${r.status}, ${r.stderr.trim().slice(0, 500)}`);
    else outcomes.push(`${size} bytes: exit ${r.status}`);
  }
  log(
    `caps: the CLI refuses a 256 MiB bundle after reading it and a 256 MiB + 1 byte bundle unread (${outcomes.join(', ')})`,
  );
}

/** The server's reliability tests with the soak's counts (they read them from the environment). */
function server() {
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vitest/vitest.mjs'),
      'run',
      'test/e2e/server-reliability.test.ts',
      'test/e2e/server-fuzz.test.ts',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        CUSTODY_SERVER_CLIENTS: '50',
        CUSTODY_SERVER_KILLS: '50',
        CUSTODY_FUZZ_RUNS: '1000',
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (r.status !== 0)
    failures.push(
      `server: ${(r.stdout + r.stderr)
        .split('\n')
        .filter((l) => /FAIL|×|Error/.test(l))
        .slice(0, 10)
        .join(' | ')}`,
    );
  log(
    `server: 50 concurrent clients, 50 SIGKILL trials: ${r.status === 0 ? 'passed' : 'FAILED'} (${elapsed()})`,
  );
}

/** Random journeys across three ledgers, with the soak's count. */
function federation() {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/custody/federation-property.test.ts'],
    {
      cwd: ROOT,
      env: { ...process.env, CUSTODY_FEDERATION_RUNS: '500' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (r.status !== 0)
    failures.push(
      `federation: ${(r.stdout + r.stderr)
        .split('\n')
        .filter((l) => /FAIL|×|Error|Counterexample/.test(l))
        .slice(0, 10)
        .join(' | ')}`,
    );
  log(
    `federation: 500 random journeys across three ledgers: ${r.status === 0 ? 'passed' : 'FAILED'} (${elapsed()})`,
  );
}

try {
  if (!only || only === 'federation') federation();
  if (!only || only === 'server') server();
  if (!only || only === 'fuzz') await fuzz();
  if (!only || only === 'flips') await flips();
  if (!only || only === 'caps') caps();
  if (!only || only === 'crash') await crash();
  if (!only || only === 'manifest') {
    const m = await soakManifest({ files: 100_000 });
    failures.push(...m.failures.map((f) => `manifest: ${f}`));
    log(
      `manifest: ${m.files} files (${m.bytes} bytes) hashed in ${(m.timings.hash / 1000).toFixed(1)} s, manifest ${m.manifestBytes} bytes, ${m.failures.length === 0 ? 'passed' : 'FAILED'} (${elapsed()})`,
    );
  }
} finally {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
}
for (const f of failures.slice(0, 50)) log(`FAILED ${f}`);
log(`soak: ${failures.length} failures, ${elapsed()} (seed ${seed})`);
process.exitCode = failures.length > 0 ? 1 : 0;
