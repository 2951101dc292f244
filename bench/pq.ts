/**
 * Post-quantum costs (docs/PROOFS.md §ML-DSA-44 cosignatures, §Dual-signed
 * checkpoints), medians over `runs`:
 *   pq.checkpoint_sign_ms       signMlDsaCosignature of a checkpoint (hedged, as a witness signs)
 *   pq.cosignature_verify_ms    verifyMlDsaCosignature of one line (parse, message, FIPS 204 verify)
 *   pq.bundle_verify_ms         verifyBundleV2 of a realistic bundle (an exhibit with 5 events in
 *                               a ledger of about 300 entries, its governance chain included)
 *                               whose checkpoint is dual-signed by the log and cosigned by 4
 *                               ML-DSA-44 witnesses, the trust asking for all 4 (quorum 4,
 *                               pqQuorum 4); target < 50 ms
 * and, medians of 3 runs of interleaved windows, about one second of appends each, each ending
 * in one checkpoint (benchPqAppend, which says why the appends are pooled):
 *   pq.append_cpu_us_per_entry_ed25519   process CPU time per appended entry, Ed25519-only checkpoints
 *   pq.append_cpu_us_per_entry_dual      the same with dual-signed checkpoints (Ed25519 + ML-DSA-44)
 *   pq.append_dual_overhead_pct          dual / ed25519 − 1, in %; target < 5
 *   pq.append_raw_overhead_pct           the same from each mode's windows alone (noise ±10 %)
 *   pq.append_checkpoint_cpu_ms_ed25519  CPU time of one signLogCheckpoint, Ed25519 only
 *   pq.append_checkpoint_cpu_ms_dual     CPU time of one dual-signed signLogCheckpoint
 *   pq.append_checkpoint_interval_s      wall time of a window: the interval between checkpoints
 *
 *   node dist/bench/pq.js [--runs N] [--append-runs N] [--pairs N] [--window ENTRIES] [--no-append]
 *   npx tsx bench/pq.ts --runs 10                  (the same, without a build)
 * Also used by bench/run.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { exportBundle } from '../src/bundle/export-v2.js';
import { utf8 } from '../src/bytes.js';
import { formatCheckpoint } from '../src/checkpoint/checkpoint.js';
import {
  mlDsaCosignatureVerifier,
  signMlDsaCosignature,
  verifyMlDsaCosignature,
} from '../src/checkpoint/cosignature-mldsa.js';
import { parseNote } from '../src/checkpoint/note.js';
import { type MlDsa44Signer, mlDsa44SignerFromSeed } from '../src/crypto/ml-dsa.js';
import { sha256 } from '../src/crypto/sha256.js';
import { WorkerPoolChecker } from '../src/crypto/verify-pool.js';
import { KEY_PURPOSES, KEY_TYPES } from '../src/format/key-id.js';
import { attachCosignature, signLogCheckpoint } from '../src/ledger/log-checkpoints.js';
import { LevelLogStore } from '../src/store/log-level.js';
import { MemoryLogStore } from '../src/store/log-memory.js';
import { verifyBundleV2 } from '../src/verify/bundle-v2.js';
import { benchStatement } from './v2-statement.js';
import {
  createWorld,
  longExhibit,
  ORIGIN,
  type Signed,
  signLife,
  submit,
  submitLife,
  type World,
} from './workload.js';

/** Targets (the issue on dual-signed checkpoints), checked by bench/run.ts and printed here. */
export const PQ_BUNDLE_VERIFY_TARGET_MS = 50;
export const PQ_APPEND_OVERHEAD_TARGET_PCT = 5;

export interface PqBenchResult {
  signMs: number;
  verifyMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const pqSigner = (label: string) => mlDsa44SignerFromSeed(sha256(utf8(`custody bench pq ${label}`)));

export function benchPq(runs = 200): PqBenchResult {
  const signer = mlDsa44SignerFromSeed(sha256(utf8('custody bench pq witness')));
  const name = 'bench.example/pq-witness';
  const body = formatCheckpoint({ origin: 'bench.example/log', size: 1_000_000, root: sha256(utf8('root')) });
  const cosigner = { name, publicKey: signer.publicKey };
  const sign: number[] = [];
  const verify: number[] = [];
  // A few untimed rounds first, so the JIT has compiled the lattice code.
  for (let i = 0; i < runs + 10; i++) {
    const t0 = performance.now();
    const line = signMlDsaCosignature(body, name, signer, 1_700_000_000 + i);
    const t1 = performance.now();
    verifyMlDsaCosignature(body, line, cosigner);
    const t2 = performance.now();
    if (i >= 10) {
      sign.push(t1 - t0);
      verify.push(t2 - t1);
    }
  }
  return { signMs: median(sign), verifyMs: median(verify) };
}

/**
 * The authority enrols the log's ML-DSA-44 key (purpose log, no roles), as
 * `custody authority add-log-key` does: the ledger statement after the
 * current ledger head, against the checkpoint the authority saw.
 */
async function enrolPqLogKey(w: World, pq: MlDsa44Signer): Promise<void> {
  const e = benchStatement(
    ORIGIN,
    Date.now(),
    'enrol',
    w.authority,
    {
      key: [KEY_TYPES.mldsa44, pq.publicKey],
      purpose: KEY_PURPOSES.log,
      roles: [],
      jurisdiction: 'NL',
      name: 'log key (ML-DSA-44)',
      org: 'Bench',
    },
    { after: (await w.view.ledger()).head, seen: await w.view.seen() },
  );
  await submit(w, e);
}

export interface PqBundleResult {
  /** Median verifyBundleV2 time, ms. */
  verifyMs: number;
  bytes: number;
  /** Ledger size at the checkpoint, and entries in the bundle. */
  size: number;
  witnesses: number;
}

/**
 * pq.bundle_verify_ms: the bench workload's ledger (genesis, 48 enrolments,
 * the log's ML-DSA-44 key, 25 exhibit lives of 10 statements) and one
 * exhibit with 5 events (register, then two hand-overs across a border), about
 * 305 entries; the checkpoint of the whole log dual-signed by the log (Ed25519
 * and ML-DSA-44) and cosigned by 4 ML-DSA-44 witnesses; the bundle verified
 * with the authority pinned and all 4 witnesses required, each with an
 * ML-DSA-44 line (pqQuorum 4). The verdict must be VERIFIED (checked before
 * timing and on every timed run): a bench of a failing path measures nothing.
 */
export async function benchPqBundle(runs = 50, witnessCount = 4): Promise<PqBundleResult> {
  const w = await createWorld(new MemoryLogStore());
  const pqLog = pqSigner('log');
  await enrolPqLogKey(w, pqLog);
  for (let n = 0; n < 25; n++) await submitLife(w, signLife(w, n), () => undefined);
  const exhibit = await longExhibit(w, 5);
  const { note: logNote, size } = await signLogCheckpoint(w.view, w.log, { mlDsa: pqLog });
  const text = parseNote(logNote).text;
  const now = Math.floor(Date.now() / 1000);
  let note = logNote;
  const witnesses = Array.from({ length: witnessCount }, (_, i) => {
    const name = `bench.example/pq-witness-${i + 1}`;
    const signer = pqSigner(`witness ${i + 1}`);
    return { name, signer, verifier: mlDsaCosignatureVerifier(name, signer.publicKey) };
  });
  for (const x of witnesses)
    note = await attachCosignature(
      w.view,
      size,
      signMlDsaCosignature(text, x.name, x.signer, now),
      x.verifier,
    );
  const bytes = await exportBundle(w.view, exhibit, note);
  const authorityKey = w.authority.publicKey;
  await w.ledger.close();
  const trust = {
    authorityKeys: [authorityKey],
    witnesses: witnesses.map((x) => x.verifier),
    quorum: witnessCount,
    pqQuorum: witnessCount,
  };
  const verify = async () => {
    const v = await verifyBundleV2(bytes, trust);
    if (v.verdict !== 'VERIFIED')
      throw new Error(
        `the pq bench bundle did not verify: ${v.verdict} ${JSON.stringify([...v.problems, ...v.warnings])}`,
      );
    if (v.checkpoint?.mlDsaSignedBy?.length !== 1 || v.checkpoint.pqCosigned?.length !== witnessCount)
      throw new Error('the pq bench bundle verified without the log’s ML-DSA-44 line or its witnesses’');
  };
  // Checked once, then a few untimed rounds so the JIT has compiled the verifier.
  for (let i = 0; i < 5; i++) await verify();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await verify();
    times.push(performance.now() - t);
  }
  return { verifyMs: median(times), bytes: bytes.length, size, witnesses: witnessCount };
}

export interface PqAppendRun {
  /** Process CPU time per appended entry, µs, with Ed25519-only checkpoints. */
  ed25519Us: number;
  /** The same with dual-signed checkpoints. */
  dualUs: number;
  /** dualUs / ed25519Us − 1, in %. */
  overheadPct: number;
  /** Each mode's own windows alone (no pooling, see benchPqAppend): noisier, for comparison. */
  rawEd25519Us: number;
  rawDualUs: number;
  rawOverheadPct: number;
  /** Mean CPU time of signing one checkpoint (signLogCheckpoint), ms. */
  checkpointEd25519Ms: number;
  checkpointDualMs: number;
  /** Mean wall time of a window: the interval between checkpoints, s. */
  windowS: number;
}

export interface PqAppendResult extends PqAppendRun {
  /** Each run's figures; the result's are the medians of each column. */
  runs: PqAppendRun[];
  /** Entries per window (one checkpoint signed at the end of each). */
  windowEntries: number;
  /** Windows per mode in each run. */
  windowsPerMode: number;
}

export interface PqAppendOptions {
  /** Independent runs, each on a fresh ledger; the medians are reported (default 3). */
  runs?: number;
  /** Pairs of windows (one of each mode) per run (default 4). */
  pairs?: number;
  /** Entries per window (rounded to whole exhibit lives of 10); default: about one second of appends. */
  windowEntries?: number | undefined;
  /** Concurrent writers, as in append.entries_per_s (default 256). */
  writers?: number;
  onProgress?: (s: string) => void;
}

type Mode = 'ed25519' | 'dual';

const cpuUs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return d.user + d.system;
};

/**
 * Appending with dual-signed checkpoints against Ed25519-only ones, as process
 * CPU time per entry (process.cpuUsage: every thread of the process, the
 * signature-checking workers, LevelDB's and the garbage collector's included)
 * in interleaved windows, median of `runs` runs.
 *
 * Each run builds the bench workload's ledger (bench/workload.ts, as for
 * append.entries_per_s: LevelLogStore, signatures checked on the worker pool,
 * exhibit lives signed ahead of time and submitted by 256 concurrent writers)
 * with the log's ML-DSA-44 key enrolled, then appends windows of exhibit lives,
 * each window ending in one checkpoint of the whole log: Ed25519-only in one
 * mode, dual-signed (Ed25519 + ML-DSA-44, hedged) in the other, at the same
 * points. The modes alternate E D D E E D D E …, so a drift along the run (a
 * growing map, LevelDB compactions) falls on both alike.
 *
 * Why a window is about one second of appends, not a fixed 200 entries: a log
 * dual-signs only the checkpoints it hands to witnesses, about once a second
 * (the witnesses' rhythm), whatever its append rate, so the realistic cost is
 * one ML-DSA-44 signature per second of appends. A fixed 200 entries would, at
 * this machine's 1,500 to 2,500 entries/s, sign 8 to 12 times a second and
 * overstate the overhead as many times; a window sized from the rate measured
 * in the warm-up keeps one checkpoint per second at whatever rate the machine
 * appends (windowS reports the interval achieved). A checkpoint is signed once
 * the window's writers have drained, so it always covers a settled log.
 *
 * The estimate. A window's CPU time is its appends' plus its checkpoint's, and
 * only the checkpoint differs between the modes: the appends are the same work
 * (the same kind of lives, the same ledger). Measured here, the appends of a
 * one-second window vary by ±10–15 % from window to window (garbage collection
 * pauses of 60 to 300 ms, compactions), while the two checkpoints differ by about
 * 10 ms: compared window against window, the noise is ten times the effect and a
 * 5 % criterion flips either way from run to run. So the appends' CPU time is
 * pooled over every window of both modes (the same work, so the same
 * expectation) and each mode adds its own checkpoints' CPU time, each measured
 * around signLogCheckpoint:
 *   cpu per entry (mode) = Σ appends, all windows / Σ entries, all windows
 *                        + Σ checkpoints of the mode / Σ entries of the mode's windows.
 * The unpooled figures (each mode's windows alone) are returned as raw*.
 */
export async function benchPqAppend(opts: PqAppendOptions = {}): Promise<PqAppendResult> {
  const runCount = opts.runs ?? 3;
  const pairs = opts.pairs ?? 4;
  const writers = opts.writers ?? 256;
  const say = opts.onProgress ?? (() => {});
  const pq = pqSigner('log');
  let livesPerWindow = opts.windowEntries ? Math.max(1, Math.round(opts.windowEntries / 10)) : undefined;
  const runs: PqAppendRun[] = [];
  /** Lives signed so far across runs: each run's ledger gets fresh exhibit numbers. */
  let lifeNo = 0;
  for (let r = 0; r < runCount; r++) {
    const dir = mkdtempSync(join(tmpdir(), 'custody-bench-pq-'));
    const checker = new WorkerPoolChecker();
    try {
      const w = await createWorld(await LevelLogStore.open(join(dir, 'ledger'), 'create'), { checker });
      await enrolPqLogKey(w, pq);
      /** Appends the lives with concurrent writers, then signs the checkpoint: the CPU time of each. */
      const window = async (lives: Signed[][], mode: Mode) => {
        const a = process.cpuUsage();
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(writers, lives.length) }, async () => {
            for (let i = next++; i < lives.length; i = next++)
              await submitLife(w, lives[i]!, () => undefined);
          }),
        );
        const appendUs = cpuUs(a);
        const c = process.cpuUsage();
        await signLogCheckpoint(w.view, w.log, mode === 'dual' ? { mlDsa: pq } : {});
        return { appendUs, checkpointUs: cpuUs(c) };
      };
      const sign = (count: number) => Array.from({ length: count }, () => signLife(w, lifeNo++));
      // Warm-up, untimed: both modes twice (the JIT, the worker pool, the ML-DSA-44 code), and
      // the append rate, from which the window is sized on the first run.
      const warm = sign(200);
      const t = performance.now();
      for (let i = 0; i < 4; i++) await window(warm.slice(i * 50, i * 50 + 50), i % 2 ? 'dual' : 'ed25519');
      const perS = (warm.length * 10) / ((performance.now() - t) / 1000);
      livesPerWindow ??= Math.min(500, Math.max(20, Math.round(perS / 10)));
      const order: Mode[] = [];
      for (let p = 0; p < pairs; p++)
        order.push(...((p % 2 === 0 ? ['ed25519', 'dual'] : ['dual', 'ed25519']) as Mode[]));
      const signed = order.map(() => sign(livesPerWindow!));
      const sum = {
        ed25519: { appendUs: 0, checkpointUs: 0, entries: 0, windows: 0 },
        dual: { appendUs: 0, checkpointUs: 0, entries: 0, windows: 0 },
      };
      const began = performance.now();
      for (const [i, mode] of order.entries()) {
        const lives = signed[i]!;
        const m = await window(lives, mode);
        const s = sum[mode];
        s.appendUs += m.appendUs;
        s.checkpointUs += m.checkpointUs;
        s.entries += lives.length * 10;
        s.windows++;
        signed[i] = [];
      }
      const windowS = (performance.now() - began) / 1000 / order.length;
      const { ed25519: e, dual: d } = sum;
      const appendPerEntry = (e.appendUs + d.appendUs) / (e.entries + d.entries);
      const ed25519Us = appendPerEntry + e.checkpointUs / e.entries;
      const dualUs = appendPerEntry + d.checkpointUs / d.entries;
      const rawEd25519Us = (e.appendUs + e.checkpointUs) / e.entries;
      const rawDualUs = (d.appendUs + d.checkpointUs) / d.entries;
      const run: PqAppendRun = {
        ed25519Us,
        dualUs,
        overheadPct: (dualUs / ed25519Us - 1) * 100,
        rawEd25519Us,
        rawDualUs,
        rawOverheadPct: (rawDualUs / rawEd25519Us - 1) * 100,
        checkpointEd25519Ms: e.checkpointUs / e.windows / 1000,
        checkpointDualMs: d.checkpointUs / d.windows / 1000,
        windowS,
      };
      runs.push(run);
      say(
        `  append run ${r + 1}: ${order.length} windows of ${livesPerWindow * 10} entries, ${windowS.toFixed(2)} s each; ` +
          `${ed25519Us.toFixed(1)} vs ${dualUs.toFixed(1)} µs/entry, +${run.overheadPct.toFixed(2)} % ` +
          `(checkpoint ${run.checkpointEd25519Ms.toFixed(1)} vs ${run.checkpointDualMs.toFixed(1)} ms CPU; ` +
          `each mode's windows alone ${rawEd25519Us.toFixed(1)} vs ${rawDualUs.toFixed(1)}, ${run.rawOverheadPct.toFixed(2)} %)`,
      );
      await w.ledger.close();
    } finally {
      await checker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const med = (k: keyof PqAppendRun) => median(runs.map((x) => x[k]));
  return {
    ed25519Us: med('ed25519Us'),
    dualUs: med('dualUs'),
    overheadPct: med('overheadPct'),
    rawEd25519Us: med('rawEd25519Us'),
    rawDualUs: med('rawDualUs'),
    rawOverheadPct: med('rawOverheadPct'),
    checkpointEd25519Ms: med('checkpointEd25519Ms'),
    checkpointDualMs: med('checkpointDualMs'),
    windowS: med('windowS'),
    runs,
    windowEntries: (livesPerWindow ?? 0) * 10,
    windowsPerMode: pairs,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const say = (s: string) => process.stderr.write(`${s}\n`);
  const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const runs = arg('--runs') ?? 200;
  const r = benchPq(runs);
  const b = await benchPqBundle(runs);
  const out = [
    `pq.checkpoint_sign_ms ${r.signMs.toFixed(2)}`,
    `pq.cosignature_verify_ms ${r.verifyMs.toFixed(2)}`,
    `pq.bundle_verify_ms ${b.verifyMs.toFixed(2)}`,
  ];
  say(
    `  bundle: ${b.bytes} bytes, checkpoint at ${b.size} entries, ${b.witnesses} ML-DSA-44 witnesses, VERIFIED; ` +
      `target < ${PQ_BUNDLE_VERIFY_TARGET_MS} ms ${met(b.verifyMs < PQ_BUNDLE_VERIFY_TARGET_MS)}`,
  );
  if (!process.argv.includes('--no-append')) {
    const a = await benchPqAppend({
      runs: arg('--append-runs') ?? 3,
      pairs: arg('--pairs') ?? 4,
      windowEntries: arg('--window'),
      onProgress: say,
    });
    out.push(
      `pq.append_cpu_us_per_entry_ed25519 ${a.ed25519Us.toFixed(2)}`,
      `pq.append_cpu_us_per_entry_dual ${a.dualUs.toFixed(2)}`,
      `pq.append_dual_overhead_pct ${a.overheadPct.toFixed(2)}`,
      `pq.append_raw_overhead_pct ${a.rawOverheadPct.toFixed(2)}`,
      `pq.append_checkpoint_cpu_ms_ed25519 ${a.checkpointEd25519Ms.toFixed(2)}`,
      `pq.append_checkpoint_cpu_ms_dual ${a.checkpointDualMs.toFixed(2)}`,
      `pq.append_checkpoint_interval_s ${a.windowS.toFixed(2)}`,
    );
    say(
      `  append: medians of ${a.runs.length} runs of ${a.windowsPerMode} windows of ${a.windowEntries} entries per mode; ` +
        `target < ${PQ_APPEND_OVERHEAD_TARGET_PCT} % ${met(a.overheadPct < PQ_APPEND_OVERHEAD_TARGET_PCT)}`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
