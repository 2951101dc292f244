/** custody witness vkey | cosign | attach: a witness of a ledger's checkpoints (C2SP tlog-cosignature, tlog-witness). */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { parseCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { formatCosignerVkey, verifierFromVkey } from '../../src/checkpoint/cosignature.js';
import { formatMlDsaCosignerVkey } from '../../src/checkpoint/cosignature-mldsa.js';
import {
  type NoteVerifier,
  noteVerifierFromVkey,
  parseNote,
  parseVkey,
  SIG_TYPE_COSIGNATURE_MLDSA,
} from '../../src/checkpoint/note.js';
import { checkSplitView } from '../../src/checkpoint/split-view.js';
import {
  checkpointOriginOf,
  parseWitnessState,
  serializeWitnessState,
  witnessCosign,
} from '../../src/checkpoint/witness.js';
import { CustodyError } from '../../src/errors.js';
import { attachCosignature } from '../../src/ledger/log-checkpoints.js';
import { natural } from '../args.js';
import { withLedger } from '../context.js';
import { readStdinText, writeAtomically } from '../files.js';
import type { Output } from '../io.js';
import { loadWitnessKey, readTextFile, type WitnessKey } from '../keys.js';
import type { Runner } from '../program.js';

/** A witness key's cosigner vkey: type 0x04 (Ed25519, cosignature/v1) or 0x06 (ML-DSA-44, subtree/v1). */
const witnessVkey = (name: string, k: WitnessKey) =>
  k.type === 'ed25519' ? formatCosignerVkey(name, k.publicKey) : formatMlDsaCosignerVkey(name, k.publicKey);

/** A type 0x06 vkey under the log's origin (the name the log's own ML-DSA-44 line carries). */
function logMlDsaKeyOf(vkey: string, origin: string): Uint8Array {
  const v = parseVkey(vkey);
  if (v.type !== SIG_TYPE_COSIGNATURE_MLDSA || v.name !== origin)
    throw new CustodyError(
      'NOTE_KEY_INVALID',
      `--log-mldsa-vkey must be the log's ML-DSA-44 vkey (type 0x06, named ${origin}): custody checkpoint --mldsa-vkey prints it`,
      'input',
    );
  return v.publicKey;
}

async function readStdinOrFile(path: string, what: string): Promise<string> {
  return path === '-' ? readStdinText(what, 1 << 20) : readTextFile(path, what, 1 << 20);
}

/** A consistency proof file: the JSON printed by `custody consistency --json`. */
function readProofFile(path: string): Uint8Array[] {
  let j: { proof?: unknown };
  try {
    j = JSON.parse(readTextFile(path, 'proof')) as { proof?: unknown };
  } catch (e) {
    if (e instanceof CustodyError) throw e;
    j = {};
  }
  if (
    !j ||
    !Array.isArray(j.proof) ||
    !j.proof.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))
  )
    throw new CustodyError(
      'WITNESS_PROOF_MALFORMED',
      'the proof file must be the JSON printed by custody consistency --json',
      'input',
    );
  return j.proof.map((h: string) => Uint8Array.from(Buffer.from(h, 'hex')));
}

export function witnessCommands(program: Command, run: Runner) {
  const witness = program
    .command('witness')
    .description('act as a witness: cosign checkpoints of a ledger (C2SP tlog-cosignature)');
  run(
    witness
      .command('vkey')
      .description("print a witness key's cosigner verifier key (give it to verifiers)")
      .requiredOption('--key <witness key>', 'witness key file (Ed25519 or ML-DSA-44)')
      .option('--name <name>', 'witness name (default: the key id)'),
    async (o: { key: string; name?: string }, out: Output) => {
      const k = await loadWitnessKey(o.key, out);
      const name = o.name ?? k.keyId;
      const vkey = witnessVkey(name, k);
      out.result({ name, vkey }, () => out.line(vkey));
    },
  );
  run(
    witness
      .command('cosign')
      .description('check a checkpoint against the last one this witness cosigned, and cosign it')
      .requiredOption(
        '--key <witness key>',
        'witness key file: Ed25519 (cosignature/v1) or ML-DSA-44 (subtree/v1)',
      )
      .requiredOption('--state <file>', "this witness's state file (created if missing)")
      .requiredOption('--log-vkey <vkey>', "the log's verifier key (custody checkpoint --vkey)")
      .option('--name <name>', 'witness name (default: the key id)')
      .option(
        '--log-mldsa-vkey <vkey>',
        "the log's ML-DSA-44 vkey (custody checkpoint --mldsa-vkey): refuse a checkpoint without its valid line",
      )
      .option('--checkpoint <file>', "checkpoint note (default: the ledger's latest)")
      .option(
        '--proof <file>',
        'consistency proof JSON (custody consistency --json); default: computed from --ledger',
      ),
    async (
      o: {
        key: string;
        state: string;
        logVkey: string;
        logMldsaVkey?: string;
        name?: string;
        checkpoint?: string;
        proof?: string;
      },
      out: Output,
    ) => {
      const k = await loadWitnessKey(o.key, out);
      const name = o.name ?? k.keyId;
      const logVerifier = verifierFromVkey(o.logVkey);
      const logMlDsaKey =
        o.logMldsaVkey === undefined ? undefined : logMlDsaKeyOf(o.logMldsaVkey, logVerifier.name);
      const states = existsSync(o.state)
        ? parseWitnessState(readTextFile(o.state, 'witness state'))
        : new Map();
      let noteText = o.checkpoint ? await readStdinOrFile(o.checkpoint, 'checkpoint') : undefined;
      const origin = () => checkpointOriginOf(noteText!);
      let proof: Uint8Array[] = [];
      const needProof = (size: number) => {
        const st = states.get(origin());
        return st && st.size > 0 && st.size < size ? st.size : undefined;
      };
      // A witness elsewhere gets the checkpoint and proof as files; one next to the ledger reads them from it.
      if (o.proof) proof = readProofFile(o.proof);
      if (!noteText || !o.proof)
        await withLedger(out.opts, async ({ view }) => {
          if (!noteText) {
            const latest = await view.latestCheckpoint();
            if (latest === undefined)
              throw new CustodyError('CHECKPOINT_UNKNOWN', 'the ledger has no checkpoint yet', 'input');
            noteText = latest.note;
          }
          if (o.proof) return;
          const size = parseCheckpoint(parseNote(noteText).text).size;
          const from = needProof(size);
          if (from !== undefined) proof = await view.consistencyProof(from, size);
        });
      const prior = states.get(origin());
      const r = witnessCosign({
        state: prior,
        noteText: noteText!,
        logVerifier,
        consistencyProof: proof,
        witnessName: name,
        witnessSigner: k.signer,
        now: Math.floor(Date.now() / 1000),
        ...(logMlDsaKey ? { logMlDsaKey } : {}),
      });
      states.set(r.checkpoint.origin, r.state);
      // Persist the new state before releasing the cosignature (tlog-witness).
      writeAtomically(o.state, serializeWitnessState(states));
      out.result(
        {
          origin: r.checkpoint.origin,
          size: r.checkpoint.size,
          witness: name,
          cosignature: r.cosignatureLine,
        },
        () => {
          process.stdout.write(r.cosignatureLine);
          out.note(
            `cosigned ${r.checkpoint.origin} at size ${r.checkpoint.size}${prior ? ` (consistent with size ${prior.size})` : ' (first checkpoint seen for this log)'}`,
          );
        },
      );
    },
  );
  run(
    witness
      .command('attach')
      .description("add a witness's cosignature line to the ledger's stored checkpoint")
      .argument('<line>', "file with the cosignature line ('-' for stdin)")
      .requiredOption('--witness <vkey>', "the witness's cosigner vkey")
      .option('--size <n>', 'checkpoint size (default: latest)', natural('--size')),
    async (file: string, o: { witness: string; size?: number }, out: Output) => {
      const line = await readStdinOrFile(file, 'cosignature');
      const w = verifierFromVkey(o.witness);
      await withLedger(out.opts, async ({ view }) => {
        const sizes = await view.checkpointSizes();
        const size = o.size ?? sizes[sizes.length - 1];
        if (size === undefined)
          throw new CustodyError('CHECKPOINT_UNKNOWN', 'the ledger has no checkpoint yet', 'input');
        const note = await attachCosignature(view, size, line.trimEnd(), w);
        out.result({ size, witness: w.name, signatures: parseNote(note).signatures.length }, () =>
          out.line(`attached ${w.name}'s cosignature to the checkpoint at size ${size}`),
        );
      });
    },
  );
  run(
    witness
      .command('split-view')
      .description(
        'check split-view evidence: two checkpoints of one size, with different roots, both signed by a log',
      )
      .argument('<file>', "the evidence (JSON {origin, size, notes}, from a server's …/split-view path)")
      .requiredOption('--log <vkey>', "the log's verifier key, as you know it"),
    async (file: string, o: { log: string }, out: Output) => {
      const notes = splitViewNotes(readTextFile(file, 'split-view evidence'));
      let log: NoteVerifier;
      try {
        log = noteVerifierFromVkey(o.log);
      } catch (e) {
        throw new CustodyError('USAGE', `--log is not a verifier key: ${(e as Error).message}`, 'input');
      }
      const s = checkSplitView(notes[0], notes[1], log);
      out.result({ proven: true, origin: s.origin, size: s.size, roots: s.roots }, () => {
        out.line(`SPLIT VIEW PROVEN: the log ${s.origin} signed two different trees of size ${s.size}`);
        out.line(`  root ${s.roots[0]}`);
        out.line(`  root ${s.roots[1]}`);
      });
    },
  );
}

/** The two notes of a split-view document; SPLIT_VIEW_UNPROVEN for anything else. */
function splitViewNotes(text: string): [string, string] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = undefined;
  }
  const n = (v as { notes?: unknown } | undefined)?.notes;
  if (!Array.isArray(n) || n.length !== 2 || typeof n[0] !== 'string' || typeof n[1] !== 'string')
    throw new CustodyError(
      'SPLIT_VIEW_UNPROVEN',
      'the file is not split-view evidence: a JSON object whose "notes" are two checkpoint notes',
      'verification',
    );
  return [n[0], n[1]];
}
