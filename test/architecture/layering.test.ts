/**
 * The layers of docs/ARCHITECTURE.md §Layers, enforced on every .ts file under
 * src/ and cli/:
 *   1. an import points to the importing file's own layer or to a lower one,
 *      never to a higher layer or to another layer of the same rank;
 *   2. no files import each other in a cycle.
 * Type-only imports count for both: a type import still makes one module's
 * meaning depend on another's, and a cycle of them is a cycle for a reader.
 * The list below must be the one the document shows, so the document is
 * checked too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Top to bottom. A layer is a directory of src/ (or cli/ with its
 * subdirectories) or a single file directly under src/. Layers of one rank
 * are peers: none may import another.
 */
const RANKS: readonly (readonly string[])[] = [
  ['cli', 'src/index.ts'],
  ['src/page'],
  ['src/report'],
  ['src/audit'],
  ['src/verify'],
  ['src/bundle'],
  ['src/ledger'],
  ['src/store'],
  ['src/custody'],
  ['src/map'],
  ['src/time'],
  ['src/checkpoint'],
  ['src/files', 'src/keys'],
  ['src/label', 'src/export'],
  ['src/acquisition'],
  ['src/manifest'],
  ['src/names'],
  ['src/format'],
  ['src/merkle'],
  ['src/crypto'],
  ['src/bytes.ts', 'src/errors.ts', 'src/findings.ts'],
  ['src/error-codes.ts', 'src/problem-codes.ts'],
];

const RANK = new Map(RANKS.flatMap((layers, rank) => layers.map((l) => [l, rank] as const)));

/** Repository-relative paths with forward slashes, so messages read the same everywhere. */
const rel = (abs: string) => relative(ROOT, abs).split('\\').join('/');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'cli') return 'cli';
  return parts.length === 2 ? file : `${parts[0]}/${parts[1]}`;
}

// `import … from`, `export … from` (with or without `type`), side-effect imports and dynamic imports.
const FROM =
  /^\s*(?:import|export)\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\}|\w+(?:\s*,\s*(?:\{[^}]*\}|\*\s+as\s+\w+))?)\s+from\s+['"]([^'"]+)['"]/gm;
const BARE = /^\s*import\s+['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every file's relative imports, resolved to repository-relative .ts paths. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const specs = [FROM, BARE, DYNAMIC].flatMap((re) => [...text.matchAll(re)].map((m) => m[1] ?? ''));
    const targets = specs
      .filter((s) => s.startsWith('.'))
      .map((s) => rel(resolve(ROOT, dirname(file), s.replace(/\.js$/, '.ts'))));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** One cycle through each strongly connected component of more than one file (Tarjan), as a file list. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string | undefined;
    do {
      w = stack.pop();
      if (w === undefined) break;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) components.push(component);
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return components.map((c) => cycleWithin(graph, new Set(c)));
}

/** The shortest path from the component's first file back to itself: a concrete cycle to report. */
function cycleWithin(
  graph: ReadonlyMap<string, readonly string[]>,
  component: ReadonlySet<string>,
): string[] {
  const start = [...component].sort()[0] ?? '';
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift() ?? '';
    for (const w of graph.get(v) ?? []) {
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0] ?? start) ?? start);
        return path;
      }
      if (!component.has(w) || previous.has(w)) continue;
      previous.set(w, v);
      queue.push(w);
    }
  }
  return [...component].sort();
}

/** The layer list of the document: the first column of each line of the §Layers diagram. */
function documentedRanks(): string[][] {
  const doc = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = doc.slice(doc.indexOf('\n## Layers\n'));
  const block = section.slice(
    section.indexOf('```\n') + 4,
    section.indexOf('\n```', section.indexOf('```\n') + 4),
  );
  return block
    .split('\n')
    .filter((line) => line !== '' && !/^\s/.test(line))
    .map((line) => (line.split(/\s{2,}/)[0] ?? '').split(',').map((l) => l.trim().replace(/\/$/, '')));
}

const files = [...tsFiles('src'), ...tsFiles('cli')].sort();
const graph = importGraph(files);

describe('layering (docs/ARCHITECTURE.md §Layers)', () => {
  it('reads the import graph', () => {
    expect(files.length).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });

  it('puts every file in a listed layer and resolves every relative import to a file', () => {
    const known = new Set(files);
    expect(files.filter((f) => !RANK.has(layerOf(f)))).toEqual([]);
    const dangling = [...graph].flatMap(([f, ts]) =>
      ts.filter((t) => !known.has(t)).map((t) => `${f} -> ${t}`),
    );
    expect(dangling).toEqual([]);
  });

  it('lists the same layers as the document', () => {
    expect(documentedRanks()).toEqual(RANKS.map((r) => [...r]));
  });

  it('imports point down only (or within the same layer)', () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = layerOf(file);
      for (const target of targets) {
        const to = layerOf(target);
        if (to === from) continue;
        const a = RANK.get(from) ?? -1;
        const b = RANK.get(to) ?? -1;
        if (b > a) continue;
        violations.push(
          `${file} -> ${target} (${from} may not import ${b === a ? 'its peer' : 'the higher'} ${to})`,
        );
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(graph).map((c) => [...c, c[0]].join(' -> '))).toEqual([]);
  });
});
