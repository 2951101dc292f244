/**
 * The map keys a statement's rule may read or write, known before the rule
 * runs (docs/STORAGE.md §Opening). A store-backed ledger loads exactly
 * these — each an O(log n) path of map branches and one record — before it
 * judges, so nothing O(keys) ever happens at open, and the rules stay
 * synchronous. A rule that reaches for a key not listed here is a bug, and
 * CustodyState refuses it loudly rather than read a stale value.
 */
import { utf8 } from '../bytes.js';
import type { Canonical } from '../format/canonical.js';
import { KEY_PURPOSES, keyIdOf } from '../format/key-id.js';
import { chainView, isChainKind, wireKey } from '../format/kinds.js';
import type { Statement } from '../format/statement.js';
import { foldLabel } from '../format/text.js';
import { type Namespace, NS, shortBits } from './records.js';

export interface Touched {
  /** Single records, by (namespace, key). */
  keys: [Namespace, Uint8Array][];
  /** Many-valued indexes, by (namespace, K): all their positions up to the first absent one. */
  indexes: [Namespace, readonly (string | Uint8Array | number)[]][];
}

const EMPTY = new Uint8Array(0);

/** Every purpose's key id of one public key (enrolment refuses a key enrolled for any purpose). */
const allPurposes = (v: Canonical | undefined): [Namespace, Uint8Array][] => {
  const k = wireKey(v);
  return Object.values(KEY_PURPOSES).map((p) => [NS.key, keyIdOf(k, p)] as [Namespace, Uint8Array]);
};

export function touchedBy(s: Statement, id: Uint8Array, signerId: Uint8Array): Touched {
  const keys: [Namespace, Uint8Array][] = [
    [NS.ledger, EMPTY],
    [NS.key, signerId],
  ];
  const indexes: Touched['indexes'] = [];
  if (s.exhibit instanceof Uint8Array) keys.push([NS.exhibit, s.exhibit]);
  // An annotation's own record says whether it is already in the log.
  if (s.class === 'annotation') {
    keys.push([NS.annotation, id]);
    // Restriction, release and erasure read and write the exhibit's holds.
    if (s.exhibit instanceof Uint8Array) keys.push([NS.hold, s.exhibit]);
  }
  // A re-check may open a non-conformity, a resolve closes one: both read the exhibit's open list.
  const recheck = isChainKind(s.kind) && chainView(s.kind).recomputes === true;
  if ((recheck || s.kind === 'resolve') && s.exhibit instanceof Uint8Array)
    keys.push([NS.nonconformity, s.exhibit]);
  const b = s.body;
  switch (s.kind) {
    case 'genesis': {
      const logIds = allPurposes(b['logKey']);
      keys.push(...logIds);
      indexes.push(
        [NS.short, ['K', shortBits(signerId)]],
        [NS.short, ['K', shortBits(logIds[KEY_PURPOSES.log - 1]![1])]],
      );
      break;
    }
    case 'rotate':
    case 'enrol': {
      const ids = allPurposes(b['key']);
      keys.push(...ids);
      for (const [, kid] of ids) indexes.push([NS.short, ['K', shortBits(kid)]]);
      // An access key names the actor it reads for (enrol's `actor`).
      if (b['actor'] instanceof Uint8Array) keys.push([NS.key, b['actor']]);
      break;
    }
    case 'revoke':
      keys.push([NS.key, b['key'] as Uint8Array]);
      break;
    case 'register': {
      const digests = b['digests'] as { sha256: Uint8Array };
      keys.push([NS.exhibit, id]);
      indexes.push(
        [NS.digest, [digests.sha256]],
        [NS.label, [b['caseRef'] as string, foldLabel(b['label'] as string)]],
        [NS.short, ['EX', shortBits(id)]],
      );
      break;
    }
    case 'transfer': {
      const to = b['to'];
      if (to instanceof Uint8Array) keys.push([NS.key, to]);
      else if (Array.isArray(to) && typeof to[0] === 'string') keys.push([NS.peer, utf8(to[0])]);
      break;
    }
    case 'peer':
      keys.push([NS.peer, utf8(b['origin'] as string)]);
      break;
  }
  return { keys, indexes };
}
