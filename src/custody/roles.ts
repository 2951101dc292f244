/**
 * Who may do what (docs/CUSTODY-RULES.md §Roles). One table, read by the rules.
 *
 *   authority  enrol and revoke actors, rotate the authority key (only via genesis/rotate)
 *   log        sign checkpoints of this ledger
 *   collector  register original evidence; may hold
 *   custodian  may hold, hand over and dispose
 *   examiner   may hold, examine, and register derived copies of what it holds
 *   court      may hold, hand over and dispose
 *   witness    cosign checkpoints (never holds evidence)
 * Anyone who may hold can accept or reject a transfer addressed to them, and
 * the holder can always hand over what it holds.
 */
import type { Role } from '../format/events.js';

export const MAY_HOLD: ReadonlySet<Role> = new Set(['collector', 'custodian', 'examiner', 'court']);
export const MAY_REGISTER: ReadonlySet<Role> = new Set(['collector']);
export const MAY_DERIVE: ReadonlySet<Role> = new Set(['examiner']);
export const MAY_EXAMINE: ReadonlySet<Role> = new Set(['examiner']);
export const MAY_DISPOSE: ReadonlySet<Role> = new Set(['custodian', 'court']);
export const MAY_ADMINISTER: ReadonlySet<Role> = new Set(['authority']);
export const MAY_SIGN_CHECKPOINTS: ReadonlySet<Role> = new Set(['log']);

/**
 * The roles of the authority key (genesis and rotation give them). `authority`
 * can be held by one key at a time; `log` may also be enrolled for a dedicated
 * checkpoint key.
 */
export const AUTHORITY_ROLES: readonly Role[] = ['authority', 'log'];

export const hasAny = (roles: readonly Role[], allowed: ReadonlySet<Role>): boolean =>
  roles.some((r) => allowed.has(r));
