/**
 * Who may do what in format v2 (docs/CUSTODY-RULES.md §Roles). The roles a
 * chain kind's signer needs are in its view in the kinds table
 * (src/format/kinds.ts); what is not per kind is here.
 *
 *   authority        the genesis key (changed only by rotate): everything a registrar may, plus
 *                    configure, rotate, and enrolling registrars, data-protection officers and
 *                    log, witness and auditor keys
 *   registrar        enrols and revokes actors (statement and access keys)
 *   data-protection  restricts, releases and erases personal data (annotation-rules.ts)
 *   custodian, examiner  also resolve non-conformities (as the exhibit's holder may)
 *   collector        registers original evidence; may hold
 *   custodian        may hold, hand over and dispose
 *   examiner         may hold, examine, and register derived copies of what it holds
 *   court            may hold, hand over and dispose
 * Anyone who may hold can accept or reject a transfer addressed to them, and
 * the holder can always hand over what it holds.
 */
import type { RoleV2 } from '../format/kinds.js';

export const MAY_HOLD: ReadonlySet<RoleV2> = new Set(['collector', 'custodian', 'examiner', 'court']);
/** Derived copies are an examiner's (the other kinds' roles are in the kinds table, src/format/kinds.ts). */
export const MAY_DERIVE: ReadonlySet<RoleV2> = new Set(['examiner']);
/** Besides the exhibit's holder, who may resolve a non-conformity (annotation-rules.ts): the lab's quality roles. */
export const MAY_RESOLVE: ReadonlySet<RoleV2> = new Set(['custodian', 'examiner']);
/** Roles only the authority may grant: the administrative ones. */
export const AUTHORITY_GRANTS: ReadonlySet<RoleV2> = new Set(['registrar', 'data-protection']);

export const hasAnyRole = (
  roles: readonly RoleV2[],
  allowed: ReadonlySet<RoleV2> | readonly RoleV2[],
): boolean => {
  const has = 'has' in allowed ? (r: RoleV2) => allowed.has(r) : (r: RoleV2) => allowed.includes(r);
  return roles.some(has);
};
