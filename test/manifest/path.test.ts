/** Manifest paths (src/manifest/path.ts): rules, forms, display, the order check. */
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  comparePaths,
  displayPath,
  isUtf8,
  PathOrder,
  pathForm,
  pathProblem,
} from '../../src/manifest/path.js';
import { pathArb, validPaths } from './arbitraries.js';

const b = (s: string) => new TextEncoder().encode(s);

describe('manifest paths', () => {
  it('accepts relative paths and refuses the others', () => {
    for (const ok of ['a', 'a/b', '.a', 'a/..b', '...', 'a b/c\nd'])
      expect(pathProblem(b(ok)), ok).toBeUndefined();
    for (const bad of ['', '/a', 'a/', 'a//b', '.', '..', 'a/./b', 'a/../b', 'a/.', '\0', 'a\0b'])
      expect(pathProblem(b(bad)), JSON.stringify(bad)).toBeDefined();
  });

  it('records the form of a name without changing it', () => {
    expect(pathForm(b('Muller.txt'))).toBe('ascii');
    expect(pathForm(b('M\u00fcller.txt'))).toBe('nfc');
    expect(pathForm(b('Mu\u0308ller.txt'))).toBe('nfd');
    expect(pathForm(b('\u65e5\u672c'))).toBe('nfc'); // both NFC and NFD: recorded as nfc
    expect(pathForm(b('e\u0301\u00e9'))).toBe('other');
    expect(pathForm(new Uint8Array([0x61, 0xff]))).toBe('bytes');
    expect(pathForm(new Uint8Array([0xc0, 0xaf]))).toBe('bytes'); // overlong '/'
    expect(pathForm(new Uint8Array([0xed, 0xa0, 0x80]))).toBe('bytes'); // a surrogate
    expect(pathForm(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('nfc'); // a BOM is kept, not dropped
  });

  fcTest.prop([fc.uint8Array({ maxLength: 12 })])(
    'agrees with a fatal TextDecoder on UTF-8 validity',
    (bytes) => {
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        valid = false;
      }
      expect(isUtf8(bytes)).toBe(valid);
    },
  );

  it('displays hostile names on one line, escaped', () => {
    expect(displayPath(b('a\nb'))).toBe('a\\u{a}b');
    expect(displayPath(b('x\u202eexe.txt'))).toBe('x\\u{202e}exe.txt');
    expect(displayPath(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\\xffb');
    expect(displayPath(b('a\\xffb'))).toBe('a\\\\xffb');
    expect(displayPath(b('M\u00fcller'))).toBe('M\u00fcller');
  });

  fcTest.prop([fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 })])(
    'never displays two different paths alike',
    (x, y) => {
      fc.pre(comparePaths(x, y) !== 0);
      expect(displayPath(x)).not.toBe(displayPath(y));
    },
  );
});

describe('PathOrder', () => {
  const check = (paths: string[]) => {
    const o = new PathOrder();
    for (const p of paths) {
      const problem = o.next(b(p));
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

  it('takes sorted unique paths, none inside another', () => {
    expect(check(['a', 'a.txt', 'a0', 'b/c', 'b/d'])).toBeUndefined();
    expect(check(['a', 'a.txt', 'a/b'])).toBe('an entry inside another entry');
    expect(check(['a', 'a!', 'a!/x'])).toBe('an entry inside another entry');
    expect(check(['b', 'a'])).toBe('paths out of bytewise order');
    expect(check(['a', 'a'])).toBe('a duplicate path');
  });

  fcTest.prop([fc.array(pathArb, { maxLength: 30 })])(
    'agrees with the definition on sorted lists',
    (paths) => {
      const sorted = [...paths]
        .sort(comparePaths)
        .filter((p, i, a) => i === 0 || comparePaths(a[i - 1]!, p) !== 0);
      const o = new PathOrder();
      const accepted = sorted.every((p) => o.next(p) === undefined);
      expect(accepted).toBe(validPaths(sorted).length === sorted.length);
    },
  );
});
