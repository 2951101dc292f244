export { MerkleFrontier } from './frontier.js';
export { EMPTY_ROOT, HASH_SIZE, hashChildren, hashLeaf } from './hash.js';
export { MemoryNodeStore } from './memory.js';
export type { NewNode, NodeReader } from './proofs.js';
export { consistencyProof, inclusionProof, rootAt } from './proofs.js';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.js';
