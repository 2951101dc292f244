/**
 * The console output of libewf's ewfacquire and ewfverify, saved to a file
 * (docs/ACQUISITION-LOGS.md §ewfacquire and ewfverify). Both print their name and version on
 * a line of its own, the digests as "<ALG> hash calculated over data:<TABs><hex>" (ewfverify
 * also "<ALG> hash stored in file:<TABs><hex|N/A>") and end with "<tool>: SUCCESS" or
 * "<tool>: FAILURE". Lines before the version line (a shell prompt, the command) are not read.
 */
import { DIGEST_LABEL, DigestCollector } from './digests.js';
import {
  type DigestName,
  type Digests,
  type LogFormat,
  logInvalid,
  type ReportedDevice,
  type ReportedDigests,
  VERSION_TOKEN,
} from './reported.js';
import type { LogLine } from './text.js';

const VERSION_LINE = /^(ewfacquire|ewfverify) (\S+)$/;

/** The index of every ewfacquire/ewfverify version line: how parse-log recognises the format. */
export const ewfVersionLines = (lines: readonly LogLine[]): number[] =>
  lines.flatMap((l, i) => (VERSION_LINE.test(l.text) ? [i] : []));

const STATUS_LINE = /^(ewfacquire|ewfverify): (.*)$/;
const HASH_LINE = /^(MD5|SHA1|SHA256|SHA512) hash (calculated over data|stored in file):[ \t]*(.*)$/;
/** A line that reads as a digest line; if HASH_LINE does not match it, the log is refused. */
const HASH_LIKE = /^(?:MD-?5|SHA-?1|SHA-?256|SHA-?512)[ \t]+hash\b/i;
const DEVICE_LINE = /^(Model|Serial|Media size):(.*)$/;
const MEDIA_SIZE = /^[^()]*\(([0-9]{1,16}) bytes\)$/;

const NAMES: Readonly<Record<string, DigestName>> = {
  MD5: 'md5',
  SHA1: 'sha1',
  SHA256: 'sha256',
  SHA512: 'sha512',
};

export function parseEwfLog(lines: readonly LogLine[]): ReportedDigests {
  const versions = ewfVersionLines(lines);
  const first = versions[0];
  if (first === undefined)
    throw logInvalid('acquisition log', undefined, 'no ewfacquire or ewfverify version line');
  const match = VERSION_LINE.exec(lines[first]?.text ?? '');
  const tool = match?.[1] === 'ewfverify' ? 'ewfverify' : 'ewfacquire';
  const format: LogFormat = `${tool} output`;
  const version = match?.[2] ?? '';
  if (!VERSION_TOKEN.test(version))
    throw logInvalid(format, lines[first]?.no, 'the version is not a version number');
  const second = versions[1];
  if (second !== undefined)
    throw logInvalid(
      format,
      lines[second]?.no,
      `a second version line: one log holds one run (the first is line ${lines[first]?.no})`,
    );

  const calculated = new DigestCollector(format, 'calculated');
  const stored = new DigestCollector(format, 'stored');
  const device: ReportedDevice = {};
  const deviceLines = new Map<string, LogLine>();
  let status: { word: string; line: LogLine } | undefined;

  for (const line of lines.slice(first + 1)) {
    const text = line.text;
    const hash = HASH_LINE.exec(text);
    if (hash !== null) {
      if (status !== undefined)
        throw logInvalid(format, line.no, `a digest line after the "${tool}: ${status.word}" line`);
      const name = NAMES[hash[1] ?? ''] ?? 'md5';
      const value = (hash[3] ?? '').trim();
      const isStored = hash[2] === 'stored in file';
      if (isStored && tool === 'ewfacquire')
        throw logInvalid(format, line.no, 'a "hash stored in file" line, which only ewfverify prints');
      // "N/A": the image holds no such digest (stored) or none was asked for; not a value.
      if (value === 'N/A') continue;
      (isStored ? stored : calculated).add(name, value, line.no);
      continue;
    }
    if (HASH_LIKE.test(text)) throw logInvalid(format, line.no, 'a digest line of an unknown form');
    const st = STATUS_LINE.exec(text);
    if (st !== null) {
      if (st[1] !== tool) throw logInvalid(format, line.no, `a status line of ${st[1]} in ${tool} output`);
      if (status !== undefined)
        throw logInvalid(format, line.no, `a second status line (the first is line ${status.line.no})`);
      const word = (st[2] ?? '').trim();
      if (word !== 'SUCCESS' && word !== 'FAILURE')
        throw logInvalid(format, line.no, 'a status other than SUCCESS or FAILURE');
      status = { word, line };
      continue;
    }
    const dev = DEVICE_LINE.exec(text);
    if (dev !== null) readDeviceLine(format, dev[1] ?? '', (dev[2] ?? '').trim(), line, device, deviceLines);
  }

  if (status === undefined)
    throw logInvalid(format, undefined, `truncated: no "${tool}: SUCCESS" or "${tool}: FAILURE" line`);
  if (tool === 'ewfacquire' && status.word === 'FAILURE')
    throw logInvalid(format, status.line.no, 'the log reports that the acquisition failed');
  if (calculated.size === 0 && stored.size === 0)
    throw logInvalid(format, undefined, 'no MD5, SHA1, SHA256 or SHA512 hash calculated over data');

  const media = mediaDigests(calculated, stored);
  const result: ReportedDigests = { tool, version, media };
  if (tool === 'ewfverify') result.verification = verification(status.word, calculated, stored);
  if (Object.keys(device).length > 0) result.device = device;
  return result;
}

/**
 * What the data hashes to: the calculated digests; a digest only stored (the run did not
 * recompute it) is the acquisition's claim and is reported as such.
 */
function mediaDigests(calculated: DigestCollector, stored: DigestCollector): Digests {
  const media = stored.digests();
  Object.assign(media, calculated.digests());
  return media;
}

/** ewfverify's outcome: FAILURE, or any stored digest that differs from the calculated one, fails. */
function verification(
  word: string,
  calculated: DigestCollector,
  stored: DigestCollector,
): 'verified' | 'failed' {
  if (word !== 'SUCCESS') return 'failed';
  for (const name of Object.keys(DIGEST_LABEL) as DigestName[]) {
    const s = stored.get(name);
    const c = calculated.get(name);
    if (s !== undefined && c !== undefined && s.some((b, i) => b !== c[i])) return 'failed';
  }
  return 'verified';
}

function readDeviceLine(
  format: LogFormat,
  key: string,
  value: string,
  line: LogLine,
  device: ReportedDevice,
  seen: Map<string, LogLine>,
): void {
  const before = seen.get(key);
  if (before !== undefined)
    throw logInvalid(format, line.no, `a second "${key}" line (the first is line ${before.no})`);
  seen.set(key, line);
  if (value === '') return; // ewfacquire prints the label with nothing after it when the device does not say.
  if (key === 'Model') device.model = value;
  else if (key === 'Serial') device.serial = value;
  else {
    const size = MEDIA_SIZE.exec(value);
    const n = size === null ? Number.NaN : Number(size[1]);
    if (!Number.isSafeInteger(n))
      throw logInvalid(format, line.no, 'the media size is not "… (<bytes> bytes)"');
    device.size = n;
  }
}
