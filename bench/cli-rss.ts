/**
 * Runs the custody CLI in this process and reports its memory on stderr as
 * one JSON line when it exits. Used by the benchmarks to measure `custody
 * verify` exactly as a user runs it.
 *
 *   maxRssMb           peak resident set size (the kernel's count, everything)
 *   heapAndBuffersMb   peak of V8 heap in use + memory outside the heap held by
 *                      JavaScript objects (Buffers, typed arrays), sampled
 *   leveldbMappedMb    peak resident pages of LevelDB's table files mapped into
 *                      memory (*.ldb in /proc/self/smaps), sampled; Linux only
 *
 * The samples run every 250 ms (smaps every second), so a peak shorter than
 * that can be missed; the kernel's maxRss cannot.
 */
import { readFileSync, writeSync } from 'node:fs';

let heapAndBuffers = 0;
let leveldbMapped = 0;

function mappedTables(): number {
  let smaps: string;
  try {
    smaps = readFileSync('/proc/self/smaps', 'utf8');
  } catch {
    return 0;
  }
  let inTable = false;
  let kb = 0;
  for (const line of smaps.split('\n')) {
    // A mapping's header: "start-end perms offset dev inode [path]".
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inTable = line.endsWith('.ldb');
    else if (inTable && line.startsWith('Rss:')) kb += Number(line.split(/\s+/)[1]);
  }
  return kb * 1024;
}

let tick = 0;
const sample = () => {
  const m = process.memoryUsage();
  heapAndBuffers = Math.max(heapAndBuffers, m.heapUsed + m.external);
  if (tick++ % 4 === 0) leveldbMapped = Math.max(leveldbMapped, mappedTables());
};
setInterval(sample, 250).unref();

process.on('exit', () => {
  sample();
  const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
  writeSync(
    2,
    `\n${JSON.stringify({
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      heapAndBuffersMb: mb(heapAndBuffers),
      leveldbMappedMb: mb(leveldbMapped),
    })}\n`,
  );
});
process.argv.splice(1, 1);
await import('../cli/main.js');
