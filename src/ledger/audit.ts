/**
 * Deep audit of a stored ledger (`custody verify --deep`): checks that every
 * piece of derived data the store keeps agrees with the signed records.
 *
 * The verifier never trusts derived data — it recomputes custody state and the
 * Merkle tree from the records — so damaged derived data cannot make a forgery
 * verify. But the ledger *serves* that data: proofs come from stored tree
 * nodes, `show` and `exhibits` from stored state and indexes, bundles from
 * stored checkpoints. An insider who edits them would make the ledger serve
 * wrong answers (which clients then reject). The audit finds such edits and
 * names the damaged record. It reads everything once more, so it is opt-in.
 */

import { equalBytes } from '../bytes.js';
import { parseCheckpoint } from '../checkpoint/checkpoint.js';
import { parseNote } from '../checkpoint/note.js';
import type { ActorRecord, ExhibitRecord } from '../custody/state.js';
import { type Canonical, encodeCanonical } from '../format/canonical.js';
import { exhibitsOf } from '../format/events.js';
import { decodeRecord } from '../format/record.js';
import { MerkleFrontier } from '../merkle/frontier.js';
import { hashChildren, hashLeaf } from '../merkle/hash.js';
import type { LedgerStore } from '../store/store.js';
import { checkCheckpointNote } from '../verify/checkpoint-note.js';
import type { Problem } from '../verify/report.js';
import type { VerifyResult } from '../verify/verifier.js';

const MAX = 1000;

export async function auditStore(store: LedgerStore, result: VerifyResult): Promise<Problem[]> {
  const out: Problem[] = [];
  const add = (code: string, seq: number | null, exhibit: string | null, message: string) => {
    if (out.length < MAX) out.push({ code, severity: 'error', seq, exhibit, message });
  };
  const size = result.report.entries;
  const guard = async (what: string, f: () => Promise<void>) => {
    try {
      await f();
    } catch (e) {
      add(
        'STORE_CORRUPT',
        null,
        null,
        `${what} could not be read: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  };

  // 1. Leaf hashes (tree level 0) against the records; collect the index rows the records imply.
  const expectedIndex = { exhibit: new Map<string, number[]>(), actor: new Map<string, number[]>() };
  // Roots at every stored checkpoint's size, recomputed from the records (never from stored nodes).
  const cpSizes = new Set(await store.checkpointSizes().catch(() => [] as number[]));
  const rootsAt = new Map<number, Uint8Array>();
  const tree = MerkleFrontier.empty();
  await guard('the tree leaves', async () => {
    const leaves = store.levelNodes(0)[Symbol.asyncIterator]();
    for await (const { seq, bytes } of store.entries(0, size)) {
      const leaf = await leaves.next();
      const expected = hashLeaf(bytes);
      tree.append(expected);
      if (cpSizes.has(tree.size)) rootsAt.set(tree.size, tree.root());
      if (leaf.done || leaf.value.index !== seq || !equalBytes(leaf.value.hash, expected))
        add(
          'STORE_LEAF_MISMATCH',
          seq,
          null,
          `the stored leaf hash of entry ${seq} does not match the entry`,
        );
      try {
        const p = decodeRecord(bytes).payload;
        push(expectedIndex.actor, p.actor, seq);
        for (const x of exhibitsOf(p)) push(expectedIndex.exhibit, x, seq);
      } catch {
        // Undecodable records are already reported by the verifier.
      }
    }
    for (let extra = await leaves.next(); !extra.done; extra = await leaves.next())
      add(
        'STORE_LEAF_MISMATCH',
        extra.value.index,
        null,
        `a leaf hash is stored for entry ${extra.value.index}, which does not exist`,
      );
  });

  // 2. Interior nodes: each must be the hash of its two stored children.
  for (let level = 1; 2 ** level <= size; level++)
    await guard(`tree level ${level}`, async () => {
      const below = store.levelNodes(level - 1)[Symbol.asyncIterator]();
      let expectIndex = 0;
      for await (const { index, hash } of store.levelNodes(level)) {
        const l = await below.next();
        const r = await below.next();
        if (
          index !== expectIndex ||
          l.done ||
          r.done ||
          !equalBytes(hash, hashChildren(l.value.hash, r.value.hash))
        )
          add(
            'STORE_NODE_MISMATCH',
            null,
            null,
            `the stored Merkle node ${level}/${index} does not match its children`,
          );
        expectIndex = index + 1;
      }
      if (expectIndex !== Math.floor(size / 2 ** level))
        add(
          'STORE_NODE_MISMATCH',
          null,
          null,
          `tree level ${level} has ${expectIndex} nodes, ${Math.floor(size / 2 ** level)} expected`,
        );
    });

  // 3. Custody state records against the replayed state.
  const same = (a: ActorRecord | ExhibitRecord, b: ActorRecord | ExhibitRecord) =>
    equalBytes(encodeCanonical(a as unknown as Canonical), encodeCanonical(b as unknown as Canonical));
  // Each record the entries imply is read on its own, so a damaged one is named.
  for (const r of result.actors())
    await store.actor(r.id).then(
      (a) => {
        if (!a || !same(r, a))
          add(
            'STORE_STATE_MISMATCH',
            null,
            null,
            `the stored record of actor ${r.id} does not match the entries${a ? '' : ' (missing)'}`,
          );
      },
      () => add('STORE_STATE_MISMATCH', null, null, `the stored record of actor ${r.id} is damaged`),
    );
  for (const id of expectedIndex.exhibit.keys()) {
    const r = result.exhibit(id);
    if (!r) continue;
    await store.exhibit(id).then(
      (x) => {
        if (!x || !same(r, x))
          add(
            'STORE_STATE_MISMATCH',
            null,
            id,
            `the stored state of exhibit ${id} does not match the entries${x ? '' : ' (missing)'}`,
          );
      },
      () => add('STORE_STATE_MISMATCH', null, id, `the stored state of exhibit ${id} is damaged`),
    );
  }
  // Records the entries do not imply at all.
  await guard('the list of state records', async () => {
    for await (const a of store.listActors())
      if (!result.actors().some((x) => x.id === a.id))
        add(
          'STORE_STATE_MISMATCH',
          null,
          null,
          `a record is stored for actor ${a.id}, which no entry enrols`,
        );
    for await (const x of store.listExhibits())
      if (!result.exhibit(x.id))
        add(
          'STORE_STATE_MISMATCH',
          null,
          x.id,
          `a state is stored for exhibit ${x.id}, which no entry registers`,
        );
  });

  // 4. Indexes (events of an exhibit, entries of an actor).
  for (const kind of ['exhibit', 'actor'] as const)
    await guard(`the ${kind} index`, async () => {
      const got = new Map<string, number[]>();
      for await (const { id, seq } of store.indexRows(kind)) push(got, id, seq);
      const want = expectedIndex[kind];
      for (const id of new Set([...got.keys(), ...want.keys()])) {
        const a = got.get(id) ?? [];
        const b = want.get(id) ?? [];
        if (a.length !== b.length || a.some((s, i) => s !== b[i]))
          add(
            'STORE_INDEX_MISMATCH',
            firstDifference(a, b),
            kind === 'exhibit' ? id : null,
            `the ${kind} index of ${id} does not match the entries`,
          );
      }
    });

  // 5. Stored checkpoints: well-formed, signed by a log key, and true of the records.
  await guard('checkpoints', async () => {
    for (const cpSize of await store.checkpointSizes()) {
      const note = await store.checkpoint(cpSize);
      try {
        const cp = parseCheckpoint(parseNote(note ?? '').text);
        const check = checkCheckpointNote(note!, result.report.origin, result.actors());
        const root = rootsAt.get(cp.size);
        if (cp.size !== cpSize || check.problems.length > 0 || !root || !equalBytes(root, cp.root))
          add(
            'STORE_CHECKPOINT_MISMATCH',
            cpSize - 1,
            null,
            `the stored checkpoint at size ${cpSize} is not a valid signed checkpoint of these entries`,
          );
      } catch {
        add(
          'STORE_CHECKPOINT_MISMATCH',
          cpSize - 1,
          null,
          `the stored checkpoint at size ${cpSize} is damaged`,
        );
      }
    }
  });
  return out;
}

function push(m: Map<string, number[]>, k: string, v: number) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

function firstDifference(a: number[], b: number[]): number | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return Math.min(a[i] ?? Number.POSITIVE_INFINITY, b[i] ?? Number.POSITIVE_INFINITY);
  return null;
}
