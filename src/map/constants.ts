/**
 * Sizes and domain-separation constants of the state map (docs/STATE-MAP.md
 * §Construction). Changing any of them changes every root: they are part of
 * the format, not tuning knobs.
 */

/** SHA-256 output size: paths, values, leaf and node hashes are all this long. */
export const HASH_SIZE = 32;

/** A path is one SHA-256 output read as 64 nibbles, high nibble of each byte first. */
export const PATH_NIBBLES = 64;

/**
 * A branch exists at depths 0..63 only (at depth 64 two leaves would share the
 * whole path, i.e. be the same key), so a proof has at most 64 levels.
 */
export const MAX_LEVELS = PATH_NIBBLES;

/** Namespaces: 1..32 bytes of printable ASCII (0x21..0x7e). */
export const MAX_NAMESPACE_BYTES = 32;
export const MIN_NAMESPACE_CHAR = 0x21;
export const MAX_NAMESPACE_CHAR = 0x7e;

/** Keys: 0..1024 bytes. */
export const MAX_KEY_BYTES = 1024;

/** Domain of the path hash: utf8("custody/map/path/v2\n"). */
export const PATH_DOMAIN: Uint8Array = new TextEncoder().encode('custody/map/path/v2\n');

/** leafHash = SHA-256(0x00 ‖ path ‖ value): 65 bytes in. */
export const LEAF_PREFIX = 0x00;
export const LEAF_INPUT_SIZE = 1 + 2 * HASH_SIZE;

/** nodeHash = SHA-256(0x01 ‖ c0 ‖ … ‖ c15): 513 bytes in. */
export const NODE_PREFIX = 0x01;
export const NODE_INPUT_SIZE = 1 + 16 * HASH_SIZE;

/** The hash of a subtree without leaves (and the root of the empty map): 32 zero bytes. */
export const emptyHash = (): Uint8Array => new Uint8Array(HASH_SIZE);
