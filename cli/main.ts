#!/usr/bin/env node
/**
 * custody — command-line entry point. `custody --version` answers without
 * loading the library (scripts call it to probe for the tool); everything else
 * loads the command tree in ./run.ts.
 */
import { VERSION } from './version.js';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(`${VERSION}\n`);
else await import('./run.js');
