/**
 * How the report shows values: times (UTC and the signer's zone), durations,
 * sizes, digests and fingerprints, and text made safe to display. Exported
 * for the renderers and tests, which show the same values the same way.
 */
import { type Language, say, sayCount } from './i18n.js';
import { FORMATTING } from './messages/formatting.js';
import type { DigestRow, DurationText, TimeText } from './model-types.js';

/** Display names of the digest algorithms a registration can record. */
export const DIGEST_NAMES: Record<string, string> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha512: 'SHA-512',
};
const DIGEST_ORDER = ['sha256', 'sha512', 'sha1', 'md5'];

/** "sha256" → "SHA-256". */
export function digestName(alg: string): string {
  return DIGEST_NAMES[alg] ?? alg.toUpperCase();
}

/** Digests in one fixed order (SHA-256 first, MD5 and SHA-1 last), so every rendering lists them alike. */
export function digestRows(d: Record<string, string>): DigestRow[] {
  const rank = (a: string) => {
    const i = DIGEST_ORDER.indexOf(a);
    return i < 0 ? DIGEST_ORDER.length : i;
  };
  return Object.keys(d)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((algorithm) => ({ algorithm, name: digestName(algorithm), hex: d[algorithm] ?? '' }));
}

/**
 * The thousands separator each language prints: a comma in English, a no-break space in
 * French, a full stop in German and Dutch. Fixed here rather than taken from Intl, so a report
 * reads the same on every system.
 */
const THOUSANDS: Readonly<Record<Language, string>> = { en: ',', fr: '\u00a0', de: '.', nl: '.' };

/** 1234567 → "1,234,567" (en), "1 234 567" (fr), "1.234.567" (de, nl). */
export function groupDigits(n: number, lang: Language = 'en'): string {
  const s = String(Math.trunc(Math.abs(n)));
  const out = s.replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS[lang]);
  return n < 0 ? `-${out}` : out;
}

export function sizeText(
  bytes: number,
  lang: Language = 'en',
): { bytes: number; text: string; human: string } {
  const text = sayCount(FORMATTING, lang, 'bytes', bytes, { n: groupDigits(bytes, lang) });
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let human = text;
  if (Number.isFinite(bytes) && bytes >= 1024) {
    let v = bytes / 1024;
    let u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    // The decimal separator of the language: a comma in French, German and Dutch.
    human = `${lang === 'en' ? v.toFixed(2) : v.toFixed(2).replace('.', ',')} ${units[u]}`;
  }
  return { bytes, text, human };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  if (formatters.has(zone)) return formatters.get(zone) ?? null;
  let f: Intl.DateTimeFormat | null = null;
  try {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
  } catch {
    f = null;
  }
  if (formatters.size < 1000) formatters.set(zone, f);
  return f;
}

/** A time in UTC and in `zone` (the signer's declared zone); falls back to UTC if the zone is unknown. */
export function timeText(ms: number, zone = 'UTC'): TimeText {
  const d = new Date(ms);
  if (!Number.isFinite(ms) || Number.isNaN(d.getTime())) {
    const bad = `invalid time (${String(ms)})`;
    return { ms, iso: '', utc: bad, local: bad, zone, zoneKnown: false };
  }
  const frac = d.getUTCMilliseconds() ? `.${pad(d.getUTCMilliseconds(), 3)}` : '';
  const utc = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac} UTC`;
  const iso = d.toISOString();
  if (zone === 'UTC') return { ms, iso, utc, local: utc, zone, zoneKnown: true };
  const f = zoneFormatter(zone);
  if (!f) return { ms, iso, utc, local: `${utc} (time zone ${zone} unknown here)`, zone, zoneKnown: false };
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(d)) parts[p.type] = p.value;
  const offset = (parts['timeZoneName'] ?? 'GMT').replace(/^GMT/, 'UTC');
  const local = `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']}${frac} ${offset === 'UTC' ? 'UTC+00:00' : offset} (${zone})`;
  return { ms, iso, utc, local, zone, zoneKnown: true };
}

export function durationText(ms: number | null, lang: Language = 'en'): DurationText {
  if (ms === null) return { ms, text: say(FORMATTING, lang, 'open') };
  if (!Number.isFinite(ms) || ms < 0)
    return { ms, text: say(FORMATTING, lang, 'invalid', { ms: String(ms) }) };
  const s = Math.floor(ms / 1000);
  if (s === 0) return { ms, text: ms === 0 ? say(FORMATTING, lang, 'sameMoment') : `${ms} ms` };
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (d) parts.push(sayCount(FORMATTING, lang, 'days', d));
  if (h) parts.push(`${h} h`);
  if (m && d < 30) parts.push(`${m} min`);
  if (sec && !d && !h) parts.push(`${sec} s`);
  return { ms, text: parts.join(' ') || '0 s' };
}

const UNSAFE_CHARS =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for display: control characters, bidirectional overrides, invisible
 * formatting characters and lone surrogates are shown as "[U+XXXX]" so that
 * nothing in a record can hide or reorder what the reader sees. Newlines and
 * tabs are kept.
 */
export function visible(s: string): string {
  return s.replace(
    UNSAFE_CHARS,
    (c) => `[U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}]`,
  );
}

/** Fingerprint hex in groups of four. */
export function groupHex(h: string): string {
  return (h.match(/.{1,4}/g) ?? []).join(' ');
}
