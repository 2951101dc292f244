import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The CLI remembers each ledger it saw (cli/seen.ts); the runs under test remember in a
    // directory of this test run, never the user's. Ledgers are temporary directories, each
    // remembered under its own path, so test files do not disturb each other.
    env: { CUSTODY_STATE_DIR: join(tmpdir(), `custody-test-state-${process.pid}`) },
  },
});
