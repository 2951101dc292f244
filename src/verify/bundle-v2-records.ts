/**
 * The state records of a v2 bundle (docs/BUNDLE.md §Verification, step 8):
 * each is proven by a map proof against the map root of the checkpoint's
 * last entry, i.e. it is the log's own state after N entries. Compared with
 * the state the replay of the bundled statements built, they show that the
 * bundle left nothing out up to N:
 *
 *   - the exhibit record's `head` is the id of the last bundled chain
 *     statement of that exhibit (for the exhibit and every ancestor), and the
 *     whole record (state, holder, pending receiver, parent) agrees;
 *   - the ledger record's `head` is the last bundled ledger statement (no
 *     enrolment, revocation or rotation is hidden), and the record agrees;
 *   - each signer's key record agrees, and shows no revocation before, and no
 *     `compromisedSince` at or before, any statement that key signed.
 *
 * Sound because an exhibit's record is written only by its own chain and the
 * ledger and key records only by ledger statements (CUSTODY-RULES.md), so
 * a complete bundle replays to exactly these bytes.
 */

import type { BundleV2, BundleV2Record } from '../bundle/bundle-v2.js';
import { equalBytes, toHex } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { signerIdOf } from '../custody/judge.js';
import { lifetimeBreaches, retiresItsSigner } from '../custody/key-lifetime.js';
import {
  decodeRecordBytes,
  type ExhibitRecord,
  encodeRecord,
  type KeyRecord,
  type LedgerRecord,
  type Namespace,
  NS,
} from '../custody/records.js';
import type { ShownStatement } from '../custody/timeline-v2.js';
import { verifyMapProof } from '../map/index.js';
import type { Findings } from './bundle-v2-checks.js';
import type { ReplayV2 } from './bundle-v2-replay.js';

const EMPTY = new Uint8Array(0);
const slot = (ns: string, key: Uint8Array) => `${ns}/${toHex(key)}`;

/** A record the map proves: its bytes, or null for a key proven absent. */
export type Proven = Map<string, Uint8Array | null>;

/**
 * Each record item's map proof against `mapRoot` (STATE-MAP.md §Verifying a proof): a bundle's
 * against the tail at N, a freshness file's against the tail at M (./bundle-v2-fresh.ts).
 */
export function provenRecords(
  records: readonly BundleV2Record[],
  mapRoot: Uint8Array,
  f: Findings,
): { proven: Proven; refused: Set<string> } {
  const proven: Proven = new Map();
  const refused = new Set<string>();
  for (const r of records) {
    const s = slot(r.ns, r.key);
    const v = verifyMapProof(mapRoot, r.ns, r.key, r.proof);
    if (!v.ok) {
      refused.add(s);
      f.add('MAP_PROOF_INVALID', null, null, `the ${r.ns} record's map proof does not verify (${v.reason})`);
    } else if (!v.present) {
      if (r.record) {
        refused.add(s);
        f.add('RECORD_UNEXPECTED', null, null, `a ${r.ns} record is carried for a key the map shows absent`);
      } else proven.set(s, null);
    } else if (!r.record || !equalBytes(sha256(r.record), v.value)) {
      refused.add(s);
      f.add('RECORD_HASH_MISMATCH', null, null, `the ${r.ns} record is not the one the map commits to`);
    } else proven.set(s, r.record);
  }
  return { proven, refused };
}

/**
 * The proven bytes of a required record (null: proven absent), or undefined after reporting it
 * missing (RECORD_MISSING; not again when its proof was already refused).
 */
export function required(
  { proven, refused }: { proven: Proven; refused: Set<string> },
  f: Findings,
  carrier: string,
) {
  return (ns: Namespace, key: Uint8Array, what: string, exhibit: Uint8Array | null) => {
    const s = slot(ns, key);
    if (proven.has(s)) return proven.get(s);
    if (!refused.has(s))
      f.add('RECORD_MISSING', null, exhibit, `${carrier} does not carry the ${what} record`);
    return undefined;
  };
}

/** Checks the records; `lineage` is the exhibit, then its ancestors. */
export function checkRecords(
  b: BundleV2,
  mapRoot: Uint8Array,
  replay: ReplayV2,
  lineage: readonly Uint8Array[],
  f: Findings,
): void {
  const need = required(provenRecords(b.records, mapRoot, f), f, 'the bundle');
  const state = replay.state;

  const ledger = need(NS.ledger, EMPTY, 'ledger', null);
  if (ledger !== undefined) {
    const mine = state.bytes(NS.ledger, EMPTY);
    const head = ledger ? (decodeRecordBytes<LedgerRecord>(ledger)?.head as unknown) : undefined;
    const replayHead = state.get<LedgerRecord>(NS.ledger, EMPTY)?.head;
    if (!(head instanceof Uint8Array) || !replayHead || !equalBytes(head, replayHead))
      f.add(
        'LEDGER_HEAD_MISMATCH',
        null,
        null,
        'the last ledger statement up to the checkpoint is not the last one the bundle shows: governance is missing',
      );
    else if (!mine || !ledger || !equalBytes(mine, ledger))
      f.add('LEDGER_RECORD_MISMATCH', null, null, 'the ledger record disagrees with the replayed governance');
  }

  for (const x of lineage) {
    const rec = need(NS.exhibit, x, 'exhibit', x);
    if (rec === undefined) continue;
    const mine = state.bytes(NS.exhibit, x);
    if (rec === null && mine === undefined) continue; // Unknown either way: reported by the caller.
    const head = rec ? (decodeRecordBytes<ExhibitRecord>(rec)?.head as unknown) : undefined;
    const replayHead = state.get<ExhibitRecord>(NS.exhibit, x)?.head;
    if (!(head instanceof Uint8Array) || !replayHead || !equalBytes(head, replayHead)) {
      const at = rec ? decodeRecordBytes<ExhibitRecord>(rec)?.at : undefined;
      f.add(
        'EXHIBIT_HEAD_MISMATCH',
        typeof at === 'number' ? at : null,
        x,
        "the exhibit's last event up to the checkpoint is not the last one the bundle shows: events are missing",
      );
    } else if (!rec || !mine || !equalBytes(rec, mine))
      f.add(
        'EXHIBIT_RECORD_MISMATCH',
        null,
        x,
        "the exhibit's recorded state or holder disagrees with the replay",
      );
  }

  // Keys: every signer of a statement the replay accepted.
  for (const { id, at } of signersOf(replay.shown)) {
    const rec = need(NS.key, id, 'signer key', null);
    if (rec === undefined) continue;
    if (!rec || !keyRecordsAgree(rec, state.get<KeyRecord>(NS.key, id)))
      f.add(
        'KEY_RECORD_MISMATCH',
        at[0]!.s.index,
        null,
        'a signer’s key record disagrees with the replayed governance',
      );
    const k = rec ? decodeRecordBytes<KeyRecord>(rec) : undefined;
    if (k) signerLifetime(k, at, f);
  }
}

/** One signer of accepted statements: its key id, and each statement it signed. */
export interface SignerOf {
  id: Uint8Array;
  at: { s: ShownStatement; self: boolean }[];
}

/** The signers of the accepted statements, each with the statements it signed. */
export function signersOf(shown: readonly ShownStatement[]): SignerOf[] {
  const signed = new Map<string, SignerOf>();
  for (const s of shown) {
    // A peer's statement: its signer is that ledger's, vouched for by the peer's receipt.
    if (s.foreign) continue;
    const id = signerIdOf(s.statement.signer.key);
    const k = toHex(id);
    const e = signed.get(k) ?? { id, at: [] };
    e.at.push({ s, self: retiresItsSigner(s.statement, id) });
    signed.set(k, e);
  }
  return [...signed.values()];
}

/**
 * A signer's key record (as the log knows it at N, or at a newer M: ./bundle-v2-fresh.ts)
 * against each statement that key signed.
 */
export function signerLifetime(k: KeyRecord, at: SignerOf['at'], f: Findings, since = '') {
  for (const { s, self } of at)
    for (const b of lifetimeBreaches(k, s.index, self))
      f.add(b.code, s.index, exhibitOf(s), `${b.message}${since}`);
}

/**
 * A log key revoked (or reported compromised) inside a checkpoint's range cannot vouch for it:
 * the bundle's checkpoint (its record as replayed) or a newer one (its record proven at M).
 */
export function logKeyStanding(size: number, k: KeyRecord | undefined, f: Findings) {
  const end = Math.min(
    k?.revokedAt ?? Number.POSITIVE_INFINITY,
    k?.compromisedSince ?? Number.POSITIVE_INFINITY,
  );
  if (size > end)
    f.add(
      'LOG_KEY_REVOKED',
      end,
      null,
      `the log key was revoked or compromised at entry ${end}, inside the checkpoint of size ${size}`,
    );
}

/**
 * A signer's proven key record against the replayed one. They agree byte for
 * byte but for `last`: the replay saw only the bundled statements, so its
 * `last` is a lower bound of the log's (a key signs for other exhibits too).
 */
function keyRecordsAgree(proven: Uint8Array, replayed: KeyRecord | undefined): boolean {
  const p = decodeRecordBytes<KeyRecord>(proven);
  if (!p || !replayed) return false;
  const { last: pLast, ...pRest } = p;
  const { last: rLast, ...rRest } = replayed;
  if (rLast !== undefined && !(typeof pLast === 'number' && pLast >= rLast)) return false;
  return equalBytes(encodeRecord(pRest as KeyRecord), encodeRecord(rRest as KeyRecord));
}

const exhibitOf = (s: ShownStatement): Uint8Array | null =>
  s.statement.exhibit instanceof Uint8Array
    ? s.statement.exhibit
    : s.statement.kind === 'register'
      ? s.id
      : null;
