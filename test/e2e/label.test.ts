/**
 * custody label (docs/CLI.md §custody label): the PNG's QR code, decoded by an independent
 * reader (jsqr over pngjs), gives back the ledger's origin and the exhibit id; the PDF is a
 * PDF qpdf finds nothing wrong with; files are never overwritten, an unknown extension is a
 * usage error; and the same label comes from a ledger server.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { decodeLabelPayload } from '../../src/label/qr-payload.js';
import {
  buildWorld,
  custody,
  EXHIBIT_ID,
  evidenceFile,
  expectFailure,
  HEX32,
  json,
  removeTempDirs,
  type World,
} from './helpers.js';
import { makeLab, type Server, startServer } from './server-helpers.js';

afterAll(removeTempDirs);

interface LabelJson {
  exhibit: string;
  exhibitId: string;
  label: string;
  caseRef: string;
  ledgerName: string;
  origin: string;
  payload: string;
  out: string;
  format: 'pdf' | 'png';
  bytes: number;
}

/** The text of the one QR code in a PNG, read by jsqr (not the library that drew it). */
function readQr(file: string): string {
  const png = PNG.sync.read(readFileSync(file));
  // jsqr is CommonJS with its function as `default` too: the typed way in under nodenext.
  const code = jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height);
  expect(code, 'a QR code is found in the PNG').not.toBeNull();
  return code!.data;
}

const hasQpdf = (() => {
  try {
    execFileSync('qpdf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('custody label', () => {
  let w: World;
  // An origin with ':' in it: the payload's separator must not be confused by it.
  const origin = 'e2e.custody.example:8443/labels';

  beforeAll(async () => {
    w = await buildWorld(origin);
  }, 120_000);

  it('writes a PNG whose QR code decodes back to the origin and the registration hash', async () => {
    const out = join(w.dir, 'HDD-01.png');
    const j = await json<LabelJson>(['label', 'hdd-01', '--out', out], { ledger: w.ledger });
    expect(j).toMatchObject({
      exhibit: w.exhibit,
      exhibitId: w.exhibitId,
      label: 'HDD-01',
      caseRef: 'JIT-2026-017',
      ledgerName: origin,
      origin,
      out,
      format: 'png',
    });
    expect(j.exhibit).toMatch(EXHIBIT_ID);
    expect(j.exhibitId).toMatch(HEX32);
    expect(readFileSync(out).length).toBe(j.bytes);
    const text = readQr(out);
    expect(text).toBe(j.payload);
    expect(text).toBe(`custody:1:${origin}:${w.exhibitId}`);
    const decoded = decodeLabelPayload(text);
    expect(decoded.origin).toBe(origin);
    expect(toHex(decoded.exhibit)).toBe(w.exhibitId);
  });

  it('writes a PDF label that qpdf checks clean', async () => {
    const out = join(w.dir, 'HDD-01.pdf');
    const r = await custody(['label', w.exhibit, '--out', out], { ledger: w.ledger });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote ${out}: label of ${w.exhibit} (HDD-01, case JIT-2026-017), PDF`);
    const pdf = readFileSync(out);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    if (hasQpdf) {
      expect(execFileSync('qpdf', ['--check', out], { encoding: 'utf8' })).toContain(
        'No syntax or stream encoding errors found',
      );
      expect(execFileSync('qpdf', ['--show-npages', out], { encoding: 'utf8' }).trim()).toBe('1');
    }
  });

  it('never writes over a file, and refuses an extension it cannot write', async () => {
    const taken = join(w.dir, 'taken.png');
    writeFileSync(taken, 'mine');
    expectFailure(await custody(['label', w.exhibit, '--out', taken], { ledger: w.ledger }), {
      exit: 2,
      code: 'FILE_EXISTS',
      message: taken,
    });
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    const svg = join(w.dir, 'label.svg');
    expectFailure(await custody(['label', w.exhibit, '--out', svg], { ledger: w.ledger }), {
      exit: 2,
      code: 'USAGE',
      message: '.pdf',
    });
    expect(existsSync(svg)).toBe(false);
    expectFailure(
      await custody(['label', 'NO-SUCH-LABEL', '--out', join(w.dir, 'x.png')], { ledger: w.ledger }),
      { exit: 2, code: 'EXHIBIT_UNKNOWN' },
    );
    expect(existsSync(join(w.dir, 'x.png'))).toBe(false);
  });
});

describe('custody label against a ledger server', () => {
  let server: Server | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('prints the same label as the ledger directory would', async () => {
    const lab = await makeLab();
    const reg = await json<{ exhibit: string; exhibitId: string }>(
      [
        'register',
        evidenceFile(lab.dir, 'phone.bin'),
        '--key',
        lab.people.police.key,
        '--case',
        'JIT-2026-017',
        '--exhibit',
        'PHONE-01',
        '--description',
        'seized phone',
      ],
      { ledger: lab.ledger },
    );
    server = await startServer(lab.ledger, lab.people.log.key);
    const out = join(lab.dir, 'phone.png');
    const j = await json<LabelJson>(['label', 'PHONE-01', '--out', out], {
      ledger: server.url,
      env: { CUSTODY_ACCESS_KEY: lab.access.police, CUSTODY_PURPOSE: 'bag label' },
    });
    expect(j).toMatchObject({ exhibit: reg.exhibit, exhibitId: reg.exhibitId, origin: 'lab.example/ledger' });
    expect(readQr(out)).toBe(`custody:1:lab.example/ledger:${reg.exhibitId}`);
  }, 120_000);
});
