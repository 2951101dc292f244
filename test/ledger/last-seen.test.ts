/** checkSeen (src/ledger/last-seen.ts): a tree that shrank or changed at the seen size is refused. */
import { describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { checkSeen } from '../../src/ledger/last-seen.js';

const root = (b: number) => new Uint8Array(32).fill(b);
const roots = (b: number) => async () => root(b);
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof CustodyError ? e.code : 'other'),
  );

describe('checkSeen', () => {
  it('accepts nothing seen, the same tree, and a larger tree that extends it', async () => {
    expect(await codeOf(checkSeen(undefined, 3, roots(1)))).toBe('ok');
    expect(await codeOf(checkSeen({ size: 5, root: root(1) }, 5, roots(1)))).toBe('ok');
    const asked: number[] = [];
    const at = async (n: number) => {
      asked.push(n);
      return root(1);
    };
    expect(await codeOf(checkSeen({ size: 5, root: root(1) }, 9, at))).toBe('ok');
    expect(asked).toEqual([5]);
  });

  it('refuses a smaller tree (LEDGER_ROLLED_BACK) and another root at the seen size (LEDGER_FORKED)', async () => {
    expect(await codeOf(checkSeen({ size: 5, root: root(1) }, 4, roots(1)))).toBe('LEDGER_ROLLED_BACK');
    expect(await codeOf(checkSeen({ size: 5, root: root(1) }, 5, roots(2)))).toBe('LEDGER_FORKED');
    expect(await codeOf(checkSeen({ size: 5, root: root(1) }, 8, roots(2)))).toBe('LEDGER_FORKED');
  });
});
