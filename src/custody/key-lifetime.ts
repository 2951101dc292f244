/**
 * Whether a statement falls outside its signer's life as the log now knows it
 * (CUSTODY-RULES.md §Key lifetimes): one rule for the bundle verifier, which
 * reads the key record from a map proof, and for the whole-ledger verifier,
 * which reads it from its replay once every entry is in.
 *
 *  - revokedAt: a rotation, revocation or retirement ends the key at the size
 *    of the checkpoint it was made against. A statement by the key at a
 *    position ≥ that size is invalid wherever it was placed, except the
 *    rotation or retirement the key signs itself.
 *  - compromisedSince: a theft revocation flags the key's statements from
 *    that position on, even those the rules accepted when they were appended.
 *
 * Security assumption: both fields come from committed data (the map), never
 * from the statement's own claims, so a forger cannot place a statement
 * "before" the end of a life it did not control.
 */
import { equalBytes } from '../bytes.js';
import type { Statement } from '../format/statement.js';
import type { KeyRecord } from './records.js';

/** A rotation, or a revocation of the signer's own key: the one statement a key signs at its end of life. */
export function retiresItsSigner(statement: Statement, signerId: Uint8Array): boolean {
  const k = statement.body['key'];
  return (
    statement.kind === 'rotate' ||
    (statement.kind === 'revoke' && k instanceof Uint8Array && equalBytes(k, signerId))
  );
}

export interface LifetimeBreach {
  code: 'SIGNER_REVOKED' | 'SIGNER_COMPROMISED';
  message: string;
}

/** The breaches of a statement at `index` by the key whose record is `k`; `self` as retiresItsSigner. */
export function lifetimeBreaches(k: KeyRecord, index: number, self: boolean): LifetimeBreach[] {
  const out: LifetimeBreach[] = [];
  if (typeof k.revokedAt === 'number' && k.revokedAt <= index && !self)
    out.push({
      code: 'SIGNER_REVOKED',
      message: `the signer's key was revoked or retired as of checkpoint ${k.revokedAt}, before this entry`,
    });
  if (typeof k.compromisedSince === 'number' && k.compromisedSince <= index)
    out.push({
      code: 'SIGNER_COMPROMISED',
      message: `signed by a key reported compromised since entry ${k.compromisedSince}`,
    });
  return out;
}
