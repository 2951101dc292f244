/**
 * Crash consistency of the format v2 ledger (LogLedger over LevelLogStore).
 *
 * 1. SIGKILL during group commits: a child process (fixtures/writer.ts) keeps
 *    many signed statements in flight on a LevelDB ledger and prints each
 *    acknowledged append; it is killed at a seeded random moment. After every
 *    kill: every acknowledged append is present with the same leaf hash,
 *    verifyLogStore is ok, and the ledger takes the next statement. The same
 *    ledger is reused so it grows from trial to trial. `npm run soak` runs
 *    1000 trials (scripts/soak.ts).
 * 2. A storage error in the middle of a group commit (a store wrapper whose
 *    write throws, over memory and over LevelDB) rejects every accepted
 *    statement of the batch with that error, a refused one with its own
 *    refusal, and leaves the ledger exactly as it was: size, root, map root,
 *    stored head, records and indexes — and the in-memory state, shown by
 *    resubmitting the same statements, which would be refused if the failed
 *    batch had leaked into it.
 * 3. An ambiguous failure (the batch reached the disk, the write reported an
 *    error): the ledger re-reads the store before its next batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { NS } from '../../src/custody/records.js';
import type { CustodyError } from '../../src/errors.js';
import type { Composed } from '../../src/ledger/compose.js';
import type { Submitted } from '../../src/ledger/log-ledger.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogStore } from '../../src/store/log-store.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { ACTORS, AUTHORITY, type CastLedger, createCastLedger, digestOf, sign, submit } from './lib/cast.js';
import {
  checkAfterCrash,
  prepareWriter,
  runWriter,
  type TrialOptions,
  type WriterCommand,
} from './lib/crash.js';
import { Prng } from './lib/prng.js';
import { diskFull, FaultyStore } from './lib/stores.js';

const TRIALS = 20;
const SEED = 20260301;

const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'custody-crash-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe('SIGKILL at a random moment during concurrent appends (LevelDB)', () => {
  let cmd: WriterCommand;
  let dir: string;
  const stats = {
    killed: 0,
    killedAfterAcks: 0,
    acked: 0,
    sizes: [] as number[],
    perTrial: [] as number[],
  };

  beforeAll(async () => {
    cmd = await prepareWriter();
    dir = join(tempDir(), 'ledger');
    const { ledger } = await createCastLedger(await LevelLogStore.open(dir, 'create'));
    await ledger.close();
  });
  afterAll(() => cmd?.dispose());

  const prng = new Prng(SEED);
  const trials: TrialOptions[] = Array.from({ length: TRIALS }, (_, i) => {
    const killFrom = i % 7 === 6 ? 'spawn' : i % 2 === 1 ? 'ack' : 'open';
    return {
      seed: SEED + i,
      window: prng.pick([1, 2, 8, 16, 32]),
      killFrom,
      killAfterMs: killFrom === 'spawn' ? prng.int(0, 500) : prng.int(20, 280),
      writeMs: 10_000,
    };
  });

  for (const [i, t] of trials.entries())
    it(`trial ${i}: seed ${t.seed}, ${t.window} in flight, kill ${t.killAfterMs} ms after ${t.killFrom}`, async () => {
      const run = await runWriter(cmd, dir, t);
      expect(run.killed, `the writer ended on its own (exit ${run.exitCode}): ${run.stderr}`).toBe(true);
      expect(run.stderr, 'the legal workload was refused').not.toMatch(/refused/);
      const check = await checkAfterCrash(dir, run.acked);
      expect(check.failures, `reproduce with seed ${t.seed}`).toEqual([]);
      if (run.openedAt !== undefined) expect(check.size).toBeGreaterThanOrEqual(run.openedAt);
      for (const index of run.acked.keys()) expect(index).toBeLessThan(check.size);
      stats.killed++;
      stats.acked += run.acked.size;
      if (run.acked.size > 0) stats.killedAfterAcks++;
      stats.sizes.push(check.size);
      stats.perTrial.push(run.acked.size);
    });

  it(`the ${TRIALS} trials killed writers that had acknowledged appends, and the ledger grew`, () => {
    expect(stats.killed).toBe(TRIALS);
    // Every trial timed from the first acknowledgement killed a writer with
    // appends in flight after some were acknowledged, however slow the machine
    // (a count of acknowledgements would measure its speed, not the ledger);
    // the others may also hit it while starting, opening or signing.
    const fromAck = trials.filter((t) => t.killFrom === 'ack').length;
    expect(fromAck).toBeGreaterThanOrEqual(TRIALS / 3);
    expect(stats.killedAfterAcks).toBeGreaterThanOrEqual(fromAck);
    // Each check appends one statement, so the ledger only grows.
    expect(stats.sizes).toEqual([...stats.sizes].sort((a, b) => a - b));
    process.stderr.write(
      `crash trials: ${stats.killed} kills, ${stats.killedAfterAcks} after acknowledged appends, ${stats.acked} appends acknowledged, ledger grew to ${stats.sizes.at(-1)} entries (writer: ${cmd.mode}; acks per trial ${stats.perTrial.join(',')})\n`,
    );
  });

  it('a writer that is not killed closes cleanly and everything it acknowledged is there', async () => {
    const run = await runWriter(cmd, dir, { seed: SEED - 1, window: 8, killFrom: 'open', writeMs: 150 });
    expect(run.killed).toBe(false);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.acked.size).toBeGreaterThan(0);
    expect((await checkAfterCrash(dir, run.acked)).failures).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

/** Byte strings as hex (LevelDB hands out Buffers, the memory store Uint8Arrays). */
const plain = (v: unknown): unknown =>
  v instanceof Uint8Array
    ? toHex(v)
    : Array.isArray(v)
      ? v.map(plain)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
        : v;

async function listed(store: LogStore, ns: string) {
  const out: unknown[] = [];
  for await (const r of store.records(ns)) out.push(plain(r));
  return out;
}

/** What a ledger and its store hold, as far as the failed batch could have touched it. */
async function snapshot(ledger: LogLedger, ids: { exhibit: Uint8Array; statements: Uint8Array[] }) {
  const size = ledger.size;
  const root = toHex(ledger.root());
  const mapRoot = toHex(ledger.mapRoot);
  const store = ledger.store;
  return {
    size,
    root,
    mapRoot,
    storeHead: plain(await store.readHead()),
    entryAfter: await store.entry(size),
    records: Object.fromEntries(
      await Promise.all(Object.values(NS).map(async (ns) => [ns, await listed(store, ns)] as const)),
    ),
    events: await store.exhibitEvents(ids.exhibit),
    statements: await Promise.all(ids.statements.map((id) => store.statementIndex(id))),
  };
}

const registration = (label: string) =>
  sign({
    kind: 'register',
    signer: ACTORS.collector.signer,
    fields: {
      label,
      caseRef: 'NL-2026-0042',
      description: `exhibit ${label}`,
      digests: digestOf(`content of ${label}`),
      size: 3,
    },
  });

interface World extends CastLedger {
  faulty: FaultyStore;
  x: Composed;
}

async function world(inner: LogStore): Promise<World> {
  const faulty = new FaultyStore(inner);
  const cast = await createCastLedger(faulty);
  const x = registration('HDD-01');
  await submit(cast.ledger, x);
  return { ...cast, faulty, x };
}

/**
 * A group commit of three statements — a registration, a hand-over of x, and
 * one the rules refuse — written while the store fails. The commit loop takes
 * a batch as soon as it is idle, so a primer goes first; the three queue
 * behind it and form the next batch, and the write of THAT batch fails (`arm`
 * runs when the primer resolves, before the loop writes the next batch).
 */
async function failingBatch(w: World, arm: () => void) {
  const primer = submit(w.ledger, registration('PRIMER')).then(arm);
  const usb = registration('USB-07');
  const transfer = sign({
    kind: 'transfer',
    signer: ACTORS.collector.signer,
    fields: { to: ACTORS.deCustodian.id, reason: 'EIO', legalBasis: 'EIO DE-2026-0042' },
    exhibit: w.x.id,
    after: w.x.id,
  });
  // Refused by the rules on its own, whatever the store does: in the batch's
  // overlay the exhibit is already in transit (the transfer before it).
  const peek = sign({
    kind: 'examine',
    signer: ACTORS.nlExaminer.signer,
    fields: { action: 'peek' },
    exhibit: w.x.id,
    after: transfer.id,
  });
  const requests = [submit(w.ledger, usb), submit(w.ledger, transfer), submit(w.ledger, peek)];
  await primer;
  return { outcomes: await Promise.allSettled(requests), usb, transfer };
}

function expectBatchRejected(outcomes: PromiseSettledResult<Submitted>[], error: Error) {
  expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
  const [a, b, c] = outcomes as PromiseRejectedResult[];
  // The accepted statements of the batch get the storage error itself…
  expect(a!.reason).toBe(error);
  expect(b!.reason).toBe(error);
  // …and the one the rules refused gets its own refusal.
  expect((c!.reason as CustodyError).code).toBe('EXHIBIT_IN_TRANSIT');
}

async function failedBatchChangesNothing(w: World) {
  const error = diskFull();
  let before: ReturnType<typeof snapshot> | undefined;
  const { outcomes, usb, transfer } = await failingBatch(w, () => {
    w.faulty.failNextWrite = error;
    before = snapshot(w.ledger, { exhibit: w.x.id, statements: [] });
  });
  expectBatchRejected(outcomes, error);
  expect(w.faulty.failNextWrite).toBeUndefined();
  // The failed write held exactly the two accepted statements.
  const failed = w.faulty.batches.at(-1)!;
  const size = (await before!).size;
  expect(failed.entries.map((e) => e.index)).toEqual([size, size + 1]);
  const ids = { exhibit: w.x.id, statements: [usb.id, transfer.id] };
  const expected = { ...(await before!), statements: [undefined, undefined] };
  expect(await snapshot(w.ledger, ids)).toEqual(expected);
  // If the failed batch had leaked into memory, these would be refused
  // (STATEMENT_DUPLICATE, DUPLICATE_DIGEST, EXHIBIT_LINK_BROKEN) or land elsewhere.
  expect((await submit(w.ledger, usb)).index).toBe(size);
  expect((await submit(w.ledger, transfer)).index).toBe(size + 1);
  const r = await verifyLogStore(w.ledger.store, { trustedKeys: [AUTHORITY.signer.publicKey] });
  expect(r.report.problems).toEqual([]);
  expect(r.report.entries).toBe(size + 2);
  return size;
}

describe('a storage error in the middle of a group commit changes nothing', () => {
  it('memory: the whole batch is rejected; size, root, map root, head, records and indexes are as before', async () => {
    const w = await world(new MemoryLogStore());
    await failedBatchChangesNothing(w);
    await w.ledger.close();
  });

  it('LevelDB: the same, and the directory reopens with exactly the successful appends', async () => {
    const dir = join(tempDir(), 'ledger');
    const w = await world(await LevelLogStore.open(dir, 'create'));
    const writes = w.faulty.writes;
    const size = await failedBatchChangesNothing(w);
    // Primer, failed batch, and the two resubmissions (one batch each: submitted one after another).
    expect(w.faulty.writes).toBe(writes + 4);
    await w.ledger.close();
    const reopened = await LevelLogStore.open(dir, 'open');
    try {
      expect((await reopened.readHead())?.size).toBe(size + 2);
      expect((await verifyLogStore(reopened)).report.ok).toBe(true);
    } finally {
      await reopened.close();
    }
  });

  it('several failures in a row, interleaved with successes, leave exactly the successful appends', async () => {
    const w = await world(new MemoryLogStore());
    let expected = w.ledger.size;
    for (let i = 0; i < 12; i++) {
      const fail = i % 3 === 1 || i === 5;
      if (fail) w.faulty.failNextWrite = diskFull();
      const outcome = await submit(w.ledger, registration(`HDD-${i}`)).then(
        (a) => a.index,
        (e: unknown) => (e as CustodyError).code,
      );
      expect(outcome).toBe(fail ? 'STORE_IO' : expected++);
    }
    expect(w.ledger.size).toBe(expected);
    const r = await verifyLogStore(w.ledger.store);
    expect(r.report.problems).toEqual([]);
    expect(r.report.entries).toBe(expected);
  });
});

/**
 * An ambiguous failure: the batch reached the disk, but the write reported an
 * error (as an fsync error after the log write could). The statement is
 * rejected and the in-memory ledger does not count it, but the store has it.
 * What is safe: re-reading the store, which the ledger does before its next
 * batch, and which reopening does too (docs/THREAT-MODEL.md, "Storage faults").
 */
describe('a write that reached the disk but reported failure (ambiguous failure)', () => {
  async function ambiguous(w: World) {
    const size = w.ledger.size;
    w.faulty.failAfterNextWrite = diskFull();
    const lost = await submit(w.ledger, registration('LOST-1')).then(
      () => 'resolved',
      (e: unknown) => (e as CustodyError).code,
    );
    expect(lost).toBe('STORE_IO');
    // The caller was told it failed, yet the store holds it.
    expect((await w.faulty.readHead())?.size).toBe(size + 1);
    expect(w.ledger.size).toBe(size);
    return size;
  }

  it('reopening the ledger from the store recovers a consistent ledger that includes the entry', async () => {
    const dir = join(tempDir(), 'ledger');
    const w = await world(await LevelLogStore.open(dir, 'create'));
    const size = await ambiguous(w);
    await w.ledger.close();
    const store = await LevelLogStore.open(dir, 'open');
    try {
      const r = await verifyLogStore(store);
      expect(r.report.problems).toEqual([]);
      expect(r.report.entries).toBe(size + 1);
      const again = await LogLedger.open(store);
      expect(again.size).toBe(size + 1);
    } finally {
      await store.close();
    }
  });

  it('continuing with the same LogLedger re-reads the store first: nothing is overwritten', async () => {
    const w = await world(new MemoryLogStore());
    const size = await ambiguous(w);
    // The failed statement's batch did reach the store; the ledger resynchronises
    // before its next batch, so the next append follows it instead of overwriting it.
    const next = await submit(w.ledger, registration('NEXT-1'));
    expect(next.index).toBe(size + 1);
    expect(w.ledger.size).toBe(size + 2);
    // Resubmitting the "failed" statement (what a client does after an ambiguous
    // failure) is answered with the entry it did get: it is in the log, once.
    const lost = w.faulty.batches.at(-2)!.entries[0]!;
    await expect(w.ledger.submit(lost.payload)).resolves.toMatchObject({ index: size, duplicate: true });
    expect(w.ledger.size).toBe(size + 2);
    const r = await verifyLogStore(w.faulty);
    expect(r.report.problems).toEqual([]);
    expect(r.report.entries).toBe(size + 2);
    await w.ledger.close();
  });
});
