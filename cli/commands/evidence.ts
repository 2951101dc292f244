/** custody register | transfer | accept | reject | cancel | examine | dispose */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import { CustodyError } from '../../src/errors.js';
import { digestFile, type FileDigests } from '../../src/files/digest-file.js';
import {
  DIGEST_ALGORITHMS,
  DISPOSAL_METHODS,
  type DigestAlgorithm,
  type DisposalMethod,
} from '../../src/format/events.js';
import type { Draft } from '../../src/ledger/draft.js';
import type { Appended, Ledger } from '../../src/ledger/ledger.js';
import { resolveActor, resolveExhibit, withLedger } from '../context.js';
import { hex, type Output } from '../io.js';
import { loadSigner } from '../keys.js';
import type { Runner } from '../program.js';
import { progressBar } from '../progress.js';

export function parseAlgorithms(input: string): DigestAlgorithm[] {
  const algs = [
    ...new Set(
      input
        .split(',')
        .map((a) => a.trim().toLowerCase().replace('-', ''))
        .filter(Boolean),
    ),
  ];
  for (const a of algs)
    if (!DIGEST_ALGORITHMS.includes(a as DigestAlgorithm))
      throw new CustodyError(
        'DIGEST_UNKNOWN',
        `unknown digest ${a}; choose from ${DIGEST_ALGORITHMS.join(', ')}`,
        'input',
      );
  if (!algs.includes('sha256')) algs.unshift('sha256');
  return algs as DigestAlgorithm[];
}

export function parseTime(input: string, what: string): number {
  // ISO 8601 with an explicit zone only: a time without zone is ambiguous across borders.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(input))
    throw new CustodyError(
      'TIME_FORMAT_INVALID',
      `${what} must be ISO 8601 with a zone, e.g. 2026-03-01T14:30:00+01:00 or 2026-03-01T13:30:00Z`,
      'input',
    );
  const t = Date.parse(input);
  if (!Number.isFinite(t) || t < 0)
    throw new CustodyError('TIME_FORMAT_INVALID', `${what} ${input} is not a valid time`, 'input');
  return t;
}

export async function hashFile(
  path: string,
  algs: DigestAlgorithm[],
  out: Output,
): Promise<{ digests: FileDigests; size: number }> {
  const bar = progressBar(`hashing ${path}`, out.opts.quiet || out.opts.json);
  try {
    return await digestFile(path, algs, { onProgress: (d, t) => bar.update(d, t) });
  } finally {
    bar.stop();
  }
}

/** Re-hashes the evidence file with every algorithm the exhibit was registered with. */
async function rehash(ledger: Ledger, exhibit: string, path: string, out: Output) {
  const reg = (await ledger.exhibit(exhibit))!;
  const { digests } = await hashFile(path, Object.keys(reg.digests) as DigestAlgorithm[], out);
  const match = Object.entries(digests).every(
    ([k, v]) => hex(v as Uint8Array) === hex(reg.digests[k as 'sha256']),
  );
  return { digests, match };
}

function report(out: Output, a: Appended, what: string, extra: Record<string, unknown> = {}) {
  out.result({ seq: a.seq, leafHash: hex(a.leafHash), exhibit: a.exhibit, kind: a.kind, ...extra }, () =>
    out.line(`${what} (entry ${a.seq})`),
  );
}

/** Shared shape of commands acting on an existing exhibit with the signer's key. */
async function act(
  out: Output,
  keyFile: string,
  exhibitInput: string,
  build: (ledger: Ledger, exhibit: string) => Promise<Draft>,
  say: (a: Appended, ledger: Ledger) => Promise<[string, Record<string, unknown>?]>,
) {
  const signer = await loadSigner(keyFile, out);
  await withLedger(out.opts, async (ledger) => {
    const exhibit = await resolveExhibit(ledger, exhibitInput);
    const a = await ledger.append(await build(ledger, exhibit), signer);
    const [text, extra] = await say(a, ledger);
    report(out, a, text, extra);
  });
}

export function evidenceCommands(program: Command, run: Runner) {
  run(
    program
      .command('register')
      .description('register evidence: hash the file and record who collected it, where and when')
      .argument('<file>', 'the evidence file (image, extraction, document)')
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
      .option('--parent <exhibit>', 'the exhibit this is derived from (working copy, extraction)'),
    async (
      file: string,
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
      },
      out: Output,
    ) => {
      const algs = parseAlgorithms(o.hash);
      const seizedAt = o.seizedAt === undefined ? undefined : parseTime(o.seizedAt, '--seized-at');
      // Check the evidence file is readable before asking for a passphrase.
      await access(file, constants.R_OK).catch((e: NodeJS.ErrnoException) => {
        throw new CustodyError('FILE_UNREADABLE', `cannot read ${file}: ${e.code ?? 'error'}`, 'input');
      });
      const signer = await loadSigner(o.key, out);
      await withLedger(out.opts, async (ledger) => {
        const parent = o.parent === undefined ? undefined : await resolveExhibit(ledger, o.parent);
        const { digests, size } = await hashFile(file, algs, out);
        const body = {
          label: o.exhibit,
          caseRef: o.case,
          description: o.description,
          digests: digests as { sha256: Uint8Array },
          size,
          ...(o.seal !== undefined ? { seal: o.seal } : {}),
          ...(o.location !== undefined ? { location: o.location } : {}),
          ...(seizedAt !== undefined ? { seizedAt } : {}),
          ...(parent !== undefined ? { parent } : {}),
        };
        const a = await ledger.append({ kind: 'register', body }, signer);
        const shown = Object.fromEntries(Object.entries(digests).map(([k, v]) => [k, hex(v as Uint8Array)]));
        out.result(
          { seq: a.seq, leafHash: hex(a.leafHash), exhibit: a.exhibit, kind: a.kind, size, digests: shown },
          () => {
            out.line(a.exhibit!);
            out.note(
              `registered ${o.exhibit} as exhibit ${a.exhibit} (entry ${a.seq}), ${size} bytes, sha256 ${shown['sha256']}`,
            );
          },
        );
      });
    },
  );

  run(
    program
      .command('transfer')
      .description('hand an exhibit over to another actor (the receiver must accept it)')
      .argument('<exhibit>', 'exhibit id or unique label')
      .requiredOption('--to <actor>', 'receiver: actor id or unique name')
      .requiredOption('--key <key file>', "the holder's key")
      .requiredOption('--reason <text>', 'why it is handed over')
      .option('--legal-basis <ref>', 'MLA / EIO / JIT reference (required across jurisdictions)')
      .option('--method <text>', 'how it travels (courier, in person, secure transfer)')
      .option('--seal <no>', 'seal number it travels under'),
    async (
      exhibit: string,
      o: { to: string; key: string; reason: string; legalBasis?: string; method?: string; seal?: string },
      out: Output,
    ) =>
      act(
        out,
        o.key,
        exhibit,
        async (ledger, x) => ({
          kind: 'transfer',
          body: {
            exhibit: x,
            to: await resolveActor(ledger, o.to),
            reason: o.reason,
            ...(o.legalBasis !== undefined ? { legalBasis: o.legalBasis } : {}),
            ...(o.method !== undefined ? { method: o.method } : {}),
            ...(o.seal !== undefined ? { seal: o.seal } : {}),
          },
        }),
        async (a) => [`${a.exhibit} is in transit`, {}],
      ),
  );

  run(
    program
      .command('accept')
      .description(
        'accept an exhibit handed over to you; with --file, re-hash it and record whether it matches',
      )
      .argument('<exhibit>', 'exhibit id or unique label')
      .requiredOption('--key <key file>', "the receiver's key")
      .option('--file <path>', 'the evidence file as received, to re-hash')
      .option('--seal-intact', 'the seal was intact on receipt')
      .option('--seal-broken', 'the seal was broken on receipt')
      .option('--note <text>', 'remarks on receipt'),
    async (
      exhibit: string,
      o: { key: string; file?: string; sealIntact?: boolean; sealBroken?: boolean; note?: string },
      out: Output,
    ) => {
      if (o.sealIntact && o.sealBroken)
        throw new CustodyError('USAGE', 'give --seal-intact or --seal-broken, not both', 'input');
      let match: boolean | undefined;
      await act(
        out,
        o.key,
        exhibit,
        async (ledger, x) => {
          const body: Extract<Draft, { kind: 'accept' }>['body'] = { exhibit: x };
          if (o.file) ({ digests: body.digests, match } = await rehash(ledger, x, o.file, out));
          if (o.sealIntact) body.seal = 'intact';
          if (o.sealBroken) body.seal = 'broken';
          if (o.note) body.note = o.note;
          return { kind: 'accept', body };
        },
        async (a) => [
          `accepted ${a.exhibit}${match === undefined ? '' : match ? '; the file matches the registered digests' : '; WARNING: the file does NOT match the registered digests (recorded)'}`,
          match === undefined ? {} : { digestsMatch: match },
        ],
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
        .argument('<exhibit>', 'exhibit id or unique label')
        .requiredOption('--key <key file>', kind === 'reject' ? "the receiver's key" : "the sender's key")
        .requiredOption('--reason <text>', 'why'),
      async (exhibit: string, o: { key: string; reason: string }, out: Output) =>
        act(
          out,
          o.key,
          exhibit,
          async (_l, x) => ({ kind, body: { exhibit: x, reason: o.reason } }),
          async (a) => [`${kind === 'reject' ? 'rejected' : 'cancelled'} the transfer of ${a.exhibit}`, {}],
        ),
    );

  run(
    program
      .command('examine')
      .description('record an examination by the holder (examiner role); with --file, re-check the digests')
      .argument('<exhibit>', 'exhibit id or unique label')
      .requiredOption('--key <key file>', "the examiner's key")
      .requiredOption('--action <text>', 'what was done')
      .option('--tool <name/version>', 'tool and version used')
      .option('--file <path>', 'the evidence file, to re-hash')
      .option('--seal <no>', 'new seal number after the examination'),
    async (
      exhibit: string,
      o: { key: string; action: string; tool?: string; file?: string; seal?: string },
      out: Output,
    ) => {
      let match: boolean | undefined;
      await act(
        out,
        o.key,
        exhibit,
        async (ledger, x) => {
          const body: Extract<Draft, { kind: 'examine' }>['body'] = { exhibit: x, action: o.action };
          if (o.tool) body.tool = o.tool;
          if (o.seal) body.seal = o.seal;
          if (o.file) ({ digests: body.digests, match } = await rehash(ledger, x, o.file, out));
          return { kind: 'examine', body };
        },
        async (a) => [
          `recorded examination of ${a.exhibit}${match === false ? '; WARNING: digest mismatch recorded' : ''}`,
          match === undefined ? {} : { digestsMatch: match },
        ],
      );
      if (match === false)
        out.warn('the file does not match the registered digests; the mismatch is recorded in the ledger');
    },
  );

  run(
    program
      .command('dispose')
      .description('record the end of custody: returned, destroyed or archived (final)')
      .argument('<exhibit>', 'exhibit id or unique label')
      .requiredOption('--key <key file>', "the holder's key")
      .requiredOption('--method <method>', DISPOSAL_METHODS.join('|'))
      .requiredOption('--reason <text>', 'why, with the authorising decision')
      .option('--recipient <text>', 'to whom it was returned'),
    async (
      exhibit: string,
      o: { key: string; method: string; reason: string; recipient?: string },
      out: Output,
    ) => {
      if (!DISPOSAL_METHODS.includes(o.method as DisposalMethod))
        throw new CustodyError('USAGE', `--method must be one of ${DISPOSAL_METHODS.join(', ')}`, 'input');
      await act(
        out,
        o.key,
        exhibit,
        async (_l, x) => ({
          kind: 'dispose',
          body: {
            exhibit: x,
            method: o.method as DisposalMethod,
            reason: o.reason,
            ...(o.recipient ? { recipient: o.recipient } : {}),
          },
        }),
        async (a) => [`${a.exhibit} ${o.method}; its custody record is closed`, {}],
      );
    },
  );
}
