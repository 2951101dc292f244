/**
 * Anchoring a v2 log to keys pinned out of band (docs/VERIFYING.md
 * §Anchoring). A replay proves only that a log is internally consistent:
 * anyone can found a ledger and build one. It is the ledger a verifier means
 * only when a key the verifier obtained independently is one the log itself
 * names:
 *
 * - an authority key: the genesis signer, or a key a replayed `rotate`
 *   brought in (FORMAT.md §Kinds and bodies: the authority changes only by
 *   rotate, co-signed by the new key);
 * - a log key: the genesis body's `logKey`, the key that signs every
 *   checkpoint (it never changes in v2).
 *
 * A pinned key that matches nothing is an error: either the caller pinned
 * the wrong key or this is not the ledger the caller thinks it is.
 *
 * Pure: no I/O.
 */
import { equalBytes, toBase64 } from '../bytes.js';
import { KEY_PURPOSES, type KeyPurpose, keyIdOf, shortKeyId, type TypedKey } from '../format/key-id.js';
import type { Anchor, Problem } from './report.js';

/** A matched pinned key; `role` says whether it matched as the authority or as the log key. */
export interface LogAnchor extends Anchor {
  role: 'authority' | 'log';
}

/** The keys the replay accepted: the genesis signer and log key, then each rotation in order. */
export interface LogKeys {
  authority: TypedKey;
  logKey: TypedKey;
  rotations: readonly { seq: number; key: TypedKey }[];
}

export interface AnchorResult {
  anchors: LogAnchor[];
  problems: Problem[];
}

function anchor(
  key: TypedKey,
  purpose: KeyPurpose,
  role: LogAnchor['role'],
  via: Anchor['via'],
  seq: number,
): LogAnchor {
  return { publicKey: toBase64(key.publicKey), actor: shortKeyId(keyIdOf(key, purpose)), via, seq, role };
}

const unmatched = (pinned: Uint8Array, what: string): Problem => ({
  code: 'ANCHOR_KEY_UNMATCHED',
  severity: 'error',
  seq: null,
  exhibit: null,
  message: `the pinned ${what} key ${toBase64(pinned)} is ${
    what === 'log' ? "not this ledger's log key" : 'neither the genesis authority nor a key rotated in'
  }: it is the wrong key, or this is not the ledger you think it is`,
});

/**
 * Matches pinned authority and log keys against the keys the replay accepted
 * (`keys` undefined when genesis was not accepted: nothing can match).
 */
export function anchorLog(
  keys: LogKeys | undefined,
  trustedKeys: readonly Uint8Array[] = [],
  logKeys: readonly Uint8Array[] = [],
): AnchorResult {
  const out: AnchorResult = { anchors: [], problems: [] };
  for (const pinned of trustedKeys) {
    let found: LogAnchor | undefined;
    if (keys && equalBytes(keys.authority.publicKey, pinned))
      found = anchor(keys.authority, KEY_PURPOSES.statement, 'authority', 'genesis', 0);
    else {
      const r = keys?.rotations.find((x) => equalBytes(x.key.publicKey, pinned));
      if (r) found = anchor(r.key, KEY_PURPOSES.statement, 'authority', 'rotation', r.seq);
    }
    if (found) out.anchors.push(found);
    else out.problems.push(unmatched(pinned, 'authority'));
  }
  for (const pinned of logKeys) {
    if (keys && equalBytes(keys.logKey.publicKey, pinned))
      out.anchors.push(anchor(keys.logKey, KEY_PURPOSES.log, 'log', 'genesis', 0));
    else out.problems.push(unmatched(pinned, 'log'));
  }
  // The earliest match first: the genesis authority, then rotations in log order.
  out.anchors.sort((a, b) => a.seq - b.seq);
  return out;
}
