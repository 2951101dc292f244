/**
 * Repairing damaged entries from a backup (docs/STORAGE.md §Repairing a
 * damaged entry; issue 24 item 6): the demo leaves a ledger and a copy with
 * one payload edited; we also damage an entry row of the copy. `custody
 * repair --from <intact copy>` puts back exactly those bytes, checked against
 * the stored signed checkpoint, and the copy verifies again. A backup of
 * another ledger changes nothing (REPAIR_UNVERIFIED, exit 1).
 */
import { join } from 'node:path';
import { Level } from 'level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { K } from '../../src/store/log-keys.js';
import { custody, expectFailure, parseJson, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

async function flipEntryByte(dir: string, index: number, at: number) {
  const db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  try {
    const v = (await db.get(K.entry(index)))!.slice();
    v[at]! ^= 0x01;
    await db.put(K.entry(index), v, { sync: true });
  } finally {
    await db.close();
  }
}

describe('custody repair', () => {
  let dir: string;
  let other: string;
  let trust: string;
  let tampered: string;
  let intact: string;

  beforeAll(async () => {
    dir = join(tempDir('custody-e2e-repair-'), 'demo');
    other = join(tempDir('custody-e2e-repair-other-'), 'demo');
    const d = parseJson<{ ledger: string; tamperedLedger: string }>(
      await custody(['demo', '--dir', dir, '--json']),
    );
    await custody(['demo', '--dir', other, '--json']);
    intact = d.ledger;
    tampered = d.tamperedLedger;
    trust = parseJson<{ publicKey: string }>(
      await custody(['key', 'show', join(dir, 'authority.key'), '--json']),
    ).publicKey;
    await flipEntryByte(tampered, 3, 20);
  });

  it('a backup of another ledger changes nothing', async () => {
    expectFailure(await custody(['repair', '--ledger', tampered, '--from', join(other, 'ledger')]), {
      exit: 1,
      code: 'REPAIR_UNVERIFIED',
    });
    const v = await custody(['verify', '--ledger', tampered, '--trust', trust, '--json']);
    expect(v.code).toBe(1);
  });

  it('puts back the damaged entry and payload from the backup, and the ledger verifies again', async () => {
    const dry = await custody(['repair', '--ledger', tampered, '--from', intact, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(parseJson(dry)).toMatchObject({
      size: 16,
      written: false,
      restored: [
        { index: 3, entry: true, payload: false },
        { index: 11, entry: false, payload: true },
      ],
    });
    expect((await custody(['verify', '--ledger', tampered, '--trust', trust])).code).toBe(1);
    const r = await custody(['repair', '--ledger', tampered, '--from', intact, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(parseJson(r)).toMatchObject({ written: true });
    const v = await custody(['verify', '--ledger', tampered, '--trust', trust, '--json']);
    expect(v.code, v.stdout).toBe(0);
    const again = await custody(['repair', '--ledger', tampered, '--from', intact, '--json']);
    expect(parseJson(again)).toMatchObject({ restored: [], written: false });
  });

  it('refuses the ledger itself as its backup', async () => {
    expectFailure(await custody(['repair', '--ledger', intact, '--from', intact]), {
      exit: 2,
      code: 'USAGE',
      message: '--from must be a backup copy, not the ledger itself',
    });
  });
});
