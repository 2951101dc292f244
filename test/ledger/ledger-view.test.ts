/**
 * LedgerView's reads of the tree and of stored checkpoints, against a real
 * ledger (proofs checked with src/merkle's verifier and leaves recomputed
 * from the stored entries), and the rule of docs/ARCHITECTURE.md that the
 * CLI reads the ledger only through LedgerView: no file under cli/ reaches
 * a LogStore through a view or hands one to a store-level helper.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { parseNote } from '../../src/checkpoint/note.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { localReceipt } from '../../src/ledger/receipt.js';
import { verifyConsistency, verifyInclusion } from '../../src/merkle/index.js';
import { growTo, leavesOf, makeWorld } from '../proofs/helpers.js';

describe('LedgerView: checkpoints and proofs', () => {
  it('lists the stored checkpoints, newest last, each with the root of its size', async () => {
    const w = await makeWorld();
    expect(await w.view.checkpointSizes()).toEqual([]);
    expect(await w.view.checkpoints()).toEqual([]);
    expect(await w.view.latestCheckpoint()).toBeUndefined();
    await growTo(w, 7);
    const a = await signLogCheckpoint(w.view, w.log);
    await growTo(w, 12);
    const b = await signLogCheckpoint(w.view, w.log);

    expect(await w.view.checkpointSizes()).toEqual([7, 12]);
    expect(await w.view.checkpoint(7)).toBe(a.note);
    expect(await w.view.checkpoint(8)).toBeUndefined();
    expect(await w.view.latestCheckpoint()).toEqual({ size: 12, note: b.note });
    const list = await w.view.checkpoints();
    expect(list.map((c) => [c.size, c.note])).toEqual([
      [7, a.note],
      [12, b.note],
    ]);
    for (const c of list) {
      expect(toHex(c.root)).toBe(toHex(parseCheckpoint(parseNote(c.note).text).root));
      expect(toHex(c.root)).toBe(toHex(await w.view.rootAt(c.size)));
    }
  });

  it('serves inclusion and consistency proofs that the merkle verifier accepts', async () => {
    const w = await makeWorld();
    await growTo(w, 13);
    const leaves = await leavesOf(w.store);
    const root13 = await w.view.rootAt(13);
    for (const index of [0, 4, 12]) {
      const leaf = await w.view.leafHash(index);
      expect(toHex(leaf)).toBe(toHex(leaves[index]!));
      const proof = await w.view.inclusionProof(index, 13);
      expect(verifyInclusion(index, 13, leaf, proof, root13)).toBe(true);
      expect(verifyInclusion(index, 13, leaf, proof, await w.view.rootAt(12))).toBe(false);
    }
    const root5 = await w.view.rootAt(5);
    expect(verifyConsistency(5, 13, root5, root13, await w.view.consistencyProof(5, 13))).toBe(true);
    expect(await w.view.receipt(6)).toEqual(await localReceipt(w.store, 6));
  });
});

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * What would mean cli/ reads a LogStore other than by opening it: the store
 * behind a view (`view.store`, the internal `storeOf`), or the store-level
 * helpers whose LedgerView counterparts the CLI uses.
 */
const FORBIDDEN: readonly [RegExp, string][] = [
  [/\.store\b/, 'a .store member (use the LedgerView methods)'],
  [/\bstoreOf\b/, 'storeOf (internal to src/)'],
  [/\bexportBundleV2\b/, 'exportBundleV2 (use exportBundle(view, …))'],
  [/\blocalReceipt\b/, 'localReceipt (use view.receipt)'],
  [/\blistCheckpoints\b/, 'listCheckpoints (use view.checkpoints)'],
  [/merkle\/proofs\.js/, 'src/merkle/proofs.js (use view.rootAt, inclusionProof, consistencyProof)'],
];

describe('the CLI reads the ledger only through LedgerView', () => {
  it('no file under cli/ touches a store through a view or a store-level helper', () => {
    const files = tsFiles('cli');
    expect(files).toContain('cli/context.ts');
    const found: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const [re, what] of FORBIDDEN) if (re.test(line)) found.push(`${file}:${i + 1}: ${what}`);
      });
    }
    expect(found).toEqual([]);
  });
});
