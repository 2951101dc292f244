import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAcquisitionLog } from '../../src/acquisition/parse-log.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { bytesOf, crlf, damage, hex, refusal, sampleBytes, sampleText } from './samples.js';

const HD = sampleText('hashdeep-md5-sha256.txt');
const ROW1 =
  '3,b345e1dc09f20fdefdea469f09167892,1eb7c54d52831bbfe8942af0b1c56b7409523a59ed6ca99c1174fef7eb32c1b5,/cases/2026-117/export/notes, draft.txt';

/** hashdeep on PATH (Debian's hashdeep package, which CI installs), or undefined. */
const HASHDEEP = (() => {
  try {
    return execFileSync('which', ['hashdeep'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

describe('hashdeep file', () => {
  it('reads every row, a file name with a comma whole, and no media digest', () => {
    const r = parseAcquisitionLog(sampleBytes('hashdeep-md5-sha256.txt'));
    expect(r.tool).toBe('hashdeep');
    expect(r.version).toBe('HASHDEEP-1.0');
    expect(r.media).toEqual({});
    expect(r.files?.map((f) => [f.path, f.size, hex(f.digests.md5), Object.keys(f.digests).sort()])).toEqual([
      ['/cases/2026-117/export/notes, draft.txt', 3, 'b345e1dc09f20fdefdea469f09167892', ['md5', 'sha256']],
      [
        '/cases/2026-117/export/photos/IMG_0001.JPG',
        8,
        'ac7aab330c691e8fb36395be26216554',
        ['md5', 'sha256'],
      ],
    ]);
  });

  it('reads the same from CRLF, and columns in the order the header gives', () => {
    expect(parseAcquisitionLog(bytesOf(crlf(HD)))).toEqual(parseAcquisitionLog(bytesOf(HD)));
    const text = [
      '%%%% HASHDEEP-1.0',
      '%%%% sha1,size,tiger,filename',
      `${'ab'.repeat(20)},12,${'cd'.repeat(24)},C:\\evidence\\a.bin`,
      '',
    ].join('\n');
    const r = parseAcquisitionLog(bytesOf(text));
    expect(r.files).toEqual([
      { path: 'C:\\evidence\\a.bin', size: 12, digests: { sha1: new Uint8Array(20).fill(0xab) } },
    ]);
  });

  it('keeps one of two identical rows', () => {
    expect(parseAcquisitionLog(bytesOf(`${HD}${ROW1}\n`)).files).toHaveLength(2);
  });

  it('refuses damage, each with its own message', () => {
    const cases: [string, string][] = [
      [
        damage(HD, '%%%% HASHDEEP-1.0', '%%%% HASHDEEP-2.0'),
        'hashdeep file, line 1: the first line is not "%%%% HASHDEEP-1.0"',
      ],
      ['%%%% HASHDEEP-1.0\n', 'hashdeep file: truncated: no column line after the header'],
      [
        damage(HD, '%%%% size,md5,sha256,filename', 'size,md5,sha256,filename'),
        'line 2: the second line is not "%%%% <columns>"',
      ],
      [
        damage(HD, '%%%% size,md5,sha256,filename', '%%%% size,md5,sha256'),
        'line 2: the last column is not "filename"',
      ],
      [
        damage(HD, '%%%% size,md5,sha256,filename', '%%%% size,md5,sha512,filename'),
        'line 2: an unknown column',
      ],
      [
        damage(HD, '%%%% size,md5,sha256,filename', '%%%% size,md5,md5,filename'),
        'line 2: the column md5 is named twice',
      ],
      [damage(HD, '%%%% size,md5,sha256,filename', '%%%% md5,sha256,filename'), 'line 2: no size column'],
      [
        damage(HD, '%%%% size,md5,sha256,filename', '%%%% size,tiger,filename'),
        'line 2: no md5, sha1 or sha256 column',
      ],
      [HD.slice(0, HD.indexOf('3,b345')), 'hashdeep file: truncated: the file lists no file'],
      [damage(HD, ROW1, '3,b345e1dc09f20fdefdea469f09167892'), 'line 6: the row has 2 fields, expected 4'],
      [
        damage(HD, ROW1, ROW1.replace(/draft\.txt$/, '').replace(/,\/cases.*$/, ',')),
        'line 6: the file name is empty',
      ],
      [damage(HD, ROW1, ROW1.replace(/^3,/, '-3,')), 'line 6: the size is not a whole number of bytes'],
      [damage(HD, ROW1, ROW1.replace(/^3,/, '03,')), 'line 6: the size is not a whole number of bytes'],
      [
        damage(HD, ROW1, ROW1.replace(/^3,/, '99999999999999999,')),
        'line 6: the size is not a whole number of bytes',
      ],
      [
        damage(HD, ROW1, ROW1.replace('b345e1dc', 'b345e1d')),
        'line 6: the md5 value has 31 hex digits, expected 32',
      ],
      [damage(HD, ROW1, ROW1.replace('1eb7c54d', '1eb7c54x')), 'line 6: the sha256 value is not hexadecimal'],
      [`${HD}${ROW1.replace(/^3,/, '4,')}\n`, 'line 8: the file of line 6 is listed again with other values'],
      [`${HD}## late comment\n`, 'line 8: a comment line after the first file row'],
      [`${HD}${HD}`, 'line 8: a second header: one file holds one run'],
      [`${HD}\n`, 'line 8: a blank line (hashdeep writes none)'],
      [damage(HD, 'draft.txt', 'draft\u202Etxt.exe'), 'line 6: the line contains U+202E'],
    ];
    for (const [text, message] of cases) expect(refusal(text)).toContain(message);
  });

  it.skipIf(HASHDEEP === undefined)(
    HASHDEEP === undefined
      ? 'parses what the real hashdeep writes (skipped: no hashdeep on PATH; Debian package "hashdeep")'
      : 'parses what the real hashdeep writes',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'custody-hashdeep-'));
      try {
        mkdirSync(join(dir, 'sub'));
        const files: [string, Uint8Array][] = [
          ['a.bin', bytesOf('hello')],
          ['sub/b, with comma.txt', bytesOf('x')],
          ['empty', new Uint8Array(0)],
        ];
        for (const [name, data] of files) writeFileSync(join(dir, name), data);
        const out = execFileSync(HASHDEEP ?? 'hashdeep', ['-c', 'md5,sha1,sha256', '-r', '-l', '.'], {
          cwd: dir,
        });
        const r = parseAcquisitionLog(new Uint8Array(out));
        const got = new Map((r.files ?? []).map((f) => [f.path, f]));
        expect(got.size).toBe(files.length);
        for (const [name, data] of files) {
          const f = got.get(`./${name}`);
          expect(f?.size).toBe(data.length);
          expect(hex(f?.digests.sha256)).toBe(hex(sha256(data)));
          expect(Object.keys(f?.digests ?? {}).sort()).toEqual(['md5', 'sha1', 'sha256']);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
