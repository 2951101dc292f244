/**
 * Bundles the command-line tool into one file, dist/cli/main.js (over the entry tsc compiled),
 * with esbuild (docs/ARCHITECTURE.md §Dependencies). Why: Node loads an ES module file by file,
 * and the CLI's graph is some 280 files (our layers, commander, pkijs, asn1js, noble); loading
 * them took about 0.5 s of every command's start, one bundle about 0.2 s
 * (docs/PERFORMANCE.md §Starting the CLI). Forensic staff run commands in scripts, and the end
 * to end tests run the CLI thousands of times.
 *
 * Left outside the bundle, and loaded from node_modules as before:
 *   level, classic-level  a native LevelDB add-on;
 *   msgpackr              it probes for its optional native extension at load;
 *   pdfkit                it reads its font metrics from files beside its own code;
 *   fastify               the server, loaded only by `custody serve` and the demo.
 * The other modules run as compiled, so the bundle behaves as `tsc`'s output does; the same
 * tests run against it. Dynamic imports stay lazy (code splitting): `custody serve` and the demo
 * load the server and fastify, `report --format pdf` loads pdfkit, nothing else does. The chunks
 * sit in dist/cli/chunks/, as deep as dist/cli/commands/, so a file found by `import.meta.url`
 * (cli/commands/verifier.ts: ../../verifier/) is found from either.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIR = join(root, 'dist', 'cli');

export async function buildCli(outdir = CLI_DIR): Promise<void> {
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'cli', 'main.ts')],
    outdir,
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['level', 'classic-level', 'msgpackr', 'pdfkit', 'fastify'],
    // A CommonJS dependency inside an ES module bundle asks for `require` (Node built-ins).
    banner: {
      js: "import { createRequire as __custodyRequire } from 'node:module';\nconst require = __custodyRequire(import.meta.url);",
    },
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
