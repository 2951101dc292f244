/**
 * CPU time of each of this process's threads, from Linux's
 * /proc/self/task/<tid>/stat (proc(5): utime and stime, fields 14 and 15, in
 * clock ticks of 10 ms). Node 20 has no per-thread CPU clock for threads it
 * does not run JavaScript on (LevelDB's compaction thread, libuv's pool, V8's
 * collector helpers), and all of them are named "node", so the split is by
 * thread id: the main thread's id is the process id. Elsewhere than Linux the
 * snapshot is empty and the split is not reported.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_US = 10_000;

/** Thread id → CPU µs (user + system) so far. */
export function threadCpuUs(): Map<number, number> {
  const out = new Map<number, number>();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
      // The name (field 2) is in parentheses and may hold spaces: fields are counted after its ')'.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) * TICK_US);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

export interface ThreadSplit {
  /** The main thread's CPU µs. */
  main: number;
  /** The other threads' CPU µs, largest first (threads that used none left out). */
  others: number[];
}

/** CPU µs each thread used between two snapshots. */
export function threadSplit(before: Map<number, number>, after: Map<number, number>): ThreadSplit {
  let main = 0;
  const others: number[] = [];
  for (const [tid, us] of after) {
    const d = us - (before.get(tid) ?? 0);
    if (tid === process.pid) main = d;
    else if (d > 0) others.push(d);
  }
  return { main, others: others.sort((a, b) => b - a) };
}
