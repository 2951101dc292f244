/**
 * The command tree. Every leaf command accepts the global options too, so
 * `custody verify --json` and `custody --json verify` mean the same.
 */
import { Command, Option } from 'commander';
import { type GlobalOptions, Output } from './io.js';

export type Action = (...args: never[]) => Promise<void>;
export type Runner = (cmd: Command, action: Action) => Command;

import { VERSION } from './version.js';

export { VERSION };

function globals(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--ledger <dir>', 'ledger directory').env('CUSTODY_LEDGER').default('./custody-ledger'),
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
  }>();
  const g: GlobalOptions = { ledger: o.ledger, json: !!o.json, quiet: !!o.quiet, debug: !!o.debug };
  if (o.passphraseFile) g.passphraseFile = o.passphraseFile;
  return g;
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
      await (action as (...a: unknown[]) => Promise<void>)(...args.slice(0, -1), out);
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
