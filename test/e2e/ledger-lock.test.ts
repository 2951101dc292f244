/**
 * No lock-outs in local mode (issue 29, item 3): evidence is hashed before the
 * ledger is opened, the lock is held for the append only, `--wait <seconds>`
 * retries a locked ledger, and LEDGER_LOCKED names the process that holds it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  copyLedger,
  custody,
  entryCount,
  evidenceFile,
  expectFailure,
  ROOT,
  type RunResult,
  removeTempDirs,
  spawnCli,
  tempDir,
  type World,
} from './helpers.js';

let w: World;
const BASE = 6; // genesis, four enrolments, one registration

beforeAll(async () => {
  w = await buildWorld('e2e.custody.example/lock');
  expect(await entryCount(w.ledger)).toBe(BASE);
});
afterAll(removeTempDirs);

const registerArgs = (file: string, label: string, key: string) => [
  'register',
  file,
  '--key',
  key,
  '--case',
  'C-LOCK',
  '--exhibit',
  label,
  '--description',
  `exhibit ${label}`,
  '--json',
];

/**
 * Another custody process holding the ledger open through the library (as a
 * server or a long command would), until it is told to close it.
 */
async function holdLedger(ledger: string): Promise<{ child: ChildProcess; release: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      [
        "const { LevelLogStore } = await import('./dist/src/store/log-level.js');",
        "const { setLockOwnerCommand } = await import('./dist/src/store/level-open.js');",
        "setLockOwnerCommand('custody holder');",
        "const store = await LevelLogStore.open(process.argv[1], 'open');",
        "process.stdout.write('locked\\n');",
        "process.stdin.on('data', async () => { await store.close(); process.exit(0); });",
      ].join('\n'),
      ledger,
    ],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
  return {
    child,
    release: async () => {
      child.stdin?.write('close\n');
      await exited;
    },
  };
}

function finished(child: ChildProcess): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A sparse file of `size` bytes: hashing it takes seconds, storing it nothing. */
function sparseFile(dir: string, name: string, size: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, size);
  closeSync(fd);
  return path;
}

describe('local ledger lock', () => {
  it('LEDGER_LOCKED names the holding process; --wait 30 waits for it, then appends', async () => {
    const ledger = copyLedger(w.ledger);
    const dir = tempDir('custody-e2e-lock-');
    const file = evidenceFile(dir, 'USB-02.dd');
    const holder = await holdLedger(ledger);
    try {
      const refused = await custody(registerArgs(file, 'USB-02', w.police.key), { ledger });
      expectFailure(refused, {
        exit: 4,
        code: 'LEDGER_LOCKED',
        message: new RegExp(
          `ledger is in use by another process \\(${ledger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\); held by pid ${holder.child.pid} \\(custody holder, since \\d{2}:\\d{2}:\\d{2} UTC\\)`,
        ),
        stdout: 'any',
      });
      const started = Date.now();
      const waiting = finished(
        spawnCli(['--wait', '30', ...registerArgs(file, 'USB-02', w.police.key)], { ledger }),
      );
      await new Promise((r) => setTimeout(r, 1500));
      await holder.release();
      const r = await waiting;
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
      expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'register', index: BASE });
    } finally {
      holder.child.kill();
    }
    expect(await entryCount(ledger)).toBe(BASE + 1);
  }, 60_000);

  it('an owner file whose process is gone is called stale, not trusted', async () => {
    const ledger = copyLedger(w.ledger);
    const holder = await holdLedger(ledger);
    try {
      // A crashed holder's record: a pid no process has (above Linux's pid_max).
      writeFileSync(
        join(ledger, 'LOCK.owner.json'),
        JSON.stringify({
          pid: 99_999_999,
          host: (await import('node:os')).hostname(),
          command: 'custody register',
          since: new Date().toISOString(),
        }),
      );
      expectFailure(await custody(['log'], { ledger }), {
        exit: 4,
        code: 'LEDGER_LOCKED',
        message: /names pid 99999999 \(custody register, since .*\), a stale record: no such process runs/,
      });
    } finally {
      await holder.release();
    }
  }, 30_000);

  it('the lock is not held while a large file is hashed (register, accept --file): another register appends meanwhile', async () => {
    const ledger = copyLedger(w.ledger);
    const dir = tempDir('custody-e2e-lock-');
    const big = sparseFile(dir, 'IMG-01.dd', 2 * 1024 ** 3);
    const small = evidenceFile(dir, 'USB-03.dd');
    const a = finished(spawnCli(registerArgs(big, 'IMG-01', w.police.key), { ledger }));
    let aDone = false;
    void a.then(() => {
      aDone = true;
    });
    await new Promise((r) => setTimeout(r, 500));
    const b = await custody(registerArgs(small, 'USB-03', w.police.key), { ledger });
    expect(b.code, b.stderr).toBe(0);
    // B appended while A was still hashing (the ledger was never locked by A).
    expect(aDone).toBe(false);
    expect(JSON.parse(b.stdout)).toMatchObject({ kind: 'register', index: BASE });
    const ra = await a;
    expect(ra.code, ra.stderr).toBe(0);
    expect(JSON.parse(ra.stdout)).toMatchObject({ kind: 'register', index: BASE + 1, size: 2 * 1024 ** 3 });
    expect(await entryCount(ledger)).toBe(BASE + 2);

    // accept --file: a short read of the registered algorithms, then the hash with the ledger closed.
    const exhibit = (JSON.parse(ra.stdout) as { exhibit: string }).exhibit;
    const t = await custody(
      ['transfer', exhibit, '--to', w.nfi.id, '--key', w.police.key, '--reason', 'examination', '--json'],
      { ledger },
    );
    expect(t.code, t.stderr).toBe(0);
    const accepting = finished(
      spawnCli(['accept', exhibit, '--key', w.nfi.key, '--file', big, '--json'], { ledger }),
    );
    let acceptDone = false;
    void accepting.then(() => {
      acceptDone = true;
    });
    await new Promise((r) => setTimeout(r, 500));
    // --wait covers the accept's short read, should B meet it.
    const small2 = evidenceFile(dir, 'USB-05.dd');
    const b2 = await custody(['--wait', '10', ...registerArgs(small2, 'USB-05', w.police.key)], { ledger });
    expect(b2.code, b2.stderr).toBe(0);
    expect(acceptDone).toBe(false);
    const acc = await accepting;
    expect(acc.code, acc.stderr).toBe(0);
    expect(JSON.parse(acc.stdout)).toMatchObject({ kind: 'accept', index: BASE + 4, digestsMatch: true });
    expect(await entryCount(ledger)).toBe(BASE + 5);
  }, 180_000);

  it('--wait takes seconds: -1 or abc is a usage error, nothing appended', async () => {
    const ledger = copyLedger(w.ledger);
    const file = evidenceFile(tempDir('custody-e2e-lock-'), 'USB-04.dd');
    for (const bad of ['-1', 'abc'])
      expectFailure(
        await custody(['--wait', bad, ...registerArgs(file, 'USB-04', w.police.key)], { ledger }),
        {
          exit: 2,
          code: 'USAGE',
          message: `--wait takes a number of seconds from 0 to 86400, not ${bad}`,
          stdout: 'any',
        },
      );
    expect(await entryCount(ledger)).toBe(BASE);
  }, 30_000);
});
