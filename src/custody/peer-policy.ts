/**
 * A peer's tlog-policy as the `peer` statement carries it (docs/FORMAT.md
 * §Kinds and bodies): the C2SP tlog-policy file without its final newline,
 * since a text field has no trailing white space. Parsing puts it back: the
 * file itself is unmodified tlog-policy (C2SP tlog-policy §Format).
 */
import { parseTlogPolicy, type TlogPolicy } from '../checkpoint/tlog-policy.js';

/** Parses the policy a `peer` statement or record holds; throws POLICY_INVALID. */
export const parsePeerPolicy = (field: string): TlogPolicy => parseTlogPolicy(`${field}\n`);

/** The `policy` field for a tlog-policy file's text. */
export const peerPolicyField = (file: string): string => file.replace(/\n+$/, '');
