/**
 * The event kinds and their bodies (docs/FORMAT.md §Bodies). Field names are the
 * wire names; absent optional fields are omitted from the encoding.
 */
export const KINDS = [
  'genesis',
  'enrol',
  'revoke',
  'rotate',
  'register',
  'transfer',
  'accept',
  'reject',
  'cancel',
  'examine',
  'dispose',
] as const;
export type Kind = (typeof KINDS)[number];

export const ROLES = ['authority', 'log', 'collector', 'custodian', 'examiner', 'court', 'witness'] as const;
export type Role = (typeof ROLES)[number];

export const DIGEST_ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha512'] as const;
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number];
export const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };
/** sha256 is always present; the others on request. */
export type Digests = { sha256: Uint8Array } & Partial<
  Record<Exclude<DigestAlgorithm, 'sha256'>, Uint8Array>
>;

export const DISPOSAL_METHODS = ['returned', 'destroyed', 'archived'] as const;
export type DisposalMethod = (typeof DISPOSAL_METHODS)[number];
export const SEAL_STATES = ['intact', 'broken'] as const;
export type SealState = (typeof SEAL_STATES)[number];

export interface GenesisBody {
  origin: string;
  publicKey: Uint8Array;
  name: string;
  jurisdiction: string;
  org: string;
}
export interface EnrolBody {
  publicKey: Uint8Array;
  name: string;
  roles: Role[];
  jurisdiction: string;
  org: string;
}
export interface RevokeBody {
  actor: string;
  reason: string;
}
export interface RotateBody {
  publicKey: Uint8Array;
  proof: Uint8Array;
}
export interface RegisterBody {
  exhibit: string;
  label: string;
  caseRef: string;
  description: string;
  digests: Digests;
  size: number;
  seal?: string;
  location?: string;
  seizedAt?: number;
  parent?: string;
  parentAfter?: Uint8Array;
}
interface ExhibitEvent {
  exhibit: string;
  after: Uint8Array;
}
export interface TransferBody extends ExhibitEvent {
  to: string;
  reason: string;
  method?: string;
  seal?: string;
  legalBasis?: string;
}
export interface AcceptBody extends ExhibitEvent {
  digests?: Partial<Record<DigestAlgorithm, Uint8Array>>;
  seal?: SealState;
  note?: string;
}
export interface RejectBody extends ExhibitEvent {
  reason: string;
}
export type CancelBody = RejectBody;
export interface ExamineBody extends ExhibitEvent {
  action: string;
  tool?: string;
  digests?: Partial<Record<DigestAlgorithm, Uint8Array>>;
  seal?: string;
}
export interface DisposeBody extends ExhibitEvent {
  method: DisposalMethod;
  reason: string;
  recipient?: string;
}

export interface BodyOf {
  genesis: GenesisBody;
  enrol: EnrolBody;
  revoke: RevokeBody;
  rotate: RotateBody;
  register: RegisterBody;
  transfer: TransferBody;
  accept: AcceptBody;
  reject: RejectBody;
  cancel: CancelBody;
  examine: ExamineBody;
  dispose: DisposeBody;
}

/** What a caller supplies to append: a kind and its body. */
export type Event = { [K in Kind]: { kind: K; body: BodyOf[K] } }[Kind];

/** The signed payload of a record. */
export type Payload = {
  [K in Kind]: {
    v: 1;
    seq: number;
    prev: Uint8Array;
    time: number;
    tz: string;
    actor: string;
    kind: K;
    body: BodyOf[K];
  };
}[Kind];

/** Kinds that concern one exhibit, and so carry `exhibit` and (except register) `after`. */
export const EXHIBIT_KINDS: ReadonlySet<Kind> = new Set([
  'register',
  'transfer',
  'accept',
  'reject',
  'cancel',
  'examine',
  'dispose',
]);

export function exhibitOf(p: Payload): string | undefined {
  return EXHIBIT_KINDS.has(p.kind) ? (p.body as { exhibit: string }).exhibit : undefined;
}

/** Every exhibit an entry is an event of: a derived registration is also an event of its parent. */
export function exhibitsOf(p: Payload): string[] {
  const x = exhibitOf(p);
  if (!x) return [];
  return p.kind === 'register' && p.body.parent ? [x, p.body.parent] : [x];
}
