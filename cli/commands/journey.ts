/**
 * custody journey, and verify-bundle --trust-policy (docs/CLI.md §Journeys,
 * docs/FEDERATION.md §One bundle for the journey): the bundles each ledger
 * exported of one exhibit, put in one file, and verified against the
 * relying party's trust manifest alone.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { decodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { BUNDLE_V2_LIMITS } from '../../src/bundle/bundle-v2-fields.js';
import { encodeJourney, JOURNEY_MAX_SEGMENTS } from '../../src/bundle/journey.js';
import { equalBytes, toHex } from '../../src/bytes.js';
import {
  parseTrustManifest,
  TRUST_MANIFEST_MAX_BYTES,
  type TrustManifest,
} from '../../src/checkpoint/trust-manifest.js';
import { CustodyError } from '../../src/errors.js';
import type { JourneyVerdict } from '../../src/verify/journey.js';
import { exhibitShort } from '../context.js';
import { readInputFile, readTextFile, stageNewFile } from '../files.js';
import type { Output } from '../io.js';
import type { Runner } from '../program.js';
import type { CosignerOptions } from '../relying-party.js';
import { verdictError } from '../verdict.js';

/**
 * The trust manifest of --trust-policy. It is the whole of the relying party's trust: keys,
 * witnesses or policies given beside it would leave unclear which counts (USAGE).
 */
export function readManifest(
  file: string,
  o: Omit<CosignerOptions, 'strict' | 'tsaRoot' | 'qualifiedTsaRoot'>,
): TrustManifest {
  if (
    o.trust.length + o.trustLog.length + o.witness.length + o.auditor.length > 0 ||
    o.policy !== undefined ||
    o.tlogPolicy !== undefined ||
    o.quorum !== undefined
  )
    throw new CustodyError(
      'USAGE',
      '--trust-policy names the authorities, log keys and witnesses of every ledger: give it without --trust, --trust-log, --witness, --auditor, --quorum, --policy or --tlog-policy',
      'input',
    );
  return parseTrustManifest(readTextFile(file, 'trust manifest', TRUST_MANIFEST_MAX_BYTES));
}

/** The journey's verdict: a summary per ledger and per crossing; `--json` the document of CLI.md §Journeys. */
export function printJourney(v: JourneyVerdict, out: Output, manifestFile: string): void {
  const doc = {
    ok: v.ok,
    verdict: v.verdict,
    anchored: v.segments.length > 0 && v.segments.every((s) => s.verdict.anchored),
    problems: [...v.problems, ...v.segments.flatMap((s) => s.verdict.problems)],
    warnings: v.segments.flatMap((s) => s.verdict.warnings),
    exhibit: v.exhibit ? exhibitShort(Uint8Array.from(Buffer.from(v.exhibit, 'hex'))) : null,
    journey: {
      segments: v.segments.map((s) => ({
        origin: s.origin,
        verdict: s.verdict.verdict,
        anchoredTo: s.verdict.anchoredTo,
        entries: s.verdict.entriesShown,
        lastEventSeq: s.verdict.lastEventSeq,
        problems: s.verdict.problems,
      })),
      links: v.links,
      problems: v.problems,
    },
  };
  const label = v.segments.find((s) => s.verdict.exhibit)?.verdict.exhibit;
  if (out.opts.quiet && !out.opts.json)
    out.line(
      `${v.verdict}: ${label ? `${label.label} (${label.id})` : 'the exhibit'}, across ${v.segments.length} ledgers`,
    );
  else
    out.result(doc, () => {
      out.line(
        `${v.verdict}: the journey of ${label ? `"${label.label}" (${label.id})` : 'the exhibit'} across ${v.segments.length} ledger${v.segments.length === 1 ? '' : 's'}, as the trust manifest ${basename(manifestFile)} anchors them`,
      );
      for (const [i, s] of v.segments.entries())
        out.line(
          `  ${i + 1}. ${s.origin}: ${s.verdict.verdict}${s.verdict.anchoredTo.length ? ` (anchored to its ${s.verdict.anchoredTo.join(' and ')} key)` : ''}; entries ${s.verdict.entriesShown.join(', ')}`,
        );
      const file = v.segments.map((s) => s.verdict.file).find((f) => f !== null);
      if (file)
        out.line(
          `  the file "${file.name}" ${v.segments.some((s) => s.verdict.file && !s.verdict.file.matches) ? 'does NOT match' : 'matches'} the registered digests`,
        );
      if (v.links.length > 0) out.line('Crossings:');
      const at = (t: number | null) =>
        t === null ? '?' : new Date(t).toISOString().replace('T', ' ').slice(0, 19);
      for (const l of v.links) {
        out.line(
          `  ${l.kind} ${l.from}${l.fromSeq === null ? ' (not in its segment)' : ` entry ${l.fromSeq}`} -> ${l.to} entry ${l.seq} (logged ${at(l.fromTime)} -> ${at(l.toTime)} UTC)`,
        );
        if (l.legalBasis) out.line(`      legal basis: ${l.legalBasis}`);
      }
      for (const p of doc.problems)
        out.line(`  PROBLEM ${p.code}${p.seq === null ? '' : ` at entry ${p.seq}`}: ${p.message}`);
      out.line(
        `Each ledger's full report: custody verify-bundle <file> --trust-policy ${basename(manifestFile)} --segment <n>`,
      );
    });
  const failure = verdictError({ verdict: v.verdict, problems: doc.problems });
  if (failure) throw failure;
}

export function journeyCommand(program: Command, run: Runner) {
  run(
    program
      .command('journey')
      .description(
        'put the bundles each ledger exported of one exhibit into one file, for a court to verify with --trust-policy',
      )
      .argument('<bundles...>', 'the bundle of each ledger the exhibit passed through (custody export)')
      .requiredOption('--out <file>', 'the journey file to write (conventionally *.journey)'),
    async (paths: string[], o: { out: string }, out: Output) => {
      if (paths.length > JOURNEY_MAX_SEGMENTS)
        throw new CustodyError('USAGE', `a journey holds at most ${JOURNEY_MAX_SEGMENTS} bundles`, 'input');
      const segments = paths.map((p) => {
        const b = readInputFile(p, 'bundle', BUNDLE_V2_LIMITS.bytes, 'BUNDLE_TOO_LARGE');
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      });
      const decoded = segments.map((s, i) => {
        try {
          return decodeBundleV2(s);
        } catch (e) {
          throw new CustodyError(
            'BUNDLE_MALFORMED',
            `${paths[i]} is not a custody bundle (${e instanceof Error ? e.message : e})`,
            'input',
          );
        }
      });
      const exhibit = decoded[0]!.exhibit;
      decoded.forEach((d, i) => {
        if (!equalBytes(d.exhibit, exhibit))
          throw new CustodyError(
            'JOURNEY_EXHIBIT_MISMATCH',
            `${paths[i]} is a bundle of another exhibit`,
            'input',
          );
        if (decoded.findIndex((e) => e.origin === d.origin) !== i)
          throw new CustodyError(
            'USAGE',
            `two bundles are of the ledger ${d.origin}: give one per ledger`,
            'input',
          );
      });
      stageNewFile(o.out, encodeJourney({ exhibit, segments })).commit();
      out.result(
        {
          out: o.out,
          exhibit: exhibitShort(exhibit),
          exhibitId: toHex(exhibit),
          ledgers: decoded.map((d) => d.origin),
        },
        () =>
          out.line(
            `wrote ${o.out}: the journey of ${exhibitShort(exhibit)} through ${decoded.map((d) => d.origin).join(', ')}`,
          ),
      );
    },
  );
}
