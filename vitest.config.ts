import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Two test files at a time: most of the suite waits on the CLI and server processes it
    // starts (start-up, fsync, loopback), so two files overlap well even on two cores, and the
    // whole run stays within CI's time (docs/PERFORMANCE.md §The test suite's time).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The CLI remembers each ledger it saw (cli/seen.ts); the runs under test remember in a
    // directory of this test run, never the user's. Ledgers are temporary directories, each
    // remembered under its own path, so test files do not disturb each other.
    env: { CUSTODY_STATE_DIR: join(tmpdir(), `custody-test-state-${process.pid}`) },
  },
});
