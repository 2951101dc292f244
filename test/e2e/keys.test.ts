/**
 * Key files through the CLI: encrypted at rest, mode 0600, never overwritten,
 * never printed; where the passphrase comes from ($CUSTODY_PASSPHRASE,
 * --passphrase-file, a terminal prompt — and what happens when there is none).
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptKeyFile } from '../../src/keys/keyfile.js';
import {
  custody,
  expectFailure,
  expectFields,
  fixtureKey,
  type InitJson,
  json,
  KEY_ID,
  type KeyJson,
  PASSPHRASE,
  parseJson,
  removeTempDirs,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

/** Everything secret in a key file, in the encodings it could leak in. */
function secretsOf(file: string, passphrase = PASSPHRASE): string[] {
  const text = readFileSync(file, 'utf8');
  const parsed = JSON.parse(text) as { ciphertext: string };
  const { seed } = decryptKeyFile(text, passphrase);
  const b = Buffer.from(seed);
  return [parsed.ciphertext, b.toString('base64'), b.toString('hex'), b.toString('base64url'), passphrase];
}

/**
 * `custody init` with `key` as the authority key. The log key is named by its
 * key file: only its public half is read, so it needs no passphrase.
 */
let logKeyFile: string;
const initArgs = (key: string, ledger: string) => [
  'init',
  '--origin',
  'e2e.custody.example/keys',
  '--jurisdiction',
  'NL',
  '--org',
  'NFI',
  '--key',
  key,
  '--log-key',
  logKeyFile,
  '--ledger',
  ledger,
];

beforeAll(() => {
  logKeyFile = join(tempDir('custody-e2e-logkey-'), 'log.key');
  fixtureKey(logKeyFile, 'NFI log key', 'a passphrase nobody types here');
});

describe.concurrent('custody key new / key show', () => {
  let dir: string;
  let key: string;
  let made: KeyJson & { name: string; file: string };

  beforeAll(async () => {
    dir = tempDir('custody-e2e-keys-');
    key = join(dir, 'devries.key');
    made = await json(['key', 'new', '--name', 'Insp. J. de Vries, Politie Amsterdam', '--out', key]);
  });

  it('key new writes an encrypted key file with mode 0600 and prints key id and public key', async () => {
    expectFields(made, ['keyId', 'publicKey', 'name', 'file']);
    expect(made.keyId).toMatch(KEY_ID);
    expect(Buffer.from(made.publicKey, 'base64')).toHaveLength(32);
    expect(made).toMatchObject({ name: 'Insp. J. de Vries, Politie Amsterdam', file: key });
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const text = readFileSync(key, 'utf8');
    const header = JSON.parse(text) as Record<string, unknown>;
    expect(header).toMatchObject({ format: 'custody-key/v2', keyId: made.keyId, publicKey: made.publicKey });
    // The file decrypts with the passphrase it was made with, to the key it announced.
    const d = decryptKeyFile(text, PASSPHRASE);
    expect(Buffer.from(d.publicKey).toString('base64')).toBe(made.publicKey);
    expect(d.seed).toHaveLength(32);
  });

  it('key new (human) prints the ids on stdout and a note on stderr; never the secret', async () => {
    const file = join(dir, 'bakker.key');
    const r = await custody(['key', 'new', '--name', 'Dr. A. Bakker', '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^key id: {5}K-[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(lines[1]).toMatch(/^public key: [A-Za-z0-9+/]{43}=$/);
    expect(r.stderr).toBe(
      `wrote ${file} (encrypted, mode 0600). Give the public key to the ledger authority to be enrolled.\n`,
    );
    for (const s of secretsOf(file)) {
      expect(r.stdout).not.toContain(s);
      expect(r.stderr).not.toContain(s);
    }
  });

  it('key new refuses to overwrite an existing file (exit 2, file untouched)', async () => {
    const before = readFileSync(key, 'utf8');
    const r = await custody(['key', 'new', '--name', 'Someone else', '--out', key]);
    expectFailure(r, {
      exit: 2,
      code: 'FILE_EXISTS',
      message: `${key} already exists; refusing to overwrite a key file`,
    });
    expect(readFileSync(key, 'utf8')).toBe(before);
  });

  it('key show prints name, key id and public key, needs no passphrase, and never the private key', async () => {
    const human = await custody(['key', 'show', key], { passphrase: null });
    expect(human.code, human.stderr).toBe(0);
    const hex = Buffer.from(made.publicKey, 'base64').toString('hex');
    expect(human.stdout).toBe(
      [
        'name:       Insp. J. de Vries, Politie Amsterdam',
        'type:       ed25519',
        `key id:     ${made.keyId}`,
        `public key: ${made.publicKey}`,
        `       hex: ${hex}`,
        '',
      ].join('\n'),
    );
    const j = await json<Record<string, string>>(['key', 'show', key], { passphrase: null });
    expectFields(j, ['type', 'keyId', 'publicKey', 'publicKeyHex', 'name']);
    expect(j).toEqual({
      type: 'ed25519',
      keyId: made.keyId,
      publicKey: made.publicKey,
      publicKeyHex: hex,
      name: made.name,
    });
    const out = `${human.stdout}${human.stderr}${JSON.stringify(j)}`;
    for (const s of secretsOf(key)) expect(out).not.toContain(s);
  });

  it('key show of something that is not a key file, or no file at all (exit 2)', async () => {
    const junk = join(dir, 'junk.key');
    writeFileSync(junk, '{"format":"something-else"}\n');
    expectFailure(await custody(['key', 'show', junk]), {
      exit: 2,
      code: 'KEY_FILE_MALFORMED',
      message: 'not a valid custody-key/v2 key file',
    });
    const missing = join(dir, 'missing.key');
    expectFailure(await custody(['key', 'show', missing]), {
      exit: 2,
      code: 'FILE_UNREADABLE',
      message: `cannot read key file ${missing}: ENOENT`,
    });
  });
});

describe.concurrent('passphrases', () => {
  let dir: string;
  let existing: string;
  beforeAll(async () => {
    dir = tempDir('custody-e2e-pass-');
    existing = join(dir, 'existing.key');
    await json(['key', 'new', '--name', 'Existing', '--out', existing]);
  });

  it('--passphrase-file: the first line is the passphrase, and it wins over $CUSTODY_PASSPHRASE', async () => {
    const pf = join(dir, 'passphrase.txt');
    writeFileSync(pf, 'from the file\nsecond line is ignored\n');
    const key = join(dir, 'authority.key');
    const k = await json<KeyJson>(
      ['key', 'new', '--name', 'Authority', '--out', key, '--passphrase-file', pf],
      {
        passphrase: null,
      },
    );
    expect(decryptKeyFile(readFileSync(key, 'utf8'), 'from the file').keyId).toBe(k.keyId);
    const ledger = join(dir, 'ledger');
    const r = await json<InitJson>([...initArgs(key, ledger), '--passphrase-file', pf], {
      passphrase: 'wrong one from the environment',
    });
    expect(r.authority).toBe(k.keyId);
    expect(r.index).toBe(0);
  });

  it('no passphrase source and no terminal: exit 2 PASSPHRASE_MISSING, nothing created', async () => {
    const key = join(dir, 'never.key');
    const r = await custody(['key', 'new', '--name', 'Nobody', '--out', key], { passphrase: null });
    expectFailure(r, {
      exit: 2,
      code: 'PASSPHRASE_MISSING',
      message:
        'custody: no passphrase: set CUSTODY_PASSPHRASE, use --passphrase-file, or run in a terminal [PASSPHRASE_MISSING]',
    });
    expect(existsSync(key)).toBe(false);
    const ledger = join(dir, 'no-ledger');
    const i = await custody(initArgs(existing, ledger), { passphrase: null });
    expectFailure(i, { exit: 2, code: 'PASSPHRASE_MISSING' });
    expect(existsSync(ledger)).toBe(false);
  });

  it('an empty passphrase, an empty or unreadable passphrase file (exit 2)', async () => {
    const key = join(dir, 'never-either.key');
    expectFailure(await custody(['key', 'new', '--name', 'N', '--out', key], { passphrase: '' }), {
      exit: 2,
      code: 'PASSPHRASE_EMPTY',
      message: 'CUSTODY_PASSPHRASE is set but empty',
    });
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n');
    expectFailure(await custody(['key', 'new', '--name', 'N', '--out', key, '--passphrase-file', empty]), {
      exit: 2,
      code: 'PASSPHRASE_EMPTY',
      message: `passphrase file ${empty} is empty`,
    });
    const missing = join(dir, 'missing.txt');
    expectFailure(await custody(['key', 'new', '--name', 'N', '--out', key, '--passphrase-file', missing]), {
      exit: 2,
      code: 'PASSPHRASE_FILE_UNREADABLE',
      message: `cannot read passphrase file ${missing}: ENOENT`,
    });
    expect(existsSync(key)).toBe(false);
  });

  it('a key file readable by others works but warns on stderr, even with --json and --quiet', async () => {
    const key = join(dir, 'loose.key');
    await json(['key', 'new', '--name', 'Loose', '--out', key]);
    chmodSync(key, 0o644);
    const ledger = join(dir, 'loose-ledger');
    const r = await custody([...initArgs(key, ledger), '--json', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `custody: warning: key file ${key} is readable by others (mode 644); run: chmod 600 ${key}\n`,
    );
    expect(parseJson<InitJson>(r).index).toBe(0);
  });

  it('a key file whose header was edited no longer opens (exit 2, "or the file was altered")', async () => {
    const key = join(dir, 'edited.key');
    await json(['key', 'new', '--name', 'Original name', '--out', key]);
    writeFileSync(key, readFileSync(key, 'utf8').replace('Original name', 'Another name!'), { mode: 0o600 });
    const ledger = join(dir, 'edited-ledger');
    const r = await custody(initArgs(key, ledger));
    expectFailure(r, {
      exit: 2,
      code: 'KEY_PASSPHRASE_WRONG',
      message: 'wrong passphrase for key file (or the file was altered)',
    });
    expect(existsSync(ledger)).toBe(false);
  });
});
