/**
 * Map proofs and their one canonical encoding (docs/STATE-MAP.md §Proofs,
 * §Proof encoding).
 *
 * A proof lists the branches on the key's path from the root down, each as
 * the bitmap of its NON-EMPTY siblings (the 15 children other than the path's
 * own; bit i = child i) and their hashes in increasing i, then a terminal:
 * member (the value), absent-empty (the path's slot is EMPTY), or absent-leaf
 * (another key's leaf sits in the slot).
 *
 * Encoding, canonical MessagePack (src/format/canonical.ts):
 *   proof    = [ levels, terminal ]
 *   levels   = [ [bitmap, siblings], … ]   bitmap: uint 0..65535, siblings: bin, 32 × popcount(bitmap)
 *   terminal = [0, value] | [1] | [2, path, value]     value, path: bin 32
 *
 * Decoding is strict and never throws: anything that is not exactly one
 * encoding of a proof shape is refused with a reason. The checks that need the
 * key (the path's own bit, the absent leaf's prefix) are made by the verifier.
 */
import { type Canonical, decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { HASH_SIZE, MAX_LEVELS } from './constants.js';
import { isBytes } from './path.js';

export interface MapProofLevel {
  /** Bit i set: child i is a non-empty sibling. The path's own child is never set. */
  readonly bitmap: number;
  /** The hashes of the set children, in increasing i: 32 × popcount(bitmap) bytes. */
  readonly siblings: Uint8Array;
}

export type MapProofTerminal =
  | { readonly kind: 'member'; readonly value: Uint8Array }
  | { readonly kind: 'absent-empty' }
  | { readonly kind: 'absent-leaf'; readonly path: Uint8Array; readonly value: Uint8Array };

export interface MapProof {
  /** From the root (depth 0) down; at most 64. */
  readonly levels: readonly MapProofLevel[];
  readonly terminal: MapProofTerminal;
}

/** Why a proof was refused (docs/ERRORS.md §State map). */
export type MapProofFailure =
  /** Not one msgpack value of the proof shape: wrong types, lengths, tags, trailing bytes. */
  | 'MAP_PROOF_MALFORMED'
  /** MessagePack, but not its canonical encoding. */
  | 'MAP_PROOF_NON_CANONICAL'
  /** More than 64 levels. */
  | 'MAP_PROOF_TOO_DEEP'
  /** A level's sibling bytes are not 32 × popcount(bitmap). */
  | 'MAP_PROOF_SIBLINGS'
  /** A level's bitmap has the path's own child set (or all 16 children). */
  | 'MAP_PROOF_OWN_BIT'
  /** The last level has no sibling: that branch would hold one leaf, which is compacted. */
  | 'MAP_PROOF_NOT_COMPACTED'
  /** An absent-leaf terminal names the key's own path. */
  | 'MAP_PROOF_LEAF_IS_KEY'
  /** An absent-leaf terminal's path does not share the key's first d nibbles. */
  | 'MAP_PROOF_LEAF_OFF_PATH'
  /** The proof is well formed but recomputes a different root. */
  | 'MAP_PROOF_ROOT_MISMATCH'
  /** The namespace or key is outside the limits. */
  | 'MAP_KEY_INVALID'
  /** The trusted root is not 32 bytes. */
  | 'MAP_ROOT_INVALID';

const TAG_MEMBER = 0;
const TAG_ABSENT_EMPTY = 1;
const TAG_ABSENT_LEAF = 2;

export const popcount16 = (x: number): number => {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
};

/** The canonical encoding of a proof. The proof must be well formed (as prove() returns). */
export function encodeMapProof(proof: MapProof): Uint8Array {
  const levels: Canonical[] = proof.levels.map((l) => [l.bitmap, l.siblings]);
  const t = proof.terminal;
  const terminal: Canonical =
    t.kind === 'member'
      ? [TAG_MEMBER, t.value]
      : t.kind === 'absent-empty'
        ? [TAG_ABSENT_EMPTY]
        : [TAG_ABSENT_LEAF, t.path, t.value];
  return encodeCanonical([levels, terminal]);
}

type Read<T> = { readonly proof: T } | { readonly error: MapProofFailure };

const copy = (b: Uint8Array): Uint8Array => Uint8Array.from(b);

function readLevel(bitmap: unknown, siblings: unknown): MapProofLevel | MapProofFailure {
  if (typeof bitmap !== 'number' || !Number.isInteger(bitmap) || bitmap < 0 || bitmap > 0xffff)
    return 'MAP_PROOF_MALFORMED';
  if (!(siblings instanceof Uint8Array)) return 'MAP_PROOF_MALFORMED';
  const n = popcount16(bitmap);
  if (n === 16) return 'MAP_PROOF_OWN_BIT';
  if (!isBytes(siblings, n * HASH_SIZE)) return 'MAP_PROOF_SIBLINGS';
  return { bitmap, siblings: copy(siblings) };
}

/** Checks that hold for every key: depth bound, and the last level has a sibling. */
function finish(levels: MapProofLevel[], terminal: MapProofTerminal): Read<MapProof> {
  const last = levels[levels.length - 1];
  if (last !== undefined && last.bitmap === 0) return { error: 'MAP_PROOF_NOT_COMPACTED' };
  return { proof: { levels, terminal } };
}

/** Decodes the canonical encoding of a proof. Never throws. */
export function decodeMapProof(bytes: Uint8Array): Read<MapProof> {
  try {
    if (!(bytes instanceof Uint8Array)) return { error: 'MAP_PROOF_MALFORMED' };
    const d = decodeCanonical(bytes);
    if ('error' in d)
      return { error: d.error === 'non-canonical' ? 'MAP_PROOF_NON_CANONICAL' : 'MAP_PROOF_MALFORMED' };
    const v = d.value;
    if (!Array.isArray(v) || v.length !== 2) return { error: 'MAP_PROOF_MALFORMED' };
    const [rawLevels, rawTerminal] = v as unknown[];
    if (!Array.isArray(rawLevels)) return { error: 'MAP_PROOF_MALFORMED' };
    if (rawLevels.length > MAX_LEVELS) return { error: 'MAP_PROOF_TOO_DEEP' };
    const levels: MapProofLevel[] = [];
    for (const l of rawLevels as unknown[]) {
      if (!Array.isArray(l) || l.length !== 2) return { error: 'MAP_PROOF_MALFORMED' };
      const r = readLevel(l[0], l[1]);
      if (typeof r === 'string') return { error: r };
      levels.push(r);
    }
    const terminal = readWireTerminal(rawTerminal);
    if (terminal === undefined) return { error: 'MAP_PROOF_MALFORMED' };
    return finish(levels, terminal);
  } catch {
    return { error: 'MAP_PROOF_MALFORMED' };
  }
}

function readWireTerminal(t: unknown): MapProofTerminal | undefined {
  if (!Array.isArray(t)) return undefined;
  if (t.length === 2 && t[0] === TAG_MEMBER && isBytes(t[1], HASH_SIZE))
    return { kind: 'member', value: t[1] };
  if (t.length === 1 && t[0] === TAG_ABSENT_EMPTY) return { kind: 'absent-empty' };
  if (t.length === 3 && t[0] === TAG_ABSENT_LEAF && isBytes(t[1], HASH_SIZE) && isBytes(t[2], HASH_SIZE))
    return { kind: 'absent-leaf', path: t[1], value: t[2] };
  return undefined;
}

/**
 * Validates a proof given as an object (e.g. built in memory, or received from
 * an untrusted caller) under the same rules as decoding, and returns a fresh
 * copy, so later reads cannot see other values than those checked (getters,
 * proxies). Never throws.
 */
export function readMapProof(p: unknown): Read<MapProof> {
  try {
    if (typeof p !== 'object' || p === null) return { error: 'MAP_PROOF_MALFORMED' };
    const { levels: rawLevels, terminal: t } = p as { levels?: unknown; terminal?: unknown };
    if (!Array.isArray(rawLevels)) return { error: 'MAP_PROOF_MALFORMED' };
    const n: unknown = rawLevels.length;
    if (typeof n !== 'number') return { error: 'MAP_PROOF_MALFORMED' };
    if (n > MAX_LEVELS) return { error: 'MAP_PROOF_TOO_DEEP' };
    const levels: MapProofLevel[] = [];
    for (let i = 0; i < n; i++) {
      const l: unknown = rawLevels[i];
      if (typeof l !== 'object' || l === null) return { error: 'MAP_PROOF_MALFORMED' };
      const { bitmap, siblings } = l as { bitmap?: unknown; siblings?: unknown };
      const r = readLevel(bitmap, siblings);
      if (typeof r === 'string') return { error: r };
      levels.push(r);
    }
    if (typeof t !== 'object' || t === null) return { error: 'MAP_PROOF_MALFORMED' };
    const { kind, value, path } = t as { kind?: unknown; value?: unknown; path?: unknown };
    let terminal: MapProofTerminal;
    if (kind === 'member' && isBytes(value, HASH_SIZE)) terminal = { kind, value: copy(value) };
    else if (kind === 'absent-empty') terminal = { kind };
    else if (kind === 'absent-leaf' && isBytes(path, HASH_SIZE) && isBytes(value, HASH_SIZE))
      terminal = { kind, path: copy(path), value: copy(value) };
    else return { error: 'MAP_PROOF_MALFORMED' };
    return finish(levels, terminal);
  } catch {
    return { error: 'MAP_PROOF_MALFORMED' };
  }
}
