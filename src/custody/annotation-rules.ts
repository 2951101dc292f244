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
 * in the map, and the one annotation built so far (disclose) is signed
 * online, against the head, at export.
 */
import { equalBytes } from '../bytes.js';
import type { AnnotationKind } from '../format/kinds.js';
import { accept, type Context, type Outcome, refuse } from './judgement.js';
import { type AnnotationRecord, type ExhibitRecord, NS } from './records.js';

/** The link every annotation makes: an exhibit of this ledger, at its head; not already in the log. */
function annotate(c: Context): Outcome {
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
  return accept([{ ns: NS.annotation, key: c.id, record }]);
}

/**
 * disclose: an export of the exhibit's record, recorded by the enrolled actor
 * who made it (Directive (EU) 2016/680 Art. 25: who, when, to whom, why).
 * Any enrolled, unrevoked actor may export (its standing is checked before
 * this rule); a disclosure of a disposed exhibit is still recorded.
 */
const disclose = annotate;

export const ANNOTATION_RULES: Readonly<Record<AnnotationKind, (c: Context) => Outcome>> = { disclose };
