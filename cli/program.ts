/**
 * The command tree. Every leaf command accepts the global options too, so
 * `custody verify --json` and `custody --json verify` mean the same.
 */
import { Command, Option } from 'commander';
import { CustodyError } from '../src/errors.js';
import { setLockOwnerCommand } from '../src/store/level-open.js';
import { type GlobalOptions, Output } from './io.js';

export type Action = (...args: never[]) => Promise<void>;
export type Runner = (cmd: Command, action: Action) => Command;

import { VERSION } from './version.js';

export { VERSION };

function globals(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--ledger <dir | url>', 'ledger directory, or a ledger server https://host:port')
        .env('CUSTODY_LEDGER')
        .default('./custody-ledger'),
    )
    .addOption(
      new Option('--access-key <file>', 'access key that signs reads from a ledger server').env(
        'CUSTODY_ACCESS_KEY',
      ),
    )
    .addOption(
      new Option('--purpose <text>', "why you read (kept in the server's access log)").env('CUSTODY_PURPOSE'),
    )
    .option(
      '--witnessed',
      "against a server: acknowledge appends only once its witnesses' quorum cosigned them",
    )
    .option(
      '--wait <seconds>',
      'a local ledger locked by another process: try again for up to this many seconds (default 0: fail at once)',
    )
    .option('--json', 'machine-readable result on stdout, nothing else on stdout')
    .option('--quiet', 'print only results and errors')
    .option('--debug', 'show stack traces on errors')
    .option(
      '--passphrase-file <file>',
      'read key passphrases from this file (else $CUSTODY_PASSPHRASE, else prompt)',
    );
}

export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<{
    ledger: string;
    json?: boolean;
    quiet?: boolean;
    debug?: boolean;
    passphraseFile?: string;
    accessKey?: string;
    purpose?: string;
    witnessed?: boolean;
    wait?: string;
  }>();
  const g: GlobalOptions = { ledger: o.ledger, json: !!o.json, quiet: !!o.quiet, debug: !!o.debug };
  if (o.passphraseFile) g.passphraseFile = o.passphraseFile;
  if (o.accessKey) g.accessKey = o.accessKey;
  if (o.purpose) g.purpose = o.purpose;
  if (o.witnessed) g.witnessed = true;
  if (o.wait !== undefined) g.wait = parseWait(o.wait);
  // Who holds a ledger, as the lock message names it (src/store/level-open.ts).
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  setLockOwnerCommand(['custody', ...names].join(' '));
  return g;
}

/** --wait <seconds>: a non-negative number of seconds, at most a day. */
export function parseWait(input: string): number {
  const s = input.trim();
  const n = Number(s);
  if (!/^\d+(\.\d+)?$/.test(s) || !Number.isFinite(n) || n > 86_400)
    throw new CustodyError(
      'USAGE',
      `--wait takes a number of seconds from 0 to 86400, not ${input}`,
      'input',
    );
  return n;
}

/**
 * Options and arguments that carry text the CLI signs into the ledger, or text
 * it looks up among signed text (an exhibit label, an actor name). They are
 * normalised to NFC here, the one place where user input enters the CLI
 * (docs/FORMAT.md §Text): the same label typed on a Mac (often NFD) and on
 * Linux or Windows (usually NFC) then signs, and finds, the same bytes. The
 * library and the verifier never normalise: they judge bytes only. Paths, key
 * material and the ASCII-only origin are left alone: a file name is looked up
 * exactly as typed.
 */
export const TEXT_OPTIONS: ReadonlySet<string> = new Set([
  'action',
  'case',
  'description',
  'exhibit',
  'legalBasis',
  'location',
  'method',
  'name',
  'note',
  'org',
  'parent',
  'reason',
  'recipient',
  'seal',
  'to',
  'tool',
]);
export const TEXT_ARGUMENTS: ReadonlySet<string> = new Set(['exhibit', 'actor']);

const nfc = (v: unknown): unknown =>
  typeof v === 'string'
    ? v.normalize('NFC')
    : Array.isArray(v)
      ? v.map((x) => (typeof x === 'string' ? x.normalize('NFC') : x))
      : v;

/** The action's arguments with the text options and arguments normalised to NFC. */
export function normaliseText(command: Command, args: unknown[]): unknown[] {
  return args.map((a, i) => {
    const argument = command.registeredArguments[i];
    if (argument !== undefined) return TEXT_ARGUMENTS.has(argument.name()) ? nfc(a) : a;
    if (i !== args.length - 1 || a === null || typeof a !== 'object') return a;
    // The last argument before the Command is the options object.
    return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, TEXT_OPTIONS.has(k) ? nfc(v) : v]));
  });
}

export function makeProgram(register: (program: Command, run: Runner) => void): Command {
  const program = globals(new Command('custody'))
    .description(
      'Evidence chain-of-custody ledger: signed, hash-chained, verifiable custody records for digital evidence',
    )
    .version(VERSION, '--version', 'print the version')
    .exitOverride()
    // Usage errors are printed once, as one line, by main.ts like every other error.
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} });
  const run: Runner = (cmd, action) => {
    globals(cmd).exitOverride();
    cmd.action(async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const out = new Output(globalOptions(command));
      await (action as (...a: unknown[]) => Promise<void>)(...normaliseText(command, args.slice(0, -1)), out);
    });
    return cmd;
  };
  register(program, run);
  program.commands.forEach(function quiet(c: Command) {
    c.exitOverride().configureOutput({ outputError: () => {} });
    c.commands.forEach(quiet);
  });
  return program;
}
