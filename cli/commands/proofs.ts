/** custody checkpoint | checkpoints | prove | consistency (the witness commands: ./witness.ts) */
import type { Command } from 'commander';
import { parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { formatMlDsaCosignerVkey } from '../../src/checkpoint/cosignature-mldsa.js';
import { formatVkey, parseNote } from '../../src/checkpoint/note.js';
import { CustodyError } from '../../src/errors.js';
import { KEY_PURPOSES, KEY_TYPES } from '../../src/format/key-id.js';
import { type Archived, archiveLatestCheckpoint } from '../../src/ledger/archive.js';
import { logPublicKey, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import { collect, natural } from '../args.js';
import { withLedger } from '../context.js';
import { hex, type Output } from '../io.js';
import { loadMlDsaSigner, loadSigner } from '../keys.js';
import type { Runner } from '../program.js';
import { commandTsa, httpTsa, readCertificates } from '../tsa.js';

export function proofCommands(program: Command, run: Runner) {
  run(
    program
      .command('checkpoint')
      .description(
        'sign (or show) the checkpoint of the current log, as a C2SP signed note; --vkey prints the log verifier key',
      )
      .option('--log-key <key file>', 'the log key file (its public key is named in the genesis statement)')
      .option(
        '--mldsa-key <key file>',
        "the log's ML-DSA-44 key file (custody authority add-log-key): dual-sign the checkpoint",
      )
      .option(
        '--archive',
        'first append the latest stored checkpoint to the log as a log record, so the new checkpoint commits to it',
      )
      .option(
        '--tsa-url <url>',
        'with --archive: an RFC 3161 time-stamping authority to date the archived checkpoint',
      )
      .option(
        '--tsa-command <command>',
        'with --archive: a command that answers a TimeStampReq on stdin (tests)',
      )
      .option(
        '--tsa-chain <certificate file>',
        "the TSA's certificates, its own first and its root last (PEM or DER)",
        collect,
        [],
      )
      .option('--vkey', "print the log's verifier key (name+id+key) instead")
      .option(
        '--mldsa-vkey',
        "print the vkeys of the log's enrolled ML-DSA-44 keys (type 0x06), one per line",
      ),
    async (
      o: {
        logKey?: string;
        mldsaKey?: string;
        vkey?: boolean;
        mldsaVkey?: boolean;
        archive?: boolean;
        tsaUrl?: string;
        tsaCommand?: string;
        tsaChain: string[];
      },
      out: Output,
    ) => {
      if (o.mldsaKey && !o.logKey)
        throw new CustodyError('USAGE', '--mldsa-key dual-signs with --log-key: give both', 'input');
      if (o.tsaUrl && o.tsaCommand)
        throw new CustodyError('USAGE', 'give --tsa-url or --tsa-command, not both', 'input');
      const tsa = o.tsaUrl ? httpTsa(o.tsaUrl) : o.tsaCommand ? commandTsa(o.tsaCommand) : undefined;
      if ((tsa || o.tsaChain.length > 0) && !o.archive)
        throw new CustodyError('USAGE', 'a TSA dates an archived checkpoint: add --archive', 'input');
      if (tsa && o.tsaChain.length === 0)
        throw new CustodyError(
          'USAGE',
          "--tsa-url or --tsa-command needs --tsa-chain (the TSA's certificates)",
          'input',
        );
      if (o.archive && !o.logKey)
        throw new CustodyError(
          'USAGE',
          '--archive signs a new checkpoint over the record: give --log-key',
          'input',
        );
      const tsaChain = readCertificates(o.tsaChain);
      const signer = o.logKey ? await loadSigner(o.logKey, out) : undefined;
      const mlDsa = o.mldsaKey ? await loadMlDsaSigner(o.mldsaKey, out) : undefined;
      await withLedger(out.opts, async ({ local, view }) => {
        if (o.mldsaVkey) {
          const { origin } = await view.ledger();
          const vkeys = (await view.keys())
            .filter((k) => k.record.purpose === KEY_PURPOSES.log && k.record.type === KEY_TYPES.mldsa44)
            .filter((k) => k.record.revokedAt === undefined && k.record.compromisedSince === undefined)
            .map((k) => formatMlDsaCosignerVkey(origin, k.record.publicKey));
          out.result({ vkeys }, () => {
            for (const v of vkeys) out.line(v);
            if (vkeys.length === 0)
              out.note('no ML-DSA-44 log key is enrolled (custody authority add-log-key)');
          });
          return;
        }
        if (o.vkey) {
          const vkey = formatVkey((await view.ledger()).origin, await logPublicKey(view));
          out.result({ vkey }, () => out.line(vkey));
          return;
        }
        let archived: Archived | undefined;
        if (o.archive && (await view.latestCheckpoint()))
          archived = await archiveLatestCheckpoint(local(), view, { ...(tsa ? { tsa } : {}), tsaChain });
        else if (o.archive) out.note('no checkpoint is stored yet: nothing to archive');
        let note: string;
        let created = false;
        let dualSigned = false;
        if (signer)
          ({ note, created, dualSigned } = await signLogCheckpoint(view, signer, mlDsa ? { mlDsa } : {}));
        else {
          const { size } = await view.head();
          const stored = await view.checkpoint(size);
          if (!stored)
            throw new CustodyError(
              'CHECKPOINT_NEEDS_KEY',
              `no checkpoint at size ${size} yet; give --log-key <log key file> to sign one`,
              'input',
            );
          note = stored;
        }
        const cp = parseCheckpoint(parseNote(note).text);
        const dual = dualSigned ? ' (Ed25519 and ML-DSA-44)' : '';
        const archivedJson = archived
          ? {
              archived: {
                size: archived.size,
                index: archived.submitted.index,
                ...(archived.genTime ? { genTime: archived.genTime.toISOString() } : {}),
              },
            }
          : {};
        out.result(
          {
            size: cp.size,
            root: hex(cp.root),
            origin: cp.origin,
            created,
            dualSigned,
            note,
            ...archivedJson,
          },
          () => {
            if (archived)
              out.note(
                `archived the checkpoint of size ${archived.size} at entry ${archived.submitted.index}${archived.genTime ? `, time-stamped ${archived.genTime.toISOString()}` : ''}`,
              );
            process.stdout.write(note);
            out.note(
              created
                ? `signed checkpoint at size ${cp.size}${dual}`
                : `checkpoint at size ${cp.size} (already signed${dualSigned ? '; ML-DSA-44 line present' : ''})`,
            );
          },
        );
      });
    },
  );

  run(
    program.command('checkpoints').description('list stored checkpoints'),
    async (_o: unknown, out: Output) => {
      await withLedger(out.opts, async ({ view }) => {
        const list = (await view.checkpoints()).map((c) => ({
          size: c.size,
          root: hex(c.root),
          signatures: parseNote(c.note).signatures.length,
        }));
        out.result({ checkpoints: list }, () => {
          for (const c of list)
            out.line(`${String(c.size).padStart(8)}  ${c.root}  ${c.signatures} signature(s)`);
          if (list.length === 0) out.note('no checkpoints yet (custody checkpoint --log-key <log key file>)');
        });
      });
    },
  );

  run(
    program
      .command('prove')
      .description('inclusion proof of an entry in the tree of a given size (RFC 9162 §2.1.3)')
      .argument('<seq>', 'entry number', natural('<seq>'))
      .option('--size <n>', 'tree size (default: current size)', natural('--size')),
    async (seq: number, o: { size?: number }, out: Output) => {
      await withLedger(out.opts, async ({ view }) => {
        const { size: logSize } = await view.head();
        const size = o.size ?? logSize;
        if (size > logSize)
          throw new CustodyError(
            'USAGE',
            `--size ${size} is larger than the log (${logSize} entries)`,
            'input',
          );
        if (seq >= size)
          throw new CustodyError('USAGE', `entry ${seq} is not in a tree of size ${size}`, 'input');
        const proof = await view.inclusionProof(seq, size);
        const leafHash = await view.leafHash(seq);
        const root = await view.rootAt(size);
        const json = { index: seq, size, leafHash: hex(leafHash), root: hex(root), proof: proof.map(hex) };
        out.result(json, () => {
          out.line(`entry ${seq} in tree of size ${size}`);
          out.line(`leaf hash ${json.leafHash}`);
          out.line(`root      ${json.root}`);
          for (const p of json.proof) out.line(`  ${p}`);
        });
      });
    },
  );

  run(
    program
      .command('consistency')
      .description('consistency proof between two tree sizes (RFC 9162 §2.1.4)')
      .argument('<first>', 'earlier size', natural('<first>'))
      .argument('[second]', 'later size (default: current size)', natural('[second]')),
    async (first: number, second: number | undefined, _o: unknown, out: Output) => {
      await withLedger(out.opts, async ({ view }) => {
        const { size: logSize } = await view.head();
        const size2 = second ?? logSize;
        if (size2 > logSize)
          throw new CustodyError(
            'USAGE',
            `size ${size2} is larger than the log (${logSize} entries)`,
            'input',
          );
        if (first > size2) throw new CustodyError('USAGE', `size ${first} is larger than ${size2}`, 'input');
        const proof = await view.consistencyProof(first, size2);
        const json = {
          first,
          second: size2,
          firstRoot: hex(await view.rootAt(first)),
          secondRoot: hex(await view.rootAt(size2)),
          proof: proof.map(hex),
        };
        out.result(json, () => {
          out.line(`size ${first} (${json.firstRoot}) → size ${size2} (${json.secondRoot})`);
          for (const p of json.proof) out.line(`  ${p}`);
        });
      });
    },
  );
}
