/**
 * Hostile input.
 *
 *  1. Properties (lib/fuzz.ts) with fast-check, FIXED seeds and modest runs:
 *     statement and openings bytes submitted to the ledger, the whole-ledger
 *     verifier over hostile items and over damaged or random LevelDB stores,
 *     the checkpoint check of `verify --checkpoint`, key files. `npm run soak`
 *     runs many more.
 *  2. Hard size caps on what is read from outside, just below (accepted, or
 *     refused for another reason) and just above (refused as too large).
 *  3. The CLI given junk files, oversized files, FIFOs and stdin: exit code 2,
 *     one line `custody: … [CODE]`, no stack trace, no hang.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_V2_LIMITS } from '../../src/bundle/bundle-v2.js';
import {
  formatSignatureLine,
  formatVkey,
  MAX_NOTE_BYTES,
  MAX_NOTE_SIGNATURES,
  noteVerifierFromVkey,
  parseNote,
  parseVkey,
} from '../../src/checkpoint/note.js';
import {
  MAX_CONSISTENCY_PROOF_HASHES,
  MAX_WITNESS_STATE_BYTES,
  parseWitnessState,
  witnessCosign,
} from '../../src/checkpoint/witness.js';
import type { CustodyError } from '../../src/errors.js';
import { decodeCanonical } from '../../src/format/canonical.js';
import { decodeEntry, ENTRY_MAX_BYTES } from '../../src/format/entry.js';
import { STATEMENT_LIMITS } from '../../src/format/statement.js';
import { readKeyFileHeader } from '../../src/keys/keyfile.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { seededSigner } from './lib/cast.js';
import { type Cli, cliEnv, expectFailure, prepareCli, type RunResult } from './lib/cli.js';
import { ROOT } from './lib/crash.js';
import { type FuzzFixture, fuzzProperties, makeFuzzFixture, mutateAll, PASSPHRASE } from './lib/fuzz.js';
import { removeTempDirs, tempDir } from './lib/insider.js';
import { Prng } from './lib/prng.js';

const SEED = 0x5eed_2026;
const fixture: FuzzFixture = await makeFuzzFixture();
afterAll(() => {
  fixture.dispose();
  removeTempDirs();
});
const props = fuzzProperties(fixture);

describe('properties over hostile input (fast-check, fixed seeds)', () => {
  for (const [i, p] of props.entries())
    it(`${p.name} (${p.runs} runs)`, async () => {
      await p.check({ seed: SEED + i, numRuns: p.runs });
    });
});

// ---------------------------------------------------------------------------

/** `CODE: message` of the coded error (CustodyError, FormatError) `f` throws, or 'ok'. */
function messageOf(f: () => unknown): string {
  try {
    f();
    return 'ok';
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return `${code}: ${(e as Error).message}`;
    throw e;
  }
}
const codeOf = (f: () => unknown) => messageOf(f).split(':')[0];

describe('hard size caps, just below and just above', () => {
  it(`a signed statement of ${STATEMENT_LIMITS.signed} bytes reaches the decoder; one more is STATEMENT_TOO_LARGE, and nothing is appended`, async () => {
    const ledger = await LogLedger.open(new MemoryLogStore());
    const at = await ledger
      .submit(new Uint8Array(STATEMENT_LIMITS.signed))
      .catch((e: CustodyError) => e.code);
    const over = await ledger
      .submit(new Uint8Array(STATEMENT_LIMITS.signed + 1))
      .catch((e: CustodyError) => e.code);
    expect(at).not.toBe('STATEMENT_TOO_LARGE');
    expect(at).toMatch(/^STATEMENT_/);
    expect(over).toBe('STATEMENT_TOO_LARGE');
    expect(ledger.size).toBe(0);
  });

  it(`an entry of ${ENTRY_MAX_BYTES} bytes reaches the decoder; one more is ENTRY_MALFORMED (too long)`, () => {
    expect(codeOf(() => decodeEntry(new Uint8Array(ENTRY_MAX_BYTES)))).toBe('ENTRY_MALFORMED');
    expect(messageOf(() => decodeEntry(new Uint8Array(ENTRY_MAX_BYTES)))).not.toMatch(/exceeds/);
    expect(messageOf(() => decodeEntry(new Uint8Array(ENTRY_MAX_BYTES + 1)))).toBe(
      `ENTRY_MALFORMED: entry exceeds ${ENTRY_MAX_BYTES} bytes`,
    );
  });

  it('canonical MessagePack: a value at depth 16 decodes, at depth 17 it is non-canonical', () => {
    const nested = (depth: number) => new Uint8Array([...new Array<number>(depth).fill(0x91), 0x00]);
    expect(decodeCanonical(nested(16))).toHaveProperty('value');
    expect(decodeCanonical(nested(17))).toEqual({ error: 'non-canonical' });
  });

  const sigLine = formatSignatureLine('k', new Uint8Array(4), new Uint8Array(64));
  it(`signed note: ${MAX_NOTE_BYTES} bytes parse; one more is NOTE_MALFORMED (too large)`, () => {
    // The cap is on UTF-8 bytes: the signature line's "—" takes three.
    const note = (total: number) => `${'A'.repeat(total - Buffer.byteLength(sigLine) - 2)}\n\n${sigLine}`;
    expect(Buffer.byteLength(note(MAX_NOTE_BYTES))).toBe(MAX_NOTE_BYTES);
    expect(parseNote(note(MAX_NOTE_BYTES)).signatures).toHaveLength(1);
    expect(messageOf(() => parseNote(note(MAX_NOTE_BYTES + 1)))).toMatch(/^NOTE_MALFORMED: note too large/);
  });

  it(`signed note: ${MAX_NOTE_SIGNATURES} signature lines parse; one more is NOTE_MALFORMED`, () => {
    const note = (n: number) => `text\n\n${sigLine.repeat(n)}`;
    expect(parseNote(note(MAX_NOTE_SIGNATURES)).signatures).toHaveLength(MAX_NOTE_SIGNATURES);
    expect(messageOf(() => parseNote(note(MAX_NOTE_SIGNATURES + 1)))).toMatch(
      /^NOTE_MALFORMED: too many signatures/,
    );
  });

  it('vkey: 1024 characters parse; one more is VKEY_MALFORMED (too long)', () => {
    const pk = seededSigner('vkey cap').publicKey;
    const vkey = (len: number) => formatVkey('n'.repeat(len - 54), pk);
    expect(vkey(1024)).toHaveLength(1024);
    expect(parseVkey(vkey(1024)).name).toHaveLength(970);
    expect(messageOf(() => parseVkey(vkey(1025)))).toBe('VKEY_MALFORMED: vkey too long');
  });

  it(`witness state: ${MAX_WITNESS_STATE_BYTES} characters are parsed; one more is WITNESS_STATE_MALFORMED (too large)`, () => {
    const padded = (n: number) => fixture.witnessState.padEnd(n, ' ');
    expect(parseWitnessState(padded(MAX_WITNESS_STATE_BYTES)).size).toBe(2);
    expect(messageOf(() => parseWitnessState(padded(MAX_WITNESS_STATE_BYTES + 1)))).toBe(
      'WITNESS_STATE_MALFORMED: witness state too large',
    );
  });

  it(`consistency proof given to a witness: ${MAX_CONSISTENCY_PROOF_HASHES} hashes are checked; one more is WITNESS_PROOF_MALFORMED`, () => {
    const cosign = (n: number) =>
      codeOf(() =>
        witnessCosign({
          state: { size: 3, root: new Uint8Array(32) },
          noteText: fixture.note,
          logVerifier: noteVerifierFromVkey(fixture.logVkey),
          consistencyProof: new Array(n).fill(new Uint8Array(32)),
          witnessName: 'w',
          witnessSigner: seededSigner('w'),
          now: 1_800_000_000,
        }),
      );
    expect(cosign(MAX_CONSISTENCY_PROOF_HASHES)).toBe('WITNESS_INCONSISTENT');
    expect(cosign(MAX_CONSISTENCY_PROOF_HASHES + 1)).toBe('WITNESS_PROOF_MALFORMED');
  });

  describe('key files', () => {
    const valid = fixture.keyFile;
    const withField = (from: string, to: string) => {
      expect(valid).toContain(from);
      return valid.replace(from, to);
    };
    it('4096 characters are parsed; one more is KEY_FILE_MALFORMED (too large)', () => {
      expect(messageOf(() => readKeyFileHeader(' '.repeat(4096)))).toMatch(/not JSON$/);
      expect(messageOf(() => readKeyFileHeader(' '.repeat(4097)))).toMatch(/the file is too large$/);
    });
    it('scrypt N from 2^14 to 2^20 (a power of two), r = 8, p from 1 to 4 — checked before any work', () => {
      // Only the header is read: no scrypt runs (N = 2^20 would need 1 GiB).
      expect(readKeyFileHeader(withField('"N":16384', '"N":1048576')).kdf.N).toBe(2 ** 20);
      expect(codeOf(() => readKeyFileHeader(withField('"N":16384', '"N":2097152')))).toBe(
        'KEY_FILE_MALFORMED',
      );
      expect(codeOf(() => readKeyFileHeader(withField('"N":16384', '"N":8192')))).toBe('KEY_FILE_MALFORMED');
      expect(codeOf(() => readKeyFileHeader(withField('"N":16384', '"N":16383')))).toBe('KEY_FILE_MALFORMED');
      expect(readKeyFileHeader(withField('"p":1', '"p":4')).kdf.p).toBe(4);
      expect(codeOf(() => readKeyFileHeader(withField('"p":1', '"p":5')))).toBe('KEY_FILE_MALFORMED');
      expect(codeOf(() => readKeyFileHeader(withField('"r":8', '"r":9')))).toBe('KEY_FILE_MALFORMED');
    });
    it('a name of 128 characters is read; 129 are KEY_FILE_MALFORMED', () => {
      expect(
        readKeyFileHeader(withField('"name":"Fuzz key"', `"name":"${'n'.repeat(128)}"`)).name,
      ).toHaveLength(128);
      expect(
        codeOf(() => readKeyFileHeader(withField('"name":"Fuzz key"', `"name":"${'n'.repeat(129)}"`))),
      ).toBe('KEY_FILE_MALFORMED');
    });
  });
});

// ---------------------------------------------------------------------------
// The CLI's file inputs

describe('the CLI given junk files: exit 2, one line `custody: … [CODE]`, no stack trace', () => {
  let cli: Cli;
  const dir = tempDir('custody-fuzz-cli-');
  const none = join(dir, 'none');
  const prng = new Prng(SEED);
  const junk = (name: string, bytes: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const key = junk('good.key', fixture.keyFile);
  const pass = junk('good.pass', `${PASSPHRASE}\n`);
  const pk = Buffer.from(seededSigner('fuzz cli').publicKey).toString('base64');
  const checkpoint = junk('good-checkpoint.txt', fixture.note);
  const logVkey = fixture.logVkey;
  const run = (args: string[]) => cli.run(args, { ledger: none });

  beforeAll(async () => {
    cli = await prepareCli();
  });
  afterAll(() => cli?.dispose());

  const cases: [string, () => string[], string][] = [
    [
      'random bytes as a key file (key show)',
      () => ['key', 'show', junk('a.key', prng.bytes(300))],
      'KEY_FILE_MALFORMED',
    ],
    [
      'a key file with a byte of its JSON structure flipped',
      () => [
        'key',
        'show',
        junk('c.key', mutateAll(Buffer.from(fixture.keyFile), [{ op: 'flip', at: 0, bit: 1 }])),
      ],
      'KEY_FILE_MALFORMED',
    ],
    [
      'random bytes as a checkpoint',
      () => ['verify', '--checkpoint', junk('a.cp', prng.bytes(500))],
      'CHECKPOINT_MALFORMED',
    ],
    [
      'a junk passphrase file',
      () => ['witness', 'vkey', '--key', key, '--passphrase-file', junk('a.pass', prng.bytes(64))],
      'KEY_PASSPHRASE_WRONG',
    ],
    [
      'a junk witness state file',
      () => [
        'witness',
        'cosign',
        '--key',
        key,
        '--passphrase-file',
        pass,
        '--state',
        junk('a.state', prng.bytes(200)),
        '--log-vkey',
        logVkey,
        '--checkpoint',
        checkpoint,
      ],
      'WITNESS_STATE_MALFORMED',
    ],
  ];

  it.concurrent.each(cases)('%s', async (_name, args, code) => {
    expectFailure(await run(args()), { exit: 2, code });
  });

  it('a --proof file that is not JSON (or JSON null) is WITNESS_PROOF_MALFORMED, not an internal error', async () => {
    const base = [
      'witness',
      'cosign',
      '--key',
      key,
      '--passphrase-file',
      pass,
      '--state',
      join(dir, 'p.state'),
    ];
    const [notJson, nul] = await Promise.all([
      run([
        ...base,
        '--log-vkey',
        logVkey,
        '--checkpoint',
        checkpoint,
        '--proof',
        junk('junk.json', 'junk{\n'),
      ]),
      run([
        ...base,
        '--log-vkey',
        logVkey,
        '--checkpoint',
        checkpoint,
        '--proof',
        junk('null.json', 'null\n'),
      ]),
    ]);
    expectFailure(notJson!, { exit: 2, code: 'WITNESS_PROOF_MALFORMED' });
    expectFailure(nul!, { exit: 2, code: 'WITNESS_PROOF_MALFORMED' });
    expect(notJson!.stderr).not.toContain('junk');
  });

  it('caps on CLI text inputs: a key file of 64 KiB is parsed, one byte more is FILE_TOO_LARGE; same for a 1 MiB checkpoint', async () => {
    const [atKey, overKey, atCp, overCp] = await Promise.all([
      run(['key', 'show', junk('64k.key', ' '.repeat(64 << 10))]),
      run(['key', 'show', junk('64k1.key', ' '.repeat((64 << 10) + 1))]),
      run(['verify', '--checkpoint', junk('1m.cp', 'x'.repeat(1 << 20))]),
      run(['verify', '--checkpoint', junk('1m1.cp', 'x'.repeat((1 << 20) + 1))]),
    ]);
    expectFailure(atKey!, { exit: 2, code: 'KEY_FILE_MALFORMED' });
    expectFailure(overKey!, { exit: 2, code: 'FILE_TOO_LARGE' });
    expectFailure(atCp!, { exit: 2, code: 'CHECKPOINT_MALFORMED' });
    expectFailure(overCp!, { exit: 2, code: 'FILE_TOO_LARGE' });
  });

  it(`cap on bundles: a (sparse) file of ${BUNDLE_V2_LIMITS.bytes} bytes + 1 is INCOMPLETE, refused before it is read`, async () => {
    const big = join(dir, 'huge.custody');
    writeFileSync(big, '');
    truncateSync(big, BUNDLE_V2_LIMITS.bytes + 1);
    // Beyond the verifier's cap is INCOMPLETE (exit 5), never FAILED: the bundle may be genuine.
    const r = await run(['verify-bundle', big, '--trust', pk]);
    expectFailure(r, {
      exit: 5,
      code: 'VERIFICATION_INCOMPLETE',
      message: `larger than ${BUNDLE_V2_LIMITS.bytes} bytes`,
      stdout: 'any',
    });
    expect(r.stdout).toMatch(/^INCOMPLETE: /);
  });

  it('cap on passphrase files: 64 KiB are read, one byte more is refused unread', async () => {
    const file = (name: string, size: number) => junk(name, 'p'.repeat(size));
    const [at, over] = await Promise.all([
      run(['witness', 'vkey', '--key', key, '--passphrase-file', file('64k.pass', 64 << 10)]),
      run(['witness', 'vkey', '--key', key, '--passphrase-file', file('64k1.pass', (64 << 10) + 1)]),
    ]);
    expectFailure(at!, { exit: 2, code: 'KEY_PASSPHRASE_WRONG' });
    expectFailure(over!, { exit: 2, code: 'PASSPHRASE_FILE_UNREADABLE', message: 'larger than 65536 bytes' });
  });

  /** Runs `custody witness attach - …` with stdin from a shell pipe or a Node pipe (a socket). */
  async function attachFromStdin(via: 'shell pipe' | 'node pipe', bytes: number): Promise<RunResult> {
    const args = ['witness', 'attach', '-', '--witness', fixture.witnessVkey];
    const payload = junk(`stdin-${bytes}.txt`, 'x'.repeat(bytes));
    const child =
      via === 'shell pipe'
        ? spawn('sh', ['-c', 'cat "$0" | "$@"', payload, process.execPath, ...cli.args, ...args], {
            cwd: ROOT,
            env: cliEnv({ ledger: none }),
          })
        : spawn(process.execPath, [...cli.args, ...args], { cwd: ROOT, env: cliEnv({ ledger: none }) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
    });
    child.stdin.on('error', () => {});
    child.stdin.end(via === 'node pipe' ? 'x'.repeat(bytes) : '');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  }

  it('input read from a piped stdin (`-`) is capped too (FILE_TOO_LARGE)', async () => {
    expectFailure(await attachFromStdin('shell pipe', (1 << 20) + 1), { exit: 2, code: 'FILE_TOO_LARGE' });
  });

  it('`-` (stdin) is read when stdin is a socket, as Node gives its children', async () => {
    const r = await attachFromStdin('node pipe', 16);
    expect(r.code, r.stderr).not.toBe(70);
    expectFailure(r, { exit: 4, code: 'LEDGER_NOT_FOUND' });
  });

  it('an input file that is not a regular file (a FIFO) is refused at once, not read', async () => {
    const fifoDir = join(dir, 'fifo');
    mkdirSync(fifoDir);
    const fifo = join(fifoDir, 'input');
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const within = (args: string[], ms: number) =>
      Promise.race([run(args), new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms))]);
    const results = await Promise.all([
      within(['verify', '--checkpoint', fifo], 8000),
      within(['key', 'show', fifo], 8000),
      within(['witness', 'vkey', '--key', key, '--passphrase-file', fifo], 8000),
    ]);
    // Release any process still blocked on the FIFO: open it for writing once and close it.
    const { openSync, closeSync, constants } = await import('node:fs');
    for (let i = 0; i < 3; i++) {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader left.
      }
    }
    const codes = ['FILE_UNREADABLE', 'FILE_UNREADABLE', 'PASSPHRASE_FILE_UNREADABLE'];
    for (const [i, r] of results.entries()) {
      expect(r, 'the CLI hung on a FIFO').not.toBe('hung');
      if (r !== 'hung')
        expectFailure(r, { exit: 2, code: codes[i]!, message: /is a FIFO|is not a regular file/ });
    }
  });
});
