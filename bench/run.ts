/**
 * npm run bench [-- --quick] [-- --keep <dir>] [-- --entries <n>]
 *
 * Measures custody (format v2: a LogLedger over LevelLogStore, signatures
 * verified on the worker pool) against references measured in the same run
 * on the same machine (docs/PERFORMANCE.md), prints a table and writes
 * bench/results/latest.json. Not part of npm test.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportBundleV2 } from '../src/bundle/export-v2.js';
import type { SignatureChecker, SignatureJob } from '../src/crypto/signature-checker.js';
import { WorkerPoolChecker } from '../src/crypto/verify-pool.js';
import { digestFile } from '../src/files/digest-file.js';
import { signLogCheckpoint } from '../src/ledger/log-checkpoints.js';
import { inclusionProof } from '../src/merkle/proofs.js';
import { LevelLogStore } from '../src/store/log-level.js';
import { verifyBundleV2 } from '../src/verify/bundle-v2.js';
import { measureSerial } from './append-serial.js';
import { type CpuWindow, cpuWindow, scalingFromWindows } from './cpu-windows.js';
import { ed25519LimitPerSecond } from './ed25519-limit.js';
import { benchFolder } from './hash-folder.js';
import { HOSTILE_TARGET_MB, HOSTILE_TARGET_S, hostileBundles } from './hostile-bundle.js';
import { benchMap } from './map.js';
import { benchPage, PAGE_VERIFY_TARGET_MS } from './page.js';
import { benchPostgres } from './postgres.js';
import {
  benchPq,
  benchPqAppend,
  benchPqBundle,
  PQ_APPEND_OVERHEAD_TARGET_PCT,
  PQ_BUNDLE_VERIFY_TARGET_MS,
} from './pq.js';
import { benchServer } from './server.js';
import {
  createWorld,
  latencyProbe,
  longExhibit,
  type Signed,
  signLife,
  submit,
  submitLife,
} from './workload.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keepIdx = args.indexOf('--keep');
const keepDir = keepIdx >= 0 ? args[keepIdx + 1] : undefined;

const entriesIdx = args.indexOf('--entries');
const ENTRIES = entriesIdx >= 0 ? Number(args[entriesIdx + 1]) : quick ? 20_000 : 1_000_000;
const FILE_MB = quick ? 128 : 1024;
const WRITERS = 256;
/** Exhibit lives signed ahead of each timed stretch of appends (signing is not timed). */
const CHUNK_LIVES = 10_000;

interface Metric {
  name: string;
  value: number;
  unit: string;
  reference: { name: string; value: number } | null;
  ratio: number | null;
  target: string;
}
const metrics: Metric[] = [];
const say = (s: string) => process.stderr.write(`${s}\n`);
function metric(
  name: string,
  value: number,
  unit: string,
  target: string,
  reference: Metric['reference'] = null,
) {
  const m: Metric = {
    name,
    value: Math.round(value * 100) / 100,
    unit,
    reference,
    ratio: reference ? Math.round((value / reference.value) * 1000) / 1000 : null,
    target,
  };
  metrics.push(m);
  say(
    `  ${name} = ${m.value} ${unit}${reference ? ` (reference ${reference.name} = ${Math.round(reference.value)}, ratio ${m.ratio})` : ''}  [target ${target}]`,
  );
}
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const cli = join(root, 'dist', 'cli', 'main.js');
const rssWrapper = join(root, 'dist', 'bench', 'cli-rss.js');
const began = performance.now();

/**
 * The worker pool, counting the ledger's calls and the time during which at
 * least one of them is in flight (the union, so overlapping calls count once).
 */
class TimedChecker implements SignatureChecker {
  calls = 0;
  jobs = 0;
  ms = 0;
  #inFlight = 0;
  #since = 0;
  constructor(private readonly pool: WorkerPoolChecker) {}
  async check(jobs: SignatureJob[]): Promise<boolean[]> {
    if (this.#inFlight++ === 0) this.#since = performance.now();
    try {
      return await this.pool.check(jobs);
    } finally {
      if (--this.#inFlight === 0) this.ms += performance.now() - this.#since;
      this.calls++;
      this.jobs += jobs.length;
    }
  }
  reset() {
    this.calls = 0;
    this.jobs = 0;
    this.ms = 0;
  }
  close() {
    return this.pool.close();
  }
}
const phase = (s: string) => say(`[${((performance.now() - began) / 1000).toFixed(0)} s] ${s}`);

async function main() {
  const work = keepDir ?? mkdtempSync(join(tmpdir(), 'custody-bench-'));
  mkdirSync(work, { recursive: true });
  const ledgerDir = join(work, 'ledger');
  if (existsSync(ledgerDir)) rmSync(ledgerDir, { recursive: true });
  say(
    `custody benchmarks (${quick ? 'quick' : 'full'}, format v2): ${ENTRIES} entries, ${FILE_MB} MiB file, in ${work}`,
  );

  // 1. Reference: raw Ed25519 verification on all cores. Measured again just
  // before `custody verify` (step 5); the metric is the higher of the two, so
  // a busy moment on a shared machine cannot flatter the ratios.
  phase('ed25519 limit…');
  const limitMs = quick ? 2000 : 8000;
  let limit = await ed25519LimitPerSecond(limitMs);

  // 2. Build the ledger: statements signed by their actors ahead of each timed
  // stretch, then submitted by many concurrent writers (group commit), with
  // signatures verified on the worker pool and every acknowledgement waiting
  // for its synced batch.
  phase(`appending ${ENTRIES} entries with ${WRITERS} concurrent writers…`);
  const checker = new TimedChecker(new WorkerPoolChecker());
  const world = await createWorld(await LevelLogStore.open(ledgerDir, 'create'), { checker });
  checker.reset();
  const ledger = world.ledger;
  /** Appends so far and the seconds spent appending (signing ahead of time excluded). */
  const marks: { count: number; t: number }[] = [];
  let count = ledger.size;
  let timed = 0;
  let stretchStart = 0;
  marks.push({ count, t: 0 });
  const lives = Math.max(1, Math.ceil((ENTRIES - 100) / 10));
  const onAppend = () => {
    count++;
    if (count % 1_000 === 0) {
      const t = timed + (performance.now() - stretchStart) / 1000;
      marks.push({ count, t });
      if (count % 100_000 === 0) say(`  ${count} entries, ${Math.round((count - marks[0]!.count) / t)}/s`);
    }
  };
  // The first and the last stretch run as three CPU-measured windows each
  // (six when they are one stretch): append.scaling_ratio (./cpu-windows.ts).
  // The first stretch starts with a window that is not measured: it pays for
  // compiling the code, which would flatter the early windows.
  const early: CpuWindow[] = [];
  const late: CpuWindow[] = [];
  for (let from = 0; from < lives; from += CHUNK_LIVES) {
    const signed: Signed[][] = [];
    for (let n = from; n < Math.min(lives, from + CHUNK_LIVES); n++) signed.push(signLife(world, n));
    const first = from === 0;
    const last = from + CHUNK_LIVES >= lives;
    const parts = (first ? 4 : 0) + (last ? 3 : 0) || 1;
    const per = Math.ceil(signed.length / parts);
    for (let p = 0; p < parts; p++) {
      const slice = signed.slice(p * per, (p + 1) * per);
      let next = 0;
      const run = async () => {
        stretchStart = performance.now();
        await Promise.all(
          Array.from({ length: WRITERS }, async () => {
            for (let i = next++; i < slice.length; i = next++) await submitLife(world, slice[i]!, onAppend);
          }),
        );
        timed += (performance.now() - stretchStart) / 1000;
      };
      if (parts === 1 || (first && p === 0)) await run();
      else {
        const w = await cpuWindow(run, () => count);
        (first && p < 4 ? early : late).push(w);
        const us = (x: number) => x.toFixed(0);
        say(
          `  window to ${count}: ${w.cost.toFixed(2)} verifications an entry (${us(w.cpuUsPerEntry)} µs of CPU: main thread ${us(w.perThread.main)}, others ${w.perThread.others.slice(0, 6).map(us).join(' ')})`,
        );
      }
    }
  }
  marks.push({ count, t: timed });
  const commits = { calls: checker.calls, jobs: checker.jobs, checkS: checker.ms / 1000 };
  const appendRate = (count - marks[0]!.count) / timed;
  const rate = (from: number, to: number) => {
    const a = marks.find((m) => m.count >= from)!;
    const b = [...marks].reverse().find((m) => m.count <= to)!;
    return (b.count - a.count) / (b.t - a.t);
  };
  const window = Math.min(100_000, Math.floor((count - marks[0]!.count) / 5));
  const scalingWall = rate(count - window, count) / rate(marks[0]!.count + 1, marks[0]!.count + window);
  const scaling = scalingFromWindows(early, late);

  // 3. Single-writer latency, a 50-event exhibit, a checkpoint by the log key.
  phase('latency, long exhibit, checkpoint…');
  const probes = await latencyProbe(world, quick ? 300 : 2000);
  const latencies: number[] = [];
  for (const p of probes) {
    const s = performance.now();
    await submit(world, p);
    latencies.push(performance.now() - s);
  }
  const long = await longExhibit(world, 50);
  const { note, size } = await signLogCheckpoint(world.view, world.log);

  // 4. Proofs and bundles in the big ledger.
  phase('proofs and bundles…');
  const store = world.store;
  const proofTimes: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const seq = Math.floor(Math.random() * size);
    const s = performance.now();
    await inclusionProof(store, seq, size);
    proofTimes.push((performance.now() - s) * 1000);
  }
  const exportTimes: number[] = [];
  let bundleBytes: Uint8Array = new Uint8Array();
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    bundleBytes = await exportBundleV2(store, long, note);
    exportTimes.push(performance.now() - s);
  }
  const authorityKey = world.authority.publicKey;
  await ledger.close();
  await checker.close();
  const verifyTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    // No witness in the benchmark: the log key alone (quorum 0), else the verdict is UNWITNESSED.
    const v = await verifyBundleV2(bundleBytes, { authorityKeys: [authorityKey], quorum: 0 });
    verifyTimes.push(performance.now() - s);
    if (!v.ok) throw new Error(`bench bundle did not verify: ${JSON.stringify(v.problems ?? v)}`);
  }

  // 5. The references again, then full verification with the CLI, as a user
  // runs it (worker pool on every core), with its peak RSS.
  phase('ed25519 limit again…');
  limit = Math.max(limit, await ed25519LimitPerSecond(limitMs));
  const ref = { name: 'ed25519.limit_per_s', value: limit };
  metric('ed25519.limit_per_s', limit, 'verifications/s', 'reference (higher of two measurements)');
  metric('append.entries_per_s', appendRate, 'entries/s', 'ratio >= 0.6', ref);
  metric(
    'append.scaling_ratio',
    scaling,
    `early/late CPU cost per entry in Ed25519 verifications, median of 3 (${early.map((w) => w.cost.toFixed(2)).join(', ')} early; ${late.map((w) => w.cost.toFixed(2)).join(', ')} late)`,
    '>= 0.9',
  );
  metric('append.scaling_ratio_wall', scalingWall, 'last/first window, wall-clock rates', 'reported');
  metric('append.group_commit_mean', commits.jobs / commits.calls, 'statements per commit', 'reported');
  metric('append.signature_check_share', commits.checkS / timed, 'of append time', 'reported');
  metric('append.latency_ms_p50', percentile(latencies, 50), 'ms', 'reported');
  metric('append.latency_ms_p99', percentile(latencies, 99), 'ms', 'reported');
  metric('proof.inclusion_us_p50', percentile(proofTimes, 50), 'µs', '< 1000');
  metric('bundle.export_ms', percentile(exportTimes, 50), 'ms', '< 50');
  metric('bundle.verify_ms', percentile(verifyTimes, 50), 'ms', '< 100');
  metric('bundle.bytes', bundleBytes.length, 'bytes', 'reported');
  phase(`custody verify of ${size} entries…`);
  const vs = performance.now();
  const v = spawnSync(
    process.execPath,
    [
      rssWrapper,
      cli,
      'verify',
      '--ledger',
      ledgerDir,
      '--json',
      '--trust',
      Buffer.from(authorityKey).toString('base64'),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const vt = performance.now() - vs;
  let report: { ok: boolean; anchored: boolean; entries: number } | undefined;
  try {
    report = JSON.parse(v.stdout) as typeof report;
  } catch {
    report = undefined;
  }
  if (v.status !== 0 || !report?.ok || !report.anchored || report.entries !== size)
    throw new Error(`custody verify failed (exit ${v.status}): ${v.stdout.slice(0, 2000)} ${v.stderr}`);
  const rss = JSON.parse(v.stderr.trim().split('\n').pop()!) as {
    maxRssMb: number;
    heapAndBuffersMb: number;
    leveldbMappedMb: number;
  };
  metric('verify.entries_per_s', size / (vt / 1000), 'entries/s', 'ratio >= 0.8', ref);
  metric('verify.peak_rss_mb', rss.maxRssMb, 'MiB', 'reported (everything)');
  metric('verify.heap_buffers_mb', rss.heapAndBuffersMb, 'MiB', 'reported (map included)');
  metric('verify.leveldb_mapped_mb', rss.leveldbMappedMb, 'MiB', 'reported');
  // How many keys the replayed map holds: the head's count, read after the verification.
  const headStore = await LevelLogStore.open(ledgerDir, 'open');
  const mapSize = (await headStore.readHead())?.mapSize ?? 0;
  await headStore.close();

  // 6. File hashing, against openssl and hashdeep on the same file (page cache warm for all).
  phase(`hashing a ${FILE_MB} MiB file…`);
  const file = join(work, 'evidence.bin');
  const fd = openSync(file, 'w');
  const chunk = new Uint8Array(1 << 20);
  for (let o = 0; o < chunk.length; o += 65536) crypto.getRandomValues(chunk.subarray(o, o + 65536));
  for (let i = 0; i < FILE_MB; i++) {
    crypto.getRandomValues(chunk.subarray(0, 64));
    writeSync(fd, chunk);
  }
  closeSync(fd);
  const mb = FILE_MB;
  const time = (f: () => void) => {
    const s = performance.now();
    f();
    return (performance.now() - s) / 1000;
  };
  const timeAsync = async (f: () => Promise<unknown>) => {
    const s = performance.now();
    await f();
    return (performance.now() - s) / 1000;
  };
  execFileSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
  const best = async (n: number, f: () => Promise<number> | number) => {
    let b = Number.POSITIVE_INFINITY;
    for (let i = 0; i < n; i++) b = Math.min(b, await f());
    return b;
  };
  const openssl = await best(3, () =>
    time(() => execFileSync('openssl', ['dgst', '-sha256', file], { stdio: ['ignore', 'pipe', 'ignore'] })),
  );
  const ours = await best(3, () => timeAsync(() => digestFile(file, ['sha256'])));
  metric('register.sha256_mb_per_s', mb / ours, 'MiB/s', 'ratio >= 0.9', {
    name: 'openssl dgst -sha256',
    value: mb / openssl,
  });
  const oursMulti = await best(3, () => timeAsync(() => digestFile(file, ['sha256', 'sha1', 'md5'])));
  if (!hasHashdeep())
    say(
      '  hashdeep is not installed and could not be installed: register.multi_mb_per_s is measured without its reference',
    );
  const hashdeep = hasHashdeep()
    ? await best(2, () =>
        time(() =>
          execFileSync('hashdeep', ['-c', 'md5,sha1,sha256', file], { stdio: ['ignore', 'pipe', 'ignore'] }),
        ),
      )
    : undefined;
  metric(
    'register.multi_mb_per_s',
    mb / oursMulti,
    'MiB/s',
    'ratio >= 3',
    hashdeep ? { name: 'hashdeep -c md5,sha1,sha256', value: mb / hashdeep } : null,
  );
  rmSync(file);

  // A folder of small files, as a phone extraction (bench/hash-folder.ts), against hashdeep -r.
  phase('hashing a folder of small files…');
  const folder = await benchFolder(quick ? 1000 : 10_000);
  metric(
    'register.folder_files_per_s',
    folder.files / folder.oursS,
    'files/s',
    'reported (md5 + sha256, manifest included)',
    folder.hashdeepS ? { name: 'hashdeep -r -c md5,sha256', value: folder.files / folder.hashdeepS } : null,
  );

  // 7. CLI start-up.
  phase('CLI start-up…');
  // Reference: Node itself starting and exiting (`node -e 0`), interleaved with
  // ours so both see the same machine load. Nothing we do can start faster.
  const starts: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 15; i++) {
    bare.push(time(() => execFileSync(process.execPath, ['-e', '0'], { stdio: 'ignore' })) * 1000);
    starts.push(time(() => execFileSync(process.execPath, [cli, '--version'], { stdio: 'ignore' })) * 1000);
  }
  metric('cli.startup_ms', percentile(starts, 50), 'ms', '< 150', {
    name: 'node -e 0',
    value: percentile(bare, 50),
  });

  // 8. The state map (docs/STATE-MAP.md): a key update with the root
  // recomputed, and the memory it holds per key.
  const mapKeys = quick ? 100_000 : 1_000_000;
  phase(`state map with ${mapKeys} keys…`);
  const sm = benchMap(mapKeys);
  metric('map.update_us', sm.updateUs, 'µs', '≤ 15');
  metric('map.bytes_per_key', sm.bytesPerKey, 'bytes', '≤ 400');
  // verify.peak_rss_mb's target (< 256 MiB at 1M entries) is for heap and
  // buffers apart from the map: the map's share is estimated from its keys.
  const mapMb = (mapSize * sm.bytesPerKey) / 1048576;
  metric('verify.map_mb', mapMb, 'MiB', `reported (${mapSize} keys × map.bytes_per_key)`);
  metric('verify.heap_buffers_excl_map_mb', rss.heapAndBuffersMb - mapMb, 'MiB', '< 256');

  // 9. The main thread's serial work per appended v2 entry, signatures verified
  // elsewhere (docs/PERFORMANCE.md §append.serial_us_per_entry), on a ledger
  // that already holds a large map; timed over enough entries that a major
  // collection of the large heap, when one falls in the window, is averaged.
  // Quick: 30k from an empty ledger, as in the first rows of the table there.
  const serialBase = quick ? 0 : 1_000_000;
  phase(`append serial work after ${serialBase} v2 entries…`);
  const serial = await measureSerial(quick ? 30_000 : 60_000, { base: serialBase, onProgress: say });
  metric('append.serial_us_per_entry', serial.serialUs, 'µs', '≤ 40');
  metric('append.serial.decode_us', serial.parts.decodeUs, 'µs', 'reported');
  metric('append.serial.rules_us', serial.parts.rulesUs, 'µs', 'reported');
  metric('append.serial.map_us', serial.parts.mapUs, 'µs', 'reported');
  metric('append.serial.entry_us', serial.parts.entryUs, 'µs', 'reported');

  // 10. Bounded work on hostile input (bench/hostile-bundle.ts, docs/PERFORMANCE.md
  // §Hostile bundles): bundles at the decoder's limits, each verified in a fresh
  // process. Full: every shape; quick: the slowest and the largest, still at the limits.
  phase(`hostile bundles (${quick ? 'the two costliest shapes' : 'every shape'}, at the limits)…`);
  for (const h of await hostileBundles({ quick, onProgress: say })) {
    const note = h.failed ? ` (${h.failed.slice(0, 80)})` : '';
    metric(`hostile.${h.shape}.verify_s`, h.verifyS, 's', `< ${HOSTILE_TARGET_S}${note}`);
    metric(`hostile.${h.shape}.peak_rss_mb`, h.maxRssMb, 'MiB', `< ${HOSTILE_TARGET_MB}`);
  }

  // 11. ML-DSA-44 witness cosignatures (bench/pq.ts, docs/PROOFS.md §ML-DSA-44
  // cosignatures and §Dual-signed checkpoints): one checkpoint cosigned, one line
  // verified, a post-quantum bundle verified, medians; then appends with dual signing.
  phase('ML-DSA-44 cosignatures and bundle…');
  const pq = benchPq(quick ? 50 : 200);
  metric('pq.checkpoint_sign_ms', pq.signMs, 'ms', 'reported');
  metric('pq.cosignature_verify_ms', pq.verifyMs, 'ms', 'reported');
  // A bundle whose checkpoint the log dual-signed and 4 ML-DSA-44 witnesses cosigned, all 4 required.
  const pqBundle = await benchPqBundle(quick ? 20 : 100);
  metric('pq.bundle_verify_ms', pqBundle.verifyMs, 'ms', `< ${PQ_BUNDLE_VERIFY_TARGET_MS}`);
  // Appending with a dual-signed checkpoint about once a second against Ed25519-only ones:
  // process CPU time per entry in interleaved windows, median of 3 runs (bench/pq.ts benchPqAppend).
  phase('appending with dual-signed checkpoints…');
  const pqAppend = await benchPqAppend({ runs: 3, pairs: quick ? 2 : 4, onProgress: say });
  metric('pq.append_cpu_us_per_entry_ed25519', pqAppend.ed25519Us, 'µs', 'reported');
  metric('pq.append_cpu_us_per_entry_dual', pqAppend.dualUs, 'µs', 'reported');
  metric('pq.append_dual_overhead_pct', pqAppend.overheadPct, '%', `< ${PQ_APPEND_OVERHEAD_TARGET_PCT}`);
  metric('pq.append_raw_overhead_pct', pqAppend.rawOverheadPct, '%', "reported (each mode's windows alone)");
  metric('pq.append_checkpoint_cpu_ms_ed25519', pqAppend.checkpointEd25519Ms, 'ms', 'reported');
  metric('pq.append_checkpoint_cpu_ms_dual', pqAppend.checkpointDualMs, 'ms', 'reported');
  metric('pq.append_checkpoint_interval_s', pqAppend.windowS, 's', 'reported (about 1)');

  // The ledger server (bench/server.ts): 32 remote clients against 32 local writers, same run.
  phase('the ledger server…');
  const srv = await benchServer(cli, quick ? 500 : 2000, say);
  metric('server.append_per_s', srv.appendPerS, 'entries/s', 'ratio >= 0.5', {
    name: 'local append, 32 writers',
    value: srv.localPerS,
  });
  metric('server.append_latency_ms_p50', srv.latencyP50, 'ms', 'reported (4 clients)');
  metric('server.append_latency_ms_p99', srv.latencyP99, 'ms', '< 50 (4 clients)');
  metric('server.tile_reads_per_s', srv.tileReadsPerS, 'tiles/s', 'measured (32 readers)');

  // PostgreSQL against LevelDB, the same writers and lives, the same run (bench/postgres.ts).
  phase('PostgreSQL against LevelDB…');
  const pgb = await benchPostgres(cli, quick ? 300 : 1500, say);
  if ('skipped' in pgb) phase(`PostgreSQL is not measured: ${pgb.skipped}`);
  else {
    metric('pg.append_per_s', pgb.appendPerS, 'entries/s', 'ratio >= 0.3', {
      name: 'LevelDB append, 32 writers, same lives',
      value: pgb.levelAppendPerS,
    });
    metric('pg.verify_entries_per_s', pgb.verifyPerS, 'entries/s', 'ratio >= 0.8', {
      name: `LevelDB custody verify, ${pgb.entries} entries`,
      value: pgb.levelVerifyPerS,
    });
  }

  // The court's verifier page in Chromium: a 50-event bundle, the page's own timing (bench/page.ts).
  phase('the verifier page in Chromium…');
  const pg = await benchPage(quick ? 5 : 15);
  if (pg) {
    metric('page.verify_ms_50_events', pg.verifyMs, 'ms', `< ${PAGE_VERIFY_TARGET_MS}`);
    metric('page.bytes', pg.pageBytes, 'bytes', 'reported');
    metric('page.gzip_bytes', pg.pageGzipBytes, 'bytes', '< 300000');
  } else phase('no Chromium (or no built page): the verifier page is not measured');

  const result = {
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      date: new Date().toISOString(),
    },
    mode: quick ? 'quick' : 'full',
    entries: size,
    metrics,
  };
  const out = join(root, 'bench', 'results', 'latest.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(table(metrics));
  phase(`wrote ${out}`);
  if (!keepDir) rmSync(work, { recursive: true, force: true });
  else say(`kept the ledger in ${ledgerDir}`);
}

function hasHashdeep(): boolean {
  const probe = () => spawnSync('hashdeep', ['-V'], { stdio: 'ignore' }).status === 0;
  if (probe()) return true;
  // Debian package; installing needs root and the package index.
  spawnSync(
    'sh',
    [
      '-c',
      'apt-get install -y hashdeep >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y hashdeep >/dev/null 2>&1)',
    ],
    { stdio: 'ignore' },
  );
  return probe();
}

function table(ms: Metric[]): string {
  const rows = ms.map((m) => [
    m.name,
    `${m.value} ${m.unit}`,
    m.reference ? `${m.reference.name}: ${Math.round(m.reference.value)}` : '',
    m.ratio === null ? '' : String(m.ratio),
    m.target,
  ]);
  const head = ['metric', 'value', 'reference', 'ratio', 'target'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `${r.map((c, i) => c.padEnd(w[i]!)).join('  ')}\n`;
  return line(head) + line(w.map((n) => '-'.repeat(n))) + rows.map(line).join('');
}

await main();
