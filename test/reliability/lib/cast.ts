/**
 * The people of the reliability ledgers (crash trials, concurrency, tamper,
 * fuzz): an authority, a log key and five actors in three jurisdictions, with
 * keys derived from fixed labels so that every process (the test, the writer
 * and holder children, the soak script) knows them without sharing files.
 *
 * Statements are made the way a workstation makes them: src/ledger/compose.ts
 * commits the committed fields with fresh salts and signs. Self-contained on
 * purpose (src only): the children bundle this file with esbuild.
 */
import { toHex, utf8 } from '../../../src/bytes.js';
import { type Signer, signerFromSeed } from '../../../src/crypto/ed25519.js';
import { sha256 } from '../../../src/crypto/sha256.js';
import type { Canonical } from '../../../src/format/canonical.js';
import { KEY_PURPOSES, KEY_TYPES, keyIdOf } from '../../../src/format/key-id.js';
import type { RoleV2 } from '../../../src/format/kinds.js';
import { ed25519Key } from '../../../src/format/sign-statement.js';
import type { Seen } from '../../../src/format/statement.js';
import type { Clock } from '../../../src/ledger/clock.js';
import { type Composed, compose } from '../../../src/ledger/compose.js';
import { LogLedger, type LogLedgerOptions, type Submitted } from '../../../src/ledger/log-ledger.js';
import type { LogStore } from '../../../src/store/log-store.js';

export const ORIGIN = 'reliability.custody.test/ledger';

/** The same derivation as test/helpers/world.ts seededSigner. */
export function seededSigner(label: string): Signer {
  return signerFromSeed(sha256(utf8(`custody test key ${label}`)));
}

export const statementKeyId = (publicKey: Uint8Array): Uint8Array =>
  keyIdOf(ed25519Key(publicKey), KEY_PURPOSES.statement);

export interface Member {
  signer: Signer;
  /** Statement key id. */
  id: Uint8Array;
  hex: string;
  name: string;
  roles: RoleV2[];
  jurisdiction: string;
  org: string;
}

export function member(
  signer: Signer,
  name: string,
  roles: RoleV2[],
  jurisdiction: string,
  org: string,
): Member {
  const id = statementKeyId(signer.publicKey);
  return { signer, id, hex: toHex(id), name, roles: [...roles].sort(), jurisdiction, org };
}

const cast = (label: string, name: string, roles: RoleV2[], jurisdiction: string, org: string) =>
  member(seededSigner(`reliability ${label}`), name, roles, jurisdiction, org);

export const AUTHORITY = cast('authority', 'Reliability authority', [], 'NL', 'NFI');
/** Signs checkpoints; genesis names it. */
export const LOG = seededSigner('reliability log');

/** Everyone but the authority, in enrolment order. */
export const ACTORS = {
  collector: cast('collector', 'J. de Vries', ['collector', 'custodian'], 'NL', 'Politie Amsterdam'),
  nlExaminer: cast('nl-examiner', 'A. Bakker', ['custodian', 'examiner'], 'NL', 'NFI'),
  deCustodian: cast('de-custodian', 'K. Müller', ['custodian'], 'DE', 'Bundeskriminalamt'),
  deExaminer: cast('de-examiner', 'S. Wagner', ['examiner'], 'DE', 'LKA Berlin'),
  frCourt: cast('fr-court', 'Greffe de Paris', ['court'], 'FR', 'Tribunal judiciaire de Paris'),
} as const;

export const ALL: readonly Member[] = [AUTHORITY, ...Object.values(ACTORS)];
export const byHex = new Map(ALL.map((m) => [m.hex, m]));

/** A clock at a fixed zone; `now` from the system unless given. */
export const clockAt = (now: () => number = Date.now): Clock => ({ now, zone: () => 'Europe/Amsterdam' });

export interface Sign {
  kind: string;
  signer: Signer;
  fields: Record<string, Canonical | undefined>;
  exhibit?: Uint8Array;
  after?: Uint8Array;
  seen?: Seen;
  cosigners?: Signer[];
  clock?: Clock;
  origin?: string;
}

/** Composes and signs a statement as a workstation would. */
export function sign(s: Sign): Composed {
  return compose({
    kind: s.kind,
    origin: s.origin ?? ORIGIN,
    signer: s.signer,
    fields: s.fields,
    clock: s.clock ?? clockAt(),
    ...(s.cosigners ? { cosigners: s.cosigners } : {}),
    ...(s.exhibit ? { exhibit: s.exhibit } : {}),
    ...(s.after ? { after: s.after } : {}),
    ...(s.seen ? { seen: s.seen } : {}),
  });
}

/** Submits a composed statement with its openings. */
export const submit = (ledger: LogLedger, c: Composed): Promise<Submitted> =>
  ledger.submit(c.bytes, c.openingBytes);

/** The checkpoint a signer online sees now: the whole log. */
export const seenNow = (ledger: LogLedger): Seen => ({ size: ledger.size, root: ledger.root() });

export const digestOf = (content: Uint8Array | string) => ({
  sha256: sha256(typeof content === 'string' ? utf8(content) : content),
});

export function genesisOf(opts: { authority?: Signer; log?: Signer; clock?: Clock; origin?: string } = {}) {
  return sign({
    kind: 'genesis',
    signer: opts.authority ?? AUTHORITY.signer,
    fields: {
      name: 'Reliability ledger',
      jurisdiction: 'NL',
      org: 'NFI',
      logKey: [KEY_TYPES.ed25519, (opts.log ?? LOG).publicKey],
    },
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.origin ? { origin: opts.origin } : {}),
  });
}

/** An enrolment of `m` by `by` (the authority), against the ledger as it is now. */
export function enrolmentOf(
  m: Member,
  ledgerHead: Uint8Array,
  seen: Seen,
  opts: { by?: Signer; clock?: Clock; origin?: string } = {},
) {
  return sign({
    kind: 'enrol',
    signer: opts.by ?? AUTHORITY.signer,
    fields: {
      key: [KEY_TYPES.ed25519, m.signer.publicKey],
      purpose: KEY_PURPOSES.statement,
      roles: m.roles,
      jurisdiction: m.jurisdiction,
      name: m.name,
      org: m.org,
    },
    after: ledgerHead,
    seen,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.origin ? { origin: opts.origin } : {}),
  });
}

export interface CastLedger {
  ledger: LogLedger;
  /** Identity of the last ledger statement (the next governance statement links to it). */
  ledgerHead: Uint8Array;
}

/** Creates the ledger in an empty store: genesis and the five enrolments, one after another. */
export async function createCastLedger(
  store: LogStore,
  opts: LogLedgerOptions & { members?: readonly Member[]; authority?: Signer; log?: Signer } = {},
): Promise<CastLedger> {
  const { members = Object.values(ACTORS), authority, log, ...ledgerOpts } = opts;
  const ledger = await LogLedger.open(store, ledgerOpts);
  const clock = ledgerOpts.clock;
  const g = genesisOf({
    ...(authority ? { authority } : {}),
    ...(log ? { log } : {}),
    ...(clock ? { clock } : {}),
  });
  await submit(ledger, g);
  let head = g.id;
  for (const m of members) {
    const e = enrolmentOf(m, head, seenNow(ledger), {
      ...(authority ? { by: authority } : {}),
      ...(clock ? { clock } : {}),
    });
    await submit(ledger, e);
    head = e.id;
  }
  return { ledger, ledgerHead: head };
}

/** Every acknowledged append as the writer prints it: index and leaf hash. */
export const ackLine = (s: Submitted) => `ack ${s.index} ${toHex(s.leafHash)}`;
