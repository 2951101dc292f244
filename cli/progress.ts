/** A one-line progress bar on stderr, shown only when stderr is a terminal. */
export function progressBar(
  label: string,
  quiet: boolean,
): { update(done: number, total: number, count?: string): void; stop(): void } {
  if (quiet || !process.stderr.isTTY) return { update() {}, stop() {} };
  let last = 0;
  const started = Date.now();
  return {
    /** `count`: what else is counted, e.g. "1,204/10,000 files" for a folder. */
    update(done, total, count) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const frac = total > 0 ? done / total : 1;
      const width = 30;
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      const mbs = done / 1048576 / Math.max(0.001, (now - started) / 1000);
      process.stderr.write(
        `\r${label} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}%  ${mbs.toFixed(0)} MiB/s${count ? `  ${count}` : ''} `,
      );
    },
    stop() {
      process.stderr.write('\r\u001b[K');
    },
  };
}
