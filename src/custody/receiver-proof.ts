/**
 * A receiver proof (docs/FEDERATION.md §The protocol, step 1): what a peer
 * ledger shows so that a sender's ledger can check, before a hand-over is
 * signed, that its receiver is an active actor there who may hold evidence.
 * Proof of enrolment alone does not show that a key is still active; the key
 * record in the peer's state map at a checkpoint does (revocations write it).
 *
 *   receiverProof = canonical({ proof: bin, receipt: bin, record?: bin })
 *
 *   receipt  UTF-8 C2SP tlog-proof of the last entry of a checkpoint of the peer
 *   proof    the map proof of (key, key id) against that entry's map root
 *   record   the key record the map holds there; absent when the proof shows the key absent
 *
 * Judged against the tlog-policy this ledger recorded for the peer. Pure;
 * never throws: hostile bytes are a refusal.
 */
import { equalBytes, fromUtf8, utf8 } from '../bytes.js';
import { sha256 } from '../crypto/sha256.js';
import { decodeCanonical, encodeCanonical } from '../format/canonical.js';
import { KEY_PURPOSES, keyIdOf } from '../format/key-id.js';
import { ids45 } from '../format/short-id.js';
import { verifyMapProof } from '../map/index.js';
import type { ProblemCode } from '../problem-codes.js';
import { peerReceipt } from './peer-receipt.js';
import { hasAnyRole, MAY_HOLD } from './permissions.js';
import { decodeRecordBytes, type KeyRecord, NS } from './records.js';

export interface ReceiverProof {
  receipt: string;
  proof: Uint8Array;
  record?: Uint8Array;
}

/** Far above a receipt and a 64-level map proof. */
export const RECEIVER_PROOF_MAX_BYTES = 256 << 10;

export function encodeReceiverProof(p: ReceiverProof): Uint8Array {
  return encodeCanonical({
    receipt: utf8(p.receipt),
    proof: p.proof,
    ...(p.record ? { record: p.record } : {}),
  });
}

export type ReceiverCheck =
  | { ok: true; record: KeyRecord; size: number }
  | { ok: false; code: ProblemCode; message: string };

const no = (code: ProblemCode, message: string): ReceiverCheck => ({ ok: false, code, message });

function decode(bytes: Uint8Array): ReceiverProof | undefined {
  if (!(bytes instanceof Uint8Array) || bytes.length > RECEIVER_PROOF_MAX_BYTES) return undefined;
  const d = decodeCanonical(bytes);
  if ('error' in d) return undefined;
  const v = d.value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return undefined;
  if (Object.keys(v).some((k) => k !== 'receipt' && k !== 'proof' && k !== 'record')) return undefined;
  const { receipt, proof, record } = v;
  if (!(receipt instanceof Uint8Array) || !(proof instanceof Uint8Array)) return undefined;
  if (record !== undefined && !(record instanceof Uint8Array)) return undefined;
  try {
    return { receipt: fromUtf8(receipt), proof, ...(record ? { record } : {}) };
  } catch {
    return undefined;
  }
}

/**
 * Whether `keyId` is, at a checkpoint `origin`'s recorded policy accepts, an
 * active statement key of that ledger with a role that may hold evidence.
 */
export function checkReceiverProof(
  bytes: Uint8Array,
  policyText: string,
  origin: string,
  keyId: Uint8Array,
): ReceiverCheck {
  const p = decode(bytes);
  if (!p) return no('FOREIGN_MALFORMED', 'the receiver proof does not decode');
  const v = peerReceipt(policyText, origin, p.receipt);
  if (typeof v === 'string') return no('FOREIGN_RECEIPT_INVALID', `the peer's receipt ${v}`);
  // The proof is of the state at the checkpoint: its last entry's map root.
  if (v.index !== v.size - 1)
    return no('FOREIGN_STATE_UNPROVEN', "the receipt is not of the checkpoint's last entry");
  // A proof of another key (a mix-up of receivers) is named as such, before its map proof fails.
  const carried = p.record ? decodeRecordBytes<KeyRecord>(p.record) : undefined;
  let carriedId: Uint8Array | undefined;
  try {
    carriedId =
      carried?.publicKey instanceof Uint8Array
        ? keyIdOf({ type: carried.type, publicKey: carried.publicKey }, carried.purpose)
        : undefined;
  } catch {
    // A record that names no key: the map proof below says what is wrong.
    carriedId = undefined;
  }
  if (carriedId && !equalBytes(carriedId, keyId))
    return no(
      'FOREIGN_STATE_UNPROVEN',
      `the receiver proof is of another key (${ids45('K', carriedId)}), not of ${ids45('K', keyId)}`,
    );
  const m = verifyMapProof(v.entry.mapRoot, NS.key, keyId, p.proof);
  if (!m.ok)
    return no('FOREIGN_STATE_UNPROVEN', `the map proof of the receiver's key does not verify (${m.reason})`);
  if (!m.present) return no('RECEIVER_UNKNOWN', `the receiver is not enrolled in ${origin}`);
  const record = p.record ? decodeRecordBytes<KeyRecord>(p.record) : undefined;
  if (!record || !equalBytes(sha256(p.record!), m.value))
    return no('FOREIGN_STATE_UNPROVEN', "the key record carried is not the one the peer's map commits to");
  if (record.purpose !== KEY_PURPOSES.statement)
    return no('RECEIVER_UNKNOWN', `the key is not an actor's statement key in ${origin}`);
  if (record.revokedAt !== undefined)
    return no('RECEIVER_REVOKED', `the receiver has been revoked in ${origin}`);
  if (!Array.isArray(record.roles) || !hasAnyRole(record.roles, MAY_HOLD))
    return no('RECEIVER_NOT_PERMITTED', `the receiver may not hold evidence in ${origin}`);
  return { ok: true, record, size: v.size };
}
