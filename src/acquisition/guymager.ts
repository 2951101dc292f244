/**
 * Guymager's ".info" file (docs/ACQUISITION-LOGS.md §Guymager), as Guymager 0.8 writes it in
 * English. It is a list of "Key<spaces>: value" rows at the start of a line, free text (the
 * output of smartctl and hdparm, the image meta data the examiner typed) indented below them,
 * and a few sentences. Only unindented rows are read, so nothing an examiner typed and no
 * other program's output can pass for one of Guymager's own rows.
 */
import { DigestCollector } from './digests.js';
import {
  type DigestName,
  logInvalid,
  type ReportedDevice,
  type ReportedDigests,
  VERSION_TOKEN,
} from './reported.js';
import { firstNonBlank, type LogLine } from './text.js';

const FORMAT = 'Guymager .info file';

export const GUYMAGER_TITLE = 'GUYMAGER ACQUISITION INFO FILE';

/** An unindented row: a key of letters, digits and spaces, a colon, the value. */
const ROW = /^([A-Za-z][A-Za-z0-9 ]{0,40}):(.*)$/;
const HASH_ROW = /^(MD5|SHA1|SHA256) hash( verified source| verified image)?$/;
const HASH_LIKE = /^(?:MD-?5|SHA-?1|SHA-?256|SHA-?512)\b.*hash/i;
const SENTENCE = /^(Image|Source) verification (OK|FAILED)\b/;
const FILE_LIST_HEADER = /^MD5[ \t]+Image file[ \t]*$/;
const FILE_LIST_ROW = /^(?:n\/a|[0-9A-Fa-f]{32})[ \t]+(\S.*)$/;
const DEVICE_SIZE = /^([0-9]{1,16})(?: \([^()]*\))?$/;

const NAMES: Readonly<Record<string, DigestName>> = { MD5: 'md5', SHA1: 'sha1', SHA256: 'sha256' };

/** The rows whose value is read; any other row is not. */
const READ = new Set([
  'Version',
  'Device size',
  'Model',
  'Serial number',
  'State',
  'Source verification',
  'Image verification',
]);

export function parseGuymager(lines: readonly LogLine[]): ReportedDigests {
  const start = firstNonBlank(lines);
  const head = lines[start];
  if (head === undefined || head.text.trim() !== GUYMAGER_TITLE)
    throw logInvalid(FORMAT, head?.no, `the first line is not "${GUYMAGER_TITLE}"`);

  const acquired = new DigestCollector(FORMAT, 'acquisition');
  const checks = {
    source: new DigestCollector(FORMAT, 'source verification'),
    image: new DigestCollector(FORMAT, 'image verification'),
  };
  const rows = new Map<string, { value: string; line: number }>();
  const hashRows = new Set<string>();
  const outcomes: { kind: string; ok: boolean }[] = [];
  const segments: string[] = [];
  const segmentSet = new Set<string>(); // a Set: a hostile file may list a quarter of a million names
  let inFileList = false;

  for (const line of lines.slice(start + 1)) {
    const text = line.text;
    if (inFileList) {
      const f = FILE_LIST_ROW.exec(text);
      if (f !== null) {
        const name = (f[1] ?? '').trim();
        if (segmentSet.has(name)) throw logInvalid(FORMAT, line.no, 'an image file is listed twice');
        segments.push(name);
        segmentSet.add(name);
        continue;
      }
      inFileList = false;
    }
    if (FILE_LIST_HEADER.test(text)) {
      inFileList = true;
      continue;
    }
    const sentence = SENTENCE.exec(text);
    if (sentence !== null) {
      outcomes.push({ kind: sentence[1] ?? '', ok: sentence[2] === 'OK' });
      continue;
    }
    const row = ROW.exec(text);
    if (row === null) {
      if (HASH_LIKE.test(text)) throw logInvalid(FORMAT, line.no, 'a hash row of an unknown form');
      continue;
    }
    const key = (row[1] ?? '').trim();
    const value = (row[2] ?? '').trim();
    const hash = HASH_ROW.exec(key);
    if (hash !== null) {
      if (hashRows.has(key)) throw logInvalid(FORMAT, line.no, `a second "${key}" row`);
      hashRows.add(key);
      if (value === '--') continue; // Guymager's mark for a digest it did not compute.
      const name = NAMES[hash[1] ?? ''] ?? 'md5';
      const to =
        hash[2] === undefined ? acquired : hash[2] === ' verified source' ? checks.source : checks.image;
      to.add(name, value, line.no);
      continue;
    }
    if (HASH_LIKE.test(key)) throw logInvalid(FORMAT, line.no, 'a hash row of an unknown form');
    if (!READ.has(key)) continue;
    const before = rows.get(key);
    if (before !== undefined && before.value !== value)
      throw logInvalid(FORMAT, line.no, `a second "${key}" row differs from the one on line ${before.line}`);
    if (before === undefined) rows.set(key, { value, line: line.no });
  }

  const version = rows.get('Version');
  if (version === undefined) throw logInvalid(FORMAT, undefined, 'no "Version" row in the Guymager block');
  if (!VERSION_TOKEN.test(version.value))
    throw logInvalid(FORMAT, version.line, 'the version is not a version number');
  const state = rows.get('State');
  if (state === undefined)
    throw logInvalid(FORMAT, undefined, 'truncated: no "State" row (the acquisition did not end)');
  if (!state.value.startsWith('Finished successfully'))
    throw logInvalid(FORMAT, state.line, 'the acquisition did not finish successfully');
  for (const name of ['MD5 hash', 'SHA1 hash', 'SHA256 hash'])
    if (!hashRows.has(name)) throw logInvalid(FORMAT, undefined, `truncated: no "${name}" row`);
  if (acquired.size === 0) throw logInvalid(FORMAT, undefined, 'no MD5, SHA1 or SHA256 hash was computed');

  const result: ReportedDigests = { tool: 'guymager', version: version.value, media: acquired.digests() };
  const verification = outcome(rows, outcomes, acquired, checks);
  if (verification !== undefined) result.verification = verification;
  if (segments.length > 0) result.segments = segments;
  const device = deviceFacts(rows);
  if (device !== undefined) result.device = device;
  return result;
}

/**
 * Failed if Guymager says so, or if a verified digest differs from the acquisition digest
 * (Guymager 0.8 ORs its per-digest matches, so its own sentence can say OK when one differs);
 * verified if it says OK; a verification switched on without a sentence is a truncated file.
 */
function outcome(
  rows: ReadonlyMap<string, { value: string; line: number }>,
  outcomes: readonly { kind: string; ok: boolean }[],
  acquired: DigestCollector,
  checks: Readonly<Record<'source' | 'image', DigestCollector>>,
): 'verified' | 'failed' | undefined {
  let failed = outcomes.some((o) => !o.ok);
  for (const check of [checks.source, checks.image])
    for (const [name, value] of Object.entries(check.digests()) as [DigestName, Uint8Array][]) {
      const a = acquired.get(name);
      if (a === undefined || a.some((b, i) => b !== value[i])) failed = true;
    }
  if (failed) return 'failed';
  for (const kind of ['Source', 'Image']) {
    const on = rows.get(`${kind} verification`);
    if (on?.value === 'on' && !outcomes.some((o) => o.kind === kind))
      throw logInvalid(
        FORMAT,
        on.line,
        `truncated: ${kind.toLowerCase()} verification was on but no outcome is stated`,
      );
  }
  return outcomes.length > 0 ? 'verified' : undefined;
}

function deviceFacts(rows: ReadonlyMap<string, { value: string; line: number }>): ReportedDevice | undefined {
  const out: ReportedDevice = {};
  const model = rows.get('Model')?.value;
  const serial = rows.get('Serial number')?.value;
  if (model) out.model = model;
  if (serial) out.serial = serial;
  const size = rows.get('Device size');
  if (size !== undefined) {
    const m = DEVICE_SIZE.exec(size.value);
    const n = m === null ? Number.NaN : Number(m[1]);
    if (!Number.isSafeInteger(n))
      throw logInvalid(FORMAT, size.line, 'the device size is not "<bytes> (<size>)"');
    out.size = n;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
