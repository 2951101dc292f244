/**
 * Keys under attack.
 *
 *  - Small-order and mixed-order public keys are refused at enrolment (ledger
 *    and `custody actor add --public-key`: KEY_NOT_ADMISSIBLE, nothing
 *    written), as a genesis or rotation key, and flagged by the verifier in a
 *    forged ledger — where a lax verifier would accept the identity-key
 *    "signature" (R = identity, S = 0) on any message.
 *  - Malleated (S + L) and non-canonical (S >= L, non-canonical R) signatures
 *    are refused by both Ed25519 backends, by verifyLog with either backend,
 *    and by the ledger for an external signer (SIGNER_FAULT).
 *  - Through the CLI: a wrong passphrase is exit 2 with a clear message; key
 *    files are created 0600; a key file readable by others draws a warning;
 *    and no seed (hex, base64) or passphrase ever appears in any output or
 *    error of the commands run here, --debug stack traces included.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ed from '@noble/ed25519';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concat, toBase64, toHex } from '../../src/bytes.js';
import {
  type Ed25519Backend,
  nobleEd25519,
  nodeEd25519,
  type Signer,
  signerFromSeed,
} from '../../src/crypto/ed25519.js';
import { CustodyError } from '../../src/errors.js';
import { decodeRecord, encodeRecord, signedMessage } from '../../src/format/record.js';
import { decryptKeyFile, encryptKeyFile } from '../../src/keys/keyfile.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { MemoryStore } from '../../src/store/memory.js';
import type { SignatureChecker } from '../../src/verify/signatures.js';
import { verifyLog } from '../../src/verify/verifier.js';
import {
  bigIntToLe,
  L,
  leToBigInt,
  SMALL_ORDER_CANONICAL,
  SMALL_ORDER_NON_CANONICAL,
  signWithNonce,
} from '../crypto/util.js';
import {
  custody,
  evidenceFile,
  expectFailure,
  PASSPHRASE,
  type RunOptions,
  type RunResult,
  removeTempDirs,
  tempDir,
} from '../e2e/helpers.js';
import { collect, Forger, type StoredRecord } from '../helpers/forge.js';
import { digestsOf, makeWorld, seededSigner, type World } from '../helpers/world.js';

afterAll(removeTempDirs);

const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const SMALL_ORDER = [
  ...SMALL_ORDER_CANONICAL.map((k) => k.hex),
  ...SMALL_ORDER_NON_CANONICAL.map((k) => k.hex),
].map(fromHex);
/** A genuine key plus a point of order 8: on the curve, not of small order, not torsion-free. */
const ORDER_8 = ed.Point.fromBytes(fromHex(SMALL_ORDER_CANONICAL[1]!.hex));
const mixedOrder = (pk: Uint8Array) => ed.Point.fromBytes(pk).add(ORDER_8).toBytes();
const MIXED = mixedOrder(seededSigner('mixed').publicKey);
/** 32 bytes that decode to no curve point (y = 2 has no x). */
const NOT_ON_CURVE = (() => {
  const k = new Uint8Array(32);
  k[0] = 2;
  return k;
})();
const IDENTITY = fromHex(SMALL_ORDER_CANONICAL[0]!.hex);

const enrolDraft = (publicKey: Uint8Array, name = 'Inadmissible') => ({
  kind: 'enrol' as const,
  body: { publicKey, name, roles: ['court' as const], jurisdiction: 'NL', org: 'x' },
});

async function refusal(p: Promise<unknown>): Promise<CustodyError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CustodyError);
  return e as CustodyError;
}

describe('inadmissible public keys', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  });

  it(`every small-order encoding (${SMALL_ORDER.length}), a mixed-order key and a non-point are refused at enrolment; nothing is written`, async () => {
    expect(ed.Point.fromBytes(MIXED).isTorsionFree()).toBe(false);
    expect(ed.Point.fromBytes(MIXED).isSmallOrder()).toBe(false);
    const size = w.ledger.size;
    const root = toHex(w.ledger.root());
    for (const pk of [...SMALL_ORDER, MIXED, NOT_ON_CURVE]) {
      const e = await refusal(w.ledger.append(enrolDraft(pk), w.authority.signer));
      expect([e.code, e.category], toHex(pk)).toEqual(['KEY_NOT_ADMISSIBLE', 'custody']);
    }
    expect(w.ledger.size).toBe(size);
    expect(toHex(w.ledger.root())).toBe(root);
    expect((await verifyLog(await collect(w.ledger.records()))).report.ok).toBe(true);
  });

  it('a small-order genesis key and a mixed-order rotation key are refused too', async () => {
    // No seed gives a small-order key, so only an external signer can present one; its
    // signature is checked first, and no strict verifier accepts one under such a key.
    const identitySigner: Signer = { publicKey: IDENTITY, sign: () => concat(IDENTITY, new Uint8Array(32)) };
    const e = await refusal(
      Ledger.create(new MemoryStore(), identitySigner, {
        origin: 'custody.test/identity',
        name: 'x',
        jurisdiction: 'NL',
        org: 'x',
      }),
    );
    expect(e.code).toBe('SIGNER_FAULT');
    const mixedSigner: Signer = { publicKey: MIXED, sign: () => new Uint8Array(64) };
    const r = await refusal(
      w.ledger.append({ kind: 'rotate', newAuthority: mixedSigner }, w.authority.signer),
    );
    expect(r.code).toBe('KEY_NOT_ADMISSIBLE');
  });

  it('in a forged ledger the verifier flags them, and never accepts the identity-key "signature"', async () => {
    const authority = seededSigner('forged authority');
    const origin = 'custody.test/forged-keys';
    const f = new Forger(origin);
    f.add({
      signer: authority,
      event: {
        kind: 'genesis',
        body: { origin, publicKey: authority.publicKey, name: 'A', jurisdiction: 'NL', org: 'x' },
      },
    });
    const enrolIdentity = f.add({
      signer: authority,
      event: { kind: 'enrol', body: { ...enrolDraft(IDENTITY).body, roles: ['collector'] } },
    });
    const enrolMixed = f.add({ signer: authority, event: enrolDraft(MIXED, 'Mixed') });
    // The identity key "signs" anything with R = identity, S = 0: [0]B = I + [k]I holds for every k.
    const identitySigner: Signer = { publicKey: IDENTITY, sign: () => concat(IDENTITY, new Uint8Array(32)) };
    const forgedSig = identitySigner.sign(new Uint8Array(0));
    expect(ed.verify(forgedSig, new TextEncoder().encode('anything'), IDENTITY, { zip215: true })).toBe(true);
    const registration = f.add({
      signer: identitySigner,
      event: {
        kind: 'register',
        body: { label: 'FORGED', caseRef: 'X', description: 'x', digests: digestsOf('x'), size: 1 },
      },
    });
    const r = await verifyLog(f.records);
    const got = r.report.problems.map((p) => `${p.code}@${p.seq}`);
    expect(got).toEqual([
      `KEY_NOT_ADMISSIBLE@${enrolIdentity.seq}`,
      `KEY_NOT_ADMISSIBLE@${enrolMixed.seq}`,
      `ACTOR_UNKNOWN@${registration.seq}`,
    ]);
    // Even if it had been enrolled, both backends refuse the key outright.
    const msg = signedMessage(origin, decodeRecord(registration.bytes).payloadBytes);
    expect([
      nobleEd25519.verify(forgedSig, msg, IDENTITY),
      nodeEd25519!.verify(forgedSig, msg, IDENTITY),
    ]).toEqual([false, false]);

    const g = new Forger('custody.test/small-genesis');
    g.add({
      signer: identitySigner,
      event: {
        kind: 'genesis',
        body: {
          origin: 'custody.test/small-genesis',
          publicKey: IDENTITY,
          name: 'I',
          jurisdiction: 'NL',
          org: 'x',
        },
      },
    });
    const rg = await verifyLog(g.records);
    expect(rg.report.problems.map((p) => `${p.code}@${p.seq}`)).toContain('KEY_NOT_ADMISSIBLE@0');
    expect(rg.report.ok).toBe(false);
  });
});

// ---------------------------------------------------------------------------

const checker = (b: Ed25519Backend): SignatureChecker => ({
  check: async (jobs) => jobs.map((j) => b.verify(j.signature, j.message, j.publicKey)),
});
const BACKENDS: [string, Ed25519Backend][] = [
  ['noble', nobleEd25519],
  ['node', nodeEd25519!],
];

describe('malleated and non-canonical signatures', () => {
  let w: World;
  let records: StoredRecord[];
  const SEQ = 2;
  beforeAll(async () => {
    w = await makeWorld();
    records = await collect(w.ledger.records());
  });

  /** The record at SEQ with its signature replaced. */
  const withSignature = (sig: (s: Uint8Array) => Uint8Array): StoredRecord[] => {
    const d = decodeRecord(records[SEQ]!.bytes);
    return records.map((r) =>
      r.seq === SEQ ? { seq: SEQ, bytes: encodeRecord(d.payloadBytes, sig(d.signature)) } : r,
    );
  };

  const malleations: [string, (s: Uint8Array) => Uint8Array][] = [
    ['S + L', (s) => concat(s.subarray(0, 32), bigIntToLe(leToBigInt(s.subarray(32)) + L))],
    ['S + 2L', (s) => concat(s.subarray(0, 32), bigIntToLe(leToBigInt(s.subarray(32)) + 2n * L))],
    ['S = L', (s) => concat(s.subarray(0, 32), bigIntToLe(L))],
    ['S = 2^256 - 1', (s) => concat(s.subarray(0, 32), new Uint8Array(32).fill(0xff))],
  ];

  it('the untouched log verifies with both backends (control)', async () => {
    for (const [, b] of BACKENDS)
      expect((await verifyLog(records, { checker: checker(b) })).report.ok).toBe(true);
  });

  for (const [what, edit] of malleations)
    it(`${what}: refused by both backends and reported by verifyLog with either (SIGNATURE_INVALID at the entry)`, async () => {
      const d = decodeRecord(records[SEQ]!.bytes);
      const sig = edit(d.signature);
      const msg = signedMessage(w.ledger.origin, d.payloadBytes);
      const pk = w.nlCollector.signer.publicKey;
      expect(BACKENDS.map(([, b]) => b.verify(sig, msg, pk))).toEqual([false, false]);
      for (const [name, b] of BACKENDS) {
        const r = await verifyLog(withSignature(edit), { checker: checker(b) });
        expect(
          r.report.problems.map((p) => `${p.code}@${p.seq}`),
          name,
        ).toEqual([`SIGNATURE_INVALID@${SEQ}`, `CHAIN_BROKEN@${SEQ + 1}`]);
      }
    });

  it('a non-canonical R (the identity encoded with y = p + 1): refused by both, by verifyLog, and by the ledger (SIGNER_FAULT)', async () => {
    const seed = new Uint8Array(32).fill(42);
    const real = signerFromSeed(seed);
    const ncR = fromHex(SMALL_ORDER_NON_CANONICAL[3]!.hex);
    // R = [0]B written non-canonically, S = 0 + k·a: valid for a verifier that reduces R before comparing.
    const sneaky: Signer = {
      publicKey: real.publicKey,
      sign: (m) => signWithNonce(seed, m, { r: 0n, rBytes: ncR }),
    };
    const m = new TextEncoder().encode('custody transfer');
    expect(BACKENDS.map(([, b]) => b.verify(sneaky.sign(m), m, real.publicKey))).toEqual([false, false]);

    const l = await makeWorld();
    await l.ledger.append(enrolDraft(real.publicKey, 'Sneaky'), l.authority.signer);
    const size = l.ledger.size;
    const e = await refusal(
      l.ledger.append(
        { kind: 'revoke', body: { actor: l.frCourt.id, reason: 'x' } },
        // An external signer (not from signerFromSeed) is checked before anything is written.
        { publicKey: l.authority.signer.publicKey, sign: () => sneaky.sign(m) },
      ),
    );
    expect(e.code).toBe('SIGNER_FAULT');
    expect(l.ledger.size).toBe(size);

    const f = Forger.after(await collect(l.ledger.records()));
    const forged = f.add({
      signer: sneaky,
      event: {
        kind: 'register',
        body: { label: 'X', caseRef: 'X', description: 'x', digests: digestsOf('x'), size: 1 },
      },
    });
    for (const [name, b] of BACKENDS) {
      const r = await verifyLog(f.records, { checker: checker(b) });
      expect(
        r.report.problems.map((p) => `${p.code}@${p.seq}`),
        name,
      ).toContain(`SIGNATURE_INVALID@${forged.seq}`);
    }
  });
});

// ---------------------------------------------------------------------------
// The CLI

describe('keys through the CLI', () => {
  const dir = tempDir('custody-keys-');
  const ledger = join(dir, 'ledger');
  const runs: { args: string[]; r: RunResult }[] = [];
  const run = async (args: string[], opts: RunOptions = {}) => {
    const r = await custody(args, { ledger, ...opts });
    runs.push({ args, r });
    return r;
  };
  /** Every secret of this test: seeds (hex, base64 at every alignment) and passphrases. */
  const secrets: string[] = [PASSPHRASE];
  const addSeed = (seed: Uint8Array) => {
    secrets.push(toHex(seed), toHex(seed).toUpperCase(), toBase64(seed).replace(/=+$/, ''));
    secrets.push(Buffer.from(seed).toString('base64url').replace(/=+$/, ''));
    // Inside longer base64 (a PKCS#8 DER, say), the seed shows at one of three alignments.
    for (const pad of [1, 2]) {
      const b64 = toBase64(concat(new Uint8Array(pad), seed));
      secrets.push(b64.slice(4, 4 + 40));
    }
  };

  const POLICE_SEED = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);
  const OTHER_PASSPHRASE = 'a second, different passphrase';
  const authorityKey = join(dir, 'authority.key');
  const policeKey = join(dir, 'police.key');
  const passFile = join(dir, 'pass.txt');
  let authorityPub = '';

  beforeAll(async () => {
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
  });

  it('key new writes a 0600 key file and prints only the public key', async () => {
    const r = await run(['key', 'new', '--name', 'NFI ledger authority', '--out', authorityKey, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(authorityKey).mode & 0o777).toBe(0o600);
    const j = JSON.parse(r.stdout) as { publicKey: string; keyId: string };
    authorityPub = j.publicKey;
    const { seed } = decryptKeyFile(readFileSync(authorityKey, 'utf8'), PASSPHRASE);
    addSeed(seed);
    expect(Object.keys(j).sort()).toEqual(['file', 'keyId', 'name', 'publicKey']);
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
    const reg = await run(
      [
        'register',
        evidenceFile(dir, 'disk.dd', 4096),
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
      run(['checkpoint', '--key', authorityKey], { passphrase: wrong }),
      run(['checkpoint', '--key', policeKey, '--passphrase-file', wrongFile], { passphrase: null }),
      // With --debug a stack trace follows, and still no secret (checked at the end).
      run(['checkpoint', '--key', authorityKey, '--debug'], { passphrase: wrong }),
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

  it(`actor add --public-key refuses small-order and mixed-order keys (exit 3, KEY_NOT_ADMISSIBLE, nothing written)`, async () => {
    const before = await run(['log', '--limit', '0', '--json']);
    const size = (JSON.parse(before.stdout) as { size: number }).size;
    for (const pk of [toBase64(IDENTITY), toHex(SMALL_ORDER[1]!), toBase64(MIXED)]) {
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
    const after = await run(['log', '--limit', '0', '--json']);
    expect((JSON.parse(after.stdout) as { size: number }).size).toBe(size);
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
    expect(quiet.stderr).toBe('');
  });

  it('files holding secrets given where other inputs are expected: the error never quotes them', async () => {
    const cp = await run(['checkpoint', '--key', authorityKey]);
    expect(cp.code, cp.stderr).toBe(0);
    const cpFile = join(dir, 'cp.txt');
    writeFileSync(cpFile, cp.stdout);
    const vkey = (await run(['checkpoint', '--vkey'])).stdout.trim();
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
        join(dir, 'w.state'),
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
        join(dir, 'w.state'),
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
    // Each fails before it opens the ledger, so they can run at once.
    const results = await Promise.all(
      misuse.map((args) => run([...args, '--passphrase-file', passFile], { passphrase: null })),
    );
    for (const [i, r] of results.entries()) {
      // Refused (2: unusable input; 1: a cosignature line that does not verify), never a crash.
      expect([1, 2], `${misuse[i]!.join(' ')}\n${r.stderr}`).toContain(r.code);
      expect(r.stderr).toMatch(/^(custody: warning: .*\n)*custody: \S.* \[[A-Z_]+\]\n$/);
    }
  });

  it('the other commands run: show, log, export, verify-bundle, verify --deep', async () => {
    for (const args of [
      ['show', 'HDD-01'],
      ['log', '--json'],
      ['export', 'HDD-01', '--out', join(dir, 'HDD-01.custody'), '--key', authorityKey],
      ['verify-bundle', join(dir, 'HDD-01.custody'), '--trust', authorityPub],
      ['verify', '--deep', '--trust', authorityPub, '--json'],
    ]) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    }
  });

  it('no seed (hex, base64, base64url, at any alignment) and no passphrase in any output of the commands above', () => {
    expect(runs.length).toBeGreaterThanOrEqual(25);
    expect(secrets.length).toBeGreaterThanOrEqual(14);
    for (const { args, r } of runs)
      for (const s of secrets) {
        expect(r.stdout.includes(s), `stdout of custody ${args.join(' ')} contains a secret`).toBe(false);
        expect(r.stderr.includes(s), `stderr of custody ${args.join(' ')} contains a secret`).toBe(false);
      }
  });
});
