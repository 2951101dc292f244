/**
 * Runs the custody CLI in this process and reports its peak resident set size
 * on stderr as one JSON line ({"maxRssMb": n}) when it exits. Used by the
 * benchmarks to measure `custody verify` exactly as a user runs it.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\n${JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
});
process.argv.splice(1, 1);
await import('../cli/main.js');
