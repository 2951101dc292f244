/**
 * Hostile file names (issue 24, bounded work; src/files/open-regular.ts):
 * every option that takes a file is given a FIFO, a socket, a symbolic link,
 * and `/dev/stdin` fed without end; each ends promptly with a clear error
 * (exit 2) instead of blocking or reading for ever. A huge sparse file of
 * another size than registered is refused on its size, never hashed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildWorld,
  CLI,
  cliEnv,
  copyLedger,
  custody,
  exportFor,
  json,
  ok,
  type RunResult,
  removeTempDirs,
  type World,
} from './helpers.js';

let w: World;
let fifo: string;
let socket: string;
let link: string;
let bundle: string;
let server: Server;

beforeAll(async () => {
  w = await buildWorld('e2e.custody.example/hostile');
  fifo = join(w.dir, 'a.fifo');
  execFileSync('mkfifo', [fifo]);
  socket = join(w.dir, 'a.sock');
  server = createServer();
  await new Promise<void>((r) => server.listen(socket, r));
  link = join(w.dir, 'link.dd');
  symlinkSync(w.evidence, link);
  await ok(['checkpoint', '--log-key', w.log.key], { ledger: w.ledger });
  bundle = join(w.dir, 'HDD-01.custody');
  await json(['export', 'HDD-01', '--out', bundle, ...exportFor(w.police)], { ledger: copyLedger(w.ledger) });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  removeTempDirs();
});

/** Every file-taking option, with `f` in the file's place. */
const uses = (f: string): [string, string[]][] => [
  [
    'register <file>',
    ['register', f, '--key', w.police.key, '--case', 'C', '--exhibit', 'X-9', '--description', 'd'],
  ],
  ['verify --file', ['verify', '--trust', w.authority.key, '--exhibit', 'HDD-01', '--file', f]],
  ['verify-bundle <bundle>', ['verify-bundle', f, '--trust', w.authority.publicKey, '--quorum', '0']],
  [
    'verify-bundle --file',
    ['verify-bundle', bundle, '--trust', w.authority.publicKey, '--quorum', '0', '--file', f],
  ],
  ['--trust <key file>', ['verify', '--trust', f]],
  ['--passphrase-file', ['accept', 'HDD-01', '--key', w.bka.key, '--passphrase-file', f]],
  ['verify --checkpoint', ['verify', '--trust', w.authority.key, '--checkpoint', f]],
  ['submit <statement file>', ['submit', f]],
  ['verify-bundle --policy', ['verify-bundle', bundle, '--trust', w.authority.publicKey, '--policy', f]],
  [
    'verify-bundle --tlog-policy',
    ['verify-bundle', bundle, '--trust', w.authority.publicKey, '--tlog-policy', f],
  ],
  ['receipt --checkpoint', ['receipt', '5', '--checkpoint', f]],
  ['verify-receipt <file>', ['verify-receipt', f, '--trust-log', w.log.publicKey]],
  ['verify-fraud-proof <file>', ['verify-fraud-proof', f, '--trust-log', w.log.publicKey]],
];

describe('hostile file names end promptly with a clear error', () => {
  for (const [kind, path] of [
    ['a FIFO', () => fifo],
    ['a socket', () => socket],
    ['a symbolic link', () => link],
  ] as const)
    it(`${kind}, given to every file-taking option`, async () => {
      for (const [what, args] of uses(path())) {
        const r = await custody(args, { ledger: copyLedger(w.ledger), passphrase: null });
        expect(r.code, `${what}\n${r.stderr}`).toBe(2);
        expect(r.stderr, what).toMatch(/^custody: .*\[[A-Z_]+\]\n$/);
      }
    });

  it('/dev/stdin fed without end is cut off at the option’s limit', async () => {
    const run = (args: string[]) =>
      new Promise<RunResult>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          env: cliEnv({ ledger: copyLedger(w.ledger), passphrase: null }),
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        const chunk = Buffer.alloc(1 << 16, 0x41);
        const feed = () => {
          while (child.stdin.write(chunk)) {}
        };
        child.stdin.on('drain', feed);
        child.stdin.on('error', () => undefined); // the CLI stops reading: EPIPE is expected
        feed();
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    // A bundle beyond the verifier's limit is INCOMPLETE (exit 5), as the verdict contract says.
    const b = await run(['verify-bundle', '/dev/stdin', '--trust', w.authority.publicKey, '--quorum', '0']);
    expect(b.code, b.stderr).toBe(5);
    expect(b.stderr).toMatch(/larger than \d+ bytes.*BUNDLE_TOO_LARGE/);
    for (const args of [
      ['verify', '--trust', '/dev/stdin'],
      ['accept', 'HDD-01', '--key', w.bka.key, '--passphrase-file', '/dev/stdin'],
    ]) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/larger than \d+ bytes|neither a 32-byte public key/);
    }
  });

  it('a 10 TiB sparse file is refused on its size, not hashed', async () => {
    const huge = join(w.dir, 'huge.dd');
    writeFileSync(huge, '');
    truncateSync(huge, 10 * 2 ** 40);
    const v = await custody(['verify', '--trust', w.authority.key, '--exhibit', 'HDD-01', '--file', huge], {
      ledger: copyLedger(w.ledger),
    });
    expect(v.code, v.stderr).toBe(1);
    expect(v.stderr).toMatch(/FILE_SIZE_MISMATCH/);
    const b = await custody([
      'verify-bundle',
      bundle,
      '--trust',
      w.authority.publicKey,
      '--quorum',
      '0',
      '--file',
      huge,
      '--json',
    ]);
    expect(b.code, b.stderr).toBe(1);
    expect(JSON.parse(b.stdout).problems.map((p: { code: string }) => p.code)).toContain(
      'FILE_SIZE_MISMATCH',
    );
  });
});
