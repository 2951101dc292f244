/**
 * The text report FTK Imager writes beside an image, "<image>.txt" (docs/ACQUISITION-LOGS.md
 * §FTK Imager). Read: the first line (product and version), the "[Computed Hashes]" block,
 * the "Image Verification Results:" block, the "Segment list:" block and four device lines.
 * Everything else (case information, times, geometry we do not need) is not read.
 */
import { DIGEST_LABEL, DigestCollector } from './digests.js';
import { logInvalid, type ReportedDevice, type ReportedDigests, VERSION_TOKEN } from './reported.js';
import { firstNonBlank, type LogLine, parseCount } from './text.js';

const FORMAT = 'FTK Imager report';

/** The first line. The ® signs are optional: a report saved without them still names the product. */
const CREATED_BY = /^Created By (?:AccessData|Exterro)\u00AE? FTK\u00AE? Imager (\S+)[ \t]*$/;

/** How parse-log recognises the format: the first line that is not blank. */
export const looksLikeFtkImager = (firstLine: string): boolean =>
  /^Created By (?:AccessData|Exterro)/.test(firstLine);

const CHECKSUM = /^[ \t]*(MD5|SHA1|SHA256) checksum:(.*)$/;
const CHECKSUM_LIKE = /^[ \t]*(?:MD-?5|SHA-?1|SHA-?256|SHA-?512)\b.*checksum/i;
const VERIFIED_VALUE = /^([0-9A-Fa-f]+) : (.+)$/;
const KEY_VALUE = /^[ \t]+([A-Za-z][A-Za-z ]{0,40}):(.*)$/;

const NAMES = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256' } as const;

type Block = 'none' | 'computed' | 'verification' | 'segments';

export function parseFtkImager(lines: readonly LogLine[]): ReportedDigests {
  const start = firstNonBlank(lines);
  const head = lines[start];
  const created = CREATED_BY.exec(head?.text ?? '');
  if (head === undefined || created === null)
    throw logInvalid(
      FORMAT,
      head?.no,
      'the first line is not "Created By AccessData® FTK® Imager <version>"',
    );
  const version = created[1] ?? '';
  if (!VERSION_TOKEN.test(version)) throw logInvalid(FORMAT, head.no, 'the version is not a version number');

  const computed = new DigestCollector(FORMAT, 'computed');
  const verified = new DigestCollector(FORMAT, 'verification');
  const device = new DeviceFacts();
  const segments: string[] = [];
  const segmentSet = new Set<string>(); // a Set: a hostile file may list a quarter of a million names
  let block: Block = 'none';
  let computedAt: number | undefined;
  let verificationAt: number | undefined;
  let segmentListAt: number | undefined;
  let segmentIndent = 0;
  let failed = false;

  for (const line of lines.slice(start + 1)) {
    const text = line.text;
    const trimmed = text.trim();
    if (block === 'segments') {
      // A segment: a line indented deeper than "Segment list:" (FTK writes each file's full path).
      if (trimmed !== '' && indent(text) > segmentIndent) {
        if (segmentSet.has(trimmed)) throw logInvalid(FORMAT, line.no, 'a segment is listed twice');
        segments.push(trimmed);
        segmentSet.add(trimmed);
        continue;
      }
      block = 'none';
    }
    if (trimmed === '') {
      if (block !== 'none') block = 'none';
      continue;
    }
    if (trimmed === '[Computed Hashes]') {
      if (computedAt !== undefined)
        throw logInvalid(
          FORMAT,
          line.no,
          `a second [Computed Hashes] block (the first is line ${computedAt})`,
        );
      computedAt = line.no;
      block = 'computed';
      continue;
    }
    if (trimmed === 'Image Verification Results:') {
      if (verificationAt !== undefined)
        throw logInvalid(
          FORMAT,
          line.no,
          `a second Image Verification Results block (the first is line ${verificationAt})`,
        );
      verificationAt = line.no;
      block = 'verification';
      continue;
    }
    if (trimmed === 'Segment list:') {
      if (segmentListAt !== undefined)
        throw logInvalid(FORMAT, line.no, `a second Segment list (the first is line ${segmentListAt})`);
      segmentListAt = line.no;
      segmentIndent = indent(text);
      block = 'segments';
      continue;
    }
    if (trimmed.startsWith('[')) block = 'none';
    const sum = CHECKSUM.exec(text);
    if (sum !== null) {
      const name = NAMES[(sum[1] ?? 'MD5') as keyof typeof NAMES];
      const value = (sum[2] ?? '').trim();
      if (block === 'computed') computed.add(name, value, line.no);
      else if (block === 'verification') {
        const v = VERIFIED_VALUE.exec(value);
        if (v === null)
          throw logInvalid(FORMAT, line.no, 'a verification checksum is not "<hex> : <outcome>"');
        verified.add(name, v[1] ?? '', line.no);
        // "verified" is the one word of success; any other word (FTK's "does NOT match")
        // is taken as a failure, so an outcome we do not know is never read as a pass.
        if ((v[2] ?? '').trim().toLowerCase() !== 'verified') failed = true;
      } else
        throw logInvalid(
          FORMAT,
          line.no,
          'a checksum outside [Computed Hashes] and Image Verification Results',
        );
      continue;
    }
    if (CHECKSUM_LIKE.test(text)) throw logInvalid(FORMAT, line.no, 'a checksum line of an unknown form');
    const kv = KEY_VALUE.exec(text);
    if (kv !== null) device.read(kv[1] ?? '', (kv[2] ?? '').trim(), line.no);
  }

  if (computedAt === undefined) throw logInvalid(FORMAT, undefined, 'truncated: no [Computed Hashes] block');
  if (computed.size === 0)
    throw logInvalid(FORMAT, computedAt, 'truncated: [Computed Hashes] lists no checksum');
  if (segmentListAt !== undefined && segments.length === 0)
    throw logInvalid(FORMAT, segmentListAt, 'the Segment list names no file');

  const result: ReportedDigests = { tool: 'ftk-imager', version, media: computed.digests() };
  if (verificationAt !== undefined) {
    if (verified.size === 0)
      throw logInvalid(FORMAT, verificationAt, 'truncated: Image Verification Results lists no checksum');
    for (const [name, value] of Object.entries(verified.digests()) as [
      keyof typeof result.media,
      Uint8Array,
    ][]) {
      const c = computed.get(name);
      if (c === undefined)
        throw logInvalid(
          FORMAT,
          verificationAt,
          `the verification lists a ${DIGEST_LABEL[name]} checksum, which [Computed Hashes] does not`,
        );
      // The report's own numbers disagree: the image does not hold what was acquired.
      if (c.some((b, i) => b !== value[i])) failed = true;
    }
    result.verification = failed ? 'failed' : 'verified';
  }
  if (segments.length > 0) result.segments = segments;
  const facts = device.facts(FORMAT);
  if (facts !== undefined) result.device = facts;
  return result;
}

const indent = (text: string): number => text.length - text.trimStart().length;

/** The device lines of the report; each may appear more than once, but always with one value. */
class DeviceFacts {
  private readonly seen = new Map<string, { value: string; line: number }>();

  read(key: string, value: string, line: number): void {
    const k = key.trim().toLowerCase();
    if (!['drive model', 'drive serial number', 'sector count', 'bytes per sector'].includes(k)) return;
    const count = k === 'sector count' || k === 'bytes per sector';
    const normal = count ? String(parseCount(value) ?? Number.NaN) : value;
    if (count && normal === 'NaN') throw logInvalid(FORMAT, line, `the ${key.trim()} is not a number`);
    const before = this.seen.get(k);
    if (before === undefined) this.seen.set(k, { value: normal, line });
    else if (before.value !== normal)
      throw logInvalid(FORMAT, line, `a second ${key.trim()} differs from the one on line ${before.line}`);
  }

  facts(format: typeof FORMAT): ReportedDevice | undefined {
    const out: ReportedDevice = {};
    const model = this.seen.get('drive model')?.value;
    const serial = this.seen.get('drive serial number')?.value;
    if (model) out.model = model;
    if (serial) out.serial = serial;
    const sectors = this.seen.get('sector count');
    const bytes = this.seen.get('bytes per sector');
    if (sectors !== undefined && bytes !== undefined) {
      const size = Number(sectors.value) * Number(bytes.value);
      if (!Number.isSafeInteger(size))
        throw logInvalid(format, sectors.line, 'the sector count times the sector size is too large');
      out.size = size;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}
