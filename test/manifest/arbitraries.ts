/** fast-check arbitraries and fixtures for manifests (test/manifest, test/files). */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { DIGEST_LENGTH } from '../../src/format/vocabulary.js';
import { headerFor } from '../../src/manifest/codec.js';
import { comparePaths, pathForm } from '../../src/manifest/path.js';
import {
  LEGACY_ALGORITHMS,
  type LegacyAlgorithm,
  type Manifest,
  type ManifestEntry,
} from '../../src/manifest/types.js';

/** Byte strings a name may hold: ASCII, '.', UTF-8 (NFC and NFD é), invalid bytes, a line feed. */
const NAME_PIECES: readonly number[][] = [
  [0x61],
  [0x62],
  [0x2e],
  [0x2d],
  [0x30],
  [0x0a],
  [0xc3, 0xa9],
  [0x65, 0xcc, 0x81],
  [0xff],
  [0xe6, 0x97, 0xa5],
];

const name = fc
  .array(fc.constantFrom(...NAME_PIECES), { minLength: 1, maxLength: 4 })
  .map((ps) => Uint8Array.from(ps.flat()))
  .filter((b) => !(b.length === 1 && b[0] === 0x2e) && !(b.length === 2 && b[0] === 0x2e && b[1] === 0x2e));

export const pathArb = fc.array(name, { minLength: 1, maxLength: 3 }).map((parts) => {
  const out: number[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(0x2f);
    out.push(...p);
  });
  return Uint8Array.from(out);
});

/** Sorted, unique, and none under another: the paths of a real folder's entries. */
export function validPaths(paths: readonly Uint8Array[]): Uint8Array[] {
  const sorted = [...paths]
    .sort(comparePaths)
    .filter((p, i, a) => i === 0 || comparePaths(a[i - 1]!, p) !== 0);
  const isUnder = (p: Uint8Array, q: Uint8Array) =>
    p.length > q.length && p[q.length] === 0x2f && comparePaths(p.subarray(0, q.length), q) === 0;
  return sorted.filter((p) => !sorted.some((q) => isUnder(p, q)));
}

const digest = (alg: keyof typeof DIGEST_LENGTH) =>
  fc.uint8Array({ minLength: DIGEST_LENGTH[alg], maxLength: DIGEST_LENGTH[alg] });

function entryArb(path: Uint8Array, legacy: readonly LegacyAlgorithm[]): fc.Arbitrary<ManifestEntry> {
  const form = pathForm(path);
  const file = fc
    .record({
      size: fc.nat({ max: 2 ** 40 }),
      sha256: digest('sha256'),
      md5: digest('md5'),
      sha1: digest('sha1'),
      sha512: digest('sha512'),
    })
    .map(({ size, sha256, ...rest }) => ({
      path,
      form,
      kind: 'file' as const,
      size,
      digests: { sha256, ...Object.fromEntries(legacy.map((a) => [a, rest[a]])) },
    }));
  return fc.oneof(
    { weight: 4, arbitrary: file },
    fc.constant({ path, form, kind: 'dir' as const, size: 0 }),
    fc.constant({ path, form, kind: 'special' as const, size: 0 }),
    fc.nat({ max: 1000 }).map((size) => ({ path, form, kind: 'unreadable' as const, size })),
    pathArb.map((target) => ({ path, form, kind: 'symlink' as const, size: 0, target })),
  );
}

export const legacyArb: fc.Arbitrary<LegacyAlgorithm[]> = fc.subarray([...LEGACY_ALGORITHMS]);

/** A valid manifest of up to `max` entries. */
export const manifestArb = (max = 12): fc.Arbitrary<Manifest> =>
  fc
    .tuple(legacyArb, fc.array(pathArb, { maxLength: max }))
    .chain(([legacy, paths]) =>
      fc
        .tuple(...validPaths(paths).map((p) => entryArb(p, legacy)))
        .map((entries) => ({ header: headerFor(legacy, entries), entries })),
    );

const ascii = (s: string) => new TextEncoder().encode(s);

/** The worked example of docs/MANIFEST.md: an empty folder and one file, with MD5 beside SHA-256. */
export function exampleManifest(): Manifest {
  const hello = ascii('hello\n');
  const entries: ManifestEntry[] = [
    { path: ascii('empty'), form: 'ascii', kind: 'dir', size: 0 },
    {
      path: ascii('hello.txt'),
      form: 'ascii',
      kind: 'file',
      size: hello.length,
      digests: {
        sha256: new Uint8Array(createHash('sha256').update(hello).digest()),
        md5: new Uint8Array(createHash('md5').update(hello).digest()),
      },
    },
  ];
  return { header: headerFor(['md5'], entries), entries };
}

/** Bytes as the docs show them: 16 per line, two hex digits each, space-separated. */
export function hexDump(b: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 16)
    lines.push([...b.subarray(i, i + 16)].map((x) => x.toString(16).padStart(2, '0')).join(' '));
  return lines.join('\n');
}
