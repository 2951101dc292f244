import { describe, expect, it } from 'vitest';
import { parseAcquisitionLog } from '../../src/acquisition/parse-log.js';
import { bytesOf, crlf, damage, hex, refusal, sampleBytes, sampleText } from './samples.js';

const INFO = sampleText('guymager-0.8.13.info');
const SHA256 = '486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7';

describe('Guymager .info file', () => {
  it('reads the version, the acquisition hashes, the image verification, the image files and the device rows, and none of the indented text', () => {
    const r = parseAcquisitionLog(sampleBytes('guymager-0.8.13.info'));
    expect(r.tool).toBe('guymager');
    expect(r.version).toBe('0.8.13-1');
    expect(hex(r.media.md5)).toBe('7d793037a0760186574b0282f2f435e7'); // not the smartctl or Notes lines
    expect(hex(r.media.sha1)).toBe('3c363836cf4e16666669a25da280a1865c2d2874');
    expect(hex(r.media.sha256)).toBe(SHA256);
    expect(r.verification).toBe('verified');
    expect(r.segments).toEqual(['ssd02.E01', 'ssd02.E02']);
    expect(r.device).toEqual({
      model: 'Samsung_SSD_860_EVO_250GB',
      serial: 'S3YJNB0K123456X',
      size: 250059350016,
    });
  });

  it('reads the same from CRLF', () => {
    expect(parseAcquisitionLog(bytesOf(crlf(INFO)))).toEqual(parseAcquisitionLog(bytesOf(INFO)));
  });

  it('records a failed image verification without throwing', () => {
    expect(parseAcquisitionLog(sampleBytes('guymager-verify-failed.info')).verification).toBe('failed');
  });

  it('fails a verified digest that differs even when Guymager says OK', () => {
    const text = damage(
      INFO,
      `SHA256 hash verified image : ${SHA256}`,
      `SHA256 hash verified image : ${'0'.repeat(64)}`,
    );
    expect(parseAcquisitionLog(bytesOf(text)).verification).toBe('failed');
  });

  it('reads "--" as a digest not computed, and no outcome when verification was off', () => {
    let text = damage(INFO, /^SHA1 hash {18}: .*$/m, 'SHA1 hash                  : --');
    text = damage(text, /^SHA1 hash verified image {3}: .*$/m, 'SHA1 hash verified image   : --');
    text = damage(text, 'Image verification      : on', 'Image verification      : off');
    text = damage(text, /^Image verification OK\..*\n/m, '');
    const r = parseAcquisitionLog(bytesOf(text));
    expect(Object.keys(r.media).sort()).toEqual(['md5', 'sha256']);
    expect(r.verification).toBeUndefined();
  });

  it('refuses damage, each with its own message', () => {
    const cases: [string, string][] = [
      [
        damage(INFO, 'Version              : 0.8.13-1\n', ''),
        'Guymager .info file: no "Version" row in the Guymager block',
      ],
      [
        damage(INFO, 'Version              : 0.8.13-1', 'Version              : '),
        'line 7: the version is not a version number',
      ],
      [INFO.slice(0, INFO.indexOf('State:')), 'truncated: no "State" row'],
      [INFO.slice(0, INFO.indexOf('SHA256 hash  ')), 'truncated: no "SHA256 hash" row'],
      [
        damage(INFO, 'State: Finished successfully', 'State: Aborted because of source read error'),
        'line 56: the acquisition did not finish successfully',
      ],
      [
        damage(INFO, /^MD5 hash {19}: \S+/m, 'MD5 hash                   : 7d793037a0760186574b0282f2f435e'),
        'line 58: the MD5 value has 31 hex digits, expected 32',
      ],
      [
        damage(INFO, /^MD5 hash {19}: \S+/m, 'MD5 hash                   : 7d793037a0760186574b0282f2f435eZ'),
        'line 58: the MD5 value is not hexadecimal',
      ],
      [
        damage(
          INFO,
          'State: Finished successfully\n',
          'State: Finished successfully\nMD5 hash : 9e107d9d372bb6826bd81d3542a419d6\n',
        ),
        'line 59: a second "MD5 hash" row',
      ],
      [
        damage(
          INFO,
          'Version              : 0.8.13-1\n',
          'Version              : 0.8.13-1\nVersion : 0.8.12\n',
        ),
        'line 8: a second "Version" row differs from the one on line 7',
      ],
      [
        damage(INFO, /^Image verification OK\..*\n/m, ''),
        'line 53: truncated: image verification was on but no outcome is stated',
      ],
      [
        damage(INFO, 'SHA256 hash verified source: --', 'SHA-256 hash verified source: --'),
        'line 65: a hash row of an unknown form',
      ],
      [damage(INFO, '250059350016 (250.1GB)', '250.1GB'), 'line 39: the device size is not'],
      [
        damage(INFO, /^MD5 hash {19}: \S+/m, 'MD5 hash                   : --')
          .replace(/^SHA1 hash {18}: \S+/m, 'SHA1 hash                  : --')
          .replace(/^SHA256 hash {16}: \S+/m, 'SHA256 hash                : --'),
        'no MD5, SHA1 or SHA256 hash was computed',
      ],
      [
        damage(
          INFO,
          'n/a                               ssd02.E02',
          'n/a                               ssd02.E01',
        ),
        'line 82: an image file is listed twice',
      ],
      [
        damage(INFO, 'GUYMAGER ACQUISITION INFO FILE', 'GUYMAGER ERFASSUNGS-INFODATEI'),
        'not a known acquisition log',
      ],
    ];
    for (const [text, message] of cases) expect(refusal(text)).toContain(message);
  });
});
