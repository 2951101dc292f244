/**
 * Verification of map proofs (docs/STATE-MAP.md §Verifying a proof).
 *
 * Proofs and roots arrive from whoever hands us a bundle, so nothing here
 * throws: every refusal is a result with a reason. Inputs are checked
 * explicitly (./proof.ts), and a try/catch backs that up against hostile
 * objects.
 *
 * With d levels, the verifier rebuilds the key's path bottom-up: it starts
 * from the terminal's hash (leafHash(path, value) for member, EMPTY for
 * absent-empty, leafHash(otherPath, otherValue) for absent-leaf), places it in
 * slot nibble(path, i) of level i with the level's siblings in their slots and
 * EMPTY elsewhere, hashes, and goes up; the result must equal the root.
 * Because a leaf binds its full path and nodes and leaves are hashed apart,
 * the only proof that recomputes a root for a key is the one prove() gives.
 */
import { equalBytes } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { HASH_SIZE } from './constants.js';
import { childOffset, leafHash, nodeInput } from './hash.js';
import { isBytes, type MapKey, nibble, tryMapPath } from './path.js';
import { decodeMapProof, type MapProof, type MapProofFailure, readMapProof } from './proof.js';

export type MapVerifyResult =
  | { readonly ok: true; readonly present: true; readonly value: Uint8Array }
  | { readonly ok: true; readonly present: false }
  | { readonly ok: false; readonly reason: MapProofFailure };

const fail = (reason: MapProofFailure): MapVerifyResult => ({ ok: false, reason });

/**
 * Verifies a proof (its canonical bytes, or a proof object) that (ns, key) maps
 * to a value, or to nothing, in the map with this root. Never throws.
 */
export function verifyMapProof(
  root: Uint8Array,
  ns: string,
  key: MapKey,
  proof: Uint8Array | MapProof,
): MapVerifyResult {
  const path = tryMapPath(ns, key);
  if (path === undefined) return fail('MAP_KEY_INVALID');
  return verifyMapProofAtPath(root, path, proof);
}

/** As verifyMapProof, for a key given by its path (./path.ts). Never throws. */
export function verifyMapProofAtPath(
  root: Uint8Array,
  path: Uint8Array,
  proof: Uint8Array | MapProof,
): MapVerifyResult {
  try {
    if (!isBytes(root, HASH_SIZE)) return fail('MAP_ROOT_INVALID');
    if (!isBytes(path, HASH_SIZE)) return fail('MAP_KEY_INVALID');
    const trustedRoot = Uint8Array.from(root);
    const p = Uint8Array.from(path);
    const read = proof instanceof Uint8Array ? decodeMapProof(proof) : readMapProof(proof);
    if ('error' in read) return fail(read.error);
    return check(trustedRoot, p, read.proof);
  } catch {
    return fail('MAP_PROOF_MALFORMED');
  }
}

function check(root: Uint8Array, path: Uint8Array, proof: MapProof): MapVerifyResult {
  const { levels, terminal } = proof;
  const d = levels.length;
  for (let i = 0; i < d; i++)
    if ((levels[i]!.bitmap >>> nibble(path, 0, i)) & 1) return fail('MAP_PROOF_OWN_BIT');

  let cur: Uint8Array;
  if (terminal.kind === 'member') cur = leafHash(path, terminal.value);
  else if (terminal.kind === 'absent-empty') cur = new Uint8Array(HASH_SIZE);
  else {
    // The other leaf must sit where this key's path leads: it shares the first
    // d nibbles (so it really occupies this slot) and is not this key.
    if (equalBytes(terminal.path, path)) return fail('MAP_PROOF_LEAF_IS_KEY');
    for (let i = 0; i < d; i++)
      if (nibble(terminal.path, 0, i) !== nibble(path, 0, i)) return fail('MAP_PROOF_LEAF_OFF_PATH');
    cur = leafHash(terminal.path, terminal.value);
  }

  const input = nodeInput();
  for (let i = d - 1; i >= 0; i--) {
    const { bitmap, siblings } = levels[i]!;
    input.fill(0, 1);
    for (let c = 0, j = 0; c < 16; c++) {
      if (((bitmap >>> c) & 1) === 0) continue;
      input.set(siblings.subarray(j * HASH_SIZE, (j + 1) * HASH_SIZE), childOffset(c));
      j++;
    }
    input.set(cur, childOffset(nibble(path, 0, i)));
    cur = sha256(input);
  }
  if (!equalBytes(cur, root)) return fail('MAP_PROOF_ROOT_MISMATCH');
  return terminal.kind === 'member'
    ? { ok: true, present: true, value: Uint8Array.from(terminal.value) }
    : { ok: true, present: false };
}
