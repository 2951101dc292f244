/**
 * Output conventions (docs/CLI.md §Output): results go to stdout — human text,
 * or with --json exactly one JSON document and nothing else; progress, notes and
 * errors go to stderr; --quiet silences notes. Byte strings in JSON are base64
 * for keys and signatures and hex for hashes, as documented per command.
 */
export interface GlobalOptions {
  ledger: string;
  json: boolean;
  quiet: boolean;
  debug: boolean;
  passphraseFile?: string;
}

export class Output {
  constructor(readonly opts: GlobalOptions) {}

  /** A human line on stdout (suppressed in --json mode). */
  line(s = '') {
    if (!this.opts.json) process.stdout.write(`${s}\n`);
  }
  /** A note on stderr (suppressed by --quiet and --json). */
  note(s: string) {
    if (!this.opts.quiet && !this.opts.json) process.stderr.write(`${s}\n`);
  }
  /** A warning on stderr (always shown, even with --quiet). */
  warn(s: string) {
    process.stderr.write(`custody: warning: ${s}\n`);
  }
  /** The command's result: JSON document in --json mode, else the human rendering. */
  result(json: unknown, human: () => void) {
    if (this.opts.json) process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    else if (!this.opts.quiet) human();
  }
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** UTC time as ISO 8601 with a Z, plus the signer's local time in its zone. */
export function fmtTime(ms: number, tz?: string): string {
  const utc = new Date(ms).toISOString().replace('.000Z', 'Z');
  if (!tz || tz === 'UTC') return utc;
  try {
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(ms));
    return `${utc} (${local} ${tz})`;
  } catch {
    return `${utc} (${tz})`;
  }
}

export function fmtDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}
