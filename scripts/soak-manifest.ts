/**
 * The folder manifest at soak scale (not part of npm test): a folder of many
 * small files (100,000 by default) listed and hashed (hashTree), its manifest
 * encoded, read back in 64 KiB chunks (ManifestReader), its root recomputed from
 * the decoded entries, and a diff after one file is changed, one removed and
 * one added. scripts/soak.ts can call soakManifest(); run alone:
 *
 *   node --import tsx scripts/soak-manifest.ts [--files 100000] [--legacy md5,sha1] [--keep DIR]
 *
 * Prints the timings; exits 1 if a check failed.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { equalBytes, toHex } from '../src/bytes.js';
import { hashTree } from '../src/files/hash-tree.js';
import { encodeManifest, ManifestReader, manifestRoot } from '../src/manifest/codec.js';
import { diffManifests } from '../src/manifest/diff.js';
import { LEGACY_ALGORITHMS, type LegacyAlgorithm, type ManifestEntry } from '../src/manifest/types.js';

export interface ManifestSoakResult {
  files: number;
  bytes: number;
  manifestBytes: number;
  root: string;
  /** Milliseconds. */
  timings: { create: number; hash: number; encode: number; decode: number; diff: number };
  failures: string[];
}

/** Runs the soak in a fresh folder under the system temp (or `dir`), removed afterwards unless `keep`. */
export async function soakManifest(
  opts: { files?: number; legacy?: readonly LegacyAlgorithm[]; dir?: string; keep?: boolean } = {},
): Promise<ManifestSoakResult> {
  const count = opts.files ?? 100_000;
  const legacy = opts.legacy ?? ['md5'];
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'custody-manifest-soak-'));
  const failures: string[] = [];
  const t = () => performance.now();
  try {
    let t0 = t();
    // 1,000 files a folder, like the camera and app folders of a phone extraction.
    for (let i = 0; i < count; i++) {
      if (i % 1000 === 0) mkdirSync(join(dir, `d${i / 1000}`), { recursive: true });
      writeFileSync(join(dir, `d${Math.floor(i / 1000)}`, `f${i}.txt`), `file ${i}\n`.repeat(1 + (i % 50)));
    }
    const create = t() - t0;

    t0 = t();
    const m = await hashTree(dir, { legacy });
    const hash = t() - t0;
    if (m.entries.length !== count) failures.push(`${m.entries.length} entries, not ${count}`);

    t0 = t();
    const { bytes, root } = encodeManifest(m);
    const encode = t() - t0;

    t0 = t();
    const reader = new ManifestReader();
    const decoded: ManifestEntry[] = [];
    for (let at = 0; at < bytes.length; at += 65536)
      decoded.push(...reader.push(bytes.subarray(at, at + 65536)));
    const end = reader.end();
    const decode = t() - t0;
    if (!equalBytes(end.root, root)) failures.push('the streamed root differs from the encoded one');
    if (!equalBytes(manifestRoot({ header: end.header, entries: decoded }), root))
      failures.push('the root of the decoded entries differs');

    appendFileSync(join(dir, 'd0', 'f0.txt'), 'changed');
    unlinkSync(join(dir, 'd0', 'f1.txt'));
    writeFileSync(join(dir, 'd0', 'new.txt'), 'new');
    t0 = t();
    const now = await hashTree(dir, { legacy });
    const d = diffManifests(m, now);
    const diff = t() - t0;
    const names = (ps: { display: string }[]) => ps.map((p) => p.display).join(',');
    if (names(d.added) !== 'd0/new.txt') failures.push(`added: ${names(d.added)}`);
    if (names(d.removed) !== 'd0/f1.txt') failures.push(`removed: ${names(d.removed)}`);
    if (names(d.changed.map((c) => c.path)) !== 'd0/f0.txt') failures.push('changed: wrong paths');

    return {
      files: count,
      bytes: m.header.bytes,
      manifestBytes: bytes.length,
      root: toHex(root),
      timings: { create, hash, encode, decode, diff },
      failures,
    };
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { files: { type: 'string' }, legacy: { type: 'string' }, keep: { type: 'string' } },
  });
  const legacy = (values.legacy ?? 'md5')
    .split(',')
    .filter((a): a is LegacyAlgorithm => (LEGACY_ALGORITHMS as readonly string[]).includes(a));
  const r = await soakManifest({
    files: values.files ? Number(values.files) : 100_000,
    legacy,
    ...(values.keep ? { dir: values.keep, keep: true } : {}),
  });
  const ms = (x: number) => `${(x / 1000).toFixed(2)} s`;
  process.stdout.write(
    `manifest soak: ${r.files} files, ${r.bytes} bytes, manifest ${r.manifestBytes} bytes, root ${r.root}\n` +
      `  create ${ms(r.timings.create)}, list+hash ${ms(r.timings.hash)}, encode ${ms(r.timings.encode)}, ` +
      `stream-decode ${ms(r.timings.decode)}, re-hash+diff ${ms(r.timings.diff)}\n` +
      `  ${r.failures.length === 0 ? 'ok' : `FAILED: ${r.failures.join('; ')}`}\n`,
  );
  if (r.failures.length > 0) process.exitCode = 1;
}
