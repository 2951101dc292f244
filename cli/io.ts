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
  /** The access key file that signs reads from a ledger server. */
  accessKey?: string;
  /** The purpose stated with reads from a ledger server (its access log keeps it). */
  purpose?: string;
  /** Against a server: wait for the witness quorum before an append is acknowledged. */
  witnessed?: boolean;
  /** A local ledger locked by another process is tried again for this many seconds (--wait). */
  wait?: number;
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
    else human();
  }
}

export { toBase64 as b64, toHex as hex } from '../src/bytes.js';
