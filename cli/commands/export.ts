/** custody export: one exhibit as a bundle for a recipient, the disclosure recorded (docs/PRIVACY.md). */
import type { Command } from 'commander';
import { decodeBundleV2 } from '../../src/bundle/bundle-v2.js';
import { disclosedFields } from '../../src/bundle/disclosure.js';
import { exportBundle } from '../../src/bundle/export-v2.js';
import { encodeJourney } from '../../src/bundle/journey.js';
import type { Signer } from '../../src/crypto/ed25519.js';
import { sha256 } from '../../src/crypto/sha256.js';
import { CustodyError } from '../../src/errors.js';
import { COMMITTED_FIELDS } from '../../src/format/kinds.js';
import { DISCLOSURE_PROFILES, type DisclosureProfile } from '../../src/format/vocabulary.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import { logPublicKey, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { readAccessKey } from '../access-key.js';
import { commaList } from '../args.js';
import { exhibitShort, requireKey, resolveExhibit, submit, withLedger } from '../context.js';
import { stageNewFile } from '../files.js';
import { gatherSegments } from '../gather.js';
import { b64, hex, type Output } from '../io.js';
import { loadSigner } from '../keys.js';
import type { Runner } from '../program.js';

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

export function exportCommand(program: Command, run: Runner) {
  run(
    program
      .command('export')
      .description(
        'export one exhibit as a bundle for a recipient, disclosing what its profile allows, and record the disclosure',
      )
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption('--out <file>', 'bundle file to write (conventionally *.custody)')
      .requiredOption(
        '--key <key file>',
        'your key: you sign the disclose statement that records this export',
      )
      .requiredOption('--profile <profile>', `who receives it: ${DISCLOSURE_PROFILES.join('|')}`)
      .requiredOption('--recipient <text>', 'the person or body it is given to')
      .requiredOption('--legal-basis <ref>', 'why it may be given (order, request, article)')
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
      ),
    async (
      input: string,
      o: {
        out: string;
        key: string;
        profile: string;
        recipient: string;
        legalBasis: string;
        disclose?: string;
        withhold?: string;
        logKey?: string;
        gather?: boolean;
        peerKey?: string;
      },
      out: Output,
    ) => {
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
        let disclosure: Awaited<ReturnType<typeof submit>>;
        try {
          disclosure = await submit(l, {
            kind: 'disclose',
            signer,
            fields: {
              recipient: o.recipient,
              profile: o.profile,
              legalBasis: o.legalBasis,
              fields,
              bundle: sha256(bytes),
            },
            exhibit,
            after: (await view.exhibit(exhibit))!.head,
          });
        } catch (e) {
          staged.abort();
          throw e;
        }
        staged.commit();
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
