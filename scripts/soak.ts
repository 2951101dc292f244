/**
 * npm run soak — the long version of test/reliability (not part of npm test).
 *
 *   node --import tsx scripts/soak.ts [--trials 1000] [--fuzz-scale 25] [--seed N]
 *                                     [--only crash|fuzz|flips|caps] [--tsx]
 *
 *  crash  SIGKILL crash trials (test/reliability/lib/crash.ts): every acknowledged
 *         append survives, verify --deep ok, the ledger takes the next append.
 *         A fresh ledger every 25 trials keeps each check fast.
 *  fuzz   every hostile-input property of test/reliability/lib/fuzz.ts with
 *         `--fuzz-scale` times its npm-test runs, on fresh seeds.
 *  flips  every single-byte change (XOR 0x01, 0x80 and 0xff) at every position of every
 *         record of the tamper-test history: verifyLog must never report ok.
 *  caps   the CLI on a bundle of exactly 256 MiB (read whole, then refused for
 *         another reason) and 256 MiB + 1 (refused unread).
 *
 * Prints counts; exits 1 if anything failed, with the seed to reproduce it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUNDLE_LIMITS } from '../src/bundle/format.js';
import { LevelStore } from '../src/store/level.js';
import { MemoryStore } from '../src/store/memory.js';
import { verifyLog } from '../src/verify/verifier.js';
import { collect } from '../test/helpers/forge.js';
import { createCastLedger } from '../test/reliability/lib/cast.js';
import { checkAfterCrash, prepareWriter, ROOT, runWriter } from '../test/reliability/lib/crash.js';
import { fuzzProperties, makeFuzzFixture } from '../test/reliability/lib/fuzz.js';
import { buildHistory } from '../test/reliability/lib/history.js';
import { Prng } from '../test/reliability/lib/prng.js';

const { values: opt } = parseArgs({
  options: {
    trials: { type: 'string', default: '1000' },
    'fuzz-scale': { type: 'string', default: '25' },
    seed: { type: 'string' },
    only: { type: 'string' },
    tsx: { type: 'boolean', default: false },
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
        const ledger = await createCastLedger(await LevelStore.open(dir, 'create'));
        await ledger.close();
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
  const props = fuzzProperties(await makeFuzzFixture());
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

async function flips() {
  const h = await buildHistory(new MemoryStore());
  const records = await collect(h.world.ledger.records());
  let cases = 0;
  for (const [i, r] of records.entries())
    for (let at = 0; at < r.bytes.length; at++)
      for (const mask of [0x01, 0x80, 0xff]) {
        const bytes = r.bytes.slice();
        bytes[at]! ^= mask;
        const damaged = records.map((x, j) => (j === i ? { seq: x.seq, bytes } : x));
        const v = await verifyLog(damaged, { trustedKeys: [h.world.authority.signer.publicKey] });
        cases++;
        if (v.report.ok) failures.push(`flips: entry ${i}, byte ${at} ^ ${mask}: verified as ok`);
        else if (!v.report.problems.some((p) => p.seq === i || p.seq === i + 1))
          failures.push(`flips: entry ${i}, byte ${at} ^ ${mask}: no problem at entry ${i} or ${i + 1}`);
      }
  log(`flips: ${cases} single-byte changes in ${records.length} records, every one detected at its entry`);
}

function caps() {
  const dir = tempDir();
  const key = execFileSync(
    process.execPath,
    [join(ROOT, 'dist/cli/main.js'), 'key', 'new', '--name', 'Soak', '--out', join(dir, 'k.key'), '--json'],
    {
      env: { ...process.env, CUSTODY_PASSPHRASE: 'soak' },
    },
  );
  const pk = (JSON.parse(String(key)) as { publicKey: string }).publicKey;
  for (const [size, want] of [
    [BUNDLE_LIMITS.bytes, 'missing the CUSTODY-BUNDLE/1 header'],
    [BUNDLE_LIMITS.bytes + 1, `larger than ${BUNDLE_LIMITS.bytes} bytes`],
  ] as const) {
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
    if (r.status !== 2 || !r.stderr.includes(want) || !r.stderr.endsWith('[BUNDLE_MALFORMED]\n'))
      failures.push(`caps: bundle of ${size} bytes: exit ${r.status}, ${r.stderr.trim()}`);
  }
  log('caps: the CLI refuses a 256 MiB bundle after reading it and a 256 MiB + 1 byte bundle unread');
}

try {
  if (!only || only === 'fuzz') await fuzz();
  if (!only || only === 'flips') await flips();
  if (!only || only === 'caps') caps();
  if (!only || only === 'crash') await crash();
} finally {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
}
for (const f of failures.slice(0, 50)) log(`FAILED ${f}`);
log(`soak: ${failures.length} failures, ${elapsed()} (seed ${seed})`);
process.exitCode = failures.length > 0 ? 1 : 0;
