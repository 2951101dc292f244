/**
 * custody identify <path>: which exhibits of this ledger have these bytes
 * (issue 29; docs/CLI.md §custody identify), and the copies derived from them.
 *
 * The evidence is hashed as `register` hashes it (cli/evidence-kinds.ts): a
 * file's bytes, a segment set's concatenation (named by its first segment), a
 * device's bytes, a folder's manifest file (docs/MANIFEST.md). Its SHA-256 is
 * looked up in the state map's digest index (docs/FORMAT.md §The state map:
 * `digest`, `[sha256]` → exhibit ids), the index the DUPLICATE_DIGEST rule
 * reads; no statement is scanned. The index holds what registrations recorded
 * (here or carried from a peer), never the re-hashes of accept or examine.
 *
 * A folder's manifest carries the legacy digests (md5, sha1, sha512) it was
 * registered with, so its bytes, hence its SHA-256, depend on them: one hash
 * cannot find every registration of a folder. The folder is hashed once with
 * the legacy digests --hash names, and the manifest is rebuilt for every subset
 * of them (sha256 always), each looked up: `--hash md5,sha1,sha512` finds the
 * folder whatever digests it was registered with.
 *
 * Security assumption: the answer is what the ledger as stored says (map-checked
 * records, as `show` reads them); whether the log is true is `custody verify`'s
 * job. Against a server the reads are the ones `show` makes, under its need to
 * know and in its access log.
 */
import type { Command } from 'commander';
import { equalBytes } from '../../src/bytes.js';
import type { ExhibitState } from '../../src/custody/records.js';
import { NS } from '../../src/custody/records.js';
import { CustodyError } from '../../src/errors.js';
import { digestBlockDevice } from '../../src/files/block-device.js';
import { digestSegmentSet } from '../../src/files/digest-segments.js';
import { hashTree } from '../../src/files/hash-tree.js';
import { resolveSegmentSet } from '../../src/files/segment-set.js';
import type { Actor, LedgerView } from '../../src/ledger/ledger-view.js';
import { encodeManifest, headerFor } from '../../src/manifest/codec.js';
import { LEGACY_ALGORITHMS, type LegacyAlgorithm, type Manifest } from '../../src/manifest/types.js';
import { exhibitShort, keyShort, withLedger } from '../context.js';
import { hashFile, parseAlgorithms } from '../evidence-input.js';
import { digestBytes, type EvidenceKind, kindOf } from '../evidence-kinds.js';
import { hex, type Output } from '../io.js';
import type { Runner } from '../program.js';
import { progressBar } from '../progress.js';

/** One SHA-256 to look up; for a folder, the legacy digests its manifest was built with. */
interface Candidate {
  sha256: Uint8Array;
  legacy?: readonly LegacyAlgorithm[];
}

interface Hashed {
  evidence: EvidenceKind;
  size: number;
  /** The first is the one named when nothing is found: a folder's sha256-only manifest. */
  candidates: Candidate[];
}

/** An exhibit as identify shows it, with the copies derived from it. */
interface Found {
  exhibit: string;
  exhibitId: string;
  label: string;
  caseRef: string;
  /** What was registered: file, directory, segments or device (register body version 2). */
  evidence: string;
  holder: string;
  holderName: string;
  state: ExhibitState;
  parent: string | null;
  derived: Found[];
}

type Matched = Found & { matched: { sha256: string; manifestDigests?: string[] } };

/** The manifest `register --hash sha256,<keep>` would have built, from one with more legacy digests. */
export function withLegacy(m: Manifest, keep: readonly LegacyAlgorithm[]): Manifest {
  const entries = m.entries.map((e) => {
    const d = e.digests;
    if (!d) return e;
    return { ...e, digests: { sha256: d.sha256, ...Object.fromEntries(keep.map((a) => [a, d[a]!])) } };
  });
  return { header: headerFor(keep, entries), entries };
}

/** Every subset of `legacy`, the empty one first (sha256 alone: register's default). */
const subsets = (legacy: readonly LegacyAlgorithm[]): LegacyAlgorithm[][] =>
  Array.from({ length: 1 << legacy.length }, (_, mask) => legacy.filter((_a, i) => mask & (1 << i)));

async function hashEvidence(path: string, legacy: readonly LegacyAlgorithm[], out: Output): Promise<Hashed> {
  const evidence = await kindOf([path]);
  const quiet = out.opts.quiet || out.opts.json;
  if (evidence === 'directory') {
    const bar = progressBar(`hashing ${path}`, quiet);
    let m: Manifest;
    try {
      // Whatever the folder holds is listed: a registration that succeeded listed it too
      // (register refuses links and unreadable files unless told to list them).
      m = await hashTree(path, {
        legacy,
        listUnsupported: true,
        onProgress: (p) => bar.update(p.bytesDone, p.bytesTotal),
      });
    } finally {
      bar.stop();
    }
    const candidates = subsets(legacy).map((keep) => ({
      sha256: digestBytes(encodeManifest(withLegacy(m, keep)).bytes, ['sha256']).sha256!,
      legacy: keep,
    }));
    return { evidence, size: m.header.bytes, candidates };
  }
  if (evidence === 'segments') {
    const set = await resolveSegmentSet([path]);
    const bar = progressBar(`hashing ${set.names.length} segments`, quiet);
    try {
      const r = await digestSegmentSet(set, ['sha256'], {
        onProgress: (p) => bar.update(p.bytesDone, p.bytesTotal),
      });
      return {
        evidence,
        size: r.concatenation.size,
        candidates: [{ sha256: r.concatenation.digests.sha256! }],
      };
    } finally {
      bar.stop();
    }
  }
  if (evidence === 'device') {
    const bar = progressBar(`hashing ${path}`, quiet);
    try {
      const r = await digestBlockDevice(path, ['sha256'], { onProgress: (d, t) => bar.update(d, t) });
      return { evidence, size: r.size, candidates: [{ sha256: r.digests.sha256! }] };
    } finally {
      bar.stop();
    }
  }
  const { digests, size } = await hashFile(path, ['sha256'], out);
  return { evidence, size, candidates: [{ sha256: digests.sha256! }] };
}

/**
 * An exhibit with the copies derived from it, found in its history: a derived
 * copy's registration is a chain statement of its parent (docs/FORMAT.md
 * §Identity and links), so no index is needed. `path` guards against a cycle,
 * which the rules cannot produce (a registration names an exhibit before it).
 */
async function describe(
  view: LedgerView,
  id: Uint8Array,
  actors: ReadonlyMap<string, Actor>,
  path: readonly Uint8Array[] = [],
): Promise<Found> {
  const x = await view.exhibit(id);
  if (!x)
    throw new CustodyError(
      'STORE_CORRUPT',
      'the digest index names an exhibit the ledger does not hold; run custody verify',
      'unavailable',
    );
  const body = (await view.registration(id)).statement.body;
  const actor = x.holderOrigin ? undefined : actors.get(hex(x.holder));
  const children = (await view.history(id)).filter(
    (s) => s.statement.kind === 'register' && !s.foreign && !equalBytes(s.id, id),
  );
  const derived: Found[] = [];
  for (const c of children)
    if (!path.some((p) => equalBytes(p, c.id)))
      derived.push(await describe(view, c.id, actors, [...path, id]));
  return {
    exhibit: exhibitShort(id),
    exhibitId: hex(id),
    label: body['label'] as string,
    caseRef: body['caseRef'] as string,
    evidence: (body['evidence'] as string | undefined) ?? 'file',
    holder: keyShort(x.holder),
    holderName: actor?.name ?? (x.holderOrigin ? `${keyShort(x.holder)} of ${x.holderOrigin}` : '?'),
    state: x.state,
    parent: x.parent ? exhibitShort(x.parent) : null,
    derived,
  };
}

const KIND_TEXT: Record<EvidenceKind, string> = {
  file: 'the file',
  directory: 'the manifest of the folder',
  segments: 'the concatenated segments of',
  device: 'the device',
};

function render(out: Output, x: Found, depth: number, note: string) {
  const lead = depth === 0 ? '' : `${'    '.repeat(depth)}derived `;
  const from = depth === 0 && x.parent ? `  derived from ${x.parent}` : '';
  out.line(
    `${lead}${x.exhibit}  ${x.state.padEnd(10)}  ${x.label}  case ${x.caseRef}  held by ${x.holderName}${from}${note}`,
  );
  for (const d of x.derived) render(out, d, depth + 1, '');
}

export function identifyCommand(program: Command, run: Runner) {
  run(
    program
      .command('identify')
      .description('which exhibits have these bytes: hash a file, folder or segment set and look it up')
      .argument('<path>', 'the evidence: a file, a folder, the first segment of a set, or a block device')
      .option(
        '--hash <algorithms>',
        `a folder: the legacy digests its manifest may carry (${LEGACY_ALGORITHMS.join(',')}); every combination of those named is tried`,
        'sha256',
      ),
    async (path: string, o: { hash: string }, out: Output) => {
      const asked = parseAlgorithms(o.hash);
      const legacy = LEGACY_ALGORITHMS.filter((a) => asked.includes(a));
      // Hashed before the ledger is opened: a local ledger's lock is held only for the look-up.
      const h = await hashEvidence(path, legacy, out);
      if (legacy.length > 0 && h.evidence !== 'directory')
        out.note(
          `--hash only changes a folder's manifest; ${h.evidence === 'file' ? 'a file' : h.evidence === 'segments' ? 'a segment set' : 'a device'} is found by its sha256 alone`,
        );
      const primary = hex(h.candidates[0]!.sha256);
      await withLedger(out.opts, async ({ view }) => {
        const actors = new Map((await view.actors()).map((a) => [hex(a.id), a]));
        const matches: Matched[] = [];
        for (const c of h.candidates)
          for (const id of await view.lookup(NS.digest, [c.sha256])) {
            if (matches.some((m) => m.exhibitId === hex(id))) continue;
            const matched = {
              sha256: hex(c.sha256),
              ...(c.legacy ? { manifestDigests: ['sha256', ...c.legacy] } : {}),
            };
            matches.push({ ...(await describe(view, id, actors)), matched });
          }
        const json = {
          path,
          evidence: h.evidence,
          size: h.size,
          sha256: primary,
          ...(h.evidence === 'directory'
            ? {
                tried: h.candidates.map((c) => ({
                  manifestDigests: ['sha256', ...c.legacy!],
                  sha256: hex(c.sha256),
                })),
              }
            : {}),
          exhibits: matches,
        };
        out.result(json, () => {
          for (const m of matches) {
            const digests = m.matched.manifestDigests;
            const how = digests && digests.length > 1 ? `  (its manifest with ${digests.join(', ')})` : '';
            render(out, m, 0, how);
          }
          if (matches.length > 0) {
            out.note(`${KIND_TEXT[h.evidence]} ${path}: sha256 ${primary}`);
            return;
          }
          out.note(
            `no exhibit in this ledger has these bytes (sha256 ${primary}, ${KIND_TEXT[h.evidence]} ${path})`,
          );
          if (h.evidence === 'directory' && legacy.length < LEGACY_ALGORITHMS.length)
            out.note(
              `a folder registered with other digests (--hash ${LEGACY_ALGORITHMS.join(', ')}, or from a hashdeep file) has another manifest: try --hash ${LEGACY_ALGORITHMS.join(',')}, which tries every combination`,
            );
        });
      });
    },
  );
}
