/**
 * Drafts: what a caller asks to append. The ledger turns a draft into an event at
 * the moment it sequences it, filling in what only the sequencer knows: the
 * per-exhibit links (`after`, `parentAfter`), a fresh exhibit id, and the
 * rotation proof that binds the new authority key to this point of the log.
 */
import type { Signer } from '../crypto/ed25519.js';
import type {
  AcceptBody,
  CancelBody,
  DisposeBody,
  EnrolBody,
  Event,
  ExamineBody,
  RegisterBody,
  RejectBody,
  RevokeBody,
  TransferBody,
} from '../format/events.js';

type Unlinked<B> = Omit<B, 'after'>;

export type Draft =
  | { kind: 'enrol'; body: EnrolBody }
  | { kind: 'revoke'; body: RevokeBody }
  | { kind: 'rotate'; newAuthority: Signer }
  | { kind: 'register'; body: Omit<RegisterBody, 'parentAfter' | 'exhibit'> & { exhibit?: string } }
  | { kind: 'transfer'; body: Unlinked<TransferBody> }
  | { kind: 'accept'; body: Unlinked<AcceptBody> }
  | { kind: 'reject'; body: Unlinked<RejectBody> }
  | { kind: 'cancel'; body: Unlinked<CancelBody> }
  | { kind: 'examine'; body: Unlinked<ExamineBody> }
  | { kind: 'dispose'; body: Unlinked<DisposeBody> };

export type { Event };
