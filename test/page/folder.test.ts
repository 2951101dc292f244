/**
 * The verifier page's folder and segment logic (src/page/folder.ts), without a browser: the
 * manifest it rebuilds from the browser's files is the CLI's, its segment order is the CLI's
 * (src/files/segment-set.ts), and what it says of a folder never claims more than it saw.
 * test/page/page-suite.ts drives the same code in Chromium.
 */
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { orderSegmentNames } from '../../src/files/segment-set.js';
import { encodeManifest, headerFor } from '../../src/manifest/codec.js';
import { isUtf8 } from '../../src/manifest/path.js';
import type { Manifest, ManifestEntry } from '../../src/manifest/types.js';
import {
  checkFolder,
  orderSegments,
  type Registered,
  rebuildFolder,
  type SeenEntry,
} from '../../src/page/folder.js';
import { exampleManifest, manifestArb } from '../manifest/arbitraries.js';

const text = new TextDecoder();

/** What a browser would give of a manifest's files and empty folders: strings, in any order. */
const seenOf = (m: Manifest): SeenEntry[] =>
  m.entries.map((e) =>
    e.kind === 'dir'
      ? { path: text.decode(e.path), kind: 'dir', size: 0 }
      : {
          path: text.decode(e.path),
          kind: 'file',
          size: e.size,
          digests: { ...e.digests } as Record<string, Uint8Array>,
        },
  );

/** The part of a manifest a browser can see: files and empty folders with UTF-8 names. */
function browserVisible(m: Manifest): Manifest {
  const entries = m.entries.filter((e) => (e.kind === 'file' || e.kind === 'dir') && isUtf8(e.path));
  return { header: headerFor(m.header.legacy, entries), entries };
}

const registeredFor = (m: Manifest): Registered => ({
  evidence: 'directory',
  size: m.header.bytes,
  digests: {},
  manifest: encodeManifest(m).root,
  entries: m.header.entries,
});

describe('rebuildFolder', () => {
  fcTest.prop([manifestArb(16).map(browserVisible), fc.infiniteStream(fc.nat())])(
    'rebuilds, byte for byte, the manifest of the files and folders a browser gives, in any order',
    (m, rnd) => {
      const seen = seenOf(m);
      const shuffled = seen
        .map((s) => [rnd.next().value, s] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, s]) => s);
      const want = encodeManifest(m);
      const got = rebuildFolder(shuffled, m.header.legacy);
      expect(toHex(got.bytes)).toBe(toHex(want.bytes));
      expect(toHex(got.root)).toBe(toHex(want.root));
    },
  );

  it('counts names holding U+FFFD (perhaps not UTF-8 on disk), and refuses a path given twice', () => {
    const d = { sha256: new Uint8Array(32) };
    expect(
      rebuildFolder(
        [
          { path: 'a\uFFFD.txt', kind: 'file', size: 0, digests: d },
          { path: 'b.txt', kind: 'file', size: 0, digests: d },
        ],
        [],
      ).replaced,
    ).toBe(1);
    expect(() =>
      rebuildFolder(
        [
          { path: 'x', kind: 'file', size: 0, digests: d },
          { path: 'x', kind: 'file', size: 0, digests: d },
        ],
        [],
      ),
    ).toThrow(CustodyError);
  });
});

describe('checkFolder', () => {
  const example = exampleManifest(); // an empty folder "empty" and hello.txt
  const reg = registeredFor(example);
  const manifestBytes = encodeManifest(example).bytes;
  const onlyFiles = example.entries.filter((e) => e.kind === 'file');

  it('matches only when the rebuilt root is the registered one', () => {
    const same = rebuildFolder(seenOf(example), ['md5']);
    expect(checkFolder(reg, same, undefined, true).state).toBe('matches');
  });

  it('through a chooser (no empty folders seen): differs, and with the manifest says the empty folder is why', () => {
    const files = rebuildFolder(seenOf({ ...example, entries: onlyFiles }), ['md5']);
    expect(checkFolder(reg, files, undefined, false)).toEqual({
      state: 'differs',
      added: [],
      removed: [],
      changed: [],
      emptyFoldersUnseen: 0,
    });
    expect(checkFolder(reg, files, manifestBytes, false)).toEqual({
      state: 'differs-named',
      added: [],
      removed: ['empty'],
      changed: [],
      emptyFoldersUnseen: 1,
    });
    // Dropped (empty folders seen): a missing empty folder is really missing.
    expect(checkFolder(reg, files, manifestBytes, true).emptyFoldersUnseen).toBe(0);
  });

  it('names a changed file; refuses a manifest file that is not the registered one, or not a manifest', () => {
    const changed: ManifestEntry[] = example.entries.map((e) =>
      e.kind === 'file' ? { ...e, digests: { ...e.digests!, sha256: new Uint8Array(32) } } : e,
    );
    const now = rebuildFolder(seenOf({ ...example, entries: changed }), ['md5']);
    expect(checkFolder(reg, now, manifestBytes, true)).toMatchObject({
      state: 'differs-named',
      changed: ['hello.txt'],
    });
    const other = encodeManifest({ header: headerFor(['md5'], onlyFiles), entries: onlyFiles }).bytes;
    expect(checkFolder(reg, now, other, true)).toMatchObject({
      state: 'differs',
      changed: [],
      manifestRefused: 'its root is not the registered one',
    });
    expect(checkFolder(reg, now, new Uint8Array([1, 2, 3]), true).manifestRefused).toMatch(
      /not a custody manifest/,
    );
  });
});

describe('orderSegments', () => {
  /** The n-th EWF extension (E01 … E99, EAA … EZZ, FAA …), as libewf names them. */
  const ewf = (k: number) => {
    if (k <= 99) return `E${String(k).padStart(2, '0')}`;
    const j = k - 100;
    const l = (x: number) => String.fromCharCode(65 + x);
    return `${l(4 + Math.floor(j / 676))}${l(Math.floor(j / 26) % 26)}${l(j % 26)}`;
  };
  const sets = fc.oneof(
    fc.integer({ min: 1, max: 800 }).map((n) => Array.from({ length: n }, (_, k) => `case.${ewf(k + 1)}`)),
    fc
      .integer({ min: 1, max: 1100 })
      .map((n) => Array.from({ length: n }, (_, k) => `disk.${String(k + 1).padStart(3, '0')}`)),
    fc
      .integer({ min: 1, max: 200 })
      .map((n) =>
        Array.from(
          { length: n },
          (_, k) => `x.${String.fromCharCode(97 + Math.floor(k / 26), 97 + (k % 26))}`,
        ),
      ),
  );

  fcTest.prop([sets.chain((names) => fc.shuffledSubarray(names, { minLength: names.length }))], {
    numRuns: 40,
  })('orders any shuffle of a set as the CLI does', (shuffled) => {
    const cli = orderSegmentNames(shuffled, shuffled).names;
    expect(orderSegments(shuffled).map((i) => shuffled[i])).toEqual(cli);
  });

  it('refuses files that are not one set', () => {
    expect(() => orderSegments(['a.E01', 'b.E02'])).toThrow(/not one set/);
    expect(() => orderSegments(['noextension'])).toThrow(CustodyError);
  });
});
