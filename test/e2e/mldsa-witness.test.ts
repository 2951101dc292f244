/**
 * An ML-DSA-44 witness through the built CLI (docs/CLI.md §custody key new,
 * §custody witness; docs/PROOFS.md §ML-DSA-44 cosignatures): `key new --type
 * ml-dsa-44` writes an encrypted ML-DSA-44 key file, `key show` names its type,
 * `witness vkey` prints its type-0x06 vkey, and `witness cosign` with it writes
 * a subtree/v1 cosignature line. One witness cosigns the same checkpoint with
 * an Ed25519 key and an ML-DSA-44 key (one name, two keys, one state file);
 * both lines are attached; verify-bundle under the ML-DSA-44 vkey is
 * VERIFIED, and with that line tampered in the bundle it is not.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  custody,
  expectFailure,
  expectFields,
  exportFor,
  fixtureKey,
  fixturePeople,
  json,
  KEY_ID,
  type Person,
  parseJson,
  removeTempDirs,
  SMALL_LEDGER_PEOPLE,
  smallLedger,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

const ORIGIN = 'e2e.custody.example/mldsa-witness';
const WITNESS = 'witness.example/pq';

interface VerdictJson {
  ok: boolean;
  verdict: string;
}

describe('ML-DSA-44 witness keys', () => {
  let dir: string;
  let ledger: string;
  let mldsaKey: string;
  let edKey: string;
  let made: { keyId: string; publicKey: string; name: string; file: string; type: string };
  const who = {} as Record<'authority' | 'log' | 'police', Person>;
  const j = <T = Record<string, unknown>>(args: string[]) => json<T>(args, { ledger });

  beforeAll(async () => {
    dir = tempDir('custody-e2e-mldsa-');
    ledger = join(dir, 'ledger');
    Object.assign(who, fixturePeople(dir, SMALL_LEDGER_PEOPLE));
    mldsaKey = join(dir, 'witness-pq.key');
    edKey = join(dir, 'witness-ed.key');
    fixtureKey(edKey, 'PQ witness (Ed25519)');
    const [m] = await Promise.all([
      json<typeof made>(['key', 'new', '--type', 'ml-dsa-44', '--name', 'PQ witness', '--out', mldsaKey]),
      (async () => {
        await smallLedger(dir, ledger, ORIGIN, who);
        await j(['checkpoint', '--log-key', who.log.key]);
      })(),
    ]);
    made = m;
  });

  it('key new --type ml-dsa-44 and key show: the type and the 1312-byte public key', async () => {
    expectFields(made, ['keyId', 'publicKey', 'name', 'file', 'type']);
    expect(made).toMatchObject({ type: 'ml-dsa-44', name: 'PQ witness', file: mldsaKey });
    expect(made.keyId).toMatch(KEY_ID);
    expect(Buffer.from(made.publicKey, 'base64')).toHaveLength(1312);
    const file = JSON.parse(readFileSync(mldsaKey, 'utf8')) as Record<string, unknown>;
    expect(file).toMatchObject({ format: 'custody-key/v2', type: 'ml-dsa-44', publicKey: made.publicKey });

    const shown = await json<Record<string, string>>(['key', 'show', mldsaKey], { passphrase: null });
    expectFields(shown, ['type', 'keyId', 'publicKey', 'publicKeyHex', 'name']);
    expect(shown).toMatchObject({ type: 'ml-dsa-44', keyId: made.keyId, publicKey: made.publicKey });
    const human = await custody(['key', 'show', mldsaKey], { passphrase: null });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toBe(
      [
        'name:       PQ witness',
        'type:       ml-dsa-44',
        `key id:     ${made.keyId}`,
        `public key: ${made.publicKey}`,
        '',
      ].join('\n'),
    );
    // An unknown type is a usage error; an ML-DSA-44 key cannot sign statements or be enrolled.
    expectFailure(
      await custody(['key', 'new', '--type', 'rsa', '--name', 'x', '--out', join(dir, 'x.key')]),
      {
        exit: 2,
        code: 'USAGE',
        message: '--type must be one of ed25519, ml-dsa-44',
      },
    );
    expectFailure(await custody(['checkpoint', '--log-key', mldsaKey], { ledger }), {
      exit: 2,
      code: 'KEY_TYPE_WRONG',
    });
    expectFailure(
      await custody(
        [
          'actor',
          'add',
          '--key',
          who.authority.key,
          '--public-key',
          mldsaKey,
          '--name',
          'x',
          '--role',
          'court',
          '--jurisdiction',
          'NL',
          '--org',
          'X',
        ],
        { ledger },
      ),
      { exit: 2, code: 'PUBLIC_KEY_INVALID', message: 'is an ml-dsa-44 key file' },
    );
  });

  it('witness vkey and cosign with an Ed25519 and an ML-DSA-44 key; verify-bundle under the ML-DSA-44 vkey', async () => {
    const vkey = (key: string) =>
      j<{ name: string; vkey: string }>(['witness', 'vkey', '--key', key, '--name', WITNESS]);
    const [pq, ed] = await Promise.all([vkey(mldsaKey), vkey(edKey)]);
    // name+keyid+base64(type ‖ key); the base64 may contain '+' itself.
    const vkeyBytes = (v: string) => Buffer.from(v.split('+').slice(2).join('+'), 'base64');
    const vkeyType = (v: string) => vkeyBytes(v)[0];
    expect(pq.vkey.startsWith(`${WITNESS}+`)).toBe(true);
    expect(vkeyType(pq.vkey)).toBe(0x06);
    expect(vkeyBytes(pq.vkey).subarray(1)).toEqual(Buffer.from(made.publicKey, 'base64'));
    expect(vkeyType(ed.vkey)).toBe(0x04);
    // Without --name the witness is named by the key id.
    expect((await j<{ name: string }>(['witness', 'vkey', '--key', mldsaKey])).name).toBe(made.keyId);

    const logVkey = (await j<{ vkey: string }>(['checkpoint', '--vkey'])).vkey;
    const state = join(dir, 'witness.state');
    const cosign = (key: string) =>
      j<{ origin: string; size: number; witness: string; cosignature: string }>([
        'witness',
        'cosign',
        '--key',
        key,
        '--name',
        WITNESS,
        '--state',
        state,
        '--log-vkey',
        logVkey,
      ]);
    // The same witness, the same state file, two keys (one after the other: the state is shared).
    const csEd = await cosign(edKey);
    const csPq = await cosign(mldsaKey);
    expect(csPq).toMatchObject({ origin: ORIGIN, witness: WITNESS, size: csEd.size });
    const payload = (line: string) => Buffer.from(line.trimEnd().split(' ').at(-1)!, 'base64');
    expect(payload(csEd.cosignature)).toHaveLength(4 + 8 + 64);
    expect(payload(csPq.cosignature)).toHaveLength(4 + 8 + 2420);
    for (const [cs, v, name] of [
      [csEd, ed.vkey, 'ed.cosig'],
      [csPq, pq.vkey, 'pq.cosig'],
    ] as const) {
      const line = join(dir, name);
      writeFileSync(line, cs.cosignature);
      await j(['witness', 'attach', line, '--witness', v]);
    }

    const bundle = join(dir, 'HDD-01.custody');
    await j(['export', 'HDD-01', '--out', bundle, ...exportFor(who.police)]);
    const nowhere = { ledger: join(dir, 'no-ledger-here') };
    const verify = (b: string, v: string) =>
      custody(['verify-bundle', b, '--trust', who.authority.publicKey, '--witness', v, '--json'], nowhere);
    const [good, goodEd] = await Promise.all([verify(bundle, pq.vkey), verify(bundle, ed.vkey)]);
    expect(good.code, good.stderr).toBe(0);
    expect(parseJson<VerdictJson>(good)).toMatchObject({ ok: true, verdict: 'VERIFIED' });
    expect(goodEd.code, goodEd.stderr).toBe(0);

    // The ML-DSA-44 line tampered with inside the bundle (one base64 character of the signature).
    const b64 = csPq.cosignature.trimEnd().split(' ').at(-1)!;
    const bytes = readFileSync(bundle);
    const at = bytes.indexOf(Buffer.from(b64, 'latin1'));
    expect(at, 'the cosignature line is in the bundle as text').toBeGreaterThan(0);
    const i = at + 1000;
    bytes[i] = bytes[i] === 0x41 ? 0x42 : 0x41; // 'A' <-> 'B': still base64, another signature
    const tampered = join(dir, 'tampered.custody');
    writeFileSync(tampered, bytes);
    const bad = await verify(tampered, pq.vkey);
    // Its one witness's line no longer verifies: quorum 1 not met.
    expect(bad.code, bad.stderr).toBe(7);
    expect(parseJson<VerdictJson>(bad)).toMatchObject({ ok: false, verdict: 'UNWITNESSED' });
    // The Ed25519 line is untouched: under its vkey the tampered bundle still verifies.
    const stillEd = await verify(tampered, ed.vkey);
    expect(stillEd.code, stillEd.stderr).toBe(0);
  });
});
