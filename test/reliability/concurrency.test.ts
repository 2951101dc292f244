/**
 * Concurrency of the format v2 ledger.
 *
 *  - Two processes on one ledger: while a child process holds the LevelDB
 *    ledger open (fixtures/holder.ts, a LogLedger with a workload), every CLI
 *    command on it — reading or writing — fails with exit code 4 and
 *    `custody: ledger is in use by another process (<dir>); held by pid … [LEDGER_LOCKED]`,
 *    also while the holder is in the middle of appending; the holder carries
 *    on unharmed (appends succeed, verifyLogStore ok) and once it has closed
 *    the CLI verifies everything it wrote. A library opener in this process
 *    gets LEDGER_LOCKED too.
 *  - Hundreds of statements in flight in one process (mixed kinds, some
 *    refused by the rules): indexes stay contiguous, every legal statement is
 *    accepted, every illegal one is refused with its code and leaves no trace
 *    (no entry, no statement index row, no exhibit event), the exhibit events
 *    are exactly those of the accepted statements, and verifyLogStore is ok.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { hashLeaf } from '../../src/merkle/hash.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogStore } from '../../src/store/log-store.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { ACTORS, AUTHORITY, createCastLedger, sign } from './lib/cast.js';
import { type Cli, expectFailure, prepareCli } from './lib/cli.js';
import { prepareScript, ROOT, type Script } from './lib/crash.js';
import { Prng } from './lib/prng.js';
import { type Outcome, Workload } from './lib/workload.js';

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A child process answering one line per command. */
class Holder {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: string[] = [];
  #waiting: ((line: string) => void) | undefined;
  #buffer = '';
  stderr = '';

  /** `seed`: a different one per run on the same ledger (the workload enrols keys drawn from it). */
  constructor(script: Script, dir: string, seed: number) {
    this.#child = spawn(process.execPath, [...script.args, dir, String(seed)], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    this.#child.stdout.setEncoding('utf8').on('data', (s: string) => {
      this.#buffer += s;
      for (let nl = this.#buffer.indexOf('\n'); nl >= 0; nl = this.#buffer.indexOf('\n')) {
        const line = this.#buffer.slice(0, nl);
        this.#buffer = this.#buffer.slice(nl + 1);
        const w = this.#waiting;
        this.#waiting = undefined;
        if (w) w(line);
        else this.#lines.push(line);
      }
    });
    this.#child.stderr.setEncoding('utf8').on('data', (s: string) => {
      this.stderr += s;
    });
  }

  next(): Promise<string> {
    const queued = this.#lines.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`holder did not answer; stderr: ${this.stderr}`)),
        30_000,
      );
      this.#waiting = (line) => {
        clearTimeout(timer);
        resolve(line);
      };
    });
  }

  ask(command: string): Promise<string> {
    this.#child.stdin.write(`${command}\n`);
    return this.next();
  }

  kill() {
    this.#child.kill('SIGKILL');
  }
}

describe('two processes on one ledger', () => {
  let script: Script;
  let cli: Cli;
  let holder: Holder;
  const dir = join(tempDir('custody-concurrency-'), 'ledger');
  // The holder's owner file names it (src/store/level-open.ts): its pid, its script, since when.
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const locked = new RegExp(
    `^custody: ledger is in use by another process \\(${escaped}\\); held by pid \\d+ \\(node holder-.*, since \\d{2}:\\d{2}:\\d{2} UTC\\) \\[LEDGER_LOCKED\\]$`,
  );

  beforeAll(async () => {
    [script, cli] = await Promise.all([
      prepareScript(join(ROOT, 'test/reliability/fixtures/holder.ts')),
      prepareCli(),
    ]);
    holder = new Holder(script, dir, 7);
    expect(await holder.next()).toBe('open 6');
  });
  afterAll(() => {
    holder?.kill();
    script?.dispose();
    cli?.dispose();
  });

  const commands = [
    ['log', '--limit', '1'],
    ['verify'],
    ['exhibits'],
    ['actor', 'list', '--json'],
    ['checkpoints'],
  ];

  it('every CLI command gets exit 4 and "ledger is in use by another process", also while the holder appends', async () => {
    const appending = holder.ask('append 200');
    const results = await Promise.all(commands.map((args) => cli.run(args, { ledger: dir })));
    for (const [i, r] of results.entries()) {
      // With --json, stdout carries the one error document (docs/CLI.md §Verdicts).
      const json = commands[i]!.includes('--json');
      expectFailure(r, { exit: 4, code: 'LEDGER_LOCKED', message: locked, stdout: json ? 'any' : 'empty' });
      if (json) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'LEDGER_LOCKED' } });
    }
    // The holder is unharmed: every one of its legal statements was accepted.
    expect(await appending, holder.stderr).toBe('appended 206 0');
    expect(await holder.ask('append 50')).toBe('appended 256 0');
    expect(await holder.ask('verify')).toBe('verify ok');
  });

  it('a library opener in this process is refused while another process holds the ledger', async () => {
    const e = await LevelLogStore.open(dir, 'open').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'LEDGER_LOCKED', category: 'unavailable' });
    expect(await holder.ask('append 10'), holder.stderr).toBe('appended 266 0');
  });

  it('once the holder has closed, the CLI verifies everything it wrote', async () => {
    expect(await holder.ask('close')).toBe('closed 266');
    const r = await cli.run(
      ['verify', '--json', '--trust', Buffer.from(AUTHORITY.signer.publicKey).toString('base64')],
      { ledger: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; anchored: boolean; entries: number };
    expect(report).toMatchObject({ ok: true, anchored: true, entries: 266 });
  });
});

// ---------------------------------------------------------------------------

async function storm(
  store: LogStore,
  opts: { seed: number; waves: number; perWave: number; maxBatch?: number },
) {
  const prng = new Prng(opts.seed);
  const cast = await createCastLedger(store, opts.maxBatch ? { maxBatch: opts.maxBatch } : {});
  const start = cast.ledger.size;
  const work = new Workload(cast, prng);
  work.illegal = 0.25;
  const outcomes: Outcome[] = [];
  for (let wave = 0; wave < opts.waves; wave++)
    outcomes.push(...(await Promise.all(Array.from({ length: opts.perWave }, () => work.next()))));
  return { ledger: cast.ledger, work, start, outcomes };
}

async function expectConsistent({ ledger, work, start, outcomes }: Awaited<ReturnType<typeof storm>>) {
  const accepted = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
  const refused = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  // Every legal statement was accepted, every illegal one refused with the code it must get.
  for (const r of refused) expect(r.code, String(r.error)).toBe(r.expected);
  expect(refused.length).toBeGreaterThan(outcomes.length / 10);
  expect(new Set(refused.map((r) => r.code)).size).toBeGreaterThanOrEqual(6);
  expect(new Set(accepted.map((a) => a.kind)).size).toBeGreaterThanOrEqual(7);
  // Contiguous indexes, no duplicates: exactly the accepted statements were written.
  const indexes = accepted.map((a) => a.submitted.index).sort((a, b) => a - b);
  expect(indexes).toEqual(Array.from({ length: accepted.length }, (_, i) => start + i));
  expect(ledger.size).toBe(start + accepted.length);
  const store = ledger.store;
  // Each stored entry is the one its statement was acknowledged with, under its identity.
  const acked = new Map(accepted.map((a) => [a.submitted.index, a]));
  const wrong: string[] = [];
  for await (const it of store.items(start, ledger.size)) {
    const a = acked.get(it.index)!;
    if (toHex(hashLeaf(it.entry)) !== toHex(a.submitted.leafHash)) wrong.push(`leaf ${it.index}`);
    if ((await store.statementIndex(a.id)) !== it.index) wrong.push(`statement index ${it.index}`);
  }
  expect(wrong).toEqual([]);
  // No trace of refused statements.
  for (const r of refused) expect(await store.statementIndex(r.id)).toBeUndefined();
  // Exhibit events: exactly the accepted statements' (exhibit, index) pairs.
  const want = new Map<string, number[]>();
  for (const a of [...accepted].sort((x, y) => x.submitted.index - y.submitted.index))
    for (const x of a.exhibits) want.set(toHex(x), [...(want.get(toHex(x)) ?? []), a.submitted.index]);
  const got = new Map<string, number[]>();
  for (const x of work.exhibitIds()) got.set(toHex(x), await store.exhibitEvents(x));
  expect(got).toEqual(want);
  const r = await verifyLogStore(store, { trustedKeys: [AUTHORITY.signer.publicKey] });
  expect(r.report.problems).toEqual([]);
  expect(r.report.entries).toBe(ledger.size);
  return { accepted: accepted.length, refused: refused.length };
}

describe('hundreds of statements in flight in one process', () => {
  it('LevelDB, 600 statements in 4 waves (a quarter of them illegal): contiguous, consistent, no trace of refusals', async () => {
    const store = await LevelLogStore.open(join(tempDir('custody-storm-'), 'ledger'), 'create');
    const s = await storm(store, { seed: 11, waves: 4, perWave: 150 });
    const counts = await expectConsistent(s);
    expect(counts.accepted + counts.refused).toBe(600);
    await s.ledger.close();
  });

  it('memory store with tiny group commits (maxBatch 3), 400 statements in 4 waves', async () => {
    const s = await storm(new MemoryLogStore(), { seed: 12, waves: 4, perWave: 100, maxBatch: 3 });
    await expectConsistent(s);
  });

  it('statements still queued when close() is called all settle before it resolves', async () => {
    const dir = join(tempDir('custody-close-'), 'ledger');
    const cast = await createCastLedger(await LevelLogStore.open(dir, 'create'));
    const work = new Workload(cast, new Prng(13));
    const pending = Array.from({ length: 100 }, () => work.next());
    await cast.ledger.close();
    const settled = await Promise.race([
      Promise.all(pending),
      new Promise<'late'>((r) => setImmediate(() => r('late'))),
    ]);
    expect(settled).not.toBe('late');
    expect((settled as Outcome[]).filter((o) => !o.ok)).toEqual([]);
    const late = sign({
      kind: 'register',
      signer: ACTORS.collector.signer,
      fields: {
        label: 'LATE',
        caseRef: 'C',
        description: 'd',
        digests: { sha256: new Uint8Array(32) },
        size: 1,
      },
    });
    await expect(cast.ledger.submit(late.bytes)).rejects.toMatchObject({ code: 'LEDGER_CLOSED' });
    const reopened = await LevelLogStore.open(dir, 'open');
    try {
      const r = await verifyLogStore(reopened);
      expect(r.report.problems).toEqual([]);
      expect(r.report.entries).toBe(cast.ledger.size);
      expect(r.report.entries).toBe(106);
      expect((await LogLedger.open(reopened)).size).toBe(cast.ledger.size);
    } finally {
      await reopened.close();
    }
  });
});
