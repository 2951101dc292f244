/**
 * Archived checkpoints (docs/FORMAT.md §Log records, docs/LONG-TERM.md): the
 * log appends its latest signed checkpoint as a log record, with an RFC 3161
 * token from a local OpenSSL TSA; the whole-ledger verifier checks the note
 * against the tree and the token against the pinned TSA root. A forged or
 * foreign archived note fails; the token the project asked for passes
 * `openssl ts -verify`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/bytes.js';
import { formatCheckpoint, formatNote, parseNote, signNoteLine } from '../../src/checkpoint/index.js';
import { decodeLogRecord, encodeLogRecord } from '../../src/format/log-record.js';
import { archiveLatestCheckpoint } from '../../src/ledger/archive.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { verifyLogStore } from '../../src/verify/log-store-verify.js';
import { HAVE_OPENSSL, type LocalTsa, localTsa, OPENSSL } from '../helpers/local-tsa.js';
import { seededSigner } from '../helpers/world.js';
import { codeOf, growTo, makeWorld, ORIGIN, type ProofWorld, removeTempDirs, tempDir } from './helpers.js';

afterAll(removeTempDirs);

let tsa: LocalTsa;
const pem = (f: string) =>
  new Uint8Array(execFileSync(OPENSSL, ['x509', '-in', f, '-outform', 'DER'], { stdio: 'pipe' }));
const askTsa = async (request: Uint8Array) =>
  new Uint8Array(execFileSync('/bin/sh', ['-c', tsa.command], { input: request, stdio: 'pipe' }));

beforeAll(() => {
  if (HAVE_OPENSSL) tsa = localTsa(tempDir('custody-archive-tsa-'));
});

const verify = (w: ProofWorld, tsaRoots: Uint8Array[] = []) =>
  verifyLogStore(w.store, { trustedKeys: [w.authority.publicKey], tsaRoots });
const codes = async (w: ProofWorld, roots: Uint8Array[] = []) =>
  (await verify(w, roots)).report.problems.map((p) => p.code);

describe('archived checkpoints', () => {
  it('the log archives its latest checkpoint; the next checkpoint covers it; verify accepts it', async () => {
    const w = await makeWorld();
    await growTo(w, 5);
    await signLogCheckpoint(w.view, w.log);
    const a = await archiveLatestCheckpoint(w.ledger, w.view);
    expect(a).toMatchObject({ size: 5, submitted: { index: 5 } });
    expect(a.genTime).toBeUndefined();
    const at = await w.view.entryAt(5);
    expect('record' in at && at.record.kind === 'checkpoint' && at.record.note).toBe(
      await w.view.checkpoint(5),
    );
    await expect(w.view.statementAt(5)).rejects.toMatchObject({ code: 'NOT_A_STATEMENT' });
    await growTo(w, 8);
    await signLogCheckpoint(w.view, w.log);
    const r = await verify(w);
    expect(r.report.problems).toEqual([]);
    expect(r.archived).toEqual([{ index: 5, size: 5, timestamped: false }]);
  });

  it('nothing to archive before the first checkpoint', async () => {
    const w = await makeWorld();
    expect(await codeOf(() => archiveLatestCheckpoint(w.ledger, w.view))).toBe('CHECKPOINT_UNKNOWN');
  });

  it('a note the log key did not sign, of another log, or of another history fails as ARCHIVED_CHECKPOINT_INVALID', async () => {
    const forger = seededSigner('archive forger');
    const cases: [string, (w: ProofWorld) => Promise<string>][] = [
      [
        'signed by another key',
        async (w) => {
          const text = formatCheckpoint({ origin: ORIGIN, size: 3, root: await w.view.rootAt(3) });
          return formatNote(text, [signNoteLine(text, ORIGIN, forger)]);
        },
      ],
      [
        'a root the tree never had, signed by the log key',
        async () => {
          const text = formatCheckpoint({ origin: ORIGIN, size: 3, root: new Uint8Array(32).fill(7) });
          return formatNote(text, [signNoteLine(text, ORIGIN, seededSigner('proofs log'))]);
        },
      ],
      [
        'a size beyond the record',
        async (w) => {
          const text = formatCheckpoint({ origin: ORIGIN, size: 40, root: await w.view.rootAt(3) });
          return formatNote(text, [signNoteLine(text, ORIGIN, w.log)]);
        },
      ],
      [
        'another origin',
        async (w) => {
          const text = formatCheckpoint({
            origin: 'elsewhere.example/log',
            size: 3,
            root: await w.view.rootAt(3),
          });
          return formatNote(text, [signNoteLine(text, 'elsewhere.example/log', w.log)]);
        },
      ],
    ];
    for (const [what, make] of cases) {
      const w = await makeWorld();
      await growTo(w, 4);
      await w.ledger.appendRecord(encodeLogRecord({ kind: 'checkpoint', note: await make(w) }));
      expect(await codes(w), what).toEqual(['ARCHIVED_CHECKPOINT_INVALID']);
    }
  });

  it('a record that does not decode is RECORD_MALFORMED; an unknown record kind only INCOMPLETE', async () => {
    const w = await makeWorld();
    await growTo(w, 4);
    await w.ledger.appendRecord(utf8('not a record'));
    const r = await verify(w);
    expect(r.report.problems.map((p) => p.code)).toEqual(['RECORD_MALFORMED']);
    expect(() => decodeLogRecord(utf8('x'))).toThrow(expect.objectContaining({ code: 'RECORD_MALFORMED' }));
  });
});

describe.skipIf(!HAVE_OPENSSL)('archived checkpoints with RFC 3161 tokens (local OpenSSL TSA)', () => {
  it('the token dates the archived checkpoint, verifies against the pinned root, and passes openssl ts -verify', async () => {
    const w = await makeWorld();
    await growTo(w, 6);
    const { note } = await signLogCheckpoint(w.view, w.log);
    const chain = [pem(tsa.tsaCert), pem(tsa.rootCert)];
    const a = await archiveLatestCheckpoint(w.ledger, w.view, { tsa: askTsa, tsaChain: chain });
    expect(a.genTime).toBeInstanceOf(Date);
    await signLogCheckpoint(w.view, w.log);

    const r = await verify(w, [pem(tsa.rootCert)]);
    expect(r.report.problems).toEqual([]);
    expect(r.timestamps).toEqual([
      expect.objectContaining({
        index: 6,
        size: 6,
        genTime: a.genTime!.toISOString(),
        tsa: 'O=Custody Test, CN=Local Test TSA',
      }),
    ]);

    // Not pinned: the token dates nothing, and says so; the verdict does not change.
    const unpinned = await verify(w);
    expect(unpinned.report.ok).toBe(true);
    expect(unpinned.report.problems.map((p) => [p.code, p.severity])).toEqual([
      ['TIMESTAMP_NOT_CHECKED', 'warning'],
    ]);
    expect(unpinned.timestamps).toEqual([]);

    // Pinned to another root: TIMESTAMP_INVALID.
    const other = localTsa(tempDir('custody-archive-other-'));
    expect(await codes(w, [pem(other.rootCert)])).toEqual(['TIMESTAMP_INVALID']);

    // OpenSSL's own verifier accepts the token over the checkpoint text.
    const at = await w.view.entryAt(6);
    if (!('record' in at) || at.record.kind !== 'checkpoint' || !at.record.timestamp)
      throw new Error('no token logged');
    const dir = tempDir('custody-archive-openssl-');
    writeFileSync(join(dir, 'checkpoint.txt'), parseNote(note).text);
    writeFileSync(join(dir, 'token.der'), at.record.timestamp);
    const out = execFileSync(
      OPENSSL,
      [
        'ts',
        '-verify',
        '-data',
        'checkpoint.txt',
        '-in',
        'token.der',
        '-token_in',
        '-CAfile',
        tsa.rootCert,
        '-untrusted',
        tsa.tsaCert,
      ],
      { cwd: dir, stdio: 'pipe' },
    ).toString();
    expect(out).toMatch(/Verification: OK/);
  });

  it('a TSA answer over other data is refused before anything is logged', async () => {
    const w = await makeWorld();
    await growTo(w, 4);
    await signLogCheckpoint(w.view, w.log);
    const other = await askTsa(
      (await import('../../src/time/timestamp-request.js')).createTimestampRequest(utf8('other data'))
        .request,
    );
    const code = await codeOf(() =>
      archiveLatestCheckpoint(w.ledger, w.view, {
        tsa: async () => other,
        tsaChain: [pem(tsa.tsaCert), pem(tsa.rootCert)],
      }),
    );
    expect(code).toBe('TIMESTAMP_IMPRINT_MISMATCH');
    expect(w.ledger.size).toBe(4);
  });
});
