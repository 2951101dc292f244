/** The sample logs of test/acquisition/samples/ and helpers to damage them. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseAcquisitionLog } from '../../src/acquisition/parse-log.js';
import { isCustodyError } from '../../src/errors.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'samples');

export const sampleBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));
export const sampleText = (name: string): string => new TextDecoder().decode(sampleBytes(name));
export const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);
export const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
export const hex = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : Buffer.from(b).toString('hex');

/** Replaces exactly one occurrence of `from`, so a damage test cannot silently damage nothing. */
export function damage(text: string, from: string | RegExp, to: string): string {
  const count =
    typeof from === 'string'
      ? text.split(from).length - 1
      : (text.match(new RegExp(from.source, `${from.flags.replace('g', '')}g`)) ?? []).length;
  expect(count, `the sample holds ${String(from)} once`).toBe(1);
  return text.replace(from, to);
}

/** The message parseAcquisitionLog refuses `text` with; fails the test if it is accepted. */
export function refusal(input: string | Uint8Array): string {
  try {
    parseAcquisitionLog(typeof input === 'string' ? bytesOf(input) : input);
  } catch (e) {
    if (isCustodyError(e) && e.code === 'ACQUISITION_LOG_INVALID' && e.category === 'input') {
      expect(e.message).not.toContain('\n');
      return e.message;
    }
    throw e;
  }
  throw new Error('the log was accepted');
}
