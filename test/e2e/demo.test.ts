/** `custody demo`: the newcomer's first run, end to end. */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  custody,
  EXHIBIT_ID,
  expectFailure,
  expectFields,
  json,
  parseJson,
  removeTempDirs,
  tempDir,
} from './helpers.js';

afterAll(removeTempDirs);

interface DemoJson {
  dir: string;
  ledger: string;
  exhibit: string;
  derived: string;
  entries: number;
  verifiedBeforeTamper: boolean;
  verifiedAfterTamper: boolean;
  tamperedLedger: string;
  tamperedEntry: number;
  problemsAfterTamper: {
    code: string;
    severity: string;
    seq: number | null;
    exhibit: string | null;
    message: string;
  }[];
  federation: {
    journey: string;
    manifest: string;
    servers: { origin: string; url: string }[];
    bytes: number;
    verified: boolean;
    verifiedAfterTamper: boolean;
    problemsAfterTamper: { code: string; message: string }[];
  };
}

describe.concurrent('custody demo', () => {
  it('runs the cross-border case, verifies it, then catches the tampered entry (--json)', async () => {
    const dir = join(tempDir(), 'demo');
    const r = await custody(['demo', '--dir', dir, '--json'], { passphrase: null });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const j = parseJson<DemoJson>(r);
    expectFields(j, [
      'dir',
      'ledger',
      'exhibit',
      'derived',
      'entries',
      'verifiedBeforeTamper',
      'verifiedAfterTamper',
      'tamperedLedger',
      'tamperedEntry',
      'problemsAfterTamper',
      'federation',
    ]);
    // Across borders: three ledgers, each on its own loopback server; the journey through the
    // BKA's and the court's own ledgers verifies against the trust manifest alone, and a byte
    // changed in the BKA's segment is caught there, at its entry.
    expect(j.federation).toMatchObject({ verified: true, verifiedAfterTamper: false });
    expect(j.federation.servers.map((s) => s.origin)).toEqual([
      'demo.custody.example/jit-2026-017',
      'ledger.bka.example/2026',
      'ledger.tj-paris.example/2026',
    ]);
    expect(j.federation.servers.every((s) => s.url.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(j.federation.problemsAfterTamper[0]).toMatchObject({ code: 'PAYLOAD_HASH_MISMATCH' });
    expect(j.federation.problemsAfterTamper[0]!.message).toContain('ledger.bka.example/2026');
    const journey = await custody([
      'verify-bundle',
      j.federation.journey,
      '--trust-policy',
      j.federation.manifest,
      '--json',
    ]);
    expect(journey.code, journey.stderr).toBe(0);
    expect(parseJson<{ journey: { segments: unknown[] } }>(journey).journey.segments).toHaveLength(3);
    expect(j.dir).toBe(dir);
    expect(j.ledger).toBe(join(dir, 'ledger'));
    expect(j.tamperedLedger).toBe(join(dir, 'ledger-tampered'));
    expect(j.verifiedBeforeTamper).toBe(true);
    expect(j.verifiedAfterTamper).toBe(false);
    expect(j.entries).toBe(16);
    expect(j.exhibit).toMatch(EXHIBIT_ID);
    expect(j.derived).toMatch(EXHIBIT_ID);
    expect(j.derived).not.toBe(j.exhibit);
    // The edited byte is caught at the entry that no longer commits to its statement…
    expect(j.problemsAfterTamper[0]).toMatchObject({
      code: 'PAYLOAD_HASH_MISMATCH',
      severity: 'error',
      seq: j.tamperedEntry,
    });
    // … and the exhibit's later entries, which no longer link to a valid history, are named too.
    expect(j.problemsAfterTamper).toContainEqual(
      expect.objectContaining({ code: 'EXHIBIT_LINK_BROKEN', seq: j.tamperedEntry + 1, exhibit: j.exhibit }),
    );
    // Nothing before the tampered entry is blamed.
    expect(j.problemsAfterTamper.every((p) => p.seq === null || p.seq >= j.tamperedEntry)).toBe(true);

    // It leaves key files (mode 0600) and evidence behind so the user can continue by hand.
    for (const k of ['authority.key', 'log.key', 'devries.key', 'bakker.key', 'mueller.key', 'greffe.key'])
      expect(statSync(join(dir, k)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'HDD-01.dd'))).toBe(true);

    // ... and what it printed is true: the copy it tampered with fails, the ledger itself verifies.
    const pinned = await json<{ publicKey: string }>(['key', 'show', join(dir, 'authority.key')]);
    const intact = await custody(['verify', '--json', '--ledger', j.ledger, '--trust', pinned.publicKey]);
    expect(intact.code, intact.stderr).toBe(0);
    const v = await custody(['verify', '--json', '--ledger', j.tamperedLedger]);
    expectFailure(v, {
      exit: 1,
      code: 'VERIFICATION_FAILED',
      message: `first PAYLOAD_HASH_MISMATCH at entry ${j.tamperedEntry}`,
      stdout: 'any',
    });
    const report = parseJson<{ ok: boolean; problems: { seq: number | null; code: string }[] }>(v);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(
      j.problemsAfterTamper.map((p) => expect.objectContaining({ code: p.code, seq: p.seq })),
    );

    // The "try it yourself" hints work: passphrase "demo", exhibit in the ledger, the checkpoint is stored.
    const show = await json<{ exhibit: string; state: string }>(['show', j.exhibit, '--ledger', j.ledger]);
    expect(show).toMatchObject({ exhibit: j.exhibit, state: 'held' });
    const cp = await json<{ size: number; created: boolean; note: string }>([
      'checkpoint',
      '--ledger',
      j.ledger,
    ]);
    // 16 entries of the case, then two peers recorded, the second exhibit's hand-over to the
    // BKA's own ledger (registration, transfer, the BKA's acceptance imported), and the log's
    // record of the segment it handed the court's ledger: 22.
    expect(cp).toMatchObject({ size: 22, created: false });
    const log = await json<{ entries: { index: number; kind: string; signerName: string }[] }>([
      'log',
      '--ledger',
      j.ledger,
    ]);
    expect(log.entries.at(-1)).toMatchObject({
      index: 21,
      kind: 'disclosure',
      signerName: 'the log, for auditor.tj-paris.example',
    });
    // Dual-signed: the log's Ed25519 line and its ML-DSA-44 (subtree/v1) line, both under the origin;
    // and cosigned by the other two servers' auditors, which replayed the log first.
    const lines = cp.note.split('\n\n')[1]!.trim().split('\n');
    const own = lines.filter((l) => l.startsWith('\u2014 demo.custody.example/jit-2026-017 '));
    expect(own).toHaveLength(2);
    expect(own[1]!.length).toBeGreaterThan(3000);
    for (const auditor of ['auditor.bka.example', 'auditor.tj-paris.example'])
      expect(lines.some((l) => l.startsWith(`\u2014 ${auditor} `))).toBe(true);
  });

  it('prints a human walkthrough without --json and ends with "Try it yourself"', async () => {
    const dir = join(tempDir(), 'demo');
    const r = await custody(['demo', '--dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('VERIFIED:');
    expect(r.stdout).toContain('FAILED:');
    expect(r.stdout).toMatch(/PROBLEM PAYLOAD_HASH_MISMATCH at entry 11: /);
    expect(r.stdout).toContain('archived the checkpoint of size 15 at entry 15');
    expect(r.stdout).toContain('witness.demo.example cosigned it with ML-DSA-44');
    // With OpenSSL (CI installs it), the archived checkpoint is time-stamped by a local TSA and dated.
    if (existsSync('/usr/bin/openssl'))
      expect(r.stdout).toMatch(
        /time: the first 15 entries existed no later than \S+ \(±1000 ms\), by the RFC 3161 token of O=Custody demo, CN=Demo TSA archived at entry 15/,
      );
    expect(r.stdout).toContain('[NOT_HOLDER] — nothing was written (still 15 entries)');
    expect(r.stdout).toContain('anchored to the trusted authority key');
    expect(r.stdout).toContain('== Try it yourself');
    expect(r.stdout).toContain(`export CUSTODY_LEDGER=${join(dir, 'ledger')} CUSTODY_PASSPHRASE=demo`);
    expect(readdirSync(dir).sort()).toEqual(
      [
        'HDD-01-WC1.dd',
        'HDD-01.dd',
        'authority.key',
        'bakker.key',
        'devries.key',
        'greffe.key',
        'ledger',
        'ledger-tampered',
        'log.key',
        'mueller.key',
        // Across borders: the BKA's and the court's own ledgers and keys, their servers' files,
        // the second exhibit, the court's journey and trust manifest.
        'bka-authority.key',
        'bka-log.key',
        'ledger-bka',
        'tj-paris-authority.key',
        'tj-paris-log.key',
        'ledger-tj-paris',
        'servers',
        'PHONE-02.img',
        'PHONE-02.journey',
        'PHONE-02-tampered.journey',
        'trust.json',
        // The local TSA's certificates and keys, when OpenSSL is there to make them.
        ...(existsSync('/usr/bin/openssl') ? ['tsa'] : []),
      ].sort(),
    );
  });

  it('refuses a directory that is not empty (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'something'), 'x');
    const r = await custody(['demo', '--dir', dir]);
    expectFailure(r, { exit: 2, code: 'DEMO_DIR_NOT_EMPTY', message: 'is not empty' });
  });
});
