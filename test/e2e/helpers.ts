/**
 * End-to-end helpers: run the BUILT command-line tool (dist/cli/main.js, the
 * package's `custody` bin) in a child process, exactly as a user or a script
 * would, and capture its exit code, stdout and stderr.
 *
 * `npm test` builds before running vitest; when running vitest directly, run
 * `npm run build` first (the suite refuses to start without dist/cli/main.js).
 * $CUSTODY_E2E_CLI names another build of main.js to run instead (a private
 * build, when dist/ is being rebuilt by something else).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { randomSeed, type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { statementKeyShort } from '../../src/format/key-id.js';
import { ids45 } from '../../src/format/short-id.js';
import { decryptKeyFile, encryptKeyFile } from '../../src/keys/keyfile.js';
import { verifyInclusionIndependently } from '../proofs/independent.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = process.env['CUSTODY_E2E_CLI'] ?? join(ROOT, 'dist/cli/main.js');
export const PASSPHRASE = 'correct horse battery staple (e2e)';

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);

/** Short ids as the CLI prints them: `EX-XXXXX-XXXXC`, `K-XXXXX-XXXXC` (Crockford base32). */
export const EXHIBIT_ID = /^EX-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
export const KEY_ID = /^K-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;
export const HEX32 = /^[0-9a-f]{64}$/;
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The fields of every `--json` result of a command that appends a chain statement. */
export const APPENDED = ['index', 'id', 'exhibit', 'exhibitId', 'kind', 'receipt'];
/** The fields of every `--json` result of a command that appends a governance statement. */
export const GOVERNED = ['actor', 'index', 'id', 'receipt'];

/** The unsigned local receipt every appending command prints with --json. */
export interface Receipt {
  index: number;
  size: number;
  leafHash: string;
  root: string;
  proof: string[];
}

/**
 * Asserts that `r` is the receipt of the entry at `index`: the tree of size
 * index + 1 and an RFC 9162 inclusion proof of its leaf, checked by the
 * independent implementation in test/proofs/independent.ts.
 */
export function expectReceipt(r: Receipt, index: number) {
  expectFields(r, ['index', 'size', 'leafHash', 'root', 'proof']);
  expect(r).toMatchObject({ index, size: index + 1 });
  expect(r.leafHash).toMatch(HEX32);
  expect(r.root).toMatch(HEX32);
  expect(r.proof.every((h) => HEX32.test(h))).toBe(true);
  const h = (x: string) => Buffer.from(x, 'hex');
  expect(verifyInclusionIndependently(index, index + 1, h(r.leafHash), r.proof.map(h), h(r.root))).toBe(true);
}

export interface RunResult {
  /** Exit code, or null if the process was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Working directory (default: the project root). */
  cwd?: string;
  /** Sets CUSTODY_LEDGER for this run. */
  ledger?: string;
  /** CUSTODY_PASSPHRASE for this run; null leaves it unset (default: PASSPHRASE). */
  passphrase?: string | null;
  /** Extra environment variables (undefined removes one). */
  env?: Record<string, string | undefined>;
}

/**
 * Where the CLI runs of this test file remember the ledgers they saw (cli/seen.ts): its own
 * directory, for a server's URL is remembered by its loopback port, and a port freed by one test
 * file's server may be given to another's, which is another ledger (CHECKPOINT_MISMATCH).
 */
const FILE_STATE_DIR = join(process.env['CUSTODY_STATE_DIR'] ?? tmpdir(), `file-${randomUUID()}`);

/** The environment a user's shell would give: ours, minus anything that would steer the CLI. */
export function cliEnv(opts: RunOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CUSTODY_STATE_DIR: FILE_STATE_DIR };
  for (const k of ['CUSTODY_LEDGER', 'CUSTODY_PASSPHRASE', 'CUSTODY_E2E_CLI', 'NODE_OPTIONS', 'FORCE_COLOR'])
    delete env[k];
  const passphrase = opts.passphrase === undefined ? PASSPHRASE : opts.passphrase;
  if (passphrase !== null) env['CUSTODY_PASSPHRASE'] = passphrase;
  if (opts.ledger !== undefined) env['CUSTODY_LEDGER'] = opts.ledger;
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Starts `custody <args>` with stdin from /dev/null (never a TTY) and stdout/stderr piped. */
export function spawnCli(args: string[], opts: RunOptions = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: cliEnv(opts),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `custody <args>` to completion. */
export function custody(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawnCli(args, opts);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** Parses stdout as exactly one JSON document (JSON.parse rejects anything around it). */
export function parseJson<T>(r: RunResult): T {
  expect(r.stdout.endsWith('\n'), 'JSON output ends with a newline').toBe(true);
  try {
    return JSON.parse(r.stdout) as T;
  } catch (e) {
    throw new Error(`stdout is not one JSON document: ${(e as Error).message}\n---\n${r.stdout}`);
  }
}

/** Lines on stderr other than warnings (`custody: warning: …`). */
export const nonWarnings = (stderr: string) =>
  stderr.split('\n').filter((l) => l !== '' && !l.startsWith('custody: warning: '));

/**
 * Runs a command that must succeed with --json, returning the parsed document.
 * With --json, stdout is one JSON document and stderr holds at most warnings.
 */
export async function json<T>(args: string[], opts: RunOptions = {}): Promise<T> {
  const r = await custody([...args, '--json'], opts);
  expect(r.code, `custody ${args.join(' ')} --json\n${r.stderr}`).toBe(0);
  expect(nonWarnings(r.stderr), 'nothing but warnings on stderr with --json').toEqual([]);
  return parseJson<T>(r);
}

/** Runs a command that must succeed; returns its result. */
export async function ok(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await custody(args, opts);
  expect(r.code, `custody ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r;
}

export const sortedKeys = (o: object) => Object.keys(o).sort();

/** Asserts that `o` has exactly these fields, no more and no fewer. */
export function expectFields(o: object, fields: string[]) {
  expect(sortedKeys(o)).toEqual([...fields].sort());
}

const STACK_LINE = /^\s+at\s/m;

/**
 * Asserts the documented failure contract: exit code, and on stderr exactly one
 * error line `custody: <message> [CODE]` (warnings `custody: warning: …` aside),
 * no stack trace; stdout empty unless the command documents output on failure.
 */
export function expectFailure(
  r: RunResult,
  want: { exit: number; code: string; message?: RegExp | string; stdout?: 'empty' | 'any' },
) {
  const ctx = `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
  expect(r.code, ctx).toBe(want.exit);
  expect(r.stderr.endsWith('\n'), ctx).toBe(true);
  const lines = r.stderr
    .slice(0, -1)
    .split('\n')
    .filter((l) => !l.startsWith('custody: warning: '));
  expect(lines, ctx).toHaveLength(1);
  const line = lines[0]!;
  expect(line, ctx).toMatch(/^custody: \S.* \[[A-Z][A-Z0-9_]*\]$/);
  expect(line.endsWith(` [${want.code}]`), ctx).toBe(true);
  if (want.message !== undefined) {
    if (typeof want.message === 'string') expect(line, ctx).toContain(want.message);
    else expect(line, ctx).toMatch(want.message);
  }
  expect(r.stderr, ctx).not.toMatch(STACK_LINE);
  if ((want.stdout ?? 'empty') === 'empty') expect(r.stdout, ctx).toBe('');
}

/** The number of entries in the ledger, read through the CLI (`log --json --limit 0`). */
export async function entryCount(ledger: string): Promise<number> {
  const j = await json<{ size: number }>(['log', '--limit', '0'], { ledger });
  return j.size;
}

// ---------------------------------------------------------------------------
// Temporary directories

const temps: string[] = [];

/** A fresh directory under the OS temp dir, removed by removeTempDirs(). */
export function tempDir(prefix = 'custody-e2e-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
}

export function removeTempDirs() {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A copy of a ledger directory (for tests that damage or extend it). */
export function copyLedger(ledger: string): string {
  const to = join(tempDir('custody-e2e-copy-'), 'ledger');
  // LevelDB renames its info log (LOG -> LOG.old) whenever any process opens the
  // directory, and concurrent tests may open the source: skip the info logs (no
  // data), and copy again if a file vanished under the copy.
  const infoLog = (src: string) => !/\/LOG(\.old)?$/.test(src);
  for (let attempt = 1; ; attempt++) {
    try {
      rmSync(to, { recursive: true, force: true });
      cpSync(ledger, to, { recursive: true, filter: infoLog });
      return to;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw e;
    }
  }
}

/** Writes `size` random bytes to a new file in `dir`. */
export function evidenceFile(dir: string, name: string, size = 64 << 10): string {
  const path = join(dir, name);
  writeFileSync(path, randomBytes(size));
  return path;
}

/** A copy of `file` with one byte changed (the evidence as tampered with after registration). */
export function alteredCopy(file: string, to: string, at = 1000): string {
  const b = readFileSync(file);
  b[at % b.length] = (b[at % b.length]! + 1) & 0xff;
  writeFileSync(to, b);
  return to;
}

// ---------------------------------------------------------------------------
// People and key files

export interface KeyJson {
  keyId: string;
  publicKey: string;
}

export interface Person {
  name: string;
  key: string;
  /** The short id of the statement key, `K-…`. */
  id: string;
  /** Base64. */
  publicKey: string;
  jurisdiction: string;
  org: string;
  roles: string;
}

/** The hex form of a person's public key (the CLI accepts base64, hex or a key file). */
export const hexKey = (p: Person) => Buffer.from(p.publicKey, 'base64').toString('hex');

/**
 * A key file made in-process, as `custody key new` makes it but with the
 * cheapest scrypt cost the format allows (N = 2^14, like `custody demo`): for
 * fixtures of tests about other commands, so that each signing command they
 * run spends less time in the KDF. `key new` itself is tested through the CLI.
 */
export function fixtureKey(path: string, name: string, passphrase = PASSPHRASE): KeyJson {
  const seed = randomSeed();
  writeFileSync(path, encryptKeyFile({ name, seed, passphrase, kdf: { N: 16384, r: 8, p: 1 } }), {
    mode: 0o600,
    flag: 'wx',
  });
  const publicKey = signerFromSeed(seed).publicKey;
  seed.fill(0);
  return { keyId: statementKeyShort(publicKey), publicKey: Buffer.from(publicKey).toString('base64') };
}

/** The signer in a key file (as the CLI opens it), for tests that write ledgers in-process. */
export function signerOf(p: Person | string, passphrase = PASSPHRASE): Signer {
  const file = typeof p === 'string' ? p : p.key;
  const { seed } = decryptKeyFile(readFileSync(file, 'utf8'), passphrase);
  const s = signerFromSeed(seed);
  seed.fill(0);
  return s;
}

/** A person with a fixture key file (see fixtureKey). */
export function fixturePerson(
  dir: string,
  file: string,
  name: string,
  jurisdiction: string,
  org: string,
  roles: string,
): Person {
  const key = join(dir, file);
  const k = fixtureKey(key, name);
  return { name, key, id: k.keyId, publicKey: k.publicKey, jurisdiction, org, roles };
}

/** fixturePerson for each entry of `spec` ([name, jurisdiction, org, roles]), key file `<name>.key` in dir. */
export function fixturePeople<K extends string>(
  dir: string,
  spec: Record<K, readonly [string, string, string, string]>,
): Record<K, Person> {
  const who = {} as Record<K, Person>;
  for (const k of Object.keys(spec) as K[]) {
    const [name, jurisdiction, org, roles] = spec[k];
    who[k] = fixturePerson(dir, `${k}.key`, name, jurisdiction, org, roles);
  }
  return who;
}

const PEOPLE = {
  authority: ['NFI ledger authority', 'NL', 'Netherlands Forensic Institute', ''],
  log: ['NFI log key', 'NL', 'Netherlands Forensic Institute', ''],
  police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian'],
  nfi: ['Dr. A. Bakker', 'NL', 'Netherlands Forensic Institute', 'custodian,examiner'],
  bka: ['KHK K. Müller', 'DE', 'Bundeskriminalamt', 'custodian,examiner'],
  court: ['Greffier P. Martin', 'FR', 'Tribunal judiciaire de Paris', 'court'],
} as const;
export type Who = keyof typeof PEOPLE;

/**
 * The six key holders of the prepared ledger: the authority, the log key
 * (signs checkpoints; never enrolled as an actor) and four actors. `cli`: key
 * files made with `custody key new` (in parallel); `fixture`: made in-process
 * (see fixtureKey).
 */
export async function makePeople(dir: string, via: 'cli' | 'fixture' = 'cli'): Promise<Record<Who, Person>> {
  const entries = await Promise.all(
    (Object.keys(PEOPLE) as Who[]).map(async (who): Promise<[Who, Person]> => {
      const [name, jurisdiction, org, roles] = PEOPLE[who];
      if (via === 'fixture') return [who, fixturePerson(dir, `${who}.key`, name, jurisdiction, org, roles)];
      const key = join(dir, `${who}.key`);
      const k = await json<KeyJson>(['key', 'new', '--name', name, '--out', key]);
      return [who, { name, key, id: k.keyId, publicKey: k.publicKey, jurisdiction, org, roles }];
    }),
  );
  return Object.fromEntries(entries) as Record<Who, Person>;
}

// ---------------------------------------------------------------------------
// Commands that build ledgers

/** `custody init` arguments (the log key is named by its key file; its private key is not used). */
export const initArgs = (origin: string, authority: Person, logKey: Person | string, org = authority.org) => [
  'init',
  '--origin',
  origin,
  '--jurisdiction',
  'NL',
  '--org',
  org,
  '--key',
  authority.key,
  '--log-key',
  typeof logKey === 'string' ? logKey : logKey.key,
];

export interface InitJson {
  index: number;
  id: string;
  origin: string;
  authority: string;
  ledger: string;
  receipt: Receipt;
}

/** Enrols `p` with `custody actor add`, naming its public key by `via` (base64 by default). */
export async function enrol(ledger: string, authority: Person, p: Person, via: string = p.publicKey) {
  return json<{ actor: string; index: number; id: string; receipt: Receipt }>(
    [
      'actor',
      'add',
      '--key',
      authority.key,
      '--public-key',
      via,
      '--name',
      p.name,
      '--role',
      p.roles,
      '--jurisdiction',
      p.jurisdiction,
      '--org',
      p.org,
    ],
    { ledger },
  );
}

/** Registers `file` with `custody register` as `who`; returns the exhibit's short id. */
export async function register(
  ledger: string,
  who: Person,
  file: string,
  label: string,
  extra: string[] = [],
): Promise<string> {
  const j = await json<{ exhibit: string }>(
    [
      'register',
      file,
      '--key',
      who.key,
      '--case',
      'JIT-2026-017',
      '--exhibit',
      label,
      '--description',
      `exhibit ${label}`,
      ...extra,
    ],
    { ledger },
  );
  return j.exhibit;
}

export interface World extends Record<Who, Person> {
  dir: string;
  ledger: string;
  origin: string;
  /** Registered by `police`, who holds it. */
  evidence: string;
  exhibit: string;
  /** The exhibit id in full (64 hex digits). */
  exhibitId: string;
}

/** Builds a ledger through the CLI: init, four enrolments, one registered exhibit (fixture keys). */
export async function buildWorld(origin = 'e2e.custody.example/world'): Promise<World> {
  const dir = tempDir('custody-e2e-world-');
  const ledger = join(dir, 'ledger');
  const p = await makePeople(dir, 'fixture');
  await json([...initArgs(origin, p.authority, p.log), '--ledger', ledger]);
  for (const who of ['police', 'nfi', 'bka', 'court'] as const) await enrol(ledger, p.authority, p[who]);
  const evidence = evidenceFile(dir, 'HDD-01.dd');
  const r = await json<{ exhibit: string; exhibitId: string }>(
    [
      'register',
      evidence,
      '--key',
      p.police.key,
      '--case',
      'JIT-2026-017',
      '--exhibit',
      'HDD-01',
      '--description',
      'exhibit HDD-01',
      '--hash',
      'sha256,md5',
    ],
    { ledger },
  );
  return { dir, ledger, origin, ...p, evidence, exhibit: r.exhibit, exhibitId: r.exhibitId };
}

/** The key holders of a small ledger (smallLedger): its authority, its log key and one police collector. */
export const SMALL_LEDGER_PEOPLE = {
  authority: ['Ledger authority', 'NL', 'NFI', ''],
  log: ['NFI log key', 'NL', 'NFI', ''],
  police: ['Insp. J. de Vries', 'NL', 'Politie Amsterdam', 'collector,custodian'],
} as const;

/**
 * A small ledger at `ledger`: genesis by `who.authority` naming `who.log` as
 * log key, `who.police` enrolled and, unless `register` is false, one
 * registration of HDD-01 (a 64 KiB file in `dir`) by the police.
 */
export async function smallLedger(
  dir: string,
  ledger: string,
  origin: string,
  who: Record<'authority' | 'log' | 'police', Person>,
  register = true,
): Promise<void> {
  await json([...initArgs(origin, who.authority, who.log, 'NFI'), '--ledger', ledger]);
  await enrol(ledger, who.authority, who.police);
  if (register)
    await json(
      [
        'register',
        evidenceFile(dir, 'HDD-01.dd'),
        '--key',
        who.police.key,
        '--case',
        'C-1',
        '--exhibit',
        'HDD-01',
        '--description',
        'disk',
      ],
      { ledger },
    );
}

/** A well-formed exhibit id (valid check symbol) that no ledger here holds. */
export const randomExhibitId = () => ids45('EX', randomBytes(6));

/** A valid-looking exhibit id whose check symbol is wrong (one symbol changed). */
export function breakCheckSymbol(id: string): string {
  const last = id.at(-1)!;
  return id.slice(0, -1) + (last === '0' ? '1' : '0');
}

/**
 * The flags every `custody export` needs besides the exhibit and --out: who
 * exports (signs the disclose statement that records it), for whom, and why.
 */
export const exportFor = (
  by: Person | string,
  profile = 'court',
  recipient = 'Tribunal judiciaire de Paris',
) => [
  '--key',
  typeof by === 'string' ? by : by.key,
  '--profile',
  profile,
  '--recipient',
  recipient,
  '--legal-basis',
  'MLA FR-2026-7',
];
