/**
 * The checkpoint part of `custody demo` (docs/LONG-TERM.md): the log signs a
 * checkpoint with both its keys, an ML-DSA-44 witness that requires the
 * log's ML-DSA-44 line cosigns it, and the log archives it in itself with an
 * RFC 3161 token from a local TSA (when OpenSSL is there), then signs a newer
 * dual-signed checkpoint over the record.
 */
import { join } from 'node:path';
import { mlDsaCosignatureVerifier } from '../../src/checkpoint/cosignature-mldsa.js';
import { ed25519NoteVerifier } from '../../src/checkpoint/note.js';
import { witnessCosign } from '../../src/checkpoint/witness.js';
import { randomSeed, type Signer } from '../../src/crypto/ed25519.js';
import { type MlDsa44Signer, mlDsa44SignerFromSeed } from '../../src/crypto/ml-dsa.js';
import { archiveLatestCheckpoint } from '../../src/ledger/archive.js';
import type { LedgerView } from '../../src/ledger/ledger-view.js';
import { attachCosignature, signLogCheckpoint } from '../../src/ledger/log-checkpoints.js';
import type { LogLedger } from '../../src/ledger/log-ledger.js';
import { demoTsa, type LocalTsa } from '../demo-tsa.js';
import type { Output } from '../io.js';

const WITNESS = 'witness.demo.example';

export interface DemoCheckpointsInput {
  ledger: LogLedger;
  view: LedgerView;
  origin: string;
  logKey: Signer;
  logPq: MlDsa44Signer;
  dir: string;
  out: Output;
  step: (s: string) => void;
  say: (s?: string) => void;
}

export async function demoCheckpoints(x: DemoCheckpointsInput): Promise<{ tsa: LocalTsa | undefined }> {
  const { ledger, view, origin, logKey, logPq, step, say } = x;
  step(
    'The log signs a checkpoint of the whole log with both its keys, Ed25519 and ML-DSA-44 (custody checkpoint --log-key log.key --mldsa-key log-pq.key)',
  );
  const c1 = await signLogCheckpoint(view, logKey, { mlDsa: logPq });
  // An independent witness with a post-quantum key cosigns it, once it has checked the log's
  // Ed25519 and ML-DSA-44 lines (custody witness cosign --log-mldsa-vkey …).
  const witness = mlDsa44SignerFromSeed(randomSeed());
  const w = witnessCosign({
    state: undefined,
    noteText: c1.note,
    logVerifier: ed25519NoteVerifier(origin, logKey.publicKey),
    logMlDsaKey: logPq.publicKey,
    consistencyProof: [],
    witnessName: WITNESS,
    witnessSigner: { mlDsa44: witness },
    now: Math.floor(Date.now() / 1000),
  });
  await attachCosignature(
    view,
    c1.size,
    w.cosignatureLine,
    mlDsaCosignatureVerifier(WITNESS, witness.publicKey),
  );
  say(`${WITNESS} cosigned it with ML-DSA-44 (C2SP tlog-cosignature subtree/v1)`);
  const tsa = demoTsa(join(x.dir, 'tsa'));
  step(
    `The log archives that checkpoint in itself${tsa ? ', with an RFC 3161 time stamp from a local TSA,' : ''} and signs a newer one over it (custody checkpoint --archive …)`,
  );
  const archived = await archiveLatestCheckpoint(
    ledger,
    view,
    tsa ? { tsa: tsa.tsa, tsaChain: tsa.chain } : {},
  );
  say(
    `archived the checkpoint of size ${archived.size} at entry ${archived.submitted.index}${archived.genTime ? `, time-stamped ${archived.genTime.toISOString()}` : ' (no OpenSSL here: without a time stamp)'}`,
  );
  const cp = await signLogCheckpoint(view, logKey, { mlDsa: logPq });
  // The ML-DSA-44 line is 3,300 characters: shown shortened.
  const shown = cp.note
    .split('\n')
    .map((l) => (l.length > 100 ? `${l.slice(0, 96)} …` : l))
    .join('\n');
  process.stdout.write(x.out.opts.json ? '' : shown);
  return { tsa };
}
