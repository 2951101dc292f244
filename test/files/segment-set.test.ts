import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { CustodyError } from '../../src/errors.js';
import { digestSegmentSet } from '../../src/files/digest-segments.js';
import { isFirstSegmentName, orderSegmentNames, resolveSegmentSet } from '../../src/files/segment-set.js';
import type { DigestAlgorithm } from '../../src/format/vocabulary.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'custody-segments-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const digest = (alg: string, b: Uint8Array) => new Uint8Array(createHash(alg).update(b).digest());

const shuffle = <T>(xs: readonly T[]) => [...xs].reverse().sort((a, b) => (String(a) < String(b) ? 1 : -1));

/** Expects a SEGMENTS_INVALID refusal whose message matches. */
function refused(f: () => unknown, message: RegExp) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).code).toBe('SEGMENTS_INVALID');
    expect((e as CustodyError).category).toBe('input');
    expect((e as CustodyError).message).toMatch(message);
    return;
  }
  expect.fail('not refused');
}

describe('orderSegmentNames', () => {
  it('orders an E01 set given in any order, past E99 as libewf names them', () => {
    const names = [
      ...Array.from({ length: 99 }, (_, i) => `case.E${String(i + 1).padStart(2, '0')}`),
      'case.EAA',
      'case.EAB',
    ];
    const r = orderSegmentNames(shuffle(names), names);
    expect(r).toMatchObject({ scheme: 'ewf', naming: 'E01', base: 'case' });
    expect(r.names).toEqual(names);
  });

  it('carries the first letter past EZZ to FAA', () => {
    const names = [
      ...Array.from({ length: 99 }, (_, i) => `c.E${String(i + 1).padStart(2, '0')}`),
      ...Array.from({ length: 676 }, (_, i) => `c.E${String.fromCharCode(65 + i / 26, 65 + (i % 26))}`),
      'c.FAA',
    ];
    const r = orderSegmentNames(shuffle(names), []);
    expect(r.names.slice(-3)).toEqual(['c.EZY', 'c.EZZ', 'c.FAA']);
  });

  it('carries the x of an Ex01 name past ExZZ to EyAA, as libewf does', () => {
    const letters = Array.from({ length: 676 }, (_, i) => String.fromCharCode(65 + i / 26, 65 + (i % 26)));
    const names = [
      ...Array.from({ length: 99 }, (_, i) => `c.Ex${String(i + 1).padStart(2, '0')}`),
      ...letters.map((l) => `c.Ex${l}`),
      'c.EyAA',
    ];
    const r = orderSegmentNames(shuffle(names), []);
    expect(r.naming).toBe('Ex01');
    expect(r.names.slice(98, 101)).toEqual(['c.Ex99', 'c.ExAA', 'c.ExAB']);
    expect(r.names.slice(-2)).toEqual(['c.ExZZ', 'c.EyAA']);
  });

  it('recognises Ex01, L01 and Lx01 sets, with extensions in either case', () => {
    expect(orderSegmentNames(['d.Ex02', 'd.Ex01'], [])).toMatchObject({
      naming: 'Ex01',
      names: ['d.Ex01', 'd.Ex02'],
    });
    expect(orderSegmentNames(['d.L02', 'd.L01'], [])).toMatchObject({ naming: 'L01', scheme: 'ewf' });
    expect(orderSegmentNames(['d.LX01'], ['d.LX01', 'd.lx02'])).toMatchObject({
      naming: 'Lx01',
      names: ['d.LX01', 'd.lx02'],
    });
    expect(orderSegmentNames(['img.e02', 'img.e01'], [])).toMatchObject({
      naming: 'E01',
      names: ['img.e01', 'img.e02'],
    });
  });

  it('recognises split raw sets: .001, .000, .raw.001, .dd.001 and split(1) .aa', () => {
    expect(orderSegmentNames(['d.003', 'd.001', 'd.002'], [])).toMatchObject({
      scheme: 'raw',
      naming: 'numeric',
      base: 'd',
      names: ['d.001', 'd.002', 'd.003'],
    });
    expect(orderSegmentNames(['d.001', 'd.000'], []).names).toEqual(['d.000', 'd.001']);
    expect(orderSegmentNames(['disk.raw.002', 'disk.raw.001'], []).base).toBe('disk.raw');
    expect(orderSegmentNames(['disk.dd.001'], ['disk.dd.001', 'disk.dd.002', 'other']).names).toEqual([
      'disk.dd.001',
      'disk.dd.002',
    ]);
    const split = [...'abcdefghijklmnopqrstuvwxyz'].map((c) => `x.a${c}`).concat('x.ba', 'x.bb');
    expect(orderSegmentNames(shuffle(split), split)).toMatchObject({ naming: 'alphabetic', names: split });
  });

  it('takes a numeric set past its width: x.999 then x.1000', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `x.${String(i + 1).padStart(3, '0')}`);
    expect(orderSegmentNames(['x.001'], shuffle(names)).names.slice(-2)).toEqual(['x.999', 'x.1000']);
  });

  it('given only the first segment, takes its siblings from the folder', () => {
    const folder = ['a.E03', 'a.E01', 'notes.txt', 'b.E01', 'a.E02', 'a.Ex01'];
    expect(orderSegmentNames(['a.E01'], folder).names).toEqual(['a.E01', 'a.E02', 'a.E03']);
  });

  it('refuses mixed base names and mixed schemes', () => {
    refused(() => orderSegmentNames(['a.E01', 'b.E02'], []), /not segments of one set/);
    refused(() => orderSegmentNames(['a.E01', 'a.002'], []), /not segments of one set/);
    refused(() => orderSegmentNames(['a.E01', 'a.Ex02'], []), /not segments of one set/);
    refused(() => orderSegmentNames(['a.md5sum'], []), /not named as a segment/);
    refused(() => orderSegmentNames(['a.txt'], []), /not named as the first segment/);
  });

  it('refuses a gap in the numbering, naming where it is', () => {
    refused(() => orderSegmentNames(['a.E01', 'a.E02', 'a.E04'], []), /nothing between a\.E02 and a\.E04/);
    refused(() => orderSegmentNames(['a.001', 'a.003'], []), /gap/);
    refused(() => orderSegmentNames(['a.E01'], ['a.E01', 'a.E03']), /gap/);
  });

  it('refuses a set whose first segment is missing', () => {
    refused(() => orderSegmentNames(['a.E02', 'a.E03'], []), /first segment is missing/);
    refused(() => orderSegmentNames(['a.002', 'a.003'], []), /first segment is missing/);
    refused(() => orderSegmentNames(['a.ab', 'a.ac'], []), /first segment is missing/);
  });

  it('refuses a single path that is not the first segment', () => {
    refused(() => orderSegmentNames(['a.E02'], ['a.E01', 'a.E02']), /not named as the first segment/);
    refused(() => orderSegmentNames(['a.001'], ['a.000', 'a.001']), /not the first segment.*give a\.000/);
  });

  it('refuses duplicates: a name given twice, or one segment under two spellings', () => {
    refused(() => orderSegmentNames(['a.E01', 'a.E01'], []), /given twice/);
    refused(() => orderSegmentNames(['a.E01', 'a.E02', 'a.e02'], []), /same segment/);
    refused(() => orderSegmentNames(['a.E01'], ['a.E01', 'a.E02', 'a.e02']), /same segment/);
  });

  it('refuses a set given without a segment the folder holds', () => {
    refused(
      () => orderSegmentNames(['a.E01', 'a.E02'], ['a.E01', 'a.E02', 'a.E03']),
      /a\.E03 belongs to the set/,
    );
  });

  it('refuses mixed numbering widths and split(1) suffixes that widen', () => {
    refused(() => orderSegmentNames(['a.01', 'a.002'], []), /2-digit numbering/);
    refused(() => orderSegmentNames(['a.aa'], ['a.aa', 'a.ab', 'a.zaa']), /a\.zaa shares the base name/);
  });

  it('tells a first segment name from others', () => {
    for (const n of ['x.E01', 'x.e01', 'x.Ex01', 'x.L01', 'x.Lx01', 'x.001', 'x.000', 'x.raw.001', 'x.aa'])
      expect(isFirstSegmentName(n), n).toBe(true);
    for (const n of ['x.E02', 'x.EAA', 'x.002', 'x.ab', 'x.txt.gz', 'x', 'x.E00'])
      expect(isFirstSegmentName(n), n).toBe(false);
  });
});

/** Writes `parts` as files named by `name(i)` in a new folder; returns the folder. */
function writeSet(parts: readonly Uint8Array[], name: (i: number) => string) {
  const dir = tempDir();
  parts.forEach((p, i) => {
    writeFileSync(join(dir, name(i)), p);
  });
  return dir;
}

describe('digestSegmentSet', () => {
  const image = randomBytes(300_000);
  const parts = [image.subarray(0, 100_000), image.subarray(100_000, 250_000), image.subarray(250_000)];
  const rawDir = writeSet(parts, (i) => `disk.raw.00${i + 1}`);
  const rawPaths = [0, 1, 2].map((i) => join(rawDir, `disk.raw.00${i + 1}`));
  const ALL: DigestAlgorithm[] = ['md5', 'sha1', 'sha256', 'sha512'];

  for (const threads of [false, true])
    it(`a split raw set given shuffled: its concatenation is the image (${threads ? 'worker threads' : 'inline'})`, async () => {
      const set = await resolveSegmentSet([rawPaths[2]!, rawPaths[0]!, rawPaths[1]!]);
      expect(set.paths).toEqual(rawPaths);
      const r = await digestSegmentSet(set, ALL, { threads, blockSize: 64 * 1024 });
      expect(r.scheme).toBe('raw');
      expect(r.concatenation.size).toBe(image.length);
      for (const alg of ALL) expect(r.concatenation.digests[alg]).toEqual(digest(alg, image));
      expect(r.segments.map((s) => s.name)).toEqual(['disk.raw.001', 'disk.raw.002', 'disk.raw.003']);
      r.segments.forEach((s, i) => {
        expect(s.size).toBe(parts[i]!.length);
        for (const alg of ALL) expect(s.digests[alg]).toEqual(digest(alg, parts[i]!));
      });
    });

  it('a split raw set given by its first segment only, with progress', async () => {
    const set = await resolveSegmentSet([rawPaths[0]!]);
    expect(set.paths).toEqual(rawPaths);
    const seen: { bytesDone: number; segmentsDone: number }[] = [];
    const r = await digestSegmentSet(set, ['sha256'], {
      blockSize: 40_000,
      onProgress: (p) => {
        expect(p.bytesTotal).toBe(image.length);
        expect(p.segmentsTotal).toBe(3);
        seen.push(p);
      },
    });
    expect(r.concatenation.digests.sha256).toEqual(digest('sha256', image));
    expect(Object.keys(r.concatenation.digests)).toEqual(['sha256']);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.bytesDone).toBeGreaterThanOrEqual(seen[i - 1]!.bytesDone);
    expect(seen.at(-1)).toMatchObject({ bytesDone: image.length, segmentsDone: 3 });
  });

  it('an E01-like set: container digests per segment and for the concatenation', async () => {
    const chunks = [randomBytes(5000), randomBytes(7000), randomBytes(10)];
    const dir = writeSet(chunks, (i) => `x.E0${i + 1}`);
    const set = await resolveSegmentSet([join(dir, 'x.E01')]);
    const r = await digestSegmentSet(set, ['md5', 'sha256'], { threads: true });
    expect(r).toMatchObject({ scheme: 'ewf', naming: 'E01' });
    expect(r.segments.map((s) => [s.name, s.size])).toEqual([
      ['x.E01', 5000],
      ['x.E02', 7000],
      ['x.E03', 10],
    ]);
    r.segments.forEach((s, i) => {
      expect(s.digests.md5).toEqual(digest('md5', chunks[i]!));
      expect(s.digests.sha256).toEqual(digest('sha256', chunks[i]!));
    });
    expect(r.concatenation.digests.sha256).toEqual(digest('sha256', Buffer.concat(chunks)));
  });

  it('a set of one segment has the concatenation digests as its own', async () => {
    const one = randomBytes(1234);
    const dir = writeSet([one], () => 'solo.001');
    const r = await digestSegmentSet(await resolveSegmentSet([join(dir, 'solo.001')]), ['sha1']);
    expect(r.segments[0]!.digests.sha1).toEqual(digest('sha1', one));
    expect(r.concatenation.digests.sha1).toEqual(digest('sha1', one));
  });

  it('refuses segments in different folders', async () => {
    const other = writeSet([parts[1]!], () => 'disk.raw.002');
    await expect(resolveSegmentSet([rawPaths[0]!, join(other, 'disk.raw.002')])).rejects.toMatchObject({
      code: 'SEGMENTS_INVALID',
    });
  });

  it('opens every segment as an evidence file: a symbolic link is refused', async () => {
    const dir = writeSet([parts[0]!], () => 'l.001');
    symlinkSync(rawPaths[1]!, join(dir, 'l.002'));
    const set = await resolveSegmentSet([join(dir, 'l.001')]);
    await expect(digestSegmentSet(set, ['sha256'])).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
  });

  it('stops at a segment that cannot be opened, after the others were hashed on workers', async () => {
    const dir = writeSet([parts[0]!, parts[1]!, parts[2]!], (i) => `f.00${i + 1}`);
    const set = await resolveSegmentSet([join(dir, 'f.001')]);
    rmSync(join(dir, 'f.003'));
    execFileSync('mkfifo', [join(dir, 'f.003')]);
    await expect(digestSegmentSet(set, ['sha256', 'sha1'], { threads: true })).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringMatching(/FIFO/),
    });
  });

  test.prop(
    [
      fc.uint8Array({ minLength: 1, maxLength: 5000 }),
      fc.uniqueArray(fc.integer({ min: 1, max: 4999 }), { maxLength: 6 }),
      fc.integer({ min: 1, max: 2048 }),
      fc.boolean(),
    ],
    { numRuns: 30 },
  )(
    'for any split of a buffer, the concatenation digest is the buffer digest',
    async (buf, cuts, blockSize, threads) => {
      const at = [0, ...cuts.filter((c) => c < buf.length).sort((a, b) => a - b), buf.length];
      const pieces = at.slice(1).map((end, i) => buf.subarray(at[i]!, end));
      const dir = writeSet(pieces, (i) => `p.${String(i + 1).padStart(3, '0')}`);
      const set = await resolveSegmentSet([join(dir, 'p.001')]);
      const r = await digestSegmentSet(set, ['sha256', 'md5'], { blockSize, threads });
      expect(r.concatenation.digests.sha256).toEqual(digest('sha256', buf));
      expect(r.concatenation.digests.md5).toEqual(digest('md5', buf));
      expect(r.segments.map((s) => s.size)).toEqual(pieces.map((p) => p.length));
      expect(r.segments.map((s) => s.digests.sha256)).toEqual(pieces.map((p) => digest('sha256', p)));
    },
  );
});
