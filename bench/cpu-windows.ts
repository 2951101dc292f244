/**
 * `append.scaling_ratio` as the format v2 issue asks it to be measured: this
 * machine's Ed25519 speed varies by half within an hour, so wall-clock rates
 * of the first and last 100k entries compare two different machines. Instead
 * each timed window measures the process's CPU time per appended entry
 * (main thread, workers and LevelDB's threads: process.cpuUsage), right
 * beside a reference measured on the same thread just before it (CPU time of
 * one Ed25519 verification, node:crypto). The window's cost is the ratio of
 * the two: how many verifications one entry costs, which a slower or busier
 * machine changes much less than either number. Early and late windows
 * interleave with their own references, and the scaling is the median of
 * three (early cost ÷ late cost) pairs: 1 means the ledger costs as much per
 * entry at its end as at its start.
 */
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { type ThreadSplit, threadCpuUs, threadSplit } from './thread-cpu.js';

const REFERENCE_VERIFICATIONS = 2_000;

/** CPU µs of one Ed25519 verification of a 300-byte message, on this thread now. */
export function verificationCpuUs(): number {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const msg = randomBytes(300);
  const sig = sign(null, msg, privateKey);
  const before = process.cpuUsage();
  for (let i = 0; i < REFERENCE_VERIFICATIONS; i++)
    if (!verify(null, msg, publicKey, sig)) throw new Error('reference signature did not verify');
  const used = process.cpuUsage(before);
  return (used.user + used.system) / REFERENCE_VERIFICATIONS;
}

export interface CpuWindow {
  entries: number;
  /** Process CPU µs per entry during the window. */
  cpuUsPerEntry: number;
  /** The reference measured just before it. */
  verifyCpuUs: number;
  /** cpuUsPerEntry ÷ verifyCpuUs: what an entry costs in verifications. */
  cost: number;
  /** The window's CPU µs per entry by thread: the main thread, and the others largest first. */
  perThread: ThreadSplit;
}

/** Runs `work` (which appends `entries()` more entries) as one measured window. */
export async function cpuWindow(work: () => Promise<void>, entries: () => number): Promise<CpuWindow> {
  const verifyCpuUs = verificationCpuUs();
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
