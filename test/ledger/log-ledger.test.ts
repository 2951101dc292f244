/**
 * The v2 ledger over a real store: statements signed elsewhere are appended in
 * group commits, survive a reopen (which reads only the head: the map and the
 * records load lazily), and what the store holds replays to the same tree and
 * map roots. A refused statement is rejected alone and changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { encodeOpenings } from '../../src/format/openings.js';
import type { SignedStatement } from '../../src/format/sign-statement.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { Sequencer } from '../../src/ledger/sequencer.js';
import { LevelLogStore } from '../../src/store/log-level.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import type { LogStore } from '../../src/store/log-store.js';
import { replayEntries } from '../../src/verify/entries.js';
import { digestOf, sign, T0 } from '../custody/v2-world.js';
import { make } from '../format/v2-fixtures.js';
import { seededSigner } from '../helpers/world.js';

const clock = { now: () => T0 + 60_000, zone: () => 'UTC' };
const people = {
  authority: seededSigner('ledger authority'),
  log: seededSigner('ledger log'),
  collector: seededSigner('ledger collector'),
  custodian: seededSigner('ledger custodian'),
};
const { statementKeyId } = await import('../format/v2-fixtures.js');

async function root(store: LogStore, size: number) {
  const { rootAt } = await import('../../src/merkle/proofs.js');
  return rootAt(store, size);
}

/** Genesis and two enrolments, each made against the checkpoint of the moment. */
async function founded(ledger: LogLedger): Promise<Uint8Array> {
  const g = sign('genesis', people.authority, {
    name: 'Test ledger',
    jurisdiction: 'NL',
    org: 'NFI',
    logKey: [KEY_TYPES.ed25519, people.log.publicKey],
  });
  await ledger.submit(g.bytes);
  let head = g.id;
  for (const [who, roles, j] of [
    [people.collector, ['collector', 'custodian'], 'NL'],
    [people.custodian, ['custodian', 'examiner'], 'DE'],
  ] as const) {
    const e = sign(
      'enrol',
      people.authority,
      {
        key: [KEY_TYPES.ed25519, who.publicKey],
        purpose: KEY_PURPOSES.statement,
        roles: [...roles],
        jurisdiction: j,
        name: 'N',
        org: 'O',
      },
      { after: head, seen: { size: ledger.size, root: await root(ledger.store, ledger.size) } },
    );
    await ledger.submit(e.bytes);
    head = e.id;
  }
  return head;
}

function exhibitLife(label: string): SignedStatement[] {
  const reg = sign('register', people.collector, {
    label,
    caseRef: 'NL-1',
    description: `Seized ${label}`,
    digests: digestOf(label),
    size: 10,
  });
  const t = sign(
    'transfer',
    people.collector,
    { to: statementKeyId(people.custodian.publicKey), reason: 'EIO', legalBasis: 'EIO 1' },
    { exhibit: reg.id, after: reg.id },
  );
  const a = sign('accept', people.custodian, { seal: 'intact' }, { exhibit: reg.id, after: t.id });
  return [reg, t, a];
}

async function replayed(store: LogStore) {
  const items = [];
  for await (const it of store.items(0, Number.MAX_SAFE_INTEGER)) items.push(it);
  return replayEntries(items);
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LogLedger', () => {
  it('appends statements signed elsewhere, concurrently, and the store replays to the same roots', async () => {
    const ledger = await LogLedger.open(new MemoryLogStore(), { clock });
    await founded(ledger);
    const lives = ['HDD-01', 'PHONE-01', 'USB-01'].map(exhibitLife);
    // Three workstations submit at once: each life in order, the lives interleaved in one group commit.
    await Promise.all(
      lives.map(async (life) => {
        for (const s of life) await ledger.submit(s.bytes);
      }),
    );
    expect(ledger.size).toBe(3 + 9);
    const r = await replayed(ledger.store);
    expect(r.problems).toEqual([]);
    expect(r.root).toEqual(ledger.root());
    expect(r.mapRoot).toEqual(ledger.mapRoot);
    expect(await ledger.store.exhibitEvents(lives[0]![0]!.id)).toHaveLength(3);
    expect(await ledger.store.statementIndex(lives[2]![2]!.id)).toBeGreaterThan(2);
  });

  it('survives a reopen that reads only the head, and goes on where it stopped', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'custody-logledger-')), 'ledger');
    dirs.push(dirname(dir));
    const first = await LogLedger.open(await LevelLogStore.open(dir, 'create'), { clock });
    await founded(first);
    const [reg, t, a] = exhibitLife('HDD-01');
    await first.submit(reg!.bytes);
    await first.submit(t!.bytes);
    await first.close();
    const again = await LogLedger.open(await LevelLogStore.open(dir, 'open'), { clock });
    expect(again.size).toBe(5);
    await again.submit(a!.bytes);
    for (const s of exhibitLife('HDD-02')) await again.submit(s.bytes);
    // The same statements through the pure sequencer give the same roots.
    const seq = new Sequencer(clock.now);
    for await (const it of again.store.items(0, 100)) expect((await seq.submit(it.payload)).ok).toBe(true);
    expect(seq.state.map.root).toEqual(again.mapRoot);
    expect(seq.frontier.root()).toEqual(again.root());
    await again.close();
  });

  it('rejects a refused statement alone, with its code, and writes nothing for it', async () => {
    const ledger = await LogLedger.open(new MemoryLogStore(), { clock });
    await founded(ledger);
    const [reg, t] = exhibitLife('HDD-01');
    const stranger = sign(
      'transfer',
      people.custodian,
      { to: statementKeyId(people.collector.publicKey), reason: 'x' },
      { exhibit: reg!.id, after: reg!.id },
    );
    const results = await Promise.allSettled([
      ledger.submit(reg!.bytes),
      ledger.submit(stranger.bytes),
      ledger.submit(t!.bytes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'NOT_HOLDER' });
    expect(ledger.size).toBe(5);
    expect(await ledger.store.statementIndex(stranger.id)).toBeUndefined();
    expect((await replayed(ledger.store)).problems).toEqual([]);
  });

  it('stores the openings beside the entry, and refuses openings that do not match', async () => {
    const ledger = await LogLedger.open(new MemoryLogStore(), { clock });
    await founded(ledger);
    const reg = make(
      'register',
      people.collector,
      { label: 'HDD-01', caseRef: 'NL-1', description: 'A disk', digests: digestOf('HDD-01'), size: 1 },
      {},
      { time: T0 },
    );
    const forged = encodeOpenings({
      description: { salt: reg.openings['description']!.salt, value: 'Another disk' },
    });
    await expect(ledger.submit(reg.bytes, forged)).rejects.toMatchObject({ code: 'OPENING_INVALID' });
    expect(ledger.size).toBe(3);
    const ok = await ledger.submit(reg.bytes, encodeOpenings(reg.openings));
    expect(await ledger.store.openings(ok.index)).toEqual(encodeOpenings(reg.openings));
  });
});

describe('LogLedger answers a statement submitted twice with its existing entry', () => {
  it('appends nothing for a repeat, in a later batch or in the same one, and says where it is', async () => {
    const ledger = await LogLedger.open(new MemoryLogStore(), { clock });
    await founded(ledger);
    const [reg, t, a] = exhibitLife('HDD-01');
    const first = await ledger.submit(reg!.bytes);
    expect(first.duplicate).toBeUndefined();
    await ledger.submit(t!.bytes);
    // The registration again, after the exhibit moved on: the rules would say EXHIBIT_LINK_BROKEN.
    const again = await ledger.submit(reg!.bytes);
    expect(again).toEqual({ ...first, duplicate: true });
    // Twice in one group commit: one entry, both answered with it.
    const [x, y] = await Promise.all([ledger.submit(a!.bytes), ledger.submit(a!.bytes)]);
    expect(x!.index).toBe(y!.index);
    expect([x!.duplicate, y!.duplicate]).toEqual([undefined, true]);
    expect(ledger.size).toBe(6);
    expect((await replayed(ledger.store)).problems).toEqual([]);
    // Governance too: genesis again is the genesis entry.
    const g = await ledger.store.payload(0);
    expect(await ledger.submit(g!)).toMatchObject({ index: 0, duplicate: true });
    expect(ledger.size).toBe(6);
  });

  it('still refuses a statement that is not in the log, with its own code', async () => {
    const ledger = await LogLedger.open(new MemoryLogStore(), { clock });
    await founded(ledger);
    const [reg, t] = exhibitLife('HDD-01');
    await ledger.submit(reg!.bytes);
    await ledger.submit(t!.bytes);
    const late = sign(
      'transfer',
      people.collector,
      { to: statementKeyId(people.custodian.publicKey), reason: 'again', legalBasis: 'EIO 2' },
      { exhibit: reg!.id, after: reg!.id },
    );
    await expect(ledger.submit(late.bytes)).rejects.toMatchObject({ code: 'EXHIBIT_LINK_BROKEN' });
  });
});

describe('LogLedger reads records through the state map', () => {
  /** The same store, but `record` answers what `edit` makes of the stored bytes. */
  const behind = (store: LogStore, edit: (ns: string, b: Uint8Array | undefined) => Uint8Array | undefined) =>
    new Proxy(store, {
      get(t, p) {
        if (p === 'record') return async (ns: string, key: Uint8Array) => edit(ns, await t.record(ns, key));
        const v = Reflect.get(t, p) as unknown;
        return typeof v === 'function' ? v.bind(t) : v;
      },
    });

  async function registered() {
    const store = new MemoryLogStore();
    const ledger = await LogLedger.open(store, { clock });
    await founded(ledger);
    const [reg, t] = exhibitLife('HDD-01');
    await ledger.submit(reg!.bytes);
    return { store, t: t! };
  }

  it('refuses to judge on an exhibit record deleted behind the ledger', async () => {
    const { store, t } = await registered();
    const reopened = await LogLedger.open(
      behind(store, (ns, b) => (ns === 'exhibit' ? undefined : b)),
      { clock },
    );
    await expect(reopened.submit(t.bytes)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    expect(reopened.size).toBe(4);
  });

  it('refuses to judge on an exhibit record edited behind the ledger', async () => {
    const { store, t } = await registered();
    const reopened = await LogLedger.open(
      behind(store, (ns, b) => {
        if (ns !== 'exhibit' || !b) return b;
        const c = b.slice();
        c[c.length - 1]! ^= 1; // inside the last byte string (the content digest)
        return c;
      }),
      { clock },
    );
    await expect(reopened.submit(t.bytes)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('reads no record the map does not hold', async () => {
    const { store, t } = await registered();
    const asked: string[] = [];
    const reopened = await LogLedger.open(
      behind(store, (ns, b) => {
        asked.push(`${ns}:${b ? 'held' : 'absent'}`);
        return b;
      }),
      { clock },
    );
    await reopened.submit(t.bytes);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((a) => a.endsWith('absent'))).toEqual([]);
  });
});

describe('LogLedger signatures on worker threads', () => {
  it('verifies a batch on the pool and rejects only the statement whose signature fails', async () => {
    const { WorkerPoolChecker } = await import('../../src/crypto/verify-pool.js');
    const checker = new WorkerPoolChecker(2);
    try {
      const ledger = await LogLedger.open(new MemoryLogStore(), { clock, checker });
      await founded(ledger);
      const [reg, t, a] = exhibitLife('HDD-01');
      const forged = t!.bytes.slice();
      forged[forged.length - 40]! ^= 1; // inside the signature, the last bytes of the statement
      const got = await Promise.allSettled(
        [reg, { bytes: forged }, t, a].map((x) => ledger.submit(x!.bytes)),
      );
      expect(got.map((g) => (g.status === 'fulfilled' ? 'ok' : (g.reason as { code: string }).code))).toEqual(
        ['ok', 'STATEMENT_SIGNATURE_INVALID', 'ok', 'ok'],
      );
      expect((await replayed(ledger.store)).problems).toEqual([]);
    } finally {
      await checker.close();
    }
  });
});

describe('LogLedger and the pure sequencer', () => {
  it('agree on every outcome and every root, whatever the order, batching and reopening', async () => {
    const fc = (await import('fast-check')).default;
    const lives = ['HDD-01', 'PHONE-01', 'USB-01'].map(exhibitLife);
    const [reg] = lives[0]!;
    const pool: Uint8Array[] = [
      ...lives.flat().map((x) => x.bytes),
      // Refused ones: a stranger hands over, a registration of the same bytes, a broken link.
      sign(
        'transfer',
        people.custodian,
        { to: statementKeyId(people.collector.publicKey), reason: 'x' },
        { exhibit: reg!.id, after: reg!.id },
      ).bytes,
      sign('register', people.collector, {
        label: 'AGAIN',
        caseRef: 'NL-1',
        description: 'd',
        digests: digestOf('HDD-01'),
        size: 1,
      }).bytes,
      sign('examine', people.custodian, { action: 'a' }, { exhibit: reg!.id, after: new Uint8Array(32) })
        .bytes,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        async (picks, reopenAfter, maxBatch) => {
          const store = new MemoryLogStore();
          let ledger = await LogLedger.open(store, { clock, maxBatch });
          await founded(ledger);
          const seq = new Sequencer(clock.now);
          for await (const it of store.items(0, 100)) await seq.submit(it.payload);
          const inLog = new Set<Uint8Array>();
          // Submitted in groups of 3 at once, so group commits hold several statements.
          for (let i = 0; i < picks.length; i += 3) {
            const group = picks.slice(i, i + 3).map((k) => pool[k]!);
            const got = await Promise.allSettled(group.map((b) => ledger.submit(b)));
            for (const [j, b] of group.entries()) {
              const want = await seq.submit(b);
              const g = got[j]!;
              // The sequencer refuses a statement already in its log; the ledger answers it with its entry.
              const wanted = want.ok ? 'accepted' : inLog.has(b) ? 'repeat' : want.violation.code;
              if (want.ok) inLog.add(b);
              expect(
                g.status === 'fulfilled'
                  ? g.value.duplicate
                    ? 'repeat'
                    : 'accepted'
                  : (g.reason as { code: string }).code,
              ).toBe(wanted);
            }
            if (reopenAfter[i]) ledger = await LogLedger.open(store, { clock, maxBatch });
          }
          expect(ledger.mapRoot).toEqual(seq.state.map.root);
          expect(ledger.root()).toEqual(seq.frontier.root());
        },
      ),
      { numRuns: 40, seed: 2026 },
    );
  });
});

function dirname(p: string) {
  return p.slice(0, p.lastIndexOf('/'));
}
