/**
 * Building the fraud proof of ./fraud-proof.ts from a ledger's store, for
 * the auditor (`custody audit`) that found entry p's map root wrong.
 *
 * Everything comes from the primary data: the state before p is rebuilt by
 * replaying entries 0 … p − 1 in memory (never read from the store's derived
 * records, which the log key's holder may have written to match his false
 * root), and the nodes and records the proof carries are exactly those the
 * verifier's judgement reads, recorded while the same judgement runs here.
 */
import { toHex } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import { admit } from '../custody/admit.js';
import { CustodyState } from '../custody/custody-state.js';
import { signerIdOf } from '../custody/judge.js';
import type { Namespace } from '../custody/records.js';
import { touchedBy } from '../custody/touched.js';
import { CustodyError } from '../errors.js';
import { StateMap } from '../map/index.js';
import { consistencyProof, inclusionProof, rootAt } from '../merkle/proofs.js';
import type { LogStore } from '../store/log-store.js';
import { replayEntries } from '../verify/entries.js';
import { encodeFraudProof, type FraudProof } from './fraud-proof.js';

const corrupt = (message: string) => new CustodyError('STORE_CORRUPT', message, 'unavailable');

async function itemAt(store: LogStore, index: number) {
  const [entry, payload] = await Promise.all([store.entry(index), store.payload(index)]);
  if (!entry || !payload) throw corrupt(`entry ${index} is missing from the store`);
  return { entry, payload };
}

/**
 * The fraud proof that entry `index` carries a wrong map root, against the
 * signed checkpoint `checkpointNote` (of a size greater than `index`). The
 * caller (the auditor's replay) has found `index` to be the first entry whose
 * map root differs from the replay's.
 */
export async function buildFraudProof(
  store: LogStore,
  index: number,
  checkpointNote: string,
): Promise<Uint8Array> {
  const cp = parseCheckpoint(parseNote(checkpointNote).text);
  const n = cp.size;
  if (index < 1 || index >= n)
    throw new CustodyError(
      'FRAUD_PROOF_UNAVAILABLE',
      `entry ${index} is not inside the checkpoint of size ${n}`,
      'input',
    );

  // The state before p, from the entries alone.
  const before = await replayEntries(store.items(0, index));
  const all = before.state.map.takeDirty();
  const branches = new Map(all.nodes.map((x) => [toHex(x.hash), x.bytes]));
  const usedNodes = new Map<string, Uint8Array>();
  const usedRecords = new Map<string, FraudProof['records'][number]>();
  const map = StateMap.open(all.root, all.size, all.rootLeaf, {
    node: async (h) => {
      const b = branches.get(toHex(h));
      if (b) usedNodes.set(toHex(h), b);
      return b;
    },
  });
  const state = new CustodyState({
    map,
    records: async (ns, key) => {
      const record = before.state.bytes(ns as Namespace, key);
      if (record) usedRecords.set(`${ns}/${toHex(key)}`, { ns, key, record });
      return record;
    },
  });
  const item = await itemAt(store, index);
  const a = admit(item.payload, false);
  if (!('violation' in a))
    await state.prefetch(touchedBy(a.statement, a.id, signerIdOf(a.statement.signer.key)));

  const seen = !('violation' in a) ? a.statement.seen : undefined;
  const genesis = await itemAt(store, 0);
  const previous = await itemAt(store, index - 1);
  const proof: FraudProof = {
    origin: cp.origin,
    checkpoint: checkpointNote,
    genesis: { ...genesis, proof: await inclusionProof(store, 0, n) },
    previous: { entry: previous.entry, proof: await inclusionProof(store, index - 1, n) },
    index,
    entry: { ...item, proof: await inclusionProof(store, index, n) },
    mapSize: all.size,
    nodes: [...usedNodes.values()],
    records: [...usedRecords.values()],
  };
  // Every seen inside the log travels with its root (size 0 too: the empty tree's).
  if (seen && seen.size <= index)
    proof.seen = {
      size: seen.size,
      root: await rootAt(store, seen.size),
      proof: seen.size === 0 || seen.size === n ? [] : await consistencyProof(store, seen.size, n),
    };
  return encodeFraudProof(proof);
}
