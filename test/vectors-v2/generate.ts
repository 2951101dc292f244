/**
 * Test-vector generator for format version 2 (docs/FORMAT.md §Test vectors).
 *
 *   npx tsx test/vectors-v2/generate.ts      (also: npm run vectors:v2)
 *
 * Writes, next to this file:
 *   - statements.json: signed statements of every kind; statements decoding,
 *                      the kinds table or signature checking must refuse;
 *                      openings of commitments, valid and invalid;
 *   - entries.json:    valid entries (the largest among them) and refused ones;
 *   - map.json:        a small state map, its roots, proofs and refused proofs;
 *   - logs.json:       a short valid log built with the Sequencer, and invalid
 *                      logs (small edits of it) with the problems the replay
 *                      reports.
 * Everything is deterministic: seeded keys (Ed25519 signatures are
 * deterministic), seeded salts, fixed times and a clock the generator sets.
 * Output is reproducible: keys sorted, fixed indentation, ASCII only.
 *
 * Every expected code is written here by hand, from the documents, and the
 * generator checks it against the library; a disagreement is printed as a
 * deviation (vectors.test.ts lists the known ones and checks them as failing).
 * vectors.test.ts calls buildVectorsV2() and compares with the committed files.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildEntries } from './entries.js';
import { type Json, renderJson } from './json.js';
import { buildLogs } from './logs.js';
import { buildMap } from './map.js';
import { buildStatements } from './statements.js';

export { type Json, renderJson } from './json.js';

export interface VectorFilesV2 {
  statements: Json;
  entries: Json;
  map: Json;
  logs: Json;
  /** Where the library disagrees with an expected code (empty when it agrees everywhere). */
  deviations: string[];
}

/** Builds the four vector files (as JSON values; render with renderJson). */
export async function buildVectorsV2(): Promise<VectorFilesV2> {
  const statements = buildStatements();
  const logs = await buildLogs();
  const entries = buildEntries(
    logs.log.entries.map((e) => ({ index: e.index, kind: e.kind, entry: e.entry })),
  );
  const map = buildMap();
  return {
    statements: statements.json,
    entries: entries.json,
    map: map.json,
    logs: logs.json,
    deviations: [...statements.deviations, ...entries.deviations, ...map.deviations, ...logs.deviations],
  };
}

const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
export const VECTOR_PATHS_V2 = {
  statements: here('statements.json'),
  entries: here('entries.json'),
  map: here('map.json'),
  logs: here('logs.json'),
} as const;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const v = await buildVectorsV2();
  for (const name of ['statements', 'entries', 'map', 'logs'] as const) {
    const text = renderJson(v[name]);
    writeFileSync(VECTOR_PATHS_V2[name], text);
    console.log(`wrote ${name}.json (${text.length} bytes)`);
  }
  for (const d of v.deviations) console.warn(`deviation: ${d}`);
}
