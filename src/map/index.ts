/** The state map (docs/STATE-MAP.md): a compacted flat 16-ary Merkle tree over hashed keys. */
export {
  emptyHash,
  HASH_SIZE as MAP_HASH_SIZE,
  MAX_KEY_BYTES,
  MAX_LEVELS,
  MAX_NAMESPACE_BYTES,
} from './constants.js';
export type { EncodedMapNode, MapChanges } from './dirty.js';
export { leafHash } from './hash.js';
export type { MapNodeSource, MapRootLeaf } from './lazy.js';
export { proveFromSource, proveFromSourceAtPath } from './lazy.js';
export type { MapStats } from './map.js';
export { StateMap } from './map.js';
export type { MapNode, MapNodeChild } from './node-codec.js';
export { decodeNode, encodeNode, hashNode } from './node-codec.js';
export type { MapKey } from './path.js';
export { mapPath, tryMapPath } from './path.js';
export type { MapProof, MapProofFailure, MapProofLevel, MapProofTerminal } from './proof.js';
export { decodeMapProof, encodeMapProof, readMapProof } from './proof.js';
export { MapSnapshot } from './snapshot.js';
export type { MapVerifyResult } from './verify.js';
export { verifyMapProof, verifyMapProofAtPath } from './verify.js';
