/**
 * The kinds of statement and their bodies (docs/FORMAT.md §Kinds). One table:
 * each kind's class, how it links, which of its fields are commitments, who
 * co-signs, and the fields of each body version. Adding a kind, or a field to
 * a kind (a new body version), is an entry here and a section in FORMAT.md;
 * the envelope (./statement.ts) never changes for it.
 */

import {
  type BodyRule,
  config,
  device,
  enrolV2Rule,
  fieldNames,
  keyRef,
  photos,
  profiles,
  purpose,
  type RoleV2,
  registerV2Rule,
  reported,
  rolesV2,
  trueOnly,
  typedKey,
} from './body-checks.js';
import type { Canonical } from './canonical.js';
import {
  bin,
  checkFields,
  digests,
  type Fields,
  jurisdiction,
  oneOf,
  opt,
  req,
  str,
  uint,
} from './checks.js';
import { FormatError } from './format-error.js';
import type { TypedKey } from './key-id.js';
import type { Statement, StatementClass } from './statement.js';
import {
  DISCLOSURE_PROFILES,
  DISPOSAL_METHODS,
  EVIDENCE_TYPES,
  LEGAL_INSTRUMENTS,
  SEAL_STATES,
} from './vocabulary.js';

/** Text limits in UTF-8 bytes, for clear fields and for revealed cleartext alike. */
export const TEXT_LIMITS = { name: 200, label: 200, line: 500, text: 8_192 } as const;

// The roles, and the v2 body checks, live in ./body-checks.ts; re-exported for the layers above.
export { ROLES_V2, type RoleV2 } from './body-checks.js';

/** How a kind uses the envelope's `exhibit` and `after`. */
type Link =
  /** genesis: neither. */
  | 'none'
  /** every other ledger kind: `after` = the previous ledger statement. */
  | 'ledger'
  /** register: none, or the parent exhibit and its head for a derived copy. */
  | 'optional'
  /** chain kinds and annotations: both. */
  | 'required';

/** What a committed field's cleartext must be (checked when it is revealed). */
export interface CommittedField {
  max: number;
  multiLine: boolean;
}

/**
 * Who may sign a chain kind (docs/CUSTODY-RULES.md §Custody):
 *   registrant  whoever registers (register; a derived copy is signed by the parent's holder)
 *   holder      the holder of a held exhibit
 *   receiver    the receiver a pending hand-over names
 *   sender      the holder who started a pending hand-over
 */
export type ChainActor = 'registrant' | 'holder' | 'receiver' | 'sender';

/**
 * What a chain kind does to its exhibit's custody (docs/CUSTODY-RULES.md
 * §Custody): the exhibit record's state change, and the custody periods a
 * timeline opens and closes.
 *   register   opens custody: the signer holds it (a derived copy moves nothing of the parent)
 *   hand-over  the exhibit is pending to the body's `to`: the holder's period ends, transit starts
 *   receive    the receiver holds it: transit ends
 *   return     transit ends and the sender holds it again
 *   end        custody ends for good (disposed)
 *   none       custody does not change
 */
export type CustodyEffect = 'register' | 'hand-over' | 'receive' | 'return' | 'end' | 'none';

/** A chain kind's marker in the report's picture (drawn by src/report/svg.ts). */
export type Glyph = 'diamond' | 'ring' | 'small-ring' | 'dot' | 'square';

/** What the custody rules, timelines and reports derive from a chain kind. */
export interface ChainView {
  actor: ChainActor;
  /** Roles of which the signer needs one; absent: anyone in the actor's position. */
  roles?: readonly RoleV2[];
  /** The act, for refusal messages: "only an examiner may <verb>". */
  verb: string;
  custody: CustodyEffect;
  /** The body's `digests` were recomputed from the exhibit, to compare with the registered ones. */
  recomputes?: true;
  /** The body's `seal` is the seal's state on receipt (vocabulary SEAL_STATES). */
  sealState?: true;
  glyph: Glyph;
}

export interface KindSpec {
  class: StatementClass;
  link: Link;
  /** Fields of each body version. */
  versions: Readonly<Record<number, Fields>>;
  /** Body fields that hold a commitment (bin 32) rather than the value. */
  committed: Readonly<Record<string, CommittedField>>;
  /** Keys that must co-sign, in signature order after the signer's. */
  cosigners?: (body: Record<string, Canonical>) => TypedKey[];
  /** Chain kinds only: how the kind moves custody and shows (required for class `chain`). */
  chain?: ChainView;
  /** Rules across the fields of a body version, checked once each field passed (BODY_SCHEMA). */
  across?: Readonly<Record<number, BodyRule>>;
}

// ---------------------------------------------------------------------------
// Field checks of v2 bodies defined here (the others: ./body-checks.ts)

const commitment = bin(32);
const time = uint(253_402_300_799_999);
const line = str(TEXT_LIMITS.line);
const label = str(TEXT_LIMITS.label);

// The fields of version 1 of the kinds whose version 2 extends it (a new version adds fields only).
const ENROL_V1: Fields = {
  key: req(typedKey),
  purpose: req(purpose),
  roles: req(rolesV2),
  jurisdiction: req(jurisdiction),
  name: req(commitment),
  org: req(commitment),
  validUntil: opt(time),
  actor: opt(bin(32)),
};
/** disclose, body version 1: an export, recorded (docs/PRIVACY.md §Every export is recorded). */
const DISCLOSE_V1: Fields = {
  recipient: req(commitment),
  profile: req(oneOf(DISCLOSURE_PROFILES)),
  legalBasis: req(line),
  fields: req(fieldNames),
  bundle: req(bin(32)),
};

const REGISTER_V1: Fields = {
  label: req(label),
  caseRef: req(label),
  description: req(commitment),
  size: req(uint(Number.MAX_SAFE_INTEGER)),
  digests: req(digests(true)),
  seal: opt(label),
  location: opt(commitment),
  seizedAt: opt(time),
  duplicate: opt(trueOnly),
};
const name = str(TEXT_LIMITS.name);

/**
 * A peer's C2SP tlog-policy text in UTF-8 bytes: a few log and witness lines
 * fit in far less, and the whole statement stays under its 16 KiB limit.
 */
export const PEER_POLICY_MAX = 8_192;

const REASON = { reason: { max: TEXT_LIMITS.text, multiLine: true } };

/**
 * The kinds table (docs/FORMAT.md §Kinds and bodies). Everything else about a
 * kind — its rule (src/custody/judge.ts RULES), the details a timeline shows
 * (src/custody/timeline-v2.ts), the report's wording (src/report/model-custody.ts)
 * — is a table keyed by `Kind` or `ChainKind`, so adding a kind here makes the
 * compiler name every place that must say something about it.
 */
const KIND_SPECS = {
  genesis: {
    class: 'ledger',
    link: 'none',
    versions: {
      1: {
        name: req(name),
        jurisdiction: req(jurisdiction),
        org: req(name),
        logKey: req(typedKey),
        config: opt(config),
      },
    },
    committed: {},
  },
  configure: { class: 'ledger', link: 'ledger', versions: { 1: { config: req(config) } }, committed: {} },
  rotate: {
    class: 'ledger',
    link: 'ledger',
    versions: { 1: { key: req(typedKey) } },
    committed: {},
    cosigners: (b) => [wireKey(b['key'])],
  },
  enrol: {
    class: 'ledger',
    link: 'ledger',
    versions: {
      1: ENROL_V1,
      // The enrolling officer's choices (issue 29): a name knowingly close to another actor's,
      // and how the person's identity was checked (committed: it names documents and people).
      2: {
        ...ENROL_V1,
        similarName: opt(trueOnly),
        identityCheck: opt(commitment),
      },
    },
    committed: {
      name: { max: TEXT_LIMITS.name, multiLine: false },
      org: { max: TEXT_LIMITS.name, multiLine: false },
      identityCheck: { max: TEXT_LIMITS.line, multiLine: false },
    },
    across: { 2: enrolV2Rule },
  },
  revoke: {
    class: 'ledger',
    link: 'ledger',
    versions: {
      1: { key: req(bin(32)), reason: req(commitment), compromisedSince: opt(uint(Number.MAX_SAFE_INTEGER)) },
    },
    committed: REASON,
  },
  peer: {
    class: 'ledger',
    link: 'ledger',
    versions: {
      1: { origin: req(line), policy: req(str(PEER_POLICY_MAX, false)), url: opt(line) },
    },
    committed: {},
  },
  register: {
    class: 'chain',
    link: 'optional',
    versions: {
      1: REGISTER_V1,
      // Lab evidence (issue 29): what the bytes are (a file, a folder or a segment set by its
      // manifest, a device), what the acquisition tool reported, the device's state, its
      // identifiers (committed: personal data), seal photographs, and a knowingly similar label.
      // Which fields go together is registerV2Rule's (./body-checks.ts).
      2: {
        ...REGISTER_V1,
        evidence: req(oneOf(EVIDENCE_TYPES)),
        manifest: opt(bin(32)),
        entries: opt(uint(Number.MAX_SAFE_INTEGER)),
        reported: opt(reported),
        device: opt(device),
        identifiers: opt(commitment),
        photos: opt(photos),
        similarName: opt(trueOnly),
      },
    },
    committed: {
      description: { max: TEXT_LIMITS.text, multiLine: true },
      location: { max: TEXT_LIMITS.line, multiLine: false },
      identifiers: { max: TEXT_LIMITS.text, multiLine: true },
    },
    across: { 2: registerV2Rule },
    chain: {
      actor: 'registrant',
      roles: ['collector'],
      verb: 'register evidence',
      custody: 'register',
      glyph: 'diamond',
    },
  },
  transfer: {
    class: 'chain',
    link: 'required',
    versions: {
      1: {
        to: req(keyRef),
        reason: req(commitment),
        method: opt(line),
        seal: opt(label),
        legalBasis: opt(line),
      },
      // A structured legal basis (FEDERATION.md): the instrument, the issuing and executing
      // authorities, the reference (legalBasis) and the date; what a hand-over between ledgers needs.
      2: {
        to: req(keyRef),
        reason: req(commitment),
        method: opt(line),
        seal: opt(label),
        legalBasis: req(line),
        instrument: req(oneOf(LEGAL_INSTRUMENTS)),
        issuing: req(line),
        executing: req(line),
        basisDate: req(time),
      },
    },
    committed: REASON,
    chain: { actor: 'holder', verb: 'hand over', custody: 'hand-over', glyph: 'dot' },
  },
  accept: {
    class: 'chain',
    link: 'required',
    versions: { 1: { seal: opt(oneOf(SEAL_STATES)), note: opt(commitment), digests: opt(digests(false)) } },
    committed: { note: { max: TEXT_LIMITS.text, multiLine: true } },
    chain: {
      actor: 'receiver',
      verb: 'accept',
      custody: 'receive',
      recomputes: true,
      sealState: true,
      glyph: 'small-ring',
    },
  },
  reject: {
    class: 'chain',
    link: 'required',
    versions: { 1: { reason: req(commitment) } },
    committed: REASON,
    chain: { actor: 'receiver', verb: 'reject', custody: 'return', glyph: 'dot' },
  },
  cancel: {
    class: 'chain',
    link: 'required',
    versions: { 1: { reason: req(commitment) } },
    committed: REASON,
    chain: { actor: 'sender', verb: 'cancel', custody: 'return', glyph: 'dot' },
  },
  examine: {
    class: 'chain',
    link: 'required',
    versions: {
      1: { action: req(commitment), tool: opt(line), seal: opt(label), digests: opt(digests(false)) },
    },
    committed: { action: { max: TEXT_LIMITS.text, multiLine: true } },
    chain: {
      actor: 'holder',
      roles: ['examiner'],
      verb: 'examine',
      custody: 'none',
      recomputes: true,
      glyph: 'ring',
    },
  },
  dispose: {
    class: 'chain',
    link: 'required',
    versions: {
      1: { method: req(oneOf(DISPOSAL_METHODS)), reason: req(commitment), recipient: opt(commitment) },
    },
    committed: { ...REASON, recipient: { max: TEXT_LIMITS.line, multiLine: false } },
    chain: {
      actor: 'holder',
      roles: ['custodian', 'court'],
      verb: 'dispose',
      custody: 'end',
      glyph: 'square',
    },
  },
  disclose: {
    class: 'annotation',
    link: 'required',
    versions: {
      1: DISCLOSE_V1,
      // Version 2: the folder's or segment set's manifest went with the bundle (`export
      // --with-manifest`); it names every file, so its giving is recorded too (docs/FORMAT.md §disclose).
      2: { ...DISCLOSE_V1, manifest: req(bin(32)) },
    },
    committed: { recipient: { max: TEXT_LIMITS.line, multiLine: false } },
  },
  restrict: {
    class: 'annotation',
    link: 'required',
    versions: { 1: { fields: req(fieldNames), recipients: req(profiles), ground: req(line) } },
    committed: {},
  },
  release: {
    class: 'annotation',
    link: 'required',
    versions: { 1: { hold: req(bin(32)), ground: req(line) } },
    committed: {},
  },
  erase: {
    class: 'annotation',
    link: 'required',
    versions: { 1: { fields: req(fieldNames), ground: req(line) } },
    committed: {},
  },
  // Closes a non-conformity (ISO/IEC 17025 §7.10) that a statement of the exhibit's chain opened
  // (docs/CUSTODY-RULES.md §Non-conformities): `issue` names that statement.
  resolve: {
    class: 'annotation',
    link: 'required',
    versions: { 1: { issue: req(bin(32)), action: req(commitment) } },
    committed: { action: { max: TEXT_LIMITS.text, multiLine: true } },
  },
} satisfies Record<
  string,
  KindSpec & ({ class: 'ledger' | 'annotation'; chain?: never } | { class: 'chain'; chain: ChainView })
>;

/** Every kind of format version 2. */
export type Kind = keyof typeof KIND_SPECS;
/** The kinds of an exhibit's chain (class `chain`): the events of a timeline. */
export type ChainKind = {
  [K in Kind]: (typeof KIND_SPECS)[K]['class'] extends 'chain' ? K : never;
}[Kind];

/** The kinds of the ledger class: governance. */
export type LedgerKind = {
  [K in Kind]: (typeof KIND_SPECS)[K]['class'] extends 'ledger' ? K : never;
}[Kind];
/** The kinds of the annotation class: statements about an exhibit that move nothing. */
export type AnnotationKind = {
  [K in Kind]: (typeof KIND_SPECS)[K]['class'] extends 'annotation' ? K : never;
}[Kind];

export const KINDS_V2: Readonly<Record<string, KindSpec>> = KIND_SPECS;

/** Every committed field name of the table, sorted: the fields a disclosure can reveal or withhold. */
export const COMMITTED_FIELDS: readonly string[] = [
  ...new Set(Object.values(KIND_SPECS).flatMap((k) => Object.keys(k.committed))),
].sort();

/** Whether `k` is a kind of the table (own property: never a prototype name). */
export const isKind = (k: string): k is Kind => Object.hasOwn(KIND_SPECS, k);

/** Whether `k` is a chain kind of the table. */
export const isChainKind = (k: string): k is ChainKind => isKind(k) && KIND_SPECS[k].class === 'chain';

/** Whether `k` is an annotation kind of the table. */
export const isAnnotationKind = (k: string): k is AnnotationKind =>
  isKind(k) && KIND_SPECS[k].class === 'annotation';

/** Every chain kind, in table order. */
export const CHAIN_KINDS: readonly ChainKind[] = Object.keys(KIND_SPECS).filter(isChainKind);

/** The chain view of a chain kind. */
export const chainView = (k: ChainKind): ChainView => KIND_SPECS[k].chain;

/** [type, publicKey] as a TypedKey; only called on bodies that passed the schema. */
export function wireKey(v: Canonical | undefined): TypedKey {
  const [type, publicKey] = v as [TypedKey['type'], Uint8Array];
  return { type, publicKey };
}

function linkProblem(spec: KindSpec, s: Statement): string | undefined {
  const x = s.exhibit !== undefined;
  const a = s.after !== undefined;
  switch (spec.link) {
    case 'none':
      return x || a || s.seen ? 'genesis has no exhibit, after or seen' : undefined;
    case 'ledger':
      return a ? undefined : 'a ledger statement links to the previous one (after)';
    case 'optional':
      return x === a ? undefined : 'exhibit and after go together';
    default:
      return x && a ? undefined : `${s.kind} names an exhibit and its previous statement (after)`;
  }
}

/**
 * The body version a signer writes for `fields` (those not undefined): the
 * lowest of the kind's versions that has every one of them. A field no
 * version has leaves version 1, whose check then names it.
 */
export function bodyVersionFor(kind: string, fields: Record<string, unknown>): number {
  const spec = Object.hasOwn(KINDS_V2, kind) ? KINDS_V2[kind] : undefined;
  const given = Object.keys(fields).filter((f) => fields[f] !== undefined);
  const versions = spec
    ? Object.keys(spec.versions)
        .map(Number)
        .sort((a, b) => a - b)
    : [];
  return versions.find((v) => given.every((f) => Object.hasOwn(spec!.versions[v]!, f))) ?? 1;
}

/**
 * Checks a decoded statement against the kinds table. Throws FormatError:
 * KIND_UNKNOWN or BODY_VERSION_UNKNOWN (a verifier reports these as INCOMPLETE
 * for the exhibit, or for the whole ledger when the class is `ledger`),
 * KIND_CLASS_MISMATCH, STATEMENT_SCHEMA (links) or BODY_SCHEMA.
 */
export function checkKind(s: Statement): KindSpec {
  const spec = Object.hasOwn(KINDS_V2, s.kind) ? KINDS_V2[s.kind] : undefined;
  if (!spec) throw new FormatError('KIND_UNKNOWN', `unknown kind ${JSON.stringify(s.kind)}`);
  if (spec.class !== s.class)
    throw new FormatError('KIND_CLASS_MISMATCH', `${s.kind} is a ${spec.class} statement, not ${s.class}`);
  const fields = Object.hasOwn(spec.versions, s.bv) ? spec.versions[s.bv] : undefined;
  if (!fields) throw new FormatError('BODY_VERSION_UNKNOWN', `${s.kind} has no body version ${s.bv}`);
  const link = linkProblem(spec, s);
  if (link) throw new FormatError('STATEMENT_SCHEMA', link);
  const problem = checkFields(s.body, fields, `${s.kind} body`) ?? spec.across?.[s.bv]?.(s.body);
  if (problem) throw new FormatError('BODY_SCHEMA', problem);
  // A key in another ledger is [origin, id]; naming this ledger that way would
  // give one meaning two encodings (FORMAT.md §Statements, refs).
  for (const f of CROSS_LEDGER_REFS) {
    const v = s.body[f];
    if (Array.isArray(v) && v[0] === s.origin)
      throw new FormatError(
        'BODY_SCHEMA',
        `${s.kind} body: ${f} names this ledger by origin (use the plain key id)`,
      );
  }
  return spec;
}

/** Body fields that may name a key in another ledger as [origin, key id]. */
const CROSS_LEDGER_REFS = ['to'] as const;
