import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { SlowFirst } from './test/slow-first.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Three test files at a time on two cores: much of the suite waits on the CLI and server
    // processes it starts (start-up, fsync, loopback, a lease's one-second tick), and with two
    // files the cores stood idle a sixth of the run (34.8 CPU-minutes in 21.3 minutes, of which
    // about 2.5 mostly on one core for npm ci and the build). Three keep them busy, and the whole
    // run within CI's time (docs/PERFORMANCE.md §The test suite's time).
    maxWorkers: 3,
    // The files that run processes for minutes start first (./test/slow-first.ts).
    sequence: { sequencer: SlowFirst },
    // Generous: a timeout here catches a hang, never a slow machine (three files share two cores).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The CLI remembers each ledger it saw (cli/seen.ts); the runs under test remember in a
    // directory of this test run, never the user's. Ledgers are temporary directories, each
    // remembered under its own path, so test files do not disturb each other.
    env: { CUSTODY_STATE_DIR: join(tmpdir(), `custody-test-state-${process.pid}`) },
  },
});
