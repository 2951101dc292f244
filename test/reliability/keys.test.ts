/**
 * Keys under attack, in format v2.
 *
 *  - Small-order and mixed-order public keys, and 32 bytes that are no curve
 *    point, are refused at enrolment and as the log key of a genesis
 *    (KEY_NOT_ADMISSIBLE, nothing written); a small-order authority or
 *    rotation key cannot even sign. In a forged log (entries appended without
 *    the rules) the verifier flags them, and never accepts the identity-key
 *    "signature" (R = identity, S = 0) that a lax verifier accepts on any
 *    message.
 *  - Malleated (S + L, …) and non-canonical (S >= L, non-canonical R)
 *    signatures are refused by both Ed25519 backends, by the ledger
 *    (STATEMENT_SIGNATURE_INVALID, nothing written), and by the whole-ledger
 *    verifier with either backend as its checker and with the worker pool.
 *  - Key files through the CLI: created 0600 and only the public key printed;
 *    a wrong passphrase is exit 2 with a clear message; a key file readable by
 *    others draws a warning; a small-order key offered for enrolment is exit
 *    3; files holding secrets given where other inputs are expected are
 *    refused without quoting them; and no seed (hex, base64) or passphrase
 *    ever appears in any output or error of the commands run here, --debug
 *    stack traces included.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concat, toBase64, toHex } from '../../src/bytes.js';
import { formatVkey } from '../../src/checkpoint/note.js';
import {
  type Ed25519Backend,
  nobleEd25519,
  nodeEd25519,
  type Signer,
  signerFromSeed,
} from '../../src/crypto/ed25519.js';
import type { SignatureChecker } from '../../src/crypto/signature-checker.js';
import { WorkerPoolChecker } from '../../src/crypto/verify-pool.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import {
  decodeSignedStatement,
  encodeSignedStatement,
  statementMessage,
} from '../../src/format/statement.js';
import { decryptKeyFile, encryptKeyFile } from '../../src/keys/keyfile.js';
import type { Composed } from '../../src/ledger/compose.js';
import { LogLedger } from '../../src/ledger/log-ledger.js';
import { Sequencer } from '../../src/ledger/sequencer.js';
import { MemoryLogStore } from '../../src/store/log-memory.js';
import { type LogItem, verifyLogV2 } from '../../src/verify/log-verify.js';
import {
  bigIntToLe,
  L,
  leToBigInt,
  SMALL_ORDER_CANONICAL,
  SMALL_ORDER_NON_CANONICAL,
  signWithNonce,
} from '../crypto/util.js';
import { exportFor } from '../e2e/helpers.js';
import {
  ACTORS,
  AUTHORITY,
  type CastLedger,
  createCastLedger,
  digestOf,
  enrolmentOf,
  genesisOf,
  member,
  seededSigner,
  sign,
  submit,
} from './lib/cast.js';
import { type Cli, expectFailure, prepareCli, type RunResult } from './lib/cli.js';
import { tempDir as makeTempDir, removeTempDirs } from './lib/insider.js';

afterAll(removeTempDirs);

const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const SMALL_ORDER = [
  ...SMALL_ORDER_CANONICAL.map((k) => k.hex),
  ...SMALL_ORDER_NON_CANONICAL.map((k) => k.hex),
].map(fromHex);
/** A genuine key plus a point of order 8: on the curve, not of small order, not torsion-free. */
const ORDER_8 = ed.Point.fromBytes(fromHex(SMALL_ORDER_CANONICAL[1]!.hex));
const MIXED = ed.Point.fromBytes(seededSigner('mixed').publicKey).add(ORDER_8).toBytes();
/** 32 bytes that decode to no curve point (y = 2 has no x). */
const NOT_ON_CURVE = (() => {
  const k = new Uint8Array(32);
  k[0] = 2;
  return k;
})();
const IDENTITY = fromHex(SMALL_ORDER_CANONICAL[0]!.hex);
/** The identity key "signs" anything: R = identity, S = 0 satisfies [0]B = R + [k]A for every k. */
const identitySigner: Signer = { publicKey: IDENTITY, sign: () => concat(IDENTITY, new Uint8Array(32)) };

const enrolKey = (c: CastLedger, publicKey: Uint8Array) =>
  sign({
    kind: 'enrol',
    signer: AUTHORITY.signer,
    fields: {
      key: [KEY_TYPES.ed25519, publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: ['court'],
      jurisdiction: 'NL',
      name: 'Inadmissible',
      org: 'x',
    },
    after: c.ledgerHead,
    seen: { size: c.ledger.size, root: c.ledger.root() },
  });

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: { code?: string; category?: string }) => `${e.code}/${e.category}`,
  );

describe('inadmissible public keys', () => {
  it(`every small-order encoding (${SMALL_ORDER.length}), a mixed-order key and a non-point are refused at enrolment; nothing is written`, async () => {
    expect(ed.Point.fromBytes(MIXED).isTorsionFree()).toBe(false);
    expect(ed.Point.fromBytes(MIXED).isSmallOrder()).toBe(false);
    const c = await createCastLedger(new MemoryLogStore());
    const size = c.ledger.size;
    const root = toHex(c.ledger.root());
    for (const pk of [...SMALL_ORDER, MIXED, NOT_ON_CURVE])
      expect(await refusal(submit(c.ledger, enrolKey(c, pk))), toHex(pk)).toBe('KEY_NOT_ADMISSIBLE/custody');
    expect(c.ledger.size).toBe(size);
    expect(toHex(c.ledger.root())).toBe(root);
    expect((await c.ledger.store.readHead())?.size).toBe(size);
  });

  it('a genesis naming a small-order or mixed-order log key is refused; a small-order authority or rotation key cannot sign', async () => {
    for (const logKey of [IDENTITY, MIXED]) {
      const ledger = await LogLedger.open(new MemoryLogStore());
      const g = genesisOf({ log: { publicKey: logKey, sign: () => new Uint8Array(64) } });
      expect(await refusal(submit(ledger, g))).toBe('KEY_NOT_ADMISSIBLE/custody');
      expect(ledger.size).toBe(0);
    }
    // No seed gives a small-order key, so only an external signer presents one; no strict
    // verifier accepts a signature under it, so the statement fails before the rules look.
    const ledger = await LogLedger.open(new MemoryLogStore());
    expect(await refusal(submit(ledger, genesisOf({ authority: identitySigner })))).toBe(
      'STATEMENT_SIGNATURE_INVALID/custody',
    );
    const c = await createCastLedger(new MemoryLogStore());
    const mixedSigner: Signer = { publicKey: MIXED, sign: () => new Uint8Array(64) };
    const rotate = sign({
      kind: 'rotate',
      signer: AUTHORITY.signer,
      fields: { key: [KEY_TYPES.ed25519, MIXED] },
      cosigners: [mixedSigner],
      after: c.ledgerHead,
      seen: { size: c.ledger.size, root: c.ledger.root() },
    });
    expect(await refusal(submit(c.ledger, rotate))).toBe('STATEMENT_SIGNATURE_INVALID/custody');
    expect(c.ledger.size).toBe(6);
  });

  it('in a forged log the verifier flags them, and never accepts the identity-key "signature"', async () => {
    const f = await forgedLog();
    const enrolIdentity = f.smuggle(await enrolKeyAt(f, IDENTITY));
    const enrolMixed = f.smuggle(await enrolKeyAt(f, MIXED));
    const registration = sign({
      kind: 'register',
      signer: identitySigner,
      fields: { label: 'FORGED', caseRef: 'X', description: 'x', digests: digestOf('x'), size: 1 },
    });
    // A lax (ZIP-215) verifier accepts the identity key's "signature" on anything…
    const { tbs, signatures } = decodeSignedStatement(registration.bytes);
    expect(ed.verify(signatures[0]!, statementMessage(tbs), IDENTITY, { zip215: true })).toBe(true);
    // …both backends refuse it outright.
    expect(BACKENDS.map(([, b]) => b.verify(signatures[0]!, statementMessage(tbs), IDENTITY))).toEqual([
      false,
      false,
    ]);
    const forged = f.smuggle(registration);
    const r = await verifyLogV2({ items: f.items() });
    expect(r.report.problems.map((p) => `${p.code}@${p.seq}`)).toEqual([
      `KEY_NOT_ADMISSIBLE@${enrolIdentity}`,
      `KEY_NOT_ADMISSIBLE@${enrolMixed}`,
      `STATEMENT_SIGNATURE_INVALID@${forged}`,
    ]);
  });
});

// ---------------------------------------------------------------------------

/**
 * A log built by the pure sequencer — the cast's genesis and enrolments —
 * into which statements can be smuggled without the rules (sealed with the
 * map root unchanged, as a refused statement leaves it), so that the replay
 * reports exactly the smuggled ones.
 */
async function forgedLog() {
  let t = Date.now();
  const seq = new Sequencer(() => t++);
  const put = async (c: Composed) => {
    const r = await seq.submit(c.bytes);
    if (!r.ok) throw new Error(`test setup: ${r.violation.code}`);
  };
  const g = genesisOf();
  await put(g);
  let head = g.id;
  for (const m of Object.values(ACTORS)) {
    const e = enrolmentOf(m, head, { size: seq.size, root: await seq.rootAt(seq.size) });
    await put(e);
    head = e.id;
  }
  return {
    seq,
    head: () => head,
    /** Appends the statement without judging it; returns its position. */
    smuggle(c: Composed): number {
      return seq.seal(c.bytes, decodeSignedStatement(c.bytes).id, t++).index;
    },
    submit: put,
    items: (): LogItem[] => seq.log.map((s) => ({ index: s.index, entry: s.entry, payload: s.payload })),
  };
}

const enrolKeyAt = async (f: Awaited<ReturnType<typeof forgedLog>>, publicKey: Uint8Array) =>
  sign({
    kind: 'enrol',
    signer: AUTHORITY.signer,
    fields: {
      key: [KEY_TYPES.ed25519, publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: ['collector'],
      jurisdiction: 'NL',
      name: 'Inadmissible',
      org: 'x',
    },
    after: f.head(),
    seen: { size: f.seq.size, root: await f.seq.rootAt(f.seq.size) },
  });

const BACKENDS: [string, Ed25519Backend][] = [
  ['noble', nobleEd25519],
  ['node', nodeEd25519!],
];
const backendChecker = (b: Ed25519Backend): SignatureChecker => ({
  check: async (jobs) => jobs.map((j) => b.verify(j.signature, j.message, j.publicKey)),
});

describe('malleated and non-canonical signatures', () => {
  const honest = sign({
    kind: 'register',
    signer: ACTORS.collector.signer,
    fields: { label: 'HDD-01', caseRef: 'NL-1', description: 'disk', digests: digestOf('disk'), size: 4 },
  });
  const decoded = decodeSignedStatement(honest.bytes);
  const message = statementMessage(decoded.tbs);
  const withSignature = (sig: Uint8Array): Composed => ({
    ...honest,
    bytes: encodeSignedStatement(decoded.tbs, [sig]),
  });
  const s = decoded.signatures[0]!;
  const sOf = (sig: Uint8Array) => leToBigInt(sig.subarray(32));
  const malleations: [string, Uint8Array][] = [
    ['S + L', concat(s.subarray(0, 32), bigIntToLe(sOf(s) + L))],
    ['S + 2L', concat(s.subarray(0, 32), bigIntToLe(sOf(s) + 2n * L))],
    ['S = L', concat(s.subarray(0, 32), bigIntToLe(L))],
    ['S = 2^256 - 1', concat(s.subarray(0, 32), new Uint8Array(32).fill(0xff))],
  ];
  // R = [0]B written non-canonically (the identity with y = p + 1), S = 0 + k·a: valid for a
  // verifier that reduces R before comparing. Under the collector's key, with its seed.
  const seed = new Uint8Array(32).fill(42);
  const sneakyKey = signerFromSeed(seed);
  const ncR = fromHex(SMALL_ORDER_NON_CANONICAL[3]!.hex);
  const sneaky: Signer = {
    publicKey: sneakyKey.publicKey,
    sign: (m) => signWithNonce(seed, m, { r: 0n, rBytes: ncR }),
  };
  const sneakyMember = member(sneaky, 'Sneaky', ['collector'], 'NL', 'x');

  let pool: WorkerPoolChecker;
  beforeAll(() => {
    pool = new WorkerPoolChecker(2);
  });
  afterAll(() => pool?.close());

  /** The replay of a log whose last entry is `c`, by each checker: every one must report it at that entry. */
  async function replayedBy(c: Composed, members = Object.values(ACTORS)) {
    const f = await forgedLog();
    if (members.length > Object.values(ACTORS).length) {
      const e = enrolmentOf(members.at(-1)!, f.head(), {
        size: f.seq.size,
        root: await f.seq.rootAt(f.seq.size),
      });
      await f.submit(e);
    }
    const at = f.smuggle(c);
    const out: Record<string, string[]> = {};
    const checkers: [string, SignatureChecker | undefined][] = [
      ['inline', undefined],
      ...BACKENDS.map(([n, b]) => [n, backendChecker(b)] as [string, SignatureChecker]),
      ['pool', pool],
    ];
    for (const [name, checker] of checkers) {
      const r = await verifyLogV2({ items: f.items() }, checker ? { checker } : {});
      out[name] = r.report.problems.map((p) => `${p.code}@${p.seq}`);
    }
    return { at, out };
  }

  it('the untouched statement verifies with both backends and is appended (control)', async () => {
    expect(BACKENDS.map(([, b]) => b.verify(s, message, ACTORS.collector.signer.publicKey))).toEqual([
      true,
      true,
    ]);
    const c = await createCastLedger(new MemoryLogStore());
    expect((await submit(c.ledger, honest)).index).toBe(6);
  });

  for (const [what, sig] of malleations)
    it(`${what}: refused by both backends, by the ledger, and reported by the verifier with every checker`, async () => {
      expect(BACKENDS.map(([, b]) => b.verify(sig, message, ACTORS.collector.signer.publicKey))).toEqual([
        false,
        false,
      ]);
      const c = await createCastLedger(new MemoryLogStore());
      expect(await refusal(submit(c.ledger, withSignature(sig)))).toBe('STATEMENT_SIGNATURE_INVALID/custody');
      expect(c.ledger.size).toBe(6);
      const { at, out } = await replayedBy(withSignature(sig));
      for (const codes of Object.values(out)) expect(codes).toEqual([`STATEMENT_SIGNATURE_INVALID@${at}`]);
    });

  it('a non-canonical R (the identity encoded with y = p + 1): refused by both backends, the ledger and the verifier', async () => {
    const m = new TextEncoder().encode('custody transfer');
    expect(BACKENDS.map(([, b]) => b.verify(sneaky.sign(m), m, sneaky.publicKey))).toEqual([false, false]);
    const c = await createCastLedger(new MemoryLogStore(), {
      members: [...Object.values(ACTORS), sneakyMember],
    });
    const statement = sign({
      kind: 'register',
      signer: sneaky,
      fields: { label: 'X', caseRef: 'X', description: 'x', digests: digestOf('sneaky'), size: 1 },
    });
    expect(await refusal(submit(c.ledger, statement))).toBe('STATEMENT_SIGNATURE_INVALID/custody');
    expect(c.ledger.size).toBe(7);
    const { at, out } = await replayedBy(statement, [...Object.values(ACTORS), sneakyMember]);
    for (const codes of Object.values(out)) expect(codes).toEqual([`STATEMENT_SIGNATURE_INVALID@${at}`]);
  });
});

// ---------------------------------------------------------------------------
// Key files through the CLI

const PASSPHRASE = 'correct horse battery staple (reliability)';

describe('key files through the CLI', () => {
  let cli: Cli;
  const dir = makeTempDir('custody-keys-');
  const ledger = join(dir, 'ledger');
  const runs: { args: string[]; r: RunResult }[] = [];
  const run = async (args: string[], opts: { passphrase?: string | null } = {}) => {
    const r = await cli.run(args, {
      ledger,
      passphrase: opts.passphrase === undefined ? PASSPHRASE : opts.passphrase,
    });
    runs.push({ args, r });
    return r;
  };
  /** Every secret of this test: seeds (hex, base64 at every alignment) and passphrases. */
  const secrets: string[] = [PASSPHRASE];
  const addSeed = (seed: Uint8Array) => {
    secrets.push(toHex(seed), toHex(seed).toUpperCase(), toBase64(seed).replace(/=+$/, ''));
    secrets.push(Buffer.from(seed).toString('base64url').replace(/=+$/, ''));
    // Inside longer base64 (a PKCS#8 DER, say), the seed shows at one of three alignments.
    for (const pad of [1, 2]) secrets.push(toBase64(concat(new Uint8Array(pad), seed)).slice(4, 4 + 40));
  };

  const POLICE_SEED = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);
  const OTHER_PASSPHRASE = 'a second, different passphrase';
  const authorityKey = join(dir, 'authority.key');
  const logKey = join(dir, 'log.key');
  const policeKey = join(dir, 'police.key');
  const passFile = join(dir, 'pass.txt');
  let authorityPub = '';

  beforeAll(async () => {
    cli = await prepareCli();
    secrets.push(OTHER_PASSPHRASE);
    addSeed(POLICE_SEED);
    writeFileSync(
      policeKey,
      encryptKeyFile({
        name: 'Insp. J. de Vries',
        seed: POLICE_SEED,
        passphrase: OTHER_PASSPHRASE,
        kdf: { N: 16384, r: 8, p: 1 },
      }),
      { mode: 0o600 },
    );
    writeFileSync(passFile, `${OTHER_PASSPHRASE}\n`, { mode: 0o600 });
    const logSeed = new Uint8Array(32).map((_, i) => (i * 11 + 5) & 255);
    addSeed(logSeed);
    writeFileSync(
      logKey,
      encryptKeyFile({
        name: 'NFI log key',
        seed: logSeed,
        passphrase: PASSPHRASE,
        kdf: { N: 16384, r: 8, p: 1 },
      }),
      { mode: 0o600 },
    );
  });
  afterAll(() => cli?.dispose());

  it('key new writes a 0600 key file and prints only the public key', async () => {
    const r = await run(['key', 'new', '--name', 'NFI ledger authority', '--out', authorityKey, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(authorityKey).mode & 0o777).toBe(0o600);
    const j = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(j).sort()).toEqual(['file', 'keyId', 'name', 'publicKey']);
    const { seed } = decryptKeyFile(readFileSync(authorityKey, 'utf8'), PASSPHRASE);
    addSeed(seed);
    expect(j['publicKey']).toBe(toBase64(signerFromSeed(seed).publicKey));
    authorityPub = j['publicKey']!;
  });

  it('a ledger is created and an actor enrolled with keys from files (passphrase from env and from a file)', async () => {
    const init = await run([
      'init',
      '--origin',
      'keys.custody.test/ledger',
      '--jurisdiction',
      'NL',
      '--org',
      'NFI',
      '--key',
      authorityKey,
      '--log-key',
      logKey,
    ]);
    expect(init.code, init.stderr).toBe(0);
    const add = await run([
      'actor',
      'add',
      '--key',
      authorityKey,
      '--public-key',
      policeKey,
      '--name',
      'Insp. J. de Vries',
      '--role',
      'collector,custodian',
      '--jurisdiction',
      'NL',
      '--org',
      'Politie',
    ]);
    expect(add.code, add.stderr).toBe(0);
    const evidence = join(dir, 'disk.dd');
    writeFileSync(evidence, new Uint8Array(4096).fill(7));
    const reg = await run(
      [
        'register',
        evidence,
        '--key',
        policeKey,
        '--case',
        'NL-1',
        '--exhibit',
        'HDD-01',
        '--description',
        'disk',
        '--passphrase-file',
        passFile,
      ],
      { passphrase: null },
    );
    expect(reg.code, reg.stderr).toBe(0);
  });

  it('a wrong passphrase (env or file): exit 2, one clear line, the passphrase not echoed', async () => {
    const wrong = 'not the right passphrase at all';
    const wrongFile = join(dir, 'wrong.txt');
    writeFileSync(wrongFile, `${wrong}\n`);
    // The key is decrypted before the ledger is opened: these can run at once.
    const [viaEnv, viaFile, debug] = await Promise.all([
      run(['checkpoint', '--log-key', logKey], { passphrase: wrong }),
      run(['checkpoint', '--log-key', policeKey, '--passphrase-file', wrongFile], { passphrase: null }),
      // With --debug a stack trace follows, and still no secret (checked at the end).
      run(['checkpoint', '--log-key', authorityKey, '--debug'], { passphrase: wrong }),
    ]);
    expectFailure(viaEnv!, {
      exit: 2,
      code: 'KEY_PASSPHRASE_WRONG',
      message: 'custody: wrong passphrase for key file (or the file was altered) [KEY_PASSPHRASE_WRONG]',
    });
    expectFailure(viaFile!, { exit: 2, code: 'KEY_PASSPHRASE_WRONG' });
    expect(debug!.code).toBe(2);
    expect(debug!.stderr).toMatch(/\n\s+at /);
    for (const r of [viaEnv!, viaFile!, debug!]) expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('actor add --public-key refuses small-order and mixed-order keys (exit 3, KEY_NOT_ADMISSIBLE, nothing written)', async () => {
    for (const pk of [toHex(SMALL_ORDER[1]!), toBase64(MIXED)]) {
      const r = await run([
        'actor',
        'add',
        '--key',
        authorityKey,
        '--public-key',
        pk,
        '--name',
        'Sock puppet',
        '--role',
        'court',
        '--jurisdiction',
        'NL',
        '--org',
        'x',
      ]);
      expectFailure(r, { exit: 3, code: 'KEY_NOT_ADMISSIBLE' });
    }
    // Genesis, the enrolment and the registration: nothing else.
    const log = await run(['log', '--limit', '0', '--json']);
    expect((JSON.parse(log.stdout) as { size: number }).size).toBe(3);
  });

  it('a key file readable by others draws a warning on stderr (the command still works)', async () => {
    chmodSync(policeKey, 0o644);
    try {
      const r = await run(['witness', 'vkey', '--key', policeKey, '--passphrase-file', passFile], {
        passphrase: null,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe(
        `custody: warning: key file ${policeKey} is readable by others (mode 644); run: chmod 600 ${policeKey}\n`,
      );
    } finally {
      chmodSync(policeKey, 0o600);
    }
    const quiet = await run(['witness', 'vkey', '--key', policeKey, '--passphrase-file', passFile], {
      passphrase: null,
    });
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('files holding secrets given where other inputs are expected: refused, never quoted', async () => {
    const cp = await run(['checkpoint', '--log-key', logKey]);
    expect(cp.code, cp.stderr).toBe(0);
    const cpFile = join(dir, 'cp.txt');
    writeFileSync(cpFile, cp.stdout);
    const vkey = formatVkey(
      'keys.custody.test/ledger',
      signerFromSeed(new Uint8Array(32).map((_, i) => (i * 11 + 5) & 255)).publicKey,
    );
    const state = join(dir, 'w.state');
    const misuse = [
      ['verify', '--checkpoint', passFile],
      ['verify', '--trust', passFile],
      ['verify-bundle', passFile, '--trust', authorityPub],
      ['key', 'show', passFile],
      ['witness', 'attach', passFile, '--witness', vkey],
      [
        'witness',
        'cosign',
        '--key',
        policeKey,
        '--state',
        passFile,
        '--log-vkey',
        vkey,
        '--checkpoint',
        cpFile,
      ],
      [
        'witness',
        'cosign',
        '--key',
        policeKey,
        '--state',
        state,
        '--log-vkey',
        vkey,
        '--checkpoint',
        passFile,
      ],
      [
        'witness',
        'cosign',
        '--key',
        policeKey,
        '--state',
        state,
        '--log-vkey',
        vkey,
        '--checkpoint',
        cpFile,
        '--proof',
        passFile,
      ],
      [
        'actor',
        'add',
        '--key',
        passFile,
        '--public-key',
        authorityPub,
        '--name',
        'x',
        '--role',
        'court',
        '--jurisdiction',
        'NL',
        '--org',
        'x',
      ],
    ];
    // Most fail before they open the ledger; two at a time keeps them from locking each other out.
    const results: RunResult[] = [];
    for (let i = 0; i < misuse.length; i += 2)
      results.push(
        ...(await Promise.all(
          misuse
            .slice(i, i + 2)
            .map((args) => run([...args, '--passphrase-file', passFile], { passphrase: null })),
        )),
      );
    for (const [i, r] of results.entries()) {
      // Refused (2: unusable input; 1: a cosignature line that does not verify), never a crash.
      expect([1, 2], `${misuse[i]!.join(' ')}\n${r.stderr}`).toContain(r.code);
      expect(r.stderr).toMatch(/^(custody: warning: .*\n)*custody: \S.* \[[A-Z_]+\]\n$/);
    }
  });

  it('the other commands run with keys from files: show, log, export, verify-bundle, verify --trust', async () => {
    const bundle = join(dir, 'HDD-01.custody');
    for (const args of [
      ['show', 'HDD-01'],
      ['log', '--json'],
      ['export', 'HDD-01', '--out', bundle, '--log-key', logKey, ...exportFor(authorityKey)],
      ['verify-bundle', bundle, '--trust', authorityPub, '--quorum', '0'],
      ['verify', '--trust', authorityPub, '--json'],
    ]) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    }
  });

  it('no seed (hex, base64, base64url, at any alignment) and no passphrase in any output of the commands above', () => {
    expect(runs.length).toBeGreaterThanOrEqual(25);
    expect(secrets.length).toBeGreaterThanOrEqual(20);
    for (const { args, r } of runs)
      for (const s of secrets) {
        expect(r.stdout.includes(s), `stdout of custody ${args.join(' ')} contains a secret`).toBe(false);
        expect(r.stderr.includes(s), `stderr of custody ${args.join(' ')} contains a secret`).toBe(false);
      }
  });
});
