/**
 * custody — command-line interface. Thin: parse, call the library, render,
 * and map errors to exit codes in one place (./exit.ts).
 */

import { CustodyError } from '../src/errors.js';
import { accessCommands } from './commands/access.js';
import { adminCommands } from './commands/admin.js';
import { auditCommands } from './commands/audit.js';
import { bundleCommands } from './commands/bundle.js';
import { demoCommand } from './commands/demo.js';
import { evidenceCommands } from './commands/evidence.js';
import { exportCommand } from './commands/export.js';
import { identifyCommand } from './commands/identify.js';
import { journeyCommand } from './commands/journey.js';
import { keyCommands } from './commands/keys.js';
import { labelCommand } from './commands/label.js';
import { peerCommands } from './commands/peers.js';
import { privacyCommands } from './commands/privacy.js';
import { proofCommands } from './commands/proofs.js';
import { queryCommands } from './commands/queries.js';
import { receiptCommands } from './commands/receipt.js';
import { refreshCommand } from './commands/refresh.js';
import { repairCommand } from './commands/repair.js';
import { resolveCommand } from './commands/resolve.js';
import { serveCommand } from './commands/serve.js';
import { submitCommand } from './commands/submit.js';
import { tilesCommand } from './commands/tiles.js';
import { verifierCommand } from './commands/verifier.js';
import { verifyCommands } from './commands/verify.js';
import { witnessCommands } from './commands/witness.js';
import { classify, EXIT, isVerdictFailure } from './exit.js';
import { makeProgram } from './program.js';

const program = makeProgram((p, run) => {
  keyCommands(p, run);
  adminCommands(p, run);
  accessCommands(p, run);
  evidenceCommands(p, run);
  peerCommands(p, run);
  submitCommand(p, run);
  privacyCommands(p, run);
  resolveCommand(p, run);
  queryCommands(p, run);
  identifyCommand(p, run);
  verifyCommands(p, run);
  proofCommands(p, run);
  witnessCommands(p, run);
  tilesCommand(p, run);
  receiptCommands(p, run);
  auditCommands(p, run);
  repairCommand(p, run);
  serveCommand(p, run);
  exportCommand(p, run);
  labelCommand(p, run);
  refreshCommand(p, run);
  bundleCommands(p, run);
  journeyCommand(p, run);
  verifierCommand(p, run);
  demoCommand(p, run);
});

// `custody log | head`: a closed pipe ends the output, not the process with a stack trace.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

const debug = process.argv.includes('--debug');
// Read from argv, not from the parsed options: a usage error can end parsing before they exist.
const json = process.argv.slice(2).includes('--json');
try {
  await program.parseAsync(process.argv);
} catch (e) {
  const f = classify(e);
  const code = (e as { code?: string }).code;
  // Help asked for (--help) or the version: success. Help shown because a
  // subcommand is missing (`custody`, `custody key`): a usage error.
  if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exitCode = EXIT.ok;
  else if (code === 'commander.help') process.exitCode = process.argv[2] === 'help' ? EXIT.ok : EXIT.usage;
  else {
    const hint = code?.startsWith('commander.') ? ' (see custody --help)' : '';
    // --json: a command that ends before its result (a verdict prints its own
    // document first) still answers with exactly one JSON document.
    // A command that stopped half-way says what it did before (details.partial, e.g. submit).
    const partial = e instanceof CustodyError ? e.details['partial'] : undefined;
    if (json && !isVerdictFailure(f.code))
      process.stdout.write(
        `${JSON.stringify({ ok: false, error: { code: f.code, message: f.message }, ...(partial === undefined ? {} : { partial }) })}\n`,
      );
    process.stderr.write(`custody: ${f.message}${hint} [${f.code}]\n`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = f.exitCode;
  }
}
