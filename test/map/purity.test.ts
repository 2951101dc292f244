/**
 * src/map stays pure: no file, storage, network, process or thread imports
 * anywhere in its static import graph (node:crypto is reached only through
 * src/crypto/sha256.ts's guarded dynamic import), so a verifier can use it in
 * a bundle, a worker or a browser.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FORBIDDEN =
  /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|os|dgram|tls|cluster|process)$|^(level|classic-level)$/;
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

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

describe('state map purity', () => {
  it('src/map imports no I/O, storage, network or thread module, and no storage or ledger layer', () => {
    const graph = closure('map/index.ts');
    const files = [...graph.keys()].map((f) => f.slice(src.length + 1));
    expect(files).toContain('crypto/sha256.ts');
    expect(files).toContain('format/canonical.ts');
    expect(files.filter((f) => /^(store|ledger|files|keys|cli|bundle|verify)\//.test(f))).toEqual([]);
    const offenders = [...graph].flatMap(([file, specs]) =>
      specs.filter((s) => FORBIDDEN.test(s)).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
