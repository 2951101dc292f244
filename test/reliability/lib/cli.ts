/**
 * The command-line tool for the reliability tests, run in child processes as
 * a user would: cli/main.ts bundled once with esbuild (like the crash writer,
 * ./crash.ts prepareScript), or run through tsx when esbuild is unavailable.
 * Independent of dist/ (no build step needed) and of the e2e helpers.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { prepareScript, ROOT } from './crash.js';

export interface RunResult {
  /** Exit code, or null if the process was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Sets CUSTODY_LEDGER for this run. */
  ledger?: string;
  /** CUSTODY_PASSPHRASE for this run; null (the default) leaves it unset. */
  passphrase?: string | null;
  /** Written to stdin (else stdin is /dev/null). */
  stdin?: string;
}

export interface Cli {
  mode: 'bundle' | 'tsx';
  /** `node` arguments that start the CLI (then the CLI's own arguments). */
  args: string[];
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  dispose(): void;
}

/** The environment a user's shell would give: ours, minus anything that would steer the CLI. */
export function cliEnv(opts: RunOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['CUSTODY_LEDGER', 'CUSTODY_PASSPHRASE', 'NODE_OPTIONS', 'FORCE_COLOR']) delete env[k];
  if (opts.passphrase != null) env['CUSTODY_PASSPHRASE'] = opts.passphrase;
  if (opts.ledger !== undefined) env['CUSTODY_LEDGER'] = opts.ledger;
  return env;
}

export async function prepareCli(): Promise<Cli> {
  const script = await prepareScript(join(ROOT, 'cli/main.ts'));
  return {
    mode: script.mode,
    args: script.args,
    dispose: script.dispose,
    run: (args, opts = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...script.args, ...args], {
          cwd: ROOT,
          env: cliEnv(opts),
          stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout?.setEncoding('utf8').on('data', (s: string) => {
          stdout += s;
        });
        child.stderr?.setEncoding('utf8').on('data', (s: string) => {
          stderr += s;
        });
        if (opts.stdin !== undefined) {
          child.stdin?.on('error', () => {});
          child.stdin?.end(opts.stdin);
        }
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
  };
}

/**
 * The documented failure contract (docs/CLI.md): the exit code, and on stderr
 * exactly one line `custody: <message> [CODE]` (warnings aside), no stack
 * trace, nothing on stdout unless the command documents output on failure
 * (a verdict, or the JSON error document of --json).
 */
export function expectFailure(
  r: RunResult,
  want: { exit: number; code: string; message?: string | RegExp; stdout?: 'empty' | 'any' },
) {
  const ctx = `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
  expect(r.code, ctx).toBe(want.exit);
  const lines = r.stderr
    .replace(/\n$/, '')
    .split('\n')
    .filter((l) => !l.startsWith('custody: warning: '));
  expect(lines, ctx).toHaveLength(1);
  expect(lines[0], ctx).toMatch(/^custody: \S.* \[[A-Z][A-Z0-9_]*\]$/);
  expect(lines[0]!.endsWith(` [${want.code}]`), ctx).toBe(true);
  if (typeof want.message === 'string') expect(lines[0], ctx).toContain(want.message);
  else if (want.message) expect(lines[0], ctx).toMatch(want.message);
  expect(r.stderr, ctx).not.toMatch(/^\s+at\s/m);
  if ((want.stdout ?? 'empty') === 'empty') expect(r.stdout, ctx).toBe('');
}
