/**
 * Non-conformities (ISO/IEC 17025:2017 §7.10; docs/CUSTODY-RULES.md
 * §Non-conformities): a chain statement that found the seal broken, or
 * re-computed a SHA-256 other than the registered one, opens one on its
 * exhibit; it stays open until a `resolve` names that statement.
 *
 * One decision (`opened`) serves both places that need it: the rules, which
 * keep the open ones in the state map (namespace `nonconformity`, so a
 * resolve is judged on the state alone, on append and on replay alike), and
 * a pure derivation from accepted statements in log order (`fromReplay`), for
 * whoever holds statements rather than the map (a bundle's replay, a report).
 *
 * Only SHA-256 is compared: it is the one digest every registration carries
 * and the exhibit record keeps. A re-check that records other algorithms only
 * opens nothing here; the bundle verifier still reports any algorithm that
 * differs (DIGEST_MISMATCH_RECORDED, ./integrity.ts).
 */
import { equalBytes, toHex } from '../bytes.js';
import { chainView, isChainKind } from '../format/kinds.js';
import type { Statement } from '../format/statement.js';
import type { CustodyState, StagedWrite } from './custody-state.js';
import { type NonconformityRecord, NS } from './records.js';

export type NonconformityKind = NonconformityRecord['open'][number][1];

/** An open non-conformity of an exhibit. */
export interface OpenNonconformity {
  exhibit: Uint8Array;
  /** Identity of the statement that opened it: what a `resolve` names in `issue`. */
  opener: Uint8Array;
  kind: NonconformityKind;
  /** Log position of that statement. */
  at: number;
  /** Its claimed time (ms since the epoch, UTC). */
  time: number;
}

/**
 * The non-conformity a chain statement opens on its exhibit, whose registered
 * SHA-256 is `registered`: a digest mismatch (the graver, when it also found
 * the seal broken: the bytes differ), a broken seal, or none. Read from the
 * kind's view (src/format/kinds.ts `recomputes`, `sealState`): accept and
 * examine re-compute, accept records the seal's state.
 */
export function opened(s: Statement, registered: Uint8Array): NonconformityKind | undefined {
  if (!isChainKind(s.kind)) return undefined;
  const view = chainView(s.kind);
  if (!view.recomputes) return undefined;
  const d = s.body['digests'] as Record<string, unknown> | undefined;
  const sha256 = d?.['sha256'];
  if (sha256 instanceof Uint8Array && !equalBytes(sha256, registered)) return 'digest-mismatch';
  if (view.sealState && s.body['seal'] === 'broken') return 'seal-broken';
  return undefined;
}

/** The exhibit's open non-conformities as the state map holds them (none when it has no record). */
export function openIn(state: CustodyState, exhibit: Uint8Array): NonconformityRecord['open'] {
  return state.get<NonconformityRecord>(NS.nonconformity, exhibit)?.open ?? [];
}

/** The write that leaves `open` as the exhibit's open non-conformities (the record removed when none is left). */
export function openWrite(exhibit: Uint8Array, open: NonconformityRecord['open']): StagedWrite {
  return open.length === 0
    ? { ns: NS.nonconformity, key: exhibit, record: undefined }
    : { ns: NS.nonconformity, key: exhibit, record: { v: 1, open } };
}

/** An exhibit's `nonconformity` record (or its absence) as the list it holds: for a reader of the store (src/ledger/ledger-view.ts). */
export const fromRecord = (
  exhibit: Uint8Array,
  open: NonconformityRecord['open'] | undefined,
): OpenNonconformity[] =>
  (open ?? []).map(([opener, kind, at, time]) => ({ exhibit, opener, kind, at, time }));

/**
 * The open non-conformities of `exhibit` in a state (a ledger's, or a
 * replay's), in log order. A store-backed state must have loaded the
 * exhibit's `nonconformity` record first.
 */
export function openNonconformities(state: CustodyState, exhibit: Uint8Array): OpenNonconformity[] {
  return fromRecord(exhibit, openIn(state, exhibit));
}

/** An accepted statement in log order, as a replay yields it (src/custody/timeline-v2.ts ShownStatement fits). */
export interface Replayed {
  index: number;
  id: Uint8Array;
  statement: Statement;
  /** Another ledger's statement carried here: its rules are that ledger's, so it opens nothing here. */
  foreign?: true;
}

/**
 * Every open non-conformity, by exhibit (hex id), derived from accepted
 * statements of a ledger in log order — the same the rules keep in the map,
 * for an exhibit whose registration and whole chain are among them (a
 * bundle: the exhibit and its ancestors). Pure.
 */
export function fromReplay(statements: Iterable<Replayed>): Map<string, OpenNonconformity[]> {
  const registered = new Map<string, Uint8Array>();
  const open = new Map<string, OpenNonconformity[]>();
  for (const { index, id, statement: s, foreign } of statements) {
    if (foreign) continue;
    if (s.kind === 'register') {
      const d = s.body['digests'] as { sha256?: unknown } | undefined;
      if (d?.sha256 instanceof Uint8Array) registered.set(toHex(id), d.sha256);
    }
    if (!(s.exhibit instanceof Uint8Array)) continue;
    const x = toHex(s.exhibit);
    if (s.kind === 'resolve') {
      const issue = s.body['issue'];
      const list = open.get(x);
      if (list && issue instanceof Uint8Array) {
        const rest = list.filter((n) => !equalBytes(n.opener, issue));
        if (rest.length > 0) open.set(x, rest);
        else open.delete(x);
      }
      continue;
    }
    const sha256 = registered.get(x);
    const kind = sha256 && s.class === 'chain' ? opened(s, sha256) : undefined;
    if (kind === undefined) continue;
    const n: OpenNonconformity = { exhibit: s.exhibit, opener: id, kind, at: index, time: s.time };
    open.set(x, [...(open.get(x) ?? []), n]);
  }
  return open;
}

/** The open non-conformities of one exhibit, from a replay (see fromReplay). */
export const openNonconformitiesOf = (exhibit: Uint8Array, statements: Iterable<Replayed>) =>
  fromReplay(statements).get(toHex(exhibit)) ?? [];

/** Every open non-conformity of a ledger, from a replay, in log order. */
export const openNonconformitiesAll = (statements: Iterable<Replayed>): OpenNonconformity[] =>
  [...fromReplay(statements).values()].flat().sort((a, b) => a.at - b.at);
