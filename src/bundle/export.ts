/**
 * Exporting one exhibit as a self-contained bundle: every entry concerning the
 * exhibit and the exhibits it derives from, genesis, the authority's rotations,
 * and the enrolment and revocation entries of every actor involved (signers,
 * receivers, the checkpoint's log key) — each with an inclusion proof against
 * the latest signed checkpoint. Size grows with the exhibit's history, not with
 * the ledger.
 */
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import type { Signer } from '../crypto/ed25519.js';
import { CustodyError } from '../errors.js';
import { keyId } from '../format/ids.js';
import { checkpointLedger } from '../ledger/checkpoints.js';
import type { Ledger } from '../ledger/ledger.js';
import { type Bundle, encodeBundle } from './format.js';
import { signExhibitHead } from './head.js';

export interface ExportOptions {
  /** A log key: signs a checkpoint at the current size if needed, and the head attestation. */
  logKey?: Signer;
}

export async function exportBundle(
  ledger: Ledger,
  exhibit: string,
  opts: ExportOptions = {},
): Promise<{ bytes: Uint8Array; bundle: Bundle }> {
  await ledger.flush();
  const x = await ledger.exhibit(exhibit);
  if (!x) throw new CustodyError('EXHIBIT_UNKNOWN', `no exhibit ${exhibit} in this ledger`, 'input');
  if (opts.logKey) await checkpointLedger(ledger, opts.logKey);
  const sizes = await ledger.store.checkpointSizes();
  const size = sizes[sizes.length - 1];
  if (size === undefined)
    throw new CustodyError(
      'CHECKPOINT_NEEDED',
      'the ledger has no checkpoint; sign one (custody checkpoint --key <log key>) or pass --key',
      'input',
    );
  const note = (await ledger.store.checkpoint(size))!;
  const cp = parseCheckpoint(parseNote(note).text);

  const seqs = new Set<number>([0]);
  const lineage: string[] = [];
  for (
    let id: string | undefined = exhibit;
    id && !lineage.includes(id);
    id = (await ledger.exhibit(id))?.parent
  )
    lineage.push(id);
  for (const id of lineage) for (const s of await ledger.store.exhibitEvents(id)) seqs.add(s);
  if ([...seqs].some((s) => s >= size))
    throw new CustodyError(
      'CHECKPOINT_STALE',
      `the latest checkpoint (size ${size}) does not cover the exhibit's history; sign a new one (custody checkpoint --key <log key>) or pass --key`,
      'input',
    );

  // Actors involved: signers and receivers of the exhibit events, the checkpoint's log key.
  const actors = new Set<string>();
  // Reads are issued together: LevelDB serves them on its thread pool.
  for (const p of await Promise.all([...seqs].map(async (s) => (await ledger.get(s)).payload))) {
    actors.add(p.actor);
    if (p.kind === 'transfer') actors.add(p.body.to);
  }
  for (const a of await ledger.actors()) if (a.roles.includes('log')) actors.add(a.id);
  // The authority chain: genesis and every rotation (each enrolment is signed by the authority of its time).
  const genesis = (await ledger.get(0)).payload;
  if (genesis.kind !== 'genesis')
    throw new CustodyError('STORE_CORRUPT', 'entry 0 is not genesis; run custody verify', 'unavailable');
  let authority = keyId(genesis.body.publicKey);
  for (const seen = new Set<string>(); !seen.has(authority); ) {
    seen.add(authority);
    const a = await ledger.actor(authority);
    if (!a?.retiredSeq || a.retiredSeq >= size) break;
    seqs.add(a.retiredSeq);
    const rot = (await ledger.get(a.retiredSeq)).payload;
    if (rot.kind !== 'rotate') break;
    authority = keyId(rot.body.publicKey);
  }
  for (const id of actors) {
    const a = await ledger.actor(id);
    if (!a) continue;
    if (a.enrolledSeq < size) seqs.add(a.enrolledSeq);
    if (a.revokedSeq !== undefined && a.revokedSeq < size) seqs.add(a.revokedSeq);
  }

  const entries = await Promise.all(
    [...seqs]
      .sort((a, b) => a - b)
      .map(async (seq) => ({
        seq,
        record: (await ledger.store.entry(seq))!,
        proof: await ledger.inclusionProof(seq, size),
      })),
  );
  const bundle: Bundle = { origin: cp.origin, exhibit, checkpoint: note, entries };
  if (opts.logKey) {
    const last = await ledger.exhibit(exhibit);
    bundle.head = signExhibitHead(
      { origin: cp.origin, size, exhibit, lastSeq: last!.lastSeq, lastHash: last!.lastHash },
      opts.logKey,
    );
  }
  return { bytes: encodeBundle(bundle), bundle };
}
