/**
 * The proof and witness commands of the BUILT command-line tool
 * (dist/cli/main.js; `npm test` builds first, or run `npm run build`):
 * checkpoint, checkpoints, prove, consistency, witness vkey/cosign/attach,
 * and verify --checkpoint, including against a ledger replaced by a rewritten
 * one signed with the same keys. Proofs are checked by the independent RFC
 * 9162 code in ./independent.ts and notes by the independent signed-note
 * verifier; keys are made with `custody key new` under CUSTODY_PASSPHRASE.
 */
import { copyFileSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCosignerVkey } from '../../src/checkpoint/cosignature.js';
import { signerFromSeed } from '../../src/crypto/ed25519.js';
import type { Role } from '../../src/format/events.js';
import { decryptKeyFile } from '../../src/keys/keyfile.js';
import { Ledger } from '../../src/ledger/ledger.js';
import { LevelStore } from '../../src/store/level.js';
import { independentVerify } from '../checkpoint/independent-verifier.js';
import {
  copyLedger,
  custody,
  expectFailure,
  expectFields,
  json,
  ok,
  PASSPHRASE,
  removeTempDirs,
  tempDir,
} from '../e2e/helpers.js';
import { seededSigner } from '../helpers/world.js';
import {
  fromHexString,
  hexOf,
  sha256,
  verifyConsistencyIndependently,
  verifyInclusionIndependently,
} from './independent.js';

const ORIGIN = 'e2e.custody.example/proofs';
const WITNESS = 'eurojust.europa.eu/witness';

interface Key {
  file: string;
  publicKey: string;
}
interface Prove {
  index: number;
  size: number;
  leafHash: string;
  root: string;
  proof: string[];
}
interface Consistency {
  first: number;
  second: number;
  firstRoot: string;
  secondRoot: string;
  proof: string[];
}
interface Problem {
  code: string;
}
interface VerifyJson {
  ok: boolean;
  entries: number;
  problems: Problem[];
  checkpoint?: { size: number; signedBy: string | null; witnessesVerified: string[]; quorum: number };
}

let dir: string;
let ledger: string;
const keys: Record<'authority' | 'police' | 'witness', Key> = {} as Record<
  'authority' | 'police' | 'witness',
  Key
>;
let logVkey: string;
let witnessVkey: string;
let note3: string;
let note5: string;
const state = () => join(dir, 'witness-state.json');
const run = (args: string[]) => custody(args, { ledger });

/** Body and signature lines of a note, split by hand. */
function dissect(note: string) {
  const split = note.lastIndexOf('\n\n');
  const [origin, size, root] = note.slice(0, split).split('\n');
  return {
    origin,
    size: Number(size),
    root: Buffer.from(root!, 'base64'),
    lines: note
      .slice(split + 2)
      .split('\n')
      .filter((l) => l !== ''),
  };
}

const logKey = () => ({
  name: ORIGIN,
  type: 1 as const,
  publicKey: Buffer.from(keys.authority.publicKey, 'base64'),
});
const witnessKey = () => ({
  name: WITNESS,
  type: 4 as const,
  publicKey: Buffer.from(keys.witness.publicKey, 'base64'),
});

/** The authority key, decrypted from its key file as the CLI would (for building ledgers in-process). */
const authoritySigner = () =>
  signerFromSeed(decryptKeyFile(readFileSync(keys.authority.file, 'utf8'), PASSPHRASE).seed);

interface Enrolment {
  publicKey: Uint8Array;
  name: string;
  roles: Role[];
  jurisdiction: string;
}

/** Enrols actors with the library: faster than one CLI process per entry (the commands under test come after). */
async function enrolInProcess(entries: Enrolment[]) {
  const authority = authoritySigner();
  const l = await Ledger.open(await LevelStore.open(ledger, 'open'));
  try {
    for (const e of entries) await l.append({ kind: 'enrol', body: { ...e, org: e.name } }, authority);
  } finally {
    await l.close();
  }
}

beforeAll(async () => {
  dir = tempDir('custody-proofs-cli-');
  ledger = join(dir, 'ledger');
  await Promise.all(
    (['authority', 'police', 'witness'] as const).map(async (who) => {
      const file = join(dir, `${who}.key`);
      const k = await json<{ publicKey: string }>(['key', 'new', '--name', who, '--out', file]);
      keys[who] = { file, publicKey: k.publicKey };
    }),
  );
  await json([
    'init',
    '--origin',
    ORIGIN,
    '--jurisdiction',
    'NL',
    '--org',
    'NFI',
    '--key',
    keys.authority.file,
    '--ledger',
    ledger,
  ]);
  const pk = (who: 'police' | 'witness') => Buffer.from(keys[who].publicKey, 'base64');
  await enrolInProcess([
    { publicKey: pk('police'), name: 'police', roles: ['collector', 'custodian'], jurisdiction: 'NL' },
    { publicKey: pk('witness'), name: 'Eurojust witness', roles: ['witness'], jurisdiction: 'EU' },
  ]);
});

afterAll(removeTempDirs);

describe('custody checkpoint / checkpoints / prove / consistency', () => {
  it('checkpoint --key prints exactly the signed note, which verifies independently', async () => {
    const r = await ok(['checkpoint', '--key', keys.authority.file], { ledger });
    note3 = r.stdout;
    expect(r.stderr).toMatch(/signed checkpoint at size 3/);
    const d = dissect(note3);
    expect(d.origin).toBe(ORIGIN);
    expect(d.size).toBe(3);
    expect(d.lines).toHaveLength(1);
    expect(note3).toMatch(
      /^e2e\.custody\.example\/proofs\n3\n[A-Za-z0-9+/]{43}=\n\n\u2014 e2e\.custody\.example\/proofs [A-Za-z0-9+/]{91}=\n$/,
    );
    expect(independentVerify(note3, [logKey()])).toMatchObject({ ok: true, verified: [ORIGIN] });
    // Asking again (with or without a key) prints the same stored note.
    const again = await ok(['checkpoint'], { ledger });
    expect(again.stdout).toBe(note3);
    expect(again.stderr).toMatch(/already signed/);
  });

  it('checkpoint --vkey prints <origin>+<8 hex>+<base64(0x01 || key)>', async () => {
    const r = await ok(['checkpoint', '--vkey'], { ledger });
    logVkey = r.stdout.trim();
    const pk = Buffer.from(keys.authority.publicKey, 'base64');
    const id = sha256(Buffer.from(ORIGIN), Buffer.from([0x0a, 0x01]), pk).subarray(0, 4);
    expect(r.stdout).toBe(
      `${ORIGIN}+${hexOf(id)}+${Buffer.concat([Buffer.from([1]), pk]).toString('base64')}\n`,
    );
    expect(logVkey).toMatch(/^e2e\.custody\.example\/proofs\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  });

  it('prove --json and consistency --json: exact shapes, proofs verify independently', async () => {
    await enrolInProcess(
      [1, 2].map((i) => ({
        publicKey: seededSigner(`cli actor ${i}`).publicKey,
        name: `actor ${i}`,
        roles: ['custodian'],
        jurisdiction: 'DE',
      })),
    );
    const cp = dissect(note3);
    const p = await json<Prove>(['prove', '1', '--size', '3'], { ledger });
    expectFields(p, ['index', 'size', 'leafHash', 'root', 'proof']);
    expect([p.index, p.size]).toEqual([1, 3]);
    expect(p.root).toBe(hexOf(cp.root));
    expect(p.proof.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    const proof = p.proof.map(fromHexString);
    expect(verifyInclusionIndependently(1, 3, fromHexString(p.leafHash), proof, cp.root)).toBe(true);
    expect(verifyInclusionIndependently(2, 3, fromHexString(p.leafHash), proof, cp.root)).toBe(false);

    const cur = await json<Prove>(['prove', '4'], { ledger });
    expect([cur.index, cur.size, cur.proof.length]).toEqual([4, 5, 1]);
    expect(
      verifyInclusionIndependently(
        4,
        5,
        fromHexString(cur.leafHash),
        cur.proof.map(fromHexString),
        fromHexString(cur.root),
      ),
    ).toBe(true);

    const c = await json<Consistency>(['consistency', '3'], { ledger });
    writeFileSync(join(dir, 'proof-3-5.json'), JSON.stringify(c));
    expectFields(c, ['first', 'second', 'firstRoot', 'secondRoot', 'proof']);
    expect([c.first, c.second]).toEqual([3, 5]);
    expect(c.firstRoot).toBe(hexOf(cp.root));
    expect(c.secondRoot).toBe(cur.root);
    expect(
      verifyConsistencyIndependently(
        3,
        5,
        fromHexString(c.firstRoot),
        fromHexString(c.secondRoot),
        c.proof.map(fromHexString),
      ),
    ).toBe(true);
    const c2 = await json<Consistency>(['consistency', '2', '4'], { ledger });
    expect([c2.first, c2.second]).toEqual([2, 4]);
    expect(
      verifyConsistencyIndependently(
        2,
        4,
        fromHexString(c2.firstRoot),
        fromHexString(c2.secondRoot),
        c2.proof.map(fromHexString),
      ),
    ).toBe(true);

    expectFailure(await run(['prove', '5']), { exit: 2, code: 'PROOF_RANGE' });
    expectFailure(await run(['consistency', '4', '3']), { exit: 2, code: 'PROOF_RANGE' });
  });

  it('checkpoints lists the stored checkpoints', async () => {
    note5 = (await ok(['checkpoint', '--key', keys.authority.file], { ledger })).stdout;
    expect(dissect(note5).size).toBe(5);
    const j = await json<{ checkpoints: { size: number; root: string; signatures: number }[] }>(
      ['checkpoints'],
      { ledger },
    );
    expect(j.checkpoints.map((c) => [c.size, c.signatures])).toEqual([
      [3, 1],
      [5, 1],
    ]);
    expect(j.checkpoints[0]!.root).toBe(hexOf(dissect(note3).root));
  });
});

describe('custody witness and verify --checkpoint', () => {
  let cosigned: string;
  const cpFile = () => join(dir, 'cp.txt');

  it('witness vkey, then cosign in sequence: the state file is written (0600) and advanced', async () => {
    const cosign = (extra: string[] = []) =>
      run([
        'witness',
        'cosign',
        '--key',
        keys.witness.file,
        '--state',
        state(),
        '--log-vkey',
        logVkey,
        '--name',
        WITNESS,
        ...extra,
      ]);
    // First the size-3 checkpoint (trust on first use), then the latest (size 5) with a proof from the ledger.
    writeFileSync(join(dir, 'cp3.txt'), note3);
    // `witness vkey` opens no ledger, so it runs alongside.
    const [v, first] = await Promise.all([
      ok(['witness', 'vkey', '--key', keys.witness.file, '--name', WITNESS]),
      cosign(['--checkpoint', join(dir, 'cp3.txt')]),
    ]);
    witnessVkey = v.stdout.trim();
    const pk = Buffer.from(keys.witness.publicKey, 'base64');
    expect(witnessVkey).toBe(
      `${WITNESS}+${hexOf(sha256(Buffer.from(WITNESS), Buffer.from([0x0a, 0x04]), pk).subarray(0, 4))}+${Buffer.concat([Buffer.from([4]), pk]).toString('base64')}`,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/first checkpoint seen/);
    const st1 = JSON.parse(readFileSync(state(), 'utf8')) as { logs: { origin: string; size: number }[] };
    copyFileSync(state(), join(dir, 'witness-state-at-3.json'));
    expect(st1.logs.map((l) => [l.origin, l.size])).toEqual([[ORIGIN, 3]]);
    expect(statSync(state()).mode & 0o777).toBe(0o600);

    const second = await cosign();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/consistent with size 3/);
    expect(second.stdout).toMatch(/^\u2014 eurojust\.europa\.eu\/witness [A-Za-z0-9+/]{102}==\n$/);
    const st2 = JSON.parse(readFileSync(state(), 'utf8')) as {
      format: string;
      logs: { size: number; root: string }[];
    };
    expect(st2.format).toBe('custody-witness-state/v1');
    expect(st2.logs.map((l) => l.size)).toEqual([5]);
    expect(statSync(state()).mode & 0o777).toBe(0o600);

    expect(Buffer.from(st2.logs[0]!.root, 'base64').equals(dissect(note5).root)).toBe(true);
    // The line verifies independently over the size-5 checkpoint.
    expect(independentVerify(`${note5}${second.stdout}`, [logKey(), witnessKey()])).toMatchObject({
      ok: true,
      verified: [ORIGIN, WITNESS],
    });

    // witness attach stores it in the ledger.
    const lineFile = join(dir, 'cosig.txt');
    writeFileSync(lineFile, second.stdout);
    const a = await json<{ size: number; witness: string; signatures: number }>(
      ['witness', 'attach', lineFile, '--witness', witnessVkey],
      { ledger },
    );
    expect(a).toEqual({ size: 5, witness: WITNESS, signatures: 2 });
    cosigned = (await run(['checkpoint'])).stdout;
    expect(cosigned).toBe(`${note5}${second.stdout}`);
    writeFileSync(cpFile(), cosigned);

    // Rollback: the witness refuses the size-3 checkpoint now; its state does not move.
    const back = await cosign(['--checkpoint', join(dir, 'cp3.txt')]);
    expectFailure(back, { exit: 1, code: 'WITNESS_ROLLBACK' });
    expect((JSON.parse(readFileSync(state(), 'utf8')) as { logs: { size: number }[] }).logs[0]!.size).toBe(5);
  });

  it('verify --checkpoint cp.txt --witness <vkey> --quorum 1 exits 0; a quorum of 2 is not met', async () => {
    const r = await json<VerifyJson>(
      [
        'verify',
        '--checkpoint',
        cpFile(),
        '--witness',
        witnessVkey,
        '--quorum',
        '1',
        '--trust',
        keys.authority.publicKey,
      ],
      { ledger },
    );
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.checkpoint).toMatchObject({ size: 5, witnessesVerified: [WITNESS], quorum: 1 });
    const other = formatCosignerVkey('witness.example.de/2', seededSigner('other witness').publicKey);
    const short = await custody(
      [
        'verify',
        '--checkpoint',
        cpFile(),
        '--witness',
        witnessVkey,
        '--witness',
        other,
        '--quorum',
        '2',
        '--json',
      ],
      { ledger },
    );
    expectFailure(short, { exit: 1, code: 'VERIFICATION_FAILED', stdout: 'any' });
    expect((JSON.parse(short.stdout) as VerifyJson).problems.map((p) => p.code)).toEqual(['WITNESS_QUORUM']);
  });

  // Regression: `custody witness cosign --proof <file>` without `--checkpoint` crashes
  // with an internal error (exit 70, "Cannot read properties of undefined
  // (reading 'lastIndexOf')"): cli/commands/proofs.ts only loads the ledger's
  // latest checkpoint in the branch without --proof, so with --proof the note
  // text stays undefined and checkpointOriginOf(undefined) throws. docs/CLI.md
  // says the checkpoint defaults to the ledger's latest stored one. Expected:
  // the size-5 checkpoint cosigned with the given 3 -> 5 proof (exit 0).
  it('witness cosign --proof without --checkpoint uses the latest stored checkpoint', async () => {
    const st = join(dir, 'witness-state-at-3.json');
    const r = await run([
      'witness',
      'cosign',
      '--key',
      keys.witness.file,
      '--state',
      st,
      '--log-vkey',
      logVkey,
      '--name',
      WITNESS,
      '--proof',
      join(dir, 'proof-3-5.json'),
    ]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: expect.stringMatching(/consistent with size 3/),
    });
  });

  it('after the ledger is replaced by a rewritten one with the same keys, verify --checkpoint exits 1', async () => {
    const authority = (() => {
      const k = decryptKeyFile(readFileSync(keys.authority.file, 'utf8'), PASSPHRASE);
      return signerFromSeed(k.seed);
    })();
    const police = Buffer.from(keys.police.publicKey, 'base64');
    /** A ledger with the same origin and authority key, but a different history of `size` entries. */
    const rewrite = async (to: string, size: number) => {
      const l = await Ledger.create(await LevelStore.open(to, 'create'), authority, {
        origin: ORIGIN,
        name: 'authority',
        jurisdiction: 'NL',
        org: 'NFI',
      });
      const body = {
        publicKey: police,
        name: 'police',
        roles: ['collector' as const],
        jurisdiction: 'NL',
        org: 'police (rewritten)',
      };
      await l.append({ kind: 'enrol', body }, authority);
      for (let i = 0; l.size < size; i++) {
        const pk = seededSigner(`rewritten ${i}`).publicKey;
        await l.append({ kind: 'enrol', body: { ...body, publicKey: pk, name: `someone ${i}` } }, authority);
      }
      await l.close();
    };
    // The original, kept for comparison, still verifies.
    const original = copyLedger(ledger);
    const shorter = join(tempDir('custody-proofs-cli-'), 'ledger');
    const replacement = join(dir, 'rewritten');
    await Promise.all([rewrite(shorter, 4), rewrite(replacement, 5)]);
    rmSync(ledger, { recursive: true, force: true });
    renameSync(replacement, ledger);

    const verify = (at: string) =>
      custody(['verify', '--checkpoint', cpFile(), '--witness', witnessVkey, '--quorum', '1', '--json'], {
        ledger: at,
      });
    const [same, cut, before] = await Promise.all([verify(ledger), verify(shorter), verify(original)]);
    expectFailure(same, { exit: 1, code: 'VERIFICATION_FAILED', stdout: 'any' });
    const s = JSON.parse(same.stdout) as VerifyJson;
    expect(s.entries).toBe(5);
    expect(s.problems.map((p) => p.code)).toEqual(['CHECKPOINT_MISMATCH']);
    // The note itself is still good: signed by the (same) log key and cosigned by the witness.
    expect(s.checkpoint?.witnessesVerified).toEqual([WITNESS]);

    expectFailure(cut, { exit: 1, code: 'VERIFICATION_FAILED', stdout: 'any' });
    expect((JSON.parse(cut.stdout) as VerifyJson).problems.map((p) => p.code)).toEqual(['LOG_TRUNCATED']);
    expect(before.code, before.stderr).toBe(0);

    // The log key signs the rewritten history at size 5 when asked; the witness refuses it (same size, other root).
    const forged = await ok(['checkpoint', '--key', keys.authority.file], { ledger });
    expect(dissect(forged.stdout).root.equals(dissect(note5).root)).toBe(false);
    const conflict = await run([
      'witness',
      'cosign',
      '--key',
      keys.witness.file,
      '--state',
      state(),
      '--log-vkey',
      logVkey,
      '--name',
      WITNESS,
    ]);
    expectFailure(conflict, { exit: 1, code: 'WITNESS_CONFLICT' });
  });
});
