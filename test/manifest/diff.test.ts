/** diffManifests (src/manifest/diff.ts): what was added, removed and changed since registration. */
import { test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { headerFor } from '../../src/manifest/codec.js';
import { diffManifests } from '../../src/manifest/diff.js';
import { pathForm } from '../../src/manifest/path.js';
import type { Manifest, ManifestEntry } from '../../src/manifest/types.js';
import { manifestArb } from './arbitraries.js';

const b = (s: string) => new TextEncoder().encode(s);
const file = (path: string, size: number, fill: number, md5?: number): ManifestEntry => ({
  path: b(path),
  form: pathForm(b(path)),
  kind: 'file',
  size,
  digests: {
    sha256: new Uint8Array(32).fill(fill),
    ...(md5 !== undefined ? { md5: new Uint8Array(16).fill(md5) } : {}),
  },
});
const m = (entries: ManifestEntry[], legacy: ('md5' | 'sha1' | 'sha512')[] = []): Manifest => ({
  header: headerFor(legacy, entries),
  entries,
});

describe('diffManifests', () => {
  it('names the paths added, removed and changed', () => {
    const was = m([file('a', 1, 1), file('b', 2, 2), file('c', 3, 3), file('sub/d', 4, 4)]);
    const now = m([
      file('a', 1, 1),
      file('b', 2, 9),
      file('c2', 3, 3),
      file('sub/d', 5, 4),
      file('sub/e', 0, 0),
    ]);
    const d = diffManifests(was, now);
    expect(d.removed.map((p) => p.display)).toEqual(['c']);
    expect(d.added.map((p) => p.display)).toEqual(['c2', 'sub/e']);
    expect(d.changed.map((c) => c.path.display)).toEqual(['b', 'sub/d']);
    expect(d.changed[0]!.was).toEqual({ kind: 'file', size: 2, sha256: new Uint8Array(32).fill(2) });
    expect(d.changed[0]!.now).toEqual({ kind: 'file', size: 2, sha256: new Uint8Array(32).fill(9) });
    expect(d.changed[1]!.was.size).toBe(4);
    expect(d.changed[1]!.now.size).toBe(5);
  });

  it('tells NFC and NFD names apart, with their forms', () => {
    const d = diffManifests(m([file('M\u00fcller.txt', 1, 1)]), m([file('Mu\u0308ller.txt', 1, 1)]));
    expect(d.removed.map((p) => [p.display, p.form])).toEqual([['M\u00fcller.txt', 'nfc']]);
    expect(d.added.map((p) => [p.display, p.form])).toEqual([['Mu\u0308ller.txt', 'nfd']]);
    expect(d.changed).toEqual([]);
  });

  it('counts a change of kind or link target, and a legacy digest both carry', () => {
    const link = (t: string): ManifestEntry => ({
      path: b('l'),
      form: 'ascii',
      kind: 'symlink',
      size: 0,
      target: b(t),
    });
    expect(diffManifests(m([link('x')]), m([link('y')])).changed).toHaveLength(1);
    expect(diffManifests(m([link('x')]), m([link('x')])).changed).toHaveLength(0);
    const special: ManifestEntry = { path: b('l'), form: 'ascii', kind: 'special', size: 0 };
    expect(diffManifests(m([link('x')]), m([special])).changed[0]!.now.kind).toBe('special');
    expect(
      diffManifests(m([file('a', 1, 1, 1)], ['md5']), m([file('a', 1, 1, 2)], ['md5'])).changed,
    ).toHaveLength(1);
    expect(diffManifests(m([file('a', 1, 1, 1)], ['md5']), m([file('a', 1, 1)])).changed).toHaveLength(0);
  });

  it('refuses a manifest out of order', () => {
    const bad: Manifest = {
      header: { legacy: [], entries: 2, bytes: 2 },
      entries: [file('b', 1, 1), file('a', 1, 1)],
    };
    expect(() => diffManifests(bad, m([]))).toThrow(CustodyError);
  });

  fcTest.prop([manifestArb(), manifestArb()])('partitions the paths of both manifests', (x, y) => {
    expect(diffManifests(x, x)).toEqual({ added: [], removed: [], changed: [] });
    const d = diffManifests(x, y);
    const key = (p: Uint8Array) => Buffer.from(p).toString('hex');
    const xs = new Set(x.entries.map((e) => key(e.path)));
    const ys = new Set(y.entries.map((e) => key(e.path)));
    expect(d.removed.map((p) => key(p.path))).toEqual([...xs].filter((k) => !ys.has(k)));
    expect(d.added.map((p) => key(p.path))).toEqual([...ys].filter((k) => !xs.has(k)));
    for (const c of d.changed) expect(xs.has(key(c.path.path)) && ys.has(key(c.path.path))).toBe(true);
  });
});
