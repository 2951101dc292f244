import { describe, expect, it } from 'vitest';
import { parseAcquisitionLog } from '../../src/acquisition/parse-log.js';
import { bytesOf, crlf, damage, hex, refusal, sampleBytes, sampleText } from './samples.js';

const ACQUIRE = sampleText('ewfacquire-20140608.log');
const VERIFY = sampleText('ewfverify-success.log');

describe('ewfacquire output', () => {
  it('reads the version, the digests and the device facts, not the typed notes', () => {
    const r = parseAcquisitionLog(sampleBytes('ewfacquire-20140608.log'));
    expect(r.tool).toBe('ewfacquire');
    expect(r.version).toBe('20140608');
    expect(hex(r.media.md5)).toBe('1f3870be274f6c49b3e31a0c6728957f');
    expect(hex(r.media.sha1)).toBe('0a4d55a8d778e5022fab701977c5d840bbc486d0');
    expect(Object.keys(r.media).sort()).toEqual(['md5', 'sha1']);
    expect(r.verification).toBeUndefined();
    expect(r.device).toEqual({ model: 'Cruzer Blade', serial: '4C530001230512108291', size: 16008609792 });
  });

  it('reads SHA256 and an image file with an empty device block', () => {
    const r = parseAcquisitionLog(sampleBytes('ewfacquire-20140816-sha256.log'));
    expect(r.version).toBe('20140816');
    expect(hex(r.media.sha256)).toBe('eae7ac5a6c3fdefeba94adcb9f73955babaf7ffe4f54f20cb02e0d2cee186475');
    expect(r.device).toEqual({ size: 33554432 });
  });

  it('reads the same from CRLF and from a UTF-8 byte order mark', () => {
    const plain = parseAcquisitionLog(bytesOf(ACQUIRE));
    expect(parseAcquisitionLog(bytesOf(crlf(ACQUIRE)))).toEqual(plain);
    expect(parseAcquisitionLog(bytesOf(`\uFEFF${ACQUIRE}`))).toEqual(plain);
  });

  it('refuses damage, each with its own message', () => {
    const cases: [string, string][] = [
      [damage(ACQUIRE, 'ewfacquire 20140608', 'ewfacquire'), 'not a known acquisition log'],
      [
        damage(ACQUIRE, 'ewfacquire 20140608', 'ewfacquire 2014/06/08'),
        'line 2: the version is not a version number',
      ],
      [`${ACQUIRE}ewfacquire 20140608\n`, 'line 39: a second version line'],
      [
        damage(ACQUIRE, '1f3870be274f6c49b3e31a0c6728957f', '1f3870be274f6c49b3e31a0c6728957'),
        'line 36: the MD5 value has 31 hex digits, expected 32',
      ],
      [
        damage(ACQUIRE, '1f3870be274f6c49b3e31a0c6728957f', '1f3870be274f6c49b3e31a0c6728957g'),
        'line 36: the MD5 value is not hexadecimal',
      ],
      [
        damage(
          ACQUIRE,
          'ewfacquire: SUCCESS',
          'MD5 hash calculated over data:\t\t9e107d9d372bb6826bd81d3542a419d6\newfacquire: SUCCESS',
        ),
        'line 38: a second calculated MD5 value differs from the one on line 36',
      ],
      [
        damage(ACQUIRE, 'ewfacquire: SUCCESS\n', ''),
        'truncated: no "ewfacquire: SUCCESS" or "ewfacquire: FAILURE" line',
      ],
      [
        damage(ACQUIRE, 'ewfacquire: SUCCESS', 'ewfacquire: FAILURE'),
        'line 38: the log reports that the acquisition failed',
      ],
      [
        damage(ACQUIRE, 'ewfacquire: SUCCESS', 'ewfacquire: ABORTED'),
        'line 38: a status other than SUCCESS or FAILURE',
      ],
      [
        damage(ACQUIRE, /MD5 hash calc.*\nSHA1 hash calc.*\n/, ''),
        'no MD5, SHA1, SHA256 or SHA512 hash calculated over data',
      ],
      [
        damage(ACQUIRE, '\nMD5 hash calculated over data:', '\nMD5 hash computed over data:'),
        'line 36: a digest line of an unknown form',
      ],
      [
        damage(ACQUIRE, '\nMD5 hash calculated over data:', '\nMD5 hash stored in file:'),
        'line 36: a "hash stored in file" line, which only ewfverify prints',
      ],
      [
        `${ACQUIRE}MD5 hash calculated over data:\t\t1f3870be274f6c49b3e31a0c6728957f\n`,
        'line 39: a digest line after the "ewfacquire: SUCCESS" line',
      ],
      [damage(ACQUIRE, '16 GB (16008609792 bytes)', '16 GB'), 'line 13: the media size is not'],
      [
        damage(ACQUIRE, 'Model:', 'Model:\t\tOther\nModel:'),
        'line 8: a second "Model" line (the first is line 7)',
      ],
      [
        damage(ACQUIRE, 'ewfacquire: SUCCESS', 'ewfverify: SUCCESS'),
        'line 38: a status line of ewfverify in ewfacquire output',
      ],
    ];
    for (const [text, message] of cases) expect(refusal(text)).toContain(message);
    expect(
      refusal(damage(ACQUIRE, '1f3870be274f6c49b3e31a0c6728957f', '1f3870be274f6c49b3e31a0c6728957')),
    ).toMatch(/^ewfacquire output, line 36: /);
  });
});

describe('ewfverify output', () => {
  it('reports the calculated digests and a pass', () => {
    const r = parseAcquisitionLog(sampleBytes('ewfverify-success.log'));
    expect(r.tool).toBe('ewfverify');
    expect(r.version).toBe('20140816');
    expect(hex(r.media.md5)).toBe('1f3870be274f6c49b3e31a0c6728957f');
    expect(r.verification).toBe('verified');
    expect(parseAcquisitionLog(bytesOf(crlf(VERIFY)))).toEqual(r);
  });

  it('records a failed verification without throwing', () => {
    const r = parseAcquisitionLog(sampleBytes('ewfverify-failure.log'));
    expect(r.verification).toBe('failed');
    expect(hex(r.media.md5)).toBe('9e107d9d372bb6826bd81d3542a419d6');
  });

  it('fails a run that says SUCCESS but whose stored and calculated digests differ', () => {
    const text = damage(
      VERIFY,
      'SHA1 hash calculated over data:\t\t0a4d',
      'SHA1 hash calculated over data:\t\t1a4d',
    );
    expect(parseAcquisitionLog(bytesOf(text)).verification).toBe('failed');
  });

  it('takes N/A as no stored digest', () => {
    const text = damage(
      VERIFY,
      'MD5 hash stored in file:\t\t1f3870be274f6c49b3e31a0c6728957f',
      'MD5 hash stored in file:\t\tN/A',
    );
    const r = parseAcquisitionLog(bytesOf(text));
    expect(r.verification).toBe('verified');
    expect(hex(r.media.md5)).toBe('1f3870be274f6c49b3e31a0c6728957f');
  });

  it('refuses a truncated run and a second stored value', () => {
    expect(refusal(VERIFY.slice(0, VERIFY.indexOf('MD5 hash stored')))).toContain(
      'ewfverify output: truncated: no "ewfverify: SUCCESS"',
    );
    expect(
      refusal(
        damage(
          VERIFY,
          'SHA1 hash stored in file:',
          'MD5 hash stored in file:\t\t9e107d9d372bb6826bd81d3542a419d6\nSHA1 hash stored in file:',
        ),
      ),
    ).toContain('line 12: a second stored MD5 value differs from the one on line 10');
  });
});
