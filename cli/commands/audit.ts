/**
 * custody audit, custody verify-fraud-proof (docs/CLI.md §Auditing).
 *
 * An auditor replays the whole log (every statement through the custody
 * rules, every map root recomputed) and only then cosigns the checkpoint with
 * its own key: an ordinary C2SP tlog-cosignature line, whose meaning ("I
 * replayed this log up to this size; every statement obeys the custody rules
 * and every map root is correct") is said out of band, by the relying party
 * listing the key as an auditor (docs/PROOFS.md §Auditors). A log whose map
 * root is wrong is not cosigned; the auditor writes a fraud proof instead.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { auditCheckpoint, firstMapRootMismatch } from '../../src/audit/audit-checkpoint.js';
import { buildFraudProof } from '../../src/audit/build-fraud-proof.js';
import { FRAUD_PROOF_LIMITS, verifyFraudProof } from '../../src/audit/fraud-proof.js';
import { equalBytes } from '../../src/bytes.js';
import { formatCosignerVkey, signCosignature, verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { ed25519NoteVerifier, parseNote } from '../../src/checkpoint/note.js';
import { parseWitnessState, serializeWitnessState, witnessCosign } from '../../src/checkpoint/witness.js';
import { WorkerPoolChecker } from '../../src/crypto/verify-pool.js';
import { CustodyError } from '../../src/errors.js';
import { KEY_TYPES } from '../../src/format/key-id.js';
import { LedgerView } from '../../src/ledger/ledger-view.js';
import { attachCosignature } from '../../src/ledger/log-checkpoints.js';
import { checkpointBody } from '../../src/verify/checkpoint-note.js';
import { natural } from '../args.js';
import { keyShort, openReadStore, statementKeyId } from '../context.js';
import { readInputFile, stageNewFile, writeAtomically } from '../files.js';
import { b64, hex, type Output } from '../io.js';
import { loadSigner, parsePublicKey, readTextFile } from '../keys.js';
import type { Runner } from '../program.js';
import { verdictError } from '../verdict.js';

export function auditCommands(program: Command, run: Runner) {
  run(
    program
      .command('audit')
      .description(
        'replay the whole ledger and, if every statement and map root is right, cosign its checkpoint as an auditor',
      )
      .requiredOption('--key <auditor key>', 'the auditor key file')
      .option('--name <name>', 'auditor name, as in its verifier key (default: the key id)')
      .option('--checkpoint <file>', "the checkpoint to audit (default: the ledger's latest stored one)")
      .option(
        '--fraud-proof <file>',
        'where to write the fraud proof if a map root is wrong (default: fraud-proof-<entry>.cfp)',
      )
      .option(
        '--state <file>',
        "also act as a witness: this auditor's state file (as custody witness cosign), never cosigning a checkpoint that does not extend the last one",
      )
      .option('--threads <n>', 'signature-checking threads (default: all cores)', natural('--threads')),
    async (
      o: {
        key: string;
        name?: string;
        checkpoint?: string;
        fraudProof?: string;
        state?: string;
        threads?: number;
      },
      out: Output,
    ) => {
      const signer = await loadSigner(o.key, out);
      const name = o.name ?? keyShort(statementKeyId(signer.publicKey));
      const vkey = formatCosignerVkey(name, signer.publicKey);
      const { store } = await openReadStore(out.opts);
      const pool = new WorkerPoolChecker(o.threads);
      try {
        const view = new LedgerView(store);
        let note = o.checkpoint
          ? readTextFile(o.checkpoint, 'checkpoint')
          : (await view.latestCheckpoint())?.note;
        if (note === undefined)
          throw new CustodyError(
            'CHECKPOINT_UNKNOWN',
            'the ledger has no checkpoint yet: nothing to audit',
            'input',
          );
        const audit = await auditCheckpoint(store, note, pool);
        if ('code' in audit) throw new CustodyError(audit.code, audit.message, 'input');
        const { result, outcome } = audit;
        const body = { origin: audit.origin, size: audit.size, root: audit.root };
        if (outcome.verdict !== 'VERIFIED') {
          const at = firstMapRootMismatch(result.allProblems(), body.size);
          let proofFile: string | undefined;
          let proofError: string | undefined;
          if (at !== undefined) {
            proofFile = o.fraudProof ?? `fraud-proof-${at}.cfp`;
            try {
              stageNewFile(proofFile, await buildFraudProof(store, at, note)).commit();
            } catch (e) {
              // The refusal stands either way; say why no proof was written.
              proofError = e instanceof Error ? e.message : String(e);
              proofFile = undefined;
            }
          }
          out.result(
            {
              ok: false,
              cosigned: false,
              origin: body.origin,
              size: body.size,
              verdict: outcome.verdict,
              problems: outcome.problems,
              ...(at !== undefined
                ? {
                    fraudProof: proofFile ? { entry: at, file: proofFile } : { entry: at, error: proofError },
                  }
                : {}),
            },
            () => {
              for (const x of outcome.problems.slice(0, 20))
                out.line(`PROBLEM ${x.code}${x.seq !== null ? ` at entry ${x.seq}` : ''}: ${x.message}`);
              if (at !== undefined)
                out.line(
                  proofFile
                    ? `fraud proof of entry ${at}'s map root written to ${proofFile}`
                    : `no fraud proof of entry ${at} was written: ${proofError}`,
                );
            },
          );
          // A refusal is a verdict, as for verify: its one-line error and exit code (cli/verdict.ts).
          throw verdictError(outcome, 'not cosigned');
        }
        const now = Math.floor(Date.now() / 1000);
        let line: string;
        if (o.state !== undefined) {
          // With a state, the auditor also refuses what a witness refuses (rollback, a split view),
          // and records what it cosigned before releasing the line (C2SP tlog-witness).
          const logKey = result.ledger?.logKey;
          if (!logKey || logKey.type !== KEY_TYPES.ed25519)
            throw new CustodyError(
              'CHECKPOINT_UNVERIFIABLE',
              'the log key is not an Ed25519 key this version verifies',
              'verification',
            );
          const states = existsSync(o.state)
            ? parseWitnessState(readTextFile(o.state, 'auditor state'))
            : new Map();
          const prior = states.get(body.origin);
          const proof =
            prior && prior.size > 0 && prior.size < body.size
              ? await view.consistencyProof(prior.size, body.size)
              : [];
          const r = witnessCosign({
            state: prior,
            noteText: note,
            logVerifier: ed25519NoteVerifier(body.origin, logKey.publicKey),
            consistencyProof: proof,
            witnessName: name,
            witnessSigner: signer,
            now,
          });
          states.set(body.origin, r.state);
          writeAtomically(o.state, serializeWitnessState(states));
          line = r.cosignatureLine;
        } else line = signCosignature(parseNote(note).text, name, signer, now);
        const stored = await view.checkpoint(body.size);
        // Kept with the ledger's copy of the checkpoint when it is that copy (as `witness attach`).
        const attached =
          stored !== undefined && equalBytes(checkpointBodyRoot(stored), body.root)
            ? await attachCosignature(view, body.size, line, verifierFromVkey(vkey))
            : undefined;
        note = attached ?? note;
        out.result(
          {
            ok: true,
            cosigned: true,
            origin: body.origin,
            size: body.size,
            root: hex(body.root),
            auditor: name,
            vkey,
            cosignature: line,
            attached: attached !== undefined,
            entries: result.report.entries,
          },
          () => {
            process.stdout.write(line);
            out.note(
              `audited ${body.origin} up to size ${body.size}: ${result.report.entries} entries replayed, every rule and map root right; cosigned as ${name}${attached ? ' (attached to the stored checkpoint)' : ''}`,
            );
          },
        );
      } finally {
        await pool.close();
        await store.close();
      }
    },
  );

  run(
    program
      .command('verify-fraud-proof')
      .description("check a fraud proof: the log key signed a tree in which an entry's map root is wrong")
      .argument('<file>', 'the fraud proof (custody audit --fraud-proof)')
      .requiredOption('--trust-log <public key>', 'the log public key you know (base64, hex or key file)'),
    async (file: string, o: { trustLog: string }, out: Output) => {
      const bytes = new Uint8Array(readInputFile(file, 'fraud proof', FRAUD_PROOF_LIMITS.bytes));
      const r = await verifyFraudProof(bytes);
      if (!r.proven)
        throw new CustodyError(
          'FRAUD_PROOF_INVALID',
          `the fraud proof proves nothing: ${r.reason}`,
          'verification',
        );
      // Anyone can build a log of the same origin under a key of their own: a proof counts
      // only against the log key the caller knows.
      const pinned = parsePublicKey(o.trustLog);
      if (!equalBytes(pinned, r.logKey))
        throw new CustodyError(
          'FRAUD_PROOF_UNANCHORED',
          'the fraud proof is valid, but for a log key other than the one you trust',
          'verification',
        );
      out.result(
        {
          proven: true,
          origin: r.origin,
          size: r.size,
          entry: r.index,
          claimedMapRoot: hex(r.claimed),
          correctMapRoot: hex(r.correct),
          statement: r.outcome,
          logKey: b64(r.logKey),
          anchored: true,
        },
        () => {
          out.line(
            `FRAUD PROVEN: the log ${r.origin} signed a tree of size ${r.size} in which entry ${r.index} carries map root ${hex(r.claimed)}`,
          );
          out.line(
            `  the custody rules give ${hex(r.correct)} (the statement is ${r.outcome === 'accepted' ? 'accepted' : `refused: ${r.outcome}`})`,
          );
          out.line(
            `  log key ${b64(r.logKey)}${pinned ? ' (the one you trust)' : ' (not pinned: give --trust-log)'}`,
          );
        },
      );
    },
  );
}

function checkpointBodyRoot(note: string): Uint8Array {
  const b = checkpointBody(note);
  return 'code' in b ? new Uint8Array(0) : b.root;
}
