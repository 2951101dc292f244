/** custody register | transfer | accept | reject | cancel | examine | dispose */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { CustodyError } from '../../src/errors.js';
import type { Canonical } from '../../src/format/canonical.js';
import {
  DIGEST_ALGORITHMS,
  DISPOSAL_METHODS,
  type DisposalMethod,
  LEGAL_INSTRUMENTS,
} from '../../src/format/vocabulary.js';
import { systemClock } from '../../src/ledger/clock.js';
import { compose } from '../../src/ledger/compose.js';
import { collect } from '../args.js';
import { exhibitShort, resolveExhibit, submit, withLedger } from '../context.js';
import { parseAlgorithms, parseTime } from '../evidence-input.js';
import { type Acquired, acquireEvidence } from '../evidence-kinds.js';
import { type ActOptions, act, offlineOptions, receiverOf, recheck, reportOffline } from '../exhibit-act.js';
import { hex, type Output } from '../io.js';
import { loadSigner } from '../keys.js';
import {
  checkOfflineFlags,
  type OfflineOptions,
  offlineOrigin,
  offlinePlace,
  writeStatementFile,
} from '../offline.js';
import { type Party, partyJson, partyText, senderOf } from '../party.js';
import type { Runner } from '../program.js';
import { keepManifest, refuseIdLikeLabel, refuseSimilarLabel, reportedBy } from '../register-checks.js';

export function evidenceCommands(program: Command, run: Runner) {
  run(
    program
      .command('register')
      .description(
        'register evidence: hash it and record who collected it, where and when (a file, a folder, a segment set or a block device)',
      )
      .argument(
        '<evidence...>',
        'the evidence: a file (image, extraction, document), a folder, the segments of an E01/split raw image (or the first one), or a block device (/dev/sdX)',
      )
      .requiredOption('--key <key file>', 'key of the collector (or examiner, for a derived copy)')
      .requiredOption('--case <ref>', 'case reference')
      .requiredOption('--exhibit <label>', 'exhibit label as written on the bag or form, e.g. HDD-01')
      .requiredOption('--description <text>', 'what it is')
      .option(
        '--hash <algorithms>',
        `digests to record (sha256 always): ${DIGEST_ALGORITHMS.join(',')}`,
        'sha256',
      )
      .option('--seal <no>', 'seal number')
      .option('--location <text>', 'where it was seized')
      .option('--seized-at <ISO time>', 'when it was seized (ISO 8601 with zone)')
      .option('--parent <exhibit>', 'the exhibit this is derived from (working copy, extraction)')
      .option(
        '--import-log <file>',
        'the acquisition log (ewfacquire/ewfverify, FTK Imager .txt, Guymager .info, hashdeep): its digests are recorded as reported, and checked where the bytes allow',
      )
      .option(
        '--identifier <text>',
        'a device identifier (IMEI, serial number), recorded as a commitment; repeatable',
        collect,
        [],
      )
      .option('--photo <file>', 'a photograph of the seal: its SHA-256 is recorded; repeatable', collect, [])
      .option(
        '--list-unsupported',
        'a folder: list symbolic links, special and unreadable files instead of refusing',
      )
      .option(
        '--manifest-out <file>',
        'a folder or segment set: where to keep its manifest (default: beside a local ledger)',
      )
      .option(
        '--allow-similar-name',
        'register a label that reads the same as, or is confusable with, another in the case (signed into the statement)',
      )
      .option(
        '--duplicate',
        'register bytes that are already registered, knowingly (signed into the statement)',
      )
      .option('--allow-duplicate', 'the same as --duplicate'),
    async (
      paths: string[],
      o: {
        key: string;
        case: string;
        exhibit: string;
        description: string;
        hash: string;
        seal?: string;
        location?: string;
        seizedAt?: string;
        parent?: string;
        importLog?: string;
        identifier: string[];
        photo: string[];
        listUnsupported?: boolean;
        manifestOut?: string;
        allowSimilarName?: boolean;
        duplicate?: boolean;
        allowDuplicate?: boolean;
      } & OfflineOptions,
      out: Output,
    ) => {
      const algs = parseAlgorithms(o.hash);
      const seizedAt = o.seizedAt === undefined ? undefined : parseTime(o.seizedAt, '--seized-at');
      refuseIdLikeLabel(o.exhibit);
      // Check the evidence is readable before asking for a passphrase.
      for (const file of paths)
        await access(file, constants.R_OK).catch((e: NodeJS.ErrnoException) => {
          throw new CustodyError('FILE_UNREADABLE', `cannot read ${file}: ${e.code ?? 'error'}`, 'input');
        });
      checkOfflineFlags(o);
      const duplicate = o.duplicate || o.allowDuplicate;
      const fields = (a: Acquired) => ({
        label: o.exhibit,
        caseRef: o.case,
        description: o.description,
        digests: a.digests as Record<string, Uint8Array>,
        size: a.size,
        seal: o.seal,
        location: o.location,
        seizedAt,
        duplicate: duplicate ? true : undefined,
        similarName: o.allowSimilarName ? true : undefined,
        // A plain file with nothing of version 2 stays a version 1 body (FORMAT.md §register).
        ...(a.evidence === 'file' && Object.keys(a.fields).length === 1 && !o.allowSimilarName
          ? {}
          : a.fields),
      });
      const evidence = {
        ...(o.importLog === undefined ? {} : { importLog: o.importLog }),
        identifier: o.identifier,
        photo: o.photo,
        ...(o.listUnsupported ? { listUnsupported: true } : {}),
      };
      if (o.offline !== undefined) {
        // A derived copy links to its parent's last statement (--after); an original needs only --origin.
        const place = o.parent === undefined ? undefined : offlinePlace(o, o.parent);
        const origin = place?.origin ?? offlineOrigin(o);
        const signer = await loadSigner(o.key, out);
        const acquired = await acquireEvidence(paths, algs, evidence, out);
        await keepManifest(acquired, o.manifestOut, undefined);
        const composed = compose({
          kind: 'register',
          signer,
          origin,
          clock: systemClock,
          fields: fields(acquired),
          ...(place ? { exhibit: place.exhibit, after: place.after } : {}),
        });
        writeStatementFile(o.offline, composed);
        reportOffline(out, o.offline, composed, composed.id, 'register');
        return;
      }
      const signer = await loadSigner(o.key, out);
      // Hashed before the ledger is opened: its lock is held only for the append
      // (the algorithms come from --hash, nothing is read from the ledger first).
      const acquired = await acquireEvidence(paths, algs, evidence, out);
      // Kept before the append (content-addressed by its root): an append that fails leaves a
      // manifest nobody points to, never a registration whose manifest is missing.
      const kept = await keepManifest(acquired, o.manifestOut, out.opts);
      await withLedger(out.opts, async (l) => {
        if (!o.allowSimilarName) await refuseSimilarLabel(l.view, o.exhibit, o.case);
        const parent = o.parent === undefined ? undefined : await resolveExhibit(l.view, o.parent);
        const parentHead = parent === undefined ? undefined : (await l.view.exhibit(parent))!.head;
        const { submitted, receipt } = await submit(l, {
          kind: 'register',
          signer,
          fields: fields(acquired),
          ...(parent !== undefined && parentHead !== undefined ? { exhibit: parent, after: parentHead } : {}),
        });
        const shown = Object.fromEntries(
          Object.entries(acquired.digests).map(([k, v]) => [k, hex(v as Uint8Array)]),
        );
        const short = exhibitShort(submitted.id);
        out.result(
          {
            index: submitted.index,
            id: hex(submitted.id),
            exhibit: short,
            exhibitId: hex(submitted.id),
            kind: 'register',
            evidence: acquired.evidence,
            size: acquired.size,
            digests: shown,
            ...acquired.json,
            ...(kept?.file ? { manifestFile: kept.file } : {}),
            ...(kept?.server ? { manifestServer: kept.server } : {}),
            ...(acquired.notes.length > 0 ? { notes: acquired.notes } : {}),
            receipt,
          },
          () => {
            out.line(short);
            out.note(
              `registered ${o.exhibit} as exhibit ${short} (entry ${submitted.index}): ${acquired.what}, sha256 ${shown['sha256']}${acquired.evidence === 'directory' ? ' (of its manifest)' : ''}`,
            );
            if (acquired.fields['reported'] !== undefined)
              out.note(`digests reported by ${reportedBy(acquired)} recorded beside them`);
            if (kept?.server) out.note(`manifest handed to the server at ${kept.server}`);
            if (kept?.file) out.note(`manifest kept in ${kept.file}`);
            for (const n of acquired.notes) out.note(`note: ${n}`);
          },
        );
      });
    },
  );

  run(
    program
      .command('transfer')
      .description('hand an exhibit over to another actor (the receiver must accept it)')
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption('--to <actor>', 'receiver: key id (K-…) or unique name')
      .requiredOption('--key <key file>', "the holder's key")
      .requiredOption('--reason <text>', 'why it is handed over')
      .option('--legal-basis <ref>', 'MLA / EIO / JIT reference (required across jurisdictions)')
      .option(
        '--instrument <kind>',
        `the legal instrument: ${LEGAL_INSTRUMENTS.join(' | ')} (with the next three: a structured legal basis, required to another ledger)`,
      )
      .option('--issuing-authority <text>', 'the authority that issued it')
      .option('--executing-authority <text>', 'the authority that executes it')
      .option('--basis-date <YYYY-MM-DD>', 'its date')
      .option(
        '--receiver-proof <file>',
        "to a peer's actor: the peer's receiver proof (custody peer receiver-proof), instead of asking its server",
      )
      .option('--method <text>', 'how it travels (courier, in person, secure transfer)')
      .option('--seal <no>', 'seal number it travels under'),
    async (
      exhibit: string,
      o: ActOptions & {
        to: string;
        reason: string;
        legalBasis?: string;
        instrument?: string;
        issuingAuthority?: string;
        executingAuthority?: string;
        basisDate?: string;
        method?: string;
        seal?: string;
        receiverProof?: string;
      },
      out: Output,
    ) => {
      let to = '';
      let receiver: Party | undefined;
      const basis = structuredBasis(o);
      await act(
        out,
        o,
        exhibit,
        'transfer',
        async (c) => {
          const r = await receiverOf(c, o.to, o.receiverProof);
          [to, receiver] = [r.text, r.party];
          return {
            to: r.id,
            reason: o.reason,
            legalBasis: o.legalBasis,
            method: o.method,
            seal: o.seal,
            ...basis,
          };
        },
        (x) => `handed ${x} over to ${to}; they must accept it`,
        () => ({ to, ...(receiver ? { receiver: partyJson(receiver) } : {}) }),
      );
    },
  );

  run(
    program
      .command('accept')
      .description(
        'accept an exhibit handed over to you; with --file, re-hash it and record whether it matches',
      )
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption('--key <key file>', "the receiver's key")
      .option('--file <path>', 'the evidence file as received, to re-hash')
      .option('--seal-intact', 'the seal was intact on receipt')
      .option('--seal-broken', 'the seal was broken on receipt')
      .option('--note <text>', 'remarks on receipt'),
    async (
      exhibit: string,
      o: ActOptions & { file?: string; sealIntact?: boolean; sealBroken?: boolean; note?: string },
      out: Output,
    ) => {
      if (o.sealIntact && o.sealBroken)
        throw new CustodyError('USAGE', 'give --seal-intact or --seal-broken, not both', 'input');
      let match: boolean | undefined;
      let sender: Party | undefined;
      await act(
        out,
        o,
        exhibit,
        'accept',
        async (c, x) => {
          if (c.online) sender = await senderOf(c.online.view, x);
          let digests: Record<string, Uint8Array> | undefined;
          if (o.file) ({ digests, match } = await recheck(c, x, o.file, out));
          const seal = o.sealIntact ? 'intact' : o.sealBroken ? 'broken' : undefined;
          return { digests, seal, note: o.note };
        },
        (x) =>
          `accepted ${x}${sender ? ` from ${partyText(sender)}` : ''}${match === undefined ? '' : match ? '; the file matches the registered digests' : '; WARNING: the file does NOT match the registered digests (recorded)'}`,
        () => ({
          ...(match === undefined ? {} : { digestsMatch: match }),
          ...(sender ? { sender: partyJson(sender) } : {}),
        }),
      );
      if (match === false)
        out.warn(
          'the received file does not match the registered digests; the mismatch is recorded in the ledger',
        );
    },
  );

  for (const kind of ['reject', 'cancel'] as const)
    run(
      program
        .command(kind)
        .description(
          kind === 'reject'
            ? 'refuse a hand-over addressed to you; custody stays with the sender'
            : 'withdraw a hand-over you started; custody stays with you',
        )
        .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
        .requiredOption('--key <key file>', kind === 'reject' ? "the receiver's key" : "the sender's key")
        .requiredOption('--reason <text>', 'why'),
      async (exhibit: string, o: ActOptions & { reason: string }, out: Output) =>
        act(
          out,
          o,
          exhibit,
          kind,
          async () => ({ reason: o.reason }),
          (x, before) =>
            // To a peer ledger, a cancel only asks; that ledger decides (docs/FEDERATION.md).
            kind === 'cancel' && before?.toOrigin !== undefined
              ? `asked ${before.toOrigin} to cancel the hand-over of ${x}: it stays pending until that ledger logs the cancel (custody push ${x} --to-ledger <its server>) and its confirmation comes back (custody push there, or import)`
              : `${kind === 'reject' ? 'rejected' : 'cancelled'} the transfer of ${x}`,
          (before) =>
            kind === 'cancel' && before?.toOrigin !== undefined
              ? { requested: true, peer: before.toOrigin }
              : {},
        ),
    );

  run(
    program
      .command('examine')
      .description('record an examination by the holder (examiner role); with --file, re-check the digests')
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption('--key <key file>', "the examiner's key")
      .requiredOption('--action <text>', 'what was done')
      .option('--tool <name/version>', 'tool and version used')
      .option('--file <path>', 'the evidence file, to re-hash')
      .option('--seal <no>', 'new seal number after the examination'),
    async (
      exhibit: string,
      o: ActOptions & { action: string; tool?: string; file?: string; seal?: string },
      out: Output,
    ) => {
      let match: boolean | undefined;
      await act(
        out,
        o,
        exhibit,
        'examine',
        async (c, x) => {
          let digests: Record<string, Uint8Array> | undefined;
          if (o.file) ({ digests, match } = await recheck(c, x, o.file, out));
          return { action: o.action, tool: o.tool, seal: o.seal, digests };
        },
        (x) => `recorded examination of ${x}${match === false ? '; WARNING: digest mismatch recorded' : ''}`,
        () => (match === undefined ? {} : { digestsMatch: match }),
      );
      if (match === false)
        out.warn('the file does not match the registered digests; the mismatch is recorded in the ledger');
    },
  );

  run(
    program
      .command('dispose')
      .description('record the end of custody: returned, destroyed or archived (final)')
      .argument('<exhibit>', 'exhibit id (EX-…) or unique label')
      .requiredOption('--key <key file>', "the holder's key")
      .requiredOption('--method <method>', DISPOSAL_METHODS.join('|'))
      .requiredOption('--reason <text>', 'why, with the authorising decision')
      .option('--recipient <text>', 'to whom it was returned'),
    async (
      exhibit: string,
      o: ActOptions & { method: string; reason: string; recipient?: string },
      out: Output,
    ) => {
      if (!DISPOSAL_METHODS.includes(o.method as DisposalMethod))
        throw new CustodyError('USAGE', `--method must be one of ${DISPOSAL_METHODS.join(', ')}`, 'input');
      await act(
        out,
        o,
        exhibit,
        'dispose',
        async () => ({ method: o.method, reason: o.reason, recipient: o.recipient }),
        (x) => `${x} ${o.method}; its custody record is closed`,
      );
    },
  );

  // Every command here can sign without the ledger (docs/CLI.md §Offline signing).
  for (const name of ['register', 'transfer', 'accept', 'reject', 'cancel', 'examine', 'dispose'])
    offlineOptions(program.commands.find((c) => c.name() === name)!);
}

/**
 * The structured legal basis of a transfer (transfer body version 2): all of
 * --instrument, --issuing-authority, --executing-authority and --basis-date
 * with --legal-basis (the reference), or none of them.
 */
function structuredBasis(o: {
  legalBasis?: string;
  instrument?: string;
  issuingAuthority?: string;
  executingAuthority?: string;
  basisDate?: string;
}): Record<string, Canonical> {
  const parts = [o.instrument, o.issuingAuthority, o.executingAuthority, o.basisDate];
  if (parts.every((p) => p === undefined)) return {};
  if (parts.some((p) => p === undefined) || o.legalBasis === undefined)
    throw new CustodyError(
      'USAGE',
      'a structured legal basis needs --instrument, --issuing-authority, --executing-authority, --basis-date and --legal-basis (the reference)',
      'input',
    );
  if (!(LEGAL_INSTRUMENTS as readonly string[]).includes(o.instrument!))
    throw new CustodyError('USAGE', `--instrument must be one of ${LEGAL_INSTRUMENTS.join(', ')}`, 'input');
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(o.basisDate!);
  const date = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(date) || new Date(date).toISOString().slice(0, 10) !== o.basisDate)
    throw new CustodyError('USAGE', '--basis-date must be a date, YYYY-MM-DD', 'input');
  return {
    instrument: o.instrument!,
    issuing: o.issuingAuthority!,
    executing: o.executingAuthority!,
    basisDate: date,
  };
}
