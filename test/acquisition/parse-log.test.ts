import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { HASHDEEP_MAX_BYTES, LOG_MAX_BYTES, parseAcquisitionLog } from '../../src/acquisition/parse-log.js';
import {
  DIGEST_BYTES,
  type DigestName,
  type ReportedDigests,
  VERSION_TOKEN,
} from '../../src/acquisition/reported.js';
import { MAX_LINE_CHARS } from '../../src/acquisition/text.js';
import { isCustodyError } from '../../src/errors.js';
import { bytesOf, refusal, sampleBytes, sampleText } from './samples.js';

const SAMPLES = [
  'ewfacquire-20140608.log',
  'ewfacquire-20140816-sha256.log',
  'ewfverify-success.log',
  'ewfverify-failure.log',
  'ftk-imager-4.7.1.2.txt',
  'ftk-imager-4.7.1.2-cp1252.txt',
  'ftk-imager-mismatch.txt',
  'guymager-0.8.13.info',
  'guymager-verify-failed.info',
  'hashdeep-md5-sha256.txt',
];

/** What every result promises: a version, and digests of the right lengths (media, or hashdeep's files). */
function expectWellFormed(r: ReportedDigests): void {
  expect(r.version).toMatch(VERSION_TOKEN);
  const digestSets = r.tool === 'hashdeep' ? (r.files ?? []).map((f) => f.digests) : [r.media];
  expect(digestSets.length).toBeGreaterThan(0);
  for (const d of digestSets) {
    expect(Object.keys(d).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(d))
      expect(value?.length).toBe(DIGEST_BYTES[name as DigestName]);
  }
  if (r.tool === 'hashdeep') expect(r.media).toEqual({});
  for (const f of r.files ?? []) expect(Number.isSafeInteger(f.size) && f.size >= 0).toBe(true);
}

/** parseAcquisitionLog either returns a well-formed result or throws ACQUISITION_LOG_INVALID; nothing else. */
function parsesOrRefuses(bytes: Uint8Array): void {
  let result: ReportedDigests | undefined;
  try {
    result = parseAcquisitionLog(bytes);
  } catch (e) {
    if (!isCustodyError(e) || e.code !== 'ACQUISITION_LOG_INVALID') throw e;
    expect(e.message).not.toMatch(/[\n\r]/);
    return;
  }
  expectWellFormed(result);
}

describe('parseAcquisitionLog: detection and limits', () => {
  it('detects each sample as its tool', () => {
    const tools = SAMPLES.map((s) => parseAcquisitionLog(sampleBytes(s)).tool);
    expect(tools).toEqual([
      'ewfacquire',
      'ewfacquire',
      'ewfverify',
      'ewfverify',
      'ftk-imager',
      'ftk-imager',
      'ftk-imager',
      'guymager',
      'guymager',
      'hashdeep',
    ]);
    for (const s of SAMPLES) expectWellFormed(parseAcquisitionLog(sampleBytes(s)));
  });

  it('refuses what is no known log, empty input, and text that is not UTF-8', () => {
    expect(refusal('sha256sum output\n')).toBe(
      'acquisition log, line 1: not a known acquisition log (ewfacquire or ewfverify output, an FTK Imager report, a Guymager .info file or a hashdeep file)',
    );
    expect(refusal('')).toContain('not a known acquisition log');
    expect(refusal(new Uint8Array([0x65, 0x77, 0x66, 0xc3, 0x28]))).toBe(
      'acquisition log: the file is not UTF-8 text',
    );
  });

  it('refuses a log over its size limit before reading it', () => {
    const big = new Uint8Array(LOG_MAX_BYTES + 1).fill(0x20);
    big.set(bytesOf('ewfacquire 20140608\n'));
    expect(refusal(big)).toBe(
      `acquisition log: the file is ${LOG_MAX_BYTES + 1} bytes, more than the 1 MiB limit of a log that is not a hashdeep file`,
    );
    const huge = new Uint8Array(HASHDEEP_MAX_BYTES + 1);
    huge.set(bytesOf('%%%% HASHDEEP-1.0\n'));
    expect(refusal(huge)).toBe(
      `acquisition log: the file is ${HASHDEEP_MAX_BYTES + 1} bytes, more than the 64 MiB limit`,
    );
  });

  it('reads a hashdeep file over 1 MiB', () => {
    const row = (i: number) => `${i},${i.toString(16).padStart(32, '0')},/evidence/file-${i}`;
    const rows = Array.from({ length: 30_000 }, (_, i) => row(i));
    const text = ['%%%% HASHDEEP-1.0', '%%%% size,md5,filename', ...rows, ''].join('\n');
    expect(text.length).toBeGreaterThan(LOG_MAX_BYTES);
    expect(parseAcquisitionLog(bytesOf(text)).files).toHaveLength(30_000);
  });

  it('refuses a line longer than the limit, and control characters', () => {
    const long = `ewfacquire 20140608\nNotes: ${'x'.repeat(MAX_LINE_CHARS)}\newfacquire: SUCCESS\n`;
    expect(refusal(long)).toBe(
      `acquisition log, line 2: the line is longer than ${MAX_LINE_CHARS} characters`,
    );
    const withEscape = sampleText('ewfacquire-20140608.log').replace(
      'Acquiry started',
      '\u001b[2KAcquiry started',
    );
    expect(refusal(withEscape)).toContain('line 24: the line contains U+001B');
    expect(refusal(`\uFEFF\uFEFF${sampleText('ewfverify-success.log')}`)).toContain(
      'line 1: the line contains U+FEFF',
    );
  });

  it('refuses two runs in one file', () => {
    const two = sampleText('ewfacquire-20140608.log') + sampleText('ewfverify-success.log');
    expect(refusal(two)).toContain('a second version line');
  });
});

describe('parseAcquisitionLog on hostile input', () => {
  test.prop([fc.uint8Array({ maxLength: 2048 })], { numRuns: 500 })(
    'arbitrary bytes: parsed or refused',
    (b) => {
      parsesOrRefuses(b);
    },
  );

  const prefixes = [
    'ewfacquire 20140608\n',
    'Created By AccessData® FTK® Imager 4.7.1.2\n',
    'GUYMAGER ACQUISITION INFO FILE\n',
    '%%%% HASHDEEP-1.0\n%%%% size,md5,filename\n',
  ];
  test.prop([fc.constantFrom(...prefixes), fc.string({ maxLength: 1024, unit: 'binary' })], { numRuns: 500 })(
    'a known first line and arbitrary text: parsed or refused',
    (prefix, rest) => {
      parsesOrRefuses(bytesOf(prefix + rest));
    },
  );

  test.prop(
    [
      fc.constantFrom(...SAMPLES),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    ],
    { numRuns: 500 },
  )('a sample with bytes changed: parsed or refused', (name, edits) => {
    const b = sampleBytes(name);
    for (const [at, value] of edits) b[at % b.length] = value;
    parsesOrRefuses(b);
  });

  test.prop([fc.constantFrom(...SAMPLES), fc.nat()], { numRuns: 300 })(
    'a sample cut short: parsed or refused',
    (name, at) => {
      const b = sampleBytes(name);
      parsesOrRefuses(b.subarray(0, at % b.length));
    },
  );
});
