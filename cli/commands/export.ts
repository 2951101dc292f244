/**
 * custody export: one exhibit as a bundle for a recipient, the disclosure recorded
 * (docs/PRIVACY.md); or, with --format csv, the exhibits or one exhibit's events as a
 * CSV table (docs/CLI.md §custody export --format csv).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { decodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { disclosedFields } from '../../src/bundle/disclosure.js';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { encodeJourney } from '../../src/bundle/journey.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { writeCsv } from '../../src/export/csv.js';
import { COMMITTED_FIELDS } from '../../src/format/kinds.js';
import { DISCLOSURE_PROFILES, type DisclosureProfile } from '../../src/format/vocabulary.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import { logPublicKey, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import type { Manifest } from '../../src/manifest/types.js';
import { readAccessKey } from '../access-key.js';
import { commaList } from '../args.js';
import {
  exhibitShort,
  keyShort,
  requireKey,
  resolveExhibit,
  statementKeyId,
  submit,
  withLedger,
} from '../context.js';
import { stageNewFile } from '../files.js';
import { gatherSegments } from '../gather.js';
import { b64, type GlobalOptions, hex, type Output } from '../io.js';
import { loadSigner } from '../keys.js';
import { besideLedger, EVIDENCE_WORDS, manifestBeside, registeredManifest } from '../manifest-source.js';
import type { Runner } from '../program.js';
import { isLedgerUrl } from '../remote.js';
import { exhibitTimeline } from './queries.js';

/**
 * The checkpoint a bundle is exported under: a fresh one signed with the log
 * key when it is given, else the latest stored checkpoint, which must cover
 * the exhibit's last event (a bundle proves history only up to its checkpoint).
 */
export async function exportCheckpoint(
  view: LedgerView,
  exhibit: Uint8Array,
  logKey: Signer | undefined,
): Promise<string> {
  if (logKey) return (await signLogCheckpoint(view, logKey)).note;
  const latest = await view.latestCheckpoint();
  const at = (await view.exhibit(exhibit))!.at;
  if (latest === undefined || latest.size <= at)
    throw new CustodyError(
      'CHECKPOINT_NEEDS_KEY',
      `no stored checkpoint covers the last event of ${exhibitShort(exhibit)} (entry ${at}); give --log-key <log key file> to sign one`,
      'input',
    );
  return latest.note;
}

/** The options of `custody export`: a bundle's (its five required ones checked by `required`), or a CSV table's. */
interface ExportOptions {
  format?: string;
  out?: string;
  key?: string;
  profile?: string;
  recipient?: string;
  legalBasis?: string;
  disclose?: string;
  withhold?: string;
  logKey?: string;
  gather?: boolean;
  peerKey?: string;
  exhibit?: string;
  withManifest?: boolean;
}

type BundleOptions = ExportOptions &
  Required<Pick<ExportOptions, 'out' | 'key' | 'profile' | 'recipient' | 'legalBasis'>>;

/** The flags a bundle export requires, as commander words a missing one (they are optional for CSV). */
const BUNDLE_REQUIRED: readonly [keyof BundleOptions, string][] = [
  ['out', '--out <file>'],
  ['key', '--key <key file>'],
  ['profile', '--profile <profile>'],
  ['recipient', '--recipient <text>'],
  ['legalBasis', '--legal-basis <ref>'],
];

function required(input: string | undefined, o: ExportOptions): { input: string; o: BundleOptions } {
  if (o.exhibit !== undefined)
    throw new CustodyError(
      'USAGE',
      '--exhibit is for --format csv; a bundle names its exhibit as the argument',
      'input',
    );
  if (input === undefined) throw new CustodyError('USAGE', "missing required argument 'exhibit'", 'input');
  for (const [k, flag] of BUNDLE_REQUIRED)
    if (o[k] === undefined)
      throw new CustodyError('USAGE', `required option '${flag}' not specified`, 'input');
  return { input, o: o as BundleOptions };
}

/**
 * The exhibit's registered manifest for `--with-manifest`, found as every command finds one
 * (cli/manifest-source.ts) and checked against the root its registration commits to. Asked
 * before anything is exported, recorded or written, so a refusal leaves the ledger as it was.
 */
async function manifestToExport(
  view: LedgerView,
  exhibit: Uint8Array,
  opts: GlobalOptions,
): Promise<{ bytes: Uint8Array; manifest: Manifest; root: Uint8Array }> {
  const { ledger } = opts;
  const body = (await view.registration(exhibit)).statement.body;
  const root = body['manifest'];
  if (!(root instanceof Uint8Array)) {
    const kind = (body['evidence'] as string | undefined) ?? 'file';
    throw new CustodyError(
      'USAGE',
      `--with-manifest: ${exhibitShort(exhibit)} was registered as a ${EVIDENCE_WORDS[kind] ?? kind}, which has no manifest`,
      'input',
    );
  }
  const found = await registeredManifest(root, { ledger, server: { opts, exhibit } });
  if (found === undefined)
    throw new CustodyError(
      'MANIFEST_MISSING',
      `--with-manifest: the manifest registered for ${exhibitShort(exhibit)} (root ${hex(root)}) is not ${
        isLedgerUrl(ledger) ? `kept by the ledger server ${ledger}` : `at ${besideLedger(ledger, root)}`
      }; nothing was exported`,
      'input',
    );
  return { ...found, root };
}

export function exportCommand(program: Command, run: Runner) {
  run(
    program
      .command('export')
      .description(
        "export one exhibit as a bundle for a recipient, disclosing what its profile allows, and record the disclosure; with --format csv, list the exhibits (or one exhibit's events) as a CSV table",
      )
      .argument('[exhibit]', 'exhibit id (EX-…) or unique label (required for a bundle)')
      .option('--format <format>', 'bundle (default) | csv')
      .option(
        '--out <file>',
        'bundle file to write (conventionally *.custody), required; with --format csv the CSV file (default: standard output)',
      )
      .option(
        '--key <key file>',
        'your key: you sign the disclose statement that records this export (bundle)',
      )
      .option('--profile <profile>', `who receives it: ${DISCLOSURE_PROFILES.join('|')} (bundle)`)
      .option('--recipient <text>', 'the person or body it is given to (bundle)')
      .option('--legal-basis <ref>', 'why it may be given (order, request, article) (bundle)')
      .option(
        '--exhibit <exhibit>',
        "with --format csv: that exhibit's events instead of the list of exhibits",
      )
      .option('--disclose <fields>', 'committed fields to disclose besides the profile’s (comma-separated)')
      .option('--withhold <fields>', 'committed fields to withhold although the profile discloses them')
      .option('--log-key <key file>', 'the log key: signs a fresh checkpoint covering the whole log')
      .option(
        '--gather',
        "write one journey file: this ledger's bundle and every peer ledger's segment of the exhibit, asked for with --peer-key",
      )
      .option(
        '--peer-key <access key file>',
        "this ledger's credential at its peers (an access key they list as a reader)",
      )
      .option(
        '--with-manifest',
        "a folder's or segment set's registered manifest too, written beside the bundle (x.custody -> x.manifest)",
      ),
    async (argument: string | undefined, options: ExportOptions, out: Output) => {
      const format = options.format ?? 'bundle';
      if (format === 'csv') return exportCsv(argument, options, out);
      if (format !== 'bundle') throw new CustodyError('USAGE', '--format must be bundle or csv', 'input');
      const { input, o } = required(argument, options);
      if (!(DISCLOSURE_PROFILES as readonly string[]).includes(o.profile))
        throw new CustodyError(
          'USAGE',
          `--profile must be one of ${DISCLOSURE_PROFILES.join(', ')}`,
          'input',
        );
      const _list = (v?: string) =>
        v === undefined
          ? []
          : v
              .split(',')
              .map((f) => f.trim())
              .filter(Boolean);
      let fields = disclosedFields(o.profile as DisclosureProfile, {
        disclose: commaList(o.disclose),
        withhold: commaList(o.withhold),
      });
      if ((o.gather === true) !== (o.peerKey !== undefined))
        throw new CustodyError('USAGE', 'give --gather and --peer-key together', 'input');
      const credential = o.peerKey ? readAccessKey(o.peerKey) : undefined;
      const signer = await loadSigner(o.key, out);
      const logKey = o.logKey ? await loadSigner(o.logKey, out) : undefined;
      await withLedger(out.opts, async (l) => {
        const { view } = l;
        const exhibit = await resolveExhibit(view, input);
        await requireKey(view, signer);
        const manifestOut = o.withManifest ? manifestBeside(o.out) : undefined;
        const travelling = o.withManifest ? await manifestToExport(view, exhibit, out.opts) : undefined;
        // Before a checkpoint is signed or a bundle built; staging checks again (a race).
        if (manifestOut && existsSync(manifestOut))
          throw new CustodyError(
            'FILE_EXISTS',
            `${manifestOut} exists; choose another --out (it is never overwritten)`,
            'input',
          );
        // A legal hold keeps its fields from every profile it does not name (PRIVACY.md §Restriction).
        const held = new Set<string>();
        for (const [, hf, recipients] of await view.holds(exhibit))
          if (!recipients.includes(o.profile)) for (const f of hf.length ? hf : COMMITTED_FIELDS) held.add(f);
        const heldBack = fields.filter((f) => held.has(f));
        if (heldBack.length > 0)
          out.warn(`under a legal hold, withheld from a ${o.profile} export: ${heldBack.join(', ')}`);
        fields = fields.filter((f) => !held.has(f));
        const note = await exportCheckpoint(view, exhibit, logKey);
        const bytes = await exportBundle(view, exhibit, note, { disclose: fields });
        const bundle = decodeBundleV2(bytes);
        // The peers' segments first: if one cannot be had, nothing is recorded or written here.
        const gathered = credential
          ? await gatherSegments(view, bytes, exhibit, credential, o.recipient)
          : [];
        const written = credential
          ? encodeJourney({ exhibit, segments: [bytes, ...gathered.map((g) => g.bytes)] })
          : bytes;
        // The file appears under its name only once its disclosure is recorded:
        // an export that is not in the log never leaves the workstation.
        const staged = stageNewFile(o.out, written);
        let stagedManifest: ReturnType<typeof stageNewFile> | undefined;
        try {
          stagedManifest = manifestOut ? stageNewFile(manifestOut, travelling!.bytes) : undefined;
        } catch (e) {
          staged.abort();
          throw e;
        }
        let disclosure: Awaited<ReturnType<typeof submit>>;
        try {
          // With the manifest, body version 2 records its root: it names every file of the folder,
          // so its giving is a disclosure too (docs/FORMAT.md §disclose).
          disclosure = await submit(l, {
            kind: 'disclose',
            signer,
            fields: {
              recipient: o.recipient,
              profile: o.profile,
              legalBasis: o.legalBasis,
              fields,
              bundle: sha256(bytes),
              ...(travelling ? { manifest: travelling.root } : {}),
            },
            exhibit,
            after: (await view.exhibit(exhibit))!.head,
          });
        } catch (e) {
          staged.abort();
          stagedManifest?.abort();
          throw e;
        }
        staged.commit();
        stagedManifest?.commit();
        const authority = (await view.statementAt(0)).statement.signer.key.publicKey;
        const short = exhibitShort(exhibit);
        const withheld = COMMITTED_FIELDS.filter((f) => !fields.includes(f));
        out.result(
          {
            exhibit: short,
            out: o.out,
            bytes: bytes.length,
            sha256: hex(sha256(bytes)),
            entries: bundle.entries.length,
            checkpointSize: Number(bundle.checkpoint.split('\n')[1]),
            profile: o.profile,
            disclosed: fields,
            withheld,
            disclosure: { index: disclosure.submitted.index, id: hex(disclosure.submitted.id) },
            authority: b64(authority),
            logKey: b64(await logPublicKey(view)),
            ...(manifestOut
              ? {
                  manifestFile: manifestOut,
                  manifestBytes: travelling!.bytes.length,
                  manifestRoot: hex(travelling!.root),
                }
              : {}),
            ...(credential
              ? {
                  journey: true,
                  journeyBytes: written.length,
                  segments: gathered.map((g) => ({ origin: g.origin, url: g.url, bytes: g.bytes.length })),
                }
              : {}),
          },
          () => {
            out.line(
              `wrote ${o.out}: exhibit ${short}, ${bundle.entries.length} entries, ${bytes.length} bytes, for ${o.recipient} (${o.profile})`,
            );
            out.note(
              `disclosed: ${fields.join(', ') || 'nothing'}; withheld: ${withheld.join(', ') || 'nothing'}; recorded as entry ${disclosure.submitted.index}`,
            );
            if (manifestOut)
              out.line(
                `wrote ${manifestOut}: its registered manifest, ${travelling!.manifest.header.entries} entries, ${travelling!.bytes.length} bytes (every path it lists, with sizes and digests; the disclosure records it too)`,
              );
            if (credential) {
              out.note(
                `a journey across ${gathered.length + 1} ledgers: ${[decodeBundleV2(bytes).origin, ...gathered.map((g) => g.origin)].join(', ')}; each peer recorded what it handed over`,
              );
              out.note(
                `the receiver verifies it with: custody verify-bundle ${o.out} --trust-policy <their trust manifest>`,
              );
            } else
              out.note(
                `the receiver verifies it with: custody verify-bundle ${o.out} --trust ${b64(authority)}`,
              );
          },
        );
      });
    },
  );
}

/** The flags of a bundle export, refused with --format csv (a table records no disclosure). */
const BUNDLE_ONLY: readonly [keyof ExportOptions, string][] = [
  ['key', '--key'],
  ['profile', '--profile'],
  ['recipient', '--recipient'],
  ['legalBasis', '--legal-basis'],
  ['disclose', '--disclose'],
  ['withhold', '--withhold'],
  ['logKey', '--log-key'],
  ['gather', '--gather'],
  ['peerKey', '--peer-key'],
  ['withManifest', '--with-manifest'],
];

/** Columns of the exhibits table (docs/CLI.md §custody export --format csv). */
export const EXHIBIT_COLUMNS = [
  'exhibit',
  'exhibit_id',
  'label',
  'case',
  'state',
  'holder',
  'holder_key',
  'holder_jurisdiction',
  'registered_at',
  'registered_by',
  'size',
  'sha256',
] as const;

/** Columns of one exhibit's events. */
export const EVENT_COLUMNS = ['position', 'time', 'kind', 'signer', 'signer_key', 'to', 'summary'] as const;

interface Table {
  name: 'exhibits' | 'events';
  header: readonly string[];
  rows: string[][];
}

/**
 * `custody export --format csv [<exhibit> | --exhibit <exhibit>] [--out <file.csv>]`: a
 * read, like `exhibits` and `show`; it signs and records nothing (what it lists is the
 * ledger's own listing, not an exhibit's record for a recipient).
 */
async function exportCsv(input: string | undefined, o: ExportOptions, out: Output): Promise<void> {
  for (const [k, flag] of BUNDLE_ONLY)
    if (o[k] !== undefined)
      throw new CustodyError('USAGE', `${flag} is for a bundle export, not --format csv`, 'input');
  if (input !== undefined && o.exhibit !== undefined)
    throw new CustodyError('USAGE', 'name the exhibit once: as the argument or with --exhibit', 'input');
  if (out.opts.json && o.out === undefined)
    throw new CustodyError('USAGE', '--json with --format csv needs --out <file.csv>', 'input');
  if (o.out !== undefined && existsSync(o.out))
    throw new CustodyError(
      'FILE_EXISTS',
      `${o.out} exists; choose another name (it is never overwritten)`,
      'input',
    );
  const which = o.exhibit ?? input;
  const { table, exhibit } = await withLedger(out.opts, async ({ view }) => {
    if (which === undefined) return { table: await exhibitsTable(view), exhibit: undefined };
    const id = await resolveExhibit(view, which);
    return { table: await eventsTable(view, id), exhibit: id };
  });
  const text = writeCsv(table.header, table.rows);
  if (o.out === undefined) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text, 'utf8');
  stageNewFile(o.out, bytes).commit();
  out.result(
    {
      out: o.out,
      format: 'csv',
      table: table.name,
      ...(exhibit ? { exhibit: exhibitShort(exhibit) } : {}),
      columns: table.header,
      rows: table.rows.length,
      bytes: bytes.length,
      sha256: hex(sha256(bytes)),
    },
    () =>
      out.line(
        `wrote ${o.out}: ${table.rows.length} ${table.name === 'exhibits' ? 'exhibits' : `events of ${exhibitShort(exhibit!)}`}, CSV (RFC 4180, UTF-8)`,
      ),
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One row per exhibit, in the order of their ids (as `custody exhibits`). */
async function exhibitsTable(view: LedgerView): Promise<Table> {
  const actors = new Map((await view.actors()).map((a) => [hex(a.id), a]));
  const { origin } = await view.ledger();
  const rows: string[][] = [];
  for (const { id, record: x } of await view.exhibits()) {
    const reg = (await view.registration(id)).statement;
    const holder = x.holderOrigin ? undefined : actors.get(hex(x.holder));
    const registrant = statementKeyId(reg.signer.key.publicKey);
    rows.push([
      exhibitShort(id),
      hex(id),
      reg.body['label'] as string,
      reg.body['caseRef'] as string,
      x.state,
      holder?.name ?? (x.holderOrigin ? `${keyShort(x.holder)} of ${x.holderOrigin}` : '?'),
      keyShort(x.holder),
      holder?.record.jurisdiction ?? '',
      iso(reg.time),
      // A registration carried from a peer ledger was signed by one of its actors.
      reg.origin !== origin
        ? `${keyShort(registrant)} of ${reg.origin}`
        : (actors.get(hex(registrant))?.name ?? '?'),
      String(reg.body['size']),
      hex(x.sha256),
    ]);
  }
  return { name: 'exhibits', header: EXHIBIT_COLUMNS, rows };
}

/** One row per event of the exhibit's chain, in log order (as the events of `custody show`). */
async function eventsTable(view: LedgerView, id: Uint8Array): Promise<Table> {
  const t = await exhibitTimeline(view, id);
  const rows = t.events.map((e) => {
    const { to, ...rest } = e.details;
    const summary = [
      ...(e.derived ? [`derived copy ${e.derived}`] : []),
      ...Object.entries(rest).map(([k, v]) => `${k}: ${v}`),
    ].join('; ');
    return [String(e.seq), iso(e.time), e.kind, e.actor.name, e.actor.id, to ?? '', summary];
  });
  return { name: 'events', header: EVENT_COLUMNS, rows };
}
