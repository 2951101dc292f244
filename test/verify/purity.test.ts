/**
 * The verifier and everything it depends on stay pure: no file, storage,
 * network, process or thread imports, so it runs on a bundle, in a worker or in
 * a browser. This walks the static import graph from the two verifier entry
 * points. (node:crypto is reached only through a guarded dynamic import, with
 * @noble as the fallback, and is allowed.)
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const FORBIDDEN =
  /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|os|dgram|tls|cluster|process)$|^(level|classic-level)$/;

function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) visit(join(dirname(file), s.replace(/\.js$/, '.ts')));
  };
  visit(join(src, entry));
  return seen;
}

describe('verifier purity', () => {
  it.each([
    'verify/entries.ts',
    'verify/log-verify.ts',
    'verify/bundle-v2.ts',
    'map/index.ts',
    'report/index.ts',
  ])('%s imports no I/O, storage, network or thread module', (entry) => {
    const graph = closure(entry);
    expect(graph.size).toBeGreaterThan(5);
    const offenders = [...graph].flatMap(([file, specs]) =>
      specs.filter((s) => FORBIDDEN.test(s)).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
    // And nothing from the storage or ledger layers.
    expect([...graph.keys()].filter((f) => /\/src\/(store|ledger|files|keys)\//.test(f))).toEqual([]);
  });
});
