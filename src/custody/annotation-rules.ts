/**
 * Rules of the annotation-class kinds (docs/CUSTODY-RULES.md §Annotations):
 * statements about an exhibit that move nothing in its chain. An annotation
 * names the exhibit and, with `after`, the exhibit's last chain statement
 * when it is appended; it never becomes the head, so a chain signed offline
 * before it still links (FORMAT.md §Identity and links).
 *
 * The rule asks `after` to be the head at the moment of appending, which is
 * narrower than the envelope allows ("any statement already in the chain"):
 * checking an older statement would need an index of every chain statement
 * in the map, and the annotations built so far (disclose, restrict,
 * release, erase, resolve) are signed online, against the head.
 */
import { equalBytes, toHex } from '../bytes.js';
import type { AnnotationKind } from '../format/kinds.js';
import type { StagedWrite } from './custody-state.js';
import { accept, type Context, isOutcome, type Outcome, refuse } from './judgement.js';
import { openIn, openWrite } from './nonconformities.js';
import { hasAnyRole, MAY_RESOLVE } from './permissions.js';
import { type AnnotationRecord, type ExhibitRecord, type HoldRecord, NS } from './records.js';

/** The link every annotation makes: an exhibit of this ledger, at its head; not already in the log. */
function annotate(c: Context): { exhibit: Uint8Array; rec: ExhibitRecord; writes: StagedWrite[] } | Outcome {
  const x = c.statement.exhibit!;
  if (!(x instanceof Uint8Array))
    return refuse(
      'EXHIBIT_FOREIGN',
      'statements about another ledger’s exhibit come with the federation capability',
    );
  const rec = c.state.get<ExhibitRecord>(NS.exhibit, x);
  if (!rec) return refuse('EXHIBIT_UNKNOWN', 'no exhibit with this id is registered in this ledger');
  if (c.state.get<AnnotationRecord>(NS.annotation, c.id))
    return refuse('STATEMENT_DUPLICATE', 'this statement is already in the log');
  if (!equalBytes(c.statement.after!, rec.head))
    return refuse(
      'EXHIBIT_LINK_BROKEN',
      'after is not the exhibit’s last statement (another one came first)',
    );
  const record: AnnotationRecord = { v: 1, at: c.at.index };
  return { exhibit: x, rec, writes: [{ ns: NS.annotation, key: c.id, record }] };
}

/**
 * disclose: an export of the exhibit's record, recorded by the enrolled actor
 * who made it (Directive (EU) 2016/680 Art. 25: who, when, to whom, why).
 * Any enrolled, unrevoked actor may export (its standing is checked before
 * this rule); a disclosure of a disposed exhibit is still recorded.
 */
function disclose(c: Context): Outcome {
  const a = annotate(c);
  return isOutcome(a) ? a : accept(a.writes);
}

/** Restriction and erasure are the data-protection officer's (CUSTODY-RULES.md §Roles). */
function dataProtection(c: Context): Outcome | undefined {
  return hasAnyRole(c.signer!.roles, ['data-protection'])
    ? undefined
    : refuse('NOT_PERMITTED', `only a data-protection officer may ${c.statement.kind}`);
}

const holdsOf = (c: Context, exhibit: Uint8Array): HoldRecord['holds'] =>
  c.state.get<HoldRecord>(NS.hold, exhibit)?.holds ?? [];

/** The exhibit's hold record with `holds` (deleted when none is left). */
function holdWrite(exhibit: Uint8Array, holds: HoldRecord['holds']): StagedWrite {
  const sorted = [...holds].sort((a, b) => (toHex(a[0]) < toHex(b[0]) ? -1 : 1));
  return sorted.length === 0
    ? { ns: NS.hold, key: exhibit, record: undefined }
    : { ns: NS.hold, key: exhibit, record: { v: 1, holds: sorted } };
}

/**
 * restrict: a legal hold on the exhibit's personal data (Directive (EU)
 * 2016/680 Art. 16(3)(b): restriction instead of erasure while the data must
 * be kept as evidence). Held fields are disclosed only to the profiles the
 * hold names, and cannot be erased until it is released.
 */
function restrict(c: Context): Outcome {
  const a = annotate(c);
  if (isOutcome(a)) return a;
  const p = dataProtection(c);
  if (p) return p;
  const b = c.statement.body;
  const hold: HoldRecord['holds'][number] = [
    c.id,
    [...(b['fields'] as string[])],
    [...(b['recipients'] as string[])],
  ];
  return accept([...a.writes, holdWrite(a.exhibit, [...holdsOf(c, a.exhibit), hold])]);
}

/** release: ends a hold of this exhibit, named by its restrict statement's identity. */
function release(c: Context): Outcome {
  const a = annotate(c);
  if (isOutcome(a)) return a;
  const p = dataProtection(c);
  if (p) return p;
  const id = c.statement.body['hold'] as Uint8Array;
  const holds = holdsOf(c, a.exhibit);
  if (!holds.some((h) => equalBytes(h[0], id)))
    return refuse('HOLD_UNKNOWN', 'no hold of this exhibit has this identity (released already?)');
  return accept([
    ...a.writes,
    holdWrite(
      a.exhibit,
      holds.filter((h) => !equalBytes(h[0], id)),
    ),
  ]);
}

/**
 * erase: records the erasure of fields of the exhibit's statements; the
 * ledger then destroys their openings' keys (docs/PRIVACY.md §Erasure).
 * Refused while a hold covers any of the fields.
 */
function erase(c: Context): Outcome {
  const a = annotate(c);
  if (isOutcome(a)) return a;
  const p = dataProtection(c);
  if (p) return p;
  const fields = c.statement.body['fields'] as string[];
  if (fields.length === 0) return refuse('ERASE_NOTHING', 'an erasure names the fields it erases');
  const held = holdsOf(c, a.exhibit).find((h) => h[1].length === 0 || h[1].some((f) => fields.includes(f)));
  if (held)
    return refuse(
      'ERASURE_RESTRICTED',
      `a legal hold covers ${held[1].length === 0 ? 'every field' : held[1].filter((f) => fields.includes(f)).join(', ')}: release it first`,
    );
  return accept(a.writes);
}

/**
 * resolve: closes a non-conformity of this exhibit (ISO/IEC 17025 §7.10),
 * named by the identity of the statement that opened it, with what was done
 * (committed). Signed by the exhibit's holder here, who answers for it, or
 * by a custodian or an examiner, the lab's own quality roles (whoever holds
 * it now may not be who can judge the action). A disposed exhibit's
 * non-conformity can still be resolved: its record is still evidence.
 */
function resolve(c: Context): Outcome {
  const a = annotate(c);
  if (isOutcome(a)) return a;
  const holds = a.rec.holderOrigin === undefined && equalBytes(a.rec.holder, c.signerId);
  if (!holds && !hasAnyRole(c.signer!.roles, MAY_RESOLVE))
    return refuse(
      'NOT_PERMITTED',
      'only the exhibit’s holder, a custodian or an examiner may resolve a non-conformity',
    );
  const issue = c.statement.body['issue'] as Uint8Array;
  const open = openIn(c.state, a.exhibit);
  if (!open.some((n) => equalBytes(n[0], issue)))
    return refuse(
      'NONCONFORMITY_UNKNOWN',
      'no open non-conformity of this exhibit was opened by this statement (resolved already?)',
    );
  return accept([
    ...a.writes,
    openWrite(
      a.exhibit,
      open.filter((n) => !equalBytes(n[0], issue)),
    ),
  ]);
}

export const ANNOTATION_RULES: Readonly<Record<AnnotationKind, (c: Context) => Outcome>> = {
  disclose,
  restrict,
  release,
  erase,
  resolve,
};
