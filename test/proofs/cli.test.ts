/**
 * The proof and witness commands of the BUILT command-line tool
 * (dist/cli/main.js; `npm test` builds first, or run `npm run build`):
 * checkpoint, checkpoints, prove, consistency, witness vkey/cosign/attach,
 * and verify --checkpoint, including against a ledger replaced by a rewritten
 * one signed with the same authority and log keys. Proofs are checked by the
 * independent RFC 9162 code in ./independent.ts and notes by the independent
 * signed-note verifier; keys are made with `custody key new` under
 * CUSTODY_PASSPHRASE.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCosignerVkey } from '../../src/checkpoint/cosignature.js';
import { formatVkey } from '../../src/checkpoint/note.js';
import { type Signer, signerFromSeed } from '../../src/crypto/ed25519.js';
import { independentVerify } from '../checkpoint/independent-verifier.js';
import { DirectLedger } from '../e2e/direct.js';
import {
  copyLedger,
  custody,
  expectFailure,
  expectFields,
  initArgs,
  json,
  ok,
  type Person,
  removeTempDirs,
  signerOf,
  tempDir,
} from '../e2e/helpers.js';
import {
  fromHexString,
  hexOf,
  sha256,
  verifyConsistencyIndependently,
  verifyInclusionIndependently,
} from './independent.js';

const ORIGIN = 'e2e.custody.example/proofs';
const WITNESS = 'eurojust.europa.eu/witness';

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
  message: string;
}
interface VerifyJson {
  ok: boolean;
  entries: number;
  problems: Problem[];
  checkpoint?: { size: number; signedBy: string | null; witnessesVerified: string[]; quorum: number };
}

type Who = 'authority' | 'log' | 'police' | 'witness';
let dir: string;
let ledger: string;
const keys = {} as Record<Who, Person>;
let logVkey: string;
let witnessVkey: string;
let note3: string;
let note5: string;
const state = () => join(dir, 'witness-state.json');
const run = (args: string[], env?: Record<string, string>) =>
  custody(args, { ledger, ...(env ? { env } : {}) });

/** A key derived from a label, for actors no test signs with through the CLI. */
const seeded = (label: string): Signer =>
  signerFromSeed(createHash('sha256').update(`custody cli proofs ${label}`).digest());

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

const publicKeyOf = (who: Who) => Buffer.from(keys[who].publicKey, 'base64');
const logKey = () => ({ name: ORIGIN, type: 1 as const, publicKey: publicKeyOf('log') });
const witnessKey = () => ({ name: WITNESS, type: 4 as const, publicKey: publicKeyOf('witness') });

/** Enrols actors with the library: faster than one CLI process per entry (the commands under test come after). */
async function enrolInProcess(names: string[]) {
  const authority = signerOf(keys.authority);
  const l = await DirectLedger.at(ledger, 'open');
  try {
    for (const name of names)
      await l.enrol(authority, seeded(name).publicKey, {
        name,
        org: `${name}'s service`,
        roles: ['custodian'],
        jurisdiction: 'DE',
      });
  } finally {
    await l.close();
  }
}

beforeAll(async () => {
  dir = tempDir('custody-proofs-cli-');
  ledger = join(dir, 'ledger');
  await Promise.all(
    (['authority', 'log', 'police', 'witness'] as const).map(async (who) => {
      const file = join(dir, `${who}.key`);
      const k = await json<{ keyId: string; publicKey: string }>([
        'key',
        'new',
        '--name',
        who,
        '--out',
        file,
      ]);
      keys[who] = {
        name: who,
        key: file,
        id: k.keyId,
        publicKey: k.publicKey,
        jurisdiction: 'NL',
        org: who,
        roles: '',
      };
    }),
  );
  await json([...initArgs(ORIGIN, keys.authority, keys.log, 'NFI'), '--ledger', ledger]);
  await json(
    [
      'actor',
      'add',
      '--key',
      keys.authority.key,
      '--public-key',
      keys.police.key,
      '--name',
      'police',
      '--role',
      'collector,custodian',
      '--jurisdiction',
      'NL',
      '--org',
      'Politie',
    ],
    { ledger },
  );
  await enrolInProcess(['actor 0']);
});

afterAll(removeTempDirs);

describe('custody checkpoint / checkpoints / prove / consistency', () => {
  it('checkpoint --log-key prints exactly the signed note, which verifies independently under the log key', async () => {
    const r = await ok(['checkpoint', '--log-key', keys.log.key], { ledger });
    note3 = r.stdout;
    expect(r.stderr).toBe('signed checkpoint at size 3\n');
    const d = dissect(note3);
    expect(d.origin).toBe(ORIGIN);
    expect(d.size).toBe(3);
    expect(d.lines).toHaveLength(1);
    expect(note3).toMatch(
      /^e2e\.custody\.example\/proofs\n3\n[A-Za-z0-9+/]{43}=\n\n\u2014 e2e\.custody\.example\/proofs [A-Za-z0-9+/]{91}=\n$/,
    );
    expect(independentVerify(note3, [logKey()])).toMatchObject({ ok: true, verified: [ORIGIN] });
    // The authority key did not sign it.
    expect(
      independentVerify(note3, [{ name: ORIGIN, type: 1 as const, publicKey: publicKeyOf('authority') }]).ok,
    ).toBe(false);
    // Asking again (with or without the key) prints the same stored note.
    const [again, withKey] = [
      await ok(['checkpoint'], { ledger }),
      await ok(['checkpoint', '--log-key', keys.log.key], { ledger }),
    ];
    expect(again.stdout).toBe(note3);
    expect(again.stderr).toBe('checkpoint at size 3 (already signed)\n');
    expect(withKey.stdout).toBe(note3);
  });

  it('checkpoint --vkey prints <origin>+<8 hex>+<base64(0x01 || log key)>', async () => {
    const r = await ok(['checkpoint', '--vkey'], { ledger });
    logVkey = r.stdout.trim();
    const pk = publicKeyOf('log');
    const id = sha256(Buffer.from(ORIGIN), Buffer.from([0x0a, 0x01]), pk).subarray(0, 4);
    expect(r.stdout).toBe(
      `${ORIGIN}+${hexOf(id)}+${Buffer.concat([Buffer.from([1]), pk]).toString('base64')}\n`,
    );
    expect(logVkey).toMatch(/^e2e\.custody\.example\/proofs\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/);
  });

  it('prove --json and consistency --json: exact shapes, proofs verify independently', async () => {
    await enrolInProcess(['actor 1', 'actor 2']);
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
    // The human forms print the same hashes.
    const human = await ok(['consistency', '3'], { ledger });
    expect(human.stdout).toBe(
      [`size 3 (${c.firstRoot}) → size 5 (${c.secondRoot})`, ...c.proof.map((x) => `  ${x}`), ''].join('\n'),
    );

    // Out of range (within the ledger's size): usage errors, one line each.
    expectFailure(await run(['prove', '5']), {
      exit: 2,
      code: 'USAGE',
      message: 'entry 5 is not in a tree of size 5',
    });
    expectFailure(await run(['consistency', '4', '3']), {
      exit: 2,
      code: 'USAGE',
      message: 'size 4 is larger than 3',
    });
  });

  it('checkpoints lists the stored checkpoints', async () => {
    note5 = (await ok(['checkpoint', '--log-key', keys.log.key], { ledger })).stdout;
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
    const human = await ok(['checkpoints'], { ledger });
    expect(human.stdout).toBe(
      j.checkpoints.map((c) => `${String(c.size).padStart(8)}  ${c.root}  1 signature(s)`).join('\n') + '\n',
    );
  });
});

describe('custody witness and verify --checkpoint', () => {
  let cosigned: string;
  const cpFile = () => join(dir, 'cp.txt');
  const cosign = (extra: string[] = [], st = state(), env?: Record<string, string>) =>
    run(
      [
        'witness',
        'cosign',
        '--key',
        keys.witness.key,
        '--state',
        st,
        '--log-vkey',
        logVkey,
        '--name',
        WITNESS,
        ...extra,
      ],
      env,
    );

  it('witness vkey, then cosign in sequence: the state file is written (0600) and advanced', async () => {
    // First the size-3 checkpoint (trust on first use), then the latest (size 5) with a proof from the ledger.
    writeFileSync(join(dir, 'cp3.txt'), note3);
    // `witness vkey` opens no ledger, so it runs alongside.
    const [v, first] = await Promise.all([
      ok(['witness', 'vkey', '--key', keys.witness.key, '--name', WITNESS]),
      cosign(['--checkpoint', join(dir, 'cp3.txt')]),
    ]);
    witnessVkey = v.stdout.trim();
    const pk = publicKeyOf('witness');
    expect(witnessVkey).toBe(
      `${WITNESS}+${hexOf(sha256(Buffer.from(WITNESS), Buffer.from([0x0a, 0x04]), pk).subarray(0, 4))}+${Buffer.concat([Buffer.from([4]), pk]).toString('base64')}`,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe(`cosigned ${ORIGIN} at size 3 (first checkpoint seen for this log)\n`);
    const st1 = JSON.parse(readFileSync(state(), 'utf8')) as { logs: { origin: string; size: number }[] };
    copyFileSync(state(), join(dir, 'witness-state-at-3.json'));
    expect(st1.logs.map((l) => [l.origin, l.size])).toEqual([[ORIGIN, 3]]);
    expect(statSync(state()).mode & 0o777).toBe(0o600);

    const second = await cosign();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe(`cosigned ${ORIGIN} at size 5 (consistent with size 3)\n`);
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
    // A line that does not verify under the named witness is refused, and nothing is stored.
    const other = formatCosignerVkey('witness.example.de/2', seeded('other witness').publicKey);
    expectFailure(await run(['witness', 'attach', lineFile, '--witness', other, '--size', '5']), {
      exit: 1,
      code: 'COSIGNATURE_INVALID',
    });
    expect((await run(['checkpoint'])).stdout).toBe(cosigned);

    // Rollback: the witness refuses the size-3 checkpoint now; its state does not move.
    const back = await cosign(['--checkpoint', join(dir, 'cp3.txt')]);
    expectFailure(back, { exit: 1, code: 'WITNESS_ROLLBACK' });
    expect((JSON.parse(readFileSync(state(), 'utf8')) as { logs: { size: number }[] }).logs[0]!.size).toBe(5);
    // A witness that expects another log key refuses the checkpoint, and keeps no state for it.
    const notTheLog = formatVkey(ORIGIN, seeded('not the log').publicKey);
    const elsewhere = join(dir, 'other-state.json');
    const forged = await cosign(['--log-vkey', notTheLog], elsewhere);
    expectFailure(forged, { exit: 1, code: 'NOTE_UNVERIFIED' });
    expect(existsSync(elsewhere)).toBe(false);
  });

  it('verify --checkpoint cp.txt --witness <vkey> --quorum 1 exits 0; a quorum of 2 is not met (UNWITNESSED, exit 7)', async () => {
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
        '--trust-log',
        keys.log.publicKey,
      ],
      { ledger },
    );
    expect(r.ok).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.checkpoint).toMatchObject({
      size: 5,
      signedBy: `${ORIGIN} log key`,
      witnessesVerified: [WITNESS],
      quorum: 1,
    });
    const other = formatCosignerVkey('witness.example.de/2', seeded('other witness').publicKey);
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
        '--trust-log',
        keys.log.publicKey,
        '--json',
      ],
      { ledger },
    );
    expectFailure(short, {
      exit: 7,
      code: 'VERIFICATION_UNWITNESSED',
      message: 'first WITNESS_QUORUM',
      stdout: 'any',
    });
    expect((JSON.parse(short.stdout) as VerifyJson).problems.map((p) => p.code)).toEqual(['WITNESS_QUORUM']);
  });

  // Was a regression in v1 (exit 70 from checkpointOriginOf(undefined)); docs/CLI.md says the
  // checkpoint defaults to the ledger's latest stored one.
  it('witness cosign --proof without --checkpoint uses the latest stored checkpoint', async () => {
    const st = join(dir, 'witness-state-at-3.json');
    const r = await cosign(['--proof', join(dir, 'proof-3-5.json')], st);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 0,
      stderr: `cosigned ${ORIGIN} at size 5 (consistent with size 3)\n`,
    });
    // A proof file that is not what `custody consistency --json` prints is refused.
    const junk = join(dir, 'junk-proof.json');
    writeFileSync(junk, '{"proof": ["zz"]}');
    expectFailure(await cosign(['--proof', junk], join(dir, 'witness-state-at-3.json')), {
      exit: 2,
      code: 'WITNESS_PROOF_MALFORMED',
    });
  });

  it('after the ledger is replaced by a rewritten one with the same keys, verify --checkpoint exits 1', async () => {
    const authority = signerOf(keys.authority);
    const police = publicKeyOf('police');
    /** A ledger with the same origin, authority and log key, but a different history of `size` entries. */
    const rewrite = async (to: string, size: number) => {
      const l = await DirectLedger.at(to, 'create');
      await l.genesis(ORIGIN, authority, publicKeyOf('log'), { jurisdiction: 'NL', org: 'NFI' });
      await l.enrol(authority, police, {
        name: 'police',
        org: 'police (rewritten)',
        roles: ['collector'],
        jurisdiction: 'NL',
      });
      for (let i = 0; l.size < size; i++)
        await l.enrol(authority, seeded(`rewritten ${i}`).publicKey, {
          name: `someone ${i}`,
          org: 'x',
          roles: ['custodian'],
          jurisdiction: 'NL',
        });
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
    expectFailure(same, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: 'first CHECKPOINT_MISMATCH',
      stdout: 'any',
    });
    const s = JSON.parse(same.stdout) as VerifyJson;
    expect(s.entries).toBe(5);
    // Once against the note, once against the tree this client remembers (cli/seen.ts).
    expect(s.problems.map((p) => p.code)).toEqual(['CHECKPOINT_MISMATCH', 'CHECKPOINT_MISMATCH']);
    expect(s.problems[1]?.message).toMatch(/do not match the tree this client saw earlier/);
    // The note itself is still good: signed by the (same) log key and cosigned by the witness.
    expect(s.checkpoint?.witnessesVerified).toEqual([WITNESS]);

    expectFailure(cut, { exit: 1, code: 'VERIFICATION_FAILED', stdout: 'any' });
    expect((JSON.parse(cut.stdout) as VerifyJson).problems.map((p) => p.code)).toEqual(['LOG_TRUNCATED']);
    // Nothing pinned: the original is consistent and witnessed, but UNANCHORED (exit 6).
    expect(before.code, before.stderr).toBe(6);
    expect(JSON.parse(before.stdout)).toMatchObject({ verdict: 'UNANCHORED', problems: [] });

    // The client that saw the original refuses to sign the rewritten history at all.
    expectFailure(await custody(['checkpoint', '--log-key', keys.log.key], { ledger }), {
      exit: 1,
      code: 'LEDGER_FORKED',
    });
    // One that never saw it signs when asked; the witness refuses it (same size, other root),
    // also when it reads the ledger through a client that never saw the original.
    const fresh = { CUSTODY_STATE_DIR: tempDir('custody-proofs-fresh-client-') };
    const forged = await ok(['checkpoint', '--log-key', keys.log.key], { ledger, env: fresh });
    expect(dissect(forged.stdout).root.equals(dissect(note5).root)).toBe(false);
    expectFailure(await cosign(), { exit: 1, code: 'LEDGER_FORKED' });
    const conflict = await cosign([], state(), fresh);
    expectFailure(conflict, { exit: 1, code: 'WITNESS_CONFLICT' });
  });
});
