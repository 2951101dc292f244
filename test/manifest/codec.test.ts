/** The manifest file (src/manifest/codec.ts, record.ts): round trip, root, strict decoding, streaming. */
import { readFileSync } from 'node:fs';
import { test as fcTest } from '@fast-check/vitest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, toHex } from '../../src/bytes.js';
import { CustodyError } from '../../src/errors.js';
import { encodeCanonical } from '../../src/format/canonical.js';
import {
  decodeManifest,
  encodeManifest,
  headerFor,
  MANIFEST_MAGIC,
  ManifestEncoder,
  ManifestReader,
  manifestRoot,
} from '../../src/manifest/codec.js';
import type { Manifest, ManifestEntry } from '../../src/manifest/types.js';
import { EMPTY_ROOT, hashChildren, hashLeaf } from '../../src/merkle/hash.js';
import { exampleManifest, hexDump, manifestArb } from './arbitraries.js';

const ascii = (s: string) => new TextEncoder().encode(s);

/** RFC 9162 §2.1.1 MTH, written from the definition (the split at the largest power of two below n). */
function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return hashLeaf(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** The frames of an encoded manifest, split by hand: the header, then each record. */
function frames(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = MANIFEST_MAGIC.length; pos < bytes.length; ) {
    const len = view.getUint32(pos);
    out.push(bytes.subarray(pos + 4, pos + 4 + len));
    pos += 4 + len;
  }
  return out;
}

function refused(f: () => unknown, message?: RegExp) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CustodyError);
    expect((e as CustodyError).code).toBe('MANIFEST_INVALID');
    if (message) expect((e as CustodyError).message).toMatch(message);
    return;
  }
  throw new Error('not refused');
}

const file = (path: string, size = 1): ManifestEntry => ({
  path: ascii(path),
  form: 'ascii',
  kind: 'file',
  size,
  digests: { sha256: new Uint8Array(32).fill(size) },
});
const manifest = (entries: ManifestEntry[]): Manifest => ({ header: headerFor([], entries), entries });
/** A manifest encoded without the encoder's checks: the magic, then the given frames' contents. */
const raw = (...contents: Uint8Array[]) =>
  concat(
    MANIFEST_MAGIC,
    ...contents.map((c) => {
      const f = new Uint8Array(4 + c.length);
      new DataView(f.buffer).setUint32(0, c.length);
      f.set(c, 4);
      return f;
    }),
  );
const header = (entries: number, bytes: number, algorithms = ['sha256']) =>
  encodeCanonical({ algorithms, bytes, entries });
const record = (path: string, size: number) =>
  encodeCanonical(['file', ascii(path), 'ascii', size, null, [new Uint8Array(32)]]);

describe('manifest encoding', () => {
  fcTest.prop([manifestArb()])('decodes to what was encoded, with the same root', (m) => {
    const { bytes, root } = encodeManifest(m);
    const d = decodeManifest(bytes);
    expect(d.manifest).toEqual(m);
    expect(d.root).toEqual(root);
    expect(manifestRoot(m)).toEqual(root);
    expect(encodeManifest(d.manifest).bytes).toEqual(bytes);
  });

  fcTest.prop([manifestArb()])('roots are RFC 9162 MTH over the records', (m) => {
    const { bytes, root } = encodeManifest(m);
    const fs = frames(bytes);
    expect(fs.length).toBe(m.entries.length + 1);
    expect(root).toEqual(mth(fs.slice(1)));
  });

  it('gives an empty folder EMPTY_ROOT', () => {
    const { bytes, root } = encodeManifest(manifest([]));
    expect(root).toEqual(EMPTY_ROOT);
    expect(decodeManifest(bytes).root).toEqual(EMPTY_ROOT);
  });

  fcTest.prop([manifestArb(6), fc.nat(), fc.integer({ min: 1, max: 255 })])(
    'refuses or changes the root on any single-byte change',
    (m, at, xor) => {
      const { bytes, root } = encodeManifest(m);
      const bad = bytes.slice();
      bad[at % bad.length]! ^= xor;
      let decoded: { root: Uint8Array } | undefined;
      try {
        decoded = decodeManifest(bad);
      } catch (e) {
        expect((e as CustodyError).code).toBe('MANIFEST_INVALID');
        return;
      }
      expect(toHex(decoded.root)).not.toBe(toHex(root));
    },
  );

  it('refuses or changes the root on every single-byte change of the worked example', () => {
    const { bytes, root } = encodeManifest(exampleManifest());
    const headerEnd = MANIFEST_MAGIC.length + 4 + frames(bytes)[0]!.length;
    for (let at = 0; at < bytes.length; at++)
      for (const xor of [0x01, 0x80, 0xff]) {
        const bad = bytes.slice();
        bad[at]! ^= xor;
        let decoded: { root: Uint8Array } | undefined;
        try {
          decoded = decodeManifest(bad);
        } catch (e) {
          if (!(e instanceof CustodyError)) throw e;
          expect(e.code).toBe('MANIFEST_INVALID');
        }
        // The magic and the header are never merely different: they are refused.
        if (at < headerEnd) expect(decoded, `byte ${at} ^ ${xor}`).toBeUndefined();
        else if (decoded) expect(toHex(decoded.root)).not.toBe(toHex(root));
      }
  });

  fcTest.prop([manifestArb(), fc.array(fc.nat(), { maxLength: 20 })])(
    'reads the same from chunks of any size',
    (m, cuts) => {
      const { bytes, root } = encodeManifest(m);
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const r = new ManifestReader();
      const entries: ManifestEntry[] = [];
      let from = 0;
      for (const p of [...points, bytes.length]) {
        entries.push(...r.push(bytes.slice(from, p)));
        from = p;
      }
      expect(r.end().root).toEqual(root);
      expect(entries).toEqual(m.entries);
    },
  );

  it('is documented byte for byte by the worked example in docs/MANIFEST.md', () => {
    const { bytes, root } = encodeManifest(exampleManifest());
    const doc = readFileSync(new URL('../../docs/MANIFEST.md', import.meta.url), 'utf8');
    expect(doc).toContain(hexDump(bytes));
    expect(doc).toContain(toHex(root));
    const fs = frames(bytes);
    expect(doc).toContain(toHex(hashLeaf(fs[1]!)));
    expect(doc).toContain(toHex(hashLeaf(fs[2]!)));
  });
});

describe('manifest decoding refuses', () => {
  it('another magic, a truncation or trailing bytes', () => {
    const { bytes } = encodeManifest(manifest([file('a')]));
    refused(
      () => decodeManifest(concat(ascii('custody-manifest v2\n'), bytes.subarray(20))),
      /custody manifest/,
    );
    refused(() => decodeManifest(bytes.subarray(0, 10)), /truncated/);
    refused(() => decodeManifest(bytes.subarray(0, bytes.length - 1)), /truncated/);
    refused(() => decodeManifest(concat(bytes, new Uint8Array([0]))), /truncated/);
    refused(() => decodeManifest(concat(bytes, new Uint8Array([0, 0, 0, 0]))), /length 0/);
    refused(() => decodeManifest(MANIFEST_MAGIC), /truncated/);
  });

  it('a frame longer than MAX_RECORD, before reading it', () => {
    const r = new ManifestReader();
    refused(() => r.push(concat(MANIFEST_MAGIC, new Uint8Array([0, 1, 0, 1]))), /outside 1\.\.65536/);
  });

  it('paths out of order, duplicated, or under another entry', () => {
    refused(() => decodeManifest(raw(header(2, 0), record('b', 0), record('a', 0))), /out of bytewise order/);
    refused(() => decodeManifest(raw(header(2, 0), record('a', 0), record('a', 0))), /duplicate/);
    refused(
      () => decodeManifest(raw(header(3, 0), record('a', 0), record('a.txt', 0), record('a/b', 0))),
      /inside another/,
    );
    expect(
      decodeManifest(raw(header(3, 0), record('a', 0), record('a.txt', 0), record('a0', 0))).manifest.entries,
    ).toHaveLength(3);
  });

  it('counts that differ from the header', () => {
    refused(() => decodeManifest(raw(header(2, 3), record('a', 3))), /1 entries, its header says 2/);
    refused(() => decodeManifest(raw(header(1, 3), record('a', 3), record('b', 0))), /more entries/);
    refused(() => decodeManifest(raw(header(1, 4), record('a', 3))), /3 bytes, its header says 4/);
    refused(() => decodeManifest(raw(header(1, 2), record('a', 3))), /more bytes/);
  });

  it('a header or record that is not canonical or not of its shape', () => {
    refused(() => decodeManifest(raw(encodeCanonical({ algorithms: ['sha256'], entries: 0 }))), /exactly/);
    refused(() => decodeManifest(raw(header(0, 0, ['md5', 'sha256']))), /sha256 then/);
    refused(() => decodeManifest(raw(header(0, 0, ['sha256', 'sha1', 'md5']))), /sha256 then/);
    refused(() => decodeManifest(raw(header(0, 0, ['sha256', 'md5', 'md5']))), /sha256 then/);
    // size 1 as uint8 (cc 01) instead of a fixint: valid MessagePack, not canonical.
    const nonCanonical = concat(
      new Uint8Array([0x96, 0xa4]),
      ascii('file'),
      new Uint8Array([0xc4, 1, 0x61, 0xa5]),
      ascii('ascii'),
      new Uint8Array([0xcc, 1, 0xc0, 0x91, 0xc4, 32]),
      new Uint8Array(32),
    );
    refused(() => decodeManifest(raw(header(1, 1), nonCanonical)), /non-canonical/);
    const shapes: unknown[][] = [
      ['file', ascii('a'), 'ascii', 1, null, [new Uint8Array(31)]],
      ['file', ascii('a'), 'ascii', 1, null, []],
      ['file', ascii('a'), 'ascii', 1, ascii('t'), [new Uint8Array(32)]],
      ['link', ascii('a'), 'ascii', 0, null, []],
      ['dir', ascii('a'), 'ascii', 1, null, []],
      ['dir', ascii('a'), 'nfc', 0, null, []],
      ['dir', new Uint8Array([0xff]), 'nfc', 0, null, []],
      ['dir', ascii('a/./b'), 'ascii', 0, null, []],
      ['dir', ascii('/a'), 'ascii', 0, null, []],
      ['dir', ascii('a//b'), 'ascii', 0, null, []],
      ['dir', ascii('a/'), 'ascii', 0, null, []],
      ['dir', ascii('..'), 'ascii', 0, null, []],
      ['dir', ascii('a\0b'), 'ascii', 0, null, []],
      ['symlink', ascii('a'), 'ascii', 0, null, []],
      ['special', ascii('a'), 'ascii', 0, null, [new Uint8Array(32)]],
      ['dir', ascii('a'), 'ascii', 0, null],
    ];
    for (const s of shapes) {
      const bytes = s[0] === 'file' ? 1 : 0;
      refused(() => decodeManifest(raw(header(1, bytes), encodeCanonical(s as never))));
    }
  });
});

describe('manifest encoder', () => {
  it('refuses what decoding would refuse', () => {
    refused(() => encodeManifest(manifest([file('b'), file('a')])), /out of bytewise order/);
    refused(() => encodeManifest(manifest([file('a'), file('a/b')])), /inside another/);
    refused(
      () => encodeManifest({ header: { legacy: [], entries: 2, bytes: 1 }, entries: [file('a')] }),
      /1 entries/,
    );
    refused(() => encodeManifest({ header: { legacy: ['sha1', 'md5'], entries: 0, bytes: 0 }, entries: [] }));
    refused(
      () => encodeManifest({ header: { legacy: ['md5'], entries: 1, bytes: 1 }, entries: [file('a')] }),
      /without its md5/,
    );
    refused(() => encodeManifest(manifest([{ ...file('a'), form: 'nfd' }])), /recorded as nfd/);
    refused(() => encodeManifest({ header: { legacy: [], entries: -1, bytes: 0 }, entries: [] }), /count/);
  });

  it('streams: start, then one frame per entry, then the root', () => {
    const m = manifest([file('a', 2), file('b', 3)]);
    const enc = new ManifestEncoder(m.header);
    const parts = [enc.start(), ...m.entries.map((e) => enc.add(e))];
    expect(enc.finish()).toEqual(encodeManifest(m).root);
    expect(concat(...parts)).toEqual(encodeManifest(m).bytes);
  });
});
