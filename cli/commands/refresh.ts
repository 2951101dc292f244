/**
 * custody refresh: a freshness file for a bundle (docs/BUNDLE.md §Freshness:
 * a newer checkpoint for a bundle), so that `verify-bundle --fresh` judges
 * the bundle's verdict as of a newer checkpoint of the same log.
 */
import type { Command } from 'commander';
import { BUNDLE_V2_LIMITS, decodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { exportFreshness } from '../../src/bundle/export-freshness.js';
import { appendRenewal, latestCheckpoint } from '../../src/bundle/renewal.js';
import { parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { parseNote } from '../../src/checkpoint/note.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { exhibitShort, withLedger } from '../context.js';
import { readInputFile, readTextFile, stageNewFile } from '../files.js';
import { hex, type Output } from '../io.js';
import { loadSigner } from '../keys.js';
import type { Runner } from '../program.js';

export function refreshCommand(program: Command, run: Runner) {
  run(
    program
      .command('refresh')
      .description(
        "write a freshness file: a newer checkpoint of the ledger for a bundle, with the proofs that nothing of the bundle's changed since",
      )
      .argument('<bundle>', 'the bundle file (exported by custody export)')
      .requiredOption(
        '--out <file>',
        'freshness file to write (conventionally *.fresh); with --append, the renewed bundle',
      )
      .option(
        '--append',
        'write the bundle with the renewal appended to it, instead of a separate freshness file',
      )
      .option('--checkpoint <note file>', 'a signed checkpoint note of this ledger to refresh to')
      .option('--log-key <key file>', 'the log key: signs a checkpoint covering the whole log'),
    async (
      path: string,
      o: { out: string; checkpoint?: string; logKey?: string; append?: boolean },
      out: Output,
    ) => {
      if (o.checkpoint !== undefined && o.logKey !== undefined)
        throw new CustodyError('USAGE', 'give --checkpoint or --log-key, not both', 'input');
      const b = readInputFile(path, 'bundle', BUNDLE_V2_LIMITS.bytes, 'BUNDLE_TOO_LARGE');
      const bundleBytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      const bundle = decodeBundleV2(bundleBytes);
      // A renewed bundle is extended from its newest checkpoint.
      const n = bundleSize(latestCheckpoint(bundle));
      const given = o.checkpoint === undefined ? undefined : readTextFile(o.checkpoint, 'checkpoint');
      const logKey = o.logKey ? await loadSigner(o.logKey, out) : undefined;
      await withLedger(out.opts, async ({ view }) => {
        let note = given;
        if (note === undefined && logKey) note = (await signLogCheckpoint(view, logKey)).note;
        if (note === undefined) {
          const latest = await view.latestCheckpoint();
          if (latest === undefined || latest.size < n)
            throw new CustodyError(
              'CHECKPOINT_NEEDS_KEY',
              `no stored checkpoint is at or after the bundle's size ${n}; give --log-key <log key file> to sign one`,
              'input',
            );
          note = latest.note;
        }
        const fresh = await exportFreshness(view, bundleBytes, note);
        const bytes = o.append ? appendRenewal(bundleBytes, fresh) : fresh;
        stageNewFile(o.out, bytes).commit();
        const m = bundleSize(note);
        const short = exhibitShort(bundle.exhibit);
        out.result(
          {
            exhibit: short,
            out: o.out,
            bytes: bytes.length,
            sha256: hex(sha256(bytes)),
            size: n,
            checkpointSize: m,
            ...(o.append ? { renewals: decodeBundleV2(bytes).renewals?.length ?? 0 } : {}),
          },
          () => {
            out.line(
              o.append
                ? `wrote ${o.out}: ${short}, the bundle with a renewal from size ${n} to the checkpoint of size ${m} appended`
                : `wrote ${o.out}: ${short}, bundle at size ${n} refreshed to the checkpoint of size ${m}`,
            );
            out.note(
              o.append
                ? `the receiver verifies it with: custody verify-bundle ${o.out} --trust …`
                : `the receiver verifies it with: custody verify-bundle ${path} --fresh ${o.out} --trust …`,
            );
          },
        );
      });
    },
  );
}

/** The size of a checkpoint note (CHECKPOINT_MALFORMED, input, if it is none). */
function bundleSize(note: string): number {
  try {
    return parseCheckpoint(parseNote(note).text).size;
  } catch (e) {
    throw new CustodyError(
      'CHECKPOINT_MALFORMED',
      `not a signed checkpoint: ${e instanceof Error ? e.message : 'unreadable'}`,
      'input',
    );
  }
}
