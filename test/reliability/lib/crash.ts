/**
 * Crash trials (used by test/reliability/crash.test.ts and scripts/soak.ts):
 * run the writer child (fixtures/writer.ts) on a LevelDB ledger, SIGKILL it at
 * a random moment, then check that the ledger survived:
 *
 *  - every append the writer acknowledged is present at its index with the
 *    same leaf hash (durable before acknowledged);
 *  - verifyLogStore is ok, anchored to the cast's authority: entries,
 *    payloads, openings, records, tree and head agree (one atomic batch per
 *    group commit);
 *  - the ledger opens and takes a new statement at the next index, in the
 *    tree and the statement index.
 *
 * The writer is the TypeScript file run with `node --import tsx`. Because tsx
 * adds ~1.4 s to every process start on the 2-core CI machine (node alone: ~0.5 s),
 * prepareWriter() by default bundles that same file once with esbuild (the
 * compiler tsx itself runs) into node_modules/.cache and starts the bundle
 * with plain node; `tsx: true` (or esbuild being unavailable) starts the .ts
 * file with `node --import tsx` instead. Either way the code under test is the
 * same source.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { equalBytes, toHex } from '../../../src/bytes.js';
import { LogLedger } from '../../../src/ledger/log-ledger.js';
import { hashLeaf } from '../../../src/merkle/hash.js';
import { rootAt } from '../../../src/merkle/proofs.js';
import { LevelLogStore } from '../../../src/store/log-level.js';
import { verifyLogStore } from '../../../src/verify/log-store-verify.js';
import { ACTORS, AUTHORITY, digestOf, sign, submit } from './cast.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const WRITER_TS = join(ROOT, 'test/reliability/fixtures/writer.ts');

export interface WriterCommand {
  mode: 'bundle' | 'tsx';
  /** A writer process that has started up (or is starting) and waits for its parameters on stdin. */
  take(): ChildProcessWithoutNullStreams;
  /** Starts the next writer now (called when a trial's writer has ended, before the check). */
  prestart(): void;
  /** Removes the bundle and ends the spare writer, if any. */
  dispose(): void;
}

/**
 * Starts writers ahead of time: while one trial is checked, the next writer
 * is already starting up (node and module loading take ~0.5 s here), waiting
 * on stdin for its parameters. (Not while a trial writes: on two cores that
 * would slow the writer under test.)
 */
function commandFor(args: string[], mode: WriterCommand['mode'], cleanup: () => void): WriterCommand {
  const start = () =>
    spawn(process.execPath, [...args, '--stdin'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
  let spare: ChildProcessWithoutNullStreams | undefined;
  return {
    mode,
    take() {
      const child = spare ?? start();
      spare = undefined;
      return child;
    },
    prestart() {
      spare ??= start();
    },
    dispose() {
      spare?.kill('SIGKILL');
      spare = undefined;
      cleanup();
    },
  };
}

export interface Script {
  /** Arguments for `node` that run the script. */
  args: string[];
  mode: 'bundle' | 'tsx';
  dispose(): void;
}

/**
 * A TypeScript script of this suite, ready to start with `node`: bundled once
 * with esbuild (tsx's own compiler), or run through `--import tsx`.
 */
export async function prepareScript(file: string, opts: { tsx?: boolean } = {}): Promise<Script> {
  const tsx: Script = { args: ['--import', 'tsx', file], mode: 'tsx', dispose() {} };
  if (opts.tsx) return tsx;
  try {
    const esbuild = await import('esbuild');
    const dir = join(ROOT, 'node_modules/.cache/custody-reliability');
    mkdirSync(dir, { recursive: true });
    // Inside the project so that the bundle resolves `level` & co. from node_modules.
    const outfile = join(dir, `${basename(file, '.ts')}-${process.pid}-${Date.now()}.mjs`);
    await esbuild.build({
      entryPoints: [file],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      outfile,
      logLevel: 'silent',
    });
    return { args: [outfile], mode: 'bundle', dispose: () => rmSync(outfile, { force: true }) };
  } catch {
    return tsx;
  }
}

/** How to start the writer: a bundle of writer.ts (fast start), or writer.ts through tsx. */
export async function prepareWriter(opts: { tsx?: boolean } = {}): Promise<WriterCommand> {
  const script = await prepareScript(WRITER_TS, opts);
  return commandFor(script.args, script.mode, script.dispose);
}

export interface TrialOptions {
  seed: number;
  /** Appends in flight in the writer. */
  window: number;
  /** SIGKILL this many ms after `killFrom`; undefined lets the writer finish. */
  killAfterMs?: number;
  /**
   * 'open': after the writer printed `open`; 'ack': after its first
   * acknowledged append, so the kill lands among group commits however slow
   * the machine is; 'spawn': from the moment it is told to go, so possibly
   * while it opens the ledger.
   */
  killFrom: 'open' | 'ack' | 'spawn';
  /** How long the writer would write if not killed. */
  writeMs: number;
}

export interface TrialRun {
  /** index -> leaf hash hex of every acknowledged append. */
  acked: Map<number, string>;
  /** Size the writer saw on opening (undefined if killed before). */
  openedAt: number | undefined;
  killed: boolean;
  exitCode: number | null;
  stderr: string;
}

/** Runs the writer once on `dir`, killing it as asked. */
export function runWriter(cmd: WriterCommand, dir: string, t: TrialOptions): Promise<TrialRun> {
  return new Promise((resolvePromise, reject) => {
    const child = cmd.take();
    child.stdin.end(`${dir} ${t.seed} ${t.window} ${t.writeMs}\n`);
    const run: TrialRun = {
      acked: new Map(),
      openedAt: undefined,
      killed: false,
      exitCode: null,
      stderr: '',
    };
    let buffer = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => {
      run.killed = child.kill('SIGKILL');
    };
    const schedule = () => {
      if (t.killAfterMs !== undefined && !timer) timer = setTimeout(kill, t.killAfterMs);
    };
    if (t.killFrom === 'spawn') schedule();
    // A writer that never finishes is a failure of its own; never let a trial hang.
    const guard = setTimeout(kill, t.writeMs + 30_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      buffer += s;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const [what, a, b] = line.split(' ');
        if (what === 'ack') {
          run.acked.set(Number(a), b!);
          if (t.killFrom === 'ack') schedule();
        } else if (what === 'open') {
          run.openedAt = Number(a);
          if (t.killFrom === 'open') schedule();
        }
        nl = buffer.indexOf('\n');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      run.stderr += s;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      clearTimeout(guard);
      cmd.prestart();
      run.exitCode = code;
      resolvePromise(run);
    });
  });
}

export interface CheckResult {
  failures: string[];
  /** Size of the ledger after the crash (before the check's own append). */
  size: number;
}

/**
 * Checks a ledger after a crash (see the file comment). Returns failures as
 * text (empty when everything holds), so the test and the soak can both use it.
 */
export async function checkAfterCrash(dir: string, acked: ReadonlyMap<number, string>): Promise<CheckResult> {
  const failures: string[] = [];
  const store = await LevelLogStore.open(dir, 'open');
  let size = 0;
  let ledger: LogLedger | undefined;
  try {
    const head = await store.readHead();
    size = head?.size ?? 0;
    for (const [index, leaf] of acked) {
      const bytes = await store.entry(index);
      if (!bytes) failures.push(`acknowledged entry ${index} is missing (size ${size})`);
      else if (toHex(hashLeaf(bytes)) !== leaf)
        failures.push(`acknowledged entry ${index} has another leaf hash`);
    }
    const r = await verifyLogStore(store, { trustedKeys: [AUTHORITY.signer.publicKey] });
    if (!r.report.ok)
      failures.push(
        `verify failed: ${r.report.problems
          .slice(0, 5)
          .map((p) => `${p.code}@${p.seq}: ${p.message}`)
          .join('; ')}`,
      );
    if (r.report.entries !== size)
      failures.push(`head says ${size} entries, the entries ${r.report.entries}`);
    ledger = await LogLedger.open(store);
    if (ledger.size !== size)
      failures.push(`the reopened ledger has ${ledger.size} entries, the head ${size}`);
    const reg = sign({
      kind: 'register',
      signer: ACTORS.collector.signer,
      fields: {
        label: `AFTER-CRASH-${size}`,
        caseRef: 'NL-2026-0042',
        description: 'registered after reopening a crashed ledger',
        digests: digestOf(`after ${size} ${Date.now()}`),
        size: 1,
      },
    });
    const a = await submit(ledger, reg);
    if (a.index !== size)
      failures.push(`the first append after reopening got index ${a.index}, expected ${size}`);
    if (!equalBytes(await store.node(0, a.index), a.leafHash))
      failures.push('the new append is not in the tree');
    if ((await store.statementIndex(reg.id)) !== a.index)
      failures.push('the new append is not in the statement index');
    if (!equalBytes(await rootAt(store, ledger.size), ledger.root()))
      failures.push('the stored tree disagrees with the reopened ledger');
  } catch (e) {
    failures.push(`checking the ledger threw: ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    if (ledger) await ledger.close();
    else await store.close();
  }
  return { failures, size };
}
