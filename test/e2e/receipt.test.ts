/**
 * Receipts in C2SP tlog-proof form through the built CLI (docs/CLI.md
 * §`custody receipt`, §`custody verify-receipt`; docs/PROOFS.md §Receipts
 * (C2SP tlog-proof)): init, enrol, register offline and submit, sign a
 * checkpoint with the log key, write the receipt, verify it with nothing but
 * the trusted keys; a damaged receipt, a wrong key or statement, a checkpoint
 * the ledger does not have, each refused with its documented code and exit.
 * The steps share one ledger and run in order.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStatementFile } from '../../src/format/statement-file.js';
import { independentVerify } from '../checkpoint/independent-verifier.js';
import { leafHashOf, verifyInclusionIndependently } from '../proofs/independent.js';
import {
  copyLedger,
  custody,
  enrol,
  evidenceFile,
  expectFailure,
  expectFields,
  fixturePeople,
  HEX32,
  json,
  ok,
  type Person,
  parseJson,
  removeTempDirs,
  SMALL_LEDGER_PEOPLE,
  smallLedger,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

const ORIGIN = 'e2e.custody.example/receipts';
const HEADER = 'c2sp.org/tlog-proof@v1';

interface ReceiptJson {
  index: number;
  size: number;
  origin: string;
  root: string;
  leafHash: string;
  receipt: string;
  out?: string;
}

describe('custody receipt and verify-receipt', () => {
  let dir: string;
  let ledger: string;
  let index: number;
  let cp: string; // checkpoint note file, size 3, log signature only
  let logVkey: string;
  let receiptFile: string;
  let regFile: string;
  const who = {} as Record<'authority' | 'log' | 'police' | 'bka' | 'witness', Person>;
  const run = (args: string[]) => custody(args, { ledger });
  const j = <T = Record<string, unknown>>(args: string[]) => json<T>(args, { ledger });
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    dir = tempDir('custody-e2e-receipt-');
    ledger = join(dir, 'ledger');
    Object.assign(
      who,
      fixturePeople(dir, {
        ...SMALL_LEDGER_PEOPLE,
        bka: ['KHK K. Müller', 'DE', 'Bundeskriminalamt', 'custodian,examiner'],
        witness: ['Witness', 'BE', 'Witness service', ''],
      }),
    );
    await smallLedger(dir, ledger, ORIGIN, who, false);
    // Signed offline, so the test holds the signed statement the entry commits to.
    regFile = join(dir, 'reg.cst');
    await json([
      'register',
      evidenceFile(dir, 'HDD-01.dd'),
      '--key',
      who.police.key,
      '--case',
      'C-1',
      '--exhibit',
      'HDD-01',
      '--description',
      'disk image',
      '--offline',
      regFile,
      '--origin',
      ORIGIN,
    ]);
    const sub = await j<{ submitted: { index: number }[] }>(['submit', regFile]);
    index = sub.submitted[0]!.index;
    const signed = await j<{ note: string; size: number }>(['checkpoint', '--log-key', who.log.key]);
    expect(signed.size).toBe(3);
    cp = write('cp3.txt', signed.note);
    logVkey = (await j<{ vkey: string }>(['checkpoint', '--vkey'])).vkey;
  });

  it('writes the receipt of an entry, to a new file or to stdout', async () => {
    receiptFile = join(dir, 'HDD-01.tlog-proof');
    const r = await j<ReceiptJson>(['receipt', String(index), '--checkpoint', cp, '--out', receiptFile]);
    expectFields(r, ['index', 'size', 'origin', 'root', 'leafHash', 'receipt', 'out']);
    expect(r).toMatchObject({ index, size: 3, origin: ORIGIN, out: receiptFile });
    expect(r.root).toMatch(HEX32);
    expect(r.leafHash).toMatch(HEX32);
    const text = readFileSync(receiptFile, 'utf8');
    expect(text).toBe(r.receipt);
    const lines = text.split('\n');
    expect(lines[0]).toBe(HEADER);
    expect(lines[1]).toMatch(/^extra [A-Za-z0-9+/]+=*$/);
    expect(lines[2]).toBe(`index ${index}`);
    // The checkpoint note, verbatim, after the proof and its empty line.
    expect(text.endsWith(`\n\n${readFileSync(cp, 'utf8')}`)).toBe(true);

    // Read as docs/PROOFS.md §Receipts tells an independent verifier to: leaf = SHA-256(0x00 ‖ extra),
    // the proof lines up to the empty line, the note after it (signed by the log key, name = origin).
    const sep = text.indexOf('\n\n');
    const proof = text
      .slice(0, sep)
      .split('\n')
      .slice(3)
      .map((l) => Buffer.from(l, 'base64'));
    const note = text.slice(sep + 2);
    const logKey = Buffer.from(who.log.publicKey, 'base64');
    expect(independentVerify(note, [{ name: ORIGIN, type: 1, publicKey: logKey }])).toMatchObject({
      ok: true,
    });
    const [, size, root] = note.split('\n');
    const leaf = leafHashOf(Buffer.from(lines[1]!.slice('extra '.length), 'base64'));
    expect(leaf.toString('hex')).toBe(r.leafHash);
    expect(verifyInclusionIndependently(index, Number(size), leaf, proof, Buffer.from(root!, 'base64'))).toBe(
      true,
    );

    const human = await ok(['receipt', String(index), '--checkpoint', cp], { ledger });
    expect(human.stdout).toBe(text);
    expect(human.stderr).toContain(`receipt of entry ${index} in ${ORIGIN} at size 3`);

    // Never over an existing file.
    const again = await run(['receipt', String(index), '--checkpoint', cp, '--out', receiptFile]);
    expectFailure(again, { exit: 2, code: 'FILE_EXISTS' });
  });

  it('verifies it with the log vkey, the log public key or its key file, and the statement', async () => {
    for (const trust of [logVkey, who.log.publicKey, who.log.key]) {
      const r = await ok(['verify-receipt', receiptFile, '--trust-log', trust]);
      expect(r.stdout).toBe(`receipt valid: entry ${index} of ${ORIGIN} at size 3\n`);
    }
    const v = await json<Record<string, unknown>>([
      'verify-receipt',
      receiptFile,
      '--trust-log',
      logVkey,
      '--statement',
      regFile,
    ]);
    expectFields(v, [
      'valid',
      'origin',
      'index',
      'size',
      'root',
      'leafHash',
      'logTime',
      'payloadType',
      'payloadHash',
      'witnessesVerified',
      'quorum',
      'statementChecked',
    ]);
    expect(v).toMatchObject({
      valid: true,
      origin: ORIGIN,
      index,
      size: 3,
      payloadType: 1,
      statementChecked: true,
    });
    // The raw signed statement works as well as its statement file.
    const raw = join(dir, 'reg.statement');
    writeFileSync(raw, readStatementFile(new Uint8Array(readFileSync(regFile))).statement);
    await ok(['verify-receipt', receiptFile, '--trust-log', logVkey, '--statement', raw]);
  });

  it('refuses a damaged receipt with its code and exit', async () => {
    const text = readFileSync(receiptFile, 'utf8');
    const lines = text.split('\n');
    const flipAt = (line: string, at: number) =>
      line.slice(0, at) + (line[at] === 'A' ? 'B' : 'A') + line.slice(at + 1);
    const flip = (line: string) => flipAt(line, 0);
    const cases: [string, string, number, string][] = [
      [
        'a proof hash changed',
        [...lines.slice(0, 3), flip(lines[3]!), ...lines.slice(4)].join('\n'),
        1,
        'PROOF_INVALID',
      ],
      ['another index', text.replace(`\nindex ${index}\n`, '\nindex 1\n'), 1, 'PROOF_INVALID'],
      // A character inside the entry's payloadHash: still an entry, but not the one proven.
      [
        'the entry changed',
        [lines[0], flipAt(lines[1]!, 100), ...lines.slice(2)].join('\n'),
        1,
        'PROOF_INVALID',
      ],
      ['the entry replaced', [lines[0], 'extra eHl6', ...lines.slice(2)].join('\n'), 1, 'ENTRY_MALFORMED'],
      [
        'the checkpoint size changed',
        text.replace(`${ORIGIN}\n3\n`, `${ORIGIN}\n2\n`),
        1,
        'NOTE_BAD_SIGNATURE',
      ],
      ['the header changed', text.replace(HEADER, 'c2sp.org/tlog-proof@v2'), 2, 'RECEIPT_MALFORMED'],
      [
        'an index with a leading zero',
        text.replace(`\nindex ${index}\n`, `\nindex 0${index}\n`),
        2,
        'RECEIPT_MALFORMED',
      ],
      ['no empty line before the checkpoint', text.replace('\n\n', '\n'), 2, 'RECEIPT_MALFORMED'],
      ['CRLF line ends', text.replaceAll('\n', '\r\n'), 2, 'RECEIPT_MALFORMED'],
    ];
    for (const [what, damaged, exit, code] of cases) {
      const file = write(`damaged-${code}-${exit}-${what.replaceAll(' ', '-')}.tlog-proof`, damaged);
      const r = await custody(['verify-receipt', file, '--trust-log', logVkey]);
      expectFailure(r, { exit, code });
    }
    // With --json: one error document, the same exit.
    const file = write('damaged.tlog-proof', cases[0]![1]);
    const r = await custody(['verify-receipt', file, '--trust-log', logVkey, '--json']);
    expectFailure(r, { exit: 1, code: 'PROOF_INVALID', stdout: 'any' });
    expect(parseJson<{ ok: boolean; error: { code: string } }>(r)).toMatchObject({
      ok: false,
      error: { code: 'PROOF_INVALID' },
    });
  });

  it('refuses another log key, and a statement the entry does not commit to', async () => {
    const stranger = await custody(['verify-receipt', receiptFile, '--trust-log', who.police.publicKey]);
    expectFailure(stranger, { exit: 1, code: 'NOTE_UNVERIFIED' });
    const wrong = write('other.statement', 'not the statement');
    const r = await custody(['verify-receipt', receiptFile, '--trust-log', logVkey, '--statement', wrong]);
    expectFailure(r, { exit: 1, code: 'PAYLOAD_HASH_MISMATCH' });
    const bad = await custody(['verify-receipt', receiptFile, '--trust-log', 'nonsense']);
    expectFailure(bad, { exit: 2, code: 'PUBLIC_KEY_INVALID' });
  });

  it('refuses an entry outside the checkpoint, and a checkpoint of another log', async () => {
    expectFailure(await run(['receipt', '3', '--checkpoint', cp]), { exit: 2, code: 'USAGE' });
    const note = readFileSync(cp, 'utf8');
    expectFailure(await run(['receipt', '0', '--checkpoint', write('garbage.txt', 'garbage\n')]), {
      exit: 2,
      code: 'NOTE_MALFORMED',
    });
    // Signed, but by another key: not this log's checkpoint.
    const forged = note.replace(/^— (\S+) (\S+)$/m, (_m, name: string, sig: string) => {
      const b = Buffer.from(sig, 'base64');
      b[b.length - 1]! ^= 1; // the key id kept, the signature broken
      return `— ${name} ${b.toString('base64')}`;
    });
    expectFailure(await run(['receipt', '0', '--checkpoint', write('forged.txt', forged)]), {
      exit: 1,
      code: 'NOTE_BAD_SIGNATURE',
    });
  });

  it('refuses a checkpoint beyond the ledger, or with a root the ledger does not have', async () => {
    const at3 = copyLedger(ledger);
    // The ledger grows to 4 and is checkpointed; a fork of the size-3 copy grows differently.
    await enrol(ledger, who.authority, who.bka);
    const cp4 = write('cp4.txt', (await j<{ note: string }>(['checkpoint', '--log-key', who.log.key])).note);
    expectFailure(await custody(['receipt', '0', '--checkpoint', cp4], { ledger: at3 }), {
      exit: 2,
      code: 'CHECKPOINT_BEYOND_LOG',
    });
    // The same enrolment signed again has fresh salts and another time: another entry 3.
    const fork = copyLedger(at3);
    await enrol(fork, who.authority, who.bka);
    const forkCp = write(
      'cp4-fork.txt',
      (await json<{ note: string }>(['checkpoint', '--log-key', who.log.key], { ledger: fork })).note,
    );
    expectFailure(await run(['receipt', '0', '--checkpoint', forkCp]), {
      exit: 1,
      code: 'CHECKPOINT_MISMATCH',
    });
  });

  it('with witnesses: verified when they cosigned, UNWITNESSED (exit 7) when they did not', async () => {
    const w = await j<{ vkey: string }>([
      'witness',
      'vkey',
      '--key',
      who.witness.key,
      '--name',
      'witness.example/w1',
    ]);
    const state = join(dir, 'w1.state');
    const line = await ok(
      [
        'witness',
        'cosign',
        '--key',
        who.witness.key,
        '--name',
        'witness.example/w1',
        '--state',
        state,
        '--log-vkey',
        logVkey,
      ],
      { ledger },
    );
    await ok(['witness', 'attach', write('cosig.txt', line.stdout), '--witness', w.vkey], { ledger });
    const cosigned = write('cp4-cosigned.txt', (await ok(['checkpoint'], { ledger })).stdout);
    const witnessed = join(dir, 'witnessed.tlog-proof');
    await j(['receipt', String(index), '--checkpoint', cosigned, '--out', witnessed]);
    const r = await ok(['verify-receipt', witnessed, '--trust-log', logVkey, '--witness', w.vkey]);
    expect(r.stdout).toBe(`receipt valid: entry ${index} of ${ORIGIN} at size 4\n`);
    expect(r.stderr).toContain('witness.example/w1');
    const v = await json<{ witnessesVerified: string[]; quorum: number }>([
      'verify-receipt',
      witnessed,
      '--trust-log',
      logVkey,
      '--witness',
      w.vkey,
    ]);
    expect(v).toMatchObject({ witnessesVerified: ['witness.example/w1'], quorum: 1 });

    // The first receipt's checkpoint carries no cosignature.
    const short = await custody(['verify-receipt', receiptFile, '--trust-log', logVkey, '--witness', w.vkey]);
    expectFailure(short, { exit: 7, code: 'VERIFICATION_UNWITNESSED' });
    const shortJson = await custody([
      'verify-receipt',
      receiptFile,
      '--trust-log',
      logVkey,
      '--witness',
      w.vkey,
      '--json',
    ]);
    expectFailure(shortJson, { exit: 7, code: 'VERIFICATION_UNWITNESSED', stdout: 'any' });
    expect(parseJson(shortJson)).toMatchObject({
      ok: false,
      valid: false,
      error: { code: 'VERIFICATION_UNWITNESSED' },
      index,
      size: 3,
      witnessesVerified: [],
      quorum: 1,
    });
    await ok(['verify-receipt', receiptFile, '--trust-log', logVkey, '--witness', w.vkey, '--quorum', '0']);
  });
});
