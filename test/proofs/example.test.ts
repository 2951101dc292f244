/**
 * docs/PROOFS.md's worked example is exactly what test/proofs/example.ts
 * generates from a real (v2) ledger, so the document cannot drift from the
 * code. After an intended change to the entry format or the tree, regenerate it:
 * `npx tsx test/proofs/example.ts --write && npx biome format --write docs/PROOFS.md`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BEGIN, DOC, END, generateExample } from './example.js';

/** Table layout only (the Markdown formatter pads cells and rules); everything else compared as is. */
const normalize = (s: string) =>
  s
    .split('\n')
    .map((l) => (l.startsWith('|') ? l.replace(/\s*\|\s*/g, '|').replace(/-{3,}/g, '---') : l))
    .join('\n');

describe('docs/PROOFS.md worked example', () => {
  it('is generated from a real ledger, every step recomputed independently (the generator throws otherwise)', async () => {
    const example = await generateExample();
    expect(example.startsWith(BEGIN)).toBe(true);
    expect(example.endsWith(END)).toBe(true);
    // Deterministic: the same bytes every time.
    expect(await generateExample()).toBe(example);
  });

  it('is the generated one, byte for byte', async () => {
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(BEGIN);
    const b = doc.indexOf(END);
    expect(a, 'the example block markers are in docs/PROOFS.md').toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    expect(
      normalize(doc.slice(a, b + END.length)),
      'docs/PROOFS.md is out of date: npx tsx test/proofs/example.ts --write && npx biome format --write docs/PROOFS.md',
    ).toBe(normalize(await generateExample()));
  });
});
