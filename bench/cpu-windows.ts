/**
 * `append.scaling_ratio` as the format v2 issue asks it to be measured: this
 * machine's Ed25519 speed varies by half within an hour, so wall-clock rates
 * of the first and last 100k entries compare two different machines. Instead
 * each timed window measures the process's CPU time per appended entry
 * (main thread, workers and LevelDB's threads: process.cpuUsage), right
 * beside a reference measured just before it: the CPU time of one Ed25519
 * verification (node:crypto) with every core verifying at once. The window's
 * cost is the ratio of the two: how many verifications one entry costs,
 * which a slower or busier machine changes much less than either number.
 * Early and late windows interleave with their own references, and the
 * scaling is the median of three (early cost ÷ late cost) pairs: 1 means the
 * ledger costs as much per entry at its end as at its start.
 *
 * The reference loads every core because the windows do: this machine's two
 * cores share a physical core, and a verification measured on one thread
 * while the other idles took as little as 80 µs of CPU, and 140 µs while
 * LevelDB compacted beside it, which made the reference the noisiest number
 * in the metric.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type ThreadSplit, threadCpuUs, threadSplit } from './thread-cpu.js';

const REFERENCE_MS = 500;

// Each worker verifies in a loop for the given time and reports its own
// thread's CPU time (Linux: /proc/thread-self/stat, utime + stime in 10 ms
// ticks) and how many verifications it made.
const REFERENCE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const fs = require('node:fs');
const threadCpuUs = () => {
  const s = fs.readFileSync('/proc/thread-self/stat', 'latin1');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 10000;
};
const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
const items = [];
for (let i = 0; i < 64; i++) {
  const msg = crypto.randomBytes(300);
  items.push([msg, crypto.sign(null, msg, privateKey)]);
}
const cpu0 = threadCpuUs();
const end = Date.now() + workerData.ms;
let n = 0;
while (Date.now() < end) {
  for (let i = 0; i < 64; i++) if (!crypto.verify(null, items[i][0], publicKey, items[i][1])) throw new Error('bad');
  n += 64;
}
parentPort.postMessage({ n, us: threadCpuUs() - cpu0 });
`;

/** CPU µs of one Ed25519 verification of a 300-byte message, with every core verifying. */
export async function verificationCpuUs(): Promise<number> {
  const runs = await Promise.all(
    Array.from(
      { length: availableParallelism() },
      () =>
        new Promise<{ n: number; us: number }>((resolve, reject) => {
          const w = new Worker(REFERENCE_WORKER, { eval: true, workerData: { ms: REFERENCE_MS } });
          w.once('message', (r: { n: number; us: number }) => {
            resolve(r);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  const n = runs.reduce((a, r) => a + r.n, 0);
  return runs.reduce((a, r) => a + r.us, 0) / Math.max(1, n);
}

export interface CpuWindow {
  entries: number;
  /** Process CPU µs per entry during the window. */
  cpuUsPerEntry: number;
  /** The reference measured just before it (./cpu-windows.ts verificationCpuUs). */
  verifyCpuUs: number;
  /** cpuUsPerEntry ÷ verifyCpuUs: what an entry costs in verifications. */
  cost: number;
  /** The window's CPU µs per entry by thread: the main thread, and the others largest first. */
  perThread: ThreadSplit;
}

/** Runs `work` (which appends `entries()` more entries) as one measured window. */
export async function cpuWindow(work: () => Promise<void>, entries: () => number): Promise<CpuWindow> {
  const verifyCpuUs = await verificationCpuUs();
  const n0 = entries();
  const threadsBefore = threadCpuUs();
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  const split = threadSplit(threadsBefore, threadCpuUs());
  const n = Math.max(1, entries() - n0);
  const cpuUsPerEntry = (used.user + used.system) / n;
  const perThread = { main: split.main / n, others: split.others.map((us) => us / n) };
  return { entries: n, cpuUsPerEntry, verifyCpuUs, cost: cpuUsPerEntry / verifyCpuUs, perThread };
}

/** Median over the pairs of early cost ÷ late cost (pairs: the i-th early with the i-th late window). */
export function scalingFromWindows(early: readonly CpuWindow[], late: readonly CpuWindow[]): number {
  const n = Math.min(early.length, late.length);
  if (n === 0) return Number.NaN;
  const ratios = Array.from({ length: n }, (_, i) => early[i]!.cost / late[i]!.cost).sort((a, b) => a - b);
  return n % 2 === 1 ? ratios[(n - 1) / 2]! : (ratios[n / 2 - 1]! + ratios[n / 2]!) / 2;
}
