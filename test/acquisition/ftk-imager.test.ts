import { describe, expect, it } from 'vitest';
import { parseAcquisitionLog } from '../../src/acquisition/parse-log.js';
import { bytesOf, damage, hex, refusal, sampleBytes, sampleText } from './samples.js';

/** The sample as text, without its byte order mark, CRLF kept. */
const FTK = sampleText('ftk-imager-4.7.1.2.txt').replace(/^\uFEFF/, '');

describe('FTK Imager report', () => {
  it('reads the version, the computed hashes, the verification, the segments and the device', () => {
    const r = parseAcquisitionLog(sampleBytes('ftk-imager-4.7.1.2.txt'));
    expect(r.tool).toBe('ftk-imager');
    expect(r.version).toBe('4.7.1.2');
    expect(hex(r.media.md5)).toBe('1f3870be274f6c49b3e31a0c6728957f');
    expect(hex(r.media.sha1)).toBe('0a4d55a8d778e5022fab701977c5d840bbc486d0');
    expect(r.verification).toBe('verified');
    expect(r.segments).toEqual([
      'D:\\cases\\2026-117\\usb01.E01',
      'D:\\cases\\2026-117\\usb01.E02',
      'D:\\cases\\2026-117\\usb01.E03',
    ]);
    expect(r.device).toEqual({
      model: 'SanDisk Cruzer Blade USB Device',
      serial: '4C530001230512108291',
      size: 31266816 * 512,
    });
  });

  it('reads the same from UTF-8 with a byte order mark, UTF-8 with LF, and Windows-1252', () => {
    const withBom = parseAcquisitionLog(sampleBytes('ftk-imager-4.7.1.2.txt'));
    expect(parseAcquisitionLog(bytesOf(FTK.replace(/\r\n/g, '\n')))).toEqual(withBom);
    const cp1252 = sampleBytes('ftk-imager-4.7.1.2-cp1252.txt');
    expect(cp1252.indexOf(0xae)).toBeGreaterThan(0); // the ® as the single Windows-1252 byte
    expect(parseAcquisitionLog(cp1252)).toEqual(withBom);
  });

  it('records a checksum that does not match as a failed verification', () => {
    const r = parseAcquisitionLog(sampleBytes('ftk-imager-mismatch.txt'));
    expect(r.verification).toBe('failed');
    expect(hex(r.media.md5)).toBe('1f3870be274f6c49b3e31a0c6728957f');
  });

  it('fails a verification whose value differs even when it says verified', () => {
    const text = damage(
      FTK,
      '0a4d55a8d778e5022fab701977c5d840bbc486d0 : verified',
      '1a4d55a8d778e5022fab701977c5d840bbc486d0 : verified',
    );
    expect(parseAcquisitionLog(bytesOf(text)).verification).toBe('failed');
  });

  it('has no verification when the report has no verification block', () => {
    const r = parseAcquisitionLog(bytesOf(FTK.slice(0, FTK.indexOf('Image Verification Results:'))));
    expect(r.verification).toBeUndefined();
    expect(r.segments).toHaveLength(3);
  });

  it('refuses damage, each with its own message', () => {
    const cases: [string | Uint8Array, string][] = [
      [damage(FTK, 'FTK® Imager 4.7.1.2', 'FTK® Imager'), 'FTK Imager report, line 1: the first line is not'],
      [
        damage(
          FTK,
          ' MD5 checksum:    1f3870be274f6c49b3e31a0c6728957f\r\n',
          ' MD5 checksum:    1f3870be274f6c49b3e31a0c672895\r\n',
        ),
        'line 32: the MD5 value has 30 hex digits, expected 32',
      ],
      [
        damage(FTK, '[Computed Hashes]\r\n', ''),
        'line 31: a checksum outside [Computed Hashes] and Image Verification Results',
      ],
      [
        FTK.slice(0, FTK.indexOf('[Computed Hashes]')),
        'FTK Imager report: truncated: no [Computed Hashes] block',
      ],
      [
        damage(FTK, /\[Computed Hashes\]\r\n.*\r\n.*\r\n/, '[Computed Hashes]\r\n'),
        'line 31: truncated: [Computed Hashes] lists no checksum',
      ],
      [
        FTK.slice(0, FTK.indexOf(' Verification started:')),
        'truncated: Image Verification Results lists no checksum',
      ],
      [
        damage(
          FTK,
          ' SHA1 checksum:   0a4d55a8d778e5022fab701977c5d840bbc486d0\r\n',
          ' SHA1 checksum:   0a4d55a8d778e5022fab701977c5d840bbc486d0\r\n MD5 checksum:    9e107d9d372bb6826bd81d3542a419d6\r\n',
        ),
        'line 34: a second computed MD5 value differs from the one on line 32',
      ],
      [
        damage(
          FTK,
          '1f3870be274f6c49b3e31a0c6728957f : verified',
          '1f3870be274f6c49b3e31a0c6728957f verified',
        ),
        'line 46: a verification checksum is not "<hex> : <outcome>"',
      ],
      [
        damage(
          FTK,
          ' SHA1 checksum:   0a4d55a8d778e5022fab701977c5d840bbc486d0 :',
          ' SHA256 checksum: 0a4d55a8d778e5022fab701977c5d840bbc486d0 :',
        ),
        'line 47: the SHA256 value has 40 hex digits, expected 64',
      ],
      [
        damage(FTK, '  D:\\cases\\2026-117\\usb01.E02', '  D:\\cases\\2026-117\\usb01.E01'),
        'line 40: a segment is listed twice',
      ],
      [
        damage(FTK, / {2}D:.*E01\r\n {2}D:.*E02\r\n {2}D:.*E03\r\n/, ''),
        'line 38: the Segment list names no file',
      ],
      [
        damage(FTK, ' Sector Count: 31,266,816', ' Sector Count: 31,266,8160'),
        'line 23: the Sector Count is not a number',
      ],
      [
        damage(FTK, ' Sector count:    31266816', ' Sector count:    31266817'),
        'line 30: a second Sector count differs from the one on line 23',
      ],
      [
        damage(
          FTK,
          ' MD5 checksum:    1f3870be274f6c49b3e31a0c6728957f\r\n',
          ' MD-5 checksum:    1f3870be274f6c49b3e31a0c6728957f\r\n',
        ),
        'line 32: a checksum line of an unknown form',
      ],
      [
        damage(FTK, 'Mon Dec 07 09:12:40 2026', 'Mon Dec 07 09:12:40 2026\u202E'),
        'line 36: the line contains U+202E',
      ],
      [
        damage(FTK, ' SHA1 checksum:   0a4d55a8d778e5022fab701977c5d840bbc486d0\r\n\r\n', '\r\n'),
        'line 42: the verification lists a SHA1 checksum, which [Computed Hashes] does not',
      ],
      [
        new Uint8Array([...sampleBytes('ftk-imager-4.7.1.2-cp1252.txt'), 0x81]),
        'neither UTF-8 nor Windows-1252',
      ],
      [
        new Uint8Array([0xef, 0xbb, 0xbf, ...sampleBytes('ftk-imager-4.7.1.2-cp1252.txt')]),
        'acquisition log: the file is not UTF-8 text',
      ],
    ];
    for (const [text, message] of cases) expect(refusal(text)).toContain(message);
  });
});
