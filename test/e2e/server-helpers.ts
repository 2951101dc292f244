/**
 * Ledger server processes for end-to-end tests: `custody serve` started from
 * the built CLI on a free loopback port, as an operator would start it, and a
 * lab ledger with actors and their access keys to serve.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  enrol,
  fixturePeople,
  initArgs,
  json,
  type Person,
  type RunOptions,
  spawnCli,
  tempDir,
} from './helpers.js';

export interface Server {
  url: string;
  proc: ChildProcess;
  /** Everything the server wrote on stderr so far. */
  stderr: () => string;
  /** Stdout (JSON-lines request logs) so far. */
  stdout: () => string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
  exited: Promise<number | null>;
}

/** Starts `custody serve` on 127.0.0.1:0 and resolves once it printed its URL. */
export function startServer(
  ledger: string,
  logKey: string,
  args: string[] = [],
  opts: RunOptions = {},
): Promise<Server> {
  const proc = spawnCli(
    ['serve', '--ledger', ledger, '--log-key', logKey, '--listen', '127.0.0.1:0', '--json', ...args],
    opts,
  );
  let err = '';
  let out = '';
  proc.stdout?.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 20_000);
    proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
      err += s;
      const m = /^\{"url":"([^"]+)"\}$/m.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          proc,
          stderr: () => err,
          stdout: () => out,
          exited,
          stop: (signal = 'SIGTERM') => {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
            return exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready:\n${err}`));
    });
  });
}

export interface Lab {
  dir: string;
  ledger: string;
  people: Record<'authority' | 'log' | 'police' | 'nfi' | 'court' | 'other', Person>;
  /** Access key file of each actor. */
  access: Record<'police' | 'nfi' | 'court' | 'other', string>;
}

/**
 * A ledger with four actors, each with an access key: police and nfi (case
 * JIT-2026-017), court, and "other" (an examiner of another case).
 */
export async function makeLab(): Promise<Lab> {
  const dir = tempDir('custody-server-');
  const people = fixturePeople(dir, {
    authority: ['NFI ledger authority', 'NL', 'Netherlands Forensic Institute', ''],
    log: ['NFI log key', 'NL', 'Netherlands Forensic Institute', ''],
    police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian'],
    nfi: ['Dr. A. Bakker', 'NL', 'Netherlands Forensic Institute', 'collector,custodian,examiner'],
    court: ['Greffier P. Martin', 'FR', 'Tribunal judiciaire de Paris', 'court'],
    other: ['Dr. O. Other', 'NL', 'Netherlands Forensic Institute', 'collector,examiner'],
  });
  const ledger = join(dir, 'ledger');
  await json([...initArgs('lab.example/ledger', people.authority, people.log)], { ledger });
  const access = {} as Lab['access'];
  for (const who of ['police', 'nfi', 'court', 'other'] as const) {
    await enrol(ledger, people.authority, people[who]);
    const file = join(dir, `${who}.access`);
    await json(['key', 'new-access', '--name', `${who} workstation`, '--out', file]);
    await json(
      ['actor', 'add-access-key', people[who].id, '--key', people.authority.key, '--public-key', file],
      {
        ledger,
      },
    );
    access[who] = file;
  }
  expect(Object.keys(access)).toHaveLength(4);
  return { dir, ledger, people, access };
}
