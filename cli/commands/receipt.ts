/**
 * custody receipt, custody verify-receipt (docs/CLI.md): receipts in C2SP
 * tlog-proof form (docs/PROOFS.md §Receipts (C2SP tlog-proof)). `receipt`
 * writes one from the local ledger against a checkpoint the log key signed;
 * `verify-receipt` checks one with nothing but the keys the caller trusts,
 * without any ledger.
 */
import type { Command } from 'commander';
import { fromUtf8, utf8 } from '../../src/bytes.js';
import {
  ed25519NoteVerifier,
  type NoteVerifier,
  noteVerifierFromVkey,
  parseVkey,
} from '../../src/checkpoint/note.js';
import {
  MAX_TLOG_PROOF_BYTES,
  parseTlogProof,
  type VerifiedTlogProof,
  verifyTlogProof,
} from '../../src/checkpoint/tlog-proof.js';
import { CustodyError, type CustodyErrorCode } from '../../src/errors.js';
import { readStatementFile, STATEMENT_FILE_MAX_BYTES } from '../../src/format/statement-file.js';
import { logPublicKey } from '../../src/ledger/log-checkpoints.js';
import { collect, natural, witnessPolicy } from '../args.js';
import { withLedger } from '../context.js';
import { readInputFile, stageNewFile } from '../files.js';
import { hex, type Output } from '../io.js';
import { parsePublicKey } from '../keys.js';
import type { Runner } from '../program.js';

/** A file read whole and decoded as strict UTF-8 (a note is UTF-8, signed-note §Format). */
function readUtf8(path: string, what: string, maxBytes: number, code: CustodyErrorCode): string {
  const bytes = readInputFile(path, what, maxBytes);
  try {
    return fromUtf8(bytes);
  } catch {
    throw new CustodyError(code, `${what} ${path} is not valid UTF-8`, 'input');
  }
}

/**
 * --trust-log: a log verifier key (`custody checkpoint --vkey`, which pins the origin too), or
 * the log's public key (base64, hex or key file), trusted for the origin the receipt names.
 */
function logVerifier(input: string, origin: string): NoteVerifier {
  let vkey = false;
  try {
    parseVkey(input);
    vkey = true;
  } catch {
    // Not a vkey: a public key, then.
  }
  if (vkey) return noteVerifierFromVkey(input);
  let key: Uint8Array;
  try {
    key = parsePublicKey(input);
  } catch (e) {
    if (e instanceof CustodyError && e.code === 'PUBLIC_KEY_INVALID')
      throw new CustodyError(
        'PUBLIC_KEY_INVALID',
        `--trust-log ${input} is neither a log verifier key (custody checkpoint --vkey) nor a 32-byte public key (base64 or hex) nor a key file`,
        'input',
      );
    throw e;
  }
  return ed25519NoteVerifier(origin, key);
}

/** --statement: a signed statement's bytes, or a statement file (FORMAT.md §Statement files) holding one. */
function readStatement(path: string): Uint8Array {
  const bytes = new Uint8Array(readInputFile(path, 'statement', STATEMENT_FILE_MAX_BYTES));
  try {
    return readStatementFile(bytes).statement;
  } catch {
    // A signed statement is a canonical array, a statement file a map: not one, so the other.
    return bytes;
  }
}

const verifiedJson = (v: VerifiedTlogProof, quorum: number) => ({
  valid: true,
  origin: v.origin,
  index: v.index,
  size: v.size,
  root: hex(v.root),
  leafHash: hex(v.leafHash),
  logTime: new Date(v.entry.time).toISOString(),
  payloadType: v.entry.payloadType,
  payloadHash: hex(v.entry.payloadHash),
  witnessesVerified: v.witnessesVerified,
  quorum,
  statementChecked: v.statementChecked,
});

export function receiptCommands(program: Command, run: Runner) {
  run(
    program
      .command('receipt')
      .description(
        'write the receipt of an entry (C2SP tlog-proof: the entry, its inclusion proof and a signed checkpoint)',
      )
      .argument('<index>', 'entry number', natural('<index>'))
      .requiredOption('--checkpoint <file>', 'a checkpoint signed by the log key (custody checkpoint)')
      .option(
        '--out <file>',
        'write the receipt to this new file (conventionally *.tlog-proof) instead of stdout',
      ),
    async (index: number, o: { checkpoint: string; out?: string }, out: Output) => {
      const note = readUtf8(o.checkpoint, 'checkpoint', 1 << 20, 'NOTE_MALFORMED');
      await withLedger(out.opts, async ({ view }) => {
        const { origin } = await view.ledger();
        // The checkpoint counts only if the log key genesis names signed it under this origin.
        const log = ed25519NoteVerifier(origin, await logPublicKey(view));
        const r = await view.tlogReceipt(index, note, log);
        if (o.out) stageNewFile(o.out, utf8(r.text)).commit();
        const json = {
          index: r.index,
          size: r.size,
          origin: r.origin,
          root: hex(r.root),
          leafHash: hex(r.leafHash),
          receipt: r.text,
          ...(o.out ? { out: o.out } : {}),
        };
        out.result(json, () => {
          if (!o.out) process.stdout.write(r.text);
          out.note(
            `receipt of entry ${r.index} in ${r.origin} at size ${r.size}${o.out ? ` written to ${o.out}` : ''}`,
          );
        });
      });
    },
  );

  run(
    program
      .command('verify-receipt')
      .description('check a receipt (C2SP tlog-proof) against the log key you trust, without the ledger')
      .argument('<file>', 'the receipt (custody receipt)')
      .requiredOption(
        '--trust-log <key>',
        "the log's verifier key (custody checkpoint --vkey) or public key (base64, hex or key file)",
      )
      .option('--witness <vkey>', 'witness cosigner key; repeatable', collect, [] as string[])
      .option('--quorum <k>', 'witness cosignatures required (default: all --witness keys given)')
      .option(
        '--statement <file>',
        'the signed statement (or a statement file): check the entry commits to it',
      ),
    async (
      file: string,
      o: { trustLog: string; witness: string[]; quorum?: string; statement?: string },
      out: Output,
    ) => {
      const receipt = parseTlogProof(readUtf8(file, 'receipt', MAX_TLOG_PROOF_BYTES, 'RECEIPT_MALFORMED'));
      const log = logVerifier(o.trustLog, receipt.checkpoint.origin);
      const { witnesses, quorum } = witnessPolicy(o.witness, o.quorum);
      const statement = o.statement === undefined ? undefined : readStatement(o.statement);
      let v: VerifiedTlogProof;
      try {
        v = verifyTlogProof(receipt, { log, witnesses, quorum, ...(statement ? { statement } : {}) });
      } catch (e) {
        // Anchored, but the cosignatures asked for are missing: the UNWITNESSED exit (docs/CLI.md
        // §Exit codes). Its code is a verdict's, after which the shell prints no JSON error
        // document, so this command prints its own.
        if (!(e instanceof CustodyError) || e.code !== 'WITNESS_QUORUM') throw e;
        const message = `receipt not witnessed: ${e.message}`;
        out.result(
          {
            ok: false,
            valid: false,
            error: { code: 'VERIFICATION_UNWITNESSED', message },
            origin: receipt.checkpoint.origin,
            index: receipt.index,
            size: receipt.checkpoint.size,
            witnessesVerified: e.details['witnessesVerified'],
            quorum,
          },
          () => {},
        );
        throw new CustodyError('VERIFICATION_UNWITNESSED', message, 'verification', e.details);
      }
      out.result(verifiedJson(v, quorum), () => {
        out.line(`receipt valid: entry ${v.index} of ${v.origin} at size ${v.size}`);
        if (witnesses.length === 0)
          out.note('no witness was asked for: the receipt rests on the log key alone (see --witness)');
        else out.note(`cosigned by ${v.witnessesVerified.join(', ') || 'no witness'} (${quorum} required)`);
        if (v.statementChecked) out.note(`the statement given is the one the entry commits to`);
      });
    },
  );
}
