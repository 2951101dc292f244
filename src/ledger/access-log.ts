/**
 * The access log of a ledger server (docs/SERVER.md §The access log;
 * Directive (EU) 2016/680 Art. 25: consultation and disclosure are logged
 * with who, when, why and to whom). One JSON object per line, hash-chained:
 *
 *   {"seq":n,"time":"<ISO 8601 UTC>","key":"<hex access key id>","actor":"<hex statement key id>"|null,
 *    "name":"<credential name>"|null,"purpose":"<stated purpose>"|null,"what":"<what was read>",
 *    "prev":"<hex hash of line n-1; 64 zeros for the first>","hash":"<hex>"}
 *
 *   hash = SHA-256("custody/access-log/v1\n" ‖ the line's JSON without its "hash" member, keys in the order above)
 *
 * A line changed, removed, reordered or inserted breaks the chain at that
 * point (`verifyAccessLog`). Security assumption and limit: the chain shows
 * tampering by anyone who does not rewrite every later line; whoever holds
 * the file can rewrite it whole, so the head hash (`custody access-log`
 * prints it) must be kept elsewhere too to make the whole log evident.
 * Pure: lines in, lines out.
 */
import { toHex, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { CustodyError } from '../errors.js';

export interface AccessRecord {
  seq: number;
  time: string;
  key: string;
  actor: string | null;
  name: string | null;
  purpose: string | null;
  what: string;
  prev: string;
  hash: string;
}

export type AccessFields = Pick<AccessRecord, 'time' | 'key' | 'actor' | 'name' | 'purpose' | 'what'>;

export const GENESIS_PREV = '0'.repeat(64);
const DOMAIN = 'custody/access-log/v1\n';

function hashOf(r: Omit<AccessRecord, 'hash'>): string {
  const body = JSON.stringify({
    seq: r.seq,
    time: r.time,
    key: r.key,
    actor: r.actor,
    name: r.name,
    purpose: r.purpose,
    what: r.what,
    prev: r.prev,
  });
  return toHex(sha256(utf8(DOMAIN + body)));
}

/** The next line of the chain after `last` (undefined for the first), without its newline. */
export function nextAccessLine(
  last: AccessRecord | undefined,
  f: AccessFields,
): { record: AccessRecord; line: string } {
  const base = { ...f, seq: last ? last.seq + 1 : 0, prev: last ? last.hash : GENESIS_PREV };
  const record: AccessRecord = {
    seq: base.seq,
    time: base.time,
    key: base.key,
    actor: base.actor,
    name: base.name,
    purpose: base.purpose,
    what: base.what,
    prev: base.prev,
    hash: hashOf(base),
  };
  return { record, line: JSON.stringify(record) };
}

const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

/**
 * Checks a whole access log (its text) and returns its records. Throws
 * ACCESS_LOG_BROKEN (verification) at the first line that does not follow.
 */
export function verifyAccessLog(text: string): AccessRecord[] {
  const out: AccessRecord[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    const broken = (why: string) =>
      new CustodyError('ACCESS_LOG_BROKEN', `access log line ${i + 1}: ${why}`, 'verification', {
        line: i + 1,
      });
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw broken('not JSON');
    }
    const r = v as Record<string, unknown>;
    if (
      typeof v !== 'object' ||
      v === null ||
      r['seq'] !== i ||
      !str(r['time']) ||
      !str(r['key']) ||
      !strOrNull(r['actor']) ||
      !strOrNull(r['name']) ||
      !strOrNull(r['purpose']) ||
      !str(r['what']) ||
      !str(r['prev']) ||
      !str(r['hash'])
    )
      throw broken('not an access record in sequence');
    const rec = v as AccessRecord;
    if (rec.prev !== (out[i - 1]?.hash ?? GENESIS_PREV)) throw broken('does not follow the line before');
    if (nextAccessLine(out[i - 1], rec).line !== line) throw broken('its hash or encoding is wrong');
    out.push(rec);
  });
  return out;
}
