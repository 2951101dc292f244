/**
 * Concurrency.
 *
 *  - Two processes on one ledger: while a child process holds the ledger open
 *    (a small script holding a Ledger, fixtures/holder.ts), every CLI command
 *    on it — reading or writing — fails with exit code 4 and
 *    `custody: ledger is in use by another process (<dir>) [LEDGER_LOCKED]`,
 *    also while the holder is in the middle of appending; the holder carries on
 *    unharmed (appends succeed, verify --deep ok) and once it has closed the
 *    CLI works on everything it wrote.
 *  - Hundreds of concurrent appends in one process (mixed kinds, some refused
 *    by the rules): sequence numbers stay contiguous, chain, tree, indexes and
 *    state agree (verify --deep), every legal request is accepted, every
 *    illegal one is refused with the expected code and leaves no trace.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { verifyStore } from '../../src/ledger/verify.js';
import { LevelStore } from '../../src/store/level.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { LedgerStore } from '../../src/store/store.js';
import { custody, expectFailure, removeTempDirs, tempDir } from '../e2e/helpers.js';
import { collect } from '../helpers/forge.js';
import { ACTORS, AUTHORITY, createCastLedger } from './lib/cast.js';
import { prepareScript, ROOT, type Script } from './lib/crash.js';
import { Prng } from './lib/prng.js';
import { type Outcome, Workload } from './lib/workload.js';

afterAll(removeTempDirs);

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
  let holder: Holder;
  const dir = join(tempDir('custody-concurrency-'), 'ledger');
  const locked = `custody: ledger is in use by another process (${dir}) [LEDGER_LOCKED]`;

  beforeAll(async () => {
    script = await prepareScript(join(ROOT, 'test/reliability/fixtures/holder.ts'));
    holder = new Holder(script, dir, 7);
    expect(await holder.next()).toBe('open 6');
  });
  afterAll(() => {
    holder?.kill();
    script?.dispose();
  });

  const commands = [
    ['log', '--limit', '1'],
    ['verify'],
    ['exhibits'],
    ['actor', 'list', '--json'],
    ['checkpoints'],
  ];

  it('every CLI command gets exit 4 and "ledger is in use by another process"', async () => {
    const results = await Promise.all(commands.map((args) => custody(args, { ledger: dir })));
    for (const r of results) expectFailure(r, { exit: 4, code: 'LEDGER_LOCKED', message: locked });
  });

  it('also while the holder is in the middle of appending; the holder is unharmed', async () => {
    const appending = holder.ask('append 200');
    const results = await Promise.all(commands.map((args) => custody(args, { ledger: dir })));
    for (const r of results) expectFailure(r, { exit: 4, code: 'LEDGER_LOCKED', message: locked });
    expect(await appending).toBe('appended 206 0');
    expect(await holder.ask('append 50')).toBe('appended 256 0');
    expect(await holder.ask('verify')).toBe('verify ok');
  });

  it('once the holder has closed, the CLI verifies everything it wrote', async () => {
    expect(await holder.ask('close')).toBe('closed 256');
    const r = await custody(['verify', '--deep', '--json'], { ledger: dir });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; entries: number };
    expect(report).toMatchObject({ ok: true, entries: 256 });
  });

  it('and a library opener in this process is refused while another process holds the ledger', async () => {
    const again = new Holder(script, dir, 8);
    try {
      expect(await again.next()).toBe('open 256');
      const e = await LevelStore.open(dir, 'open').catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'LEDGER_LOCKED', category: 'unavailable' });
      expect(await again.ask('append 10'), again.stderr).toBe('appended 266 0');
      expect(await again.ask('close')).toBe('closed 266');
    } finally {
      again.kill();
    }
  });
});

// ---------------------------------------------------------------------------

async function storm(
  store: LedgerStore,
  opts: { seed: number; waves: number; perWave: number; maxBatch?: number },
) {
  const prng = new Prng(opts.seed);
  const ledger = await createCastLedger(store, {
    random: (n) => prng.bytes(n),
    ...(opts.maxBatch ? { maxBatch: opts.maxBatch } : {}),
  });
  const start = ledger.size;
  const work = new Workload(ledger, prng);
  work.illegal = 0.25;
  const outcomes: Outcome[] = [];
  for (let wave = 0; wave < opts.waves; wave++)
    outcomes.push(...(await Promise.all(Array.from({ length: opts.perWave }, () => work.next()))));
  await ledger.flush();
  return { ledger, start, outcomes };
}

async function expectConsistent({ ledger, start, outcomes }: Awaited<ReturnType<typeof storm>>) {
  const accepted = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
  const refused = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
  // Every legal request was accepted, every illegal one refused with the code it must get.
  for (const r of refused) expect(r.code, String(r.error)).toBe(r.expected);
  expect(refused.length).toBeGreaterThan(outcomes.length / 10);
  expect(new Set(refused.map((r) => r.code)).size).toBeGreaterThanOrEqual(5);
  expect(new Set(accepted.map((a) => a.kind)).size).toBeGreaterThanOrEqual(7);
  // Contiguous sequence numbers, no duplicates: exactly the accepted requests were written.
  const seqs = accepted.map((a) => a.appended.seq).sort((a, b) => a - b);
  expect(seqs).toEqual(Array.from({ length: accepted.length }, (_, i) => start + i));
  expect(ledger.size).toBe(start + accepted.length);
  const records = await collect(ledger.records(start));
  expect(records.map((r) => r.seq)).toEqual(seqs);
  // Each stored entry is the one its request was acknowledged with (so no refused one slipped in).
  const acked = new Map(accepted.map((a) => [a.appended.seq, toHex(a.appended.leafHash)]));
  for (const r of records)
    expect(await ledger.leafHashIs(r.seq, Buffer.from(acked.get(r.seq)!, 'hex'))).toBe(true);
  // No trace of refused requests in the derived data either.
  expect((await ledger.exhibits()).some((x) => x.label === 'NO-ROLE')).toBe(false);
  expect((await ledger.actors()).some((a) => a.name === 'Sock puppet')).toBe(false);
  const r = await verifyStore(ledger.store, { deep: true, threads: 1 });
  expect(r.report.problems).toEqual([]);
  expect(r.report.entries).toBe(ledger.size);
  return { accepted: accepted.length, refused: refused.length };
}

describe('hundreds of concurrent appends in one process', () => {
  it('LevelDB, 600 requests in 4 waves (a quarter of them illegal): contiguous, consistent, no trace of refusals', async () => {
    const store = await LevelStore.open(join(tempDir('custody-storm-'), 'ledger'), 'create');
    const s = await storm(store, { seed: 11, waves: 4, perWave: 150 });
    const counts = await expectConsistent(s);
    expect(counts.accepted + counts.refused).toBe(600);
    await s.ledger.close();
  });

  it('memory store with tiny group commits (maxBatch 3), 400 requests in 4 waves', async () => {
    const s = await storm(new MemoryStore(), { seed: 12, waves: 4, perWave: 100, maxBatch: 3 });
    await expectConsistent(s);
  });

  it('appends still queued when close() is called all settle before it resolves', async () => {
    const store = await LevelStore.open(join(tempDir('custody-close-'), 'ledger'), 'create');
    const ledger = await createCastLedger(store);
    const work = new Workload(ledger, new Prng(13));
    const pending = Array.from({ length: 100 }, () => work.next());
    await ledger.close();
    const settled = await Promise.race([
      Promise.all(pending),
      new Promise<'late'>((r) => setImmediate(() => r('late'))),
    ]);
    expect(settled).not.toBe('late');
    const late = await ledger
      .append({ kind: 'revoke', body: { actor: ACTORS.frCourt.id, reason: 'x' } }, AUTHORITY.signer)
      .then(
        () => 'appended',
        (e: { code: string }) => e.code,
      );
    expect(late).toBe('LEDGER_CLOSED');
    const reopened = await LevelStore.open(store.dir, 'open');
    try {
      const r = await verifyStore(reopened, { deep: true, threads: 1 });
      expect(r.report.problems).toEqual([]);
      expect(r.report.entries).toBe(ledger.size);
      const l2 = await Ledger.open(reopened);
      expect(l2.size).toBe(ledger.size);
    } finally {
      await reopened.close();
    }
  });
});
